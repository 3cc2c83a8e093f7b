/* SMMUv3 encodings (Arm IHI 0070): a stage-2 STE bit by bit, the commands the driver sends,
 * and event records decoded. */
#include "unit.h"
#include "smmu.h"

static void ste_stage2(void **state)
{
	uint64_t ste[SMMU_STE_DWORDS];

	(void)state;
	smmu_ste_stage2(ste, 7, 0x40123000, 40, 2);
	assert_int_equal(ste[0] & 1, 1);                 /* V */
	assert_int_equal((ste[0] >> 1) & 7, 6);          /* Config: stage 2 only */
	assert_int_equal(ste[1], 0);
	assert_int_equal(ste[2] & 0xffff, 7);            /* S2VMID */
	assert_int_equal((ste[2] >> 32) & 0x3f, 24);     /* S2T0SZ: 40-bit IPA */
	assert_int_equal((ste[2] >> 38) & 3, 1);         /* S2SL0: level 1, as VTCR_EL2 */
	assert_int_equal((ste[2] >> 44) & 3, 3);         /* inner shareable walks */
	assert_int_equal((ste[2] >> 46) & 3, 0);         /* 4 KiB granule */
	assert_int_equal((ste[2] >> 48) & 7, 2);         /* S2PS: 40 bits */
	assert_int_equal((ste[2] >> 51) & 1, 1);         /* AArch64 tables */
	assert_int_equal((ste[2] >> 58) & 1, 1);         /* record faults */
	assert_int_equal(ste[3], 0x40123000);            /* S2TTB */
	for (int i = 4; i < SMMU_STE_DWORDS; i++)
		assert_int_equal(ste[i], 0);
}

static void commands(void **state)
{
	uint64_t c[SMMU_CMD_DWORDS];

	(void)state;
	smmu_cmd_cfgi_ste(c, 0x8);
	assert_int_equal(c[0], 0x0000000800000003ULL);
	assert_int_equal(c[1], 1);
	smmu_cmd_tlbi_s12_vmall(c, 3);
	assert_int_equal(c[0], 0x0000000300000028ULL);
	smmu_cmd_sync(c);
	assert_int_equal(c[0] & 0xff, 0x46);
	assert_int_equal((c[0] >> 12) & 3, 0); /* CS none: completion seen through CONS */
	smmu_cmd_cfgi_all(c);
	assert_int_equal(c[0] & 0xff, 0x04);
	assert_int_equal(c[1] & 0x1f, 31);
}

static void events(void **state)
{
	const uint64_t f_translation[4] = {0x0000000800000010ULL, 0, 0x80000000, 0};
	const uint64_t bad_ste_read[4] = {0x0000002a00000004ULL, 1ULL << 35, 0x1000, 0};
	struct smmu_event ev;

	(void)state;
	smmu_event_decode(f_translation, &ev);
	assert_int_equal(ev.type, 0x10);
	assert_int_equal(ev.sid, 8);
	assert_int_equal(ev.input_addr, 0x80000000);
	assert_true(ev.write);
	assert_string_equal(smmu_event_name(ev.type), "F_TRANSLATION");
	smmu_event_decode(bad_ste_read, &ev);
	assert_int_equal(ev.sid, 0x2a);
	assert_false(ev.write);
	assert_string_equal(smmu_event_name(ev.type), "C_BAD_STE");
	assert_string_equal(smmu_event_name(0xee), "unknown event");
}

int run_smmu_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ste_stage2),
		cmocka_unit_test(commands),
		cmocka_unit_test(events),
	};
	return cmocka_run_group_tests_name("smmu", tests, NULL, NULL);
}
