/* memory_op: XENMEM_add_to_physmap, how a guest maps the hypervisor's pages (its
 * shared_info and grant-table frames) into its own address space, and the reservations
 * (reservation.c). Every other memory_op is -ENOSYS: no foreign mapping of a guest's
 * frames by number here. */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include "reservation.h"
#include "shared_info.h"
#include <xen/memory.h>

/* A hypervisor page may land on a hole or on one of the domain's RAM pages, which it then
 * replaces (Linux maps shared_info over a page of its own, as Xen allows); never on a
 * device, a foreign page or another hypervisor page. */
static int physmap_target_ok(struct domain *d, gfn_t gfn, paddr_t same_ma)
{
	int rc = p2m_get_ram_page(&d->p2m, gfn, false, NULL);
	enum p2m_type t;
	mfn_t mfn;

	if (!rc || rc == -XEN_ENOENT)
		return 0; /* its RAM, read-only or not, or a hole */
	if (rc == -XEN_EPERM && !p2m_lookup_page(&d->p2m, gfn, &mfn, &t, NULL) && t == P2M_XEN &&
	    mfn_to_maddr(mfn) == same_ma)
		return 0; /* the same page again, where it already is */
	return -XEN_EINVAL;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap x;
	struct domain *d = v->d;
	unsigned idx;
	int rc;

	if (copy_from_guest(v, &x, arg, sizeof(x)))
		return -XEN_EFAULT;
	if (x.domid != DOMID_SELF && x.domid != d->id)
		return domain_by_id(x.domid) ? -XEN_EPERM : -XEN_ESRCH; /* no toolstack here */
	switch (x.space) {
	case XENMAPSPACE_shared_info:
		if (x.idx != 0)
			return -XEN_EINVAL;
		rc = physmap_target_ok(d, _gfn(x.gpfn), d->shared_info_ma);
		if (!rc)
			rc = shared_info_map(d, _gfn(x.gpfn));
		break;
	case XENMAPSPACE_grant_table:
		if (x.idx & XENMAPIDX_grant_table_status || x.idx >= GNT_MAX_FRAMES)
			return -XEN_EINVAL; /* status frames are grant v2 */
		idx = (unsigned)x.idx;
		rc = physmap_target_ok(d, _gfn(x.gpfn), d->grant.frame_ma[idx]);
		if (!rc)
			rc = grant_map_frame(d, idx, _gfn(x.gpfn));
		break;
	default:
		return -XEN_ENOSYS; /* gmfn, gmfn_range, gmfn_foreign, dev_mmio: not here */
	}
	if (!rc)
		log_debug("d%u: %s %llu at guest 0x%llx", d->id,
			  x.space == XENMAPSPACE_shared_info ? "shared_info" : "grant-table frame",
			  (unsigned long long)x.idx, (unsigned long long)(x.gpfn << PAGE_SHIFT));
	return rc;
}

long do_memory_op(struct vcpu *v, const uint64_t a[5])
{
	switch (a[0]) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, a[1]);
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation_op(v, (unsigned)a[0], a[1]);
	}
	return hypercall_enosys(v, __HYPERVISOR_memory_op, a[0]);
}
