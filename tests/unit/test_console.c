/* The serial console: dom0's raw output and the "(mv)" guard, domUs' prefixed lines, the
 * input ring and CONSOLEIO_read with Xen's rules, VIRQ_CONSOLE per character, and the
 * Ctrl-A switch (three in a row switch; fewer are delivered as typed). */
#include "unit.h"
#include "console.h"
#include "hypercall.h"
#include "log.h"
#include "shared_info.h"
#include <xen/event_channel.h>
#include <xen/xen.h>

#define ARG 0x100
static struct domain *d0, *d1, *d2;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 16, true);
	d1 = fake_domain(1, false, 0x40000000, 16, false);
	d2 = fake_domain(2, false, 0x40000000, 16, false);
	log_raw_stream("\n", 1); /* a fresh console line, whatever an earlier test left */
	console_input_start();
	fake_log_clear();
	return 0;
}

static long con(struct domain *d, unsigned cmd, const char *text, uint32_t count)
{
	const uint64_t a[5] = {cmd, count, d->ram[0].gpa + ARG, 0, 0};

	if (text)
		memcpy(maddr_to_virt(d->ram[0].maddr + ARG), text, count);
	return hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_console_io, a);
}

static const char *read_back(struct domain *d)
{
	return maddr_to_virt(d->ram[0].maddr + ARG);
}

static void type(const char *s)
{
	for (; *s; s++)
		console_rx_char(*s);
}

static bool virq_pending(struct domain *d, unsigned port)
{
	return domain_shared_info(d)->evtchn_pending[0] & (1ULL << port);
}

static unsigned bind_console_virq(struct domain *d)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_CONSOLE, .vcpu = 0};
	const uint64_t a[5] = {EVTCHNOP_bind_virq, d->ram[0].gpa + ARG, 0, 0, 0};

	memcpy(maddr_to_virt(d->ram[0].maddr + ARG), &bv, sizeof(bv));
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_event_channel_op, a), 0);
	memcpy(&bv, maddr_to_virt(d->ram[0].maddr + ARG), sizeof(bv));
	return bv.port;
}

/* dom0 is raw: partial lines at once, control characters kept, no prefix, no wrapping. */
static void dom0_output_raw(void **state)
{
	char long_line[300];

	(void)state;
	assert_int_equal(con(d0, CONSOLEIO_write, "$ ls\x1b[K", 7), 0);
	assert_string_equal(fake_log(), "$ ls\x1b[K");
	memset(long_line, 'x', sizeof(long_line));
	long_line[sizeof(long_line) - 1] = '\n';
	con(d0, CONSOLEIO_write, long_line, sizeof(long_line));
	assert_int_equal(strlen(fake_log()), 7 + sizeof(long_line));
	assert_false(fake_log_contains("(d0)"));
}

/* Hypervisor and domU lines start on a fresh console line even after dom0's partial one;
 * dom0 cannot start a console line with "(mv)", at a write's start, after '\n' or '\r', or
 * split over writes; "(mv)" elsewhere in a line, and other text starting '(', pass. */
static void no_forged_hypervisor_line(void **state)
{
	(void)state;
	con(d0, CONSOLEIO_write, "partial", 7);
	log_info("hello");
	assert_string_equal(fake_log(), "partial\n(mv) hello\n");
	fake_log_clear();
	con(d0, CONSOLEIO_write, "(mv) ERROR: fake\n", 17);
	con(d0, CONSOLEIO_write, "ok\r(mv) x\n", 10);
	assert_string_equal(fake_log(), "(d0) (mv) ERROR: fake\nok\r(d0) (mv) x\n");
	fake_log_clear();
	con(d0, CONSOLEIO_write, "(m", 2);
	assert_string_equal(fake_log(), ""); /* held: it may still become "(mv)" */
	con(d0, CONSOLEIO_write, "v) split\n", 9);
	con(d0, CONSOLEIO_write, "(maybe) not (mv) y\n", 19);
	assert_string_equal(fake_log(), "(d0) (mv) split\n(maybe) not (mv) y\n");
	fake_log_clear();
	con(d1, CONSOLEIO_write, "(mv) fake\n", 10);
	assert_string_equal(fake_log(), "(d1) (mv) fake\n");
}

static void read_rules(void **state)
{
	(void)state;
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 0x80000000U), -XEN_E2BIG);
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 16), 0);		 /* empty */
	assert_int_equal(con(d1, CONSOLEIO_read, NULL, 16), -XEN_EPERM); /* not the owner */
	type("ls\n");
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 2), 2);
	assert_memory_equal(read_back(d0), "ls", 2);
	/* a bad buffer: -EFAULT, and the character stays for the next read (Xen's order) */
	const uint64_t bad[5] = {CONSOLEIO_read, 16, 0x7f000000, 0, 0};
	assert_int_equal(hypercall_dispatch(&d0->vcpu[0], __HYPERVISOR_console_io, bad),
			 -XEN_EFAULT);
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 16), 1);
	assert_memory_equal(read_back(d0), "\n", 1);
}

/* Xen's ring: 128 characters; more are dropped, but the owner is still told. */
static void ring_full_and_virq(void **state)
{
	unsigned port;
	char all[200];

	(void)state;
	port = bind_console_virq(d0);
	type("a");
	assert_true(virq_pending(d0, port));
	domain_shared_info(d0)->evtchn_pending[0] = 0;
	for (unsigned i = 0; i < 150; i++)
		console_rx_char((char)('0' + i % 10));
	assert_true(virq_pending(d0, port));
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, sizeof(all)), CONSOLE_RX_RING);
	assert_memory_equal(read_back(d0), "a0123", 5);
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, sizeof(all)), 0);
}

/* Ctrl-A three times: to the next running domain, wrapping, with a log line; one or two
 * Ctrl-As then another key are delivered as typed; a switch empties the ring. */
static void ctrl_a_switch(void **state)
{
	unsigned port1 = bind_console_virq(d1);

	(void)state;
	assert_ptr_equal(console_input_owner(), d0);
	type("\x01\x01x");
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 16), 3);
	assert_memory_equal(read_back(d0), "\x01\x01x", 3);
	type("left\x01\x01\x01");
	assert_ptr_equal(console_input_owner(), d1);
	assert_true(fake_log_contains("(mv) console: input to d1, CONSOLEIO_read (type Ctrl-A "
				      "three times to switch input)\n"));
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 16), 0); /* dom0: 0, not -EPERM */
	type("hi");
	assert_true(virq_pending(d1, port1));
	assert_int_equal(con(d1, CONSOLEIO_read, NULL, 16), 2);
	assert_memory_equal(read_back(d1), "hi", 2);
	d2->state = DOMAIN_SHUTDOWN; /* stopped domains are skipped */
	type("\x01\x01\x01");
	assert_ptr_equal(console_input_owner(), d0);
	assert_int_equal(con(d0, CONSOLEIO_read, NULL, 16), 0); /* "left" went with the switch */
	assert_int_equal(con(d2, CONSOLEIO_read, NULL, 16), -XEN_EPERM);
}

int run_console_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(dom0_output_raw, setup),
		cmocka_unit_test_setup(no_forged_hypervisor_line, setup),
		cmocka_unit_test_setup(read_rules, setup),
		cmocka_unit_test_setup(ring_full_and_virq, setup),
		cmocka_unit_test_setup(ctrl_a_switch, setup),
	};
	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
