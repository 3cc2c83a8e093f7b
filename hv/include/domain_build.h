/* Building domains at boot from the parsed boot configuration: memory, stage-2, kernel,
 * device tree. Nothing is half-built: any error stops the boot with a message. */
#ifndef HV_DOMAIN_BUILD_H
#define HV_DOMAIN_BUILD_H
#include "bootinfo.h"
#include "cmdline.h"
#include "domain.h"
#include "dma_protect.h"
#include "frames.h" /* frames_init and the pools: still reached through this header */

/* Builds every domain of the boot configuration (dom0, dom0less domUs); on any error the
 * boot stops, so no domain ever runs half-built. */
int domains_build(const struct bootinfo *bi, const struct hv_options *o);

/* A domain's hypervisor-side pages: its shared_info (zeroed, every event channel masked
 * off: Xen starts with masks clear too), its event channels and its grant-table frames. */
int domain_xen_pages_init(struct domain *d, const struct pt_alloc *alloc);

/* Guest DT for a domain (domain_dt.c): into buf; -XEN_ENOSPC if it does not fit. */
int domain_dt_build(const struct bootinfo *bi, struct domain *d, const char *bootargs, void *buf,
		    int len);

#endif
