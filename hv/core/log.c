/* The hypervisor log. Lines are formatted whole, then written under one lock, so lines from
 * several CPUs never interleave. The lock also guards what the console shows last: a whole
 * line (the hypervisor's, a domU's) always starts at the beginning of one, even after dom0's
 * raw output left a line unfinished, and dom0's raw output can never begin a line with
 * "(mv)" (log_raw_stream), so every line that starts with "(mv)" is the hypervisor's. A
 * line ends at '\n' or '\r' (a terminal, and the test runner, start a new one at either). */
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

static const char hv_prefix[] = "(mv)";
#define HV_PREFIX_LEN (sizeof(hv_prefix) - 1)

static char last_out = '\n'; /* the last byte written to the console */
static unsigned stream_held; /* dom0 bytes matching "(mv)" so far, not yet written */

static void emit(const char *s, unsigned long len)
{
	if (!len)
		return;
	arch_console_write(s, len);
	last_out = s[len - 1];
}

static bool at_line_start(void)
{
	return last_out == '\n' || last_out == '\r';
}

void log_raw(const char *s, unsigned long len)
{
	spin_lock(&log_lock);
	if (last_out != '\n')
		emit("\n", 1); /* dom0 left a line open: ours starts on a fresh one */
	emit(s, len);
	spin_unlock(&log_lock);
}

/* One byte of dom0's stream at the start of a console line: held while it may still become
 * "(mv)"; a complete "(mv)" is written as "(d0) (mv)", so it reads as dom0's. */
static void stream_line_start(char c)
{
	if (c == hv_prefix[stream_held]) {
		if (++stream_held < HV_PREFIX_LEN)
			return;
		emit("(d0) ", 5);
		emit(hv_prefix, HV_PREFIX_LEN);
		stream_held = 0;
		return;
	}
	emit(hv_prefix, stream_held); /* not "(mv)": what was held, then c, as they came */
	stream_held = 0;
	emit(&c, 1);
}

void log_raw_stream(const char *s, unsigned long len)
{
	unsigned long from = 0;

	spin_lock(&log_lock);
	for (unsigned long i = 0; i < len; i++) {
		bool line_start = i > from ? s[i - 1] == '\n' || s[i - 1] == '\r' : at_line_start();

		if (!stream_held && !line_start)
			continue; /* mid-line: written with the rest of the run, below */
		emit(s + from, i - from);
		stream_line_start(s[i]);
		from = i + 1;
	}
	emit(s + from, len - from);
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
