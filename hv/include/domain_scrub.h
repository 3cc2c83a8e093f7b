/* Zeroing a domain's RAM at boot (domain_scrub.c), on the physical CPU of its vCPU 0 just
 * before that vCPU's first instruction, so each domain waits only for its own RAM. */
#ifndef HV_DOMAIN_SCRUB_H
#define HV_DOMAIN_SCRUB_H
#include "domain.h"

/* A new domain: nothing skipped, nothing scrubbed yet. */
void domain_scrub_init(const struct domain *d);
/* [gpa, gpa + size) (whole pages) is written whole by the loader: the scrub leaves it. */
void domain_scrub_skip(const struct domain *d, paddr_t gpa, uint64_t size);
/* The vCPU the boot CPU will enter: the others' scrubs give way to it until it runs. */
void domain_scrub_boot_vcpu(const struct vcpu *v);
/* Zeroes every RAM page of d's stage 2 but the skipped ones, once (a second call does
 * nothing), and logs how long that took at loglvl=debug. */
void domain_scrub(struct domain *d);
/* What held RAM a domain's device access or DMA enable made the hypervisor zero (p2m.h),
 * in the log: "dN: <cause>: the M MiB of its RAM not yet used zeroed first, ...". */
void domain_scrub_log_released(const struct domain *d, const char *cause, uint64_t zeroed);

#endif
