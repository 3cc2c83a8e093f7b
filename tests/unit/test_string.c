/* lib/string.c, the hypervisor's and guests' own memcpy, memmove and memset, against the
 * host's: every alignment of source and destination (and overlap, for memmove) and every
 * length around their 8- and 64-byte steps.
 * Its functions are renamed here so that they do not replace the host C library's. */
#include "unit.h"

#define memcpy lib_memcpy
#define memmove lib_memmove
#define memset lib_memset
#define memcmp lib_memcmp
#define memchr lib_memchr
#define strlen lib_strlen
#define strnlen lib_strnlen
#define strcmp lib_strcmp
#define strncmp lib_strncmp
#define strchr lib_strchr
#define strrchr lib_strrchr
#define strtoul lib_strtoul
#include "../../lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp

enum { GUARD = 16, MAX_LEN = 300 };

static void memcpy_every_alignment_and_length(void **state)
{
	static unsigned char src[MAX_LEN + 2 * GUARD], dst[MAX_LEN + 2 * GUARD],
		want[MAX_LEN + 2 * GUARD];

	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (unsigned so = 0; so < 16; so++)
		for (unsigned dof = 0; dof < 16; dof++)
			for (size_t n = 0; n + dof + GUARD <= MAX_LEN; n++) {
				memset(dst, 0xee, sizeof(dst));
				memcpy(want, dst, sizeof(dst));
				memcpy(want + GUARD + dof, src + so, n);
				assert_ptr_equal(lib_memcpy(dst + GUARD + dof, src + so, n),
						 dst + GUARD + dof);
				/* the bytes copied, and none before or after them */
				assert_memory_equal(dst, want, sizeof(dst));
			}
}

static void memcpy_large_copy(void **state)
{
	enum { LEN = 3 * 4096 + 77 };
	unsigned char *src = malloc(LEN + 8), *dst = calloc(1, LEN + 8);

	(void)state;
	for (size_t i = 0; i < LEN + 8; i++)
		src[i] = (unsigned char)(i ^ (i >> 8));
	lib_memcpy(dst + 3, src + 3, LEN);
	assert_memory_equal(dst + 3, src + 3, LEN);
	assert_int_equal(dst[2], 0);
	assert_int_equal(dst[LEN + 3], 0);
	free(src);
	free(dst);
}

static void memset_every_alignment_and_length(void **state)
{
	static unsigned char dst[MAX_LEN + 2 * GUARD], want[MAX_LEN + 2 * GUARD];

	(void)state;
	for (unsigned dof = 0; dof < 16; dof++)
		for (size_t n = 0; n + dof + GUARD <= MAX_LEN; n++) {
			memset(dst, 0xee, sizeof(dst));
			memcpy(want, dst, sizeof(dst));
			memset(want + GUARD + dof, 0x5a, n);
			assert_ptr_equal(lib_memset(dst + GUARD + dof, 0x15a, n),
					 dst + GUARD + dof);
			assert_memory_equal(dst, want, sizeof(dst));
		}
}

/* Within one buffer: the source and destination overlap, in either order, by any amount. */
static void memmove_every_overlap_and_length(void **state)
{
	static unsigned char buf[2 * MAX_LEN + 2 * GUARD], want[2 * MAX_LEN + 2 * GUARD];

	(void)state;
	for (unsigned so = 0; so < 80; so++)
		for (unsigned dof = 0; dof < 80; dof++)
			for (size_t n = 0; n <= 200; n += n < 70 ? 1 : 13) {
				for (size_t i = 0; i < sizeof(buf); i++)
					buf[i] = (unsigned char)(i * 7 + 3);
				memcpy(want, buf, sizeof(buf));
				memmove(want + GUARD + dof, want + GUARD + so, n);
				assert_ptr_equal(
					lib_memmove(buf + GUARD + dof, buf + GUARD + so, n),
					buf + GUARD + dof);
				assert_memory_equal(buf, want, sizeof(buf));
			}
}

int run_string_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_every_alignment_and_length),
		cmocka_unit_test(memcpy_large_copy),
		cmocka_unit_test(memset_every_alignment_and_length),
		cmocka_unit_test(memmove_every_overlap_and_length),
	};
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
