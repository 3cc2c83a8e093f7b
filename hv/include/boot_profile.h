/* The boot profile (boot_profile.c): how long each boot phase took, in counter time, printed
 * at loglvl=debug. Phases are always timed, whatever the log level, so the option changes
 * only what is printed, never what is built or in which order. */
#ifndef HV_BOOT_PROFILE_H
#define HV_BOOT_PROFILE_H
#include "types.h"

#define BOOT_PROFILE_HV (-1) /* a phase of the hypervisor's, not of one domain */

/* Nanoseconds since power-on (the counter starts at 0 with the machine): a phase's start. */
uint64_t boot_profile_now(void);
/* Records a phase that started at start_ns and ends now; domid or BOOT_PROFILE_HV. what
 * must be a string constant (it is kept, not copied). */
void boot_profile_add(int domid, const char *what, uint64_t start_ns);
/* Prints every phase recorded so far, in order, at loglvl=debug, then forgets them. */
void boot_profile_log(void);
/* For tests: forget every phase. */
void boot_profile_reset(void);

#endif
