/* compare: the same questions asked of Xen 4.17 and of mapvisor (make compare-xen). Every
 * answer is one line "ANSWER key: value"; tests/compare/compare.py pairs them up. Modes
 * (bootargs mode=): answers (default), shutdown (reason=N: does SCHEDOP_shutdown return?),
 * cost (COST lines: null hypercall and boot time, meant for -icount runs), grant (COST lines:
 * grant map + unmap of the page guest/progs/grantpeer.c grants, and a 4 KiB foreign DMA's
 * CPU side). */
#include "libguest.h"
#include <arm/psci.h>
#include <format.h>
#include <string.h>
#include <xen/memory.h>

#define UNMAPPED_IPA 0x1000000000ULL
#define BEYOND_IPA (1ULL << 45)

static void answer(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void answer(const char *key, const char *fmt, ...)
{
	char val[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	printf("ANSWER %s: %s\n", key, val);
}

static void rc(const char *key, long v)
{
	answer(key, "%ld", v);
}

/* A string answer: the return code and the text up to its NUL, made printable. */
static void string_answer(const char *key, int cmd, size_t size)
{
	static char buf[1024];
	char text[100];
	size_t n = 0;
	long r;

	memset(buf, 0x55, sizeof(buf));
	r = HYPERVISOR_xen_version(cmd, buf);
	for (size_t i = 0; i < size && buf[i] && n + 1 < sizeof(text); i++)
		text[n++] = buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.';
	text[n] = '\0';
	answer(key, "rc=%ld \"%s\"", r, text);
}

static uint64_t ram_end(void)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);

	return reg && len >= 16 ? fdt_be(reg, 8) + fdt_be((const char *)reg + 8, 8) : 0;
}

static void xen_version_answers(void)
{
	struct xen_feature_info fi = {0};
	struct xen_platform_parameters pp = {.virt_start = 0x1234};
	struct xen_compile_info ci;
	xen_domain_handle_t h;
	uint32_t bid[4] = {0};
	long r;

	answer("version", "0x%lx", HYPERVISOR_xen_version(XENVER_version, NULL));
	string_answer("extraversion", XENVER_extraversion, sizeof(xen_extraversion_t));
	rc("compile_info.rc", HYPERVISOR_xen_version(XENVER_compile_info, &ci));
	string_answer("capabilities", XENVER_capabilities, sizeof(xen_capabilities_info_t));
	string_answer("changeset", XENVER_changeset, sizeof(xen_changeset_info_t));
	r = HYPERVISOR_xen_version(XENVER_platform_parameters, &pp);
	answer("platform_parameters", "rc=%ld virt_start=0x%llx", r,
	       (unsigned long long)pp.virt_start);
	r = HYPERVISOR_xen_version(XENVER_get_features, &fi);
	answer("get_features.0", "rc=%ld submap=0x%x", r, fi.submap);
	fi.submap_idx = 1;
	rc("get_features.1", HYPERVISOR_xen_version(XENVER_get_features, &fi));
	fi.submap_idx = 0x80000000U;
	rc("get_features.huge_index", HYPERVISOR_xen_version(XENVER_get_features, &fi));
	rc("get_features.null", HYPERVISOR_xen_version(XENVER_get_features, NULL));
	rc("get_features.unmapped",
	   HYPERVISOR_xen_version(XENVER_get_features, (void *)UNMAPPED_IPA));
	rc("get_features.beyond_ipa",
	   HYPERVISOR_xen_version(XENVER_get_features, (void *)BEYOND_IPA));
	rc("get_features.straddle_ram_end",
	   HYPERVISOR_xen_version(XENVER_get_features, (void *)(uintptr_t)(ram_end() - 4)));
	rc("pagesize", HYPERVISOR_xen_version(XENVER_pagesize, NULL));
	rc("pagesize.non_null", HYPERVISOR_xen_version(XENVER_pagesize, &pp));
	memset(h, 0x55, sizeof(h));
	r = HYPERVISOR_xen_version(XENVER_guest_handle, h);
	answer("guest_handle", "rc=%ld %02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
	       r, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
	       h[13], h[14], h[15]);
	string_answer("commandline", XENVER_commandline, sizeof(xen_commandline_t));
	rc("build_id.null", HYPERVISOR_xen_version(XENVER_build_id, NULL));
	rc("build_id.len0", HYPERVISOR_xen_version(XENVER_build_id, bid));
	rc("extraversion.unmapped",
	   HYPERVISOR_xen_version(XENVER_extraversion, (void *)UNMAPPED_IPA));
	rc("xen_version.subop_11", HYPERVISOR_xen_version(11, NULL));
	rc("xen_version.subop_99", HYPERVISOR_xen_version(99, NULL));
	rc("xen_version.subop_minus1", HYPERVISOR_xen_version(-1, NULL));
}

static void dispatch_answers(void)
{
	rc("hypercall.63", xen_hypercall(63, 0, 0, 0, 0, 0));
	rc("hypercall.64", xen_hypercall(64, 0, 0, 0, 0, 0));
	rc("hypercall.huge", xen_hypercall(~0ULL, 0, 0, 0, 0, 0));
}

/* Which of x1-x30 a hypercall changes (a bit per register), on success, on an error and for
 * an unknown number. */
static void clobber_answer(const char *key, uint64_t nr, uint64_t a0, uint64_t a1)
{
	long r;
	uint32_t changed = xen_hypercall_changed(nr, a0, a1, &r);

	answer(key, "rc=%ld changed=0x%x", r, changed);
}

static void register_answers(void)
{
	clobber_answer("regs.xen_version", __HYPERVISOR_xen_version, XENVER_version, 0);
	clobber_answer("regs.get_features.unmapped", __HYPERVISOR_xen_version, XENVER_get_features,
		       UNMAPPED_IPA);
	clobber_answer("regs.hypercall.63", 63, 0, 0);
	clobber_answer("regs.sched_op.yield", __HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

static void console_answers(void)
{
	static char line[] = "compare: console_io line\n";
	uint64_t end = ram_end();

	rc("console_io.write", HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1, line));
	rc("console_io.write_zero", HYPERVISOR_console_io(CONSOLEIO_write, 0, line));
	rc("console_io.write_null", HYPERVISOR_console_io(CONSOLEIO_write, 8, NULL));
	rc("console_io.write_unmapped",
	   HYPERVISOR_console_io(CONSOLEIO_write, 8, (void *)UNMAPPED_IPA));
	/* the last 16 bytes of RAM, with a count that runs past its end */
	memset((void *)(uintptr_t)(end - 16), 'z', 15);
	*(char *)(uintptr_t)(end - 1) = '\n';
	rc("console_io.write_past_ram_end",
	   HYPERVISOR_console_io(CONSOLEIO_write, 0x10000, (void *)(uintptr_t)(end - 16)));
	rc("console_io.read_negative_count",
	   HYPERVISOR_console_io(CONSOLEIO_read, 0x80000000U, line));
	rc("console_io.read_zero", HYPERVISOR_console_io(CONSOLEIO_read, 0, line));
	rc("console_io.cmd_99", HYPERVISOR_console_io(99, 1, line));
}

static void sched_answers(void)
{
	rc("sched_op.yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
	rc("sched_op.cmd_99", HYPERVISOR_sched_op(99, NULL));
	rc("sched_op.shutdown_null", HYPERVISOR_sched_op(SCHEDOP_shutdown, NULL));
	rc("sched_op.shutdown_unmapped",
	   HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)UNMAPPED_IPA));
}

static void psci_answers(void)
{
	answer("psci.version.hvc", "0x%llx", (unsigned long long)psci_hvc(PSCI_VERSION, 0, 0, 0));
	answer("psci.version.smc", "0x%llx", (unsigned long long)psci_smc(PSCI_VERSION, 0, 0, 0));
	rc("psci.features.system_off", (int32_t)psci_hvc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
	rc("psci.features.cpu_on", (int32_t)psci_hvc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0));
	rc("psci.features.unknown", (int32_t)psci_hvc(PSCI_FEATURES, 0x8400004f, 0, 0));
	rc("psci.cpu_on.missing_vcpu", (int32_t)psci_hvc(PSCI_CPU_ON_64, 7, 0x40000000, 0));
	rc("psci.cpu_on.self", (int32_t)psci_hvc(PSCI_CPU_ON_64, 0, 0x40000000, 0));
	rc("psci.affinity_info.self", (int32_t)psci_hvc(PSCI_AFFINITY_INFO_64, 0, 0, 0));
	rc("psci.affinity_info.vcpu1", (int32_t)psci_hvc(PSCI_AFFINITY_INFO_64, 1, 0, 0));
	rc("psci.migrate_info_type", (int32_t)psci_hvc(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
	answer("smccc.version", "0x%llx", (unsigned long long)psci_hvc(SMCCC_VERSION, 0, 0, 0));
	rc("smccc.unknown_fid", (int64_t)psci_hvc(0xC2000042, 0, 0, 0));
}

static void undefined_hvc_answer(void)
{
	uint64_t esr = 0, elr = 0;

	expect_exception();
	hvc_other_imm();
	if (exception_seen(&esr, &elr))
		answer("hvc.imm_1", "undefined instruction (EC 0x%llx)",
		       (unsigned long long)(esr >> 26));
	else
		answer("hvc.imm_1", "returned");
	int64_t off = (int64_t)(elr - (uint64_t)(uintptr_t)hvc_other_imm);
	answer("hvc.imm_1.elr", "HVC%s%lld", off < 0 ? "-" : "+", (long long)(off < 0 ? -off : off));
}

static long gnttab_op(unsigned cmd, void *op)
{
	return HYPERVISOR_grant_table_op(cmd, op, 1);
}

/* One grant map by dom0 of its own or a missing domain's refs: only the status differs. */
static void map_answer(const char *key, domid_t dom, grant_ref_t ref, uint32_t flags)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = UNMAPPED_IPA, .flags = flags, .ref = ref, .dom = dom};
	long r = gnttab_op(GNTTABOP_map_grant_ref, &m);

	answer(key, "rc=%ld status=%d", r, m.status);
}

static uint8_t vcpu_info_page[4096] __attribute__((aligned(4096)));

/* Grant, event-channel, physmap and vcpu_op answers a lone dom0 can ask for. */
static void pv_answers(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
	struct gnttab_unmap_grant_ref u = {.host_addr = UNMAPPED_IPA, .handle = 9999};
	struct gnttab_cache_flush cf = {0};
	struct gnttab_copy c = {.source = {.u.gmfn = (uintptr_t)&q >> 12, .domid = DOMID_SELF},
				.dest = {.u.gmfn = (uintptr_t)&q >> 12, .domid = DOMID_SELF},
				.len = 4097};
	struct evtchn_send es = {0};
	struct evtchn_close ec = {0};
	struct evtchn_status est = {.dom = DOMID_SELF, .port = 0};
	struct evtchn_bind_interdomain eb = {.remote_dom = DOMID_SELF, .remote_port = 7};
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .idx = 1,
				       .gpfn = UNMAPPED_IPA >> 12};
	struct vcpu_register_vcpu_info vi = {.mfn = (uintptr_t)&q >> 12, .offset = 4090};
	long r;

	r = gnttab_op(GNTTABOP_query_size, &q);
	answer("gnttab.query_size", "rc=%ld status=%d nr_frames=%u", r, q.status, q.nr_frames);
	answer("gnttab.query_size.max", "%u", q.max_nr_frames);
	rc("gnttab.setup_table.count_2", HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2));
	map_answer("gnttab.map.flags_0", 0, 8, 0);
	map_answer("gnttab.map.device_map", 0, 8, GNTMAP_host_map | GNTMAP_device_map);
	map_answer("gnttab.map.no_such_domain", 99, 8, GNTMAP_host_map);
	map_answer("gnttab.map.domid_self", DOMID_SELF, 8, GNTMAP_host_map);
	map_answer("gnttab.map.ref_5000", 0, 5000, GNTMAP_host_map);
	map_answer("gnttab.map.ungranted_ref", 0, 8, GNTMAP_host_map);
	r = gnttab_op(GNTTABOP_unmap_grant_ref, &u);
	answer("gnttab.unmap.bad_handle", "rc=%ld status=%d", r, u.status);
	r = gnttab_op(GNTTABOP_copy, &c);
	answer("gnttab.copy.too_long", "rc=%ld status=%d", r, c.status);
	rc("gnttab.cache_flush.zero", gnttab_op(GNTTABOP_cache_flush, &cf));
	cf = (struct gnttab_cache_flush){.offset = 4096, .length = 1, .op = GNTTAB_CACHE_CLEAN};
	rc("gnttab.cache_flush.offset_4096", gnttab_op(GNTTABOP_cache_flush, &cf));
	rc("gnttab.op_99", HYPERVISOR_grant_table_op(99, &q, 1));
	rc("evtchn.send.port_0", HYPERVISOR_event_channel_op(EVTCHNOP_send, &es));
	es.port = 5000;
	rc("evtchn.send.port_5000", HYPERVISOR_event_channel_op(EVTCHNOP_send, &es));
	rc("evtchn.close.port_0", HYPERVISOR_event_channel_op(EVTCHNOP_close, &ec));
	r = HYPERVISOR_event_channel_op(EVTCHNOP_status, &est);
	answer("evtchn.status.port_0", "rc=%ld status=%u", r, est.status);
	rc("evtchn.bind_interdomain.unoffered",
	   HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &eb));
	rc("evtchn.op_99", HYPERVISOR_event_channel_op(99, &es));
	rc("physmap.shared_info.idx_1", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x));
	x.space = 99;
	rc("physmap.space_99", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x));
	rc("vcpu_op.register_vcpu_info.offset_4090",
	   HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi));
	rc("vcpu_op.register_vcpu_info.vcpu_99",
	   HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 99, &vi));
	rc("vcpu_op.cmd_99", HYPERVISOR_vcpu_op(99, 0, &vi));
	vi = (struct vcpu_register_vcpu_info){.mfn = (uintptr_t)&vcpu_info_page >> 12, .offset = 4};
	rc("vcpu_op.register_vcpu_info.offset_4",
	   HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi));
	vi.offset = 64;
	rc("vcpu_op.register_vcpu_info.ok", HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi));
	rc("vcpu_op.register_vcpu_info.twice",
	   HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi));
}

static struct vcpu_runstate_info runstate;

static long hvm_param(unsigned op, domid_t dom, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = dom, .index = index, .value = value ? *value : 0};
	long r = HYPERVISOR_hvm_op(op, &p);

	if (value)
		*value = p.value;
	return r;
}

/* What Linux 6.1 asks as dom0 at boot (runstate, vm_assist, hvm params, set_version, virqs,
 * bind_vcpu, platform_op), and the FIFO ABI's refusals: a failed init_control leaves the
 * domain on the 2-level ABI, so nothing after depends on which ABI is in force. */
static void linux_answers(void)
{
	struct vcpu_register_runstate_memory_area ra = {.addr = (uintptr_t)&runstate};
	struct gnttab_set_version sv = {.version = 1};
	struct gnttab_get_version gv = {.dom = DOMID_SELF};
	struct evtchn_bind_virq bv = {.virq = VIRQ_CONSOLE, .vcpu = 0};
	struct evtchn_bind_vcpu bvc = {.port = 4000, .vcpu = 0};
	struct evtchn_init_control ic = {.control_gfn = (uintptr_t)&vcpu_info_page >> 12,
					 .offset = 4};
	struct evtchn_expand_array ea = {.array_gfn = (uintptr_t)&vcpu_info_page >> 12};
	struct evtchn_set_priority sp = {.port = 1, .priority = 3};
	struct xen_platform_op po = {.cmd = XENPF_settime64, .interface_version = 0x03000000};
	uint64_t v = 0;
	long r;

	rc("vm_assist.runstate_update_flag",
	   HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag));
	rc("vm_assist.type_0", HYPERVISOR_vm_assist(VMASST_CMD_enable, 0));
	rc("vm_assist.cmd_9", HYPERVISOR_vm_assist(9, VMASST_TYPE_runstate_update_flag));
	r = HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra);
	answer("vcpu_op.runstate", "rc=%ld state=%d", r, runstate.state);
	r = HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 1, &ra);
	answer("vcpu_op.runstate.vcpu_1", "rc=%ld state=%d", r, runstate.state);
	ra.addr = UNMAPPED_IPA;
	rc("vcpu_op.runstate.unmapped", HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra));
	ra.addr = 0;
	rc("vcpu_op.runstate.null", HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra));
	r = hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_EVTCHN, &v);
	answer("hvm.get.store_evtchn", "rc=%ld value=%llu", r, (unsigned long long)v);
	r = hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v);
	answer("hvm.get.console_pfn", "rc=%ld value=%llu", r, (unsigned long long)v);
	r = hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v);
	answer("hvm.get.callback_irq", "rc=%ld type=%llu", r, (unsigned long long)(v >> 56));
	rc("hvm.get.index_5", hvm_param(HVMOP_get_param, DOMID_SELF, 5, &v));
	rc("hvm.get.index_39", hvm_param(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &v));
	rc("hvm.get.domain_99", hvm_param(HVMOP_get_param, 99, HVM_PARAM_STORE_PFN, &v));
	rc("hvm.set.store_pfn.self", hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &v));
	rc("hvm.op_7", HYPERVISOR_hvm_op(7, &v));
	r = HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1);
	answer("gnttab.set_version.1", "rc=%ld version=%u", r, sv.version);
	sv.version = 2;
	r = HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1);
	answer("gnttab.set_version.2", "rc=%ld version=%u", r, sv.version);
	sv.version = 3;
	r = HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1);
	answer("gnttab.set_version.3", "rc=%ld version=%u", r, sv.version);
	r = HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1);
	answer("gnttab.get_version", "rc=%ld version=%u", r, gv.version);
	r = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv);
	answer("evtchn.bind_virq.console", "rc=%ld port_nonzero=%d", r, bv.port != 0);
	rc("evtchn.bind_virq.console_twice", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	bv.vcpu = 1;
	rc("evtchn.bind_virq.console_vcpu_1", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	bv = (struct evtchn_bind_virq){.virq = 24, .vcpu = 0};
	rc("evtchn.bind_virq.virq_24", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	bv = (struct evtchn_bind_virq){.virq = VIRQ_DEBUG, .vcpu = 9};
	rc("evtchn.bind_virq.debug_vcpu_9", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	rc("evtchn.bind_vcpu.port_4000", HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bvc));
	bvc.vcpu = 9;
	rc("evtchn.bind_vcpu.vcpu_9", HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bvc));
	rc("evtchn.expand_array.before_init",
	   HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea));
	rc("evtchn.set_priority.2level", HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &sp));
	rc("evtchn.init_control.offset_4", HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic));
	ic.offset = 4096 - 64;
	rc("evtchn.init_control.offset_4032",
	   HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic));
	ic = (struct evtchn_init_control){.control_gfn = UNMAPPED_IPA >> 12, .vcpu = 0};
	rc("evtchn.init_control.unmapped", HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic));
	ic.vcpu = 9;
	rc("evtchn.init_control.vcpu_9", HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic));
	rc("platform_op.version_0x03000000", HYPERVISOR_platform_op(&po));
	po.interface_version = XENPF_INTERFACE_VERSION;
	po.u.settime64.mbz = 1;
	rc("platform_op.settime64.mbz", HYPERVISOR_platform_op(&po));
	po.cmd = 1;
	rc("platform_op.cmd_1", HYPERVISOR_platform_op(&po));
	rc("platform_op.unmapped", HYPERVISOR_platform_op((void *)UNMAPPED_IPA));
}

static void dt_answers(void)
{
	int hv = fdt_node(guest_fdt, "/hypervisor"), len = 0;
	const char *compat = fdt_prop(guest_fdt, hv, "compatible", &len);
	const void *irq = fdt_prop(guest_fdt, hv, "interrupts", &len);
	const char *method = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/psci"), "method", NULL);

	answer("dt.hypervisor.compatible", "%s", compat ? compat : "(none)");
	answer("dt.hypervisor.interrupts.cells", "%d", irq ? len / 4 : -1);
	answer("dt.psci.method", "%s", method ? method : "(none)");
}

static void cost(void)
{
	uint64_t n = bootarg_u64("calls", 10000), t0, t1, freq = read_cntfrq();

	t0 = read_cntvct();
	for (uint64_t i = 0; i < n; i++)
		HYPERVISOR_xen_version(XENVER_version, NULL);
	t1 = read_cntvct();
	printf("COST boot_to_guest_ns: %llu\n",
	       (unsigned long long)(guest_entry_counter * 1000000000ULL / freq));
	printf("COST null_hypercall_ns: %llu\n",
	       (unsigned long long)((t1 - t0) * 1000000000ULL / freq / n));
}

/* The first extended region of /hypervisor (reg entry 1): free guest-physical space for
 * foreign mappings, under both hypervisors. */
static uint64_t extended_region(void)
{
	int len;
	const uint8_t *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/hypervisor"), "reg", &len);

	return reg && len >= 32 ? fdt_be(reg + 16, 8) : 0;
}

/* The granter boots beside us: retry for up to 10 s until its grant is there. */
static bool wait_for_grant(domid_t peer, uint64_t host)
{
	uint64_t end = read_cntvct() + 10 * read_cntfrq(), bus;
	grant_handle_t h;

	while (read_cntvct() < end)
		if (gnttab_map(peer, GRANTPEER_REF, host, false, &h, &bus) == GNTST_okay)
			return gnttab_unmap(host, h) == GNTST_okay;
	return false;
}

/* One real DMA, when the DT describes edu (mapvisor does; Xen 4.17 passes dom0 only the
 * host bridge): the device writes a page into the granted frame, read back through the
 * mapping. Returns the bytes that came out wrong, or -1 if it could not run. */
static int grant_dma_check(struct dma_dev *dev, domid_t peer, uint64_t host)
{
	static uint8_t src[4096] __attribute__((aligned(4096)));
	const volatile uint8_t *dst = (const volatile uint8_t *)(uintptr_t)host;
	uint64_t bus, sbus, dbus;
	grant_handle_t h;
	struct edu e;
	int bad = 0;

	if (edu_find(&e) || gnttab_map(peer, GRANTPEER_REF, host, false, &h, &bus))
		return -1;
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = pv_pattern(GRANTPEER_SEED + 1, i);
	dma_register_foreign(host, bus);
	sbus = dma_map(dev, src, sizeof(src), true);
	dbus = dma_map(dev, (void *)(uintptr_t)host, 4096, false);
	if (edu_dma(&e, sbus, EDU_BUFFER, 4096, false) || edu_dma(&e, EDU_BUFFER, dbus, 4096, true))
		bad = -1;
	dma_unmap(dev, sbus, src, sizeof(src), false);
	dma_unmap(dev, dbus, (void *)(uintptr_t)host, 4096, true);
	for (unsigned i = 0; bad >= 0 && i < 4096; i++)
		bad += dst[i] != pv_pattern(GRANTPEER_SEED + 1, i);
	dma_forget_foreign(host);
	if (gnttab_unmap(host, h))
		bad = -1;
	return bad;
}

/* mode=grant: what a backend's CPU spends per foreign page (the device's own time is not
 * counted): grant map + unmap alone, and map, dma_map, dma_unmap, unmap around a 4 KiB
 * DMA, each averaged over calls= rounds. Under -icount shift=0 a nanosecond is an
 * instruction. */
static void grant_cost(void)
{
	uint64_t n = bootarg_u64("calls", 20), freq = read_cntfrq(), t_map = 0, t_dma = 0;
	uint64_t host = extended_region(), bus, b;
	domid_t peer = (domid_t)bootarg_u64("peer", 1);
	struct dma_dev dev;
	grant_handle_t h;
	int bad;

	dma_dev_init(&dev, fdt_find_compatible(guest_fdt, "pci1234,11e8"), 0xffffffffffULL);
	if (!host || !wait_for_grant(peer, host)) {
		printf("GRANT failed: %s\n",
		       host ? "d1 never granted its page" : "no extended region");
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0 = read_cntvct();

		if (gnttab_map(peer, GRANTPEER_REF, host, false, &h, &bus) ||
		    gnttab_unmap(host, h)) {
			printf("GRANT failed: map/unmap %llu\n", (unsigned long long)i);
			return;
		}
		t_map += read_cntvct() - t0;
		t0 = read_cntvct();
		gnttab_map(peer, GRANTPEER_REF, host, false, &h, &bus);
		dma_register_foreign(host, bus);
		b = dma_map(&dev, (void *)(uintptr_t)host, 4096, false);
		dma_unmap(&dev, b, (void *)(uintptr_t)host, 4096, true);
		dma_forget_foreign(host);
		gnttab_unmap(host, h);
		t_dma += read_cntvct() - t0;
	}
	bad = grant_dma_check(&dev, peer, host);
	printf("GRANT path: %s (%s)\n", dma_path_name(dev.path), dev.why);
	if (bad < 0)
		printf("GRANT dma: not run (no edu described to this domain)\n");
	else
		printf("GRANT dma: %d of 4096 bytes wrong in the granted page\n", bad);
	printf("COST grant_map_unmap_ns: %llu\n",
	       (unsigned long long)(t_map * 1000000000ULL / freq / n));
	printf("COST grant_dma_cpu_ns: %llu\n",
	       (unsigned long long)(t_dma * 1000000000ULL / freq / n));
}

void guest_main(void)
{
	if (bootarg_is("mode", "shutdown")) {
		struct sched_shutdown s = {.reason = (uint32_t)bootarg_u64("reason", 0)};
		long r;

		printf("ANSWER shutdown.reason_%u: calling\n", s.reason);
		r = HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
		answer("shutdown.returned", "%ld", r);
		guest_shutdown(SHUTDOWN_poweroff);
	}
	if (bootarg_is("mode", "cost")) {
		cost();
		guest_shutdown(SHUTDOWN_poweroff);
	}
	if (bootarg_is("mode", "grant")) {
		grant_cost();
		guest_shutdown(SHUTDOWN_poweroff);
	}
	xen_version_answers();
	dispatch_answers();
	register_answers();
	console_answers();
	sched_answers();
	psci_answers();
	undefined_hvc_answer();
	pv_answers();
	linux_answers();
	dt_answers();
	printf("ANSWER done: yes\n");
	guest_shutdown(SHUTDOWN_poweroff);
}
