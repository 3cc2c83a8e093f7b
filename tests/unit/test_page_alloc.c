/* The frame allocator: reservations, alignment, fixed addresses, exhaustion, and a
 * randomized property test (no frame handed out twice; counts always add up). */
#include "unit.h"
#include "bitmap.h"
#include <stdlib.h>
#include <string.h>

#define FRAMES 4096 /* 16 MiB */
#define BASE 0x80000000ULL

static uint64_t bitmap[FRAMES / 64];
static struct page_alloc pa;

static int setup(void **state)
{
	(void)state;
	page_alloc_init(&pa, BASE, FRAMES, bitmap);
	page_alloc_add_free(&pa, BASE, (uint64_t)FRAMES << PAGE_SHIFT);
	return 0;
}

static void reserve_and_free_ranges(void **state)
{
	(void)state;
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES);
	page_alloc_reserve(&pa, BASE + 0x1800, 0x1000); /* straddles 2 frames: both reserved */
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES - 2);
	assert_false(page_is_free(&pa, BASE + 0x1000));
	assert_false(page_is_free(&pa, BASE + 0x2000));
	page_alloc_add_free(&pa, BASE + 0x1800, 0x1000); /* partial frames are not RAM */
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES - 2);
	/* clipped to the span: frames 0-15, two of which were already reserved */
	page_alloc_reserve(&pa, BASE - 0x10000, 0x20000);
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES - 16);
	page_alloc_reserve(&pa, 0, 0);
	page_alloc_reserve(&pa, ~0ULL - 10, 100); /* wraps: ignored */
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES - 16);
}

static void contig_alignment_and_top_down(void **state)
{
	paddr_t a, b;

	(void)state;
	a = page_alloc_contig(&pa, 512, 512);
	assert_int_equal(a, BASE + (uint64_t)(FRAMES - 512) * PAGE_SIZE);
	b = page_alloc_contig(&pa, 3, 4);
	assert_true(IS_ALIGNED(b, 4 * PAGE_SIZE));
	assert_true(b < a);
	assert_int_equal(page_alloc_contig(&pa, 0, 1), INVALID_PADDR);
	assert_int_equal(page_alloc_contig(&pa, 1, 3), INVALID_PADDR); /* not a power of two */
	assert_int_equal(page_alloc_contig(&pa, FRAMES + 1, 1), INVALID_PADDR);
}

static void fixed_addresses(void **state)
{
	(void)state;
	assert_int_equal(page_alloc_fixed(&pa, BASE + 0x10000, 4), 0);
	assert_int_equal(page_alloc_fixed(&pa, BASE + 0x12000, 4), -XEN_EBUSY);
	assert_int_equal(page_alloc_fixed(&pa, BASE + 0x10800, 1), -XEN_EINVAL);
	assert_int_equal(page_alloc_fixed(&pa, BASE - PAGE_SIZE, 1), -XEN_EINVAL);
	assert_int_equal(page_alloc_fixed(&pa, BASE + (uint64_t)FRAMES * PAGE_SIZE, 1),
			 -XEN_EINVAL);
	assert_int_equal(page_alloc_fixed(&pa, BASE + (uint64_t)(FRAMES - 1) * PAGE_SIZE, 2),
			 -XEN_EINVAL);
	page_free(&pa, BASE + 0x10000, 4);
	assert_int_equal(page_alloc_fixed(&pa, BASE + 0x12000, 4), 0);
}

static void exhaustion_and_merge(void **state)
{
	paddr_t got[FRAMES];

	(void)state;
	for (unsigned i = 0; i < FRAMES; i++) {
		got[i] = page_alloc_contig(&pa, 1, 1);
		assert_true(got[i] != INVALID_PADDR);
	}
	assert_int_equal(page_alloc_contig(&pa, 1, 1), INVALID_PADDR);
	assert_int_equal(page_alloc_nr_free(&pa), 0);
	/* free every other frame: lots free, nothing contiguous */
	for (unsigned i = 0; i < FRAMES; i += 2)
		page_free(&pa, got[i], 1);
	assert_int_equal(page_alloc_nr_free(&pa), FRAMES / 2);
	assert_int_equal(page_alloc_contig(&pa, 2, 1), INVALID_PADDR);
	for (unsigned i = 1; i < FRAMES; i += 2)
		page_free(&pa, got[i], 1);
	/* everything merged back: the whole span in one piece */
	assert_int_equal(page_alloc_contig(&pa, FRAMES, FRAMES), BASE);
}

static bool free_run_exists(const bool *used, uint64_t n, uint64_t align)
{
	for (uint64_t f = 0; f + n <= FRAMES; f += align) {
		uint64_t i = 0;

		while (i < n && !used[f + i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* Thousands of random contiguous and fixed allocations and frees against a shadow map: no
 * frame is handed out twice, alignment holds, the free count is exact, and an allocation
 * fails only when no suitable free run exists. */
static void randomized_property(void **state)
{
	static bool used[FRAMES];
	struct {
		paddr_t at;
		uint64_t n;
	} live[256];
	unsigned nlive = 0;
	uint64_t nr_used = 0;

	(void)state;
	srand(12345);
	memset(used, 0, sizeof(used));
	for (int op = 0; op < 20000; op++) {
		if (nlive < 256 && (nlive == 0 || rand() % 3)) {
			uint64_t n = 1 + (uint64_t)(rand() % 40), align = 1ULL << (rand() % 5);
			paddr_t at;

			if (rand() % 4) {
				at = page_alloc_contig(&pa, n, align);
				if (at == INVALID_PADDR) {
					assert_false(free_run_exists(used, n, align));
					continue;
				}
			} else {
				at = BASE + (uint64_t)(rand() % FRAMES) * PAGE_SIZE;
				align = 1;
				if (page_alloc_fixed(&pa, at, n)) {
					uint64_t f0 = (at - BASE) >> PAGE_SHIFT;
					bool busy = f0 + n > FRAMES;

					for (uint64_t i = 0; !busy && i < n; i++)
						busy = used[f0 + i];
					assert_true(busy);
					continue;
				}
			}
			assert_true(IS_ALIGNED(at, align * PAGE_SIZE));
			for (uint64_t i = 0; i < n; i++) {
				uint64_t f = ((at - BASE) >> PAGE_SHIFT) + i;

				if (used[f])
					fail_msg("frame %llu handed out twice", (unsigned long long)f);
				used[f] = true;
			}
			live[nlive].at = at;
			live[nlive++].n = n;
			nr_used += n;
		} else {
			unsigned k = (unsigned)rand() % nlive;

			for (uint64_t i = 0; i < live[k].n; i++)
				used[((live[k].at - BASE) >> PAGE_SHIFT) + i] = false;
			page_free(&pa, live[k].at, live[k].n);
			nr_used -= live[k].n;
			live[k] = live[--nlive];
		}
		assert_int_equal(page_alloc_nr_free(&pa), FRAMES - nr_used);
	}
}

/* bitmap.c's word-at-a-time ranges against one bit at a time: random fills and clears,
 * the changed-bit counts, and the highest set and clear bit of random ranges, including
 * ranges within one word, on word edges and empty ones. */
static void bitmap_ranges_match_bits(void **state)
{
	enum { BITS = 64 * 9 };
	static uint64_t map[BITS / 64];
	static bool model[BITS];

	(void)state;
	memset(map, 0, sizeof(map));
	memset(model, 0, sizeof(model));
	srand(7);
	for (int round = 0; round < 20000; round++) {
		uint64_t a = (uint64_t)rand() % (BITS + 1), b = (uint64_t)rand() % (BITS + 1);
		uint64_t first = MIN(a, b), end = MAX(a, b), want = BITMAP_NONE, changed = 0;
		bool set = rand() & 1;

		if (round % 3 == 0) {
			for (uint64_t i = first; i < end; i++) {
				changed += model[i] != set;
				model[i] = set;
			}
			assert_int_equal(bitmap_fill(map, first, end, set), changed);
		}
		uint64_t low = BITMAP_NONE;

		for (uint64_t i = first; i < end; i++)
			if (model[i] == set) {
				want = i;
				low = low == BITMAP_NONE ? i : low;
			}
		assert_int_equal(bitmap_last(map, first, end, set), want);
		assert_int_equal(bitmap_first(map, first, end, set), low);
	}
	for (unsigned i = 0; i < BITS; i++)
		assert_int_equal((map[i / 64] >> (i % 64)) & 1, model[i]);
}

int run_page_alloc_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(reserve_and_free_ranges, setup),
		cmocka_unit_test_setup(contig_alignment_and_top_down, setup),
		cmocka_unit_test_setup(fixed_addresses, setup),
		cmocka_unit_test_setup(exhaustion_and_merge, setup),
		cmocka_unit_test_setup(randomized_property, setup),
		cmocka_unit_test(bitmap_ranges_match_bits),
	};
	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
