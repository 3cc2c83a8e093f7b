/* xen_version (xen/include/public/version.h), answering as Xen 4.17 on Arm does
 * (xen/common/kernel.c with the default XSM policy): every domain may read the version,
 * strings and features; the command line and build id are the hardware domain's only. */
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include <string.h>
#include <xen/features.h>
#include <xen/version.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

#ifndef MAPVISOR_CHANGESET
#define MAPVISOR_CHANGESET "unavailable"
#endif

/* Set by the boot code: the hypervisor command line as given. */
char hv_saved_cmdline[1024];

/* Every sub-op but the version and page size goes through an out-of-line function, so
 * do_xen_version itself needs no stack frame: XENVER_version is the null hypercall (make
 * compare-xen) and costs only its switch. */
#define OUT_OF_LINE __attribute__((noinline))

static OUT_OF_LINE long copy_out(struct vcpu *v, uint64_t arg, const void *src, size_t size)
{
	return copy_to_guest(v, arg, src, size) ? -XEN_EFAULT : 0;
}

static OUT_OF_LINE long copy_string(struct vcpu *v, uint64_t arg, const char *s, size_t size)
{
	char buf[1024] = {0};

	for (size_t i = 0; i + 1 < size && s[i]; i++)
		buf[i] = s[i];
	return copy_out(v, arg, buf, size);
}

static OUT_OF_LINE long get_features(struct vcpu *v, uint64_t arg)
{
	struct xen_feature_info fi;
	struct domain *d = v->d;

	if (copy_from_guest(v, &fi, arg, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -XEN_EINVAL;
	fi.submap = features_submap0(d->hardware, p2m_is_direct_mapped(&d->p2m), d->features);
	return copy_out(v, arg, &fi, sizeof(fi));
}

static OUT_OF_LINE long compile_info(struct vcpu *v, uint64_t arg)
{
	struct xen_compile_info info;

	memset(&info, 0, sizeof(info));
	memcpy(info.compiler, "gcc", 4);
	memcpy(info.compile_by, "mapvisor", 9);
	memcpy(info.compile_domain, "mapvisor", 9);
	memcpy(info.compile_date, "unknown", 8);
	return copy_out(v, arg, &info, sizeof(info));
}

/* Meaningless on Arm, but Xen 4.17 arm64 answers its XEN_VIRT_START: measured 0x200000 with
 * Debian's build (make compare-xen). */
static OUT_OF_LINE long platform_parameters(struct vcpu *v, uint64_t arg)
{
	struct xen_platform_parameters p = {.virt_start = 0x200000};

	return copy_out(v, arg, &p, sizeof(p));
}

static OUT_OF_LINE long commandline(struct vcpu *v, uint64_t arg)
{
	if (!v->d->hardware)
		return copy_out(v, arg, "<denied>", 9);
	return copy_out(v, arg, hv_saved_cmdline, sizeof(hv_saved_cmdline));
}

/* Xen's order (common/kernel.c): the caller's length is checked before there is an id to
 * give; a null handle asks for the size only. */
static OUT_OF_LINE long build_id(struct vcpu *v, uint64_t arg)
{
	struct xen_build_id id;
	const void *bid;
	uint32_t len;

	if (!v->d->hardware)
		return -XEN_EPERM;
	if (arg) {
		if (copy_from_guest(v, &id, arg, sizeof(id)))
			return -XEN_EFAULT;
		if (id.len == 0)
			return -XEN_EINVAL;
	}
	if (arch_build_id(&bid, &len))
		return -XEN_ENODATA;
	if (!arg)
		return len;
	if (len > id.len)
		return -XEN_ENOBUFS;
	if (copy_to_guest(v, arg + sizeof(id), bid, len))
		return -XEN_EFAULT;
	return len;
}

long do_xen_version(struct vcpu *v, const uint64_t a[5])
{
	int cmd = (int)(uint32_t)a[0];
	uint64_t arg = a[1];

	switch (cmd) {
	case XENVER_version:
		return (XEN_MAJOR << 16) | XEN_MINOR;
	case XENVER_extraversion:
		return copy_string(v, arg, "-mapvisor", sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		return compile_info(v, arg);
	case XENVER_capabilities:
		/* no armv7l: mapvisor runs AArch64 guests only */
		return copy_string(v, arg, "xen-3.0-aarch64 ", sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string(v, arg, MAPVISOR_CHANGESET, sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		return platform_parameters(v, arg);
	case XENVER_get_features:
		return get_features(v, arg);
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_out(v, arg, v->d->handle, sizeof(v->d->handle));
	case XENVER_commandline:
		return commandline(v, arg);
	case XENVER_build_id:
		return build_id(v, arg);
	}
	return hypercall_enosys(v, __HYPERVISOR_xen_version, a[0]);
}
