/* hostile_pv: dom0 throws bad grant, event-channel and physmap arguments at the hypervisor,
 * using the grants a granter domU wrote (refs 8-13, see granter.c): each gets Xen's exact
 * status or errno, and the granter's pages and the hypervisor come through unharmed. */
#include "libguest.h"
#include <string.h>
#include <xen/memory.h>

#define FRONT 1

static int16_t map(domid_t dom, grant_ref_t ref, uint64_t host_addr, uint32_t flags,
		   grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom};
	if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1))
		return 99;
	if (h)
		*h = op.handle;
	return op.status;
}

static void maps(uint64_t ext, uint64_t own_ram)
{
	const uint32_t hm = GNTMAP_host_map;
	grant_handle_t h = 0, hro = 0;

	test_expect_eq("map-flags-none", map(FRONT, 8, ext, 0, NULL), GNTST_bad_gntref);
	test_expect_eq("map-device-map", map(FRONT, 8, ext, hm | GNTMAP_device_map, NULL),
		       GNTST_general_error);
	test_expect_eq("map-contains-pte", map(FRONT, 8, ext, hm | GNTMAP_contains_pte, NULL),
		       GNTST_general_error);
	test_expect_eq("map-domid-self", map(DOMID_SELF, 8, ext, hm, NULL), GNTST_bad_domain);
	test_expect_eq("map-no-such-domain", map(5, 8, ext, hm, NULL), GNTST_bad_domain);
	test_expect_eq("map-ref-huge", map(FRONT, 0xffffffff, ext, hm, NULL), GNTST_bad_gntref);
	test_expect_eq("map-ref-past-table", map(FRONT, 512, ext, hm, NULL), GNTST_bad_gntref);
	test_expect_eq("map-ref-ungranted", map(FRONT, 100, ext, hm, NULL), GNTST_general_error);
	test_expect_eq("map-other-domains-grant", map(FRONT, 10, ext, hm, NULL),
		       GNTST_general_error);
	test_expect_eq("map-wrong-type", map(FRONT, 11, ext, hm, NULL), GNTST_general_error);
	test_expect_eq("map-frame-not-granters", map(FRONT, 12, ext, hm, NULL), GNTST_bad_page);
	test_expect_eq("map-sub-page", map(FRONT, 13, ext, hm, NULL), GNTST_general_error);
	test_expect_eq("map-readonly-grant-writable", map(FRONT, 9, ext, hm, NULL),
		       GNTST_general_error);
	test_expect_eq("map-over-own-ram", map(FRONT, 8, own_ram, hm, NULL), GNTST_general_error);
	test_expect_eq("map-beyond-ipa", map(FRONT, 8, 1ULL << 45, hm, NULL), GNTST_general_error);
	/* Xen ignores the offset in host_addr: the page it falls in is mapped */
	test_expect_eq("map-unaligned", map(FRONT, 8, ext + 0x123, hm, &h), GNTST_okay);
	test_expect_eq("map-onto-a-mapping", map(FRONT, 8, ext + 0x200, hm, NULL),
		       GNTST_general_error);
	test_expect_eq("map-readonly", map(FRONT, 9, ext + 4096, hm | GNTMAP_readonly, &hro),
		       GNTST_okay);
	test_expect_eq("unmap-wrong-addr", gnttab_unmap(ext + 8192, h), GNTST_general_error);
	test_expect_eq("unmap-bad-handle", gnttab_unmap(ext, 4096), GNTST_bad_handle);
	test_expect_eq("unmap-unaligned", gnttab_unmap(ext + 0x123, h), GNTST_okay);
	test_expect_eq("unmap-twice", gnttab_unmap(ext, h), GNTST_bad_handle);
	test_expect_eq("unmap-readonly", gnttab_unmap(ext + 4096, hro), GNTST_okay);
}

static void other_ops(uint64_t scratch)
{
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
	struct gnttab_query_size q = {.dom = FRONT};
	struct gnttab_copy c = {.source = {.u.ref = 8, .domid = FRONT},
				.dest = {.domid = DOMID_SELF},
				.len = 4097,
				.flags = GNTCOPY_source_gref};
	struct xen_add_to_physmap x = {.domid = DOMID_SELF, .space = 99};
	struct vcpu_register_vcpu_info r = {.mfn = scratch >> 12, .offset = 4090};
	struct evtchn_bind_interdomain bi = {.remote_dom = FRONT, .remote_port = 7};
	struct evtchn_send s = {5000};

	test_expect_eq("gnttab-bad-batch-pointer",
		       HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, (void *)(1ULL << 45), 3),
		       -XEN_EFAULT);
	test_expect_eq("gnttab-unknown-op", HYPERVISOR_grant_table_op(99, NULL, 1), -XEN_ENOSYS);
	test_expect_eq("setup-table-count-2",
		       HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
	test_expect_eq("query-size-of-domu", HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1),
		       0);
	test_expect_eq("query-size-status", q.status, GNTST_okay);
	test_expect_eq("copy-too-long", HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1), 0);
	test_expect_eq("copy-too-long-status", c.status, GNTST_bad_copy_arg);
	test_expect_eq("physmap-unknown-space", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x),
		       -XEN_ENOSYS);
	x.space = XENMAPSPACE_shared_info;
	x.idx = 1;
	test_expect_eq("physmap-shared-info-idx-1", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x),
		       -XEN_EINVAL);
	test_expect_eq("vcpu-info-crossing-page",
		       HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), -XEN_ENXIO);
	r.offset = 0;
	test_expect_eq("vcpu-info-twice", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r),
		       -XEN_EINVAL);
	test_expect_eq("vcpu-info-no-such-vcpu",
		       HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 9, &r), -XEN_ENOENT);
	test_expect_eq("evtchn-bind-unoffered-port",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
	test_expect_eq("evtchn-send-bad-port", HYPERVISOR_event_channel_op(EVTCHNOP_send, &s),
		       -XEN_EINVAL);
	struct evtchn_bind_virq bv = {.virq = 0xffffffff, .vcpu = 0};
	/* FIFO control blocks and event arrays only on the caller's own writable RAM: the
	 * GIC distributor is a device, 0x10_0000_0000 is nothing */
	struct evtchn_init_control ic = {.control_gfn = 0x8000000 >> 12};
	struct evtchn_expand_array ea = {.array_gfn = 0x1000000000ULL >> 12};

	test_expect_eq("evtchn-bind-virq-bad-virq",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	bv = (struct evtchn_bind_virq){.virq = VIRQ_CONSOLE, .vcpu = 0x7fffffff};
	test_expect_eq("evtchn-bind-virq-bad-vcpu",
		       HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
	test_expect_eq("evtchn-fifo-control-on-mmio",
		       HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.control_gfn = 0x1000000000ULL >> 12;
	test_expect_eq("evtchn-fifo-control-unmapped",
		       HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	test_expect_eq("evtchn-fifo-expand-before-init",
		       HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
}

static uint8_t scratch[4096] __attribute__((aligned(4096)));

void guest_main(void)
{
	evtchn_port_t port;
	grant_handle_t h = 0;
	uint64_t bus;
	unsigned tries = 0;

	if (xen_pv_init()) {
		test_fail("pv-init", "no /hypervisor node");
		return;
	}
	/* wait for the granter's last grant (ref 8) */
	while (gnttab_map(FRONT, 8, xen_pv.ext_gpa, false, &h, &bus) != GNTST_okay &&
	       ++tries < 3000)
		for (uint64_t end = read_cntvct() + read_cntfrq() / 1000; read_cntvct() < end;)
			;
	gnttab_unmap(xen_pv.ext_gpa, h);
	maps(xen_pv.ext_gpa, (uintptr_t)scratch);
	other_ops((uintptr_t)scratch);
	test_expect_eq("evtchn-bind", evtchn_bind_interdomain(FRONT, 1, &port), 0);
	test_expect_eq("evtchn-send", evtchn_send(port), 0);
}
