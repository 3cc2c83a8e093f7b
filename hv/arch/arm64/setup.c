/* Boot: early MMU, command line, host device tree, console, the machine report, the frame
 * allocator, domains, then each CPU enters its vCPU. Boot errors are configuration errors:
 * they are printed and the machine powers off with exit status 2. */
#include "arm64.h"
#include "gicv3.h"
#include "arch.h"
#include "assign.h"
#include "domain_build.h"
#include "log.h"
#include "pci.h"
#include <format.h>
#include "smmuv3.h"
#include "sysreg.h"
#include <arm/psci.h>
#include <libfdt.h>
#include <string.h>

#define STACK_SIZE (16 << 10) /* pcpu_stack_top in head.S knows this */
#define SEMIHOSTING_SYS_WRITE0 0x04
#define SEMIHOSTING_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

uint8_t pcpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
struct pcpu pcpus[MAX_CPUS];
struct bootinfo boot_info;
extern char hv_saved_cmdline[1024];

/* Until the console is known, log lines wait here. */
static char early_log[8192];
static size_t early_len;
static enum { CON_EARLY, CON_UP, CON_OFF } con_state;

/* The linker's GNU build-id note (hv.lds keeps it): 4-byte namesz, descsz and type, the
 * name "GNU\0", then the id itself. */
extern const uint32_t __build_id_start[], __build_id_end[];

int arch_build_id(const void **id, uint32_t *len)
{
	const uint32_t *n = __build_id_start;

	if ((const char *)__build_id_end - (const char *)n < 16 || n[2] != 3 /* NT_GNU_BUILD_ID */)
		return -XEN_ENODATA;
	*id = (const char *)(n + 3) + ALIGN_UP(n[0], 4);
	*len = n[1];
	return 0;
}

void arch_console_write(const char *s, size_t len)
{
	if (con_state == CON_UP) {
		pl011_write(s, len);
	} else if (con_state == CON_EARLY) {
		size_t n = MIN(len, sizeof(early_log) - 1 - early_len);

		memcpy(early_log + early_len, s, n);
		early_len += n;
	}
}

/* No console: the early log goes to semihosting, when QEMU has it, so errors are seen. */
static void console_start(const struct bootinfo *bi, const struct hv_options *o)
{
	if (o->console == CONSOLE_NONE) {
		con_state = CON_OFF;
		return;
	}
	if (bi->uart.node < 0 || !bi->uart.size) {
		early_log[early_len] = '\0';
		semihosting_call(SEMIHOSTING_SYS_WRITE0, (uint64_t)(uintptr_t)early_log);
		return;
	}
	pl011_init(bi->uart.base);
	con_state = CON_UP;
	pl011_write(early_log, early_len);
}

_Noreturn void arch_poweroff(int status)
{
	uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status};

	if (con_state == CON_EARLY) { /* nothing printed yet: try semihosting output */
		early_log[early_len] = '\0';
		semihosting_call(SEMIHOSTING_SYS_WRITE0, (uint64_t)(uintptr_t)early_log);
	}
	semihosting_call(SEMIHOSTING_SYS_EXIT, (uint64_t)(uintptr_t)block);
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

static _Noreturn void boot_refused(const char *what)
{
	log_err("boot refused: fix %s as the message above says", what);
	arch_poweroff(2);
}

static void report_machine(const struct bootinfo *bi, const struct hv_options *o)
{
	const void *fdt = bi->fdt;
	const char *model = fdt_getprop(fdt, 0, "model", NULL);

	log_info("machine: %s, %u CPU(s), PSCI via %s", model ? model : "(no model)",
		 bi->nr_cpus, bi->psci_smc ? "SMC" : "none usable");
	for (unsigned i = 0; i < bi->nr_ram; i++)
		log_info("RAM: 0x%llx-0x%llx (%llu MiB)", (unsigned long long)bi->ram[i].start,
			 (unsigned long long)(bi->ram[i].start + bi->ram[i].size),
			 (unsigned long long)(bi->ram[i].size >> 20));
	log_info("GICv3: distributor 0x%llx, redistributors 0x%llx (%s)",
		 (unsigned long long)bi->gicd.base, (unsigned long long)bi->gicr.base,
		 bi->gicd.path);
	if (bi->uart.node >= 0)
		log_info("console: PL011 %s at 0x%llx", bi->uart.path,
			 (unsigned long long)bi->uart.base);
	if (bi->nr_smmu > 1)
		log_warn("%u SMMUv3s: only the first is driven; devices behind the others are "
			 "treated as unprotected", bi->nr_smmu);
	if (!bi->nr_smmu)
		log_info("IOMMU: none in the device tree: every DMA master is unprotected");
	for (unsigned i = 0; i < bi->nr_pci; i++)
		log_info("PCI host bridge %s: ECAM at 0x%llx (%llu MiB)", bi->pci[i].path,
			 (unsigned long long)bi->pci[i].base,
			 (unsigned long long)(bi->pci[i].size >> 20));
	for (unsigned i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];
		static const char *const kinds[] = {"kernel", "ramdisk", "module"};

		log_info("boot module %s: %s, 0x%llx-0x%llx (%llu KiB)", m->path, kinds[m->kind],
			 (unsigned long long)m->start, (unsigned long long)(m->start + m->size),
			 (unsigned long long)(m->size >> 10));
	}
	log_info("options: dom0_mem=%llu MiB%s, dom0_max_vcpus=%u, mapvisor.features=%s",
		 (unsigned long long)((o->dom0_mem_bytes ? o->dom0_mem_bytes : 128ULL << 20) >> 20),
		 o->dom0_mem_bytes ? "" : " (default)",
		 o->dom0_max_vcpus ? o->dom0_max_vcpus : 1, features_mode_name(o->features));
}

/* Physical CPU 0 is the boot CPU, whatever its place in /cpus. */
static void setup_pcpus(struct bootinfo *bi)
{
	uint64_t self = read_sysreg(mpidr_el1) & 0xff00ffffffULL;

	for (unsigned i = 1; i < bi->nr_cpus; i++) {
		if ((bi->cpu_mpidr[i] & 0xff00ffffffULL) == self) {
			uint64_t t = bi->cpu_mpidr[0];
			bi->cpu_mpidr[0] = bi->cpu_mpidr[i];
			bi->cpu_mpidr[i] = t;
		}
	}
	for (unsigned i = 0; i < bi->nr_cpus; i++)
		pcpus[i] = (struct pcpu){.id = i, .mpidr = bi->cpu_mpidr[i]};
}

static struct smmuv3_caps smmu_caps;

/* Each device a domain owns that an IOMMU protects DMAs through that domain's stage 2. */
static int attach_stream(uint32_t sid, struct domain *d, const char *dev)
{
	if (smmuv3_attach(sid, d, dev))
		return -XEN_EINVAL;
	/* a 1:1 domain's devices DMA to dev_bus_addr of granted pages: alias them (grant.c) */
	d->grant.iommu_alias = p2m_is_direct_mapped(&d->p2m);
	log_info("d%u: %s (StreamID 0x%x) DMAs through the domain's stage 2, VMID %u", d->id, dev,
		 sid, d->p2m.vmid);
	return 0;
}

/* Every device SPI to the CPU that runs its domain's vCPU 0, disabled until the guest
 * enables it. */
static void route_device_spis(void)
{
	for (unsigned intid = 32; intid < 32 + VGIC_NR_SPIS; intid++) {
		struct domain *d = vgic_spi_owner(intid);
		unsigned i = intid - 32;

		if (d)
			gic_spi_configure(intid, pcpus[d->vcpu[0].pcpu].mpidr,
					  d->vgic.spi_edge[i / 32] & (1U << (i % 32)));
	}
}

/* Each domain's first vCPU starts on its own physical CPU; the boot CPU (pCPU 0) enters
 * the one pinned to it last. */
static _Noreturn void start_domains(void)
{
	struct vcpu *mine = NULL;

	for (unsigned i = 0; i < nr_domains; i++) {
		struct vcpu *v = &domains[i]->vcpu[0];

		domains[i]->p2m.live = true;
		v->power = VCPU_ON_PENDING;
		if (v->pcpu == 0)
			mine = v;
		else if (arch_vcpu_start(v))
			boot_refused("the CPUs: a physical CPU did not start");
	}
	log_info("boot complete: %u domain(s) started", nr_domains);
	if (!mine)
		panic("no domain on the boot CPU");
	pcpus[0].vcpu = mine;
	pcpus[0].alive = 1;
	vcpu_run_fresh_stack(mine, pcpu_stack_top(0));
}

void hv_main(paddr_t dtb, paddr_t hv_start, paddr_t hv_end)
{
	struct hv_options opts;
	const void *fdt = (const void *)(uintptr_t)dtb;
	int cmd_rc, rc;

	mmu_early_init(hv_start, hv_end, dtb);
	pcpus[0] = (struct pcpu){.id = 0, .mpidr = read_sysreg(mpidr_el1)};
	write_sysreg(&pcpus[0], tpidr_el2);
	log_info("mapvisor: EL2 on CPU 0, image 0x%llx-0x%llx, device tree at 0x%llx",
		 (unsigned long long)hv_start, (unsigned long long)hv_end,
		 (unsigned long long)dtb);
	cmdline_defaults(&opts);
	const char *args = fdt_check_header(fdt) == 0 ? bootinfo_xen_bootargs(fdt) : NULL;
	if (args) {
		size_t n = strnlen(args, sizeof(hv_saved_cmdline) - 1);
		memcpy(hv_saved_cmdline, args, n);
		log_info("command line: %s", hv_saved_cmdline);
	}
	cmd_rc = cmdline_parse(args, &opts);
	log_set_level(opts.loglvl);
	rc = bootinfo_parse(fdt, opts.dtuart, &boot_info);
	if (!rc && mmu_full_init(&boot_info, hv_start, hv_end)) {
		log_err("the hypervisor's page-table pool is too small for this machine");
		rc = -XEN_ENOMEM;
	}
	console_start(&boot_info, &opts);
	if (rc)
		boot_refused("the device tree");
	if (cmd_rc)
		boot_refused("/chosen/xen,xen-bootargs");
	setup_pcpus(&boot_info);
	gic_init(&boot_info);
	if (gic_init_cpu(&boot_info, 0))
		boot_refused("the device tree's GIC");
	report_machine(&boot_info, &opts);
	if (frames_init(&boot_info, hv_start, hv_end))
		boot_refused("the boot modules or memory map");
	if (pci_init(&boot_info))
		boot_refused("the PCI configuration");
	/* Domains are built knowing the SMMU will translate (their DTs say which devices are
	 * protected); it is brought up right after, from the hypervisor's own colours. */
	if (boot_info.nr_smmu) {
		smmuv3_probe(&boot_info.smmu[0], &smmu_caps);
		smmu_translating = smmu_caps.stage2;
	}
	if (domains_build(&boot_info, &opts))
		boot_refused("the domain configuration");
	if (boot_info.nr_smmu && smmuv3_init(&boot_info.smmu[0], &smmu_caps))
		boot_refused("the SMMU (see above)");
	if (assign_for_each_stream(&boot_info, attach_stream))
		boot_refused("the SMMU (a stream table entry was not accepted)");
	route_device_spis();
	uart_rx_start(&boot_info);
	if (opts.selftest_el2_abort) {
		log_warn("mapvisor.selftest=el2-abort: reading an unmapped hypervisor address");
		(void)*(volatile uint64_t *)(uintptr_t)0xdead0000000ULL;
	}
	start_domains();
}

void secondary_main(unsigned idx)
{
	mmu_enable_secondary();
	write_sysreg(&pcpus[idx], tpidr_el2);
	if (gic_init_cpu(&boot_info, idx))
		cpu_stop();
	vcpu_run_fresh_stack(pcpus[idx].vcpu, pcpu_stack_top(idx));
}

/* Debian's libfdt.a is built with -fstack-protector-strong. */
uintptr_t __stack_chk_guard = 0x6d61707669736f72ULL;

_Noreturn void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in libfdt");
}
