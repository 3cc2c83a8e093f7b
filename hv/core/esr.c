/* Decoding of the exception syndrome: the fields of a data or instruction abort, the value a
 * described load leaves in its register, and names for the log. Field layout in esr.h. */
#include "esr.h"

struct esr_abort esr_decode_abort(uint64_t esr)
{
	struct esr_abort a = {
		.data = ESR_EC(esr) == ESR_EC_DABT_LOW || ESR_EC(esr) == ESR_EC_DABT_CUR,
		.fsc = (unsigned)esr & ESR_ISS_DA_DFSC_MASK,
		.ea = esr & ESR_ISS_DA_EA,
		.s1ptw = esr & ESR_ISS_DA_S1PTW,
		.fnv = esr & ESR_ISS_DA_FNV,
	};

	if (!a.data)
		return a; /* an instruction abort has no access syndrome, WnR or CM */
	a.isv = esr & ESR_ISS_DA_ISV;
	a.cm = esr & ESR_ISS_DA_CM;
	a.write = esr & ESR_ISS_DA_WNR;
	if (a.isv) {
		a.size = 1U << ((esr >> ESR_ISS_DA_SAS_SHIFT) & ESR_ISS_DA_SAS_MASK);
		a.srt = (unsigned)(esr >> ESR_ISS_DA_SRT_SHIFT) & ESR_ISS_DA_SRT_MASK;
		a.sse = esr & ESR_ISS_DA_SSE;
		a.sf = esr & ESR_ISS_DA_SF;
		a.ar = esr & ESR_ISS_DA_AR;
	}
	return a;
}

uint64_t esr_load_value(const struct esr_abort *a, uint64_t raw)
{
	unsigned bits = 8 * a->size;

	if (bits < 64) {
		raw &= (1ULL << bits) - 1;
		if (a->sse && (raw >> (bits - 1)) & 1)
			raw |= ~0ULL << bits;
	}
	return a->sf ? raw : raw & 0xffffffffULL;
}

const char *esr_ec_name(unsigned ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN:
		return "unknown/undefined instruction";
	case ESR_EC_WFX:
		return "WFI/WFE";
	case ESR_EC_HVC64:
		return "HVC";
	case ESR_EC_SMC64:
		return "SMC";
	case ESR_EC_SYSREG:
		return "system register access";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return "instruction abort";
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return "data abort";
	case ESR_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_EC_SP_ALIGN:
		return "SP alignment fault";
	case ESR_EC_SERROR:
		return "SError";
	case ESR_EC_BRK64:
		return "BRK";
	}
	return "other";
}

const char *esr_fsc_name(unsigned fsc)
{
	if (fsc == ESR_FSC_ALIGNMENT)
		return "alignment fault";
	switch (fsc & ESR_FSC_TYPE_MASK) {
	case ESR_FSC_ADDR_SIZE:
		return "address size fault";
	case ESR_FSC_TRANSLATION:
		return "translation fault";
	case ESR_FSC_ACCESS_FLAG:
		return "access flag fault";
	case ESR_FSC_PERMISSION:
		return "permission fault";
	case ESR_FSC_SEA:
		return "synchronous external abort";
	case ESR_FSC_SEA_WALK:
		return "synchronous external abort on a table walk";
	}
	return "other fault";
}
