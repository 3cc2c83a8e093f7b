/* Event channels (Xen's xen/common/event_channel.c): ports per domain, interdomain pairs and
 * virtual IRQs, each delivered to one vCPU through the 2-level ABI (pending/mask bits in
 * shared_info, event_2l.c) or, once the guest asks, the FIFO ABI (event words in its own
 * pages, per-vCPU priority queues: event_fifo.c); the upcall itself is a virtual PPI (the
 * /hypervisor node's interrupts). */
#ifndef HV_EVENT_H
#define HV_EVENT_H
#include "types.h"
#include <xen/event_channel.h>

#define EVTCHN_PPI 31	 /* Xen's GUEST_EVTCHN_PPI, for every domain here */
#define EVTCHN_PORTS 1024 /* per domain, as Xen's dom0less domUs; port 0 is reserved */
#define EVTCHN_FIFO_PAGES ((EVTCHN_PORTS + EVTCHN_FIFO_WORDS_PER_PAGE - 1) / \
			   EVTCHN_FIFO_WORDS_PER_PAGE)

enum { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ };

struct evtchn {
	uint8_t state;       /* ECS_* */
	uint8_t notify_vcpu;
	domid_t remote_dom;
	uint16_t remote_port; /* ECS_VIRQ: the virq */
	uint8_t priority;     /* FIFO queue */
	uint8_t pending;      /* FIFO: pending before its event word existed */
	uint8_t last_vcpu, last_priority; /* FIFO: the queue it was last linked on */
};

/* One vCPU's FIFO state: its control block in guest RAM, and each queue's tail. */
struct evtchn_fifo_vcpu {
	paddr_t control_ma; /* 0: not registered */
	evtchn_port_t tail[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_table {
	struct evtchn port[EVTCHN_PORTS];
	uint16_t virq_port[MAX_VCPUS][NR_VIRQS]; /* 0: not bound */
	bool fifo;                               /* the guest switched to the FIFO ABI */
	unsigned nr_fifo_pages;
	paddr_t fifo_page_ma[EVTCHN_FIFO_PAGES];
	struct evtchn_fifo_vcpu fifo_vcpu[MAX_VCPUS];
};

struct domain;
struct vcpu;

void evtchn_init(struct evtchn_table *t);
/* Marks port pending in d and, unless masked, raises the upcall on its vCPU. Called with
 * the event-channel lock held. */
void evtchn_set_pending(struct domain *d, evtchn_port_t port);
/* Raises a global virtual IRQ (VIRQ_CONSOLE, ...) if d has bound it; any context. */
void evtchn_send_virq(struct domain *d, unsigned virq);
/* Raises the upcall PPI if vcpu_info says one is due (after a vcpu_info move). */
void evtchn_mark_upcall(struct vcpu *v);

long do_event_channel_op(struct vcpu *v, const uint64_t a[5]);

/* event_fifo.c, with the event-channel lock held */
long evtchn_fifo_init_control(struct vcpu *v, struct evtchn_init_control *op);
long evtchn_fifo_expand_array(struct vcpu *v, uint64_t gfn);
void evtchn_fifo_set_pending(struct domain *d, evtchn_port_t port);
void evtchn_fifo_unmask(struct domain *d, evtchn_port_t port);

#endif
