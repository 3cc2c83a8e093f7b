/* A minimal flattened-device-tree reader (Devicetree Specification v0.4, chapter 5) for
 * guests running with the MMU off, where only aligned or byte loads are safe: every field
 * is read byte by byte. Bounds-checked against totalsize. */
#include "libguest.h"
#include <string.h>

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

const void *guest_fdt;

uint64_t fdt_be(const void *p, int bytes)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | b[i];
	return v;
}

struct fdt_hdr {
	const uint8_t *base, *structs, *strings;
	uint32_t size_struct, size;
};

static bool header(const void *fdt, struct fdt_hdr *h)
{
	const uint8_t *b = fdt;

	if (!fdt || fdt_be(b, 4) != FDT_MAGIC)
		return false;
	h->base = b;
	h->size = (uint32_t)fdt_be(b + 4, 4);
	h->structs = b + fdt_be(b + 8, 4);
	h->strings = b + fdt_be(b + 12, 4);
	h->size_struct = (uint32_t)fdt_be(b + 36, 4);
	return h->structs + h->size_struct <= b + h->size;
}

static uint32_t align4(uint32_t x)
{
	return (x + 3) & ~3U;
}

/* Splits "/a/b@1/c" into components; returns how many, or -1 if too many. */
static int split_path(const char *path, const char *comp[8], size_t clen[8])
{
	int n = 0;

	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		if (n == 8)
			return -1;
		const char *e = strchr(p, '/');
		comp[n] = p;
		clen[n] = e ? (size_t)(e - p) : strlen(p);
		p += clen[n++];
	}
	return n;
}

/* "memory" matches "memory@7c000000": a component without a unit address matches any. */
static bool name_matches(const char *name, size_t n, const char *comp, size_t clen)
{
	if (n == clen && !strncmp(name, comp, n))
		return true;
	return !memchr(comp, '@', clen) && n > clen && name[clen] == '@' &&
	       !strncmp(name, comp, clen);
}

/* Offset of the node named by an absolute path ("/" for the root), or -1. A component
 * without "@unit" matches the first node of that name whatever its unit address. */
int fdt_node(const void *fdt, const char *path)
{
	struct fdt_hdr h;
	const char *comp[8];
	size_t clen[8];
	uint32_t off = 0;
	int depth = 0, matched = 0, ncomp;

	if (!header(fdt, &h) || path[0] != '/' || (ncomp = split_path(path, comp, clen)) < 0)
		return -1;
	while (off + 4 <= h.size_struct) {
		uint32_t tag = (uint32_t)fdt_be(h.structs + off, 4), node_off = off;

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = (const char *)h.structs + off;
			size_t n = strnlen(name, h.size_struct - off);

			off += align4((uint32_t)n + 1);
			if (depth == 0 && ncomp == 0)
				return (int)node_off;
			if (depth >= 1 && depth == matched + 1 &&
			    name_matches(name, n, comp[matched], clen[matched]) && ++matched == ncomp)
				return (int)node_off;
			depth++;
		} else if (tag == FDT_END_NODE) {
			if (--depth <= matched && depth >= 1)
				return -1; /* a matched ancestor closed without the rest */
		} else if (tag == FDT_PROP) {
			off += 8 + align4((uint32_t)fdt_be(h.structs + off, 4));
		} else if (tag != FDT_NOP) {
			return -1;
		}
	}
	return -1;
}

const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
	struct fdt_hdr h;
	uint32_t off = (uint32_t)node;

	if (node < 0 || !header(fdt, &h) || fdt_be(h.structs + off, 4) != FDT_BEGIN_NODE)
		return NULL;
	off += 4;
	off += align4((uint32_t)strnlen((const char *)h.structs + off, h.size_struct - off) + 1);
	while (off + 4 <= h.size_struct) {
		uint32_t tag = (uint32_t)fdt_be(h.structs + off, 4);

		if (tag == FDT_NOP) {
			off += 4;
			continue;
		}
		if (tag != FDT_PROP)
			return NULL; /* properties come before subnodes */
		uint32_t plen = (uint32_t)fdt_be(h.structs + off + 4, 4);
		uint32_t nameoff = (uint32_t)fdt_be(h.structs + off + 8, 4);

		if (off + 12 + plen > h.size_struct)
			return NULL;
		if (!strcmp((const char *)h.strings + nameoff, name)) {
			if (len)
				*len = (int)plen;
			return h.structs + off + 12;
		}
		off += 12 + align4(plen);
	}
	return NULL;
}

static bool list_contains(const char *list, int len, const char *s)
{
	size_t n = strlen(s);

	for (int off = 0; off < len;) {
		size_t l = strnlen(list + off, (size_t)(len - off));

		if (l == n && !memcmp(list + off, s, n))
			return true;
		off += (int)l + 1;
	}
	return false;
}

/* The first node whose compatible list contains compat, or -1. */
/* The first node after the one at offset "after" (-1: from the start) compatible with compat. */
int fdt_next_compatible(const void *fdt, int after, const char *compat)
{
	struct fdt_hdr h;
	uint32_t off = 0;

	if (!header(fdt, &h))
		return -1;
	while (off + 4 <= h.size_struct) {
		uint32_t tag = (uint32_t)fdt_be(h.structs + off, 4), node_off = off;
		int len;

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *c = fdt_prop(fdt, (int)node_off, "compatible", &len);

			if ((int)node_off > after && c && list_contains(c, len, compat))
				return (int)node_off;
			off += align4((uint32_t)strnlen((const char *)h.structs + off,
							h.size_struct - off) + 1);
		} else if (tag == FDT_PROP) {
			off += 8 + align4((uint32_t)fdt_be(h.structs + off, 4));
		} else if (tag == FDT_END) {
			break;
		}
	}
	return -1;
}

/* How many nodes carry a property called name. */
int fdt_count_prop(const void *fdt, const char *name)
{
	struct fdt_hdr h;
	uint32_t off = 0;
	int count = 0;

	if (!header(fdt, &h))
		return -1;
	while (off + 4 <= h.size_struct) {
		uint32_t tag = (uint32_t)fdt_be(h.structs + off, 4);

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			off += align4((uint32_t)strnlen((const char *)h.structs + off,
							h.size_struct - off) + 1);
		} else if (tag == FDT_PROP) {
			uint32_t len = (uint32_t)fdt_be(h.structs + off, 4);
			uint32_t nameoff = (uint32_t)fdt_be(h.structs + off + 4, 4);

			count += !strcmp((const char *)h.strings + nameoff, name);
			off += 8 + align4(len);
		} else if (tag == FDT_END) {
			break;
		}
	}
	return count;
}

int fdt_find_compatible(const void *fdt, const char *compat)
{
	return fdt_next_compatible(fdt, -1, compat);
}
