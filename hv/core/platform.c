/* platform_op and the wall clock. dom0 owns the wall clock (Linux sets it from its RTC and
 * NTP through XENPF_settime64, arch/arm/xen/enlighten.c): mapvisor keeps it as the time of
 * day at hypervisor time 0 and writes it into every domain's shared_info, as Xen's
 * do_settime does. Anything else is -ENOSYS, as Xen on Arm answers. */
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "shared_info.h"
#include "spinlock.h"
#include <xen/platform.h>

static spinlock_t wallclock_lock;
static uint64_t wallclock_base_ns; /* time of day, ns since the epoch, at hypervisor time 0 */

/* The version is odd while the fields change (Xen's update_domain_wallclock_time). */
static void wallclock_publish(struct domain *d)
{
	struct shared_info *si = domain_shared_info(d);
	uint64_t sec = wallclock_base_ns / 1000000000ULL;

	__atomic_fetch_add(&si->wc_version, 1, __ATOMIC_ACQ_REL);
	si->wc_sec = (uint32_t)sec;
	si->wc_sec_hi = (uint32_t)(sec >> 32);
	si->wc_nsec = (uint32_t)(wallclock_base_ns % 1000000000ULL);
	__atomic_fetch_add(&si->wc_version, 1, __ATOMIC_ACQ_REL);
}

void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time_ns)
{
	uint64_t now = secs * 1000000000ULL + nsecs;

	spin_lock(&wallclock_lock);
	wallclock_base_ns = now > system_time_ns ? now - system_time_ns : 0;
	for (unsigned i = 0; i < nr_domains; i++)
		wallclock_publish(domains[i]);
	spin_unlock(&wallclock_lock);
}

long do_platform_op(struct vcpu *v, const uint64_t a[5])
{
	struct xen_platform_op op;

	/* Xen on Arm's order: privilege (XSM_PRIV), the copy, the interface version */
	if (!v->d->hardware)
		return -XEN_EPERM;
	if (copy_from_guest(v, &op, a[0], sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XENPF_settime64:
		if (op.u.settime64.mbz)
			return -XEN_EINVAL;
		wallclock_set(op.u.settime64.secs, op.u.settime64.nsecs,
			      op.u.settime64.system_time);
		return 0;
	}
	return hypercall_enosys(v, __HYPERVISOR_platform_op, op.cmd);
}
