/* Arm SMMUv3 (Arm IHI 0070), the hypervisor's driver: probe the ID registers, a linear
 * stream table whose entries start invalid (so unassigned StreamIDs abort and are reported
 * as C_BAD_STE), command and event queues, stage-2-only STEs that point at the owning
 * domain's p2m root with its VMID (one table, two walkers), TLB invalidation by VMID, and
 * event records decoded into log lines naming the domain and the device. It implements
 * arch.h's IOMMU steps; hv/core/boot.c decides when they run and where memory comes from. */
#include "arch.h"
#include "arm64.h"
#include "log.h"
#include "smmu.h"
#include "smmuv3.h"
#include "sysreg.h"
#include <format.h>
#include <string.h>

#define SMMU_IDR0 0x00
#define SMMU_IDR1 0x04
#define SMMU_IDR5 0x14
#define SMMU_CR0 0x20
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_GBPA 0x44
#define SMMU_GERROR 0x60
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_EVTQ_BASE 0xa0
#define SMMU_EVTQ_PROD 0x100a8 /* page 1 */
#define SMMU_EVTQ_CONS 0x100ac
#define IDR0_S2P (1U << 0)
#define IDR0_S1P (1U << 1)
#define CR0_SMMUEN (1U << 0)
#define CR0_EVTQEN (1U << 2)
#define CR0_CMDQEN (1U << 3)
#define BASE_RA (1ULL << 62)

#define STRTAB_LOG2 8 /* StreamIDs 0-255: one PCI bus (SMMU_STRTAB_SIDS) */
_Static_assert((1U << STRTAB_LOG2) == SMMU_STRTAB_SIDS, "stream table size");
#define CMDQ_LOG2 8
#define EVTQ_LOG2 7

static struct smmu {
	paddr_t base;
	uint64_t *strtab, *cmdq, *evtq;
	uint32_t cmd_prod, evt_cons;
	bool live;
	spinlock_t lock;
} smmu;

static uint32_t rd32(unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(smmu.base + off);
}

static void wr32(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(smmu.base + off) = v;
}

static void wr64(unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(smmu.base + off) = v;
}

/* SMMU_IDR0/1/5 (IHI 0070 6.3.1-6.3.6): stages, StreamID width, output address size. */
int arch_iommu_probe(const struct boot_device *dev, bool *stage2)
{
	static const unsigned oas_bits[] = {32, 36, 40, 42, 44, 48, 52, 52};
	uint32_t idr0, idr1, idr5;

	smmu.base = dev->base;
	idr0 = rd32(SMMU_IDR0);
	idr1 = rd32(SMMU_IDR1);
	idr5 = rd32(SMMU_IDR5);
	*stage2 = idr0 & IDR0_S2P;
	log_info("IOMMU: SMMUv3 %s at 0x%llx: stage 1 %s, stage 2 %s, %u-bit StreamIDs, %u-bit "
		 "output addresses", dev->path, (unsigned long long)dev->base,
		 idr0 & IDR0_S1P ? "yes" : "no", *stage2 ? "yes" : "no", idr1 & 0x3f,
		 oas_bits[idr5 & 7]);
	return 0;
}

static int update_cr0(uint32_t v)
{
	wr32(SMMU_CR0, v);
	for (unsigned i = 0; i < 1000000; i++)
		if (rd32(SMMU_CR0ACK) == v)
			return 0;
	return -XEN_EBUSY;
}

/* Queues hold 2^n entries; PROD/CONS carry a wrap bit just above the index. nr commands
 * (fewer than the queue holds, which is drained each time), then a CMD_SYNC if sync: one
 * doorbell, one wait. */
static int cmd_submit_n(const uint64_t (*cmds)[SMMU_CMD_DWORDS], unsigned nr, bool sync)
{
	uint64_t s[SMMU_CMD_DWORDS];
	uint32_t mask = (1U << CMDQ_LOG2) - 1;
	const uint64_t *cmd = cmds[0];
	int rc = 0;

	smmu_cmd_sync(s);
	spin_lock(&smmu.lock);
	for (unsigned n = 0; n < nr + (sync ? 1U : 0U); n++) {
		const uint64_t *c = n < nr ? cmds[n] : s;
		uint64_t *slot = smmu.cmdq + (smmu.cmd_prod & mask) * SMMU_CMD_DWORDS;

		slot[0] = c[0];
		slot[1] = c[1];
		smmu.cmd_prod = (smmu.cmd_prod + 1) & ((2U << CMDQ_LOG2) - 1);
	}
	dsb(ish);
	wr32(SMMU_CMDQ_PROD, smmu.cmd_prod);
	for (unsigned i = 0; i < 10000000; i++) {
		uint32_t cons = rd32(SMMU_CMDQ_CONS);

		if ((cons & ((2U << CMDQ_LOG2) - 1)) == smmu.cmd_prod)
			goto out;
		if ((cons >> 24) & 0x7f) {
			rc = -XEN_EINVAL;
			goto out;
		}
	}
	rc = -XEN_EBUSY;
out:
	spin_unlock(&smmu.lock);
	if (rc)
		log_err("SMMU: command 0x%llx not completed (GERROR 0x%x)",
			(unsigned long long)cmd[0], rd32(SMMU_GERROR));
	return rc;
}

static int cmd_submit(const uint64_t *cmd, bool sync)
{
	return cmd_submit_n((const uint64_t(*)[SMMU_CMD_DWORDS])cmd, 1, sync);
}

/* A queue or table of 2^log2 entries, zeroed (a zero STE is invalid: the stream aborts). */
static uint64_t *alloc_queue(arch_pages_fn alloc, const char *what, unsigned log2,
			     unsigned entry_bytes)
{
	unsigned pages = (unsigned)ALIGN_UP((1ULL << log2) * entry_bytes, PAGE_SIZE) >> PAGE_SHIFT;
	paddr_t p = alloc(what, pages);

	return p == INVALID_PADDR ? NULL : (uint64_t *)maddr_to_virt(p);
}

/* Who each StreamID was given to, for fault reports. */
static struct {
	domid_t owner;
	char dev[40];
} streams[SMMU_STRTAB_SIDS];

/* Brings the SMMU up with every StreamID invalid (abort, C_BAD_STE). */
int arch_iommu_init(const struct boot_device *dev, arch_pages_fn alloc)
{
	uint64_t cmd[SMMU_CMD_DWORDS];

	smmu.strtab = alloc_queue(alloc, "stream table", STRTAB_LOG2, SMMU_STE_DWORDS * 8);
	smmu.cmdq = alloc_queue(alloc, "command queue", CMDQ_LOG2, SMMU_CMD_DWORDS * 8);
	smmu.evtq = alloc_queue(alloc, "event queue", EVTQ_LOG2, SMMU_EVT_DWORDS * 8);
	if (!smmu.strtab || !smmu.cmdq || !smmu.evtq)
		return -XEN_ENOMEM;
	if (update_cr0(0)) {
		log_err("%s: the SMMU did not acknowledge being disabled (CR0ACK)", dev->path);
		return -XEN_EBUSY;
	}
	/* queues and tables: inner-shareable, write-back (CR1); invalid StreamIDs record */
	wr32(SMMU_CR1, (3U << 10) | (1U << 8) | (1U << 6) | (3U << 4) | (1U << 2) | 1U);
	wr32(SMMU_CR2, (1U << 1) | (1U << 2));
	wr64(SMMU_STRTAB_BASE, BASE_RA | (uint64_t)(uintptr_t)smmu.strtab);
	wr32(SMMU_STRTAB_BASE_CFG, STRTAB_LOG2); /* linear */
	wr64(SMMU_CMDQ_BASE, BASE_RA | (uint64_t)(uintptr_t)smmu.cmdq | CMDQ_LOG2);
	wr32(SMMU_CMDQ_PROD, 0);
	wr32(SMMU_CMDQ_CONS, 0);
	wr64(SMMU_EVTQ_BASE, BASE_RA | (uint64_t)(uintptr_t)smmu.evtq | EVTQ_LOG2);
	wr32(SMMU_EVTQ_PROD, 0);
	wr32(SMMU_EVTQ_CONS, 0);
	dsb(ish);
	if (update_cr0(CR0_CMDQEN)) {
		log_err("%s: the command queue did not come up (CR0ACK)", dev->path);
		return -XEN_EBUSY;
	}
	smmu_cmd_cfgi_all(cmd);
	if (cmd_submit(cmd, false))
		return -XEN_EBUSY;
	smmu_cmd_tlbi_nsnh_all(cmd);
	if (cmd_submit(cmd, true))
		return -XEN_EBUSY;
	if (update_cr0(CR0_CMDQEN | CR0_EVTQEN) ||
	    update_cr0(CR0_CMDQEN | CR0_EVTQEN | CR0_SMMUEN)) {
		log_err("%s: the SMMU did not enable translation (CR0ACK)", dev->path);
		return -XEN_EBUSY;
	}
	smmu.live = true;
	log_info("IOMMU: SMMUv3 %s translating: %u StreamIDs, all aborting until assigned",
		 dev->path, 1U << STRTAB_LOG2);
	return 0;
}

/* The device's DMA goes through d's stage 2: the same tables the CPU uses. */
int arch_iommu_attach(uint32_t sid, struct domain *d, const char *dev)
{
	uint64_t ste[SMMU_STE_DWORDS], cmd[SMMU_CMD_DWORDS];
	uint64_t *slot = smmu.strtab + sid * SMMU_STE_DWORDS;

	if (!smmu.live || sid >= (1U << STRTAB_LOG2))
		return -XEN_EINVAL;
	smmu_ste_stage2(ste, d->p2m.vmid, d->p2m.pt.root, P2M_IPA_BITS, 2 /* 40 bits */);
	/* dwords 1-7 first, dword 0 (V) last: the SMMU never sees a half-written entry */
	for (unsigned i = SMMU_STE_DWORDS; i-- > 0;) {
		__atomic_store_n(&slot[i], ste[i], __ATOMIC_RELEASE);
		if (i == 1)
			dsb(ish);
	}
	dsb(ish);
	smmu_cmd_cfgi_ste(cmd, sid);
	streams[sid].owner = d->id;
	snprintf(streams[sid].dev, sizeof(streams[sid].dev), "%s", dev);
	return cmd_submit(cmd, true);
}

void smmuv3_tlb_flush_vmid(uint16_t vmid)
{
	uint64_t cmd[SMMU_CMD_DWORDS];

	if (!smmu.live)
		return;
	smmu_cmd_tlbi_s12_vmall(cmd, vmid);
	cmd_submit(cmd, true);
}

/* One CMD_TLBI_S2_IPA per page, then one CMD_SYNC (IHI 0070 4.4.3; the STEs are
 * stage-2 only, so there are no stage-1 entries to drop). */
void smmuv3_tlb_flush_pages(uint16_t vmid, const paddr_t *ipa, unsigned nr)
{
	uint64_t cmds[SMMUV3_FLUSH_MAX_PAGES][SMMU_CMD_DWORDS];

	if (!smmu.live)
		return;
	if (nr > SMMUV3_FLUSH_MAX_PAGES) {
		smmuv3_tlb_flush_vmid(vmid);
		return;
	}
	for (unsigned i = 0; i < nr; i++)
		smmu_cmd_tlbi_s2_ipa(cmds[i], vmid, ipa[i]);
	cmd_submit_n((const uint64_t(*)[SMMU_CMD_DWORDS])cmds, nr, true);
}

static const char *device_of(uint32_t sid, char *buf, size_t len)
{
	if (sid < SMMU_STRTAB_SIDS && streams[sid].dev[0])
		snprintf(buf, len, "%s of d%u", streams[sid].dev, streams[sid].owner);
	else
		snprintf(buf, len, "StreamID 0x%x (unassigned)", sid);
	return buf;
}

static void log_event(const struct smmu_event *ev, unsigned count, uint64_t last)
{
	char who[64];

	if (count > 1)
		log_warn("SMMU: %s (0x%x) from %s: %s at 0x%llx-0x%llx (%u faults) - DMA aborted",
			 smmu_event_name(ev->type), ev->type, device_of(ev->sid, who, sizeof(who)),
			 ev->write ? "write" : "read", (unsigned long long)ev->input_addr,
			 (unsigned long long)last, count);
	else
		log_warn("SMMU: %s (0x%x) from %s: %s at 0x%llx - DMA aborted",
			 smmu_event_name(ev->type), ev->type, device_of(ev->sid, who, sizeof(who)),
			 ev->write ? "write" : "read", (unsigned long long)ev->input_addr);
}

/* Drains the event queue into the log; a run of faults of one kind from one device within
 * one page (a device retrying word by word) becomes one line with a count. */
void arch_iommu_poll(void)
{
	uint32_t mask = (1U << EVTQ_LOG2) - 1, wrap = (2U << EVTQ_LOG2) - 1;
	struct smmu_event first = {0}, ev;
	unsigned count = 0;
	uint64_t last = 0;

	if (!smmu.live)
		return;
	spin_lock(&smmu.lock);
	for (uint32_t prod = rd32(SMMU_EVTQ_PROD) & wrap; smmu.evt_cons != prod;) {
		smmu_event_decode(smmu.evtq + (smmu.evt_cons & mask) * SMMU_EVT_DWORDS, &ev);
		smmu.evt_cons = (smmu.evt_cons + 1) & wrap;
		wr32(SMMU_EVTQ_CONS, smmu.evt_cons);
		if (count && ev.type == first.type && ev.sid == first.sid &&
		    ev.write == first.write &&
		    (ev.input_addr >> PAGE_SHIFT) == (first.input_addr >> PAGE_SHIFT)) {
			count++;
			last = ev.input_addr;
			continue;
		}
		if (count)
			log_event(&first, count, last);
		first = ev;
		last = ev.input_addr;
		count = 1;
	}
	if (count)
		log_event(&first, count, last);
	spin_unlock(&smmu.lock);
}
