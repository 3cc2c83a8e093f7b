/* make bench's Linux side (bench/linux_dma.py): the costs a 1:1 dom0 pays for foreign pages
 * with and without linux/'s module, under QEMU -icount (1 ns of CLOCK_MONOTONIC per
 * instruction). With guest/progs/diskpeer.c as d1 (its grant 8 and event channel 1):
 * gntdev map + unmap of the page; a 4 KiB O_DIRECT write + read of it (the block layer
 * DMA-maps the foreign page: swiotlb-xen or dma-direct); then a sequential 16 MiB O_DIRECT
 * read of the disk into dom0's own buffer. Ends as gntdma does (sectors 8-15 into the page,
 * unmap, notify), so d1's byte check still holds. gntbench_n=N (environment) sets N. */
#define _GNU_SOURCE
#include "xen_dev.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#define PEER 1
#define REF 8
#define PORT 1
#define SEQ_BYTES (16u << 20)
#define SEQ_CHUNK (64u << 10)

/* Elapsed virtual time includes the disk's latency and QEMU's warps over idle time (with
 * -icount sleep=off the clock jumps to the next timer while the CPU waits, at a pace set by
 * the host's real I/O and load): the CPU cost is this thread's own run time
 * (CLOCK_THREAD_CPUTIME_ID, the scheduler's clock: under -icount, instructions), which
 * holds the submission path (dma_map: swiotlb-xen's translation and bounce, or none) but
 * not completions run in interrupt context. Both are reported. */
struct stamp {
	uint64_t elapsed, cpu;
};

static uint64_t ns_of(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static struct stamp now(void)
{
	return (struct stamp){ns_of(CLOCK_MONOTONIC), ns_of(CLOCK_THREAD_CPUTIME_ID)};
}

static struct stamp since(struct stamp t0, unsigned per)
{
	struct stamp t = now();

	return (struct stamp){(t.elapsed - t0.elapsed) / per, (t.cpu - t0.cpu) / per};
}

static int map_page(int gnt, uint8_t **page, __u64 *index)
{
	struct ioctl_gntdev_map_grant_ref m = {.count = 1, .refs = {{.domid = PEER, .ref = REF}}};

	if (ioctl(gnt, IOCTL_GNTDEV_MAP_GRANT_REF, &m))
		return fail("IOCTL_GNTDEV_MAP_GRANT_REF");
	*index = m.index;
	/* on Arm (auto-translated) gntdev issues GNTTABOP_map_grant_ref here */
	*page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, gnt, (off_t)m.index);
	return *page == MAP_FAILED ? fail("mmap of the granted page") : 0;
}

static int unmap_page(int gnt, uint8_t *page, __u64 index)
{
	struct ioctl_gntdev_unmap_grant_ref u = {.index = index, .count = 1};

	if (munmap(page, 4096) || ioctl(gnt, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u))
		return fail("unmap of the granted page");
	return 0;
}

static int connect_peer(int evt)
{
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = PEER, .remote_port = PORT};

	for (unsigned tries = 0; tries < 400; tries++) {
		int p = ioctl(evt, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

		if (p >= 0)
			return p;
		usleep(50000);
	}
	return fail("IOCTL_EVTCHN_BIND_INTERDOMAIN to the peer"), -1;
}

static int seq_read(int blk, struct stamp *per_mib)
{
	uint8_t *buf = aligned_alloc(4096, SEQ_CHUNK);
	struct stamp t0 = now();

	if (!buf)
		return fail("aligned_alloc");
	for (uint64_t off = 0; off < SEQ_BYTES; off += SEQ_CHUNK)
		if (pread(blk, buf, SEQ_CHUNK, (off_t)off) != SEQ_CHUNK)
			return fail("sequential O_DIRECT read");
	*per_mib = since(t0, SEQ_BYTES >> 20);
	free(buf);
	return 0;
}

int main(void)
{
	const char *env = getenv("gntbench_n");
	unsigned n = env ? (unsigned)atoi(env) : 20;
	int gnt = open("/dev/xen/gntdev", O_RDWR), blk = open("/dev/vda", O_RDWR | O_DIRECT);
	int evt = open("/dev/xen/evtchn", O_RDWR), port;
	struct stamp t0, map, io, seq = {0, 0};
	struct ioctl_evtchn_notify note;
	uint8_t *page;
	__u64 index;

	alarm(240);
	if (gnt < 0 || blk < 0 || evt < 0 || !n)
		return fail("open /dev/xen/gntdev, /dev/vda (O_DIRECT), /dev/xen/evtchn");
	if ((port = connect_peer(evt)) < 0)
		return 1;
	t0 = now();
	for (unsigned i = 0; i < n; i++)
		if (map_page(gnt, &page, &index) || unmap_page(gnt, page, index))
			return 1;
	map = since(t0, n);
	if (map_page(gnt, &page, &index))
		return 1;
	t0 = now();
	for (unsigned i = 0; i < n; i++)
		if (pwrite(blk, page, 4096, 4096 * 512LL) != 4096 ||
		    pread(blk, page, 4096, 4096 * 512LL) != 4096)
			return fail("O_DIRECT write + read of the foreign page");
	io = since(t0, n);
	if (pread(blk, page, 4096, 8 * 512LL) != 4096 || unmap_page(gnt, page, index))
		return fail("the last read into the foreign page");
	if (seq_read(blk, &seq))
		return 1;
	note.port = (unsigned)port;
	if (ioctl(evt, IOCTL_EVTCHN_NOTIFY, &note))
		return fail("IOCTL_EVTCHN_NOTIFY");
	say("gntbench: %u x grant map+unmap: %llu ns CPU, %llu ns elapsed each; 4 KiB foreign "
	    "O_DIRECT write+read: %llu ns CPU, %llu ns elapsed each; 16 MiB sequential read: "
	    "%llu ns CPU, %llu ns elapsed per MiB", n, (unsigned long long)map.cpu,
	    (unsigned long long)map.elapsed, (unsigned long long)io.cpu,
	    (unsigned long long)io.elapsed, (unsigned long long)seq.cpu,
	    (unsigned long long)seq.elapsed);
	return 0;
}
