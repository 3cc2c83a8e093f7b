/* The trap path's portable half: ESR decoding (esr.c), the emulated-MMIO registry (vmmio.c)
 * and Xen 4.17's stage-2 abort policy (guest_abort.c), with the log's rate limit. */
#include "unit.h"
#include "domain.h"
#include "esr.h"
#include "guest_abort.h"
#include "page_alloc.h"
#include "vgic.h"
#include "vmmio.h"

#define GICD 0x3001000ULL
#define GICR 0x3020000ULL

/* An ESR_EL2 as the CPU writes it for a data abort from EL1/EL0 (EC 0x24, IL set). */
static uint64_t dabt(uint64_t iss)
{
	return ((uint64_t)ESR_EC_DABT_LOW << 26) | ESR_IL | iss;
}

/* ISS of an access with a valid syndrome: sas (log2 bytes), srt, and flags. */
static uint64_t iss_valid(unsigned sas, unsigned srt, uint64_t flags, unsigned dfsc)
{
	return ESR_ISS_DA_ISV | ((uint64_t)sas << 22) | ((uint64_t)srt << 16) | flags | dfsc;
}

static void decode_data_abort(void **state)
{
	/* ldr w1, [x2]: 4 bytes, x1, 32-bit, read, stage-2 translation fault level 3 */
	struct esr_abort a = esr_decode_abort(dabt(iss_valid(2, 1, 0, 0x07)));

	(void)state;
	assert_int_equal(dabt(iss_valid(2, 1, 0, 0x07)), 0x93810007ULL); /* the raw value */
	assert_true(a.data && a.isv);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.srt, 1);
	assert_false(a.sf || a.sse || a.ar || a.write || a.cm || a.s1ptw || a.ea || a.fnv);
	assert_int_equal(a.fsc, 0x07);
	/* stlr x30, [x0]: 8 bytes, x30, 64-bit, release, write */
	a = esr_decode_abort(
		dabt(iss_valid(3, 30, ESR_ISS_DA_SF | ESR_ISS_DA_AR | ESR_ISS_DA_WNR, 0x06)));
	assert_true(a.isv && a.sf && a.ar && a.write);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.srt, 30);
	/* ldrsb w3, [x4]: 1 byte, sign-extending */
	a = esr_decode_abort(dabt(iss_valid(0, 3, ESR_ISS_DA_SSE, 0x05)));
	assert_true(a.sse && !a.sf);
	assert_int_equal(a.size, 1);
	/* ldp x0, x1, [x2] (ISV=0): no access fields, whatever bits 23:14 hold */
	a = esr_decode_abort(dabt((3ULL << 22) | (5ULL << 16) | ESR_ISS_DA_SF | 0x07));
	assert_false(a.isv);
	assert_int_equal(a.size, 0);
	assert_int_equal(a.srt, 0);
	assert_false(a.sf);
	/* flags without a syndrome: a walk, a cache maintenance op, an external abort, FnV */
	a = esr_decode_abort(dabt(ESR_ISS_DA_S1PTW | 0x06));
	assert_true(a.s1ptw && !a.cm);
	a = esr_decode_abort(dabt(ESR_ISS_DA_CM | ESR_ISS_DA_WNR | 0x07));
	assert_true(a.cm && a.write);
	a = esr_decode_abort(dabt(ESR_ISS_DA_EA | ESR_ISS_DA_FNV | 0x10));
	assert_true(a.ea && a.fnv);
	assert_int_equal(a.fsc, ESR_FSC_SEA);
}

static void decode_instruction_abort_and_names(void **state)
{
	/* an instruction abort has no WnR, CM or access syndrome, even if those bits are set */
	uint64_t esr = ((uint64_t)ESR_EC_IABT_LOW << 26) | ESR_IL | ESR_ISS_DA_ISV |
		       ESR_ISS_DA_WNR | ESR_ISS_DA_CM | ESR_ISS_DA_S1PTW | 0x05;
	struct esr_abort a = esr_decode_abort(esr);

	(void)state;
	assert_false(a.data || a.isv || a.write || a.cm);
	assert_true(a.s1ptw);
	assert_int_equal(a.fsc, 0x05);
	assert_int_equal(ESR_EC(esr), 0x20);
	assert_int_equal(ESR_EC((uint64_t)0x5a000ea1), ESR_EC_HVC64); /* hvc #0xea1 */
	assert_int_equal(ESR_ISS_IMM16(0x5a000ea1), 0xea1);
	assert_string_equal(esr_ec_name(ESR_EC_DABT_CUR), "data abort");
	assert_string_equal(esr_ec_name(0x3f), "other");
	assert_string_equal(esr_fsc_name(0x07), "translation fault");
	assert_string_equal(esr_fsc_name(0x0b), "access flag fault");
	assert_string_equal(esr_fsc_name(0x0f), "permission fault");
	assert_string_equal(esr_fsc_name(0x21), "alignment fault");
	/* msr icc_sgi1r_el1, x5: op0 3, op1 0, CRn 12, CRm 11, op2 5, Rt 5, write */
	esr = (0x18ULL << 26) | ESR_IL | (3U << 20) | (5U << 17) | (0U << 14) | (12U << 10) |
	      (5U << 5) | (11U << 1);
	assert_int_equal(ESR_ISS_SYS_OP0(esr), 3);
	assert_int_equal(ESR_ISS_SYS_OP2(esr), 5);
	assert_int_equal(ESR_ISS_SYS_OP1(esr), 0);
	assert_int_equal(ESR_ISS_SYS_CRN(esr), 12);
	assert_int_equal(ESR_ISS_SYS_CRM(esr), 11);
	assert_int_equal(ESR_ISS_SYS_RT(esr), 5);
	assert_false(ESR_ISS_SYS_READ(esr));
}

static void load_value_extends(void **state)
{
	struct esr_abort a = {.data = true, .isv = true, .size = 1, .sse = true, .sf = true};

	(void)state;
	assert_int_equal(esr_load_value(&a, 0x80), 0xffffffffffffff80ULL); /* ldrsb x */
	a.sf = false;
	assert_int_equal(esr_load_value(&a, 0x80), 0xffffff80ULL); /* ldrsb w */
	assert_int_equal(esr_load_value(&a, 0x7f), 0x7f);
	a = (struct esr_abort){.data = true, .isv = true, .size = 2};
	assert_int_equal(esr_load_value(&a, 0x12345678), 0x5678); /* ldrh: bytes beyond go */
	a = (struct esr_abort){.data = true, .isv = true, .size = 8, .sf = true};
	assert_int_equal(esr_load_value(&a, 0x8877665544332211ULL), 0x8877665544332211ULL);
	a.sf = false; /* a W register is never wider than 32 bits */
	a.size = 4;
	assert_int_equal(esr_load_value(&a, 0x8877665544332211ULL), 0x44332211ULL);
}

/* A test emulator: records the last call, reads back offset + 1, refuses offset 0x40. */
static struct {
	struct vcpu *v;
	uint64_t offset, value;
	unsigned size, calls;
	bool write;
	void *priv;
} last;

static bool test_access(struct vcpu *v, uint64_t offset, unsigned size, bool is_write,
			uint64_t *value, void *priv)
{
	last.v = v;
	last.offset = offset;
	last.size = size;
	last.write = is_write;
	last.priv = priv;
	last.calls++;
	if (is_write)
		last.value = *value;
	else
		*value = offset + 1;
	return offset != 0x40;
}

static const struct vmmio_ops test_ops = {"test device", test_access};
static int token;

static struct domain *dom(void)
{
	fake_reset();
	memset(&last, 0, sizeof(last));
	return fake_domain(1, false, 0x40000000, 4, false);
}

static void vmmio_register_lookup_overlap(void **state)
{
	struct domain *d = dom();
	const struct vmmio_region *r;

	(void)state;
	assert_int_equal(vmmio_register(d, 0x9000000, 0x1000, &test_ops, &token), 0);
	r = vmmio_find(d, 0x9000000);
	assert_non_null(r);
	assert_ptr_equal(r->priv, &token);
	assert_ptr_equal(vmmio_find(d, 0x9000fff), r);
	assert_null(vmmio_find(d, 0x9001000));
	assert_null(vmmio_find(d, 0x8ffffff));
	/* overlaps from below, from above, inside, around: refused; touching is fine */
	assert_int_equal(vmmio_register(d, 0x8fff000, 0x1001, &test_ops, NULL), -XEN_EEXIST);
	assert_int_equal(vmmio_register(d, 0x9000fff, 0x1000, &test_ops, NULL), -XEN_EEXIST);
	assert_int_equal(vmmio_register(d, 0x9000100, 0x10, &test_ops, NULL), -XEN_EEXIST);
	assert_int_equal(vmmio_register(d, 0x8000000, 0x2000000, &test_ops, NULL), -XEN_EEXIST);
	assert_int_equal(vmmio_register(d, 0x8fff000, 0x1000, &test_ops, NULL), 0);
	assert_int_equal(vmmio_register(d, 0x9001000, 0x1000, &test_ops, NULL), 0);
	assert_ptr_equal(vmmio_find(d, 0x9000800), r); /* still the first one's */
	/* empty, wrapping, without ops: refused */
	assert_int_equal(vmmio_register(d, 0xa000000, 0, &test_ops, NULL), -XEN_EINVAL);
	assert_int_equal(vmmio_register(d, ~0ULL - 0xfff, 0x2000, &test_ops, NULL), -XEN_EINVAL);
	assert_int_equal(vmmio_register(d, 0xa000000, 0x1000, NULL, NULL), -XEN_EINVAL);
	/* the table is small and says when it is full */
	for (unsigned i = 3; i < VMMIO_MAX_REGIONS; i++)
		assert_int_equal(vmmio_register(d, 0xb000000 + i * 0x1000, 0x1000, &test_ops, NULL),
				 0);
	assert_int_equal(vmmio_register(d, 0xc000000, 0x1000, &test_ops, NULL), -XEN_ENOSPC);
}

static void vmmio_access_dispatch(void **state)
{
	struct domain *d = dom();
	uint64_t v = 0x1234;

	(void)state;
	assert_int_equal(vmmio_register(d, 0x9000000, 0x1000, &test_ops, &token), 0);
	assert_int_equal(vmmio_access(&d->vcpu[1], 0x9000010, 4, true, &v), VMMIO_HANDLED);
	assert_ptr_equal(last.v, &d->vcpu[1]);
	assert_int_equal(last.offset, 0x10);
	assert_int_equal(last.size, 4);
	assert_true(last.write);
	assert_int_equal(last.value, 0x1234);
	assert_ptr_equal(last.priv, &token);
	assert_int_equal(vmmio_access(&d->vcpu[0], 0x9000ff8, 8, false, &v), VMMIO_HANDLED);
	assert_int_equal(v, 0xff9);
	assert_int_equal(vmmio_access(&d->vcpu[0], 0x9000040, 4, false, &v), VMMIO_REFUSED);
	assert_int_equal(vmmio_access(&d->vcpu[0], 0x9001000, 4, false, &v), VMMIO_NO_REGION);
	/* an access running past the end is refused before the emulator sees it */
	last.calls = 0;
	assert_int_equal(vmmio_access(&d->vcpu[0], 0x9000ffc, 8, false, &v), VMMIO_REFUSED);
	assert_int_equal(last.calls, 0);
}

/* The policy on a domain with 2 vCPUs, its vGIC, and the test device at 0x9000000. */
static struct domain *policy_domain(void)
{
	struct domain *d = dom();

	assert_int_equal(vgic_domain_init(d, GICD, GICR), 0);
	assert_int_equal(vmmio_register(d, 0x9000000, 0x1000, &test_ops, NULL), 0);
	return d;
}

static enum abort_outcome resolve(struct domain *d, uint64_t esr, paddr_t ipa, uint64_t *val,
				  const char *why)
{
	struct esr_abort a = esr_decode_abort(esr);
	struct abort_verdict vd = guest_abort_resolve(&d->vcpu[0], &a, ipa, val);

	if (why)
		assert_non_null(strstr(vd.why ? vd.why : "", why));
	return vd.outcome;
}

static void policy_follows_xen(void **state)
{
	struct domain *d = policy_domain();
	uint64_t ldr_w = dabt(iss_valid(2, 1, 0, 0x07)), val = 0;
	uint64_t ldp = dabt(ESR_ISS_DA_SF | 0x07), iabt = ((uint64_t)ESR_EC_IABT_LOW << 26) | 0x07;

	(void)state;
	/* emulated: the vGIC's distributor (GICD_TYPER) and both vCPUs' redistributors */
	assert_int_equal(resolve(d, ldr_w, GICD + 4, &val, NULL), ABORT_EMULATED);
	assert_int_equal(val, (9U << 19) | 4);
	assert_int_equal(resolve(d, ldr_w, GICR + VGIC_GICR_STRIDE + 8, &val, NULL),
			 ABORT_EMULATED);
	assert_int_equal(val & (1U << 4), 1U << 4); /* GICR_TYPER.Last on the last vCPU's */
	/* (a) the frame after the last redistributor is nobody's: an abort, not a crash */
	assert_int_equal(resolve(d, ldr_w, GICR + 2 * VGIC_GICR_STRIDE + 8, &val,
				 "outside the domain's memory map"),
			 ABORT_INJECT);
	/* (b) a load pair on the distributor: no syndrome to emulate it with */
	assert_int_equal(resolve(d, ldp, GICD, &val, "no valid syndrome"), ABORT_INJECT);
	/* far from anything, with or without a syndrome; a store too */
	assert_int_equal(resolve(d, ldp, 0x3000000000ULL, &val, "outside"), ABORT_INJECT);
	assert_int_equal(resolve(d, ldr_w, 0x3000000000ULL, &val, "outside"), ABORT_INJECT);
	assert_int_equal(resolve(d, dabt(iss_valid(3, 2, ESR_ISS_DA_SF | ESR_ISS_DA_WNR, 0x06)),
				 0x3fff000, &val, "outside"),
			 ABORT_INJECT);
	/* the emulator refuses: an abort (Xen: a handler returning 0 is IO_ABORT) */
	assert_int_equal(resolve(d, ldr_w, 0x9000040, &val, "refused"), ABORT_INJECT);
	/* cache maintenance: a no-op on an emulated range, an abort elsewhere */
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_CM | ESR_ISS_DA_WNR | 0x07), GICD, &val, NULL),
			 ABORT_SKIPPED);
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_CM | ESR_ISS_DA_WNR | 0x07), 0x3000000000ULL,
				 &val, "cache maintenance"),
			 ABORT_INJECT);
	/* a stage-1 walk outside RAM (Xen 4.17: forwarded to the guest), even onto the vGIC */
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_S1PTW | 0x06), 0x3000000000ULL, &val,
				 "stage-1 table walk"),
			 ABORT_INJECT);
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_S1PTW | 0x06), GICD, &val, "stage-1"),
			 ABORT_INJECT);
	/* an instruction fetch outside the map or from a device */
	assert_int_equal(resolve(d, iabt, 0x3000000000ULL, &val, "outside"), ABORT_INJECT);
	assert_int_equal(resolve(d, iabt, GICD, &val, "emulated device"), ABORT_INJECT);
	/* other fault statuses: Xen's "Unsupported FSC", then an abort for the guest */
	assert_int_equal(resolve(d, dabt(iss_valid(2, 1, 0, 0x0b)), GICD, &val, "access flag"),
			 ABORT_INJECT);
	assert_int_equal(resolve(d, dabt(0x02), GICD, &val, "address size"), ABORT_INJECT);
	/* what Xen 4.17 does not let the guest go on from either: the domain stops */
	assert_int_equal(resolve(d, dabt(iss_valid(2, 1, ESR_ISS_DA_WNR, 0x0f)), 0x40000000, &val,
				 "retries"),
			 ABORT_CRASH);
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_EA | 0x10), 0x40000000, &val, "SError"),
			 ABORT_CRASH);
}

/* Held memory (p2m_hold): its access flag faults are the hypervisor's, whatever the
 * access (a load, a stage-1 walk, a fetch, cache maintenance); the guest retries. A held
 * device's zeroes the RAM still held first, and says so. */
static void held_memory_retried(void **state)
{
	struct domain *d = policy_domain();
	paddr_t ma = page_alloc_contig(&fake_frames, 2 * SZ_2M / PAGE_SIZE, SZ_2M / PAGE_SIZE);
	uint64_t ldr_af = dabt(iss_valid(2, 1, 0, 0x0b)), val = 0;
	uint64_t iabt_af = ((uint64_t)ESR_EC_IABT_LOW << 26) | 0x0a;
	const uint64_t *w = maddr_to_virt(ma);

	(void)state;
	assert_int_equal(p2m_map(&d->p2m, 0x50000000, ma, 2 * SZ_2M, P2M_RAM, P2M_RW), 0);
	assert_int_equal(p2m_map(&d->p2m, 0x0a000000, 0x0a000000, PAGE_SIZE, P2M_MMIO, P2M_RW), 0);
	assert_int_equal(p2m_hold(&d->p2m, 0x50000000), 0);
	assert_int_equal(p2m_hold(&d->p2m, 0x50000000 + SZ_2M), 0);
	assert_int_equal(p2m_hold(&d->p2m, 0x0a000000), 0);
	assert_int_equal(resolve(d, ldr_af, 0x50000008, &val, NULL), ABORT_RETRY);
	assert_int_equal(w[1], 0);
	assert_int_equal(w[SZ_2M / 8], 0xa5a5a5a5a5a5a5a5ULL); /* the next block: not yet */
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_S1PTW | 0x0b), 0x50000000 + SZ_2M, &val, NULL),
			 ABORT_RETRY);
	assert_int_equal(w[SZ_2M / 8], 0);
	/* raced: another vCPU released it first; the access is simply retried */
	assert_int_equal(resolve(d, iabt_af, 0x50001000, &val, NULL), ABORT_RETRY);
	assert_int_equal(resolve(d, dabt(ESR_ISS_DA_CM | 0x0b), 0x0a000000, &val, NULL),
			 ABORT_RETRY);
	assert_true(fake_log_contains("d1: first device access (IPA 0xa000000): its RAM all "
				      "zeroed already, its devices released"));
	assert_int_equal(d->p2m.held_mmio, 0);
	/* nothing held there: Xen's "Unsupported FSC", an abort for the guest, as before */
	assert_int_equal(resolve(d, ldr_af, 0x60000000, &val, "access flag"), ABORT_INJECT);
}

static void injected_aborts_logged_once_per_address(void **state)
{
	struct domain *d = policy_domain();
	struct esr_abort a = esr_decode_abort(dabt(iss_valid(2, 1, 0, 0x07)));
	const char *p;
	unsigned n = 0;

	(void)state;
	guest_abort_log_injected(d, &a, 0x80c0008, 0x80c0008, 0x40001000, "why");
	guest_abort_log_injected(d, &a, 0x80c0008, 0x80c0008, 0x40001000, "why");
	assert_true(fake_log_contains("d1: data abort injected: read from IPA 0x80c0008 (VA "
				      "0x80c0008) at PC 0x40001000: why"));
	for (p = fake_log(); (p = strstr(p, "abort injected")); p++)
		n++;
	assert_int_equal(n, 1);
	/* distinct addresses each get a line, up to ABORT_LOG_LINES, then one last word */
	for (unsigned i = 1; i < ABORT_LOG_LINES + 10; i++)
		guest_abort_log_injected(d, &a, 0x80c0008 + 8 * i, 0, 0, "why");
	for (n = 0, p = fake_log(); (p = strstr(p, "abort injected:")); p++)
		n++;
	assert_int_equal(n, ABORT_LOG_LINES);
	assert_true(fake_log_contains("d1: 64 aborts injected: further ones are not logged"));
	/* another domain has its own budget */
	a.write = true;
	guest_abort_log_injected(fake_domain(2, false, 0x40000000, 4, false), &a, 0x10, 0x10, 0,
				 "why");
	assert_true(fake_log_contains("d2: data abort injected: write to IPA 0x10"));
}

int run_traps_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_data_abort),
		cmocka_unit_test(decode_instruction_abort_and_names),
		cmocka_unit_test(load_value_extends),
		cmocka_unit_test(vmmio_register_lookup_overlap),
		cmocka_unit_test(vmmio_access_dispatch),
		cmocka_unit_test(policy_follows_xen),
		cmocka_unit_test(held_memory_retried),
		cmocka_unit_test(injected_aborts_logged_once_per_address),
	};

	return cmocka_run_group_tests_name("traps", tests, NULL, NULL);
}
