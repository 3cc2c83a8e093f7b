/* probe: what does the hypervisor tell this domain? Prints the version, domain id, every
 * feature bit by name and the DMA decision Linux 6.1 would make, then checks them against
 * the expectations the scenario passes in bootargs (expect_submap=, expect_swiotlb=). */
#include "libguest.h"
#include <string.h>
#include <xenfeat_names.h>

static void print_identity(void)
{
	xen_extraversion_t extra = {0};
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	int hv = fdt_node(guest_fdt, "/hypervisor"), len = 0;
	const char *compat = fdt_prop(guest_fdt, hv, "compatible", &len);
	const void *domid = fdt_prop(guest_fdt, hv, "mapvisor,domid", &len);

	HYPERVISOR_xen_version(XENVER_extraversion, extra);
	extra[sizeof(extra) - 1] = '\0';
	printf("probe: first instruction at %llu us after power-on\n",
	       (unsigned long long)(guest_entry_counter * 1000000ULL / read_cntfrq()));
	printf("probe: hypervisor Xen %ld.%ld%s, /hypervisor compatible \"%s\"\n", ver >> 16,
	       ver & 0xffff, extra, compat ? compat : "(none)");
	if (domid && len == 4)
		printf("probe: domain id %llu\n", (unsigned long long)fdt_be(domid, 4));
	else
		printf("probe: domain id unknown (no mapvisor,domid)\n");
}

static void print_features(void)
{
	printf("probe: XENFEAT submap 0x%x\n", xen_features.submap);
	for (unsigned b = 0; b < 32; b++) {
		if (!xen_feature(b))
			continue;
		const char *name = xenfeat_name(b);
		printf("probe: feature %u %s\n", b, name ? name : "(unknown)");
	}
	printf("probe: direct_mapped=%d not_direct_mapped=%d dom0=%d\n",
	       xen_feature(XENFEAT_direct_mapped), xen_feature(XENFEAT_not_direct_mapped),
	       xen_feature(XENFEAT_dom0));
	printf("probe: DT: %d dma-protected, %d dma-unprotected device nodes\n",
	       fdt_count_prop(guest_fdt, "mapvisor,dma-protected"),
	       fdt_count_prop(guest_fdt, "mapvisor,dma-unprotected"));
	printf("probe: Linux 6.1 DMA decision: %s\n",
	       xen_swiotlb_detect() ? "swiotlb-xen (translate to machine addresses, bounce)"
				    : "direct (bus address = guest physical)");
}

extern char _head[], _end[];

static bool skip(uint64_t a, uint64_t lo, uint64_t hi)
{
	return a >= lo && a < hi;
}

/* Every word of this domain's RAM but its own image and DT must read zero before the domain
 * writes it (zerotest=1): the hypervisor scrubs it, whatever RAM held before (the scenario
 * loads a pattern there, standing for a previous boot's data). Runs before anything else. */
static void zerotest(void)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);
	uint64_t img_lo = (uint64_t)(uintptr_t)_head, img_hi = (uint64_t)(uintptr_t)_end;
	uint64_t dt_lo = (uint64_t)(uintptr_t)guest_fdt;
	uint64_t dt_hi = dt_lo + fdt_be((const char *)guest_fdt + 4, 4), words = 0, bad = 0;
	uint64_t first_bad = 0, first_val = 0;

	for (int b = 0; reg && b < len / 16; b++) {
		uint64_t base = fdt_be((const char *)reg + 16 * b, 8);
		uint64_t size = fdt_be((const char *)reg + 16 * b + 8, 8);

		for (uint64_t a = base; a < base + size; a += 8) {
			uint64_t v;

			if (skip(a, img_lo, img_hi) || skip(a, dt_lo, dt_hi))
				continue;
			v = *(volatile uint64_t *)(uintptr_t)a;
			words++;
			if (v && !bad++) {
				first_bad = a;
				first_val = v;
			}
		}
	}
	if (!words)
		test_fail("zerotest", "no memory node");
	else if (bad)
		test_fail("zerotest", "%llu of %llu words not zero, the first at 0x%llx: 0x%llx",
			  (unsigned long long)bad, (unsigned long long)words,
			  (unsigned long long)first_bad, (unsigned long long)first_val);
	else {
		printf("zerotest: %llu KiB read, all zero\n", (unsigned long long)(words >> 7));
		test_pass("zerotest");
	}
}

/* Writes a pattern unique to this domain over all of its RAM except its own image and DT,
 * then checks it, twice: two domains sharing a frame would see each other's pattern. */
static void memtest(void)
{
	int len, hv = fdt_node(guest_fdt, "/hypervisor");
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);
	const void *idp = fdt_prop(guest_fdt, hv, "mapvisor,domid", NULL);
	uint64_t id = idp ? fdt_be(idp, 4) : 0xff, img_lo = (uint64_t)(uintptr_t)_head;
	uint64_t img_hi = (uint64_t)(uintptr_t)_end, dt_lo = (uint64_t)(uintptr_t)guest_fdt;
	uint64_t dt_hi = dt_lo + fdt_be((const char *)guest_fdt + 4, 4), bytes = 0, bad = 0;

	for (unsigned pass = 0; pass < 2 && reg; pass++) {
		uint64_t salt = (id << 56) | ((uint64_t)pass << 52);
		uint64_t dwell = bootarg_u64("dwell_ms", 0) * read_cntfrq() / 1000;

		for (int b = 0; b < len / 16; b++) {
			uint64_t base = fdt_be((const char *)reg + 16 * b, 8);
			uint64_t size = fdt_be((const char *)reg + 16 * b + 8, 8);

			for (uint64_t a = base; a < base + size; a += 8)
				if (!skip(a, img_lo, img_hi) && !skip(a, dt_lo, dt_hi))
					*(volatile uint64_t *)(uintptr_t)a = salt ^ a;
		}
		/* dwell_ms: leave the pattern alone a while, for other domains' devices to try */
		for (uint64_t end = read_cntvct() + dwell; read_cntvct() < end;)
			;
		for (int b = 0; b < len / 16; b++) {
			uint64_t base = fdt_be((const char *)reg + 16 * b, 8);
			uint64_t size = fdt_be((const char *)reg + 16 * b + 8, 8);

			for (uint64_t a = base; a < base + size; a += 8) {
				if (skip(a, img_lo, img_hi) || skip(a, dt_lo, dt_hi))
					continue;
				bad += *(volatile uint64_t *)(uintptr_t)a != (salt ^ a);
				bytes += pass == 0 ? 8 : 0;
			}
		}
	}
	if (!reg || !bytes)
		test_fail("memtest", "no memory node");
	else if (bad)
		test_fail("memtest", "%llu words changed behind this domain's back",
			  (unsigned long long)bad);
	else {
		printf("memtest: %llu KiB written and verified twice\n",
		       (unsigned long long)(bytes >> 10));
		test_pass("memtest");
	}
}

/* devtouch=ADDR: one read of a device register of this domain's, before anything else
 * (zerotest=1 then reads RAM the hypervisor had to zero before letting the device answer). */
static void devtouch(void)
{
	uint64_t addr = bootarg_u64("devtouch", 0);

	if (addr)
		printf("devtouch: 0x%llx reads 0x%x\n", (unsigned long long)addr,
		       *(volatile uint32_t *)(uintptr_t)addr);
}

void guest_main(void)
{
	devtouch();
	if (bootarg_is("zerotest", "1"))
		zerotest();
	print_identity();
	print_features();
	if (!xen_features.xen) {
		test_fail("features-probe", "XENVER_get_features failed");
		return;
	}
	test_pass("features-probe");
	/* Xen's invariant: at most one of the two bits, exactly one unless legacy. */
	if (xen_feature(XENFEAT_direct_mapped) && xen_feature(XENFEAT_not_direct_mapped))
		test_fail("features-exclusive", "both direct_mapped and not_direct_mapped set");
	else
		test_pass("features-exclusive");
	if (bootarg("expect_submap"))
		test_expect_eq("features-submap", xen_features.submap,
			       (int64_t)bootarg_u64("expect_submap", 0));
	if (bootarg("expect_swiotlb"))
		test_expect_eq("dma-decision", xen_swiotlb_detect(),
			       (int64_t)bootarg_u64("expect_swiotlb", 0));
	if (bootarg_is("memtest", "1"))
		memtest();
}
