/* The virtual GICv3's distributor and redistributors (Arm IHI 0069, chapters 12.9 and
 * 12.10), emulated register by register: identification, control, wake-up, SGI/PPI enables
 * and priorities. Everything else reads as zero and ignores writes, as unimplemented GIC
 * registers do. No SPIs: GICD_TYPER.ITLinesNumber is 0. */
#include "arch.h"
#include "domain.h"
#include "log.h"
#include "vgic.h"
#include <string.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GIC_PIDR2 0xffe8
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00

#define CTLR_GRP1 (1U << 1)
#define CTLR_ARE (1U << 4)
#define CTLR_DS (1U << 6)
#define IIDR_ARM 0x43b
#define PIDR2_GICV3 0x3b /* ArchRev 3 */
#define TYPER_IDBITS_10 (9U << 19)

void vgic_domain_init(struct domain *d, paddr_t gicd, paddr_t gicr)
{
	d->vgic = (struct vgic_dist){.gicd = gicd, .gicr = gicr, .ctlr = 0};
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		memset(&d->vcpu[i].vgic, 0, sizeof(d->vcpu[i].vgic));
		d->vcpu[i].vgic.asleep = true;
	}
}

static uint64_t dist_read(struct domain *d, paddr_t off)
{
	switch (off) {
	case GICD_CTLR:
		return d->vgic.ctlr | CTLR_ARE | CTLR_DS;
	case GICD_TYPER:
		return TYPER_IDBITS_10;
	case GICD_IIDR:
		return IIDR_ARM;
	case GIC_PIDR2:
		return PIDR2_GICV3;
	}
	return 0;
}

static void dist_write(struct domain *d, paddr_t off, uint64_t val)
{
	if (off == GICD_CTLR)
		d->vgic.ctlr = (uint32_t)val & CTLR_GRP1;
}

/* A change that may make a pending interrupt deliverable: the target's CPU must look. */
static void wake(struct vcpu *target, struct vcpu *self)
{
	if (target != self && __atomic_load_n(&target->power, __ATOMIC_ACQUIRE) == VCPU_ON)
		arch_vcpu_kick(target);
}

static uint64_t redist_read(struct vcpu *t, paddr_t off, unsigned size)
{
	struct vgic_cpu *c = &t->vgic;
	uint64_t typer = ((t->vmpidr & 0xff) << 32) | ((uint64_t)t->id << 8) |
			 (t->id + 1 == t->d->nr_vcpus ? 1U << 4 : 0);

	if (off >= GICR_SGI + GICR_IPRIORITYR && off < GICR_SGI + GICR_IPRIORITYR + 32) {
		uint64_t v = 0;
		unsigned i = (unsigned)(off - GICR_SGI - GICR_IPRIORITYR);

		for (unsigned b = 0; b < size && i + b < 32; b++)
			v |= (uint64_t)c->priority[i + b] << (8 * b);
		return v;
	}
	switch (off) {
	case GICR_IIDR:
		return IIDR_ARM;
	case GICR_TYPER:
		return size == 8 ? typer : (uint32_t)typer;
	case GICR_TYPER + 4:
		return typer >> 32;
	case GICR_WAKER:
		return c->asleep ? (1U << 1) | (1U << 2) : 0;
	case GIC_PIDR2:
		return PIDR2_GICV3;
	case GICR_SGI + GICR_IGROUPR0:
		return ~0U; /* everything is group 1 */
	case GICR_SGI + GICR_ISENABLER0:
	case GICR_SGI + GICR_ICENABLER0:
		return c->enabled;
	case GICR_SGI + GICR_ISPENDR0:
	case GICR_SGI + GICR_ICPENDR0:
		return __atomic_load_n(&c->pending, __ATOMIC_ACQUIRE);
	case GICR_SGI + GICR_ICFGR0:
		return 0xaaaaaaaa; /* SGIs are edge-triggered */
	}
	return 0;
}

static void redist_write(struct vcpu *t, struct vcpu *self, paddr_t off, unsigned size,
			 uint64_t val)
{
	struct vgic_cpu *c = &t->vgic;

	if (off >= GICR_SGI + GICR_IPRIORITYR && off < GICR_SGI + GICR_IPRIORITYR + 32) {
		unsigned i = (unsigned)(off - GICR_SGI - GICR_IPRIORITYR);

		for (unsigned b = 0; b < size && i + b < 32; b++)
			c->priority[i + b] = (uint8_t)(val >> (8 * b));
		return;
	}
	switch (off) {
	case GICR_WAKER:
		c->asleep = val & (1U << 1);
		break;
	case GICR_SGI + GICR_ISENABLER0:
		c->enabled |= (uint32_t)val;
		wake(t, self);
		break;
	case GICR_SGI + GICR_ICENABLER0:
		c->enabled &= ~(uint32_t)val;
		break;
	case GICR_SGI + GICR_ISPENDR0:
		__atomic_or_fetch(&c->pending, (uint32_t)val, __ATOMIC_ACQ_REL);
		wake(t, self);
		break;
	case GICR_SGI + GICR_ICPENDR0:
		__atomic_and_fetch(&c->pending, ~(uint32_t)val, __ATOMIC_ACQ_REL);
		break;
	}
}

int vgic_mmio(struct vcpu *v, paddr_t gpa, bool write, unsigned size, uint64_t *val)
{
	struct domain *d = v->d;
	paddr_t gicr_end = d->vgic.gicr + d->nr_vcpus * VGIC_GICR_STRIDE;

	if (gpa >= d->vgic.gicd && gpa < d->vgic.gicd + VGIC_GICD_SIZE) {
		if (write)
			dist_write(d, gpa - d->vgic.gicd, *val);
		else
			*val = dist_read(d, gpa - d->vgic.gicd);
		return 0;
	}
	if (gpa >= d->vgic.gicr && gpa < gicr_end) {
		struct vcpu *t = &d->vcpu[(gpa - d->vgic.gicr) / VGIC_GICR_STRIDE];
		paddr_t off = (gpa - d->vgic.gicr) % VGIC_GICR_STRIDE;

		if (write)
			redist_write(t, v, off, size, *val);
		else
			*val = redist_read(t, off, size);
		return 0;
	}
	return -XEN_ENOENT;
}

void vgic_set_pending(struct vcpu *v, unsigned intid, bool hw)
{
	if (intid >= 32)
		return;
	if (hw)
		__atomic_or_fetch(&v->vgic.hw, 1U << intid, __ATOMIC_ACQ_REL);
	__atomic_or_fetch(&v->vgic.pending, 1U << intid, __ATOMIC_ACQ_REL);
}

/* ICC_SGI1R_EL1 (IHI 0069 12.2.24): INTID [27:24], TargetList [15:0] of Aff0 values
 * 16 * RS [47:44] + n within Aff3.Aff2.Aff1 [55:48,39:32,23:16], IRM [40] = every vCPU but
 * the sender. Our vCPUs have Aff0 = vCPU id (< 16) and higher affinities 0, so only RS 0
 * with zero affinities names any of them. */
void vgic_send_sgi(struct vcpu *v, uint64_t sgi1r)
{
	unsigned intid = (sgi1r >> 24) & 0xf;
	bool all = sgi1r & (1ULL << 40);
	uint64_t high_aff = sgi1r & ((0xffULL << 16) | (0xffULL << 32) | (0xfULL << 44) |
				     (0xffULL << 48));

	for (unsigned i = 0; i < v->d->nr_vcpus; i++) {
		struct vcpu *t = &v->d->vcpu[i];
		bool hit = all ? t != v : (!high_aff && i < 16 && (sgi1r & (1ULL << i)));

		if (!hit)
			continue;
		vgic_set_pending(t, intid, false);
		wake(t, v);
	}
}

void vgic_inject(struct vcpu *target, unsigned intid)
{
	vgic_set_pending(target, intid, false);
	/* on this CPU the way back into the guest loads it; elsewhere the target's CPU is kicked */
	if (target->pcpu != arch_cpu_id() &&
	    __atomic_load_n(&target->power, __ATOMIC_ACQUIRE) == VCPU_ON)
		arch_vcpu_kick(target);
}

int vgic_take_deliverable(struct vcpu *v, uint8_t *priority, bool *hw)
{
	struct vgic_cpu *c = &v->vgic;
	uint32_t ready;

	if (!(v->d->vgic.ctlr & CTLR_GRP1))
		return -1;
	ready = __atomic_load_n(&c->pending, __ATOMIC_ACQUIRE) & c->enabled;
	if (!ready)
		return -1;
	unsigned intid = (unsigned)__builtin_ctz(ready);

	__atomic_and_fetch(&c->pending, ~(1U << intid), __ATOMIC_ACQ_REL);
	*hw = __atomic_fetch_and(&c->hw, ~(1U << intid), __ATOMIC_ACQ_REL) & (1U << intid);
	*priority = c->priority[intid];
	return (int)intid;
}
