/* What becomes of a guest's stage-2 abort: Xen 4.17's policy (xen/arch/arm/traps.c,
 * do_trap_stage2_abort_guest; io.c, try_handle_mmio). An access an emulator can do is done;
 * everything else a guest can cause by itself - an address outside its map, an emulated
 * region without a valid syndrome, an access the emulator refuses - becomes a synchronous
 * external abort injected into the guest, which goes on. The domain is stopped only where
 * Xen 4.17 does not let it go on either (README, "Guest aborts"). */
#ifndef HV_GUEST_ABORT_H
#define HV_GUEST_ABORT_H
#include "esr.h"
#include "spinlock.h"

struct vcpu;
struct domain;

enum abort_outcome {
	ABORT_EMULATED, /* an emulator did the access: the guest goes on after the instruction */
	ABORT_SKIPPED,	/* cache maintenance on an emulated range: a no-op, as in Xen 4.17 */
	ABORT_RETRY,	/* held memory released (p2m_hold): the instruction runs again */
	ABORT_INJECT,	/* the guest gets a synchronous external abort at EL1 */
	ABORT_CRASH,	/* the domain is stopped */
};

struct abort_verdict {
	enum abort_outcome outcome;
	const char *why; /* for the log, unless emulated or skipped */
};

/* A stage-2 abort by v at ipa with syndrome a. For a write with a valid syndrome, *value
 * holds the register's bytes; for an emulated read it receives the bytes read (the caller
 * extends them into the register with esr_load_value). */
struct abort_verdict guest_abort_resolve(struct vcpu *v, const struct esr_abort *a, paddr_t ipa,
					 uint64_t *value);

/* One log line per domain and address, up to ABORT_LOG_LINES per domain. */
#define ABORT_LOG_ADDRS 16
#define ABORT_LOG_LINES 64
struct abort_log {
	spinlock_t lock;
	uint64_t addr[ABORT_LOG_ADDRS]; /* the last distinct addresses logged */
	unsigned next, lines;
};
/* Logs an injected abort: "dN: data abort injected: read from IPA ... (VA ...) at PC ...:
 * why", once per address (rate limited). */
void guest_abort_log_injected(struct domain *d, const struct esr_abort *a, paddr_t ipa, uint64_t va,
			      uint64_t pc, const char *why);

#endif
