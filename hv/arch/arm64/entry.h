/* What entry.S and the C side of the trap path must agree on, in a form the assembler reads
 * too: the trap frame's size and the one syndrome the hypercall fast path recognises. */
#ifndef ARM64_ENTRY_H
#define ARM64_ENTRY_H

#define FRAME_SIZE 272 /* sizeof(struct cpu_regs) */

/* ESR_EL2 of "hvc #0xEA1" from AArch64 (Arm ARM D13.2.37): EC 0x16 (HVC64) in bits 31:26,
 * IL (bit 25, a 32-bit instruction), and the imm16 in the ISS, whose other bits are RES0.
 * The whole register equals this for a Xen hypercall and for nothing else. */
#define ESR_XEN_HYPERCALL 0x5a000ea1
#define ESR_XEN_HYPERCALL_HI 0x5a00 /* its halves, for movz/movk */
#define ESR_XEN_HYPERCALL_LO 0x0ea1

#endif
