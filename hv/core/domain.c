/* Domains at run time: lookup, shutdown, crash, and the machine's exit status once all have
 * stopped. A domain's state only moves forward (running -> shutdown or crashed). */
#include "arch.h"
#include "domain.h"
#include "vpci.h"
#include "log.h"
#include <format.h>
#include <string.h>
#include <xen/sched.h>

struct domain *domains[MAX_DOMAINS];
unsigned nr_domains;

struct domain *domain_by_id(domid_t id)
{
	for (unsigned i = 0; i < nr_domains; i++)
		if (domains[i]->id == id)
			return domains[i];
	return NULL;
}

int domains_exit_status(void)
{
	int status = 0;

	for (unsigned i = 0; i < nr_domains; i++)
		if (domains[i]->state == DOMAIN_CRASHED)
			status = 1;
	return status;
}

static const char *reason_name(unsigned reason)
{
	static const char *const names[] = {"poweroff", "reboot", "suspend", "crash", "watchdog"};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

static bool all_stopped(void)
{
	for (unsigned i = 0; i < nr_domains; i++)
		if (domain_is_running(domains[i]))
			return false;
	return true;
}

void domain_shutdown(struct domain *d, unsigned reason, const char *why)
{
	bool expected = false;
	int state = reason == SHUTDOWN_crash || reason == SHUTDOWN_watchdog ? DOMAIN_CRASHED
									      : DOMAIN_SHUTDOWN;

	/* Only the first stop counts: later vCPUs of the same domain may race here. */
	if (!__atomic_compare_exchange_n(&d->stopping, &expected, true, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	d->shutdown_reason = reason;
	arch_iommu_poll(); /* a device's faults belong in the log before its domain's end */
	log_info("d%u: shut down (%s)%s%s", d->id, reason_name(reason), why ? ": " : "",
		 why ? why : "");
	vpci_log_counts(d);
	/* Stopped only now: another domain's last stop powers the machine off as soon as it
	 * sees every domain stopped, and this domain's lines must be in the log by then. */
	__atomic_store_n(&d->state, state, __ATOMIC_RELEASE);
	/* The domain's other running vCPUs stop at once, not at their next trap. */
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpu[i].pcpu != arch_cpu_id() &&
		    __atomic_load_n(&d->vcpu[i].power, __ATOMIC_ACQUIRE) == VCPU_ON)
			arch_vcpu_kick(&d->vcpu[i]);
	if (!all_stopped())
		return;
	int status = domains_exit_status();
	log_info("all domains have stopped: powering off (exit status %d: %s)", status,
		 status ? "a domain crashed" : "clean");
	arch_poweroff(status);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	domain_shutdown(d, SHUTDOWN_crash, why);
}

int domain_gpa_to_maddr(struct domain *d, paddr_t gpa, paddr_t *maddr)
{
	mfn_t mfn;

	if (p2m_get_ram_page(&d->p2m, gpa_to_gfn(_gpa(gpa)), false, &mfn))
		return -XEN_EFAULT;
	*maddr = mfn_to_maddr(mfn) + (gpa & (PAGE_SIZE - 1));
	return 0;
}

int domain_copy_to_gpa(struct domain *d, paddr_t gpa, const void *src, uint64_t len)
{
	const char *s = src;

	while (len) {
		uint64_t chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));
		paddr_t ma;

		if (domain_gpa_to_maddr(d, gpa, &ma))
			return -XEN_EFAULT;
		memcpy(maddr_to_virt(ma), s, chunk);
		arch_flush_ram(ma, chunk); /* a kernel starts with its MMU off (booting.rst) */
		gpa += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}
