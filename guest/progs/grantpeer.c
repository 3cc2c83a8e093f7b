/* grantpeer: the granting domU of make compare-xen's grant costs. It grants dom0 one page
 * (GRANTPEER_REF, writable) holding a known pattern, then only waits in WFI, so the backend
 * being measured has the machine to itself under either hypervisor. It needs nothing but
 * its grant table, which Xen 4.17 gives a dom0less domU even without a /hypervisor node. */
#include "libguest.h"

static uint8_t page[4096] __attribute__((aligned(4096)));

void guest_main(void)
{
	if (gnttab_setup()) {
		printf("grantpeer: no grant table (XENMEM_add_to_physmap failed)\n");
		guest_shutdown(SHUTDOWN_crash);
	}
	for (unsigned i = 0; i < sizeof(page); i++)
		page[i] = pv_pattern(GRANTPEER_SEED, i);
	gnttab_grant_access(GRANTPEER_REF, 0, (uintptr_t)page >> 12, false);
	/* Xen 4.17 refuses console_io to a domU: this line shows under mapvisor only */
	printf("grantpeer: ref %u grants dom0 guest frame 0x%llx\n", GRANTPEER_REF,
	       (unsigned long long)((uintptr_t)page >> 12));
	/* the grant must outlive dom0's measurements: never return (returning shuts down) */
	for (;;)
		__asm__ volatile("wfi");
}
