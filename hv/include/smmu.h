/* SMMUv3 data structures (Arm IHI 0070): stream table entries, commands and event records,
 * encoded and decoded without touching the device, so unit tests can check every bit. */
#ifndef HV_SMMU_H
#define HV_SMMU_H
#include "types.h"

/* StreamIDs the driver's linear stream table holds: one PCI bus, or 256 platform streams */
#define SMMU_STRTAB_SIDS 256
#define SMMU_STE_DWORDS 8
#define SMMU_CMD_DWORDS 2
#define SMMU_EVT_DWORDS 4

/* A stage-2-only STE (Config 0b110) translating through a VMSAv8 4 KiB-granule table with
 * the same shape as the CPU's stage 2: ipa_bits input, level-1 start, ps_code output size. */
void smmu_ste_stage2(uint64_t ste[SMMU_STE_DWORDS], uint16_t vmid, paddr_t root,
		     unsigned ipa_bits, unsigned ps_code);
void smmu_cmd_cfgi_ste(uint64_t cmd[SMMU_CMD_DWORDS], uint32_t sid);
void smmu_cmd_cfgi_all(uint64_t cmd[SMMU_CMD_DWORDS]);
void smmu_cmd_tlbi_s12_vmall(uint64_t cmd[SMMU_CMD_DWORDS], uint16_t vmid);
void smmu_cmd_tlbi_s2_ipa(uint64_t cmd[SMMU_CMD_DWORDS], uint16_t vmid, paddr_t ipa);
void smmu_cmd_tlbi_nsnh_all(uint64_t cmd[SMMU_CMD_DWORDS]);
void smmu_cmd_sync(uint64_t cmd[SMMU_CMD_DWORDS]);

struct smmu_event {
	unsigned type;
	uint32_t sid;
	uint64_t input_addr;
	bool write;
};

void smmu_event_decode(const uint64_t ev[SMMU_EVT_DWORDS], struct smmu_event *out);
const char *smmu_event_name(unsigned type);

#endif
