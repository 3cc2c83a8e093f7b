/* Shared by the host unit tests: the fake machine (tests/unit/fake_arch.c) and helpers. */
#ifndef UNIT_H
#define UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain_build.h"
#include "page_alloc.h"
#include "pci.h"
#include "pt.h"
#include "arch.h"
#include <stdio.h>
#include <string.h>

#define FAKE_RAM_BASE 0x40000000ULL
#define FAKE_RAM_SIZE (64ULL << 20)

/* The fake machine's RAM, the frame allocator over it and a pt_alloc from that. */
extern struct page_alloc fake_frames;
extern const struct pt_alloc fake_pt_alloc;
void fake_reset(void);

/* Everything the hypervisor logged since fake_reset(). */
const char *fake_log(void);
int fake_log_contains(const char *needle);
void fake_log_clear(void);

/* arch_poweroff longjmps here when armed (fake_expect_poweroff) and records the status. */
extern jmp_buf fake_poweroff_jmp;
extern int fake_poweroff_armed, fake_poweroff_status;
extern unsigned fake_s2_flushes;
extern unsigned fake_s2_flushed_pages; /* pages named by the flushes (0 for a whole VMID) */
extern void (*fake_on_s2_flush)(void); /* called at each stage-2 flush */
extern uint32_t fake_spi_enabled[8]; /* physical SPI enables (arch_spi_enable) */
/* Guest VAs in [fake_fault_va, +len) fail stage-1 translation. */
extern uint64_t fake_fault_va, fake_fault_len;
extern int fake_vcpu_start_rc;
extern unsigned fake_vcpu_starts;

/* The boot steps (hv/core/boot.c) the fake arch ran, in order, space-separated, each with
 * what places it: "pci(domains=0) probe(domains=0) ... start(d1) enter(d0)". fake_fail
 * names the hook that fails ("pci", "probe", "init", "attach", "start"); arch_pci_enumerate
 * gives each host bridge fake_pci_devs; arch_boot_cpu_run longjmps to fake_poweroff_jmp
 * (setjmp returns 2, fake_entered says which vCPU). */
extern char fake_trace[1024];
extern const char *fake_fail;
extern bool fake_iommu_stage2;
extern struct pci_device fake_pci_devs[PCI_MAX_DEVICES];
extern unsigned fake_nr_pci_devs;
extern struct vcpu *fake_entered;
/* Host config space behind arch_pci_conf_read/write, bus 0 (all-ones after fake_reset),
 * and how many writes reached it. */
extern uint8_t fake_pci_cfg[256][4096];
extern unsigned fake_pci_cfg_writes;

/* A domain over fake RAM: nr_pages of RAM at gpa (mapped to frames from fake_frames). */
struct domain *fake_domain(domid_t id, bool hardware, paddr_t gpa, uint64_t nr_pages,
			   bool identity);

/* The host view of byte off of d's first RAM bank (fake frames are host memory). */
void *ut_ram(struct domain *d, uint64_t off);
/* Hypercall nr from d's vCPU 0 with three arguments, as the trap path dispatches it. */
long ut_hypercall(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

/* Building device trees with libfdt's sequential writer (tests/unit/fdt_fixture.c): an
 * n-cell big-endian property, and the nodes every board fixture has. Each helper asserts
 * libfdt's success, so a fixture that does not fit its buffer fails the test. */
void ut_cells(void *fdt, const char *name, const uint32_t *v, int n);
/* A tree in fdt's size bytes, its root open with #address-cells and #size-cells 2. */
void ut_fdt_begin(void *fdt, int size, uint32_t address_cells);
/* /cpus with nr cpu@N nodes (compatible omitted when NULL). */
void ut_fdt_cpus(void *fdt, unsigned nr, const char *compatible);
/* /psci, PSCI 1.0 over SMC. */
void ut_fdt_psci(void *fdt);
/* memory@BASE with one 2+2-cell bank; the node is left open for more properties. */
void ut_fdt_memory_begin(void *fdt, uint32_t base, uint32_t size);
/* QEMU virt's GICv3 (distributor at 0x8000000, redistributors at 0x80a0000); left open. */
void ut_fdt_gic_begin(void *fdt);
/* QEMU virt's ECAM host bridge (ECAM at 0x40_1000_0000, one 32-bit window); left open. */
void ut_fdt_pcie_begin(void *fdt);

int run_features_tests(void);
int run_cmdline_tests(void);
int run_page_alloc_tests(void);
int run_dt_tests(void);
int run_pt_tests(void);
int run_p2m_tests(void);
int run_bootinfo_tests(void);
int run_hypercall_tests(void);
int run_vpsci_tests(void);
int run_colour_tests(void);
int run_vgic_tests(void);
int run_domain_cfg_tests(void);
int run_dma_protect_tests(void);
int run_pci_tests(void);
int run_smmu_tests(void);
int run_grant_tests(void);
int run_dma_decl_tests(void);
int run_console_tests(void);
int run_vpl011_tests(void);
int run_vpci_tests(void);
int run_string_tests(void);
int run_event_tests(void);
int run_runstate_tests(void);
int run_reservation_tests(void);
int run_traps_tests(void);
int run_claim_tests(void);
int run_boot_tests(void);

#endif
