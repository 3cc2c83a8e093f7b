/* libguest entry: an arm64 Image (booting.rst) entered at EL1 with the MMU off and x0 = the
 * DTB's guest-physical address. Secondary vCPUs enter at guest_secondary_entry with x0 = the
 * PSCI CPU_ON context: the top of their stack. */
#define GUEST_STACK_SIZE 16384

#include <arm/image_header.h>

	.section .head, "ax"
	.global _head
_head:
	IMAGE_HEADER entry

/* The small assembly pieces fill the gap before the 2 KiB-aligned vectors (guest.lds). */
	.section .text.entry, "ax"
entry:
	mrs	x20, cntpct_el0		/* first instruction: virtual time since power-on */
	mov	x19, x0
	bl	clear_bss
	adr	x0, _head
	bl	relocate_self
	adrp	x1, guest_stack
	add	x1, x1, :lo12:guest_stack
	add	x1, x1, #GUEST_STACK_SIZE
	mov	sp, x1
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	adrp	x1, guest_entry_counter
	str	x20, [x1, :lo12:guest_entry_counter]
	mov	x0, x19
	bl	guest_start
3:	wfi
	b	3b

	.global guest_secondary_entry
guest_secondary_entry:
	mov	sp, x0
	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb
	bl	guest_secondary_start
4:	wfi
	b	4b

	.bss
	.balign	16
	.global guest_entry_counter
guest_entry_counter:
	.quad	0
guest_stack:
	.space	GUEST_STACK_SIZE
