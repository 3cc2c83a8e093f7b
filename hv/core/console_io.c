/* console_io (xen/include/public/xen.h). Unlike Xen, every domain may write (mapvisor has
 * no console daemon): output is collected per line and printed as "(dN) line", with
 * control characters replaced, so a guest can neither split another's lines nor send
 * escape sequences to the host terminal, nor forge a "(mv)" hypervisor line. */
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
		for (uint32_t i = 0; i < n; i++)
			put_char(d, chunk[i]);
		buf += n;
		count -= n;
	}
	spin_unlock(&d->con_lock);
	return rc;
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
		return 0; /* no console input in mapvisor */
	}
	return -XEN_ENOSYS;
}
