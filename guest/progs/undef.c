/* undef: an unexpected exception in the guest (an undefined instruction) is reported by
 * libguest's vectors with its syndrome, and the domain shuts down as crashed. */
#include "libguest.h"

void guest_main(void)
{
	test_pass("before-undef");
	__asm__ volatile("udf #0x42");
	test_fail("after-undef", "execution went on past an undefined instruction");
}
