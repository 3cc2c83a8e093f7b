/* Machine-frame allocator: a bitmap, one bit per 4 KiB frame over the span of RAM.
 * Invariant: nr_free == number of clear bits; a frame is handed out at most once. */
#include "arch.h"
#include "bitmap.h"
#include "page_alloc.h"
#include <string.h>

static bool frame_used(const struct page_alloc *pa, uint64_t i)
{
	return pa->bitmap[i / 64] & (1ULL << (i % 64));
}

static void set_used(struct page_alloc *pa, uint64_t i, bool used)
{
	uint64_t bit = 1ULL << (i % 64);

	if (used == frame_used(pa, i))
		return;
	if (used) {
		pa->bitmap[i / 64] |= bit;
		pa->nr_free--;
	} else {
		pa->bitmap[i / 64] &= ~bit;
		pa->nr_free++;
	}
}

void page_alloc_init(struct page_alloc *pa, paddr_t base, uint64_t nr_frames, uint64_t *bitmap)
{
	pa->base = base;
	pa->nr_frames = nr_frames;
	pa->bitmap = bitmap;
	pa->nr_free = 0;
	pa->lock = (spinlock_t){0};
	memset(bitmap, 0xff, page_alloc_bitmap_bytes(nr_frames));
}

/* Clips [start, start+size) to whole frames inside the span: frame indices [*first, *end). */
static bool clip(const struct page_alloc *pa, paddr_t start, uint64_t size, bool inner,
		 uint64_t *first, uint64_t *end)
{
	paddr_t lo = inner ? ALIGN_UP(start, PAGE_SIZE) : ALIGN_DOWN(start, PAGE_SIZE);
	paddr_t hi = inner ? ALIGN_DOWN(start + size, PAGE_SIZE) : ALIGN_UP(start + size, PAGE_SIZE);
	paddr_t span_end = pa->base + pa->nr_frames * PAGE_SIZE;

	if (size == 0 || start + size < start)
		return false;
	lo = MAX(lo, pa->base);
	hi = MIN(hi, span_end);
	if (lo >= hi)
		return false;
	*first = (lo - pa->base) >> PAGE_SHIFT;
	*end = (hi - pa->base) >> PAGE_SHIFT;
	return true;
}

/* Marks frames [first, end) used or free, keeping nr_free right. */
static void fill(struct page_alloc *pa, uint64_t first, uint64_t end, bool used)
{
	uint64_t changed = bitmap_fill(pa->bitmap, first, end, used);

	if (used)
		pa->nr_free -= changed;
	else
		pa->nr_free += changed;
}

static void mark_range(struct page_alloc *pa, paddr_t start, uint64_t size, bool used)
{
	uint64_t i, end;

	/* Free RAM is clipped inward (a partial frame is not RAM we can hand out); reservations
	 * outward (a partial frame is still someone's). */
	if (!clip(pa, start, size, !used, &i, &end))
		return;
	spin_lock(&pa->lock);
	fill(pa, i, end, used);
	spin_unlock(&pa->lock);
}

void page_alloc_add_free(struct page_alloc *pa, paddr_t start, uint64_t size)
{
	mark_range(pa, start, size, false);
}

void page_alloc_reserve(struct page_alloc *pa, paddr_t start, uint64_t size)
{
	mark_range(pa, start, size, true);
}

/* A run is usable if every frame is free and, with a colour set, of an allowed colour. */
static bool run_free(const struct page_alloc *pa, uint64_t first, uint64_t nr, uint64_t *bad,
		     const struct colour_set *set, unsigned nr_colours)
{
	if (!set) { /* any colour: the highest used frame, a word at a time */
		*bad = bitmap_last(pa->bitmap, first, first + nr, true);
		return *bad == BITMAP_NONE;
	}
	for (uint64_t i = first + nr; i-- > first;) {
		if (frame_used(pa, i) ||
		    !colour_set_frame_ok(set, nr_colours, pa->base + (i << PAGE_SHIFT))) {
			*bad = i;
			return false;
		}
	}
	return true;
}

static void take_run(struct page_alloc *pa, uint64_t first, uint64_t nr)
{
	fill(pa, first, first + nr, true);
}

/* Candidates are aligned in machine frame numbers; after a miss, skip every candidate whose
 * run would still cover the frame that made it miss. */
static paddr_t alloc_run(struct page_alloc *pa, uint64_t nr, uint64_t align,
			 const struct colour_set *set, unsigned nr_colours, bool low)
{
	uint64_t base = pa->base >> PAGE_SHIFT, bad, mfn;
	uint64_t top = base + pa->nr_frames - nr;
	paddr_t found = INVALID_PADDR;

	if (nr == 0 || nr > pa->nr_frames || align == 0 || (align & (align - 1)))
		return INVALID_PADDR;
	spin_lock(&pa->lock);
	mfn = low ? ALIGN_UP(base, align) : ALIGN_DOWN(top, align);
	while (mfn >= base && mfn <= top) {
		if (run_free(pa, mfn - base, nr, &bad, set, nr_colours)) {
			take_run(pa, mfn - base, nr);
			found = mfn << PAGE_SHIFT;
			break;
		}
		bad += base;
		if (low) {
			/* any colour: on to the next free frame, past a used region a word at a
			 * time */
			uint64_t next = set ? bad + 1 - base
					    : bitmap_first(pa->bitmap, bad + 1 - base, pa->nr_frames,
							   false);

			if (next == BITMAP_NONE)
				break;
			mfn = ALIGN_UP(base + next, align);
		} else {
			/* the next run ends below the frame in the way, and (any colour) below
			 * every used frame under it too: a used region is skipped a word at a time */
			uint64_t end = bad - base; /* relative: the run must end at or below */

			if (!set && end)
				end = bitmap_last(pa->bitmap, 0, end, false) + 1; /* 0 if none free */
			if (end < nr || ALIGN_DOWN(base + end - nr, align) >= mfn)
				break;
			mfn = ALIGN_DOWN(base + end - nr, align);
		}
	}
	spin_unlock(&pa->lock);
	return found;
}

paddr_t page_alloc_contig(struct page_alloc *pa, uint64_t nr, uint64_t align)
{
	return alloc_run(pa, nr, align, NULL, 0, false);
}

paddr_t page_alloc_contig_coloured(struct page_alloc *pa, uint64_t nr, uint64_t align,
				   const struct colour_set *set, unsigned nr_colours)
{
	return alloc_run(pa, nr, align, set, nr_colours, false);
}

/* The lowest such run: the hypervisor's own small allocations stay out of the way of the
 * large aligned regions domains get from the top. */
paddr_t page_alloc_contig_low(struct page_alloc *pa, uint64_t nr, uint64_t align,
			      const struct colour_set *set, unsigned nr_colours)
{
	return alloc_run(pa, nr, align, set, nr_colours, true);
}

int page_alloc_fixed(struct page_alloc *pa, paddr_t maddr, uint64_t nr)
{
	uint64_t bad;
	int rc = 0;

	if (!IS_ALIGNED(maddr, PAGE_SIZE) || nr == 0 || maddr < pa->base ||
	    ((maddr - pa->base) >> PAGE_SHIFT) + nr > pa->nr_frames)
		return -XEN_EINVAL;
	uint64_t first = (maddr - pa->base) >> PAGE_SHIFT;

	spin_lock(&pa->lock);
	if (!run_free(pa, first, nr, &bad, NULL, 0))
		rc = -XEN_EBUSY;
	else
		take_run(pa, first, nr);
	spin_unlock(&pa->lock);
	return rc;
}

void page_free(struct page_alloc *pa, paddr_t maddr, uint64_t nr)
{
	page_alloc_add_free(pa, maddr, nr << PAGE_SHIFT);
}

bool page_is_free(struct page_alloc *pa, paddr_t maddr)
{
	if (maddr < pa->base || ((maddr - pa->base) >> PAGE_SHIFT) >= pa->nr_frames)
		return false;
	return !frame_used(pa, (maddr - pa->base) >> PAGE_SHIFT);
}

uint64_t page_alloc_nr_free(struct page_alloc *pa)
{
	return pa->nr_free;
}

paddr_t page_alloc_coloured(struct page_alloc *pa, const struct colour_set *set,
			    unsigned nr_colours, paddr_t *cursor)
{
	uint64_t i = pa->nr_frames;
	paddr_t found = INVALID_PADDR;

	if (*cursor != INVALID_PADDR && *cursor >= pa->base)
		i = MIN((*cursor - pa->base) >> PAGE_SHIFT, pa->nr_frames);
	spin_lock(&pa->lock);
	while (i-- > 0) {
		paddr_t ma = pa->base + (i << PAGE_SHIFT);

		if (!frame_used(pa, i) && colour_set_frame_ok(set, nr_colours, ma)) {
			set_used(pa, i, true);
			found = ma;
			break;
		}
	}
	spin_unlock(&pa->lock);
	if (found != INVALID_PADDR)
		*cursor = found;
	return found;
}

paddr_t page_alloc_table(void *pool, unsigned pages)
{
	const struct frame_pool *fp = pool;
	paddr_t t = page_alloc_contig_low(fp->pa, pages, pages, fp->colours, fp->nr_colours);

	if (t != INVALID_PADDR)
		memset(maddr_to_virt(t), 0, pages * PAGE_SIZE);
	return t;
}

void page_free_table(void *pool, paddr_t table, unsigned pages)
{
	page_free(((const struct frame_pool *)pool)->pa, table, pages);
}
