/* Device-tree helpers over libfdt (Devicetree Specification v0.4, 2.3 and 2.4). Every read
 * is bounds-checked: a malformed DTB yields an error, never a wild read. The boot's host
 * tree is indexed once (each node's parent and phandle), because libfdt finds a parent, a
 * path or a phandle by scanning from the root, and per-device loops over those made the
 * boot quadratic in the tree's size (18 ms of QEMU virt's 54 ms boot). */
#include "dt.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

uint64_t dt_read_cells(const uint32_t *cells, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld((const fdt32_t *)&cells[i]);
	return v;
}

#define DT_INDEX_MAX 2048 /* nodes; a larger tree is read through libfdt alone */

static struct {
	const void *fdt;       /* the blob indexed, or NULL */
	const char *st, *strs; /* its structure and strings blocks */
	unsigned nr;
	int off[DT_INDEX_MAX];	       /* node offsets, ascending (the tree's order) */
	uint16_t parent[DT_INDEX_MAX]; /* slot, or NO_SLOT for the root */
	uint16_t next[DT_INDEX_MAX];   /* slot of the next sibling, or NO_SLOT */
	uint32_t props[DT_INDEX_MAX];  /* struct-block offset of its first property */
	uint32_t phandle[DT_INDEX_MAX];
	uint8_t depth[DT_INDEX_MAX]; /* the root's is 0 (at most 64: dt_check_blob) */
	/* its #address-cells (low nibble) and #size-cells (high), the first of each name, which
	 * every reg of a child asks: the value, CELLS_NONE, or CELLS_READ (malformed or large:
	 * read the property). Small, as the rest: the image's end is in the boot's first line. */
	uint8_t cells[DT_INDEX_MAX];
} dt_index;

#define NO_SLOT 0xffff /* more than DT_INDEX_MAX */
enum { CELLS_ADDRESS, CELLS_SIZE };
#define CELLS_NONE 0xf
#define CELLS_READ 0xe

static unsigned cells_of(unsigned slot, unsigned which)
{
	return (unsigned)(dt_index.cells[slot] >> (4 * which)) & 0xf;
}

void dt_index_forget(void)
{
	dt_index.fdt = NULL;
	dt_index.nr = 0;
}

/* The structure block's big-endian words (Devicetree Specification v0.4, 5.4), one load
 * each: only a blob whose structure block is 4-byte aligned (as a loaded DTB is) is
 * indexed, so every word read through the index is aligned. */
typedef uint32_t __attribute__((may_alias)) word32; /* a view of the blob's bytes */

static uint32_t be32_at(const char *p)
{
	return __builtin_bswap32(*(const word32 *)(const void *)p);
}

/* A property's phandle: "phandle" wins over the older "linux,phandle" (fdt_get_phandle). */
static void note_phandle(unsigned slot, const char *name, const char *val, uint32_t len,
			 bool *modern)
{
	bool is_new = !strcmp(name, "phandle");

	if (len != 4 || (!is_new && (strcmp(name, "linux,phandle") || *modern)))
		return;
	dt_index.phandle[slot] = be32_at(val);
	*modern |= is_new;
}

/* "#address-cells" / "#size-cells" as node_cells reads them. */
static void note_cells(unsigned slot, const char *name, const char *val, uint32_t len)
{
	unsigned which;

	if (name[0] != '#')
		return;
	if (!strcmp(name, "#address-cells"))
		which = CELLS_ADDRESS;
	else if (!strcmp(name, "#size-cells"))
		which = CELLS_SIZE;
	else
		return;
	uint32_t v = len == 4 && be32_at(val) < CELLS_READ ? be32_at(val) : CELLS_READ;

	if (cells_of(slot, which) != CELLS_NONE)
		return;
	dt_index.cells[slot] =
		(uint8_t)((dt_index.cells[slot] & ~(0xfU << (4 * which))) | v << (4 * which));
}

static int index_fail(int rc)
{
	dt_index_forget();
	return rc;
}

/* One pass over the structure block, which dt_check_blob has checked: every tag, length and
 * name offset is inside its block, the nesting at most 64 deep. */
int dt_index_build(const void *fdt)
{
	const char *st = (const char *)fdt + fdt_off_dt_struct(fdt);
	const char *strs = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), at = 0;
	int open[66], last[66], depth = 0;
	bool modern[66] = {false};
	bool leading[66]; /* no subnode yet: its properties are those dt_getprop reads */

	dt_index_forget();
	if ((uintptr_t)st & 3)
		return index_fail(-XEN_EINVAL); /* read through libfdt, byte by byte */
	last[0] = -1;
	while (at + 4 <= size) {
		uint32_t tag = be32_at(st + at), len;
		unsigned slot;

		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth > 64 || dt_index.nr == DT_INDEX_MAX)
				return index_fail(-XEN_ENOSPC);
			slot = dt_index.nr++;
			dt_index.off[slot] = (int)at;
			dt_index.parent[slot] = depth ? (uint16_t)open[depth - 1] : NO_SLOT;
			dt_index.next[slot] = NO_SLOT;
			dt_index.phandle[slot] = 0;
			dt_index.depth[slot] = (uint8_t)depth;
			dt_index.cells[slot] = CELLS_NONE | CELLS_NONE << 4;
			if (last[depth] >= 0)
				dt_index.next[last[depth]] = (uint16_t)slot;
			last[depth] = (int)slot;
			modern[depth] = false;
			if (depth)
				leading[depth - 1] = false;
			leading[depth] = true;
			open[depth++] = (int)slot;
			last[depth] = -1;
			at += 4 + (uint32_t)ALIGN_UP(strlen(st + at + 4) + 1, 4);
			dt_index.props[slot] = at;
			break;
		case FDT_PROP:
			len = be32_at(st + at + 4);
			if (depth) {
				const char *name = strs + be32_at(st + at + 8);

				note_phandle((unsigned)open[depth - 1], name, st + at + 12, len,
					     &modern[depth - 1]);
				if (leading[depth - 1])
					note_cells((unsigned)open[depth - 1], name, st + at + 12,
						   len);
			}
			at += 12 + (uint32_t)ALIGN_UP(len, 4);
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return index_fail(-XEN_EINVAL);
			at += 4;
			if (--depth == 0) {
				dt_index.fdt = fdt;
				dt_index.st = st;
				dt_index.strs = strs;
				return 0;
			}
			break;
		case FDT_NOP:
			at += 4;
			break;
		default:
			return index_fail(-XEN_EINVAL);
		}
	}
	return index_fail(-XEN_EINVAL);
}

/* The node's slot in the index, or -1 (not indexed: ask libfdt). Callers ask about one node
 * several times in a row: the last answer is tried first. */
static int index_slot(const void *fdt, int node)
{
	static unsigned last;
	unsigned lo = 0, hi = dt_index.nr;

	if (fdt != dt_index.fdt)
		return -1;
	if (last < dt_index.nr && dt_index.off[last] == node)
		return (int)last;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (dt_index.off[mid] == node)
			return (int)(last = mid);
		if (dt_index.off[mid] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int dt_parent(const void *fdt, int node)
{
	int i = index_slot(fdt, node);

	if (i < 0)
		return fdt_parent_offset(fdt, node);
	return dt_index.parent[i] != NO_SLOT ? dt_index.off[dt_index.parent[i]] : -FDT_ERR_NOTFOUND;
}

int dt_first_child(const void *fdt, int node)
{
	int i = index_slot(fdt, node);

	if (i < 0)
		return fdt_first_subnode(fdt, node);
	return (unsigned)i + 1 < dt_index.nr && dt_index.parent[i + 1] == i ? dt_index.off[i + 1]
									    : -FDT_ERR_NOTFOUND;
}

int dt_next_sibling(const void *fdt, int node)
{
	int i = index_slot(fdt, node);

	if (i < 0)
		return fdt_next_subnode(fdt, node);
	return dt_index.next[i] != NO_SLOT ? dt_index.off[dt_index.next[i]] : -FDT_ERR_NOTFOUND;
}

const char *dt_get_name(const void *fdt, int node, int *lenp)
{
	const char *name;

	if (index_slot(fdt, node) < 0)
		return fdt_get_name(fdt, node, lenp);
	name = dt_index.st + node + 4; /* after its tag (5.4.1) */
	if (lenp)
		*lenp = (int)strlen(name);
	return name;
}

const void *dt_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	int i = index_slot(fdt, node);
	const char *st = dt_index.st, *strs = dt_index.strs;

	if (i < 0)
		return fdt_getprop(fdt, node, name, lenp);
	for (uint32_t at = dt_index.props[i];;) {
		uint32_t tag = be32_at(st + at), len;

		if (tag == FDT_NOP) {
			at += 4;
			continue;
		}
		if (tag != FDT_PROP)
			break;
		const char *pname = strs + be32_at(st + at + 8);

		len = be32_at(st + at + 4);
		if (pname[0] == name[0] && !strcmp(pname, name)) {
			if (lenp)
				*lenp = (int)len;
			return st + at + 12;
		}
		at += 12 + (uint32_t)ALIGN_UP(len, 4);
	}
	if (lenp)
		*lenp = -FDT_ERR_NOTFOUND;
	return NULL;
}

/* libfdt's property iteration, for a blob that is not indexed. */
static int next_prop_libfdt(const void *fdt, int node, int *at, const char **name,
			    const void **val, int *len)
{
	int prop = *at ? fdt_next_property_offset(fdt, *at) : fdt_first_property_offset(fdt, node);

	if (prop < 0)
		return prop == -FDT_ERR_NOTFOUND ? 0 : prop;
	*val = fdt_getprop_by_offset(fdt, prop, name, len);
	if (!*val)
		return -FDT_ERR_BADSTRUCTURE;
	*at = prop;
	return 1;
}

int dt_next_prop(const void *fdt, int node, int *at, const char **name, const void **val,
		 int *len)
{
	int i = index_slot(fdt, node);
	const char *st = dt_index.st;
	uint32_t pos;

	if (i < 0)
		return next_prop_libfdt(fdt, node, at, name, val, len);
	for (pos = *at ? (uint32_t)*at : dt_index.props[i]; be32_at(st + pos) == FDT_NOP;)
		pos += 4;
	if (be32_at(st + pos) != FDT_PROP)
		return 0;
	*len = (int)be32_at(st + pos + 4);
	*name = dt_index.strs + be32_at(st + pos + 8);
	*val = st + pos + 12;
	*at = (int)(pos + 12 + (uint32_t)ALIGN_UP((uint32_t)*len, 4));
	return 1;
}

/* Whether a compatible list holds exactly compat (fdt_stringlist_contains). */
static bool list_has(const char *list, int len, const char *compat)
{
	size_t m = strlen(compat) + 1;

	for (int at = 0; list && at < len;) {
		const char *s = list + at, *nul = memchr(s, '\0', (size_t)(len - at));
		size_t n = nul ? (size_t)(nul - s) + 1 : (size_t)(len - at);

		if (n == m && !memcmp(s, compat, m))
			return true;
		at += (int)n;
	}
	return false;
}

int dt_node_by_compatible(const void *fdt, int from, const char *compat)
{
	if (fdt != dt_index.fdt)
		return fdt_node_offset_by_compatible(fdt, from, compat);
	for (unsigned i = 0; i < dt_index.nr; i++) {
		int len;
		const char *c;

		if (dt_index.off[i] <= from)
			continue;
		c = dt_getprop(fdt, dt_index.off[i], "compatible", &len);
		if (list_has(c, len, compat))
			return dt_index.off[i];
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_node_by_prop_value(const void *fdt, int from, const char *name, const void *val,
			  int len)
{
	if (fdt != dt_index.fdt)
		return fdt_node_offset_by_prop_value(fdt, from, name, val, len);
	for (unsigned i = 0; i < dt_index.nr; i++) {
		int plen;
		const void *p;

		if (dt_index.off[i] <= from)
			continue;
		p = dt_getprop(fdt, dt_index.off[i], name, &plen);
		if (p && plen == len && !memcmp(p, val, (size_t)len))
			return dt_index.off[i];
	}
	return -FDT_ERR_NOTFOUND;
}

/* A child named exactly name[0..n), or, when that has no unit address, "name@..." (as
 * fdt_subnode_offset_namelen matches). */
static int child_named(const void *fdt, int parent, const char *name, int n)
{
	bool unit = memchr(name, '@', (size_t)n) != NULL;
	int child;

	dt_for_each_child(child, fdt, parent) {
		/* an indexed node's name follows its tag (5.4.1) */
		const char *c = dt_index.st + child + 4;
		int clen = (int)strlen(c);

		if (clen >= n && !memcmp(c, name, (size_t)n) &&
		    (clen == n || (!unit && c[n] == '@')))
			return child;
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_path_offset(const void *fdt, const char *path)
{
	return dt_path_offset_namelen(fdt, path, (int)strlen(path));
}

int dt_path_offset_namelen(const void *fdt, const char *path, int len)
{
	int node = 0;

	if (fdt != dt_index.fdt || len <= 0 || path[0] != '/') /* aliases: libfdt's way */
		return fdt_path_offset_namelen(fdt, path, len);
	for (int at = 1; at < len && node >= 0;) {
		const char *slash = memchr(path + at, '/', (size_t)(len - at));
		int n = slash ? (int)(slash - (path + at)) : len - at;

		if (n)
			node = child_named(fdt, node, path + at, n);
		at += n + 1;
	}
	return node;
}

int dt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	if (fdt != dt_index.fdt)
		return fdt_node_offset_by_phandle(fdt, phandle);
	if (phandle == 0 || phandle == ~0U)
		return -FDT_ERR_BADPHANDLE;
	for (unsigned i = 0; i < dt_index.nr; i++)
		if (dt_index.phandle[i] == phandle)
			return dt_index.off[i];
	return -FDT_ERR_NOTFOUND;
}

uint32_t dt_get_phandle(const void *fdt, int node)
{
	int len;
	const void *p = dt_getprop(fdt, node, "phandle", &len);

	if (!p || len != 4)
		p = dt_getprop(fdt, node, "linux,phandle", &len);
	return p && len == 4 ? fdt32_ld(p) : 0;
}

int dt_get_path(const void *fdt, int node, char *buf, int len)
{
	int chain[65], n = 0, at = 0, i = index_slot(fdt, node);

	if (i < 0)
		return fdt_get_path(fdt, node, buf, len);
	for (int k = i; dt_index.parent[k] != NO_SLOT; k = dt_index.parent[k])
		chain[n++] = dt_index.off[k]; /* depth is at most 64: the index was built so */
	if (len < 2)
		return -FDT_ERR_NOSPACE;
	buf[at++] = '/';
	while (n--) {
		int nlen;
		const char *name = dt_get_name(fdt, chain[n], &nlen);

		if (!name)
			return nlen;
		if (at + nlen + (n ? 1 : 0) >= len)
			return -FDT_ERR_NOSPACE;
		memcpy(buf + at, name, (size_t)nlen);
		at += nlen;
		if (n)
			buf[at++] = '/';
	}
	buf[at] = '\0';
	return 0;
}

/* libfdt's sequential writer keeps FDT_MAGIC's complement in the header until fdt_finish
 * (fdt_sw.c, libfdt 1.4.7 to 1.7), and each property's name offset counted down from the
 * buffer's end, where the strings block grows. */
#define SW_MAGIC (~(uint32_t)FDT_MAGIC)

int dt_finish(void *fdt)
{
	char *p = fdt, *st = p + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), strings = fdt_size_dt_strings(fdt), at = 0;

	if (fdt_magic(fdt) != SW_MAGIC || ((uintptr_t)st & 3))
		return fdt_finish(fdt);
	if (fdt_totalsize(fdt) - fdt_off_dt_struct(fdt) - strings < size + 4)
		return -FDT_ERR_NOSPACE;
	*(word32 *)(void *)(st + size) = __builtin_bswap32(FDT_END);
	fdt_set_size_dt_struct(fdt, size + 4);
	memmove(st + size + 4, p + fdt_totalsize(fdt) - strings, strings);
	fdt_set_off_dt_strings(fdt, fdt_off_dt_struct(fdt) + size + 4);
	while (at < size) {
		uint32_t tag = be32_at(st + at), len;

		switch (tag) {
		case FDT_BEGIN_NODE:
			at += 4 + (uint32_t)ALIGN_UP(strlen(st + at + 4) + 1, 4);
			break;
		case FDT_PROP:
			len = be32_at(st + at + 4);
			*(word32 *)(void *)(st + at + 8) =
				__builtin_bswap32(be32_at(st + at + 8) + strings);
			at += 12 + (uint32_t)ALIGN_UP(len, 4);
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			at += 4;
			break;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	fdt_set_totalsize(fdt, fdt_off_dt_strings(fdt) + strings);
	fdt_set_last_comp_version(fdt, FDT_LAST_COMPATIBLE_VERSION);
	fdt_set_magic(fdt, FDT_MAGIC);
	return 0;
}

/* #address-cells / #size-cells of a node, for its children; -1 when malformed. */
static int node_cells(const void *fdt, int node, unsigned which, int dflt)
{
	const char *name = which == CELLS_ADDRESS ? "#address-cells" : "#size-cells";
	int len, i = index_slot(fdt, node);
	const fdt32_t *p;

	if (i >= 0 && cells_of((unsigned)i, which) != CELLS_READ)
		return cells_of((unsigned)i, which) == CELLS_NONE
			       ? dflt
			       : (int)cells_of((unsigned)i, which);
	p = dt_getprop(fdt, node, name, &len);
	if (!p)
		return dflt;
	if (len != 4)
		return -1;
	return (int)fdt32_ld(p);
}

/* Addresses we handle are at most 64 bits: 1 or 2 cells (size may be 0 cells). */
static int parent_cells(const void *fdt, int node, int *ac, int *sc)
{
	int parent = dt_parent(fdt, node);

	if (parent < 0)
		return -XEN_EINVAL;
	*ac = node_cells(fdt, parent, CELLS_ADDRESS, 2);
	*sc = node_cells(fdt, parent, CELLS_SIZE, 1);
	if (*ac < 1 || *ac > 2 || *sc < 0 || *sc > 2)
		return -XEN_EINVAL;
	return parent;
}

/* Maps a child-bus address up through one bus's ranges (2.3.8). */
static int translate_one(const void *fdt, int bus, paddr_t *addr)
{
	int len, cac, pac, csc, grandparent;
	const uint32_t *r = dt_getprop(fdt, bus, "ranges", &len);

	if (!r)
		return -XEN_EINVAL; /* not memory-mapped from the CPU's view */
	if (len == 0)
		return 0;
	cac = node_cells(fdt, bus, CELLS_ADDRESS, 2);
	csc = node_cells(fdt, bus, CELLS_SIZE, 1);
	grandparent = dt_parent(fdt, bus);
	if (grandparent < 0)
		return -XEN_EINVAL;
	pac = node_cells(fdt, grandparent, CELLS_ADDRESS, 2);
	if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 0 || csc > 2)
		return -XEN_EINVAL;
	int stride = (cac + pac + csc) * 4;
	if (len % stride)
		return -XEN_EINVAL;
	for (int off = 0; off < len; off += stride) {
		const uint32_t *e = r + off / 4;
		uint64_t child = dt_read_cells(e, cac);
		uint64_t parent = dt_read_cells(e + cac, pac);
		uint64_t size = dt_read_cells(e + cac + pac, csc);

		if (*addr >= child && *addr - child < size) {
			*addr = parent + (*addr - child);
			return 0;
		}
	}
	return -XEN_EINVAL;
}

static int reg_entry(const void *fdt, int node, int idx, paddr_t *addr, uint64_t *size,
		     int *parent)
{
	int ac, sc, len;
	const uint32_t *reg;

	*parent = parent_cells(fdt, node, &ac, &sc);
	if (*parent < 0)
		return -XEN_EINVAL;
	reg = dt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -XEN_ENOENT;
	int stride = (ac + sc) * 4;
	if (len % stride)
		return -XEN_EINVAL;
	if (idx < 0 || (idx + 1) * stride > len)
		return -XEN_ENOENT;
	*addr = dt_read_cells(reg + idx * (ac + sc), ac);
	*size = dt_read_cells(reg + idx * (ac + sc) + ac, sc);
	if (*addr + *size < *addr)
		return -XEN_EINVAL;
	return 0;
}

int dt_reg_raw(const void *fdt, int node, int idx, paddr_t *addr, uint64_t *size)
{
	int parent;

	return reg_entry(fdt, node, idx, addr, size, &parent);
}

int dt_reg(const void *fdt, int node, int idx, paddr_t *addr, uint64_t *size)
{
	int bus, rc = reg_entry(fdt, node, idx, addr, size, &bus);
	int depth = 0;

	if (rc)
		return rc;
	/* Walk up to the root; depth bounds a malformed (cyclic) structure. */
	while (bus > 0 && depth++ < 32) {
		rc = translate_one(fdt, bus, addr);
		if (rc)
			return rc;
		bus = dt_parent(fdt, bus);
	}
	return bus == 0 ? 0 : -XEN_EINVAL;
}

/* One linear pass over the blob (Devicetree Specification v0.4, chapter 5): everything
 * libfdt's readers later rely on. libfdt 1.6.1's own fdt_check_full is not used: fuzzing
 * found it dereferencing NULL on some version-15 blobs and looping forever on others. */
static bool in_block(uint32_t off, uint32_t len, uint32_t block)
{
	return off <= block && len <= block - off;
}

static bool str_in(const char *base, uint32_t off, uint32_t block)
{
	return off < block && memchr(base + off, '\0', block - off) != NULL;
}

static int check_structure(const char *fdt)
{
	const char *st = fdt + fdt_off_dt_struct(fdt), *strs = fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), ssize = fdt_size_dt_strings(fdt);
	uint32_t off = 0;
	int depth = 0;
	bool root_seen = false;

	while (in_block(off, 4, size)) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(st + off));

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const char *name = st + off;
			const char *nul = off < size ? memchr(name, '\0', size - off) : NULL;

			if (!nul || (!root_seen && *name) || (root_seen && depth == 0))
				return -FDT_ERR_BADSTRUCTURE;
			root_seen = true;
			if (++depth > 64)
				return -FDT_ERR_BADSTRUCTURE;
			off += (uint32_t)ALIGN_UP((uint64_t)(nul - name) + 1, 4);
			break;
		}
		case FDT_END_NODE:
			if (depth-- == 0)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP: {
			uint32_t len, nameoff;

			if (!in_block(off, 8, size) || depth == 0)
				return -FDT_ERR_BADSTRUCTURE;
			len = fdt32_ld((const fdt32_t *)(st + off));
			nameoff = fdt32_ld((const fdt32_t *)(st + off + 4));
			off += 8;
			if (!in_block(off, len, size) || !str_in(strs, nameoff, ssize))
				return -FDT_ERR_BADSTRUCTURE;
			off += (uint32_t)ALIGN_UP((uint64_t)len, 4);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return root_seen && depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return -FDT_ERR_TRUNCATED;
}

int dt_check_blob(const void *fdt, size_t size)
{
	uint32_t total;

	if (size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	total = fdt_totalsize(fdt);
	if (total > size || total < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	if (fdt_version(fdt) < 16 || fdt_last_comp_version(fdt) > 17)
		return -FDT_ERR_BADVERSION;
	if (fdt_check_header(fdt) ||
	    !in_block(fdt_off_dt_struct(fdt), fdt_size_dt_struct(fdt), total) ||
	    !in_block(fdt_off_dt_strings(fdt), fdt_size_dt_strings(fdt), total) ||
	    fdt_off_dt_struct(fdt) % 4 || fdt_off_mem_rsvmap(fdt) % 8 ||
	    fdt_off_mem_rsvmap(fdt) < sizeof(struct fdt_header) ||
	    fdt_off_mem_rsvmap(fdt) > total)
		return -FDT_ERR_BADSTRUCTURE;
	/* the reservation map ends with a zero entry inside the blob */
	for (uint32_t off = fdt_off_mem_rsvmap(fdt);; off += 16) {
		const fdt64_t *e = (const fdt64_t *)((const char *)fdt + off);

		if (!in_block(off, 16, total))
			return -FDT_ERR_TRUNCATED;
		if (!fdt64_ld(&e[0]) && !fdt64_ld(&e[1]))
			break;
	}
	return check_structure(fdt);
}

bool dt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = dt_getprop(fdt, node, "status", &len);

	if (!s)
		return true;
	return (len >= 5 && !strncmp(s, "okay", 4)) || (len >= 3 && !strncmp(s, "ok", 2));
}

bool dt_node_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *c;

	if (fdt != dt_index.fdt)
		return fdt_node_check_compatible(fdt, node, compat) == 0;
	c = dt_getprop(fdt, node, "compatible", &len);
	return list_has(c, len, compat);
}

bool dt_node_is_compatible_any(const void *fdt, int node, const char *const *compats, unsigned n)
{
	int len;
	const char *c;

	if (fdt != dt_index.fdt) {
		for (unsigned i = 0; i < n; i++)
			if (fdt_node_check_compatible(fdt, node, compats[i]) == 0)
				return true;
		return false;
	}
	/* each entry found once, and compared by its first byte before the whole (a list
	 * holds an entry exactly when it is NUL-terminated and equal: list_has) */
	c = dt_getprop(fdt, node, "compatible", &len);
	for (int at = 0; c && at < len;) {
		const char *s = c + at, *nul = memchr(s, '\0', (size_t)(len - at));

		if (!nul)
			break;
		for (unsigned i = 0; i < n; i++)
			if (s[0] == compats[i][0] && !strcmp(s, compats[i]))
				return true;
		at += (int)(nul - s) + 1;
	}
	return false;
}

const char *dt_path(const void *fdt, int node, char *buf, int len)
{
	if (dt_get_path(fdt, node, buf, len) < 0)
		snprintf(buf, (size_t)len, "<bad node>");
	return buf;
}

bool dt_is_bus(const void *fdt, int node)
{
	if (dt_node_is_compatible(fdt, node, "simple-bus"))
		return true;
	return dt_getprop(fdt, node, "ranges", NULL) && !dt_getprop(fdt, node, "reg", NULL) &&
	       !dt_getprop(fdt, node, "device_type", NULL) && dt_first_child(fdt, node) >= 0;
}

bool dt_holds_no_devices(const void *fdt, int node)
{
	static const char *const names[] = {"chosen",	       "cpus",	      "aliases",
					    "reserved-memory", "hypervisor",  "__symbols__",
					    "__overrides__",   "__fixups__", "__local_fixups__"};
	const char *name = dt_get_name(fdt, node, NULL);

	for (unsigned i = 0; name && i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

bool dt_is_mmio_device(const void *fdt, int node)
{
	paddr_t base;
	uint64_t size;

	return !dt_is_bus(fdt, node) && dt_reg(fdt, node, 0, &base, &size) == 0;
}

static uint32_t own_irq_parent(const void *fdt, int node)
{
	int len;
	const fdt32_t *p = dt_getprop(fdt, node, "interrupt-parent", &len);

	return p && len == 4 ? fdt32_ld(p) : 0;
}

void dt_walk_start(struct dt_walk *w, const void *fdt)
{
	w->fdt = fdt;
	w->node = 0;
	w->depth = 0;
	w->skip_below = -1;
	w->irq_parent[0] = own_irq_parent(fdt, 0);
}

/* fdt_next_node, from the index when it holds the blob: the next slot is the next node in
 * DT order. */
static int walk_next_node(const struct dt_walk *w, int *depth)
{
	int i = index_slot(w->fdt, w->node);

	if (i < 0)
		return fdt_next_node(w->fdt, w->node, depth);
	if ((unsigned)i + 1 >= dt_index.nr)
		return -FDT_ERR_NOTFOUND;
	*depth = dt_index.depth[i + 1];
	return dt_index.off[i + 1];
}

bool dt_walk_next(struct dt_walk *w)
{
	for (;;) {
		int depth = w->depth, node = walk_next_node(w, &depth);
		uint32_t own;

		if (node < 0 || depth <= 0)
			return false; /* past the root's last descendant */
		w->node = node;
		w->depth = depth;
		if ((w->skip_below >= 0 && depth > w->skip_below) || depth > DT_WALK_MAX_DEPTH)
			continue;
		w->skip_below = -1;
		own = own_irq_parent(w->fdt, node);
		w->irq_parent[depth] = own ? own : w->irq_parent[depth - 1];
		return true;
	}
}

void dt_walk_skip_children(struct dt_walk *w)
{
	w->skip_below = w->depth;
}
