/* The physical GICv3 as the hypervisor drives it (gicv3.c). */
#ifndef ARM64_GICV3_H
#define ARM64_GICV3_H
#include "bootinfo.h"

#define GIC_SGI_KICK 0     /* another CPU has something for this one (e.g. stop) */
#define GIC_PPI_VTIMER 27  /* the EL1 virtual timer, forwarded to the vCPU */

void gic_init(const struct bootinfo *bi);
int gic_init_cpu(const struct bootinfo *bi, unsigned cpu);
uint32_t gic_ack(void);
void gic_priority_drop(uint32_t intid);
void gic_deactivate(uint32_t intid);
void gic_send_sgi(unsigned cpu, unsigned intid);
unsigned gic_nr_lrs(void);
uint64_t gic_lr_read(unsigned n);
void gic_lr_write(unsigned n, uint64_t v);

struct vcpu;
void gic_flush_vcpu(struct vcpu *v);
void gic_reset_vcpu(struct vcpu *v);

#endif
