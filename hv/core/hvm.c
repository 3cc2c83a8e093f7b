/* HVMOP_get_param / set_param as Xen 4.17 on Arm has them (xen/arch/arm/hvm.c): a plain
 * array of parameters per domain, zero until someone sets one (dom0's callback: its PPI).
 * With no xenstore anywhere, dom0's Linux reads STORE_EVTCHN 0 and starts xenbus in its
 * local mode, as under Xen; a dom0less domU's reads STORE_PFN 0 and gives xenbus up
 * (-ENOENT), and CONSOLE_EVTCHN 0 (no hvc console), as Xen 4.17 answers a domU built with
 * xen,enhanced = "no-xenstore". Nothing here ever says ~0 (Xen's "xenstore comes later"):
 * Linux would wait for a toolstack mapvisor does not have. */
#include "domain.h"
#include "hypercall.h"
#include "event.h"
#include "guest_access.h"
#include "hvm.h"
#include <xen/hvm.h>

/* Xen 4.17 on Arm (hvm.c: hvm_allow_get_param / hvm_allow_set_param): the xenstore and
 * console parameters and the callback may be read; a domain may set none of them itself
 * (the toolstack does, for another domain); every other index is -EINVAL. */
static int param_allowed(const struct vcpu *v, const struct domain *d, unsigned op,
			 uint32_t index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
		return op == HVMOP_set_param && d == v->d ? -XEN_EPERM : 0;
	case HVM_PARAM_MONITOR_RING_PFN:
		return d == v->d ? -XEN_EPERM : 0;
	}
	return -XEN_EINVAL;
}

long do_hvm_op(struct vcpu *v, const uint64_t a[5])
{
	unsigned op = (unsigned)a[0];
	struct xen_hvm_param p;
	struct domain *d;
	int rc;

	if (op != HVMOP_set_param && op != HVMOP_get_param)
		return hypercall_enosys(v, __HYPERVISOR_hvm_op, op);
	if (copy_from_guest(v, &p, a[1], sizeof(p)))
		return -XEN_EFAULT;
	d = p.domid == DOMID_SELF ? v->d : domain_by_id(p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->hardware) /* XSM_TARGET: itself, or the privileged domain */
		return -XEN_EPERM;
	rc = param_allowed(v, d, op, p.index);
	if (rc)
		return rc;
	if (op == HVMOP_set_param) {
		__atomic_store_n(&d->hvm_params[p.index], p.value, __ATOMIC_RELAXED);
		return 0;
	}
	p.value = __atomic_load_n(&d->hvm_params[p.index], __ATOMIC_RELAXED);
	return copy_to_guest(v, a[1], &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

void hvm_params_init(struct domain *d)
{
	/* Xen tells dom0 its event-channel PPI (CALLBACK_TYPE_PPI, level-low flag) */
	if (d->hardware)
		d->hvm_params[HVM_PARAM_CALLBACK_IRQ] = HVM_PARAM_CALLBACK_TYPE_PPI << 56 |
							 HVM_PARAM_CALLBACK_PPI_LOW_LEVEL << 8 |
							 EVTCHN_PPI;
}
