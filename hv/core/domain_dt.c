/* The device tree a domain boots with, written from scratch (as Xen does for dom0less
 * domUs): its memory, its vCPUs, PSCI via HVC, the timer, the interrupt controller, a
 * /hypervisor node as Xen 4.17 writes it, and copies of the host nodes of the devices the
 * domain owns. */
#include "assign.h"
#include "claim.h"
#include "dma_protect.h"
#include "domain_build.h"
#include "dt.h"
#include "pci.h"
#include "random.h"
#include "vpci.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
	} while (0)

/* Properties a guest never sees as the host has them: IOMMU links (Xen hides them too; the
 * IOMMU is the hypervisor's) and our own protection marks, which we write ourselves. */
static bool hidden_prop(const char *name)
{
	if (name[0] != 'i' && name[0] != 'm') /* the first byte of each below: most names */
		return false;
	/* msi-parent/msi-map name the GIC's ITS, which no domain gets (not emulated) */
	return !strcmp(name, "iommus") || !strcmp(name, "iommu-map") ||
	       !strcmp(name, "msi-parent") || !strcmp(name, "msi-map") ||
	       !strcmp(name, "iommu-map-mask") || !strcmp(name, "mapvisor,dma-protected") ||
	       !strcmp(name, "mapvisor,dma-unprotected");
}

/* Copies a host node's properties, but those skip() names (and a malformed one stops it). */
static int copy_props(const void *host, int node, void *fdt, bool (*skip)(const char *name))
{
	const char *name;
	const void *val;
	int at = 0, len, rc;

	while ((rc = dt_next_prop(host, node, &at, &name, &val, &len)) > 0)
		if (!skip(name))
			TRY(fdt_property(fdt, name, val, len));
	return rc;
}

/* A domU's copy of a host device keeps no links into the host's tree, and its reg is
 * written anew in the domU's root cells. */
static bool hidden_domu_prop(const char *name)
{
	return hidden_prop(name) || !strcmp(name, "interrupt-parent") || !strcmp(name, "phandle") ||
	       !strcmp(name, "reg");
}

/* dom0's GIC node gets its own reg (only the redistributors dom0 has). */
static bool gic_replaced_prop(const char *name)
{
	return !strcmp(name, "reg") || !strcmp(name, "#redistributor-regions") ||
	       !strcmp(name, "redistributor-stride");
}

/* Copies a host node, its properties and its subnodes. */
static int copy_node(const void *host, int node, void *fdt, int depth)
{
	int child;

	if (depth > DT_WALK_MAX_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;
	TRY(fdt_begin_node(fdt, dt_get_name(host, node, NULL)));
	TRY(copy_props(host, node, fdt, hidden_prop));
	dt_for_each_child(child, host, node)
		TRY(copy_node(host, child, fdt, depth + 1));
	return fdt_end_node(fdt);
}

/* A device's reg as CPU physical addresses in 2 + 2 cells (a domU's root): the host puts
 * it below buses, with their cells and ranges, which the domU does not have. */
static int write_translated_reg(const void *host, int node, void *fdt)
{
	fdt64_t reg[2 * 8];
	paddr_t base;
	uint64_t size;
	int n = 0;

	for (int i = 0; n < (int)ARRAY_SIZE(reg) && dt_reg(host, node, i, &base, &size) == 0; i++) {
		reg[n++] = cpu_to_fdt64(base);
		reg[n++] = cpu_to_fdt64(size);
	}
	return fdt_property(fdt, "reg", reg, n * (int)sizeof(reg[0]));
}

/* A platform device a domU was given: as the host describes it, with its protection, at
 * the domU's root with its CPU addresses, but its interrupts are the domU's virtual GIC's
 * (the root's interrupt-parent), and its subnodes and phandle stay behind: nothing else of
 * the host's tree is there to link. */
static int copy_domu_device(const struct bootinfo *bi, const struct dev_entry *e, void *fdt)
{
	TRY(fdt_begin_node(fdt, dt_get_name(bi->fdt, e->node, NULL)));
	TRY(copy_props(bi->fdt, e->node, fdt, hidden_domu_prop));
	TRY(write_translated_reg(bi->fdt, e->node, fdt));
	if (e->dma.cls == DMA_PROTECTED)
		TRY(fdt_property(fdt, "mapvisor,dma-protected", NULL, 0));
	else if (e->dma.cls == DMA_UNPROTECTED)
		TRY(fdt_property(fdt, "mapvisor,dma-unprotected", NULL, 0));
	return fdt_end_node(fdt);
}

static int write_cpus(const struct bootinfo *bi, const struct domain *d, void *fdt)
{
	const char *compat = "arm,armv8";
	int host_cpu = dt_node_by_prop_value(bi->fdt, -1, "device_type", "cpu", 4);
	int clen = 10;

	if (host_cpu >= 0) {
		const char *c = dt_getprop(bi->fdt, host_cpu, "compatible", &clen);
		if (c)
			compat = c;
		else
			clen = 10;
	}
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property(fdt, "compatible", compat, clen));
		TRY(fdt_property_u32(fdt, "reg", (uint32_t)d->vcpu[i].vmpidr));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int write_memory(const struct domain *d, void *fdt)
{
	fdt64_t reg[2 * MAX_DOMAIN_BANKS];
	char name[32];

	for (unsigned i = 0; i < d->nr_ram; i++) {
		reg[2 * i] = cpu_to_fdt64(d->ram[i].gpa);
		reg[2 * i + 1] = cpu_to_fdt64(d->ram[i].size);
	}
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)d->ram[0].gpa);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(fdt_property(fdt, "reg", reg, (int)(d->nr_ram * 2 * sizeof(fdt64_t))));
	return fdt_end_node(fdt);
}

static int write_hypervisor(void *fdt, const struct domain *d)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	fdt32_t irq[3] = {cpu_to_fdt32(1), cpu_to_fdt32(EVTCHN_PPI - 16), cpu_to_fdt32(0xf08)};
	/* entry 0: the grant-table window; entry 1: an extended region, free guest-physical
	 * space for foreign mappings (Xen's binding) */
	fdt64_t reg[4] = {cpu_to_fdt64(d->gnttab_gpa), cpu_to_fdt64(GUEST_GNTTAB_SIZE),
			  cpu_to_fdt64(d->ext_region), cpu_to_fdt64(EXT_REGION_SIZE)};

	TRY(fdt_begin_node(fdt, "hypervisor"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	/* mapvisor's addition: Xen guests learn their id from xenstore, which we do not have */
	TRY(fdt_property_u32(fdt, "mapvisor,domid", d->id));
	return fdt_end_node(fdt);
}

static int write_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(fdt_property_string(fdt, "method", "hvc"));
	return fdt_end_node(fdt);
}

#define GUEST_PHANDLE_GIC 65000 /* Xen's phandle for a domU's GIC */

/* A domU's virtual GICv3, where Xen puts it (arch-arm.h): one redistributor per vCPU. */
static int write_vgic(const struct domain *d, void *fdt)
{
	char name[40];
	fdt64_t reg[4] = {cpu_to_fdt64(GUEST_GICD_BASE), cpu_to_fdt64(VGIC_GICD_SIZE),
			  cpu_to_fdt64(GUEST_GICR_BASE),
			  cpu_to_fdt64(d->nr_vcpus * VGIC_GICR_STRIDE)};

	snprintf(name, sizeof(name), "interrupt-controller@%llx",
		 (unsigned long long)GUEST_GICD_BASE);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "phandle", GUEST_PHANDLE_GIC));
	return fdt_end_node(fdt);
}

/* dom0's GIC: the host's node (compatible, phandle, cells, maintenance interrupt), without
 * its ITS, and with the registers dom0 really has: the distributor and one redistributor
 * (RD_base + SGI_base) per vCPU, the last with GICR_TYPER.Last. The host's region is larger
 * (QEMU virt: 123 frames); a frame beyond dom0's vCPUs is nobody's, and an access there is
 * a data abort (guest_abort.c). Xen 4.17 lists the host's regions. */
static int write_dom0_gic(const struct bootinfo *bi, const struct domain *d, void *fdt)
{
	const void *host = bi->fdt;
	fdt64_t reg[4] = {cpu_to_fdt64(bi->gicd.base), cpu_to_fdt64(VGIC_GICD_SIZE),
			  cpu_to_fdt64(bi->gicr.base),
			  cpu_to_fdt64(d->nr_vcpus * VGIC_GICR_STRIDE)};

	TRY(fdt_begin_node(fdt, dt_get_name(host, bi->gic_node, NULL)));
	TRY(copy_props(host, bi->gic_node, fdt, gic_replaced_prop));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	return fdt_end_node(fdt);
}

static int write_root_props(const struct bootinfo *bi, const struct domain *d, void *fdt)
{
	const void *host = bi->fdt;
	int len;
	const void *p;

	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	p = dt_getprop(host, 0, "compatible", &len);
	if (p)
		TRY(fdt_property(fdt, "compatible", p, len));
	p = dt_getprop(host, 0, "model", &len);
	if (p)
		TRY(fdt_property(fdt, "model", p, len));
	if (!d->hardware)
		return fdt_property_u32(fdt, "interrupt-parent", GUEST_PHANDLE_GIC);
	p = dt_getprop(host, 0, "interrupt-parent", &len);
	if (p)
		TRY(fdt_property(fdt, "interrupt-parent", p, len));
	return 0;
}

/* A function of a virtual bridge, as the PCI bus binding names it (reg = its devfn << 8 on
 * the domain's bus), with its BARs and whether the SMMU protects it; its INTx is the
 * bridge's interrupt-map's. */
static bool pci_function_protected(const struct vpci_func *f)
{
	const struct dev_entry *e = dev_table_pci(assign_devices(), f->dev);

	return e && e->dma.cls == DMA_PROTECTED;
}

static int write_vpci_function(const struct vpci_func *f, void *fdt)
{
	fdt32_t reg[5] = {cpu_to_fdt32((uint32_t)f->vdevfn << 8), 0, 0, 0, 0};
	fdt32_t bars[5 * PCI_MAX_BARS];
	char name[24], compat[24];
	int n = 0;

	snprintf(name, sizeof(name), "pci@%x,%x", f->vdevfn >> 3, f->vdevfn & 7);
	snprintf(compat, sizeof(compat), "pci%x,%x", f->dev->vendor, f->dev->device);
	for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
		const struct pci_bar *bar = &f->dev->bars[b];

		if (!bar->size || f->bar_kind[b] == VPCI_BAR_NONE)
			continue;
		/* phys.hi: non-relocatable, 32- or 64-bit memory space, register 0x10 + 4 * BAR */
		bars[n++] = cpu_to_fdt32(
			(f->bar_kind[b] == VPCI_BAR_MEM64_LO ? 0x83000000U : 0x82000000U) |
			(uint32_t)f->vdevfn << 8 | (0x10 + 4 * b));
		bars[n++] = cpu_to_fdt32((uint32_t)(bar->addr >> 32));
		bars[n++] = cpu_to_fdt32((uint32_t)bar->addr);
		bars[n++] = cpu_to_fdt32((uint32_t)(bar->size >> 32));
		bars[n++] = cpu_to_fdt32((uint32_t)bar->size);
	}
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", compat));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	if (n)
		TRY(fdt_property(fdt, "assigned-addresses", bars, n * (int)sizeof(fdt32_t)));
	TRY(fdt_property(fdt,
			 pci_function_protected(f)
				 ? "mapvisor,dma-protected"
				 : "mapvisor,dma-unprotected",
			 NULL, 0));
	return fdt_end_node(fdt);
}

/* Each function's pin on its virtual slot goes to the host line it has (interrupt-map:
 * child unit address and pin, the GIC's phandle, as many zero cells as the GIC's
 * #address-cells (dom0's GIC is the host's node: 2 on QEMU virt; a domU's has none), and its
 * 3 cells). */
static int write_vpci_intx(const struct bootinfo *bi, const struct vpci *v, uint32_t gic,
			   unsigned gic_addr_cells, void *fdt)
{
	const fdt32_t mask[4] = {cpu_to_fdt32(0xf800), 0, 0, cpu_to_fdt32(7)};
	fdt32_t map[11 * VPCI_MAX_FUNCS];
	int n = 0;

	if (gic_addr_cells > 3)
		return -FDT_ERR_BADNCELLS;

	for (unsigned i = 0; i < v->nr_funcs; i++) {
		const struct vpci_func *f = &v->func[i];
		uint32_t spec[3];

		if (pci_intx_spec(bi->fdt, v->host->node, f->host_bdf, f->dev->irq_pin, spec))
			continue;
		map[n++] = cpu_to_fdt32((uint32_t)f->vdevfn << 8);
		map[n++] = 0;
		map[n++] = 0;
		map[n++] = cpu_to_fdt32(f->dev->irq_pin);
		map[n++] = cpu_to_fdt32(gic);
		for (unsigned k = 0; k < gic_addr_cells; k++)
			map[n++] = 0;
		for (unsigned k = 0; k < 3; k++)
			map[n++] = cpu_to_fdt32(spec[k]);
	}
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property(fdt, "interrupt-map-mask", mask, sizeof(mask)));
	return n ? fdt_property(fdt, "interrupt-map", map, n * (int)sizeof(fdt32_t)) : 0;
}

/* The virtual host bridge (vpci.c), as Linux's pci-host-ecam-generic binds it: one bus,
 * the ECAM where the host has it, one 32-bit memory window just covering the domain's BARs
 * (PCI address == guest physical address). */
static int write_vpci_bridge(const struct bootinfo *bi, const struct vpci *v, uint32_t gic,
			     unsigned gic_addr_cells, void *fdt)
{
	paddr_t ecam = vpci_ecam_gpa(v), base;
	uint64_t size;
	fdt64_t reg[2] = {cpu_to_fdt64(ecam), cpu_to_fdt64(VPCI_BUS_BYTES)};
	fdt32_t bus_range[2] = {0, 0};
	fdt32_t ranges[7];
	char name[32];

	vpci_bar_window(v, &base, &size);
	ranges[0] = cpu_to_fdt32(0x02000000);
	ranges[1] = cpu_to_fdt32((uint32_t)(base >> 32));
	ranges[2] = cpu_to_fdt32((uint32_t)base);
	ranges[3] = cpu_to_fdt32((uint32_t)(base >> 32));
	ranges[4] = cpu_to_fdt32((uint32_t)base);
	ranges[5] = cpu_to_fdt32((uint32_t)(size >> 32));
	ranges[6] = cpu_to_fdt32((uint32_t)size);
	snprintf(name, sizeof(name), "pcie@%llx", (unsigned long long)ecam);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
	TRY(fdt_property_string(fdt, "device_type", "pci"));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range)));
	TRY(fdt_property_u32(fdt, "#address-cells", 3));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_u32(fdt, "linux,pci-domain", 0));
	if (dt_getprop(bi->fdt, v->host->node, "dma-coherent", NULL))
		TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
	if (size)
		TRY(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
	TRY(write_vpci_intx(bi, v, gic, gic_addr_cells, fdt));
	for (unsigned i = 0; i < v->nr_funcs; i++)
		TRY(write_vpci_function(&v->func[i], fdt));
	return fdt_end_node(fdt);
}

/* /chosen: the command line, the ramdisk (chosen.txt: linux,initrd-start/-end, end
 * exclusive), and a seed of its own for each domain, so no two domains share KASLR offsets
 * or an RNG seed (the host's are the firmware's, meant for one kernel). */
static int write_chosen(const void *host, const struct domain *d, const char *bootargs,
			void *fdt)
{
	static const char *const firmware_seeds[] = {"rng-seed", "kaslr-seed"};
	static bool stirred;
	int chosen = dt_path_offset(host, "/chosen");
	fdt64_t seed[4];

	for (unsigned i = 0; !stirred && chosen >= 0 && i < ARRAY_SIZE(firmware_seeds); i++) {
		int len;
		const void *p = dt_getprop(host, chosen, firmware_seeds[i], &len);

		if (p && len > 0)
			random_stir(p, (size_t)len);
	}
	stirred = true;

	TRY(fdt_begin_node(fdt, "chosen"));
	if (bootargs)
		TRY(fdt_property_string(fdt, "bootargs", bootargs));
	if (d->initrd_size) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", d->initrd_gpa));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", d->initrd_gpa + d->initrd_size));
	}
	for (unsigned i = 0; i < ARRAY_SIZE(seed); i++)
		seed[i] = cpu_to_fdt64(random_u64());
	TRY(fdt_property(fdt, "kaslr-seed", seed, sizeof(seed[0])));
	TRY(fdt_property(fdt, "rng-seed", seed, sizeof(seed)));
	/* the hypervisor sized and placed every BAR, and the SMMU's StreamIDs follow its bus
	 * numbers: Linux keeps both (of_pci_check_probe_only), on the host's bridge (dom0) or
	 * a virtual one, whose BARs do not move */
	if (d->hardware || vpci_of(d))
		TRY(fdt_property_u32(fdt, "linux,pci-probe-only", 1));
	if (d->vpl011.enabled)
		TRY(fdt_property_string(fdt, "stdout-path", VPL011_DT_PATH));
	return fdt_end_node(fdt);
}

/* A function under a bridge dom0 drives, in the PCI bus binding's terms: reg is its config
 * address (devfn << 8), assigned-addresses its BARs as the hypervisor placed them (PCI
 * address == CPU address), and its INTx goes straight to the GIC (interrupts-extended,
 * which Linux's of_irq_parse_pci takes before the bridge's interrupt-map). */
static int write_bridge_function(const struct bootinfo *bi, const struct dev_entry *e,
				 void *fdt)
{
	const struct pci_host *h = e->host;
	const struct pci_device *dev = e->pci;
	fdt32_t reg[5] = {cpu_to_fdt32((uint32_t)dev->bdf << 8), 0, 0, 0, 0};
	fdt32_t bars[5 * PCI_MAX_BARS];
	uint32_t gic = bi->gic_node >= 0 ? dt_get_phandle(bi->fdt, bi->gic_node) : 0, irq[3];
	char name[24], compat[24];
	int n = 0;

	snprintf(name, sizeof(name), "pci@%x,%x", (dev->bdf >> 3) & 0x1f, dev->bdf & 7);
	snprintf(compat, sizeof(compat), "pci%x,%x", dev->vendor, dev->device);
	for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
		const struct pci_bar *bar = &dev->bars[b];

		if (!bar->size)
			continue;
		/* phys.hi: non-relocatable, 64-bit memory space, register 0x10 + 4 * BAR */
		bars[n++] = cpu_to_fdt32(0x83000000U | (uint32_t)dev->bdf << 8 | (0x10 + 4 * b));
		bars[n++] = cpu_to_fdt32((uint32_t)(bar->addr >> 32));
		bars[n++] = cpu_to_fdt32((uint32_t)bar->addr);
		bars[n++] = cpu_to_fdt32((uint32_t)(bar->size >> 32));
		bars[n++] = cpu_to_fdt32((uint32_t)bar->size);
	}
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", compat));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	if (n)
		TRY(fdt_property(fdt, "assigned-addresses", bars, n * (int)sizeof(fdt32_t)));
	if (gic && pci_intx_spec(bi->fdt, h->node, dev->bdf, dev->irq_pin, irq) == 0) {
		fdt32_t ext[4] = {cpu_to_fdt32(gic), cpu_to_fdt32(irq[0]), cpu_to_fdt32(irq[1]),
				  cpu_to_fdt32(irq[2])};

		TRY(fdt_property(fdt, "interrupts-extended", ext, sizeof(ext)));
	}
	TRY(fdt_property(fdt, e->dma.cls == DMA_PROTECTED ? "mapvisor,dma-protected"
							  : "mapvisor,dma-unprotected",
			 NULL, 0));
	return fdt_end_node(fdt);
}

/* A host bridge dom0 drives: the host's node, plus a child per function (PCI bus binding:
 * reg = <devfn << 8, 0, 0, 0, 0>, which is how Linux finds a function's node) carrying
 * whether the SMMU protects it. */
static int copy_dom0_bridge(const struct bootinfo *bi, const struct pci_host *h, void *fdt)
{
	const struct dev_table *t = assign_devices();
	const void *host = bi->fdt;
	int child;

	TRY(fdt_begin_node(fdt, dt_get_name(host, h->node, NULL)));
	TRY(copy_props(host, h->node, fdt, hidden_prop));
	dt_for_each_child(child, host, h->node)
		TRY(copy_node(host, child, fdt, 1));
	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PCI && t->dev[i].host == h && dev_given_to(&t->dev[i], 0))
			TRY(write_bridge_function(bi, &t->dev[i], fdt));
	return fdt_end_node(fdt);
}

/* Nodes dom0 never gets as the host has them: those the hypervisor writes itself (chosen,
 * cpus, memory, psci, the timer and the GIC, copied on their own) and the PMU, which is not
 * virtualised (Xen skips it too). */
static bool dom0_replaced_node(const struct bootinfo *bi, int node)
{
	static const char *const compat[] = {"arm,psci", "arm,psci-0.2", "arm,psci-1.0",
					     "arm,armv8-timer", "arm,armv8-pmuv3",
					     "arm,cortex-a15-pmu", "arm,cortex-a7-pmu"};
	const char *name = dt_get_name(bi->fdt, node, NULL);
	const char *type = dt_getprop(bi->fdt, node, "device_type", NULL);

	if (node == bi->gic_node || !strcmp(name, "chosen") || !strcmp(name, "cpus") ||
	    !strcmp(name, "hypervisor") || (type && !strcmp(type, "memory")))
		return true;
	return dt_node_is_compatible_any(bi->fdt, node, compat, ARRAY_SIZE(compat));
}

static const struct pci_host *pci_host_of(int node)
{
	for (unsigned i = 0; i < nr_pci_hosts; i++)
		if (pci_hosts[i].node == node)
			return &pci_hosts[i];
	return NULL;
}

static int write_dom0_node(const struct bootinfo *bi, struct domain *d, int node, void *fdt,
			   int depth);

/* A bus (or any node that is no device) and, by the same rule, what is below it. */
static int write_dom0_container(const struct bootinfo *bi, struct domain *d, int node,
				void *fdt, int depth, const struct dma_info *dma)
{
	const void *host = bi->fdt;
	int child;

	TRY(fdt_begin_node(fdt, dt_get_name(host, node, NULL)));
	TRY(copy_props(host, node, fdt, hidden_prop));
	if (dma && dma->cls == DMA_PROTECTED)
		TRY(fdt_property(fdt, "mapvisor,dma-protected", NULL, 0));
	else if (dma && dma->cls == DMA_UNPROTECTED)
		TRY(fdt_property(fdt, "mapvisor,dma-unprotected", NULL, 0));
	dt_for_each_child(child, host, node)
		TRY(write_dom0_node(bi, d, child, fdt, depth + 1));
	return fdt_end_node(fdt);
}

/* Xen's rule (domain_build.c: handle_node), at every depth: dom0 gets every host node but
 * the replaced ones; a device (reg the CPU reaches) only if dom0 owns it and can use its
 * DMA, so the nodes a device links to by phandle (clocks, regulators, GPIO lines: nodes
 * without reg) are always there, and a bus (/soc) carries exactly the devices dom0 got. */
static int write_dom0_node(const struct bootinfo *bi, struct domain *d, int node, void *fdt,
			   int depth)
{
	const void *host = bi->fdt;
	const struct pci_host *h = pci_host_of(node);
	const struct dev_table *t = assign_devices();
	const struct dev_entry *e;

	if (depth > DT_WALK_MAX_DEPTH)
		return -FDT_ERR_BADSTRUCTURE;
	if (dom0_replaced_node(bi, node))
		return 0;
	if (h)
		return dev_table_dom0_drives_bridge(t, h) ? copy_dom0_bridge(bi, h, fdt) : 0;
	if (depth == 1 && dt_holds_no_devices(host, node)) /* reserved-memory, aliases */
		return copy_node(host, node, fdt, 0);
	if (dt_is_mmio_device(host, node))
		return (e = dev_table_node(t, node)) && dev_given_to(e, d->id)
			   ? write_dom0_container(bi, d, node, fdt, depth, &e->dma)
			   : 0;
	if (!dt_node_enabled(host, node))
		return 0;
	return write_dom0_container(bi, d, node, fdt, depth, NULL);
}

static int write_dom0_devices(const struct bootinfo *bi, struct domain *d, void *fdt)
{
	int node;

	dt_for_each_child(node, bi->fdt, 0)
		TRY(write_dom0_node(bi, d, node, fdt, 1));
	if (vpci_of(d) && bi->gic_node >= 0) { /* its functions, on a bridge a domU uses */
		const fdt32_t *ac = dt_getprop(bi->fdt, bi->gic_node, "#address-cells", NULL);

		return write_vpci_bridge(bi, vpci_of(d), dt_get_phandle(bi->fdt, bi->gic_node),
					 ac ? fdt32_to_cpu(*ac) : 0, fdt);
	}
	return 0;
}

/* Its platform devices (at its root, wherever the host has them), then its PCI functions
 * on its virtual host bridge. */
static int write_domu_devices(const struct bootinfo *bi, struct domain *d, void *fdt)
{
	const struct dev_table *t = assign_devices();

	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PLATFORM && dev_given_to(&t->dev[i], d->id))
			TRY(copy_domu_device(bi, &t->dev[i], fdt));
	return vpci_of(d) ? write_vpci_bridge(bi, vpci_of(d), GUEST_PHANDLE_GIC, 0, fdt) : 0;
}

/* The vpl011 as Xen's make_vpl011_uart_node writes it: an SBSA UART at a fixed 115200 baud
 * (Linux's sbsa-uart driver takes its speed from current-speed), level-triggered SPI. */
static int write_vpl011(void *fdt)
{
	fdt64_t reg[2] = {cpu_to_fdt64(GUEST_PL011_BASE), cpu_to_fdt64(GUEST_PL011_SIZE)};
	fdt32_t irq[3] = {cpu_to_fdt32(0), cpu_to_fdt32(GUEST_VPL011_SPI - 32), cpu_to_fdt32(4)};

	TRY(fdt_begin_node(fdt, VPL011_DT_PATH + 1));
	TRY(fdt_property_string(fdt, "compatible", "arm,sbsa-uart"));
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property_u32(fdt, "interrupt-parent", GUEST_PHANDLE_GIC));
	TRY(fdt_property_u32(fdt, "current-speed", 115200));
	return fdt_end_node(fdt);
}

int domain_dt_build(const struct bootinfo *bi, struct domain *d, const char *bootargs, void *buf,
		    int len)
{
	const void *host = bi->fdt;
	int node;

	/* without name de-duplication: libfdt's searches the strings block byte by byte for
	 * every property written, a third of the writer's time; the tree is a few KiB larger */
	TRY(fdt_create_with_flags(buf, len, FDT_CREATE_FLAG_NO_NAME_DEDUP));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(write_root_props(bi, d, buf));
	TRY(write_chosen(host, d, bootargs, buf));
	if (d->xen_node)
		TRY(write_hypervisor(buf, d));
	TRY(write_cpus(bi, d, buf));
	TRY(write_psci(buf));
	TRY(write_memory(d, buf));
	/* The timer as the host describes it (its PPIs are the same in every domain). */
	node = dt_node_by_compatible(host, -1, "arm,armv8-timer");
	if (node >= 0)
		TRY(copy_node(host, node, buf, 0));
	/* dom0's view is the host's GIC where the host has it; a domU's is Xen's layout */
	if (d->hardware && bi->gic_node >= 0)
		TRY(write_dom0_gic(bi, d, buf));
	else if (!d->hardware)
		TRY(write_vgic(d, buf));
	if (d->vpl011.enabled)
		TRY(write_vpl011(buf));
	TRY(d->hardware ? write_dom0_devices(bi, d, buf) : write_domu_devices(bi, d, buf));
	TRY(fdt_end_node(buf));
	TRY(dt_finish(buf));
	return 0;
}
