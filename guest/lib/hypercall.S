/* The Xen hypercall ABI on Arm (xen/include/public/arch-arm.h): hvc #0xEA1, number in x16,
 * arguments x0-x4, result x0; x1-x4 and x16 are clobbered. Also raw HVC/SMC for PSCI. */
	.text
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
