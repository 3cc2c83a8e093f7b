/* frontend: the domU half of the seed's case. It grants dom0 a ring page and a buffer page,
 * offers an event channel, asks the backend to have its DMA device write a pattern into the
 * buffer, and checks every byte when the event comes back. Then revocation: ending access
 * while the backend has the page mapped must fail; after the backend unmaps (and, in the
 * SMMU cases, aims the device at the old bus address) the page must be unchanged and ending
 * access must work. */
#include "libguest.h"
#include <string.h>

/* the granted pages hold nothing else: whoever maps them sees only what is meant for it */
static union {
	struct pv_ring r;
	uint8_t page[4096];
} ring_page __attribute__((aligned(4096)));
#define ring ring_page.r
static uint8_t buf[4096] __attribute__((aligned(4096)));

static unsigned wrong_bytes(uint32_t seed)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(buf); i++)
		bad += buf[i] != pv_pattern(seed, i);
	return bad;
}

/* Posts a request, notifies, and blocks until its response (or 5 s pass). */
static bool request(evtchn_port_t port, uint32_t op, uint32_t seed)
{
	uint32_t n = ring.req_prod;

	ring.req[n % 4].op = op;
	ring.req[n % 4].ref = PV_BUF_REF;
	ring.req[n % 4].len = sizeof(buf);
	ring.req[n % 4].seed = seed;
	__asm__ volatile("dmb ish" ::: "memory");
	ring.req_prod = n + 1;
	evtchn_send(port);
	while (ring.rsp_prod < n + 1)
		if (!evtchn_wait(port, 5000))
			return false;
	return true;
}

void guest_main(void)
{
	uint32_t seed;
	evtchn_port_t port;
	unsigned bad;

	if (xen_pv_init()) {
		test_fail("pv-init", "no /hypervisor grant window, extended region or upcall PPI");
		return;
	}
	seed = 0x40 + xen_pv.domid;
	ring.magic = PV_MAGIC;
	memset(buf, 0, sizeof(buf));
	gnttab_grant_access(PV_RING_REF, 0, (uintptr_t)&ring >> 12, false);
	gnttab_grant_access(PV_BUF_REF, 0, (uintptr_t)buf >> 12, false);
	if (evtchn_alloc_unbound(0, &port)) {
		test_fail("pv-evtchn", "EVTCHNOP_alloc_unbound failed");
		return;
	}
	printf("frontend: ring ref %u, buffer ref %u (guest 0x%llx), event channel %u\n",
	       PV_RING_REF, PV_BUF_REF, (unsigned long long)(uintptr_t)buf, port);
	if (!request(port, PV_OP_DMA_WRITE, seed)) {
		test_fail("pv-dma", "no response from the backend within 5 s");
		return;
	}
	bad = wrong_bytes(seed);
	printf("frontend: backend's device wrote through bus address 0x%llx (status %d)\n",
	       (unsigned long long)ring.rsp[0].bus, ring.rsp[0].status);
	if (ring.rsp[0].status || bad)
		test_fail("pv-dma-bytes", "%u of 4096 bytes wrong (backend status %d)", bad,
			  ring.rsp[0].status);
	else
		test_pass("pv-dma-bytes");
	if (gnttab_end_access(PV_BUF_REF))
		test_fail("pv-end-access-while-mapped", "access ended under a live mapping");
	else
		test_pass("pv-end-access-while-mapped");
	if (!request(port, PV_OP_RELEASE, seed)) {
		test_fail("pv-release", "no response from the backend within 5 s");
		return;
	}
	if (wrong_bytes(seed) != bad)
		test_fail("pv-page-after-unmap", "the page changed after the backend unmapped it");
	else
		test_pass("pv-page-after-unmap");
	if (!gnttab_end_access(PV_BUF_REF))
		test_fail("pv-end-access", "still mapped after the backend unmapped it");
	else
		test_pass("pv-end-access");
	/* the ring stays mapped until the backend has written its last response: it lets go
	 * right after (a real frontend would see it in xenstore) */
	uint64_t end = read_cntvct() + read_cntfrq();

	while (!gnttab_end_access(PV_RING_REF))
		if (read_cntvct() > end) {
			test_fail("pv-ring-released", "the backend kept the ring mapped");
			return;
		}
	test_pass("pv-ring-released");
	printf("frontend: %llu upcall(s) taken\n", (unsigned long long)evtchn_upcalls());
}
