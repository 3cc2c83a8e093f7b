/* Event channels, 2-level ABI (Xen's xen/common/event_channel.c and event_2l.c): ports per
 * domain, interdomain pairs, pending/mask bits in shared_info, selector and upcall flag in
 * vcpu_info, and the upcall itself: a virtual PPI (the /hypervisor node's interrupts). */
#ifndef HV_EVENT_H
#define HV_EVENT_H
#include "types.h"
#include <xen/event_channel.h>

#define EVTCHN_PPI 31	 /* Xen's GUEST_EVTCHN_PPI, for every domain here */
#define EVTCHN_PORTS 128 /* per domain; port 0 is reserved, as in Xen */

struct evtchn {
	uint8_t state; /* ECS_* */
	uint8_t notify_vcpu;
	domid_t remote_dom;
	uint16_t remote_port;
};

struct evtchn_table {
	struct evtchn port[EVTCHN_PORTS];
};

struct domain;
struct vcpu;

void evtchn_init(struct evtchn_table *t);
/* Marks port pending in d and, unless masked, raises the upcall on its vCPU. */
void evtchn_set_pending(struct domain *d, evtchn_port_t port);
/* Raises the upcall PPI if vcpu_info says one is due (after a vcpu_info move). */
void evtchn_mark_upcall(struct vcpu *v);

long do_event_channel_op(struct vcpu *v, const uint64_t a[5]);

#endif
