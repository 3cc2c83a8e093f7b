/* Device assignment: which domain gets which device, and how its DMA reaches the domain.
 * domUs name theirs (PCI by BDF in mapvisor,pci-devices, platform devices by host DT path in
 * mapvisor,platform-devices); dom0 gets every other device it can use. A device has one
 * owner, and an unprotected DMA master goes only to a 1:1 domain. */
#ifndef HV_ASSIGN_H
#define HV_ASSIGN_H
#include "bootinfo.h"
#include "cmdline.h"
#include "dma_protect.h"
#include "domain.h"

struct domain_cfg;
struct pci_host;
struct pci_device;

extern bool smmu_translating; /* set once the SMMU will translate (stage 2 present) */

/* mapvisor.dma-unprotected= and mapvisor.allow-unsafe-dma, before anything is assigned. */
void assign_configure(const struct hv_options *o);
/* Takes what every domU names before dom0 takes the rest; logs and fails on a device that
 * does not exist, is the hypervisor's, or is named twice. */
int assign_claim(const struct bootinfo *bi, const struct domain_cfg *cfgs, unsigned nr);
/* Maps what a domain gets into its stage 2 (and logs it); a domU's unprotected DMA master
 * when it is not 1:1 stops the boot, naming both. *nr_nodes: the platform device nodes the domain
 * got. */
int assign_map_dom0(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes);
int assign_map_domu(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes);
/* The SPIs of the devices d got, forwarded to its vCPU 0 (after vgic_domain_init). A line
 * two domains' devices share stays with the first, said in the log. */
void assign_spis(const struct bootinfo *bi, struct domain *d);
/* Every (StreamID, domain, device name: "PCI 00:01.0" or a DT path) of an assigned
 * protected device, once the SMMU is up; a non-zero return from fn stops the walk. */
int assign_for_each_stream(const struct bootinfo *bi,
			   int (*fn)(uint32_t sid, struct domain *d, const char *dev));

/* The domain a platform device node was given to by a domU's configuration, or -1. */
int assign_platform_owner(int node);
/* Whether dom0 may get a host DT node's device: every enabled device with reg except what
 * the hypervisor keeps (its console, the GIC, IOMMUs, PCI host bridges), nodes marked
 * xen,passthrough (as in Xen), nodes a domU was given and nodes sharing an MMIO page with
 * those. Mapping and the guest DT use the same answer. */
bool dom0_owns_node(const struct bootinfo *bi, int node);
/* What dom0 gets of what it owns: all but unprotected DMA masters when it is not 1:1 (their
 * DMA would use guest-physical addresses that are not machine addresses). */
bool dom0_gets_device(const struct bootinfo *bi, const struct domain *d, int node,
		      struct dma_info *info);
/* A platform device's protection as mapvisor enforces it: an IOMMU mapvisor drives, which
 * translates, with StreamIDs its stream table holds. */
void platform_dma_class(const struct bootinfo *bi, int node, struct dma_info *info);
/* dom0 drives a host bridge itself when no domU has a function behind it. */
bool assign_dom0_gets_bridge(const struct pci_host *h);
enum dma_class pci_device_class(const struct bootinfo *bi, const struct pci_host *h,
				const struct pci_device *dev);

#endif
