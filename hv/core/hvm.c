/* HVMOP_get_param / set_param as Xen 4.17 on Arm has them (xen/arch/arm/hvm.c): a plain
 * array of parameters per domain, zero until someone sets one. With no xenstore anywhere,
 * dom0's Linux reads STORE_EVTCHN 0 and starts xenbus in its local mode, as under Xen. */
#include "domain.h"
#include "guest_access.h"
#include "hvm.h"
#include <xen/hvm.h>

long do_hvm_op(struct vcpu *v, const uint64_t a[5])
{
	unsigned op = (unsigned)a[0];
	struct xen_hvm_param p;
	struct domain *d;

	if (op != HVMOP_set_param && op != HVMOP_get_param)
		return -XEN_ENOSYS;
	if (copy_from_guest(v, &p, a[1], sizeof(p)))
		return -XEN_EFAULT;
	if (p.index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	d = p.domid == DOMID_SELF ? v->d : domain_by_id(p.domid);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->d && !v->d->hardware) /* XSM_TARGET: itself, or the privileged domain */
		return -XEN_EPERM;
	if (op == HVMOP_set_param) {
		__atomic_store_n(&d->hvm_params[p.index], p.value, __ATOMIC_RELAXED);
		return 0;
	}
	p.value = __atomic_load_n(&d->hvm_params[p.index], __ATOMIC_RELAXED);
	return copy_to_guest(v, a[1], &p, sizeof(p)) ? -XEN_EFAULT : 0;
}
