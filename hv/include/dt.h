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
