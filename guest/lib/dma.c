/* The DMA layer, as a Xen guest kernel needs it (DESIGN.md section 7). Two paths:
 *  - direct: the bus address is the guest-physical address (an IOMMU shares our p2m);
 *  - translate (Linux's swiotlb-xen): a local page's bus address is its frame (right on a
 *    1:1 domain), a mapped foreign page's is the dev_bus_addr recorded when it was mapped,
 *    and a range whose pages are not bus-contiguous, or that the device cannot address, is
 *    bounced through a pool.
 * The path per device: its DT property when the hypervisor gave one, else Linux 6.1's rule
 * (xen_swiotlb_detect()). Counters say what it cost. */
#include "libguest.h"
#include <string.h>

#define POOL_BYTES (64 << 10)
#define MAX_FOREIGN 32

struct dma_stats dma_stats;
static uint8_t pool[POOL_BYTES] __attribute__((aligned(4096)));
static bool pool_busy;
static struct {
	uint64_t gpa, bus;
} foreign[MAX_FOREIGN];
static unsigned nr_foreign;

const char *dma_path_name(enum dma_path p)
{
	return p == DMA_DIRECT ? "direct" : "translate";
}

/* bootargs dma_rule=linux ignores the per-device property (what Linux 6.1 does). */
void dma_dev_init(struct dma_dev *dev, int node, uint64_t mask)
{
	bool linux_only = bootarg_is("dma_rule", "linux");

	dev->mask = mask;
	if (!linux_only && fdt_prop(guest_fdt, node, "mapvisor,dma-protected", NULL)) {
		dev->path = DMA_DIRECT;
		dev->why = "per-device property: behind an IOMMU";
	} else if (!linux_only && fdt_prop(guest_fdt, node, "mapvisor,dma-unprotected", NULL)) {
		dev->path = DMA_TRANSLATE;
		dev->why = "per-device property: no IOMMU";
	} else {
		dev->path = xen_swiotlb_detect() ? DMA_TRANSLATE : DMA_DIRECT;
		dev->why = "Linux 6.1 rule (xen_swiotlb_detect)";
	}
}

void dma_register_foreign(uint64_t gpa, uint64_t dev_bus_addr)
{
	if (nr_foreign < MAX_FOREIGN) {
		foreign[nr_foreign].gpa = gpa & ~0xfffULL;
		foreign[nr_foreign++].bus = dev_bus_addr & ~0xfffULL;
	}
}

void dma_forget_foreign(uint64_t gpa)
{
	for (unsigned i = 0; i < nr_foreign; i++)
		if (foreign[i].gpa == (gpa & ~0xfffULL))
			foreign[i] = foreign[--nr_foreign];
}

/* swiotlb-xen's xen_phys_to_bus: a foreign page by its recorded machine frame, a local page
 * by its own frame. */
static uint64_t page_bus(uint64_t gpa)
{
	for (unsigned i = 0; i < nr_foreign; i++)
		if (foreign[i].gpa == (gpa & ~0xfffULL))
			return foreign[i].bus | (gpa & 0xfff);
	return gpa;
}

static bool bus_contiguous(uint64_t gpa, size_t len)
{
	uint64_t first = page_bus(gpa);

	for (uint64_t p = (gpa & ~0xfffULL) + 4096; p < gpa + len; p += 4096)
		if (page_bus(p) != first + (p - gpa))
			return false;
	return true;
}

uint64_t dma_map(struct dma_dev *dev, void *buf, size_t len, bool to_device)
{
	uint64_t gpa = (uint64_t)(uintptr_t)buf, bus;

	dma_stats.bytes_mapped += len;
	if (dev->path == DMA_DIRECT) {
		dma_stats.maps_direct++;
		return gpa;
	}
	dma_stats.maps_translate++;
	bus = page_bus(gpa);
	if (bus_contiguous(gpa, len) && bus + len - 1 <= dev->mask)
		return bus;
	if (pool_busy || len > POOL_BYTES)
		return DMA_MAP_ERROR;
	pool_busy = true;
	if (to_device) { /* bytes bounced = bytes copied through the pool */
		memcpy(pool, buf, len);
		dma_stats.bytes_bounced += len;
	}
	return page_bus((uint64_t)(uintptr_t)pool);
}

void dma_unmap(struct dma_dev *dev, uint64_t bus, void *buf, size_t len, bool from_device)
{
	(void)dev;
	if (!pool_busy || bus != page_bus((uint64_t)(uintptr_t)pool))
		return;
	if (from_device) {
		memcpy(buf, pool, len);
		dma_stats.bytes_bounced += len;
	}
	pool_busy = false;
}
