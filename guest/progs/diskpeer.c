/* diskpeer: the domU end of the foreign-page case with a Linux dom0 (tests/linux/progs/
 * gntdma.c). By a fixed convention, without xenstore: grant ref 8 gives dom0 one page, and
 * event channel 1 (offered to dom0 only after the grant is written) says when dom0 is
 * done. The page starts as byte i = i * 13 + 7; dom0 writes it to its disk, reads sectors
 * 8-15 into it, unmaps it and notifies. Every byte is checked against the runner's disk
 * pattern (tests/system/run.py: disk_pattern), and the grant must then end. */
#include "libguest.h"
#include <string.h>

static uint8_t page[4096] __attribute__((aligned(4096)));

void guest_main(void)
{
	evtchn_port_t port;
	unsigned bad = 0;

	if (xen_pv_init()) {
		test_fail("diskpeer-init", "no grant table");
		return;
	}
	for (unsigned i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 13 + 7);
	gnttab_grant_access(8, 0, (uintptr_t)page >> 12, false);
	if (evtchn_alloc_unbound(0, &port) || port != 1) {
		test_fail("diskpeer-port", "event channel 1 for dom0 could not be offered");
		return;
	}
	printf("diskpeer: grant 8 and event channel %u offered to d0\n", port);
	if (!evtchn_wait(port, 60000)) {
		test_fail("diskpeer-done", "dom0 never said it was done");
		return;
	}
	for (unsigned i = 0; i < sizeof(page); i++)
		bad += page[i] != disk_pattern_byte(8 + i / 512, i % 512);
	printf("diskpeer: %u of 4096 bytes differ from disk sectors 8-15\n", bad);
	test_expect_eq("diskpeer-dma-into-foreign-page", bad, 0);
	test_expect_eq("diskpeer-end-access", gnttab_end_access(8), 1);
}
