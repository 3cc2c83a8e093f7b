/* hvm_op: per-domain HVM parameters (Xen on Arm keeps only get/set_param). */
#ifndef HV_HVM_H
#define HV_HVM_H
#include "types.h"

struct vcpu;

long do_hvm_op(struct vcpu *v, const uint64_t a[5]);

#endif
