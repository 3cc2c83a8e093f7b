/* shared_info, vcpu_info and XENMEM_add_to_physmap: how a guest maps the hypervisor's pages
 * (its shared_info and grant-table frames) into its own address space, and where each vCPU's
 * vcpu_info lives. The pages are the hypervisor's (P2M_XEN), never counted as the domain's
 * RAM, so mapping them cannot change a domain's feature bits. */
#include "arch.h"
#include "hypercall.h"
#include "domain.h"
#include "guest_access.h"
#include "log.h"
#include "shared_info.h"
#include <string.h>
#include <xen/memory.h>

int domain_xen_pages_init(struct domain *d, const struct pt_alloc *alloc)
{
	d->shared_info_ma = alloc->alloc_table(alloc->ctx, 1);
	if (d->shared_info_ma == INVALID_PADDR)
		return -XEN_ENOMEM;
	memset(maddr_to_virt(d->shared_info_ma), 0, PAGE_SIZE);
	d->shared_info_gfn = GNT_GFN_NONE;
	evtchn_init(&d->evtchn);
	return grant_table_init(&d->grant, alloc);
}

struct shared_info *domain_shared_info(struct domain *d)
{
	return maddr_to_virt(d->shared_info_ma);
}

struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
	if (v->vcpu_info_ma)
		return maddr_to_virt(v->vcpu_info_ma);
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return &domain_shared_info(v->d)->vcpu_info[v->id];
	return &v->own_vcpu_info;
}

int shared_info_map(struct domain *d, uint64_t gfn)
{
	int rc;

	if (d->shared_info_gfn != GNT_GFN_NONE && d->shared_info_gfn != gfn)
		return -XEN_EBUSY;
	rc = p2m_map(&d->p2m, gfn << PAGE_SHIFT, d->shared_info_ma, PAGE_SIZE, P2M_XEN, P2M_RW);
	if (!rc)
		d->shared_info_gfn = gfn;
	return rc;
}

/* A hypervisor page may land on a hole or on one of the domain's RAM pages, which it then
 * replaces (Linux maps shared_info over a page of its own, as Xen allows); never on a
 * device, a foreign page or another hypervisor page. */
static int physmap_target_ok(struct domain *d, uint64_t gfn, paddr_t same_ma)
{
	enum p2m_type t;
	paddr_t ma;
	int rc;

	if (gfn >> (P2M_IPA_BITS - PAGE_SHIFT))
		return -XEN_EINVAL;
	rc = p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &ma, &t, NULL);
	if (rc == -XEN_ENOENT || (!rc && t == P2M_RAM) || (!rc && t == P2M_XEN && ma == same_ma))
		return 0;
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
		rc = physmap_target_ok(d, x.gpfn, d->shared_info_ma);
		if (!rc)
			rc = shared_info_map(d, x.gpfn);
		break;
	case XENMAPSPACE_grant_table:
		if (x.idx & XENMAPIDX_grant_table_status || x.idx >= GNT_MAX_FRAMES)
			return -XEN_EINVAL; /* status frames are grant v2 */
		idx = (unsigned)x.idx;
		rc = physmap_target_ok(d, x.gpfn, d->grant.frame_ma[idx]);
		if (!rc)
			rc = grant_map_frame(d, idx, x.gpfn);
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
	if (a[0] == XENMEM_add_to_physmap)
		return add_to_physmap(v, a[1]);
	return hypercall_enosys(v, __HYPERVISOR_memory_op, a[0]);
}

/* VCPUOP_register_vcpu_info: the vcpu_info moves into a page of the guest's RAM, keeping
 * its contents; every selector bit is set so the guest rescans (as Xen does). Only once. */
static long register_vcpu_info(struct vcpu *v, struct vcpu *target, uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *old;
	enum p2m_type t;
	enum p2m_access a;
	paddr_t ma;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	/* Xen 4.17's answers, measured by make compare-xen (later Xen says -EBUSY for a second
	 * registration) */
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & 7))
		return -XEN_ENXIO;
	if (target->vcpu_info_ma || (r.mfn >> (P2M_IPA_BITS - PAGE_SHIFT)))
		return -XEN_EINVAL;
	if (p2m_lookup(&target->d->p2m, r.mfn << PAGE_SHIFT, &ma, &t, &a) || t != P2M_RAM ||
	    a != P2M_RW)
		return -XEN_EINVAL;
	old = vcpu_info_of(target);
	memcpy(maddr_to_virt(ma + r.offset), old, sizeof(*old));
	__atomic_store_n(&target->vcpu_info_ma, ma + r.offset, __ATOMIC_RELEASE);
	__atomic_store_n(&vcpu_info_of(target)->evtchn_pending_sel, ~0ULL, __ATOMIC_RELEASE);
	evtchn_mark_upcall(target);
	return 0;
}

long do_vcpu_op(struct vcpu *v, const uint64_t a[5])
{
	unsigned cmd = (unsigned)a[0], id = (unsigned)a[1];

	if (id >= v->d->nr_vcpus)
		return -XEN_ENOENT;
	if (cmd == VCPUOP_register_vcpu_info)
		return register_vcpu_info(v, &v->d->vcpu[id], a[2]);
	if (cmd == VCPUOP_register_runstate_memory_area)
		return runstate_register(v, &v->d->vcpu[id], a[2]);
	return -XEN_EINVAL; /* Xen on ARM answers -EINVAL to every other vcpu_op */
}
