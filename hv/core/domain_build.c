/* Boot-time construction of domains: the machine-frame allocator, dom0's direct-mapped
 * memory (largest aligned chunks, at most MAX_DOMAIN_BANKS), its stage-2, its kernel and
 * device tree. Any failure stops the boot with a message; nothing is left half-built. */
#include "arch.h"
#include "assign.h"
#include "domain_build.h"
#include "hvm.h"
#include "domain_cfg.h"
#include "pci.h"
#include "shared_info.h"
#include "dma_protect.h"
#include "dt.h"
#include "log.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define IMAGE_MAGIC 0x644d5241U         /* "ARM\x64" at offset 0x38 of an arm64 Image */
#define DTB_BUF_SIZE (64 << 10)

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

struct image_info {
	uint64_t text_offset, image_size;
};

static int check_image(const struct boot_module *m, struct image_info *img)
{
	const uint8_t *h = maddr_to_virt(m->start);
	uint32_t magic;

	if (m->size < 64) {
		log_err("%s: too small for an arm64 Image (%llu bytes)", m->path,
			(unsigned long long)m->size);
		return -XEN_EINVAL;
	}
	memcpy(&magic, h + 0x38, 4);
	if (magic != IMAGE_MAGIC) {
		log_err("%s: not an arm64 Image (no \"ARM\\x64\" magic at offset 0x38)", m->path);
		return -XEN_EINVAL;
	}
	memcpy(&img->text_offset, h + 8, 8);
	memcpy(&img->image_size, h + 16, 8);
	if (img->image_size == 0) { /* pre-3.17 Linux: text_offset is 0x80000 */
		img->text_offset = 0x80000;
		img->image_size = m->size;
	}
	if (img->image_size < m->size || img->text_offset >= SZ_2M * 512) {
		log_err("%s: Image header is inconsistent (image_size %llu < file %llu)", m->path,
			(unsigned long long)img->image_size, (unsigned long long)m->size);
		return -XEN_EINVAL;
	}
	return 0;
}

static uint8_t dtb_buf[DTB_BUF_SIZE] __attribute__((aligned(8)));

/* Kernel at bank 0 + text_offset (arm64 booting.rst); the DTB 2 MiB-aligned after it, and
 * the ramdisk, if any, 2 MiB-aligned after the DTB's 2 MiB: all in the first bank. */
static int load_kernel_and_dtb(const struct bootinfo *bi, struct domain *d,
			       const struct domain_cfg *c)
{
	const struct boot_module *m = c->kernel, *rd = c->ramdisk;
	struct image_info img;
	const struct ram_bank *b0 = &d->ram[0];
	int rc = check_image(m, &img);
	paddr_t end;

	if (rc)
		return rc;
	d->entry = b0->gpa + img.text_offset;
	d->dtb_gpa = ALIGN_UP(d->entry + img.image_size, SZ_2M);
	d->initrd_gpa = d->dtb_gpa + SZ_2M;
	d->initrd_size = rd ? rd->size : 0;
	end = d->initrd_gpa + ALIGN_UP(d->initrd_size, PAGE_SIZE);
	if (end > b0->gpa + b0->size) {
		log_err("d%u: kernel %s (%llu KiB)%s%s and DTB do not fit in the first RAM bank "
			"(%llu MiB): raise %s", d->id, m->path,
			(unsigned long long)(img.image_size >> 10), rd ? ", ramdisk " : "",
			rd ? rd->path : "", (unsigned long long)(b0->size >> 20),
			d->hardware ? "dom0_mem" : "the domain's memory");
		return -XEN_ENOMEM;
	}
	rc = domain_dt_build(bi, d, c->bootargs, dtb_buf, sizeof(dtb_buf));
	if (rc) {
		log_err("d%u: device tree does not fit in %d KiB", d->id, DTB_BUF_SIZE >> 10);
		return rc;
	}
	if (domain_copy_to_gpa(d, d->entry, maddr_to_virt(m->start), m->size) ||
	    domain_copy_to_gpa(d, d->dtb_gpa, dtb_buf, fdt_totalsize(dtb_buf)) ||
	    (rd && domain_copy_to_gpa(d, d->initrd_gpa, maddr_to_virt(rd->start), rd->size)))
		panic("d%u: loading into its own RAM failed", d->id);
	log_info("d%u: kernel %s (%llu KiB) at 0x%llx, device tree (%u bytes) at 0x%llx", d->id,
		 m->path, (unsigned long long)(m->size >> 10), (unsigned long long)d->entry,
		 fdt_totalsize(dtb_buf), (unsigned long long)d->dtb_gpa);
	if (rd)
		log_info("d%u: ramdisk %s (%llu KiB) at 0x%llx", d->id, rd->path,
			 (unsigned long long)(rd->size >> 10), (unsigned long long)d->initrd_gpa);
	return 0;
}

static void log_features(const struct domain *d)
{
	uint32_t map = features_submap0(d->hardware, p2m_is_direct_mapped(&d->p2m), d->features);
	char names[200];
	int n = 0;

	names[0] = '\0';
	for (unsigned b = 0; b < 32; b++)
		if (map & (1U << b))
			n += snprintf(names + n, sizeof(names) - (size_t)n, " %s",
				      features_bit_name(b));
	log_info("d%u: XENFEAT submap 0x%x:%s (features=%s)", d->id, map, names,
		 features_mode_name(d->features));
}

static struct domain domain_storage[MAX_DOMAINS];
static struct colour_set xen_colours;

/* Static memory (xen,static-mem) is taken for every domain before any other allocation
 * (as Xen does), so no domain's dynamic memory can land in another's static range. */
static int reserve_static(const struct domain_cfg *cfgs, unsigned nr)
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
 * Xen's guest RAM base; zeroed as it is taken. */
static int alloc_coloured(struct domain *d, uint64_t bytes)
{
	paddr_t cursor = INVALID_PADDR, gpa = GUEST_RAM0_BASE;

	if (bytes > GUEST_RAM0_SIZE)
		return -XEN_ENOMEM;
	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
		paddr_t ma = page_alloc_coloured(&frame_alloc, &d->colours, colours_nr(), &cursor);

		if (ma == INVALID_PADDR)
			return -XEN_ENOMEM;
		arch_zero_ram(ma, PAGE_SIZE);
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

static int alloc_ram(struct domain *d, const struct domain_cfg *c)
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

static int map_ram(struct domain *d)
{
	if (d->mode == MEM_COLOURED)
		return 0; /* mapped frame by frame as allocated */
	for (unsigned i = 0; i < d->nr_ram; i++) {
		arch_zero_ram(d->ram[i].maddr, d->ram[i].size);
		if (p2m_map(&d->p2m, d->ram[i].gpa, d->ram[i].maddr, d->ram[i].size, P2M_RAM,
			    P2M_RW))
			return -XEN_ENOMEM;
	}
	return 0;
}

static const char *const mode_names[] = {
	[MEM_DIRECT_MAPPED] = "1:1", [MEM_TRANSLATED] = "translated", [MEM_COLOURED] = "coloured"};

static void log_memory(const struct domain *d)
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

/* Free guest-physical space for foreign mappings: above the host's RAM (so never a machine
 * address a 1:1 domain's device might use) and above the domain's own RAM. */
static paddr_t ext_region(const struct bootinfo *bi, const struct domain *d)
{
	paddr_t hi = 0;

	for (unsigned i = 0; i < bi->nr_ram; i++)
		hi = MAX(hi, bi->ram[i].start + bi->ram[i].size);
	for (unsigned i = 0; i < d->nr_ram; i++)
		hi = MAX(hi, d->ram[i].gpa + d->ram[i].size);
	return ALIGN_UP(hi, SZ_1G);
}

static bool gpa_range_free(struct domain *d, paddr_t gpa, uint64_t size)
{
	if ((gpa + size) >> P2M_IPA_BITS)
		return false;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		if (p2m_lookup(&d->p2m, gpa + off, NULL, NULL, NULL) != -XEN_ENOENT)
			return false;
	return true;
}

/* The /hypervisor node's windows, in free space of the domain's own map: a domU's grant
 * table where Xen puts it (GUEST_GNTTAB_BASE, so a guest may rely on Xen's layout), dom0's
 * after its extended region (dom0's map is the host's, and QEMU's PCIe window covers Xen's
 * domU address). */
static int place_xen_windows(const struct bootinfo *bi, struct domain *d)
{
	d->ext_region = ext_region(bi, d);
	d->gnttab_gpa = d->hardware ? d->ext_region + EXT_REGION_SIZE : GUEST_GNTTAB_BASE;
	if (gpa_range_free(d, d->gnttab_gpa, GUEST_GNTTAB_SIZE) &&
	    gpa_range_free(d, d->ext_region, EXT_REGION_SIZE))
		return 0;
	log_err("%s: no free guest-physical space for its grant table at 0x%llx and extended "
		"region at 0x%llx: a device or RAM is mapped there", d->name,
		(unsigned long long)d->gnttab_gpa, (unsigned long long)d->ext_region);
	return -XEN_EINVAL;
}

static int build_domain(const struct bootinfo *bi, const struct hv_options *o,
			const struct domain_cfg *c)
{
	struct domain *d = &domain_storage[nr_domains];
	unsigned nr_dev = 0;
	char line[200];
	int rc;

	memset(d, 0, sizeof(*d));
	d->id = c->id;
	d->hardware = c->hardware;
	d->mode = c->mode;
	d->features = o->features;
	d->nr_vcpus = c->nr_vcpus;
	d->colours = c->colours;
	memcpy(d->name, c->name, sizeof(d->name));
	if (p2m_init(&d->p2m, (uint16_t)(d->id + 1), &frame_pt_alloc)) {
		log_err("%s: no memory for its stage-2 root table", c->name);
		return -XEN_ENOMEM;
	}
	d->p2m.live = false;
	rc = alloc_ram(d, c);
	if (rc)
		return rc;
	if (map_ram(d)) {
		log_err("%s: out of memory for its stage-2 tables", c->name);
		return -XEN_ENOMEM;
	}
	rc = d->hardware ? assign_map_dom0(bi, d, &nr_dev) : assign_map_domu(bi, d, &nr_dev);
	if (rc)
		return rc;
	hvm_params_init(d);
	rc = place_xen_windows(bi, d);
	if (rc)
		return rc;
	if (domain_xen_pages_init(d, &frame_pt_alloc)) {
		log_err("%s: no memory for its shared_info and grant-table pages", c->name);
		return -XEN_ENOMEM;
	}
	log_memory(d);
	d->nr_vcpus = c->nr_vcpus;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		d->vcpu[i] = (struct vcpu){.d = d, .id = i, .pcpu = c->first_pcpu + i, .vmpidr = i,
					   .power = VCPU_OFF,
					   .runstate.state = RUNSTATE_offline};
	/* dom0 sees the GIC where the host has it; other domains where Xen puts a domU's */
	rc = d->hardware ? vgic_domain_init(d, bi->gicd.base, bi->gicr.base)
			 : vgic_domain_init(d, GUEST_GICD_BASE, GUEST_GICR_BASE);
	if (rc) {
		log_err("%s: its virtual GIC's MMIO ranges cannot be registered (%d)", c->name, rc);
		return rc;
	}
	assign_spis(bi, d);
	if (c->vpl011 && vpl011_domain_build(bi, d))
		return -XEN_EINVAL;
	rc = load_kernel_and_dtb(bi, d, c);
	if (rc)
		return rc;
	d->vcpu[0].entry = d->entry;
	d->vcpu[0].context = d->dtb_gpa;
	p2m_describe(&d->p2m, line, sizeof(line));
	log_info("d%u: %s", d->id, line);
	log_info("d%u: %s, %u device node(s) passed through, %u vCPU(s) on pCPU %u-%u, VMID %u",
		 d->id, c->name, nr_dev, d->nr_vcpus, c->first_pcpu,
		 c->first_pcpu + d->nr_vcpus - 1, d->p2m.vmid);
	log_features(d);
	domains[nr_domains++] = d;
	return 0;
}

static uint64_t *isolation_map;
static paddr_t isolation_base;
static uint64_t isolation_frames;

/* After building: no machine frame belongs to two domains, and every frame of a coloured
 * domain has one of its colours. A failure here is a hypervisor bug. */
static int check_frame(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
		       unsigned level)
{
	struct domain *d = arg;
	enum p2m_type t;

	(void)desc, (void)level;
	if (p2m_lookup(&d->p2m, gpa, NULL, &t, NULL) || t != P2M_RAM)
		return 0;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t f = (ma + off - isolation_base) >> PAGE_SHIFT;

		if (isolation_map[f / 64] & (1ULL << (f % 64)))
			panic("machine frame 0x%llx is in two domains (d%u is the second)",
			      (unsigned long long)(ma + off), d->id);
		isolation_map[f / 64] |= 1ULL << (f % 64);
		if (d->mode == MEM_COLOURED && !colour_set_frame_ok(&d->colours, colours_nr(), ma + off))
			panic("d%u: frame 0x%llx is not of the domain's colours", d->id,
			      (unsigned long long)(ma + off));
	}
	isolation_frames += size >> PAGE_SHIFT;
	return 0;
}

static void check_isolation(void)
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

int domains_build(const struct bootinfo *bi, const struct hv_options *o)
{
	struct domain_cfg cfgs[MAX_DOMAINS];
	unsigned nr;

	if (colouring_configure(o, &xen_colours))
		return -XEN_EINVAL;
	assign_configure(o);
	if (colours_on()) {
		hv_pool.colours = &xen_colours;
		hv_pool.nr_colours = colours_nr();
	}
	if (domain_cfgs_parse(bi, o, cfgs, &nr))
		return -XEN_EINVAL;
	domain_cfgs_warn_shared_colours(cfgs, nr, &xen_colours);
	if (reserve_static(cfgs, nr) || assign_claim(bi, cfgs, nr))
		return -XEN_EINVAL;
	for (unsigned i = 0; i < nr; i++)
		if (build_domain(bi, o, &cfgs[i]))
			return -XEN_EINVAL;
	check_isolation();
	return 0;
}
