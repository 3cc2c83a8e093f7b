/* hvm_op: per-domain HVM parameters (Xen on Arm keeps only get/set_param). */
#ifndef HV_HVM_H
#define HV_HVM_H
#include "types.h"

struct domain;
struct vcpu;

long do_hvm_op(struct vcpu *v, const uint64_t a[5]);
/* At domain build: the parameters Xen sets before the domain runs. */
void hvm_params_init(struct domain *d);

#endif
