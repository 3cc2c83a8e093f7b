/* Device assignment's effects (DESIGN.md section 5): what the device table (claim.c) says
 * each domain gets, made real — MMIO into its stage 2, SPIs to its vCPU 0, StreamIDs to its
 * stage 2 — and said in the boot log. Nothing here decides who owns a device. */
#include "assign.h"
#include "claim.h"
#include "domain_cfg.h"
#include "dt.h"
#include "log.h"
#include "p2m.h"
#include "pci.h"
#include "vgic.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define MAX_DEVICES 128 /* QEMU virt: 42 nodes and up to 16 PCI functions */

bool smmu_translating;
static struct dma_overrides dma_overrides;
static bool allow_unsafe_dma; /* mapvisor.allow-unsafe-dma: refusals become warnings */
static struct dev_entry device_storage[MAX_DEVICES];
static struct dev_table devices = {device_storage, 0, MAX_DEVICES};

void assign_configure(const struct hv_options *o)
{
	dma_overrides_parse(o->dma_unprotected, &dma_overrides); /* checked by cmdline.c */
	allow_unsafe_dma = o->allow_unsafe_dma == 1;
	devices.nr = 0;
}

int assign_claim(const struct bootinfo *bi, const struct domain_cfg *cfgs, unsigned nr)
{
	struct claim_env env = {.bi = bi,
				.ov = &dma_overrides,
				.hosts = pci_hosts,
				.nr_hosts = nr_pci_hosts,
				.iommu_translating = smmu_translating,
				.allow_unsafe_dma = allow_unsafe_dma};

	return claim_devices(&env, cfgs, nr, &devices);
}

const struct dev_table *assign_devices(void)
{
	return &devices;
}

/* Claiming judged the DMA path from the configured memory mode; the domain as built must
 * be what was configured, or the safety rule was applied to the wrong domain. */
static void check_built_as_claimed(const struct domain *d, const struct dev_entry *e)
{
	if (dma_path_for(e->dma.cls, p2m_is_direct_mapped(&d->p2m)) != e->path)
		panic("d%u: a device's DMA path was claimed for a memory mode the domain was not "
		      "built with",
		      d->id);
}

/* Each MMIO range of a device, 1:1 into d's stage 2, but those with a page of a hypervisor
 * device. */
static int map_mmio(const struct bootinfo *bi, struct domain *d, const struct dev_entry *e)
{
	char name[96];

	for (unsigned i = 0; i < e->nr_mmio; i++) {
		if (e->mmio_hv_shared & (1U << i)) {
			log_warn("d%u: %s shares a page with a hypervisor device: not mapped",
				 d->id, dev_name(bi->fdt, e, name, sizeof(name)));
			continue;
		}
		if (p2m_map(&d->p2m, e->mmio[i].start, e->mmio[i].start, e->mmio[i].size, P2M_MMIO,
			    P2M_RW)) {
			log_err("d%u: cannot map %s at 0x%llx", d->id,
				dev_name(bi->fdt, e, name, sizeof(name)),
				(unsigned long long)e->mmio[i].start);
			return -XEN_ENOMEM;
		}
	}
	return 0;
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

/* dom0's PCI functions: under a bridge it drives, the bridge's windows cover their BARs. */
static int map_dom0_pci(const struct bootinfo *bi, struct domain *d, unsigned *given)
{
	char path[96];

	*given = 0;
	for (unsigned i = 0; i < nr_pci_hosts; i++) {
		const struct pci_host *h = &pci_hosts[i];
		bool bridge = dev_table_dom0_drives_bridge(&devices, h);

		for (unsigned k = 0; k < devices.nr; k++) {
			const struct dev_entry *e = &devices.dev[k];

			if (e->kind != DEV_PCI || e->host != h || !dev_given_to(e, d->id))
				continue;
			if (!bridge && map_mmio(bi, d, e))
				return -XEN_ENOMEM;
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

	list[0] = '\0';
	for (unsigned i = 0; i < devices.nr; i++) {
		const struct dev_entry *e = &devices.dev[i];
		bool gets = dev_given_to(e, d->id);

		if (e->kind != DEV_PLATFORM || (!gets && e->fate != DEV_WITHHELD))
			continue;
		if (e->dma.overridden)
			log_info("d0: %s: marked DMA-unprotected by override (its firmware says an "
				 "IOMMU protects it)",
				 dt_path(fdt, e->node, path, sizeof(path)));
		prot += e->dma.cls == DMA_PROTECTED;
		unprot += e->dma.cls == DMA_UNPROTECTED && gets;
		if (gets)
			continue;
		if (withheld++ < 3)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
					      dt_path(fdt, e->node, path, sizeof(path)));
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

/* Devices dom0 does not get because a domU's device shares an MMIO page with them. */
static void log_page_neighbours(const struct bootinfo *bi)
{
	char path[96], other[96];

	for (unsigned i = 0; i < devices.nr; i++) {
		const struct dev_entry *e = &devices.dev[i];
		const struct dev_entry *near;

		if (e->fate != DEV_PAGE_SHARED || !(near = dev_table_node(&devices, e->near_node)))
			continue;
		log_info("d0: no %s: it shares an MMIO page with %s, given to d%d",
			 dt_path(bi->fdt, e->node, path, sizeof(path)),
			 dt_path(bi->fdt, e->near_node, other, sizeof(other)), near->owner);
	}
}

int assign_map_dom0(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes)
{
	unsigned given;
	int rc;

	*nr_nodes = 0;
	for (unsigned i = 0; i < devices.nr; i++) {
		const struct dev_entry *e = &devices.dev[i];

		if (!dev_given_to(e, d->id))
			continue;
		check_built_as_claimed(d, e);
		if (e->kind != DEV_PLATFORM)
			continue;
		if (map_mmio(bi, d, e))
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

/* Host MMIO must not land on the domain's RAM or its virtual GIC (Xen's guest layout). */
static int check_layout(const struct domain *d, const struct dev_entry *e, const char *name)
{
	for (unsigned i = 0; i < e->nr_mmio; i++) {
		paddr_t base = e->mmio[i].start;
		uint64_t size = e->mmio[i].size;
		bool clash =
			ranges_overlap(base, size, GUEST_GICD_BASE, VGIC_GICD_SIZE) ||
			ranges_overlap(base, size, GUEST_GICR_BASE, d->nr_vcpus * VGIC_GICR_STRIDE);

		for (unsigned b = 0; b < d->nr_ram; b++)
			clash |= ranges_overlap(base, size, d->ram[b].gpa, d->ram[b].size);
		if (clash) {
			log_err("d%u (%s): %s at 0x%llx overlaps the domain's RAM or virtual GIC "
				"in its guest layout",
				d->id, d->name, name, (unsigned long long)base);
			return -XEN_EINVAL;
		}
	}
	return 0;
}

static const char *protection_said(const struct dev_entry *e)
{
	return e->dma.cls == DMA_PROTECTED     ? "behind the SMMU"
	       : e->dma.cls == DMA_UNPROTECTED ? "no IOMMU (1:1 domain)"
					       : "not a DMA master";
}

/* A domU's devices: its PCI functions' BARs, then its platform devices' reg, at their host
 * addresses (outside guest RAM). */
static int map_domu(const struct bootinfo *bi, struct domain *d, enum dev_kind kind,
		    unsigned *nr_nodes)
{
	char name[96], bdf[16];

	for (unsigned i = 0; i < devices.nr; i++) {
		const struct dev_entry *e = &devices.dev[i];

		if (e->kind != kind || !dev_given_to(e, d->id))
			continue;
		check_built_as_claimed(d, e);
		if (kind == DEV_PCI)
			snprintf(name, sizeof(name), "PCI %s (%04x:%04x)",
				 pci_bdf_str(e->pci->bdf, bdf, sizeof(bdf)), e->pci->vendor,
				 e->pci->device);
		else
			dt_path(bi->fdt, e->node, name, sizeof(name));
		if (kind == DEV_PLATFORM && check_layout(d, e, name))
			return -XEN_EINVAL;
		if (map_mmio(bi, d, e))
			return -XEN_ENOMEM;
		*nr_nodes += kind == DEV_PLATFORM;
		log_info("d%u: %s assigned, %s", d->id, name, protection_said(e));
	}
	return 0;
}

int assign_map_domu(const struct bootinfo *bi, struct domain *d, unsigned *nr_nodes)
{
	*nr_nodes = 0;
	if (map_domu(bi, d, DEV_PCI, nr_nodes))
		return -XEN_EINVAL;
	return map_domu(bi, d, DEV_PLATFORM, nr_nodes);
}

int assign_for_each_stream(const struct bootinfo *bi,
			   int (*fn)(uint32_t sid, struct domain *d, const char *dev))
{
	char name[96];
	int rc;

	for (unsigned i = 0; i < devices.nr; i++) {
		const struct dev_entry *e = &devices.dev[i];
		struct domain *d;

		if (!e->streams || e->fate != DEV_GIVEN || !(d = domain_by_id((domid_t)e->owner)))
			continue;
		dev_name(bi->fdt, e, name, sizeof(name));
		for (unsigned s = 0; s < e->dma.nr_sids; s++)
			if ((rc = fn(e->dma.sids[s], d, name)))
				return rc;
	}
	return 0;
}

static void give_spi(const struct bootinfo *bi, struct domain *d, const struct dev_entry *e,
		     const struct dev_spi *spi, unsigned *n)
{
	struct domain *other = vgic_spi_owner(spi->intid);
	int rc = vgic_spi_assign(d, spi->intid, spi->edge);
	char name[96];

	if (!rc) {
		(*n)++;
		return;
	}
	dev_name(bi->fdt, e, name, sizeof(name));
	if (rc == -XEN_EBUSY)
		log_warn("d%u: %s: SPI %u is d%u's already (a shared line): not forwarded", d->id,
			 name, spi->intid, other ? other->id : 0);
	else
		log_warn("d%u: %s: SPI %u is beyond the %u SPIs of the virtual GIC: not forwarded",
			 d->id, name, spi->intid, VGIC_NR_SPIS);
}

/* Platform devices' SPIs first, then PCI INTx: a line two devices share stays with the
 * first. */
void assign_spis(const struct bootinfo *bi, struct domain *d)
{
	static const enum dev_kind order[] = {DEV_PLATFORM, DEV_PCI};
	unsigned n = 0;

	for (unsigned o = 0; o < ARRAY_SIZE(order); o++)
		for (unsigned i = 0; i < devices.nr; i++) {
			const struct dev_entry *e = &devices.dev[i];

			if (e->kind != order[o] || !dev_given_to(e, d->id))
				continue;
			for (unsigned s = 0; s < e->nr_spis; s++)
				give_spi(bi, d, e, &e->spis[s], &n);
		}
	if (n)
		log_info("d%u: %u device interrupt(s) forwarded to vCPU 0 (SPIs, hardware-linked)",
			 d->id, n);
}
