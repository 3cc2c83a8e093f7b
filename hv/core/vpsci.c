/* The PSCI 1.1 interface a domain sees (Arm DEN0022D), and SMCCC 1.1 discovery (DEN0028).
 * A domain can only start, stop and query its own vCPUs; SYSTEM_OFF and SYSTEM_RESET stop
 * the domain, not the machine. */
#include "arch.h"
#include "domain.h"
#include "vpsci.h"
#include <arm/psci.h>
#include <xen/sched.h>

#define MPIDR_AFF_MASK 0xff00ffffffULL

static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if ((d->vcpu[i].vmpidr & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK))
			return &d->vcpu[i];
	return NULL;
}

static int64_t cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t entry, uint64_t context)
{
	struct vcpu *t = vcpu_by_mpidr(v->d, mpidr);
	int expected = VCPU_OFF;

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (!__atomic_compare_exchange_n(&t->power, &expected, VCPU_CLAIMED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return expected == VCPU_ON ? PSCI_ALREADY_ON : PSCI_ON_PENDING;
	t->entry = entry;
	t->context = context;
	__atomic_store_n(&t->power, VCPU_ON_PENDING, __ATOMIC_RELEASE);
	if (arch_vcpu_start(t)) {
		__atomic_store_n(&t->power, VCPU_OFF, __ATOMIC_RELEASE);
		return PSCI_INTERNAL_FAILURE;
	}
	return PSCI_SUCCESS;
}

static int64_t affinity_info(struct vcpu *v, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(v->d, mpidr);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	switch (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE)) {
	case VCPU_ON:
		return 0;
	case VCPU_CLAIMED:
	case VCPU_ON_PENDING:
		return 2;
	}
	return 1;
}

static bool implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	}
	return false;
}

void vpsci_call(struct vcpu *v, uint64_t regs[4])
{
	uint32_t fid = (uint32_t)regs[0];
	int64_t ret = PSCI_NOT_SUPPORTED;

	switch (fid) {
	case PSCI_VERSION:
	case SMCCC_VERSION:
		ret = 0x10001; /* 1.1 */
		break;
	case PSCI_CPU_ON_32:
		ret = cpu_on(v, (uint32_t)regs[1], (uint32_t)regs[2], (uint32_t)regs[3]);
		break;
	case PSCI_CPU_ON_64:
		ret = cpu_on(v, regs[1], regs[2], regs[3]);
		break;
	case PSCI_CPU_OFF:
		/* The trap path parks this pCPU; only then may a CPU_ON wake it, so the state
		 * others see changes here and the decision to park is carried separately. */
		v->off_requested = true;
		__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
		ret = PSCI_SUCCESS;
		break;
	case PSCI_AFFINITY_INFO_32:
		ret = affinity_info(v, (uint32_t)regs[1], (uint32_t)regs[2]);
		break;
	case PSCI_AFFINITY_INFO_64:
		ret = affinity_info(v, regs[1], regs[2]);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no Trusted OS that needs migration */
		break;
	case PSCI_FEATURES:
		ret = implemented((uint32_t)regs[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		break;
	case PSCI_SYSTEM_OFF:
		domain_shutdown(v->d, SHUTDOWN_poweroff, "PSCI SYSTEM_OFF");
		ret = PSCI_SUCCESS;
		break;
	case PSCI_SYSTEM_RESET:
		domain_shutdown(v->d, SHUTDOWN_reboot,
				"PSCI SYSTEM_RESET (domains are not restarted)");
		ret = PSCI_SUCCESS;
		break;
	}
	regs[0] = (uint64_t)ret;
}
