/* What a hypercall leaves in the registers the ABI does not name as its output: Xen on Arm
 * changes only x0 (the result), so a guest may keep live values in x1-x30 across a call.
 * Tests compare every register before and after (xen_hypercall_regs in hypercall.S). */
#include "libguest.h"
#include <string.h>

/* A value per register that no hypercall produces by chance. */
static uint64_t pattern(unsigned n)
{
	return 0x5eed000000000000ULL | (uint64_t)n << 32 | (0xa5a5U + n);
}

uint32_t xen_hypercall_changed(uint64_t nr, uint64_t a0, uint64_t a1, long *ret)
{
	uint64_t in[31], x[31];
	uint32_t changed = 0;

	for (unsigned n = 0; n < 31; n++)
		in[n] = pattern(n);
	in[0] = a0;
	in[1] = a1;
	in[16] = nr;
	memcpy(x, in, sizeof(x));
	xen_hypercall_regs(x);
	for (unsigned n = 1; n < 31; n++)
		if (x[n] != in[n])
			changed |= 1U << n;
	*ret = (long)x[0];
	return changed;
}
