/* The SMMUv3 driver (smmuv3.c) beyond arch.h's IOMMU steps: what the arm64 layer calls
 * directly. Included by hv/arch/arm64 only; hv/core reaches the SMMU through arch.h. */
#ifndef HV_SMMUV3_H
#define HV_SMMUV3_H
#include "types.h"

/* The SMMU's TLB entries of a VMID: a p2m change reaches both walkers (mmu.c). */
void smmuv3_tlb_flush_vmid(uint16_t vmid);
/* Ranges up to this many pages are invalidated page by page (one CMD_SYNC for them all),
 * larger ones by VMID. */
#define SMMUV3_FLUSH_MAX_PAGES 16
/* The SMMU's TLB and walk-cache entries for [ipa, ipa + size) of a VMID, then a sync. */
void smmuv3_tlb_flush_ipa(uint16_t vmid, paddr_t ipa, uint64_t size);

#endif
