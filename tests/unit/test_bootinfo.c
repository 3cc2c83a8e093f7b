/* Boot configuration from the host DT: a good tree, Xen's module rules, address
 * translation, malformed trees (each a clear error naming the node), random corruption
 * (never a crash), and the guest DT built from it. */
#include "unit.h"
#include "assign.h"
#include "bootinfo.h"
#include "cmdline.h"
#include "domain_cfg.h"
#include "dt.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

enum {
	NO_MEMORY = 1, BAD_MEMORY_REG = 2, NO_GIC = 4, BAD_STDOUT = 8, PLAIN_MODULES = 16,
	ABSURD_CELLS = 32, DOMU_NODE = 64, NO_CPUS = 128,
};

static char tree[16384];

#define OK(x) assert_int_equal((x), 0)

static void *make_tree(unsigned flags)
{
	void *t = tree;

	ut_fdt_begin(t, sizeof(tree), flags & ABSURD_CELLS ? 5 : 2);
	OK(fdt_property_string(t, "model", "unit-test board"));
	OK(fdt_begin_node(t, "chosen"));
	OK(fdt_property_u32(t, "#address-cells", 2));
	OK(fdt_property_u32(t, "#size-cells", 2));
	OK(fdt_property_string(t, "xen,xen-bootargs", "dom0_mem=64M"));
	OK(fdt_property_string(t, "stdout-path", flags & BAD_STDOUT ? "/nope" : "/pl011@9000000"));
	OK(fdt_begin_node(t, "module@44000000"));
	if (flags & PLAIN_MODULES)
		OK(fdt_property_string(t, "compatible", "multiboot,module"));
	else
		OK(fdt_property(t, "compatible", "multiboot,kernel\0multiboot,module", 34));
	ut_cells(t, "reg", (uint32_t[]){0, 0x44000000, 0, 0x3000}, 4);
	OK(fdt_property_string(t, "bootargs", "console=hvc0"));
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "module@45000000"));
	if (flags & PLAIN_MODULES)
		OK(fdt_property_string(t, "compatible", "multiboot,module"));
	else
		OK(fdt_property(t, "compatible", "multiboot,ramdisk\0multiboot,module", 35));
	ut_cells(t, "reg", (uint32_t[]){0, 0x45000000, 0, 0x1000}, 4);
	OK(fdt_end_node(t));
	if (flags & DOMU_NODE) {
		OK(fdt_begin_node(t, "domU1"));
		OK(fdt_property_string(t, "compatible", "xen,domain"));
		OK(fdt_end_node(t));
	}
	OK(fdt_end_node(t));
	if (!(flags & NO_MEMORY)) {
		OK(fdt_begin_node(t, "memory@40000000"));
		OK(fdt_property_string(t, "device_type", "memory"));
		ut_cells(t, "reg", (uint32_t[]){0, 0x40000000, 0, 0x4000000},
			   flags & BAD_MEMORY_REG ? 3 : 4);
		OK(fdt_end_node(t));
	}
	ut_fdt_cpus(t, flags & NO_CPUS ? 0 : 2, "arm,cortex-a57");
	ut_fdt_psci(t);
	if (!(flags & NO_GIC)) {
		ut_fdt_gic_begin(t);
		OK(fdt_end_node(t));
	}
	OK(fdt_begin_node(t, "pl011@9000000"));
	OK(fdt_property(t, "compatible", "arm,pl011\0arm,primecell", 24));
	ut_cells(t, "reg", (uint32_t[]){0, 0x9000000, 0, 0x1000}, 4);
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "rtc@9010000"));
	OK(fdt_property_string(t, "compatible", "arm,pl031"));
	ut_cells(t, "reg", (uint32_t[]){0, 0x9010000, 0, 0x1000}, 4);
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "smmuv3@9050000"));
	OK(fdt_property_string(t, "compatible", "arm,smmu-v3"));
	ut_cells(t, "reg", (uint32_t[]){0, 0x9050000, 0, 0x20000}, 4);
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "soc"));
	OK(fdt_property_string(t, "compatible", "simple-bus"));
	OK(fdt_property_u32(t, "#address-cells", 1));
	OK(fdt_property_u32(t, "#size-cells", 1));
	ut_cells(t, "ranges", (uint32_t[]){0x0, 0x0, 0x10000000, 0x1000000}, 4);
	OK(fdt_begin_node(t, "dev@1000"));
	ut_cells(t, "reg", (uint32_t[]){0x1000, 0x100}, 2);
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	return t;
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void good_tree(void **state)
{
	struct bootinfo bi;
	void *t = make_tree(0);
	paddr_t a;
	uint64_t s;

	(void)state;
	OK(bootinfo_parse(t, "", &bi));
	assert_int_equal(bi.nr_ram, 1);
	assert_int_equal(bi.ram[0].start, 0x40000000);
	assert_int_equal(bi.ram[0].size, 0x4000000);
	assert_int_equal(bi.nr_cpus, 2);
	assert_int_equal(bi.cpu_mpidr[1], 1);
	assert_true(bi.psci_smc);
	assert_int_equal(bi.gicd.base, 0x8000000);
	assert_int_equal(bi.gicr.base, 0x80a0000);
	assert_int_equal(bi.uart.base, 0x9000000);
	assert_string_equal(bi.uart.path, "/pl011@9000000");
	assert_int_equal(bi.nr_smmu, 1);
	assert_int_equal(bi.nr_modules, 2);
	assert_int_equal(bi.dom0_kernel, 0);
	assert_int_equal(bi.modules[0].kind, MODULE_KERNEL);
	assert_int_equal(bi.modules[1].kind, MODULE_RAMDISK);
	assert_string_equal(bi.modules[0].bootargs, "console=hvc0");
	assert_string_equal(bi.modules[0].path, "/chosen/module@44000000");
	assert_string_equal(bi.xen_bootargs, "dom0_mem=64M");
	assert_string_equal(bootinfo_xen_bootargs(t), "dom0_mem=64M");
	/* a device behind a simple-bus with ranges: translated to the CPU's address */
	OK(dt_reg(t, fdt_path_offset(t, "/soc/dev@1000"), 0, &a, &s));
	assert_int_equal(a, 0x10001000);
	assert_int_equal(s, 0x100);
	assert_int_equal(dt_reg(t, fdt_path_offset(t, "/soc/dev@1000"), 1, &a, &s), -XEN_ENOENT);
	/* dtuart= overrides stdout-path; a non-PL011 is refused by name */
	OK(bootinfo_parse(t, "/pl011@9000000:115200n8", &bi));
	assert_int_equal(bootinfo_parse(t, "/rtc@9010000", &bi), -XEN_EINVAL);
	assert_true(fake_log_contains("console '/rtc@9010000' (dtuart=) is not a PL011"));
}

static void xen_module_rules(void **state)
{
	struct bootinfo bi;

	(void)state;
	OK(bootinfo_parse(make_tree(PLAIN_MODULES | DOMU_NODE), "", &bi));
	assert_int_equal(bi.modules[0].kind, MODULE_KERNEL); /* first plain module */
	assert_int_equal(bi.modules[1].kind, MODULE_RAMDISK); /* second plain module */
	assert_int_equal(bi.dom0_kernel, 0);
	assert_int_equal(bi.nr_domu_nodes, 1);
}

static void malformed_trees(void **state)
{
	static const struct {
		unsigned flags;
		const char *message;
	} cases[] = {
		{NO_MEMORY, "no memory node"},
		{BAD_MEMORY_REG, "/memory@40000000: malformed reg"},
		{NO_GIC, "no GICv3"},
		{BAD_STDOUT, "console '/nope' (/chosen/stdout-path) is not a PL011"},
		{ABSURD_CELLS, "malformed"},
		{NO_CPUS, "no cpu node under /cpus"},
	};
	struct bootinfo bi;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_reset();
		if (bootinfo_parse(make_tree(cases[i].flags), "", &bi) != -XEN_EINVAL)
			fail_msg("case %u accepted", i);
		if (!fake_log_contains(cases[i].message))
			fail_msg("case %u: no '%s' in log:\n%s", i, cases[i].message, fake_log());
	}
}

static void bad_blobs(void **state)
{
	struct bootinfo bi;
	char *t = make_tree(0);

	(void)state;
	t[0] = 0x12; /* magic */
	assert_int_equal(bootinfo_parse(t, "", &bi), -XEN_EINVAL);
	assert_true(fake_log_contains("bad header"));
	t = make_tree(0);
	fdt_set_totalsize(t, 3U << 20); /* claims more than a DTB may be */
	assert_int_equal(bootinfo_parse(t, "", &bi), -XEN_EINVAL);
	/* format version 15: libfdt 1.6.1's fdt_check_full dereferences NULL on some such blobs
	 * (found by fuzzing dmacheck); they are refused before it runs */
	t = make_tree(0);
	fdt_set_version(t, 15);
	fdt_set_last_comp_version(t, 0);
	assert_int_equal(bootinfo_parse(t, "", &bi), -XEN_EINVAL);
	assert_true(fake_log_contains("FDT_ERR_BADVERSION"));
	t = make_tree(0);
	memset(t + fdt_off_dt_struct(t) + 8, 0xff, 16); /* garbage tokens */
	assert_int_equal(bootinfo_parse(t, "", &bi), -XEN_EINVAL);
	assert_true(fake_log_contains("malformed"));
}

/* Random corruption: parse must always return (ok or -EINVAL), never read out of bounds
 * (AddressSanitizer watches). */
static void corruption_never_crashes(void **state)
{
	/* a corrupted totalsize may claim up to BOOTINFO_MAX_DTB: the hypervisor maps that much */
	static char copy[BOOTINFO_MAX_DTB];
	struct bootinfo bi;
	int ok = 0, refused = 0;

	(void)state;
	srand(99);
	make_tree(0);
	for (int i = 0; i < 3000; i++) {
		int rc;

		memcpy(copy, tree, sizeof(tree));
		for (int k = 0; k < 1 + rand() % 4; k++)
			copy[rand() % (int)fdt_totalsize(tree)] ^= (char)(1 << (rand() % 8));
		rc = bootinfo_parse(copy, "", &bi);
		assert_true(rc == 0 || rc == -XEN_EINVAL);
		rc == 0 ? ok++ : refused++;
	}
	assert_true(refused > 0);
}

static void guest_dt_for_dom0(void **state)
{
	static char out[65536];
	struct domain_cfg cfg = {.id = 0, .name = "dom0", .hardware = true,
				 .mode = MEM_DIRECT_MAPPED};
	struct hv_options o;
	struct bootinfo bi;
	struct domain *d;
	const fdt32_t *irq;
	const fdt64_t *reg;
	int len, node;

	(void)state;
	OK(bootinfo_parse(make_tree(0), "", &bi));
	cmdline_defaults(&o);
	assign_configure(&o);
	OK(assign_claim(&bi, &cfg, 1)); /* dom0's devices are the device table's */
	d = fake_domain(0, true, 0, 256, true);
	OK(domain_dt_build(&bi, d, "console=hvc0", out, sizeof(out)));
	OK(fdt_check_full(out, fdt_totalsize(out)));
	node = fdt_path_offset(out, "/hypervisor");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(out, node, "xen,xen-4.17"), 0);
	assert_int_equal(fdt_node_check_compatible(out, node, "xen,xen"), 0);
	irq = fdt_getprop(out, node, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_to_cpu(irq[1]), 15); /* PPI 31, as Xen gives domUs */
	reg = fdt_getprop(out, fdt_path_offset(out, "/memory@40000000") >= 0
			  ? fdt_path_offset(out, "/memory@40000000")
			  : fdt_node_offset_by_prop_value(out, -1, "device_type", "memory", 7),
			  "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_to_cpu(reg[0]), d->ram[0].gpa);
	assert_int_equal(fdt64_to_cpu(reg[1]), 256 * PAGE_SIZE);
	assert_string_equal(fdt_getprop(out, fdt_path_offset(out, "/psci"), "method", NULL), "hvc");
	assert_string_equal(fdt_getprop(out, fdt_path_offset(out, "/chosen"), "bootargs", NULL),
			    "console=hvc0");
	assert_true(fdt_path_offset(out, "/cpus/cpu@1") >= 0);
	assert_true(fdt_path_offset(out, "/cpus/cpu@2") < 0);
	/* dom0 gets the RTC; the hypervisor keeps its UART and the SMMU */
	assert_true(fdt_path_offset(out, "/rtc@9010000") >= 0);
	assert_true(fdt_path_offset(out, "/pl011@9000000") < 0);
	assert_true(fdt_path_offset(out, "/smmuv3@9050000") < 0);
	/* its GIC: the host's distributor, and the redistributors of its 2 vCPUs only, not the
	 * host's 123 frames (0xf60000): a frame past them is nobody's */
	node = fdt_path_offset(out, "/intc@8000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(out, node, "arm,gic-v3"), 0);
	reg = fdt_getprop(out, node, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(fdt64_ld(&reg[0]), 0x8000000);
	assert_int_equal(fdt64_ld(&reg[1]), 0x10000);
	assert_int_equal(fdt64_ld(&reg[2]), 0x80a0000);
	assert_int_equal(fdt64_ld(&reg[3]), d->nr_vcpus * VGIC_GICR_STRIDE);
	assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(
				 out, node, "#redistributor-regions", NULL)),
			 1);
	/* too small a buffer is an error, not an overflow */
	assert_true(domain_dt_build(&bi, d, NULL, out, 256) < 0);
}

/* A domU without xen,enhanced is not told it runs on Xen (Xen 4.17): no /hypervisor node,
 * the rest of its tree as usual; with "no-xenstore" it gets the node. */
static void guest_dt_hypervisor_node_for_domu(void **state)
{
	static char out[65536];
	struct bootinfo bi;
	struct domain *d;

	(void)state;
	OK(bootinfo_parse(make_tree(0), "", &bi));
	d = fake_domain(1, false, 0x40000000, 256, false);
	d->xen_node = false;
	OK(domain_dt_build(&bi, d, "console=ttyAMA0", out, sizeof(out)));
	OK(fdt_check_full(out, fdt_totalsize(out)));
	assert_true(fdt_path_offset(out, "/hypervisor") < 0);
	assert_true(fdt_path_offset(out, "/psci") >= 0);
	assert_true(fdt_path_offset(out, "/cpus/cpu@0") >= 0);
	d->xen_node = true;
	OK(domain_dt_build(&bi, d, "console=ttyAMA0", out, sizeof(out)));
	assert_int_equal(
		fdt_node_check_compatible(out, fdt_path_offset(out, "/hypervisor"), "xen,xen-4.17"),
		0);
}

int run_bootinfo_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(good_tree, setup),
		cmocka_unit_test_setup(xen_module_rules, setup),
		cmocka_unit_test_setup(malformed_trees, setup),
		cmocka_unit_test_setup(bad_blobs, setup),
		cmocka_unit_test_setup(corruption_never_crashes, setup),
		cmocka_unit_test_setup(guest_dt_hypervisor_node_for_domu, setup),
		cmocka_unit_test_setup(guest_dt_for_dom0, setup),
	};
	return cmocka_run_group_tests_name("bootinfo_dt", tests, NULL, NULL);
}
