/* The device-tree pieces the unit tests' board fixtures share. */
#include <stdio.h>

#include <libfdt.h>

#include "unit.h"

#define FDT_OK(x) assert_int_equal((x), 0)

void ut_cells(void *fdt, const char *name, const uint32_t *v, int n)
{
	fdt32_t c[16];

	assert_true(n <= 16);
	for (int i = 0; i < n; i++)
		c[i] = cpu_to_fdt32(v[i]);
	FDT_OK(fdt_property(fdt, name, c, n * 4));
}

void ut_fdt_begin(void *fdt, int size, uint32_t address_cells)
{
	FDT_OK(fdt_create(fdt, size));
	FDT_OK(fdt_finish_reservemap(fdt));
	FDT_OK(fdt_begin_node(fdt, ""));
	FDT_OK(fdt_property_u32(fdt, "#address-cells", address_cells));
	FDT_OK(fdt_property_u32(fdt, "#size-cells", 2));
}

void ut_fdt_cpus(void *fdt, unsigned nr, const char *compatible)
{
	FDT_OK(fdt_begin_node(fdt, "cpus"));
	FDT_OK(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_OK(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < nr; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		FDT_OK(fdt_begin_node(fdt, name));
		FDT_OK(fdt_property_string(fdt, "device_type", "cpu"));
		if (compatible)
			FDT_OK(fdt_property_string(fdt, "compatible", compatible));
		FDT_OK(fdt_property_u32(fdt, "reg", i));
		FDT_OK(fdt_end_node(fdt));
	}
	FDT_OK(fdt_end_node(fdt));
}

void ut_fdt_psci(void *fdt)
{
	static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2";

	FDT_OK(fdt_begin_node(fdt, "psci"));
	FDT_OK(fdt_property(fdt, "compatible", compatible, sizeof(compatible)));
	FDT_OK(fdt_property_string(fdt, "method", "smc"));
	FDT_OK(fdt_end_node(fdt));
}

void ut_fdt_memory_begin(void *fdt, uint32_t base, uint32_t size)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%x", base);
	FDT_OK(fdt_begin_node(fdt, name));
	FDT_OK(fdt_property_string(fdt, "device_type", "memory"));
	ut_cells(fdt, "reg", (uint32_t[]){0, base, 0, size}, 4);
}

void ut_fdt_gic_begin(void *fdt)
{
	FDT_OK(fdt_begin_node(fdt, "intc@8000000"));
	FDT_OK(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	ut_cells(fdt, "reg", (uint32_t[]){0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000}, 8);
}

void ut_fdt_pcie_begin(void *fdt)
{
	FDT_OK(fdt_begin_node(fdt, "pcie@10000000"));
	FDT_OK(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
	FDT_OK(fdt_property_string(fdt, "device_type", "pci"));
	FDT_OK(fdt_property_u32(fdt, "#address-cells", 3));
	FDT_OK(fdt_property_u32(fdt, "#size-cells", 2));
	ut_cells(fdt, "reg", (uint32_t[]){0x40, 0x10000000, 0, 0x10000000}, 4);
	ut_cells(fdt, "ranges",
		 (uint32_t[]){0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000}, 7);
}
