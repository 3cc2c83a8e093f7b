/* A domain's RAM by memory mode: direct-mapped (largest aligned chunks, GFN == MFN),
 * translated (the same chunks laid out from Xen's guest RAM base), coloured (frame by frame
 * of the domain's colours), or xen,static-mem ranges; then its stage-2 RAM mappings and the
 * boot log lines that describe them. At most MAX_DOMAIN_BANKS banks. */
#include "arch.h"
#include "domain_ram.h"
#include "frames.h"
#include "log.h"

/* Direct-mapped RAM: the largest power-of-two chunks that are free, each aligned to its size
 * (capped at 1 GiB) so stage 2 can use the largest blocks; banks sorted by address. */
static int alloc_direct_ram(struct domain *d, uint64_t bytes)
{
	uint64_t left = bytes;

	while (left) {
		uint64_t chunk = 1ULL << (63 - __builtin_clzll(left));
		paddr_t ma = INVALID_PADDR;

		if (chunk < SZ_2M)
			chunk = left; /* the tail below 2 MiB: 4 KiB alignment */
		for (; ma == INVALID_PADDR && chunk >= MIN(left, SZ_2M); chunk >>= 1) {
			uint64_t pages = chunk >> PAGE_SHIFT;
			uint64_t align = MIN(chunk, SZ_1G) >> PAGE_SHIFT;

			if (chunk < SZ_2M)
				align = 1;
			if (d->nr_ram == MAX_DOMAIN_BANKS - 1 && chunk != left)
				continue; /* the last bank must take all that is left */
			ma = page_alloc_contig(&frame_alloc, pages, align);
			if (ma != INVALID_PADDR) {
				d->ram[d->nr_ram++] = (struct ram_bank){ma, ma, chunk};
				left -= chunk;
			}
		}
		if (ma == INVALID_PADDR)
			return -XEN_ENOMEM;
	}
	/* sort by address: Linux wants its kernel in the lowest bank */
	for (unsigned i = 1; i < d->nr_ram; i++)
		for (unsigned j = i; j > 0 && d->ram[j].gpa < d->ram[j - 1].gpa; j--) {
			struct ram_bank t = d->ram[j];
			d->ram[j] = d->ram[j - 1];
			d->ram[j - 1] = t;
		}
	return 0;
}

/* Static memory (xen,static-mem) is taken for every domain before any other allocation
 * (as Xen does), so no domain's dynamic memory can land in another's static range. */
int domain_ram_reserve_static(const struct domain_cfg *cfgs, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++) {
		for (unsigned k = 0; k < cfgs[i].nr_static; k++) {
			const struct mem_range *r = &cfgs[i].static_mem[k];
			int rc = page_alloc_fixed(&frame_alloc, r->start, r->size >> PAGE_SHIFT);

			if (!rc)
				continue;
			log_err("%s: xen,static-mem 0x%llx-0x%llx %s", cfgs[i].name,
				(unsigned long long)r->start, (unsigned long long)(r->start + r->size),
				rc == -XEN_EBUSY ? "is not free: it overlaps the hypervisor, the DTB, "
						   "a boot module, a reservation or another domain"
						 : "is not RAM");
			return rc;
		}
	}
	return 0;
}

/* The reserved static ranges become banks: 1:1 when direct-mapped, else from Xen's guest
 * RAM base. */
static void static_banks(struct domain *d, const struct domain_cfg *c)
{
	paddr_t gpa = GUEST_RAM0_BASE;

	for (unsigned i = 0; i < c->nr_static; i++) {
		const struct mem_range *r = &c->static_mem[i];

		d->ram[d->nr_ram++] = (struct ram_bank){
			c->mode == MEM_DIRECT_MAPPED ? r->start : gpa, r->start, r->size};
		gpa += r->size;
	}
}

/* Translated: frames from anywhere, in large aligned chunks (so stage 2 keeps large
 * blocks), laid out from Xen's guest RAM base. */
static int alloc_translated(struct domain *d, uint64_t bytes)
{
	paddr_t gpa = GUEST_RAM0_BASE;

	if (bytes > GUEST_RAM0_SIZE)
		return -XEN_ENOMEM;
	if (alloc_direct_ram(d, bytes))
		return -XEN_ENOMEM;
	for (unsigned i = 0; i < d->nr_ram; i++) {
		d->ram[i].gpa = gpa;
		gpa += d->ram[i].size;
	}
	return 0;
}

/* Coloured: one frame at a time, only of the domain's colours, mapped page by page from
 * Xen's guest RAM base (zeroed with the rest of its RAM before it runs: domain_scrub.c). */
static int alloc_coloured(struct domain *d, uint64_t bytes)
{
	paddr_t cursor = INVALID_PADDR, gpa = GUEST_RAM0_BASE;

	if (bytes > GUEST_RAM0_SIZE)
		return -XEN_ENOMEM;
	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
		paddr_t ma = page_alloc_coloured(&frame_alloc, &d->colours, colours_nr(), &cursor);

		if (ma == INVALID_PADDR)
			return -XEN_ENOMEM;
		if (p2m_map(&d->p2m, gpa + off, ma, PAGE_SIZE, P2M_RAM, P2M_RW))
			return -XEN_ENOMEM;
	}
	d->ram[0] = (struct ram_bank){gpa, INVALID_PADDR, bytes};
	d->nr_ram = 1;
	return 0;
}

static uint64_t colour_free_bytes(const struct colour_set *set)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < frame_alloc.nr_frames; i++) {
		paddr_t ma = frame_alloc.base + (i << PAGE_SHIFT);

		if (page_is_free(&frame_alloc, ma) && colour_set_frame_ok(set, colours_nr(), ma))
			n++;
	}
	return n << PAGE_SHIFT;
}

int domain_ram_alloc(struct domain *d, const struct domain_cfg *c)
{
	uint64_t free_mib = page_alloc_nr_free(&frame_alloc) >> (20 - PAGE_SHIFT);
	char list[64];
	int rc = -XEN_EINVAL;

	switch (c->mode) {
	case MEM_COLOURED: {
		uint64_t avail = colour_free_bytes(&c->colours);

		if (avail < c->mem_bytes) {
			colour_format(&c->colours, list, sizeof(list));
			log_err("%s: %llu MiB does not fit in the free frames of colours %s "
				"(%llu MiB free)", c->name, (unsigned long long)(c->mem_bytes >> 20),
				list, (unsigned long long)(avail >> 20));
			return -XEN_ENOMEM;
		}
		rc = alloc_coloured(d, c->mem_bytes);
		if (rc)
			log_err("%s: out of memory for its stage-2 tables", c->name);
		return rc;
	}
	case MEM_DIRECT_MAPPED:
	case MEM_TRANSLATED:
		if (c->nr_static) {
			static_banks(d, c);
			return 0;
		}
		rc = c->mode == MEM_DIRECT_MAPPED ? alloc_direct_ram(d, c->mem_bytes)
						  : alloc_translated(d, c->mem_bytes);
		break;
	}
	if (rc)
		log_err("%s: %llu MiB of memory: not enough free RAM (%llu MiB free)", c->name,
			(unsigned long long)(c->mem_bytes >> 20), (unsigned long long)free_mib);
	return rc;
}

int domain_ram_map(struct domain *d)
{
	if (d->mode == MEM_COLOURED)
		return 0; /* mapped frame by frame as allocated */
	for (unsigned i = 0; i < d->nr_ram; i++) {
		if (p2m_map(&d->p2m, d->ram[i].gpa, d->ram[i].maddr, d->ram[i].size, P2M_RAM,
			    P2M_RW))
			return -XEN_ENOMEM;
	}
	return 0;
}

static const char *const mode_names[] = {
	[MEM_DIRECT_MAPPED] = "1:1", [MEM_TRANSLATED] = "translated", [MEM_COLOURED] = "coloured"};

void domain_ram_log(const struct domain *d)
{
	char list[64];

	if (d->mode == MEM_COLOURED) {
		colour_format(&d->colours, list, sizeof(list));
		log_info("d%u: %llu MiB coloured (colours %s) at guest 0x%llx", d->id,
			 (unsigned long long)(d->ram[0].size >> 20), list,
			 (unsigned long long)d->ram[0].gpa);
		return;
	}
	for (unsigned i = 0; i < d->nr_ram; i++)
		log_info("d%u: RAM bank %u: guest 0x%llx-0x%llx (%llu MiB) %s machine 0x%llx", d->id,
			 i, (unsigned long long)d->ram[i].gpa,
			 (unsigned long long)(d->ram[i].gpa + d->ram[i].size),
			 (unsigned long long)(d->ram[i].size >> 20), mode_names[d->mode],
			 (unsigned long long)d->ram[i].maddr);
}
