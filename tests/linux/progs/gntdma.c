/* The seed's foreign-page case with Linux as the backend: domU 1 grants dom0 one page (ref
 * 8, the first unreserved one, and offers event channel 1: the fixed convention of
 * guest/progs/diskpeer.c). dom0 maps it through /dev/xen/gntdev and moves it to and from the
 * disk with O_DIRECT, so the block layer DMA-maps the *foreign* page itself: swiotlb-xen
 * translates it on a 1:1 dom0, the SMMU on a coloured one. The page goes to sectors
 * 4096-4103, and sectors 8-15 come back into it; the domU checks every byte, the runner
 * checks the disk image. With mv.peer=console on the kernel command line the peer is a Linux
 * domU (tests/linux/progs/gntalloc.c), whose grant ref and port Linux chose: they arrive as
 * one line "REF PORT" on this console (the runner relays what the peer printed). */
#define _GNU_SOURCE
#include "xen_dev.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#define PEER 1
#define REF 8  /* diskpeer's */
#define PORT 1
#define OUT_SECTOR 4096
#define IN_SECTOR 8

/* guest/progs/diskpeer.c fills the page so */
static uint8_t peer_byte(unsigned i)
{
	return (uint8_t)(i * 13 + 7);
}

static int map_peer_page(int gnt, unsigned ref, uint8_t **page, __u64 *index)
{
	struct ioctl_gntdev_map_grant_ref m = {.count = 1, .refs = {{.domid = PEER, .ref = ref}}};

	if (ioctl(gnt, IOCTL_GNTDEV_MAP_GRANT_REF, &m))
		return fail("IOCTL_GNTDEV_MAP_GRANT_REF");
	*index = m.index;
	*page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, gnt, (off_t)m.index);
	return *page == MAP_FAILED ? fail("mmap of the granted page") : 0;
}

/* The peer offers its port only once its grant is written: binding to it, retried until
 * the peer is there, is the handshake. Returns the local port. */
static int connect_peer(int evt, unsigned remote_port)
{
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = PEER, .remote_port = remote_port};

	for (unsigned tries = 0; tries < 400; tries++) {
		int p = ioctl(evt, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

		if (p >= 0)
			return p;
		usleep(50000);
	}
	fail("IOCTL_EVTCHN_BIND_INTERDOMAIN to the peer");
	return -1;
}

static int peer_on_console(void)
{
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	return strstr(line, "mv.peer=console") != NULL;
}

/* The peer's grant ref and port: diskpeer's fixed ones, or a "REF PORT" line typed on the
 * console. */
static int peer_convention(unsigned *ref, unsigned *port)
{
	*ref = REF;
	*port = PORT;
	if (!peer_on_console())
		return 0;
	say("gntdma: waiting for d%d's grant ref and event channel on the console", PEER);
	if (scanf("%u %u", ref, port) != 2)
		return fail("reading REF PORT from the console");
	say("gntdma: d%d offers grant ref %u and event channel %u", PEER, *ref, *port);
	return 0;
}

int main(int argc, char **argv)
{
	/* gntdma_disk=DEV on the kernel command line reaches /init, and so this, as environment */
	const char *env = getenv("gntdma_disk");
	const char *disk = argc > 1 ? argv[1] : env ? env : "/dev/vda";
	int gnt = open("/dev/xen/gntdev", O_RDWR), blk = open(disk, O_RDWR | O_DIRECT);
	int evt = open("/dev/xen/evtchn", O_RDWR), port;
	struct ioctl_gntdev_unmap_grant_ref u = {.count = 1};
	struct ioctl_evtchn_notify n;
	unsigned bad = 0;
	unsigned ref, remote_port;
	uint8_t *page;

	alarm(90);
	if (gnt < 0 || blk < 0 || evt < 0)
		return fail(gnt < 0 ? "open /dev/xen/gntdev" : blk < 0 ? "open the disk (O_DIRECT)"
								: "open /dev/xen/evtchn");
	if (peer_convention(&ref, &remote_port))
		return 1;
	port = connect_peer(evt, remote_port);
	if (port < 0 || map_peer_page(gnt, ref, &page, &u.index))
		return 1;
	for (unsigned i = 0; i < 4096; i++)
		bad += page[i] != peer_byte(i);
	say("gntdma: d%d's grant %u mapped, %u of 4096 bytes differ from what d%d wrote", PEER,
	    ref, bad, PEER);
	if (pwrite(blk, page, 4096, OUT_SECTOR * 512LL) != 4096)
		return fail("O_DIRECT write from the foreign page");
	if (pread(blk, page, 4096, IN_SECTOR * 512LL) != 4096)
		return fail("O_DIRECT read into the foreign page");
	say("gntdma: wrote the foreign page to sector %d, read sectors %d-%d into it", OUT_SECTOR,
	    IN_SECTOR, IN_SECTOR + 7);
	if (munmap(page, 4096) || ioctl(gnt, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u))
		return fail("unmap of the granted page");
	n.port = (unsigned)port;
	if (ioctl(evt, IOCTL_EVTCHN_NOTIFY, &n))
		return fail("IOCTL_EVTCHN_NOTIFY");
	say("gntdma: done, d%d notified", PEER);
	return 0;
}
