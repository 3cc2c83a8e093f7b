/* The exception syndrome (ESR_EL2) of a trap from a guest, by name: exception class, and the
 * ISS fields of the classes the hypervisor handles. Portable, so the decode is unit-tested.
 * Bit positions: Arm ARM (DDI 0487) D13.2.37 ESR_EL2 and its "ISS encoding" subsections. */
#ifndef HV_ESR_H
#define HV_ESR_H
#include "types.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fU
#define ESR_EC(esr) ((unsigned)((esr) >> ESR_EC_SHIFT) & ESR_EC_MASK)
#define ESR_NR_EC 64
#define ESR_IL (1ULL << 25) /* a 32-bit instruction (always, for AArch64) */
#define ESR_ISS_MASK 0x1ffffffULL

/* Exception classes (D13.2.37, the EC table) */
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYSREG 0x18
#define ESR_EC_IABT_LOW 0x20 /* instruction abort from a lower EL */
#define ESR_EC_IABT_CUR 0x21 /* ... without a change of EL */
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24 /* data abort from a lower EL */
#define ESR_EC_DABT_CUR 0x25 /* ... without a change of EL */
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

/* ISS for a data abort ("ISS encoding for an exception from a Data Abort"). SAS, SSE, SRT,
 * SF and AR are valid only when ISV is set; an instruction abort has the same EA, S1PTW and
 * IFSC (= DFSC) positions and none of the others. */
#define ESR_ISS_DA_ISV (1ULL << 24) /* the syndrome describes the access (bits 23:14) */
#define ESR_ISS_DA_SAS_SHIFT 22	    /* access size: 1 << SAS bytes */
#define ESR_ISS_DA_SAS_MASK 0x3U
#define ESR_ISS_DA_SSE (1ULL << 21) /* a load that sign-extends */
#define ESR_ISS_DA_SRT_SHIFT 16	    /* the register transferred; 31 is XZR */
#define ESR_ISS_DA_SRT_MASK 0x1fU
#define ESR_ISS_DA_SF (1ULL << 15)   /* 64-bit register (else W: the upper half is zeroed) */
#define ESR_ISS_DA_AR (1ULL << 14)   /* acquire/release semantics */
#define ESR_ISS_DA_FNV (1ULL << 10)  /* FAR is not valid */
#define ESR_ISS_DA_EA (1ULL << 9)    /* external abort type */
#define ESR_ISS_DA_CM (1ULL << 8)    /* from a cache maintenance or address translation insn */
#define ESR_ISS_DA_S1PTW (1ULL << 7) /* a stage-2 fault on the stage-1 table walk */
#define ESR_ISS_DA_WNR (1ULL << 6)   /* a write (for CM, always 1) */
#define ESR_ISS_DA_DFSC_MASK 0x3fU

/* Fault status codes (DFSC/IFSC): the class in bits 5:2, the level in bits 1:0. */
#define ESR_FSC_TYPE_MASK 0x3cU
#define ESR_FSC_LEVEL_MASK 0x03U
#define ESR_FSC_ADDR_SIZE 0x00
#define ESR_FSC_TRANSLATION 0x04
#define ESR_FSC_ACCESS_FLAG 0x08
#define ESR_FSC_PERMISSION 0x0c
#define ESR_FSC_SEA 0x10      /* synchronous external abort, not on a table walk */
#define ESR_FSC_SEA_WALK 0x14 /* ... on a table walk, levels 0-3 */
#define ESR_FSC_ALIGNMENT 0x21

/* ISS for HVC and SMC ("ISS encoding for an exception from HVC or SVC/SMC"): imm16. */
#define ESR_ISS_IMM16(esr) ((unsigned)(esr)&0xffffU)

/* ISS for a trapped MSR/MRS ("ISS encoding for an exception from MSR, MRS, or System
 * instruction execution in AArch64 state"). */
#define ESR_ISS_SYS_OP0(esr) ((unsigned)((esr) >> 20) & 3U)
#define ESR_ISS_SYS_OP2(esr) ((unsigned)((esr) >> 17) & 7U)
#define ESR_ISS_SYS_OP1(esr) ((unsigned)((esr) >> 14) & 7U)
#define ESR_ISS_SYS_CRN(esr) ((unsigned)((esr) >> 10) & 0xfU)
#define ESR_ISS_SYS_RT(esr) ((unsigned)((esr) >> 5) & 0x1fU)
#define ESR_ISS_SYS_CRM(esr) ((unsigned)((esr) >> 1) & 0xfU)
#define ESR_ISS_SYS_READ(esr) (((esr)&1U) != 0) /* MRS (else MSR) */

/* A data or instruction abort's syndrome, decoded. */
struct esr_abort {
	bool data;     /* data abort (else instruction abort) */
	bool isv;      /* size, srt, sse, sf, ar below are valid */
	unsigned size; /* bytes: 1, 2, 4 or 8 */
	unsigned srt;  /* register number, 31 = XZR */
	bool sse, sf, ar;
	bool fnv, ea, cm, s1ptw, write;
	unsigned fsc; /* DFSC / IFSC */
};

struct esr_abort esr_decode_abort(uint64_t esr);
/* What a load the syndrome describes leaves in its register, from the bytes read: zero- or
 * sign-extended to the register's width (SSE, SF). */
uint64_t esr_load_value(const struct esr_abort *a, uint64_t raw);
const char *esr_ec_name(unsigned ec);
const char *esr_fsc_name(unsigned fsc);

#endif
