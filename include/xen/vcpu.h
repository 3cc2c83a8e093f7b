/* vcpu_op (xen/include/public/vcpu.h) and the shared_info / vcpu_info layouts of ARM
 * (xen/include/public/xen.h, arch-arm.h), offsets as ABI.md gives them. */
#ifndef XEN_VCPU_H
#define XEN_VCPU_H
#include "xen.h"

#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_register_vcpu_info 10

/* vcpu.h: a vCPU's runstate, as the guest reads it in the area it registers */
#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3
/* set in state_entry_time while the hypervisor rewrites the area (runstate_update_flag) */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

struct vcpu_runstate_info {
	int32_t state;
	uint64_t state_entry_time;
	uint64_t time[4];
};

struct vcpu_register_runstate_memory_area {
	uint64_t addr; /* a guest virtual address (union of handle, pointer, u64) */
};

struct vcpu_register_vcpu_info {
	uint64_t mfn; /* a GFN on ARM */
	uint32_t offset;
	uint32_t rsvd;
};

struct vcpu_time_info {
	uint32_t version, pad0;
	uint64_t tsc_timestamp, system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags, pad1[2];
};

struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad[6];
	xen_ulong_t evtchn_pending_sel;
	struct vcpu_time_info time;
};

#define XEN_LEGACY_MAX_VCPUS 1 /* ARM */
#define EVTCHN_2L_WORDS (sizeof(xen_ulong_t) * 8)

struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[EVTCHN_2L_WORDS];
	xen_ulong_t evtchn_mask[EVTCHN_2L_WORDS];
	uint32_t wc_version, wc_sec, wc_nsec, wc_sec_hi;
	/* arch_shared_info: nothing on ARM */
};

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info");
_Static_assert(sizeof(struct vcpu_info) == 48, "vcpu_info");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 48, "evtchn_pending");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_mask) == 560, "evtchn_mask");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 1072, "wc_version");
_Static_assert(sizeof(struct shared_info) == 1088, "shared_info");

#endif
