/* The gate from a guest frame to a machine page (p2m_get_ram_page) over a bare p2m: each
 * refusal has its own errno (beyond the IPA size, hole, MMIO, foreign page, hypervisor
 * page, read-only asked to write), and only the p2m's own RAM passes, with the frame inside
 * a block found; an IOMMU alias is told by its type. */
#include "unit.h"
#include "p2m.h"
#include "page_alloc.h"
#include <string.h>

#define RAM_GPA 0x40000000ULL
#define RAM_MA 0x80000000ULL /* translated: GFN != MFN, so the test sees which one it got */
#define RO_GPA 0x50000000ULL
#define MMIO_GPA 0x09000000ULL
#define XEN_GPA 0x38000000ULL
#define FOREIGN_GPA 0x60000000ULL
#define HOLE_GPA 0x70000000ULL

static struct p2m p2m;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	assert_int_equal(p2m_init(&p2m, 1, &fake_pt_alloc), 0);
	assert_int_equal(p2m_map(&p2m, RAM_GPA, RAM_MA, SZ_2M, P2M_RAM, P2M_RW), 0);
	assert_int_equal(p2m_map(&p2m, RO_GPA, RAM_MA + SZ_2M, PAGE_SIZE, P2M_RAM, P2M_RO), 0);
	assert_int_equal(p2m_map(&p2m, MMIO_GPA, MMIO_GPA, PAGE_SIZE, P2M_MMIO, P2M_RW), 0);
	assert_int_equal(p2m_map(&p2m, XEN_GPA, 0x90000000, PAGE_SIZE, P2M_XEN, P2M_RW), 0);
	assert_int_equal(p2m_map(&p2m, FOREIGN_GPA, 0x91000000, PAGE_SIZE, P2M_FOREIGN, P2M_RW), 0);
	return 0;
}

static gfn_t gfn_of(uint64_t gpa)
{
	return gpa_to_gfn(_gpa(gpa));
}

/* Own RAM passes, read or write, and the frame is the one inside the 2 MiB block. */
static void ram_passes(void **state)
{
	mfn_t mfn = _mfn(0);

	(void)state;
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RAM_GPA + 5 * PAGE_SIZE), false, &mfn), 0);
	assert_int_equal(mfn_x(mfn), (RAM_MA >> PAGE_SHIFT) + 5);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RAM_GPA + 7 * PAGE_SIZE), true, &mfn), 0);
	assert_int_equal(mfn_to_maddr(mfn), RAM_MA + 7 * PAGE_SIZE);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RAM_GPA), true, NULL), 0);
}

/* Beyond the 40-bit IPA: -EINVAL, also for a frame whose shift into an address would wrap
 * onto RAM (bit 52 and up fall off a 64-bit address). */
static void out_of_range(void **state)
{
	uint64_t ram_gfn = RAM_GPA >> PAGE_SHIFT;
	mfn_t mfn = _mfn(42);

	(void)state;
	assert_int_equal(
		p2m_get_ram_page(&p2m, _gfn(1ULL << (P2M_IPA_BITS - PAGE_SHIFT)), false, &mfn),
		-XEN_EINVAL);
	assert_int_equal(p2m_get_ram_page(&p2m, _gfn((1ULL << 52) | ram_gfn), false, &mfn),
			 -XEN_EINVAL);
	assert_int_equal(p2m_get_ram_page(&p2m, INVALID_GFN, false, &mfn), -XEN_EINVAL);
	assert_int_equal(mfn_x(mfn), 42); /* untouched on failure */
	/* the last frame inside the IPA space is only a hole */
	assert_int_equal(p2m_get_ram_page(&p2m, _gfn((1ULL << (P2M_IPA_BITS - PAGE_SHIFT)) - 1),
					  false, NULL),
			 -XEN_ENOENT);
}

static void hole(void **state)
{
	(void)state;
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(HOLE_GPA), false, NULL), -XEN_ENOENT);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RAM_GPA + SZ_2M), true, NULL), -XEN_ENOENT);
}

/* Mapped but not the domain's RAM: a device, a hypervisor page, a granted page. */
static void not_ram(void **state)
{
	(void)state;
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(MMIO_GPA), false, NULL), -XEN_EPERM);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(XEN_GPA), false, NULL), -XEN_EPERM);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(FOREIGN_GPA), false, NULL), -XEN_EPERM);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(FOREIGN_GPA), true, NULL), -XEN_EPERM);
}

static void read_only(void **state)
{
	mfn_t mfn;

	(void)state;
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RO_GPA), false, &mfn), 0);
	assert_int_equal(mfn_to_maddr(mfn), RAM_MA + SZ_2M);
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(RO_GPA), true, &mfn), -XEN_EACCES);
}

/* An IOMMU alias keeps its type in the descriptor, is not RAM to the gate, and does not
 * count as the domain's RAM (so it cannot change the feature bits). */
static void alias_has_its_type(void **state)
{
	gfn_t at = _gfn(0x91000);
	enum p2m_type t;
	mfn_t mfn;

	(void)state;
	assert_int_equal(p2m_map_page(&p2m, at, _mfn(0x91000), P2M_IOMMU_ALIAS, P2M_RO), 0);
	assert_int_equal(p2m_lookup_page(&p2m, at, &mfn, &t, NULL), 0);
	assert_int_equal(t, P2M_IOMMU_ALIAS);
	assert_true(mfn_eq(mfn, _mfn(0x91000)));
	assert_int_equal(p2m_lookup_page(&p2m, gfn_of(FOREIGN_GPA), NULL, &t, NULL), 0);
	assert_int_equal(t, P2M_FOREIGN); /* the host mapping of the same page stays foreign */
	assert_int_equal(p2m_get_ram_page(&p2m, at, false, NULL), -XEN_EPERM);
	assert_int_equal(p2m.ram_pages, 513); /* the 2 MiB block and the read-only page */
	assert_int_equal(p2m_unmap_page(&p2m, at), 0);
	assert_int_equal(p2m_lookup_page(&p2m, at, NULL, NULL, NULL), -XEN_ENOENT);
}

/* Held RAM (p2m_hold): two 2 MiB blocks of garbage in frames the pool gives, and a device. */
static paddr_t held_ma;

static int held_setup(void **state)
{
	setup(state);
	held_ma = page_alloc_contig(&fake_frames, 2 * SZ_2M / PAGE_SIZE, SZ_2M / PAGE_SIZE);
	assert_int_not_equal(held_ma, INVALID_PADDR);
	memset(maddr_to_virt(held_ma), 0xa5, 2 * SZ_2M);
	assert_int_equal(p2m_map(&p2m, HOLE_GPA, held_ma, 2 * SZ_2M, P2M_RAM, P2M_RW), 0);
	assert_int_equal(p2m_hold(&p2m, HOLE_GPA), 0);
	assert_int_equal(p2m_hold(&p2m, HOLE_GPA + SZ_2M), 0);
	assert_int_equal(p2m_hold(&p2m, MMIO_GPA), 0);
	return 0;
}

/* Bytes of [ma, ma + len) that are not zero. */
static uint64_t nonzero(paddr_t ma, uint64_t len)
{
	const uint8_t *p = maddr_to_virt(ma);
	uint64_t n = 0;

	for (uint64_t i = 0; i < len; i++)
		n += p[i] != 0;
	return n;
}

static bool af_clear(uint64_t gpa)
{
	uint64_t desc;

	assert_int_equal(pt_lookup(&p2m.pt, gpa, NULL, &desc, NULL), 0);
	return !(desc & PT_AF);
}

/* Holding clears the access flag and counts; only own RAM and devices, once. */
static void hold_counts(void **state)
{
	(void)state;
	assert_int_equal(p2m.held_bytes, 2 * SZ_2M);
	assert_int_equal(p2m.held_mmio, 1);
	assert_true(af_clear(HOLE_GPA) && af_clear(HOLE_GPA + SZ_2M) && af_clear(MMIO_GPA));
	assert_false(af_clear(RAM_GPA));
	assert_int_equal(nonzero(held_ma, 2 * SZ_2M), 2 * SZ_2M); /* nothing zeroed yet */
	assert_int_equal(p2m_hold(&p2m, HOLE_GPA), -XEN_EINVAL);     /* already */
	assert_int_equal(p2m_hold(&p2m, XEN_GPA), -XEN_EINVAL);
	assert_int_equal(p2m_hold(&p2m, FOREIGN_GPA), -XEN_EINVAL);
	assert_int_equal(p2m_hold(&p2m, HOLE_GPA + 2 * SZ_2M), -XEN_ENOENT);
	assert_int_equal(p2m.ram_pages, 513 + 2 * SZ_2M / PAGE_SIZE); /* still RAM */
}

/* All device leaves held in one walk, once; other leaves untouched. */
static void hold_devices_once(void **state)
{
	(void)state;
	setup(state);
	assert_int_equal(p2m_map(&p2m, MMIO_GPA + SZ_2M, MMIO_GPA + SZ_2M, SZ_2M, P2M_MMIO, P2M_RW),
			 0);
	assert_int_equal(p2m_hold_devices(&p2m), 2);
	assert_true(af_clear(MMIO_GPA) && af_clear(MMIO_GPA + SZ_2M));
	assert_false(af_clear(RAM_GPA) || af_clear(XEN_GPA) || af_clear(FOREIGN_GPA));
	assert_int_equal(p2m.held_mmio, 2);
	assert_int_equal(p2m_hold_devices(&p2m), 0);
	assert_int_equal(p2m.held_mmio, 2);
}

/* A lookup that hands a held frame out zeroes its block first, that block only. */
static void lookup_zeroes_block(void **state)
{
	mfn_t mfn;

	(void)state;
	assert_int_equal(p2m_get_ram_page(&p2m, gfn_of(HOLE_GPA + SZ_2M + PAGE_SIZE), true, &mfn), 0);
	assert_int_equal(mfn_to_maddr(mfn), held_ma + SZ_2M + PAGE_SIZE);
	assert_int_equal(nonzero(held_ma + SZ_2M, SZ_2M), 0);
	assert_int_equal(nonzero(held_ma, SZ_2M), SZ_2M);
	assert_false(af_clear(HOLE_GPA + SZ_2M));
	assert_int_equal(p2m.held_bytes, SZ_2M);
	memset(maddr_to_virt(held_ma + SZ_2M), 0x77, 8); /* the domain's data from now on */
	assert_int_equal(p2m_lookup(&p2m, HOLE_GPA + SZ_2M, NULL, NULL, NULL), 0);
	assert_int_equal(nonzero(held_ma + SZ_2M, SZ_2M), 8);
}

/* An access flag fault on held RAM zeroes that block; on a device, all RAM then the
 * devices; anywhere else it is not the p2m's; a raced one (already released) retries. */
static void fault_releases(void **state)
{
	uint64_t zeroed;
	bool devices;

	(void)state;
	assert_int_equal(p2m_access_fault(&p2m, HOLE_GPA + 8, &zeroed, &devices), 0);
	assert_int_equal(zeroed, SZ_2M);
	assert_false(devices);
	assert_int_equal(nonzero(held_ma, SZ_2M), 0);
	assert_true(af_clear(MMIO_GPA)); /* RAM is still held: the device stays held */
	assert_int_equal(p2m_access_fault(&p2m, HOLE_GPA + 8, &zeroed, &devices), 0);
	assert_int_equal(zeroed, 0);
	assert_int_equal(p2m_access_fault(&p2m, 0x20000000, &zeroed, &devices), -XEN_ENOENT);
}

static void device_releases_all(void **state)
{
	uint64_t zeroed;
	bool devices;

	(void)state;
	fake_s2_flushes = 0;
	assert_int_equal(p2m_access_fault(&p2m, MMIO_GPA + 0x10, &zeroed, &devices), 0);
	assert_true(devices);
	assert_int_equal(zeroed, 2 * SZ_2M);
	assert_int_equal(nonzero(held_ma, 2 * SZ_2M), 0);
	assert_false(af_clear(HOLE_GPA) || af_clear(HOLE_GPA + SZ_2M) || af_clear(MMIO_GPA));
	assert_int_equal(p2m.held_bytes, 0);
	assert_int_equal(p2m.held_mmio, 0);
	assert_int_equal(fake_s2_flushes, 1); /* once, for the whole VMID, the SMMU's included */
	assert_int_equal(p2m.ram_pages, 513 + 2 * SZ_2M / PAGE_SIZE);
}

/* More blocks than one hold of the lock zeroes: all of them, then the devices. */
static void device_releases_many_blocks(void **state)
{
	paddr_t ma = page_alloc_contig(&fake_frames, 10 * SZ_2M / PAGE_SIZE, SZ_2M / PAGE_SIZE);
	uint64_t zeroed;
	bool devices;

	(void)state;
	assert_int_not_equal(ma, INVALID_PADDR);
	assert_int_equal(p2m_map(&p2m, 0x80000000, ma, 10 * SZ_2M, P2M_RAM, P2M_RW), 0);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(p2m_hold(&p2m, 0x80000000 + i * SZ_2M), 0);
	assert_int_equal(p2m.held_bytes, 12 * SZ_2M);
	assert_int_equal(p2m_access_fault(&p2m, MMIO_GPA, &zeroed, &devices), 0);
	assert_true(devices);
	assert_int_equal(zeroed, 12 * SZ_2M);
	assert_int_equal(nonzero(ma, 10 * SZ_2M) + nonzero(held_ma, 2 * SZ_2M), 0);
	assert_int_equal(p2m.held_bytes, 0);
	assert_false(af_clear(MMIO_GPA) || af_clear(0x80000000 + 9 * SZ_2M));
}

/* A held block split by a change inside it stays held page by page; a device mapped while
 * RAM is held is held too, and released with the others. */
static void split_stays_held(void **state)
{
	(void)state;
	assert_int_equal(p2m_map(&p2m, HOLE_GPA + 3 * PAGE_SIZE, 0x90001000, PAGE_SIZE, P2M_XEN,
				 P2M_RW), 0);
	assert_true(af_clear(HOLE_GPA) && af_clear(HOLE_GPA + SZ_2M - PAGE_SIZE));
	assert_int_equal(p2m.held_bytes, 2 * SZ_2M - PAGE_SIZE); /* the replaced page left */
	assert_int_equal(p2m_lookup(&p2m, HOLE_GPA + 5 * PAGE_SIZE, NULL, NULL, NULL), 0);
	assert_int_equal(nonzero(held_ma + 5 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(nonzero(held_ma + 6 * PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	assert_int_equal(p2m_map(&p2m, MMIO_GPA + SZ_2M, MMIO_GPA + SZ_2M, SZ_2M, P2M_MMIO, P2M_RW),
			 0);
	assert_true(af_clear(MMIO_GPA + SZ_2M));
	assert_int_equal(p2m.held_mmio, 2);
	assert_int_equal(p2m_unmap(&p2m, MMIO_GPA, PAGE_SIZE), 0);
	assert_int_equal(p2m.held_mmio, 1);
	assert_int_equal(p2m_map(&p2m, MMIO_GPA, MMIO_GPA, PAGE_SIZE, P2M_MMIO, P2M_RW), 0);
	assert_int_equal(p2m.held_mmio, 2);
}

/* RAM all used block by block: the devices stay held until their first access. */
static void devices_wait_for_their_access(void **state)
{
	uint64_t zeroed;
	bool devices;

	(void)state;
	assert_int_equal(p2m_lookup(&p2m, HOLE_GPA, NULL, NULL, NULL), 0);
	assert_int_equal(p2m_lookup(&p2m, HOLE_GPA + SZ_2M, NULL, NULL, NULL), 0);
	assert_int_equal(p2m.held_bytes, 0);
	assert_int_equal(p2m_map(&p2m, MMIO_GPA + SZ_2M, MMIO_GPA + SZ_2M, SZ_2M, P2M_MMIO, P2M_RW),
			 0);
	assert_false(af_clear(MMIO_GPA + SZ_2M)); /* nothing held: mapped as usual */
	assert_true(af_clear(MMIO_GPA));
	assert_int_equal(p2m_access_fault(&p2m, MMIO_GPA, &zeroed, &devices), 0);
	assert_true(devices);
	assert_int_equal(zeroed, 0);
	assert_false(af_clear(MMIO_GPA));
	assert_int_equal(p2m.held_mmio, 0);
}

int run_p2m_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ram_passes, setup),
		cmocka_unit_test_setup(out_of_range, setup),
		cmocka_unit_test_setup(hole, setup),
		cmocka_unit_test_setup(not_ram, setup),
		cmocka_unit_test_setup(read_only, setup),
		cmocka_unit_test_setup(alias_has_its_type, setup),
		cmocka_unit_test_setup(hold_counts, held_setup),
		cmocka_unit_test(hold_devices_once),
		cmocka_unit_test_setup(lookup_zeroes_block, held_setup),
		cmocka_unit_test_setup(fault_releases, held_setup),
		cmocka_unit_test_setup(device_releases_all, held_setup),
		cmocka_unit_test_setup(device_releases_many_blocks, held_setup),
		cmocka_unit_test_setup(split_stays_held, held_setup),
		cmocka_unit_test_setup(devices_wait_for_their_access, held_setup),
	};

	return cmocka_run_group_tests_name("p2m_gate", tests, NULL, NULL);
}
