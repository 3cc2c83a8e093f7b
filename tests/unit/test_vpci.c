/* The virtual host bridge's config space over a fake host config space: identification and
 * absent functions, BAR sizing and refused moves, the command register, the capability list
 * without MSI/MSI-X, function-level reset, access sizes, and garbage that must never reach a
 * BAR, a hidden capability or another function. */
#include "unit.h"
#include "domain.h"
#include "vmmio.h"
#include "bootinfo.h"
#include "claim.h"
#include "vpci.h"
#include "vpl011.h"
#include "page_alloc.h"
#include <string.h>

#define A 0x08 /* host 00:01.0: the domain's */
#define B 0x10 /* host 00:02.0: someone else's */
#define ECAM_GPA 0x4010000000ULL

static struct pci_host host;
static struct pci_device *dev_a;
static struct vpci v;
static uint8_t before[256][4096];

static void put(uint16_t bdf, unsigned off, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		fake_pci_cfg[bdf][off + i] = (uint8_t)(val >> (8 * i));
}

static uint32_t host_get(uint16_t bdf, unsigned off, unsigned size)
{
	return arch_pci_conf_read(&host, bdf, off, size);
}

/* An edu-like function: BAR0 32-bit 1 MiB, BAR2/3 64-bit prefetchable 16 KiB; capabilities
 * MSI (64-bit) -> PCIe -> MSI-X -> power management. */
static void make_function(uint16_t bdf, uint32_t bar0, uint32_t bar2)
{
	memset(fake_pci_cfg[bdf], 0, 4096);
	put(bdf, 0x00, 4, 0x11e81234);
	put(bdf, 0x04, 4, 0x00100006);
	put(bdf, 0x08, 4, 0x00ff0010);
	put(bdf, 0x0c, 4, 0x00800000);
	put(bdf, 0x10, 4, bar0);
	put(bdf, 0x18, 4, bar2 | 0xc);
	put(bdf, 0x34, 1, 0x40);
	put(bdf, 0x3c, 4, 0x00000100);
	put(bdf, 0x40, 4, 0x00805005); /* MSI, next 0x50, control: 64-bit */
	put(bdf, 0x50, 4, 0x00027010); /* PCIe, next 0x70 */
	put(bdf, 0x58, 2, 0x2810);     /* device control */
	put(bdf, 0x70, 4, 0x00078011); /* MSI-X, next 0x80 */
	put(bdf, 0x80, 4, 0x00030001); /* power management, last */
	put(bdf, 0x84, 2, 0x0000);
	put(bdf, 0x100, 4, 0x00010001);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	host = (struct pci_host){.ecam = 0x4010000000ULL, .ecam_size = 0x10000000};
	host.devs[0] = (struct pci_device){
		.bdf = A, .vendor = 0x1234, .device = 0x11e8, .irq_pin = 1};
	host.devs[0].bars[0] = (struct pci_bar){0x10000000, 0x100000};
	host.devs[0].bars[2] = (struct pci_bar){0x10100000, 0x4000};
	host.devs[1] = (struct pci_device){.bdf = B};
	host.nr_devs = 2;
	dev_a = &host.devs[0];
	make_function(A, 0x10000000, 0x10100000);
	make_function(B, 0x10200000, 0x10300000);
	vpci_init(&v, &host, 1);
	assert_int_equal(vpci_add_function(&v, dev_a), 0);
	memcpy(before, fake_pci_cfg, sizeof(before));
	fake_pci_cfg_writes = 0;
	return 0;
}

static uint64_t at(unsigned devfn, unsigned reg)
{
	return (uint64_t)devfn << 12 | reg;
}

static uint32_t rd(uint64_t off, unsigned size)
{
	uint32_t val = 0x5a5a5a5a;

	assert_true(vpci_read(&v, off, size, &val));
	return val;
}

static void wr(uint64_t off, unsigned size, uint32_t val)
{
	assert_true(vpci_write(&v, off, size, val));
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_identity_and_absent(void **state)
{
	(void)state;
	assert_int_equal(rd(at(0, 0x00), 4), 0x11e81234);
	assert_int_equal(rd(at(0, 0x02), 2), 0x11e8);
	/* alone in its slot: not multi-function, whatever the host function is */
	assert_int_equal(rd(at(0, 0x0e), 1), 0x00);
	/* every other devfn of bus 0, and every other bus, is absent: all-ones */
	assert_int_equal(rd(at(1, 0x00), 4), 0xffffffff);
	assert_int_equal(rd(at(A, 0x00), 4), 0xffffffff); /* the host's own number: not it */
	assert_int_equal(rd(at(B, 0x00), 2), 0xffff);
	assert_int_equal(rd((1ULL << 20) | at(0, 0x00), 1), 0xff);
	assert_non_null(vpci_func_at(&v, 0));
	assert_null(vpci_func_at(&v, 8));
}

static void test_bar_sizing(void **state)
{
	(void)state;
	assert_int_equal(rd(at(0, 0x10), 4), 0x10000000);
	wr(at(0, 0x10), 4, 0xffffffff);
	assert_int_equal(rd(at(0, 0x10), 4), 0xfff00000);
	wr(at(0, 0x10), 4, 0x10000000);
	assert_int_equal(rd(at(0, 0x10), 4), 0x10000000);
	/* 64-bit prefetchable: type bits kept, both halves sized */
	assert_int_equal(rd(at(0, 0x18), 4), 0x1010000c);
	assert_int_equal(rd(at(0, 0x1c), 4), 0);
	wr(at(0, 0x18), 4, 0xffffffff);
	wr(at(0, 0x1c), 4, 0xffffffff);
	assert_int_equal(rd(at(0, 0x18), 4), 0xffffc00c);
	assert_int_equal(rd(at(0, 0x1c), 4), 0xffffffff);
	wr(at(0, 0x18), 4, 0x10100000);
	wr(at(0, 0x1c), 4, 0);
	assert_int_equal(rd(at(0, 0x18), 4), 0x1010000c);
	/* unimplemented BAR: zero whatever is written */
	wr(at(0, 0x14), 4, 0xffffffff);
	assert_int_equal(rd(at(0, 0x14), 4), 0);
	/* sizing never reached the device's real BARs */
	assert_int_equal(fake_pci_cfg_writes, 0);
	assert_memory_equal(fake_pci_cfg, before, sizeof(before));
	assert_null(strstr(fake_log(), "vPCI: dropped"));
}

static void test_bar_move_refused(void **state)
{
	(void)state;
	wr(at(0, 0x10), 4, 0x20000000);
	assert_int_equal(rd(at(0, 0x10), 4), 0x10000000);
	wr(at(0, 0x12), 2, 0x3000);
	wr(at(0, 0x1c), 4, 0x1);
	assert_int_equal(rd(at(0, 0x10), 4), 0x10000000);
	assert_int_equal(rd(at(0, 0x1c), 4), 0);
	assert_memory_equal(fake_pci_cfg, before, sizeof(before));
	assert_int_equal(count(fake_log(), "would move it"), 1); /* logged once */
	assert_non_null(strstr(fake_log(), "(mv) WARNING: d1: vPCI: dropped a BAR write"));
}

static void test_command_register(void **state)
{
	(void)state;
	wr(at(0, 0x04), 2, 0xffff);
	/* memory, master, parity, SERR, INTx disable: the domain's; I/O decode is not */
	assert_int_equal(host_get(A, 0x04, 2), 0x0546);
	wr(at(0, 0x04), 2, 0x0000);
	assert_int_equal(host_get(A, 0x04, 2), 0x0000);
	wr(at(0, 0x05), 1, 0x04); /* INTx disable alone, as a byte */
	assert_int_equal(host_get(A, 0x04, 2), 0x0400);
	/* status: only the write-one-to-clear error bits go out */
	wr(at(0, 0x04), 4, 0xffff0006);
	assert_int_equal(host_get(A, 0x06, 2), 0xf900);
	assert_int_equal(host_get(A, 0x04, 2), 0x0006);
	assert_memory_equal(fake_pci_cfg[B], before[B], 4096);
}

/* Bus mastering is a way to start DMA that touches no held device: the domain's RAM still
 * held is zeroed before the enable reaches the function, and only on the first enable. */
static void test_bus_master_releases_held_ram(void **state)
{
	struct domain *d = fake_domain(1, false, 0x40000000, 16, false);
	paddr_t ma = page_alloc_contig(&fake_frames, SZ_2M / PAGE_SIZE, SZ_2M / PAGE_SIZE);
	const uint8_t *p = maddr_to_virt(ma);
	uint64_t bad = 0;

	(void)state;
	assert_int_equal(p2m_map(&d->p2m, 0x50000000, ma, SZ_2M, P2M_RAM, P2M_RW), 0);
	assert_int_equal(p2m_hold(&d->p2m, 0x50000000), 0);
	wr(at(0, 0x04), 2, 0x0002); /* memory decoding only */
	assert_int_equal(d->p2m.held_bytes, SZ_2M);
	wr(at(0, 0x04), 2, 0x0006);
	assert_int_equal(host_get(A, 0x04, 2), 0x0006);
	assert_int_equal(d->p2m.held_bytes, 0);
	for (uint64_t i = 0; i < SZ_2M; i++)
		bad += p[i] != 0;
	assert_int_equal(bad, 0);
	assert_true(fake_log_contains("d1: vPCI 00:00.0 enables bus mastering: the 2 MiB of its "
				      "RAM not yet used zeroed first, then its devices released"));
}

static void test_capabilities_hide_msi(void **state)
{
	unsigned seen = 0, ids[8], ptr;

	(void)state;
	assert_true(rd(at(0, 0x06), 2) & 0x10);
	for (ptr = rd(at(0, 0x34), 1); ptr && seen < 8; ptr = rd(at(0, ptr + 1), 1))
		ids[seen++] = rd(at(0, ptr), 1);
	assert_int_equal(seen, 2);
	assert_int_equal(ids[0], 0x10); /* PCIe */
	assert_int_equal(ids[1], 0x01); /* power management */
	/* inside MSI and MSI-X: zeros, and writes go nowhere */
	assert_int_equal(rd(at(0, 0x40), 4), 0);
	assert_int_equal(rd(at(0, 0x70), 4), 0);
	wr(at(0, 0x42), 2, 0x0001); /* MSI enable */
	wr(at(0, 0x72), 2, 0x8000); /* MSI-X enable */
	assert_memory_equal(fake_pci_cfg, before, sizeof(before));
	assert_int_equal(count(fake_log(), "hidden MSI/MSI-X"), 1);
	/* a visible capability's body is the device's: it goes through */
	wr(at(0, 0x84), 2, 0x0003);
	assert_int_equal(host_get(A, 0x84, 2), 0x0003);
	/* its ID and link are not */
	wr(at(0, 0x80), 2, 0x4005);
	assert_int_equal(host_get(A, 0x80, 2), 0x0001);
}

static void test_function_reset_refused(void **state)
{
	(void)state;
	wr(at(0, 0x58), 2, 0x800f);
	assert_int_equal(host_get(A, 0x58, 2), 0x000f);
	assert_int_equal(count(fake_log(), "function-level reset"), 1);
	wr(at(0, 0x58), 4, 0x00002810);
	assert_int_equal(host_get(A, 0x58, 2), 0x2810);
}

static void test_writes_not_the_domains(void **state)
{
	(void)state;
	wr(at(1, 0x04), 4, 0xffffffff);
	wr(at(A, 0x10), 4, 0x0);
	wr(at(B, 0x04), 2, 0);
	wr((3ULL << 20) | at(0, 0x04), 4, 0); /* another bus: the domain has none */
	wr(at(0, 0x00), 4, 0xdeadbeef);	      /* identification: read-only */
	wr(at(0, 0x0c), 4, 0xffffffff);	      /* header type and BIST: not the domain's */
	wr(at(0, 0x30), 4, 0x40000001);	      /* expansion ROM */
	wr(at(0, 0x34), 1, 0x70);	      /* capability pointer */
	wr(at(0, 0x104), 4, 0xffffffff);      /* extended space */
	assert_int_equal(rd(at(0, 0x30), 4), 0);
	assert_int_equal(rd(at(0, 0x34), 1), 0x50);
	assert_int_equal(rd(at(0, 0x100), 4), 0x00010001); /* readable */
	/* only the cache line size and latency timer reached the device */
	assert_int_equal(host_get(A, 0x0c, 4), 0x0080ffff);
	put(A, 0x0c, 4, 0x00800000);
	assert_memory_equal(fake_pci_cfg, before, sizeof(before));
	assert_int_equal(count(fake_log(), "a function or bus the domain does not have"), 1);
	assert_int_equal(count(fake_log(), "expansion ROM"), 1);
	assert_int_equal(count(fake_log(), "extended config space"), 1);
	/* ROM sizing (Linux writes 0xfffff800, others all-ones but enable), then 0, is not
	 * worth a line */
	fake_reset();
	setup(NULL);
	wr(at(0, 0x30), 4, 0xfffff800);
	wr(at(0, 0x30), 4, 0xfffffffe);
	wr(at(0, 0x30), 4, 0);
	assert_null(strstr(fake_log(), "expansion ROM"));
}

static void test_access_sizes(void **state)
{
	uint32_t val;

	(void)state;
	assert_false(vpci_read(&v, at(0, 0x00), 8, &val));
	assert_false(vpci_read(&v, at(0, 0x01), 2, &val));
	assert_false(vpci_read(&v, at(0, 0x02), 4, &val));
	assert_false(vpci_write(&v, at(0, 0x03), 2, 0));
	assert_false(vpci_write(&v, at(0, 0x04), 3, 0));
	assert_int_equal(rd(at(0, 0x3c), 4), 0x00000100); /* pin A, line 0 */
	wr(at(0, 0x3c), 1, 0x2a);
	assert_int_equal(rd(at(0, 0x3c), 4), 0x0000012a); /* scratch, kept for the guest */
	assert_int_equal(host_get(A, 0x3c, 1), 0x00);
	assert_int_equal(v.nr_reads, 2);
	assert_int_equal(v.nr_writes, 1);
}

/* Pseudo-random garbage at every offset of the domain's bus: nothing but the registers the
 * domain may change on its own function ever changes on the host. */
static void test_garbage(void **state)
{
	uint32_t x = 12345;
	/* command/status, cache line/latency, and what lies outside the hidden capabilities
	 * and the list's links: 0x4e-0x4f (after MSI), the PCIe capability's body, 0x7c-0x7f
	 * (after MSI-X), power management's body and the device-specific rest */
	static const unsigned may_change[][2] = {{0x04, 4},    {0x0c, 2}, {0x4e, 2},
						 {0x52, 0x1e}, {0x7c, 4}, {0x82, 0x7e}};

	(void)state;
	for (unsigned n = 0; n < 200000; n++) {
		unsigned size, devfn, reg;

		x = x * 1103515245 + 12345;
		size = 1U << ((x >> 8) % 3);
		devfn = (x >> 12) % 4 == 0 ? (x >> 16) & 0xff : 0;
		reg = ((x >> 3) % 0x200) & ~(size - 1);
		wr(at(devfn, reg), size, x * 2654435761U);
		(void)rd(at(devfn, reg), size);
	}
	assert_memory_equal(fake_pci_cfg[B], before[B], 4096);
	for (unsigned off = 0; off < 4096; off++) {
		bool ok = false;

		for (unsigned k = 0; k < sizeof(may_change) / sizeof(may_change[0]); k++)
			ok |= off - may_change[k][0] < may_change[k][1];
		if (!ok && fake_pci_cfg[A][off] != before[A][off])
			fail_msg("host offset 0x%x changed: 0x%02x -> 0x%02x", off, before[A][off],
				 fake_pci_cfg[A][off]);
	}
	/* never a function-level reset, and the BARs still read where they are */
	assert_false(host_get(A, 0x58, 2) & 0x8000);
	wr(at(0, 0x10), 4, 0x10000000);
	assert_int_equal(rd(at(0, 0x10), 4), 0x10000000);
	assert_memory_equal(&fake_pci_cfg[A][0x10], &before[A][0x10], 24);
}

static void test_add_function_limits(void **state)
{
	struct pci_device more[VPCI_MAX_FUNCS];

	(void)state;
	assert_int_equal(vpci_add_function(&v, dev_a), -XEN_EEXIST);
	for (unsigned i = 1; i < VPCI_MAX_FUNCS; i++) {
		more[i] = (struct pci_device){.bdf = (uint16_t)(0x18 + 8 * i)};
		assert_int_equal(vpci_add_function(&v, &more[i]), 0);
		assert_int_equal(vpci_func_at(&v, i << 3)->host_bdf, 0x18 + 8 * i);
	}
	more[0] = (struct pci_device){.bdf = 0xf8};
	assert_int_equal(vpci_add_function(&v, &more[0]), -XEN_ENOSPC);
}

/* Through the domain's MMIO emulation, as a trapped access arrives. */
static void test_through_vmmio(void **state)
{
	struct domain *d = fake_domain(1, false, 0x40000000, 16, false);
	uint64_t val = 0;

	(void)state;
	assert_int_equal(vpci_register(d, &v, ECAM_GPA, host.ecam_size), 0);
	assert_int_equal(vmmio_access(&d->vcpu[0], ECAM_GPA + 0x00, 4, false, &val), VMMIO_HANDLED);
	assert_int_equal(val, 0x11e81234);
	assert_int_equal(vmmio_access(&d->vcpu[0], ECAM_GPA + 0x00, 8, false, &val), VMMIO_REFUSED);
	val = 0xffffffff;
	assert_int_equal(vmmio_access(&d->vcpu[0], ECAM_GPA + 0x10, 4, true, &val), VMMIO_HANDLED);
	assert_int_equal(vmmio_access(&d->vcpu[0], ECAM_GPA + 0x10, 4, false, &val), VMMIO_HANDLED);
	assert_int_equal(val, 0xfff00000);
	assert_int_equal(vmmio_access(&d->vcpu[0], ECAM_GPA + (255ULL << 20), 4, false, &val),
			 VMMIO_HANDLED);
	assert_int_equal(val, 0xffffffff);
}

/* vpci_domain_build over a device table: a domain gets a bridge only for its own
 * functions, a BAR window on its guest layout is refused naming it, and a level INTx line
 * another domain's function drives is refused naming both. */
static struct pci_host dom_host;
static struct dev_entry entries[2];
static struct dev_table table = {entries, 2, 2};

static struct domain *domain_with_function(paddr_t bar)
{
	struct domain *d = fake_domain(1, false, 0x40000000, 16, false);

	dom_host = host;
	dom_host.devs[0].bars[0].addr = bar;
	dom_host.devs[0].bars[2].size = 0;
	for (unsigned i = 0; i < 2; i++)
		entries[i] = (struct dev_entry){.kind = DEV_PCI, .host = &dom_host,
						.pci = &dom_host.devs[i], .owner = (int)!i,
						.fate = DEV_GIVEN};
	d->nr_vcpus = 1;
	return d;
}

static void test_domain_bridge(void **state)
{
	struct domain *d = domain_with_function(0x10000000);
	paddr_t base;
	uint64_t size;

	(void)state;
	assert_int_equal(vpci_domain_build_from(&table, d), 0);
	assert_non_null(vpci_of(d));
	assert_int_equal(vpci_of(d)->nr_funcs, 1); /* 00:02.0 is dom0's, not here */
	assert_int_equal(vpci_func_at(vpci_of(d), 0)->host_bdf, A);
	vpci_bar_window(vpci_of(d), &base, &size);
	assert_int_equal(base, 0x10000000);
	assert_int_equal(size, 0x100000);
	assert_non_null(vmmio_find(d, 0x4010000000ULL + 0xfffffff));
	assert_non_null(strstr(fake_log(), "d1: virtual PCI host bridge: ECAM at 0x4010000000 "
					   "(bus 0), 1 function(s), BARs 0x10000000-0x10100000"));
	assert_non_null(strstr(fake_log(), "d1: vPCI 00:00.0 is PCI 00:01.0 (1234:11e8), no "
					   "INTx, capabilities: 2 shown, 2 hidden (MSI/MSI-X: no ITS)"));
}

static void test_domain_bridge_window_refused(void **state)
{
	struct domain *d = domain_with_function(GUEST_PL011_BASE);

	(void)state;
	assert_int_equal(vpci_domain_build_from(&table, d), -XEN_EINVAL);
	assert_null(vpci_of(d));
	assert_null(vmmio_find(d, 0x4010000000ULL));
	assert_non_null(strstr(fake_log(), "ERROR: d1 (): its PCI BARs at 0x22000000-0x22100000 "
					   "overlap its RAM or a device the hypervisor emulates"));
	d = domain_with_function(0x40000000); /* its RAM */
	assert_int_equal(vpci_domain_build_from(&table, d), -XEN_EINVAL);
}

static void test_domain_shared_intx_refused(void **state)
{
	struct domain *d = domain_with_function(0x10000000);

	(void)state;
	entries[0].spis[entries[0].nr_spis++] = (struct dev_spi){36, false};
	entries[1].spis[entries[1].nr_spis++] = (struct dev_spi){36, false};
	assert_int_equal(vpci_domain_build_from(&table, d), -XEN_EINVAL);
	assert_null(vpci_of(d));
	assert_non_null(strstr(fake_log(), "ERROR: d1 (): PCI 00:01.0's INTx is SPI 4 (INTID 36), "
					   "which PCI 00:02.0 of d0 also drives"));
	entries[1].spis[0].intid = 37; /* another line: fine */
	assert_int_equal(vpci_domain_build_from(&table, d), 0);
}

static void test_domain_without_functions(void **state)
{
	struct domain *d = domain_with_function(0x10000000);

	(void)state;
	entries[0].owner = 2;
	assert_int_equal(vpci_domain_build_from(&table, d), 0);
	assert_null(vpci_of(d));
	assert_null(vmmio_find(d, 0x4010000000ULL));
}

int run_vpci_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity_and_absent, setup),
		cmocka_unit_test_setup(test_bar_sizing, setup),
		cmocka_unit_test_setup(test_bar_move_refused, setup),
		cmocka_unit_test_setup(test_command_register, setup),
		cmocka_unit_test_setup(test_bus_master_releases_held_ram, setup),
		cmocka_unit_test_setup(test_capabilities_hide_msi, setup),
		cmocka_unit_test_setup(test_function_reset_refused, setup),
		cmocka_unit_test_setup(test_writes_not_the_domains, setup),
		cmocka_unit_test_setup(test_access_sizes, setup),
		cmocka_unit_test_setup(test_garbage, setup),
		cmocka_unit_test_setup(test_add_function_limits, setup),
		cmocka_unit_test_setup(test_through_vmmio, setup),
		cmocka_unit_test_setup(test_domain_bridge, setup),
		cmocka_unit_test_setup(test_domain_bridge_window_refused, setup),
		cmocka_unit_test_setup(test_domain_shared_intx_refused, setup),
		cmocka_unit_test_setup(test_domain_without_functions, setup),
	};

	return cmocka_run_group_tests_name("vpci", tests, NULL, NULL);
}
