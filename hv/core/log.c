/* The hypervisor log. Lines are formatted whole, then written under one lock, so lines from
 * several CPUs never interleave. */
#include "arch.h"
#include "log.h"
#include "spinlock.h"
#include <format.h>

static spinlock_t log_lock;
static enum log_level log_level = LOG_INFO;

static const char *const level_prefix[] = {
	[LOG_ERR] = "(mv) ERROR: ",
	[LOG_WARN] = "(mv) WARNING: ",
	[LOG_INFO] = "(mv) ",
	[LOG_DEBUG] = "(mv) ",
};

void log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

void log_raw(const char *s, unsigned long len)
{
	spin_lock(&log_lock);
	arch_console_write(s, len);
	spin_unlock(&log_lock);
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[512]; /* the longest refusal (reason + fix) fits */
	int n;

	if (lvl > log_level)
		return;
	n = snprintf(line, sizeof(line), "%s", level_prefix[lvl]);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	log_raw(line, (unsigned long)n);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap);
	va_end(ap);
	log_msg(LOG_ERR, "hypervisor panic: stopping the machine");
	arch_poweroff(3);
}
