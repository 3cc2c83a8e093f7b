/* The machine-frame allocator at boot: every byte the hypervisor must keep (its image, the
 * DTB, boot modules, reservations) is marked used, all other RAM free; the allocator's bitmap
 * is carved out of that free RAM. The hypervisor's own pool allocates from it afterwards. */
#include "arch.h"
#include "frames.h"
#include "log.h"
#include <libfdt.h>

struct page_alloc frame_alloc;

/* The hypervisor's own pages; colours are set once colouring is configured. */
struct frame_pool hv_pool = {&frame_alloc, NULL, 0};
const struct pt_alloc frame_pt_alloc = {page_alloc_table, page_free_table, &hv_pool};

static bool in_ram(const struct bootinfo *bi, paddr_t start, uint64_t size)
{
	for (unsigned i = 0; i < bi->nr_ram; i++)
		if (start >= bi->ram[i].start && start + size <= bi->ram[i].start + bi->ram[i].size)
			return true;
	return false;
}

struct keep_list {
	struct mem_range r[MAX_RESERVED + MAX_MODULES + 2];
	const char *what[MAX_RESERVED + MAX_MODULES + 2];
	unsigned n;
};

static int keep_add(struct keep_list *k, paddr_t start, uint64_t size, const char *what,
		    bool must_not_overlap)
{
	for (unsigned i = 0; must_not_overlap && i < k->n; i++) {
		if (ranges_overlap(start, size, k->r[i].start, k->r[i].size)) {
			log_err("%s (0x%llx-0x%llx) overlaps %s: move it in the boot configuration",
				what, (unsigned long long)start, (unsigned long long)(start + size),
				k->what[i]);
			return -XEN_EINVAL;
		}
	}
	k->r[k->n] = (struct mem_range){start, size};
	k->what[k->n++] = what;
	return 0;
}

/* The lowest page-aligned spot of bytes in RAM clear of everything kept. */
static paddr_t place_bitmap(const struct bootinfo *bi, const struct keep_list *k, uint64_t bytes)
{
	for (unsigned b = 0; b < bi->nr_ram; b++) {
		paddr_t c = ALIGN_UP(bi->ram[b].start, PAGE_SIZE);
		bool moved = true;

		while (moved) {
			moved = false;
			for (unsigned i = 0; i < k->n; i++) {
				if (ranges_overlap(c, bytes, k->r[i].start, k->r[i].size)) {
					c = ALIGN_UP(k->r[i].start + k->r[i].size, PAGE_SIZE);
					moved = true;
				}
			}
		}
		if (c + bytes <= bi->ram[b].start + bi->ram[b].size)
			return c;
	}
	return INVALID_PADDR;
}

int frames_init(const struct bootinfo *bi, paddr_t hv_start, paddr_t hv_end)
{
	struct keep_list keep = {.n = 0};
	paddr_t lo = ~0ULL, hi = 0, bitmap;
	uint64_t total = 0;

	keep_add(&keep, hv_start, hv_end - hv_start, "the hypervisor image", false);
	if (keep_add(&keep, (paddr_t)(uintptr_t)bi->fdt, fdt_totalsize(bi->fdt),
		     "the device tree blob", true))
		return -XEN_EINVAL;
	for (unsigned i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (!in_ram(bi, m->start, m->size)) {
			log_err("%s: reg 0x%llx-0x%llx is not inside RAM", m->path,
				(unsigned long long)m->start,
				(unsigned long long)(m->start + m->size));
			return -XEN_EINVAL;
		}
		if (keep_add(&keep, m->start, m->size, m->path, true))
			return -XEN_EINVAL;
	}
	for (unsigned i = 0; i < bi->nr_reserved; i++)
		keep_add(&keep, bi->reserved[i].start, bi->reserved[i].size, "a reserved region",
			 false);
	for (unsigned i = 0; i < bi->nr_ram; i++) {
		lo = MIN(lo, ALIGN_DOWN(bi->ram[i].start, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(bi->ram[i].start + bi->ram[i].size, PAGE_SIZE));
		total += bi->ram[i].size;
	}
	uint64_t nr_frames = (hi - lo) >> PAGE_SHIFT;
	uint64_t bytes = ALIGN_UP(page_alloc_bitmap_bytes(nr_frames), PAGE_SIZE);

	bitmap = place_bitmap(bi, &keep, bytes);
	if (bitmap == INVALID_PADDR) {
		log_err("no room in RAM for the frame allocator's bitmap (%llu KiB)",
			(unsigned long long)(bytes >> 10));
		return -XEN_ENOMEM;
	}
	page_alloc_init(&frame_alloc, lo, nr_frames, maddr_to_virt(bitmap));
	for (unsigned i = 0; i < bi->nr_ram; i++)
		page_alloc_add_free(&frame_alloc, bi->ram[i].start, bi->ram[i].size);
	for (unsigned i = 0; i < keep.n; i++)
		page_alloc_reserve(&frame_alloc, keep.r[i].start, keep.r[i].size);
	page_alloc_reserve(&frame_alloc, bitmap, bytes);
	log_info("memory: %llu MiB RAM in %u bank(s), %llu MiB free after the hypervisor, DTB, "
		 "%u module(s) and %u reservation(s)",
		 (unsigned long long)(total >> 20), bi->nr_ram,
		 (unsigned long long)(page_alloc_nr_free(&frame_alloc) >> (20 - PAGE_SHIFT)),
		 bi->nr_modules, bi->nr_reserved);
	return 0;
}
