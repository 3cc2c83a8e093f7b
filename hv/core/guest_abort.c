/* The stage-2 abort policy (guest_abort.h), in Xen 4.17's order: external aborts first, then
 * permission faults, then translation faults (emulated MMIO or not), then every other fault
 * status, which Xen reports as unsupported and answers with an abort for the guest. */
#include "domain.h"
#include "domain_scrub.h"
#include "guest_abort.h"
#include "log.h"
#include "vmmio.h"
#include <format.h>

#define VERDICT(o, w) ((struct abort_verdict){(o), (w)})

/* Held memory at ipa released (p2m.h): the first device access says what it cost. */
static bool released(struct domain *d, paddr_t ipa)
{
	char cause[48];
	uint64_t zeroed;
	bool devices;

	if (p2m_access_fault(&d->p2m, ipa, &zeroed, &devices))
		return false;
	if (devices) {
		snprintf(cause, sizeof(cause), "first device access (IPA 0x%llx)",
			 (unsigned long long)ipa);
		domain_scrub_log_released(d, cause, zeroed);
	}
	return true;
}

struct abort_verdict guest_abort_resolve(struct vcpu *v, const struct esr_abort *a, paddr_t ipa,
					 uint64_t *value)
{
	unsigned type = a->fsc & ESR_FSC_TYPE_MASK;
	const struct vmmio_region *r;

	/* Xen: a guest external abort is a guest SError (__do_trap_serror), which it forwards
	 * as a virtual SError; mapvisor has no virtual SErrors and stops the domain, as for a
	 * guest's SError. */
	if (a->ea)
		return VERDICT(ABORT_CRASH,
			       "an external abort, which Xen 4.17 makes a virtual SError");
	/* mapvisor's own: only held memory has its access flag clear */
	if (type == ESR_FSC_ACCESS_FLAG && released(v->d, ipa))
		return VERDICT(ABORT_RETRY, NULL);
	/* Xen: only mem_access makes these, and it returns to the guest without injecting: a
	 * vCPU that really faults retries for ever. Nothing here can resolve it either. */
	if (type == ESR_FSC_PERMISSION)
		return VERDICT(ABORT_CRASH,
			       "nothing can resolve it (Xen 4.17 retries it for ever)");
	/* Xen: "Unsupported FSC", then an abort for the guest */
	if (type != ESR_FSC_TRANSLATION || a->fsc == ESR_FSC_ALIGNMENT)
		return VERDICT(ABORT_INJECT, esr_fsc_name(a->fsc));
	r = vmmio_find(v->d, ipa);
	if (!a->data)
		return VERDICT(ABORT_INJECT, r ? "instruction fetch from an emulated device"
					       : "outside the domain's memory map");
	/* Xen (try_decode_instruction): a stage-1 table in an emulated range, or outside the
	 * map, is not expected; the abort goes to the guest. */
	if (a->s1ptw)
		return VERDICT(ABORT_INJECT, "stage-1 table walk outside the domain's RAM");
	if (a->cm) /* Xen: ignored on an emulated range; elsewhere the guest's abort */
		return r ? VERDICT(ABORT_SKIPPED, NULL)
			 : VERDICT(ABORT_INJECT,
				   "cache maintenance outside the domain's memory map");
	if (!r)
		return VERDICT(ABORT_INJECT, "outside the domain's memory map");
	/* Xen 4.17 decodes one more form here (LDR/STR post-indexed); mapvisor none. */
	if (!a->isv)
		return VERDICT(ABORT_INJECT, "no valid syndrome (ISV=0: e.g. a load/store pair) "
					     "on an emulated device");
	if (vmmio_access(v, ipa, a->size, a->write, value) == VMMIO_HANDLED)
		return VERDICT(ABORT_EMULATED, NULL);
	return VERDICT(ABORT_INJECT, "the emulator refused the access");
}

/* true the first time addr is seen (among the last ABORT_LOG_ADDRS), while lines are left */
static bool log_once(struct abort_log *l, uint64_t addr, bool *last)
{
	unsigned known = MIN(l->next, ABORT_LOG_ADDRS);

	*last = false;
	for (unsigned i = 0; i < known; i++)
		if (l->addr[i] == addr)
			return false;
	if (l->lines > ABORT_LOG_LINES)
		return false;
	l->addr[l->next++ % ABORT_LOG_ADDRS] = addr; /* next <= lines: no wrap */
	*last = ++l->lines > ABORT_LOG_LINES;
	return !*last;
}

void guest_abort_log_injected(struct domain *d, const struct esr_abort *a, paddr_t ipa, uint64_t va,
			      uint64_t pc, const char *why)
{
	bool print, last;

	spin_lock(&d->abort_log.lock);
	print = log_once(&d->abort_log, ipa, &last);
	spin_unlock(&d->abort_log.lock);
	if (last)
		log_warn("d%u: %u aborts injected: further ones are not logged", d->id,
			 ABORT_LOG_LINES);
	if (!print)
		return;
	if (a->fnv)
		log_warn("d%u: %s abort injected: %s IPA 0x%llx at PC 0x%llx: %s", d->id,
			 a->data ? "data" : "instruction",
			 !a->data   ? "fetch from"
			 : a->write ? "write to"
				    : "read from",
			 (unsigned long long)ipa, (unsigned long long)pc, why);
	else
		log_warn("d%u: %s abort injected: %s IPA 0x%llx (VA 0x%llx) at PC 0x%llx: %s",
			 d->id, a->data ? "data" : "instruction",
			 !a->data   ? "fetch from"
			 : a->write ? "write to"
				    : "read from",
			 (unsigned long long)ipa, (unsigned long long)va, (unsigned long long)pc,
			 why);
}
