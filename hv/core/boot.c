/* The boot sequence after the machine report: every step either succeeds or stops the boot
 * with exit status 2, so no domain ever runs beside a half-built one. The order matters:
 * domains are built knowing whether the IOMMU will translate (their DTs say which devices
 * are protected), its streams point at p2m roots that exist only once every domain does,
 * and a domain's interrupts are routed before its vCPUs can take them. */
#include "arch.h"
#include "assign.h"
#include "boot.h"
#include "dma_decl.h"
#include "boot_profile.h"
#include "domain_build.h"
#include "domain_scrub.h"
#include "log.h"
#include "pci.h"
#include "vgic.h"

_Noreturn void boot_refused(const char *what)
{
	log_err("boot refused: fix %s as the message above says", what);
	arch_poweroff(2);
}

/* Whether the first IOMMU can walk domains' stage 2, from its probe. */
static bool iommu_stage2;

static int iommu_probe(const struct bootinfo *bi)
{
	iommu_stage2 = false;
	if (bi->nr_smmu && arch_iommu_probe(&bi->smmu[0], &iommu_stage2))
		return -XEN_ENODEV;
	smmu_translating = iommu_stage2; /* assign.c: the devices behind it are protected */
	return 0;
}

/* The IOMMU's tables from the hypervisor's colours when they can be: several contiguous
 * pages cannot all have one of few colours, so a larger structure may have to come from
 * any colour (said so). */
static paddr_t iommu_pages(const char *what, unsigned pages)
{
	struct frame_pool any = {hv_pool.pa, NULL, 0};
	paddr_t p = page_alloc_table(&hv_pool, pages);

	if (p == INVALID_PADDR && hv_pool.colours) {
		p = page_alloc_table(&any, pages);
		if (p != INVALID_PADDR)
			log_info("SMMU %s: %u contiguous pages cannot all be of xen-llc-colors: "
				 "taken from any colour", what, pages);
	}
	if (p == INVALID_PADDR)
		log_err("SMMU %s: no memory for %u pages", what, pages);
	return p;
}

/* Brought up after the domains: its tables come from what the domains left, and an SMMU
 * without stage 2 cannot share their p2m. */
static int iommu_init(const struct bootinfo *bi)
{
	if (!bi->nr_smmu)
		return 0;
	if (!iommu_stage2) {
		log_err("%s: this SMMUv3 has no stage 2: mapvisor cannot share domains' p2m with "
			"it (QEMU 8.1 or later has it)", bi->smmu[0].path);
		return -XEN_ENODEV;
	}
	return arch_iommu_init(&bi->smmu[0], iommu_pages);
}

/* Each device a domain owns that an IOMMU protects DMAs through that domain's stage 2. */
static int attach_stream(uint32_t sid, struct domain *d, const char *dev)
{
	if (arch_iommu_attach(sid, d, dev))
		return -XEN_EINVAL;
	/* a 1:1 domain's devices DMA to dev_bus_addr of granted pages: alias them (grant.c) */
	d->grant.iommu_alias = p2m_is_direct_mapped(&d->p2m);
	log_info("d%u: %s (StreamID 0x%x) DMAs through the domain's stage 2, VMID %u", d->id, dev,
		 sid, d->p2m.vmid);
	return 0;
}

/* Every device SPI to the CPU that runs its domain's vCPU 0 (where vgic.c injects it). */
static void route_device_spis(void)
{
	for (unsigned intid = 32; intid < 32 + VGIC_NR_SPIS; intid++) {
		struct domain *d = vgic_spi_owner(intid);
		unsigned i = intid - 32;

		/* an emulated device's SPI (vpl011) has no line in the hardware to route */
		if (d && !(d->vgic.spi_virtual[i / 32] & (1U << (i % 32))))
			arch_spi_route(intid, d->vcpu[0].pcpu,
				       d->vgic.spi_edge[i / 32] & (1U << (i % 32)));
	}
}

void boot_vcpu_prepare(struct vcpu *v)
{
	if (v->id == 0)
		domain_scrub(v->d);
}

/* Each domain's first vCPU starts on its own physical CPU, which scrubs the domain's RAM
 * first (boot_vcpu_prepare); the boot CPU (pCPU 0) does dom0's and enters it last, so every
 * other CPU is already on its way. */
static _Noreturn void start_domains(void)
{
	struct vcpu *mine = NULL;

	for (unsigned i = 0; i < nr_domains; i++)
		if (domains[i]->vcpu[0].pcpu == 0)
			mine = &domains[i]->vcpu[0];
	if (!mine)
		panic("no domain on the boot CPU");
	domain_scrub_boot_vcpu(mine);
	for (unsigned i = 0; i < nr_domains; i++) {
		struct vcpu *v = &domains[i]->vcpu[0];

		domains[i]->p2m.live = true;
		v->power = VCPU_ON_PENDING;
		if (v != mine && arch_vcpu_start(v))
			boot_refused("the CPUs: a physical CPU did not start");
	}
	log_info("boot complete: %u domain(s) started", nr_domains);
	boot_vcpu_prepare(mine);
	arch_boot_cpu_run(mine);
}

_Noreturn void boot_run(const struct bootinfo *bi, const struct hv_options *o, paddr_t hv_start,
			paddr_t hv_end)
{
	uint64_t t = boot_profile_now();

	if (frames_init(bi, hv_start, hv_end))
		boot_refused("the boot modules or memory map");
	boot_profile_add(BOOT_PROFILE_HV, "frame allocator", t);
	t = boot_profile_now();
	if (pci_init(bi))
		boot_refused("the PCI configuration");
	boot_profile_add(BOOT_PROFILE_HV, "PCI enumeration", t);
	t = boot_profile_now();
	if (iommu_probe(bi))
		boot_refused("the SMMU (see above)");
	boot_profile_add(BOOT_PROFILE_HV, "SMMU probe", t);
	if (domains_build(bi, o))
		boot_refused("the domain configuration");
	t = boot_profile_now();
	if (iommu_init(bi))
		boot_refused("the SMMU (see above)");
	if (assign_for_each_stream(bi, attach_stream))
		boot_refused("the SMMU (a stream table entry was not accepted)");
	dma_decl_boot(bi);
	boot_profile_add(BOOT_PROFILE_HV, "SMMU tables and streams", t);
	t = boot_profile_now();
	route_device_spis();
	arch_console_input_start(bi);
	boot_profile_add(BOOT_PROFILE_HV, "interrupt routing", t);
	if (o->selftest_el2_abort) {
		log_warn("mapvisor.selftest=el2-abort: reading an unmapped hypervisor address");
		arch_selftest_el2_abort();
	}
	boot_profile_log();
	start_domains();
}
