/* The test harness and the runtime's C entry points: PASS/FAIL lines, a final RESULT line,
 * and exception handling that either resumes an expected exception or reports and crashes. */
#include "libguest.h"
#include <format.h>

static unsigned passed, failed;
static volatile bool exception_expected, exception_happened;
static volatile uint64_t exception_esr, exception_elr, exception_far_el1;

void test_pass(const char *name)
{
	passed++;
	printf("PASS %s\n", name);
}

void test_fail(const char *name, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	failed++;
	printf("FAIL %s: %s\n", name, why);
}

bool test_expect_eq(const char *name, int64_t got, int64_t want)
{
	if (got == want) {
		test_pass(name);
		return true;
	}
	test_fail(name, "got %lld (0x%llx), want %lld (0x%llx)", (long long)got,
		  (unsigned long long)got, (long long)want, (unsigned long long)want);
	return false;
}

_Noreturn void test_finish(void)
{
	printf("RESULT: %u passed, %u failed\n", passed, failed);
	guest_shutdown(failed || !passed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}

void expect_exception(void)
{
	exception_happened = false;
	exception_expected = true;
}

bool exception_seen(uint64_t *esr, uint64_t *elr)
{
	bool seen = exception_happened;

	exception_expected = false;
	if (esr)
		*esr = exception_esr;
	if (elr)
		*elr = exception_elr;
	return seen;
}

uint64_t exception_far(void)
{
	return exception_far_el1;
}

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                                        \
		v_;                                                                                \
	})

void guest_exception(uint64_t kind, uint64_t *regs)
{
	uint64_t esr = read_sysreg(esr_el1), elr = read_sysreg(elr_el1);

	if (kind == 5) { /* IRQ, current EL with SP_ELx */
		gic_handle_irq();
		return;
	}
	if (kind == 4 && exception_expected) {
		/* Expected exceptions come from leaf helpers (hypercall.S): resume at their
		 * return address (x30, saved at regs[19]), whatever ELR the hypervisor chose. */
		exception_expected = false;
		exception_happened = true;
		exception_esr = esr;
		exception_elr = elr;
		exception_far_el1 = read_sysreg(far_el1);
		__asm__ volatile("msr elr_el1, %0" ::"r"(regs[19]));
		return;
	}
	printf("FAIL exception: vector %llu, ESR 0x%llx (EC 0x%llx), ELR 0x%llx, FAR 0x%llx\n",
	       (unsigned long long)kind, (unsigned long long)esr, (unsigned long long)(esr >> 26),
	       (unsigned long long)elr, (unsigned long long)read_sysreg(far_el1));
	guest_shutdown(SHUTDOWN_crash);
}

void guest_start(const void *fdt)
{
	guest_fdt = fdt;
	features_probe();
	guest_main();
	test_finish();
}

__attribute__((weak)) void guest_secondary(uint64_t cpu)
{
	(void)cpu;
}

void guest_secondary_start(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & 0xffffff;

	guest_secondary(mpidr);
	psci_hvc(0x84000002, 0, 0, 0); /* CPU_OFF */
	for (;;)
		__asm__ volatile("wfi");
}
