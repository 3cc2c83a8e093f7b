/* Emulated MMIO, per domain: an emulator (the vGIC today; a virtual PCI host bridge, a vpl011
 * next) registers a guest-physical range at domain build, and a stage-2 data abort with a
 * valid syndrome inside it becomes a call to the emulator. Ranges never overlap. Registered
 * at boot only, read without a lock afterwards. */
#ifndef HV_VMMIO_H
#define HV_VMMIO_H
#include "types.h"

struct vcpu;
struct domain;

#define VMMIO_MAX_REGIONS 8

struct vmmio_ops {
	const char *name; /* for the log: "vGIC distributor" */
	/* One access of size bytes (1, 2, 4, 8) at offset from the range's base: a write of
	 * *value, or a read into *value. false: the emulator refuses it (the guest gets a data
	 * abort, as Xen 4.17 gives it when a handler returns 0). */
	bool (*access)(struct vcpu *v, uint64_t offset, unsigned size, bool is_write,
		       uint64_t *value, void *priv);
};

struct vmmio_region {
	uint64_t base, size;
	const struct vmmio_ops *ops;
	void *priv;
};

struct vmmio {
	struct vmmio_region region[VMMIO_MAX_REGIONS];
	unsigned nr;
};

/* 0, or -XEN_EINVAL (empty or wrapping range, no ops), -XEN_EEXIST (overlaps a registered
 * range), -XEN_ENOSPC (table full). Boot time only. */
int vmmio_register(struct domain *d, uint64_t base, uint64_t size, const struct vmmio_ops *ops,
		   void *priv);
/* The region holding gpa, or NULL. */
const struct vmmio_region *vmmio_find(const struct domain *d, uint64_t gpa);

enum vmmio_result { VMMIO_HANDLED, VMMIO_NO_REGION, VMMIO_REFUSED };
/* Does the access with the emulator whose range holds gpa. */
enum vmmio_result vmmio_access(struct vcpu *v, uint64_t gpa, unsigned size, bool is_write,
			       uint64_t *value);

#endif
