/* The hypervisor's log: every line it prints starts with "(mv) " so that no guest, whose
 * console output is prefixed "(dN) ", can forge one. Levels filter with loglvl=. */
#ifndef HV_LOG_H
#define HV_LOG_H
#include <stdarg.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
void log_set_level(enum log_level lvl);
/* Raw output, already prefixed by the caller (guest console lines). */
void log_raw(const char *s, unsigned long len);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* A hypervisor bug: print and stop the machine (exit status 3). Never for guest input. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
