/* The boot sequence once the machine is known (hv/core/boot.c): frames, PCI, IOMMU,
 * domains, streams, interrupts, then every domain starts. Its order is policy, kept here
 * and unit-tested; the architecture supplies each step (arch.h). */
#ifndef HV_BOOT_H
#define HV_BOOT_H
#include "bootinfo.h"
#include "cmdline.h"

/* A configuration error was printed above: power off with exit status 2. */
_Noreturn void boot_refused(const char *what);
/* Builds everything from the parsed boot configuration and enters the domains; any error
 * stops the boot (exit status 2) before a domain runs. hv_start/hv_end: the image. */
_Noreturn void boot_run(const struct bootinfo *bi, const struct hv_options *o, paddr_t hv_start,
			paddr_t hv_end);

/* On the physical CPU a vCPU runs on, before its first instruction: vCPU 0 zeroes its
 * domain's RAM there (domain_scrub.c), while the other domains' CPUs do theirs. */
struct vcpu;
void boot_vcpu_prepare(struct vcpu *v);

#endif
