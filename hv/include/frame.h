/* Frame numbers and guest addresses as distinct types (Xen's TYPE_SAFE, Hafnium's addr.h):
 * a one-member struct each, so a guest frame cannot be passed where a machine frame or an
 * address is meant, and every conversion is named. paddr_t stays the plain integer the
 * table code (pt.c) and the frame allocator work in. */
#ifndef HV_FRAME_H
#define HV_FRAME_H
#include "types.h"

typedef struct {
	uint64_t gfn;
} gfn_t; /* guest frame number: an intermediate physical address >> PAGE_SHIFT */
typedef struct {
	uint64_t mfn;
} mfn_t; /* machine frame number: a machine address >> PAGE_SHIFT */
typedef struct {
	uint64_t gpa;
} gpa_t; /* guest physical (intermediate physical) address */

#define INVALID_GFN_RAW (~0ULL) /* what a guest reads for "not mapped" (Xen's INVALID_GFN) */
#define INVALID_GFN ((gfn_t){INVALID_GFN_RAW})

static inline gfn_t _gfn(uint64_t g)
{
	return (gfn_t){g};
}

static inline uint64_t gfn_x(gfn_t g)
{
	return g.gfn;
}

static inline mfn_t _mfn(uint64_t m)
{
	return (mfn_t){m};
}

static inline uint64_t mfn_x(mfn_t m)
{
	return m.mfn;
}

static inline gpa_t _gpa(uint64_t a)
{
	return (gpa_t){a};
}

static inline uint64_t gpa_x(gpa_t a)
{
	return a.gpa;
}

static inline bool gfn_eq(gfn_t a, gfn_t b)
{
	return a.gfn == b.gfn;
}

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return a.mfn == b.mfn;
}

static inline gpa_t gfn_to_gpa(gfn_t g)
{
	return _gpa(g.gfn << PAGE_SHIFT);
}

static inline gfn_t gpa_to_gfn(gpa_t a)
{
	return _gfn(a.gpa >> PAGE_SHIFT);
}

static inline paddr_t mfn_to_maddr(mfn_t m)
{
	return m.mfn << PAGE_SHIFT;
}

static inline mfn_t maddr_to_mfn(paddr_t ma)
{
	return _mfn(ma >> PAGE_SHIFT);
}

/* The 1:1 view of a direct-mapped domain: the guest frame at the same number. */
static inline gfn_t mfn_to_gfn_1to1(mfn_t m)
{
	return _gfn(m.mfn);
}

#endif
