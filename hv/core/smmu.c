/* SMMUv3 stream table entries, commands and event records (Arm IHI 0070 chapters 5, 4 and
 * 7), as bits. The driver (hv/drivers/smmuv3.c) only moves them to and from the device. */
#include "smmu.h"
#include <string.h>

/* STE (5.2): dword 0 V[0] Config[3:1]; dword 2 S2VMID[15:0] S2T0SZ[37:32] S2SL0[39:38]
 * S2IR0[41:40] S2OR0[43:42] S2SH0[45:44] S2TG[47:46] S2PS[50:48] S2AA64[51] S2R[58];
 * dword 3 S2TTB[51:4]. */
void smmu_ste_stage2(uint64_t ste[SMMU_STE_DWORDS], uint16_t vmid, paddr_t root,
		     unsigned ipa_bits, unsigned ps_code)
{
	memset(ste, 0, SMMU_STE_DWORDS * sizeof(uint64_t));
	ste[0] = 1 | (6ULL << 1); /* valid, stage 1 bypass, stage 2 translate */
	ste[2] = vmid | ((uint64_t)(64 - ipa_bits) << 32) | (1ULL << 38) /* SL0: level 1 */ |
		 (1ULL << 40) | (1ULL << 42) /* write-back walks */ | (3ULL << 44) /* ISH */ |
		 (0ULL << 46) /* 4 KiB */ | ((uint64_t)(ps_code & 7) << 48) | (1ULL << 51) |
		 (1ULL << 58) /* record faults */;
	/* S2AFFD (53) and S2HA (56) stay clear: an access flag of 0 faults, as held memory
	 * needs (p2m.h); hardware never sets it behind the hypervisor's back */
	ste[3] = root & 0x000ffffffffffff0ULL;
}

/* Commands (4.1): opcode in dword 0 [7:0]. */
void smmu_cmd_cfgi_ste(uint64_t cmd[SMMU_CMD_DWORDS], uint32_t sid)
{
	cmd[0] = 0x03 | ((uint64_t)sid << 32);
	cmd[1] = 1; /* leaf */
}

void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_DWORDS])
{
	cmd[0] = 0x04; /* CFGI_STE_RANGE */
	cmd[1] = 31;   /* Range: all StreamIDs */
}

void smmu_cmd_tlbi_s12_vmall(uint64_t cmd[SMMU_CMD_DWORDS], uint16_t vmid)
{
	cmd[0] = 0x28 | ((uint64_t)vmid << 32);
	cmd[1] = 0;
}

/* CMD_TLBI_S2_IPA (4.4.3): dword 0 VMID[47:32]; dword 1 Leaf[0] = 0 (walk caches too:
 * the change may have freed a table), TTL[9:8] = 0 and TG[11:10] = 0 (no range, no level
 * hint: one address), Address[51:12]. */
void smmu_cmd_tlbi_s2_ipa(uint64_t cmd[SMMU_CMD_DWORDS], uint16_t vmid, paddr_t ipa)
{
	cmd[0] = 0x2a | ((uint64_t)vmid << 32);
	cmd[1] = ipa & 0x000ffffffffff000ULL;
}

void smmu_cmd_tlbi_nsnh_all(uint64_t cmd[SMMU_CMD_DWORDS])
{
	cmd[0] = 0x30;
	cmd[1] = 0;
}

void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_DWORDS])
{
	cmd[0] = 0x46; /* CS = 0: completion is CMDQ_CONS moving past it */
	cmd[1] = 0;
}

/* Event record (7.3): dword 0 EventType[7:0] StreamID[63:32]; dword 1 RnW[35];
 * dword 2 InputAddr. */
void smmu_event_decode(const uint64_t ev[SMMU_EVT_DWORDS], struct smmu_event *out)
{
	out->type = (unsigned)(ev[0] & 0xff);
	out->sid = (uint32_t)(ev[0] >> 32);
	out->write = !((ev[1] >> 35) & 1);
	out->input_addr = ev[2];
}

const char *smmu_event_name(unsigned type)
{
	switch (type) {
	case 0x01: return "F_UUT";
	case 0x02: return "C_BAD_STREAMID";
	case 0x03: return "F_STE_FETCH";
	case 0x04: return "C_BAD_STE";
	case 0x06: return "F_STREAM_DISABLED";
	case 0x07: return "F_TRANSL_FORBIDDEN";
	case 0x0b: return "F_WALK_EABT";
	case 0x10: return "F_TRANSLATION";
	case 0x11: return "F_ADDR_SIZE";
	case 0x12: return "F_ACCESS";
	case 0x13: return "F_PERMISSION";
	case 0x20: return "F_TLB_CONFLICT";
	case 0x21: return "F_CFG_CONFLICT";
	}
	return "unknown event";
}
