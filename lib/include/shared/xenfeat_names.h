/* Names of the XENFEAT_* bits, for the hypervisor's log and libguest's probe. */
#ifndef LIB_XENFEAT_NAMES_H
#define LIB_XENFEAT_NAMES_H

/* NULL when bit is not a defined feature. */
const char *xenfeat_name(unsigned bit);
#endif
