/* The hypervisor's log: every line it prints starts with "(mv) " so that no guest can forge
 * one: domUs' console output is prefixed "(dN) ", dom0's is raw but never starts a line
 * with "(mv)". Levels filter with loglvl=. */
#ifndef HV_LOG_H
#define HV_LOG_H
#include <stdarg.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
void log_set_level(enum log_level lvl);
/* Whole lines, already prefixed by the caller (domUs' console lines): started on a fresh
 * console line if the last output left one open. */
void log_raw(const char *s, unsigned long len);
/* dom0's console, raw as Xen prints the hardware domain's: partial lines, control
 * characters and escapes pass, except that a console line cannot start with "(mv)" (it is
 * written "(d0) (mv)"; up to 3 bytes wait for the next call to tell). */
void log_raw_stream(const char *s, unsigned long len);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* A hypervisor bug: print and stop the machine (exit status 3). Never for guest input. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
