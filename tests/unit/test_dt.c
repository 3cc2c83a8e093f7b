/* The DT index (dt.c) against libfdt itself: on a tree with nesting, phandles of both
 * spellings, NOPs between properties, empty and repeated names, every node's parent,
 * children, name, path, properties (present and absent), compatible and phandle lookups,
 * the walk and every reg (cells read from the index) give libfdt's answers; another blob at
 * another address is answered by libfdt. dt_finish gives fdt_finish's tree. */
#include "unit.h"
#include "dt.h"
#include <libfdt.h>
#include <string.h>

#define OK(x) assert_int_equal((x), 0)

static char tree[8192] __attribute__((aligned(8)));
static char copy[8192] __attribute__((aligned(8)));

static void leaf(void *t, const char *name, const char *compat, uint32_t ph, bool old_ph)
{
	OK(fdt_begin_node(t, name));
	if (compat)
		OK(fdt_property_string(t, "compatible", compat));
	OK(fdt_property_u32(t, "reg", 0x1000));
	if (ph)
		OK(fdt_property_u32(t, old_ph ? "linux,phandle" : "phandle", ph));
	OK(fdt_property(t, "empty", NULL, 0));
	OK(fdt_end_node(t));
}

static void *make_tree(void)
{
	void *t = tree;

	OK(fdt_create(t, sizeof(tree)));
	OK(fdt_finish_reservemap(t));
	OK(fdt_begin_node(t, ""));
	OK(fdt_property_string(t, "model", "dt index test"));
	OK(fdt_property_u32(t, "#address-cells", 2));
	leaf(t, "a@1", "x,one\0x,two", 5, false);
	OK(fdt_begin_node(t, "bus"));
	OK(fdt_property(t, "compatible", "x,bus\0x,two", 12));
	OK(fdt_property_u32(t, "nopme", 1));
	OK(fdt_property_u32(t, "status", 0));
	OK(fdt_property_u32(t, "#address-cells", 1));
	OK(fdt_property_u32(t, "#size-cells", 0));
	OK(fdt_property(t, "ranges", NULL, 0));
	leaf(t, "b@2", "x,two", 6, true);
	OK(fdt_begin_node(t, "deep"));
	OK(fdt_property_u64(t, "#size-cells", 1)); /* malformed: 8 bytes */
	leaf(t, "c", NULL, 0, false);
	leaf(t, "d", "x,one", 7, false);
	OK(fdt_end_node(t));
	/* after a subnode: no reader takes it for the bus's (libfdt stops at the subnode) */
	OK(fdt_property_u32(t, "#address-cells", 2));
	OK(fdt_end_node(t));
	leaf(t, "e", "x,three", 0, false);
	OK(fdt_begin_node(t, "g"));
	OK(fdt_property_u32(t, "#address-cells", 0x101)); /* too large for the index's byte */
	OK(fdt_property_u32(t, "#size-cells", 0));
	leaf(t, "h", NULL, 0, false);
	OK(fdt_end_node(t));
	OK(fdt_begin_node(t, "f@2000"));
	OK(fdt_property(t, "reg", "\0\0\0\0\0\0\x20\0\0\0\x01\0", 12)); /* 2 + 1 cells */
	OK(fdt_end_node(t));
	OK(fdt_property_u32(t, "#size-cells", 0)); /* after subnodes: not the root's */
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	OK(fdt_open_into(t, t, sizeof(tree)));
	/* a NOP where a property was, as fdt_nop_property leaves it */
	OK(fdt_nop_property(t, fdt_path_offset(t, "/bus"), "nopme"));
	OK(fdt_pack(t));
	return t;
}

static void same_answers(const void *t)
{
	static const char *const names[] = {"compatible", "reg", "phandle", "linux,phandle",
					    "empty", "status", "nopme", "model", "missing", ""};
	char a[128], b[128];
	int depth = 0;

	for (int n = 0; n >= 0 && depth >= 0; n = fdt_next_node(t, n, &depth)) {
		assert_int_equal(dt_parent(t, n), fdt_parent_offset(t, n));
		assert_int_equal(dt_first_child(t, n), fdt_first_subnode(t, n));
		if (n)
			assert_int_equal(dt_next_sibling(t, n), fdt_next_subnode(t, n));
		OK(dt_get_path(t, n, a, sizeof(a)));
		OK(fdt_get_path(t, n, b, sizeof(b)));
		assert_string_equal(a, b);
		assert_int_equal(dt_get_path(t, n, a, 2), n ? -FDT_ERR_NOSPACE : 0);
		for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
			int la = 7, lb = 7;
			const void *pa = dt_getprop(t, n, names[i], &la);
			const void *pb = fdt_getprop(t, n, names[i], &lb);

			assert_ptr_equal(pa, pb);
			assert_int_equal(la, lb);
		}
		int at = 0, prop = fdt_first_property_offset(t, n), len, rc;
		const char *name;
		const void *val;

		while ((rc = dt_next_prop(t, n, &at, &name, &val, &len)) > 0) {
			int flen;
			const char *fname;

			assert_true(prop >= 0);
			assert_ptr_equal(val, fdt_getprop_by_offset(t, prop, &fname, &flen));
			assert_string_equal(name, fname);
			assert_int_equal(len, flen);
			prop = fdt_next_property_offset(t, prop);
		}
		assert_int_equal(rc, 0);
		assert_int_equal(prop, -FDT_ERR_NOTFOUND);
		assert_int_equal(dt_node_is_compatible(t, n, "x,two"),
				 fdt_node_check_compatible(t, n, "x,two") == 0);
		static const char *const any[] = {"x,thre", "x,three", "x,two"};
		for (unsigned k = 0; k <= ARRAY_SIZE(any); k++) /* the first k of them */
			assert_int_equal(
				dt_node_is_compatible_any(t, n, any, k),
				(k > 1 && fdt_node_check_compatible(t, n, any[1]) == 0) ||
					(k > 2 && fdt_node_check_compatible(t, n, any[2]) == 0));
		if (fdt_get_phandle(t, n))
			assert_int_equal(dt_node_by_phandle(t, fdt_get_phandle(t, n)), n);
		assert_int_equal(dt_get_phandle(t, n), fdt_get_phandle(t, n));
		int na = -1, nb = -2;
		assert_string_equal(dt_get_name(t, n, &na), fdt_get_name(t, n, &nb));
		assert_int_equal(na, nb);
	}
	for (int n = -1, m = -1;;) {
		n = dt_node_by_compatible(t, n, "x,one");
		m = fdt_node_offset_by_compatible(t, m, "x,one");
		assert_int_equal(n, m);
		if (n < 0)
			break;
	}
	static const char *const paths[] = {"/", "/bus", "/bus/b", "/bus/b@2", "/bus/b@3",
					    "/bus/deep/d", "/bus//deep", "/nope", "/a", "/a@1/x",
					    "/e/"};
	for (unsigned i = 0; i < ARRAY_SIZE(paths); i++)
		assert_int_equal(dt_path_offset(t, paths[i]), fdt_path_offset(t, paths[i]));
	assert_int_equal(dt_node_by_prop_value(t, -1, "reg", "\0\0\x10\0", 4),
			 fdt_node_offset_by_prop_value(t, -1, "reg", "\0\0\x10\0", 4));
	assert_int_equal(dt_node_by_prop_value(t, 0, "model", "x", 2), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_node_by_phandle(t, 99), fdt_node_offset_by_phandle(t, 99));
	assert_int_equal(dt_node_by_phandle(t, 0), -FDT_ERR_BADPHANDLE);
}

/* What the index answers (t, indexed) and libfdt (c, a copy at another address): the walk's
 * order, depths and interrupt parents, every reg (cells and ranges), dt_is_bus. */
static void same_walk_and_regs(const void *t, const void *c)
{
	struct dt_walk wt, wc;
	int visited = 0;

	dt_walk_start(&wt, t);
	dt_walk_start(&wc, c);
	for (;;) {
		bool more = dt_walk_next(&wt);

		assert_int_equal(more, dt_walk_next(&wc));
		if (!more)
			break;
		visited++;
		assert_int_equal(wt.node, wc.node);
		assert_int_equal(wt.depth, wc.depth);
		assert_int_equal(wt.irq_parent[wt.depth], wc.irq_parent[wc.depth]);
		assert_int_equal(dt_is_bus(t, wt.node), dt_is_bus(c, wc.node));
		for (int i = 0; i < 3; i++) {
			paddr_t at = 1, ac = 1;
			uint64_t st = 3, sc = 3;

			assert_int_equal(dt_reg(t, wt.node, i, &at, &st),
					 dt_reg(c, wc.node, i, &ac, &sc));
			assert_int_equal(at, ac);
			assert_int_equal(st, sc);
		}
	}
	assert_int_equal(visited, 10);
	paddr_t a;
	uint64_t s;
	OK(dt_reg(t, fdt_path_offset(t, "/bus/b@2"), 0, &a, &s)); /* the bus's leading cells */
	assert_int_equal(a, 0x1000);
	assert_int_equal(s, 0);
	OK(dt_reg(t, fdt_path_offset(t, "/f@2000"), 0, &a, &s)); /* the root's default size */
	assert_int_equal(a, 0x2000);
	assert_int_equal(s, 0x100);
}

static void index_matches_libfdt(void **state)
{
	void *t = make_tree();

	(void)state;
	OK(dt_check_blob(t, sizeof(tree)));
	OK(dt_index_build(t));
	same_answers(t);
	memcpy(copy, t, fdt_totalsize(t));
	same_walk_and_regs(t, copy);
	/* the same blob elsewhere is not the one indexed: libfdt answers, identically */
	memcpy(copy, t, fdt_totalsize(t));
	same_answers(copy);
	dt_index_forget();
	same_answers(t);
}

/* A tree as domain_dt.c writes one, into a buffer of size bytes: 0, or libfdt's error. */
static int write_tree(void *t, int size, uint32_t flags)
{
	static const char compat[] = "x,one\0x,two";
	int rc = fdt_create_with_flags(t, size, flags);

	rc = rc ? rc : fdt_add_reservemap_entry(t, 0x1000, 0x2000);
	rc = rc ? rc : fdt_finish_reservemap(t);
	rc = rc ? rc : fdt_begin_node(t, "");
	rc = rc ? rc : fdt_property_u32(t, "#address-cells", 2);
	rc = rc ? rc : fdt_property(t, "compatible", compat, sizeof(compat));
	for (int i = 0; i < 3 && !rc; i++) {
		rc = fdt_begin_node(t, i ? "dev@1" : "a-longer-node-name@1000");
		rc = rc ? rc : fdt_property(t, "compatible", compat, sizeof(compat));
		rc = rc ? rc : fdt_property(t, "empty", NULL, 0);
		rc = rc ? rc : fdt_property_string(t, "status", "okay");
		rc = rc ? rc : fdt_end_node(t);
	}
	return rc ? rc : fdt_end_node(t);
}

/* dt_finish's result is fdt_finish's, byte for byte, with and without name de-duplication
 * and at every buffer size around the tree's (out of space included). */
static void finish_matches_libfdt(void **state)
{
	static char a[1024] __attribute__((aligned(8))), b[1024] __attribute__((aligned(8)));
	int finished = 0;

	(void)state;
	for (unsigned flags = 0; flags <= FDT_CREATE_FLAG_NO_NAME_DEDUP; flags++)
		for (int size = 64; size <= (int)sizeof(a); size++) {
			memset(a, 0x5a, sizeof(a));
			if (write_tree(a, size, flags))
				continue;
			memcpy(b, a, sizeof(a));
			int ra = fdt_finish(a), rb = dt_finish(b);

			assert_int_equal(rb, ra);
			assert_memory_equal(b, a, sizeof(a));
			if (!ra) {
				OK(fdt_check_full(b, (size_t)size));
				finished++;
			}
		}
	assert_true(finished > 100);
	assert_true(finished < 2 * (1024 - 64)); /* and some did not fit */
}

int run_dt_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_matches_libfdt),
		cmocka_unit_test(finish_matches_libfdt),
	};

	return cmocka_run_group_tests_name("dt", tests, NULL, NULL);
}
