/* The virtual GICv3 each domain sees: distributor and redistributors emulated on stage-2
 * faults (only SGIs and PPIs exist: no SPIs yet), the CPU interface is the hardware's own
 * (ICV_* through ICH_*), and interrupts reach a vCPU through list registers. A virtual
 * interrupt is pending here until it is enabled and a list register is free. */
#ifndef HV_VGIC_H
#define HV_VGIC_H
#include "types.h"

struct vcpu;
struct domain;

#define VGIC_GICD_SIZE 0x10000ULL
#define VGIC_GICR_STRIDE 0x20000ULL /* RD_base + SGI_base frames per vCPU */

struct vgic_cpu {
	uint32_t enabled;      /* SGI/PPI enables as the guest set them */
	uint32_t pending;      /* waiting for a list register; set by any CPU, atomically */
	uint32_t hw;           /* which pending ones are linked to a physical interrupt */
	uint8_t priority[32];
	bool asleep;           /* GICR_WAKER.ProcessorSleep */
};

struct vgic_dist {
	paddr_t gicd, gicr;    /* guest-physical bases */
	uint32_t ctlr;
};

void vgic_domain_init(struct domain *d, paddr_t gicd, paddr_t gicr);
/* A guest access that faulted at gpa: 0 when it was the vGIC's (val read or written), else
 * -XEN_ENOENT. size is 1, 2, 4 or 8 bytes. */
int vgic_mmio(struct vcpu *v, paddr_t gpa, bool write, unsigned size, uint64_t *val);
/* Marks intid pending for v; hw: deactivating it deactivates the same physical INTID. */
void vgic_set_pending(struct vcpu *v, unsigned intid, bool hw);
/* A guest write to ICC_SGI1R_EL1: SGIs to the domain's own vCPUs. */
/* A software-generated virtual SGI or PPI for target: pending at once, and its physical CPU
 * kicked if that is not this one, so its list registers get it without waiting. */
void vgic_inject(struct vcpu *target, unsigned intid);
void vgic_send_sgi(struct vcpu *v, uint64_t sgi1r);
/* The next interrupt that may go into a list register, taken off the pending set, or -1. */
int vgic_take_deliverable(struct vcpu *v, uint8_t *priority, bool *hw);

#endif
