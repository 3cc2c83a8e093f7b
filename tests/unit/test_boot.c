/* The boot sequence (hv/core/boot.c) over the fake arch, on a small machine: 64 MiB of RAM,
 * 2 CPUs, an SMMUv3, a PCI host bridge whose one function (00:01.0, StreamID 0x8) a domU
 * gets, and a virtio-mmio node (SPI 48, edge) dom0 gets. The fake records each arch step in
 * order (fake_trace), so the tests assert the order itself, and that a failure in any step
 * stops the boot with exit status 2 before any vCPU starts. */
#include "unit.h"
#include "boot.h"
#include "bootinfo.h"
#include "cmdline.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

enum {
	NO_DOMU = 1,	      /* dom0 alone: it gets the PCI function too */
	DOMU_TOO_BIG = 2,     /* a domU asking for more memory than the machine has */
	NO_SMMU = 4,	      /* no IOMMU in the device tree */
	MODULE_OUTSIDE = 8,   /* dom0's kernel module outside RAM: the frames step refuses */
	SELFTEST = 16,	      /* mapvisor.selftest=el2-abort */
	SOC = 32,	      /* devices nested in buses, as real boards have them (soc_bus) */
	BRIDGE_OVERRIDE = 64, /* mapvisor.dma-unprotected=/pcie@10000000 (a bypassing bus) */
};

#define OK(x) assert_int_equal((x), 0)
#define HV_START 0x40000000ULL
#define HV_END 0x40200000ULL
#define DOM0_KERNEL 0x40400000U
#define DOMU_KERNEL 0x40500000U
#define GIC_PHANDLE 1
#define SMMU_PHANDLE 2

static char tree[16384];

static void node_reg(void *t, const char *name, uint32_t base, uint32_t size)
{
	OK(fdt_begin_node(t, name));
	ut_cells(t, "reg", (uint32_t[]){0, base, 0, size}, 4);
}

static void kernel_module(void *t, uint32_t addr)
{
	char name[32];

	snprintf(name, sizeof(name), "module@%x", addr);
	node_reg(t, name, addr, 0x1000);
	OK(fdt_property(t, "compatible", "multiboot,kernel\0multiboot,module", 34));
	OK(fdt_end_node(t));
}

static void make_chosen(void *t, unsigned flags)
{
	OK(fdt_begin_node(t, "chosen"));
	OK(fdt_property_u32(t, "#address-cells", 2));
	OK(fdt_property_u32(t, "#size-cells", 2));
	OK(fdt_property_string(t, "xen,xen-bootargs",
			       flags & SELFTEST ? "dom0_mem=16M mapvisor.selftest=el2-abort"
			       : flags & BRIDGE_OVERRIDE
				       ? "dom0_mem=16M mapvisor.dma-unprotected=/pcie@10000000"
				       : "dom0_mem=16M"));
	OK(fdt_property_string(t, "stdout-path", "/pl011@9000000"));
	kernel_module(t, flags & MODULE_OUTSIDE ? 0x50000000U : DOM0_KERNEL);
	if (!(flags & NO_DOMU)) {
		OK(fdt_begin_node(t, "domU1"));
		OK(fdt_property_string(t, "compatible", "xen,domain"));
		OK(fdt_property_u32(t, "#address-cells", 2));
		OK(fdt_property_u32(t, "#size-cells", 2));
		ut_cells(t, "memory", (uint32_t[]){0, flags & DOMU_TOO_BIG ? 1U << 20 : 16U << 10},
			 2);
		OK(fdt_property_u32(t, "cpus", 1));
		OK(fdt_property_string(t, "mapvisor,pci-devices", "00:01.0"));
		if (flags & SOC)
			OK(fdt_property_string(t, "mapvisor,platform-devices", "/soc/gpio@30000"));
		kernel_module(t, DOMU_KERNEL);
		OK(fdt_end_node(t));
	}
	OK(fdt_end_node(t));
}

static void make_devices(void *t, unsigned flags)
{
	ut_fdt_gic_begin(t);
	OK(fdt_property(t, "interrupt-controller", NULL, 0));
	OK(fdt_property_u32(t, "#interrupt-cells", 3));
	OK(fdt_property_u32(t, "phandle", GIC_PHANDLE));
	OK(fdt_end_node(t));
	node_reg(t, "pl011@9000000", 0x9000000, 0x1000);
	OK(fdt_property(t, "compatible", "arm,pl011\0arm,primecell", 24));
	OK(fdt_end_node(t));
	node_reg(t, "virtio_mmio@a000000", 0xa000000, 0x200);
	OK(fdt_property_string(t, "compatible", "virtio,mmio"));
	ut_cells(t, "interrupts", (uint32_t[]){0, 16, 1}, 3); /* SPI 16 = INTID 48, edge */
	OK(fdt_end_node(t));
	if (!(flags & NO_SMMU)) {
		node_reg(t, "smmuv3@9050000", 0x9050000, 0x20000);
		OK(fdt_property_string(t, "compatible", "arm,smmu-v3"));
		OK(fdt_property_u32(t, "#iommu-cells", 1));
		OK(fdt_property_u32(t, "phandle", SMMU_PHANDLE));
		OK(fdt_end_node(t));
	}
	ut_fdt_pcie_begin(t);
	if (!(flags & NO_SMMU))
		ut_cells(t, "iommu-map", (uint32_t[]){0, SMMU_PHANDLE, 0, 0x10000}, 4);
	OK(fdt_end_node(t));
}

static void soc_device(void *t, const char *name, uint32_t base, const uint32_t irq[3])
{
	OK(fdt_begin_node(t, name));
	ut_cells(t, "reg", (uint32_t[]){base, 0x1000}, 2);
	if (irq)
		ut_cells(t, "interrupts", irq, 3);
}

/* /soc at 0x20000000 (1 + 1 cells, translated by ranges): a UART (SPI 20, level) whose
 * interrupt parent is the root's, a bus below it with its own interrupt-parent and an
 * ethernet behind the SMMU (StreamID 0x20, SPI 21, edge), a GPIO controller (SPI 22) a domU
 * gets, and an I2C controller whose interrupts go to the GPIO controller, not the GIC. */
#define GPIO_PHANDLE 3
static void soc_bus(void *t)
{
	OK(fdt_begin_node(t, "soc"));
	OK(fdt_property_string(t, "compatible", "simple-bus"));
	OK(fdt_property_u32(t, "#address-cells", 1));
	OK(fdt_property_u32(t, "#size-cells", 1));
	ut_cells(t, "ranges", (uint32_t[]){0, 0, 0x20000000, 0x100000}, 4);
	soc_device(t, "serial@10000", 0x10000, (uint32_t[]){0, 20, 4});
	OK(fdt_property_string(t, "compatible", "ns16550a"));
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "sub-bus"));
	OK(fdt_property_string(t, "compatible", "simple-bus"));
	OK(fdt_property_u32(t, "#address-cells", 1));
	OK(fdt_property_u32(t, "#size-cells", 1));
	OK(fdt_property(t, "ranges", NULL, 0));
	OK(fdt_property_u32(t, "interrupt-parent", GIC_PHANDLE));
	soc_device(t, "ethernet@20000", 0x20000, (uint32_t[]){0, 21, 1});
	OK(fdt_property_string(t, "compatible", "cdns,gem"));
	ut_cells(t, "iommus", (uint32_t[]){SMMU_PHANDLE, 0x20}, 2);
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	soc_device(t, "gpio@30000", 0x30000, (uint32_t[]){0, 22, 4});
	OK(fdt_property_string(t, "compatible", "arm,pl061"));
	OK(fdt_property_u32(t, "phandle", GPIO_PHANDLE));
	OK(fdt_end_node(t));
	soc_device(t, "i2c@40000", 0x40000, (uint32_t[]){0, 23, 4});
	OK(fdt_property_string(t, "compatible", "arm,versatile-i2c"));
	OK(fdt_property_u32(t, "interrupt-parent", GPIO_PHANDLE));
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
}

static void *make_tree(unsigned flags)
{
	void *t = tree;

	ut_fdt_begin(t, sizeof(tree), 2);
	OK(fdt_property_u32(t, "interrupt-parent", GIC_PHANDLE));
	OK(fdt_property_string(t, "model", "unit-test board"));
	make_chosen(t, flags);
	ut_fdt_memory_begin(t, 0x40000000, (uint32_t)FAKE_RAM_SIZE);
	OK(fdt_end_node(t));
	ut_fdt_cpus(t, 2, "arm,cortex-a57");
	ut_fdt_psci(t);
	make_devices(t, flags);
	if (flags & SOC)
		soc_bus(t);
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	return t;
}

/* An arm64 Image header (Linux Documentation/arch/arm64/booting.rst): text_offset 0,
 * image_size 4 KiB, the magic "ARM\x64" at 0x38. */
static void put_image(paddr_t at)
{
	uint8_t *h = maddr_to_virt(at);
	uint64_t size = 0x1000;

	memset(h, 0, 0x1000);
	memcpy(h + 16, &size, 8);
	memcpy(h + 0x38, "ARM\x64", 4);
}

/* The edu function QEMU puts at 00:01.0, with its 1 MiB BAR in the bridge's window. */
static void fake_edu(void)
{
	fake_pci_devs[0] = (struct pci_device){.bdf = 0x08, .vendor = 0x1234, .device = 0x11e8,
					       .bars = {{0x10000000, 0x100000}}};
	fake_nr_pci_devs = 1;
}

static struct bootinfo bi;
static struct hv_options opts;

/* Boots the tree; returns the exit status (2: refused), or -1 when the boot CPU entered
 * its vCPU. */
static int boot(unsigned flags)
{
	void *t = make_tree(flags);

	put_image(DOM0_KERNEL);
	put_image(DOMU_KERNEL);
	OK(bootinfo_parse(t, "", &bi));
	cmdline_defaults(&opts);
	OK(cmdline_parse(bi.xen_bootargs, &opts));
	fake_poweroff_armed = 1;
	if (setjmp(fake_poweroff_jmp))
		return fake_poweroff_status;
	boot_run(&bi, &opts, HV_START, HV_END);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	fake_edu();
	return 0;
}

#define FULL_TRACE "pci(domains=0) probe(domains=0) init(domains=2) attach(0x8>d1,domains=2) " \
	"spi(48>cpu0,edge) start(d1) enter(d0)"

/* The SMMU is probed before any domain is built (their DTs depend on it), brought up and
 * given streams only once every domain exists, SPIs are routed before any vCPU starts,
 * and the boot CPU enters dom0 last. */
static void boot_order(void **state)
{
	(void)state;
	assert_int_equal(boot(0), -1);
	assert_string_equal(fake_trace, FULL_TRACE);
	assert_ptr_equal(fake_entered, &domains[0]->vcpu[0]);
	assert_true(domains[0]->p2m.live && domains[1]->p2m.live);
	assert_int_equal(domains[1]->vcpu[0].power, VCPU_ON_PENDING);
	assert_true(fake_log_contains("d1: PCI 00:01.0 (StreamID 0x8) DMAs through the domain's "
				      "stage 2, VMID 2\n"));
	assert_true(fake_log_contains("boot complete: 2 domain(s) started\n"));
	assert_false(fake_log_contains("boot refused"));
}

/* A translated domU's protected device: no GFN == MFN alias; a 1:1 dom0's: aliased. */
static void attach_sets_the_alias_by_mapping(void **state)
{
	(void)state;
	assert_int_equal(boot(0), -1);
	assert_false(domains[1]->grant.iommu_alias);
	fake_reset();
	fake_edu();
	assert_int_equal(boot(NO_DOMU), -1);
	assert_string_equal(fake_trace, "pci(domains=0) probe(domains=0) init(domains=1) "
			    "attach(0x8>d0,domains=1) spi(48>cpu0,edge) enter(d0)");
	assert_true(domains[0]->grant.iommu_alias);
}

/* The word's list (dma_decl.c) holds the functions each domain owns behind the IOMMU; one
 * marked unprotected by the override keeps its StreamID attached (and the alias flag) but
 * is not on the list: its DMA uses machine addresses, which no alias serves. */
static void protected_devices_for_the_word(void **state)
{
	(void)state;
	assert_int_equal(boot(NO_DOMU), -1);
	assert_int_equal(domains[0]->dma_decl.nr_protected, 1);
	assert_int_equal(domains[0]->dma_decl.protected_ids[0], 0x08); /* 0:00:01.0 */
	assert_string_equal(domains[0]->dma_decl.unnamed, "");
	fake_reset();
	fake_edu();
	assert_int_equal(boot(NO_DOMU | BRIDGE_OVERRIDE), -1);
	assert_non_null(strstr(fake_trace, "attach(0x8>d0")); /* its StreamID is still attached */
	assert_true(domains[0]->grant.iommu_alias);
	assert_int_equal(domains[0]->dma_decl.nr_protected, 0);
	assert_int_equal(dma_decl_declare(domains[0], NULL, 0), 0);
	assert_false(dma_decl_needs_alias(domains[0]));
}

/* Without an IOMMU nothing is probed, brought up or attached. */
static void no_iommu(void **state)
{
	(void)state;
	assert_int_equal(boot(NO_SMMU | NO_DOMU), -1);
	assert_string_equal(fake_trace, "pci(domains=0) spi(48>cpu0,edge) enter(d0)");
}

/* The selftest faults after everything is built and before any vCPU starts. */
static void selftest_before_start(void **state)
{
	(void)state;
	assert_int_equal(boot(SELFTEST), -1);
	assert_string_equal(fake_trace, "pci(domains=0) probe(domains=0) init(domains=2) "
			    "attach(0x8>d1,domains=2) spi(48>cpu0,edge) selftest start(d1) enter(d0)");
}

/* Bytes of d's RAM at [gpa, gpa + len) that differ from byte c. */
static uint64_t ram_not(const struct domain *d, paddr_t gpa, uint64_t len, uint8_t c)
{
	uint64_t n = 0;

	for (unsigned b = 0; b < d->nr_ram; b++) {
		const struct ram_bank *r = &d->ram[b];
		const uint8_t *p = maddr_to_virt(r->maddr);

		for (uint64_t i = 0; i < r->size; i++)
			n += r->gpa + i >= gpa && r->gpa + i < gpa + len && p[i] != c;
	}
	return n;
}

/* Every page of d's RAM handed out once, as the domain's first use of it would be. */
static void use_ram(struct domain *d)
{
	for (unsigned b = 0; b < d->nr_ram; b++)
		for (uint64_t off = 0; off < d->ram[b].size; off += PAGE_SIZE)
			assert_int_equal(p2m_get_ram_page(&d->p2m, gpa_to_gfn(_gpa(d->ram[b].gpa + off)),
							  false, NULL), 0);
}

/* A domain's RAM is zeroed on its own CPU just before it first runs, once: dom0's by the
 * boot CPU before it enters dom0; the domU's only when its CPU prepares to enter it; whole
 * 2 MiB blocks nothing was loaded into are held instead, zeroed when first used. The pages
 * the loader filled hold the kernel and DT, and zeros after them, whatever RAM held (the
 * fake's RAM starts as 0xa5 garbage). */
static void scrub_on_own_cpu_once(void **state)
{
	struct domain *d0, *d1;
	uint64_t dt_len, dt_page;

	(void)state;
	assert_int_equal(boot(0), -1);
	d0 = domains[0];
	d1 = domains[1];
	dt_len = fdt_totalsize(maddr_to_virt(d0->ram[0].maddr + (d0->dtb_gpa - d0->ram[0].gpa)));
	dt_page = ALIGN_UP(dt_len, PAGE_SIZE);
	assert_true(d0->p2m.held_bytes >= SZ_2M);
	/* a held block is garbage until used */
	assert_true(ram_not(d0, d0->ram[0].gpa, d0->ram[0].size, 0xa5) <=
		    d0->ram[0].size - d0->p2m.held_bytes);
	use_ram(d0);
	assert_int_equal(d0->p2m.held_bytes, 0);
	assert_int_equal(ram_not(d0, 0, d0->entry, 0), 0);
	assert_int_equal(memcmp(maddr_to_virt(d0->entry), maddr_to_virt(DOM0_KERNEL), 0x1000), 0);
	assert_int_equal(ram_not(d0, d0->entry + 0x1000, d0->dtb_gpa - d0->entry - 0x1000, 0), 0);
	assert_int_equal(ram_not(d0, d0->dtb_gpa + dt_len, ~0ULL >> 1, 0), 0);
	assert_true(dt_page > dt_len); /* the DT's page has slack, and it is zero */
	assert_true(fake_log_contains("boot profile: d0 RAM scrub on pCPU 0: "));
	/* the domU's CPU has not run: its RAM outside what was loaded is still garbage */
	assert_int_equal(ram_not(d1, d1->entry + PAGE_SIZE, d1->dtb_gpa - d1->entry - PAGE_SIZE,
				 0xa5), 0);
	boot_vcpu_prepare(&d1->vcpu[0]);
	use_ram(d1);
	assert_int_equal(ram_not(d1, d1->entry + PAGE_SIZE, d1->dtb_gpa - d1->entry - PAGE_SIZE,
				 0), 0);
	assert_int_equal(ram_not(d1, d1->dtb_gpa + PAGE_SIZE, ~0ULL >> 1, 0), 0);
	/* once: a second preparation (a restarted vCPU 0) leaves the running domain's RAM */
	memset(maddr_to_virt(d1->ram[0].maddr + d1->ram[0].size - PAGE_SIZE), 0x77, 8);
	boot_vcpu_prepare(&d1->vcpu[0]);
	assert_int_equal(ram_not(d1, d1->ram[0].gpa + d1->ram[0].size - PAGE_SIZE, 8, 0x77), 0);
}

static void refused(const char *trace, const char *fix)
{
	char line[160];

	assert_string_equal(fake_trace, trace);
	assert_null(fake_entered);
	snprintf(line, sizeof(line), "boot refused: fix %s as the message above says\n", fix);
	assert_true(fake_log_contains(line));
}

/* A configuration the frames step refuses stops before any device is touched. */
static void frames_refused(void **state)
{
	(void)state;
	assert_int_equal(boot(MODULE_OUTSIDE), 2);
	refused("", "the boot modules or memory map");
	assert_true(fake_log_contains("is not inside RAM"));
}

static void pci_fails(void **state)
{
	(void)state;
	fake_fail = "pci";
	assert_int_equal(boot(0), 2);
	refused("pci(domains=0)", "the PCI configuration");
}

static void probe_fails(void **state)
{
	(void)state;
	fake_fail = "probe";
	assert_int_equal(boot(0), 2);
	refused("pci(domains=0) probe(domains=0)", "the SMMU (see above)");
	assert_int_equal(nr_domains, 0);
}

/* A refused domain configuration: the SMMU is never brought up, nothing starts. */
static void domain_config_refused(void **state)
{
	(void)state;
	assert_int_equal(boot(DOMU_TOO_BIG), 2);
	refused("pci(domains=0) probe(domains=0)", "the domain configuration");
	assert_int_equal(fake_vcpu_starts, 0);
}

/* An SMMU without stage 2 cannot share the p2m: refused once the domains are built (as
 * before the move), and never brought up. */
static void iommu_without_stage2(void **state)
{
	(void)state;
	fake_iommu_stage2 = false;
	assert_int_equal(boot(NO_DOMU), 2);
	refused("pci(domains=0) probe(domains=0)", "the SMMU (see above)");
	assert_int_equal(nr_domains, 1);
	assert_true(fake_log_contains("/smmuv3@9050000: this SMMUv3 has no stage 2"));
}

static void iommu_init_fails(void **state)
{
	(void)state;
	fake_fail = "init";
	assert_int_equal(boot(0), 2);
	refused("pci(domains=0) probe(domains=0) init(domains=2)", "the SMMU (see above)");
}

static void attach_fails(void **state)
{
	(void)state;
	fake_fail = "attach";
	assert_int_equal(boot(0), 2);
	refused("pci(domains=0) probe(domains=0) init(domains=2) attach(0x8>d1,domains=2)",
		"the SMMU (a stream table entry was not accepted)");
}

/* A secondary CPU that does not start stops the boot before the boot CPU enters dom0. */
static void vcpu_start_fails(void **state)
{
	(void)state;
	fake_fail = "start";
	assert_int_equal(boot(0), 2);
	refused("pci(domains=0) probe(domains=0) init(domains=2) attach(0x8>d1,domains=2) "
		"spi(48>cpu0,edge) start(d1)", "the CPUs: a physical CPU did not start");
	assert_false(fake_log_contains("boot complete"));
}

/* A domain's device tree, where the domain's stage 2 put it. */
static const void *domain_dtb(struct domain *d)
{
	paddr_t maddr;

	OK(p2m_lookup(&d->p2m, d->dtb_gpa, &maddr, NULL, NULL));
	return maddr_to_virt(maddr);
}

static bool mapped_at(struct domain *d, paddr_t gpa)
{
	paddr_t maddr;

	return p2m_lookup(&d->p2m, gpa, &maddr, NULL, NULL) == 0 && maddr == gpa;
}

/* Devices below buses are devices: dom0 gets the UART and the ethernet (MMIO 1:1 at the
 * addresses ranges translate to, SPIs routed, the ethernet's StreamID attached to dom0, and
 * in its DT where the host has them); the domU gets the GPIO controller at its root with its
 * CPU address; the I2C controller's interrupt (to the GPIO controller) is no SPI. */
static void nested_soc_devices(void **state)
{
	const void *dt0, *dt1;
	const fdt32_t *reg;
	int node, len;

	(void)state;
	assert_int_equal(boot(SOC), -1);
	assert_string_equal(fake_trace, "pci(domains=0) probe(domains=0) init(domains=2) "
			    "attach(0x8>d1,domains=2) attach(0x20>d0,domains=2) "
			    "spi(48>cpu0,edge) spi(52>cpu0,level) spi(53>cpu0,edge) "
			    "spi(54>cpu1,level) start(d1) enter(d0)");
	assert_true(fake_log_contains("d0: /soc/sub-bus/ethernet@20000 (StreamID 0x20) DMAs "
				      "through the domain's stage 2, VMID 1\n"));
	assert_true(fake_log_contains("d1: /soc/gpio@30000 assigned, not a DMA master\n"));
	assert_true(mapped_at(domains[0], 0x20010000) && mapped_at(domains[0], 0x20020000) &&
		    mapped_at(domains[0], 0x20040000));
	assert_false(mapped_at(domains[0], 0x20030000));
	assert_true(mapped_at(domains[1], 0x20030000));
	assert_false(mapped_at(domains[1], 0x20010000));

	dt0 = domain_dtb(domains[0]);
	assert_true(fdt_path_offset(dt0, "/soc/serial@10000") >= 0);
	node = fdt_path_offset(dt0, "/soc/sub-bus/ethernet@20000");
	assert_true(node >= 0);
	assert_non_null(fdt_getprop(dt0, node, "mapvisor,dma-protected", NULL));
	assert_null(fdt_getprop(dt0, node, "iommus", NULL));
	assert_true(fdt_path_offset(dt0, "/soc/i2c@40000") >= 0);
	assert_int_equal(fdt_path_offset(dt0, "/soc/gpio@30000"), -FDT_ERR_NOTFOUND);

	dt1 = domain_dtb(domains[1]);
	node = fdt_path_offset(dt1, "/gpio@30000");
	assert_true(node >= 0);
	reg = fdt_getprop(dt1, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt32_to_cpu(reg[1]), 0x20030000);
	assert_int_equal(fdt32_to_cpu(reg[3]), 0x1000);
	assert_int_equal(fdt_path_offset(dt1, "/soc"), -FDT_ERR_NOTFOUND);
}

int run_boot_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(boot_order, setup),
		cmocka_unit_test_setup(attach_sets_the_alias_by_mapping, setup),
		cmocka_unit_test_setup(protected_devices_for_the_word, setup),
		cmocka_unit_test_setup(no_iommu, setup),
		cmocka_unit_test_setup(selftest_before_start, setup),
		cmocka_unit_test_setup(scrub_on_own_cpu_once, setup),
		cmocka_unit_test_setup(frames_refused, setup),
		cmocka_unit_test_setup(pci_fails, setup),
		cmocka_unit_test_setup(probe_fails, setup),
		cmocka_unit_test_setup(domain_config_refused, setup),
		cmocka_unit_test_setup(iommu_without_stage2, setup),
		cmocka_unit_test_setup(iommu_init_fails, setup),
		cmocka_unit_test_setup(attach_fails, setup),
		cmocka_unit_test_setup(vcpu_start_fails, setup),
		cmocka_unit_test_setup(nested_soc_devices, setup),
	};

	return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
