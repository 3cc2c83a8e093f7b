/* The Xen hypercall ABI on Arm (xen/include/public/arch-arm.h): hvc #0xEA1, number in x16,
 * arguments x0-x4, result x0; x1-x4 and x16 are clobbered. Also raw HVC/SMC for PSCI. */
	.section .text.entry, "ax"
	.global xen_hypercall
/* long xen_hypercall(nr, a0, a1, a2, a3, a4) */
xen_hypercall:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xEA1
	ret

	.global psci_hvc
/* uint64_t psci_hvc(fid, a1, a2, a3) */
psci_hvc:
	hvc	#0
	ret

	.global psci_smc
psci_smc:
	smc	#0
	ret

	.global hvc_other_imm
/* An HVC with an immediate that is neither Xen's nor SMCCC's: must be undefined. */
hvc_other_imm:
	hvc	#1
	ret

	.global xen_hypercall_regs
/* void xen_hypercall_regs(uint64_t x[31]): "hvc #0xEA1" with x0-x30 loaded from x[] (the
 * number in x[16]) and stored back afterwards, so a test sees what the hypervisor left in
 * every register. The caller's x19-x30 are kept on the stack meanwhile. */
xen_hypercall_regs:
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x0, [sp, #96]
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #16 * 15]
	ldp	x0, x1, [x0]
	hvc	#0xEA1
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16 + 96]
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	str	x30, [x0, #16 * 15]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
