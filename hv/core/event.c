/* Event channels, 2-level (xen/common/event_channel.c, event_2l.c): alloc_unbound,
 * bind_interdomain, send, close, status and unmask, with Xen's error codes. Delivery sets
 * the port's pending bit in the receiver's shared_info and, unless the port is masked, its
 * selector bit and upcall flag in the vCPU's vcpu_info, then raises the upcall PPI; each
 * step only proceeds on a 0 -> 1 change, so the guest's handler (clear upcall flag, take the
 * selector, scan) can never miss an event. One lock for every domain's ports: a pair spans
 * two domains, and one lock cannot be taken in the wrong order. */
#include "domain.h"
#include "event.h"
#include "guest_access.h"
#include "shared_info.h"
#include "spinlock.h"
#include "vgic.h"
#include <string.h>

enum { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN };

#define BITS_PER_WORD 64

static spinlock_t evtchn_lock;

void evtchn_init(struct evtchn_table *t)
{
	memset(t, 0, sizeof(*t));
	t->port[0].state = ECS_RESERVED;
}

static bool test_and_set(xen_ulong_t *word, unsigned bit)
{
	return __atomic_fetch_or(word, 1ULL << bit, __ATOMIC_ACQ_REL) & (1ULL << bit);
}

static bool test(const xen_ulong_t *word, unsigned bit)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE) & (1ULL << bit);
}

void evtchn_mark_upcall(struct vcpu *v)
{
	struct vcpu_info *vi = vcpu_info_of(v);

	if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_ACQ_REL))
		return;
	vgic_inject(v, EVTCHN_PPI);
}

void evtchn_set_pending(struct domain *d, evtchn_port_t port)
{
	struct shared_info *si = domain_shared_info(d);
	struct vcpu *v = &d->vcpu[d->evtchn.port[port].notify_vcpu];
	unsigned w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

	if (test_and_set(&si->evtchn_pending[w], b))
		return;
	if (test(&si->evtchn_mask[w], b))
		return;
	if (!test_and_set(&vcpu_info_of(v)->evtchn_pending_sel, w))
		evtchn_mark_upcall(v);
}

/* DOMID_SELF or the caller's own id; others' ports only for the hardware domain. */
static int domain_arg(struct vcpu *v, domid_t dom, struct domain **out)
{
	struct domain *d = dom == DOMID_SELF ? v->d : domain_by_id(dom);

	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->hardware)
		return -XEN_EPERM;
	*out = d;
	return 0;
}

static int free_port(const struct domain *d)
{
	for (unsigned p = 1; p < EVTCHN_PORTS; p++)
		if (d->evtchn.port[p].state == ECS_FREE)
			return (int)p;
	return -XEN_ENOSPC;
}

static long alloc_unbound(struct vcpu *v, struct evtchn_alloc_unbound *op)
{
	struct domain *d;
	int rc = domain_arg(v, op->dom, &d), port;

	if (rc)
		return rc;
	port = free_port(d);
	if (port < 0)
		return port;
	/* the remote need not exist yet (Xen does not check): binding is what checks */
	d->evtchn.port[port] = (struct evtchn){
		ECS_UNBOUND, 0, op->remote_dom == DOMID_SELF ? v->d->id : op->remote_dom, 0};
	op->port = (evtchn_port_t)port;
	return 0;
}

static long bind_interdomain(struct vcpu *v, struct evtchn_bind_interdomain *op)
{
	struct domain *ld = v->d;
	struct domain *rd = op->remote_dom == DOMID_SELF ? ld : domain_by_id(op->remote_dom);
	struct evtchn *rchn;
	int lport;

	if (!rd)
		return -XEN_ESRCH;
	lport = free_port(ld); /* Xen's order: no port, then a bad remote */
	if (lport < 0)
		return lport;
	if (op->remote_port >= EVTCHN_PORTS)
		return -XEN_EINVAL;
	rchn = &rd->evtchn.port[op->remote_port];
	if (rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->id)
		return -XEN_EINVAL;
	ld->evtchn.port[lport] =
		(struct evtchn){ECS_INTERDOMAIN, 0, rd->id, (uint16_t)op->remote_port};
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_port = (uint16_t)lport;
	op->local_port = (evtchn_port_t)lport;
	/* as Xen: the new local port starts pending, so nothing sent before the bind is lost */
	evtchn_set_pending(ld, (evtchn_port_t)lport);
	return 0;
}

static bool port_valid(const struct domain *d, evtchn_port_t port)
{
	return port < EVTCHN_PORTS && d->evtchn.port[port].state != ECS_FREE;
}

static long send(struct vcpu *v, evtchn_port_t port)
{
	const struct evtchn *c;

	if (!port_valid(v->d, port))
		return -XEN_EINVAL;
	c = &v->d->evtchn.port[port];
	switch (c->state) {
	case ECS_INTERDOMAIN:
		evtchn_set_pending(domain_by_id(c->remote_dom), c->remote_port);
		return 0;
	case ECS_UNBOUND:
		return 0; /* nobody listens yet: dropped, as in Xen */
	}
	return -XEN_EINVAL;
}

static long close_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *c;

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	c = &d->evtchn.port[port];
	if (c->state == ECS_RESERVED)
		return -XEN_EINVAL;
	if (c->state == ECS_INTERDOMAIN) {
		struct evtchn *r = &domain_by_id(c->remote_dom)->evtchn.port[c->remote_port];

		/* the other end waits for a new partner, as after alloc_unbound */
		r->state = ECS_UNBOUND;
		r->remote_dom = d->id;
		r->remote_port = 0;
	}
	*c = (struct evtchn){ECS_FREE, 0, 0, 0};
	return 0;
}

static long status(struct vcpu *v, struct evtchn_status *op)
{
	static const uint32_t stat[] = {[ECS_FREE] = EVTCHNSTAT_closed,
					[ECS_RESERVED] = EVTCHNSTAT_closed,
					[ECS_UNBOUND] = EVTCHNSTAT_unbound,
					[ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain};
	struct domain *d;
	const struct evtchn *c;
	int rc = domain_arg(v, op->dom, &d);

	if (rc)
		return rc;
	if (op->port >= EVTCHN_PORTS)
		return -XEN_EINVAL;
	c = &d->evtchn.port[op->port];
	memset(&op->u, 0, sizeof(op->u));
	op->status = stat[c->state];
	op->vcpu = c->notify_vcpu;
	if (c->state == ECS_UNBOUND)
		op->u.unbound.dom = c->remote_dom;
	if (c->state == ECS_INTERDOMAIN) {
		op->u.interdomain.dom = c->remote_dom;
		op->u.interdomain.port = c->remote_port;
	}
	return 0;
}

/* EVTCHNOP_unmask: clear the mask and deliver what became visible (event_2l's unmask). */
static long unmask(struct vcpu *v, evtchn_port_t port)
{
	struct shared_info *si = domain_shared_info(v->d);
	unsigned w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;
	struct vcpu *t;

	if (!port_valid(v->d, port))
		return -XEN_EINVAL;
	t = &v->d->vcpu[v->d->evtchn.port[port].notify_vcpu];
	__atomic_fetch_and(&si->evtchn_mask[w], ~(1ULL << b), __ATOMIC_ACQ_REL);
	if (test(&si->evtchn_pending[w], b) &&
	    !test_and_set(&vcpu_info_of(t)->evtchn_pending_sel, w))
		evtchn_mark_upcall(t);
	return 0;
}

long do_event_channel_op(struct vcpu *v, const uint64_t a[5])
{
	static const size_t sizes[] = {
		[EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
		[EVTCHNOP_close] = sizeof(struct evtchn_close),
		[EVTCHNOP_send] = sizeof(struct evtchn_send),
		[EVTCHNOP_status] = sizeof(struct evtchn_status),
		[EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
		[EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
	};
	union {
		struct evtchn_bind_interdomain bind;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_alloc_unbound alloc;
		struct evtchn_unmask unmask;
	} op;
	unsigned cmd = (unsigned)a[0];
	long rc;

	if (cmd >= ARRAY_SIZE(sizes) || !sizes[cmd])
		return -XEN_ENOSYS; /* bind_virq, bind_pirq, bind_ipi, bind_vcpu: not here */
	if (copy_from_guest(v, &op, a[1], sizes[cmd]))
		return -XEN_EFAULT;
	spin_lock(&evtchn_lock);
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		rc = alloc_unbound(v, &op.alloc);
		break;
	case EVTCHNOP_bind_interdomain:
		rc = bind_interdomain(v, &op.bind);
		break;
	case EVTCHNOP_send:
		rc = send(v, op.send.port);
		break;
	case EVTCHNOP_close:
		rc = close_port(v->d, op.close.port);
		break;
	case EVTCHNOP_status:
		rc = status(v, &op.status);
		break;
	default:
		rc = unmask(v, op.unmask.port);
		break;
	}
	spin_unlock(&evtchn_lock);
	if (!rc &&
	    (cmd == EVTCHNOP_alloc_unbound || cmd == EVTCHNOP_bind_interdomain ||
	     cmd == EVTCHNOP_status) &&
	    copy_to_guest(v, a[1], &op, sizes[cmd]))
		return -XEN_EFAULT;
	return rc;
}
