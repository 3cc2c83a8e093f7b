/* One dispatch table for Xen hypercalls (numbers from xen/include/public/xen.h), read by
 * hypercall_dispatch (hypercall.h). A number not in the table goes to hypercall_other:
 * -ENOSYS, as Xen answers for hypercalls it does not build in. */
#include "dma_decl.h"
#include "domain.h"
#include "event.h"
#include "grant.h"
#include "hvm.h"
#include "log.h"
#include "hypercall.h"
#include "runstate.h"
#include "shared_info.h"
#include <mapvisor/op.h>
#include <xen/xen.h>

const hypercall_fn hypercall_table[HYPERCALL_TABLE_SIZE] = {
	[__HYPERVISOR_platform_op] = do_platform_op,
	[__HYPERVISOR_xen_version] = do_xen_version,
	[__HYPERVISOR_console_io] = do_console_io,
	[__HYPERVISOR_sched_op] = do_sched_op,
	[__HYPERVISOR_memory_op] = do_memory_op,
	[__HYPERVISOR_grant_table_op] = do_grant_table_op,
	[__HYPERVISOR_vm_assist] = do_vm_assist,
	[__HYPERVISOR_vcpu_op] = do_vcpu_op,
	[__HYPERVISOR_event_channel_op] = do_event_channel_op,
	[__HYPERVISOR_hvm_op] = do_hvm_op,
	[__HYPERVISOR_mapvisor_op] = do_mapvisor_op, /* mapvisor's own: Xen's arch_7 */
};

static const char *const hypercall_names[64] = {
	[__HYPERVISOR_platform_op] = "platform_op",
	[__HYPERVISOR_memory_op] = "memory_op",
	[__HYPERVISOR_multicall] = "multicall",
	[__HYPERVISOR_xen_version] = "xen_version",
	[__HYPERVISOR_console_io] = "console_io",
	[__HYPERVISOR_grant_table_op] = "grant_table_op",
	[__HYPERVISOR_vm_assist] = "vm_assist",
	[__HYPERVISOR_vcpu_op] = "vcpu_op",
	[__HYPERVISOR_sched_op] = "sched_op",
	[__HYPERVISOR_event_channel_op] = "event_channel_op",
	[__HYPERVISOR_physdev_op] = "physdev_op",
	[__HYPERVISOR_hvm_op] = "hvm_op",
	[__HYPERVISOR_sysctl] = "sysctl",
	[__HYPERVISOR_domctl] = "domctl",
	[__HYPERVISOR_mapvisor_op] = "mapvisor_op",
};

/* The first time a domain asks for a (hypercall, sub-op) mapvisor does not implement, say
 * so: the next thing a new guest needs is then one log line away. Handlers call this for
 * what they do not know, so the dispatch itself stays a plain table call. */
long hypercall_enosys(struct vcpu *v, uint64_t nr, uint64_t sub)
{
	struct domain *d = v->d;
	uint32_t key = (uint32_t)(nr << 16 | (sub & 0xffff));
	unsigned n = __atomic_load_n(&d->nr_enosys, __ATOMIC_ACQUIRE);
	const char *name = nr < ARRAY_SIZE(hypercall_names) && hypercall_names[nr]
				   ? hypercall_names[nr] : "unknown";

	for (unsigned i = 0; i < MIN(n, ARRAY_SIZE(d->enosys)); i++)
		if (d->enosys[i] == key)
			return -XEN_ENOSYS;
	n = __atomic_fetch_add(&d->nr_enosys, 1, __ATOMIC_ACQ_REL);
	if (n < ARRAY_SIZE(d->enosys))
		d->enosys[n] = key;
	else if (n > ARRAY_SIZE(d->enosys))
		return -XEN_ENOSYS;
	log_info("d%u: hypercall %llu (%s) sub-op %llu: not implemented, -ENOSYS%s", d->id,
		 (unsigned long long)nr, name, (unsigned long long)sub,
		 n >= ARRAY_SIZE(d->enosys) ? " (and no more of these are logged)" : "");
	return -XEN_ENOSYS;
}

/* Numbers beyond the table, or without an entry in it. */
long hypercall_other(struct vcpu *v, uint64_t nr, const uint64_t a[5])
{
	return hypercall_enosys(v, nr, a[0]);
}
