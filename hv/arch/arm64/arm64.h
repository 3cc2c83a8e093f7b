/* Internal interface of the arm64 layer: per-CPU data, the trap frame, and the pieces that
 * setup.c, traps.c, mmu.c and vcpu.c share. */
#ifndef ARM64_H
#define ARM64_H
#include "bootinfo.h"
#include "domain.h"
#include "entry.h"

/* Saved by entry.S on every trap; layout fixed by save_frame_rest/restore_frame. A
 * hypercall's frame holds only x0-x18 and x30 (guest_hypercall_entry). */
struct cpu_regs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};
_Static_assert(sizeof(struct cpu_regs) == FRAME_SIZE, "entry.S FRAME_SIZE");

struct pcpu {
	unsigned id;
	uint64_t mpidr;
	struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
	int alive;         /* running in the hypervisor or a guest (not off in firmware) */
};

extern struct pcpu pcpus[MAX_CPUS];
extern struct bootinfo boot_info;

static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

/* mmu.c */
void mmu_early_init(paddr_t hv_start, paddr_t hv_end, paddr_t dtb);
int mmu_full_init(const struct bootinfo *bi, paddr_t hv_start, paddr_t hv_end);
void mmu_enable_secondary(void);

/* vcpu.c */
_Noreturn void vcpu_run(struct vcpu *v);
/* entry.S: enter v on this CPU's stack from the top, whatever the call depth now */
_Noreturn void vcpu_run_fresh_stack(struct vcpu *v, uint64_t stack_top);
uint64_t pcpu_stack_top(unsigned idx);
/* An undefined-instruction exception for the guest at insn_pc. */
void vcpu_inject_undef(struct cpu_regs *r, uint64_t insn_pc);
/* A synchronous external abort (data or instruction) for the guest at its faulting
 * instruction r->elr, with FAR_EL1 = far. */
void vcpu_inject_abort(struct cpu_regs *r, bool data, bool write, uint64_t far);
_Noreturn void cpu_stop(void);

/* firmware: entry.S */
int64_t smc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t semihosting_call(uint64_t op, uint64_t param);
extern char semihosting_insn[];
extern char secondary_entry[];
_Noreturn void enter_guest(struct cpu_regs *r);

/* uart_rx.c: console input from the PL011's receive interrupt */
extern unsigned uart_rx_intid; /* 0: input not taken */
void uart_rx_irq(void);

#endif
