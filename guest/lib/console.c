/* printf over console_io(CONSOLEIO_write): the hypervisor collects lines and prefixes them
 * "(dN) ". Each call formats into a buffer first so a line goes out in one hypercall. */
#include "libguest.h"
#include <format.h>

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	HYPERVISOR_console_io(CONSOLEIO_write, (unsigned)n, buf);
	return n;
}

_Noreturn void guest_shutdown(unsigned reason)
{
	struct sched_shutdown s = {.reason = reason};

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	/* Only reached if the hypervisor refused: try PSCI, then stop here. */
	psci_hvc(0x84000008, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
