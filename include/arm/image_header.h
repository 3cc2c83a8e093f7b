/* The arm64 Image header (Linux Documentation/arch/arm64/booting.rst), for assembly: lets
 * QEMU, U-Boot and UEFI load an image like a kernel and pass the DTB in x0. Used by the
 * hypervisor and by libguest, so that Xen and mapvisor can boot both. */
#ifndef ARM_IMAGE_HEADER_H
#define ARM_IMAGE_HEADER_H

.macro IMAGE_HEADER entry
	b	\entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_end - . + 16		/* image_size incl. BSS (PC-relative: no run-time reloc) */
	.quad	0xa			/* flags: little-endian, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
.endm

#endif
