/* Linux's rule (include/xen/arm/swiotlb-xen.h): swiotlb-xen iff the domain is direct-mapped;
 * a hypervisor too old to say (neither bit) gets it in dom0 only. */
#include <xen/features.h>
#include <xen_dma.h>

bool linux_uses_swiotlb_xen(uint32_t submap)
{
	if (submap & (1U << XENFEAT_direct_mapped))
		return true;
	return !(submap & (1U << XENFEAT_not_direct_mapped)) && (submap & (1U << XENFEAT_dom0));
}
