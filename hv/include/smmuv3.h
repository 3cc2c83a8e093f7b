/* The SMMUv3 driver (hv/drivers/smmuv3.c). */
#ifndef HV_SMMUV3_H
#define HV_SMMUV3_H
#include "bootinfo.h"

struct smmuv3_caps {
	bool stage1, stage2, vmid16;
	unsigned sid_bits, oas_bits;
};

int smmuv3_probe(const struct boot_device *dev, struct smmuv3_caps *caps);

#endif
