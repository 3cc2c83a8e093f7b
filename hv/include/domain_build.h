/* Building domains at boot from the parsed boot configuration: memory, stage-2, kernel,
 * device tree. Nothing is half-built: any error stops the boot with a message. */
#ifndef HV_DOMAIN_BUILD_H
#define HV_DOMAIN_BUILD_H
#include "bootinfo.h"
#include "cmdline.h"
#include "domain.h"
#include "dma_protect.h"
#include "page_alloc.h"

extern struct page_alloc frame_alloc;
extern struct frame_pool hv_pool; /* the hypervisor's own pages (xen-llc-colors) */
extern const struct pt_alloc frame_pt_alloc;

/* Marks every byte the hypervisor must keep (image, DTB, modules, reservations) used and
 * everything else in RAM free. bitmap storage is carved out of free RAM. */
int frames_init(const struct bootinfo *bi, paddr_t hv_start, paddr_t hv_end);
/* Builds every domain of the boot configuration (dom0, dom0less domUs); on any error the
 * boot stops, so no domain ever runs half-built. */
int domains_build(const struct bootinfo *bi, const struct hv_options *o);

/* Whether dom0 may get a host DT node's device: every enabled device with reg except what
 * the hypervisor keeps (its console, the GIC, IOMMUs), PCI host bridges (assigned by the
 * hypervisor, not yet implemented) and nodes marked xen,passthrough (as in Xen). domain_build maps exactly the nodes domain_dt copies. */
bool dom0_owns_node(const struct bootinfo *bi, int node);

struct dma_info;
/* What dom0 gets of a host node: a device dom0_owns_node() allows, unless it is an
 * unprotected DMA master and dom0 is not direct-mapped (its DMA would use guest-physical
 * addresses that are not machine addresses). info says why, for the DT and the log. */
bool dom0_gets_device(const struct bootinfo *bi, const struct domain *d, int node,
		      struct dma_info *info);

struct pci_host;
struct pci_device;
extern bool smmu_translating;
enum dma_class pci_device_class(const struct bootinfo *bi, const struct pci_host *h,
				const struct pci_device *dev);

/* Guest DT for a domain (domain_dt.c): into buf; -XEN_ENOSPC if it does not fit. */
int domain_dt_build(const struct bootinfo *bi, struct domain *d, const char *bootargs, void *buf,
		    int len);

#endif
