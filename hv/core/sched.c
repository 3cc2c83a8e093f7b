/* sched_op (xen/include/public/sched.h). Static partitioning: each vCPU owns its physical
 * CPU, so yield and block return at once; shutdown stops the whole domain. */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include <xen/sched.h>

static long sched_shutdown(struct vcpu *v, uint64_t arg)
{
	struct sched_shutdown s;

	if (copy_from_guest(v, &s, arg, sizeof(s)))
		return -XEN_EFAULT;
	if (s.reason > SHUTDOWN_MAX) {
		log_warn("d%u: SCHEDOP_shutdown with unknown reason %u refused", v->d->id,
			 s.reason);
		return -XEN_EINVAL;
	}
	domain_shutdown(v->d, s.reason, "SCHEDOP_shutdown");
	return 0;
}

long do_sched_op(struct vcpu *v, const uint64_t a[5])
{
	switch ((int)(uint32_t)a[0]) {
	case SCHEDOP_yield:
	case SCHEDOP_block:
		return 0;
	case SCHEDOP_shutdown:
		return sched_shutdown(v, a[1]);
	}
	return hypercall_enosys(v, __HYPERVISOR_sched_op, a[0]);
}
