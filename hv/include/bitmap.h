/* Ranges of bits in a bitmap of 64-bit words (bitmap.c): whole words at a time where a
 * range covers them, so marking a GiB of frames costs thousands of steps, not millions.
 * Ranges are [first, end) bit indices; first <= end. */
#ifndef HV_BITMAP_H
#define HV_BITMAP_H
#include "types.h"

#define BITMAP_NONE UINT64_MAX

/* Sets (or clears) every bit of the range; returns how many bits changed. */
uint64_t bitmap_fill(uint64_t *map, uint64_t first, uint64_t end, bool set);
/* The lowest bit of the range that is set (or clear), or BITMAP_NONE. */
uint64_t bitmap_first(const uint64_t *map, uint64_t first, uint64_t end, bool set);
/* The highest bit of the range that is set (or clear), or BITMAP_NONE. */
uint64_t bitmap_last(const uint64_t *map, uint64_t first, uint64_t end, bool set);

#endif
