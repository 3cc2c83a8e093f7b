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
#define EDU_CMD_IRQ 4 /* raise the interrupt when the transfer is done */
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_ACK 0x64
#define EDU_IRQ_DMA 0x100 /* the status bit a finished DMA sets */

static volatile uint64_t *reg64(uint64_t base, unsigned off)
{
	return (volatile uint64_t *)(uintptr_t)(base + off);
}

static const struct edu *irq_edu;
static volatile unsigned edu_irqs;

/* Level-triggered INTx: the device keeps it asserted until acknowledged, which must come
 * before the EOI that deactivates the (hardware-linked) line. */
static void on_edu_irq(unsigned intid)
{
	volatile uint32_t *base = (volatile uint32_t *)(uintptr_t)irq_edu->bar0;

	(void)intid;
	base[EDU_IRQ_ACK / 4] = base[EDU_IRQ_STATUS / 4];
	edu_irqs++;
}

int edu_use_irq(struct edu *e)
{
	if (e->spi < 0 || gic_init_cpu())
		return -1;
	irq_edu = e;
	e->use_irq = true;
	gic_enable(32 + (unsigned)e->spi, 0x80, on_edu_irq);
	irqs_on();
	return 0;
}

unsigned edu_irq_count(void)
{
	return edu_irqs;
}

/* A function without interrupts of its own has its INTx through its bridge's
 * interrupt-map (PCI bus binding): its devfn from reg, its pin from its config space (at
 * the bridge's ECAM, bus 0), and entries of 4 + 1 + the GIC's #address-cells + 3 cells
 * (the GIC is the only interrupt parent mapvisor writes there). */
static const uint8_t *bridge_intx(int node)
{
	int bridge = fdt_find_compatible(guest_fdt, "pci-host-ecam-generic"), rlen, len, mlen;
	const uint8_t *ac = fdt_prop(guest_fdt, fdt_find_compatible(guest_fdt, "arm,gic-v3"),
				     "#address-cells", &rlen);
	int entry = 4 * (8 + (ac && rlen == 4 ? (int)fdt_be(ac, 4) : 0));
	const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &rlen);
	const uint8_t *ecam = fdt_prop(guest_fdt, bridge, "reg", &len);
	const uint8_t *map = fdt_prop(guest_fdt, bridge, "interrupt-map", &len);
	const uint8_t *mask = fdt_prop(guest_fdt, bridge, "interrupt-map-mask", &mlen);
	uint32_t devfn, pin;

	if (bridge < 0 || !reg || rlen < 4 || !ecam || !map || !mask || mlen != 16)
		return NULL;
	devfn = ((uint32_t)fdt_be(reg, 4) >> 8) & 0xff;
	pin = *(volatile uint8_t *)(uintptr_t)(fdt_be(ecam, 8) + (devfn << 12) + 0x3d);
	for (int i = 0; i + entry <= len; i += entry)
		if ((fdt_be(map + i, 4) & fdt_be(mask, 4)) == ((devfn << 8) & fdt_be(mask, 4)) &&
		    (fdt_be(map + i + 12, 4) & fdt_be(mask + 12, 4)) ==
			    (pin & fdt_be(mask + 12, 4)))
			return map + i + entry - 12;
	return NULL;
}

/* The first edu function in the DT: its BAR0, whether it is DMA-protected. */
int edu_find(struct edu *e)
{
	int len, node = fdt_find_compatible(guest_fdt, "pci1234,11e8");
	/* under a host bridge, real (dom0) or virtual: the PCI binding's assigned-addresses (5
	 * cells a BAR, the address in cells 1-2) and interrupts-extended (GIC phandle first) or
	 * the bridge's interrupt-map; else mapvisor's function node: reg pairs of BARs, and
	 * interrupts */
	int blen;
	const uint8_t *bars = fdt_prop(guest_fdt, node, "assigned-addresses", &blen);
	const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &len);
	const uint8_t *irq;

	if (node < 0)
		return -1;
	if (bars && blen >= 20) {
		e->bar0 = fdt_be(bars + 4, 8);
		irq = fdt_prop(guest_fdt, node, "interrupts-extended", &len);
		irq = irq && len == 16 ? irq + 4 : bridge_intx(node);
	} else if (reg && len >= 16) {
		e->bar0 = fdt_be(reg, 8);
		irq = fdt_prop(guest_fdt, node, "interrupts", &len);
		irq = irq && len == 12 ? irq : NULL;
	} else {
		return -1;
	}
	e->node = node;
	e->use_irq = false;
	e->protected_ = fdt_prop(guest_fdt, node, "mapvisor,dma-protected", NULL) != NULL;
	e->spi = irq && fdt_be(irq, 4) == 0 ? (int)fdt_be(irq + 4, 4) : -1;
	return 0;
}

/* One transfer; returns 0, or -1 if the engine did not finish in about a second. */
int edu_dma(const struct edu *e, uint64_t src, uint64_t dst, uint64_t count, bool to_ram)
{
	uint64_t end = read_cntvct() + read_cntfrq();

	*reg64(e->bar0, EDU_DMA_SRC) = src;
	*reg64(e->bar0, EDU_DMA_DST) = dst;
	*reg64(e->bar0, EDU_DMA_CNT) = count;
	unsigned irqs = edu_irqs;

	*reg64(e->bar0, EDU_DMA_CMD) =
		EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0) | (e->use_irq ? EDU_CMD_IRQ : 0);
	while (e->use_irq ? edu_irqs == irqs : (*reg64(e->bar0, EDU_DMA_CMD) & EDU_CMD_START)) {
		if (read_cntvct() > end)
			return -1;
		if (e->use_irq)
			wfi_unless(edu_irqs != irqs);
	}
	return 0;
}
