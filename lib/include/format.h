/* printf-style formatting shared by the hypervisor's log and libguest's console.
 * Supports %d %i %u %x %X %p %s %c %%, flags '-' '0', width, precision
 * (strings only) and l/ll/z/h lengths. */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*format_out_fn)(char c, void *arg);

int vformat(format_out_fn out, void *arg, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
