/* Entering a vCPU on its physical CPU, reflecting exceptions into it, and stopping a CPU.
 * One vCPU per physical CPU, never switched: the guest's EL1 state simply stays in the
 * registers, which is why there is no context-switch code. */
#include "arch.h"
#include "arm64.h"
#include "esr.h"
#include "gicv3.h"
#include "log.h"
#include "runstate.h"
#include "sysreg.h"
#include <arm/psci.h>
#include <string.h>

#define SCTLR_EL1_RES1 0x30D00800ULL /* MMU, caches off; RES1 bits (Arm ARM D13.2.118) */
/* HA (bit 21) clear: the CPU never sets a stage-2 access flag itself, so held memory's
 * first access faults (p2m.h) */
#define VTCR_VALUE                                                                                 \
	((64ULL - P2M_IPA_BITS) | (1ULL << 6) /* SL0: start at level 1 */ | (1ULL << 8) |          \
	 (1ULL << 10) | (3ULL << 12) | (2ULL << 16) /* PS: 40 bits */ | (1ULL << 31))

/* CPTR_EL2 (E2H = 0, Arm ARM D13.2.31): FP/SIMD, SVE and SME are the guest's, untrapped and
 * with every vector length the CPU has: each vCPU owns its pCPU, so there is no other
 * context to save them from. TZ and TSM are RES1 on CPUs without SVE or SME. */
#define CPTR_EL2_RES1 0x33ffULL
#define CPTR_EL2_TZ (1ULL << 8)
#define CPTR_EL2_TSM (1ULL << 12)

static void vector_extensions_to_guest(void)
{
	uint64_t cptr = CPTR_EL2_RES1;

	if ((read_sysreg(id_aa64pfr0_el1) >> 32) & 0xf) { /* SVE */
		cptr &= ~CPTR_EL2_TZ;
		write_sysreg(cptr, cptr_el2);
		isb();
		write_sysreg_s(0x1ffULL, ZCR_EL2); /* LEN: the largest the CPU offers */
	}
	if ((read_sysreg(id_aa64pfr1_el1) >> 24) & 0xf) { /* SME */
		cptr &= ~CPTR_EL2_TSM;
		write_sysreg(cptr, cptr_el2);
		isb();
		write_sysreg_s(0x1ffULL, SMCR_EL2);
	}
	write_sysreg(cptr, cptr_el2);
}

static uint64_t hcr_value(void)
{
	uint64_t hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS |
		       HCR_TSC | HCR_RW;
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);

	/* Pointer authentication, if the CPU has it, is the guest's business: do not trap it. */
	if (isar1 & (0xffULL << 4 | 0xffULL << 24))
		hcr |= HCR_API | HCR_APK;
	return hcr;
}

static void reset_el1_state(void)
{
	write_sysreg(SCTLR_EL1_RES1, sctlr_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, sp_el0);
	write_sysreg(0, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(0, far_el1);
	write_sysreg(0, par_el1);
	write_sysreg(0, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
}

_Noreturn void vcpu_run(struct vcpu *v)
{
	struct cpu_regs r;
	uint64_t now;

	memset(&r, 0, sizeof(r));
	r.x[0] = v->context;
	r.elr = v->entry;
	r.spsr = SPSR_EL1H_MASKED;
	reset_el1_state();
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg((1ULL << 31) | v->vmpidr, vmpidr_el2);
	write_sysreg(hcr_value(), hcr_el2);
	vector_extensions_to_guest();
	write_sysreg(VTCR_VALUE, vtcr_el2);
	write_sysreg(p2m_vttbr(&v->d->p2m), vttbr_el2);
	write_sysreg(3, cnthctl_el2); /* EL1 may use the physical counter and timer */
	write_sysreg(0, cntvoff_el2);
	gic_reset_vcpu(v);
	isb();
	__asm__ volatile("tlbi vmalls12e1" ::: "memory");
	dsb(nsh);
	isb();
	now = arch_now_ns();
	runstate_change(v, RUNSTATE_running, now, false);
	/* the counter time is make bench's "power-on to the guest's first instruction" */
	log_debug("d%u: vCPU %u enters at 0x%llx on pCPU %u, %llu ns after power-on", v->d->id,
		  v->id, (unsigned long long)v->entry, v->pcpu, (unsigned long long)now);
	/* last: until dom0's vCPU is on, the other CPUs' scrubs give way (domain_scrub.c) */
	__atomic_store_n(&v->power, VCPU_ON, __ATOMIC_RELEASE);
	enter_guest(&r);
}

/* A synchronous exception taken to the guest's EL1 from where it trapped, as the CPU would
 * take it (Arm ARM D1.10, exception entry): SPSR_EL1 and ELR_EL1 saved, PSTATE EL1h with
 * D, A, I and F masked, and the vector for the state it came from (D1.10.2: current EL with
 * SP_EL0 +0x000, with SP_ELx +0x200, lower EL in AArch64 +0x400; sync is +0 in each). */
static void enter_el1_sync(struct cpu_regs *r, uint64_t elr, uint64_t esr)
{
	unsigned mode = r->spsr & SPSR_MODE_MASK;
	uint64_t offset = mode == SPSR_MODE_EL0T ? 0x400 : mode == SPSR_MODE_EL1T ? 0x000 : 0x200;

	write_sysreg(r->spsr, spsr_el1);
	write_sysreg(elr, elr_el1);
	write_sysreg(esr, esr_el1);
	r->elr = read_sysreg(vbar_el1) + offset;
	r->spsr = SPSR_EL1H_MASKED;
}

void vcpu_inject_undef(struct cpu_regs *r, uint64_t insn_pc)
{
	enter_el1_sync(r, insn_pc, ESR_IL); /* EC 0 (unknown), IL: 32-bit instruction */
}

/* Xen's inject_abt64_exception: ELR_EL1 the faulting instruction, FAR_EL1 its address, EC a
 * data or instruction abort from the current EL or, from EL0, the lower one. Xen writes ISS
 * 0; mapvisor writes what a bus error gives on hardware: DFSC/IFSC synchronous external
 * abort, with WnR for a data abort (D13.2.37). */
void vcpu_inject_abort(struct cpu_regs *r, bool data, bool write, uint64_t far)
{
	bool from_el0 = (r->spsr & SPSR_MODE_MASK) == SPSR_MODE_EL0T;
	unsigned ec = data ? (from_el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR)
			   : (from_el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR);
	uint64_t esr = ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_SEA |
		       (data && write ? ESR_ISS_DA_WNR : 0);

	write_sysreg(far, far_el1);
	enter_el1_sync(r, r->elr, esr);
}

int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa)
{
	uint64_t saved = read_sysreg(par_el1), par;

	/* AT reports through PAR_EL1, which is the guest's register: keep it intact. */
	if (write)
		__asm__ volatile("at s1e1w, %0" ::"r"(gva));
	else
		__asm__ volatile("at s1e1r, %0" ::"r"(gva));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(saved, par_el1);
	if (par & 1)
		return -XEN_EFAULT;
	*ipa = (par & 0x0000fffffffff000ULL) | (gva & 0xfff);
	return 0;
}

/* A pCPU already alive is parked in cpu_stop() waiting for exactly this: wake it. Only the
 * first start of a pCPU goes through the firmware. */
int arch_vcpu_start(struct vcpu *v)
{
	struct pcpu *p = &pcpus[v->pcpu];
	int64_t rc;

	if (__atomic_load_n(&p->alive, __ATOMIC_ACQUIRE)) {
		dsb(ish);
		__asm__ volatile("sev");
		return 0;
	}
	p->vcpu = v;
	__atomic_store_n(&p->alive, 1, __ATOMIC_RELEASE);
	dsb(ish);
	rc = smc_call(PSCI_CPU_ON_64, p->mpidr, (uint64_t)(uintptr_t)secondary_entry, p->id);
	if (rc != PSCI_SUCCESS) {
		log_warn("d%u: starting vCPU %u on pCPU %u (MPIDR 0x%llx): firmware CPU_ON "
			 "returned %lld", v->d->id, v->id, p->id, (unsigned long long)p->mpidr,
			 (long long)rc);
		__atomic_store_n(&p->alive, 0, __ATOMIC_RELEASE);
		return -XEN_EBUSY;
	}
	return 0;
}

/* This CPU stops running its vCPU. After the vCPU's own CPU_OFF the pCPU stays ours, parked
 * until the next CPU_ON of that vCPU (the firmware is too slow to ask: a quick CPU_ON would
 * find the pCPU still going down). When the domain is gone the pCPU goes back to firmware. */
_Noreturn void cpu_stop(void)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v = p->vcpu;

	if (v && v->off_requested && domain_is_running(v->d)) {
		v->off_requested = false;
		runstate_change(v, RUNSTATE_offline, arch_now_ns(), true);
		/* power is OFF, or already ON_PENDING if a CPU_ON came in the meantime */
		while (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VCPU_ON_PENDING &&
		       domain_is_running(v->d))
			__asm__ volatile("wfe");
		if (domain_is_running(v->d))
			vcpu_run_fresh_stack(v, pcpu_stack_top(p->id));
	}
	if (v) {
		__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
		log_info("d%u: vCPU %u stopped, pCPU %u off", v->d->id, v->id, p->id);
	}
	__atomic_store_n(&p->alive, 0, __ATOMIC_RELEASE);
	if (boot_info.psci_smc)
		smc_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* The last cache level CLIDR_EL1 reports with a data or unified cache, read through
 * CSSELR/CCSIDR (Arm ARM D13.2.22, D13.2.25); FEAT_CCIDX widens CCSIDR's fields. */
bool arch_llc_geometry(uint64_t *size, uint64_t *ways)
{
	uint64_t clidr = read_sysreg(clidr_el1), ccsidr, sets, assoc, line;
	bool ccidx = ((read_sysreg(id_aa64mmfr2_el1) >> 20) & 0xf) != 0;
	int level = -1;

	for (int l = 0; l < 7; l++) {
		unsigned ctype = (clidr >> (3 * l)) & 7;

		if (ctype >= 2) /* data, separate or unified */
			level = l;
		else if (ctype == 0)
			break;
	}
	if (level < 0)
		return false;
	write_sysreg((uint64_t)level << 1, csselr_el1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	line = 1ULL << ((ccsidr & 7) + 4);
	if (ccidx) {
		assoc = ((ccsidr >> 3) & 0x1fffff) + 1;
		sets = ((ccsidr >> 32) & 0xffffff) + 1;
	} else {
		assoc = ((ccsidr >> 3) & 0x3ff) + 1;
		sets = ((ccsidr >> 13) & 0x7fff) + 1;
	}
	*ways = assoc;
	*size = sets * assoc * line;
	return true;
}

unsigned arch_cpu_id(void)
{
	return this_pcpu()->id;
}

uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_now_ns(void)
{
	uint64_t t = arch_counter(), hz = read_sysreg(cntfrq_el0);

	/* split so that t * 10^9 cannot overflow for centuries of uptime */
	return hz ? t / hz * 1000000000ULL + t % hz * 1000000000ULL / hz : 0;
}
