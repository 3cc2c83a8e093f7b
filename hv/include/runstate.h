/* vCPU runstate areas and vm_assist: what a guest reads to know how long each of its vCPUs
 * ran and was offline (Linux's steal clock). Times are nanoseconds of hypervisor time. */
#ifndef HV_RUNSTATE_H
#define HV_RUNSTATE_H
#include "types.h"
#include <xen/vcpu.h>

struct vcpu;

struct vcpu_runstate {
	int state;           /* RUNSTATE_* */
	uint64_t entry_ns;   /* when it entered state */
	uint64_t time_ns[4]; /* spent in each state before entry_ns */
	uint64_t area;       /* guest virtual address of the guest's copy, or 0 */
};

/* v moves to state at now_ns; with publish, its area is rewritten (only on v's own pCPU,
 * with the guest's stage 1 live). */
void runstate_change(struct vcpu *v, int state, uint64_t now_ns, bool publish);
long runstate_register(struct vcpu *v, struct vcpu *target, uint64_t arg);
long do_vm_assist(struct vcpu *v, const uint64_t a[5]);

#endif
