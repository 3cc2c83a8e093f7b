/* dma: an edu DMA round trip through guest memory, checking every byte: a pattern goes
 * memory -> device buffer -> another page of memory. The bus address the driver hands the
 * device comes from the DMA path the domain's DT and feature bits call for (bootargs
 * path=direct|translate|auto). On a 1:1 domain both addresses are the same; where they
 * differ, the wrong one moves the wrong bytes, which this test detects. */
#include "libguest.h"
#include <string.h>

static uint8_t bss_src[4096] __attribute__((aligned(4096)));
static uint8_t bss_dst[4096] __attribute__((aligned(4096)));

static uint8_t straddle[3 * 4096] __attribute__((aligned(4096)));

/* 4 KiB from the middle of a local page into one registered as foreign (a granted page
 * whose machine frame does not follow): the shape of a backend's request that spans a
 * grant, which swiotlb-xen must bounce. */
static uint8_t *straddling_buffer(void)
{
	static bool registered;
	uint64_t page_b = (uint64_t)(uintptr_t)straddle + 4096;

	if (!registered)
		dma_register_foreign(page_b, page_b + (1 << 20));
	registered = true;
	return straddle + 2048;
}

static unsigned wrong_bytes(const uint8_t *buf)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < 4096; i++)
		bad += buf[i] != (uint8_t)(i * 7 + 3);
	return bad;
}

/* A device write into 4 KiB that straddles a local page and one registered as foreign with
 * a bus address that does not follow it: the translate path must bounce, and the bytes
 * must still arrive (the device fills its buffer from src first). */
static void bounce_test(const struct edu *e, struct dma_dev *dev)
{
	uint8_t *buf = straddling_buffer();
	uint64_t before = dma_stats.bytes_bounced;
	unsigned bad;

	memset(buf, 0, 4096);
	uint64_t bus = dma_map(dev, buf, 4096, false);

	if (bus == DMA_MAP_ERROR || edu_dma(e, EDU_BUFFER, bus, 4096, true)) {
		test_fail("bounce", "mapping failed or the DMA engine did not finish");
		return;
	}
	dma_unmap(dev, bus, buf, 4096, true);
	bad = wrong_bytes(buf);
	if (dev->path == DMA_TRANSLATE && dma_stats.bytes_bounced == before)
		test_fail("bounce", "the translate path did not bounce a split range");
	else if (bad)
		test_fail("bounce", "%u bytes wrong after the bounced DMA", bad);
	else
		test_pass("bounce");
}

/* bench=N: N device-to-memory transfers of 4 KiB, every other one into a straddling buffer;
 * the CPU time spent in dma_map/dma_unmap (not the device's) and the bytes bounced are what
 * the DMA path costs. make bench compares the per-device and the Linux rule. */
static void bench(const struct edu *e, struct dma_dev *dev, unsigned n)
{
	uint64_t cpu = 0, mapped = dma_stats.bytes_mapped, bounced = dma_stats.bytes_bounced;
	unsigned bad = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t *buf = (i & 1) ? straddling_buffer() : bss_dst;

		memset(buf, 0, 4096);
		uint64_t t0 = read_cntvct(), bus = dma_map(dev, buf, 4096, false);

		cpu += read_cntvct() - t0;
		if (bus == DMA_MAP_ERROR || edu_dma(e, EDU_BUFFER, bus, 4096, true)) {
			test_fail("dma-bench", "transfer %u: mapping failed or the engine did not finish", i);
			return;
		}
		t0 = read_cntvct();
		dma_unmap(dev, bus, buf, 4096, true);
		cpu += read_cntvct() - t0;
		bad += wrong_bytes(buf);
	}
	if (bad) {
		test_fail("dma-bench", "%u bytes wrong over %u transfers", bad, n);
		return;
	}
	mapped = dma_stats.bytes_mapped - mapped;
	bounced = dma_stats.bytes_bounced - bounced;
	printf("dma-bench: %u x 4 KiB, %s: %llu bytes bounced per 1000 mapped, %llu ns in "
	       "map+unmap each\n", n, dma_path_name(dev->path),
	       (unsigned long long)(bounced * 1000 / mapped),
	       (unsigned long long)(cpu * 1000000000ULL / read_cntfrq() / n));
	test_pass("dma-bench");
}

/* buf=top: the two pages just below the end of guest RAM instead of the image's BSS */
static void pick_buffers(uint8_t **s, uint8_t **d)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);

	*s = bss_src;
	*d = bss_dst;
	if (!bootarg_is("buf", "top") || !reg || len < 16)
		return;
	uint64_t end = fdt_be(reg, 8) + fdt_be((const char *)reg + 8, 8);
	*s = (uint8_t *)(uintptr_t)(end - 2 * 4096);
	*d = (uint8_t *)(uintptr_t)(end - 4096);
}

void guest_main(void)
{
	struct edu e;
	unsigned bad;
	uint8_t *src, *dst;

	if (edu_find(&e)) {
		test_fail("edu-found", "no edu (pci1234,11e8) node in the DT");
		return;
	}
	pick_buffers(&src, &dst);
	printf("dma: edu BAR0 0x%llx, %s\n", (unsigned long long)e.bar0,
	       e.protected_ ? "behind an IOMMU" : "no IOMMU");
	if (e.spi >= 0)
		printf("dma: edu INTx: GIC SPI %d\n", e.spi);
	if (bootarg_is("irq", "1") && edu_use_irq(&e))
		test_fail("edu-irq", "no INTx described for the edu function");
	for (unsigned i = 0; i < 4096; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, 4096);
	struct dma_dev dev;

	dma_dev_init(&dev, e.node, 0xffffffffffULL); /* -device edu,dma_mask=0xffffffffff */
	printf("dma: path %s (%s)\n", dma_path_name(dev.path), dev.why);
	uint64_t bs = dma_map(&dev, src, 4096, true), bd = dma_map(&dev, dst, 4096, false);

	if (bs == DMA_MAP_ERROR || bd == DMA_MAP_ERROR || edu_dma(&e, bs, EDU_BUFFER, 4096, false) ||
	    edu_dma(&e, EDU_BUFFER, bd, 4096, true)) {
		test_fail("edu-dma", "mapping failed or the DMA engine did not finish");
		return;
	}
	dma_unmap(&dev, bs, src, 4096, false);
	dma_unmap(&dev, bd, dst, 4096, true);
	bad = wrong_bytes(dst);
	if (bad)
		test_fail("edu-dma-bytes", "%u of 4096 bytes wrong after the round trip", bad);
	else
		test_pass("edu-dma-bytes");
	if (e.use_irq) /* irq=1: each transfer ended with one completion interrupt */
		test_expect_eq("edu-irq-per-transfer", edu_irq_count(), 2);
	if (bootarg_is("bounce_test", "1"))
		bounce_test(&e, &dev);
	if (bootarg("bench"))
		bench(&e, &dev, (unsigned)bootarg_u64("bench", 8));
	printf("dma: %llu bytes mapped, %llu bounced; %llu direct and %llu translated mappings\n",
	       (unsigned long long)dma_stats.bytes_mapped, (unsigned long long)dma_stats.bytes_bounced,
	       (unsigned long long)dma_stats.maps_direct,
	       (unsigned long long)dma_stats.maps_translate);
	/* stray=ADDR: make the device write where this domain has no memory */
	if (bootarg("stray")) {
		uint64_t stray = bootarg_u64("stray", 0);

		printf("dma: device write to 0x%llx, outside this domain\n",
		       (unsigned long long)stray);
		edu_dma(&e, EDU_BUFFER, stray, 64, true);
		test_pass("stray-dma-issued");
	}
}
