/* The serial console shared by the hypervisor and the domains (console_io.c, console_in.c).
 * Output: dom0's is raw (as Xen prints the hardware domain's), every other domain's is
 * collected per line and printed "(dN) line". Input: one domain owns it at a time; Ctrl-A
 * three times passes it to the next running domain (Xen's switch, minus Xen's own
 * debug-key slot, which mapvisor does not have). The owner gets it through its vpl011 if it
 * has one, else through CONSOLEIO_read from a 128-byte ring (Xen's serial_rx ring), with
 * VIRQ_CONSOLE raised for each character. */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H
#include "types.h"

struct domain;

#define CONSOLE_RX_RING 128	 /* Xen's SERIAL_RX_SIZE */
#define CONSOLE_SWITCH_CHAR 0x01 /* Ctrl-A, Xen's default conswitch */

/* One character of d's console output (console_io writes, its vpl011's UARTDR). */
void console_domain_putc(struct domain *d, char c);

/* After every domain is built: input goes to the first domain (dom0 if there is one); the
 * log says so and which key switches. */
void console_input_start(void);
/* A character from the physical UART (interrupt context on pCPU 0). */
void console_rx_char(char c);
/* The domain that owns input, or NULL (none running). */
struct domain *console_input_owner(void);
/* CONSOLEIO_read's core, in two steps as Xen's (characters leave the ring only once they
 * are in the guest's buffer): up to len waiting characters for d, or -XEN_EPERM for a domU
 * that does not own input (dom0 may always ask: it gets 0 when it does not own input)... */
long console_input_peek(struct domain *d, char *buf, unsigned len);
/* ...then the first n of them are gone. */
void console_input_consume(struct domain *d, unsigned n);

#endif
