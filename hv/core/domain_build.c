/* Boot-time construction of domains: the machine-frame allocator, dom0's direct-mapped
 * memory (largest aligned chunks, at most MAX_DOMAIN_BANKS), its stage-2, its kernel and
 * device tree. Any failure stops the boot with a message; nothing is left half-built. */
#include "arch.h"
#include "domain_build.h"
#include "dt.h"
#include "log.h"
#include <format.h>
#include <libfdt.h>
#include <string.h>

#define DOM0_MEM_DEFAULT (128ULL << 20) /* Xen on Arm's historical default */
#define IMAGE_MAGIC 0x644d5241U         /* "ARM\x64" at offset 0x38 of an arm64 Image */
#define DTB_BUF_SIZE (64 << 10)

struct page_alloc frame_alloc;

const struct pt_alloc frame_pt_alloc = {page_alloc_table, page_free_table, &frame_alloc};

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

bool dom0_owns_node(const struct bootinfo *bi, int node)
{
	const void *fdt = bi->fdt;

	if (!dt_node_enabled(fdt, node) || !fdt_getprop(fdt, node, "reg", NULL))
		return false;
	if (node == bi->uart.node || node == bi->gic_node)
		return false;
	if (fdt_getprop(fdt, node, "device_type", NULL)) /* memory, cpu, pci */
		return false;
	for (unsigned i = 0; i < bi->nr_smmu; i++)
		if (node == bi->smmu[i].node)
			return false;
	for (unsigned i = 0; i < bi->nr_pci; i++)
		if (node == bi->pci[i].node)
			return false;
	return true;
}

/* Does [start, start+size) share a page with something the hypervisor keeps for itself? */
static bool touches_hv_device(const struct bootinfo *bi, paddr_t start, uint64_t size)
{
	const struct boot_device *hv[] = {&bi->uart, &bi->gicd, &bi->gicr, &bi->smmu[0],
					  &bi->smmu[1], &bi->smmu[2], &bi->smmu[3]};

	for (unsigned i = 0; i < ARRAY_SIZE(hv); i++)
		if (hv[i]->size &&
		    ranges_overlap(start, size, ALIGN_DOWN(hv[i]->base, PAGE_SIZE),
				   ALIGN_UP(hv[i]->base + hv[i]->size, PAGE_SIZE) -
					   ALIGN_DOWN(hv[i]->base, PAGE_SIZE)))
			return true;
	return false;
}

static int map_dom0_devices(const struct bootinfo *bi, struct domain *d, unsigned *nr)
{
	const void *fdt = bi->fdt;
	char path[96];
	int node;

	*nr = 0;
	fdt_for_each_subnode(node, fdt, 0) {
		paddr_t base;
		uint64_t size;

		if (!dom0_owns_node(bi, node))
			continue;
		for (int i = 0; dt_reg(fdt, node, i, &base, &size) == 0; i++) {
			paddr_t s = ALIGN_DOWN(base, PAGE_SIZE);
			uint64_t len = ALIGN_UP(base + size, PAGE_SIZE) - s;

			if (!size)
				continue;
			if (touches_hv_device(bi, s, len)) {
				log_warn("d0: %s shares a page with a hypervisor device: not mapped",
					 dt_path(fdt, node, path, sizeof(path)));
				continue;
			}
			if (p2m_map(&d->p2m, s, s, len, P2M_MMIO, P2M_RW)) {
				log_err("d0: cannot map %s at 0x%llx", dt_path(fdt, node, path,
									 sizeof(path)),
					(unsigned long long)base);
				return -XEN_ENOMEM;
			}
		}
		(*nr)++;
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

/* Kernel at bank 0 + text_offset (arm64 booting.rst); the DTB 2 MiB-aligned after it. */
static int load_kernel_and_dtb(const struct bootinfo *bi, struct domain *d,
			       const struct boot_module *m, const char *bootargs)
{
	struct image_info img;
	const struct ram_bank *b0 = &d->ram[0];
	int rc = check_image(m, &img);

	if (rc)
		return rc;
	d->entry = b0->gpa + img.text_offset;
	d->dtb_gpa = ALIGN_UP(d->entry + img.image_size, SZ_2M);
	if (d->dtb_gpa + SZ_2M > b0->gpa + b0->size) {
		log_err("d%u: kernel %s (%llu KiB) and DTB do not fit in the first RAM bank "
			"(%llu MiB): raise dom0_mem", d->id, m->path,
			(unsigned long long)(img.image_size >> 10),
			(unsigned long long)(b0->size >> 20));
		return -XEN_ENOMEM;
	}
	rc = domain_dt_build(bi, d, bootargs, dtb_buf, sizeof(dtb_buf));
	if (rc) {
		log_err("d%u: device tree does not fit in %d KiB", d->id, DTB_BUF_SIZE >> 10);
		return rc;
	}
	if (domain_copy_to_gpa(d, d->entry, maddr_to_virt(m->start), m->size) ||
	    domain_copy_to_gpa(d, d->dtb_gpa, dtb_buf, fdt_totalsize(dtb_buf)))
		panic("d%u: loading into its own RAM failed", d->id);
	log_info("d%u: kernel %s (%llu KiB) at 0x%llx, device tree (%u bytes) at 0x%llx", d->id,
		 m->path, (unsigned long long)(m->size >> 10), (unsigned long long)d->entry,
		 fdt_totalsize(dtb_buf), (unsigned long long)d->dtb_gpa);
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

static struct domain dom0;

int domain_build_dom0(const struct bootinfo *bi, const struct hv_options *o, struct domain **out)
{
	struct domain *d = &dom0;
	uint64_t mem = o->dom0_mem_bytes ? ALIGN_UP(o->dom0_mem_bytes, PAGE_SIZE)
					 : DOM0_MEM_DEFAULT;
	unsigned nr_vcpus = o->dom0_max_vcpus ? o->dom0_max_vcpus : 1, nr_dev;
	const struct boot_module *kernel;
	char p2m_line[160];
	int rc;

	if (bi->dom0_kernel < 0) {
		log_err("no dom0 kernel: add a /chosen/module@ADDR node with compatible = "
			"\"multiboot,kernel\", \"multiboot,module\" and reg = <ADDR SIZE>");
		return -XEN_EINVAL;
	}
	if (nr_vcpus > bi->nr_cpus) {
		log_err("dom0_max_vcpus=%u but the machine has %u CPU(s)", nr_vcpus, bi->nr_cpus);
		return -XEN_EINVAL;
	}
	kernel = &bi->modules[bi->dom0_kernel];
	memset(d, 0, sizeof(*d));
	d->id = 0;
	d->hardware = true;
	d->mode = MEM_DIRECT_MAPPED;
	d->features = o->features;
	d->nr_vcpus = nr_vcpus;
	if (alloc_direct_ram(d, mem)) {
		log_err("dom0_mem=%lluM: not enough free RAM (%llu MiB free)",
			(unsigned long long)(mem >> 20),
			(unsigned long long)(page_alloc_nr_free(&frame_alloc) >> (20 - PAGE_SHIFT)));
		return -XEN_ENOMEM;
	}
	rc = p2m_init(&d->p2m, 1, &frame_pt_alloc);
	for (unsigned i = 0; !rc && i < d->nr_ram; i++) {
		arch_zero_ram(d->ram[i].maddr, d->ram[i].size);
		rc = p2m_map(&d->p2m, d->ram[i].gpa, d->ram[i].maddr, d->ram[i].size, P2M_RAM,
			     P2M_RW);
		log_info("d0: RAM bank %u: 0x%llx-0x%llx (%llu MiB) 1:1", i,
			 (unsigned long long)d->ram[i].gpa,
			 (unsigned long long)(d->ram[i].gpa + d->ram[i].size),
			 (unsigned long long)(d->ram[i].size >> 20));
	}
	if (!rc)
		rc = map_dom0_devices(bi, d, &nr_dev);
	if (rc) {
		log_err("d0: out of memory building the stage-2 tables");
		return rc;
	}
	rc = load_kernel_and_dtb(bi, d, kernel,
				 kernel->bootargs ? kernel->bootargs : bi->dom0_bootargs);
	if (rc)
		return rc;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		d->vcpu[i] = (struct vcpu){.d = d, .id = i, .pcpu = i, .vmpidr = i,
					   .power = VCPU_OFF};
	}
	d->vcpu[0].entry = d->entry;
	d->vcpu[0].context = d->dtb_gpa;
	d->vcpu[0].power = VCPU_ON;
	p2m_describe(&d->p2m, p2m_line, sizeof(p2m_line));
	log_info("d0: %s", p2m_line);
	log_info("d0: %u device node(s) passed through, %u vCPU(s) on pCPU 0-%u, VMID %u", nr_dev,
		 nr_vcpus, nr_vcpus - 1, d->p2m.vmid);
	log_features(d);
	domains[nr_domains++] = d;
	*out = d;
	return 0;
}
