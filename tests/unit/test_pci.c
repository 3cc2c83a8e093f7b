/* PCI: BAR sizing and assignment against a fake config space (32- and 64-bit BARs, I/O
 * BARs skipped, the window running out), and RID -> StreamID through iommu-map. */
#include "unit.h"
#include "pci.h"
#include <libfdt.h>

struct fake_fn {
	uint32_t id, header, bar_size[6], bar_type[6], bars[6], command, pin;
};

static struct fake_fn fns[256];

static uint32_t cfg_read(void *ctx, uint16_t bdf, unsigned off)
{
	struct fake_fn *f = &fns[bdf];

	(void)ctx;
	if (!f->id)
		return ~0U;
	if (off == 0x00)
		return f->id;
	if (off == 0x04)
		return f->command;
	if (off == 0x0c)
		return f->header;
	if (off == 0x3c)
		return f->pin << 8;
	if (off >= 0x10 && off < 0x28) {
		unsigned i = (off - 0x10) / 4;
		bool upper = i && f->bar_type[i - 1] == 4;

		/* the low 4 bits of a BAR are read-only type bits */
		return upper ? f->bars[i] : (f->bars[i] & ~0xfU) | f->bar_type[i];
	}
	return 0;
}

/* A BAR answers all-ones with its size mask; the upper half of a 64-bit BAR likewise. */
static void cfg_write(void *ctx, uint16_t bdf, unsigned off, uint32_t v)
{
	struct fake_fn *f = &fns[bdf];
	unsigned i = (off - 0x10) / 4;

	(void)ctx;
	if (off == 0x04) {
		f->command = v;
		return;
	}
	if (off < 0x10 || off >= 0x28)
		return;
	if (v == ~0U)
		f->bars[i] = f->bar_size[i] ? (~(f->bar_size[i] - 1) | f->bar_type[i])
			   : (i && f->bar_type[i - 1] == 4 ? ~0U : 0);
	else
		f->bars[i] = v;
}

static const struct pci_config_ops ops = {cfg_read, cfg_write, NULL};

#define OK_(x) assert_int_equal((x), 0)

static int setup(void **state)
{
	(void)state;
	fake_reset();
	memset(fns, 0, sizeof(fns));
	return 0;
}

static void bars_assigned_aligned(void **state)
{
	struct pci_host h = {.mem_base = 0x10000000, .mem_size = 0x1000000,
			     .mem_next = 0x10000000};

	(void)state;
	fns[0x08] = (struct fake_fn){.id = 0x11e81234, .bar_size = {0x100000}};
	fns[0x10] = (struct fake_fn){.id = 0x10001af4, .bar_size = {0x1000, 0, 0x4000},
				     .bar_type = {0, 0, 4}};
	fns[0x18] = (struct fake_fn){.id = 0xabcd1234, .bar_size = {0x100}, .bar_type = {1}};
	OK_(pci_enumerate(&h, &ops));
	assert_int_equal(h.nr_devs, 3);
	assert_int_equal(h.devs[0].bdf, 0x08);
	assert_int_equal(h.devs[0].bars[0].addr, 0x10000000);
	assert_int_equal(h.devs[0].bars[0].size, 0x100000);
	assert_int_equal(h.devs[1].bars[0].addr, 0x10100000);
	assert_int_equal(h.devs[1].bars[2].size, 0x4000); /* 64-bit BAR, sized over two */
	assert_true(IS_ALIGNED(h.devs[1].bars[2].addr, 0x4000));
	assert_int_equal(fns[0x10].bars[3], 0);           /* upper half: below 4 GiB */
	assert_int_equal(h.devs[2].bars[0].size, 0);      /* I/O BAR: not given */
	assert_int_equal(fns[0x08].command, 6);           /* memory decode + bus master */
	assert_int_equal(cfg_read(NULL, 0x08, 0x10), 0x10000000);
}

static void window_exhausted(void **state)
{
	struct pci_host h = {.mem_base = 0x10000000, .mem_size = 0x100000,
			     .mem_next = 0x10000000};

	(void)state;
	fns[0x08] = (struct fake_fn){.id = 0x11e81234, .bar_size = {0x100000}};
	fns[0x10] = (struct fake_fn){.id = 0x11e81234, .bar_size = {0x100000}};
	assert_int_equal(pci_enumerate(&h, &ops), -XEN_ENOSPC);
	assert_true(fake_log_contains("PCI 00:02.0: BAR 0 does not fit in the memory window"));
}

static char tree[2048];

static const void *bridge(const uint32_t *map, int n, bool mask)
{
	void *t = tree;
	fdt32_t c[16];

	for (int i = 0; i < n; i++)
		c[i] = cpu_to_fdt32(map[i]);
	OK_(fdt_create(t, sizeof(tree)));
	OK_(fdt_finish_reservemap(t));
	OK_(fdt_begin_node(t, ""));
	OK_(fdt_begin_node(t, "pcie"));
	if (n)
		OK_(fdt_property(t, "iommu-map", c, n * 4));
	if (mask)
		OK_(fdt_property_u32(t, "iommu-map-mask", 0xf8));
	OK_(fdt_end_node(t));
	OK_(fdt_end_node(t));
	OK_(fdt_finish(t));
	return t;
}

static void rid_to_sid(void **state)
{
	const uint32_t two[] = {0x0, 1, 0x100, 0x10, 0x40, 1, 0x800, 0x40};
	const void *t;
	uint32_t sid;

	(void)state;
	t = bridge(NULL, 0, false);
	assert_int_equal(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x8, &sid), -XEN_ENOENT);
	t = bridge(two, 8, false);
	OK_(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x8, &sid));
	assert_int_equal(sid, 0x108);
	OK_(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x41, &sid));
	assert_int_equal(sid, 0x801);
	assert_int_equal(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x20, &sid), -XEN_ENOENT);
	t = bridge(two, 8, true); /* mask 0xf8: all functions of a device share a StreamID */
	OK_(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x0b, &sid));
	assert_int_equal(sid, 0x108);
	t = bridge(two, 6, false); /* not a whole number of entries */
	assert_int_equal(pci_rid_to_sid(t, fdt_path_offset(t, "/pcie"), 0x8, &sid), -XEN_ENOENT);
}

/* QEMU virt's shape: a GIC (2 address cells, 3 interrupt cells) and a bridge whose
 * interrupt-map swizzles INTA-INTD by device number (mask <0x1800 0 0 7>). */
static void *intx_tree(bool bad_parent)
{
	static char buf[4096];
	void *t = buf;
	fdt32_t map[2 * 4 * 10];
	int n = 0;

	for (unsigned dev = 0; dev < 2; dev++)
		for (unsigned pin = 1; pin <= 4; pin++) {
			const uint32_t e[10] = {dev << 11,
						0,
						0,
						pin,
						bad_parent ? 9 : 1,
						0,
						0,
						0,
						3 + (dev + pin - 1) % 4,
						4};

			for (int k = 0; k < 10; k++)
				map[n++] = cpu_to_fdt32(e[k]);
		}
	OK_(fdt_create(t, sizeof(buf)));
	OK_(fdt_finish_reservemap(t));
	OK_(fdt_begin_node(t, ""));
	OK_(fdt_begin_node(t, "intc"));
	OK_(fdt_property_u32(t, "phandle", 1));
	OK_(fdt_property_u32(t, "#address-cells", 2));
	OK_(fdt_property_u32(t, "#interrupt-cells", 3));
	OK_(fdt_end_node(t));
	OK_(fdt_begin_node(t, "pcie"));
	ut_cells(t, "interrupt-map-mask", (const uint32_t[]){0x1800, 0, 0, 7}, 4);
	OK_(fdt_property(t, "interrupt-map", map, n * 4));
	OK_(fdt_end_node(t));
	OK_(fdt_end_node(t));
	OK_(fdt_finish(t));
	return t;
}

static void intx_through_interrupt_map(void **state)
{
	void *t = intx_tree(false);
	int pcie = fdt_path_offset(t, "/pcie");
	uint32_t spec[3];
	struct pci_host h = {.mem_base = 0x10000000, .mem_size = 0x1000000, .mem_next = 0x10000000};

	(void)state;
	OK_(pci_intx_spec(t, pcie, 0x08, 1, spec)); /* 00:01.0 INTA */
	assert_int_equal(spec[0], 0);
	assert_int_equal(spec[1], 4);
	assert_int_equal(spec[2], 4);
	OK_(pci_intx_spec(t, pcie, 0x0b, 2, spec)); /* 00:01.3 INTB: the device's swizzle */
	assert_int_equal(spec[1], 5);
	OK_(pci_intx_spec(t, pcie, 0x00, 4, spec));
	assert_int_equal(spec[1], 6);
	assert_int_equal(pci_intx_spec(t, pcie, 0x08, 0, spec), -XEN_ENOENT); /* no pin */
	assert_int_equal(pci_intx_spec(t, pcie, 0x08, 5, spec), -XEN_ENOENT);
	assert_int_equal(pci_intx_spec(t, pcie, 0x10, 1, spec), -XEN_ENOENT); /* device 2 */
	t = intx_tree(true);
	assert_int_equal(pci_intx_spec(t, fdt_path_offset(t, "/pcie"), 0x08, 1, spec),
			 -XEN_EINVAL); /* parent phandle names nothing */
	/* enumeration reads the pin */
	fns[8] = (struct fake_fn){.id = 0x11e81234, .pin = 1};
	OK_(pci_enumerate(&h, &ops));
	assert_int_equal(h.devs[0].irq_pin, 1);
}

int run_pci_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(bars_assigned_aligned, setup),
		cmocka_unit_test_setup(window_exhausted, setup),
		cmocka_unit_test_setup(rid_to_sid, setup),
		cmocka_unit_test_setup(intx_through_interrupt_map, setup),
	};
	return cmocka_run_group_tests_name("pci", tests, NULL, NULL);
}
