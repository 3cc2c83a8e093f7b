/* platform_op (xen/include/public/platform.h): only what a dom0 issues on Arm. */
#ifndef XEN_PLATFORM_H
#define XEN_PLATFORM_H
#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001
#define XENPF_settime64 62

struct xenpf_settime64 {
	uint64_t secs;
	uint32_t nsecs;
	uint32_t mbz;
	uint64_t system_time;
};

struct xen_platform_op {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xenpf_settime64 settime64;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xen_platform_op) == 136, "xen_platform_op");

#endif
