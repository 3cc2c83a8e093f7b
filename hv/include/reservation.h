/* XENMEM_decrease_reservation / populate_physmap: frames a domain gives up stay its own,
 * parked until it takes them back at the same GFN. */
#ifndef HV_RESERVATION_H
#define HV_RESERVATION_H
#include "types.h"

struct vcpu;

/* Frames a domain that is not 1:1 gave up (a 1:1 domain's are its GFNs). */
struct parked_frames {
	uint32_t gfn[1024], mfn[1024];
	unsigned nr;
};

long reservation_op(struct vcpu *v, unsigned cmd, uint64_t arg);

#endif
