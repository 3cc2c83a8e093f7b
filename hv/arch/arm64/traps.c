/* Exceptions taken to EL2. From a guest, dispatched by exception class from one table:
 * hypercalls (HVC #0xEA1), PSCI (HVC/SMC #0), trapped system registers, and stage-2 aborts
 * (emulated MMIO, or Xen 4.17's policy: guest_abort.h); any other class is reflected to the
 * guest as an undefined instruction. From EL2 itself: a hypervisor bug, reported in full,
 * and the machine stops. */
#include "arm64.h"
#include "esr.h"
#include "gicv3.h"
#include "guest_abort.h"
#include "vgic.h"
#include "hypercall.h"
#include "log.h"
#include "sysreg.h"
#include "vpsci.h"
#include <xen/xen.h>

static void dump_regs(const struct cpu_regs *r)
{
	for (unsigned i = 0; i < 30; i += 3)
		log_err("x%-2u %016llx x%-2u %016llx x%-2u %016llx", i,
			(unsigned long long)r->x[i], i + 1, (unsigned long long)r->x[i + 1],
			i + 2 < 31 ? i + 2 : 30, (unsigned long long)r->x[i + 2 < 31 ? i + 2 : 30]);
	log_err("x30 %016llx", (unsigned long long)r->x[30]);
}

static _Noreturn void hyp_fault(struct cpu_regs *r, const char *kind)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = ESR_EC(esr);

	log_err("hypervisor fault on CPU %u (%s): EC 0x%x (%s), ESR 0x%llx, FAR 0x%llx, "
		"ELR 0x%llx, SPSR 0x%llx",
		this_pcpu()->id, kind, ec, esr_ec_name(ec), (unsigned long long)esr,
		(unsigned long long)read_sysreg(far_el2), (unsigned long long)r->elr,
		(unsigned long long)r->spsr);
	dump_regs(r);
	panic("unexpected exception at EL2");
}

void hyp_sync(struct cpu_regs *r)
{
	uint64_t esr = read_sysreg(esr_el2);

	/* Semihosting probe without semihosting enabled: report "not available". */
	if (ESR_EC(esr) == ESR_EC_UNKNOWN && r->elr == (uint64_t)(uintptr_t)semihosting_insn) {
		r->elr += 4;
		r->x[0] = (uint64_t)-1;
		return;
	}
	hyp_fault(r, "synchronous");
}

void hyp_sync_sp0(struct cpu_regs *r)
{
	hyp_fault(r, "synchronous, SP_EL0");
}

/* The hypervisor runs with interrupts masked; an interrupt here would be a bug. */
void hyp_irq(struct cpu_regs *r)
{
	hyp_fault(r, "IRQ at EL2");
}

void hyp_serror(struct cpu_regs *r)
{
	hyp_fault(r, "SError");
}

/* The register an access names: x0-x30, and 31 is XZR (reads 0, writes vanish). */
static uint64_t get_reg(const struct cpu_regs *r, unsigned n)
{
	return n == 31 ? 0 : r->x[n];
}

static void set_reg(struct cpu_regs *r, unsigned n, uint64_t val)
{
	if (n != 31)
		r->x[n] = val;
}

/* The faulting IPA: HPFAR_EL2.FIPA (bits 43:4 = IPA bits 51:12) and the page offset from
 * FAR_EL2; both valid for the stage-2 faults that reach here (Arm ARM, HPFAR_EL2). */
static paddr_t fault_ipa(uint64_t far)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);
}

/* Data and instruction aborts from the guest: both are stage-2 faults (stage 1 is the
 * guest's own, taken at EL1). */
static void guest_abort(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	struct esr_abort a = esr_decode_abort(esr);
	uint64_t far = read_sysreg(far_el2);
	paddr_t ipa = fault_ipa(far);
	uint64_t val = a.isv && a.write ? get_reg(r, a.srt) : 0;
	struct abort_verdict verdict = guest_abort_resolve(v, &a, ipa, &val);

	switch (verdict.outcome) {
	case ABORT_EMULATED:
		if (!a.write)
			set_reg(r, a.srt, esr_load_value(&a, val));
		r->elr += 4;
		return;
	case ABORT_SKIPPED:
		r->elr += 4;
		return;
	case ABORT_RETRY:
		return;
	case ABORT_INJECT:
		guest_abort_log_injected(v->d, &a, ipa, far, r->elr, verdict.why);
		vcpu_inject_abort(r, a.data, a.write, far);
		return;
	case ABORT_CRASH:
		break;
	}
	domain_crash(v->d,
		     "%s abort: %s IPA 0x%llx (VA 0x%llx) at PC 0x%llx: stage-2 %s "
		     "(level %u): %s",
		     a.data ? "data" : "instruction",
		     a.data ? (a.write ? "write to" : "read from") : "fetch from",
		     (unsigned long long)ipa, (unsigned long long)far, (unsigned long long)r->elr,
		     esr_fsc_name(a.fsc), a.fsc & ESR_FSC_LEVEL_MASK, verdict.why);
}

/* A Xen hypercall: number in x16, arguments x0-x4, result in x0 (include/xen/xen.h). */
static void hypercall_call(struct vcpu *v, struct cpu_regs *r)
{
	r->x[0] = (uint64_t)hypercall_dispatch(v, r->x[16], r->x);
}

/* HVC #imm. A Xen hypercall normally takes the fast path (guest_hypercall); one reaches
 * here only if a future CPU sets an ISS bit that is RES0 today. */
static void guest_hvc(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	unsigned imm = ESR_ISS_IMM16(esr);

	if (imm == XEN_HYPERCALL_TAG) {
		hypercall_call(v, r);
	} else if (imm == 0) {
		vpsci_call(v, r->x);
	} else {
		vcpu_inject_undef(r, r->elr - 4);
	}
}

/* SMC #imm, trapped by HCR_EL2.TSC; ELR points at the SMC itself. */
static void guest_smc(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	if (ESR_ISS_IMM16(esr) == 0) {
		r->elr += 4;
		vpsci_call(v, r->x);
	} else {
		vcpu_inject_undef(r, r->elr);
	}
}

/* Trapped system-register accesses. With HCR_EL2.IMO set, writes to the SGI generation
 * registers come here; everything else is undefined for the guest. */
static void guest_sysreg(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	unsigned op0 = ESR_ISS_SYS_OP0(esr), op2 = ESR_ISS_SYS_OP2(esr);
	unsigned op1 = ESR_ISS_SYS_OP1(esr), crn = ESR_ISS_SYS_CRN(esr);
	unsigned crm = ESR_ISS_SYS_CRM(esr), rt = ESR_ISS_SYS_RT(esr);

	/* ICC_SGI1R_EL1 (S3_0_C12_C11_5), ICC_ASGI1R_EL1 (..._6), ICC_SGI0R_EL1 (..._7) */
	if (!ESR_ISS_SYS_READ(esr) && op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 >= 5) {
		vgic_send_sgi(v, get_reg(r, rt));
		r->elr += 4;
		return;
	}
	log_debug("d%u: system register access (op0 %u op1 %u CRn %u CRm %u op2 %u) at PC "
		  "0x%llx: undefined instruction injected", v->d->id, op0, op1, crn, crm, op2,
		  (unsigned long long)r->elr);
	vcpu_inject_undef(r, r->elr);
}

/* Every class without an entry: undefined for the guest (as Xen's do_trap_guest_sync). */
static void guest_undef(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	log_debug("d%u: %s (EC 0x%x) at PC 0x%llx: undefined instruction injected", v->d->id,
		  esr_ec_name(ESR_EC(esr)), ESR_EC(esr), (unsigned long long)r->elr);
	vcpu_inject_undef(r, r->elr);
}

typedef void (*guest_trap_fn)(struct vcpu *v, struct cpu_regs *r, uint64_t esr);

/* Synchronous traps from a guest's EL1 or EL0, by ESR_EL2.EC (esr.h). The *_CUR aborts are
 * the hypervisor's own (hyp_sync), never a guest's. Every entry is set, so the hypercall
 * path is one load and one call: the range default is overridden on purpose (as Linux's
 * syscall tables do), hence the pragma. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
/* clang-format off */
static const guest_trap_fn guest_traps[ESR_NR_EC] = {
	[0 ... ESR_NR_EC - 1]	= guest_undef,
	[ESR_EC_HVC64]		= guest_hvc,
	[ESR_EC_SMC64]		= guest_smc,
	[ESR_EC_SYSREG]		= guest_sysreg,
	[ESR_EC_IABT_LOW]	= guest_abort,
	[ESR_EC_DABT_LOW]	= guest_abort,
};
/* clang-format on */
#pragma GCC diagnostic pop

/* On every way back from a synchronous trap: a stopped domain or vCPU does not go back, and
 * a virtual interrupt that became pending goes into a list register. */
static inline void guest_sync_return(struct vcpu *v)
{
	if (!domain_is_running(v->d) || v->off_requested)
		cpu_stop();
	if (vgic_has_pending(&v->vgic))
		gic_flush_vcpu(v);
}

/* entry.S, for every synchronous trap but a Xen hypercall; esr is ESR_EL2. */
void guest_sync(struct cpu_regs *r, uint64_t esr)
{
	struct vcpu *v = this_pcpu()->vcpu;

	guest_traps[ESR_EC(esr)](v, r, esr);
	guest_sync_return(v);
}

/* entry.S, for "hvc #0xEA1": r holds only x0-x18 and x30 (guest_hypercall_entry), which is
 * all a hypercall reads or writes. */
void guest_hypercall(struct cpu_regs *r)
{
	struct vcpu *v = this_pcpu()->vcpu;

	hypercall_call(v, r);
	guest_sync_return(v);
}

/* Physical interrupts while a guest runs (HCR_EL2.IMO). The virtual timer and the domain's
 * device SPIs are forwarded hardware-linked: each stays active until the guest deactivates
 * its virtual copy. A kick
 * (SGI 0) only makes this CPU look at its vCPU's state on the way back. */
void guest_irq(struct cpu_regs *r)
{
	struct vcpu *v = this_pcpu()->vcpu;
	uint32_t intid = gic_ack();

	(void)r;
	if (intid < 1020) {
		gic_priority_drop(intid);
		if (intid == GIC_PPI_VTIMER)
			vgic_set_pending(v, GIC_PPI_VTIMER, true);
		else if (intid == uart_rx_intid) /* console input: the hypervisor's own */
			uart_rx_irq();
		else if (v->id == 0 && vgic_spi_owner(intid) == v->d)
			vgic_spi_raise(intid); /* the guest's EOI deactivates it, through the LR */
		else
			gic_deactivate(intid);
	}
	if (!domain_is_running(v->d))
		cpu_stop();
	gic_flush_vcpu(v);
}

void guest_serror(struct cpu_regs *r)
{
	struct vcpu *v = this_pcpu()->vcpu;

	domain_crash(v->d, "SError at PC 0x%llx", (unsigned long long)r->elr);
	cpu_stop();
}

void guest_aarch32(struct cpu_regs *r)
{
	struct vcpu *v = this_pcpu()->vcpu;

	domain_crash(v->d, "exception from AArch32 at PC 0x%llx: not supported",
		     (unsigned long long)r->elr);
	cpu_stop();
}
