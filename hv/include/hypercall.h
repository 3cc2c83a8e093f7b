/* Xen hypercall entry: hvc #0xEA1, number in x16, arguments x0..x4, result in x0. One
 * dispatch table; each handler validates its own arguments and returns a Xen errno. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H
#include "types.h"

struct vcpu;

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t a[5]);

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[5]);
/* -XEN_ENOSYS for a (hypercall, sub-op) mapvisor does not implement, logged once per
 * domain. */
long hypercall_enosys(struct vcpu *v, uint64_t nr, uint64_t sub);

long do_xen_version(struct vcpu *v, const uint64_t a[5]);
long do_console_io(struct vcpu *v, const uint64_t a[5]);
long do_sched_op(struct vcpu *v, const uint64_t a[5]);
long do_platform_op(struct vcpu *v, const uint64_t a[5]);
long do_memory_op(struct vcpu *v, const uint64_t a[5]); /* memory_op.c */
long do_vcpu_op(struct vcpu *v, const uint64_t a[5]);   /* vcpu_op.c */
/* The wall clock every domain reads in shared_info: secs.nsecs at hypervisor time
 * system_time_ns (XENPF_settime64). */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time_ns);

#endif
