/* make bench's measurements from inside a Linux guest (bench/linux.py reads its lines).
 *   bench stamp NAME       the virtual counter now, and the kernel's printk clock at the same
 *                          moment (a /dev/kmsg record written and read back), so that kernel
 *                          log timestamps convert to counter time
 *   bench xen-mark         Xen only: presses debug key 'q' through /dev/xen/privcmd between
 *                          two counter reads; Xen's console_timestamps=raw stamps its answer
 *                          with the physical counter, which gives dom0's CNTVOFF
 *   bench read DEV MIB     a sequential O_DIRECT read of MIB MiB, 1 MiB per read(2): the CPU
 *                          time it cost (virtual time minus the kernel's idle time, which
 *                          under QEMU -icount shift=0 is instructions executed), the guest
 *                          PMU's instruction count where there is a PMU, and a check of every
 *                          sector against the runner's pattern
 * Under QEMU -icount the counters are virtual time: one instruction is one nanosecond. */
#define _GNU_SOURCE
#include "xen_dev.h"
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Writes a record to the kernel log and reads its timestamp (microseconds of the printk
 * clock) back: /dev/kmsg records read "PRIO,SEQ,USEC,FLAGS;TEXT". */
static int kmsg_stamp(const char *name, unsigned long long *usec)
{
	char text[128], rec[1024];
	int rd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), wr = open("/dev/kmsg", O_WRONLY);
	/* the newline ends the record: readers only see finished records */
	int len = snprintf(text, sizeof(text), "bench: stamp %s\n", name);

	if (rd < 0 || wr < 0)
		return fail("open /dev/kmsg");
	lseek(rd, 0, SEEK_END);
	if (write(wr, text, (size_t)len) != len)
		return fail("write /dev/kmsg");
	for (;;) {
		ssize_t n = read(rd, rec, sizeof(rec) - 1);
		char *body;

		if (n < 0)
			return fail("read /dev/kmsg (our record not found)");
		rec[n] = 0;
		body = strchr(rec, ';');
		if (body && !strncmp(body + 1, text, (size_t)len - 1) &&
		    sscanf(rec, "%*u,%*u,%llu", usec) == 1)
			break;
	}
	close(rd);
	close(wr);
	return 0;
}

static int cmd_stamp(const char *name)
{
	unsigned long long usec;
	uint64_t before = cntvct(), after;

	if (kmsg_stamp(name, &usec))
		return 1;
	after = cntvct();
	say("bench stamp %s: cntvct %llu..%llu cntfrq %llu printk_us %llu", name,
	    (unsigned long long)before, (unsigned long long)after, (unsigned long long)cntfrq(),
	    usec);
	return 0;
}

/* Xen's public sysctl.h (4.17: interface version 0x15): struct xen_sysctl is cmd,
 * interface_version, then a 128-byte union; debug_keys is a 64-bit guest handle and a
 * count. Hypercall 35 is __HYPERVISOR_sysctl. */
#define HYPERVISOR_SYSCTL 35
#define XEN_SYSCTL_DEBUG_KEYS 7
#define XEN_SYSCTL_VERSION_4_17 0x15

/* Linux's uapi <xen/privcmd.h> (it includes a kernel-only header, so not included here):
 * the hypercall ioctl, _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall)). */
struct privcmd_hypercall {
	uint64_t op, arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

struct sysctl_debug_keys {
	uint32_t cmd, interface_version;
	uint64_t keys;
	uint32_t nr_keys;
	uint8_t pad[128 - 12];
};

static int cmd_xen_mark(void)
{
	static char key[] = "q";
	struct sysctl_debug_keys s = {.cmd = XEN_SYSCTL_DEBUG_KEYS,
				      .interface_version = XEN_SYSCTL_VERSION_4_17,
				      .keys = (uintptr_t)key,
				      .nr_keys = 1};
	struct privcmd_hypercall h = {.op = HYPERVISOR_SYSCTL, .arg = {(uintptr_t)&s}};
	int fd = open("/dev/xen/privcmd", O_RDWR);
	uint64_t before, after;
	long rc;

	if (fd < 0)
		return fail("open /dev/xen/privcmd");
	before = cntvct();
	rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
	after = cntvct();
	say("bench xen-mark: cntvct %llu..%llu, sysctl debug_keys: %ld", (unsigned long long)before,
	    (unsigned long long)after, rc < 0 ? -(long)errno : rc);
	return 0;
}

/* CPU 0's idle time in ns (the bench boots have one CPU): what the tick code accumulates
 * while the CPU idles, waiting for I/O or not (/proc/timer_list's idle_sleeptime and
 * iowait_sleeptime, kept in ns; /proc/stat rounds the same to clock ticks). */
static int idle_ns(unsigned long long *ns)
{
	FILE *f = fopen("/proc/timer_list", "r");
	char line[256];
	int cpu = -1, found = 0;

	if (!f)
		return fail("open /proc/timer_list");
	*ns = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "cpu: %d", &cpu) == 1)
			continue;
		if (cpu == 0 && (sscanf(line, " .idle_sleeptime : %llu nsecs", &v) == 1 ||
				 sscanf(line, " .iowait_sleeptime: %llu nsecs", &v) == 1)) {
			*ns += v;
			found++;
		}
	}
	fclose(f);
	if (found != 2) {
		say("FAIL /proc/timer_list: no idle and iowait time for CPU 0");
		return 1;
	}
	return 0;
}

static unsigned long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

/* Instructions retired on CPU 0 at every exception level (exclude_hv clear: Linux then
 * counts EL2 too when it is not itself at EL2), or -1 where the guest has no PMU. */
static int pmu_open(void)
{
	struct perf_event_attr a = {.type = PERF_TYPE_HARDWARE,
				    .size = sizeof(a),
				    .config = PERF_COUNT_HW_INSTRUCTIONS,
				    .disabled = 1};

	return (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, 0);
}

/* tests/system/run.py's disk_pattern: sector s starts with s (le64), then byte i is
 * (s * 31 + i * 7 + 5) mod 256. */
static unsigned long bad_sectors(const uint8_t *buf, unsigned long sectors)
{
	unsigned long bad = 0;

	for (unsigned long s = 0; s < sectors; s++) {
		const uint8_t *p = buf + s * 512;
		uint64_t first;

		memcpy(&first, p, 8);
		for (unsigned i = 8; i < 512 && first == s; i++)
			if (p[i] != (uint8_t)(s * 31 + i * 7 + 5))
				first = ~s;
		bad += first != s;
	}
	return bad;
}

static int cmd_read(const char *dev, unsigned long mib)
{
	const size_t chunk = 1 << 20;
	unsigned long long idle0, idle1, t0, t1;
	long long pmu_count = -1;
	uint8_t *buf;
	int fd = open(dev, O_RDONLY | O_DIRECT), pmu = pmu_open();

	if (fd < 0)
		return fail("open the disk O_DIRECT");
	buf = mmap(NULL, mib * chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return fail("mmap the buffer");
	memset(buf, 0xa5, mib * chunk); /* faulted in now, not in the measured reads */
	if (idle_ns(&idle0))
		return 1;
	if (pmu >= 0)
		ioctl(pmu, PERF_EVENT_IOC_ENABLE, 0);
	t0 = mono_ns();
	for (unsigned long i = 0; i < mib; i++)
		if (read(fd, buf + i * chunk, chunk) != (ssize_t)chunk)
			return fail("O_DIRECT read");
	t1 = mono_ns();
	if (pmu >= 0) {
		ioctl(pmu, PERF_EVENT_IOC_DISABLE, 0);
		if (read(pmu, &pmu_count, sizeof(pmu_count)) != sizeof(pmu_count))
			pmu_count = -1;
	}
	if (idle_ns(&idle1))
		return 1;
	say("bench read %s: %lu MiB in %llu ns, idle %llu ns, busy %llu ns, pmu instructions %lld, "
	    "%lu bad sectors",
	    dev, mib, t1 - t0, idle1 - idle0, (t1 - t0) - (idle1 - idle0), pmu_count,
	    bad_sectors(buf, mib * chunk / 512));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stamp"))
		return cmd_stamp(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "xen-mark"))
		return cmd_xen_mark();
	if (argc == 4 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], strtoul(argv[3], NULL, 0));
	fprintf(stderr, "usage: bench stamp NAME | bench xen-mark | bench read DEV MIB\n");
	return 2;
}
