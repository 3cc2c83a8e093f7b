/* One dispatch table for Xen hypercalls (numbers from xen/include/public/xen.h). Anything
 * not in the table is -ENOSYS, as Xen answers for hypercalls it does not build in. */
#include "event.h"
#include "grant.h"
#include "hvm.h"
#include "hypercall.h"
#include "runstate.h"
#include "shared_info.h"
#include <xen/xen.h>

static const hypercall_fn hypercall_table[64] = {
	[__HYPERVISOR_xen_version] = do_xen_version,
	[__HYPERVISOR_console_io] = do_console_io,
	[__HYPERVISOR_sched_op] = do_sched_op,
	[__HYPERVISOR_memory_op] = do_memory_op,
	[__HYPERVISOR_grant_table_op] = do_grant_table_op,
	[__HYPERVISOR_vm_assist] = do_vm_assist,
	[__HYPERVISOR_vcpu_op] = do_vcpu_op,
	[__HYPERVISOR_event_channel_op] = do_event_channel_op,
	[__HYPERVISOR_hvm_op] = do_hvm_op,
};

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[5])
{
	if (nr >= ARRAY_SIZE(hypercall_table) || !hypercall_table[nr])
		return -XEN_ENOSYS;
	return hypercall_table[nr](v, a);
}
