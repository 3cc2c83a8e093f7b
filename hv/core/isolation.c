/* The isolation audit after every domain is built: no machine frame is RAM of two domains,
 * and every frame of a coloured domain has one of its colours. It walks the real stage-2
 * tables, so it checks what the hardware will use, not what the allocator meant. */
#include "arch.h"
#include "bitmap.h"
#include "domain.h"
#include "frames.h"
#include "isolation.h"
#include "log.h"
#include <string.h>

static uint64_t *isolation_map;
static paddr_t isolation_base;
static uint64_t isolation_frames;

/* After building: no machine frame belongs to two domains, and every frame of a coloured
 * domain has one of its colours. A failure here is a hypervisor bug. */
static int check_frame(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
		       unsigned level)
{
	struct domain *d = arg;

	(void)gpa, (void)level;
	if (p2m_desc_type(desc) != P2M_RAM) /* the leaf says; a lookup per leaf walked again */
		return 0;
	uint64_t first = (ma - isolation_base) >> PAGE_SHIFT, end = first + (size >> PAGE_SHIFT);
	uint64_t twice = bitmap_last(isolation_map, first, end, true);

	if (twice != BITMAP_NONE)
		panic("machine frame 0x%llx is in two domains (d%u is the second)",
		      (unsigned long long)(isolation_base + (twice << PAGE_SHIFT)), d->id);
	bitmap_fill(isolation_map, first, end, true);
	for (uint64_t off = 0; d->mode == MEM_COLOURED && off < size; off += PAGE_SIZE)
		if (!colour_set_frame_ok(&d->colours, colours_nr(), ma + off))
			panic("d%u: frame 0x%llx is not of the domain's colours", d->id,
			      (unsigned long long)(ma + off));
	isolation_frames += size >> PAGE_SHIFT;
	return 0;
}

void isolation_check(void)
{
	uint64_t bytes = ALIGN_UP(page_alloc_bitmap_bytes(frame_alloc.nr_frames), PAGE_SIZE);
	paddr_t map = page_alloc_contig(&frame_alloc, bytes >> PAGE_SHIFT, 1);

	if (map == INVALID_PADDR) {
		log_warn("isolation check skipped: no room for its bitmap");
		return;
	}
	isolation_map = maddr_to_virt(map);
	isolation_base = frame_alloc.base;
	isolation_frames = 0;
	memset(isolation_map, 0, bytes);
	for (unsigned i = 0; i < nr_domains; i++)
		pt_walk(&domains[i]->p2m.pt, check_frame, domains[i]);
	page_free(&frame_alloc, map, bytes >> PAGE_SHIFT);
	log_info("isolation: %u domain(s), %llu RAM frames, each in exactly one domain%s",
		 nr_domains, (unsigned long long)isolation_frames,
		 colours_on() ? ", coloured frames all of their domain's colours" : "");
}
