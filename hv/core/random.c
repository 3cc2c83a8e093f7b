/* Boot-time random numbers for guests' KASLR and RNG seeds: the firmware's seed (/chosen
 * rng-seed, kaslr-seed) stirred with the counter at each draw, through splitmix64. Not a
 * cryptographic generator: it only keeps domains from sharing one seed and one boot from
 * repeating the last (a dumped DTB carries the same firmware seed every time). */
#include "arch.h"
#include "random.h"

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void random_stir(const void *bytes, size_t len)
{
	const uint8_t *b = bytes;

	for (size_t i = 0; i < len; i++)
		state = mix(state ^ ((uint64_t)b[i] << (8 * (i % 8))));
}

uint64_t random_u64(void)
{
	state += 0x9e3779b97f4a7c15ULL ^ arch_counter();
	return mix(state);
}
