/* Test parameters come through the kernel command line (/chosen/bootargs), as they would
 * for Linux: space-separated key=value words. */
#include "libguest.h"
#include <stdlib.h>
#include <string.h>

static const char *bootargs(void)
{
	int len;
	const char *s = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/chosen"), "bootargs", &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : "";
}

/* The value of key=..., up to the next space, in a static buffer; NULL if absent. */
const char *bootarg(const char *key)
{
	static char val[64];
	size_t klen = strlen(key);

	for (const char *p = bootargs(); *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = 0;

			p += klen + 1;
			while (p[n] && p[n] != ' ' && n + 1 < sizeof(val))
				n++;
			memcpy(val, p, n);
			val[n] = '\0';
			return val;
		}
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool bootarg_is(const char *key, const char *value)
{
	const char *v = bootarg(key);

	return v && !strcmp(v, value);
}

uint64_t bootarg_u64(const char *key, uint64_t dflt)
{
	const char *v = bootarg(key);

	return v ? strtoul(v, NULL, 0) : dflt;
}
