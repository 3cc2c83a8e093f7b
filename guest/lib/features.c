/* The feature probe and the DMA decision Linux makes from it. */
#include "libguest.h"
#include <xen_dma.h>

struct xen_features xen_features;

void features_probe(void)
{
	struct xen_feature_info fi = {.submap_idx = 0};

	xen_features.xen = HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0;
	xen_features.submap = xen_features.xen ? fi.submap : 0;
}

/* Linux 6.1's xen_swiotlb_detect(): only when running on Xen at all. */
bool xen_swiotlb_detect(void)
{
	return xen_features.xen && linux_uses_swiotlb_xen(xen_features.submap);
}
