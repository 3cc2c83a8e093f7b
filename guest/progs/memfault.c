/* memfault: touch a page just below this domain's RAM, which belongs to someone else. The
 * hypervisor must stop this domain with a stage-2 abort naming the address, and go on. */
#include "libguest.h"

void guest_main(void)
{
	int len;
	const void *reg = fdt_prop(guest_fdt, fdt_node(guest_fdt, "/memory"), "reg", &len);
	volatile uint32_t *own, *other;

	if (!reg || len < 16) {
		test_fail("memfault-setup", "no memory node");
		return;
	}
	own = (volatile uint32_t *)(uintptr_t)fdt_be(reg, 8);
	other = (volatile uint32_t *)((uintptr_t)own - 4096);
	*own = 0x600dcafe; /* own RAM: fine */
	test_expect_eq("own-ram-writable", *own, 0x600dcafe);
	printf("memfault: writing to 0x%llx, outside this domain's memory\n",
	       (unsigned long long)(uintptr_t)other);
	*other = 0xbadbad;
	test_fail("memfault-stopped", "the write to another domain's page returned");
}
