/* The vpl011's register model through vmmio: flags, data both ways, the interrupt status
 * registers and when the virtual SPI is raised, what unknown or odd accesses get, the SPI
 * clash refusal, and input from the console switch. */
#include "unit.h"
#include "console.h"
#include "vgic.h"
#include "vmmio.h"
#include "vpl011.h"

#define DR 0x00
#define FR 0x18
#define IMSC 0x38
#define RIS 0x3c
#define MIS 0x40
#define ICR 0x44
#define RXFE (1U << 4)
#define RXFF (1U << 6)
#define TXFE (1U << 7)
#define RX (1U << 4)
#define TX (1U << 5)
#define RT (1U << 6)

static struct domain *d;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d = fake_domain(1, false, 0x40000000, 16, false);
	assert_int_equal(vgic_domain_init(d, GUEST_GICD_BASE, GUEST_GICR_BASE), 0);
	assert_int_equal(vpl011_domain_init(d), 0);
	d->vgic.spi_enabled[0] = 1; /* the guest enabled SPI 32 */
	d->vgic.ctlr = 1U << 1;
	return 0;
}

static uint64_t rd(uint64_t off)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vmmio_access(&d->vcpu[0], GUEST_PL011_BASE + off, 4, false, &v),
			 VMMIO_HANDLED);
	return v;
}

static void wr(uint64_t off, uint64_t v)
{
	assert_int_equal(vmmio_access(&d->vcpu[0], GUEST_PL011_BASE + off, 4, true, &v),
			 VMMIO_HANDLED);
}

/* The SPI went pending since the last look (taken off, as a list register would). */
static bool spi_raised(void)
{
	uint8_t prio;
	bool hw = true;
	int intid = vgic_take_deliverable(&d->vcpu[0], &prio, &hw);

	if (intid < 0)
		return false;
	assert_int_equal(intid, GUEST_VPL011_SPI);
	assert_false(hw); /* emulated: no physical interrupt behind it */
	return true;
}

static void transmit(void **state)
{
	(void)state;
	assert_int_equal(rd(FR), TXFE | RXFE);
	assert_int_equal(rd(RIS), TX); /* nothing waits to be sent */
	wr(DR, 'h');
	wr(DR, 'i');
	wr(DR, '\n');
	assert_true(fake_log_contains("(d1) hi\n"));
	assert_false(spi_raised()); /* masked */
	wr(IMSC, TX | 0xf000);
	assert_int_equal(rd(IMSC), TX);
	assert_int_equal(rd(MIS), TX);
	assert_true(spi_raised());
	wr(DR, 'x');
	assert_false(spi_raised()); /* no new status bit: raised once (Xen's rule) */
	wr(IMSC, 0);
	wr(IMSC, TX);
	assert_true(spi_raised()); /* unmasked again: a new bit */
}

static void receive(void **state)
{
	(void)state;
	wr(IMSC, RX | RT);
	vpl011_rx_char(d, 'a');
	assert_true(spi_raised());
	assert_int_equal(rd(FR), TXFE);
	assert_int_equal(rd(MIS), RX | RT);
	vpl011_rx_char(d, 'b');
	assert_false(spi_raised());
	assert_int_equal(rd(DR), 'a');
	assert_int_equal(rd(DR), 'b');
	assert_int_equal(rd(FR), TXFE | RXFE);
	assert_int_equal(rd(MIS), 0);
	assert_int_equal(rd(DR), 0); /* empty: reads 0 */
	for (unsigned i = 0; i < VPL011_RX_FIFO + 5; i++)
		vpl011_rx_char(d, (char)('A' + i % 26));
	assert_int_equal(rd(FR), TXFE | RXFF);
	for (unsigned i = 0; i < VPL011_RX_FIFO; i++)
		assert_int_equal(rd(DR), 'A' + i % 26); /* the overrun was dropped */
	assert_int_equal(rd(FR), TXFE | RXFE);
	wr(ICR, 0x7ff); /* clears nothing that still holds */
	assert_int_equal(rd(RIS), TX);
}

/* Hardware's answers: unimplemented registers read 0 and ignore writes; byte reads of a
 * register's upper bytes are 0; a 64-bit access is refused (a data abort, as Xen's). */
static void odd_accesses(void **state)
{
	uint64_t v = 0x1234;

	(void)state;
	wr(0x24, 0xffff); /* UARTIBRD: fixed on an SBSA UART */
	assert_int_equal(rd(0x24), 0);
	assert_int_equal(rd(0xfe0), 0);
	assert_int_equal(vmmio_access(&d->vcpu[0], GUEST_PL011_BASE + FR + 1, 1, false, &v),
			 VMMIO_HANDLED);
	assert_int_equal(v, 0);
	v = 'z';
	assert_int_equal(vmmio_access(&d->vcpu[0], GUEST_PL011_BASE + DR + 1, 1, true, &v),
			 VMMIO_HANDLED);
	assert_false(fake_log_contains("z"));
	assert_int_equal(vmmio_access(&d->vcpu[0], GUEST_PL011_BASE + FR, 8, false, &v),
			 VMMIO_REFUSED);
}

static void spi_clash_refused(void **state)
{
	struct domain *e;

	(void)state;
	e = fake_domain(2, false, 0x40000000, 16, false);
	assert_int_equal(vgic_domain_init(e, GUEST_GICD_BASE, GUEST_GICR_BASE), 0);
	assert_int_equal(vgic_spi_assign(e, GUEST_VPL011_SPI, false), 0); /* a device's */
	assert_int_equal(vpl011_domain_init(e), -XEN_EBUSY);
	assert_false(e->vpl011.enabled);
}

/* With input switched to it, what is typed arrives in its FIFO, not the console ring. */
static void input_from_switch(void **state)
{
	(void)state;
	console_input_start(); /* d is the only domain: it owns input */
	wr(IMSC, RX);
	console_rx_char('k');
	assert_true(spi_raised());
	assert_int_equal(rd(DR), 'k');
	assert_true(fake_log_contains("console: input to d1, its vpl011"));
}

int run_vpl011_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(transmit, setup),
		cmocka_unit_test_setup(receive, setup),
		cmocka_unit_test_setup(odd_accesses, setup),
		cmocka_unit_test_setup(spi_clash_refused, setup),
		cmocka_unit_test_setup(input_from_switch, setup),
	};
	return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
