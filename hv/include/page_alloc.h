/* Machine-frame allocator: one bit per frame over the span of RAM, set = in use. Frames that
 * are not RAM (holes), the hypervisor, the DTB and boot modules are never free. */
#ifndef HV_PAGE_ALLOC_H
#define HV_PAGE_ALLOC_H
#include "colour.h"
#include "spinlock.h"
#include "types.h"

struct page_alloc {
	paddr_t base;        /* machine address of frame 0 */
	uint64_t nr_frames;  /* frames covered by the bitmap */
	uint64_t *bitmap;    /* nr_frames bits, 1 = used */
	uint64_t nr_free;
	spinlock_t lock;
};

/* Bytes of bitmap needed to cover nr_frames. */
static inline uint64_t page_alloc_bitmap_bytes(uint64_t nr_frames)
{
	return ALIGN_UP(nr_frames, 64) / 8;
}

/* Covers [base, base + nr_frames pages) with every frame in use. */
void page_alloc_init(struct page_alloc *pa, paddr_t base, uint64_t nr_frames, uint64_t *bitmap);
/* Marks a range free (RAM handed to the allocator) or used (reserved). Parts outside the
 * covered span are ignored. */
void page_alloc_add_free(struct page_alloc *pa, paddr_t start, uint64_t size);
void page_alloc_reserve(struct page_alloc *pa, paddr_t start, uint64_t size);

/* nr contiguous frames whose first is aligned to align frames (a power of two); the highest
 * such run, so that low memory (where loaders put things) stays free longest.
 * INVALID_PADDR when none. */
paddr_t page_alloc_contig(struct page_alloc *pa, uint64_t nr, uint64_t align);
/* The same, every frame of the run having a colour in set (NULL: any). */
paddr_t page_alloc_contig_coloured(struct page_alloc *pa, uint64_t nr, uint64_t align,
				   const struct colour_set *set, unsigned nr_colours);
/* The lowest run instead of the highest. */
paddr_t page_alloc_contig_low(struct page_alloc *pa, uint64_t nr, uint64_t align,
			      const struct colour_set *set, unsigned nr_colours);
/* One frame with a colour in set, the highest below *cursor (start with INVALID_PADDR);
 * *cursor moves to it, so a loop hands out frames top down. INVALID_PADDR when none. */
paddr_t page_alloc_coloured(struct page_alloc *pa, const struct colour_set *set,
			    unsigned nr_colours, paddr_t *cursor);
/* Exactly [maddr, maddr + nr pages): -XEN_EBUSY if any is in use, -XEN_EINVAL if outside. */
int page_alloc_fixed(struct page_alloc *pa, paddr_t maddr, uint64_t nr);
void page_free(struct page_alloc *pa, paddr_t maddr, uint64_t nr);
bool page_is_free(struct page_alloc *pa, paddr_t maddr);
uint64_t page_alloc_nr_free(struct page_alloc *pa);

/* Where the hypervisor's own pages (translation tables) come from: with colouring on, only
 * frames of the hypervisor's colours. */
struct frame_pool {
	struct page_alloc *pa;
	const struct colour_set *colours; /* NULL: any colour */
	unsigned nr_colours;
};

/* Table pages for pt.c (struct pt_alloc) from a struct frame_pool given as ctx: zeroed,
 * aligned to their total size. */
paddr_t page_alloc_table(void *pool, unsigned pages);
void page_free_table(void *pool, paddr_t table, unsigned pages);

#endif
