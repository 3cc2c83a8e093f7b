/* The arm64 Image loader (Linux Documentation/arch/arm64/booting.rst): checks the Image
 * header, places kernel, device tree and ramdisk in the domain's first RAM bank and copies
 * them in. A kernel that does not fit stops the boot with the option to raise. */
#include "arch.h"
#include "boot_profile.h"
#include "domain_build.h"
#include "domain_scrub.h"
#include "image.h"
#include "log.h"
#include <libfdt.h>
#include <string.h>

#define IMAGE_MAGIC 0x644d5241U         /* "ARM\x64" at offset 0x38 of an arm64 Image */
#define DTB_BUF_SIZE (64 << 10)

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
static uint8_t zero_page[PAGE_SIZE]; /* never written; not const, so BSS, not the image */

/* len bytes of src at gpa, and zeroes in the rest of the pages they touch: the scrub leaves
 * those pages to the loader (domain_scrub.c), which writes each byte of them once. */
static int load_blob(struct domain *d, paddr_t gpa, const void *src, uint64_t len)
{
	paddr_t lo = ALIGN_DOWN(gpa, PAGE_SIZE), hi = ALIGN_UP(gpa + len, PAGE_SIZE);

	if (domain_copy_to_gpa(d, lo, zero_page, gpa - lo) ||
	    domain_copy_to_gpa(d, gpa, src, len) ||
	    domain_copy_to_gpa(d, gpa + len, zero_page, hi - gpa - len))
		return -XEN_EFAULT;
	domain_scrub_skip(d, lo, hi - lo);
	return 0;
}

/* Kernel at bank 0 + text_offset (arm64 booting.rst); the DTB 2 MiB-aligned after it, and
 * the ramdisk, if any, 2 MiB-aligned after the DTB's 2 MiB: all in the first bank. */
int image_load(const struct bootinfo *bi, struct domain *d, const struct domain_cfg *c)
{
	const struct boot_module *m = c->kernel, *rd = c->ramdisk;
	struct image_info img;
	const struct ram_bank *b0 = &d->ram[0];
	int rc = check_image(m, &img);
	uint64_t t;
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
	t = boot_profile_now();
	rc = domain_dt_build(bi, d, c->bootargs, dtb_buf, sizeof(dtb_buf));
	if (rc) {
		log_err("d%u: device tree does not fit in %d KiB", d->id, DTB_BUF_SIZE >> 10);
		return rc;
	}
	boot_profile_add(d->id, "DT writer", t);
	t = boot_profile_now();
	if (load_blob(d, d->entry, maddr_to_virt(m->start), m->size) ||
	    load_blob(d, d->dtb_gpa, dtb_buf, fdt_totalsize(dtb_buf)))
		panic("d%u: loading into its own RAM failed", d->id);
	boot_profile_add(d->id, "kernel and DT copy", t);
	t = boot_profile_now();
	if (rd && load_blob(d, d->initrd_gpa, maddr_to_virt(rd->start), rd->size))
		panic("d%u: loading into its own RAM failed", d->id);
	if (rd)
		boot_profile_add(d->id, "initramfs copy", t);
	log_info("d%u: kernel %s (%llu KiB) at 0x%llx, device tree (%u bytes) at 0x%llx", d->id,
		 m->path, (unsigned long long)(m->size >> 10), (unsigned long long)d->entry,
		 fdt_totalsize(dtb_buf), (unsigned long long)d->dtb_gpa);
	if (rd)
		log_info("d%u: ramdisk %s (%llu KiB) at 0x%llx", d->id, rd->path,
			 (unsigned long long)(rd->size >> 10), (unsigned long long)d->initrd_gpa);
	return 0;
}
