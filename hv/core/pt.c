/* VMSAv8-64 translation tables with a 4 KiB granule (Arm ARM D8.3), shared by the EL2
 * stage-1 map and every stage-2. Invariants: a range is mapped with the largest block its
 * alignment allows; a live entry is never changed in place (break-before-make, D8.14)
 * but for the bits pt_set_leaf_bits() and pt_set_bits_where() change;
 * nr_tables, nr_empty and nr_leaves always match the tables' contents; a table descriptor's
 * count field (pt.h) is the number of valid entries in its table; an emptied table stays
 * linked while nr_empty allows (PT_KEEP_EMPTY), and a table page is reused or freed only
 * after the flush that follows its last entry's removal. TLB maintenance is only for
 * valid entries removed or changed (walkers cache no invalid entry): one flush per update
 * for removals, an immediate one for a live entry replaced (break-before-make). */
#include "arch.h"
#include "pt.h"
#include <string.h>

#define ENTRIES 512

static unsigned level_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

static bool is_table(uint64_t desc, unsigned level)
{
	return level < 3 && (desc & PT_VALID) && (desc & PT_TABLE);
}

static bool is_leaf(uint64_t desc, unsigned level)
{
	if (!(desc & PT_VALID))
		return false;
	return level == 3 ? (desc & PT_TABLE) != 0 : !(desc & PT_TABLE);
}

static uint64_t make_leaf(paddr_t pa, uint64_t attr, unsigned level)
{
	return (pa & PT_ADDR_MASK) | (attr & ~(PT_ADDR_MASK | 3ULL)) | PT_VALID |
	       (level == 3 ? PT_TABLE : 0);
}

static inline unsigned entry_index(const struct pt *pt, unsigned level, uint64_t va)
{
	return (unsigned)((va >> level_shift(level)) &
			  (level == pt->root_level ? pt->root_mask : ENTRIES - 1));
}

static inline uint64_t *table_at(paddr_t t)
{
	return maddr_to_virt(t);
}

static void notify(struct pt *pt, uint64_t va, unsigned level, uint64_t old, uint64_t new)
{
	if (is_leaf(old, level))
		pt->nr_leaves[level]--;
	if (is_leaf(new, level))
		pt->nr_leaves[level]++;
	if (pt->ops && pt->ops->leaf_change)
		pt->ops->leaf_change(pt, va, pt_level_size(level), is_leaf(old, level) ? old : 0,
				     is_leaf(new, level) ? new : 0);
}

/* notify() where the level is 3 and each descriptor is a valid page or 0 */
static inline void notify_page(struct pt *pt, uint64_t va, uint64_t old, uint64_t new)
{
	pt->nr_leaves[3] += (uint64_t)(new != 0) - (uint64_t)(old != 0);
	if (pt->ops && pt->ops->leaf_change)
		pt->ops->leaf_change(pt, va, PAGE_SIZE, old, new);
}

static void flush(struct pt *pt, uint64_t va, uint64_t size)
{
	if (pt->ops && pt->ops->flush)
		pt->ops->flush(pt, va, size);
}

static inline void flush_removal(struct pt *pt, uint64_t va, uint64_t size)
{
	if (pt->ops && pt->ops->flush_removal)
		pt->ops->flush_removal(pt, va, size);
	else
		flush(pt, va, size);
}

static unsigned table_count(uint64_t desc)
{
	return (unsigned)((desc & PT_COUNT_MASK) >> PT_COUNT_SHIFT);
}

/* The parent's count of valid entries follows each slot's validity (no walker reads it), and
 * nr_empty the tables whose count is zero. */
static inline void count_change(struct pt *pt, uint64_t *parent, uint64_t old, uint64_t next)
{
	bool was = old & PT_VALID, is = next & PT_VALID;
	unsigned before;

	if (!parent || was == is)
		return;
	before = table_count(*parent);
	if (is && before == 0)
		pt->nr_empty--;
	else if (!is && before == 1)
		pt->nr_empty++;
	__atomic_store_n(parent,
			 is ? *parent + (1ULL << PT_COUNT_SHIFT)
			    : *parent - (1ULL << PT_COUNT_SHIFT),
			 __ATOMIC_RELEASE);
}

/* Break-before-make: a valid entry replaced by another goes through invalid, with the TLB
 * flushed, first. A removal only needs the flush before the update returns. */
static void write_entry(struct pt *pt, uint64_t *slot, uint64_t *parent, uint64_t va,
			unsigned level, uint64_t next)
{
	uint64_t old = *slot;

	if (old & PT_VALID) {
		__atomic_store_n(slot, 0, __ATOMIC_RELEASE);
		if (next & PT_VALID)
			flush(pt, va, pt_level_size(level));
		else
			pt->flush_pending = true;
	}
	__atomic_store_n(slot, next, __ATOMIC_RELEASE);
	count_change(pt, parent, old, next);
}

static paddr_t table_alloc(struct pt *pt)
{
	if (pt->nr_spare)
		return pt->spare[--pt->nr_spare];
	return pt->alloc->alloc_table(pt->alloc->ctx, 1);
}

#define RETIRED_DIRTY 1ULL /* in a retired address: the page still holds entries */

/* Only empty (all-zero) pages become spares: a spare is a new table as it stands. */
static void release_retired(struct pt *pt)
{
	for (unsigned i = 0; i < pt->nr_retired; i++) {
		paddr_t t = pt->retired[i];

		if (!(t & RETIRED_DIRTY) && pt->nr_spare < PT_SPARES)
			pt->spare[pt->nr_spare++] = t;
		else
			pt->alloc->free_table(pt->alloc->ctx, t & ~RETIRED_DIRTY, 1);
	}
	pt->nr_retired = 0;
}

/* A table taken out of the tree waits for the update's flush: a walk cache may still hold
 * the descriptor that pointed to it. */
static void retire_table(struct pt *pt, paddr_t table, bool empty)
{
	if (pt->nr_retired == PT_RETIRED) {
		flush(pt, pt->update_va, pt->update_size);
		pt->flush_pending = false;
		release_retired(pt);
	}
	pt->retired[pt->nr_retired++] = table | (empty ? 0 : RETIRED_DIRTY);
	pt->nr_tables--;
}

static void free_subtree(struct pt *pt, uint64_t desc, unsigned level, uint64_t va)
{
	uint64_t *t = table_at(desc & PT_ADDR_MASK);

	if (!table_count(desc))
		pt->nr_empty--;
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t va_i = va + ((uint64_t)i << level_shift(level));

		if (is_table(t[i], level))
			free_subtree(pt, t[i], level + 1, va_i);
		else if (is_leaf(t[i], level))
			notify(pt, va_i, level, t[i], 0);
	}
	retire_table(pt, desc & PT_ADDR_MASK, false);
}

static void replace_entry(struct pt *pt, uint64_t *slot, uint64_t *parent, uint64_t va,
			  unsigned level, uint64_t new)
{
	uint64_t old = *slot;

	if (old == new)
		return;
	write_entry(pt, slot, parent, va, level, new);
	if (is_table(old, level))
		free_subtree(pt, old, level + 1, va);
	notify(pt, va, level, old, new);
}

/* The next-level table under *slot: existing, new and empty, or a block split into the
 * 512 entries that map exactly what the block mapped. */
static int get_subtable(struct pt *pt, uint64_t *slot, uint64_t *parent, uint64_t va,
			unsigned level, paddr_t *sub)
{
	uint64_t old = *slot, count = 0;
	paddr_t nt;

	if (is_table(old, level)) {
		*sub = old & PT_ADDR_MASK;
		return 0;
	}
	nt = table_alloc(pt);
	if (nt == INVALID_PADDR)
		return -XEN_ENOMEM;
	pt->nr_tables++;
	if (is_leaf(old, level)) {
		uint64_t *n = table_at(nt);
		uint64_t csize = pt_level_size(level + 1);
		uint64_t base = ALIGN_DOWN(va, pt_level_size(level));

		for (unsigned i = 0; i < ENTRIES; i++) {
			n[i] = make_leaf((old & PT_ADDR_MASK) + i * csize, old, level + 1);
			notify(pt, base + i * csize, level + 1, 0, n[i]);
		}
		notify(pt, base, level, old, 0);
		count = ENTRIES;
	}
	if (!count)
		pt->nr_empty++;
	write_entry(pt, slot, parent, va, level,
		    nt | PT_VALID | PT_TABLE | (count << PT_COUNT_SHIFT));
	*sub = nt;
	return 0;
}

/* unmap: pa and attr are ignored and entries become invalid. parent: the descriptor that
 * points to table (NULL for the root), whose count this keeps. */
static int update_level(struct pt *pt, paddr_t table, uint64_t *parent, unsigned level, uint64_t va,
			paddr_t pa, uint64_t size, uint64_t attr, bool unmap)
{
	uint64_t *t = table_at(table);
	uint64_t lsize = pt_level_size(level);

	while (size) {
		uint64_t *slot = &t[entry_index(pt, level, va)];
		uint64_t chunk = MIN(size, lsize - (va & (lsize - 1)));
		paddr_t sub;
		int rc;

		if (chunk == lsize && (unmap || (level >= 1 && IS_ALIGNED(pa, lsize)))) {
			replace_entry(pt, slot, parent, va, level,
				      unmap ? 0 : make_leaf(pa, attr, level));
		} else if (!unmap || (*slot & PT_VALID)) {
			rc = get_subtable(pt, slot, parent, va, level, &sub);
			if (rc)
				return rc;
			rc = update_level(pt, sub, slot, level + 1, va, pa, chunk, attr, unmap);
			if (rc)
				return rc;
			if (unmap && !table_count(*slot) && pt->nr_empty > PT_KEEP_EMPTY) {
				pt->nr_empty--;
				write_entry(pt, slot, parent, va, level, 0);
				retire_table(pt, sub, true);
			}
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

static int check_range(const struct pt *pt, uint64_t va, uint64_t size)
{
	if (size == 0 || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -XEN_EINVAL;
	if (va + size < va || va + size > (1ULL << pt->va_bits))
		return -XEN_ERANGE;
	return 0;
}

int pt_init(struct pt *pt, unsigned va_bits, unsigned root_level, const struct pt_alloc *alloc,
	    const struct pt_ops *ops)
{
	unsigned bits_at_root;

	if (root_level > 2 || va_bits <= level_shift(root_level) || va_bits > 48)
		return -XEN_EINVAL;
	bits_at_root = va_bits - level_shift(root_level);
	memset(pt, 0, sizeof(*pt));
	pt->va_bits = va_bits;
	pt->root_level = root_level;
	pt->root_pages = bits_at_root > 9 ? 1U << (bits_at_root - 9) : 1;
	pt->root_mask = (1ULL << bits_at_root) - 1;
	if (pt->root_pages > 16) /* at most 16 concatenated tables (Arm ARM D8.2.6) */
		return -XEN_EINVAL;
	pt->alloc = alloc;
	pt->ops = ops;
	pt->root = alloc->alloc_table(alloc->ctx, pt->root_pages);
	if (pt->root == INVALID_PADDR)
		return -XEN_ENOMEM;
	pt->nr_tables = pt->root_pages;
	return 0;
}

/* The last-level slot for va, and the descriptor of the table holding it, when every table
 * on the way is there; NULL otherwise. */
static uint64_t *page_slot(struct pt *pt, uint64_t va, uint64_t **parent)
{
	uint64_t *t = table_at(pt->root), *slot = NULL;

	for (unsigned l = pt->root_level; l < 3; l++) {
		slot = &t[entry_index(pt, l, va)];
		if (!is_table(*slot, l))
			return NULL;
		t = table_at(*slot & PT_ADDR_MASK);
	}
	*parent = slot;
	return &t[entry_index(pt, 3, va)];
}

/* The run-time change (a grant mapped or unmapped): one page whose slot and table
 * (page_slot) are there, filling the free slot or emptying the used one without unlinking
 * its table. Done here without the general walk; 1 when it is not that case. */
static int update_page_at(struct pt *pt, uint64_t *slot, uint64_t *parent, uint64_t va,
			  paddr_t pa, uint64_t attr, bool unmap)
{
	uint64_t old = *slot, next;

	if (unmap) {
		if (!(old & PT_VALID))
			return 0;
		if (table_count(*parent) == 1 && pt->nr_empty >= PT_KEEP_EMPTY)
			return 1; /* the table goes: the general walk retires it */
		__atomic_store_n(slot, 0, __ATOMIC_RELEASE);
		count_change(pt, parent, old, 0);
		notify_page(pt, va, old, 0);
		flush_removal(pt, va, PAGE_SIZE);
		return 0;
	}
	if (old & PT_VALID)
		return 1; /* a live entry replaced: break-before-make in the general walk */
	next = make_leaf(pa, attr, 3);
	__atomic_store_n(slot, next, __ATOMIC_RELEASE);
	count_change(pt, parent, 0, next);
	notify_page(pt, va, 0, next);
	arch_pt_publish();
	return 0;
}

static int update_page(struct pt *pt, uint64_t va, paddr_t pa, uint64_t attr, bool unmap)
{
	uint64_t *parent, *slot = page_slot(pt, va, &parent);

	return slot ? update_page_at(pt, slot, parent, va, pa, attr, unmap) : 1;
}

/* The root may be several concatenated pages (stage 2) or a partial one (EL2 stage 1 at
 * level 0): entry_index() sizes the root level's index to match. */
static int update(struct pt *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attr,
		  bool unmap)
{
	int rc = check_range(pt, va, size);
	uint64_t vstart = va, vsize = size;

	if (rc)
		return rc;
	if (!unmap && !IS_ALIGNED(pa, PAGE_SIZE))
		return -XEN_EINVAL;
	if (size == PAGE_SIZE) {
		rc = update_page(pt, va, pa, attr, unmap);
		if (rc <= 0)
			return rc;
	}
	pt->update_va = va;
	pt->update_size = size;
	rc = update_level(pt, pt->root, NULL, pt->root_level, va, pa, size, attr, unmap);
	if (pt->flush_pending && pt->nr_retired)
		flush(pt, vstart, vsize);
	else if (pt->flush_pending)
		flush_removal(pt, vstart, vsize);
	else
		arch_pt_publish(); /* a flush publishes too: its barriers come first */
	pt->flush_pending = false;
	release_retired(pt);
	return rc;
}

int pt_map(struct pt *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attr)
{
	return update(pt, va, pa, size, attr, false);
}

int pt_unmap(struct pt *pt, uint64_t va, uint64_t size)
{
	return update(pt, va, 0, size, 0, true);
}

int pt_map_page_new(struct pt *pt, uint64_t va, paddr_t pa, uint64_t attr)
{
	uint64_t *parent, *slot;
	int rc = check_range(pt, va, PAGE_SIZE);

	if (rc)
		return rc;
	if (!IS_ALIGNED(pa, PAGE_SIZE))
		return -XEN_EINVAL;
	slot = page_slot(pt, va, &parent);
	if (slot && !(*slot & PT_VALID))
		return update_page_at(pt, slot, parent, va, pa, attr, false);
	if (slot || !pt_lookup(pt, va, NULL, NULL, NULL))
		return -XEN_EEXIST;
	return update(pt, va, pa, PAGE_SIZE, attr, false);
}

int pt_unmap_page_if(struct pt *pt, uint64_t va, uint64_t mask, uint64_t want)
{
	uint64_t *parent, *slot;
	int rc = check_range(pt, va, PAGE_SIZE);

	if (rc)
		return rc;
	slot = page_slot(pt, va, &parent);
	if (!slot || !(*slot & PT_VALID) || (*slot & mask) != want)
		return -XEN_ENOENT;
	if (!update_page_at(pt, slot, parent, va, 0, 0, true))
		return 0;
	return update(pt, va, 0, PAGE_SIZE, 0, true);
}

/* The slot of the leaf covering va and its level; NULL when no leaf does. */
static inline uint64_t *leaf_slot(const struct pt *pt, uint64_t va, unsigned *level)
{
	paddr_t table = pt->root;

	for (unsigned l = pt->root_level; l <= 3; l++) {
		uint64_t *slot = &table_at(table)[entry_index(pt, l, va)];

		if (!(*slot & PT_VALID))
			return NULL;
		if (is_leaf(*slot, l)) {
			*level = l;
			return slot;
		}
		if (!is_table(*slot, l))
			return NULL;
		table = *slot & PT_ADDR_MASK;
	}
	return NULL;
}

int pt_lookup(const struct pt *pt, uint64_t va, paddr_t *pa, uint64_t *desc, unsigned *level)
{
	const uint64_t *slot;
	uint64_t lsize;
	unsigned l;

	if (va >= (1ULL << pt->va_bits))
		return -XEN_ERANGE;
	slot = leaf_slot(pt, va, &l);
	if (!slot)
		return -XEN_ENOENT;
	lsize = pt_level_size(l);
	if (pa)
		*pa = (*slot & PT_ADDR_MASK & ~(lsize - 1)) + (va & (lsize - 1));
	if (desc)
		*desc = *slot;
	if (level)
		*level = l;
	return 0;
}

/* In place, without break-before-make: only bits a walker may see in either state, and
 * only when every TLB entry either could give is correct (the caller's to say). */
static bool attr_bits_only(uint64_t mask, uint64_t bits)
{
	return !(mask & (PT_ADDR_MASK | PT_VALID | PT_TABLE)) && !(bits & ~mask);
}

static void set_bits(struct pt *pt, uint64_t *slot, uint64_t va, unsigned level, uint64_t mask,
		     uint64_t bits)
{
	uint64_t old = *slot;

	__atomic_store_n(slot, (old & ~mask) | bits, __ATOMIC_RELEASE);
	notify(pt, va, level, old, *slot);
}

int pt_set_leaf_bits(struct pt *pt, uint64_t va, uint64_t mask, uint64_t bits)
{
	uint64_t *slot;
	unsigned l;

	if (!attr_bits_only(mask, bits))
		return -XEN_EINVAL;
	if (va >= (1ULL << pt->va_bits))
		return -XEN_ERANGE;
	slot = leaf_slot(pt, va, &l);
	if (!slot)
		return -XEN_ENOENT;
	set_bits(pt, slot, ALIGN_DOWN(va, pt_level_size(l)), l, mask, bits);
	arch_pt_publish();
	return 0;
}

static int walk_level(const struct pt *pt, paddr_t table, unsigned level, uint64_t va,
		      unsigned nr, pt_walk_fn fn, void *arg)
{
	const uint64_t *t = table_at(table);

	for (unsigned i = 0; i < nr; i++) {
		uint64_t va_i = va + ((uint64_t)i << level_shift(level));
		int rc = 0;

		if (is_table(t[i], level))
			rc = walk_level(pt, t[i] & PT_ADDR_MASK, level + 1, va_i, ENTRIES, fn, arg);
		else if (is_leaf(t[i], level))
			rc = fn(arg, va_i, t[i] & PT_ADDR_MASK, pt_level_size(level), t[i], level);
		if (rc)
			return rc;
	}
	return 0;
}

/* Entries at the root level: several pages' or part of one (pt_init) */
static unsigned root_entries(const struct pt *pt)
{
	return 1U << (pt->va_bits - level_shift(pt->root_level));
}

int pt_walk(const struct pt *pt, pt_walk_fn fn, void *arg)
{
	return walk_level(pt, pt->root, pt->root_level, 0, root_entries(pt), fn, arg);
}

static uint64_t set_bits_level(struct pt *pt, paddr_t table, unsigned level, uint64_t va,
			       unsigned nr, pt_pick_fn pick, void *arg, uint64_t mask, uint64_t bits)
{
	uint64_t *t = table_at(table), changed = 0;

	for (unsigned i = 0; i < nr; i++) {
		uint64_t va_i = va + ((uint64_t)i << level_shift(level)), old = t[i];

		if (is_table(old, level)) {
			changed += set_bits_level(pt, old & PT_ADDR_MASK, level + 1, va_i, ENTRIES,
						  pick, arg, mask, bits);
		} else if (is_leaf(old, level) && pick(arg, va_i, old, level)) {
			set_bits(pt, &t[i], va_i, level, mask, bits);
			changed++;
		}
	}
	return changed;
}

uint64_t pt_set_bits_where(struct pt *pt, pt_pick_fn pick, void *arg, uint64_t mask,
			   uint64_t bits)
{
	uint64_t changed;

	if (!attr_bits_only(mask, bits))
		return 0;
	changed = set_bits_level(pt, pt->root, pt->root_level, 0, root_entries(pt), pick, arg,
				 mask, bits);
	arch_pt_publish();
	return changed;
}

void pt_destroy(struct pt *pt)
{
	if (pt->root == INVALID_PADDR || !pt->alloc)
		return;
	pt_unmap(pt, 0, 1ULL << pt->va_bits);
	while (pt->nr_spare)
		pt->alloc->free_table(pt->alloc->ctx, pt->spare[--pt->nr_spare], 1);
	pt->alloc->free_table(pt->alloc->ctx, pt->root, pt->root_pages);
	pt->root = INVALID_PADDR;
	pt->nr_tables = 0;
}
