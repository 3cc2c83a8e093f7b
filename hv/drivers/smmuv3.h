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
/* The SMMU's TLB and walk-cache entries for nr pages of a VMID, then one sync (more than
 * SMMUV3_FLUSH_MAX_PAGES: the whole VMID). */
void smmuv3_tlb_flush_pages(uint16_t vmid, const paddr_t *ipa, unsigned nr);

#endif
