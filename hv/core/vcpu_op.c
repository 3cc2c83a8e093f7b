/* vcpu_op: where a vCPU's vcpu_info and runstate area live in the guest's memory. Xen on
 * ARM implements only these two sub-ops for guests. */
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "shared_info.h"
#include <string.h>

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
