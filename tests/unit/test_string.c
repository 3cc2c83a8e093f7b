/* lib/string.c, the hypervisor's and guests' own memcpy, against the host's: every
 * alignment of source and destination and every length around its 8- and 64-byte steps.
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

int run_string_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_every_alignment_and_length),
		cmocka_unit_test(memcpy_large_copy),
	};
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
