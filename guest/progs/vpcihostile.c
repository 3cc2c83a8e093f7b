/* vpcihostile: a domU that attacks its virtual PCI host bridge. It reads functions and
 * buses it does not have (all-ones, as an empty ECAM slot answers), sizes its BAR, looks
 * for the MSI capability edu has (hidden), then writes pseudo-random garbage of every width
 * over its function's config space, absent functions and other buses. Afterwards its BAR
 * must still be where the hypervisor put it, its IDs intact, and, once it turns decoding and
 * bus mastering back on as a driver would, the device must still move every byte right.
 * stray=ADDR then aims a device write outside the domain (the SMMU must stop it). */
#include "libguest.h"
#include <string.h>

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static uint64_t ecam;

static uint64_t cfg(unsigned bus, unsigned devfn, unsigned reg)
{
	return ecam + ((uint64_t)bus << 20) + ((uint64_t)devfn << 12) + reg;
}

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

static void wr(uint64_t a, unsigned size, uint32_t v)
{
	if (size == 1)
		*(volatile uint8_t *)(uintptr_t)a = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)(uintptr_t)a = (uint16_t)v;
	else
		wr32(a, v);
}

static void absent_read_all_ones(void)
{
	unsigned bad = 0;

	for (unsigned devfn = 1; devfn < 256; devfn++)
		bad += rd32(cfg(0, devfn, 0)) != 0xffffffff;
	for (unsigned bus = 1; bus < 256; bus += 127)
		bad += rd32(cfg(bus, 0, 0)) != 0xffffffff;
	if (bad)
		test_fail("vpci-absent-all-ones", "%u absent functions did not read all-ones", bad);
	else
		test_pass("vpci-absent-all-ones");
}

static void bar_sizing(uint64_t bar0)
{
	uint32_t size_mask;

	wr32(cfg(0, 0, 0x10), 0xffffffff);
	size_mask = rd32(cfg(0, 0, 0x10));
	wr32(cfg(0, 0, 0x10), (uint32_t)bar0);
	printf("vpci: BAR0 0x%08x, sized 0x%08x\n", rd32(cfg(0, 0, 0x10)), size_mask);
	/* edu's BAR0: 1 MiB of 32-bit memory (docs/specs/edu.rst) */
	test_expect_eq("vpci-bar-sizing", size_mask, 0xfff00000);
	test_expect_eq("vpci-bar-restored", rd32(cfg(0, 0, 0x10)), (uint32_t)bar0);
}

/* QEMU's edu has one capability, MSI: the domain must not see it. */
static void msi_hidden(void)
{
	unsigned ptr = rd32(cfg(0, 0, 0x34)) & 0xff, n = 0, msi = 0;

	for (; ptr && n < 48; n++, ptr = (rd32(cfg(0, 0, ptr)) >> 8) & 0xfc)
		msi += (rd32(cfg(0, 0, ptr)) & 0xff) == 0x05 ||
		       (rd32(cfg(0, 0, ptr)) & 0xff) == 0x11;
	printf("vpci: %u capabilities visible, status 0x%04x\n", n, rd32(cfg(0, 0, 0x04)) >> 16);
	if (msi)
		test_fail("vpci-msi-hidden", "MSI or MSI-X is in the capability list");
	else
		test_pass("vpci-msi-hidden");
}

static void garbage(unsigned n)
{
	uint32_t x = 0x2545f491;

	for (unsigned i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		unsigned size = 1U << (x % 3), bus = (x >> 4) % 8 == 0 ? (x >> 8) & 0xff : 0;
		unsigned devfn = (x >> 2) % 4 == 0 ? (x >> 16) & 0xff : 0;
		unsigned reg = ((x >> 20) & 0xfff) & ~(size - 1);

		if (bus == 0 && devfn == 0 && reg < 0x100)
			reg &= 0xff; /* most of it on the header and capabilities */
		wr(cfg(bus, devfn, reg), size, x * 2654435761U);
	}
}

static unsigned dma_round_trip(const struct edu *e)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < 4096; i++)
		src[i] = (uint8_t)(i * 11 + 1);
	memset(dst, 0, sizeof(dst));
	/* behind the SMMU: the bus address is the guest-physical one */
	if (edu_dma(e, (uint64_t)(uintptr_t)src, EDU_BUFFER, 4096, false) ||
	    edu_dma(e, EDU_BUFFER, (uint64_t)(uintptr_t)dst, 4096, true))
		return 4096;
	for (unsigned i = 0; i < 4096; i++)
		bad += dst[i] != (uint8_t)(i * 11 + 1);
	return bad;
}

void guest_main(void)
{
	int bridge = fdt_find_compatible(guest_fdt, "pci-host-ecam-generic"), len;
	const uint8_t *reg = fdt_prop(guest_fdt, bridge, "reg", &len);
	struct edu e;
	uint32_t id;
	unsigned bad;

	if (bridge < 0 || !reg || len < 16 || edu_find(&e) || !e.protected_) {
		test_fail("vpci-bridge", "no virtual host bridge with an edu behind the SMMU");
		return;
	}
	ecam = fdt_be(reg, 8);
	id = rd32(cfg(0, 0, 0));
	printf("vpci: ECAM 0x%llx, 00:00.0 is %04x:%04x\n", (unsigned long long)ecam, id & 0xffff,
	       id >> 16);
	test_expect_eq("vpci-function-0", id, 0x11e81234);
	absent_read_all_ones();
	bar_sizing(e.bar0);
	msi_hidden();
	garbage((unsigned)bootarg_u64("garbage", 20000));
	test_expect_eq("vpci-bar-kept", rd32(cfg(0, 0, 0x10)), (uint32_t)e.bar0);
	test_expect_eq("vpci-ids-kept", rd32(cfg(0, 0, 0)), 0x11e81234);
	wr(cfg(0, 0, 0x04), 2, 0x0006); /* memory decoding and bus mastering, as a driver does */
	bad = dma_round_trip(&e);
	if (bad)
		test_fail("vpci-dma-after-garbage", "%u of 4096 bytes wrong", bad);
	else
		test_pass("vpci-dma-after-garbage");
	if (bootarg("stray")) {
		uint64_t stray = bootarg_u64("stray", 0);

		printf("vpci: device write to 0x%llx, outside this domain\n",
		       (unsigned long long)stray);
		edu_dma(&e, EDU_BUFFER, stray, 64, true);
		test_pass("stray-dma-issued");
	}
}
