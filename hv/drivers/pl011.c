/* Arm PL011 UART (Arm DDI 0183G, 3.3): the hypervisor's console. Transmit by polling;
 * receive by interrupt (receive and receive-timeout), drained here by the caller. */
#include "arm64.h"
#include "pl011.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_RXFE (1U << 4)
#define UARTFR_TXFF (1U << 5)
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UART_RXIM (1U << 4)
#define UART_RTIM (1U << 6)

static volatile uint32_t *uart;
static char last_put;

void pl011_init(paddr_t base)
{
	/* Firmware (or QEMU) has configured the baud rate and enabled the UART. */
	uart = (volatile uint32_t *)(uintptr_t)base;
}

static void put(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint32_t)(unsigned char)c;
	last_put = c;
}

/* '\n' becomes "\r\n", unless the writer sent the '\r' itself (Linux's hvc does): a
 * terminal needs the pair once, and "\r\r\n" would read as two line ends to a program. */
void pl011_write(const char *s, size_t len)
{
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' && last_put != '\r')
			put('\r');
		put(s[i]);
	}
}

/* Receive and receive-timeout interrupts: a character, or a few left below the FIFO's
 * trigger level, raise the line until the FIFO is read empty. */
void pl011_rx_enable(void)
{
	if (!uart)
		return;
	uart[UARTICR / 4] = UART_RXIM | UART_RTIM;
	uart[UARTIMSC / 4] |= UART_RXIM | UART_RTIM;
}

int pl011_getc(void)
{
	if (!uart || (uart[UARTFR / 4] & UARTFR_RXFE))
		return -1;
	return (int)(uart[UARTDR / 4] & 0xff); /* bits 11:8 are error flags: a char anyway */
}
