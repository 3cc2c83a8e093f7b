/* The guest's word (dma_decl.c) against fake domains: who may declare, what a declared
 * domain's grant maps leave out (the 1:1 alias) and what they keep, withdrawal, and every
 * refusal with its exact errno and log line, through the hypercall as a guest makes it. */
#include "unit.h"
#include "dma_decl.h"
#include "grant.h"
#include "hypercall.h"
#include <mapvisor/op.h>

#define HOLE 0x90000000ULL /* unmapped in both fake domains */
#define OPS 0x2000	   /* where arguments go in the caller's RAM */
#define IDS 0x3000

static struct domain *d0, *d1;
static const uint32_t blk = MAPVISOR_DMA_PCI(0, 0, 0x08); /* 00:01.0 */
static const uint32_t edu = MAPVISOR_DMA_PCI(0, 0, 0x10); /* 00:02.0 */

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 64, true);		   /* 1:1 dom0: the mapper */
	d1 = fake_domain(1, false, 0x40000000, 64, false); /* translated domU: the granter */
	d0->grant.iommu_alias = true; /* what boot.c sets once a device of d0 is attached */
	dma_decl_note(d0, blk, "");
	return 0;
}

/* MAPVISOR_OP_dma_declare as a guest makes it: the struct and the ids in its RAM. */
static long declare(struct domain *d, const uint32_t *ids, uint32_t nr)
{
	struct mapvisor_dma_declare r = {nr, 0, d->ram[0].gpa + IDS};

	if (nr)
		memcpy(ut_ram(d, IDS), ids, nr * sizeof(*ids));
	memcpy(ut_ram(d, OPS), &r, sizeof(r));
	return ut_hypercall(d, __HYPERVISOR_mapvisor_op, MAPVISOR_OP_dma_declare,
			    d->ram[0].gpa + OPS, 0);
}

static long mvop(struct domain *d, uint64_t cmd)
{
	return ut_hypercall(d, __HYPERVISOR_mapvisor_op, cmd, 0, 0);
}

static paddr_t grant_page5(grant_ref_t ref)
{
	struct grant_entry_v1 *e =
		(struct grant_entry_v1 *)maddr_to_virt(d1->grant.frame_ma[0]) + ref;

	e->domid = 0;
	e->frame = (uint32_t)((d1->ram[0].gpa >> PAGE_SHIFT) + 5);
	e->flags = GTF_permit_access;
	return d1->ram[0].maddr + 5 * PAGE_SIZE;
}

static int16_t map1(grant_ref_t ref, uint64_t host_addr, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {.host_addr = host_addr,
					  .flags = GNTMAP_host_map,
					  .ref = ref,
					  .dom = 1,
					  .status = 99};

	memcpy(ut_ram(d0, OPS), &op, sizeof(op));
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref,
				      d0->ram[0].gpa + OPS, 1),
			 0);
	memcpy(&op, ut_ram(d0, OPS), sizeof(op));
	*handle = op.handle;
	return op.status;
}

static int16_t unmap1(uint64_t host_addr, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {host_addr, 0, handle, 99};

	memcpy(ut_ram(d0, OPS), &op, sizeof(op));
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref,
				      d0->ram[0].gpa + OPS, 1),
			 0);
	memcpy(&op, ut_ram(d0, OPS), sizeof(op));
	return op.status;
}

static enum p2m_type type_at(struct domain *d, uint64_t gpa)
{
	enum p2m_type t = P2M_NONE;

	return p2m_lookup(&d->p2m, gpa, NULL, &t, NULL) ? P2M_NONE : t;
}

/* Only mapvisor answers the query: Xen on Arm has no arch_7 hypercall (-ENOSYS). */
static void query_and_unknown_subop(void **state)
{
	(void)state;
	assert_int_equal(mvop(d0, MAPVISOR_OP_query), MAPVISOR_OP_MAGIC);
	assert_int_equal(mvop(d1, MAPVISOR_OP_query), MAPVISOR_OP_MAGIC);
	assert_int_equal(mvop(d0, 99), -XEN_ENOSYS);
	assert_true(fake_log_contains("hypercall 55 (mapvisor_op) sub-op 99: not implemented"));
}

/* A domain that never declares keeps the alias; one that declared maps the foreign frame
 * where it asked, and nothing at GFN == MFN. */
static void declared_domain_gets_no_alias(void **state)
{
	grant_handle_t h;
	paddr_t mfn = grant_page5(8);

	(void)state;
	assert_int_equal(map1(8, HOLE, &h), GNTST_okay);
	assert_int_equal(type_at(d0, mfn), P2M_IOMMU_ALIAS);
	assert_int_equal(unmap1(HOLE, h), GNTST_okay);
	assert_int_equal(type_at(d0, mfn), P2M_NONE);

	assert_int_equal(mvop(d0, MAPVISOR_OP_dma_status), 0);
	assert_int_equal(declare(d0, &blk, 1), 0);
	assert_true(fake_log_contains("d0: DMA declaration accepted: 1 protected device(s)"));
	assert_int_equal(mvop(d0, MAPVISOR_OP_dma_status), 1);
	assert_false(dma_decl_needs_alias(d0));
	assert_int_equal(map1(8, HOLE, &h), GNTST_okay);
	assert_int_equal(type_at(d0, HOLE), P2M_FOREIGN);
	assert_int_equal(type_at(d0, mfn), P2M_NONE);
	assert_true(p2m_is_direct_mapped(&d0->p2m));
	assert_int_equal(unmap1(HOLE, h), GNTST_okay);
	assert_int_equal(grant_nr_mappings(d0), 0);
}

/* The word must name every protected device the domain owns, and only those. */
static void refusals_name_the_device(void **state)
{
	const uint32_t both[2] = {blk, edu};

	(void)state;
	dma_decl_note(d0, edu, "");
	assert_int_equal(declare(d0, &blk, 1), -XEN_EBUSY);
	assert_true(fake_log_contains("d0: DMA declaration refused (-EBUSY): PCI 0:00:02.0 is "
				      "behind the IOMMU and not named"));
	assert_int_equal(declare(d0, NULL, 0), -XEN_EBUSY);
	assert_false(d0->dma_decl.declared);
	assert_int_equal(declare(d1, &blk, 1), -XEN_EINVAL); /* d0's device, not d1's */
	assert_true(fake_log_contains("d1: DMA declaration refused (-EINVAL): PCI 0:00:01.0 is "
				      "not a device of the domain behind the IOMMU"));
	assert_int_equal(declare(d0, both, 2), 0);
	assert_false(d1->dma_decl.declared); /* per domain */
	assert_true(dma_decl_needs_alias(d0) == false);
}

/* A guest that asks in a loop gets its errno every time, but the console only the first few
 * lines and one saying the rest are not logged (an accepted word after them included). */
static void refusals_in_a_loop_do_not_flood(void **state)
{
	const char *log, *p;
	unsigned lines = 0;

	(void)state;
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(declare(d1, &blk, 1), -XEN_EINVAL);
	log = fake_log();
	for (p = log; (p = strstr(p, "d1: DMA declaration refused")); p++)
		lines++;
	assert_int_equal(lines, 8);
	assert_true(fake_log_contains("d1: further DMA declaration lines are not logged"));
	assert_int_equal(declare(d1, NULL, 0), 0); /* d1 owns no protected device */
	assert_false(fake_log_contains("d1: DMA declaration accepted"));
}

/* A protected platform device has no id a guest could name: the domain keeps the alias. */
static void unnameable_device_keeps_the_alias(void **state)
{
	(void)state;
	dma_decl_note(d0, UINT32_MAX, "/dma@9010000");
	assert_int_equal(declare(d0, &blk, 1), -XEN_EBUSY);
	assert_true(fake_log_contains("/dma@9010000 is behind the IOMMU and cannot be named"));
	assert_true(dma_decl_needs_alias(d0));
}

/* Neither the word nor its withdrawal while foreign pages are mapped: an alias made before
 * would outlive its mapping, a mapping made after would lose the alias it never had. */
static void no_change_while_mapped(void **state)
{
	grant_handle_t h;
	paddr_t mfn = grant_page5(8);

	(void)state;
	assert_int_equal(map1(8, HOLE, &h), GNTST_okay);
	assert_int_equal(declare(d0, &blk, 1), -XEN_EBUSY);
	assert_true(fake_log_contains("1 foreign page(s) mapped; declare before mapping any"));
	assert_int_equal(unmap1(HOLE, h), GNTST_okay);
	assert_int_equal(type_at(d0, mfn), P2M_NONE);
	assert_int_equal(declare(d0, &blk, 1), 0);
	assert_int_equal(map1(8, HOLE, &h), GNTST_okay);
	assert_int_equal(mvop(d0, MAPVISOR_OP_dma_withdraw), -XEN_EBUSY);
	assert_true(fake_log_contains("withdrawal refused (-EBUSY): 1 foreign page(s) mapped"));
	assert_int_equal(declare(d0, &blk, 1), 0); /* saying it again changes nothing */
	assert_int_equal(unmap1(HOLE, h), GNTST_okay);
	assert_int_equal(mvop(d0, MAPVISOR_OP_dma_withdraw), 0);
	assert_int_equal(map1(8, HOLE, &h), GNTST_okay);
	assert_int_equal(type_at(d0, mfn), P2M_IOMMU_ALIAS); /* aliased again */
	assert_int_equal(unmap1(HOLE, h), GNTST_okay);
	assert_int_equal(type_at(d0, mfn), P2M_NONE);
}

/* A 1:1 domain with nothing behind the IOMMU (or a translated one) has no alias to drop:
 * the word is accepted and changes nothing. */
static void nothing_to_drop(void **state)
{
	(void)state;
	assert_int_equal(declare(d1, NULL, 0), 0);
	assert_true(fake_log_contains("d1: DMA declaration accepted: 0 protected device(s) on "
				      "guest-physical DMA; no 1:1 alias to drop"));
	assert_false(dma_decl_needs_alias(d1));
}

/* Hostile arguments: errors, never a crash. */
static void bad_arguments(void **state)
{
	struct mapvisor_dma_declare r = {1, 0, HOLE};

	(void)state;
	assert_int_equal(
		ut_hypercall(d0, __HYPERVISOR_mapvisor_op, MAPVISOR_OP_dma_declare, HOLE, 0),
		-XEN_EFAULT);
	memcpy(ut_ram(d0, OPS), &r, sizeof(r)); /* ids at an unmapped address */
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_mapvisor_op, MAPVISOR_OP_dma_declare,
				      d0->ram[0].gpa + OPS, 0),
			 -XEN_EFAULT);
	r = (struct mapvisor_dma_declare){MAPVISOR_DMA_MAX_DEVS + 1, 0, d0->ram[0].gpa + IDS};
	memcpy(ut_ram(d0, OPS), &r, sizeof(r));
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_mapvisor_op, MAPVISOR_OP_dma_declare,
				      d0->ram[0].gpa + OPS, 0),
			 -XEN_EINVAL);
	r = (struct mapvisor_dma_declare){1, 1, d0->ram[0].gpa + IDS};
	memcpy(ut_ram(d0, OPS), &r, sizeof(r));
	assert_int_equal(ut_hypercall(d0, __HYPERVISOR_mapvisor_op, MAPVISOR_OP_dma_declare,
				      d0->ram[0].gpa + OPS, 0),
			 -XEN_EINVAL);
	assert_false(d0->dma_decl.declared);
}

int run_dma_decl_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(query_and_unknown_subop, setup),
		cmocka_unit_test_setup(declared_domain_gets_no_alias, setup),
		cmocka_unit_test_setup(refusals_name_the_device, setup),
		cmocka_unit_test_setup(refusals_in_a_loop_do_not_flood, setup),
		cmocka_unit_test_setup(unnameable_device_keeps_the_alias, setup),
		cmocka_unit_test_setup(no_change_while_mapped, setup),
		cmocka_unit_test_setup(nothing_to_drop, setup),
		cmocka_unit_test_setup(bad_arguments, setup),
	};

	return cmocka_run_group_tests_name("dma_decl", tests, NULL, NULL);
}
