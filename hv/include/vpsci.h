/* The PSCI (and SMCCC discovery) interface each domain sees, reached by HVC #0 or SMC #0.
 * CPU_ON starts only the domain's own vCPUs; SYSTEM_OFF/RESET stop the domain. */
#ifndef HV_VPSCI_H
#define HV_VPSCI_H
#include "types.h"

struct vcpu;

/* regs: x0..x3 in, x0 out. */
void vpsci_call(struct vcpu *v, uint64_t regs[4]);

#endif
