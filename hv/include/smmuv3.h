/* The SMMUv3 driver (hv/drivers/smmuv3.c). */
#ifndef HV_SMMUV3_H
#define HV_SMMUV3_H
#include "bootinfo.h"

struct smmuv3_caps {
	bool stage1, stage2, vmid16;
	unsigned sid_bits, oas_bits;
};

struct domain;

int smmuv3_probe(const struct boot_device *dev, struct smmuv3_caps *caps);
int smmuv3_init(const struct boot_device *dev, const struct smmuv3_caps *caps);
/* dev names the device in fault reports */
int smmuv3_attach(uint32_t sid, struct domain *d, const char *dev);
void smmuv3_tlb_flush_vmid(uint16_t vmid);
void smmuv3_poll_events(void);

#endif
