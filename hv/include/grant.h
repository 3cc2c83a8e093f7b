/* Grant tables v1 (DESIGN.md section 6): each domain's table lives in hypervisor pages the
 * domain maps with XENMEM_add_to_physmap and writes its grants into; a mapper's
 * GNTTABOP_map_grant_ref puts the granted frame into the mapper's own p2m, so its CPU and
 * its SMMU see the page. Invariants: a pinned entry carries GTF_reading (and GTF_writing
 * while a writable mapping exists) until the last unmap, whose TLB invalidation (CPU and
 * SMMU) comes before the flags clear; a mapper's 1:1 alias of a foreign frame exists iff it
 * holds a mapping of that frame and needs one (direct-mapped, devices behind the SMMU). */
#ifndef HV_GRANT_H
#define HV_GRANT_H
#include "frame.h"
#include "pt.h"
#include "spinlock.h"
#include <xen/grant_table.h>

#define GNT_MAX_FRAMES 4
#define GNT_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNT_MAX_ENTRIES (GNT_MAX_FRAMES * GNT_ENTRIES_PER_FRAME)
#define GNT_MAPTRACK 128     /* mappings one domain may hold at once */
#define GNT_GFN_NONE INVALID_GFN_RAW /* what setup_table reports for a frame not mapped */

/* Frame numbers are kept in 32 bits, as a v1 entry's frame is (16 TiB of machine memory),
 * so the per-domain tables stay small: read them as mfn_t through _mfn(). */
struct grant_active {
	uint16_t pin;  /* host mappings: readers in bits 0-7, writers in bits 8-15 */
	domid_t domid; /* the mapper, while pinned */
	uint32_t mfn;  /* the granted machine frame, while pinned */
};

struct grant_maptrack {
	uint32_t flags; /* GNTMAP_* of the mapping; 0: the handle is free */
	domid_t dom;	/* the granter */
	grant_ref_t ref;
	gfn_t gfn;    /* where in the mapper's p2m */
	uint32_t mfn; /* the granted machine frame */
};

struct grant_table {
	paddr_t frame_ma[GNT_MAX_FRAMES];
	gfn_t frame_gfn[GNT_MAX_FRAMES];    /* where the domain mapped each frame, or INVALID_GFN */
	unsigned nr_frames;		    /* frames in use: grows, never shrinks */
	struct grant_active active[GNT_MAX_ENTRIES];
	struct grant_maptrack maptrack[GNT_MAPTRACK];
	unsigned maptrack_hi; /* one past the highest handle in use: scans stop there */
	bool iommu_alias; /* direct-mapped with devices behind the SMMU: 1:1 aliases */
};

struct domain;
struct vcpu;

/* The table's frames, zeroed, from alloc (the hypervisor's pool); one frame in use. */
int grant_table_init(struct grant_table *gt, const struct pt_alloc *alloc);
/* XENMAPSPACE_grant_table: frame idx, grown into on demand (Xen does the same); its previous
 * mapping, if any, is removed first. */
int grant_map_frame(struct domain *d, unsigned idx, gfn_t gfn);

/* Serialises every grant operation; dma_decl.c holds it to change a domain's alias policy. */
extern spinlock_t grant_lock;

long do_grant_table_op(struct vcpu *v, const uint64_t a[5]);

/* For tests: the number of live mappings a domain holds. */
unsigned grant_nr_mappings(const struct domain *d);

#endif
