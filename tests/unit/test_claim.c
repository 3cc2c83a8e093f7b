/* The claiming step (hv/core/claim.c) over a small board: who gets each device and why,
 * and the central safety rule — an unprotected DMA master goes only to a 1:1 domain, else
 * the boot is refused naming both (a dom0 that is not 1:1 is refused DT nodes, which may
 * not be masters at all, but not a PCI function, which is one). */
#include "unit.h"
#include "bootinfo.h"
#include "claim.h"
#include "dt.h"
#include <libfdt.h>
#include <string.h>

#define OK(x) assert_int_equal((x), 0)
#define GIC_PHANDLE 1
#define SMMU_PHANDLE 2
#define PCI_BDF 0x08 /* 00:01.0 */

static char tree[8192];

static void device(void *t, const char *name, uint32_t base, uint32_t size, int spi)
{
	OK(fdt_begin_node(t, name));
	ut_cells(t, "reg", (uint32_t[]){0, base, 0, size}, 4);
	if (spi >= 0)
		ut_cells(t, "interrupts", (uint32_t[]){0, (uint32_t)spi, 4}, 3);
}

/* The board: the GIC, the console and an SMMUv3 (the hypervisor's), two virtio-mmio
 * transports on one page (unprotected masters, SPIs 16 and 17), a DMA engine behind the
 * SMMU (StreamID 0x10), a node kept by xen,passthrough, a USB glue with its core inside, a
 * GPIO controller (no DMA master) and a PCI host bridge. */
static const void *make_tree(void)
{
	void *t = tree;

	ut_fdt_begin(t, sizeof(tree), 2);
	OK(fdt_property_u32(t, "interrupt-parent", GIC_PHANDLE));
	OK(fdt_begin_node(t, "chosen"));
	OK(fdt_property_string(t, "stdout-path", "/pl011@9000000"));
	OK(fdt_end_node(t));
	ut_fdt_memory_begin(t, 0x40000000, (uint32_t)FAKE_RAM_SIZE);
	OK(fdt_end_node(t));
	ut_fdt_cpus(t, 2, "arm,cortex-a57");
	ut_fdt_psci(t);
	ut_fdt_gic_begin(t);
	OK(fdt_property(t, "interrupt-controller", NULL, 0));
	OK(fdt_property_u32(t, "#interrupt-cells", 3));
	OK(fdt_property_u32(t, "phandle", GIC_PHANDLE));
	OK(fdt_end_node(t));
	device(t, "pl011@9000000", 0x9000000, 0x1000, 1);
	OK(fdt_property(t, "compatible", "arm,pl011\0arm,primecell", 24));
	OK(fdt_end_node(t));
	device(t, "smmuv3@9050000", 0x9050000, 0x20000, -1);
	OK(fdt_property_string(t, "compatible", "arm,smmu-v3"));
	OK(fdt_property_u32(t, "#iommu-cells", 1));
	OK(fdt_property_u32(t, "phandle", SMMU_PHANDLE));
	OK(fdt_end_node(t));
	device(t, "virtio_mmio@a000000", 0xa000000, 0x200, 16);
	OK(fdt_property_string(t, "compatible", "virtio,mmio"));
	OK(fdt_end_node(t));
	device(t, "virtio_mmio@a000200", 0xa000200, 0x200, 17);
	OK(fdt_property_string(t, "compatible", "virtio,mmio"));
	OK(fdt_end_node(t));
	device(t, "dma@c000000", 0xc000000, 0x1000, 18);
	OK(fdt_property_string(t, "compatible", "mapvisor,test-dma"));
	ut_cells(t, "iommus", (uint32_t[]){SMMU_PHANDLE, 0x10}, 2);
	OK(fdt_end_node(t));
	device(t, "kept@c001000", 0xc001000, 0x1000, -1);
	OK(fdt_property_string(t, "compatible", "virtio,mmio"));
	OK(fdt_property(t, "xen,passthrough", NULL, 0));
	OK(fdt_end_node(t));
	device(t, "usb@c002000", 0xc002000, 0x1000, -1);
	OK(fdt_property_string(t, "compatible", "snps,dwc3-glue"));
	OK(fdt_property_u32(t, "#address-cells", 2));
	OK(fdt_property_u32(t, "#size-cells", 2));
	OK(fdt_property(t, "ranges", NULL, 0));
	device(t, "usb@c100000", 0xc100000, 0x10000, 19);
	OK(fdt_property_string(t, "compatible", "snps,dwc3"));
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	device(t, "gpio@c003000", 0xc003000, 0x1000, 20);
	OK(fdt_property_string(t, "compatible", "arm,pl061"));
	OK(fdt_end_node(t));
	ut_fdt_pcie_begin(t);
	ut_cells(t, "iommu-map", (uint32_t[]){0, SMMU_PHANDLE, 0, 0x10000}, 4);
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	return t;
}

static struct bootinfo bi;
static struct dma_overrides no_overrides;
static struct pci_host hosts[1];
static struct claim_env env;
static struct domain_cfg cfgs[3];
static struct dev_entry storage[32];
static struct dev_table table;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	OK(bootinfo_parse(make_tree(), "", &bi));
	memset(hosts, 0, sizeof(hosts));
	hosts[0].node = fdt_path_offset(bi.fdt, "/pcie@10000000");
	hosts[0].devs[0] = (struct pci_device){.bdf = PCI_BDF,
					       .vendor = 0x1234,
					       .device = 0x11e8,
					       .bars = {{0x10000000, 0x100000}},
					       .has_sid = true,
					       .sid = 0x8};
	hosts[0].nr_devs = 1;
	env = (struct claim_env){.bi = &bi,
				 .ov = &no_overrides,
				 .hosts = hosts,
				 .nr_hosts = 1,
				 .iommu_translating = true};
	memset(cfgs, 0, sizeof(cfgs));
	cfgs[0] = (struct domain_cfg){
		.id = 0, .name = "dom0", .hardware = true, .mode = MEM_DIRECT_MAPPED};
	for (unsigned i = 1; i < 3; i++) {
		cfgs[i].id = (domid_t)i;
		snprintf(cfgs[i].name, sizeof(cfgs[i].name), "/chosen/domU%u", i);
		cfgs[i].mode = MEM_DIRECT_MAPPED;
	}
	table = (struct dev_table){storage, 0, ARRAY_SIZE(storage)};
	return 0;
}

static int node(const char *path)
{
	int n = fdt_path_offset(bi.fdt, path);

	assert_true(n >= 0);
	return n;
}

static const struct dev_entry *entry(const char *path)
{
	const struct dev_entry *e = dev_table_node(&table, node(path));

	assert_non_null(e);
	return e;
}

static const struct dev_entry *pci_entry(void)
{
	for (unsigned i = 0; i < table.nr; i++)
		if (table.dev[i].kind == DEV_PCI)
			return &table.dev[i];
	fail_msg("no PCI function in the table");
	return NULL;
}

static void name_platform(unsigned d, const char *path)
{
	cfgs[d].platform_nodes[cfgs[d].nr_platform++] = node(path);
}

/* A 1:1 dom0 alone gets every device but the hypervisor's, each with its DMA path, MMIO
 * pages and SPIs; the glue's core is a device of its own below it. */
static void dom0_gets_the_rest(void **state)
{
	const struct dev_entry *e;

	(void)state;
	OK(claim_devices(&env, cfgs, 1, &table));
	assert_null(dev_table_node(&table, node("/pl011@9000000")));
	assert_null(dev_table_node(&table, node("/smmuv3@9050000")));
	assert_null(dev_table_node(&table, node("/intc@8000000")));
	e = entry("/virtio_mmio@a000000");
	assert_true(dev_given_to(e, 0));
	assert_int_equal(e->dma.cls, DMA_UNPROTECTED);
	assert_int_equal(e->path, DMA_PATH_TRANSLATE);
	assert_false(e->streams);
	assert_int_equal(e->nr_mmio, 1);
	assert_int_equal(e->mmio[0].start, 0xa000000);
	assert_int_equal(e->mmio[0].size, PAGE_SIZE);
	assert_int_equal(e->nr_spis, 1);
	assert_int_equal(e->spis[0].intid, 48);
	e = entry("/dma@c000000");
	assert_true(dev_given_to(e, 0));
	assert_int_equal(e->path, DMA_PATH_DIRECT);
	assert_true(e->streams);
	assert_int_equal(e->dma.nr_sids, 1);
	assert_int_equal(e->dma.sids[0], 0x10);
	e = entry("/usb@c002000/usb@c100000");
	assert_true(dev_given_to(e, 0));
	assert_int_equal(e->parent, entry("/usb@c002000") - table.dev);
	assert_int_equal(e->mmio[0].start, 0xc100000);
	assert_int_equal(entry("/kept@c001000")->fate, DEV_PASSTHROUGH);
	assert_int_equal(entry("/kept@c001000")->owner, DEV_NOBODY);
	assert_int_equal(entry("/gpio@c003000")->path, DMA_PATH_NONE);
	e = pci_entry();
	assert_true(dev_given_to(e, 0));
	assert_int_equal(e->dma.cls, DMA_PROTECTED);
	assert_true(e->streams);
	assert_int_equal(e->mmio[0].start, 0x10000000);
	assert_true(dev_table_dom0_drives_bridge(&table, &hosts[0]));
}

/* The central rule, for a domU: an unprotected master to a domain that is not 1:1 is
 * refused naming both; to a 1:1 domU it is given, on the translate path. */
static void unprotected_only_to_1to1(void **state)
{
	(void)state;
	cfgs[1].mode = MEM_TRANSLATED;
	name_platform(1, "/virtio_mmio@a000000");
	assert_int_equal(claim_devices(&env, cfgs, 2, &table), -XEN_EINVAL);
	assert_true(fake_log_contains("ERROR: d1 (/chosen/domU1): /virtio_mmio@a000000 has no "
				      "IOMMU in front of it and the domain is not direct-mapped: "
				      "its DMA would reach the wrong memory. Fix: give the domain "
				      "direct-map + xen,static-mem, or assign a device behind the "
				      "SMMU (iommus)\n"));
	assert_int_equal(entry("/virtio_mmio@a000000")->path, DMA_PATH_IMPOSSIBLE);

	fake_log_clear();
	cfgs[1].mode = MEM_DIRECT_MAPPED;
	OK(claim_devices(&env, cfgs, 2, &table));
	assert_true(dev_given_to(entry("/virtio_mmio@a000000"), 1));
	assert_int_equal(entry("/virtio_mmio@a000000")->path, DMA_PATH_TRANSLATE);
	assert_false(fake_log_contains("ERROR"));
}

/* A protected device may go to a domain that is not 1:1 — but only while the SMMU
 * translates: without it, it is an unprotected master like any other. */
static void protected_needs_a_translating_smmu(void **state)
{
	(void)state;
	cfgs[1].mode = MEM_COLOURED;
	name_platform(1, "/dma@c000000");
	OK(claim_devices(&env, cfgs, 2, &table));
	assert_int_equal(entry("/dma@c000000")->path, DMA_PATH_DIRECT);
	env.iommu_translating = false;
	assert_int_equal(claim_devices(&env, cfgs, 2, &table), -XEN_EINVAL);
	assert_int_equal(entry("/dma@c000000")->dma.cls, DMA_UNPROTECTED);
	assert_string_equal(entry("/dma@c000000")->dma.why,
			    "its IOMMU is not an SMMUv3 with stage 2 that mapvisor drives");
	assert_false(entry("/dma@c000000")->streams);
	assert_true(fake_log_contains("d1 (/chosen/domU1): /dma@c000000 has no IOMMU"));
}

/* A dom0 that is not 1:1 is refused the DT nodes that may master DMA unprotected (they
 * boot without), keeps the protected ones, and what is inside a withheld device stays with
 * it; a PCI function it cannot use stops the boot naming both. */
static void coloured_dom0(void **state)
{
	const struct dev_entry *e;

	(void)state;
	cfgs[0].mode = MEM_COLOURED;
	OK(claim_devices(&env, cfgs, 1, &table));
	e = entry("/virtio_mmio@a000000");
	assert_int_equal(e->fate, DEV_WITHHELD);
	assert_int_equal(e->owner, DEV_NOBODY);
	assert_true(dev_given_to(entry("/dma@c000000"), 0));
	assert_true(dev_given_to(entry("/gpio@c003000"), 0));
	assert_int_equal(entry("/usb@c002000")->fate, DEV_WITHHELD);
	assert_int_equal(entry("/usb@c002000/usb@c100000")->fate, DEV_INSIDE);
	assert_true(dev_given_to(pci_entry(), 0));

	hosts[0].devs[0].has_sid = false;
	assert_int_equal(claim_devices(&env, cfgs, 1, &table), -XEN_EINVAL);
	assert_true(fake_log_contains("ERROR: d0 (dom0): PCI 00:01.0 (1234:11e8) has no IOMMU in "
				      "front of it and the domain is not direct-mapped"));
	assert_true(fake_log_contains("Fix: give dom0 1:1 memory (no dom0-llc-colors)"));
}

/* mapvisor.allow-unsafe-dma lets the impossible through, loudly, and marks it. */
static void unsafe_is_loud(void **state)
{
	(void)state;
	env.allow_unsafe_dma = true;
	cfgs[1].mode = MEM_TRANSLATED;
	name_platform(1, "/virtio_mmio@a000000");
	OK(claim_devices(&env, cfgs, 2, &table));
	assert_true(entry("/virtio_mmio@a000000")->unsafe);
	assert_true(dev_given_to(entry("/virtio_mmio@a000000"), 1));
	assert_true(fake_log_contains("WARNING: UNSAFE (mapvisor.allow-unsafe-dma): d1 gets "
				      "/virtio_mmio@a000000, which has no IOMMU"));
}

/* One MMIO page, one owner: dom0 is refused the neighbour of a domU's transport; two
 * domUs naming transports of one page stop the boot. */
static void one_page_one_owner(void **state)
{
	const struct dev_entry *e;

	(void)state;
	name_platform(1, "/virtio_mmio@a000200");
	OK(claim_devices(&env, cfgs, 2, &table));
	e = entry("/virtio_mmio@a000000");
	assert_int_equal(e->fate, DEV_PAGE_SHARED);
	assert_int_equal(e->near_node, node("/virtio_mmio@a000200"));
	assert_true(dev_given_to(entry("/virtio_mmio@a000200"), 1));

	name_platform(2, "/virtio_mmio@a000000");
	assert_int_equal(claim_devices(&env, cfgs, 3, &table), -XEN_EINVAL);
	assert_true(fake_log_contains("/chosen/domU2: /virtio_mmio@a000000 shares an MMIO page "
				      "with /virtio_mmio@a000200, given to d1"));
}

/* Names a domU may not use are refused by name: the hypervisor's console, a device inside
 * another, one named twice, a PCI function that does not exist or is named twice. */
static void bad_names(void **state)
{
	(void)state;
	name_platform(1, "/pl011@9000000");
	name_platform(1, "/usb@c002000/usb@c100000");
	name_platform(1, "/gpio@c003000");
	name_platform(2, "/gpio@c003000");
	cfgs[1].pci_bdfs[cfgs[1].nr_pci++] = 0x10;
	cfgs[1].pci_bdfs[cfgs[1].nr_pci++] = PCI_BDF;
	cfgs[2].pci_bdfs[cfgs[2].nr_pci++] = PCI_BDF;
	assert_int_equal(claim_devices(&env, cfgs, 3, &table), -XEN_EINVAL);
	assert_true(fake_log_contains("/chosen/domU1: mapvisor,platform-devices names "
				      "/pl011@9000000, which is the hypervisor's console"));
	assert_true(fake_log_contains("/chosen/domU1: mapvisor,platform-devices names "
				      "/usb@c002000/usb@c100000, which is inside /usb@c002000"));
	assert_true(fake_log_contains("/chosen/domU2: /gpio@c003000 is already given to d1"));
	assert_true(fake_log_contains("/chosen/domU1: mapvisor,pci-devices names 00:02.0: no "
				      "such PCI function"));
	assert_true(fake_log_contains("/chosen/domU2: PCI 00:01.0 is already given to d1"));
	/* what could be decided is in the table: the GPIO controller is domU1's */
	assert_true(dev_given_to(entry("/gpio@c003000"), 1));
}

/* A domU's PCI function: dom0 no longer drives the bridge; without dom0 the rest is
 * nobody's. */
static void domu_pci_and_no_dom0(void **state)
{
	(void)state;
	cfgs[1].pci_bdfs[cfgs[1].nr_pci++] = PCI_BDF;
	OK(claim_devices(&env, cfgs, 2, &table));
	assert_true(dev_given_to(pci_entry(), 1));
	assert_false(dev_table_dom0_drives_bridge(&table, &hosts[0]));
	OK(claim_devices(&env, cfgs + 1, 1, &table));
	assert_int_equal(entry("/virtio_mmio@a000000")->fate, DEV_NO_DOM0);
	assert_int_equal(entry("/virtio_mmio@a000000")->owner, DEV_NOBODY);
	assert_true(dev_given_to(pci_entry(), 1));
}

/* More devices than the table holds: an error, not an overflow. */
static void table_full(void **state)
{
	(void)state;
	table.max = 3;
	assert_int_equal(claim_devices(&env, cfgs, 1, &table), -XEN_EINVAL);
	assert_int_equal(table.nr, 3);
	assert_true(fake_log_contains("mapvisor's device table is full"));
}

int run_claim_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(dom0_gets_the_rest, setup),
		cmocka_unit_test_setup(unprotected_only_to_1to1, setup),
		cmocka_unit_test_setup(protected_needs_a_translating_smmu, setup),
		cmocka_unit_test_setup(coloured_dom0, setup),
		cmocka_unit_test_setup(unsafe_is_loud, setup),
		cmocka_unit_test_setup(one_page_one_owner, setup),
		cmocka_unit_test_setup(bad_names, setup),
		cmocka_unit_test_setup(domu_pci_and_no_dom0, setup),
		cmocka_unit_test_setup(table_full, setup),
	};

	return cmocka_run_group_tests_name("claim", tests, NULL, NULL);
}
