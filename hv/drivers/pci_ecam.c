/* ECAM config space (PCIe Base Spec 7.2.2): bus << 20 | device << 15 | function << 12.
 * Only the accesses are here; hv/core/pci.c enumerates through them. */
#include "arch.h"
#include "pci.h"

static uint32_t ecam_read32(void *ctx, uint16_t bdf, unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(*(paddr_t *)ctx + ((paddr_t)bdf << 12) + off);
}

static void ecam_write32(void *ctx, uint16_t bdf, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(*(paddr_t *)ctx + ((paddr_t)bdf << 12) + off) = v;
}

int arch_pci_enumerate(struct pci_host *h)
{
	struct pci_config_ops ops = {ecam_read32, ecam_write32, &h->ecam};

	return pci_enumerate(h, &ops);
}
