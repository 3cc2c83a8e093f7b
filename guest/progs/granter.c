/* granter: a domU that writes grants of every kind for dom0 — valid, read-only, for another
 * domain, of the wrong type, of a frame it does not own, sub-page — offers an event channel
 * and waits until dom0 says it is done. Then it checks its granted pages hold what it put
 * there: whatever dom0 tried, nothing but dom0's allowed writes reached them. */
#include "libguest.h"
#include <string.h>

static uint8_t pages[2][4096] __attribute__((aligned(4096)));

static void grant_raw(grant_ref_t ref, domid_t to, uint64_t gfn, uint16_t flags)
{
	struct grant_entry_v1 *e = &xen_pv.gnttab[ref];

	e->frame = (uint32_t)gfn;
	e->domid = to;
	__asm__ volatile("dmb ishst" ::: "memory");
	e->flags = flags;
}

void guest_main(void)
{
	uint64_t p0 = (uintptr_t)pages[0] >> 12, p1 = (uintptr_t)pages[1] >> 12;
	evtchn_port_t port;
	unsigned bad = 0;

	if (xen_pv_init() || evtchn_alloc_unbound(0, &port)) {
		test_fail("granter-init", "grant table or event channel setup failed");
		return;
	}
	memset(pages[0], 0x11, 4096);
	memset(pages[1], 0x22, 4096);
	grant_raw(10, 2, p0, GTF_permit_access);		/* for d2, not dom0 */
	grant_raw(11, 0, p0, GTF_accept_transfer);		/* wrong type */
	grant_raw(12, 0, 0x10, GTF_permit_access);		/* not our frame */
	grant_raw(13, 0, p0, GTF_permit_access | GTF_sub_page); /* sub-page: no mapping */
	grant_raw(9, 0, p1, GTF_permit_access | GTF_readonly);	/* read-only */
	gnttab_grant_access(8, 0, p0, false);			/* valid, last: dom0 polls it */
	printf("granter: refs 8-13 written, event channel %u\n", port);
	if (!evtchn_wait(port, 10000)) {
		test_fail("granter-done", "dom0 never said it was done");
		return;
	}
	for (unsigned i = 0; i < 4096; i++)
		bad += pages[1][i] != 0x22; /* the read-only page: nobody may have written it */
	test_expect_eq("granter-readonly-page-intact", bad, 0);
	test_expect_eq("granter-end-access-after-unmaps",
		       gnttab_end_access(8) && gnttab_end_access(9), 1);
}
