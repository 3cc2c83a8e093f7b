/* The PL011 driver (pl011.c): the hypervisor's console, driven by the arm64 layer
 * (setup.c's arch_console_write). Included by hv/arch/arm64 only. */
#ifndef HV_PL011_H
#define HV_PL011_H
#include "types.h"

void pl011_init(paddr_t base);
void pl011_write(const char *s, size_t len);
void pl011_rx_enable(void);
int pl011_getc(void); /* a received character, or -1 if the FIFO is empty */

#endif
