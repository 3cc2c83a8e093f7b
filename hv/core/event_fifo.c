/* The FIFO event-channel ABI (Xen's xen/common/event_fifo.c), which Linux prefers. Each port
 * has a 32-bit word in pages the guest gives (EVTCHNOP_expand_array): PENDING, MASKED,
 * LINKED and a 17-bit LINK to the next port of its queue. Each vCPU has a control block in
 * its own RAM (EVTCHNOP_init_control): a READY bit and a HEAD per priority. The hypervisor
 * links a newly pending, unmasked port at the tail of its vCPU's queue; the guest consumes
 * from the head, clearing LINKED as it goes. A link onto a tail the guest has already
 * consumed fails (its LINKED is clear), and the port becomes the new head instead. Every
 * function here runs with the event-channel lock held. */
#include "arch.h"
#include "domain.h"
#include "event.h"
#include "p2m.h"
#include "shared_info.h"
#include <string.h>

#define WORD_BIT(b) (1U << (b))

/* The caller's own writable RAM page at gfn, through the one gate; 0 if it is not. */
static paddr_t guest_ram_page(struct domain *d, uint64_t gfn)
{
	mfn_t mfn;

	return p2m_get_ram_page(&d->p2m, _gfn(gfn), true, &mfn) ? 0 : mfn_to_maddr(mfn);
}

static uint32_t *event_word(struct domain *d, evtchn_port_t port)
{
	unsigned page = port / EVTCHN_FIFO_WORDS_PER_PAGE;

	if (port >= EVTCHN_PORTS || page >= d->evtchn.nr_fifo_pages)
		return NULL;
	return (uint32_t *)maddr_to_virt(d->evtchn.fifo_page_ma[page]) +
	       port % EVTCHN_FIFO_WORDS_PER_PAGE;
}

static struct evtchn_fifo_control_block *control_block(struct domain *d, unsigned vcpu)
{
	paddr_t ma = d->evtchn.fifo_vcpu[vcpu].control_ma;

	return ma ? maddr_to_virt(ma) : NULL;
}

/* Sets tail's LINK to port, unless the guest has consumed tail (LINKED clear). */
static bool set_link(uint32_t *tail, evtchn_port_t port)
{
	uint32_t w = __atomic_load_n(tail, __ATOMIC_ACQUIRE);

	for (;;) {
		uint32_t n = (w & ~EVTCHN_FIFO_LINK_MASK) | port;

		if (!(w & WORD_BIT(EVTCHN_FIFO_LINKED)))
			return false;
		if (__atomic_compare_exchange_n(tail, &w, n, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
	}
}

static void link_port(struct domain *d, evtchn_port_t port, uint32_t *word)
{
	struct evtchn *c = &d->evtchn.port[port];
	struct evtchn_fifo_vcpu *old = &d->evtchn.fifo_vcpu[c->last_vcpu];
	struct evtchn_fifo_vcpu *q = &d->evtchn.fifo_vcpu[c->notify_vcpu];
	struct evtchn_fifo_control_block *cb = control_block(d, c->notify_vcpu);
	unsigned prio = c->priority;
	bool linked = false;

	if (!cb)
		return; /* no control block yet: the guest must not unmask before it has one */
	/* The port was a tail that was consumed: that queue is empty now, and a link onto its
	 * stale tail would loop the port onto itself or into another queue. */
	if (old->tail[c->last_priority] == port)
		old->tail[c->last_priority] = 0;
	if (__atomic_fetch_or(word, WORD_BIT(EVTCHN_FIFO_LINKED), __ATOMIC_ACQ_REL) &
	    WORD_BIT(EVTCHN_FIFO_LINKED))
		return;
	c->last_vcpu = c->notify_vcpu;
	c->last_priority = (uint8_t)prio;
	if (q->tail[prio])
		linked = set_link(event_word(d, q->tail[prio]), port);
	if (!linked)
		__atomic_store_n(&cb->head[prio], port, __ATOMIC_RELEASE);
	q->tail[prio] = port;
	if (!linked && !(__atomic_fetch_or(&cb->ready, 1U << prio, __ATOMIC_ACQ_REL) & (1U << prio)))
		evtchn_mark_upcall(&d->vcpu[c->notify_vcpu]);
}

void evtchn_fifo_set_pending(struct domain *d, evtchn_port_t port)
{
	uint32_t *word = event_word(d, port), w;

	if (!word) {
		d->evtchn.port[port].pending = 1; /* linked once its page arrives */
		return;
	}
	w = __atomic_or_fetch(word, WORD_BIT(EVTCHN_FIFO_PENDING), __ATOMIC_ACQ_REL);
	if (!(w & (WORD_BIT(EVTCHN_FIFO_MASKED) | WORD_BIT(EVTCHN_FIFO_LINKED))))
		link_port(d, port, word);
}

/* The guest clears MASKED itself and asks only when the port was pending (Linux's
 * evtchn_fifo_unmask); Xen clears it again and links what is pending. */
void evtchn_fifo_unmask(struct domain *d, evtchn_port_t port)
{
	uint32_t *word = event_word(d, port);

	if (!word)
		return;
	__atomic_fetch_and(word, ~WORD_BIT(EVTCHN_FIFO_MASKED), __ATOMIC_ACQ_REL);
	if (__atomic_load_n(word, __ATOMIC_ACQUIRE) & WORD_BIT(EVTCHN_FIFO_PENDING))
		evtchn_fifo_set_pending(d, port);
}

/* The first control block moves the domain to FIFO: what was pending in the 2-level bitmap
 * stays pending, and is linked when its event word's page arrives (Xen's setup_ports). */
static void switch_to_fifo(struct domain *d)
{
	const struct shared_info *si = domain_shared_info(d);

	for (evtchn_port_t p = 1; p < EVTCHN_PORTS; p++) {
		struct evtchn *c = &d->evtchn.port[p];

		c->last_vcpu = c->notify_vcpu;
		c->last_priority = c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		if (c->state != ECS_FREE && (si->evtchn_pending[p / 64] & (1ULL << (p % 64))))
			c->pending = 1;
	}
	d->evtchn.fifo = true;
}

/* Xen's checks (event_fifo.c: evtchn_fifo_init_control): the vCPU, then the offset (8-byte
 * aligned, the block inside the page), then the frame (writable RAM of the caller); once
 * per vCPU. */
long evtchn_fifo_init_control(struct vcpu *v, struct evtchn_init_control *op)
{
	struct domain *d = v->d;
	struct evtchn_fifo_vcpu *fv;
	paddr_t ma;

	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if ((op->offset & 7) ||
	    op->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))
		return -XEN_EINVAL;
	ma = guest_ram_page(d, op->control_gfn);
	fv = &d->evtchn.fifo_vcpu[op->vcpu];
	if (!ma || fv->control_ma)
		return -XEN_EINVAL;
	memset(maddr_to_virt(ma + op->offset), 0, sizeof(struct evtchn_fifo_control_block));
	memset(fv->tail, 0, sizeof(fv->tail));
	fv->control_ma = ma + op->offset;
	if (!d->evtchn.fifo)
		switch_to_fifo(d);
	op->link_bits = EVTCHN_FIFO_LINK_BITS;
	return 0;
}

long evtchn_fifo_expand_array(struct vcpu *v, uint64_t gfn)
{
	struct domain *d = v->d;
	unsigned page = d->evtchn.nr_fifo_pages;
	paddr_t ma;

	if (!d->evtchn.fifo)
		return -XEN_EOPNOTSUPP;
	if (page == EVTCHN_FIFO_PAGES)
		return -XEN_ENOSPC; /* every port this domain can have has its word */
	ma = guest_ram_page(d, gfn);
	if (!ma)
		return -XEN_EINVAL;
	d->evtchn.fifo_page_ma[page] = ma;
	d->evtchn.nr_fifo_pages = page + 1;
	for (evtchn_port_t p = page * EVTCHN_FIFO_WORDS_PER_PAGE;
	     p < EVTCHN_PORTS && p < (page + 1) * EVTCHN_FIFO_WORDS_PER_PAGE; p++)
		if (d->evtchn.port[p].pending) {
			d->evtchn.port[p].pending = 0;
			evtchn_fifo_set_pending(d, p);
		}
	return 0;
}
