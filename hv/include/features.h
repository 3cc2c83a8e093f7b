/* Which XENFEAT_* bits a domain is told (XENVER_get_features submap 0). Policy only: the
 * direct-mapped fact comes from the domain's p2m. */
#ifndef HV_FEATURES_H
#define HV_FEATURES_H
#include <stdbool.h>
#include <stdint.h>

enum features_mode {
	FEATURES_AUTO,       /* from the p2m, as Xen does */
	FEATURES_DIRECT,     /* force XENFEAT_direct_mapped (debugging) */
	FEATURES_NOT_DIRECT, /* force XENFEAT_not_direct_mapped (debugging) */
	FEATURES_LEGACY,     /* neither bit: a hypervisor older than Xen 4.16 */
};

uint32_t features_submap0(bool hardware_domain, bool direct_mapped, enum features_mode mode);
const char *features_mode_name(enum features_mode mode);
/* Name of a XENFEAT bit, or NULL when the number is not one. */
const char *features_bit_name(unsigned bit);

#endif
