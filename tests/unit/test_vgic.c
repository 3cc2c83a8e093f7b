/* The virtual GIC's registers and delivery rules: identification, wake-up, enables and
 * priorities, what becomes deliverable and when, and SGI target decoding. */
#include "unit.h"
#include "vgic.h"
#include "vmmio.h"

#define GICD 0x3001000ULL
#define GICR 0x3020000ULL
#define SGI_BASE 0x10000ULL

extern unsigned fake_kicks;
static struct domain *d;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d = fake_domain(1, false, 0x40000000, 4, false);
	assert_int_equal(vgic_domain_init(d, GICD, GICR), 0);
	d->vcpu[1].power = VCPU_ON;
	fake_kicks = 0;
	return 0;
}

static uint64_t rd(unsigned vcpu, paddr_t gpa, unsigned size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vmmio_access(&d->vcpu[vcpu], gpa, size, false, &v), VMMIO_HANDLED);
	return v;
}

static void wr(unsigned vcpu, paddr_t gpa, unsigned size, uint64_t v)
{
	assert_int_equal(vmmio_access(&d->vcpu[vcpu], gpa, size, true, &v), VMMIO_HANDLED);
}

static void identification(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(rd(0, GICD + 0xffe8, 4) & 0xf0, 0x30); /* GICv3 */
	assert_int_equal(rd(0, GICD + 0x4, 4), (9U << 19) | 4); /* 160 INTIDs, 10 ID bits */
	assert_int_equal(rd(0, GICD + 0x0, 4), (1U << 4) | (1U << 6));
	wr(0, GICD + 0x0, 4, 0xff);
	assert_int_equal(rd(0, GICD + 0x0, 4), (1U << 1) | (1U << 4) | (1U << 6));
	/* redistributors: affinity = vCPU id, Last only on the last one */
	assert_int_equal(rd(0, GICR + 0x8, 8), 0);
	assert_int_equal(rd(0, GICR + VGIC_GICR_STRIDE + 0x8, 8), (1ULL << 32) | (1U << 8) | (1U << 4));
	assert_int_equal(rd(0, GICR + VGIC_GICR_STRIDE + 0xc, 4), 1); /* upper half, 32-bit */
	assert_int_equal(rd(0, GICR + 0xffe8, 4) & 0xf0, 0x30);
	/* unimplemented registers read as zero; outside the vGIC is not ours */
	assert_int_equal(rd(0, GICD + 0x100, 4), 0);
	wr(0, GICD + 0x100, 4, ~0ULL);
	assert_int_equal(vmmio_access(&d->vcpu[0], GICR + 2 * VGIC_GICR_STRIDE, 4, false, &v),
			 VMMIO_NO_REGION); /* past the last vCPU's redistributor: nobody's */
	assert_int_equal(vmmio_access(&d->vcpu[0], GICD - 4, 4, false, &v), VMMIO_NO_REGION);
}

static void waker_enables_priorities(void **state)
{
	(void)state;
	assert_int_equal(rd(0, GICR + 0x14, 4), 6); /* asleep after reset */
	wr(0, GICR + 0x14, 4, 0);
	assert_int_equal(rd(0, GICR + 0x14, 4), 0);
	wr(0, GICR + SGI_BASE + 0x100, 4, (1U << 27) | (1U << 3));
	wr(0, GICR + SGI_BASE + 0x180, 4, 1U << 3);
	assert_int_equal(rd(0, GICR + SGI_BASE + 0x100, 4), 1U << 27);
	wr(0, GICR + SGI_BASE + 0x400 + 27, 1, 0x80);
	wr(0, GICR + SGI_BASE + 0x400 + 4, 4, 0x44332211);
	assert_int_equal(rd(0, GICR + SGI_BASE + 0x400 + 24, 4), 0x80000000);
	assert_int_equal(rd(0, GICR + SGI_BASE + 0x400 + 5, 1), 0x22);
	/* a vCPU may program another's redistributor: the other CPU is kicked to look */
	wr(0, GICR + VGIC_GICR_STRIDE + SGI_BASE + 0x100, 4, 1U << 5);
	assert_int_equal(d->vcpu[1].vgic.enabled, 1U << 5);
	assert_int_equal(fake_kicks, 1);
}

static void delivery_rules(void **state)
{
	uint8_t prio;
	bool hw;

	(void)state;
	vgic_set_pending(&d->vcpu[0], 27, true);
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), -1); /* GICD off */
	wr(0, GICD, 4, 1U << 1);
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), -1); /* not enabled */
	wr(0, GICR + SGI_BASE + 0x400 + 27, 1, 0xa0);
	wr(0, GICR + SGI_BASE + 0x100, 4, 1U << 27);
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), 27);
	assert_int_equal(prio, 0xa0);
	assert_true(hw);
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), -1); /* taken once */
	vgic_set_pending(&d->vcpu[0], 99, false); /* not an SGI/PPI: ignored */
	assert_int_equal(d->vcpu[0].vgic.pending, 0);
}

static void sgi_targets(void **state)
{
	(void)state;
	vgic_send_sgi(&d->vcpu[0], (5ULL << 24) | (1U << 1)); /* SGI 5 to vCPU 1 */
	assert_int_equal(d->vcpu[1].vgic.pending, 1U << 5);
	assert_int_equal(d->vcpu[0].vgic.pending, 0);
	assert_int_equal(fake_kicks, 1);
	vgic_send_sgi(&d->vcpu[1], (2ULL << 24) | (1ULL << 40)); /* IRM: all but self */
	assert_int_equal(d->vcpu[0].vgic.pending, 1U << 2);
	assert_int_equal(d->vcpu[1].vgic.pending, 1U << 5);
	vgic_send_sgi(&d->vcpu[0], (6ULL << 24) | (1ULL << 16) | 3); /* Aff1 = 1: nobody */
	assert_int_equal(d->vcpu[0].vgic.pending, 1U << 2);
	vgic_send_sgi(&d->vcpu[1], (8ULL << 24) | (1ULL << 44) | 1); /* RS 1: Aff0 16, nobody */
	assert_int_equal(d->vcpu[0].vgic.pending, 1U << 2);
	vgic_send_sgi(&d->vcpu[0], (7ULL << 24) | (1U << 9)); /* vCPU 9 does not exist */
	assert_int_equal(d->vcpu[1].vgic.pending, 1U << 5);
}

/* Device SPIs: owned by one domain, enabled physically only while the guest enables them,
 * delivered hardware-linked to vCPU 0 with the guest's priority. */
static void device_spis(void **state)
{
	struct domain *other = fake_domain(2, false, 0x40000000, 4, false);
	uint8_t prio;
	bool hw;

	(void)state;
	assert_int_equal(vgic_domain_init(other, GICD, GICR), 0);
	assert_int_equal(vgic_spi_assign(d, 79, true), 0);
	assert_int_equal(vgic_spi_assign(d, 36, false), 0);
	assert_int_equal(vgic_spi_assign(other, 79, false), -XEN_EBUSY); /* a shared line */
	assert_int_equal(vgic_spi_assign(other, 31, false), -XEN_ERANGE);
	assert_int_equal(vgic_spi_assign(other, 32 + VGIC_NR_SPIS, false), -XEN_ERANGE);
	assert_ptr_equal(vgic_spi_owner(79), d);
	assert_null(vgic_spi_owner(80));
	memset(fake_spi_enabled, 0, sizeof(fake_spi_enabled));
	wr(0, GICD + 0x0, 4, 2); /* EnableGrp1 */
	/* trigger as the DT said: ICFGR4 covers 64-79, edge = 0b10 */
	assert_int_equal(rd(0, GICD + 0xc00 + 4 * 4, 4), 2U << 30);
	assert_int_equal(rd(0, GICD + 0xc00 + 4 * 2, 4), 0); /* 36: level */
	/* raised while disabled: pending, not deliverable, not physically enabled */
	vgic_spi_raise(79);
	assert_true(vgic_has_pending(&d->vcpu[0].vgic));
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), -1);
	assert_int_equal(rd(0, GICD + 0x200 + 8, 4), 1U << 15); /* ISPENDR2 bit 15 = 79 */
	/* the guest enables it (and an SPI it does not own, which stays off physically) */
	wr(0, GICD + 0x400 + 79, 1, 0x40);
	wr(0, GICD + 0x100 + 8, 4, (1U << 15) | (1U << 16));
	assert_int_equal(fake_spi_enabled[2], 1U << 15);
	assert_int_equal(rd(0, GICD + 0x100 + 8, 4), (1U << 15) | (1U << 16));
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), 79);
	assert_true(hw);
	assert_int_equal(prio, 0x40);
	assert_false(vgic_has_pending(&d->vcpu[0].vgic));
	/* only vCPU 0 takes SPIs */
	vgic_spi_raise(79);
	assert_int_equal(vgic_take_deliverable(&d->vcpu[1], &prio, &hw), -1);
	wr(0, GICD + 0x180 + 8, 4, 1U << 15);
	assert_int_equal(fake_spi_enabled[2], 0);
	wr(0, GICD + 0x280 + 8, 4, 1U << 15); /* ICPENDR */
	assert_int_equal(vgic_take_deliverable(&d->vcpu[0], &prio, &hw), -1);
	assert_false(vgic_has_pending(&d->vcpu[0].vgic)); /* settled by the look */
	/* building a domain again (from a zeroed struct, as build_domain does) forgets its SPIs */
	memset(&d->vmmio, 0, sizeof(d->vmmio));
	assert_int_equal(vgic_domain_init(d, GICD, GICR), 0);
	assert_null(vgic_spi_owner(79));
}

int run_vgic_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(identification, setup),
		cmocka_unit_test_setup(waker_enables_priorities, setup),
		cmocka_unit_test_setup(delivery_rules, setup),
		cmocka_unit_test_setup(sgi_targets, setup),
		cmocka_unit_test_setup(device_spis, setup),
	};
	return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
