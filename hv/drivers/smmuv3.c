/* Arm SMMUv3 (Arm IHI 0070): the hypervisor's driver. Probe: what the SMMU can do, from its
 * ID registers (the DT cannot say). */
#include "arm64.h"
#include "log.h"
#include "smmuv3.h"

#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define IDR0_S2P (1U << 0)
#define IDR0_S1P (1U << 1)

static uint32_t rd32(paddr_t base, unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(base + off);
}

int smmuv3_probe(const struct boot_device *dev, struct smmuv3_caps *caps)
{
	uint32_t idr0 = rd32(dev->base, SMMU_IDR0), idr1 = rd32(dev->base, SMMU_IDR1);
	uint32_t idr5 = rd32(dev->base, SMMU_IDR5);
	static const unsigned oas_bits[] = {32, 36, 40, 42, 44, 48, 52, 52};

	caps->stage1 = idr0 & IDR0_S1P;
	caps->stage2 = idr0 & IDR0_S2P;
	caps->vmid16 = idr0 & (1U << 18);
	caps->sid_bits = idr1 & 0x3f;
	caps->oas_bits = oas_bits[idr5 & 7];
	log_info("IOMMU: SMMUv3 %s at 0x%llx: stage 1 %s, stage 2 %s, %u-bit StreamIDs, %u-bit "
		 "output addresses", dev->path, (unsigned long long)dev->base,
		 caps->stage1 ? "yes" : "no", caps->stage2 ? "yes" : "no", caps->sid_bits,
		 caps->oas_bits);
	return 0;
}
