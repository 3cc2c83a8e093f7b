/* Loads that a test expects to abort: each is the helper's first instruction, so a test can
 * check ELR_EL1, and a helper is a leaf, so libguest's vectors resume at its caller (x30). */
	.section .text.entry, "ax"
	.global probe_ldr32
probe_ldr32:
	ldr	w0, [x0]
	ret

	.global probe_ldp
probe_ldp:
	ldp	x0, x1, [x0]
	ret
