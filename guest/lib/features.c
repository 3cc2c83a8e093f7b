/* The feature probe and the DMA decision Linux makes from it. */
#include "libguest.h"

struct xen_features xen_features;

void features_probe(void)
{
	struct xen_feature_info fi = {.submap_idx = 0};

	xen_features.xen = HYPERVISOR_xen_version(XENVER_get_features, &fi) == 0;
	xen_features.submap = xen_features.xen ? fi.submap : 0;
}

/* Linux >= 5.13: use swiotlb-xen iff the domain is direct-mapped; a hypervisor too old to
 * say (neither bit) gets it in dom0 only. Linux 6.1 applies this to every device. */
bool xen_swiotlb_detect(void)
{
	if (!xen_features.xen)
		return false;
	if (xen_feature(XENFEAT_direct_mapped))
		return true;
	if (!xen_feature(XENFEAT_not_direct_mapped) && xen_initial_domain())
		return true;
	return false;
}
