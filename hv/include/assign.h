/* Device assignment: claiming into the device table (claim.h), then its effects — stage-2
 * MMIO, SPIs, StreamIDs, the boot log — each read from that table. */
#ifndef HV_ASSIGN_H
#define HV_ASSIGN_H
#include "bootinfo.h"
#include "cmdline.h"
#include "dma_protect.h"
#include "domain.h"

struct domain_cfg;
struct dev_table;

extern bool smmu_translating; /* set once the SMMU will translate (stage 2 present) */

/* mapvisor.dma-unprotected= and mapvisor.allow-unsafe-dma, before anything is assigned. */
void assign_configure(const struct hv_options *o);
/* Claims every device into the device table (claim.c): what every domU names, then dom0
 * the rest; logs and fails on a device that does not exist, is the hypervisor's, is named
 * twice, or whose DMA its domain could not address. */
int assign_claim(const struct bootinfo *bi, const struct domain_cfg *cfgs, unsigned nr);
/* Maps what the table gives a domain into its stage 2 (and logs it). *nr_nodes: the
 * platform device nodes the domain got. */
int assign_map_dom0(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes);
int assign_map_domu(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes);
/* The SPIs of the devices d got, forwarded to its vCPU 0 (after vgic_domain_init). A line
 * two domains' devices share stays with the first, said in the log. */
void assign_spis(const struct bootinfo *bi, struct domain *d);
/* Every (StreamID, domain, device name: "PCI 00:01.0" or a DT path) of an assigned
 * protected device, once the SMMU is up; a non-zero return from fn stops the walk. */
int assign_for_each_stream(const struct bootinfo *bi,
			   int (*fn)(uint32_t sid, struct domain *d, const char *dev));

/* The table claiming built (claim.h): who owns each device, for the domain DTs and vpl011. */
const struct dev_table *assign_devices(void);

#endif
