/* Command-line parsing: Xen's size syntax, strict values for known options, one warning per
 * unknown Xen option, errors for unknown mapvisor.* options. */
#include "unit.h"
#include "cmdline.h"

static int setup(void **state)
{
	(void)state;
	fake_reset();
	return 0;
}

static void sizes(void **state)
{
	uint64_t b;
	const char *end;

	(void)state;
	assert_int_equal(cmdline_parse_size("512M", &end, &b), 0);
	assert_int_equal(b, 512ULL << 20);
	assert_int_equal(cmdline_parse_size("1G", &end, &b), 0);
	assert_int_equal(b, 1ULL << 30);
	assert_int_equal(cmdline_parse_size("2048", &end, &b), 0); /* KiB by default, as Xen */
	assert_int_equal(b, 2048ULL << 10);
	assert_int_equal(cmdline_parse_size("4096B", &end, &b), 0);
	assert_int_equal(b, 4096);
	/* as Xen's simple_strtoull: "0x1000b" is hex 0x1000b, then KiB */
	assert_int_equal(cmdline_parse_size("0x1000b", &end, &b), 0);
	assert_int_equal(b, 0x1000bULL << 10);
	assert_int_equal(cmdline_parse_size("99999999999999T", &end, &b), -XEN_ERANGE);
	assert_int_equal(cmdline_parse_size("M", &end, &b), -XEN_EINVAL);
	assert_int_equal(cmdline_parse_size("", &end, &b), -XEN_EINVAL);
}

static void good_options(void **state)
{
	struct hv_options o;

	(void)state;
	cmdline_defaults(&o);
	assert_int_equal(cmdline_parse("  dom0_mem=256M\tdom0_max_vcpus=2 console=dtuart "
				       "dtuart=/pl011@9000000 loglvl=all mapvisor.features=legacy ",
				       &o), 0);
	assert_int_equal(o.dom0_mem_bytes, 256ULL << 20);
	assert_int_equal(o.dom0_max_vcpus, 2);
	assert_int_equal(o.console, CONSOLE_DTUART);
	assert_string_equal(o.dtuart, "/pl011@9000000");
	assert_int_equal(o.loglvl, LOG_DEBUG);
	assert_int_equal(o.features, FEATURES_LEGACY);
	assert_int_equal(cmdline_parse(NULL, &o), 0);
	assert_int_equal(cmdline_parse("", &o), 0);
	assert_int_equal(cmdline_parse("console=none", &o), 0);
	assert_int_equal(o.console, CONSOLE_NONE);
}

/* Xen's list syntax: the amount within min: and max:, in any order. */
static void dom0_mem_lists(void **state)
{
	static const struct {
		const char *opt;
		uint64_t bytes, min, max;
	} good[] = {
		{"dom0_mem=512M,max:512M", 512ULL << 20, 0, 512ULL << 20},
		{"dom0_mem=max:1G,256M", 256ULL << 20, 0, 1ULL << 30},
		{"dom0_mem=min:128M", 0, 128ULL << 20, 0},
		{"dom0_mem=min:64M,max:2G,1G", 1ULL << 30, 64ULL << 20, 2ULL << 30},
	};
	struct hv_options o;

	(void)state;
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cmdline_defaults(&o);
		assert_int_equal(cmdline_parse(good[i].opt, &o), 0);
		assert_int_equal(o.dom0_mem_bytes, good[i].bytes);
		assert_int_equal(o.dom0_mem_min, good[i].min);
		assert_int_equal(o.dom0_mem_max, good[i].max);
	}
}

static void unknown_xen_options_warn(void **state)
{
	struct hv_options o;

	(void)state;
	cmdline_defaults(&o);
	assert_int_equal(cmdline_parse("sched=credit2 noreboot dom0_mem=64M ept=pml", &o), 0);
	/* Xen options mapvisor knows say why ignoring them is safe; others are just ignored */
	assert_true(fake_log_contains("WARNING: option 'sched=credit2' is accepted and ignored: "
				      "there is no scheduler"));
	assert_true(fake_log_contains("WARNING: option 'noreboot' is accepted and ignored"));
	assert_true(fake_log_contains("WARNING: option 'ept=pml' is not implemented"));
	assert_int_equal(o.dom0_mem_bytes, 64ULL << 20);
	/* turning the IOMMU off would be a lie: refused, with the way to do what was meant */
	fake_reset();
	assert_int_equal(cmdline_parse("iommu=no", &o), -XEN_EINVAL);
	assert_true(fake_log_contains("option 'iommu=no' in xen,xen-bootargs is refused"));
	assert_true(fake_log_contains("mapvisor.dma-unprotected"));
}

static void bad_values(void **state)
{
	static const char *const bad[] = {
		"dom0_mem=lots", "dom0_mem=", "dom0_mem", "dom0_mem=512", "dom0_mem=1G,",
		"dom0_mem=min:2G,max:1G", "dom0_mem=-256M", "dom0_mem=max:", "dom0_mem=mid:1G",
		"dom0_mem=1G,,2G", "dom0_mem=1Gmax:2G",
		"dom0_max_vcpus=0", "dom0_max_vcpus=9", "dom0_max_vcpus=x", "dom0_max_vcpus=-1",
		"console=com1", "console", "dtuart=", "loglvl=loud", "mapvisor.features=sideways",
		"mapvisor.features", "mapvisor.feature=direct", "mapvisor.unknown",
	};
	struct hv_options o;

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_reset();
		cmdline_defaults(&o);
		if (cmdline_parse(bad[i], &o) != -XEN_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(fake_log_contains("ERROR: "));
	}
	fake_reset();
	assert_int_equal(cmdline_parse("mapvisor.features=sideways", &o), -XEN_EINVAL);
	assert_true(fake_log_contains("expected auto, direct, not-direct, legacy"));
}

static void long_and_many_tokens(void **state)
{
	char line[4096];
	struct hv_options o;

	(void)state;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	cmdline_defaults(&o);
	assert_int_equal(cmdline_parse(line, &o), -XEN_EINVAL);
	assert_true(fake_log_contains("is too long"));
	/* a bad value does not stop the others from being reported */
	fake_reset();
	assert_int_equal(cmdline_parse("dom0_mem=x dom0_max_vcpus=99", &o), -XEN_EINVAL);
	assert_true(fake_log_contains("option dom0_mem"));
	assert_true(fake_log_contains("option dom0_max_vcpus"));
}

int run_cmdline_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(sizes, setup),
		cmocka_unit_test_setup(good_options, setup),
		cmocka_unit_test_setup(dom0_mem_lists, setup),
		cmocka_unit_test_setup(unknown_xen_options_warn, setup),
		cmocka_unit_test_setup(bad_values, setup),
		cmocka_unit_test_setup(long_and_many_tokens, setup),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
