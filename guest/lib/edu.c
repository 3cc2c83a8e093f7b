/* QEMU's "edu" PCI device (docs/specs/edu.rst): a DMA engine between guest memory and a
 * 4 KiB buffer at device address 0x40000. Registers: 0x80 source, 0x88 destination,
 * 0x90 count, 0x98 command (bit 0 start/busy, bit 1 direction: 1 = buffer -> memory). */
#include "libguest.h"

#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_START 1
#define EDU_CMD_TO_RAM 2

static volatile uint64_t *reg64(uint64_t base, unsigned off)
{
	return (volatile uint64_t *)(uintptr_t)(base + off);
}

/* The first edu function in the DT: its BAR0, whether it is DMA-protected. */
int edu_find(struct edu *e)
{
	int len, node = fdt_find_compatible(guest_fdt, "pci1234,11e8");
	const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &len);

	if (node < 0 || !reg || len < 16)
		return -1;
	e->bar0 = fdt_be(reg, 8);
	e->node = node;
	e->protected_ = fdt_prop(guest_fdt, node, "mapvisor,dma-protected", NULL) != NULL;
	const uint8_t *irq = fdt_prop(guest_fdt, node, "interrupts", &len);

	e->spi = irq && len == 12 && fdt_be(irq, 4) == 0 ? (int)fdt_be(irq + 4, 4) : -1;
	return 0;
}

/* One transfer; returns 0, or -1 if the engine did not finish in about a second. */
int edu_dma(const struct edu *e, uint64_t src, uint64_t dst, uint64_t count, bool to_ram)
{
	uint64_t end = read_cntvct() + read_cntfrq();

	*reg64(e->bar0, EDU_DMA_SRC) = src;
	*reg64(e->bar0, EDU_DMA_DST) = dst;
	*reg64(e->bar0, EDU_DMA_CNT) = count;
	*reg64(e->bar0, EDU_DMA_CMD) = EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0);
	while (*reg64(e->bar0, EDU_DMA_CMD) & EDU_CMD_START)
		if (read_cntvct() > end)
			return -1;
	return 0;
}
