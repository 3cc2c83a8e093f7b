/* Self-relocation for position-independent images (hypervisor and guests): both are linked
 * at 0 and applied R_AARCH64_RELATIVE relocations at run time, because a direct-mapped domain
 * runs wherever its machine memory happens to be.
 *
 * relocate_self: x0 = load address (= link offset). Clobbers x0-x5. Runs with the MMU off,
 * so every access is an aligned 64-bit one. tools/check_relocs.py fails the build if the
 * image carries any other relocation type. */
#define R_AARCH64_RELATIVE 1027

	.section .text.reloc, "ax"
	.global clear_bss
clear_bss:
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2		/* 64 bytes a turn: both ends are page-aligned (the .lds) */
	b.hs	2f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
2:	ret

	.global relocate_self
relocate_self:
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x0
	str	x5, [x3, x0]
	b	1b
2:	ret
