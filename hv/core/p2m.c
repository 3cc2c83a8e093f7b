/* Stage-2 translation of one domain (Arm ARM D8, stage 2 descriptors D8.5.5). The p2m type
 * lives in the descriptor's software bits [58:55], so one walk tells what a GFN is. The RAM
 * counters behind p2m_is_direct_mapped() are updated at the one place leaves change. */
#include "arch.h"
#include "p2m.h"
#include <format.h>

#define S2_MEMATTR_NORMAL_WB (0xFULL << 2) /* outer and inner write-back */
#define S2_MEMATTR_DEVICE_nGnRE (0x1ULL << 2)
#define S2_AP_RO (1ULL << 6)
#define S2_AP_RW (3ULL << 6)
#define S2_SH_INNER (3ULL << 8)
#define S2_XN (2ULL << 53) /* XN[1:0] = 0b10: not executable at EL1 or EL0 */
#define S2_TYPE_SHIFT 55
#define S2_TYPE_MASK (0xFULL << S2_TYPE_SHIFT)

static enum p2m_type desc_type(uint64_t desc)
{
	return (enum p2m_type)((desc & S2_TYPE_MASK) >> S2_TYPE_SHIFT);
}

enum p2m_type p2m_desc_type(uint64_t desc)
{
	return desc_type(desc);
}

static struct p2m *pt_to_p2m(struct pt *pt)
{
	return (struct p2m *)((char *)pt - offsetof(struct p2m, pt));
}

static bool desc_held(uint64_t desc)
{
	return !(desc & PT_AF);
}

static inline bool held_leaf(uint64_t desc)
{
	return desc && desc_held(desc);
}

/* held_bytes and held_mmio follow the access flags, as the RAM counters follow the types */
static void count_held(struct p2m *p2m, uint64_t size, uint64_t desc, int sign)
{
	if (!held_leaf(desc))
		return;
	if (desc_type(desc) == P2M_RAM)
		p2m->held_bytes += sign * size;
	else
		p2m->held_mmio += sign;
}

static void p2m_leaf_change(struct pt *pt, uint64_t gpa, uint64_t size, uint64_t old_desc,
			    uint64_t new_desc)
{
	struct p2m *p2m = pt_to_p2m(pt);
	uint64_t pages = size >> PAGE_SHIFT;

	if (__builtin_expect(held_leaf(old_desc) | held_leaf(new_desc), 0)) {
		count_held(p2m, size, old_desc, -1);
		count_held(p2m, size, new_desc, 1);
	}

	if (old_desc && desc_type(old_desc) == P2M_RAM) {
		/* a RAM translation went: cached ones (guest_access.c) are stale from now on */
		__atomic_store_n(&p2m->ram_gen, p2m->ram_gen + 1, __ATOMIC_RELEASE);
		p2m->ram_leaves--;
		p2m->ram_pages -= pages;
		if ((old_desc & PT_ADDR_MASK) == gpa)
			p2m->ram_identity_pages -= pages;
	}
	if (new_desc && desc_type(new_desc) == P2M_RAM) {
		p2m->ram_leaves++;
		p2m->ram_pages += pages;
		if ((new_desc & PT_ADDR_MASK) == gpa)
			p2m->ram_identity_pages += pages;
	}
}

/* Before its domain first runs, no TLB holds a VMID's entries: building a domain page by
 * page (colouring) needs no invalidation. */
static void p2m_flush(struct pt *pt, uint64_t gpa, uint64_t size)
{
	struct p2m *p2m = pt_to_p2m(pt);

	if (p2m->live)
		arch_s2_tlb_flush(p2m->vmid, gpa, size);
}

/* A removal made for a caller that holds its invalidation back (p2m_unmap_page_if):
 * recorded, as long as there is room; flushed now otherwise. */
static void p2m_flush_removal(struct pt *pt, uint64_t gpa, uint64_t size)
{
	struct p2m *p2m = pt_to_p2m(pt);
	struct p2m_deferred *def = p2m->deferred;

	if (!p2m->live)
		return;
	if (def && size == PAGE_SIZE && def->nr < P2M_DEFER_PAGES) {
		def->ipa[def->nr++] = gpa;
		return;
	}
	p2m_flush(pt, gpa, size);
}

static const struct pt_ops p2m_pt_ops = {
	.leaf_change = p2m_leaf_change,
	.flush = p2m_flush,
	.flush_removal = p2m_flush_removal,
};

int p2m_init(struct p2m *p2m, uint16_t vmid, const struct pt_alloc *alloc)
{
	p2m->vmid = vmid;
	p2m->ram_pages = 0;
	p2m->ram_identity_pages = 0;
	p2m->ram_leaves = 0;
	p2m->live = true;
	p2m->ram_gen = 0;
	p2m->deferred = NULL;
	p2m->held_bytes = 0;
	p2m->held_mmio = 0;
	p2m->lock = (spinlock_t){0};
	return pt_init(&p2m->pt, P2M_IPA_BITS, 1, alloc, &p2m_pt_ops);
}

static uint64_t leaf_attr(enum p2m_type type, enum p2m_access access)
{
	uint64_t attr = PT_AF | ((uint64_t)type << S2_TYPE_SHIFT);

	attr |= access == P2M_RO ? S2_AP_RO : S2_AP_RW;
	if (type == P2M_MMIO)
		attr |= S2_MEMATTR_DEVICE_nGnRE | S2_XN;
	else
		attr |= S2_MEMATTR_NORMAL_WB | S2_SH_INNER;
	return attr;
}

int p2m_map(struct p2m *p2m, paddr_t gpa, paddr_t maddr, uint64_t size, enum p2m_type type,
	    enum p2m_access access)
{
	uint64_t attr;
	int rc;

	if (type == P2M_NONE)
		return -XEN_EINVAL;
	spin_lock(&p2m->lock);
	attr = leaf_attr(type, access);
	if (type == P2M_MMIO && p2m->held_bytes)
		attr &= ~PT_AF; /* a device mapped later (a BAR) waits for the RAM like the others */
	rc = pt_map(&p2m->pt, gpa, maddr, size, attr);
	spin_unlock(&p2m->lock);
	return rc;
}

int p2m_map_page_new(struct p2m *p2m, gfn_t gfn, mfn_t mfn, enum p2m_type type,
		     enum p2m_access access)
{
	int rc;

	if (type == P2M_NONE)
		return -XEN_EINVAL;
	spin_lock(&p2m->lock);
	rc = pt_map_page_new(&p2m->pt, gpa_x(gfn_to_gpa(gfn)), mfn_to_maddr(mfn),
			     leaf_attr(type, access));
	spin_unlock(&p2m->lock);
	return rc;
}

int p2m_unmap(struct p2m *p2m, paddr_t gpa, uint64_t size)
{
	int rc;

	spin_lock(&p2m->lock);
	rc = pt_unmap(&p2m->pt, gpa, size);
	spin_unlock(&p2m->lock);
	return rc;
}

int p2m_unmap_page_if(struct p2m *p2m, gfn_t gfn, enum p2m_type type, mfn_t mfn,
		      struct p2m_deferred *def)
{
	int rc;

	spin_lock(&p2m->lock);
	p2m->deferred = def; /* this update's only: others on the p2m flush as they go */
	rc = pt_unmap_page_if(&p2m->pt, gpa_x(gfn_to_gpa(gfn)), PT_ADDR_MASK | S2_TYPE_MASK,
			      mfn_to_maddr(mfn) | ((uint64_t)type << S2_TYPE_SHIFT));
	p2m->deferred = NULL;
	spin_unlock(&p2m->lock);
	return rc;
}

void p2m_flush_deferred(struct p2m *p2m, struct p2m_deferred *def)
{
	if (p2m->live)
		arch_s2_tlb_flush_pages(p2m->vmid, def->ipa, def->nr);
	def->nr = 0;
}

/* The held RAM leaf covering gpa zeroed and released: its size in *zeroed. */
static void release_ram_at(struct p2m *p2m, paddr_t gpa, uint64_t *desc, uint64_t *zeroed)
{
	unsigned level;
	paddr_t ma;

	pt_lookup(&p2m->pt, gpa, &ma, NULL, &level);
	*zeroed = pt_level_size(level);
	arch_zero_ram(ALIGN_DOWN(ma, *zeroed), *zeroed); /* ends with a DSB: zeros before the flag */
	pt_set_leaf_bits(&p2m->pt, gpa, PT_AF, PT_AF);
	*desc |= PT_AF;
}

/* pt_lookup(), releasing a held RAM leaf: the frame it hands out is zeroed. */
static inline int lookup_locked(struct p2m *p2m, paddr_t gpa, paddr_t *maddr, uint64_t *desc,
				uint64_t *zeroed)
{
	int rc = pt_lookup(&p2m->pt, gpa, maddr, desc, NULL);

	*zeroed = 0;
	if (!rc && __builtin_expect(desc_held(*desc) && desc_type(*desc) == P2M_RAM, 0))
		release_ram_at(p2m, gpa, desc, zeroed);
	return rc;
}

int p2m_lookup(struct p2m *p2m, paddr_t gpa, paddr_t *maddr, enum p2m_type *type,
	       enum p2m_access *access)
{
	uint64_t desc, zeroed;
	int rc;

	spin_lock(&p2m->lock);
	rc = lookup_locked(p2m, gpa, maddr, &desc, &zeroed);
	spin_unlock(&p2m->lock);
	if (rc)
		return rc == -XEN_ERANGE ? -XEN_ENOENT : rc;
	if (type)
		*type = desc_type(desc);
	if (access)
		*access = (desc & S2_AP_RW) == S2_AP_RW ? P2M_RW : P2M_RO;
	return 0;
}

int p2m_hold(struct p2m *p2m, paddr_t gpa)
{
	uint64_t desc;
	int rc;

	spin_lock(&p2m->lock);
	rc = pt_lookup(&p2m->pt, gpa, NULL, &desc, NULL);
	if (!rc && (desc_held(desc) || (desc_type(desc) != P2M_RAM &&
					desc_type(desc) != P2M_MMIO)))
		rc = -XEN_EINVAL;
	if (!rc)
		pt_set_leaf_bits(&p2m->pt, gpa, PT_AF, 0);
	spin_unlock(&p2m->lock);
	return rc;
}

/* The gate zeroes RAM a few blocks per hold of the lock, so that another vCPU faulting on
 * a block of its own meanwhile waits for a few blocks, not for all of them. */
#define RELEASE_BATCH 8

struct held_found {
	unsigned nr;
	paddr_t gpa[RELEASE_BATCH];
};

static int find_held_ram(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
			 unsigned level)
{
	struct held_found *f = arg;

	(void)ma;
	(void)size;
	(void)level;
	if (desc_held(desc) && desc_type(desc) == P2M_RAM)
		f->gpa[f->nr++] = gpa;
	return f->nr == RELEASE_BATCH;
}

/* A device leaf whose held state is *arg */
static bool device_held_is(void *arg, uint64_t gpa, uint64_t desc, unsigned level)
{
	(void)gpa;
	(void)level;
	return desc_type(desc) == P2M_MMIO && desc_held(desc) == *(const bool *)arg;
}

uint64_t p2m_hold_devices(struct p2m *p2m)
{
	bool held = false;
	uint64_t n;

	spin_lock(&p2m->lock);
	n = pt_set_bits_where(&p2m->pt, device_held_is, &held, PT_AF, 0);
	spin_unlock(&p2m->lock);
	return n;
}

/* All RAM first, then the devices: another vCPU may reach a device as soon as it is
 * released. The bytes zeroed here. */
uint64_t p2m_release_held(struct p2m *p2m)
{
	struct held_found f;
	uint64_t total = 0, zeroed, desc;
	bool held = true;

	for (;;) {
		spin_lock(&p2m->lock);
		f.nr = 0;
		pt_walk(&p2m->pt, find_held_ram, &f);
		for (unsigned i = 0; i < f.nr; i++) {
			lookup_locked(p2m, f.gpa[i], NULL, &desc, &zeroed);
			total += zeroed;
		}
		if (!f.nr) /* still locked: no RAM is held, and none will be again */
			break;
		spin_unlock(&p2m->lock);
	}
	pt_set_bits_where(&p2m->pt, device_held_is, &held, PT_AF, PT_AF);
	p2m_flush(&p2m->pt, 0, 1ULL << P2M_IPA_BITS);
	spin_unlock(&p2m->lock);
	return total;
}

int p2m_access_fault(struct p2m *p2m, paddr_t gpa, uint64_t *zeroed, bool *devices)
{
	uint64_t desc;
	int rc;

	*devices = false;
	spin_lock(&p2m->lock);
	rc = lookup_locked(p2m, gpa, NULL, &desc, zeroed);
	spin_unlock(&p2m->lock);
	if (rc)
		return -XEN_ENOENT;
	if (desc_held(desc)) { /* still held: a device's (the lookup releases RAM) */
		*zeroed = p2m_release_held(p2m);
		*devices = true;
	}
	return 0;
}

int p2m_get_ram_page(struct p2m *p2m, gfn_t gfn, bool writable, mfn_t *mfn)
{
	enum p2m_access access;
	enum p2m_type type;
	mfn_t found;
	int rc;

	/* checked here, not left to the walk: a wide gfn shifted into an address would wrap */
	if (gfn_x(gfn) >> (P2M_IPA_BITS - PAGE_SHIFT))
		return -XEN_EINVAL;
	rc = p2m_lookup_page(p2m, gfn, &found, &type, &access);
	if (rc)
		return -XEN_ENOENT;
	if (type != P2M_RAM)
		return -XEN_EPERM;
	if (writable && access != P2M_RW)
		return -XEN_EACCES;
	if (mfn)
		*mfn = found;
	return 0;
}

bool p2m_is_direct_mapped(const struct p2m *p2m)
{
	return p2m->ram_pages > 0 && p2m->ram_pages == p2m->ram_identity_pages;
}

uint64_t p2m_vttbr(const struct p2m *p2m)
{
	return p2m->pt.root | ((uint64_t)p2m->vmid << 48);
}

struct describe_acc {
	uint64_t mmio_ranges;
	paddr_t mmio_end;
};

static int count_mmio(void *arg, uint64_t gpa, paddr_t maddr, uint64_t size, uint64_t desc,
		      unsigned level)
{
	struct describe_acc *acc = arg;

	(void)maddr;
	(void)level;
	if (desc_type(desc) == P2M_MMIO) {
		if (gpa != acc->mmio_end)
			acc->mmio_ranges++;
		acc->mmio_end = gpa + size;
	}
	return 0;
}

void p2m_describe(const struct p2m *p2m, char *buf, size_t len)
{
	struct describe_acc acc = {0, INVALID_PADDR};
	const struct pt *pt = &p2m->pt;

	pt_walk(pt, count_mmio, &acc);
	snprintf(buf, len,
		 "p2m: %llu MiB RAM %s in %llu entries; leaf entries: %llu of 1G, %llu of 2M, "
		 "%llu of 4K; %llu MMIO ranges; %llu table pages",
		 (unsigned long long)(p2m->ram_pages >> (20 - PAGE_SHIFT)),
		 p2m_is_direct_mapped(p2m) ? "1:1" : "translated",
		 (unsigned long long)p2m->ram_leaves,
		 (unsigned long long)pt->nr_leaves[1], (unsigned long long)pt->nr_leaves[2],
		 (unsigned long long)pt->nr_leaves[3], (unsigned long long)acc.mmio_ranges,
		 (unsigned long long)pt->nr_tables);
}
