/* Event channels and the pages behind them, against fake domains: alloc_unbound,
 * bind_interdomain, send, close, status and unmask with Xen's error codes; the 2-level bits
 * (pending, mask, selector, upcall flag) and the upcall PPI; shared_info and grant frames
 * through XENMEM_add_to_physmap; VCPUOP_register_vcpu_info. */
#include "unit.h"
#include "event.h"
#include "hypercall.h"
#include "shared_info.h"
#include <xen/memory.h>

#define ARG 0x1000 /* where a hypercall's struct goes in the caller's RAM */

static struct domain *d0, *d1;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 16, true);
	d1 = fake_domain(1, false, 0x40000000, 16, false);
	return 0;
}

static long op(struct domain *d, unsigned nr, unsigned cmd, void *arg, size_t size)
{
	const uint64_t a[5] = {cmd, d->ram[0].gpa + ARG, 0, 0, 0};
	long rc;

	memcpy(maddr_to_virt(d->ram[0].maddr + ARG), arg, size);
	rc = hypercall_dispatch(&d->vcpu[0], nr, a);
	memcpy(arg, maddr_to_virt(d->ram[0].maddr + ARG), size);
	return rc;
}

static long ev(struct domain *d, unsigned cmd, void *arg, size_t size)
{
	return op(d, __HYPERVISOR_event_channel_op, cmd, arg, size);
}

static bool pending(struct domain *d, unsigned port)
{
	return domain_shared_info(d)->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

static bool upcall(struct domain *d)
{
	return vcpu_info_of(&d->vcpu[0])->evtchn_upcall_pending;
}

static bool ppi_pending(struct domain *d)
{
	return d->vcpu[0].vgic.pending & (1U << EVTCHN_PPI);
}

/* d1 offers a port to d0, d0 binds it: returns d0's port. */
static evtchn_port_t connect(evtchn_port_t *d1_port)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 0};
	struct evtchn_bind_interdomain bi = {.remote_dom = 1};

	assert_int_equal(ev(d1, EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi.remote_port = au.port;
	assert_int_equal(ev(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
	*d1_port = au.port;
	return bi.local_port;
}

static void interdomain_send(void **state)
{
	evtchn_port_t p1, p0 = connect(&p1);
	struct evtchn_send s = {p0};

	(void)state;
	assert_int_equal(p1, 1); /* port 0 is reserved */
	assert_int_equal(p0, 1);
	assert_true(pending(d0, p0)); /* a fresh binding starts pending, as in Xen */
	assert_false(pending(d1, p1));
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_true(pending(d1, p1));
	assert_int_equal(vcpu_info_of(&d1->vcpu[0])->evtchn_pending_sel, 1);
	assert_true(upcall(d1));
	assert_true(ppi_pending(d1));
	/* already pending: nothing more is raised */
	d1->vcpu[0].vgic.pending = 0;
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_false(ppi_pending(d1));
	/* the guest's handler clears the flags and the bit; the next send raises it again */
	vcpu_info_of(&d1->vcpu[0])->evtchn_upcall_pending = 0;
	vcpu_info_of(&d1->vcpu[0])->evtchn_pending_sel = 0;
	domain_shared_info(d1)->evtchn_pending[0] = 0;
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_true(ppi_pending(d1));
	/* and back the other way */
	s.port = p1;
	assert_int_equal(ev(d1, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_true(upcall(d0));
}

static void masked_until_unmasked(void **state)
{
	evtchn_port_t p1, p0 = connect(&p1);
	struct evtchn_send s = {p0};
	struct evtchn_unmask u = {p1};

	(void)state;
	domain_shared_info(d1)->evtchn_mask[0] = 1ULL << p1;
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_true(pending(d1, p1));
	assert_false(upcall(d1));
	assert_int_equal(ev(d1, EVTCHNOP_unmask, &u, sizeof(u)), 0);
	assert_false(domain_shared_info(d1)->evtchn_mask[0] & (1ULL << p1));
	assert_true(upcall(d1));
	assert_true(ppi_pending(d1));
	u.port = 77;
	assert_int_equal(ev(d1, EVTCHNOP_unmask, &u, sizeof(u)), -XEN_EINVAL);
}

static void errors(void **state)
{
	struct evtchn_alloc_unbound au = {.dom = 0, .remote_dom = 1};
	struct evtchn_bind_interdomain bi = {.remote_dom = 1, .remote_port = 1};
	struct evtchn_send s = {0};
	struct evtchn_close c = {0};

	(void)state;
	assert_int_equal(ev(d1, EVTCHNOP_alloc_unbound, &au, sizeof(au)), -XEN_EPERM);
	au.dom = 9;
	assert_int_equal(ev(d0, EVTCHNOP_alloc_unbound, &au, sizeof(au)), -XEN_ESRCH);
	assert_int_equal(ev(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -XEN_EINVAL);
	bi.remote_dom = 5;
	assert_int_equal(ev(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -XEN_ESRCH);
	/* an unbound port offered to d0 cannot be bound by d1 itself */
	au = (struct evtchn_alloc_unbound){.dom = DOMID_SELF, .remote_dom = 0};
	assert_int_equal(ev(d1, EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi = (struct evtchn_bind_interdomain){.remote_dom = DOMID_SELF, .remote_port = au.port};
	assert_int_equal(ev(d1, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -XEN_EINVAL);
	bi.remote_port = 0xffffffff;
	bi.remote_dom = 1;
	assert_int_equal(ev(d0, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -XEN_EINVAL);
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), -XEN_EINVAL); /* reserved */
	s.port = 5000;
	assert_int_equal(ev(d0, EVTCHNOP_send, &s, sizeof(s)), -XEN_EINVAL);
	s.port = au.port; /* unbound: dropped */
	assert_int_equal(ev(d1, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_int_equal(ev(d0, EVTCHNOP_close, &c, sizeof(c)), -XEN_EINVAL);
	struct evtchn_bind_vcpu bv = {.port = 0, .vcpu = 0};

	assert_int_equal(ev(d0, EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -XEN_EINVAL); /* reserved */
	assert_int_equal(ev(d0, EVTCHNOP_bind_pirq, &c, sizeof(c)), -XEN_ENOSYS);
	assert_int_equal(ev(d0, 99, &c, sizeof(c)), -XEN_ENOSYS);
	assert_int_equal(hypercall_dispatch(&d0->vcpu[0], __HYPERVISOR_event_channel_op,
					    (const uint64_t[5]){EVTCHNOP_send, 0x7f000000}),
			 -XEN_EFAULT);
	/* every port taken: -ENOSPC */
	au = (struct evtchn_alloc_unbound){.dom = DOMID_SELF, .remote_dom = 1};
	for (unsigned i = 1; i < EVTCHN_PORTS; i++)
		assert_int_equal(ev(d0, EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	assert_int_equal(ev(d0, EVTCHNOP_alloc_unbound, &au, sizeof(au)), -XEN_ENOSPC);
}

static void close_and_status(void **state)
{
	evtchn_port_t p1, p0 = connect(&p1);
	struct evtchn_status st = {.dom = DOMID_SELF, .port = p1};
	struct evtchn_close c = {p0};
	struct evtchn_send s = {p1};

	(void)state;
	assert_int_equal(ev(d1, EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, p0);
	assert_int_equal(ev(d0, EVTCHNOP_close, &c, sizeof(c)), 0);
	assert_int_equal(ev(d1, EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound); /* waits for a new partner */
	assert_int_equal(st.u.unbound.dom, 0);
	st.dom = 0;
	st.port = p0;
	assert_int_equal(ev(d1, EVTCHNOP_status, &st, sizeof(st)), -XEN_EPERM);
	assert_int_equal(ev(d0, EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(ev(d0, EVTCHNOP_close, &c, sizeof(c)), -XEN_EINVAL); /* twice */
	assert_int_equal(ev(d1, EVTCHNOP_send, &s, sizeof(s)), 0); /* unbound again: dropped */
}

static void physmap(void **state)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .idx = 0,
				       .gpfn = 0x38000 + 16};
	uint64_t ram_before = d0->p2m.ram_pages;
	enum p2m_type t;
	paddr_t ma;

	(void)state;
	x.idx = 1;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EINVAL);
	x.idx = 0;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)), 0);
	assert_int_equal(p2m_lookup(&d1->p2m, x.gpfn << PAGE_SHIFT, &ma, &t, NULL), 0);
	assert_int_equal(t, P2M_XEN);
	assert_int_equal(ma, d1->shared_info_ma);
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)), 0);
	x.gpfn++;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EBUSY); /* Xen 4.17: one place at a time */
	/* over one of its own RAM pages, as Linux does: that page is given up, the rest of a
	 * 1:1 domain stays 1:1 */
	x.gpfn = (d0->ram[0].gpa >> PAGE_SHIFT) + 7;
	assert_int_equal(op(d0, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)), 0);
	assert_int_equal(d0->p2m.ram_pages, ram_before - 1);
	assert_true(p2m_is_direct_mapped(&d0->p2m));
	/* never over a device */
	assert_int_equal(p2m_map(&d1->p2m, 0x9000000, 0x9000000, PAGE_SIZE, P2M_MMIO, P2M_RW), 0);
	x = (struct xen_add_to_physmap){
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x9000};
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EINVAL);
	x.gpfn = 0x38000;
	x.idx = GNT_MAX_FRAMES;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EINVAL);
	x.idx = XENMAPIDX_grant_table_status;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EINVAL);
	x.idx = 2; /* grows the table to three frames */
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)), 0);
	assert_int_equal(d1->grant.nr_frames, 3);
	x.space = XENMAPSPACE_gmfn_foreign;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_ENOSYS);
	x.space = XENMAPSPACE_shared_info;
	x.domid = 0;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_EPERM);
	x.domid = 9;
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x, sizeof(x)),
			 -XEN_ESRCH);
	assert_int_equal(op(d1, __HYPERVISOR_memory_op, 99, &x, sizeof(x)), -XEN_ENOSYS);
}

static void vcpu_info_moves(void **state)
{
	struct vcpu_register_vcpu_info r = {.mfn = (d1->ram[0].gpa >> PAGE_SHIFT) + 2,
					    .offset = 64};
	const uint64_t a_bad_vcpu[5] = {VCPUOP_register_vcpu_info, 9, 0, 0, 0};
	struct vcpu_info *vi;

	(void)state;
	vcpu_info_of(&d1->vcpu[0])->evtchn_upcall_mask = 1;
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_bad_vcpu),
			 -XEN_ENOENT);
	const uint64_t a_off[5] = {VCPUOP_register_vcpu_info, 0, d1->ram[0].gpa + ARG, 0, 0};

	r.offset = PAGE_SIZE - 8; /* crosses the page: Xen 4.17 says -ENXIO */
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_off), -XEN_ENXIO);
	r.offset = 4; /* unaligned: -ENXIO too */
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_off), -XEN_ENXIO);
	r.offset = 64;
	r.mfn = 0x7000; /* not RAM */
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_off),
			 -XEN_EINVAL);
	r.mfn = (d1->ram[0].gpa >> PAGE_SHIFT) + 2;
	memcpy(maddr_to_virt(d1->ram[0].maddr + ARG), &r, sizeof(r));
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_off), 0);
	vi = maddr_to_virt(d1->ram[0].maddr + 2 * PAGE_SIZE + 64);
	assert_ptr_equal(vcpu_info_of(&d1->vcpu[0]), vi);
	assert_int_equal(vi->evtchn_upcall_mask, 1);	 /* contents moved along */
	assert_int_equal(vi->evtchn_pending_sel, ~0ULL); /* rescan everything */
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	/* once only: Xen 4.17 answers a second registration with -EINVAL */
	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_off),
			 -XEN_EINVAL);
	const uint64_t a_other[5] = {0 /* VCPUOP_initialise: x86 only */, 0, 0, 0, 0};

	assert_int_equal(hypercall_dispatch(&d1->vcpu[0], __HYPERVISOR_vcpu_op, a_other),
			 -XEN_EINVAL);
}

/* bind_virq as Xen checks it, delivery of a global virq, and its status. */
static void virqs(void **state)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_CONSOLE, .vcpu = 0};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_close c;

	(void)state;
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	assert_int_equal(bv.port, 1);
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), -XEN_EEXIST);
	bv = (struct evtchn_bind_virq){.virq = VIRQ_CONSOLE, .vcpu = 1}; /* global: vCPU 0 */
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), -XEN_EINVAL);
	bv = (struct evtchn_bind_virq){.virq = NR_VIRQS, .vcpu = 0};
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), -XEN_EINVAL);
	bv = (struct evtchn_bind_virq){.virq = VIRQ_DEBUG, .vcpu = 7}; /* per-vCPU, no vCPU 7 */
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), -XEN_ENOENT);
	bv.vcpu = 1;
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	assert_int_equal(bv.port, 2);

	evtchn_send_virq(d0, VIRQ_CONSOLE);
	assert_true(pending(d0, 1));
	assert_true(upcall(d0) && ppi_pending(d0));
	evtchn_send_virq(d1, VIRQ_CONSOLE); /* not bound there: nothing */
	assert_false(pending(d1, 1));
	st.port = 1;
	assert_int_equal(ev(d0, EVTCHNOP_status, &st, sizeof(st)), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_CONSOLE);
	c.port = 1;
	assert_int_equal(ev(d0, EVTCHNOP_close, &c, sizeof(c)), 0);
	bv = (struct evtchn_bind_virq){.virq = VIRQ_CONSOLE, .vcpu = 0}; /* free again */
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
}

/* bind_vcpu: interdomain, unbound and global-virq ports move; per-vCPU virqs do not. */
static void bind_vcpu(void **state)
{
	evtchn_port_t p1, p0 = connect(&p1);
	struct evtchn_bind_vcpu b = {.port = p0, .vcpu = 1};
	struct evtchn_bind_virq bv = {.virq = VIRQ_DEBUG, .vcpu = 0};
	struct evtchn_send s = {p1};

	(void)state;
	assert_int_equal(ev(d0, EVTCHNOP_bind_vcpu, &b, sizeof(b)), 0);
	domain_shared_info(d0)->evtchn_pending[0] = 0; /* the bind's own event, consumed */
	vcpu_info_of(&d0->vcpu[0])->evtchn_upcall_pending = 0;
	assert_int_equal(ev(d1, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_true(vcpu_info_of(&d0->vcpu[1])->evtchn_upcall_pending);
	assert_false(vcpu_info_of(&d0->vcpu[0])->evtchn_upcall_pending);
	b.vcpu = 2;
	assert_int_equal(ev(d0, EVTCHNOP_bind_vcpu, &b, sizeof(b)), -XEN_ENOENT);
	b = (struct evtchn_bind_vcpu){.port = 77, .vcpu = 1};
	assert_int_equal(ev(d0, EVTCHNOP_bind_vcpu, &b, sizeof(b)), -XEN_EINVAL);
	assert_int_equal(ev(d0, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	b = (struct evtchn_bind_vcpu){.port = bv.port, .vcpu = 1};
	assert_int_equal(ev(d0, EVTCHNOP_bind_vcpu, &b, sizeof(b)), -XEN_EINVAL);
}

#define CB_OFF 0x2000	  /* d0's control block for vCPU 0 */
#define ARRAY_OFF 0x3000 /* d0's first event-array page */

static uint32_t *word_of(struct domain *d, evtchn_port_t p)
{
	return (uint32_t *)maddr_to_virt(d->ram[0].maddr + ARRAY_OFF) + p;
}

static struct evtchn_fifo_control_block *cb_of(struct domain *d)
{
	return maddr_to_virt(d->ram[0].maddr + CB_OFF);
}

static void fifo_on(struct domain *d)
{
	struct evtchn_init_control ic = {.control_gfn = (d->ram[0].gpa + CB_OFF) >> PAGE_SHIFT};
	struct evtchn_expand_array ea = {.array_gfn = (d->ram[0].gpa + ARRAY_OFF) >> PAGE_SHIFT};

	assert_int_equal(ev(d, EVTCHNOP_init_control, &ic, sizeof(ic)), 0);
	assert_int_equal(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	memset(word_of(d, 0), 0, PAGE_SIZE); /* the guest clears its array page */
	assert_int_equal(ev(d, EVTCHNOP_expand_array, &ea, sizeof(ea)), 0);
}

static void fifo_checks(void **state)
{
	struct evtchn_init_control ic = {.control_gfn = (d0->ram[0].gpa + CB_OFF) >> PAGE_SHIFT,
					 .offset = 4};
	struct evtchn_expand_array ea = {.array_gfn = (d0->ram[0].gpa + ARRAY_OFF) >> PAGE_SHIFT};
	struct evtchn_set_priority sp = {.port = 1, .priority = 3};

	(void)state;
	assert_int_equal(ev(d0, EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_EOPNOTSUPP);
	assert_int_equal(ev(d0, EVTCHNOP_set_priority, &sp, sizeof(sp)), -XEN_ENOSYS);
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_EINVAL);
	ic.offset = PAGE_SIZE - 64; /* the 72-byte block would leave the page */
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_EINVAL);
	ic.offset = 0;
	ic.vcpu = 2;
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_ENOENT);
	ic.vcpu = 0;
	ic.control_gfn = 0x7f000; /* not the domain's RAM */
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_EINVAL);
	ic.control_gfn = 1ULL << 40;
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_EINVAL);
	assert_false(d0->evtchn.fifo);
	fifo_on(d0);
	ic.control_gfn = (d0->ram[0].gpa + CB_OFF) >> PAGE_SHIFT;
	assert_int_equal(ev(d0, EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_EINVAL); /* twice */
	ea.array_gfn = 0x7f000;
	assert_int_equal(ev(d0, EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_ENOSPC); /* full */
	assert_int_equal(ev(d0, EVTCHNOP_set_priority, &sp, sizeof(sp)), -XEN_EINVAL); /* free */
}

/* Delivery through the queues: link at the tail, relink after the guest consumed, masked
 * ports wait for unmask, priorities pick the queue; what was pending under the 2-level ABI
 * is linked when the switch is made. */
static void fifo_delivery(void **state)
{
	evtchn_port_t p1, p0 = connect(&p1), q1, q0 = connect(&q1);
	struct evtchn_send s = {p1}, t = {q1};
	struct evtchn_unmask um;
	struct evtchn_set_priority sp = {.port = q0, .priority = 3};
	const uint32_t P = 1U << EVTCHN_FIFO_PENDING, M = 1U << EVTCHN_FIFO_MASKED,
		       L = 1U << EVTCHN_FIFO_LINKED;

	(void)state;
	/* bind_interdomain left p0 and q0 pending in the 2-level bitmap */
	fifo_on(d0);
	assert_int_equal(*word_of(d0, p0), P | L | q0); /* p0 at the head, q0 after it */
	assert_int_equal(*word_of(d0, q0), P | L);
	assert_int_equal(cb_of(d0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p0);
	assert_int_equal(cb_of(d0)->ready, 1U << EVTCHN_FIFO_PRIORITY_DEFAULT);
	assert_true(upcall(d0));

	/* the guest consumes both (clears LINKED|LINK, then PENDING) */
	*word_of(d0, p0) = 0;
	*word_of(d0, q0) = 0;
	cb_of(d0)->ready = 0;
	vcpu_info_of(&d0->vcpu[0])->evtchn_upcall_pending = 0;
	/* q0 was the tail: linking it again must not link it onto itself */
	assert_int_equal(ev(d1, EVTCHNOP_send, &t, sizeof(t)), 0);
	assert_int_equal(*word_of(d0, q0), P | L);
	assert_int_equal(cb_of(d0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], q0);
	assert_true(upcall(d0));

	/* masked: pending, not linked, until unmask */
	*word_of(d0, p0) = M;
	assert_int_equal(ev(d1, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_int_equal(*word_of(d0, p0), M | P);
	*word_of(d0, p0) &= ~M; /* Linux clears MASKED, then asks because it was pending */
	um.port = p0;
	assert_int_equal(ev(d0, EVTCHNOP_unmask, &um, sizeof(um)), 0);
	assert_int_equal(*word_of(d0, p0), P | L);
	assert_int_equal(*word_of(d0, q0), P | L | p0); /* behind q0, still not consumed */

	/* another queue */
	*word_of(d0, q0) = 0;
	assert_int_equal(ev(d0, EVTCHNOP_set_priority, &sp, sizeof(sp)), 0);
	assert_int_equal(ev(d1, EVTCHNOP_send, &t, sizeof(t)), 0);
	assert_int_equal(cb_of(d0)->head[3], q0);
	assert_true(cb_of(d0)->ready & (1U << 3));
	sp.priority = EVTCHN_FIFO_PRIORITY_MIN + 1;
	assert_int_equal(ev(d0, EVTCHNOP_set_priority, &sp, sizeof(sp)), -XEN_EINVAL);
}

int run_event_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(interdomain_send, setup),
		cmocka_unit_test_setup(masked_until_unmasked, setup),
		cmocka_unit_test_setup(errors, setup),
		cmocka_unit_test_setup(close_and_status, setup),
		cmocka_unit_test_setup(physmap, setup),
		cmocka_unit_test_setup(vcpu_info_moves, setup),
		cmocka_unit_test_setup(virqs, setup),
		cmocka_unit_test_setup(bind_vcpu, setup),
		cmocka_unit_test_setup(fifo_checks, setup),
		cmocka_unit_test_setup(fifo_delivery, setup),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
