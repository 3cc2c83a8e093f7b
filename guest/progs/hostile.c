/* hostile: bad hypercall arguments must get Xen's exact error codes and leave the system
 * running: bad pointers (unmapped, MMIO, past the end of RAM, beyond the IPA space),
 * unknown hypercalls and sub-ops, bad submap index, console_io and sched_op edge cases,
 * PSCI from both conduits, and an HVC immediate that is not a hypercall. Whatever the
 * outcome, a hypercall changes no register but x0, as on Xen. */
#include "libguest.h"
#include <xen/memory.h>
#include <arm/psci.h>
#include <string.h>

#define UNMAPPED_IPA 0x1000000000ULL /* 64 GiB: no RAM or device of dom0 there */
#define BEYOND_IPA (1ULL << 45)      /* beyond any stage-2 input size */

static uint64_t ram_end(void)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);

	if (!reg) /* the hypervisor names it memory@BASE */
		return 0;
	return fdt_be(reg, 8) + fdt_be((const char *)reg + 8, 8);
}

static void bad_pointers(void)
{
	uint64_t end = ram_end();

	test_expect_eq("get_features-null", HYPERVISOR_xen_version(XENVER_get_features, NULL),
		       -XEN_EFAULT);
	test_expect_eq("get_features-unmapped",
		       HYPERVISOR_xen_version(XENVER_get_features, (void *)UNMAPPED_IPA),
		       -XEN_EFAULT);
	test_expect_eq("get_features-beyond-ipa",
		       HYPERVISOR_xen_version(XENVER_get_features, (void *)BEYOND_IPA),
		       -XEN_EFAULT);
	if (end) {
		/* 8-byte struct whose last 4 bytes lie past the end of RAM */
		test_expect_eq("get_features-straddle-ram-end",
			       HYPERVISOR_xen_version(XENVER_get_features, (void *)(end - 4)),
			       -XEN_EFAULT);
	} else {
		test_fail("get_features-straddle-ram-end", "no memory node in the guest DT");
	}
	test_expect_eq("extraversion-unmapped",
		       HYPERVISOR_xen_version(XENVER_extraversion, (void *)UNMAPPED_IPA),
		       -XEN_EFAULT);
	test_expect_eq("console-write-unmapped",
		       HYPERVISOR_console_io(CONSOLEIO_write, 16, (void *)UNMAPPED_IPA), -XEN_EFAULT);
	test_expect_eq("sched-shutdown-unmapped",
		       HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)UNMAPPED_IPA), -XEN_EFAULT);
}

static void bad_ops(void)
{
	struct xen_feature_info fi = {.submap_idx = 1};
	struct sched_shutdown bad_reason = {.reason = 77};
	char buf[8] = "1234567";

	test_expect_eq("hypercall-unknown-63", xen_hypercall(63, 0, 0, 0, 0, 0), -XEN_ENOSYS);
	test_expect_eq("hypercall-unknown-huge", xen_hypercall(~0ULL, 0, 0, 0, 0, 0),
		       -XEN_ENOSYS);
	test_expect_eq("hypercall-not-implemented-memory_op",
		       xen_hypercall(__HYPERVISOR_memory_op, 99, 0, 0, 0, 0), -XEN_ENOSYS);
	/* a reservation whose struct is nowhere, or whose extents are: Xen's -EFAULT, or
	 * the count done (0) */
	test_expect_eq("memory_op-reservation-unmapped",
		       xen_hypercall(__HYPERVISOR_memory_op, XENMEM_decrease_reservation,
				     0x1000000000ULL, 0, 0, 0), -XEN_EFAULT);
	test_expect_eq("xen_version-bad-subop", HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
	test_expect_eq("get_features-submap-1", HYPERVISOR_xen_version(XENVER_get_features, &fi),
		       -XEN_EINVAL);
	test_expect_eq("xen_version-version", HYPERVISOR_xen_version(XENVER_version, NULL),
		       (4 << 16) | 17);
	test_expect_eq("pagesize", HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
	test_expect_eq("pagesize-non-null", HYPERVISOR_xen_version(XENVER_pagesize, buf),
		       -XEN_EINVAL);
	test_expect_eq("console-bad-cmd", HYPERVISOR_console_io(99, 1, buf), -XEN_ENOSYS);
	test_expect_eq("console-write-zero", HYPERVISOR_console_io(CONSOLEIO_write, 0, buf), 0);
	test_expect_eq("console-read-negative",
		       HYPERVISOR_console_io(CONSOLEIO_read, 0x80000000U, buf), -XEN_E2BIG);
	test_expect_eq("sched-bad-cmd", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
	test_expect_eq("sched-yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
	test_expect_eq("sched-shutdown-bad-reason",
		       HYPERVISOR_sched_op(SCHEDOP_shutdown, &bad_reason), -XEN_EINVAL);
}

static void psci(void)
{
	test_expect_eq("psci-version-hvc", (int64_t)psci_hvc(PSCI_VERSION, 0, 0, 0), 0x10001);
	test_expect_eq("psci-version-smc", (int64_t)psci_smc(PSCI_VERSION, 0, 0, 0), 0x10001);
	test_expect_eq("psci-features-system-off",
		       (int32_t)psci_hvc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0), PSCI_SUCCESS);
	test_expect_eq("psci-features-cpu-suspend",
		       (int32_t)psci_hvc(PSCI_FEATURES, PSCI_CPU_SUSPEND_64, 0, 0),
		       PSCI_NOT_SUPPORTED);
	test_expect_eq("psci-cpu-on-foreign-mpidr",
		       (int32_t)psci_hvc(PSCI_CPU_ON_64, 0x7, 0x40000000, 0),
		       PSCI_INVALID_PARAMETERS);
	test_expect_eq("psci-cpu-on-self", (int32_t)psci_hvc(PSCI_CPU_ON_64, 0, 0x40000000, 0),
		       PSCI_ALREADY_ON);
	test_expect_eq("smccc-unknown-fid", (int64_t)psci_hvc(0xC2000042, 0, 0, 0), -1);
}

static void undefined_hvc(void)
{
	uint64_t esr = 0, elr = 0;

	expect_exception();
	hvc_other_imm();
	if (exception_seen(&esr, &elr) && (esr >> 26) == 0 &&
	    elr == (uint64_t)(uintptr_t)hvc_other_imm)
		test_pass("hvc-other-imm-is-undef");
	else
		test_fail("hvc-other-imm-is-undef", "no UNDEF at the HVC (ESR 0x%llx, ELR 0x%llx)",
			  (unsigned long long)esr, (unsigned long long)elr);
}

/* x1-x30 as they were, on success, on an error from the handler, for an unknown number
 * and for a call that goes through the scheduler. */
static void preserved_regs(void)
{
	static const struct {
		const char *name;
		uint64_t nr, a0, a1;
		long want;
	} calls[] = {
		{"regs-preserved-version", __HYPERVISOR_xen_version, XENVER_version, 0,
		 (4 << 16) | 17},
		{"regs-preserved-efault", __HYPERVISOR_xen_version, XENVER_get_features,
		 UNMAPPED_IPA, -XEN_EFAULT},
		{"regs-preserved-unknown", 63, 0, 0, -XEN_ENOSYS},
		{"regs-preserved-huge", ~0ULL, 0, 0, -XEN_ENOSYS},
		{"regs-preserved-yield", __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0},
	};

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long ret;
		uint32_t changed =
			xen_hypercall_changed(calls[i].nr, calls[i].a0, calls[i].a1, &ret);

		if (changed || ret != calls[i].want)
			test_fail(calls[i].name,
				  "x0 %ld (want %ld), changed registers 0x%x (bit n: xn)", ret,
				  calls[i].want, changed);
		else
			test_pass(calls[i].name);
	}
}

void guest_main(void)
{
	preserved_regs();
	bad_pointers();
	bad_ops();
	psci();
	undefined_hvc();
	/* Still alive and still served after all of the above. */
	test_expect_eq("alive-after-hostile-calls", HYPERVISOR_xen_version(XENVER_version, NULL),
		       (4 << 16) | 17);
}
