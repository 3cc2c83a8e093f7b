/* sched_op hypercall (xen/include/public/sched.h). */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H
#include <stdint.h>

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3

struct sched_shutdown {
	uint32_t reason; /* SHUTDOWN_* */
};

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_MAX 4

#endif
