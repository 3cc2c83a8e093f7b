/* Console input: the PL011's SPI is the hypervisor's own, routed to pCPU 0 and never given
 * to a guest; each interrupt drains the UART's FIFO into console_rx_char (console_in.c). It
 * is taken while pCPU 0 runs its guest (the hypervisor itself runs with interrupts masked),
 * so input stops if pCPU 0's domain stops. */
#include "arch.h"
#include "arm64.h"
#include "pl011.h"
#include "console.h"
#include "gicv3.h"
#include "log.h"
#include "vgic.h"

unsigned uart_rx_intid;

void arch_console_input_start(const struct bootinfo *bi)
{
	unsigned intid = bi->uart_intid;

	if (!intid || bi->uart.node < 0) {
		log_info("console: no receive interrupt in %s's node: output only",
			 bi->uart.node >= 0 ? bi->uart.path : "the console");
		return;
	}
	if (vgic_spi_owner(intid)) { /* assign.c never gives the console away: a bug */
		log_warn("console: SPI %u is d%u's: input not taken", intid - 32,
			 vgic_spi_owner(intid)->id);
		return;
	}
	arch_spi_route(intid, 0, bi->uart_edge);
	uart_rx_intid = intid;
	log_info("console: receive interrupt SPI %u (INTID %u), the hypervisor's, on pCPU 0",
		 intid - 32, intid);
	pl011_rx_enable();
	arch_spi_enable(intid, true);
	console_input_start();
}

void uart_rx_irq(void)
{
	for (int c; (c = pl011_getc()) >= 0;)
		console_rx_char((char)c);
	gic_deactivate(uart_rx_intid);
}
