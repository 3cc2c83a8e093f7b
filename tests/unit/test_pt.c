/* Translation tables and the p2m: largest-block choice, walk == what was mapped, splitting
 * on partial unmap/remap, errors, and the direct-mapped counters against a full walk. */
#include "unit.h"
#include "p2m.h"
#include <stdlib.h>
#include <string.h>

#define ATTR (PT_AF | (3ULL << 6))

static struct pt pt;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	assert_int_equal(pt_init(&pt, 40, 1, &fake_pt_alloc, NULL), 0);
	return 0;
}

struct walk_acc {
	uint64_t pages, leaves[4];
	int mismatches;
	int64_t offset; /* expected pa - va */
};

static int walk_check(void *arg, uint64_t va, paddr_t pa, uint64_t size, uint64_t desc,
		      unsigned level)
{
	struct walk_acc *acc = arg;

	(void)desc;
	acc->pages += size >> PAGE_SHIFT;
	acc->leaves[level]++;
	if ((int64_t)(pa - va) != acc->offset)
		acc->mismatches++;
	return 0;
}

static void largest_blocks(void **state)
{
	struct walk_acc acc = {0};

	(void)state;
	assert_int_equal(pt.root_pages, 2); /* 40-bit IPA at level 1: two concatenated pages */
	/* 0x3fe00000..0x80201000: one 2M block, one 1G block, one 2M block, one 4K page */
	assert_int_equal(pt_map(&pt, 0x3fe00000, 0x3fe00000, 0x80201000 - 0x3fe00000, ATTR), 0);
	assert_int_equal(pt.nr_leaves[1], 1);
	assert_int_equal(pt.nr_leaves[2], 2);
	assert_int_equal(pt.nr_leaves[3], 1);
	pt_walk(&pt, walk_check, &acc);
	assert_int_equal(acc.pages, (0x80201000 - 0x3fe00000) >> PAGE_SHIFT);
	assert_int_equal(acc.mismatches, 0);
	assert_int_equal(acc.leaves[1] + acc.leaves[2] + acc.leaves[3], 4);
}

static void misaligned_pa_means_smaller_blocks(void **state)
{
	(void)state;
	/* VA 1G-aligned but PA only 4K-aligned: no block can be used */
	assert_int_equal(pt_map(&pt, 0x40000000, 0x40001000, 4 << 20, ATTR), 0);
	assert_int_equal(pt.nr_leaves[1] + pt.nr_leaves[2], 0);
	assert_int_equal(pt.nr_leaves[3], 1024);
}

static void lookup(void **state)
{
	paddr_t pa;
	uint64_t desc;
	unsigned level;

	(void)state;
	assert_int_equal(pt_map(&pt, 0x80000000, 0x1c0000000ULL, 1ULL << 30, ATTR), 0);
	assert_int_equal(pt_lookup(&pt, 0x80123456, &pa, &desc, &level), 0);
	assert_int_equal(pa, 0x1c0123456ULL);
	assert_int_equal(level, 1);
	assert_int_equal(pt_lookup(&pt, 0x7ffff000, &pa, NULL, NULL), -XEN_ENOENT);
	assert_int_equal(pt_lookup(&pt, 1ULL << 40, &pa, NULL, NULL), -XEN_ERANGE);
}

static void unmap_splits_blocks(void **state)
{
	struct walk_acc acc = {.offset = 0};
	paddr_t pa;

	(void)state;
	assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, 1ULL << 30, ATTR), 0);
	assert_int_equal(pt_unmap(&pt, 0x40201000, 0x1000), 0);
	assert_int_equal(pt.nr_leaves[1], 0);
	assert_int_equal(pt.nr_leaves[2], 511);
	assert_int_equal(pt.nr_leaves[3], 511);
	assert_int_equal(pt_lookup(&pt, 0x40201000, &pa, NULL, NULL), -XEN_ENOENT);
	assert_int_equal(pt_lookup(&pt, 0x40202000, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x40202000);
	pt_walk(&pt, walk_check, &acc);
	assert_int_equal(acc.pages, (1ULL << 18) - 1);
	assert_int_equal(acc.mismatches, 0);
	/* mapping the hole again and unmapping everything frees every table but the root */
	assert_int_equal(pt_map(&pt, 0x40201000, 0x40201000, 0x1000, ATTR), 0);
	assert_int_equal(pt_unmap(&pt, 0, 1ULL << 40), 0);
	assert_int_equal(pt.nr_leaves[1] + pt.nr_leaves[2] + pt.nr_leaves[3], 0);
	assert_int_equal(pt.nr_tables, pt.root_pages);
}

static void remap_replaces(void **state)
{
	paddr_t pa;

	(void)state;
	assert_int_equal(pt_map(&pt, 0x40000000, 0x40000000, 2 << 20, ATTR), 0);
	assert_int_equal(pt_map(&pt, 0x40100000, 0x90000000, 0x1000, ATTR), 0);
	assert_int_equal(pt_lookup(&pt, 0x40100000, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x90000000);
	assert_int_equal(pt_lookup(&pt, 0x40101000, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x40101000);
	assert_int_equal(pt.nr_leaves[3], 512);
}

static void bad_ranges(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0, ATTR), -XEN_EINVAL);
	assert_int_equal(pt_map(&pt, 0x1800, 0x1000, 0x1000, ATTR), -XEN_EINVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1800, 0x1000, ATTR), -XEN_EINVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1800, ATTR), -XEN_EINVAL);
	assert_int_equal(pt_map(&pt, (1ULL << 40) - 0x1000, 0, 0x2000, ATTR), -XEN_ERANGE);
	assert_int_equal(pt_map(&pt, ~0ULL & ~0xfffULL, 0, 0x2000, ATTR), -XEN_ERANGE);
	assert_int_equal(pt_init(&pt, 12, 1, &fake_pt_alloc, NULL), -XEN_EINVAL);
	assert_int_equal(pt_init(&pt, 48, 1, &fake_pt_alloc, NULL), -XEN_EINVAL); /* 512 pages */
}

static void out_of_table_memory(void **state)
{
	uint64_t free = page_alloc_nr_free(&fake_frames);
	paddr_t hog;

	(void)state;
	hog = page_alloc_contig(&fake_frames, free - 1, 1); /* leave one frame */
	assert_true(hog != INVALID_PADDR);
	/* needs an L2 and an L3 table: the second allocation fails */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, ATTR), -XEN_ENOMEM);
	page_free(&fake_frames, hog, free - 1);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, ATTR), 0);
	assert_int_equal(pt.nr_leaves[3], 1);
}

/* Invalidation as narrow as the change, and table pages reused or freed only after it. */
static struct {
	unsigned flushes, allocs, frees, flushes_at_free;
	uint64_t va, size;
} rec;

static void rec_flush(struct pt *p, uint64_t va, uint64_t size)
{
	(void)p;
	rec.flushes++;
	rec.va = va;
	rec.size = size;
}

static paddr_t rec_alloc(void *ctx, unsigned pages)
{
	rec.allocs++;
	return page_alloc_table(ctx, pages);
}

static void rec_free(void *ctx, paddr_t t, unsigned pages)
{
	rec.frees++;
	rec.flushes_at_free = rec.flushes;
	page_free_table(ctx, t, pages);
}

static uint64_t table_desc(const struct pt *p, unsigned level, uint64_t va)
{
	uint64_t *t = maddr_to_virt(p->root);

	for (unsigned l = p->root_level;; l++) {
		uint64_t d = t[(va >> (12 + 9 * (3 - l))) & (l == p->root_level ? 1023 : 511)];

		if (l == level)
			return d;
		t = maddr_to_virt(d & PT_ADDR_MASK);
	}
}

#define COUNT(d) (((d)&PT_COUNT_MASK) >> PT_COUNT_SHIFT)

/* A stage-2-shaped pt whose flushes, allocations and frees go to rec (zeroed). */
static void rec_pt_init(struct pt *p)
{
	static const struct pt_ops ops = {.flush = rec_flush};
	static struct pt_alloc alloc = {rec_alloc, rec_free, NULL};

	alloc.ctx = fake_pt_alloc.ctx;
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(pt_init(p, 40, 1, &alloc, &ops), 0);
}

static void grant_sized_changes_flush_narrowly(void **state)
{
	struct pt p;

	(void)state;
	rec_pt_init(&p);
	rec.allocs = 0;
	assert_int_equal(pt_map(&p, 0x40001000, 0x80001000, 0x1000, ATTR), 0);
	assert_int_equal(pt_map(&p, 0x40002000, 0x80002000, 0x1000, ATTR), 0);
	assert_int_equal(rec.allocs, 2);  /* an L2 and an L3 table */
	assert_int_equal(rec.flushes, 0); /* nothing valid was removed or replaced */
	assert_int_equal(COUNT(table_desc(&p, 1, 0x40001000)), 1);
	assert_int_equal(COUNT(table_desc(&p, 2, 0x40001000)), 2);
	assert_int_equal(pt_unmap(&p, 0x40001000, 0x1000), 0);
	assert_int_equal(rec.flushes, 1); /* once, for exactly the page */
	assert_int_equal(rec.va, 0x40001000);
	assert_int_equal(rec.size, 0x1000);
	assert_int_equal(COUNT(table_desc(&p, 2, 0x40001000)), 1);
	assert_int_equal(pt_unmap(&p, 0x40002000, 0x1000), 0);
	assert_int_equal(rec.flushes, 2); /* once per removed page */
	/* the emptied tables stay in the tree: the next grant finds them */
	assert_int_equal(p.nr_tables, p.root_pages + 2);
	assert_int_equal(p.nr_empty, 1); /* the L3; the L2 still holds it */
	assert_int_equal(rec.frees, 0);
	assert_int_equal(pt_map(&p, 0x40005000, 0x80005000, 0x1000, ATTR), 0);
	assert_int_equal(rec.allocs, 2);
	assert_int_equal(rec.flushes, 2);
	assert_int_equal(p.nr_empty, 0);
	assert_int_equal(pt_lookup(&p, 0x40005000, NULL, NULL, NULL), 0);
	assert_int_equal(pt_lookup(&p, 0x40001000, NULL, NULL, NULL), -XEN_ENOENT);
	/* a 2 MiB of pages replaced by one block: break-before-make flushes first, and the
	 * page that held them (not empty: never a spare) is freed only after that */
	for (uint64_t off = 0; off < 0x200000; off += 0x1000)
		assert_int_equal(pt_map(&p, 0x40200000 + off, 0x80200000 + off, 0x1000, ATTR), 0);
	assert_int_equal(COUNT(table_desc(&p, 2, 0x40200000)), 512);
	rec.frees = 0;
	unsigned before = rec.flushes;
	assert_int_equal(pt_map(&p, 0x40200000, 0x80200000, 0x200000, ATTR), 0);
	assert_int_equal(rec.frees, 1);
	assert_true(rec.flushes_at_free > before);
	/* removing a whole GiB frees its tables after the removal's flush */
	before = rec.flushes;
	rec.frees = 0;
	assert_int_equal(pt_unmap(&p, 0x40000000, 0x40000000), 0);
	assert_true(rec.frees + p.nr_spare >= 2);
	assert_true(rec.frees == 0 || rec.flushes_at_free > before);
	assert_int_equal(p.nr_tables, p.root_pages);
	pt_destroy(&p);
}

/* Tables in the tree, and those with no valid entry, counted by scanning every table; each
 * table descriptor's count checked against the entries it points to. Returns the table's
 * valid entries. */
static unsigned scan_tables(const struct pt *p, paddr_t table, unsigned level, unsigned nr,
			    uint64_t *tables, uint64_t *empty)
{
	const uint64_t *t = maddr_to_virt(table);
	unsigned valid = 0;

	for (unsigned i = 0; i < nr; i++) {
		valid += (t[i] & PT_VALID) != 0;
		if (level < 3 && (t[i] & PT_VALID) && (t[i] & PT_TABLE))
			assert_int_equal(COUNT(t[i]), scan_tables(p, t[i] & PT_ADDR_MASK, level + 1,
								  512, tables, empty));
	}
	*tables += level == p->root_level ? p->root_pages : 1;
	if (level != p->root_level && !valid)
		(*empty)++;
	return valid;
}

static void check_table_counts(const struct pt *p)
{
	uint64_t tables = 0, empty = 0;

	scan_tables(p, p->root, p->root_level, p->root_pages * 512, &tables, &empty);
	assert_int_equal(tables, p->nr_tables);
	assert_int_equal(empty, p->nr_empty);
}

/* A guest mapping and unmapping a page in many places: at most PT_KEEP_EMPTY emptied tables
 * stay in its tree, the rest are freed, each only after the flush of its last entry. */
static void emptied_tables_kept_up_to_a_bound(void **state)
{
	struct pt p;

	(void)state;
	rec_pt_init(&p);
	/* 40 pages, each in its own 2 MiB and every 4th in its own 1 GiB */
	for (uint64_t i = 0; i < 40; i++) {
		uint64_t va = (i / 4) * 0x40000000ULL + (i % 4) * 0x200000ULL + 0x3000;

		assert_int_equal(pt_map(&p, va, 0x80000000ULL + i * 0x1000, 0x1000, ATTR), 0);
		check_table_counts(&p);
	}
	for (uint64_t i = 0; i < 40; i++) {
		uint64_t va = (i / 4) * 0x40000000ULL + (i % 4) * 0x200000ULL + 0x3000;
		unsigned flushes = rec.flushes, frees = rec.frees;

		assert_int_equal(pt_unmap(&p, va, 0x1000), 0);
		assert_true(rec.flushes > flushes);
		if (rec.frees > frees)
			assert_int_equal(rec.flushes_at_free, rec.flushes);
		assert_true(p.nr_empty <= PT_KEEP_EMPTY);
		check_table_counts(&p);
	}
	assert_int_equal(p.nr_leaves[3], 0);
	/* what stays: the kept tables and the tables above them */
	assert_true(p.nr_tables <= p.root_pages + 2 * PT_KEEP_EMPTY);
	assert_int_equal(p.nr_empty, PT_KEEP_EMPTY);
	/* mapping again where a kept table is allocates nothing */
	unsigned allocs = rec.allocs;
	assert_int_equal(pt_map(&p, 0x3000, 0x80000000ULL, 0x1000, ATTR), 0);
	check_table_counts(&p);
	assert_int_equal(rec.allocs, allocs);
	/* a whole range removed takes its kept tables too */
	assert_int_equal(pt_unmap(&p, 0, 1ULL << 40), 0);
	assert_int_equal(p.nr_tables, p.root_pages);
	assert_int_equal(p.nr_empty, 0);
	check_table_counts(&p);
	pt_destroy(&p);
}

/* p2m: the counters behind XENFEAT_direct_mapped equal a full walk after every change. */
struct ram_count {
	uint64_t ram, identity, leaves;
};

static int count_ram(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
		     unsigned level)
{
	struct ram_count *c = arg;

	(void)level;
	if (((desc >> 55) & 0xf) != P2M_RAM)
		return 0;
	c->ram += size >> PAGE_SHIFT;
	c->leaves++;
	if (ma == gpa)
		c->identity += size >> PAGE_SHIFT;
	return 0;
}

static void p2m_direct_mapped_tracks_walk(void **state)
{
	struct p2m p2m;
	struct ram_count c;

	(void)state;
	assert_int_equal(p2m_init(&p2m, 1, &fake_pt_alloc), 0);
	assert_false(p2m_is_direct_mapped(&p2m)); /* no RAM: not direct-mapped */
	assert_int_equal(p2m_map(&p2m, 0x40000000, 0x40000000, 1ULL << 30, P2M_RAM, P2M_RW), 0);
	assert_true(p2m_is_direct_mapped(&p2m));
	assert_int_equal(p2m_map(&p2m, 0x9000000, 0x9000000, 0x1000, P2M_MMIO, P2M_RW), 0);
	assert_true(p2m_is_direct_mapped(&p2m));
	/* one page of RAM elsewhere: no longer 1:1 */
	assert_int_equal(p2m_map(&p2m, 0x40200000, 0x90000000, 0x1000, P2M_RAM, P2M_RW), 0);
	assert_false(p2m_is_direct_mapped(&p2m));
	assert_int_equal(p2m_unmap(&p2m, 0x40200000, 0x1000), 0);
	assert_true(p2m_is_direct_mapped(&p2m));
	srand(7);
	for (int i = 0; i < 300; i++) {
		uint64_t gpa = 0x40000000 + ((uint64_t)(rand() % 4096) << PAGE_SHIFT);
		uint64_t size = (uint64_t)(1 + rand() % 700) << PAGE_SHIFT;
		int op = rand() % 3;

		if (op == 0)
			p2m_map(&p2m, gpa, gpa, size, P2M_RAM, P2M_RW);
		else if (op == 1)
			p2m_map(&p2m, gpa, gpa + 0x100000000ULL, size, P2M_RAM, P2M_RO);
		else
			p2m_unmap(&p2m, gpa, size);
		memset(&c, 0, sizeof(c));
		pt_walk(&p2m.pt, count_ram, &c);
		assert_int_equal(c.ram, p2m.ram_pages);
		assert_int_equal(c.identity, p2m.ram_identity_pages);
		assert_int_equal(c.leaves, p2m.ram_leaves);
	}
}

static void p2m_types_and_access(void **state)
{
	struct p2m p2m;
	paddr_t ma;
	enum p2m_type t;
	enum p2m_access a;
	char line[200];

	(void)state;
	assert_int_equal(p2m_init(&p2m, 3, &fake_pt_alloc), 0);
	assert_int_equal(p2m_map(&p2m, 0x1000, 0x5000, 0x1000, P2M_RAM, P2M_RO), 0);
	assert_int_equal(p2m_map(&p2m, 0x9000000, 0x9000000, 0x1000, P2M_MMIO, P2M_RW), 0);
	assert_int_equal(p2m_map(&p2m, 0x2000, 0x2000, 0x1000, P2M_NONE, P2M_RW), -XEN_EINVAL);
	assert_int_equal(p2m_lookup(&p2m, 0x1abc, &ma, &t, &a), 0);
	assert_int_equal(ma, 0x5abc);
	assert_int_equal(t, P2M_RAM);
	assert_int_equal(a, P2M_RO);
	assert_int_equal(p2m_lookup(&p2m, 0x9000000, &ma, &t, &a), 0);
	assert_int_equal(t, P2M_MMIO);
	assert_int_equal(a, P2M_RW);
	assert_int_equal(p2m_lookup(&p2m, 0x3000, &ma, &t, &a), -XEN_ENOENT);
	assert_int_equal(p2m_lookup(&p2m, 1ULL << 41, &ma, &t, &a), -XEN_ENOENT);
	assert_int_equal(p2m_vttbr(&p2m) >> 48, 3);
	p2m_describe(&p2m, line, sizeof(line));
	assert_non_null(strstr(line, "0 MiB RAM translated in 1 entries"));
	assert_non_null(strstr(line, "1 MMIO ranges"));
	/* walkers cache no invalid entry: filling empty slots needs no invalidation */
	assert_int_equal(fake_s2_flushes, 0);
	assert_int_equal(p2m_unmap(&p2m, 0x1000, 0x1000), 0);
	assert_int_equal(fake_s2_flushes, 1); /* a removal: one, before p2m_unmap returns */
}

int run_pt_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(largest_blocks, setup),
		cmocka_unit_test_setup(misaligned_pa_means_smaller_blocks, setup),
		cmocka_unit_test_setup(lookup, setup),
		cmocka_unit_test_setup(unmap_splits_blocks, setup),
		cmocka_unit_test_setup(remap_replaces, setup),
		cmocka_unit_test_setup(bad_ranges, setup),
		cmocka_unit_test_setup(grant_sized_changes_flush_narrowly, setup),
		cmocka_unit_test_setup(emptied_tables_kept_up_to_a_bound, setup),
		cmocka_unit_test_setup(out_of_table_memory, setup),
		cmocka_unit_test_setup(p2m_direct_mapped_tracks_walk, setup),
		cmocka_unit_test_setup(p2m_types_and_access, setup),
	};
	return cmocka_run_group_tests_name("pt_p2m", tests, NULL, NULL);
}
