/* The narrow interface hv/core calls into the architecture (hv/arch/arm64) and, in host unit
 * tests, into tests/unit/fake_arch.c. Nothing in hv/core touches a register or MMIO. */
#ifndef HV_ARCH_H
#define HV_ARCH_H
#include "types.h"

struct boot_device;
struct domain;
struct pci_host;
struct vcpu;

/* The hypervisor maps all RAM; this turns a machine address into a pointer to it. EL2 maps
 * RAM at its machine address (mmu.c), so in the hypervisor it is inline: every table walk
 * calls it once per level. Host unit tests give their own fake RAM. */
#ifdef MAPVISOR_HV
static inline void *maddr_to_virt(paddr_t maddr)
{
	return (void *)(uintptr_t)maddr;
}
#else
void *maddr_to_virt(paddr_t maddr);
#endif

void arch_console_write(const char *s, size_t len);

/* Zero guest RAM before a domain gets it (fast path: DC ZVA on arm64), and write it to the
 * point of coherency: a guest reading with its MMU off must see the zeros, not what RAM held
 * before. */
void arch_zero_ram(paddr_t maddr, uint64_t size);
/* A hint that this CPU's work may wait for another's (YIELD: on hardware a no-op or an SMT
 * priority hint; QEMU's single-threaded round robin switches to the next CPU on it). */
void arch_cpu_yield(void);
/* Write what the hypervisor put in guest RAM (a kernel, a DT) to the point of coherency. */
void arch_flush_ram(paddr_t maddr, uint64_t size);

/* Invalidate stage-2 TLB entries of a VMID for an IPA range (size 0: the whole VMID), on
 * every CPU, and wait for completion. */
void arch_s2_tlb_flush(uint16_t vmid, paddr_t ipa, uint64_t size);
/* The same for nr single pages, anywhere in the IPA space, with one wait for them all. */
void arch_s2_tlb_flush_pages(uint16_t vmid, const paddr_t *ipa, unsigned nr);

/* New translation table entries become visible to every walker (CPU and SMMU) before the
 * caller goes on (DSB ISHST, ISB): what an update that invalidated nothing still needs. */
void arch_pt_publish(void);

/* Translate a guest virtual address through the current vCPU's stage 1 (AT S1E1R/W). */
int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa);

/* Bring up the physical CPU a vCPU is pinned to, entering the vCPU (PSCI CPU_ON). */
int arch_vcpu_start(struct vcpu *v);

/* The last-level cache's size and ways as the CPU reports them (CLIDR/CCSIDR); false if
 * it reports none. */
bool arch_llc_geometry(uint64_t *size, uint64_t *ways);

/* Make the physical CPU running v look at its pending virtual interrupts or state. */
void arch_vcpu_kick(struct vcpu *v);
/* A device SPI's physical enable, following its owner's virtual one. */
void arch_spi_enable(unsigned intid, bool on);

/* Report what IOMMUs recorded (faults) to the log. */
void arch_iommu_poll(void);

/* The boot steps hv/core/boot.c runs, in its order; each does the device's registers and
 * logs what it found, and leaves every decision to the caller. */

/* Enumerates bus 0 of a host bridge through its config space (ECAM on arm64): fills h's
 * functions, sizes and assigns their BARs (pci_enumerate does the logic). */
int arch_pci_enumerate(struct pci_host *h);
/* One config-space access of size 1, 2 or 4 (aligned) to a host function, at run time: a
 * virtual host bridge (vpci.c) passes a domain's allowed accesses through these. */
uint32_t arch_pci_conf_read(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size);
void arch_pci_conf_write(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size,
			 uint32_t value);
/* Reads the IOMMU's identification and logs it; *stage2: it can walk the domains' stage-2
 * tables, so the devices behind it are protected once it runs. */
int arch_iommu_probe(const struct boot_device *dev, bool *stage2);
/* Brings the IOMMU up with every stream aborting until attached; its tables and queues
 * come from alloc (zeroed contiguous pages, or INVALID_PADDR: what names them for the log). */
typedef paddr_t (*arch_pages_fn)(const char *what, unsigned nr_pages);
int arch_iommu_init(const struct boot_device *dev, arch_pages_fn alloc);
/* A stream's DMA goes through d's stage 2 from now on; dev names it in fault reports. */
int arch_iommu_attach(uint32_t sid, struct domain *d, const char *dev);
/* A device SPI targets this physical CPU, level or edge, disabled until its guest enables
 * it. */
void arch_spi_route(unsigned intid, unsigned pcpu, bool edge);
/* mapvisor.selftest=el2-abort: fault at EL2 (read an unmapped address) to show the report. */
void arch_selftest_el2_abort(void);
struct bootinfo;
/* Console input: the UART's receive interrupt becomes the hypervisor's (console_in.c). */
void arch_console_input_start(const struct bootinfo *bi);
/* The boot CPU (pCPU 0) enters v, on its stack from the top: the boot is over. */
_Noreturn void arch_boot_cpu_run(struct vcpu *v);

/* The image's GNU build id (its bytes and length): -XEN_ENODATA if it was linked without. */
int arch_build_id(const void **id, uint32_t *len);

unsigned arch_cpu_id(void);
uint64_t arch_counter(void);
/* Hypervisor time: nanoseconds of the system counter since it started (Xen's NOW()). */
uint64_t arch_now_ns(void);

/* Power the machine off; under QEMU with semihosting, exit with this status. */
_Noreturn void arch_poweroff(int status);

#endif
