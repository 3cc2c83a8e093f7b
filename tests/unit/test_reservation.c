/* decrease_reservation / populate_physmap against fake domains: a frame given up leaves the
 * p2m and comes back only at its own GFN as the same machine frame; Xen's partial counts,
 * and what a hostile guest cannot do with them (take a frame it never had, map over RAM). */
#include "unit.h"
#include "hypercall.h"
#include <xen/memory.h>

#define ARG 0x1000  /* the reservation struct */
#define LIST 0x2000 /* its extent list */

static struct domain *d0, *d1;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 16, true);		   /* 1:1 */
	d1 = fake_domain(1, false, 0x40000000, 16, false); /* translated */
	d0->mode = MEM_DIRECT_MAPPED;
	d1->mode = MEM_TRANSLATED;
	return 0;
}

static long reserve(struct domain *d, unsigned cmd, const uint64_t *gfns, unsigned n,
		    unsigned order)
{
	struct xen_memory_reservation r = {.extent_start = d->ram[0].gpa + LIST, .nr_extents = n,
					   .extent_order = order, .domid = DOMID_SELF};
	const uint64_t a[5] = {cmd, d->ram[0].gpa + ARG, 0, 0, 0};

	memcpy(maddr_to_virt(d->ram[0].maddr + ARG), &r, sizeof(r));
	memcpy(maddr_to_virt(d->ram[0].maddr + LIST), gfns, n * sizeof(uint64_t));
	return hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_memory_op, a);
}

static bool mapped(struct domain *d, uint64_t gfn, paddr_t *ma)
{
	return p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, ma, NULL, NULL) == 0;
}

static void give_up_and_take_back(void **state)
{
	for (unsigned k = 0; k < 2; k++) {
		struct domain *d = k ? d1 : d0;
		uint64_t g = (d->ram[0].gpa >> PAGE_SHIFT) + 8, gfns[2] = {g, g + 1};
		paddr_t before, after;

		(void)state;
		assert_true(mapped(d, g + 1, &before));
		assert_int_equal(reserve(d, XENMEM_decrease_reservation, gfns, 2, 0), 2);
		assert_false(mapped(d, g, NULL));
		assert_false(mapped(d, g + 1, NULL));
		assert_false(p2m_is_direct_mapped(&d->p2m) != (d == d0)); /* 1:1 stays 1:1 */
		/* back at the same GFN, the same machine frame */
		assert_int_equal(reserve(d, XENMEM_populate_physmap, gfns + 1, 1, 0), 1);
		assert_true(mapped(d, g + 1, &after));
		assert_int_equal(after, before);
		/* twice: the hole is gone, nothing is done */
		assert_int_equal(reserve(d, XENMEM_populate_physmap, gfns + 1, 1, 0), 0);
		assert_int_equal(reserve(d, XENMEM_populate_physmap, gfns, 1, 0), 1);
	}
}

static void refusals(void **state)
{
	uint64_t g = (d1->ram[0].gpa >> PAGE_SHIFT) + 8;
	uint64_t never[1] = {0x30000};		   /* a hole d1 never had RAM at */
	uint64_t mixed[3] = {g, 0x30000, g + 1}; /* stops at the second */
	uint64_t d0_frame[1] = {d0->ram[0].maddr >> PAGE_SHIFT};
	struct xen_memory_reservation r = {.domid = 0};
	const uint64_t a[5] = {XENMEM_decrease_reservation, d1->ram[0].gpa + ARG, 0, 0, 0};

	(void)state;
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, never, 1, 0), 0);
	assert_false(mapped(d1, 0x30000, NULL));
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, mixed, 3, 0), 1);
	assert_true(mapped(d1, g + 1, NULL));
	/* d1 cannot take d0's frame, nor a frame into the place of its own RAM */
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, d0_frame, 1, 0), 0);
	assert_int_equal(reserve(d1, XENMEM_populate_physmap, mixed + 2, 1, 0), 0);
	/* superpages, increase_reservation: nothing done */
	assert_int_equal(reserve(d1, XENMEM_decrease_reservation, mixed + 2, 1, 9), 0);
	assert_int_equal(reserve(d1, XENMEM_increase_reservation, mixed + 2, 1, 0), 0);
	/* another domain's reservation; a list that cannot be read */
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_memory_op, a), -XEN_EPERM);
	r = (struct xen_memory_reservation){.extent_start = 0x7f000000, .nr_extents = 1,
					    .domid = DOMID_SELF};
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_memory_op, a), -XEN_EFAULT);
}

int run_reservation_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(give_up_and_take_back, setup),
		cmocka_unit_test_setup(refusals, setup),
	};

	return cmocka_run_group_tests_name("reservation", tests, NULL, NULL);
}
