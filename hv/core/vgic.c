/* The virtual GICv3's distributor and redistributors (Arm IHI 0069, chapters 12.9 and
 * 12.10), emulated register by register: identification, control, wake-up, SGI/PPI enables
 * and priorities, and for SPIs enables, priorities, trigger and routing (every SPI goes to
 * vCPU 0). Everything else reads as zero and ignores writes, as unimplemented GIC registers
 * do. GICD_TYPER.ITLinesNumber says 160 INTIDs; only the domain's devices' SPIs ever fire. */
#include "arch.h"
#include "domain.h"
#include "log.h"
#include "vgic.h"
#include "vmmio.h"
#include <string.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000 /* + 8 * INTID */
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
#define TYPER_ITLINES ((VGIC_NR_SPIS + 32) / 32 - 1) /* 32 * (N + 1) INTIDs */

static struct domain *spi_owner[VGIC_NR_SPIS];

void vgic_spis_reset(void)
{
	memset(spi_owner, 0, sizeof(spi_owner));
}

static const struct vmmio_ops dist_ops, redist_ops;

int vgic_domain_init(struct domain *d, paddr_t gicd, paddr_t gicr)
{
	int rc;

	d->vgic = (struct vgic_dist){.ctlr = 0};
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		if (spi_owner[i] == d)
			spi_owner[i] =
				NULL; /* a domain built again (unit tests) starts with none */
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		memset(&d->vcpu[i].vgic, 0, sizeof(d->vcpu[i].vgic));
		d->vcpu[i].vgic.asleep = true;
	}
	/* exactly one redistributor (RD_base + SGI_base) per vCPU: anything past the last one is
	 * nobody's, and the domain's device tree says so (domain_dt.c) */
	rc = vmmio_register(d, gicd, VGIC_GICD_SIZE, &dist_ops, NULL);
	if (!rc)
		rc = vmmio_register(d, gicr, d->nr_vcpus * VGIC_GICR_STRIDE, &redist_ops, NULL);
	return rc;
}

/* An SPI register bank of one bit (or two, for ICFGR) per INTID: which word, or -1 for the
 * SGI/PPI word (the redistributor's) and anything beyond our SPIs. */
static int spi_word(paddr_t off, paddr_t bank, unsigned bits_per_int)
{
	unsigned ints_per_word = 32 / bits_per_int;
	paddr_t first = bank + 4 * (32 / ints_per_word); /* INTID 32 */

	if (off < first || off >= first + 4 * (VGIC_NR_SPIS / ints_per_word) || (off & 3))
		return -1;
	return (int)((off - first) / 4);
}

static uint64_t spi_read(struct domain *d, paddr_t off, unsigned size)
{
	struct vgic_dist *g = &d->vgic;
	int w;

	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 32 + VGIC_NR_SPIS) {
		uint64_t v = 0;
		unsigned i = (unsigned)(off - GICD_IPRIORITYR - 32);

		for (unsigned b = 0; b < size && i + b < VGIC_NR_SPIS; b++)
			v |= (uint64_t)g->spi_priority[i + b] << (8 * b);
		return v;
	}
	if ((w = spi_word(off, GICD_ISENABLER, 1)) >= 0 ||
	    (w = spi_word(off, GICD_ICENABLER, 1)) >= 0)
		return g->spi_enabled[w];
	if ((w = spi_word(off, GICD_ISPENDR, 1)) >= 0 || (w = spi_word(off, GICD_ICPENDR, 1)) >= 0)
		return __atomic_load_n(&d->vcpu[0].vgic.spi_pending[w], __ATOMIC_ACQUIRE);
	if ((w = spi_word(off, GICD_IGROUPR, 1)) >= 0)
		return ~0U; /* group 1 */
	if ((w = spi_word(off, GICD_ICFGR, 2)) >= 0) {
		uint32_t edge = g->spi_edge[w / 2] >> (16 * (w % 2)), v = 0;

		for (unsigned i = 0; i < 16; i++)
			v |= ((edge >> i) & 1U) << (2 * i + 1);
		return v;
	}
	return 0; /* IROUTER: vCPU 0, affinity 0 */
}

/* The guest's enables: an SPI of its own device is enabled at the distributor too, so it can
 * fire only while the guest wants it. */
static void spi_set_enable(struct domain *d, int w, uint32_t bits, bool on)
{
	struct vgic_dist *g = &d->vgic;

	bits &= on ? ~g->spi_enabled[w] : g->spi_enabled[w];
	if (on)
		g->spi_enabled[w] |= bits;
	else
		g->spi_enabled[w] &= ~bits;
	for (unsigned i = 0; i < 32; i++)
		if ((bits & g->spi_owned[w]) & (1U << i))
			arch_spi_enable(32 + 32 * (unsigned)w + i, on);
}

static void spi_write(struct domain *d, paddr_t off, unsigned size, uint64_t val)
{
	int w;

	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 32 + VGIC_NR_SPIS) {
		unsigned i = (unsigned)(off - GICD_IPRIORITYR - 32);

		for (unsigned b = 0; b < size && i + b < VGIC_NR_SPIS; b++)
			d->vgic.spi_priority[i + b] = (uint8_t)(val >> (8 * b));
	} else if ((w = spi_word(off, GICD_ISENABLER, 1)) >= 0) {
		spi_set_enable(d, w, (uint32_t)val, true);
	} else if ((w = spi_word(off, GICD_ICENABLER, 1)) >= 0) {
		spi_set_enable(d, w, (uint32_t)val, false);
	} else if ((w = spi_word(off, GICD_ICPENDR, 1)) >= 0) {
		__atomic_and_fetch(&d->vcpu[0].vgic.spi_pending[w], ~(uint32_t)val,
				   __ATOMIC_ACQ_REL);
	}
	/* trigger and routing are the hardware's and vCPU 0: writes to them are ignored */
}

static uint64_t dist_read(struct domain *d, paddr_t off, unsigned size)
{
	switch (off) {
	case GICD_CTLR:
		return d->vgic.ctlr | CTLR_ARE | CTLR_DS;
	case GICD_TYPER:
		return TYPER_IDBITS_10 | TYPER_ITLINES;
	case GICD_IIDR:
		return IIDR_ARM;
	case GIC_PIDR2:
		return PIDR2_GICV3;
	}
	return spi_read(d, off, size);
}

static void dist_write(struct domain *d, paddr_t off, unsigned size, uint64_t val)
{
	if (off == GICD_CTLR)
		d->vgic.ctlr = (uint32_t)val & CTLR_GRP1;
	else
		spi_write(d, off, size, val);
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

static bool dist_access(struct vcpu *v, uint64_t off, unsigned size, bool write, uint64_t *val,
			void *priv)
{
	(void)priv;
	if (write)
		dist_write(v->d, off, size, *val);
	else
		*val = dist_read(v->d, off, size);
	return true;
}

static bool redist_access(struct vcpu *v, uint64_t off, unsigned size, bool write, uint64_t *val,
			  void *priv)
{
	struct vcpu *t = &v->d->vcpu[off / VGIC_GICR_STRIDE]; /* the range is nr_vcpus frames */

	(void)priv;
	off %= VGIC_GICR_STRIDE;
	if (write)
		redist_write(t, v, off, size, *val);
	else
		*val = redist_read(t, off, size);
	return true;
}

static const struct vmmio_ops dist_ops = {"vGIC distributor", dist_access};
static const struct vmmio_ops redist_ops = {"vGIC redistributors", redist_access};

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

int vgic_spi_assign(struct domain *d, unsigned intid, bool edge)
{
	unsigned i = intid - 32;

	if (intid < 32 || i >= VGIC_NR_SPIS)
		return -XEN_ERANGE;
	if (spi_owner[i] && spi_owner[i] != d)
		return -XEN_EBUSY;
	spi_owner[i] = d;
	d->vgic.spi_owned[i / 32] |= 1U << (i % 32);
	if (edge)
		d->vgic.spi_edge[i / 32] |= 1U << (i % 32);
	d->vgic.spi_priority[i] = 0xa0;
	return 0;
}

int vgic_spi_virtual(struct domain *d, unsigned intid)
{
	unsigned i = intid - 32;

	if (intid < 32 || i >= VGIC_NR_SPIS)
		return -XEN_ERANGE;
	if (d->vgic.spi_owned[i / 32] & (1U << (i % 32)))
		return -XEN_EBUSY;
	d->vgic.spi_virtual[i / 32] |= 1U << (i % 32);
	d->vgic.spi_priority[i] = 0xa0;
	return 0;
}

void vgic_spi_inject(struct domain *d, unsigned intid)
{
	struct vcpu *v0 = &d->vcpu[0];
	unsigned i = intid - 32;

	if (intid < 32 || i >= VGIC_NR_SPIS || !(d->vgic.spi_virtual[i / 32] & (1U << (i % 32))))
		return;
	__atomic_or_fetch(&v0->vgic.spi_pending[i / 32], 1U << (i % 32), __ATOMIC_SEQ_CST);
	__atomic_store_n(&v0->vgic.spi_any, 1, __ATOMIC_SEQ_CST);
	if (v0->pcpu != arch_cpu_id() && __atomic_load_n(&v0->power, __ATOMIC_ACQUIRE) == VCPU_ON)
		arch_vcpu_kick(v0);
}

struct domain *vgic_spi_owner(unsigned intid)
{
	return intid >= 32 && intid - 32 < VGIC_NR_SPIS ? spi_owner[intid - 32] : NULL;
}

void vgic_spi_raise(unsigned intid)
{
	struct domain *d = vgic_spi_owner(intid);
	unsigned i = intid - 32;

	if (!d)
		return;
	__atomic_or_fetch(&d->vcpu[0].vgic.spi_pending[i / 32], 1U << (i % 32), __ATOMIC_ACQ_REL);
	__atomic_store_n(&d->vcpu[0].vgic.spi_any, 1, __ATOMIC_RELEASE);
}

static void spi_settle(struct vgic_cpu *c)
{
	uint32_t left = 0;

	for (unsigned w = 0; w < VGIC_SPI_WORDS; w++)
		left |= __atomic_load_n(&c->spi_pending[w], __ATOMIC_ACQUIRE);
	if (left)
		return;
	/* Device SPIs are raised on this CPU only, but an emulated device's may come from any
	 * (vgic_spi_inject sets its bit, then spi_any): look again after clearing, so one that
	 * came in between is not left without spi_any. */
	__atomic_store_n(&c->spi_any, 0, __ATOMIC_SEQ_CST);
	for (unsigned w = 0; w < VGIC_SPI_WORDS; w++)
		left |= __atomic_load_n(&c->spi_pending[w], __ATOMIC_SEQ_CST);
	if (left)
		__atomic_store_n(&c->spi_any, 1, __ATOMIC_SEQ_CST);
}

/* A device SPI is hardware-linked (the guest's deactivation ends it physically); an
 * emulated device's is not. */
static int take_spi(struct vcpu *v, uint8_t *priority, bool *hw)
{
	for (unsigned w = 0; v->id == 0 && w < VGIC_SPI_WORDS; w++) {
		uint32_t ready = __atomic_load_n(&v->vgic.spi_pending[w], __ATOMIC_ACQUIRE) &
				 v->d->vgic.spi_enabled[w];
		unsigned i;

		if (!ready)
			continue;
		i = 32 * w + (unsigned)__builtin_ctz(ready);
		__atomic_and_fetch(&v->vgic.spi_pending[w], ~(1U << (i % 32)), __ATOMIC_ACQ_REL);
		spi_settle(&v->vgic);
		*priority = v->d->vgic.spi_priority[i];
		*hw = !(v->d->vgic.spi_virtual[w] & (1U << (i % 32)));
		return (int)(32 + i);
	}
	spi_settle(&v->vgic);
	return -1;
}

int vgic_take_deliverable(struct vcpu *v, uint8_t *priority, bool *hw)
{
	struct vgic_cpu *c = &v->vgic;
	uint32_t ready;

	if (!(v->d->vgic.ctlr & CTLR_GRP1))
		return -1;
	ready = __atomic_load_n(&c->pending, __ATOMIC_ACQUIRE) & c->enabled;
	if (!ready)
		return take_spi(v, priority, hw);
	unsigned intid = (unsigned)__builtin_ctz(ready);

	__atomic_and_fetch(&c->pending, ~(1U << intid), __ATOMIC_ACQ_REL);
	*hw = __atomic_fetch_and(&c->hw, ~(1U << intid), __ATOMIC_ACQ_REL) & (1U << intid);
	*priority = c->priority[intid];
	return (int)intid;
}
