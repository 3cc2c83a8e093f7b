/* The virtual GICv3 each domain sees: distributor and redistributors emulated on stage-2
 * faults (two vmmio ranges), the CPU interface is the hardware's own (ICV_* through ICH_*),
 * and interrupts reach a vCPU through list registers. SPIs exist for the devices a domain
 * owns: each is forwarded hardware-linked to the domain's vCPU 0, whose physical CPU the SPI
 * is routed to. A virtual interrupt is pending here until it is enabled and a list register
 * is free. */
#ifndef HV_VGIC_H
#define HV_VGIC_H
#include "types.h"

struct vcpu;
struct domain;

#define VGIC_GICD_SIZE 0x10000ULL
#define VGIC_GICR_STRIDE 0x20000ULL /* RD_base + SGI_base frames per vCPU */
/* SPIs INTID 32-159: QEMU virt's devices sit in 32-79 (PCIe INTx 35-38, virtio 48-79) */
#define VGIC_NR_SPIS 128
#define VGIC_SPI_WORDS (VGIC_NR_SPIS / 32)

struct vgic_cpu {
	uint32_t enabled;      /* SGI/PPI enables as the guest set them */
	uint32_t pending;      /* waiting for a list register; set by any CPU, atomically */
	uint32_t hw;           /* which pending ones are linked to a physical interrupt */
	uint8_t priority[32];
	bool asleep;           /* GICR_WAKER.ProcessorSleep */
	uint32_t spi_pending[VGIC_SPI_WORDS]; /* vCPU 0 only: SPIs the hardware raised */
	uint32_t spi_any; /* some spi_pending bit may be set: the trap path's one test */
};

struct vgic_dist {
	uint32_t ctlr;
	uint32_t spi_owned[VGIC_SPI_WORDS];   /* the domain's devices' SPIs */
	uint32_t spi_virtual[VGIC_SPI_WORDS]; /* its emulated devices' (vpl011): no hardware */
	uint32_t spi_edge[VGIC_SPI_WORDS];    /* edge-triggered (else level) */
	uint32_t spi_enabled[VGIC_SPI_WORDS]; /* as the guest set them */
	uint8_t spi_priority[VGIC_NR_SPIS];
};

/* Resets d's vGIC and registers its distributor at gicd and one redistributor per vCPU from
 * gicr (VGIC_GICR_STRIDE each) as emulated MMIO (vmmio.h); an error from vmmio_register. */
int vgic_domain_init(struct domain *d, paddr_t gicd, paddr_t gicr);
/* Marks intid pending for v; hw: deactivating it deactivates the same physical INTID. */
void vgic_set_pending(struct vcpu *v, unsigned intid, bool hw);
/* A software-generated virtual SGI or PPI for target: pending at once, and its physical CPU
 * kicked if that is not this one, so its list registers get it without waiting. */
void vgic_inject(struct vcpu *target, unsigned intid);
/* A guest write to ICC_SGI1R_EL1: SGIs to the domain's own vCPUs. */
void vgic_send_sgi(struct vcpu *v, uint64_t sgi1r);
/* SPI intid belongs to d's device from now on: -XEN_EBUSY if another domain's already (a
 * shared line), -XEN_ERANGE beyond VGIC_NR_SPIS. Boot time only. */
int vgic_spi_assign(struct domain *d, unsigned intid, bool edge);
struct domain *vgic_spi_owner(unsigned intid);
/* SPI intid is raised by an emulated device of d (vpl011): -XEN_EBUSY if one of d's
 * devices has it already, -XEN_ERANGE beyond VGIC_NR_SPIS. Boot time only. */
int vgic_spi_virtual(struct domain *d, unsigned intid);
/* No SPI has an owner (a fresh machine; the unit tests build many). */
void vgic_spis_reset(void);
/* Such an SPI is pending for d's vCPU 0 (not hardware-linked); any context, any CPU: vCPU
 * 0's CPU is kicked if it is another. */
void vgic_spi_inject(struct domain *d, unsigned intid);
/* The physical SPI fired on the owner's CPU: pending, hardware-linked, for its vCPU 0. */
void vgic_spi_raise(unsigned intid);
/* Anything waiting for a list register: the test on every trap, so two plain loads, and
 * the acquire (a fence) only when something is pending, the case that reads what the
 * setter published. */
static inline bool vgic_has_pending(const struct vgic_cpu *c)
{
	if (!(__atomic_load_n(&c->pending, __ATOMIC_RELAXED) |
	      __atomic_load_n(&c->spi_any, __ATOMIC_RELAXED)))
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return true;
}
/* The next interrupt that may go into a list register, taken off the pending set, or -1. */
int vgic_take_deliverable(struct vcpu *v, uint8_t *priority, bool *hw);

#endif
