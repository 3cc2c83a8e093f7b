/* PCI enumeration on bus 0 (PCI Local Bus 3.0, 6.2.5 BAR sizing), RID -> StreamID from the
 * PCI bus binding's iommu-map. Bridges below the host bridge are reported, not followed. */
#include "arch.h"
#include "bootinfo.h"
#include "dt.h"
#include "log.h"
#include "pci.h"
#include <format.h>
#include <libfdt.h>

#define PCI_VENDOR 0x00
#define PCI_COMMAND 0x04
#define PCI_CLASS 0x08 /* class code [31:8] */
#define PCI_HEADER 0x0c
#define PCI_BAR0 0x10
#define PCI_INTERRUPT 0x3c /* line [7:0], pin [15:8] */
#define CMD_MEMORY (1U << 1)
#define CMD_MASTER (1U << 2)

struct pci_host pci_hosts[4];
unsigned nr_pci_hosts;

const char *pci_bdf_str(uint16_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%u", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
	return buf;
}

int pci_host_window(const void *fdt, int node, struct pci_host *h)
{
	int len;
	const uint32_t *r = dt_getprop(fdt, node, "ranges", &len);

	/* child (3 cells) parent (2) size (2): 7 cells per entry */
	for (int i = 0; r && i + 7 <= len / 4; i += 7) {
		uint32_t space = (uint32_t)(dt_read_cells(r + i, 1) >> 24) & 3;

		if (space != 2)
			continue;
		h->mem_base = dt_read_cells(r + i + 3, 2);
		h->mem_size = dt_read_cells(r + i + 5, 2);
		h->mem_next = h->mem_base;
		return dt_read_cells(r + i + 1, 2) == h->mem_base ? 0 : -XEN_EINVAL;
	}
	return -XEN_ENOENT;
}

int pci_host_range(const void *fdt, int node, unsigned i, paddr_t *cpu, uint64_t *size)
{
	int len;
	const uint32_t *r = dt_getprop(fdt, node, "ranges", &len);

	if (!r || (int)(7 * (i + 1)) > len / 4)
		return -XEN_ENOENT;
	*cpu = dt_read_cells(r + 7 * i + 3, 2);
	*size = dt_read_cells(r + 7 * i + 5, 2);
	return 0;
}

static int size_bar(struct pci_host *h, const struct pci_config_ops *ops, struct pci_device *d,
		    unsigned i, unsigned *used)
{
	unsigned off = PCI_BAR0 + 4 * i;
	uint32_t orig = ops->read32(ops->ctx, d->bdf, off), lo, hi = 0;
	bool is64 = (orig & 7) == 4;
	uint64_t mask, size;

	*used = is64 ? 2 : 1;
	if (orig & 1) /* I/O space: no I/O window is given to domains */
		return 0;
	ops->write32(ops->ctx, d->bdf, off, ~0U);
	lo = ops->read32(ops->ctx, d->bdf, off);
	if (is64) {
		ops->write32(ops->ctx, d->bdf, off + 4, ~0U);
		hi = ops->read32(ops->ctx, d->bdf, off + 4);
	}
	mask = ((uint64_t)hi << 32) | (lo & ~0xfU);
	if (!is64)
		mask |= 0xffffffff00000000ULL;
	if (!(lo & ~0xfU) && !hi)
		return 0; /* unimplemented BAR */
	size = ~mask + 1;
	paddr_t addr = ALIGN_UP(h->mem_next, MAX(size, PAGE_SIZE));

	if (addr + size > h->mem_base + h->mem_size)
		return -XEN_ENOSPC;
	h->mem_next = addr + MAX(size, PAGE_SIZE);
	ops->write32(ops->ctx, d->bdf, off, (uint32_t)addr | (lo & 0xf));
	if (is64)
		ops->write32(ops->ctx, d->bdf, off + 4, (uint32_t)(addr >> 32));
	d->bars[i] = (struct pci_bar){addr, size};
	return 0;
}

int pci_enumerate(struct pci_host *h, const struct pci_config_ops *ops)
{
	char bdf[16];

	for (uint16_t devfn = 0; devfn < 256; devfn++) {
		uint32_t id = ops->read32(ops->ctx, devfn, PCI_VENDOR);
		uint32_t hdr = ops->read32(ops->ctx, devfn, PCI_HEADER);
		struct pci_device *d;

		if ((id & 0xffff) == 0xffff) {
			if ((devfn & 7) == 0)
				devfn += 7; /* no function 0: no device */
			continue;
		}
		if ((ops->read32(ops->ctx, devfn, PCI_CLASS) >> 24) == 0x06 &&
		    ((hdr >> 16) & 0x7f) == 0) {
			log_info("PCI %s: %04x:%04x, a bridge function: not assigned",
				 pci_bdf_str(devfn, bdf, sizeof(bdf)), id & 0xffff, id >> 16);
			if ((devfn & 7) == 0 && !(hdr & (1U << 23)))
				devfn += 7;
			continue;
		}
		if (((hdr >> 16) & 0x7f) != 0) {
			log_warn("PCI %s: a bridge (header type %u): devices behind it are not used",
				 pci_bdf_str(devfn, bdf, sizeof(bdf)), (hdr >> 16) & 0x7f);
			continue;
		}
		if (h->nr_devs == PCI_MAX_DEVICES) {
			log_warn("PCI: more than %d functions: the rest are not used", PCI_MAX_DEVICES);
			break;
		}
		d = &h->devs[h->nr_devs];
		*d = (struct pci_device){.bdf = devfn, .vendor = (uint16_t)id,
					 .device = (uint16_t)(id >> 16)};
		d->irq_pin = (uint8_t)(ops->read32(ops->ctx, devfn, PCI_INTERRUPT) >> 8);
		ops->write32(ops->ctx, devfn, PCI_COMMAND, 0); /* decode off while sizing */
		for (unsigned i = 0, used; i < PCI_MAX_BARS; i += used)
			if (size_bar(h, ops, d, i, &used)) {
				log_err("PCI %s: BAR %u does not fit in the memory window",
					pci_bdf_str(devfn, bdf, sizeof(bdf)), i);
				return -XEN_ENOSPC;
			}
		ops->write32(ops->ctx, devfn, PCI_COMMAND, CMD_MEMORY | CMD_MASTER);
		h->nr_devs++;
		if (!(hdr & (1U << 23)) && (devfn & 7) == 0)
			devfn += 7; /* single-function device */
	}
	return 0;
}

static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const uint32_t *p = dt_getprop(fdt, node, name, &len);

	return p && len == 4 ? (int)dt_read_cells(p, 1) : dflt;
}

/* Entries: child unit address (3 cells: phys.hi carries bus/device/function) and pin,
 * parent phandle, parent unit address (#address-cells of the parent, 0 if absent) and
 * parent specifier (its #interrupt-cells): the Open Firmware PCI bus binding. */
int pci_intx_spec(const void *fdt, int node, uint16_t bdf, unsigned pin, uint32_t spec[3])
{
	int len, mlen;
	const uint32_t *map = dt_getprop(fdt, node, "interrupt-map", &len);
	const uint32_t *mask = dt_getprop(fdt, node, "interrupt-map-mask", &mlen);
	uint32_t child[4] = {(uint32_t)bdf << 8, 0, 0, pin};

	if (!pin || pin > 4 || !map || !mask || mlen != 16)
		return -XEN_ENOENT;
	for (int k = 0; k < 4; k++)
		child[k] &= (uint32_t)dt_read_cells(mask + k, 1);
	for (int i = 0; i + 5 <= len / 4;) {
		int parent =
			dt_node_by_phandle(fdt, (uint32_t)dt_read_cells(map + i + 4, 1));
		int ac = parent >= 0 ? cells_of(fdt, parent, "#address-cells", 0) : -1;
		int ic = parent >= 0 ? cells_of(fdt, parent, "#interrupt-cells", -1) : -1;
		bool hit = true;

		if (ac < 0 || ac > 3 || ic < 1 || ic > 4 || i + 5 + ac + ic > len / 4)
			return -XEN_EINVAL;
		for (int k = 0; k < 4; k++)
			hit &= ((uint32_t)dt_read_cells(map + i + k, 1) &
				(uint32_t)dt_read_cells(mask + k, 1)) == child[k];
		if (hit && ic == 3) {
			for (int k = 0; k < 3; k++)
				spec[k] = (uint32_t)dt_read_cells(map + i + 5 + ac + k, 1);
			return 0;
		}
		i += 5 + ac + ic;
	}
	return -XEN_ENOENT;
}

int pci_rid_to_sid(const void *fdt, int node, uint16_t rid, uint32_t *sid)
{
	int len, mlen;
	const uint32_t *map = dt_getprop(fdt, node, "iommu-map", &len);
	const uint32_t *maskp = dt_getprop(fdt, node, "iommu-map-mask", &mlen);
	uint32_t masked = maskp && mlen == 4 ? rid & (uint32_t)dt_read_cells(maskp, 1) : rid;

	if (!map || len % 16)
		return -XEN_ENOENT;
	for (int i = 0; i < len / 4; i += 4) {
		uint32_t base = (uint32_t)dt_read_cells(map + i, 1);
		uint32_t out = (uint32_t)dt_read_cells(map + i + 2, 1);
		uint32_t n = (uint32_t)dt_read_cells(map + i + 3, 1);

		if (masked >= base && masked - base < n) {
			*sid = out + (masked - base);
			return 0;
		}
	}
	return -XEN_ENOENT;
}

/* Every host bridge the DT has, each enumerated through the architecture's config-space
 * access; logs what it finds. Starts from none, so a second call (tests) does not append. */
int pci_init(const struct bootinfo *bi)
{
	char bdf[16], sidbuf[24];

	nr_pci_hosts = 0;
	for (unsigned i = 0; i < bi->nr_pci && i < ARRAY_SIZE(pci_hosts); i++) {
		struct pci_host *h = &pci_hosts[nr_pci_hosts];

		*h = (struct pci_host){.node = bi->pci[i].node, .ecam = bi->pci[i].base,
				       .ecam_size = bi->pci[i].size};
		if (pci_host_window(bi->fdt, h->node, h)) {
			log_err("%s: no 32-bit memory window in ranges", bi->pci[i].path);
			return -XEN_EINVAL;
		}
		if (arch_pci_enumerate(h))
			return -XEN_EINVAL;
		nr_pci_hosts++;
		for (unsigned k = 0; k < h->nr_devs; k++) {
			struct pci_device *d = &h->devs[k];

			d->has_sid = pci_rid_to_sid(bi->fdt, h->node, d->bdf, &d->sid) == 0;
			snprintf(sidbuf, sizeof(sidbuf), "StreamID 0x%x", d->sid);
			log_info("PCI %s: %04x:%04x, BAR0 0x%llx (%llu KiB), %s", pci_bdf_str(d->bdf, bdf,
				 sizeof(bdf)), d->vendor, d->device,
				 (unsigned long long)d->bars[0].addr,
				 (unsigned long long)(d->bars[0].size >> 10),
				 d->has_sid ? sidbuf : "no iommu-map: unprotected");
		}
	}
	return 0;
}
