/* Xen's vpl011 (xen/arch/arm/vpl011.c): the emulated SBSA UART a dom0less domU gets with the
 * `vpl011` property, at Xen's GUEST_PL011_BASE with SPI GUEST_VPL011_SPI. A register model
 * over vmmio: transmit is never full (each character goes to the console at once, so TXFE
 * and the TX interrupt stay set), receive is a 32-byte FIFO fed by the console's input
 * switch. The interrupt is a virtual SPI raised when a masked-in status bit appears (Xen's
 * rule: its vGIC, like ours, has no level-triggered virtual lines). */
#ifndef HV_VPL011_H
#define HV_VPL011_H
#include "spinlock.h"
#include "types.h"

#define GUEST_PL011_BASE 0x22000000ULL /* xen/include/public/arch-arm.h */
#define GUEST_PL011_SIZE 0x1000ULL
#define GUEST_VPL011_SPI 32
#define VPL011_DT_PATH "/sbsa-uart@22000000" /* Xen's node name, stdout-path */
#define VPL011_RX_FIFO 32		     /* the SBSA UART's FIFO depth */

struct vpl011 {
	bool enabled;
	spinlock_t lock;
	uint32_t imsc, ris, shadow_mis;
	char rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_len;
};

struct domain;

/* Registers the UART's MMIO range and its virtual SPI in d (after d's vGIC and device SPIs):
 * -XEN_EBUSY if a device of d already has that SPI, or an error from vmmio_register. */
int vpl011_domain_init(struct domain *d);
struct bootinfo;
/* domain_build's step for a domain with the vpl011 property: vpl011_domain_init, refused
 * (with a message naming both) if the SPI is one of d's devices' or the range is mapped. */
int vpl011_domain_build(const struct bootinfo *bi, struct domain *d);
/* A character typed for d (console_in.c, with input for d): dropped if the FIFO is full, as
 * a UART drops an overrun. */
void vpl011_rx_char(struct domain *d, char c);

#endif
