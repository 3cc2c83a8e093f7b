/* Freestanding string functions. They also run with the MMU off (Device memory: no
 * unaligned access), so they only ever use byte or naturally aligned 8-byte accesses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 64 bytes a step: eight loads, then eight stores, which the compiler pairs (ldp/stp), about
 * a quarter of the instructions of a word-by-word loop. The hypervisor copies dom0's kernel
 * and initramfs (tens of MiB) with this at boot. */
static inline void copy_64_bytes(unsigned char *d, const unsigned char *s)
{
	const uint64_t *from = (const void *)s;
	uint64_t *to = (void *)d;
	uint64_t w0 = from[0], w1 = from[1], w2 = from[2], w3 = from[3];
	uint64_t w4 = from[4], w5 = from[5], w6 = from[6], w7 = from[7];

	to[0] = w0;
	to[1] = w1;
	to[2] = w2;
	to[3] = w3;
	to[4] = w4;
	to[5] = w5;
	to[6] = w6;
	to[7] = w7;
}

/* Upwards, each step's loads before its stores: a step's stores land below what later
 * steps load, so memmove may use it for a destination below the source however the two
 * overlap (the DT writer's dt_finish moves the strings block down this way). Inlined into
 * both: memcpy is on every hypercall argument's copy. */
static inline __attribute__((always_inline)) void copy_up(unsigned char *d, const unsigned char *s,
							  size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--) /* to the alignment both share */
			*d++ = *s++;
		for (; n >= 64; n -= 64, d += 64, s += 64)
			copy_64_bytes(d, s);
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_up(dst, src, n);
	return dst;
}

/* 64 bytes a step in memmove and memset too, for the hypervisor, which zeroes and moves
 * whole device-tree buffers at boot (and in unit tests); guests keep the shorter loops, so
 * their images, whose sizes the boot log prints, do not change with it. */
#if defined(MAPVISOR_HV) || defined(MAPVISOR_HOST_TEST)
#define WIDE_STEPS
#endif

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
#ifdef WIDE_STEPS
		copy_up(d, s, n);
#else
		while (n--)
			*d++ = *s++;
#endif
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = 0x0101010101010101ULL * (unsigned char)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
#ifdef WIDE_STEPS
	for (; n >= 64; n -= 64, d += 64) { /* paired stores (stp), as memcpy's */
		uint64_t *w = (void *)d;

		w[0] = word;
		w[1] = word;
		w[2] = word;
		w[3] = word;
		w[4] = word;
		w[5] = word;
		w[6] = word;
		w[7] = word;
	}
#endif
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)(void *)d = word;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Saturates at ULONG_MAX on overflow, as the C library does (errno aside). */
unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int overflow = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*s) < base; s++) {
		unsigned long d = (unsigned long)digit_value(*s);

		if (v > (~0UL - d) / (unsigned long)base)
			overflow = 1;
		v = v * (unsigned long)base + d;
	}
	if (end)
		*end = (char *)s;
	return overflow ? ~0UL : v;
}
