/* A domain's stage-2 translation (guest physical -> machine), VMID and the bookkeeping the
 * feature bits are computed from. Invariant: ram_pages / ram_identity_pages always equal a
 * full walk's count of RAM pages and of RAM pages mapped at GFN == MFN. */
#ifndef HV_P2M_H
#define HV_P2M_H
#include "frame.h"
#include "pt.h"
#include "spinlock.h"

enum p2m_type {
	P2M_NONE = 0,
	P2M_RAM,     /* the domain's own memory */
	P2M_MMIO,    /* a device the domain owns */
	P2M_XEN,     /* a hypervisor page shared with the domain: shared_info, grant-table frames */
	P2M_FOREIGN, /* another domain's page, granted and mapped (grant.c) */
	/* the same foreign page again at GFN == MFN, so a 1:1 domain's devices reach it at
	 * dev_bus_addr through the SMMU (Xen's p2m_iommu_map_rw/ro); grant.c owns it */
	P2M_IOMMU_ALIAS,
};

enum p2m_access { P2M_RW, P2M_RO };

/* Invalidations of removed pages that a caller holds back, to make them all at once
 * (p2m_flush_deferred) before it releases what the pages held: a grant unmap batch, whose
 * granters' pins drop only after it. Sized for the SMMU's per-page invalidation. */
#define P2M_DEFER_PAGES 16
struct p2m_deferred {
	unsigned nr;
	paddr_t ipa[P2M_DEFER_PAGES];
};

struct p2m {
	struct pt pt;
	uint16_t vmid;
	uint64_t ram_pages;
	uint64_t ram_identity_pages;
	uint64_t ram_leaves;  /* leaf entries mapping RAM (the cost of a mode, per GiB) */
	uint64_t ram_gen; /* changes whenever a RAM entry is removed or replaced */
	bool live; /* the VMID may be in a TLB: changes must be invalidated */
	struct p2m_deferred *deferred; /* the update under the lock holds its flush back */
	uint64_t held_bytes; /* RAM held: not zeroed yet (p2m_hold) */
	uint64_t held_mmio;  /* device leaves held until no RAM is */
	spinlock_t lock;
};

/* IPA size of every stage-2 (Arm ARM D8.2.5): 40 bits reaches QEMU virt's PCIe windows and
 * is within every ARMv8 CPU QEMU models; start level 1, two concatenated root pages. */
#define P2M_IPA_BITS 40

int p2m_init(struct p2m *p2m, uint16_t vmid, const struct pt_alloc *alloc);
int p2m_map(struct p2m *p2m, paddr_t gpa, paddr_t maddr, uint64_t size, enum p2m_type type,
	    enum p2m_access access);
int p2m_unmap(struct p2m *p2m, paddr_t gpa, uint64_t size);
/* -XEN_ENOENT when gpa is not mapped. */
int p2m_lookup(struct p2m *p2m, paddr_t gpa, paddr_t *maddr, enum p2m_type *type,
	       enum p2m_access *access);

/* The one gate from a guest frame to a machine page (Xen's get_page_from_gfn): every path
 * that turns a frame number a guest named into a page it reads or writes comes here. 0 and
 * the frame in *mfn (if not NULL) iff gfn is the p2m's own RAM, and writable when asked.
 * Otherwise the first test that failed, so a caller can answer with its own code:
 * -XEN_EINVAL beyond the IPA size, -XEN_ENOENT a hole, -XEN_EPERM mapped but not RAM (MMIO,
 * a hypervisor page, a foreign page or its alias), -XEN_EACCES read-only RAM asked to write. */
int p2m_get_ram_page(struct p2m *p2m, gfn_t gfn, bool writable, mfn_t *mfn);

/* One page at a guest frame: the typed forms of p2m_map/unmap/lookup. */
static inline int p2m_map_page(struct p2m *p2m, gfn_t gfn, mfn_t mfn, enum p2m_type type,
			       enum p2m_access access)
{
	return p2m_map(p2m, gpa_x(gfn_to_gpa(gfn)), mfn_to_maddr(mfn), PAGE_SIZE, type, access);
}

static inline int p2m_unmap_page(struct p2m *p2m, gfn_t gfn)
{
	return p2m_unmap(p2m, gpa_x(gfn_to_gpa(gfn)), PAGE_SIZE);
}

/* One page mapped only where the domain has nothing: -XEN_EEXIST otherwise. */
int p2m_map_page_new(struct p2m *p2m, gfn_t gfn, mfn_t mfn, enum p2m_type type,
		     enum p2m_access access);
/* One page unmapped only if it maps mfn with that type: -XEN_ENOENT otherwise. Its
 * invalidation goes into def (made right away when def is NULL or full): nothing the page
 * held may be released before p2m_flush_deferred. */
int p2m_unmap_page_if(struct p2m *p2m, gfn_t gfn, enum p2m_type type, mfn_t mfn,
		      struct p2m_deferred *def);
void p2m_flush_deferred(struct p2m *p2m, struct p2m_deferred *def);

static inline int p2m_lookup_page(struct p2m *p2m, gfn_t gfn, mfn_t *mfn, enum p2m_type *type,
				  enum p2m_access *access)
{
	paddr_t ma;
	int rc = p2m_lookup(p2m, gpa_x(gfn_to_gpa(gfn)), &ma, type, access);

	if (!rc && mfn)
		*mfn = maddr_to_mfn(ma);
	return rc;
}

/* ram_gen, read by a CPU other than the one that changes it (guest_access.c's cache) */
static inline uint64_t p2m_ram_gen(const struct p2m *p2m)
{
	return __atomic_load_n(&p2m->ram_gen, __ATOMIC_ACQUIRE);
}

/* Zeroing RAM when it is first used rather than before the domain runs (domain_scrub.c):
 * a held leaf has its access flag clear, so the CPU's first access to it is an access flag
 * fault (the SMMU's too: its STEs leave S2AFFD clear). A held RAM leaf is zeroed and
 * released by that fault (p2m_access_fault) or by the first lookup that hands its frame out
 * (p2m_lookup, p2m_get_ram_page): the hypervisor never reads or writes it unzeroed.
 * Device leaves are held while any RAM is, and the first access to one zeroes and releases
 * all of it, then the devices: a domain can start no DMA before it touches a device, so no
 * DMA (through the SMMU or around it) ever meets RAM not yet zeroed. */
/* The RAM or device leaf at gpa held, before the domain first runs (no TLB can hold it
 * yet); -XEN_EINVAL for any other leaf or one already held. */
int p2m_hold(struct p2m *p2m, paddr_t gpa);
/* Every device leaf held, in one walk, likewise before the domain first runs: how many. */
uint64_t p2m_hold_devices(struct p2m *p2m);
/* A stage-2 access flag fault at gpa: 0 when the access can be retried, with *zeroed the
 * bytes zeroed for it and *devices whether it released the devices; -XEN_ENOENT when
 * nothing held is there (the fault is not the hypervisor's to resolve). */
int p2m_access_fault(struct p2m *p2m, paddr_t gpa, uint64_t *zeroed, bool *devices);
/* Everything held released now, as at a first device access: the bytes zeroed for it. For
 * a way to start DMA that is not an access to a held leaf (vPCI's bus-master enable). */
uint64_t p2m_release_held(struct p2m *p2m);

/* True iff the domain has RAM and every RAM page is mapped at GFN == MFN. */
bool p2m_is_direct_mapped(const struct p2m *p2m);
/* VTTBR_EL2 value: root table and VMID (Arm ARM D13.2.153). */
uint64_t p2m_vttbr(const struct p2m *p2m);
/* One line: RAM size, identity or not, block counts; MMIO ranges. */
void p2m_describe(const struct p2m *p2m, char *buf, size_t len);
/* The type of a leaf descriptor pt_walk() hands out (what p2m_lookup() would say). */
enum p2m_type p2m_desc_type(uint64_t desc);

#endif
