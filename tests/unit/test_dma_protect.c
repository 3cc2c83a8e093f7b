/* The DMA protection rule over a synthetic tree: IOMMUs, iommus, PCI host bridges with and
 * without iommu-map, DMA-capable classes, dma-coherent, overrides, malformed properties. */
#include "unit.h"
#include "dma_protect.h"
#include <libfdt.h>

static char tree[8192];

#define OK(x) assert_int_equal((x), 0)

static void node(void *t, const char *name, const char *compat)
{
	OK(fdt_begin_node(t, name));
	if (compat)
		OK(fdt_property_string(t, "compatible", compat));
}

static const void *build(void)
{
	void *t = tree;

	OK(fdt_create(t, sizeof(tree)));
	OK(fdt_finish_reservemap(t));
	OK(fdt_begin_node(t, ""));
	node(t, "smmu", "arm,smmu-v3");
	OK(fdt_property_u32(t, "#iommu-cells", 1));
	OK(fdt_property_u32(t, "phandle", 1));
	OK(fdt_end_node(t));
	node(t, "mmu500", "arm,mmu-500");
	OK(fdt_property_u32(t, "#iommu-cells", 1));
	OK(fdt_property_u32(t, "phandle", 2));
	OK(fdt_property_string(t, "status", "disabled"));
	OK(fdt_end_node(t));
	node(t, "uart", "arm,pl011");
	OK(fdt_property_u32(t, "phandle", 3));
	OK(fdt_end_node(t));
	node(t, "eth", "cdns,zynqmp-gem");
	ut_cells(t, "iommus", (uint32_t[]){1, 0x874}, 2);
	OK(fdt_end_node(t));
	node(t, "eth-disabled-iommu", "cdns,zynqmp-gem");
	ut_cells(t, "iommus", (uint32_t[]){2, 0x875}, 2);
	OK(fdt_end_node(t));
	node(t, "not-an-iommu", "snps,dwc3");
	ut_cells(t, "iommus", (uint32_t[]){3, 0x1}, 2);
	OK(fdt_end_node(t));
	node(t, "pcie-smmu", "pci-host-ecam-generic");
	OK(fdt_property_string(t, "device_type", "pci"));
	OK(fdt_property(t, "ranges", NULL, 0));
	ut_cells(t, "iommu-map", (uint32_t[]){0, 1, 0, 0x10000}, 4);
	OK(fdt_end_node(t));
	node(t, "pcie-bare", "pci-host-ecam-generic");
	OK(fdt_property_string(t, "device_type", "pci"));
	OK(fdt_property(t, "ranges", NULL, 0));
	OK(fdt_end_node(t));
	node(t, "pcie-bad-map", "pci-host-ecam-generic");
	OK(fdt_property_string(t, "device_type", "pci"));
	OK(fdt_property(t, "ranges", NULL, 0));
	ut_cells(t, "iommu-map", (uint32_t[]){0, 1, 0}, 3);
	OK(fdt_end_node(t));
	node(t, "virtio", "virtio,mmio");
	ut_cells(t, "reg", (uint32_t[]){0x1000}, 1);
	OK(fdt_end_node(t));
	node(t, "nic", NULL);
	OK(fdt_property_string(t, "device_type", "network"));
	ut_cells(t, "reg", (uint32_t[]){0x2000}, 1);
	OK(fdt_end_node(t));
	node(t, "fwcfg", "qemu,fw-cfg-mmio");
	ut_cells(t, "reg", (uint32_t[]){0x1000}, 1);
	OK(fdt_property(t, "dma-coherent", NULL, 0));
	OK(fdt_end_node(t));
	node(t, "pl330", "arm,pl330");
	ut_cells(t, "reg", (uint32_t[]){0x1000}, 1);
	OK(fdt_property_u32(t, "#dma-cells", 1));
	OK(fdt_end_node(t));
	node(t, "rtc", "arm,pl031");
	OK(fdt_end_node(t));
	node(t, "display-subsystem", "rockchip,display-subsystem");
	OK(fdt_end_node(t));
	node(t, "marked", "virtio,mmio");
	ut_cells(t, "iommus", (uint32_t[]){1, 0x9}, 2);
	OK(fdt_property(t, "mapvisor,dma-unprotected", NULL, 0));
	OK(fdt_end_node(t));
	OK(fdt_end_node(t));
	OK(fdt_finish(t));
	return t;
}

static struct dma_info classify(const void *t, const char *path, const struct dma_overrides *ov,
				int want_rc)
{
	struct dma_info i;

	assert_int_equal(dma_classify(t, fdt_path_offset(t, path), ov, &i), want_rc);
	return i;
}

static void rule(void **state)
{
	const void *t = build();
	const char *kind;
	struct dma_info i;

	(void)state;
	assert_true(dma_is_iommu(t, fdt_path_offset(t, "/smmu"), &kind));
	assert_string_equal(kind, "SMMUv3");
	assert_true(dma_is_iommu(t, fdt_path_offset(t, "/mmu500"), &kind));
	assert_string_equal(kind, "SMMUv1/v2");
	assert_false(dma_is_iommu(t, fdt_path_offset(t, "/uart"), &kind));
	assert_int_equal(classify(t, "/smmu", NULL, 0).cls, DMA_NOT_MASTER);
	i = classify(t, "/eth", NULL, 0);
	assert_int_equal(i.cls, DMA_PROTECTED);
	assert_int_equal(i.iommu, fdt_path_offset(t, "/smmu"));
	assert_int_equal(i.nr_sids, 1);
	assert_int_equal(i.sids[0], 0x874);
	/* a disabled IOMMU protects nothing; a phandle that is not an IOMMU is malformed */
	i = classify(t, "/eth-disabled-iommu", NULL, 0);
	assert_int_equal(i.cls, DMA_UNPROTECTED);
	assert_string_equal(i.why, "iommus names a disabled IOMMU");
	assert_int_equal(classify(t, "/not-an-iommu", NULL, -XEN_EINVAL).cls, DMA_UNPROTECTED);
	i = classify(t, "/pcie-smmu", NULL, 0);
	assert_int_equal(i.cls, DMA_PROTECTED);
	assert_string_equal(i.why, "PCI host bridge with iommu-map");
	assert_int_equal(classify(t, "/pcie-bare", NULL, 0).cls, DMA_UNPROTECTED);
	assert_int_equal(classify(t, "/pcie-bad-map", NULL, -XEN_EINVAL).cls, DMA_UNPROTECTED);
	assert_string_equal(classify(t, "/virtio", NULL, 0).why, "virtio");
	assert_string_equal(classify(t, "/nic", NULL, 0).why, "ethernet");
	assert_string_equal(classify(t, "/fwcfg", NULL, 0).why, "dma-coherent");
	assert_string_equal(classify(t, "/pl330", NULL, 0).why, "DMA controller");
	assert_int_equal(classify(t, "/rtc", NULL, 0).cls, DMA_NOT_MASTER);
	assert_int_equal(classify(t, "/display-subsystem", NULL, 0).cls, DMA_NOT_MASTER);
	i = classify(t, "/marked", NULL, 0);
	assert_int_equal(i.cls, DMA_UNPROTECTED);
	assert_true(i.overridden);
}

static void overrides(void **state)
{
	const void *t = build();
	struct dma_overrides ov;
	struct dma_info i;

	(void)state;
	OK(dma_overrides_parse("/eth,/pcie-smmu", &ov));
	assert_int_equal(ov.nr, 2);
	i = classify(t, "/pcie-smmu", &ov, 0);
	assert_int_equal(i.cls, DMA_UNPROTECTED);
	assert_true(i.overridden);
	assert_int_equal(classify(t, "/eth", &ov, 0).cls, DMA_UNPROTECTED);
	OK(dma_overrides_parse("", &ov));
	assert_int_equal(ov.nr, 0);
	assert_int_equal(dma_overrides_parse("eth", &ov), -XEN_EINVAL);
	assert_int_equal(dma_overrides_parse("/a,,/b", &ov), -XEN_EINVAL);
	assert_int_equal(dma_overrides_parse("/a,/b,/c,/d,/e,/f,/g,/h,/i", &ov), -XEN_EINVAL);
}

int run_dma_protect_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule),
		cmocka_unit_test(overrides),
	};
	return cmocka_run_group_tests_name("dma_protect", tests, NULL, NULL);
}
