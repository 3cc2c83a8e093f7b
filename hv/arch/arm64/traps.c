/* Exceptions taken to EL2. From a guest: hypercalls (HVC #0xEA1), PSCI (HVC/SMC #0), stage-2
 * aborts (the domain is stopped, the hypervisor goes on), anything else is reflected to
 * the guest as an undefined instruction. From EL2 itself: a hypervisor bug, reported in
 * full, and the machine stops. */
#include "arm64.h"
#include "gicv3.h"
#include "vgic.h"
#include "hypercall.h"
#include "log.h"
#include "sysreg.h"
#include "vpsci.h"
#include <xen/xen.h>

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "unknown/undefined instruction";
	case EC_WFX: return "WFI/WFE";
	case EC_HVC64: return "HVC";
	case EC_SMC64: return "SMC";
	case EC_SYSREG: return "system register access";
	case EC_IABT_LOW: case EC_IABT_CUR: return "instruction abort";
	case EC_DABT_LOW: case EC_DABT_CUR: return "data abort";
	case 0x22: return "PC alignment fault";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	}
	return "other";
}

/* Data/instruction fault status codes (Arm ARM D13.2.37, ISS for aborts). */
static const char *fsc_name(unsigned fsc)
{
	switch (fsc & 0x3c) {
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	case 0x10: return "external abort";
	}
	return fsc == 0x21 ? "alignment fault" : "other fault";
}

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
	unsigned ec = (unsigned)(esr >> 26);

	log_err("hypervisor fault on CPU %u (%s): EC 0x%x (%s), ESR 0x%llx, FAR 0x%llx, "
		"ELR 0x%llx, SPSR 0x%llx", this_pcpu()->id, kind, ec, ec_name(ec),
		(unsigned long long)esr, (unsigned long long)read_sysreg(far_el2),
		(unsigned long long)r->elr, (unsigned long long)r->spsr);
	dump_regs(r);
	panic("unexpected exception at EL2");
}

void hyp_sync(struct cpu_regs *r)
{
	uint64_t esr = read_sysreg(esr_el2);

	/* Semihosting probe without semihosting enabled: report "not available". */
	if ((esr >> 26) == EC_UNKNOWN && r->elr == (uint64_t)(uintptr_t)semihosting_insn) {
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

/* A data abort with a valid syndrome (ISV) on an emulated device: do the access for the
 * guest (Arm ARM D13.2.37: SAS size, SRT register, SSE sign-extend, SF 64-bit, WnR). */
static bool emulate_mmio(struct vcpu *v, struct cpu_regs *r, uint64_t esr, paddr_t ipa)
{
	unsigned size = 1U << ((esr >> 22) & 3), srt = (esr >> 16) & 0x1f;
	bool write = esr & (1ULL << 6);
	uint64_t val = write && srt != 31 ? r->x[srt] : 0;

	if (!(esr & (1ULL << 24)))
		return false;
	if (size < 8)
		val &= (1ULL << (8 * size)) - 1;
	if (vgic_mmio(v, ipa, write, size, &val))
		return false;
	if (!write && srt != 31) {
		if ((esr & (1ULL << 21)) && size < 8 && (val >> (8 * size - 1)) & 1)
			val |= ~0ULL << (8 * size);
		if (!(esr & (1ULL << 15)))
			val &= 0xffffffffULL;
		r->x[srt] = val;
	}
	r->elr += 4;
	return true;
}

static void guest_abort(struct vcpu *v, struct cpu_regs *r, uint64_t esr, bool data)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);
	unsigned fsc = esr & 0x3f;
	bool write = data && (esr & (1ULL << 6));

	if (data && (fsc & 0x3c) == 0x04 && emulate_mmio(v, r, esr, ipa))
		return;

	domain_crash(v->d, "%s abort: %s IPA 0x%llx (VA 0x%llx) at PC 0x%llx: stage-2 %s "
		     "(level %u) - outside the domain's memory map",
		     data ? "data" : "instruction", data ? (write ? "write to" : "read from")
		     : "fetch from", (unsigned long long)ipa, (unsigned long long)far,
		     (unsigned long long)r->elr, fsc_name(fsc), fsc & 3);
}

static void guest_hvc(struct vcpu *v, struct cpu_regs *r, unsigned imm)
{
	if (imm == XEN_HYPERCALL_TAG) {
		r->x[0] = (uint64_t)hypercall_dispatch(v, r->x[16], r->x); /* args: x0-x4 */
	} else if (imm == 0) {
		vpsci_call(v, r->x);
	} else {
		vcpu_inject_undef(r, r->elr - 4);
	}
}

/* Trapped system-register accesses (ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn
 * [13:10], Rt [9:5], CRm [4:1], read [0]). With HCR_EL2.IMO set, writes to the SGI
 * generation registers come here; everything else is undefined for the guest. */
static void guest_sysreg(struct vcpu *v, struct cpu_regs *r, uint64_t esr)
{
	unsigned op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	unsigned crn = (esr >> 10) & 0xf, crm = (esr >> 1) & 0xf, rt = (esr >> 5) & 0x1f;
	bool read = esr & 1;

	if (!read && op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 >= 5) {
		vgic_send_sgi(v, rt == 31 ? 0 : r->x[rt]); /* ICC_SGI1R, ICC_ASGI1R, ICC_SGI0R */
		r->elr += 4;
		return;
	}
	log_debug("d%u: system register access (op0 %u op1 %u CRn %u CRm %u op2 %u) at PC "
		  "0x%llx: undefined instruction injected", v->d->id, op0, op1, crn, crm, op2,
		  (unsigned long long)r->elr);
	vcpu_inject_undef(r, r->elr);
}

void guest_sync(struct cpu_regs *r)
{
	struct vcpu *v = this_pcpu()->vcpu;
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)(esr >> 26);

	switch (ec) {
	case EC_HVC64:
		guest_hvc(v, r, esr & 0xffff);
		break;
	case EC_SMC64: /* trapped by HCR_EL2.TSC; ELR points at the SMC itself */
		if ((esr & 0xffff) == 0) {
			r->elr += 4;
			vpsci_call(v, r->x);
		} else {
			vcpu_inject_undef(r, r->elr);
		}
		break;
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		guest_abort(v, r, esr, ec == EC_DABT_LOW);
		break;
	case EC_SYSREG:
		guest_sysreg(v, r, esr);
		break;
	default:
		log_debug("d%u: %s (EC 0x%x) at PC 0x%llx: undefined instruction injected",
			  v->d->id, ec_name(ec), ec, (unsigned long long)r->elr);
		vcpu_inject_undef(r, r->elr);
		break;
	}
	if (!domain_is_running(v->d) || v->off_requested)
		cpu_stop();
	if (vgic_has_pending(&v->vgic))
		gic_flush_vcpu(v);
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
