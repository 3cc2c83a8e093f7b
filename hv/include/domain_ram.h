/* A domain's RAM at boot, by memory mode (domain_ram.c): allocated into d->ram[], mapped into
 * its stage 2, and described in the boot log. */
#ifndef HV_DOMAIN_RAM_H
#define HV_DOMAIN_RAM_H
#include "domain.h"
#include "domain_cfg.h"

/* Takes every domain's xen,static-mem before any other allocation. */
int domain_ram_reserve_static(const struct domain_cfg *cfgs, unsigned nr);
/* Fills d->ram[] for c's mode and size; a coloured domain is also mapped here. */
int domain_ram_alloc(struct domain *d, const struct domain_cfg *c);
/* Maps d->ram[] as P2M_RAM (nothing to do for a coloured domain); it is zeroed just before
 * the domain runs (domain_scrub.c). */
int domain_ram_map(struct domain *d);
void domain_ram_log(const struct domain *d);

#endif
