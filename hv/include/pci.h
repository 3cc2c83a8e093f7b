/* PCI behind an ECAM host bridge: enumeration of bus 0, BAR sizing and assignment from the
 * bridge's 32-bit memory window, and RID -> StreamID through the bridge's iommu-map. The
 * logic is portable; config space is reached through an accessor (ECAM in the hypervisor,
 * an array in unit tests). */
#ifndef HV_PCI_H
#define HV_PCI_H
#include "types.h"

#define PCI_MAX_DEVICES 16
#define PCI_MAX_BARS 6

struct pci_config_ops {
	uint32_t (*read32)(void *ctx, uint16_t bdf, unsigned off);
	void (*write32)(void *ctx, uint16_t bdf, unsigned off, uint32_t v);
	void *ctx;
};

struct pci_bar {
	paddr_t addr; /* CPU physical address after assignment (PCI address == CPU address) */
	uint64_t size;
};

struct pci_device {
	uint16_t bdf;
	uint16_t vendor, device;
	struct pci_bar bars[PCI_MAX_BARS];
	uint8_t irq_pin;   /* INTx: 1-4 for INTA-INTD, 0 none (config 0x3d) */
	bool has_sid;      /* iommu-map covers its RID */
	uint32_t sid;
};

struct pci_host {
	int node;
	paddr_t ecam;
	uint64_t ecam_size;
	paddr_t mem_base;  /* the 32-bit memory window */
	uint64_t mem_size;
	paddr_t mem_next;
	struct pci_device devs[PCI_MAX_DEVICES];
	unsigned nr_devs;
};

/* The memory window from the bridge node's ranges (space code 0b10, 32-bit memory). */
int pci_host_window(const void *fdt, int node, struct pci_host *h);
/* The CPU-side window of the bridge's i-th ranges entry (any space): -XEN_ENOENT past the
 * last. */
int pci_host_range(const void *fdt, int node, unsigned i, paddr_t *cpu, uint64_t *size);
/* Walks bus 0, sizes and assigns BARs, enables memory decoding and bus mastering. */
int pci_enumerate(struct pci_host *h, const struct pci_config_ops *ops);
/* RID -> StreamID through iommu-map (and iommu-map-mask): -XEN_ENOENT when the bridge has
 * no iommu-map or the RID is not covered. */
int pci_rid_to_sid(const void *fdt, int node, uint16_t rid, uint32_t *sid);
/* A function's INTx as its interrupt parent sees it, through the bridge's interrupt-map
 * and interrupt-map-mask: 0 with a 3-cell (GIC) specifier, -XEN_ENOENT when the function
 * has no pin or the map no entry, -XEN_EINVAL for a malformed map. */
int pci_intx_spec(const void *fdt, int node, uint16_t bdf, unsigned pin, uint32_t spec[3]);
const char *pci_bdf_str(uint16_t bdf, char *buf, size_t len);

extern struct pci_host pci_hosts[4];
extern unsigned nr_pci_hosts;

struct bootinfo;
/* Enumerates every host bridge of the DT at boot (config space through arch.h) into
 * pci_hosts[], and logs each function with its StreamID. */
int pci_init(const struct bootinfo *bi);

#endif
