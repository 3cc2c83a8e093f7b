/* The gate from a guest frame to a machine page (p2m_get_ram_page) over a bare p2m: each
 * refusal has its own errno (beyond the IPA size, hole, MMIO, foreign page, hypervisor
 * page, read-only asked to write), and only the p2m's own RAM passes, with the frame inside
 * a block found; an IOMMU alias is told by its type. */
#include "unit.h"
#include "p2m.h"

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

int run_p2m_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(ram_passes, setup),
		cmocka_unit_test_setup(out_of_range, setup),
		cmocka_unit_test_setup(hole, setup),
		cmocka_unit_test_setup(not_ram, setup),
		cmocka_unit_test_setup(read_only, setup),
		cmocka_unit_test_setup(alias_has_its_type, setup),
	};

	return cmocka_run_group_tests_name("p2m_gate", tests, NULL, NULL);
}
