/* Device-tree helpers over libfdt used by bootinfo.c and domain_dt.c. */
#ifndef HV_DT_H
#define HV_DT_H
#include "types.h"

/* The idx-th (address, size) of a node's reg, translated to a CPU physical address through
 * the parents' ranges. -XEN_ENOENT past the end, -XEN_EINVAL when malformed. */
int dt_reg(const void *fdt, int node, int idx, paddr_t *addr, uint64_t *size);
/* The same without translation: for /chosen modules, whose reg are plain addresses. */
int dt_reg_raw(const void *fdt, int node, int idx, paddr_t *addr, uint64_t *size);
/* Checks a whole blob before anything else reads it: header, size, format version 16 or
 * later (older formats hit a NULL dereference in libfdt 1.6.1's fdt_check_full, found by
 * fuzzing dmacheck), structure. 0, or a libfdt error for fdt_strerror(). */
int dt_check_blob(const void *fdt, size_t size);
/* Reads an n-cell (1 or 2) big-endian number. */
uint64_t dt_read_cells(const uint32_t *cells, int n);
bool dt_node_enabled(const void *fdt, int node);
bool dt_node_is_compatible(const void *fdt, int node, const char *compat);
/* Whether it is compatible with any of compats[0..n), reading its compatible once. */
bool dt_node_is_compatible_any(const void *fdt, int node, const char *const *compats, unsigned n);
/* Indexes a checked blob's nodes (parents, phandles) so the lookups below stop scanning it
 * from the root; they answer from the index only for this blob, and from libfdt for any
 * other. The index describes the blob as it was: the host DT never changes after boot.
 * -XEN_ENOSPC for a tree too large to index (then libfdt answers everything). */
int dt_index_build(const void *fdt);
void dt_index_forget(void);
/* fdt_parent_offset, fdt_first_subnode, fdt_next_subnode, fdt_getprop,
 * fdt_node_offset_by_compatible, fdt_node_offset_by_phandle and fdt_get_path, through the
 * index: the same answers, without a scan. */
int dt_parent(const void *fdt, int node);
int dt_first_child(const void *fdt, int node);
int dt_next_sibling(const void *fdt, int node);
const void *dt_getprop(const void *fdt, int node, const char *name, int *lenp);
int dt_node_by_compatible(const void *fdt, int from, const char *compat);
int dt_node_by_prop_value(const void *fdt, int from, const char *name, const void *val,
			  int len);
/* fdt_path_offset and fdt_path_offset_namelen (a path from the root; an alias goes to
 * libfdt). */
int dt_path_offset(const void *fdt, const char *path);
int dt_path_offset_namelen(const void *fdt, const char *path, int len);
int dt_node_by_phandle(const void *fdt, uint32_t phandle);
/* A node's properties in order: *at = 0 for the first; 1 with name, value and length, 0
 * after the last, or a libfdt error for a malformed tree. */
int dt_next_prop(const void *fdt, int node, int *at, const char **name, const void **val,
		 int *len);
int dt_get_path(const void *fdt, int node, char *buf, int len);
/* fdt_get_name and fdt_get_phandle ("phandle", else "linux,phandle"; 0 for none). */
const char *dt_get_name(const void *fdt, int node, int *lenp);
uint32_t dt_get_phandle(const void *fdt, int node);
/* fdt_finish for a tree libfdt's sequential writer built, with the same result byte for
 * byte, in one pass over its structure block (libfdt steps through it with fdt_next_tag's
 * checks, a fifth of the DT writer's time); any other state goes to fdt_finish itself. */
int dt_finish(void *fdt);
#define dt_for_each_child(node, fdt, parent)                                                      \
	for ((node) = dt_first_child((fdt), (parent)); (node) >= 0;                               \
	     (node) = dt_next_sibling((fdt), (node)))
/* The node's full path, or "<bad node>". */
const char *dt_path(const void *fdt, int node, char *buf, int len);

/* A bus holds devices and is not one itself: "simple-bus" (Devicetree Specification v0.4,
 * 4.5; its reg, if any, spans its children's), or ranges with subnodes and no reg. */
bool dt_is_bus(const void *fdt, int node);
/* A device the CPU reaches: a node, not a bus, whose first reg translates to a CPU
 * physical address (an I2C or MDIO child's reg is an address on its own bus). */
bool dt_is_mmio_device(const void *fdt, int node);

/* A child of the root that describes no device whatever reg its subnodes have: /chosen,
 * /cpus, /aliases, /reserved-memory, /hypervisor, overlay symbols. */
bool dt_holds_no_devices(const void *fdt, int node);

#define DT_WALK_MAX_DEPTH 16

/* Every node of a tree in DT order, depth first, with the interrupt parent it inherits (its
 * own interrupt-parent, else its nearest ancestor's: DT spec 2.4.1). Nodes deeper than
 * DT_WALK_MAX_DEPTH are not visited. */
struct dt_walk {
	const void *fdt;
	int node, depth;  /* the current node; the root's children are at depth 1 */
	int skip_below;   /* nodes deeper than this are skipped, -1 for none */
	uint32_t irq_parent[DT_WALK_MAX_DEPTH + 1]; /* phandles, 0 when none */
};

void dt_walk_start(struct dt_walk *w, const void *fdt);
bool dt_walk_next(struct dt_walk *w);
/* The current node's subnodes are not visited. */
void dt_walk_skip_children(struct dt_walk *w);

#endif
