/* Grant tables v1, Xen's semantics and status codes (xen/common/grant_table.c is the
 * reference for every GNTST_* below): map, unmap, setup_table, query_size, copy and
 * cache_flush. One lock serialises every grant operation of every domain: mapping is rare
 * and boot-sized here, and one lock cannot be taken in the wrong order. The granter's entry
 * is shared with a running guest, so its flags only change by compare-and-swap. */
#include "arch.h"
#include "dma_decl.h"
#include "hypercall.h"
#include "domain.h"
#include "grant.h"
#include "guest_access.h"
#include "log.h"
#include "p2m.h"
#include "spinlock.h"
#include <string.h>

#define PIN_READ 0x0001
#define PIN_WRITE 0x0100
#define PIN_WRITERS 0xff00
#define PIN_NEAR_OVERFLOW 0x8080
/* Ops per lock hold: an unmap holds back two invalidations at most (its page and the
 * alias), and a chunk's must fit one deferral. */
#define GRANT_CHUNK (P2M_DEFER_PAGES / 2)

spinlock_t grant_lock;

int grant_table_init(struct grant_table *gt, const struct pt_alloc *alloc)
{
	memset(gt, 0, sizeof(*gt));
	for (unsigned i = 0; i < GNT_MAX_FRAMES; i++) {
		gt->frame_ma[i] = alloc->alloc_table(alloc->ctx, 1);
		if (gt->frame_ma[i] == INVALID_PADDR)
			return -XEN_ENOMEM;
		memset(maddr_to_virt(gt->frame_ma[i]), 0, PAGE_SIZE);
		gt->frame_gfn[i] = INVALID_GFN;
	}
	gt->nr_frames = 1;
	return 0;
}

static unsigned nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * (unsigned)GNT_ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *entry(struct grant_table *gt, grant_ref_t ref)
{
	struct grant_entry_v1 *f = maddr_to_virt(gt->frame_ma[ref / GNT_ENTRIES_PER_FRAME]);

	return &f[ref % GNT_ENTRIES_PER_FRAME];
}

int grant_map_frame(struct domain *d, unsigned idx, gfn_t gfn)
{
	struct grant_table *gt = &d->grant;
	int rc;

	if (idx >= GNT_MAX_FRAMES)
		return -XEN_EINVAL;
	spin_lock(&grant_lock);
	if (!gfn_eq(gt->frame_gfn[idx], INVALID_GFN) && !gfn_eq(gt->frame_gfn[idx], gfn))
		p2m_unmap_page(&d->p2m, gt->frame_gfn[idx]);
	rc = p2m_map_page(&d->p2m, gfn, maddr_to_mfn(gt->frame_ma[idx]), P2M_XEN, P2M_RW);
	gt->frame_gfn[idx] = rc ? INVALID_GFN : gfn;
	if (!rc && idx >= gt->nr_frames)
		gt->nr_frames = idx + 1;
	spin_unlock(&grant_lock);
	return rc;
}

unsigned grant_nr_mappings(const struct domain *d)
{
	unsigned n = 0;

	for (unsigned h = 0; h < d->grant.maptrack_hi; h++)
		n += d->grant.maptrack[h].flags != 0;
	return n;
}

/* Xen's _set_status_v1: pins the entry for mapper ldom by setting GTF_reading (and
 * GTF_writing), after checking type, domid and GTF_readonly unless already pinned. A guest
 * racing the update gets a few retries, then an error. */
static int set_status(struct grant_entry_v1 *e, bool pinned, bool readonly, domid_t ldom)
{
	uint32_t *word = (uint32_t *)e;
	uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);

	for (int retries = 0;; retries++) {
		uint16_t flags = (uint16_t)cur, domid = (uint16_t)(cur >> 16);
		uint32_t want = cur | GTF_reading | (readonly ? 0 : GTF_writing);

		if (!pinned && ((flags & (GTF_type_mask | GTF_sub_page)) != GTF_permit_access ||
				domid != ldom))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		if (__atomic_compare_exchange_n(word, &cur, want, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
		if (retries == 4)
			return GNTST_general_error; /* "shared grant entry is unstable" */
	}
}

static void clear_flags(struct grant_entry_v1 *e, uint16_t bits)
{
	__atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_ACQ_REL);
}

/* Drops one pin; the flags follow what is still pinned. */
static void unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
	struct grant_active *act = &rgt->active[ref];
	uint16_t bits = 0;

	act->pin -= readonly ? PIN_READ : PIN_WRITE;
	if (!readonly && !(act->pin & PIN_WRITERS))
		bits |= GTF_writing;
	if (!act->pin)
		bits |= GTF_reading;
	if (bits)
		clear_flags(entry(rgt, ref), bits);
}

/* Pins (rd, ref) for ld: the frame it grants, or a GNTST_* error. */
static int pin(struct domain *ld, struct domain *rd, grant_ref_t ref, bool readonly, mfn_t *mfn)
{
	struct grant_table *rgt = &rd->grant;
	struct grant_active *act;
	int rc;

	if (ref >= nr_entries(rgt))
		return GNTST_bad_gntref;
	act = &rgt->active[ref];
	if (act->pin && (act->domid != ld->id || (act->pin & PIN_NEAR_OVERFLOW)))
		return GNTST_general_error;
	if (!act->pin || (!readonly && !(act->pin & PIN_WRITERS))) {
		rc = set_status(entry(rgt, ref), act->pin != 0, readonly, ld->id);
		if (rc)
			return rc;
	}
	if (!act->pin) {
		gfn_t gfn = _gfn(__atomic_load_n(&entry(rgt, ref)->frame, __ATOMIC_ACQUIRE));
		mfn_t got;

		if (p2m_get_ram_page(&rd->p2m, gfn, !readonly, &got)) {
			clear_flags(entry(rgt, ref), GTF_reading | (readonly ? 0 : GTF_writing));
			return GNTST_bad_page; /* the granter named a frame it does not own */
		}
		act->mfn = (uint32_t)mfn_x(got);
		act->domid = ld->id;
	}
	act->pin += readonly ? PIN_READ : PIN_WRITE;
	*mfn = _mfn(act->mfn);
	return GNTST_okay;
}

/* The mapper's 1:1 alias of a foreign frame (Xen's iommu_legacy_map in map_grant_ref): a
 * 1:1 domain whose devices sit behind the SMMU DMAs to dev_bus_addr, which the SMMU then
 * translates through this entry. Present while any mapping of the frame is, writable while
 * a writable one is. Its removal's invalidation goes into def (NULL: made now). */
static int sync_alias(struct domain *ld, mfn_t mfn, struct p2m_deferred *def)
{
	gfn_t at = mfn_to_gfn_1to1(mfn);
	bool any = false, write = false;
	enum p2m_access access, had;
	enum p2m_type t;
	int rc;

	if (!dma_decl_needs_alias(ld))
		return 0;
	for (unsigned h = 0; h < ld->grant.maptrack_hi; h++) {
		const struct grant_maptrack *m = &ld->grant.maptrack[h];

		if (m->flags && m->mfn == mfn_x(mfn)) {
			any = true;
			write |= !(m->flags & GNTMAP_readonly);
		}
	}
	if (!any) {
		rc = p2m_unmap_page_if(&ld->p2m, at, P2M_IOMMU_ALIAS, mfn, def);
		return rc == -XEN_ENOENT ? 0 : rc;
	}
	access = write ? P2M_RW : P2M_RO;
	rc = p2m_map_page_new(&ld->p2m, at, mfn, P2M_IOMMU_ALIAS, access);
	if (rc != -XEN_EEXIST)
		return rc;
	/* the entry's type says whose it is: anything there but an alias is the domain's own
	 * page (a self-grant) or a host mapping the guest put at GFN == MFN, which the SMMU
	 * already sees: no alias then, and that entry stays as the guest asked */
	if (p2m_lookup_page(&ld->p2m, at, NULL, &t, &had) || t != P2M_IOMMU_ALIAS || had == access)
		return 0;
	return p2m_map_page(&ld->p2m, at, mfn, P2M_IOMMU_ALIAS, access);
}

/* The lowest free handle, so that maptrack_hi stays as low as the mappings allow. */
static int free_handle(const struct domain *ld)
{
	for (unsigned h = 0; h < GNT_MAPTRACK; h++)
		if (h >= ld->grant.maptrack_hi || !ld->grant.maptrack[h].flags)
			return (int)h;
	return -1;
}

static void maptrack_set(struct grant_table *gt, unsigned h, struct grant_maptrack m)
{
	gt->maptrack[h] = m;
	if (h >= gt->maptrack_hi)
		gt->maptrack_hi = h + 1;
}

static void maptrack_clear(struct grant_table *gt, unsigned h)
{
	gt->maptrack[h].flags = 0;
	while (gt->maptrack_hi && !gt->maptrack[gt->maptrack_hi - 1].flags)
		gt->maptrack_hi--;
}

static void map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
	bool ro = op->flags & GNTMAP_readonly;
	gfn_t gfn = gpa_to_gfn(_gpa(op->host_addr));
	struct domain *rd;
	mfn_t mfn;
	int handle;

	if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
		op->status = GNTST_bad_gntref;
		return;
	}
	if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
		op->status = GNTST_general_error; /* Xen on ARM: no device or PTE mappings */
		return;
	}
	rd = domain_by_id(op->dom);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	handle = free_handle(ld);
	if (handle < 0) {
		op->status = GNTST_no_device_space;
		return;
	}
	op->status = (int16_t)pin(ld, rd, op->ref, ro, &mfn);
	if (op->status)
		return;
	/* a foreign frame only goes where the mapper has nothing: replacing its RAM would
	 * break the 1:1 invariant the feature bits stand on, and replacing MMIO would hide a
	 * device */
	if (p2m_map_page_new(&ld->p2m, gfn, mfn, P2M_FOREIGN, ro ? P2M_RO : P2M_RW)) {
		log_debug("d%u: grant d%u ref %u: host_addr 0x%llx is not a free guest frame",
			  ld->id, rd->id, op->ref, (unsigned long long)op->host_addr);
		unpin(&rd->grant, op->ref, ro);
		op->status = GNTST_general_error; /* what Xen answers when the p2m refuses */
		return;
	}
	maptrack_set(
		&ld->grant, (unsigned)handle,
		(struct grant_maptrack){op->flags, rd->id, op->ref, gfn, (uint32_t)mfn_x(mfn)});
	if (sync_alias(ld, mfn, NULL)) {
		p2m_unmap_page(&ld->p2m, gfn);
		maptrack_clear(&ld->grant, (unsigned)handle);
		unpin(&rd->grant, op->ref, ro);
		op->status = GNTST_general_error;
		return;
	}
	op->dev_bus_addr = mfn_to_maddr(mfn);
	op->handle = (grant_handle_t)handle;
	op->status = GNTST_okay;
}

/* What an unmap batch releases once its invalidations are made: the granters' pins. */
struct unmap_release {
	struct p2m_deferred flush;
	unsigned nr;
	struct {
		struct domain *rd;
		grant_ref_t ref;
		bool readonly;
	} unpin[GRANT_CHUNK];
};

static void unmap_release(struct domain *ld, struct unmap_release *r)
{
	p2m_flush_deferred(&ld->p2m, &r->flush);
	for (unsigned i = 0; i < r->nr; i++)
		unpin(&r->unpin[i].rd->grant, r->unpin[i].ref, r->unpin[i].readonly);
	r->nr = 0;
}

static void unmap_one(struct domain *ld, struct gnttab_unmap_grant_ref *op, struct unmap_release *r)
{
	struct grant_maptrack *m;
	struct domain *rd;
	mfn_t mfn;

	if (op->handle >= GNT_MAPTRACK || !ld->grant.maptrack[op->handle].flags) {
		op->status = GNTST_bad_handle;
		return;
	}
	m = &ld->grant.maptrack[op->handle];
	rd = domain_by_id(m->dom);
	mfn = _mfn(m->mfn);
	if (!rd) {
		op->status = GNTST_bad_handle;
		return;
	}
	if (op->dev_bus_addr && op->dev_bus_addr != mfn_to_maddr(mfn)) {
		op->status = GNTST_general_error; /* "bus address doesn't match gntref" */
		return;
	}
	if (!op->host_addr) {
		op->status = GNTST_okay; /* as in Xen: nothing named, nothing undone */
		return;
	}
	/* the granter sees its flags clear only once no walker can reach the page: the pin
	 * drops in unmap_release, after the CPU's and the SMMU's TLBs are invalidated */
	if (!gfn_eq(gpa_to_gfn(_gpa(op->host_addr)), m->gfn) ||
	    p2m_unmap_page_if(&ld->p2m, m->gfn, P2M_FOREIGN, mfn, &r->flush)) {
		op->status = GNTST_general_error;
		return;
	}
	r->unpin[r->nr].rd = rd;
	r->unpin[r->nr].ref = m->ref;
	r->unpin[r->nr].readonly = m->flags & GNTMAP_readonly;
	r->nr++;
	maptrack_clear(&ld->grant, op->handle);
	sync_alias(ld, mfn, &r->flush);
	op->status = GNTST_okay;
}

/* DOMID_SELF or an id; others' tables only for the hardware domain (Xen's XSM_TARGET). */
static int target_domain(struct vcpu *v, domid_t dom, struct domain **out)
{
	struct domain *d = dom == DOMID_SELF ? v->d : domain_by_id(dom);

	if (!d)
		return GNTST_bad_domain;
	if (d != v->d && !v->d->hardware)
		return GNTST_permission_denied;
	*out = d;
	return GNTST_okay;
}

/* setup_table and query_size take exactly one op, which starts with its domain: read it
 * and resolve that domain into the op's status. */
static long read_one_op(struct vcpu *v, uint64_t uop, unsigned count, void *op, size_t size,
			int16_t *status, struct domain **d)
{
	domid_t dom;

	if (count != 1)
		return -XEN_EINVAL;
	if (copy_from_guest(v, op, uop, size))
		return -XEN_EFAULT;
	memcpy(&dom, op, sizeof(dom));
	*status = (int16_t)target_domain(v, dom, d);
	return 0;
}

static long setup_table(struct vcpu *v, uint64_t uop, unsigned count)
{
	struct gnttab_setup_table op;
	struct domain *d;
	long rc = read_one_op(v, uop, count, &op, sizeof(op), &op.status, &d);

	if (rc)
		return rc;
	if (!op.status && op.nr_frames > GNT_MAX_FRAMES)
		op.status = GNTST_general_error;
	if (!op.status && op.nr_frames > d->grant.nr_frames)
		d->grant.nr_frames = op.nr_frames;
	for (unsigned i = 0; !op.status && i < op.nr_frames; i++) {
		uint64_t gfn = gfn_x(d->grant.frame_gfn[i]);

		if (copy_to_guest(v, op.frame_list + i * sizeof(gfn), &gfn, sizeof(gfn)))
			op.status = GNTST_bad_virt_addr;
	}
	if (copy_to_guest(v, uop + __builtin_offsetof(struct gnttab_setup_table, status),
			  &op.status, sizeof(op.status)))
		return -XEN_EFAULT;
	return 0;
}

static long query_size(struct vcpu *v, uint64_t uop, unsigned count)
{
	struct gnttab_query_size op;
	struct domain *d;
	long rc = read_one_op(v, uop, count, &op, sizeof(op), &op.status, &d);

	if (rc)
		return rc;
	if (!op.status) {
		op.nr_frames = d->grant.nr_frames;
		op.max_nr_frames = GNT_MAX_FRAMES;
	}
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Grant tables here are v1 only, as Xen on Arm's default maximum (gnttab_max_version 1):
 * Xen's answers (grant_table.c: gnttab_set_version), the version written back either way. */
static long set_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -XEN_EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -XEN_EINVAL;
	else if (op.version == 2)
		rc = -XEN_ENOSYS; /* "behave as before set_version was introduced" */
	op.version = 1;
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

static long get_version(struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(v, &op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = op.dom == DOMID_SELF ? v->d : domain_by_id(op.dom);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->hardware)
		return -XEN_EPERM;
	op.version = 1;
	return copy_to_guest(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* One side of a copy: a grant of another domain (pinned for the copy) or a local frame. */
struct copy_buf {
	struct domain *rd;
	grant_ref_t ref;
	bool pinned, readonly;
	mfn_t mfn;
};

static int claim_buf(struct domain *ld, const struct gnttab_copy_ptr *p, bool gref, bool readonly,
		     struct copy_buf *b)
{
	b->pinned = false;
	if (!gref)
		return p2m_get_ram_page(&ld->p2m, _gfn(p->u.gmfn), !readonly, &b->mfn)
			       ? GNTST_bad_page
			       : GNTST_okay;
	b->rd = p->domid == DOMID_SELF ? ld : domain_by_id(p->domid);
	if (!b->rd)
		return GNTST_bad_domain;
	b->ref = p->u.ref;
	b->readonly = readonly;
	int rc = pin(ld, b->rd, p->u.ref, readonly, &b->mfn);

	b->pinned = rc == GNTST_okay;
	return rc;
}

static void release_buf(struct copy_buf *b)
{
	if (b->pinned)
		unpin(&b->rd->grant, b->ref, b->readonly);
}

static int16_t copy_one(struct domain *ld, const struct gnttab_copy *op)
{
	struct copy_buf src, dst;
	int rc;

	if (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE)
		return GNTST_bad_copy_arg;
	if ((op->source.domid != DOMID_SELF && !(op->flags & GNTCOPY_source_gref)) ||
	    (op->dest.domid != DOMID_SELF && !(op->flags & GNTCOPY_dest_gref)))
		return GNTST_permission_denied; /* foreign frames only through grants */
	rc = claim_buf(ld, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
	if (rc)
		return (int16_t)rc;
	rc = claim_buf(ld, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
	if (!rc)
		memmove((char *)maddr_to_virt(mfn_to_maddr(dst.mfn)) + op->dest.offset,
			(char *)maddr_to_virt(mfn_to_maddr(src.mfn)) + op->source.offset, op->len);
	release_buf(&dst);
	release_buf(&src);
	return (int16_t)rc;
}

/* Is the machine page the caller's, or a foreign one it has mapped? */
static bool maddr_usable(struct domain *ld, paddr_t ma)
{
	paddr_t got;
	enum p2m_type t;

	for (unsigned h = 0; h < ld->grant.maptrack_hi; h++)
		if (ld->grant.maptrack[h].flags &&
		    ld->grant.maptrack[h].mfn == mfn_x(maddr_to_mfn(ma)))
			return true;
	for (unsigned i = 0; i < ld->nr_ram; i++) {
		const struct ram_bank *b = &ld->ram[i];

		if (b->maddr != INVALID_PADDR && ma >= b->maddr && ma < b->maddr + b->size)
			return true;
		/* coloured memory is scattered: look each page up */
		for (uint64_t off = 0; b->maddr == INVALID_PADDR && off < b->size; off += PAGE_SIZE)
			if (!p2m_lookup(&ld->p2m, b->gpa + off, &got, &t, NULL) && t == P2M_RAM &&
			    got == ma)
				return true;
	}
	return false;
}

/* QEMU's devices are coherent: nothing to clean or invalidate, but the arguments are
 * checked exactly as Xen does (gnttab_cache_flush). */
static long cache_flush_one(struct domain *ld, const struct gnttab_cache_flush *op)
{
	if (op->op & ~(GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL | GNTTAB_CACHE_SOURCE_GREF))
		return -XEN_EINVAL;
	if (op->op & GNTTAB_CACHE_SOURCE_GREF)
		return -XEN_EOPNOTSUPP;
	if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
	    op->offset + op->length > PAGE_SIZE)
		return -XEN_EINVAL;
	if (!op->length || !op->op)
		return 0;
	return maddr_usable(ld, op->a.dev_bus_addr & ~(uint64_t)(PAGE_SIZE - 1)) ? 0 : -XEN_EPERM;
}

/* Batches as Xen runs them: one status per op for map, unmap and copy (a failed op does
 * not stop the batch), and -EFAULT as soon as an op cannot be read or written back. The
 * lock is held for GRANT_CHUNK ops at a time: an unmap chunk's invalidations are made
 * together, one SMMU sync for them all, and only then do the granters' pins drop. */
static long batch(struct vcpu *v, unsigned cmd, uint64_t uop, unsigned count)
{
	static const size_t sizes[] = {
		[GNTTABOP_map_grant_ref] = sizeof(struct gnttab_map_grant_ref),
		[GNTTABOP_unmap_grant_ref] = sizeof(struct gnttab_unmap_grant_ref),
		[GNTTABOP_copy] = sizeof(struct gnttab_copy),
		[GNTTABOP_cache_flush] = sizeof(struct gnttab_cache_flush)};
	union {
		struct gnttab_map_grant_ref map;
		struct gnttab_unmap_grant_ref unmap;
		struct gnttab_copy copy;
		struct gnttab_cache_flush flush;
	} op;
	struct unmap_release release; /* not zeroed whole: only the counts are read */
	size_t size = sizes[cmd];
	long rc = 0;

	release.nr = 0;
	release.flush.nr = 0;

	for (unsigned i = 0; !rc && i < count;) {
		spin_lock(&grant_lock);
		for (unsigned n = 0; !rc && n < GRANT_CHUNK && i < count; n++, i++) {
			uint64_t at = uop + i * size;

			if (copy_from_guest(v, &op, at, size)) {
				rc = -XEN_EFAULT;
				break;
			}
			if (cmd == GNTTABOP_map_grant_ref)
				map_one(v->d, &op.map);
			else if (cmd == GNTTABOP_unmap_grant_ref)
				unmap_one(v->d, &op.unmap, &release);
			else if (cmd == GNTTABOP_copy)
				op.copy.status = copy_one(v->d, &op.copy);
			else
				rc = cache_flush_one(v->d, &op.flush);
			if (!rc && cmd != GNTTABOP_cache_flush && copy_to_guest(v, at, &op, size))
				rc = -XEN_EFAULT;
		}
		unmap_release(v->d, &release);
		spin_unlock(&grant_lock);
	}
	return rc;
}

long do_grant_table_op(struct vcpu *v, const uint64_t a[5])
{
	unsigned cmd = (unsigned)a[0], count = (unsigned)a[2];

	if ((int)count < 0)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_setup_table:
		return setup_table(v, a[1], count);
	case GNTTABOP_query_size:
		return query_size(v, a[1], count);
	case GNTTABOP_set_version:
		return set_version(v, a[1]);
	case GNTTABOP_get_version:
		return get_version(v, a[1]);
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_copy:
	case GNTTABOP_cache_flush:
		/* no continuation needed: a long batch only costs the caller's own CPU */
		return batch(v, cmd, a[1], count);
	}
	return hypercall_enosys(v, __HYPERVISOR_grant_table_op, cmd);
}
