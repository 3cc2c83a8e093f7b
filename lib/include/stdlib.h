/* Freestanding subset of stdlib.h: what libfdt and the option parser need. */
#ifndef LIB_STDLIB_H
#define LIB_STDLIB_H
#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
#endif
