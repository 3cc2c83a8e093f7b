/* The granting end of the seed's case in a Linux domU, through Linux's own drivers and no
 * xenstore: /dev/xen/gntalloc grants dom0 one page of this process's memory (writable), and
 * /dev/xen/evtchn offers dom0 an unbound event channel. Without xenstore nothing can carry
 * the grant ref and port to dom0, so they are printed on this domain's console
 * ("gntalloc: grant ref R and event channel P offered to d0"); the scenario runner types
 * them into dom0's console, where gntdma (mv.peer=console) reads them. The page is filled
 * as guest/progs/diskpeer.c fills its own (byte i = i * 13 + 7); dom0 DMAs it to its disk
 * and reads sectors 8-15 back into it, then notifies; this checks every byte against those
 * sectors' pattern (tests/system/run.py:disk_pattern). Linux 6.1's gntalloc.c and
 * evtchn.c were read for the interfaces; gntalloc needs only xen_domain() and the grant
 * table (no xenbus). */
#define _GNU_SOURCE
#include "xen_dev.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define GRANTEE 0 /* dom0 */
#define IN_SECTOR 8

/* the runner's disk pattern: sector s holds s (le64), then byte i = s * 31 + i * 7 + 5 */
static uint8_t disk_byte(unsigned offset)
{
	unsigned s = IN_SECTOR + offset / 512, i = offset % 512;

	if (i < 8)
		return i == 0 ? (uint8_t)s : i == 1 ? (uint8_t)(s >> 8) : 0;
	return (uint8_t)(s * 31 + i * 7 + 5);
}

static int offer_page(int gnt, struct ioctl_gntalloc_alloc_gref *a, uint8_t **page)
{
	a->domid = GRANTEE;
	a->flags = GNTALLOC_FLAG_WRITABLE;
	a->count = 1;
	if (ioctl(gnt, IOCTL_GNTALLOC_ALLOC_GREF, a))
		return fail("IOCTL_GNTALLOC_ALLOC_GREF");
	*page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, gnt, (off_t)a->index);
	if (*page == MAP_FAILED)
		return fail("mmap of the granted page");
	for (unsigned i = 0; i < 4096; i++)
		(*page)[i] = (uint8_t)(i * 13 + 7);
	return 0;
}

/* Blocks until dom0 notifies the port (evtchn's read returns the ports that fired). */
static int wait_notify(int evt, int port)
{
	unsigned fired;

	if (read(evt, &fired, sizeof(fired)) != sizeof(fired))
		return fail("read of /dev/xen/evtchn");
	if ((int)fired != port) {
		say("FAIL gntalloc: port %u fired, not %d", fired, port);
		return 1;
	}
	return 0;
}

int main(void)
{
	int gnt = open("/dev/xen/gntalloc", O_RDWR), evt = open("/dev/xen/evtchn", O_RDWR);
	struct ioctl_evtchn_bind_unbound_port ub = {.remote_domain = GRANTEE};
	struct ioctl_gntalloc_alloc_gref a;
	struct ioctl_gntalloc_dealloc_gref d = {.count = 1};
	unsigned bad = 0;
	uint8_t *page;
	int port;

	alarm(90);
	if (gnt < 0 || evt < 0)
		return fail(gnt < 0 ? "open /dev/xen/gntalloc" : "open /dev/xen/evtchn");
	if (offer_page(gnt, &a, &page))
		return 1;
	port = ioctl(evt, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub);
	if (port < 0)
		return fail("IOCTL_EVTCHN_BIND_UNBOUND_PORT");
	say("gntalloc: grant ref %u and event channel %d offered to d%d", a.gref_ids[0], port,
	    GRANTEE);
	if (wait_notify(evt, port))
		return 1;
	for (unsigned i = 0; i < 4096; i++)
		bad += page[i] != disk_byte(i);
	say("gntalloc: notified; %u of 4096 bytes differ from dom0's disk sectors %d-%d", bad,
	    IN_SECTOR, IN_SECTOR + 7);
	d.index = a.index;
	if (munmap(page, 4096) || ioctl(gnt, IOCTL_GNTALLOC_DEALLOC_GREF, &d))
		return fail("ending the grant");
	say(bad ? "FAIL gntalloc-dma-into-granted-page" : "PASS gntalloc-dma-into-granted-page");
	return bad != 0;
}
