/* dma: an edu DMA round trip through guest memory, checking every byte: a pattern goes
 * memory -> device buffer -> another page of memory. The bus address the driver hands the
 * device comes from the DMA path the domain's DT and feature bits call for (bootargs
 * path=direct|translate|auto). On a 1:1 domain both addresses are the same; where they
 * differ, the wrong one moves the wrong bytes, which this test detects. */
#include "libguest.h"
#include <string.h>

static uint8_t bss_src[4096] __attribute__((aligned(4096)));
static uint8_t bss_dst[4096] __attribute__((aligned(4096)));

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
	unsigned bad = 0;
	uint8_t *src, *dst;

	if (edu_find(&e)) {
		test_fail("edu-found", "no edu (pci1234,11e8) node in the DT");
		return;
	}
	pick_buffers(&src, &dst);
	printf("dma: edu BAR0 0x%llx, %s\n", (unsigned long long)e.bar0,
	       e.protected_ ? "behind an IOMMU" : "no IOMMU");
	for (unsigned i = 0; i < 4096; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, 4096);
	/* libguest runs with its MMU off: guest physical == virtual; on a 1:1 domain that is
	 * also the machine address, so both DMA paths give the same bus address here */
	if (edu_dma(&e, (uintptr_t)src, EDU_BUFFER, 4096, false) ||
	    edu_dma(&e, EDU_BUFFER, (uintptr_t)dst, 4096, true)) {
		test_fail("edu-dma", "the DMA engine did not finish");
		return;
	}
	for (unsigned i = 0; i < 4096; i++)
		bad += dst[i] != (uint8_t)(i * 7 + 3);
	if (bad)
		test_fail("edu-dma-bytes", "%u of 4096 bytes wrong after the round trip", bad);
	else
		test_pass("edu-dma-bytes");
	/* stray=ADDR: make the device write where this domain has no memory */
	if (bootarg("stray")) {
		uint64_t stray = bootarg_u64("stray", 0);

		printf("dma: device write to 0x%llx, outside this domain\n",
		       (unsigned long long)stray);
		edu_dma(&e, EDU_BUFFER, stray, 64, true);
		test_pass("stray-dma-issued");
	}
}
