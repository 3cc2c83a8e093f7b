/* Grant tables against fake domains: every GNTST_* path of map, unmap, setup_table,
 * query_size, copy and cache_flush as Xen answers them, the entry's GTF_reading/GTF_writing
 * through map and unmap, the mapper's p2m (and its 1:1 alias), maptrack exhaustion, batches
 * that go on past a failed op and stop at an unreadable one. */
#include "unit.h"
#include "grant.h"
#include <pthread.h>
#include "hypercall.h"
#include "shared_info.h"
#include <xen/memory.h>

#define GNT_WINDOW 0x38000000ULL
#define HOLE 0x90000000ULL /* unmapped in both fake domains */
#define OPS 0x2000	   /* where op arrays go in the caller's RAM */

static struct domain *d0, *d1;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 64, true);		   /* 1:1 dom0: the mapper */
	d1 = fake_domain(1, false, 0x40000000, 64, false); /* translated domU: the granter */
	return 0;
}

/* Runs count ops of size bytes from ops through d's RAM, copying the results back. */
static long gnttab(struct domain *d, unsigned cmd, void *ops, size_t size, unsigned count)
{
	long rc;

	memcpy(ut_ram(d, OPS), ops, size * count);
	rc = ut_hypercall(d, __HYPERVISOR_grant_table_op, cmd, d->ram[0].gpa + OPS, count);
	memcpy(ops, ut_ram(d, OPS), size * count);
	return rc;
}

static struct grant_entry_v1 *d1_entry(grant_ref_t ref)
{
	return (struct grant_entry_v1 *)maddr_to_virt(d1->grant.frame_ma[0]) + ref;
}

/* d1 grants its RAM page `page` to `to` (as a guest writes its table). */
static void grant(grant_ref_t ref, domid_t to, unsigned page, bool readonly)
{
	struct grant_entry_v1 *e = d1_entry(ref);

	e->domid = to;
	e->frame = (uint32_t)((d1->ram[0].gpa >> PAGE_SHIFT) + page);
	e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

static struct gnttab_map_grant_ref map_op(grant_ref_t ref, uint64_t host_addr, uint32_t flags)
{
	return (struct gnttab_map_grant_ref){
		.host_addr = host_addr, .flags = flags, .ref = ref, .dom = 1, .status = 99};
}

static int16_t map1(grant_ref_t ref, uint64_t host_addr, uint32_t flags,
		    struct gnttab_map_grant_ref *out)
{
	struct gnttab_map_grant_ref op = map_op(ref, host_addr, flags);

	assert_int_equal(gnttab(d0, GNTTABOP_map_grant_ref, &op, sizeof(op), 1), 0);
	if (out)
		*out = op;
	return op.status;
}

static int16_t unmap1(uint64_t host_addr, uint64_t bus, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {host_addr, bus, handle, 99};

	assert_int_equal(gnttab(d0, GNTTABOP_unmap_grant_ref, &op, sizeof(op), 1), 0);
	return op.status;
}

static enum p2m_type type_at(struct domain *d, uint64_t gpa, paddr_t *ma)
{
	enum p2m_type t = P2M_NONE;

	if (p2m_lookup(&d->p2m, gpa, ma, &t, NULL))
		return P2M_NONE;
	return t;
}

static void map_and_unmap(void **state)
{
	struct gnttab_map_grant_ref op;
	paddr_t ma;
	unsigned flushes;

	(void)state;
	grant(8, 0, 5, false);
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map, &op), GNTST_okay);
	assert_int_equal(op.dev_bus_addr, d1->ram[0].maddr + 5 * PAGE_SIZE);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(type_at(d0, HOLE, &ma), P2M_FOREIGN);
	assert_int_equal(ma, op.dev_bus_addr);
	assert_int_equal(grant_nr_mappings(d0), 1);
	assert_true(p2m_is_direct_mapped(&d0->p2m)); /* a foreign page is not d0's RAM */
	assert_int_equal(p2m_get_ram_page(&d0->p2m, _gfn(HOLE >> PAGE_SHIFT), false, NULL),
			 -XEN_EPERM); /* nor to the gate */
	/* a second, read-only mapping of the same grant: pins, no new flags needed */
	struct gnttab_map_grant_ref op2;

	assert_int_equal(map1(8, HOLE + PAGE_SIZE, GNTMAP_host_map | GNTMAP_readonly, &op2),
			 GNTST_okay);
	assert_int_not_equal(op2.handle, op.handle);
	/* unmapping the writable one clears GTF_writing only; the last clears GTF_reading */
	flushes = fake_s2_flushes;
	assert_int_equal(unmap1(HOLE, 0, op.handle), GNTST_okay);
	assert_true(fake_s2_flushes > flushes); /* invalidated before returning */
	assert_int_equal(type_at(d0, HOLE, NULL), P2M_NONE);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access | GTF_reading);
	assert_int_equal(unmap1(HOLE + PAGE_SIZE, op2.dev_bus_addr, op2.handle), GNTST_okay);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access);
	assert_int_equal(grant_nr_mappings(d0), 0);
}

static void map_errors(void **state)
{
	struct gnttab_map_grant_ref op;

	(void)state;
	grant(8, 0, 5, false);
	grant(9, 2, 5, false);	 /* granted to someone else */
	grant(10, 0, 6, true);	 /* read-only grant */
	d1_entry(11)->domid = 0; /* frame d1 does not have */
	d1_entry(11)->frame = 0x7000;
	d1_entry(11)->flags = GTF_permit_access;
	assert_int_equal(map1(8, HOLE, 0, NULL), GNTST_bad_gntref);
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map | GNTMAP_device_map, NULL),
			 GNTST_general_error);
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map | GNTMAP_contains_pte, NULL),
			 GNTST_general_error);
	op = map_op(8, HOLE, GNTMAP_host_map);
	op.dom = 7;
	assert_int_equal(gnttab(d0, GNTTABOP_map_grant_ref, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_bad_domain);
	assert_int_equal(map1(GNT_ENTRIES_PER_FRAME, HOLE, GNTMAP_host_map, NULL),
			 GNTST_bad_gntref); /* beyond the one frame in use */
	assert_int_equal(map1(0xffffffff, HOLE, GNTMAP_host_map, NULL), GNTST_bad_gntref);
	assert_int_equal(map1(9, HOLE, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map1(10, HOLE, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map1(12, HOLE, GNTMAP_host_map, NULL), GNTST_general_error); /* invalid */
	assert_int_equal(map1(11, HOLE, GNTMAP_host_map, NULL), GNTST_bad_page);
	assert_int_equal(d1_entry(11)->flags, GTF_permit_access); /* nothing left pinned */
	/* host_addr on the mapper's own RAM, or beyond its address space: refused, unpinned */
	assert_int_equal(map1(8, d0->ram[0].gpa, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(map1(8, 1ULL << 45, GNTMAP_host_map, NULL), GNTST_general_error);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access);
	assert_int_equal(type_at(d0, d0->ram[0].gpa, NULL), P2M_RAM);
	/* a read-only mapping of a read-only grant works, and is read-only in the p2m */
	assert_int_equal(map1(10, HOLE, GNTMAP_host_map | GNTMAP_readonly, &op), GNTST_okay);
	assert_int_equal(d1_entry(10)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	enum p2m_access a;

	assert_int_equal(p2m_lookup(&d0->p2m, HOLE, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RO);
	/* a mapping where another one already is: refused */
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map, NULL), GNTST_general_error);
	/* a pinned grant cannot be mapped by a second domain */
	struct domain *d2 = fake_domain(2, false, 0x40000000, 8, false);
	struct gnttab_map_grant_ref o = map_op(10, HOLE, GNTMAP_host_map | GNTMAP_readonly);

	d1_entry(10)->domid = 2;
	assert_int_equal(gnttab(d2, GNTTABOP_map_grant_ref, &o, sizeof(o), 1), 0);
	assert_int_equal(o.status, GNTST_general_error);
}

static void unmap_errors(void **state)
{
	struct gnttab_map_grant_ref op;

	(void)state;
	grant(8, 0, 5, false);
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map, &op), GNTST_okay);
	assert_int_equal(unmap1(HOLE, 0, GNT_MAPTRACK), GNTST_bad_handle);
	assert_int_equal(unmap1(HOLE, 0, 0xffffffff), GNTST_bad_handle);
	assert_int_equal(unmap1(HOLE, 0, op.handle + 1), GNTST_bad_handle); /* free handle */
	assert_int_equal(unmap1(HOLE, op.dev_bus_addr + PAGE_SIZE, op.handle), GNTST_general_error);
	assert_int_equal(unmap1(HOLE + PAGE_SIZE, 0, op.handle), GNTST_general_error);
	/* nothing named: Xen answers okay and undoes nothing */
	assert_int_equal(unmap1(0, 0, op.handle), GNTST_okay);
	assert_int_equal(type_at(d0, HOLE, NULL), P2M_FOREIGN);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap1(HOLE, op.dev_bus_addr, op.handle), GNTST_okay);
	assert_int_equal(unmap1(HOLE, 0, op.handle), GNTST_bad_handle); /* twice */
}

static void maptrack_is_bounded(void **state)
{
	(void)state;
	for (unsigned i = 0; i < GNT_MAPTRACK; i++) {
		grant(8 + i, 0, i % 32, false);
		assert_int_equal(map1(8 + i, HOLE + i * PAGE_SIZE, GNTMAP_host_map, NULL),
				 GNTST_okay);
	}
	grant(8 + GNT_MAPTRACK, 0, 1, false);
	assert_int_equal(
		map1(8 + GNT_MAPTRACK, HOLE + GNT_MAPTRACK * PAGE_SIZE, GNTMAP_host_map, NULL),
		GNTST_no_device_space);
	assert_int_equal(d1_entry(8 + GNT_MAPTRACK)->flags, GTF_permit_access);
	assert_int_equal(unmap1(HOLE, 0, 0), GNTST_okay);
	assert_int_equal(map1(8 + GNT_MAPTRACK, HOLE, GNTMAP_host_map, NULL), GNTST_okay);
}

static void batches(void **state)
{
	struct gnttab_map_grant_ref ops[3];

	(void)state;
	grant(8, 0, 5, false);
	ops[0] = map_op(3000, HOLE, GNTMAP_host_map); /* fails */
	ops[1] = map_op(8, HOLE, GNTMAP_host_map);    /* still runs */
	ops[2] = map_op(8, HOLE + PAGE_SIZE, 0);      /* fails */
	assert_int_equal(gnttab(d0, GNTTABOP_map_grant_ref, ops, sizeof(ops[0]), 3), 0);
	assert_int_equal(ops[0].status, GNTST_bad_gntref);
	assert_int_equal(ops[1].status, GNTST_okay);
	assert_int_equal(ops[2].status, GNTST_bad_gntref);
	/* an op that cannot be read stops the batch with -EFAULT after those before it */
	struct gnttab_unmap_grant_ref u = {HOLE, 0, ops[1].handle, 99};
	uint64_t at = d0->ram[0].gpa + 64 * PAGE_SIZE - sizeof(u);

	memcpy(maddr_to_virt(d0->ram[0].maddr + 64 * PAGE_SIZE - sizeof(u)), &u, sizeof(u));
	assert_int_equal(
		ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, at, 2),
		-XEN_EFAULT);
	assert_int_equal(type_at(d0, HOLE, NULL), P2M_NONE);
	/* the op done before the fault is released too: flushed, and the granter's pin gone */
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access);
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
				      0x7f000000, 1),
			 -XEN_EFAULT);
	assert_int_equal(
		ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, 0, 0), 0);
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_transfer, 0, 1),
			 -XEN_ENOSYS);
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, 0,
				      0x80000000U),
			 -XEN_EINVAL);
}

/* What the granter's entries said when the mapper's TLBs were invalidated. */
static unsigned pinned_at_flush[3], flushes_seen;

static void note_pins(void)
{
	for (unsigned k = 0; k < 3; k++)
		pinned_at_flush[flushes_seen < 3 ? flushes_seen : 2] +=
			(d1_entry(8 + k * 8)->flags & GTF_reading) != 0;
	flushes_seen++;
}

/* An unmap batch invalidates once per chunk of GRANT_CHUNK ops (each op's page and alias
 * together: one SMMU sync), and the granters' pins drop only after that: at each flush,
 * every page of the chunk is still pinned. */
static void unmap_batch_flushes_once_then_unpins(void **state)
{
	struct gnttab_map_grant_ref m[20];
	struct gnttab_unmap_grant_ref u[20];

	(void)state;
	d0->grant.iommu_alias = true;
	for (unsigned i = 0; i < 20; i++) {
		grant((grant_ref_t)(8 + i), 0, 5 + i, false);
		assert_int_equal(map1((grant_ref_t)(8 + i), HOLE + i * PAGE_SIZE, GNTMAP_host_map,
				      &m[i]),
				 GNTST_okay);
		u[i] = (struct gnttab_unmap_grant_ref){HOLE + i * PAGE_SIZE, 0, m[i].handle, 99};
	}
	fake_s2_flushes = 0;
	fake_s2_flushed_pages = 0;
	fake_on_s2_flush = note_pins;
	/* three of the unmaps (refs 8, 16, 24) are checked at each flush: chunks of 8 ops */
	assert_int_equal(gnttab(d0, GNTTABOP_unmap_grant_ref, u, sizeof(u[0]), 20), 0);
	fake_on_s2_flush = NULL;
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(u[i].status, GNTST_okay);
	assert_int_equal(fake_s2_flushes, 3);	     /* 8 + 8 + 4 ops */
	assert_int_equal(fake_s2_flushed_pages, 40); /* each page and its alias */
	/* flush 1 (refs 8-15): ref 8 pinned, refs 16 and 24 too (not reached yet) */
	assert_int_equal(pinned_at_flush[0], 3);
	/* flush 2 (refs 16-23): ref 8 released already; 16 and 24 pinned */
	assert_int_equal(pinned_at_flush[1], 2);
	/* flush 3 (refs 24-27): only 24 pinned */
	assert_int_equal(pinned_at_flush[2], 1);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(d1_entry((grant_ref_t)(8 + i))->flags, GTF_permit_access);
	assert_int_equal(grant_nr_mappings(d0), 0);
	assert_int_equal(type_at(d0, d1->ram[0].maddr + 5 * PAGE_SIZE, NULL), P2M_NONE);
}

/* A 1:1 mapper whose devices sit behind the SMMU also gets the frame at GFN == MFN, held
 * while any mapping of it is and writable while a writable one is. */
static void iommu_alias(void **state)
{
	struct gnttab_map_grant_ref r, w;
	enum p2m_access a;
	paddr_t ma, mfn;

	(void)state;
	d0->grant.iommu_alias = true;
	grant(8, 0, 5, true);
	grant(9, 0, 5, false);
	mfn = d1->ram[0].maddr + 5 * PAGE_SIZE;
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map | GNTMAP_readonly, &r), GNTST_okay);
	assert_int_equal(type_at(d0, mfn, &ma), P2M_IOMMU_ALIAS); /* told apart by its type */
	assert_int_equal(ma, mfn);
	assert_int_equal(type_at(d0, HOLE, NULL), P2M_FOREIGN);
	assert_int_equal(p2m_get_ram_page(&d0->p2m, _gfn(mfn >> PAGE_SHIFT), false, NULL),
			 -XEN_EPERM); /* not d0's RAM: no hypercall can use it as such */
	assert_int_equal(p2m_lookup(&d0->p2m, mfn, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RO);
	assert_int_equal(map1(9, HOLE + PAGE_SIZE, GNTMAP_host_map, &w), GNTST_okay);
	assert_int_equal(p2m_lookup(&d0->p2m, mfn, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RW);
	assert_int_equal(unmap1(HOLE + PAGE_SIZE, 0, w.handle), GNTST_okay);
	assert_int_equal(p2m_lookup(&d0->p2m, mfn, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RO);
	assert_int_equal(unmap1(HOLE, 0, r.handle), GNTST_okay);
	assert_int_equal(type_at(d0, mfn, NULL), P2M_NONE);
	assert_true(p2m_is_direct_mapped(&d0->p2m));
}

/* A host mapping the mapper itself puts at GFN == MFN already lets its devices reach the
 * frame: no alias replaces it, it keeps the rights it was asked with, and the alias only
 * appears once that mapping is gone while another one of the frame is held. */
static void alias_leaves_a_host_mapping_at_mfn(void **state)
{
	struct gnttab_map_grant_ref at, w;
	enum p2m_access a;
	paddr_t mfn;

	(void)state;
	d0->grant.iommu_alias = true;
	grant(8, 0, 5, true);
	grant(9, 0, 5, false);
	mfn = d1->ram[0].maddr + 5 * PAGE_SIZE;
	assert_int_equal(map1(8, mfn, GNTMAP_host_map | GNTMAP_readonly, &at), GNTST_okay);
	assert_int_equal(type_at(d0, mfn, NULL), P2M_FOREIGN);
	assert_int_equal(map1(9, HOLE, GNTMAP_host_map, &w), GNTST_okay);
	assert_int_equal(p2m_lookup(&d0->p2m, mfn, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RO); /* still the read-only mapping the guest asked for */
	assert_int_equal(type_at(d0, mfn, NULL), P2M_FOREIGN);
	assert_int_equal(unmap1(mfn, 0, at.handle), GNTST_okay);
	assert_int_equal(type_at(d0, mfn, NULL), P2M_IOMMU_ALIAS); /* for the one at HOLE */
	assert_int_equal(p2m_lookup(&d0->p2m, mfn, NULL, NULL, &a), 0);
	assert_int_equal(a, P2M_RW);
	assert_int_equal(unmap1(HOLE, 0, w.handle), GNTST_okay);
	assert_int_equal(type_at(d0, mfn, NULL), P2M_NONE);
	assert_int_equal(grant_nr_mappings(d0), 0);
}

static void setup_and_query(void **state)
{
	struct gnttab_setup_table st = {
		.dom = DOMID_SELF, .nr_frames = 2, .frame_list = 0x40000000 + 0x3000};
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = GNT_WINDOW >> PAGE_SHIFT};
	uint64_t frames[2];

	(void)state;
	memcpy(ut_ram(d1, 0x100), &x, sizeof(x));
	assert_int_equal(ut_hypercall(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				      0x40000000 + 0x100, 0),
			 0);
	assert_int_equal(type_at(d1, GNT_WINDOW, NULL), P2M_XEN);
	memcpy(ut_ram(d1, OPS), &st, sizeof(st));
	assert_int_equal(ut_hypercall(d1, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
				      0x40000000 + OPS, 2),
			 -XEN_EINVAL);
	assert_int_equal(gnttab(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	assert_int_equal(st.status, GNTST_okay);
	memcpy(frames, ut_ram(d1, 0x3000), sizeof(frames));
	assert_int_equal(frames[0], GNT_WINDOW >> PAGE_SHIFT);
	assert_int_equal(frames[1], GNT_GFN_NONE);
	st.nr_frames = GNT_MAX_FRAMES + 1;
	assert_int_equal(gnttab(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	assert_int_equal(st.status, GNTST_general_error);
	st = (struct gnttab_setup_table){.dom = 0, .nr_frames = 1};
	assert_int_equal(gnttab(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	assert_int_equal(st.status, GNTST_permission_denied);
	st.frame_list = 0x7f000000; /* unwritable list: the status says so */
	st.dom = DOMID_SELF;
	assert_int_equal(gnttab(d1, GNTTABOP_setup_table, &st, sizeof(st), 1), 0);
	assert_int_equal(st.status, GNTST_bad_virt_addr);
	assert_int_equal(gnttab(d1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 2);
	assert_int_equal(q.max_nr_frames, GNT_MAX_FRAMES);
	q.dom = 9;
	assert_int_equal(gnttab(d1, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
	assert_int_equal(q.status, GNTST_bad_domain);
	q.dom = 1; /* dom0 may look at other domains' tables */
	assert_int_equal(gnttab(d0, GNTTABOP_query_size, &q, sizeof(q), 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	/* the second frame's entries are refs now: in range, but not granted (zero) */
	assert_int_equal(map1(GNT_ENTRIES_PER_FRAME, HOLE, GNTMAP_host_map, NULL),
			 GNTST_general_error); /* its entry is still zero: not granted */
}

static void copy(void **state)
{
	struct gnttab_copy c = {.source = {.u.gmfn = (d0->ram[0].gpa >> PAGE_SHIFT) + 3,
					   .domid = DOMID_SELF,
					   .offset = 16},
				.dest = {.u.ref = 8, .domid = 1, .offset = 100},
				.len = 64,
				.flags = GNTCOPY_dest_gref,
				.status = 99};
	struct gnttab_copy bad;

	(void)state;
	grant(8, 0, 5, false);
	grant(9, 0, 6, true);
	memset(ut_ram(d0, 3 * PAGE_SIZE), 0x5a, PAGE_SIZE);
	memset(ut_ram(d1, 5 * PAGE_SIZE), 0, PAGE_SIZE);
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &c, sizeof(c), 1), 0);
	assert_int_equal(c.status, GNTST_okay);
	assert_int_equal(((uint8_t *)ut_ram(d1, 5 * PAGE_SIZE))[100], 0x5a);
	assert_int_equal(((uint8_t *)ut_ram(d1, 5 * PAGE_SIZE))[163], 0x5a);
	assert_int_equal(((uint8_t *)ut_ram(d1, 5 * PAGE_SIZE))[164], 0);
	assert_int_equal(d1_entry(8)->flags, GTF_permit_access); /* unpinned after the copy */
	bad = c;
	bad.dest.offset = 4090;
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &bad, sizeof(bad), 1), 0);
	assert_int_equal(bad.status, GNTST_bad_copy_arg);
	bad = c;
	bad.flags = 0; /* a foreign destination without a grant */
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &bad, sizeof(bad), 1), 0);
	assert_int_equal(bad.status, GNTST_permission_denied);
	bad = c;
	bad.dest.u.ref = 9; /* read-only grant as destination */
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &bad, sizeof(bad), 1), 0);
	assert_int_equal(bad.status, GNTST_general_error);
	bad = c;
	bad.source.u.gmfn = 0x7000; /* not the caller's RAM */
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &bad, sizeof(bad), 1), 0);
	assert_int_equal(bad.status, GNTST_bad_page);
	bad = c;
	bad.dest.domid = 6;
	assert_int_equal(gnttab(d0, GNTTABOP_copy, &bad, sizeof(bad), 1), 0);
	assert_int_equal(bad.status, GNTST_bad_domain);
}

static void cache_flush(void **state)
{
	struct gnttab_cache_flush f = {.a.dev_bus_addr = d0->ram[0].maddr,
				       .offset = 0,
				       .length = 64,
				       .op = GNTTAB_CACHE_CLEAN};
	struct gnttab_map_grant_ref op;

	(void)state;
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), 0);
	f.offset = 4096;
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), -XEN_EINVAL);
	f.offset = 4000;
	f.length = 200;
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), -XEN_EINVAL);
	f = (struct gnttab_cache_flush){.op = 8, .length = 1};
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), -XEN_EINVAL);
	f = (struct gnttab_cache_flush){0};
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), 0); /* Linux's probe */
	f = (struct gnttab_cache_flush){.a.dev_bus_addr = d1->ram[0].maddr + 5 * PAGE_SIZE,
					.length = 64,
					.op = GNTTAB_CACHE_INVAL};
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), -XEN_EPERM);
	grant(8, 0, 5, false);
	assert_int_equal(map1(8, HOLE, GNTMAP_host_map, &op), GNTST_okay);
	assert_int_equal(gnttab(d0, GNTTABOP_cache_flush, &f, sizeof(f), 1), 0);
}

/* The granter ends access and grants again as fast as it can (Linux's compare-and-swap
 * that fails while GTF_reading/GTF_writing are set), on its own thread, while dom0 maps and
 * unmaps: whenever a map succeeded, the entry must still be granted and pinned until the
 * unmap, and an end-access can never have won against it. */
static volatile int race_stop;
static volatile unsigned race_ended;

static void *granter_thread(void *arg)
{
	struct grant_entry_v1 *e = arg;

	while (!__atomic_load_n(&race_stop, __ATOMIC_ACQUIRE)) {
		uint16_t cur = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		if (!(cur & (GTF_reading | GTF_writing)) && cur &&
		    __atomic_compare_exchange_n(&e->flags, &cur, 0, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			race_ended++;
			__atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
		}
	}
	return NULL;
}

static void end_access_races_map(void **state)
{
	struct gnttab_map_grant_ref op;
	unsigned mapped = 0, refused = 0;
	pthread_t t;

	(void)state;
	grant(8, 0, 5, false);
	race_stop = 0;
	race_ended = 0;
	assert_int_equal(pthread_create(&t, NULL, granter_thread, d1_entry(8)), 0);
	/* 3000 rounds, or more until both sides have won at least once: on a loaded machine
	 * the granter thread may not run at all for a while, or run alone on the other CPU */
	for (unsigned i = 0; i < 3000 || ((!race_ended || !mapped) && i < 3000000); i++) {
		if (map1(8, HOLE, GNTMAP_host_map, &op) != GNTST_okay) {
			refused++; /* the granter had ended access at that instant */
			continue;
		}
		mapped++;
		/* pinned: the granter's end-access cannot succeed now, however it spins */
		for (unsigned k = 0; k < 50; k++)
			assert_true((__atomic_load_n(&d1_entry(8)->flags, __ATOMIC_ACQUIRE) &
				     (GTF_permit_access | GTF_reading | GTF_writing)) ==
				    (GTF_permit_access | GTF_reading | GTF_writing));
		assert_int_equal(unmap1(HOLE, 0, op.handle), GNTST_okay);
	}
	__atomic_store_n(&race_stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	assert_true(mapped > 0);
	assert_true(race_ended > 0); /* the two really raced */
	assert_int_equal(grant_nr_mappings(d0), 0);
	printf("race: %u mapped, %u refused, %u end-access won\n", mapped, refused, race_ended);
}

int run_grant_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(map_and_unmap, setup),
		cmocka_unit_test_setup(map_errors, setup),
		cmocka_unit_test_setup(unmap_errors, setup),
		cmocka_unit_test_setup(maptrack_is_bounded, setup),
		cmocka_unit_test_setup(batches, setup),
		cmocka_unit_test_setup(unmap_batch_flushes_once_then_unpins, setup),
		cmocka_unit_test_setup(iommu_alias, setup),
		cmocka_unit_test_setup(alias_leaves_a_host_mapping_at_mfn, setup),
		cmocka_unit_test_setup(setup_and_query, setup),
		cmocka_unit_test_setup(copy, setup),
		cmocka_unit_test_setup(cache_flush, setup),
		cmocka_unit_test_setup(end_access_races_map, setup),
	};

	return cmocka_run_group_tests_name("grant", tests, NULL, NULL);
}
