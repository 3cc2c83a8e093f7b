/* Device assignment (DESIGN.md section 5): domUs name their devices — PCI functions by BDF
 * (mapvisor,pci-devices), platform devices by host DT path (mapvisor,platform-devices) — and
 * dom0 gets every other device it can use. Invariants: a device, and every MMIO page it
 * has, belongs to one domain; an unprotected DMA master goes only to a 1:1 domain, unless
 * mapvisor.allow-unsafe-dma says otherwise, loudly. */
#include "assign.h"
#include "domain_cfg.h"
#include "dt.h"
#include "log.h"
#include "p2m.h"
#include "pci.h"
#include "smmu.h"
#include "vgic.h"
#include "arch.h"
#include "vgic.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define MAX_PLATFORM_CLAIMS 16

bool smmu_translating;
static struct dma_overrides dma_overrides;
static bool allow_unsafe_dma; /* mapvisor.allow-unsafe-dma: refusals become warnings */

static struct {
	int node;
	domid_t owner;
} claims[MAX_PLATFORM_CLAIMS];
static unsigned nr_claims;

void assign_configure(const struct hv_options *o)
{
	dma_overrides_parse(o->dma_unprotected, &dma_overrides); /* checked by cmdline.c */
	allow_unsafe_dma = o->allow_unsafe_dma == 1;
	nr_claims = 0;
}

int assign_platform_owner(int node)
{
	for (unsigned i = 0; i < nr_claims; i++)
		if (claims[i].node == node)
			return claims[i].owner;
	return -1;
}

/* Why a host node cannot be given to a guest, or NULL if it can. */
static const char *not_assignable(const struct bootinfo *bi, int node)
{
	const void *fdt = bi->fdt;

	if (!dt_node_enabled(fdt, node))
		return "is disabled (status)";
	if (!dt_getprop(fdt, node, "reg", NULL))
		return "has no reg: it is not a device";
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
	if (dt_getprop(fdt, node, "device_type", NULL)) /* memory, cpu, pci */
		return "is not a device (it has a device_type)";
	return NULL;
}

/* MMIO is mapped by pages, so two devices sharing a page cannot go to different domains.
 * Returns the claimed node (other than node) with a page in common, or -1. */
static int shares_page_with_claim(const struct bootinfo *bi, int node, unsigned nr)
{
	paddr_t a, b;
	uint64_t as, bs;

	for (unsigned c = 0; c < nr; c++) {
		if (claims[c].node == node)
			continue;
		for (int i = 0; dt_reg(bi->fdt, node, i, &a, &as) == 0; i++)
			for (int k = 0; dt_reg(bi->fdt, claims[c].node, k, &b, &bs) == 0; k++)
				if (as && bs &&
				    ranges_overlap(
					ALIGN_DOWN(a, PAGE_SIZE),
					ALIGN_UP(a + as, PAGE_SIZE) - ALIGN_DOWN(a, PAGE_SIZE),
					ALIGN_DOWN(b, PAGE_SIZE),
					ALIGN_UP(b + bs, PAGE_SIZE) - ALIGN_DOWN(b, PAGE_SIZE)))
					return claims[c].node;
	}
	return -1;
}

bool dom0_owns_node(const struct bootinfo *bi, int node)
{
	if (not_assignable(bi, node))
		return false;
	if (dt_getprop(bi->fdt, node, "xen,passthrough", NULL)) /* Xen: kept for domUs */
		return false;
	return assign_platform_owner(node) < 0 && shares_page_with_claim(bi, node, nr_claims) < 0;
}

void platform_dma_class(const struct bootinfo *bi, int node, struct dma_info *info)
{
	if (dma_classify(bi->fdt, node, &dma_overrides, info)) {
		info->cls = DMA_UNPROTECTED; /* a malformed iommus protects nothing */
		return;
	}
	if (info->cls != DMA_PROTECTED)
		return;
	if (!bi->nr_smmu || info->iommu != bi->smmu[0].node || !smmu_translating) {
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

bool dom0_gets_device(const struct bootinfo *bi, const struct domain *d, int node,
		      struct dma_info *info)
{
	if (!dom0_owns_node(bi, node))
		return false;
	platform_dma_class(bi, node, info);
	return dma_path_for(info->cls, p2m_is_direct_mapped(&d->p2m)) != DMA_PATH_IMPOSSIBLE;
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

/* A PCI function is protected if the bridge's iommu-map gives it a StreamID, the SMMU
 * translates and no override says otherwise. */
enum dma_class pci_device_class(const struct bootinfo *bi, const struct pci_host *h,
				const struct pci_device *dev)
{
	struct dma_info info;

	/* a StreamID protects nothing while the SMMU is not translating (disabled: bypass) */
	if (!dev->has_sid || !bi->nr_smmu || !smmu_translating)
		return DMA_UNPROTECTED;
	if (dma_classify(bi->fdt, h->node, &dma_overrides, &info) || info.cls != DMA_PROTECTED)
		return DMA_UNPROTECTED; /* the bridge itself is marked unprotected */
	return DMA_PROTECTED;
}

static struct pci_device *pci_by_bdf(uint16_t bdf)
{
	for (unsigned h = 0; h < nr_pci_hosts; h++)
		for (unsigned j = 0; j < pci_hosts[h].nr_devs; j++)
			if (pci_hosts[h].devs[j].bdf == bdf)
				return &pci_hosts[h].devs[j];
	return NULL;
}

static int claim_pci(const struct domain_cfg *c)
{
	char bdf[16];

	for (unsigned k = 0; k < c->nr_pci; k++) {
		struct pci_device *dev = pci_by_bdf(c->pci_bdfs[k]);

		pci_bdf_str(c->pci_bdfs[k], bdf, sizeof(bdf));
		if (!dev) {
			log_err("%s: mapvisor,pci-devices names %s: no such PCI function", c->name,
				bdf);
			return -XEN_EINVAL;
		}
		if (dev->owner >= 0) {
			log_err("%s: PCI %s is already given to d%d", c->name, bdf, dev->owner);
			return -XEN_EINVAL;
		}
		dev->owner = c->id;
	}
	return 0;
}

static int claim_platform(const struct bootinfo *bi, const struct domain_cfg *c)
{
	char path[96], other[96];

	for (unsigned k = 0; k < c->nr_platform; k++) {
		int node = c->platform_nodes[k], owner = assign_platform_owner(node), near;
		const char *why = not_assignable(bi, node);

		dt_path(bi->fdt, node, path, sizeof(path));
		if (why) {
			log_err("%s: mapvisor,platform-devices names %s, which %s", c->name, path,
				why);
			return -XEN_EINVAL;
		}
		if (owner >= 0) {
			log_err("%s: %s is already given to d%d", c->name, path, owner);
			return -XEN_EINVAL;
		}
		if (nr_claims == MAX_PLATFORM_CLAIMS) {
			log_err("%s: more than %d platform devices assigned in all", c->name,
				MAX_PLATFORM_CLAIMS);
			return -XEN_EINVAL;
		}
		near = shares_page_with_claim(bi, node, nr_claims);
		if (near >= 0 && assign_platform_owner(near) != c->id) {
			log_err("%s: %s shares an MMIO page with %s, given to d%d: devices on one "
				"page go to one domain",
				c->name, path, dt_path(bi->fdt, near, other, sizeof(other)),
				assign_platform_owner(near));
			return -XEN_EINVAL;
		}
		claims[nr_claims].node = node;
		claims[nr_claims++].owner = c->id;
	}
	return 0;
}

int assign_claim(const struct bootinfo *bi, const struct domain_cfg *cfgs, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		if (claim_pci(&cfgs[i]) || claim_platform(bi, &cfgs[i]))
			return -XEN_EINVAL;
	return 0;
}

static int map_bars(struct domain *d, const struct pci_device *dev)
{
	for (unsigned b = 0; b < PCI_MAX_BARS; b++)
		if (dev->bars[b].size &&
		    p2m_map(&d->p2m, dev->bars[b].addr, dev->bars[b].addr,
			    ALIGN_UP(dev->bars[b].size, PAGE_SIZE), P2M_MMIO, P2M_RW))
			return -XEN_ENOMEM;
	return 0;
}

#define DOMU_FIX "give the domain direct-map + xen,static-mem, or "
#define DOM0_FIX                                                                                    \
	"give dom0 1:1 memory (no dom0-llc-colors), put the device behind the SMMU, or give it to " \
	"a 1:1 domU (mapvisor,pci-devices)"

/* May d, as it is mapped, use a device of this class? Refusal names both. */
static int check_dma(const struct domain *d, enum dma_class cls, const char *dev, const char *fix)
{
	if (dma_path_for(cls, p2m_is_direct_mapped(&d->p2m)) != DMA_PATH_IMPOSSIBLE)
		return 0;
	if (allow_unsafe_dma) {
		log_warn("UNSAFE (mapvisor.allow-unsafe-dma): d%u gets %s, which has no IOMMU, "
			 "though it is not 1:1: its DMA will reach the wrong memory",
			 d->id, dev);
		return 0;
	}
	log_err("d%u (%s): %s has no IOMMU in front of it and the domain is not direct-mapped: "
		"its DMA would reach the wrong memory. Fix: %s",
		d->id, d->name, dev, fix);
	return -XEN_EINVAL;
}

bool assign_dom0_gets_bridge(const struct pci_host *h)
{
	for (unsigned k = 0; k < h->nr_devs; k++)
		if (h->devs[k].owner > 0)
			return false;
	return true;
}

/* The bridge's config space and every window of its ranges, 1:1: dom0's Linux drives the
 * bridge itself (pci-host-ecam-generic) and keeps the hypervisor's BARs and bus numbers
 * (linux,pci-probe-only), which the SMMU's StreamIDs follow. */
static int map_dom0_bridge(const struct bootinfo *bi, struct domain *d, const struct pci_host *h)
{
	paddr_t base;
	uint64_t size;

	if (p2m_map(&d->p2m, h->ecam, h->ecam, h->ecam_size, P2M_MMIO, P2M_RW))
		return -XEN_ENOMEM;
	for (unsigned i = 0; pci_host_range(bi->fdt, h->node, i, &base, &size) == 0; i++)
		if (p2m_map(&d->p2m, ALIGN_DOWN(base, PAGE_SIZE), ALIGN_DOWN(base, PAGE_SIZE),
			    ALIGN_UP(base + size, PAGE_SIZE) - ALIGN_DOWN(base, PAGE_SIZE),
			    P2M_MMIO, P2M_RW))
			return -XEN_ENOMEM;
	return 0;
}

/* dom0 gets every PCI function nobody else has, like any other device. A PCI function is a
 * real DMA master (unlike a DT node that may be one): if dom0 cannot use it, the boot stops
 * rather than hide the device. */
static int map_dom0_pci(const struct bootinfo *bi, struct domain *d, unsigned *given)
{
	char bdf[16], what[48], path[96];

	*given = 0;
	for (unsigned i = 0; i < nr_pci_hosts; i++) {
		struct pci_host *h = &pci_hosts[i];
		bool bridge = assign_dom0_gets_bridge(h);

		for (unsigned k = 0; k < h->nr_devs; k++) {
			struct pci_device *dev = &h->devs[k];
			enum dma_class cls = pci_device_class(bi, h, dev);

			if (dev->owner >= 0)
				continue;
			pci_bdf_str(dev->bdf, bdf, sizeof(bdf));
			snprintf(what, sizeof(what), "PCI %s (%04x:%04x)", bdf, dev->vendor,
				 dev->device);
			if (check_dma(d, cls, what, DOM0_FIX))
				return -XEN_EINVAL;
			if (!bridge && map_bars(d, dev))
				return -XEN_ENOMEM;
			dev->owner = d->id;
			(*given)++;
		}
		dt_path(bi->fdt, h->node, path, sizeof(path));
		if (!bridge) {
			log_info("d0: %s stays the hypervisor's (a domU has functions behind it): "
				 "dom0's functions are described one by one, without a bridge",
				 path);
			continue;
		}
		if (map_dom0_bridge(bi, d, h))
			return -XEN_ENOMEM;
		log_info("d0: PCI host bridge %s (ECAM 0x%llx, %u function(s)): dom0 drives it",
			 path, (unsigned long long)h->ecam, h->nr_devs);
	}
	return 0;
}

static void log_dma_decisions(const struct bootinfo *bi, struct domain *d)
{
	const void *fdt = bi->fdt;
	unsigned prot = 0, unprot = 0, withheld = 0;
	char path[96], list[200];
	size_t n = 0;
	int node;

	list[0] = '\0';
	dt_for_each_child(node, fdt, 0) {
		struct dma_info info;
		bool gets;

		if (!dom0_owns_node(bi, node))
			continue;
		gets = dom0_gets_device(bi, d, node, &info);
		if (info.overridden)
			log_info("d0: %s: marked DMA-unprotected by override (its firmware says an "
				 "IOMMU protects it)",
				 dt_path(fdt, node, path, sizeof(path)));
		if (info.cls == DMA_PROTECTED)
			prot++;
		else if (info.cls == DMA_UNPROTECTED && gets)
			unprot++;
		if (gets)
			continue;
		if (withheld++ < 3)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
					      dt_path(fdt, node, path, sizeof(path)));
	}
	for (unsigned i = 0; i < nr_pci_hosts; i++) {
		struct dma_info info;

		if (dma_classify(fdt, pci_hosts[i].node, &dma_overrides, &info) == 0 &&
		    info.overridden)
			log_info("%s: marked DMA-unprotected by override (its iommu-map says an "
				 "IOMMU protects its functions)",
				 dt_path(fdt, pci_hosts[i].node, path, sizeof(path)));
	}
	log_info("d0: DMA masters: %u behind an IOMMU, %u unprotected (dom0 is %s)", prot, unprot,
		 p2m_is_direct_mapped(&d->p2m) ? "1:1: their DMA works with machine addresses"
					       : "not 1:1");
	if (withheld)
		log_warn("d0 is not direct-mapped: %u unprotected DMA master(s) withheld from it, "
			 "their DMA would reach the wrong memory: %s%s; give dom0 1:1 memory, or "
			 "an IOMMU in front of them",
			 withheld, list, withheld > 3 ? ", ..." : "");
}

/* Nodes dom0 does not get because a domU's device shares an MMIO page with them. */
static void log_page_neighbours(const struct bootinfo *bi)
{
	char path[96], other[96];
	int node, near;

	dt_for_each_child(node, bi->fdt, 0) {
		if (not_assignable(bi, node) || assign_platform_owner(node) >= 0 ||
		    (near = shares_page_with_claim(bi, node, nr_claims)) < 0)
			continue;
		log_info("d0: no %s: it shares an MMIO page with %s, given to d%d",
			 dt_path(bi->fdt, node, path, sizeof(path)),
			 dt_path(bi->fdt, near, other, sizeof(other)), assign_platform_owner(near));
	}
}

/* Each reg range of a platform device, page-aligned, 1:1 into d's stage 2. */
static int map_node_mmio(const struct bootinfo *bi, struct domain *d, int node)
{
	char path[96];
	paddr_t base;
	uint64_t size;

	for (int i = 0; dt_reg(bi->fdt, node, i, &base, &size) == 0; i++) {
		paddr_t s = ALIGN_DOWN(base, PAGE_SIZE);
		uint64_t len = ALIGN_UP(base + size, PAGE_SIZE) - s;

		if (!size)
			continue;
		dt_path(bi->fdt, node, path, sizeof(path));
		if (touches_hv_device(bi, s, len)) {
			log_warn("d%u: %s shares a page with a hypervisor device: not mapped",
				 d->id, path);
			continue;
		}
		if (p2m_map(&d->p2m, s, s, len, P2M_MMIO, P2M_RW)) {
			log_err("d%u: cannot map %s at 0x%llx", d->id, path,
				(unsigned long long)base);
			return -XEN_ENOMEM;
		}
	}
	return 0;
}

int assign_map_dom0(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes)
{
	unsigned given;
	int node, rc;

	*nr_nodes = 0;
	dt_for_each_child(node, bi->fdt, 0) {
		struct dma_info info;

		if (!dom0_gets_device(bi, d, node, &info))
			continue;
		if (map_node_mmio(bi, d, node))
			return -XEN_ENOMEM;
		(*nr_nodes)++;
	}
	rc = map_dom0_pci(bi, d, &given);
	if (rc)
		return rc;
	log_dma_decisions(bi, d);
	log_page_neighbours(bi);
	if (given)
		log_info("d0: %u PCI function(s)", given);
	return 0;
}

/* A domU's PCI functions: BARs mapped at their host addresses (outside guest RAM). */
static int map_domu_pci(const struct bootinfo *bi, struct domain *d)
{
	char bdf[16], what[48];

	for (unsigned i = 0; i < nr_pci_hosts; i++)
		for (unsigned k = 0; k < pci_hosts[i].nr_devs; k++) {
			struct pci_device *dev = &pci_hosts[i].devs[k];
			enum dma_class cls = pci_device_class(bi, &pci_hosts[i], dev);

			if (dev->owner != (int)d->id)
				continue;
			pci_bdf_str(dev->bdf, bdf, sizeof(bdf));
			snprintf(what, sizeof(what), "PCI %s (%04x:%04x)", bdf, dev->vendor,
				 dev->device);
			if (check_dma(d, cls, what, DOMU_FIX "put the device behind the SMMU"))
				return -XEN_EINVAL;
			if (map_bars(d, dev))
				return -XEN_ENOMEM;
			log_info("d%u: %s assigned, %s", d->id, what,
				 cls == DMA_PROTECTED ? "behind the SMMU"
						      : "no IOMMU (1:1 domain)");
		}
	return 0;
}

/* Host MMIO must not land on the domain's RAM or its virtual GIC (Xen's guest layout). */
static int check_layout(const struct bootinfo *bi, const struct domain *d, int node,
			const char *path)
{
	paddr_t base;
	uint64_t size;

	for (int i = 0; dt_reg(bi->fdt, node, i, &base, &size) == 0; i++) {
		bool clash =
		    ranges_overlap(base, size, GUEST_GICD_BASE, VGIC_GICD_SIZE) ||
		    ranges_overlap(base, size, GUEST_GICR_BASE, d->nr_vcpus * VGIC_GICR_STRIDE);

		for (unsigned b = 0; b < d->nr_ram; b++)
			clash |= ranges_overlap(base, size, d->ram[b].gpa, d->ram[b].size);
		if (clash) {
			log_err("d%u (%s): %s at 0x%llx overlaps the domain's RAM or virtual GIC "
				"in its guest layout",
				d->id, d->name, path, (unsigned long long)base);
			return -XEN_EINVAL;
		}
	}
	return 0;
}

static int map_domu_platform(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes)
{
	char path[96];

	for (unsigned c = 0; c < nr_claims; c++) {
		struct dma_info info;
		int node = claims[c].node;

		if (claims[c].owner != d->id)
			continue;
		dt_path(bi->fdt, node, path, sizeof(path));
		platform_dma_class(bi, node, &info);
		if (check_dma(d, info.cls, path,
			      DOMU_FIX "assign a device behind the SMMU (iommus)") ||
		    check_layout(bi, d, node, path))
			return -XEN_EINVAL;
		if (map_node_mmio(bi, d, node))
			return -XEN_ENOMEM;
		(*nr_nodes)++;
		log_info("d%u: %s assigned, %s", d->id, path,
			 info.cls == DMA_PROTECTED     ? "behind the SMMU"
			 : info.cls == DMA_UNPROTECTED ? "no IOMMU (1:1 domain)"
						       : "not a DMA master");
	}
	return 0;
}

int assign_map_domu(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes)
{
	int rc = map_domu_pci(bi, d);

	*nr_nodes = 0;
	return rc ? rc : map_domu_platform(bi, d, nr_nodes);
}

/* The owner of a platform node: a domU that claimed it, or dom0 if it gets it. */
static struct domain *platform_owner_domain(const struct bootinfo *bi, int node)
{
	int owner = assign_platform_owner(node);
	struct domain *d0 = domain_by_id(0);
	struct dma_info info;

	if (owner >= 0)
		return domain_by_id((domid_t)owner);
	return d0 && d0->hardware && dom0_gets_device(bi, d0, node, &info) ? d0 : NULL;
}

int assign_for_each_stream(const struct bootinfo *bi,
			   int (*fn)(uint32_t sid, struct domain *d, const char *dev))
{
	char name[96];
	int node, rc;

	for (unsigned i = 0; smmu_translating && i < nr_pci_hosts; i++)
		for (unsigned k = 0; k < pci_hosts[i].nr_devs; k++) {
			struct pci_device *dev = &pci_hosts[i].devs[k];
			struct domain *d =
			    dev->owner >= 0 ? domain_by_id((domid_t)dev->owner) : NULL;

			if (!d || !dev->has_sid)
				continue;
			snprintf(name, sizeof(name), "PCI ");
			pci_bdf_str(dev->bdf, name + 4, sizeof(name) - 4);
			if ((rc = fn(dev->sid, d, name)))
				return rc;
		}
	dt_for_each_child(node, bi->fdt, 0) {
		struct dma_info info;
		struct domain *d;

		if (not_assignable(bi, node) || !(d = platform_owner_domain(bi, node)))
			continue;
		platform_dma_class(bi, node, &info);
		if (info.cls != DMA_PROTECTED)
			continue;
		dt_path(bi->fdt, node, name, sizeof(name));
		for (unsigned s = 0; s < info.nr_sids; s++)
			if ((rc = fn(info.sids[s], d, name)))
				return rc;
	}
	return 0;
}

/* Is a device node's interrupt parent the GIC: its own interrupt-parent, or the root's (the
 * devices assigned here are the root's children)? Phandles are compared, not resolved:
 * resolving one scans the whole tree. */
static bool gic_is_parent(const struct bootinfo *bi, int node)
{
	int len;
	const uint32_t *p = dt_getprop(bi->fdt, node, "interrupt-parent", &len);
	uint32_t gic = bi->gic_node >= 0 ? fdt_get_phandle(bi->fdt, bi->gic_node) : 0;

	if (!p || len != 4)
		p = dt_getprop(bi->fdt, 0, "interrupt-parent", &len);
	return gic && p && len == 4 && (uint32_t)dt_read_cells(p, 1) == gic;
}

/* what names the device for the log: a DT node (found only if needed: a path costs a tree
 * walk) or a PCI function's name. */
static void give_spi(const struct bootinfo *bi, struct domain *d, unsigned intid, bool edge,
		     int node, const char *what, unsigned *n)
{
	struct domain *other = vgic_spi_owner(intid);
	int rc = vgic_spi_assign(d, intid, edge);
	char path[96];

	if (!rc) {
		(*n)++;
		return;
	}
	if (node >= 0)
		what = dt_path(bi->fdt, node, path, sizeof(path));
	if (rc == -XEN_EBUSY)
		log_warn("d%u: %s: SPI %u is d%u's already (a shared line): not forwarded", d->id,
			 what, intid, other ? other->id : 0);
	else
		log_warn("d%u: %s: SPI %u is beyond the %u SPIs of the virtual GIC: not forwarded",
			 d->id, what, intid, VGIC_NR_SPIS);
}

/* The SPIs of a device node whose interrupt parent is the GIC (3-cell specifiers: type,
 * number, flags; GIC binding: type 0 is an SPI, flags 1 and 2 are edges). */
static void node_spis(const struct bootinfo *bi, struct domain *d, int node, unsigned *n)
{
	int len;
	const uint32_t *p = dt_getprop(bi->fdt, node, "interrupts", &len);

	if (!p || !gic_is_parent(bi, node))
		return;
	for (int i = 0; i + 3 <= len / 4; i += 3)
		if (dt_read_cells(p + i, 1) == 0)
			give_spi(bi, d, 32 + (unsigned)dt_read_cells(p + i + 1, 1),
				 dt_read_cells(p + i + 2, 1) & 3, node, NULL, n);
}

void assign_spis(const struct bootinfo *bi, struct domain *d)
{
	char what[24];
	unsigned n = 0;
	int node;

	dt_for_each_child(node, bi->fdt, 0) {
		struct dma_info info;

		if (d->hardware ? dom0_gets_device(bi, d, node, &info)
				: assign_platform_owner(node) == (int)d->id)
			node_spis(bi, d, node, &n);
	}
	for (unsigned i = 0; i < nr_pci_hosts; i++)
		for (unsigned k = 0; k < pci_hosts[i].nr_devs; k++) {
			const struct pci_device *dev = &pci_hosts[i].devs[k];
			uint32_t spec[3];

			if (dev->owner != (int)d->id ||
			    pci_intx_spec(bi->fdt, pci_hosts[i].node, dev->bdf, dev->irq_pin,
					  spec) ||
			    spec[0] != 0)
				continue;
			snprintf(what, sizeof(what), "PCI ");
			pci_bdf_str(dev->bdf, what + 4, sizeof(what) - 4);
			give_spi(bi, d, 32 + spec[1], spec[2] & 3, -1, what, &n);
		}
	if (n)
		log_info("d%u: %u device interrupt(s) forwarded to vCPU 0 (SPIs, hardware-linked)",
			 d->id, n);
}
