/* smp: PSCI CPU_ON/CPU_OFF/AFFINITY_INFO on the domain's own vCPUs, each on its own physical
 * CPU: start vCPU 1, see it run, see it turn itself off, start it again. */
#include "libguest.h"
#include <arm/psci.h>

static volatile uint64_t seen;
static uint8_t stack1[8192] __attribute__((aligned(16)));

void guest_secondary(uint64_t cpu)
{
	printf("smp: vCPU with MPIDR %llu running\n", (unsigned long long)cpu);
	seen = seen + 1;
}

static bool wait_for(volatile uint64_t *v, uint64_t want)
{
	for (unsigned long i = 0; i < 200000000UL; i++)
		if (*v == want)
			return true;
	return false;
}

static int64_t affinity(uint64_t mpidr)
{
	return (int32_t)psci_hvc(PSCI_AFFINITY_INFO_64, mpidr, 0, 0);
}

static bool wait_off(uint64_t mpidr)
{
	for (unsigned long i = 0; i < 200000000UL; i++)
		if (affinity(mpidr) == 1)
			return true;
	return false;
}

void guest_main(void)
{
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));
	uint64_t entry = (uint64_t)(uintptr_t)guest_secondary_entry;

	test_expect_eq("affinity-self-on", affinity(0), 0);
	test_expect_eq("affinity-vcpu1-off", affinity(1), 1);
	test_expect_eq("cpu-on-vcpu1", (int32_t)psci_hvc(PSCI_CPU_ON_64, 1, entry, top),
		       PSCI_SUCCESS);
	if (wait_for(&seen, 1))
		test_pass("vcpu1-ran");
	else
		test_fail("vcpu1-ran", "vCPU 1 did not run");
	if (wait_off(1))
		test_pass("vcpu1-cpu-off");
	else
		test_fail("vcpu1-cpu-off", "AFFINITY_INFO never reported vCPU 1 off");
	/* Off/on cycles back to back: CPU_ON may arrive while vCPU 1 is still going down. */
	unsigned cycles = (unsigned)bootarg_u64("cycles", 20), ok = 0;
	for (unsigned c = 0; c < cycles; c++) {
		int64_t rc;

		while ((rc = (int32_t)psci_hvc(PSCI_CPU_ON_64, 1, entry, top)) == PSCI_ALREADY_ON)
			;
		if (rc != PSCI_SUCCESS || !wait_for(&seen, 2 + c)) {
			test_fail("vcpu1-off-on-cycles", "cycle %u: CPU_ON %lld, seen %llu", c,
				  (long long)rc, (unsigned long long)seen);
			break;
		}
		ok++;
	}
	if (ok == cycles)
		test_pass("vcpu1-off-on-cycles");
	test_expect_eq("cpu-on-missing-vcpu", (int32_t)psci_hvc(PSCI_CPU_ON_64, 5, entry, top),
		       PSCI_INVALID_PARAMETERS);
}
