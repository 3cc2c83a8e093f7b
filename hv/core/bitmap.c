/* Bit ranges a word at a time: the frame allocator's and the isolation audit's bitmaps,
 * where a domain's RAM is one range of up to a million bits. */
#include "bitmap.h"

/* Bits set in w: the common cases without libgcc's popcount (a call, with general registers
 * only), which a table page's allocation and free would pay on every grant map. */
static uint64_t bits_in(uint64_t w)
{
	if (!(w & (w - 1)))
		return w != 0;
	return w == ~0ULL ? 64 : (uint64_t)__builtin_popcountll(w);
}

/* The bits of word w that fall inside [first, end). */
static uint64_t word_mask(uint64_t w, uint64_t first, uint64_t end)
{
	uint64_t lo = w * 64, mask = ~0ULL;

	if (first > lo)
		mask &= ~0ULL << (first - lo);
	if (end < lo + 64)
		mask &= ~0ULL >> (lo + 64 - end);
	return mask;
}

uint64_t bitmap_fill(uint64_t *map, uint64_t first, uint64_t end, bool set)
{
	uint64_t changed = 0;

	if (first >= end)
		return 0;
	for (uint64_t w = first / 64; w <= (end - 1) / 64; w++) {
		uint64_t mask = word_mask(w, first, end);
		uint64_t flip = set ? mask & ~map[w] : mask & map[w];

		changed += bits_in(flip);
		map[w] ^= flip;
	}
	return changed;
}

uint64_t bitmap_first(const uint64_t *map, uint64_t first, uint64_t end, bool set)
{
	if (first >= end)
		return BITMAP_NONE;
	for (uint64_t w = first / 64; w <= (end - 1) / 64; w++) {
		uint64_t bits = (set ? map[w] : ~map[w]) & word_mask(w, first, end);

		if (bits)
			return w * 64 + (uint64_t)__builtin_ctzll(bits);
	}
	return BITMAP_NONE;
}

uint64_t bitmap_last(const uint64_t *map, uint64_t first, uint64_t end, bool set)
{
	if (first >= end)
		return BITMAP_NONE;
	for (uint64_t w = (end - 1) / 64 + 1; w-- > first / 64;) {
		uint64_t bits = (set ? map[w] : ~map[w]) & word_mask(w, first, end);

		if (bits)
			return w * 64 + 63 - (uint64_t)__builtin_clzll(bits);
	}
	return BITMAP_NONE;
}
