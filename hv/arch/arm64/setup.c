/* Boot on arm64: early MMU, command line, host device tree, console, the machine report;
 * then hv/core/boot.c builds the domains and this file's CPUs enter them. Boot errors are
 * configuration errors: they are printed and the machine powers off with exit status 2. */
#include "arm64.h"
#include "gicv3.h"
#include "arch.h"
#include "boot.h"
#include "boot_profile.h"
#include "features.h"
#include "log.h"
#include "pl011.h"
#include <format.h>
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
	char vcpus[12] = "auto";

	if (o->dom0_max_vcpus)
		snprintf(vcpus, sizeof(vcpus), "%u", o->dom0_max_vcpus);
	log_info("options: dom0_mem=%llu MiB%s, dom0_max_vcpus=%s, mapvisor.features=%s",
		 (unsigned long long)((o->dom0_mem_bytes ? o->dom0_mem_bytes : 128ULL << 20) >> 20),
		 o->dom0_mem_bytes ? "" : " (default)", vcpus, features_mode_name(o->features));
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

void hv_main(paddr_t dtb, paddr_t hv_start, paddr_t hv_end)
{
	struct hv_options opts;
	const void *fdt = (const void *)(uintptr_t)dtb;
	uint64_t t;
	int cmd_rc, rc;

	boot_profile_add(BOOT_PROFILE_HV, "power-on to the hypervisor's first C code", 0);
	t = boot_profile_now();
	mmu_early_init(hv_start, hv_end, dtb);
	pcpus[0] = (struct pcpu){.id = 0, .mpidr = read_sysreg(mpidr_el1)};
	write_sysreg(&pcpus[0], tpidr_el2);
	log_info("mapvisor: EL2 on CPU 0, image 0x%llx-0x%llx, device tree at 0x%llx",
		 (unsigned long long)hv_start, (unsigned long long)hv_end,
		 (unsigned long long)dtb);
	cmdline_defaults(&opts);
	/* checked and indexed first: the command line is then read through the index, not by
	 * libfdt's scan of every node before /chosen */
	bool dt_checked = bootinfo_check(fdt) == 0;
	const char *args = fdt_check_header(fdt) == 0 ? bootinfo_xen_bootargs(fdt) : NULL;
	if (args) {
		size_t n = strnlen(args, sizeof(hv_saved_cmdline) - 1);
		memcpy(hv_saved_cmdline, args, n);
		log_info("command line: %s", hv_saved_cmdline);
	}
	cmd_rc = cmdline_parse(args, &opts);
	log_set_level(opts.loglvl);
	boot_profile_add(BOOT_PROFILE_HV, "early MMU and command line", t);
	t = boot_profile_now();
	rc = dt_checked ? bootinfo_parse_checked(fdt, opts.dtuart, &boot_info)
			: bootinfo_parse(fdt, opts.dtuart, &boot_info);
	boot_profile_add(BOOT_PROFILE_HV, "DT parsing", t);
	t = boot_profile_now();
	if (!rc && mmu_full_init(&boot_info, hv_start, hv_end)) {
		log_err("the hypervisor's page-table pool is too small for this machine");
		rc = -XEN_ENOMEM;
	}
	boot_profile_add(BOOT_PROFILE_HV, "hypervisor's map of RAM and devices", t);
	t = boot_profile_now();
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
	boot_profile_add(BOOT_PROFILE_HV, "console, GIC and machine report", t);
	boot_run(&boot_info, &opts, hv_start, hv_end);
}

/* The boot CPU enters its vCPU like a secondary one: on its own stack from the top. */
_Noreturn void arch_boot_cpu_run(struct vcpu *v)
{
	pcpus[0].vcpu = v;
	pcpus[0].alive = 1;
	vcpu_run_fresh_stack(v, pcpu_stack_top(0));
}

void arch_selftest_el2_abort(void)
{
	(void)*(volatile uint64_t *)(uintptr_t)0xdead0000000ULL;
}

void secondary_main(unsigned idx)
{
	mmu_enable_secondary();
	write_sysreg(&pcpus[idx], tpidr_el2);
	if (gic_init_cpu(&boot_info, idx))
		cpu_stop();
	boot_vcpu_prepare(pcpus[idx].vcpu);
	vcpu_run_fresh_stack(pcpus[idx].vcpu, pcpu_stack_top(idx));
}

/* Debian's libfdt.a is built with -fstack-protector-strong. */
uintptr_t __stack_chk_guard = 0x6d61707669736f72ULL;

_Noreturn void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in libfdt");
}
