/* The hypervisor's own EL2 stage-1 map: identity, so a machine address is its pointer.
 * Early (before the DTB is parsed) it maps just the image and the DTB; then all RAM as
 * Normal write-back and the devices the hypervisor drives as Device-nGnRE. Tables come from
 * static pools: the frame allocator does not exist yet when they are built. */
#include "arch.h"
#include "arm64.h"
#include "log.h"
#include "pt.h"
#include "smmuv3.h"
#include "sysreg.h"
#include <string.h>

#define EL2_VA_BITS 40
#define ATTR_NORMAL ((0ULL << 2) | (1ULL << 6) | (3ULL << 8) | PT_AF) /* MAIR idx 0, ISH */
#define ATTR_DEVICE ((1ULL << 2) | (1ULL << 6) | PT_AF | (1ULL << 54)) /* MAIR idx 1, XN */
#define MAIR_VALUE 0x04ffULL /* attr0 Normal WB RW-allocate, attr1 Device-nGnRE */
#define TCR_VALUE                                                                                  \
	((64ULL - EL2_VA_BITS) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) |        \
	 (1ULL << 23) | (1ULL << 31))
#define SCTLR_M (1ULL << 0)
#define SCTLR_C (1ULL << 2)
#define SCTLR_I (1ULL << 12)
#define POOL_PAGES 64

struct table_pool {
	uint8_t (*pages)[PAGE_SIZE];
	unsigned used, size;
};

static uint8_t early_pages[8][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t full_pages[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct table_pool early_pool = {early_pages, 0, 8};
static struct table_pool full_pool = {full_pages, 0, POOL_PAGES};

static paddr_t pool_alloc(void *ctx, unsigned pages)
{
	struct table_pool *p = ctx;

	if (pages != 1 || p->used == p->size)
		return INVALID_PADDR;
	memset(p->pages[p->used], 0, PAGE_SIZE);
	return (paddr_t)(uintptr_t)p->pages[p->used++];
}

static void pool_free(void *ctx, paddr_t t, unsigned pages)
{
	(void)ctx, (void)t, (void)pages; /* the hypervisor map only grows */
}

static void el2_flush(struct pt *pt, uint64_t va, uint64_t size)
{
	(void)pt, (void)va, (void)size;
	dsb(ishst);
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb(ish);
	isb();
}

static const struct pt_ops el2_ops = {.flush = el2_flush};
static const struct pt_alloc early_alloc = {pool_alloc, pool_free, &early_pool};
static const struct pt_alloc full_alloc = {pool_alloc, pool_free, &full_pool};
static struct pt early_pt, hv_pt;

static void load_and_enable(paddr_t root)
{
	write_sysreg(MAIR_VALUE, mair_el2);
	write_sysreg(TCR_VALUE, tcr_el2);
	write_sysreg(root, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	write_sysreg(read_sysreg(sctlr_el2) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el2);
	isb();
}

static int map_range(struct pt *pt, paddr_t start, uint64_t size, uint64_t attr)
{
	paddr_t s = ALIGN_DOWN(start, PAGE_SIZE);

	return pt_map(pt, s, s, ALIGN_UP(start + size, PAGE_SIZE) - s, attr);
}

/* Runs with the MMU off: the 2 MiB around the image and the DTB's first 2 MiB (a DTB is at
 * most 2 MiB, so it may straddle into a second one). */
void mmu_early_init(paddr_t hv_start, paddr_t hv_end, paddr_t dtb)
{
	paddr_t s = ALIGN_DOWN(hv_start, SZ_2M);

	if (pt_init(&early_pt, EL2_VA_BITS, 0, &early_alloc, NULL) ||
	    pt_map(&early_pt, s, s, ALIGN_UP(hv_end, SZ_2M) - s, ATTR_NORMAL) ||
	    pt_map(&early_pt, ALIGN_DOWN(dtb, SZ_2M), ALIGN_DOWN(dtb, SZ_2M), 2 * SZ_2M,
		   ATTR_NORMAL))
		for (;;)
			__asm__ volatile("wfe"); /* no console yet: nothing else to do */
	load_and_enable(early_pt.root);
}

int mmu_full_init(const struct bootinfo *bi, paddr_t hv_start, paddr_t hv_end)
{
	int rc = pt_init(&hv_pt, EL2_VA_BITS, 0, &full_alloc, &el2_ops);

	for (unsigned i = 0; !rc && i < bi->nr_ram; i++)
		rc = map_range(&hv_pt, bi->ram[i].start, bi->ram[i].size, ATTR_NORMAL);
	/* the image and DTB are normally in RAM already; map them anyway, never unmap ourselves */
	if (!rc)
		rc = map_range(&hv_pt, hv_start, hv_end - hv_start, ATTR_NORMAL);
	if (!rc)
		rc = map_range(&hv_pt, (paddr_t)(uintptr_t)bi->fdt, BOOTINFO_MAX_DTB, ATTR_NORMAL);
	if (!rc && bi->uart.size)
		rc = map_range(&hv_pt, bi->uart.base, bi->uart.size, ATTR_DEVICE);
	if (!rc)
		rc = map_range(&hv_pt, bi->gicd.base, bi->gicd.size, ATTR_DEVICE);
	if (!rc)
		rc = map_range(&hv_pt, bi->gicr.base, bi->gicr.size, ATTR_DEVICE);
	for (unsigned i = 0; !rc && i < bi->nr_pci; i++)
		rc = map_range(&hv_pt, bi->pci[i].base, bi->pci[i].size, ATTR_DEVICE);
	for (unsigned i = 0; !rc && i < bi->nr_smmu; i++)
		rc = map_range(&hv_pt, bi->smmu[i].base, bi->smmu[i].size, ATTR_DEVICE);
	if (rc)
		return rc;
	write_sysreg(hv_pt.root, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(nsh);
	isb();
	return 0;
}

void mmu_enable_secondary(void)
{
	load_and_enable(hv_pt.root);
}

/* TLBI by IPA and VMALLE1 act on VTTBR_EL2's VMID: vmid is borrowed for them, unless it is
 * the one already there (a guest's own hypercall). Returns what to give back. */
static uint64_t vmid_borrow(uint16_t vmid)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	if ((uint16_t)(saved >> 48) != vmid) {
		write_sysreg((uint64_t)vmid << 48, vttbr_el2);
		isb();
	}
	return saved;
}

static void vmid_return(uint64_t saved, uint16_t vmid)
{
	if ((uint16_t)(saved >> 48) != vmid) {
		write_sysreg(saved, vttbr_el2);
		isb();
	}
}

/* Arm ARM D8.16 (TLB maintenance after a stage-2 change): TLBI IPAS2E1IS per page (all
 * levels, so walk caches of a freed table go too), DSB, then TLBI VMALLE1IS for the
 * combined stage-1+2 entries (they are tagged by VA, not IPA), DSB. The SMMU walks the
 * same tables: its TLB follows before we return, one CMD_SYNC for all the pages. */
void arch_s2_tlb_flush_pages(uint16_t vmid, const paddr_t *ipa, unsigned nr)
{
	uint64_t saved;

	if (!nr)
		return;
	dsb(ishst);
	saved = vmid_borrow(vmid);
	for (unsigned i = 0; i < nr; i++)
		__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipa[i] >> PAGE_SHIFT) : "memory");
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	vmid_return(saved, vmid);
	smmuv3_tlb_flush_pages(vmid, ipa, nr);
}

void arch_s2_tlb_flush(uint16_t vmid, paddr_t ipa, uint64_t size)
{
	paddr_t pages[SMMUV3_FLUSH_MAX_PAGES];
	unsigned nr = 0;
	uint64_t saved;

	if (size && size <= SMMUV3_FLUSH_MAX_PAGES * PAGE_SIZE) {
		for (uint64_t off = 0; off < size; off += PAGE_SIZE)
			pages[nr++] = ipa + off;
		arch_s2_tlb_flush_pages(vmid, pages, nr);
		return;
	}
	dsb(ishst);
	saved = vmid_borrow(vmid);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	vmid_return(saved, vmid);
	smmuv3_tlb_flush_vmid(vmid);
}

void arch_pt_publish(void)
{
	dsb(ishst);
	isb();
}

void arch_cpu_yield(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* The smallest data cache line (CTR_EL0.DminLine, Arm ARM D13.2.34): the stride of DC
 * maintenance by address. */
static uint64_t dcache_line(void)
{
	return 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/* Clean and invalidate to the point of coherency, so that a guest reading with its MMU off
 * (non-cacheable) sees what the hypervisor wrote through the cache, and no dirty line of
 * ours is written back over its own writes later (Xen's flush_page_to_ram does the same). */
void arch_flush_ram(paddr_t maddr, uint64_t size)
{
	uint64_t line = dcache_line();
	char *p = maddr_to_virt(ALIGN_DOWN(maddr, line)), *end = maddr_to_virt(maddr + size);

	for (; p < end; p += line)
		__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	dsb(ish);
}

/* Sixty-four blocks per loop turn, each zeroed (DC ZVA) then cleaned and invalidated
 * (DC CIVAC) by the same register before it moves on: three instructions per block, the
 * loop's own two shared by sixty-four. Under QEMU's -icount every instruction is a
 * nanosecond, and this is most of a domain's boot. Needs a block no larger than a cache
 * line, and a range of whole turns (a 64-byte block: whole pages). */
#define ZERO_BLOCKS_PER_TURN 64
#define ZERO_FLUSH_1 "dc zva, %0\n\tdc civac, %0\n\tadd %0, %0, %2\n\t"
#define ZERO_FLUSH_4 ZERO_FLUSH_1 ZERO_FLUSH_1 ZERO_FLUSH_1 ZERO_FLUSH_1
#define ZERO_FLUSH_16 ZERO_FLUSH_4 ZERO_FLUSH_4 ZERO_FLUSH_4 ZERO_FLUSH_4
#define ZERO_FLUSH_64 ZERO_FLUSH_16 ZERO_FLUSH_16 ZERO_FLUSH_16 ZERO_FLUSH_16

static void zero_blocks(char *p, char *end, uint64_t block)
{
	__asm__ volatile("1:\n\t" ZERO_FLUSH_64 "cmp %0, %1\n\tb.lo 1b"
			 : "+r"(p)
			 : "r"(end), "r"(block)
			 : "cc", "memory");
}

/* DC ZVA zeroes a block of DCZID_EL0.BS words at once (Arm ARM D13.2.35); when DZP says it
 * is prohibited, or the range is not made of whole blocks, plain stores do it. */
void arch_zero_ram(paddr_t maddr, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ULL << (dczid & 0xf);
	char *p = maddr_to_virt(maddr), *end = p + size;

	if ((dczid & 0x10) || block > dcache_line() ||
	    !IS_ALIGNED(maddr, ZERO_BLOCKS_PER_TURN * block) ||
	    !IS_ALIGNED(size, ZERO_BLOCKS_PER_TURN * block) || !size) {
		memset(p, 0, size);
		arch_flush_ram(maddr, size);
		return;
	}
	zero_blocks(p, end, block);
	dsb(ish);
}
