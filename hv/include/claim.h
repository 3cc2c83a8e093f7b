/* Claiming: one table of every device of the host — a platform device node or a PCI
 * function — with who gets it and why, how its DMA reaches its owner, its StreamIDs, MMIO
 * pages and SPIs. Built once, by a pure step that reads the host DT, the domains'
 * configurations and the enumerated PCI functions and writes only the table; every effect
 * (stage-2 MMIO, SMMU attach, SPI routing, the guests' DTs, the boot log, dmacheck) reads
 * it. Invariants: a device has at most one owner, and an unprotected DMA master goes only to
 * a 1:1 domain (unless mapvisor.allow-unsafe-dma says otherwise, loudly). */
#ifndef HV_CLAIM_H
#define HV_CLAIM_H
#include "bootinfo.h"
#include "dma_protect.h"
#include "domain_cfg.h"
#include "pci.h"

#define DEV_NOBODY (-1)
#define DEV_MAX_MMIO 8
#define DEV_MAX_SPIS 16

enum dev_kind { DEV_PLATFORM, DEV_PCI };

/* Why a device has the owner it has. */
enum dev_fate {
	DEV_GIVEN,	 /* the owner gets it */
	DEV_WITHHELD,	 /* dom0's, but dom0 is not 1:1 and nothing protects its DMA */
	DEV_PAGE_SHARED, /* shares an MMIO page with a domU's device (near): nobody's */
	DEV_PASSTHROUGH, /* xen,passthrough and no domU named it: kept from dom0, as in Xen */
	DEV_INSIDE,	 /* below a device that is not dom0's: part of it, nobody's on its own */
	DEV_NO_DOM0,	 /* no domU named it and there is no dom0 */
};

struct dev_spi {
	uint16_t intid; /* 32 + the GIC specifier's number */
	bool edge;
};

struct dev_entry {
	enum dev_kind kind;
	int node;		      /* platform: its DT node; PCI: its host bridge's */
	int parent;		      /* the entry of the device it sits in, or -1 */
	const struct pci_host *host;  /* PCI only */
	const struct pci_device *pci; /* PCI only */
	int owner;		      /* the domain id that gets it, or DEV_NOBODY */
	enum dev_fate fate;
	int near_node;	     /* DEV_PAGE_SHARED: the domU's device it shares a page with */
	struct dma_info dma; /* class, the rule that decided, IOMMU, StreamIDs */
	enum dma_path path;  /* how its owner's driver must address its DMA */
	bool unsafe;	     /* an impossible path let through by allow-unsafe-dma */
	bool streams;	     /* its StreamIDs are attached to its owner's stage 2 */
	struct mem_range mmio[DEV_MAX_MMIO]; /* page-aligned: reg (through ranges) or BARs */
	unsigned nr_mmio;
	uint32_t mmio_hv_shared;	   /* bit i: mmio[i] has a page of a hypervisor device */
	struct dev_spi spis[DEV_MAX_SPIS]; /* when its interrupt parent is the GIC */
	unsigned nr_spis;
};

/* Storage is the caller's: the hypervisor's is static, dmacheck's larger. */
struct dev_table {
	struct dev_entry *dev;
	unsigned nr, max;
};

/* What claiming reads besides the configurations. */
struct claim_env {
	const struct bootinfo *bi;
	const struct dma_overrides *ov;
	const struct pci_host *hosts; /* enumerated */
	unsigned nr_hosts;
	bool iommu_translating; /* the first SMMUv3 will walk domains' stage 2 */
	bool allow_unsafe_dma;
};

/* Builds the table: each domU's named devices first (refusing, by name, a device that does
 * not exist, is the hypervisor's, is named twice, or shares an MMIO page with another
 * domU's), then dom0 gets every other device it can use. An unprotected DMA master named
 * for a domU that is not 1:1, or a PCI function dom0 would get when dom0 is not, is refused
 * naming both. Logs every refusal and returns -XEN_EINVAL if there was any; the table holds
 * what could be decided. */
int claim_devices(const struct claim_env *env, const struct domain_cfg *cfgs, unsigned nr,
		  struct dev_table *t);

/* Readers. */
const struct dev_entry *dev_table_node(const struct dev_table *t, int node);
const struct dev_entry *dev_table_pci(const struct dev_table *t, const struct pci_device *f);
bool dev_given_to(const struct dev_entry *e, domid_t id);
/* dom0 drives a host bridge itself when no domU has a function behind it. */
bool dev_table_dom0_drives_bridge(const struct dev_table *t, const struct pci_host *h);
/* "PCI 00:01.0" or the DT path. */
const char *dev_name(const void *fdt, const struct dev_entry *e, char *buf, int len);

#endif
