/* The only way the hypervisor reads or writes guest memory named by a guest: through the
 * caller's stage 1 (AT) and then its p2m, page by page. Anything not the caller's RAM, or
 * read-only when writing, is -XEN_EFAULT. */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H
#include "types.h"

struct vcpu;

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);

#endif
