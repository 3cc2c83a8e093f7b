/* Domain configuration from Xen's dom0less bindings: the modes each combination gives, CPU
 * assignment, and every refusal with the node named. */
#include "unit.h"
#include "domain_cfg.h"
#include <libfdt.h>

struct domu_spec {
	uint32_t mem_kib, cpus;
	bool direct;
	uint32_t static_start, static_size; /* 0: no xen,static-mem */
	const char *colours;
	bool no_kernel;
	const char *prop, *val; /* one more property, raw bytes (a device list) */
	int val_len;
};

static char tree[16384];
static struct bootinfo bi;
static struct hv_options opts;

#define OK(x) assert_int_equal((x), 0)

static void module(void *t, uint32_t addr)
{
	char name[32];

	snprintf(name, sizeof(name), "module@%x", addr);
	OK(fdt_begin_node(t, name));
	OK(fdt_property(t, "compatible", "multiboot,kernel\0multiboot,module", 34));
	ut_cells(t, "reg", (uint32_t[]){0, addr, 0, 0x1000}, 4);
	OK(fdt_end_node(t));
}

static int parse(const struct domu_spec *specs, unsigned n, struct domain_cfg *cfgs,
		 unsigned *nr)
{
	void *t = tree;

	ut_fdt_begin(t, sizeof(tree), 2);
	OK(fdt_begin_node(t, "chosen"));
	OK(fdt_property_u32(t, "#address-cells", 2));
	OK(fdt_property_u32(t, "#size-cells", 2));
	module(t, 0x44000000);
	for (unsigned i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "domU%u", i + 1);
		OK(fdt_begin_node(t, name));
		OK(fdt_property_string(t, "compatible", "xen,domain"));
		OK(fdt_property_u32(t, "#address-cells", 1));
		OK(fdt_property_u32(t, "#size-cells", 1));
		if (specs[i].mem_kib)
			ut_cells(t, "memory", (uint32_t[]){0, specs[i].mem_kib}, 2);
		if (specs[i].cpus)
			OK(fdt_property_u32(t, "cpus", specs[i].cpus));
		if (specs[i].direct)
			OK(fdt_property(t, "direct-map", NULL, 0));
		if (specs[i].static_size)
			ut_cells(t, "xen,static-mem",
			      (uint32_t[]){specs[i].static_start, specs[i].static_size}, 2);
		if (specs[i].colours)
			OK(fdt_property_string(t, "llc-colors", specs[i].colours));
		if (specs[i].prop)
			OK(fdt_property(t, specs[i].prop, specs[i].val, specs[i].val_len));
		if (!specs[i].no_kernel)
			module(t, 0x45000000 + i * 0x100000);
		OK(fdt_end_node(t));
	}
	OK(fdt_end_node(t));
	ut_fdt_memory_begin(t, 0x40000000, 0x40000000);
	OK(fdt_end_node(t));
	ut_fdt_cpus(t, 4, NULL);
	ut_fdt_gic_begin(t);
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	OK(bootinfo_parse(t, "", &bi));
	return domain_cfgs_parse(&bi, &opts, cfgs, nr);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	cmdline_defaults(&opts);
	colours.enabled = false;
	return 0;
}

static void modes_without_colouring(void **state)
{
	const struct domu_spec s[] = {
		{.mem_kib = 65536, .cpus = 1, .direct = true, .static_start = 0x60000000,
		 .static_size = 0x4000000},
		{.mem_kib = 32768, .cpus = 2},
	};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	OK(parse(s, 2, c, &n));
	assert_int_equal(n, 3);
	assert_true(c[0].hardware);
	assert_int_equal(c[0].mode, MEM_DIRECT_MAPPED);
	assert_int_equal(c[0].mem_bytes, 128ULL << 20); /* dom0_mem default */
	assert_int_equal(c[1].mode, MEM_DIRECT_MAPPED);
	assert_int_equal(c[1].static_mem[0].start, 0x60000000);
	assert_int_equal(c[1].id, 1);
	assert_int_equal(c[2].mode, MEM_TRANSLATED);
	assert_int_equal(c[2].mem_bytes, 32ULL << 20);
	assert_string_equal(c[2].name, "/chosen/domU2");
	/* CPUs in order: dom0 0, domU1 1, domU2 2-3 */
	assert_int_equal(c[1].first_pcpu, 1);
	assert_int_equal(c[2].first_pcpu, 2);
	assert_int_equal(c[2].nr_vcpus, 2);
}

/* Xen's defaults for dom0: every CPU the domUs leave, dom0_mem within its min: and max:. */
static void dom0_defaults(void **state)
{
	const struct domu_spec s[] = {{.mem_kib = 32768, .cpus = 1}};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	OK(parse(s, 0, c, &n));
	assert_int_equal(c[0].nr_vcpus, 4);
	OK(parse(s, 1, c, &n));
	assert_int_equal(c[0].nr_vcpus, 3);
	assert_int_equal(c[1].first_pcpu, 3);
	opts.dom0_max_vcpus = 2;
	OK(parse(s, 1, c, &n));
	assert_int_equal(c[0].nr_vcpus, 2);
	assert_int_equal(c[1].first_pcpu, 2);
	opts.dom0_mem_max = 64ULL << 20; /* max: alone caps the default */
	OK(parse(s, 1, c, &n));
	assert_int_equal(c[0].mem_bytes, 64ULL << 20);
	opts.dom0_mem_bytes = 1ULL << 30; /* the amount, capped by max: */
	OK(parse(s, 1, c, &n));
	assert_int_equal(c[0].mem_bytes, 64ULL << 20);
	opts.dom0_mem_max = 0;
	opts.dom0_mem_bytes = 16ULL << 20;
	opts.dom0_mem_min = 96ULL << 20; /* raised to min: */
	OK(parse(s, 1, c, &n));
	assert_int_equal(c[0].mem_bytes, 96ULL << 20);
}

static void modes_with_colouring(void **state)
{
	const struct domu_spec s[] = {
		{.mem_kib = 8192, .colours = "4-7"},
		{.mem_kib = 8192},
		{.mem_kib = 8192, .direct = true, .static_start = 0x60000000, .static_size = 0x800000},
	};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	OK(colour_setup(&colours, 2 << 20, 16));
	memcpy(opts.dom0_colours, "0-3", 4);
	OK(parse(s, 3, c, &n));
	assert_int_equal(c[0].mode, MEM_COLOURED); /* dom0-llc-colors */
	assert_int_equal(c[0].colours.count, 4);
	assert_int_equal(c[1].mode, MEM_COLOURED);
	assert_int_equal(c[1].colours.count, 4);
	assert_int_equal(c[2].mode, MEM_COLOURED); /* no llc-colors: all colours, as Xen */
	assert_int_equal(c[2].colours.count, 32);
	assert_int_equal(c[3].mode, MEM_DIRECT_MAPPED);
}

static void refusals(void **state)
{
	static const struct {
		struct domu_spec spec;
		bool colouring;
		const char *message;
	} cases[] = {
		{{.mem_kib = 0}, false, "/chosen/domU1: missing memory property"},
		{{.mem_kib = 1027}, false, "/chosen/domU1: bad memory property"},
		{{.mem_kib = 8192, .direct = true}, false, "direct-map needs xen,static-mem"},
		{{.mem_kib = 8192,
		  .direct = true,
		  .static_start = 0x60000000,
		  .static_size = 0x800000,
		  .colours = "1"},
		 true,
		 "direct-map and llc-colors together"},
		{{.mem_kib = 8192, .static_start = 0x60000000, .static_size = 0x400000},
		 false,
		 "memory = 8192 KiB but xen,static-mem adds up to 4096 KiB"},
		{{.mem_kib = 8192, .static_start = 0x60000800, .static_size = 0x800000},
		 false,
		 "is not page-aligned"},
		{{.mem_kib = 8192, .colours = "1-2"}, false, "llc-colors needs cache colouring"},
		{{.mem_kib = 8192, .colours = "40"}, true, "colour 40 out of range"},
		{{.mem_kib = 8192, .cpus = 4},
		 false,
		 "4 vCPU(s) but only 3 physical CPU(s) are free"},
		{{.mem_kib = 8192, .cpus = 99}, false, "bad cpus property"},
		{{.mem_kib = 8192, .no_kernel = true}, false, "/chosen/domU1: no kernel"},
		{{.mem_kib = 8192,
		  .prop = "mapvisor,pci-devices",
		  .val = "00:01.0\0"
			 "1:2.3",
		  .val_len = 14},
		 false,
		 "mapvisor,pci-devices entry '1:2.3': expected"},
		/* no final NUL: parsing must not run past the property */
		{{.mem_kib = 8192, .prop = "mapvisor,pci-devices", .val = "00:01.0", .val_len = 7},
		 false,
		 "mapvisor,pci-devices entry '00:01.0': expected"},
		{{.mem_kib = 8192,
		  .prop = "mapvisor,platform-devices",
		  .val = "nope",
		  .val_len = 5},
		 false,
		 "mapvisor,platform-devices entry 'nope': no such node"},
		/* a node that exists, but the property has no final NUL */
		{{.mem_kib = 8192,
		  .prop = "mapvisor,platform-devices",
		  .val = "/cpus",
		  .val_len = 5},
		 false,
		 "mapvisor,platform-devices entry '/cpus': no such node"},
	};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_reset();
		colours.enabled = false;
		if (cases[i].colouring)
			OK(colour_setup(&colours, 2 << 20, 16));
		if (parse(&cases[i].spec, 1, c, &n) != -XEN_EINVAL)
			fail_msg("case %u accepted", i);
		if (!fake_log_contains(cases[i].message))
			fail_msg("case %u: no '%s' in:\n%s", i, cases[i].message, fake_log());
	}
	colours.enabled = false;
}

static void device_lists(void **state)
{
	static const char pci[] = "00:01.0\0"
				  "01:1f.7";
	static const char platform[] = "/memory@40000000\0"
				       "/intc@8000000";
	struct domu_spec spec = {.mem_kib = 8192,
				 .prop = "mapvisor,pci-devices",
				 .val = pci,
				 .val_len = sizeof(pci)};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	OK(parse(&spec, 1, c, &n));
	assert_int_equal(c[1].nr_pci, 2);
	assert_int_equal(c[1].pci_bdfs[0], 0x08);
	assert_int_equal(c[1].pci_bdfs[1], 0x1ff);
	spec = (struct domu_spec){.mem_kib = 8192,
				  .prop = "mapvisor,platform-devices",
				  .val = platform,
				  .val_len = sizeof(platform)};
	OK(parse(&spec, 1, c, &n));
	assert_int_equal(c[1].nr_platform, 2);
	assert_int_equal(c[1].platform_nodes[0], fdt_path_offset(tree, "/memory@40000000"));
	assert_int_equal(c[1].platform_nodes[1], fdt_path_offset(tree, "/intc@8000000"));
}

/* xen,enhanced as Xen 4.17 means it: absent, no /hypervisor node; "no-xenstore", one;
 * "enabled" or no value ask for xenstore (refused: no toolstack); anything else, or not one
 * string, is refused. dom0 is always told. */
static void xen_enhanced_values(void **state)
{
	static const struct {
		const char *val;
		int len;
		int rc;
		bool xen_node;
		const char *message;
	} cases[] = {
		{NULL, 0, 0, false, NULL},
		{"no-xenstore", 12, 0, true, NULL},
		{"enabled", 8, -XEN_EINVAL, false, "xen,enhanced = \"enabled\" asks for xenstore"},
		{"", 0, -XEN_EINVAL, false, "xen,enhanced = \"\" asks for xenstore"},
		{"", 1, -XEN_EINVAL, false, "xen,enhanced = \"\" is not a value Xen 4.17 knows"},
		{"legacy", 7, -XEN_EINVAL, false, "\"legacy\" is not a value Xen 4.17 knows"},
		{"no-xenstor", 11, -XEN_EINVAL, false, "\"no-xenstor\" is not a value Xen 4.17"},
		{"no-xenstore\0x", 14, -XEN_EINVAL, false, "xen,enhanced is not one string"},
		{"no-xenstore", 11, -XEN_EINVAL, false, "xen,enhanced is not one string"},
	};
	struct domain_cfg c[MAX_DOMAINS];
	unsigned n;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct domu_spec spec = {.mem_kib = 8192,
					 .prop = cases[i].val ? "xen,enhanced" : NULL,
					 .val = cases[i].val,
					 .val_len = cases[i].len};

		fake_reset();
		if (parse(&spec, 1, c, &n) != cases[i].rc)
			fail_msg("case %u (%s): wrong result", i,
				 cases[i].val ? cases[i].val : "absent");
		if (cases[i].message && !fake_log_contains(cases[i].message))
			fail_msg("case %u: no '%s' in:\n%s", i, cases[i].message, fake_log());
		if (cases[i].rc)
			continue;
		assert_true(c[0].xen_node);
		assert_int_equal(c[1].xen_node, cases[i].xen_node);
	}
}

static void shared_colours_warned(void **state)
{
	struct domain_cfg c[2] = {{.mode = MEM_COLOURED}, {.mode = MEM_COLOURED}};
	struct colour_set xen;

	(void)state;
	memcpy(c[0].name, "dom0", 5);
	memcpy(c[1].name, "/chosen/domU1", 14);
	colour_parse_list("0-3", 16, &c[0].colours, "t");
	colour_parse_list("3-5", 16, &c[1].colours, "t");
	colour_parse_list("5", 16, &xen, "t");
	domain_cfgs_warn_shared_colours(c, 2, &xen);
	assert_true(fake_log_contains("WARNING: dom0 and /chosen/domU1 share cache colours"));
	assert_true(fake_log_contains("WARNING: /chosen/domU1 shares cache colours with the "
				      "hypervisor"));
	assert_false(fake_log_contains("WARNING: dom0 shares"));
}

int run_domain_cfg_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(modes_without_colouring, setup),
		cmocka_unit_test_setup(dom0_defaults, setup),
		cmocka_unit_test_setup(modes_with_colouring, setup),
		cmocka_unit_test_setup(refusals, setup),
		cmocka_unit_test_setup(device_lists, setup),
		cmocka_unit_test_setup(shared_colours_warned, setup),
		cmocka_unit_test_setup(xen_enhanced_values, setup),
	};
	return cmocka_run_group_tests_name("domain_cfg", tests, NULL, NULL);
}
