/* memory_op (xen/include/public/memory.h): the add_to_physmap subset. */
#ifndef XEN_MEMORY_H
#define XEN_MEMORY_H
#include "xen.h"

#define XENMEM_add_to_physmap 7

#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5
#define XENMAPIDX_grant_table_status (1U << 31)

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};

_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap");

#endif
