/* Virtual PSCI: a domain starts and queries only its own vCPUs; results as PSCI 1.1 says. */
#include "unit.h"
#include "vpsci.h"
#include <arm/psci.h>

static struct domain *d;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d = fake_domain(0, true, 0, 4, true);
	fake_domain(1, false, 0x40000000, 4, false);
	return 0;
}

static int64_t psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t r[4] = {fid, a1, a2, a3};

	vpsci_call(&d->vcpu[0], r);
	return (int64_t)r[0];
}

static void cpu_on(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40080000, 0x1234), PSCI_SUCCESS);
	assert_int_equal(fake_vcpu_starts, 1);
	assert_int_equal(d->vcpu[1].entry, 0x40080000);
	assert_int_equal(d->vcpu[1].context, 0x1234);
	/* a second CPU_ON, pending or running, leaves the first one's entry point alone */
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40090000, 0), PSCI_ON_PENDING);
	d->vcpu[1].power = VCPU_ON;
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40090000, 0), PSCI_ALREADY_ON);
	assert_int_equal(d->vcpu[1].entry, 0x40080000);
	assert_int_equal(d->vcpu[1].context, 0x1234);
	assert_int_equal(psci(PSCI_CPU_ON_64, 0, 0x40080000, 0), PSCI_ALREADY_ON);
	assert_int_equal(psci(PSCI_CPU_ON_64, 2, 0, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci(PSCI_CPU_ON_64, 0x100, 0, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(fake_vcpu_starts, 1);
}

static void cpu_on_firmware_failure(void **state)
{
	(void)state;
	fake_vcpu_start_rc = -XEN_EBUSY;
	assert_int_equal(psci(PSCI_CPU_ON_32, 1, 0x40080000, 0), PSCI_INTERNAL_FAILURE);
	assert_int_equal(d->vcpu[1].power, VCPU_OFF);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
}

static void queries(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_VERSION, 0, 0, 0), 0x10001);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 0, 0), 0);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), 1);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 0, 1, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_32, 7, 0, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), PSCI_SUCCESS);
	assert_int_equal(psci(PSCI_FEATURES, PSCI_CPU_SUSPEND_64, 0, 0), PSCI_NOT_SUPPORTED);
	assert_int_equal(psci(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	assert_int_equal(psci(SMCCC_VERSION, 0, 0, 0), 0x10001);
	assert_int_equal(psci(SMCCC_ARCH_FEATURES, 0x80008000, 0, 0), SMCCC_NOT_SUPPORTED);
	assert_int_equal(psci(0xC4000099, 0, 0, 0), PSCI_NOT_SUPPORTED);
}

static void cpu_off_and_system_off(void **state)
{
	(void)state;
	assert_int_equal(psci(PSCI_CPU_OFF, 0, 0, 0), PSCI_SUCCESS);
	assert_int_equal(d->vcpu[0].power, VCPU_OFF);
	assert_true(d->vcpu[0].off_requested); /* the trap path parks the pCPU on this */
	/* SYSTEM_OFF stops this domain only: the other one still runs */
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	assert_false(domain_is_running(d));
	assert_true(domain_is_running(domains[1]));
	assert_true(fake_log_contains("d0: shut down (poweroff): PSCI SYSTEM_OFF"));
}

static void system_reset_stops_domain(void **state)
{
	(void)state;
	psci(PSCI_SYSTEM_RESET, 0, 0, 0);
	assert_false(domain_is_running(d));
	assert_int_equal(d->state, DOMAIN_SHUTDOWN); /* a reboot request is not a crash */
	assert_int_equal(d->shutdown_reason, 1);
	assert_true(fake_log_contains("d0: shut down (reboot): PSCI SYSTEM_RESET"));
	assert_true(domain_is_running(domains[1]));
}

int run_vpsci_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(cpu_on, setup),
		cmocka_unit_test_setup(cpu_on_firmware_failure, setup),
		cmocka_unit_test_setup(queries, setup),
		cmocka_unit_test_setup(cpu_off_and_system_off, setup),
		cmocka_unit_test_setup(system_reset_stops_domain, setup),
	};
	return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}
