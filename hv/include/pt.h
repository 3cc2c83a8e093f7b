/* VMSAv8-64 translation tables, 4 KiB granule, written once for every user: the EL2 stage-1
 * map and each domain's stage-2 (Arm ARM D8.3). Callers give the leaf attributes; this file
 * owns the table shapes: always the largest block that fits, blocks split on partial change,
 * break-before-make on every change of a live entry (Arm ARM D8.14). */
#ifndef HV_PT_H
#define HV_PT_H
#include "types.h"

#define PT_VALID (1ULL << 0)
#define PT_TABLE (1ULL << 1) /* at levels 0-2: table; at level 3 must be set (page) */
#define PT_ADDR_MASK 0x0000fffffffff000ULL
#define PT_AF (1ULL << 10)
/* A table descriptor's bits [11:2] are ignored by every walker (Arm ARM D8.3.1, stage 1 and
 * stage 2, FEAT_HAFT off; the SMMU reads the same format): this file keeps there the number
 * of valid entries in the table it points to, so emptiness is known without a scan. */
#define PT_COUNT_SHIFT 2
#define PT_COUNT_MASK (0x3ffULL << PT_COUNT_SHIFT)
#define PT_SPARES 4  /* emptied table pages a pt keeps for reuse (zero, flushed) */
#define PT_RETIRED 8 /* table pages emptied within one update, freed after its flush */
/* Emptied tables that stay in the tree (at most this many per pt): a grant mapped and
 * unmapped at the same place finds its tables there, and a guest mapping all over its
 * address space cannot make the hypervisor hold more than this many empty pages for it. */
#define PT_KEEP_EMPTY 8

struct pt;

/* Where table pages come from: explicit, so tests can hand in their own memory. */
struct pt_alloc {
	/* pages zeroed 4 KiB pages aligned to their total size, or INVALID_PADDR */
	paddr_t (*alloc_table)(void *ctx, unsigned pages);
	void (*free_table)(void *ctx, paddr_t table, unsigned pages);
	void *ctx;
};

struct pt_ops {
	/* A leaf changed: old and new are descriptors (0 = invalid) covering [va, va+size). */
	void (*leaf_change)(struct pt *pt, uint64_t va, uint64_t size, uint64_t old_desc,
			    uint64_t new_desc);
	/* Invalidate TLB entries for [va, va+size). */
	void (*flush)(struct pt *pt, uint64_t va, uint64_t size);
	/* The same after an update that only removed entries and frees no table on it: the
	 * owner may hold it back until it releases what the entries pointed to (optional). */
	void (*flush_removal)(struct pt *pt, uint64_t va, uint64_t size);
};

struct pt {
	paddr_t root;         /* root table(s), concatenated when root_pages > 1 */
	unsigned root_level;  /* 0..2 */
	unsigned va_bits;     /* input address size */
	unsigned root_pages;
	uint64_t root_mask;   /* index mask at the root level (several or part of a page) */
	const struct pt_alloc *alloc;
	const struct pt_ops *ops;
	uint64_t nr_tables;   /* table pages in use, root included */
	unsigned nr_empty;    /* of them, tables (not the root) with no valid entry */
	uint64_t nr_leaves[4];/* valid leaf entries per level (1: 1 GiB, 2: 2 MiB, 3: 4 KiB) */
	/* Run-time map/unmap of one page (a grant) empties and refills the same tables: they
	 * go to spare[] instead of the allocator, once no TLB or walk cache can reach them. */
	paddr_t spare[PT_SPARES];
	unsigned nr_spare;
	paddr_t retired[PT_RETIRED];
	unsigned nr_retired;
	bool flush_pending; /* a valid entry was removed in this update: flush before return */
	uint64_t update_va, update_size; /* the update under way */
};

static inline uint64_t pt_level_size(unsigned level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

/* A zero-size or unaligned range is -XEN_EINVAL; an address beyond va_bits -XEN_ERANGE;
 * out of table memory -XEN_ENOMEM (the tables stay consistent). */
int pt_init(struct pt *pt, unsigned va_bits, unsigned root_level, const struct pt_alloc *alloc,
	    const struct pt_ops *ops);
int pt_map(struct pt *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attr);
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size);
/* One page, only where no leaf covers va: -XEN_EEXIST otherwise. */
int pt_map_page_new(struct pt *pt, uint64_t va, paddr_t pa, uint64_t attr);
/* One page's leaf removed only if it is a page whose descriptor bits under mask equal want:
 * -XEN_ENOENT otherwise (the check and the removal are one update). */
int pt_unmap_page_if(struct pt *pt, uint64_t va, uint64_t mask, uint64_t want);
/* The leaf covering va: its output address for va, descriptor and level; -XEN_ENOENT. */
int pt_lookup(const struct pt *pt, uint64_t va, paddr_t *pa, uint64_t *desc, unsigned *level);

/* The bits under mask of the leaf covering va replaced by bits, in place: for the changes
 * the Arm ARM lets a live entry make without break-before-make (D8.14.1: the access flag,
 * permissions). No TLB maintenance; -XEN_ENOENT where no leaf covers va. */
int pt_set_leaf_bits(struct pt *pt, uint64_t va, uint64_t mask, uint64_t bits);

/* pt_set_leaf_bits() on every leaf pick() chooses, in one walk: the number changed (0 for a
 * mask pt_set_leaf_bits() refuses). */
typedef bool (*pt_pick_fn)(void *arg, uint64_t va, uint64_t desc, unsigned level);
uint64_t pt_set_bits_where(struct pt *pt, pt_pick_fn pick, void *arg, uint64_t mask,
			   uint64_t bits);

typedef int (*pt_walk_fn)(void *arg, uint64_t va, paddr_t pa, uint64_t size, uint64_t desc,
			  unsigned level);
/* Calls fn for every valid leaf in address order; stops at fn's first non-zero return. */
int pt_walk(const struct pt *pt, pt_walk_fn fn, void *arg);
void pt_destroy(struct pt *pt);

#endif
