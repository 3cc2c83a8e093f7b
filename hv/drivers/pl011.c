/* Arm PL011 UART, transmit only (Arm DDI 0183G, 3.3): the hypervisor's console. */
#include "arm64.h"
#include "pl011.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1U << 5)

static volatile uint32_t *uart;

void pl011_init(paddr_t base)
{
	/* Firmware (or QEMU) has configured the baud rate; we only transmit. */
	uart = (volatile uint32_t *)(uintptr_t)base;
}

static void put(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint32_t)(unsigned char)c;
}

void pl011_write(const char *s, size_t len)
{
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
