/* libguest: a bare-metal EL1 runtime for mapvisor's test guests, speaking the Xen ABI the way
 * Linux does. A program defines guest_main(); the runtime parses the DT, prints through
 * console_io and shuts the domain down when guest_main returns. */
#ifndef LIBGUEST_H
#define LIBGUEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/hvm.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

/* hypercall.S */
long xen_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);
uint64_t psci_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t psci_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void hvc_other_imm(void);
/* "hvc #0xEA1" with x0-x30 from x[] (the number in x[16]), and all of them stored back. */
void xen_hypercall_regs(uint64_t x[31]);
/* hypercall_regs.c: hypercall nr(a0, a1) with a distinct value in every other register;
 * returns a bit (1 << n) per register xn, n = 1..30, that it changed, and x0 in *ret. */
uint32_t xen_hypercall_changed(uint64_t nr, uint64_t a0, uint64_t a1, long *ret);
extern char guest_secondary_entry[];

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return xen_hypercall(__HYPERVISOR_xen_version, (uint64_t)cmd, (uintptr_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_console_io(int cmd, unsigned count, const void *buf)
{
	return xen_hypercall(__HYPERVISOR_console_io, (uint64_t)cmd, count, (uintptr_t)buf, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return xen_hypercall(__HYPERVISOR_sched_op, (uint64_t)cmd, (uintptr_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned cmd, void *arg)
{
	return xen_hypercall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_grant_table_op(unsigned cmd, void *uop, unsigned count)
{
	return xen_hypercall(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)uop, count, 0, 0);
}

static inline long HYPERVISOR_event_channel_op(unsigned cmd, void *arg)
{
	return xen_hypercall(__HYPERVISOR_event_channel_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
	return xen_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg, 0, 0);
}

static inline long HYPERVISOR_hvm_op(unsigned cmd, void *arg)
{
	return xen_hypercall(__HYPERVISOR_hvm_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

static inline long HYPERVISOR_platform_op(void *op)
{
	return xen_hypercall(__HYPERVISOR_platform_op, (uintptr_t)op, 0, 0, 0, 0);
}

static inline long HYPERVISOR_vm_assist(unsigned cmd, unsigned type)
{
	return xen_hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

/* The disks the test runner writes (tests/system/run.py: disk_pattern): in each 512-byte
 * sector, its number as le64, then (sector * 31 + offset * 7 + 5) mod 256. */
static inline uint8_t disk_pattern_byte(uint64_t sector, unsigned offset)
{
	return offset < 8 ? (uint8_t)(sector >> (8 * offset))
			  : (uint8_t)(sector * 31 + offset * 7 + 5);
}

/* console.c */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void guest_shutdown(unsigned reason);

/* features.c: what the hypervisor told this domain (XENVER_get_features submap 0) */
struct xen_features {
	bool xen;         /* the probe worked: we run on a Xen-ABI hypervisor */
	uint32_t submap;
};
extern struct xen_features xen_features;
void features_probe(void);
static inline bool xen_feature(unsigned bit)
{
	return bit < 32 && (xen_features.submap & (1U << bit));
}
static inline bool xen_initial_domain(void)
{
	return xen_feature(XENFEAT_dom0);
}
/* Linux 6.1 include/xen/arm/swiotlb-xen.h: xen_swiotlb_detect() */
bool xen_swiotlb_detect(void);

/* fdt.c: a minimal read-only DT reader that only does byte loads (the MMU is off here). */
int fdt_node(const void *fdt, const char *path);
const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
uint64_t fdt_be(const void *p, int bytes);
int fdt_find_compatible(const void *fdt, const char *compat);
int fdt_next_compatible(const void *fdt, int after, const char *compat);
int fdt_count_prop(const void *fdt, const char *name);
extern const void *guest_fdt;

/* bootargs.c: "key=value" options from /chosen/bootargs */
const char *bootarg(const char *key);
bool bootarg_is(const char *key, const char *value);
uint64_t bootarg_u64(const char *key, uint64_t dflt);

/* test.c: the harness. Lines "PASS name" / "FAIL name: why"; the runner reads them. */
void test_pass(const char *name);
void test_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool test_expect_eq(const char *name, int64_t got, int64_t want);
/* Prints "RESULT: N passed, M failed" and shuts down (poweroff, or crash if any failed). */
_Noreturn void test_finish(void);

/* exceptions: a test may expect exactly one synchronous exception (e.g. an UNDEF) raised
 * inside a leaf assembly helper; execution resumes at the helper's return address. */
void expect_exception(void);
bool exception_seen(uint64_t *esr, uint64_t *elr);
/* FAR_EL1 of the exception exception_seen() last reported. */
uint64_t exception_far(void);
/* mmio_probe.S: leaf loads for tests that expect an abort (ELR is the load itself). */
uint64_t probe_ldr32(uint64_t addr); /* ldr w0, [x0]: a valid syndrome */
uint64_t probe_ldp(uint64_t addr);   /* ldp x0, x1, [x0]: no valid syndrome (ISV=0) */

/* gic.c: a GICv3 driver through the DT's "arm,gic-v3" node and the ICC system registers. */
typedef void (*irq_handler_fn)(unsigned intid);
int gic_init_cpu(void); /* this vCPU's redistributor and CPU interface; 0 or -1 */
void gic_enable(unsigned intid, uint8_t priority, irq_handler_fn fn);
void gic_send_sgi(unsigned intid, unsigned target_vcpu);
static inline void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irqs_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
void gic_handle_irq(void);
/* Sleeps until an interrupt unless cond already holds, without losing an interrupt that
 * arrives between the test and the sleep: both run with IRQs masked (WFI still wakes on a
 * pending one), which is then taken. */
#define wfi_unless(cond)                                                                           \
	do {                                                                                       \
		irqs_off();                                                                        \
		if (!(cond))                                                                       \
			__asm__ volatile("wfi" ::: "memory");                                      \
		irqs_on();                                                                         \
	} while (0)

/* dma.c: the DMA layer (direct / translate paths, bounce pool, counters). */
enum dma_path { DMA_DIRECT, DMA_TRANSLATE };
struct dma_dev {
	enum dma_path path;
	const char *why;
	uint64_t mask;
};
struct dma_stats {
	uint64_t maps_direct, maps_translate, bytes_mapped, bytes_bounced;
};
#define DMA_MAP_ERROR (~0ULL)
extern struct dma_stats dma_stats;
void dma_dev_init(struct dma_dev *dev, int node, uint64_t mask);
uint64_t dma_map(struct dma_dev *dev, void *buf, size_t len, bool to_device);
void dma_unmap(struct dma_dev *dev, uint64_t bus, void *buf, size_t len, bool from_device);
void dma_register_foreign(uint64_t gpa, uint64_t dev_bus_addr);
void dma_forget_foreign(uint64_t gpa); /* after unmapping it */
const char *dma_path_name(enum dma_path p);

/* edu.c: QEMU's edu PCI DMA engine, as the hypervisor describes it in the DT. */
#define EDU_BUFFER 0x40000ULL
struct edu {
	uint64_t bar0;
	bool protected_;
	int node;
	int spi; /* its INTx, a GIC SPI, from the DT; -1 if none is described */
	bool use_irq; /* edu_dma waits for the completion interrupt instead of polling */
};
int edu_find(struct edu *e);
int edu_use_irq(struct edu *e); /* 0, or -1: no interrupt described, or no GIC */
unsigned edu_irq_count(void);
int edu_dma(const struct edu *e, uint64_t src, uint64_t dst, uint64_t count, bool to_ram);

/* xen_pv.c: grant table, shared_info, event channels (vCPU 0 takes the upcall). */
struct xen_pv {
	uint64_t gnttab_gpa, ext_gpa, ext_size; /* /hypervisor reg: grant window, extended region */
	unsigned upcall_ppi;
	domid_t domid;
	struct grant_entry_v1 *gnttab;
	struct shared_info *shared;
	struct vcpu_info *vcpu_info; /* vCPU 0's, registered (VCPUOP_register_vcpu_info) */
};
extern struct xen_pv xen_pv;
int xen_pv_init(void); /* 0, or -1 if the DT or a hypercall says no */
/* The grant table alone (a granter that needs nothing else): 0, or -1. */
int gnttab_setup(void);
void gnttab_grant_access(grant_ref_t ref, domid_t domid, uint64_t gfn, bool readonly);
bool gnttab_end_access(grant_ref_t ref); /* false while the grant is mapped */
int16_t gnttab_map(domid_t dom, grant_ref_t ref, uint64_t host_addr, bool readonly,
		   grant_handle_t *handle, uint64_t *dev_bus_addr);
int16_t gnttab_unmap(uint64_t host_addr, grant_handle_t handle);
long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
long evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *port);
long evtchn_send(evtchn_port_t port);
bool evtchn_wait(evtchn_port_t port, uint64_t timeout_ms);
uint64_t evtchn_upcalls(void);

/* The frontend/backend protocol of the pv test (a ring in a page the frontend grants). */
#define PV_RING_REF 8 /* the ring's grant ref; the buffer's is PV_BUF_REF */
#define PV_BUF_REF 9
#define PV_MAGIC 0x5650564dU /* "MVPV" */
enum pv_op { PV_OP_DMA_WRITE = 1, PV_OP_RELEASE = 2 };
struct pv_ring {
	uint32_t magic;
	volatile uint32_t req_prod, rsp_prod;
	uint32_t pad;
	struct {
		uint32_t op, ref, len, seed;
	} req[4];
	struct {
		int32_t status;
		uint32_t pad;
		uint64_t bus; /* the bus address the backend gave the device */
	} rsp[4];
};
/* make compare-xen's granter (guest/progs/grantpeer.c): the page it grants dom0 */
#define GRANTPEER_REF 8
#define GRANTPEER_SEED 0x5a
static inline uint8_t pv_pattern(uint32_t seed, unsigned i)
{
	return (uint8_t)(seed * 13 + i * 7 + (i >> 8));
}

/* virtio_blk.c: virtio-blk on a virtio-mmio (version 2) transport, polled, through the DMA
 * layer. */
struct virtio_blk {
	uint64_t base, capacity, ring_bus, bytes_read;
	struct dma_dev dev;
	bool protected_;
	int node;
	int spi;		/* the completion interrupt in use, or -1: polled */
	volatile unsigned irqs; /* completion interrupts taken */
};
const char *virtio_blk_init(struct virtio_blk *b); /* NULL, or why not */
int virtio_blk_use_irq(struct virtio_blk *b);	   /* 0, or -1: no SPI in the DT */
int virtio_blk_read(struct virtio_blk *b, uint64_t sector, void *buf, uint32_t nr_sectors,
		    const char **why);

/* CNTPCT_EL0 at the image's first instruction (start.S). */
extern uint64_t guest_entry_counter;

static inline uint64_t read_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* What the guest program provides. */
void guest_main(void);
void guest_secondary(uint64_t cpu);

#endif
