/* blk: reads a disk through virtio-blk on virtio-mmio (an unprotected platform DMA master:
 * QEMU's virtio-mmio transports have no IOMMU) and checks every byte against the pattern the
 * test runner wrote into the image: in each 512-byte sector, its number as le64, then
 * (sector * 31 + offset * 7 + 5) mod 256. The device DMAs the data, the request header and
 * the status through the bus addresses the DMA layer hands it. */
#include "libguest.h"
#include <string.h>

static uint8_t buf[3 * 4096] __attribute__((aligned(4096)));

static unsigned wrong_bytes(const uint8_t *p, uint64_t sector, uint32_t nr)
{
	unsigned bad = 0;

	for (uint32_t s = 0; s < nr; s++, sector++)
		for (unsigned i = 0; i < 512; i++)
			bad += p[s * 512 + i] != disk_pattern_byte(sector, i);
	return bad;
}

static void check_read(struct virtio_blk *b, const char *name, uint64_t sector, uint8_t *dst,
		       uint32_t nr)
{
	const char *why;
	unsigned bad;

	memset(dst, 0, nr * 512);
	if (virtio_blk_read(b, sector, dst, nr, &why)) {
		test_fail(name, "sectors %llu+%u: %s", (unsigned long long)sector, nr, why);
		return;
	}
	bad = wrong_bytes(dst, sector, nr);
	if (bad)
		test_fail(name, "%u of %u bytes wrong (sectors %llu+%u)", bad, nr * 512,
			  (unsigned long long)sector, nr);
	else
		test_pass(name);
}

void guest_main(void)
{
	struct virtio_blk b;
	const char *why = virtio_blk_init(&b);

	if (why) {
		test_fail("blk-init", "%s", why);
		return;
	}
	printf("blk: virtio-blk at 0x%llx, %llu sectors, %s; path %s (%s)\n",
	       (unsigned long long)b.base, (unsigned long long)b.capacity,
	       b.protected_ ? "behind an IOMMU" : "no IOMMU", dma_path_name(b.dev.path), b.dev.why);
	/* irq=1: wait for completions in WFI, woken by the device's interrupt */
	if (bootarg_is("irq", "1")) {
		if (virtio_blk_use_irq(&b)) {
			test_fail("blk-irq", "no interrupts property on the transport's node");
			return;
		}
		printf("blk: completion interrupt SPI %d\n", b.spi);
	}
	check_read(&b, "blk-first-page", 0, buf, 8);
	/* unaligned in memory and on disk, across a page boundary of the buffer */
	check_read(&b, "blk-straddle", 1001, buf + 4096 - 512, 5);
	check_read(&b, "blk-last-sector", b.capacity - 1, buf + 8192, 1);
	if (b.spi >= 0)
		test_expect_eq("blk-irq-per-completion", b.irqs, 3);
	printf("blk: %llu bytes read; dma: %llu bytes mapped, %llu bounced; %llu direct and %llu "
	       "translated mappings\n",
	       (unsigned long long)b.bytes_read, (unsigned long long)dma_stats.bytes_mapped,
	       (unsigned long long)dma_stats.bytes_bounced,
	       (unsigned long long)dma_stats.maps_direct,
	       (unsigned long long)dma_stats.maps_translate);
}
