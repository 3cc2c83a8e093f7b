/* The pages a domain shares with the hypervisor to receive events: its shared_info (event
 * pending and mask bitmaps, vCPU 0's legacy vcpu_info slot) and each vCPU's vcpu_info,
 * wherever the guest registers it (VCPUOP_register_vcpu_info). */
#ifndef HV_SHARED_INFO_H
#define HV_SHARED_INFO_H
#include "frame.h"
#include <xen/vcpu.h>

struct domain;
struct vcpu;

struct shared_info *domain_shared_info(struct domain *d);
/* The vcpu_info the guest reads: registered, vCPU 0's legacy slot, or a private one. */
struct vcpu_info *vcpu_info_of(struct vcpu *v);
/* XENMAPSPACE_shared_info at gfn: -EBUSY if it is already mapped elsewhere (Xen 4.17). */
int shared_info_map(struct domain *d, gfn_t gfn);

#endif
