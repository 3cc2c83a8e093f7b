/* timer: interrupts reach the guest through the virtual GIC. The EL1 virtual timer (PPI 27)
 * fires N times at 1 ms, each reprogrammed from the handler; with two vCPUs, vCPU 0 also
 * sends an SGI that vCPU 1 must receive. Every interrupt is counted, none is invented. */
#include "libguest.h"
#include <arm/psci.h>

#define VTIMER 27
#define TEST_SGI 3

static volatile unsigned ticks, wrong_intid, sgis, cpu1_ready;
static unsigned want_ticks;
static uint64_t period;
static uint8_t stack1[8192] __attribute__((aligned(16)));

static void write_cntv(uint64_t tval, uint64_t ctl)
{
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(tval), "r"(ctl));
}

static void on_timer(unsigned intid)
{
	if (intid != VTIMER)
		wrong_intid++;
	if (++ticks < want_ticks)
		write_cntv(period, 1);
	else
		write_cntv(0, 0); /* disabled: the level drops */
}

static void on_sgi(unsigned intid)
{
	if (intid == TEST_SGI)
		sgis++;
}

void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	if (gic_init_cpu())
		return;
	gic_enable(TEST_SGI, 0x80, on_sgi);
	irqs_on();
	cpu1_ready = 1;
	while (!sgis)
		__asm__ volatile("wfi");
	irqs_off();
}

static bool wait_until(volatile unsigned *v, unsigned want, uint64_t seconds)
{
	uint64_t end = read_cntvct() + seconds * read_cntfrq();

	while (*v < want && read_cntvct() < end)
		__asm__ volatile("wfi");
	return *v >= want;
}

static void sgi_test(void)
{
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));

	if ((int32_t)psci_hvc(PSCI_CPU_ON_64, 1, (uintptr_t)guest_secondary_entry, top) != 0) {
		test_fail("sgi", "CPU_ON failed");
		return;
	}
	for (uint64_t end = read_cntvct() + 5 * read_cntfrq(); !cpu1_ready && read_cntvct() < end;)
		;
	gic_send_sgi(TEST_SGI, 1);
	for (uint64_t end = read_cntvct() + 5 * read_cntfrq(); !sgis && read_cntvct() < end;)
		;
	if (sgis == 1)
		test_pass("sgi-to-vcpu1");
	else
		test_fail("sgi-to-vcpu1", "vCPU 1 saw %u SGIs (ready %u)", sgis, cpu1_ready);
}

void guest_main(void)
{
	want_ticks = (unsigned)bootarg_u64("ticks", 5);
	if (gic_init_cpu()) {
		test_fail("gic-init", "no GICv3 node or redistributor in the DT");
		return;
	}
	test_pass("gic-init");
	gic_enable(VTIMER, 0x80, on_timer);
	period = read_cntfrq() / 1000;
	irqs_on();
	write_cntv(period, 1);
	if (wait_until(&ticks, want_ticks, 5) && !wrong_intid) {
		printf("timer: %u virtual timer interrupts\n", ticks);
		test_pass("vtimer-interrupts");
	} else {
		test_fail("vtimer-interrupts", "%u of %u, %u with a wrong INTID", ticks, want_ticks,
			  wrong_intid);
	}
	irqs_off();
	if (bootarg_is("sgi", "1"))
		sgi_test();
}
