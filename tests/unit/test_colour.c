/* Cache colours: geometry, Xen's colour-list syntax, and coloured allocation (every frame
 * of a coloured allocation has a permitted colour; colours run out before RAM does). */
#include "unit.h"
#include "colour.h"

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void geometry(void **state)
{
	struct colour_config c = {0};

	(void)state;
	assert_int_equal(colour_setup(&c, 1 << 20, 16), 0); /* Cortex-A53: 1 MiB, 16 ways */
	assert_int_equal(c.nr_colours, 16);
	assert_int_equal(colour_setup(&c, 2 << 20, 16), 0);
	assert_int_equal(c.nr_colours, 32);
	assert_int_equal(colour_setup(&c, 3 << 20, 16), -XEN_EINVAL); /* 48: not a power of 2 */
	assert_int_equal(colour_setup(&c, 1 << 20, 3), -XEN_EINVAL);  /* not a whole way */
	assert_int_equal(colour_setup(&c, 4096 * 16, 16), -XEN_EINVAL); /* 1 colour */
	assert_int_equal(colour_setup(&c, 0, 16), -XEN_EINVAL);
	assert_int_equal(colour_setup(&c, 64 << 20, 16), 0); /* 1024 colours: capped */
	assert_int_equal(c.nr_colours, MAX_COLOURS);
	assert_true(fake_log_contains("using the first 128"));
}

static void lists(void **state)
{
	struct colour_set s;
	char buf[64];

	(void)state;
	assert_int_equal(colour_parse_list("0-3,8", 16, &s, "t"), 0);
	assert_int_equal(s.count, 5);
	assert_true(colour_in(&s, 3) && colour_in(&s, 8) && !colour_in(&s, 4));
	colour_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0-3,8");
	assert_int_equal(colour_parse_list("15", 16, &s, "t"), 0);
	assert_int_equal(s.count, 1);
	static const char *const bad[] = {"", "16", "3-1", "0-3,2", "1,1", "4,2", "0-3,", ",1",
					  "a", "1-", "0--3", "1 2", "0-16"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (colour_parse_list(bad[i], 16, &s, "llc-colors") != -XEN_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	assert_true(fake_log_contains("llc-colors: colour 16 out of range: this LLC has 16 colours"));
	assert_true(fake_log_contains("is not ascending without overlap"));
	colour_set_all(&s, 8);
	assert_int_equal(s.count, 8);
	colour_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0-7");
}

static void intersections(void **state)
{
	struct colour_set a, b;

	(void)state;
	colour_parse_list("0-3", 16, &a, "a");
	colour_parse_list("4-7", 16, &b, "b");
	assert_false(colour_sets_intersect(&a, &b));
	colour_parse_list("3-4", 16, &b, "b");
	assert_true(colour_sets_intersect(&a, &b));
}

static void coloured_allocation(void **state)
{
	struct colour_set s;
	paddr_t cursor = INVALID_PADDR, ma;
	uint64_t frames = FAKE_RAM_SIZE >> PAGE_SHIFT, got = 0, free_before;

	(void)state;
	colour_parse_list("2,5", 16, &s, "t");
	free_before = page_alloc_nr_free(&fake_frames);
	while ((ma = page_alloc_coloured(&fake_frames, &s, 16, &cursor)) != INVALID_PADDR) {
		unsigned c = colour_of_mfn(ma >> PAGE_SHIFT, 16);

		if (c != 2 && c != 5)
			fail_msg("frame 0x%llx has colour %u", (unsigned long long)ma, c);
		assert_false(page_is_free(&fake_frames, ma));
		got++;
	}
	/* two colours of sixteen: exactly an eighth of RAM, and nothing more */
	assert_int_equal(got, frames / 8);
	assert_int_equal(page_alloc_nr_free(&fake_frames), free_before - got);
	/* the other colours are all still there */
	assert_true(page_alloc_contig(&fake_frames, 1, 1) != INVALID_PADDR);
}

static void coloured_contiguous_runs(void **state)
{
	struct colour_set s;
	paddr_t t;

	(void)state;
	colour_parse_list("0-1", 16, &s, "t");
	t = page_alloc_contig_coloured(&fake_frames, 2, 2, &s, 16);
	assert_true(t != INVALID_PADDR);
	assert_int_equal(colour_of_mfn(t >> PAGE_SHIFT, 16), 0);
	colour_parse_list("0", 16, &s, "t");
	/* two consecutive frames cannot both have colour 0 */
	assert_int_equal(page_alloc_contig_coloured(&fake_frames, 2, 2, &s, 16), INVALID_PADDR);
	t = page_alloc_contig_coloured(&fake_frames, 1, 1, &s, 16);
	assert_int_equal(colour_of_mfn(t >> PAGE_SHIFT, 16), 0);
}

int run_colour_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(geometry, setup),
		cmocka_unit_test_setup(lists, setup),
		cmocka_unit_test_setup(intersections, setup),
		cmocka_unit_test_setup(coloured_allocation, setup),
		cmocka_unit_test_setup(coloured_contiguous_runs, setup),
	};
	return cmocka_run_group_tests_name("colour", tests, NULL, NULL);
}
