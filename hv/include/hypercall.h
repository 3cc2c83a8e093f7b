/* Xen hypercall entry: hvc #0xEA1, number in x16, arguments x0..x4, result in x0. One
 * dispatch table; each handler validates its own arguments and returns a Xen errno. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H
#include "types.h"

struct vcpu;

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t a[5]);

/* By number (hypercall.c); NULL: not implemented. */
#define HYPERCALL_TABLE_SIZE 64
extern const hypercall_fn hypercall_table[HYPERCALL_TABLE_SIZE];
/* Every number the table does not serve: a number of mapvisor's own beyond the table goes
 * here, anything else is -XEN_ENOSYS. */
long hypercall_other(struct vcpu *v, uint64_t nr, const uint64_t a[5]);

/* Inline: it is the hypercall trap path's (make compare-xen's null hypercall), where a call
 * and its argument shuffling would cost more than the lookup. */
static inline long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[5])
{
	hypercall_fn fn = nr < HYPERCALL_TABLE_SIZE ? hypercall_table[nr] : NULL;

	if (!fn)
		return hypercall_other(v, nr, a);
	return fn(v, a);
}
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
