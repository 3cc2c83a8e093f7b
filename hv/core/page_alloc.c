/* Machine-frame allocator: a bitmap, one bit per 4 KiB frame over the span of RAM.
 * Invariant: nr_free == number of clear bits; a frame is handed out at most once. */
#include "arch.h"
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

static void mark_range(struct page_alloc *pa, paddr_t start, uint64_t size, bool used)
{
	uint64_t i, end;

	/* Free RAM is clipped inward (a partial frame is not RAM we can hand out); reservations
	 * outward (a partial frame is still someone's). */
	if (!clip(pa, start, size, !used, &i, &end))
		return;
	spin_lock(&pa->lock);
	for (; i < end; i++)
		set_used(pa, i, used);
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

static bool run_free(const struct page_alloc *pa, uint64_t first, uint64_t nr, uint64_t *bad)
{
	for (uint64_t i = first + nr; i-- > first;) {
		if (frame_used(pa, i)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

paddr_t page_alloc_contig(struct page_alloc *pa, uint64_t nr, uint64_t align)
{
	paddr_t found = INVALID_PADDR;
	uint64_t base_frame = pa->base >> PAGE_SHIFT;

	if (nr == 0 || nr > pa->nr_frames || align == 0 || (align & (align - 1)))
		return INVALID_PADDR;
	spin_lock(&pa->lock);
	/* Candidates are aligned in machine frame numbers, from the top of the span down. */
	uint64_t top = base_frame + pa->nr_frames - nr;
	uint64_t mfn = ALIGN_DOWN(top, align);
	while (mfn >= base_frame && mfn <= top) {
		uint64_t bad;

		if (run_free(pa, mfn - base_frame, nr, &bad)) {
			for (uint64_t i = 0; i < nr; i++)
				set_used(pa, mfn - base_frame + i, true);
			found = mfn << PAGE_SHIFT;
			break;
		}
		/* Skip every candidate whose run would still cover the used frame. */
		uint64_t bad_mfn = bad + base_frame;
		if (bad_mfn < nr)
			break;
		uint64_t next = ALIGN_DOWN(bad_mfn - nr, align);
		if (next >= mfn)
			break;
		mfn = next;
	}
	spin_unlock(&pa->lock);
	return found;
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
	if (!run_free(pa, first, nr, &bad))
		rc = -XEN_EBUSY;
	else
		for (uint64_t i = 0; i < nr; i++)
			set_used(pa, first + i, true);
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

paddr_t page_alloc_table(void *pa, unsigned pages)
{
	paddr_t t = page_alloc_contig(pa, pages, pages);

	if (t != INVALID_PADDR)
		memset(maddr_to_virt(t), 0, pages * PAGE_SIZE);
	return t;
}

void page_free_table(void *pa, paddr_t table, unsigned pages)
{
	page_free(pa, table, pages);
}
