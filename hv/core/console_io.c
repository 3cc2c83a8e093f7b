/* console_io (xen/include/public/xen.h). Unlike Xen, every domain may write (mapvisor has
 * no console daemon). dom0's output is raw, as Xen prints the hardware domain's (log.c keeps
 * it from starting a line with "(mv)"); a domU's is collected per line and printed as
 * "(dN) line", with control characters replaced, so a domU can neither split another's
 * lines nor send escape sequences to the host terminal, nor forge a "(mv)" hypervisor line.
 * Reads follow Xen's rules (console.h has who may read). */
#include "console.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include <format.h>
#include <xen/xen.h>

static void flush_line(struct domain *d)
{
	char out[sizeof(d->con_line) + 16];
	int n = snprintf(out, sizeof(out), "(d%u) ", d->id);

	for (unsigned i = 0; i < d->con_len; i++)
		out[n++] = d->con_line[i];
	out[n++] = '\n';
	log_raw(out, (unsigned long)n);
	d->con_len = 0;
}

static void put_char(struct domain *d, char c)
{
	if (d->hardware) {
		log_raw_stream(&c, 1);
		return;
	}
	if (c == '\n') {
		flush_line(d);
		return;
	}
	if (c == '\r')
		return;
	if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
		c = c == '\t' ? ' ' : '.';
	d->con_line[d->con_len++] = c;
	if (d->con_len == sizeof(d->con_line) - 1)
		flush_line(d);
}

void console_domain_putc(struct domain *d, char c)
{
	spin_lock(&d->con_lock);
	put_char(d, c);
	spin_unlock(&d->con_lock);
}

static long console_write(struct vcpu *v, uint64_t buf, uint32_t count)
{
	struct domain *d = v->d;
	char chunk[128];
	long rc = 0;

	spin_lock(&d->con_lock);
	while (count) {
		uint32_t n = MIN(count, (uint32_t)sizeof(chunk));

		if (copy_from_guest(v, chunk, buf, n)) {
			rc = -XEN_EFAULT;
			break;
		}
		if (d->hardware) /* raw: partial lines reach the console at once */
			log_raw_stream(chunk, n);
		else
			for (uint32_t i = 0; i < n; i++)
				put_char(d, chunk[i]);
		buf += n;
		count -= n;
	}
	spin_unlock(&d->con_lock);
	return rc;
}

/* The ring holds at most CONSOLE_RX_RING characters, so one chunk reads it all. */
static long console_read(struct vcpu *v, uint64_t buf, uint32_t count)
{
	char chunk[CONSOLE_RX_RING];
	long n = console_input_peek(v->d, chunk, MIN(count, (uint32_t)sizeof(chunk)));

	if (n <= 0)
		return n;
	if (copy_to_guest(v, buf, chunk, (size_t)n))
		return -XEN_EFAULT; /* as Xen: what was not copied stays in the ring */
	console_input_consume(v->d, (unsigned)n);
	return n;
}

long do_console_io(struct vcpu *v, const uint64_t a[5])
{
	uint32_t cmd = (uint32_t)a[0], count = (uint32_t)a[1];

	switch (cmd) {
	case CONSOLEIO_write:
		return console_write(v, a[2], count);
	case CONSOLEIO_read:
		/* Xen: the result is a count, so counts that look negative are refused. */
		if ((int32_t)count < 0)
			return -XEN_E2BIG;
		return console_read(v, a[2], count);
	}
	return -XEN_ENOSYS;
}
