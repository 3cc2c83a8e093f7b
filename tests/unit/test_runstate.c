/* Runstate areas and vm_assist against a fake domain: registration writes the vCPU's state
 * at once, state changes accumulate time and are published only when asked, the update flag
 * is clear once a write is done, and bad addresses, vCPUs and assist types get Xen's errors. */
#include "unit.h"
#include "hypercall.h"
#include "runstate.h"

#define ARG 0x1000  /* the hypercall's struct in the caller's RAM */
#define AREA 0x2040 /* the runstate area */

extern uint64_t fake_now_ns;
static struct domain *d;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	fake_now_ns = 0;
	d = fake_domain(1, false, 0x40000000, 16, false);
	d->vcpu[0].runstate.state = RUNSTATE_offline;
	return 0;
}

static struct vcpu_runstate_info *area(void)
{
	return maddr_to_virt(d->ram[0].maddr + AREA);
}

static long reg(unsigned vcpu, uint64_t addr)
{
	const uint64_t a[5] = {VCPUOP_register_runstate_memory_area, vcpu,
			       d->ram[0].gpa + ARG, 0, 0};

	memcpy(maddr_to_virt(d->ram[0].maddr + ARG), &addr, sizeof(addr));
	return hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vcpu_op, a);
}

static void registered_area_follows_the_vcpu(void **state)
{
	(void)state;
	runstate_change(&d->vcpu[0], RUNSTATE_running, 1000, false); /* started at 1 us */
	fake_now_ns = 5000;
	assert_int_equal(reg(0, d->ram[0].gpa + AREA), 0);
	assert_int_equal(area()->state, RUNSTATE_running);
	assert_int_equal(area()->state_entry_time, 1000);
	assert_int_equal(area()->time[RUNSTATE_offline], 1000);
	assert_int_equal(area()->time[RUNSTATE_running], 0);

	/* CPU_OFF at 9 us: 8 us of running are accounted and published */
	runstate_change(&d->vcpu[0], RUNSTATE_offline, 9000, true);
	assert_int_equal(area()->state, RUNSTATE_offline);
	assert_int_equal(area()->state_entry_time, 9000);
	assert_int_equal(area()->time[RUNSTATE_running], 8000);

	/* the restart is not published (no stage 1 yet): the guest re-registers */
	runstate_change(&d->vcpu[0], RUNSTATE_running, 12000, false);
	assert_int_equal(area()->state, RUNSTATE_offline);
	assert_int_equal(reg(0, d->ram[0].gpa + AREA), 0);
	assert_int_equal(area()->state, RUNSTATE_running);
	assert_int_equal(area()->time[RUNSTATE_offline], 1000 + 3000);
}

static void update_flag(void **state)
{
	const uint64_t on[5] = {VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag, 0, 0, 0};

	(void)state;
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vm_assist, on), 0);
	assert_true(d->vm_assist & (1U << VMASST_TYPE_runstate_update_flag));
	assert_int_equal(reg(0, d->ram[0].gpa + AREA), 0);
	runstate_change(&d->vcpu[0], RUNSTATE_running, 7000, true);
	/* the flag is only there while the write is in progress */
	assert_int_equal(area()->state_entry_time, 7000);
	assert_int_equal(area()->state_entry_time & XEN_RUNSTATE_UPDATE, 0);
}

static void errors(void **state)
{
	const uint64_t bad_type[5] = {VMASST_CMD_enable, 0 /* 4gb_segments: x86 */, 0, 0, 0};
	const uint64_t big_type[5] = {VMASST_CMD_enable, 64, 0, 0, 0};
	const uint64_t bad_cmd[5] = {7, VMASST_TYPE_runstate_update_flag, 0, 0, 0};
	const uint64_t bad_arg[5] = {VCPUOP_register_runstate_memory_area, 0, 0x7fff0000, 0, 0};

	(void)state;
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vm_assist, bad_type),
			 -XEN_EINVAL);
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vm_assist, big_type),
			 -XEN_EINVAL);
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vm_assist, bad_cmd),
			 -XEN_ENOSYS);
	/* the struct itself unreadable, the area outside RAM, a vCPU the domain lacks */
	assert_int_equal(hypercall_dispatch(&d->vcpu[0], __HYPERVISOR_vcpu_op, bad_arg),
			 -XEN_EFAULT);
	assert_int_equal(reg(0, 0x10000000), -XEN_EFAULT);
	assert_int_equal(d->vcpu[0].runstate.area, 0);
	assert_int_equal(reg(5, d->ram[0].gpa + AREA), -XEN_ENOENT);
	/* a null address unregisters: later changes write nothing */
	assert_int_equal(reg(0, d->ram[0].gpa + AREA), 0);
	assert_int_equal(reg(0, 0), 0);
	memset(area(), 0xaa, sizeof(*area()));
	runstate_change(&d->vcpu[0], RUNSTATE_running, 3000, true);
	assert_int_equal(area()->state, (int32_t)0xaaaaaaaa);
}

int run_runstate_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(registered_area_follows_the_vcpu, setup),
		cmocka_unit_test_setup(update_flag, setup),
		cmocka_unit_test_setup(errors, setup),
	};

	return cmocka_run_group_tests_name("runstate", tests, NULL, NULL);
}
