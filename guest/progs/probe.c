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
	printf("probe: Linux 6.1 DMA decision: %s\n",
	       xen_swiotlb_detect() ? "swiotlb-xen (translate to machine addresses, bounce)"
				    : "direct (bus address = guest physical)");
}

void guest_main(void)
{
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
}
