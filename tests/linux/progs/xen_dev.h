/* Small helpers shared by the Linux-side test programs: what they print is read by the
 * scenario runner as "LINUX: key: value" lines. */
#ifndef XEN_DEV_H
#define XEN_DEV_H
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linux's uapi <xen/evtchn.h> and <xen/gntdev.h> use these without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;

static inline void say(const char *fmt, ...)
{
	va_list ap;

	printf("LINUX: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline int fail(const char *what)
{
	say("FAIL %s: %s", what, strerror(errno));
	return 1;
}

#endif
