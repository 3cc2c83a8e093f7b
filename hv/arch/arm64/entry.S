/* EL2 exception vectors (Arm ARM D1.10.2) and the guest entry/exit path. A trap from a
 * guest saves x0-x30, ELR and SPSR into a struct cpu_regs on the EL2 stack and calls C; C
 * may change the frame (results, injected exceptions) before it is restored. The one
 * exception is a Xen hypercall, recognised in the vector by its whole syndrome: it is a C
 * call and saves only what a C call may clobber (guest_hypercall_entry). */
#include "entry.h"

/* x2-x17 of a struct cpu_regs frame at sp: what both the full frame and a hypercall's
 * C-call frame hold (x0 and x1 are the vectors'). */
.macro save_x2_x17
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
.endm

.macro load_x0_x17
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
.endm

/* Everything but x0 and x1, which the vectors save first (and x0 survives: guest_sync's
 * syndrome). */
.macro save_frame_rest
	save_x2_x17
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [sp, #16 * 15]
	str	x3, [sp, #16 * 16]
.endm

.macro vector handler
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	save_frame_rest
	mov	x0, sp
	bl	\handler
	b	restore_frame
.endm

/* A synchronous trap from a guest: the hypercall fast path, or guest_sync(frame, ESR). */
.macro vector_guest_sync
	.balign	0x80
9990:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mrs	x0, esr_el2
	movz	w1, #ESR_XEN_HYPERCALL_HI, lsl #16
	movk	w1, #ESR_XEN_HYPERCALL_LO
	cmp	w0, w1
	b.eq	guest_hypercall_entry
	save_frame_rest
	mov	x1, x0
	mov	x0, sp
	bl	guest_sync
	b	restore_frame
	.org	9990b + 0x80		/* an error if it outgrows its slot */
.endm

/* Their own section, first in .text (hv.lds): VBAR_EL2 needs 2 KiB alignment, and wherever
 * else the table went the padding before it would cost up to 2 KiB of image. */
	.section .text.vectors, "ax"
	.balign	2048
	.global hyp_vectors
hyp_vectors:
	vector	hyp_sync_sp0		/* current EL, SP_EL0: never used */
	vector	hyp_irq
	vector	hyp_irq
	vector	hyp_serror
	vector	hyp_sync		/* current EL, SP_ELx */
	vector	hyp_irq
	vector	hyp_irq
	vector	hyp_serror
	vector_guest_sync		/* lower EL, AArch64 */
	vector	guest_irq
	vector	guest_irq
	vector	guest_serror
	vector	guest_aarch32		/* lower EL, AArch32: mapvisor runs none */
	vector	guest_aarch32
	vector	guest_aarch32
	vector	guest_aarch32

/* The rest fills the gap between the image header and the table (hv.lds). */
	.section .text.entry, "ax"

/* The hypercall fast path. A hypercall is a C call (guest_hypercall) that reads x0-x4 and
 * x16 and sets x0, so only what a C call may change is saved: x0-x18 and x30. The callee
 * preserves x19-x29 (AAPCS64), and ELR_EL2 and SPSR_EL2 stay in their registers: nothing a
 * hypercall does takes an exception to EL2 and returns to it (the semihosting probe, the
 * only such exception, runs at boot and power-off). Every other guest register is then
 * left as it was, as Xen leaves it. */
guest_hypercall_entry:
	save_x2_x17
	str	x18, [sp, #16 * 9]
	str	x30, [sp, #16 * 15]
	mov	x0, sp
	bl	guest_hypercall
	load_x0_x17
	ldr	x18, [sp, #16 * 9]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #FRAME_SIZE
	eret
	dsb	nsh			/* speculation barrier after eret */
	isb

/* x0 = a struct cpu_regs to enter the guest with; it becomes the bottom of the stack. */
	.global enter_guest
enter_guest:
	mov	sp, x0
restore_frame:
	ldr	x1, [sp, #16 * 16]
	ldp	x30, x0, [sp, #16 * 15]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	load_x0_x17
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret
	dsb	nsh			/* speculation barrier after eret */
	isb

	.global vcpu_run_fresh_stack
vcpu_run_fresh_stack:
	mov	sp, x1
	b	vcpu_run

/* Calls the firmware (PSCI over SMC): x0 function id, x1-x3 arguments; returns x0. */
	.global smc_call
smc_call:
	smc	#0
	ret

/* Semihosting (Arm IHI 0056): x0 operation, x1 parameter. Without semihosting enabled in
 * QEMU the HLT is UNDEFINED; hyp_sync recognises this address and returns -1 instead. */
	.global semihosting_call
	.global semihosting_insn
semihosting_call:
semihosting_insn:
	hlt	#0xf000
	ret
