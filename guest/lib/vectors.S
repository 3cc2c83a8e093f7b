/* EL1 exception vectors: every exception goes to guest_exception(), which either resumes
 * (a test that expects the exception) or reports it and shuts the domain down (crash). */
#define FRAME 272

.macro vector kind
	.balign	0x80
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mov	x0, #\kind
	mov	x1, sp
	bl	guest_exception
	b	vector_return
.endm

/* First in .text (guest.lds), so their 2 KiB alignment costs no padding. */
	.section .text.vectors, "ax"
	.balign	2048
	.global guest_vectors
guest_vectors:
	vector	0
	vector	1
	vector	2
	vector	3
	vector	4	/* current EL, SP_ELx: synchronous */
	vector	5
	vector	6
	vector	7
	vector	8
	vector	9
	vector	10
	vector	11
	vector	12
	vector	13
	vector	14
	vector	15

	.section .text.entry, "ax"
vector_return:
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #FRAME
	eret
