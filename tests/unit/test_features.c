/* Feature policy: Xen's defaults, exactly one of the two mapping bits, and the overrides. */
#include "unit.h"
#include "features.h"
#include <xen/features.h>

#define B(n) (1U << (n))
#define ALWAYS (B(XENFEAT_writable_page_tables) | B(XENFEAT_auto_translated_physmap) | \
		B(XENFEAT_memory_op_vnode_supported) | B(XENFEAT_ARM_SMCCC_supported))

static void xen_defaults(void **state)
{
	(void)state;
	/* measured on Debian's Xen 4.17 for a 1:1 dom0 (ABI.md) */
	assert_int_equal(features_submap0(true, true, FEATURES_AUTO), 0x26805);
	assert_int_equal(features_submap0(false, false, FEATURES_AUTO),
			 ALWAYS | B(XENFEAT_not_direct_mapped));
	assert_int_equal(features_submap0(false, true, FEATURES_AUTO),
			 ALWAYS | B(XENFEAT_direct_mapped));
	assert_int_equal(features_submap0(true, false, FEATURES_AUTO),
			 ALWAYS | B(XENFEAT_dom0) | B(XENFEAT_not_direct_mapped));
}

static void exactly_one_mapping_bit(void **state)
{
	(void)state;
	for (int hw = 0; hw < 2; hw++)
		for (int direct = 0; direct < 2; direct++)
			for (int mode = FEATURES_AUTO; mode <= FEATURES_NOT_DIRECT; mode++) {
				uint32_t m = features_submap0(hw, direct, (enum features_mode)mode);
				int d = !!(m & B(XENFEAT_direct_mapped));
				int nd = !!(m & B(XENFEAT_not_direct_mapped));

				assert_int_equal(d + nd, 1);
				assert_int_equal(!!(m & B(XENFEAT_dom0)), hw);
				assert_int_equal(m & ALWAYS, ALWAYS);
				assert_false(m & B(XENFEAT_runstate_phys_area));
			}
}

static void overrides(void **state)
{
	(void)state;
	assert_int_equal(features_submap0(true, true, FEATURES_NOT_DIRECT), 0x16805);
	assert_int_equal(features_submap0(false, false, FEATURES_DIRECT),
			 ALWAYS | B(XENFEAT_direct_mapped));
	assert_int_equal(features_submap0(true, true, FEATURES_LEGACY), 0x6805);
	assert_int_equal(features_submap0(false, false, FEATURES_LEGACY), ALWAYS);
	assert_string_equal(features_mode_name(FEATURES_NOT_DIRECT), "not-direct");
	assert_string_equal(features_bit_name(XENFEAT_direct_mapped), "direct_mapped");
	assert_null(features_bit_name(12));
	assert_null(features_bit_name(99));
}

int run_features_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xen_defaults),
		cmocka_unit_test(exactly_one_mapping_bit),
		cmocka_unit_test(overrides),
	};
	return cmocka_run_group_tests_name("features", tests, NULL, NULL);
}
