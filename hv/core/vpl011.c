/* The SBSA UART a vpl011 domain sees (Arm Server Base System Architecture, appendix B: the
 * generic UART, a PL011 subset; register layout Arm DDI 0183G, 3.2). Implemented: UARTDR,
 * UARTRSR/ECR, UARTFR, UARTIMSC, UARTRIS, UARTMIS, UARTICR. Everything else (baud rate and
 * line control are fixed on an SBSA UART) reads as zero and ignores writes. Accesses wider
 * than 32 bits are refused (a data abort), as Xen's vpl011 refuses them. */
#include "assign.h"
#include "console.h"
#include "domain.h"
#include "dt.h"
#include "log.h"
#include "p2m.h"
#include "vgic.h"
#include "vmmio.h"
#include "vpl011.h"
#include <libfdt.h>

#define UARTDR 0x00
#define UARTRSR 0x04
#define UARTFR 0x18
#define UARTIMSC 0x38
#define UARTRIS 0x3c
#define UARTMIS 0x40
#define UARTICR 0x44

#define FR_BUSY (1U << 3)
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)

#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_RT (1U << 6) /* receive timeout: data waits in the FIFO */
#define INT_ALL 0x7ffU	 /* the 11 PL011 interrupt bits */

/* RX and RT follow the FIFO, TX is always set (nothing ever waits to be sent); the others
 * (modem, errors) never happen here. The SPI is raised when MIS gains a bit. */
static void update_irq(struct domain *d, struct vpl011 *u)
{
	uint32_t mis;

	u->ris = (u->ris & ~(INT_RX | INT_RT)) | INT_TX | (u->rx_len ? INT_RX | INT_RT : 0);
	mis = u->ris & u->imsc;
	if (mis & ~u->shadow_mis)
		vgic_spi_inject(d, GUEST_VPL011_SPI);
	u->shadow_mis = mis;
}

static uint32_t read_dr(struct vpl011 *u)
{
	char c;

	if (!u->rx_len)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
	u->rx_len--;
	return (uint8_t)c; /* bits 11:8, the error flags, are never set */
}

static uint32_t reg_read(struct vpl011 *u, uint64_t off)
{
	switch (off) {
	case UARTDR:
		return read_dr(u);
	case UARTFR:
		return FR_TXFE | (u->rx_len ? 0 : FR_RXFE) |
		       (u->rx_len == VPL011_RX_FIFO ? FR_RXFF : 0);
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return u->ris;
	case UARTMIS:
		return u->ris & u->imsc;
	}
	return 0; /* UARTRSR (no errors) and everything unimplemented */
}

static void reg_write(struct domain *d, struct vpl011 *u, uint64_t off, uint32_t val)
{
	switch (off) {
	case UARTDR:
		console_domain_putc(d, (char)val);
		break;
	case UARTIMSC:
		u->imsc = val & INT_ALL;
		break;
	case UARTICR:
		u->ris &= ~val; /* RX/RT/TX come back at once if their condition holds */
		break;
	}
}

static bool vpl011_access(struct vcpu *v, uint64_t off, unsigned size, bool is_write,
			  uint64_t *value, void *priv)
{
	struct vpl011 *u = priv;

	if (size > 4)
		return false;
	spin_lock(&u->lock);
	if (!is_write)
		*value = off & 3 ? 0 : reg_read(u, off); /* only whole registers have fields */
	else if (!(off & 3))
		reg_write(v->d, u, off, (uint32_t)*value);
	update_irq(v->d, u);
	spin_unlock(&u->lock);
	return true;
}

static const struct vmmio_ops vpl011_ops = {"vpl011 (SBSA UART)", vpl011_access};

int vpl011_domain_init(struct domain *d)
{
	struct vpl011 *u = &d->vpl011;
	int rc = vgic_spi_virtual(d, GUEST_VPL011_SPI);

	if (rc)
		return rc;
	*u = (struct vpl011){.enabled = true, .ris = INT_TX};
	return vmmio_register(d, GUEST_PL011_BASE, GUEST_PL011_SIZE, &vpl011_ops, u);
}

void vpl011_rx_char(struct domain *d, char c)
{
	struct vpl011 *u = &d->vpl011;

	spin_lock(&u->lock);
	if (u->rx_len < VPL011_RX_FIFO) {
		u->rx[(u->rx_head + u->rx_len) % VPL011_RX_FIFO] = c;
		u->rx_len++;
	}
	update_irq(d, u);
	spin_unlock(&u->lock);
}

/* Which of d's device nodes has SPI intid (GIC specifier <0 n flags>), for the refusal. */
static const char *spi_holder(const struct bootinfo *bi, const struct domain *d, unsigned intid,
			      char *buf, int len)
{
	int node;

	dt_for_each_child(node, bi->fdt, 0) {
		int plen;
		const uint32_t *p = dt_getprop(bi->fdt, node, "interrupts", &plen);

		if (assign_platform_owner(node) != (int)d->id || !p)
			continue;
		for (int i = 0; i + 3 <= plen / 4; i += 3)
			if (dt_read_cells(p + i, 1) == 0 &&
			    dt_read_cells(p + i + 1, 1) == intid - 32)
				return dt_path(bi->fdt, node, buf, len);
	}
	return "one of its PCI functions (INTx)";
}

int vpl011_domain_build(const struct bootinfo *bi, struct domain *d)
{
	char path[96];
	int rc;

	if (p2m_lookup(&d->p2m, GUEST_PL011_BASE, NULL, NULL, NULL) != -XEN_ENOENT) {
		log_err("%s: vpl011 at 0x%llx, but its RAM or a device is mapped there: the "
			"emulated UART would never be reached; drop vpl011 or move that memory",
			d->name, (unsigned long long)GUEST_PL011_BASE);
		return -XEN_EINVAL;
	}
	rc = vpl011_domain_init(d);
	if (rc == -XEN_EBUSY)
		log_err("%s: vpl011 needs SPI %u (INTID %u), which its device %s has: drop vpl011 "
			"or give that device to another domain",
			d->name, GUEST_VPL011_SPI - 32, GUEST_VPL011_SPI,
			spi_holder(bi, d, GUEST_VPL011_SPI, path, sizeof(path)));
	else if (rc)
		log_err("%s: vpl011's MMIO range cannot be registered (%d)", d->name, rc);
	else
		log_info("d%u: vpl011: SBSA UART at 0x%llx, SPI %u (INTID %u), its console", d->id,
			 (unsigned long long)GUEST_PL011_BASE, GUEST_VPL011_SPI - 32,
			 GUEST_VPL011_SPI);
	return rc;
}
