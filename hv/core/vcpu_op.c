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
	paddr_t ma;
	mfn_t mfn;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	/* Xen 4.17's answers, measured by make compare-xen (later Xen says -EBUSY for a second
	 * registration) */
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & 7))
		return -XEN_ENXIO;
	if (target->vcpu_info_ma)
		return -XEN_EINVAL;
	/* r.mfn is a guest frame: the ABI's name predates translated guests */
	if (p2m_get_ram_page(&target->d->p2m, _gfn(r.mfn), true, &mfn))
		return -XEN_EINVAL;
	ma = mfn_to_maddr(mfn) + r.offset;
	old = vcpu_info_of(target);
	memcpy(maddr_to_virt(ma), old, sizeof(*old));
	__atomic_store_n(&target->vcpu_info_ma, ma, __ATOMIC_RELEASE);
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
