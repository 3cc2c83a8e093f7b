/* Event channels (xen/common/event_channel.c, event_2l.c): alloc_unbound, bind_interdomain,
 * bind_virq, bind_vcpu, send, close, status and unmask, with Xen's error codes, and the
 * 2-level delivery. It sets the port's pending bit in the receiver's shared_info and, unless
 * the port is masked, its selector bit and upcall flag in the vCPU's vcpu_info, then raises
 * the upcall PPI; each step only proceeds on a 0 -> 1 change, so the guest's handler (clear
 * upcall flag, take the selector, scan) can never miss an event. A domain that registers a
 * FIFO control block moves to event_fifo.c's delivery. One lock for every domain's ports: a
 * pair spans two domains, and one lock cannot be taken in the wrong order. */
#include "domain.h"
#include "hypercall.h"
#include "event.h"
#include "guest_access.h"
#include "shared_info.h"
#include "spinlock.h"
#include "vgic.h"
#include <string.h>

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

static void evtchn_2l_set_pending(struct domain *d, evtchn_port_t port)
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

void evtchn_set_pending(struct domain *d, evtchn_port_t port)
{
	if (d->evtchn.fifo)
		evtchn_fifo_set_pending(d, port);
	else
		evtchn_2l_set_pending(d, port);
}

/* Global virqs are bound on vCPU 0 (bind_virq refuses others), so that is where to look. */
void evtchn_send_virq(struct domain *d, unsigned virq)
{
	evtchn_port_t port;

	if (virq >= NR_VIRQS)
		return;
	spin_lock(&evtchn_lock);
	port = d->evtchn.virq_port[0][virq];
	if (port)
		evtchn_set_pending(d, port);
	spin_unlock(&evtchn_lock);
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

/* A port starts (or ends) a binding with the default priority; which FIFO queue it was last
 * linked on survives, so that queue's tail can be let go when it is linked again. */
static struct evtchn *port_reset(struct domain *d, unsigned port, uint8_t state)
{
	struct evtchn *c = &d->evtchn.port[port];

	*c = (struct evtchn){.state = state, .priority = EVTCHN_FIFO_PRIORITY_DEFAULT,
			     .last_vcpu = c->last_vcpu, .last_priority = c->last_priority};
	return c;
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
	port_reset(d, (unsigned)port, ECS_UNBOUND)->remote_dom =
		op->remote_dom == DOMID_SELF ? v->d->id : op->remote_dom;
	op->port = (evtchn_port_t)port;
	return 0;
}

static long bind_interdomain(struct vcpu *v, struct evtchn_bind_interdomain *op)
{
	struct domain *ld = v->d;
	struct domain *rd = op->remote_dom == DOMID_SELF ? ld : domain_by_id(op->remote_dom);
	struct evtchn *rchn, *lchn;
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
	lchn = port_reset(ld, (unsigned)lport, ECS_INTERDOMAIN);
	lchn->remote_dom = rd->id;
	lchn->remote_port = (uint16_t)op->remote_port;
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

static bool virq_is_global(unsigned virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
	       virq != VIRQ_XENPMU;
}

/* Xen's checks, in its order: the virq, a global one on vCPU 0 only, the vCPU, one port per
 * (vCPU, virq). */
static long bind_virq(struct vcpu *v, struct evtchn_bind_virq *op)
{
	struct domain *d = v->d;
	struct evtchn *c;
	int port;

	if (op->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(op->virq) && op->vcpu != 0)
		return -XEN_EINVAL;
	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (d->evtchn.virq_port[op->vcpu][op->virq])
		return -XEN_EEXIST;
	port = free_port(d);
	if (port < 0)
		return port;
	c = port_reset(d, (unsigned)port, ECS_VIRQ);
	c->notify_vcpu = (uint8_t)op->vcpu;
	c->remote_port = (uint16_t)op->virq;
	d->evtchn.virq_port[op->vcpu][op->virq] = (uint16_t)port;
	op->port = (evtchn_port_t)port;
	return 0;
}

/* Which vCPU a port's events go to: interdomain, unbound and global-virq ports only. */
static long bind_vcpu(struct vcpu *v, const struct evtchn_bind_vcpu *op)
{
	struct domain *d = v->d;
	struct evtchn *c;

	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (!port_valid(d, op->port))
		return -XEN_EINVAL;
	c = &d->evtchn.port[op->port];
	switch (c->state) {
	case ECS_VIRQ:
		if (!virq_is_global(c->remote_port))
			return -XEN_EINVAL;
		d->evtchn.virq_port[c->notify_vcpu][c->remote_port] = 0;
		d->evtchn.virq_port[op->vcpu][c->remote_port] = (uint16_t)op->port;
		/* fall through */
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		c->notify_vcpu = (uint8_t)op->vcpu;
		return 0;
	}
	return -XEN_EINVAL;
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
	if (c->state == ECS_VIRQ)
		d->evtchn.virq_port[c->notify_vcpu][c->remote_port] = 0;
	port_reset(d, port, ECS_FREE);
	return 0;
}

static long status(struct vcpu *v, struct evtchn_status *op)
{
	static const uint32_t stat[] = {[ECS_FREE] = EVTCHNSTAT_closed,
					[ECS_RESERVED] = EVTCHNSTAT_closed,
					[ECS_UNBOUND] = EVTCHNSTAT_unbound,
					[ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
					[ECS_VIRQ] = EVTCHNSTAT_virq};
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
	if (c->state == ECS_VIRQ)
		op->u.virq = c->remote_port;
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
	if (v->d->evtchn.fifo) {
		evtchn_fifo_unmask(v->d, port);
		return 0;
	}
	t = &v->d->vcpu[v->d->evtchn.port[port].notify_vcpu];
	__atomic_fetch_and(&si->evtchn_mask[w], ~(1ULL << b), __ATOMIC_ACQ_REL);
	if (test(&si->evtchn_pending[w], b) &&
	    !test_and_set(&vcpu_info_of(t)->evtchn_pending_sel, w))
		evtchn_mark_upcall(t);
	return 0;
}

static long set_priority(struct domain *d, const struct evtchn_set_priority *op)
{
	if (!d->evtchn.fifo)
		return -XEN_ENOSYS; /* the 2-level ABI has no priorities */
	if (!port_valid(d, op->port) || op->priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	d->evtchn.port[op->port].priority = (uint8_t)op->priority;
	return 0;
}

union evtchn_op {
	struct evtchn_bind_interdomain bind;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_alloc_unbound alloc;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand;
	struct evtchn_set_priority priority;
};

static const struct {
	size_t size;
	bool out; /* the struct is copied back */
} evtchn_ops[] = {
	[EVTCHNOP_bind_interdomain] = {sizeof(struct evtchn_bind_interdomain), true},
	[EVTCHNOP_bind_virq] = {sizeof(struct evtchn_bind_virq), true},
	[EVTCHNOP_close] = {sizeof(struct evtchn_close), false},
	[EVTCHNOP_send] = {sizeof(struct evtchn_send), false},
	[EVTCHNOP_status] = {sizeof(struct evtchn_status), true},
	[EVTCHNOP_alloc_unbound] = {sizeof(struct evtchn_alloc_unbound), true},
	[EVTCHNOP_bind_vcpu] = {sizeof(struct evtchn_bind_vcpu), false},
	[EVTCHNOP_unmask] = {sizeof(struct evtchn_unmask), false},
	[EVTCHNOP_init_control] = {sizeof(struct evtchn_init_control), true},
	[EVTCHNOP_expand_array] = {sizeof(struct evtchn_expand_array), false},
	[EVTCHNOP_set_priority] = {sizeof(struct evtchn_set_priority), false},
};

static long evtchn_op(struct vcpu *v, unsigned cmd, union evtchn_op *op)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return alloc_unbound(v, &op->alloc);
	case EVTCHNOP_bind_interdomain:
		return bind_interdomain(v, &op->bind);
	case EVTCHNOP_bind_virq:
		return bind_virq(v, &op->bind_virq);
	case EVTCHNOP_bind_vcpu:
		return bind_vcpu(v, &op->bind_vcpu);
	case EVTCHNOP_send:
		return send(v, op->send.port);
	case EVTCHNOP_close:
		return close_port(v->d, op->close.port);
	case EVTCHNOP_status:
		return status(v, &op->status);
	case EVTCHNOP_unmask:
		return unmask(v, op->unmask.port);
	case EVTCHNOP_init_control:
		return evtchn_fifo_init_control(v, &op->init_control);
	case EVTCHNOP_expand_array:
		return evtchn_fifo_expand_array(v, op->expand.array_gfn);
	}
	return set_priority(v->d, &op->priority);
}

long do_event_channel_op(struct vcpu *v, const uint64_t a[5])
{
	unsigned cmd = (unsigned)a[0];
	union evtchn_op op;
	long rc;

	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].size)
		return hypercall_enosys(v, __HYPERVISOR_event_channel_op, cmd); /* pirq, ipi, reset */
	if (copy_from_guest(v, &op, a[1], evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	spin_lock(&evtchn_lock);
	rc = evtchn_op(v, cmd, &op);
	spin_unlock(&evtchn_lock);
	if (!rc && evtchn_ops[cmd].out && copy_to_guest(v, a[1], &op, evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	return rc;
}
