/* backend: the dom0 half. It binds the frontend's event channel, maps the ring it granted
 * and, per request, maps the granted buffer into its extended region and has the edu DMA
 * engine write a pattern into it. The bus address comes from libguest's DMA layer: the
 * mapping's dev_bus_addr on the translate path, the GFN of the mapping on the direct one.
 * bootargs: front=DOMID port=PORT (the frontend's), force=direct|translate (negative
 * controls), stray=1 (after unmapping, aim the device at the old bus address), bench=N
 * (time N grant round trips first). */
#include "libguest.h"
#include <string.h>

static uint8_t src[4096] __attribute__((aligned(4096)));

static void delay_ms(unsigned ms)
{
	uint64_t end = read_cntvct() + ms * read_cntfrq() / 1000;

	while (read_cntvct() < end)
		;
}

/* The frontend runs on its own CPU and may not have offered its port or written its
 * grants yet: retry for up to 3 s, as a backend waits for xenstore. */
static bool connect(domid_t front, evtchn_port_t rport, evtchn_port_t *port, struct pv_ring **ring,
		    grant_handle_t *h)
{
	uint64_t bus;

	for (unsigned i = 0; i < 3000; i++, delay_ms(1))
		if (!evtchn_bind_interdomain(front, rport, port))
			break;
	for (unsigned i = 0; i < 3000; i++, delay_ms(1))
		if (gnttab_map(front, PV_RING_REF, xen_pv.ext_gpa, false, h, &bus) == GNTST_okay) {
			*ring = (struct pv_ring *)(uintptr_t)xen_pv.ext_gpa;
			return (*ring)->magic == PV_MAGIC;
		}
	return false;
}

struct mapping {
	uint64_t host, bus;
	grant_handle_t handle;
	bool live;
};

/* bench=N: what a backend's CPU spends per foreign page, the device's own time excluded (edu
 * models 100 ms per transfer): grant map + unmap alone, and map, dma_map, dma_unmap, unmap
 * around a 4 KiB DMA. Under -icount shift=0 a nanosecond is an instruction. */
static void bench(struct dma_dev *dev, domid_t front, uint32_t ref, unsigned n)
{
	uint64_t host = xen_pv.ext_gpa + 2 * 4096, t_map = 0, t_dma = 0, bounced, bus, b;
	grant_handle_t h;

	bounced = dma_stats.bytes_bounced;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = read_cntvct();

		if (gnttab_map(front, ref, host, false, &h, &bus) || gnttab_unmap(host, h)) {
			test_fail("backend-bench", "map/unmap %u failed", i);
			return;
		}
		t_map += read_cntvct() - t0;
		t0 = read_cntvct();
		gnttab_map(front, ref, host, false, &h, &bus);
		dma_register_foreign(host, bus);
		b = dma_map(dev, (void *)(uintptr_t)host, 4096, false);
		dma_unmap(dev, b, (void *)(uintptr_t)host, 4096, true);
		dma_forget_foreign(host);
		gnttab_unmap(host, h);
		t_dma += read_cntvct() - t0;
	}
	printf("backend-bench: %u x grant map+unmap: %llu ns each; 4 KiB foreign DMA, CPU side: "
	       "%llu ns each, %llu bytes bounced, %s path\n",
	       n, (unsigned long long)(t_map * 1000000000ULL / read_cntfrq() / n),
	       (unsigned long long)(t_dma * 1000000000ULL / read_cntfrq() / n),
	       (unsigned long long)((dma_stats.bytes_bounced - bounced) / n),
	       dma_path_name(dev->path));
}

static int32_t dma_write(const struct edu *e, struct dma_dev *dev, domid_t front, uint32_t ref,
			 uint32_t seed, struct mapping *m, uint64_t *bus)
{
	int16_t st;
	uint64_t sbus;

	if (bootarg("bench"))
		bench(dev, front, ref, (unsigned)bootarg_u64("bench", 10));
	m->host = xen_pv.ext_gpa + 4096;
	st = gnttab_map(front, ref, m->host, false, &m->handle, &m->bus);
	if (st != GNTST_okay)
		return st;
	m->live = true;
	dma_register_foreign(m->host, m->bus);
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = pv_pattern(seed, i);
	sbus = dma_map(dev, src, sizeof(src), true);
	*bus = dma_map(dev, (void *)(uintptr_t)m->host, 4096, false);
	if (sbus == DMA_MAP_ERROR || *bus == DMA_MAP_ERROR ||
	    edu_dma(e, sbus, EDU_BUFFER, 4096, false) || edu_dma(e, EDU_BUFFER, *bus, 4096, true))
		return -100;
	dma_unmap(dev, sbus, src, sizeof(src), false);
	dma_unmap(dev, *bus, (void *)(uintptr_t)m->host, 4096, true);
	printf("backend: grant %u mapped at 0x%llx, dev_bus_addr 0x%llx; device wrote 4096 bytes "
	       "to bus 0x%llx (%s path)\n",
	       ref, (unsigned long long)m->host, (unsigned long long)m->bus,
	       (unsigned long long)*bus, dma_path_name(dev->path));
	return 0;
}

static int32_t release(const struct edu *e, struct mapping *m, uint64_t old_bus)
{
	int16_t st = gnttab_unmap(m->host, m->handle);

	if (st != GNTST_okay)
		return st;
	m->live = false;
	dma_forget_foreign(m->host);
	printf("backend: grant unmapped\n");
	if (bootarg_is("stray", "1")) {
		printf("backend: device write to the revoked bus address 0x%llx\n",
		       (unsigned long long)old_bus);
		edu_dma(e, EDU_BUFFER, old_bus, 64, true);
	}
	return 0;
}

void guest_main(void)
{
	domid_t front = (domid_t)bootarg_u64("front", 1);
	struct mapping m = {0};
	struct pv_ring *ring;
	struct dma_dev dev;
	evtchn_port_t port;
	grant_handle_t ring_handle;
	uint32_t cons = 0;
	uint64_t last_bus = 0;
	struct edu e;

	if (xen_pv_init() || edu_find(&e)) {
		test_fail("backend-init", "no /hypervisor node or no edu device");
		return;
	}
	dma_dev_init(&dev, e.node, 0xffffffffffULL);
	if (bootarg("force")) {
		dev.path = bootarg_is("force", "direct") ? DMA_DIRECT : DMA_TRANSLATE;
		dev.why = "forced by bootargs (negative control)";
	}
	printf("backend: edu %s; DMA path %s (%s)\n", e.protected_ ? "behind an IOMMU" : "no IOMMU",
	       dma_path_name(dev.path), dev.why);
	if (!connect(front, (evtchn_port_t)bootarg_u64("port", 1), &port, &ring, &ring_handle)) {
		test_fail("backend-connect", "frontend d%u never offered its port and ring", front);
		return;
	}
	printf("backend: connected to d%u, event channel %u\n", front, port);
	while (cons < 2) {
		while (cons == ring->req_prod)
			if (!evtchn_wait(port, 5000)) {
				test_fail("backend-wait", "no request within 5 s");
				return;
			}
		__asm__ volatile("dmb ish" ::: "memory");
		unsigned i = cons % 4;
		int32_t st = ring->req[i].op == PV_OP_DMA_WRITE
				     ? dma_write(&e, &dev, front, ring->req[i].ref,
						 ring->req[i].seed, &m, &last_bus)
				     : release(&e, &m, last_bus);

		ring->rsp[i].status = st;
		ring->rsp[i].bus = last_bus;
		__asm__ volatile("dmb ish" ::: "memory");
		ring->rsp_prod = ++cons;
		evtchn_send(port);
	}
	gnttab_unmap(xen_pv.ext_gpa, ring_handle);
	printf("backend: dma: %llu bytes mapped, %llu bounced\n",
	       (unsigned long long)dma_stats.bytes_mapped,
	       (unsigned long long)dma_stats.bytes_bounced);
	test_pass("backend-served");
}
