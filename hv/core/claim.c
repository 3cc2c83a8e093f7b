/* Claiming (DESIGN.md section 5): which domain gets each device of the host and why, decided
 * once into one table. domUs name theirs — PCI functions by BDF (mapvisor,pci-devices),
 * platform devices by host DT path (mapvisor,platform-devices) — and dom0 gets every other
 * device it can use. Pure: it reads the DT, the configurations and the enumerated PCI
 * functions, logs what it refuses, and writes nothing but the table. */
#include "claim.h"
#include "dt.h"
#include "log.h"
#include "smmu.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define MAX_PLATFORM_CLAIMS 16

#define DOMU_FIX "give the domain direct-map + xen,static-mem, or "
#define DOM0_FIX                                                                                    \
	"give dom0 1:1 memory (no dom0-llc-colors), put the device behind the SMMU, or give it to " \
	"a 1:1 domU (mapvisor,pci-devices)"

/* A device a domU named, with its pages, before the walk finds it. */
struct named {
	int node;
	const struct domain_cfg *cfg;
	struct mem_range mmio[DEV_MAX_MMIO];
	unsigned nr_mmio;
};

struct claim {
	const struct claim_env *env;
	const struct domain_cfg *cfgs, *dom0;
	unsigned nr_cfgs;
	struct dev_table *t;
	struct named named[MAX_PLATFORM_CLAIMS];
	unsigned nr_named;
	uint32_t gic_phandle; /* the GIC's, 0 when it has none */
	bool refused;
	bool full_said;
};

const char *dev_name(const void *fdt, const struct dev_entry *e, char *buf, int len)
{
	if (e->kind == DEV_PLATFORM)
		return dt_path(fdt, e->node, buf, len);
	snprintf(buf, (size_t)len, "PCI ");
	pci_bdf_str(e->pci->bdf, buf + 4, (size_t)len - 4);
	return buf;
}

const struct dev_entry *dev_table_node(const struct dev_table *t, int node)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PLATFORM && t->dev[i].node == node)
			return &t->dev[i];
	return NULL;
}

const struct dev_entry *dev_table_pci(const struct dev_table *t, const struct pci_device *f)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PCI && t->dev[i].pci == f)
			return &t->dev[i];
	return NULL;
}

bool dev_given_to(const struct dev_entry *e, domid_t id)
{
	return e->fate == DEV_GIVEN && e->owner == (int)id;
}

bool dev_table_dom0_drives_bridge(const struct dev_table *t, const struct pci_host *h)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PCI && t->dev[i].host == h && t->dev[i].owner > 0)
			return false;
	return true;
}

static struct dev_entry *add_entry(struct claim *c, enum dev_kind kind, int node)
{
	struct dev_entry *e;

	if (c->t->nr == c->t->max) {
		if (!c->full_said)
			log_err("more than %u devices in the device tree and on PCI: mapvisor's "
				"device table is full",
				c->t->max);
		c->full_said = c->refused = true;
		return NULL;
	}
	e = &c->t->dev[c->t->nr++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->node = node;
	e->parent = -1;
	e->owner = DEV_NOBODY;
	e->near_node = -1;
	e->fate = DEV_NO_DOM0; /* until decided */
	return e;
}

static const struct domain_cfg *cfg_by_id(const struct claim *c, int id)
{
	for (unsigned i = 0; i < c->nr_cfgs; i++)
		if (c->cfgs[i].id == id)
			return &c->cfgs[i];
	return NULL;
}

/* The DMA rule: the owner's driver must be able to address the device's DMA. Refusal
 * names both; mapvisor.allow-unsafe-dma turns it into a loud warning. */
static void check_path(struct claim *c, struct dev_entry *e, const char *what, const char *fix)
{
	const struct domain_cfg *cfg = cfg_by_id(c, e->owner);

	e->path = dma_path_for(e->dma.cls, cfg && cfg->mode == MEM_DIRECT_MAPPED);
	if (e->path != DMA_PATH_IMPOSSIBLE)
		return;
	if (c->env->allow_unsafe_dma) {
		e->unsafe = true;
		log_warn("UNSAFE (mapvisor.allow-unsafe-dma): d%u gets %s, which has no IOMMU, "
			 "though it is not 1:1: its DMA will reach the wrong memory",
			 cfg->id, what);
		return;
	}
	log_err("d%u (%s): %s has no IOMMU in front of it and the domain is not direct-mapped: "
		"its DMA would reach the wrong memory. Fix: %s",
		cfg->id, cfg->name, what, fix);
	c->refused = true;
}

/* Does [start, start+size) share a page with something the hypervisor keeps for itself? */
static bool touches_hv_device(const struct bootinfo *bi, paddr_t start, uint64_t size)
{
	const struct boot_device *hv[] = {&bi->uart,	&bi->gicd,    &bi->gicr,   &bi->smmu[0],
					  &bi->smmu[1], &bi->smmu[2], &bi->smmu[3]};

	for (unsigned i = 0; i < ARRAY_SIZE(hv); i++)
		if (hv[i]->size && ranges_overlap(start, size, ALIGN_DOWN(hv[i]->base, PAGE_SIZE),
						  ALIGN_UP(hv[i]->base + hv[i]->size, PAGE_SIZE) -
							  ALIGN_DOWN(hv[i]->base, PAGE_SIZE)))
			return true;
	return false;
}

/* --- PCI functions ---------------------------------------------------------------------- */

/* A function is protected if the bridge's iommu-map gives it a StreamID, the SMMU
 * translates and no override marks the bridge unprotected. */
static void pci_dma(const struct claim_env *env, const struct pci_host *h,
		    const struct pci_device *f, struct dma_info *info)
{
	bool classified = dma_classify(env->bi->fdt, h->node, env->ov, info) == 0;

	info->nr_sids = 0;
	if (f->has_sid)
		info->sids[info->nr_sids++] = f->sid;
	if (!f->has_sid || !env->bi->nr_smmu || !env->iommu_translating) {
		info->cls = DMA_UNPROTECTED;
		info->why = f->has_sid ? "its StreamID's SMMU does not translate"
				       : "the bridge's iommu-map gives it no StreamID";
	} else if (!classified || info->cls != DMA_PROTECTED) {
		info->cls = DMA_UNPROTECTED; /* the bridge itself is marked unprotected */
	}
}

/* The function a BDF in mapvisor,pci-devices names: the first host bridge's that has it. */
static const struct pci_device *pci_by_bdf(const struct claim_env *env, uint16_t bdf)
{
	for (unsigned h = 0; h < env->nr_hosts; h++)
		for (unsigned j = 0; j < env->hosts[h].nr_devs; j++)
			if (env->hosts[h].devs[j].bdf == bdf)
				return &env->hosts[h].devs[j];
	return NULL;
}

static const char *cfg_name(const struct claim *c, int id)
{
	for (unsigned i = 0; i < c->nr_cfgs; i++)
		if (c->cfgs[i].id == id)
			return c->cfgs[i].name;
	return "?";
}

static int pci_named_by(const struct claim *c, const struct pci_device *f, int *owner)
{
	char bdf[16];

	*owner = DEV_NOBODY;
	if (pci_by_bdf(c->env, f->bdf) != f)
		return 0;
	for (unsigned i = 0; i < c->nr_cfgs; i++)
		for (unsigned k = 0; k < c->cfgs[i].nr_pci; k++) {
			if (c->cfgs[i].pci_bdfs[k] != f->bdf)
				continue;
			if (*owner == c->cfgs[i].id) {
				log_err("%s: mapvisor,pci-devices names PCI %s twice",
					c->cfgs[i].name, pci_bdf_str(f->bdf, bdf, sizeof(bdf)));
				return -XEN_EINVAL;
			}
			if (*owner != DEV_NOBODY) {
				log_err("%s: PCI %s is already given to d%d (%s): a function goes to "
					"one domain",
					c->cfgs[i].name, pci_bdf_str(f->bdf, bdf, sizeof(bdf)), *owner,
					cfg_name(c, *owner));
				return -XEN_EINVAL;
			}
			*owner = c->cfgs[i].id;
		}
	return 0;
}

static void pci_resources(const struct claim_env *env, const struct pci_host *h,
			  struct dev_entry *e)
{
	const struct pci_device *f = e->pci;
	uint32_t spec[3];

	for (unsigned b = 0; b < PCI_MAX_BARS; b++)
		if (f->bars[b].size)
			e->mmio[e->nr_mmio++] = (struct mem_range){
				f->bars[b].addr, ALIGN_UP(f->bars[b].size, PAGE_SIZE)};
	if (pci_intx_spec(env->bi->fdt, h->node, f->bdf, f->irq_pin, spec) == 0 && spec[0] == 0)
		e->spis[e->nr_spis++] = (struct dev_spi){(uint16_t)(32 + spec[1]), spec[2] & 3};
}

/* dom0 gets every function nobody else has. A PCI function is a real DMA master (unlike a
 * DT node that may be one): if dom0 cannot use it, the boot stops rather than hide it. */
static void claim_pci(struct claim *c)
{
	char bdf[16], what[48];

	for (unsigned i = 0; i < c->nr_cfgs; i++)
		for (unsigned k = 0; k < c->cfgs[i].nr_pci; k++)
			if (!pci_by_bdf(c->env, c->cfgs[i].pci_bdfs[k])) {
				log_err("%s: mapvisor,pci-devices names %s: no such PCI function",
					c->cfgs[i].name,
					pci_bdf_str(c->cfgs[i].pci_bdfs[k], bdf, sizeof(bdf)));
				c->refused = true;
			}
	for (unsigned h = 0; h < c->env->nr_hosts; h++)
		for (unsigned j = 0; j < c->env->hosts[h].nr_devs; j++) {
			const struct pci_host *host = &c->env->hosts[h];
			const struct pci_device *f = &host->devs[j];
			struct dev_entry *e = add_entry(c, DEV_PCI, host->node);
			int owner;

			if (!e)
				return;
			e->host = host;
			e->pci = f;
			pci_dma(c->env, host, f, &e->dma);
			e->streams = f->has_sid && c->env->iommu_translating;
			pci_resources(c->env, host, e);
			if (pci_named_by(c, f, &owner)) {
				c->refused = true;
				continue;
			}
			e->owner = owner != DEV_NOBODY ? owner : c->dom0 ? c->dom0->id : DEV_NOBODY;
			e->fate = e->owner == DEV_NOBODY ? DEV_NO_DOM0 : DEV_GIVEN;
			if (e->owner == DEV_NOBODY)
				continue;
			snprintf(what, sizeof(what), "PCI %s (%04x:%04x)",
				 pci_bdf_str(f->bdf, bdf, sizeof(bdf)), f->vendor, f->device);
			check_path(c, e, what,
				   owner == DEV_NOBODY ? DOM0_FIX
						       : DOMU_FIX "put the device behind the SMMU");
		}
}

/* --- platform devices -------------------------------------------------------------------- */

/* Why the hypervisor keeps a host node (and what is below it), or NULL. */
static const char *hv_keeps(const struct bootinfo *bi, int node)
{
	if (node == bi->uart.node)
		return "is the hypervisor's console";
	if (node == bi->gic_node)
		return "is the interrupt controller (each domain gets a virtual one)";
	for (unsigned i = 0; i < bi->nr_smmu; i++)
		if (node == bi->smmu[i].node)
			return "is the IOMMU the hypervisor drives";
	for (unsigned i = 0; i < bi->nr_pci; i++)
		if (node == bi->pci[i].node)
			return "is a PCI host bridge (assign its functions with "
			       "mapvisor,pci-devices)";
	return NULL;
}

/* Why a host node cannot be given to a guest, or NULL if it can. */
static const char *not_assignable(const struct bootinfo *bi, int node)
{
	const void *fdt = bi->fdt;
	const char *why = hv_keeps(bi, node);

	if (!dt_node_enabled(fdt, node))
		return "is disabled (status)";
	if (!dt_getprop(fdt, node, "reg", NULL))
		return "has no reg: it is not a device";
	if (why)
		return why;
	if (dt_getprop(fdt, node, "device_type", NULL)) /* memory, cpu, pci */
		return "is not a device (it has a device_type)";
	if (dt_is_bus(fdt, node))
		return "is a bus (assign the devices on it)";
	if (!dt_is_mmio_device(fdt, node))
		return "has a reg the CPU does not reach (an address on its parent's bus)";
	return NULL;
}

/* A domU gets a device found at the top or through enabled buses: below another device it
 * is part of that device, which its driver reaches it through. The ancestor in the way, or
 * -1. */
static int ancestor_not_bus(const void *fdt, int node)
{
	for (int p = dt_parent(fdt, node), depth = 0; p > 0 && depth < DT_WALK_MAX_DEPTH;
	     p = dt_parent(fdt, p), depth++)
		if (!dt_is_bus(fdt, p) || !dt_node_enabled(fdt, p) ||
		    (dt_parent(fdt, p) == 0 && dt_holds_no_devices(fdt, p)))
			return p;
	return -1;
}

/* Each reg range, page-aligned (MMIO is mapped by pages), and whether it has a page of a
 * hypervisor device. */
static void node_mmio(const struct bootinfo *bi, int node, struct mem_range *mmio, unsigned *nr,
		      uint32_t *hv_shared)
{
	paddr_t base;
	uint64_t size;

	*nr = 0;
	for (int i = 0; *nr < DEV_MAX_MMIO && dt_reg(bi->fdt, node, i, &base, &size) == 0; i++) {
		paddr_t s = ALIGN_DOWN(base, PAGE_SIZE);

		if (!size)
			continue;
		mmio[*nr] = (struct mem_range){s, ALIGN_UP(base + size, PAGE_SIZE) - s};
		if (hv_shared && touches_hv_device(bi, s, mmio[*nr].size))
			*hv_shared |= 1U << *nr;
		(*nr)++;
	}
}

static bool share_a_page(const struct mem_range *a, unsigned na, const struct mem_range *b,
			 unsigned nb)
{
	for (unsigned i = 0; i < na; i++)
		for (unsigned k = 0; k < nb; k++)
			if (ranges_overlap(a[i].start, a[i].size, b[k].start, b[k].size))
				return true;
	return false;
}

/* The named device (other than node) with a page in common, or NULL. */
static const struct named *page_neighbour(const struct claim *c, int node,
					  const struct mem_range *mmio, unsigned nr)
{
	for (unsigned i = 0; i < c->nr_named; i++)
		if (c->named[i].node != node &&
		    share_a_page(mmio, nr, c->named[i].mmio, c->named[i].nr_mmio))
			return &c->named[i];
	return NULL;
}

static const struct named *named_node(const struct claim *c, int node)
{
	for (unsigned i = 0; i < c->nr_named; i++)
		if (c->named[i].node == node)
			return &c->named[i];
	return NULL;
}

/* One device a domU names: refused by name when it is no device a domU may have. */
static int name_platform(struct claim *c, const struct domain_cfg *cfg, int node)
{
	const struct bootinfo *bi = c->env->bi;
	const char *why = not_assignable(bi, node);
	const struct named *other = named_node(c, node), *near;
	struct named *n = &c->named[c->nr_named];
	char path[96], near_path[96];
	int up;

	dt_path(bi->fdt, node, path, sizeof(path));
	if (why) {
		log_err("%s: mapvisor,platform-devices names %s, which %s", cfg->name, path, why);
		return -XEN_EINVAL;
	}
	if ((up = ancestor_not_bus(bi->fdt, node)) >= 0) {
		log_err("%s: mapvisor,platform-devices names %s, which is inside %s, not a bus "
			"or disabled: assign that device",
			cfg->name, path, dt_path(bi->fdt, up, near_path, sizeof(near_path)));
		return -XEN_EINVAL;
	}
	if (other) {
		log_err("%s: %s is already given to d%d", cfg->name, path, other->cfg->id);
		return -XEN_EINVAL;
	}
	if (c->nr_named == MAX_PLATFORM_CLAIMS) {
		log_err("%s: more than %d platform devices assigned in all", cfg->name,
			MAX_PLATFORM_CLAIMS);
		return -XEN_EINVAL;
	}
	n->node = node;
	n->cfg = cfg;
	node_mmio(bi, node, n->mmio, &n->nr_mmio, NULL);
	near = page_neighbour(c, node, n->mmio, n->nr_mmio);
	if (near && near->cfg != cfg) {
		log_err("%s: %s shares an MMIO page with %s, given to d%d: devices on one page go "
			"to one domain",
			cfg->name, path, dt_path(bi->fdt, near->node, near_path, sizeof(near_path)),
			near->cfg->id);
		return -XEN_EINVAL;
	}
	c->nr_named++;
	return 0;
}

/* A platform device's protection as mapvisor enforces it: an IOMMU mapvisor drives, which
 * translates, with StreamIDs its stream table holds. */
static void platform_dma(const struct claim_env *env, int node, struct dma_info *info)
{
	const struct bootinfo *bi = env->bi;

	if (dma_classify(bi->fdt, node, env->ov, info)) {
		info->cls = DMA_UNPROTECTED; /* a malformed iommus protects nothing */
		return;
	}
	if (info->cls != DMA_PROTECTED)
		return;
	if (!bi->nr_smmu || info->iommu != bi->smmu[0].node || !env->iommu_translating) {
		info->cls = DMA_UNPROTECTED;
		info->why = "its IOMMU is not an SMMUv3 with stage 2 that mapvisor drives";
		return;
	}
	for (unsigned i = 0; i < info->nr_sids; i++)
		if (info->sids[i] >= SMMU_STRTAB_SIDS) {
			info->cls = DMA_UNPROTECTED;
			info->why = "a StreamID beyond the SMMU stream table mapvisor keeps (256)";
			return;
		}
}

/* The SPIs of a device whose interrupt parent is the GIC (3-cell specifiers: type, number,
 * flags; GIC binding: type 0 is an SPI, flags 1 and 2 are edges). */
static void node_spis(const struct claim *c, const struct dt_walk *w, struct dev_entry *e)
{
	const struct bootinfo *bi = c->env->bi;
	uint32_t gic = c->gic_phandle;
	int len;
	const uint32_t *p = dt_getprop(bi->fdt, w->node, "interrupts", &len);
	char path[96];

	if (!p || !gic || w->irq_parent[w->depth] != gic)
		return;
	for (int i = 0; i + 3 <= len / 4; i += 3) {
		if (dt_read_cells(p + i, 1) != 0)
			continue;
		if (e->nr_spis == DEV_MAX_SPIS) {
			log_warn("%s: more than %u SPIs: the rest are not forwarded",
				 dt_path(bi->fdt, w->node, path, sizeof(path)), DEV_MAX_SPIS);
			return;
		}
		e->spis[e->nr_spis++] =
			(struct dev_spi){(uint16_t)(32 + dt_read_cells(p + i + 1, 1)),
					 dt_read_cells(p + i + 2, 1) & 3};
	}
}

/* Who gets a device the walk found, below the device (if any) it sits in. */
static void decide_platform(struct claim *c, struct dev_entry *e, const struct dev_entry *up)
{
	const void *fdt = c->env->bi->fdt;
	const struct named *n = named_node(c, e->node), *near;
	char path[96];

	if (up && !(up->fate == DEV_GIVEN && c->dom0 && up->owner == c->dom0->id)) {
		e->fate = DEV_INSIDE;
		return;
	}
	if (n) {
		e->owner = n->cfg->id;
		e->fate = DEV_GIVEN;
		check_path(c, e, dt_path(fdt, e->node, path, sizeof(path)),
			   DOMU_FIX "assign a device behind the SMMU (iommus)");
		return;
	}
	if (dt_getprop(fdt, e->node, "xen,passthrough", NULL)) {
		e->fate = DEV_PASSTHROUGH;
		return;
	}
	if ((near = page_neighbour(c, e->node, e->mmio, e->nr_mmio))) {
		e->fate = DEV_PAGE_SHARED;
		e->near_node = near->node;
		return;
	}
	if (!c->dom0) {
		e->fate = DEV_NO_DOM0;
		return;
	}
	/* dom0 is refused, not stopped: a DT node is only possibly a DMA master (QEMU describes
	 * 32 virtio-mmio slots, most of them empty) */
	e->path = dma_path_for(e->dma.cls, c->dom0->mode == MEM_DIRECT_MAPPED);
	e->fate = e->path == DMA_PATH_IMPOSSIBLE ? DEV_WITHHELD : DEV_GIVEN;
	e->owner = e->fate == DEV_GIVEN ? c->dom0->id : DEV_NOBODY;
}

/* Subtrees holding no platform device: Xen's boot configuration, CPUs, reservations, what
 * the hypervisor keeps (a PCI bridge's functions are enumerated), disabled nodes. */
static bool walk_skips(const struct bootinfo *bi, const struct dt_walk *w)
{
	if (w->depth == 1 && dt_holds_no_devices(bi->fdt, w->node))
		return true;
	return !dt_node_enabled(bi->fdt, w->node) || hv_keeps(bi, w->node) ||
	       dt_getprop(bi->fdt, w->node, "device_type", NULL);
}

/* Every platform device of the host tree in DT order, through buses (/soc, /axi, ...) and
 * into other devices (a USB glue's core), as Xen's handle_node visits them. */
static void claim_platform(struct claim *c)
{
	const struct bootinfo *bi = c->env->bi;
	int entry_at[DT_WALK_MAX_DEPTH + 1];
	struct dt_walk w;

	for (unsigned i = 0; i < c->nr_cfgs; i++)
		for (unsigned k = 0; k < c->cfgs[i].nr_platform; k++)
			if (name_platform(c, &c->cfgs[i], c->cfgs[i].platform_nodes[k]))
				c->refused = true;
	dt_walk_start(&w, bi->fdt);
	while (dt_walk_next(&w)) {
		struct dev_entry *e;
		int up = -1;

		entry_at[w.depth] = -1;
		if (walk_skips(bi, &w)) {
			dt_walk_skip_children(&w);
			continue;
		}
		if (!dt_is_mmio_device(bi->fdt, w.node))
			continue;
		for (int d = w.depth - 1; d > 0 && up < 0; d--)
			up = entry_at[d];
		if (!(e = add_entry(c, DEV_PLATFORM, w.node)))
			return;
		e->parent = up;
		entry_at[w.depth] = (int)(e - c->t->dev);
		platform_dma(c->env, w.node, &e->dma);
		e->streams = e->dma.cls == DMA_PROTECTED;
		node_mmio(bi, w.node, e->mmio, &e->nr_mmio, &e->mmio_hv_shared);
		node_spis(c, &w, e);
		decide_platform(c, e, up >= 0 ? &c->t->dev[up] : NULL);
	}
}

int claim_devices(const struct claim_env *env, const struct domain_cfg *cfgs, unsigned nr,
		  struct dev_table *t)
{
	struct claim c = {.env = env, .cfgs = cfgs, .nr_cfgs = nr, .t = t};

	if (env->bi->gic_node >= 0)
		c.gic_phandle = dt_get_phandle(env->bi->fdt, env->bi->gic_node);
	t->nr = 0;
	for (unsigned i = 0; i < nr; i++)
		if (cfgs[i].hardware)
			c.dom0 = &cfgs[i];
	claim_pci(&c);
	claim_platform(&c);
	return c.refused ? -XEN_EINVAL : 0;
}
