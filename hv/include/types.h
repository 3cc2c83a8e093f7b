/* Basic types and units shared by every hypervisor module. */
#ifndef HV_TYPES_H
#define HV_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>

typedef uint64_t paddr_t; /* a machine (maddr) or intermediate physical (gpa) address */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define SZ_2M (1ULL << 21)
#define SZ_1G (1ULL << 30)
#define INVALID_PADDR (~0ULL)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Limits of this build; static partitioning means everything is sized at boot. */
#define MAX_CPUS 8
#define MAX_DOMAINS 8
#define MAX_VCPUS MAX_CPUS
#define MAX_RAM_BANKS 8
#define MAX_RESERVED 16
#define MAX_MODULES 16
#define MAX_DOMAIN_BANKS 4

struct mem_range {
	paddr_t start;
	uint64_t size;
};

static inline bool ranges_overlap(paddr_t a, uint64_t alen, paddr_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#endif
