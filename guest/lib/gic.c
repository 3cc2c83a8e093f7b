/* libguest's GICv3 driver (Arm IHI 0069): the distributor and this vCPU's redistributor
 * from the DT's "arm,gic-v3" node, the CPU interface through ICC system registers (which
 * the hypervisor backs with the virtual interface). Accesses are 32-bit or byte-sized, as
 * the GIC allows and as a hypervisor can emulate. */
#include "libguest.h"

#define GICD_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400
#define GICR_STRIDE 0x20000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000 /* + 8 * INTID, 64-bit: written as two words */
#define MAX_INTID 160

#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"

static uint64_t gicd, gicr;
static irq_handler_fn handlers[MAX_INTID];

static volatile uint32_t *reg32(uint64_t a)
{
	return (volatile uint32_t *)(uintptr_t)a;
}

static uint64_t my_redistributor(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	for (uint64_t rd = gicr;; rd += GICR_STRIDE) {
		uint32_t aff = *reg32(rd + GICR_TYPER + 4), flags = *reg32(rd + GICR_TYPER);

		if (aff == (uint32_t)(mpidr & 0xffffff))
			return rd;
		if (flags & (1U << 4)) /* Last */
			return 0;
	}
}

int gic_init_cpu(void)
{
	int len, node = fdt_find_compatible(guest_fdt, "arm,gic-v3");
	const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &len);
	uint64_t rd, sre;

	if (!reg || len < 32)
		return -1;
	gicd = fdt_be(reg, 8);
	gicr = fdt_be(reg + 16, 8);
	rd = my_redistributor();
	if (!rd)
		return -1;
	*reg32(rd + GICR_WAKER) &= ~(1U << 1);
	while (*reg32(rd + GICR_WAKER) & (1U << 2))
		;
	*reg32(rd + GICR_SGI + GICR_IGROUPR0) = ~0U;
	*reg32(gicd + GICD_CTLR) = (1U << 4) | (1U << 1); /* ARE, EnableGrp1 */
	__asm__ volatile("mrs %0, " ICC_SRE_EL1 : "=r"(sre));
	__asm__ volatile("msr " ICC_SRE_EL1 ", %0; isb" ::"r"(sre | 1));
	__asm__ volatile("msr " ICC_PMR_EL1 ", %0" ::"r"(0xffULL));
	__asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0; isb" ::"r"(1ULL));
	return 0;
}

/* An SGI or PPI at this vCPU's redistributor; an SPI at the distributor, routed to vCPU 0
 * (affinity 0). */
void gic_enable(unsigned intid, uint8_t priority, irq_handler_fn fn)
{
	uint64_t rd = my_redistributor();

	if (!rd || intid >= MAX_INTID)
		return;
	handlers[intid] = fn;
	if (intid >= 32) {
		*reg32(gicd + GICD_IGROUPR + 4 * (intid / 32)) |= 1U << (intid % 32);
		*(volatile uint8_t *)(uintptr_t)(gicd + GICD_IPRIORITYR + intid) = priority;
		*reg32(gicd + GICD_IROUTER + 8 * intid) = 0;
		*reg32(gicd + GICD_IROUTER + 8 * intid + 4) = 0;
		*reg32(gicd + GICD_ISENABLER + 4 * (intid / 32)) = 1U << (intid % 32);
		return;
	}
	*(volatile uint8_t *)(uintptr_t)(rd + GICR_SGI + GICR_IPRIORITYR + intid) = priority;
	*reg32(rd + GICR_SGI + GICR_ISENABLER0) = 1U << intid;
}

/* To vCPU target of this domain: TargetList bit = Aff0 (IHI 0069 12.2.24). */
void gic_send_sgi(unsigned intid, unsigned target_vcpu)
{
	uint64_t v = ((uint64_t)(intid & 0xf) << 24) | (1ULL << target_vcpu);

	__asm__ volatile("dsb ish; msr " ICC_SGI1R_EL1 ", %0; isb" ::"r"(v));
}

void gic_handle_irq(void)
{
	uint64_t iar;
	unsigned intid;

	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
	intid = (unsigned)(iar & 0xffffff);
	if (intid < MAX_INTID && handlers[intid])
		handlers[intid](intid);
	if (intid < 1020)
		__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0; isb" ::"r"(iar));
}
