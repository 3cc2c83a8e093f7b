/* What a Xen PV driver needs, done the way Linux does it on ARM: the grant table mapped into
 * the /hypervisor node's grant window (XENMEM_add_to_physmap), shared_info over a page of our
 * own RAM, grant entries written in the order the ABI requires, grant maps into the node's
 * extended region, and event channels whose upcall (the node's PPI) wakes a vCPU blocked in
 * WFI. Only vCPU 0 takes events, through the vcpu_info it registers. */
#include "libguest.h"
#include <string.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

struct xen_pv xen_pv;
/* a whole page of our RAM: XENMEM_add_to_physmap puts the hypervisor's page in its place */
static union {
	struct shared_info s;
	uint8_t page[4096];
} shared_page __attribute__((aligned(4096)));
/* vCPU 0's vcpu_info, registered here as Linux registers its per-CPU copies */
static struct vcpu_info my_vcpu_info __attribute__((aligned(64)));
static volatile uint64_t fired[EVTCHN_2L_WORDS]; /* ports whose events we took */
static volatile uint64_t upcalls;

static long add_to_physmap(unsigned space, uint64_t idx, uint64_t gpa)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gpa >> 12};

	return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x);
}

/* The upcall (Linux's xen_evtchn_do_upcall, 2-level): clear the flag first, then take the
 * selector, then every pending unmasked port of each selected word. */
static void on_upcall(unsigned intid)
{
	struct shared_info *s = xen_pv.shared;
	struct vcpu_info *vi = xen_pv.vcpu_info;

	(void)intid;
	upcalls++;
	do {
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);

		while (sel) {
			unsigned w = (unsigned)__builtin_ctzll(sel);
			uint64_t bits = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
					~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST);

			sel &= sel - 1;
			__atomic_fetch_and(&s->evtchn_pending[w], ~bits, __ATOMIC_SEQ_CST);
			__atomic_fetch_or(&fired[w], bits, __ATOMIC_SEQ_CST);
		}
	} while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

int xen_pv_init(void)
{
	int len, node = fdt_node(guest_fdt, "/hypervisor");
	const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &len);
	const uint8_t *irq = fdt_prop(guest_fdt, node, "interrupts", NULL);
	const uint8_t *id = fdt_prop(guest_fdt, node, "mapvisor,domid", NULL);

	if (!reg || len < 32 || !irq || !id)
		return -1;
	xen_pv.gnttab_gpa = fdt_be(reg, 8);
	xen_pv.ext_gpa = fdt_be(reg + 16, 8);
	xen_pv.ext_size = fdt_be(reg + 24, 8);
	xen_pv.upcall_ppi = 16 + (unsigned)fdt_be(irq + 4, 4);
	xen_pv.domid = (uint16_t)fdt_be(id, 4);
	if (add_to_physmap(XENMAPSPACE_grant_table, 0, xen_pv.gnttab_gpa) ||
	    add_to_physmap(XENMAPSPACE_shared_info, 0, (uintptr_t)&shared_page))
		return -1;
	xen_pv.gnttab = (struct grant_entry_v1 *)(uintptr_t)xen_pv.gnttab_gpa;
	xen_pv.shared = &shared_page.s;
	struct vcpu_register_vcpu_info r = {.mfn = (uintptr_t)&my_vcpu_info >> 12,
					    .offset = (uintptr_t)&my_vcpu_info & 0xfff};

	if (HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r))
		return -1;
	xen_pv.vcpu_info = &my_vcpu_info;
	/* every port starts unmasked in Xen's shared_info; ours too, and events only come for
	 * ports we bind */
	if (gic_init_cpu())
		return -1;
	gic_enable(xen_pv.upcall_ppi, 0xa0, on_upcall);
	irqs_on();
	return 0;
}

/* Xen's fixed guest grant-table window (Xen 4.17 public/arch-arm.h GUEST_GNTTAB_BASE): a
 * domU whose DT has no /hypervisor node (a plain dom0less domU of Xen 4.17) still has a
 * grant table, and this is where Xen's guests map it. */
#define GUEST_GNTTAB_BASE 0x38000000ULL

int gnttab_setup(void)
{
	int len, node = fdt_node(guest_fdt, "/hypervisor");
	const uint8_t *reg = node >= 0 ? fdt_prop(guest_fdt, node, "reg", &len) : NULL;

	xen_pv.gnttab_gpa = reg && len >= 16 ? fdt_be(reg, 8) : GUEST_GNTTAB_BASE;
	if (add_to_physmap(XENMAPSPACE_grant_table, 0, xen_pv.gnttab_gpa))
		return -1;
	xen_pv.gnttab = (struct grant_entry_v1 *)(uintptr_t)xen_pv.gnttab_gpa;
	return 0;
}

/* ABI order: frame and domid first, then (after a barrier) the flags that make it valid. */
void gnttab_grant_access(grant_ref_t ref, domid_t domid, uint64_t gfn, bool readonly)
{
	struct grant_entry_v1 *e = &xen_pv.gnttab[ref];

	e->frame = (uint32_t)gfn;
	e->domid = domid;
	__asm__ volatile("dmb ishst" ::: "memory");
	__atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
			 __ATOMIC_RELEASE);
}

/* Linux's gnttab_end_foreign_access_ref: only if nobody has it mapped (GTF_reading/writing
 * clear), atomically, so a racing map either sees the entry valid or not at all. */
bool gnttab_end_access(grant_ref_t ref)
{
	uint16_t *flags = &xen_pv.gnttab[ref].flags;
	uint16_t cur = __atomic_load_n(flags, __ATOMIC_ACQUIRE);

	do {
		if (cur & (GTF_reading | GTF_writing))
			return false;
	} while (!__atomic_compare_exchange_n(flags, &cur, 0, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return true;
}

int16_t gnttab_map(domid_t dom, grant_ref_t ref, uint64_t host_addr, bool readonly,
		   grant_handle_t *handle, uint64_t *dev_bus_addr)
{
	struct gnttab_map_grant_ref op = {.host_addr = host_addr,
					  .ref = ref,
					  .dom = dom,
					  .flags = GNTMAP_host_map |
						   (readonly ? GNTMAP_readonly : 0)};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

	if (rc)
		return GNTST_general_error;
	*handle = op.handle;
	*dev_bus_addr = op.dev_bus_addr;
	return op.status;
}

int16_t gnttab_unmap(uint64_t host_addr, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = host_addr, .handle = handle};

	if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1))
		return GNTST_general_error;
	return op.status;
}

long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	*port = op.port;
	return rc;
}

long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote, .remote_port = remote_port};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	*port = op.local_port;
	return rc;
}

long evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = {port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/* Blocks (WFI, woken by the upcall) until an event on port arrived; false after timeout. */
bool evtchn_wait(evtchn_port_t port, uint64_t timeout_ms)
{
	uint64_t end = read_cntvct() + timeout_ms * read_cntfrq() / 1000;
	uint64_t bit = 1ULL << (port % 64);

	while (!(__atomic_fetch_and(&fired[port / 64], ~bit, __ATOMIC_SEQ_CST) & bit)) {
		if (read_cntvct() > end)
			return false;
		wfi_unless(__atomic_load_n(&fired[port / 64], __ATOMIC_SEQ_CST) & bit);
	}
	return true;
}

uint64_t evtchn_upcalls(void)
{
	return upcalls;
}
