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

/* ECAM takes byte, halfword and word accesses, each with its own byte enables: a narrow
 * access must stay narrow, or a write would also hit the neighbouring register. */
static uintptr_t ecam_addr(const struct pci_host *h, uint16_t bdf, unsigned off)
{
	return (uintptr_t)(h->ecam + ((paddr_t)bdf << 12) + off);
}

uint32_t arch_pci_conf_read(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size)
{
	uintptr_t a = ecam_addr(h, bdf, off);

	if (size == 1)
		return *(volatile uint8_t *)a;
	if (size == 2)
		return *(volatile uint16_t *)a;
	return *(volatile uint32_t *)a;
}

void arch_pci_conf_write(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size,
			 uint32_t value)
{
	uintptr_t a = ecam_addr(h, bdf, off);

	if (size == 1)
		*(volatile uint8_t *)a = (uint8_t)value;
	else if (size == 2)
		*(volatile uint16_t *)a = (uint16_t)value;
	else
		*(volatile uint32_t *)a = value;
}
