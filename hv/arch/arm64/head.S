/* Entry points: the arm64 Image header (Linux Documentation/arch/arm64/booting.rst) so that
 * QEMU, U-Boot and UEFI load us like a kernel and pass the DTB in x0; the boot CPU's entry;
 * secondary CPUs' entry from PSCI CPU_ON. All run at EL2 with the MMU off. */
#define SCTLR_EL2_RES1 0x30C50830
#define MAX_CPUS_ASM 8 /* MAX_CPUS in types.h */
#define CPTR_EL2_RES1 0x33FF /* TFP (bit 10) clear: libfdt uses SIMD during boot */

#include <arm/image_header.h>

	.section .head, "ax"
	.global _head
_head:
	IMAGE_HEADER primary_entry

	.section .text.entry, "ax"
primary_entry:
	mov	x19, x0			/* DTB physical address */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2
	bl	el2_basic_setup
	bl	clear_bss
	adr	x0, _head
	bl	relocate_self
	mov	x0, #0
	bl	pcpu_stack_top
	mov	sp, x0
	mov	x0, x19
	adr	x1, _head
	adrp	x2, _end
	add	x2, x2, :lo12:_end
	bl	hv_main
	b	park

/* PSCI CPU_ON target; x0 = the physical CPU index (context_id). */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	bl	el2_basic_setup
	mov	x0, x19
	bl	pcpu_stack_top
	mov	sp, x0
	mov	x0, x19
	bl	secondary_main
	b	park

el2_basic_setup:
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	mov	x1, #CPTR_EL2_RES1
	msr	cptr_el2, x1
	adr	x1, hyp_vectors
	msr	vbar_el2, x1
	isb
	ret

not_el2:
park:
	wfe
	b	park

/* x0 = physical CPU index -> x0 = the top of its stack (16 KiB each). */
	.global pcpu_stack_top
pcpu_stack_top:
	cmp	x0, #MAX_CPUS_ASM
	b.hs	park
	adrp	x1, pcpu_stacks
	add	x1, x1, :lo12:pcpu_stacks
	add	x0, x0, #1
	lsl	x0, x0, #14
	add	x0, x1, x0
	ret
