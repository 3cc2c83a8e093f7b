/* System-register access and the EL2 constants mapvisor uses (Arm ARM D13). */
#ifndef ARM64_SYSREG_H
#define ARM64_SYSREG_H
#include <stdint.h>

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                                        \
		v_;                                                                                \
	})
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
/* Registers binutils may not name on a plain armv8-a build: by encoding. */
#define read_sysreg_s(r)                                                                           \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " r : "=r"(v_));                                         \
		v_;                                                                                \
	})
#define write_sysreg_s(v, r) __asm__ volatile("msr " r ", %0" ::"r"((uint64_t)(v)))

/* GICv3 CPU interface and virtualization registers (Arm IHI 0069 12.2, 12.4). */
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_DIR_EL1 "S3_0_C12_C11_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SRE_EL2 "S3_4_C12_C9_5"
#define ZCR_EL2 "S3_4_C1_C2_0"  /* SVE vector length (FEAT_SVE) */
#define SMCR_EL2 "S3_4_C1_C2_6" /* streaming vector length (FEAT_SME) */
#define ICH_HCR_EL2 "S3_4_C12_C11_0"
#define ICH_VTR_EL2 "S3_4_C12_C11_1"
#define ICH_VMCR_EL2 "S3_4_C12_C11_7"
#define ICH_LR0_EL2 "S3_4_C12_C12_0"
#define ICH_LR1_EL2 "S3_4_C12_C12_1"
#define ICH_LR2_EL2 "S3_4_C12_C12_2"
#define ICH_LR3_EL2 "S3_4_C12_C12_3"

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* HCR_EL2 (D13.2.48) */
#define HCR_VM (1ULL << 0)
#define HCR_SWIO (1ULL << 1)
#define HCR_FMO (1ULL << 3)
#define HCR_IMO (1ULL << 4)
#define HCR_AMO (1ULL << 5)
#define HCR_FB (1ULL << 9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_TSC (1ULL << 19)
#define HCR_RW (1ULL << 31)
#define HCR_APK (1ULL << 40)
#define HCR_API (1ULL << 41)

/* SPSR_EL2.M[3:0] (Arm ARM C5.2, special-purpose registers): the mode a trap came from */
#define SPSR_MODE_MASK 0xfULL
#define SPSR_MODE_EL0T 0x0
#define SPSR_MODE_EL1T 0x4
#define SPSR_MODE_EL1H 0x5
#define SPSR_EL1H_MASKED 0x3c5ULL /* EL1h, D A I F masked */

#endif
