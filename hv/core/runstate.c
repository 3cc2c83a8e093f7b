/* vCPU runstate areas (VCPUOP_register_runstate_memory_area, xen/common/domain.c) and
 * vm_assist. Every vCPU owns its physical CPU, so a vCPU is only ever running or offline:
 * it enters "running" when it starts on its pCPU and "offline" when it stops (PSCI CPU_OFF);
 * it is never runnable (no scheduler) or blocked (WFI is not trapped). The area is a guest
 * virtual address, rewritten on the vCPU's own pCPU, where its stage 1 is the live one. */
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "log.h"
#include "runstate.h"
#include <string.h>

/* The area a guest reads: time[] holds what was spent in each state up to state_entry_time;
 * the current state's time since then is the reader's to add. */
static void runstate_fill(const struct vcpu *v, struct vcpu_runstate_info *r)
{
	memset(r, 0, sizeof(*r));
	r->state = v->runstate.state;
	r->state_entry_time = v->runstate.entry_ns;
	memcpy(r->time, v->runstate.time_ns, sizeof(r->time));
}

/* With VMASST_TYPE_runstate_update_flag the guest sees XEN_RUNSTATE_UPDATE in
 * state_entry_time while the area is being rewritten, so a reader on another CPU can retry
 * instead of reading a torn copy (Xen's update_runstate_area). */
static int runstate_write(struct vcpu *v)
{
	struct vcpu_runstate_info r;
	uint64_t entry_gva = v->runstate.area + __builtin_offsetof(struct vcpu_runstate_info,
								   state_entry_time);
	bool flag = v->d->vm_assist & (1U << VMASST_TYPE_runstate_update_flag);
	uint64_t busy;

	runstate_fill(v, &r);
	if (flag) {
		busy = r.state_entry_time | XEN_RUNSTATE_UPDATE;
		if (copy_to_guest(v, entry_gva, &busy, sizeof(busy)))
			return -XEN_EFAULT;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r.state_entry_time |= XEN_RUNSTATE_UPDATE;
	}
	if (copy_to_guest(v, v->runstate.area, &r, sizeof(r)))
		return -XEN_EFAULT;
	if (flag) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r.state_entry_time &= ~XEN_RUNSTATE_UPDATE;
		if (copy_to_guest(v, entry_gva, &r.state_entry_time, sizeof(uint64_t)))
			return -XEN_EFAULT;
	}
	return 0;
}

/* Called on v's own pCPU. A guest that registered an area it since unmapped only loses
 * the update, as under Xen (which ignores the copy's result). A vCPU that is just being
 * (re)started has no usable stage 1 yet: its change is published when the guest registers
 * its area again on that CPU, as Linux does when a CPU comes up (xen_starting_cpu). */
void runstate_change(struct vcpu *v, int state, uint64_t now_ns, bool publish)
{
	struct vcpu_runstate *rs = &v->runstate;

	if (rs->state == state)
		return;
	if (now_ns > rs->entry_ns)
		rs->time_ns[rs->state] += now_ns - rs->entry_ns;
	rs->state = state;
	rs->entry_ns = now_ns;
	if (rs->area && publish)
		(void)runstate_write(v);
}

/* The caller registers target's area. Xen 4.17 answers 0 even when the first copy fails
 * (its guest_handle_okay is always true on Arm); mapvisor says -EFAULT, so a guest learns
 * that its address is wrong (README: intended differences). */
long runstate_register(struct vcpu *v, struct vcpu *target, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info r;
	uint64_t old;

	if (copy_from_guest(v, &area, arg, sizeof(area)))
		return -XEN_EFAULT;
	if (!area.addr) {
		target->runstate.area = 0; /* Xen: a null handle unregisters */
		return 0;
	}
	/* written through the caller's stage 1: the same kernel mapping on every vCPU */
	runstate_fill(target, &r);
	if (copy_to_guest(v, area.addr, &r, sizeof(r)))
		return -XEN_EFAULT;
	old = target->runstate.area;
	target->runstate.area = area.addr;
	if (old != area.addr)
		log_debug("d%u: vCPU %u runstate area at 0x%llx", v->d->id, target->id,
			  (unsigned long long)area.addr);
	return 0;
}

/* vm_assist (xen/common/domain.c): Xen on Arm knows only runstate_update_flag. */
long do_vm_assist(struct vcpu *v, const uint64_t a[5])
{
	unsigned cmd = (unsigned)a[0];
	uint64_t type = a[1];

	if (type >= 32 || !((1U << type) & VM_ASSIST_VALID))
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		__atomic_fetch_or(&v->d->vm_assist, 1U << type, __ATOMIC_RELAXED);
		return 0;
	case VMASST_CMD_disable:
		__atomic_fetch_and(&v->d->vm_assist, ~(1U << type), __ATOMIC_RELAXED);
		return 0;
	}
	return -XEN_ENOSYS;
}
