/* Hypercall handlers against a fake domain: Xen's answers and error codes for
 * xen_version, console_io, sched_op, hvm_op and platform_op, with every guest pointer
 * checked, and the once-per-domain log of what is not implemented. */
#include "unit.h"
#include "guest_access.h"
#include "hypercall.h"
#include "hvm.h"
#include <string.h>
#include "shared_info.h"
#include <xen/features.h>
#include <xen/hvm.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/version.h>

static struct domain *d0, *d1;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	d0 = fake_domain(0, true, 0, 16, true);                   /* 1:1, hardware domain */
	d1 = fake_domain(1, false, 0x40000000, 16, false);        /* translated domU */
	return 0;
}

static long call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t a[5] = {a0, a1, a2, 0, 0};

	return hypercall_dispatch(&d->vcpu[0], nr, a);
}

static uint64_t gpa_of(struct domain *d, uint64_t off)
{
	return d->ram[0].gpa + off;
}

static void *host_of(struct domain *d, uint64_t off)
{
	return maddr_to_virt(d->ram[0].maddr + off);
}

static void get_features_from_the_p2m(void **state)
{
	struct xen_feature_info fi = {.submap_idx = 0, .submap = 0xdead};

	(void)state;
	memcpy(host_of(d0, 0x100), &fi, sizeof(fi));
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d0, 0x100), 0), 0);
	memcpy(&fi, host_of(d0, 0x100), sizeof(fi));
	assert_int_equal(fi.submap, 0x26805);
	fi = (struct xen_feature_info){0, 0};
	memcpy(host_of(d1, 0x100), &fi, sizeof(fi));
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d1, 0x100), 0), 0);
	memcpy(&fi, host_of(d1, 0x100), sizeof(fi));
	assert_int_equal(fi.submap, 0x16005); /* translated domU: not_direct_mapped, no dom0 */
	/* the overrides are per domain */
	d1->features = FEATURES_LEGACY;
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d1, 0x100), 0), 0);
	memcpy(&fi, host_of(d1, 0x100), sizeof(fi));
	assert_int_equal(fi.submap, 0x6005);
}

static void bad_pointers_are_efault(void **state)
{
	struct xen_feature_info fi = {.submap_idx = 1};

	(void)state;
	/* not mapped at all */
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features, 0x7f000000, 0),
			 -XEN_EFAULT);
	/* straddles the end of the domain's RAM */
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d0, 16 * PAGE_SIZE - 4), 0), -XEN_EFAULT);
	/* another domain's RAM is not this domain's: d1's machine frames seen from d0 */
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      d1->ram[0].maddr, 0), -XEN_EFAULT);
	/* MMIO is never guest memory for the hypervisor */
	assert_int_equal(p2m_map(&d0->p2m, 0x9000000, 0x9000000, PAGE_SIZE, P2M_MMIO, P2M_RW), 0);
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features, 0x9000000, 0),
			 -XEN_EFAULT);
	/* stage-1 translation fails */
	fake_fault_va = gpa_of(d0, 0x200);
	fake_fault_len = 8;
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d0, 0x200), 0), -XEN_EFAULT);
	/* wrap-around */
	assert_int_equal(call(d0, __HYPERVISOR_console_io, CONSOLEIO_write, 16, ~0ULL - 4),
			 -XEN_EFAULT);
	/* read-only RAM cannot be written by the hypervisor on the guest's behalf */
	assert_int_equal(p2m_map(&d0->p2m, gpa_of(d0, PAGE_SIZE), d0->ram[0].maddr + PAGE_SIZE,
				 PAGE_SIZE, P2M_RAM, P2M_RO), 0);
	memcpy(host_of(d0, PAGE_SIZE), &fi, sizeof(fi));
	fi.submap_idx = 0;
	memcpy(host_of(d0, PAGE_SIZE), &fi, sizeof(fi));
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d0, PAGE_SIZE), 0), -XEN_EFAULT);
	/* bad submap index */
	fi.submap_idx = 1;
	memcpy(host_of(d0, 0x300), &fi, sizeof(fi));
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_get_features,
			      gpa_of(d0, 0x300), 0), -XEN_EINVAL);
}

static void version_subops(void **state)
{
	char buf[1024];

	(void)state;
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x40011);
	/* cmd is an int in Xen: the upper 32 bits of x0 are ignored */
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, 1ULL << 32, 0, 0), 0x40011);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_pagesize, 8, 0), -XEN_EINVAL);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, 11, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, -1ULL, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_extraversion,
			      gpa_of(d1, 0), 0), 0);
	assert_string_equal((char *)host_of(d1, 0), "-mapvisor");
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_capabilities,
			      gpa_of(d1, 0), 0), 0);
	assert_string_equal((char *)host_of(d1, 0), "xen-3.0-aarch64 ");
	/* privileged sub-ops: a domU is denied as Xen's default policy denies it */
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_commandline, gpa_of(d1, 0), 0),
			 0);
	assert_string_equal((char *)host_of(d1, 0), "<denied>");
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_build_id, gpa_of(d1, 0), 0),
			 -XEN_EPERM);
	memset(host_of(d0, 0), 0, 8);
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_build_id, gpa_of(d0, 0), 0),
			 -XEN_EINVAL); /* len 0 */
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_commandline, gpa_of(d0, 0), 0),
			 0);
	memcpy(buf, host_of(d0, 0), sizeof(buf));
	assert_int_equal(buf[sizeof(buf) - 1], 0);
}

static void unknown_hypercalls(void **state)
{
	(void)state;
	assert_int_equal(call(d0, 0, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, 63, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, 64, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, ~0ULL, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, __HYPERVISOR_physdev_op, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, 5, 0, 0), -XEN_ENOSYS);
	/* each (hypercall, sub-op) is logged once per domain */
	assert_true(fake_log_contains("d0: hypercall 33 (physdev_op) sub-op 0: not implemented"));
	assert_true(fake_log_contains("d0: hypercall 34 (hvm_op) sub-op 5: not implemented"));
	assert_true(fake_log_contains("d0: hypercall 63 (unknown) sub-op 0"));
	fake_log_clear();
	assert_int_equal(call(d0, __HYPERVISOR_physdev_op, 0, 0, 0), -XEN_ENOSYS);
	assert_false(fake_log_contains("physdev_op"));
	assert_int_equal(call(d1, __HYPERVISOR_physdev_op, 0, 0, 0), -XEN_ENOSYS);
	assert_true(fake_log_contains("d1: hypercall 33 (physdev_op) sub-op 0: not implemented"));
	for (unsigned i = 0; i < 40; i++)
		call(d1, __HYPERVISOR_physdev_op, 100 + i, 0, 0);
	assert_true(fake_log_contains("(and no more of these are logged)"));
	assert_false(fake_log_contains("sub-op 139"));
}

/* HVMOP_get/set_param (Xen on Arm: an array, zero until set) and who may touch whose. */
static void hvm_params(void **state)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_STORE_EVTCHN};

	(void)state;
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d0, 0x100), 0), 0);
	memcpy(&p, host_of(d0, 0x100), sizeof(p));
	assert_int_equal(p.value, 0); /* no xenstore: Linux dom0 starts xenbus locally */
	/* the toolstack's domain sets another's; nobody sets its own */
	p = (struct xen_hvm_param){.domid = 1, .index = HVM_PARAM_CALLBACK_IRQ, .value = 77};
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_set_param, gpa_of(d0, 0x100), 0), 0);
	assert_int_equal(d1->hvm_params[HVM_PARAM_CALLBACK_IRQ], 77);
	p.domid = DOMID_SELF;
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_set_param, gpa_of(d0, 0x100), 0),
			 -XEN_EPERM);
	p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = 5 /* an x86 one */};
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d0, 0x100), 0),
			 -XEN_EINVAL);
	p.index = HVM_PARAM_MONITOR_RING_PFN;
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d0, 0x100), 0),
			 -XEN_EPERM);
	/* a domU reads its own, not dom0's; bad index, unknown domain, bad pointer */
	p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ};
	memcpy(host_of(d1, 0x100), &p, sizeof(p));
	assert_int_equal(call(d1, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d1, 0x100), 0), 0);
	memcpy(&p, host_of(d1, 0x100), sizeof(p));
	assert_int_equal(p.value, 77);
	p.domid = 0;
	memcpy(host_of(d1, 0x100), &p, sizeof(p));
	assert_int_equal(call(d1, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d1, 0x100), 0),
			 -XEN_EPERM);
	p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = HVM_NR_PARAMS};
	memcpy(host_of(d1, 0x100), &p, sizeof(p));
	assert_int_equal(call(d1, __HYPERVISOR_hvm_op, HVMOP_set_param, gpa_of(d1, 0x100), 0),
			 -XEN_EINVAL);
	p = (struct xen_hvm_param){.domid = 9, .index = 1};
	memcpy(host_of(d0, 0x100), &p, sizeof(p));
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d0, 0x100), 0),
			 -XEN_ESRCH);
	assert_int_equal(call(d0, __HYPERVISOR_hvm_op, HVMOP_get_param, 0x7ff00000, 0),
			 -XEN_EFAULT);
}

/* What a Linux 6.1 dom0less domU asks at boot, answered as Xen 4.17 answers a domU built
 * without xenstore: xenbus_init reads STORE_EVTCHN and STORE_PFN (0: -ENOENT, it gives up;
 * ~0 would make it wait for a late xenstore forever), hvc_xen reads CONSOLE_EVTCHN and
 * CONSOLE_PFN (0: no Xen console, vpl011 instead); the callback is only dom0's (a domU's
 * event PPI is in its DT). It may set none of them. */
static void hvm_params_of_a_dom0less_domu(void **state)
{
	static const uint32_t asked[] = {HVM_PARAM_STORE_EVTCHN, HVM_PARAM_STORE_PFN,
					 HVM_PARAM_CONSOLE_EVTCHN, HVM_PARAM_CONSOLE_PFN,
					 HVM_PARAM_CALLBACK_IRQ};
	struct xen_hvm_param p;

	(void)state;
	hvm_params_init(d0);
	hvm_params_init(d1);
	for (unsigned i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		p = (struct xen_hvm_param){.domid = DOMID_SELF, .index = asked[i], .value = 99};
		memcpy(host_of(d1, 0x100), &p, sizeof(p));
		assert_int_equal(
			call(d1, __HYPERVISOR_hvm_op, HVMOP_get_param, gpa_of(d1, 0x100), 0), 0);
		memcpy(&p, host_of(d1, 0x100), sizeof(p));
		assert_int_equal(p.value, 0);
		p.value = 1;
		memcpy(host_of(d1, 0x100), &p, sizeof(p));
		assert_int_equal(
			call(d1, __HYPERVISOR_hvm_op, HVMOP_set_param, gpa_of(d1, 0x100), 0),
			-XEN_EPERM);
		assert_int_equal(d1->hvm_params[asked[i]], 0);
	}
	assert_int_not_equal(d0->hvm_params[HVM_PARAM_CALLBACK_IRQ], 0);
}

/* XENPF_settime64: dom0 only; the wall clock lands in every domain's shared_info as the
 * time of day at hypervisor time 0. */
static void platform_settime(void **state)
{
	struct xen_platform_op op = {.cmd = XENPF_settime64,
				     .interface_version = XENPF_INTERFACE_VERSION,
				     .u.settime64 = {.secs = 1000, .nsecs = 500, .system_time = 3000000000ULL}};

	(void)state;
	memcpy(host_of(d0, 0x100), &op, sizeof(op));
	assert_int_equal(call(d0, __HYPERVISOR_platform_op, gpa_of(d0, 0x100), 0, 0), 0);
	for (unsigned i = 0; i < 2; i++) {
		struct shared_info *si = domain_shared_info(i ? d1 : d0);

		assert_int_equal(si->wc_sec, 997);
		assert_int_equal(si->wc_nsec, 500);
		assert_int_equal(si->wc_version % 2, 0);
		assert_int_not_equal(si->wc_version, 0);
	}
	memcpy(host_of(d1, 0x100), &op, sizeof(op));
	assert_int_equal(call(d1, __HYPERVISOR_platform_op, gpa_of(d1, 0x100), 0, 0), -XEN_EPERM);
	op.u.settime64.mbz = 1;
	memcpy(host_of(d0, 0x100), &op, sizeof(op));
	assert_int_equal(call(d0, __HYPERVISOR_platform_op, gpa_of(d0, 0x100), 0, 0), -XEN_EINVAL);
	op.interface_version = 0x03000000;
	memcpy(host_of(d0, 0x100), &op, sizeof(op));
	assert_int_equal(call(d0, __HYPERVISOR_platform_op, gpa_of(d0, 0x100), 0, 0), -XEN_EACCES);
	op = (struct xen_platform_op){.cmd = 1, .interface_version = XENPF_INTERFACE_VERSION};
	memcpy(host_of(d0, 0x100), &op, sizeof(op));
	assert_int_equal(call(d0, __HYPERVISOR_platform_op, gpa_of(d0, 0x100), 0, 0), -XEN_ENOSYS);
	assert_int_equal(call(d0, __HYPERVISOR_platform_op, 0x7ff00000, 0, 0), -XEN_EFAULT);
}

/* XENVER_build_id: the size for a null handle, -ENOBUFS for a short buffer, else the id. */
static void build_id(void **state)
{
	struct xen_build_id id = {.len = 4};

	(void)state;
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_build_id, 0, 0), 20);
	memcpy(host_of(d0, 0x100), &id, sizeof(id));
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_build_id, gpa_of(d0, 0x100), 0),
			 -XEN_ENOBUFS);
	id.len = 32;
	memcpy(host_of(d0, 0x100), &id, sizeof(id));
	assert_int_equal(call(d0, __HYPERVISOR_xen_version, XENVER_build_id, gpa_of(d0, 0x100), 0),
			 20);
	assert_int_equal(((uint8_t *)host_of(d0, 0x100 + sizeof(id)))[0], 0xb1);
	assert_int_equal(call(d1, __HYPERVISOR_xen_version, XENVER_build_id, 0, 0), -XEN_EPERM);
}

static void console_lines_prefixed_and_sanitised(void **state)
{
	const char text[] = "hello\x1b[2J\nworld\r\nno newline yet";

	(void)state;
	memcpy(host_of(d1, 0), text, sizeof(text) - 1);
	assert_int_equal(call(d1, __HYPERVISOR_console_io, CONSOLEIO_write, sizeof(text) - 1,
			      gpa_of(d1, 0)), 0);
	assert_true(fake_log_contains("(d1) hello.[2J\n(d1) world\n"));
	assert_false(fake_log_contains("no newline yet")); /* still buffered */
	memcpy(host_of(d1, 0), "\n", 1);
	call(d1, __HYPERVISOR_console_io, CONSOLEIO_write, 1, gpa_of(d1, 0));
	assert_true(fake_log_contains("(d1) no newline yet\n"));
	/* a guest cannot forge a hypervisor line: its "(mv)" is behind its own prefix */
	memcpy(host_of(d1, 0), "(mv) ERROR: fake\n", 17);
	call(d1, __HYPERVISOR_console_io, CONSOLEIO_write, 17, gpa_of(d1, 0));
	assert_true(fake_log_contains("(d1) (mv) ERROR: fake"));
	assert_int_equal(call(d1, __HYPERVISOR_console_io, CONSOLEIO_write, 0, 0), 0);
	assert_int_equal(call(d1, __HYPERVISOR_console_io, CONSOLEIO_read, 0x80000000U, 0),
			 -XEN_E2BIG);
	/* a domU that does not own console input (test_console.c has the rest) */
	assert_int_equal(call(d1, __HYPERVISOR_console_io, CONSOLEIO_read, 16, gpa_of(d1, 0)),
			 -XEN_EPERM);
	assert_int_equal(call(d1, __HYPERVISOR_console_io, 2, 0, 0), -XEN_ENOSYS);
	/* a huge count runs off the end of RAM: what was valid is printed, then -EFAULT */
	memset(host_of(d1, 0), 'x', 16 * PAGE_SIZE);
	assert_int_equal(call(d1, __HYPERVISOR_console_io, CONSOLEIO_write, 0xffffffffU,
			      gpa_of(d1, 0)), -XEN_EFAULT);
}

static void sched_shutdown_stops_domain(void **state)
{
	struct sched_shutdown s = {.reason = 77};

	(void)state;
	memcpy(host_of(d1, 0), &s, sizeof(s));
	assert_int_equal(call(d1, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa_of(d1, 0), 0),
			 -XEN_EINVAL);
	assert_true(domain_is_running(d1));
	assert_int_equal(call(d1, __HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x7f000000, 0),
			 -XEN_EFAULT);
	assert_int_equal(call(d1, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	assert_int_equal(call(d1, __HYPERVISOR_sched_op, 42, 0, 0), -XEN_ENOSYS);
	s.reason = SHUTDOWN_crash;
	memcpy(host_of(d1, 0), &s, sizeof(s));
	assert_int_equal(call(d1, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa_of(d1, 0), 0), 0);
	assert_false(domain_is_running(d1));
	assert_true(domain_is_running(d0)); /* the other domain goes on */
	assert_true(fake_log_contains("d1: shut down (crash): SCHEDOP_shutdown"));
	/* the last domain's shutdown powers off, with status 1 because d1 crashed */
	s.reason = SHUTDOWN_poweroff;
	memcpy(host_of(d0, 0), &s, sizeof(s));
	fake_poweroff_armed = 1;
	if (setjmp(fake_poweroff_jmp) == 0) {
		call(d0, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gpa_of(d0, 0), 0);
		fail_msg("no power-off after the last domain stopped");
	}
	assert_int_equal(fake_poweroff_status, 1);
	assert_true(fake_log_contains("all domains have stopped: powering off (exit status 1"));
}

/* Copies to and from a guest follow its p2m even through the vCPU's translation cache: a
 * page removed or made read-only after a copy is refused at the next one, a page mapped
 * elsewhere (not RAM) leaves the cached one usable. */
static void guest_copies_follow_p2m_changes(void **state)
{
	struct vcpu *v = &d1->vcpu[0];
	uint64_t page = 0x40000000 + 3 * PAGE_SIZE, word = 0x1122334455667788ULL, got = 0;
	mfn_t mfn;

	(void)state;
	assert_int_equal(copy_to_guest(v, page + 8, &word, sizeof(word)), 0);
	assert_int_equal(copy_from_guest(v, &got, page + 8, sizeof(got)), 0);
	assert_int_equal(got, word);
	/* a foreign page mapped elsewhere changes no RAM entry: the copy goes on */
	assert_int_equal(p2m_map_page(&d1->p2m, _gfn(0x90000), _mfn(0x12345), P2M_FOREIGN, P2M_RW),
			 0);
	assert_int_equal(copy_to_guest(v, page + 8, &word, sizeof(word)), 0);
	/* read-only now: reads pass, writes are refused */
	assert_int_equal(p2m_lookup_page(&d1->p2m, gpa_to_gfn(_gpa(page)), &mfn, NULL, NULL), 0);
	assert_int_equal(p2m_map_page(&d1->p2m, gpa_to_gfn(_gpa(page)), mfn, P2M_RAM, P2M_RO), 0);
	assert_int_equal(copy_from_guest(v, &got, page + 8, sizeof(got)), 0);
	assert_int_equal(copy_to_guest(v, page + 8, &word, sizeof(word)), -XEN_EFAULT);
	/* removed: both refused */
	assert_int_equal(p2m_unmap_page(&d1->p2m, gpa_to_gfn(_gpa(page))), 0);
	assert_int_equal(copy_from_guest(v, &got, page + 8, sizeof(got)), -XEN_EFAULT);
	assert_int_equal(copy_to_guest(v, page + 8, &word, sizeof(word)), -XEN_EFAULT);
}

int run_hypercall_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(get_features_from_the_p2m, setup),
		cmocka_unit_test_setup(guest_copies_follow_p2m_changes, setup),
		cmocka_unit_test_setup(bad_pointers_are_efault, setup),
		cmocka_unit_test_setup(version_subops, setup),
		cmocka_unit_test_setup(unknown_hypercalls, setup),
		cmocka_unit_test_setup(hvm_params, setup),
		cmocka_unit_test_setup(hvm_params_of_a_dom0less_domu, setup),
		cmocka_unit_test_setup(platform_settime, setup),
		cmocka_unit_test_setup(build_id, setup),
		cmocka_unit_test_setup(console_lines_prefixed_and_sanitised, setup),
		cmocka_unit_test_setup(sched_shutdown_stops_domain, setup),
	};
	return cmocka_run_group_tests_name("hypercalls", tests, NULL, NULL);
}
