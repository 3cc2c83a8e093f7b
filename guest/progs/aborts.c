/* aborts: accesses the hypervisor cannot do for this guest come back as data aborts at EL1,
 * as under Xen 4.17, and the guest goes on. (1) the redistributor frame after this domain's
 * last one (its GICR_TYPER), which the host has but the domain does not; (2) a load pair on
 * the distributor (no valid syndrome); (3) an IPA far from anything. Each must arrive at
 * libguest's vector with EC 0x25 (data abort, same EL), FAR the address, ELR the load, and
 * DFSC synchronous external abort. */
#include "libguest.h"

#define GICR_STRIDE 0x20000ULL
#define GICR_TYPER 0x8
#define TYPER_LAST (1U << 4)
#define FAR_FROM_ANYTHING 0x3000000000ULL /* 192 GiB: no RAM, device or window on QEMU virt */

static void expect_abort(const char *name, uint64_t (*load)(uint64_t), uint64_t addr)
{
	uint64_t esr = 0, elr = 0, far;

	expect_exception();
	load(addr);
	if (!exception_seen(&esr, &elr)) {
		test_fail(name, "the load at 0x%llx returned", (unsigned long long)addr);
		return;
	}
	far = exception_far();
	printf("aborts: %s: ESR 0x%llx, FAR 0x%llx, ELR 0x%llx\n", name, (unsigned long long)esr,
	       (unsigned long long)far, (unsigned long long)elr);
	if ((esr >> 26) == 0x25 && (esr & 0x3f) == 0x10 && far == addr &&
	    elr == (uint64_t)(uintptr_t)load)
		test_pass(name);
	else
		test_fail(name, "want EC 0x25, DFSC 0x10, FAR 0x%llx, ELR 0x%llx",
			  (unsigned long long)addr, (unsigned long long)(uintptr_t)load);
}

void guest_main(void)
{
	int len, ncpus = fdt_count_prop(guest_fdt, "enable-method");
	const uint8_t *reg =
		fdt_prop(guest_fdt, fdt_find_compatible(guest_fdt, "arm,gic-v3"), "reg", &len);
	uint64_t gicd, gicr, gicr_size, last;

	if (!reg || len < 32) {
		test_fail("gic-node", "no arm,gic-v3 reg");
		return;
	}
	gicd = fdt_be(reg, 8);
	gicr = fdt_be(reg + 16, 8);
	gicr_size = fdt_be(reg + 24, 8);
	/* the device tree lists only this domain's redistributors; the last says Last */
	test_expect_eq("gicr-region-is-the-domains", (int64_t)gicr_size,
		       (int64_t)(ncpus * GICR_STRIDE));
	last = gicr + gicr_size - GICR_STRIDE;
	test_expect_eq("gicr-last-frame-typer-last", probe_ldr32(last + GICR_TYPER) & TYPER_LAST,
		       TYPER_LAST);
	expect_abort("abort-beyond-redistributors", probe_ldr32, gicr + gicr_size + GICR_TYPER);
	expect_abort("abort-ldp-on-distributor", probe_ldp, gicd);
	expect_abort("abort-unmapped-ipa", probe_ldr32, FAR_FROM_ANYTHING);
	/* the vGIC still answers, and the domain is still running */
	test_expect_eq("gicd-still-emulated", probe_ldr32(gicd + 0xffe8) & 0xf0, 0x30);
}
