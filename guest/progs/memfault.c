/* memfault: touch a page just below this domain's RAM, which belongs to someone else. The
 * hypervisor injects a data abort (Xen 4.17's policy) and logs the address; libguest's
 * vectors report it and crash the domain, and the hypervisor goes on. */
#include "libguest.h"
#include <arm/psci.h>

static volatile int spinning;
static uint8_t stack1[4096] __attribute__((aligned(16)));

/* vCPU 1 (spin=1): a loop that never traps; only the hypervisor's kick can stop it. */
void guest_secondary(uint64_t cpu)
{
	(void)cpu;
	spinning = 1;
	for (;;)
		;
}

static void start_spinner(void)
{
	uint64_t top = (uint64_t)(uintptr_t)(stack1 + sizeof(stack1));

	psci_hvc(PSCI_CPU_ON_64, 1, (uintptr_t)guest_secondary_entry, top);
	while (!spinning)
		;
	test_pass("vcpu1-spinning");
}

void guest_main(void)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);
	volatile uint32_t *own, *other;

	if (!reg || len < 16) {
		test_fail("memfault-setup", "no memory node");
		return;
	}
	if (bootarg_is("spin", "1"))
		start_spinner();
	own = (volatile uint32_t *)(uintptr_t)fdt_be(reg, 8);
	other = (volatile uint32_t *)((uintptr_t)own - 4096);
	*own = 0x600dcafe; /* own RAM: fine */
	test_expect_eq("own-ram-writable", *own, 0x600dcafe);
	printf("memfault: writing to 0x%llx, outside this domain's memory\n",
	       (unsigned long long)(uintptr_t)other);
	*other = 0xbadbad;
	test_fail("memfault-stopped", "the write to another domain's page returned");
}
