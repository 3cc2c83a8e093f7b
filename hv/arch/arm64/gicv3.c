/* The GICv3 at EL2 (Arm IHI 0069): distributor and redistributors set up for the interrupts
 * the hypervisor takes itself (the virtual timer PPI, to forward it; SGI 0, to kick another
 * CPU), the system-register CPU interface with EOImode=1 (priority drop and deactivation
 * split, so a guest's EOI of a hardware-linked virtual interrupt deactivates the physical
 * one), and the list registers through which virtual interrupts are delivered. */
#include "arm64.h"
#include "gicv3.h"
#include "log.h"
#include "sysreg.h"
#include "vgic.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1U << 31)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_GRP1 (1U << 1)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000 /* + 8 * INTID */
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400
#define GICR_STRIDE 0x20000

#define ICC_SRE_EL2_VALUE 0xfULL /* SRE, DFB, DIB, Enable (EL1 may use its SRE) */
#define ICC_CTLR_EOIMODE (1ULL << 1)
#define ICH_HCR_EN (1ULL << 0)

static volatile uint8_t *gicd;
static volatile uint8_t *gicr_of_cpu[MAX_CPUS];
static unsigned nr_lrs;

static uint32_t rd32(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr32(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

void gic_init(const struct bootinfo *bi)
{
	gicd = (volatile uint8_t *)(uintptr_t)bi->gicd.base;
	wr32(gicd, GICD_CTLR, 0);
	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		;
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		;
	nr_lrs = (unsigned)(read_sysreg_s(ICH_VTR_EL2) & 0x1f) + 1;
	if (nr_lrs > 4)
		nr_lrs = 4; /* the ones lr_read/lr_write name */
}

/* A domain's device SPI: group 1, routed to the physical CPU core chose (IROUTER holds
 * Aff3 [39:32] and Aff2.Aff1.Aff0 [23:0], as MPIDR does), the trigger its DT gives, and
 * disabled until the guest enables its virtual copy. */
void arch_spi_route(unsigned intid, unsigned pcpu, bool edge)
{
	uint64_t mpidr = pcpus[pcpu].mpidr;
	unsigned w = intid / 32, shift = 2 * (intid % 16);
	uint32_t bit = 1U << (intid % 32), cfg;

	wr32(gicd, GICD_ICENABLER + 4 * w, bit);
	wr32(gicd, GICD_IGROUPR + 4 * w, rd32(gicd, GICD_IGROUPR + 4 * w) | bit);
	*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + intid) = 0xa0;
	cfg = rd32(gicd, GICD_ICFGR + 4 * (intid / 16)) & ~(3U << shift);
	wr32(gicd, GICD_ICFGR + 4 * (intid / 16), cfg | ((edge ? 2U : 0U) << shift));
	*(volatile uint64_t *)(gicd + GICD_IROUTER + 8 * intid) = mpidr & 0xff00ffffffULL;
}

void arch_spi_enable(unsigned intid, bool on)
{
	wr32(gicd, (on ? GICD_ISENABLER : GICD_ICENABLER) + 4 * (intid / 32), 1U << (intid % 32));
}

/* The redistributor whose GICR_TYPER.Affinity is this CPU's MPIDR (IHI 0069 9.11.35). */
static volatile uint8_t *find_redistributor(const struct bootinfo *bi, uint64_t mpidr)
{
	uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));

	for (uint64_t off = 0; off + GICR_STRIDE <= bi->gicr.size; off += GICR_STRIDE) {
		volatile uint8_t *rd = (volatile uint8_t *)(uintptr_t)(bi->gicr.base + off);
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & (1U << 4)) /* Last */
			break;
	}
	return NULL;
}

int gic_init_cpu(const struct bootinfo *bi, unsigned cpu)
{
	volatile uint8_t *rd = find_redistributor(bi, read_sysreg(mpidr_el1));

	if (!rd) {
		log_err("CPU %u: no GIC redistributor for MPIDR 0x%llx", cpu,
			(unsigned long long)read_sysreg(mpidr_el1));
		return -XEN_ENODEV;
	}
	gicr_of_cpu[cpu] = rd;
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (rd32(rd, GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	wr32(rd, GICR_SGI + GICR_ICENABLER0, ~0U);
	wr32(rd, GICR_SGI + GICR_IGROUPR0, ~0U);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(rd, GICR_SGI + GICR_IPRIORITYR + i, 0xa0a0a0a0);
	wr32(rd, GICR_SGI + GICR_ISENABLER0, (1U << GIC_PPI_VTIMER) | (1U << GIC_SGI_KICK));
	write_sysreg_s(ICC_SRE_EL2_VALUE, ICC_SRE_EL2);
	isb();
	write_sysreg_s(0xff, ICC_PMR_EL1);
	write_sysreg_s(0, ICC_BPR1_EL1);
	write_sysreg_s(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg_s(1, ICC_IGRPEN1_EL1);
	for (unsigned i = 0; i < nr_lrs; i++)
		gic_lr_write(i, 0);
	write_sysreg_s(0, ICH_VMCR_EL2);
	write_sysreg_s(ICH_HCR_EN, ICH_HCR_EL2);
	isb();
	return 0;
}

uint32_t gic_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg_s(ICC_IAR1_EL1) & 0xffffff;

	dsb(sy);
	return intid;
}

void gic_priority_drop(uint32_t intid)
{
	write_sysreg_s(intid, ICC_EOIR1_EL1);
	isb();
}

void gic_deactivate(uint32_t intid)
{
	write_sysreg_s(intid, ICC_DIR_EL1);
	isb();
}

/* SGI intid to one physical CPU: ICC_SGI1R_EL1 (IHI 0069 12.2.24). */
void gic_send_sgi(unsigned cpu, unsigned intid)
{
	uint64_t mpidr = pcpus[cpu].mpidr;
	uint64_t v = (1ULL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
		     ((uint64_t)intid << 24) | (((mpidr >> 16) & 0xff) << 32) |
		     (((mpidr >> 32) & 0xff) << 48);

	dsb(ish);
	write_sysreg_s(v, ICC_SGI1R_EL1);
	isb();
}

unsigned gic_nr_lrs(void)
{
	return nr_lrs;
}

uint64_t gic_lr_read(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg_s(ICH_LR0_EL2);
	case 1: return read_sysreg_s(ICH_LR1_EL2);
	case 2: return read_sysreg_s(ICH_LR2_EL2);
	case 3: return read_sysreg_s(ICH_LR3_EL2);
	}
	return 0;
}

void gic_lr_write(unsigned n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg_s(v, ICH_LR0_EL2); break;
	case 1: write_sysreg_s(v, ICH_LR1_EL2); break;
	case 2: write_sysreg_s(v, ICH_LR2_EL2); break;
	case 3: write_sysreg_s(v, ICH_LR3_EL2); break;
	}
	isb();
}

/* A list register that already holds vINTID intid (an emulated device's SPI raised again
 * while the guest handles it, an SGI sent twice): it becomes pending (and active, if it
 * was); two list registers with one vINTID would be UNPREDICTABLE (IHI 0069 4.4.6). */
static bool lr_merge(uint32_t intid)
{
	for (unsigned n = 0; n < nr_lrs; n++) {
		uint64_t lr = gic_lr_read(n);

		if ((lr >> 62) && (uint32_t)lr == intid) {
			gic_lr_write(n, lr | (1ULL << 62));
			return true;
		}
	}
	return false;
}

/* Moves the vCPU's deliverable virtual interrupts into free list registers (state 00). LR
 * layout (IHI 0069 12.4.13): State [63:62], HW [61], Group [60], Priority [55:48],
 * pINTID [41:32], vINTID [31:0]. */
void gic_flush_vcpu(struct vcpu *v)
{
	/* the common case on every trap (a hypercall, say): nothing pending, nothing to read */
	if (!vgic_has_pending(&v->vgic))
		return;
	for (unsigned n = 0; n < nr_lrs; n++) {
		uint8_t prio;
		bool hw;
		int intid;

		if (gic_lr_read(n) >> 62)
			continue;
		intid = vgic_take_deliverable(v, &prio, &hw);
		if (intid < 0)
			return;
		if (!hw && lr_merge((uint32_t)intid)) {
			n--; /* this register is still free */
			continue;
		}
		gic_lr_write(n, (1ULL << 62) | (1ULL << 60) | ((uint64_t)prio << 48) |
					(hw ? (1ULL << 61) | ((uint64_t)intid << 32) : 0) |
					(uint64_t)intid);
	}
}

/* Before a vCPU (re)starts: anything left in the list registers is dropped, and a physical
 * interrupt it held active (hardware-linked) is deactivated so that it can fire again. */
void gic_reset_vcpu(struct vcpu *v)
{
	for (unsigned n = 0; n < nr_lrs; n++) {
		uint64_t lr = gic_lr_read(n);

		if ((lr >> 62) && (lr & (1ULL << 61)))
			gic_deactivate((uint32_t)(lr >> 32) & 0x3ff);
		gic_lr_write(n, 0);
	}
	if (__atomic_fetch_and(&v->vgic.hw, 0, __ATOMIC_ACQ_REL) & (1U << GIC_PPI_VTIMER))
		gic_deactivate(GIC_PPI_VTIMER);
	/* device SPIs taken (priority dropped) but never given to the guest */
	__atomic_store_n(&v->vgic.spi_any, 0, __ATOMIC_RELEASE);
	for (unsigned w = 0; w < VGIC_SPI_WORDS; w++) {
		uint32_t left = __atomic_exchange_n(&v->vgic.spi_pending[w], 0, __ATOMIC_ACQ_REL) &
				~v->d->vgic.spi_virtual[w]; /* emulated: nothing physical to end */

		for (; left; left &= left - 1)
			gic_deactivate(32 + 32 * w + (uint32_t)__builtin_ctz(left));
	}
	__atomic_store_n(&v->vgic.pending, 0, __ATOMIC_RELEASE);
}

void arch_vcpu_kick(struct vcpu *v)
{
	gic_send_sgi(v->pcpu, GIC_SGI_KICK);
}
