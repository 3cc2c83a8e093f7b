/* Domains and their vCPUs. Static partitioning: every domain is built at boot, each vCPU is
 * pinned to its own physical CPU, nothing is created afterwards. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H
#include "colour.h"
#include "dma_decl.h"
#include "event.h"
#include "features.h"
#include "grant.h"
#include "p2m.h"
#include "reservation.h"
#include "runstate.h"
#include "spinlock.h"
#include "vgic.h"
#include <xen/hvm.h>
#include "vmmio.h"
#include "vpl011.h"
#include "guest_abort.h"
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

enum mem_mode {
	MEM_DIRECT_MAPPED, /* every RAM GFN == MFN */
	MEM_TRANSLATED,    /* RAM at a fixed guest base, frames from anywhere */
	MEM_COLOURED,      /* RAM at a fixed guest base, frames of the domain's colours only */
};

/* Xen's guest layout (xen/include/public/arch-arm.h) for domains that are not 1:1. */
#define GUEST_RAM0_BASE 0x40000000ULL
#define GUEST_RAM0_SIZE 0xc0000000ULL
#define GUEST_GICD_BASE 0x03001000ULL
#define GUEST_GICR_BASE 0x03020000ULL
#define GUEST_GNTTAB_BASE 0x38000000ULL
#define GUEST_GNTTAB_SIZE 0x01000000ULL
/* The extended region each domain's /hypervisor node offers for foreign mappings: 1 GiB of
 * guest-physical space above the host's RAM and the domain's own (domain_build.c). */
#define EXT_REGION_SIZE 0x40000000ULL

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_CRASHED };

/* VCPU_CLAIMED: a CPU_ON has won the vCPU and is writing its entry point; only the
 * move to VCPU_ON_PENDING publishes it, so a racing CPU_ON can neither overwrite it nor
 * start the vCPU with half of it. */
enum vcpu_power { VCPU_OFF, VCPU_CLAIMED, VCPU_ON_PENDING, VCPU_ON };

/* The vCPU's last guest RAM translation (guest_access.c): a hypercall reads its argument
 * and writes its result in the same page, and the next one mostly uses that page again.
 * Valid while the p2m has changed no RAM entry since (p2m->ram_gen). */
struct guest_ram_cache {
	bool valid, writable;
	gfn_t gfn;
	mfn_t mfn;
	uint64_t gen;
};

struct vcpu {
	struct domain *d;
	unsigned id;
	unsigned pcpu;
	uint64_t vmpidr;   /* what the guest reads as MPIDR_EL1 */
	int power;         /* enum vcpu_power, changed atomically */
	bool off_requested;/* this vCPU called PSCI CPU_OFF: only its own pCPU touches this */
	uint64_t entry;    /* first instruction, x0 at entry: set by boot or PSCI CPU_ON */
	uint64_t context;
	struct vgic_cpu vgic;
	paddr_t vcpu_info_ma;		/* VCPUOP_register_vcpu_info, or 0 */
	struct vcpu_info own_vcpu_info; /* until then, for vCPUs past the legacy slot */
	struct vcpu_runstate runstate;
	struct guest_ram_cache ram_cache;
};

struct ram_bank {
	paddr_t gpa;
	paddr_t maddr;
	uint64_t size;
};

struct domain {
	domid_t id;
	bool hardware;          /* dom0: XENFEAT_dom0, privileged version sub-ops */
	bool xen_node;          /* told it runs on Xen: a /hypervisor node in its DT */
	enum mem_mode mode;
	struct p2m p2m;
	struct ram_bank ram[MAX_DOMAIN_BANKS];
	unsigned nr_ram;
	unsigned nr_vcpus;
	struct vcpu vcpu[MAX_VCPUS];
	int state;              /* enum domain_state */
	bool stopping;          /* domain_shutdown has begun (state follows its log line) */
	unsigned shutdown_reason;
	enum features_mode features;
	unsigned vm_assist;        /* VMASST_TYPE_* bits the guest enabled */
	uint64_t hvm_params[HVM_NR_PARAMS];
	struct parked_frames parked; /* XENMEM_decrease_reservation */
	uint32_t enosys[16];       /* (hypercall << 16 | sub-op) already logged as -ENOSYS */
	unsigned nr_enosys;
	struct colour_set colours; /* MEM_COLOURED */
	struct vgic_dist vgic;
	struct vmmio vmmio;	    /* emulated MMIO ranges: the vGIC's */
	struct abort_log abort_log; /* aborts injected so far, for the log's rate limit */
	char name[96];             /* "dom0" or the DT node, for messages */
	xen_domain_handle_t handle;
	paddr_t entry, dtb_gpa;
	paddr_t initrd_gpa;        /* linux,initrd-start, when initrd_size != 0 */
	uint64_t initrd_size;
	struct grant_table grant;
	struct dma_decl dma_decl; /* the guest's word: no 1:1 alias needed */
	struct evtchn_table evtchn;
	paddr_t ext_region;        /* the /hypervisor node's windows (domain_build.c) */
	paddr_t gnttab_gpa;
	paddr_t shared_info_ma;
	gfn_t shared_info_gfn; /* where the domain mapped it, or INVALID_GFN */
	/* console_io output is collected per line so domains' lines do not interleave */
	char con_line[128];
	unsigned con_len;
	spinlock_t con_lock;
	struct vpl011 vpl011; /* enabled by Xen's vpl011 property (domUs) */
};

extern struct domain *domains[MAX_DOMAINS];
extern unsigned nr_domains;

struct domain *domain_by_id(domid_t id);
/* Stops a domain (SCHEDOP_shutdown, PSCI SYSTEM_OFF, or a fault it caused), logs why, and
 * powers the machine off when it was the last one running. */
void domain_shutdown(struct domain *d, unsigned reason, const char *why);
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Inline: every trap's way back into the guest asks it. A domain starts running and only
 * ever stops, so only "stopped" needs the acquire (a plain load and, when it has stopped, a
 * fence: the same ordering as an acquire load, one instruction less on the trap path). */
static inline bool domain_is_running(const struct domain *d)
{
	if (__atomic_load_n(&d->state, __ATOMIC_RELAXED) == DOMAIN_RUNNING)
		return true;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return false;
}
/* Exit status once every domain has stopped: 0 all powered off, 1 if any crashed. */
int domains_exit_status(void);
/* Guest-physical to machine for the domain's RAM via its p2m. */
int domain_gpa_to_maddr(struct domain *d, paddr_t gpa, paddr_t *maddr);
/* Copies into the domain's RAM at gpa and writes it to the point of coherency (boot-time
 * loading of kernels and DTBs). */
int domain_copy_to_gpa(struct domain *d, paddr_t gpa, const void *src, uint64_t len);

#endif
