/* A virtual PCI host bridge: the ECAM config space a domain sees (PCIe Base Spec 7.2.2),
 * emulated by the hypervisor on stage-2 faults. The domain sees exactly its own functions,
 * renumbered as devices 0, 1, ... of its bus 0, with the BARs the hypervisor assigned; every
 * access reaches at most the one host function it names, through arch_pci_conf_*. */
#ifndef HV_VPCI_H
#define HV_VPCI_H
#include "pci.h"
#include "spinlock.h"

#define VPCI_MAX_FUNCS 8
#define VPCI_MAX_CAPS 16
#define VPCI_BUS_BYTES (1U << 20) /* ECAM: 32 devices x 8 functions x 4 KiB per bus */

enum vpci_bar_kind { VPCI_BAR_NONE, VPCI_BAR_MEM32, VPCI_BAR_MEM64_LO, VPCI_BAR_MEM64_HI };

struct vpci_cap {
	uint8_t off, id, len;
	bool hidden; /* unlinked from the list the guest walks: MSI, MSI-X (no ITS) */
};

struct vpci_func {
	const struct pci_device *dev; /* the host function, its BARs as assigned */
	uint16_t host_bdf;
	uint8_t vdevfn; /* where the domain sees it on its bus 0 */
	uint8_t bar_kind[PCI_MAX_BARS];
	uint8_t bar_flags[PCI_MAX_BARS]; /* the read-only type bits [3:0] of a memory BAR */
	uint8_t sizing;			 /* BAR dwords the guest wrote all-ones to */
	uint8_t intx_line;		 /* config 0x3c: the guest's scratch byte */
	uint8_t cap_first;		 /* first visible capability, 0 if none */
	struct vpci_cap caps[VPCI_MAX_CAPS];
	unsigned nr_caps;
};

/* What the domain tried that was dropped: each kind is logged once per domain. */
enum vpci_drop {
	VPCI_DROP_BAR_MOVE,
	VPCI_DROP_ABSENT,   /* a function the domain does not have (or another bus) */
	VPCI_DROP_HIDDEN,   /* a hidden capability (MSI/MSI-X) */
	VPCI_DROP_EXTENDED, /* extended config space (0x100-0xfff) is read-only */
	VPCI_DROP_RESET,    /* a function-level reset would wipe the hypervisor's BARs */
	VPCI_DROP_ROM,	    /* the expansion ROM is not given */
	VPCI_DROP_NR
};

struct vpci {
	const struct pci_host *host;
	domid_t domid;
	struct vpci_func func[VPCI_MAX_FUNCS];
	unsigned nr_funcs;
	uint32_t logged; /* 1 << enum vpci_drop */
	uint64_t nr_reads, nr_writes;
	spinlock_t lock; /* sizing state and the log bits: vCPUs trap concurrently */
};

/* An empty bridge for domain domid in front of host bridge h. */
void vpci_init(struct vpci *v, const struct pci_host *h, domid_t domid);
/* Adds a host function as the next device of bus 0; reads its BAR types and capability
 * list once. -XEN_ENOSPC when the bridge is full, -XEN_EEXIST when it is there already. */
int vpci_add_function(struct vpci *v, const struct pci_device *dev);
/* One guest access at offset (bus << 20 | devfn << 12 | register) of the bridge's ECAM:
 * size 1, 2 or 4, naturally aligned, else false (the guest gets a data abort, as for any
 * access a config space cannot take). Reads of what the domain does not have are
 * all-ones; writes to it are dropped (and logged once). */
bool vpci_read(struct vpci *v, uint64_t offset, unsigned size, uint32_t *value);
bool vpci_write(struct vpci *v, uint64_t offset, unsigned size, uint32_t value);
/* The domain's function at vdevfn, or NULL. */
const struct vpci_func *vpci_func_at(const struct vpci *v, unsigned vdevfn);

struct domain;
/* Registers v's ECAM window (buses 0 to size / 1 MiB - 1) with d's MMIO emulation. */
int vpci_register(struct domain *d, struct vpci *v, paddr_t gpa, uint64_t size);

/* vpci_domain.c: the bridge a domU gets when it owns PCI functions, at boot. */
/* Builds and registers d's bridge (none when it owns no function): refused, with the
 * reason, when its functions sit on two host bridges, share an INTx line with another
 * domain's function, or their BAR window overlaps the domain's guest layout. */
int vpci_domain_build(struct domain *d);
/* The same over a given device table (claim.h): the hypervisor's is assign_devices(). */
struct dev_table;
int vpci_domain_build_from(const struct dev_table *t, struct domain *d);
/* d's bridge, or NULL; its ECAM window in the guest (bus 0 only is described) and the
 * window of guest-physical space its BARs occupy. */
struct vpci *vpci_of(const struct domain *d);
paddr_t vpci_ecam_gpa(const struct vpci *v);
/* At a domain's end: how many config-space accesses it trapped (make bench reads it). */
void vpci_log_counts(const struct domain *d);
void vpci_bar_window(const struct vpci *v, paddr_t *base, uint64_t *size);

#endif
