/* Events on every vCPU: pairs of event channels from dom0 to itself through /dev/xen/evtchn
 * (drivers/xen/evtchn.c binds each interdomain port to the next online CPU in turn), one
 * notification down each pair, each received through read(). /proc/interrupts then shows
 * the upcall PPI taken on every CPU. */
#include "xen_dev.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xen/evtchn.h>

#define PAIRS 8

int main(void)
{
	int fd = open("/dev/xen/evtchn", O_RDWR);
	unsigned local[PAIRS], remote[PAIRS], got = 0;

	if (fd < 0)
		return fail("open /dev/xen/evtchn");
	for (unsigned i = 0; i < PAIRS; i++) {
		struct ioctl_evtchn_bind_unbound_port u = {.remote_domain = 0};
		struct ioctl_evtchn_bind_interdomain b = {.remote_domain = 0};
		int p = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &u);

		if (p < 0)
			return fail("IOCTL_EVTCHN_BIND_UNBOUND_PORT");
		b.remote_port = (unsigned)p;
		remote[i] = (unsigned)p;
		p = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
		if (p < 0)
			return fail("IOCTL_EVTCHN_BIND_INTERDOMAIN");
		local[i] = (unsigned)p;
	}
	/* the interdomain bind itself leaves each new port pending: consume and unmask those */
	for (unsigned i = 0; i < PAIRS; i++) {
		struct ioctl_evtchn_notify n = {.port = remote[i]};

		if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0)
			return fail("IOCTL_EVTCHN_NOTIFY");
	}
	alarm(20); /* a lost event ends the test (SIGALRM) instead of hanging the boot */
	for (unsigned seen = 0; seen != (1U << PAIRS) - 1;) {
		uint32_t ports[2 * PAIRS];
		ssize_t n = read(fd, ports, sizeof(ports));

		if (n <= 0)
			return fail("read /dev/xen/evtchn");
		for (ssize_t k = 0; k < n / 4; k++)
			for (unsigned i = 0; i < PAIRS; i++)
				if (ports[k] == local[i])
					seen |= 1U << i;
		got += (unsigned)(n / 4);
		if (write(fd, ports, (size_t)n) != n) /* unmask what was delivered */
			return fail("write /dev/xen/evtchn");
	}
	say("evtchn: %u pairs, %u events received, ports %u-%u", PAIRS, got, local[0],
	    local[PAIRS - 1]);
	return 0;
}
