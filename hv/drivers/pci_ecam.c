/* ECAM config space (PCIe Base Spec 7.2.2): bus << 20 | device << 15 | function << 12. */
#include "arm64.h"
#include "log.h"
#include "pci.h"
#include <format.h>

static uint32_t ecam_read32(void *ctx, uint16_t bdf, unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(*(paddr_t *)ctx + ((paddr_t)bdf << 12) + off);
}

static void ecam_write32(void *ctx, uint16_t bdf, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(*(paddr_t *)ctx + ((paddr_t)bdf << 12) + off) = v;
}

/* Enumerates every ECAM host bridge the DT has; logs what it finds. */
int pci_init(const struct bootinfo *bi)
{
	char bdf[16], sidbuf[24];

	for (unsigned i = 0; i < bi->nr_pci && i < ARRAY_SIZE(pci_hosts); i++) {
		struct pci_host *h = &pci_hosts[nr_pci_hosts];
		struct pci_config_ops ops = {ecam_read32, ecam_write32, &h->ecam};

		*h = (struct pci_host){.node = bi->pci[i].node, .ecam = bi->pci[i].base,
				       .ecam_size = bi->pci[i].size};
		if (pci_host_window(bi->fdt, h->node, h)) {
			log_err("%s: no 32-bit memory window in ranges", bi->pci[i].path);
			return -XEN_EINVAL;
		}
		if (pci_enumerate(h, &ops))
			return -XEN_EINVAL;
		nr_pci_hosts++;
		for (unsigned k = 0; k < h->nr_devs; k++) {
			struct pci_device *d = &h->devs[k];

			d->has_sid = pci_rid_to_sid(bi->fdt, h->node, d->bdf, &d->sid) == 0;
			snprintf(sidbuf, sizeof(sidbuf), "StreamID 0x%x", d->sid);
			log_info("PCI %s: %04x:%04x, BAR0 0x%llx (%llu KiB), %s", pci_bdf_str(d->bdf, bdf,
				 sizeof(bdf)), d->vendor, d->device,
				 (unsigned long long)d->bars[0].addr,
				 (unsigned long long)(d->bars[0].size >> 10),
				 d->has_sid ? sidbuf : "no iommu-map: unprotected");
		}
	}
	return 0;
}
