/* A domain's RAM is zeroed before the domain can read it, so it never sees a previous
 * boot's data or another domain's. The scrub walks the domain's stage 2 (every memory mode
 * alike: a 1:1 bank is a few blocks, a coloured one a page per leaf) and runs on the CPU
 * that enters the domain, right before it does: domains scrub in parallel, and dom0 does not
 * wait for a domU's GiB. Its stage 2 is not yet used by any CPU then (the vCPU has not run;
 * its other vCPUs start only when it asks), and what one CPU writes with its caches on is
 * coherent for the others (inner shareable); arch_zero_ram also writes it to the point of
 * coherency for guests that read with their MMU off. The pages the loader filled (kernel,
 * DT, ramdisk) are skipped: it wrote them whole, zeroing what the images leave. */
#include "arch.h"
#include "boot_profile.h"
#include "domain_scrub.h"
#include "log.h"

#define MAX_SKIPS 4
#define CHUNK_BYTES SZ_2M

struct skip {
	paddr_t gpa;
	uint64_t size;
};

static struct {
	struct skip skip[MAX_SKIPS];
	unsigned nr_skips;
	bool done;
	uint64_t bytes;
} scrub_state[MAX_DOMAINS];

void domain_scrub_init(const struct domain *d)
{
	scrub_state[d->id].nr_skips = 0;
	scrub_state[d->id].done = false;
	scrub_state[d->id].bytes = 0;
}

void domain_scrub_skip(const struct domain *d, paddr_t gpa, uint64_t size)
{
	unsigned *n = &scrub_state[d->id].nr_skips;

	if (!IS_ALIGNED(gpa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || *n == MAX_SKIPS)
		panic("d%u: scrub skip 0x%llx+0x%llx: not whole pages, or too many", d->id,
		      (unsigned long long)gpa, (unsigned long long)size);
	scrub_state[d->id].skip[(*n)++] = (struct skip){gpa, size};
}

/* The skipped range that starts lowest among those overlapping [at, end), or NULL. */
static const struct skip *first_skip(unsigned id, uint64_t at, uint64_t end)
{
	const struct skip *best = NULL;

	for (unsigned i = 0; i < scrub_state[id].nr_skips; i++) {
		const struct skip *s = &scrub_state[id].skip[i];

		if (ranges_overlap(s->gpa, s->size, at, end - at) && (!best || s->gpa < best->gpa))
			best = s;
	}
	return best;
}

/* The vCPU the boot CPU enters (dom0's): until it runs, the other CPUs yield. */
static const struct vcpu *boot_vcpu;

void domain_scrub_boot_vcpu(const struct vcpu *v)
{
	boot_vcpu = v;
}

static bool boot_vcpu_running(void)
{
	return !boot_vcpu || __atomic_load_n(&boot_vcpu->power, __ATOMIC_ACQUIRE) == VCPU_ON;
}

/* In 2 MiB chunks; between them a CPU other than the boot CPU yields until dom0 runs:
 * dom0's CPU is the one the machine waits for, and an emulator that runs CPUs in turn
 * (QEMU's -icount) would otherwise let a domU's GiB run first. Not after: dom0 may then be
 * spinning, waiting for this very domain. On hardware all scrub at once either way. */
static void zero(unsigned id, paddr_t ma, uint64_t size)
{
	while (size) {
		uint64_t n = MIN(size, CHUNK_BYTES - (ma & (CHUNK_BYTES - 1)));

		arch_zero_ram(ma, n);
		scrub_state[id].bytes += n;
		ma += n;
		size -= n;
		if (arch_cpu_id() != 0 && !boot_vcpu_running())
			arch_cpu_yield();
	}
}

/* A whole 2 MiB block nothing was loaded into is held (p2m.h): zeroed when first used,
 * and at the latest before the domain's first device access. What a fault would zero at
 * once stays small that way; 4 KiB leaves (a coloured domain's) and partly loaded blocks
 * are zeroed now, as are 1 GiB blocks, which one fault should not have to zero. */
static int scrub_leaf(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
		      unsigned level)
{
	struct domain *d = arg;
	uint64_t at = gpa, end = gpa + size;

	if (p2m_desc_type(desc) != P2M_RAM)
		return 0;
	if (level == 2 && !first_skip(d->id, gpa, end)) {
		if (p2m_hold(&d->p2m, gpa))
			panic("d%u: RAM at 0x%llx cannot be held", d->id, (unsigned long long)gpa);
		return 0;
	}
	while (at < end) {
		const struct skip *s = first_skip(d->id, at, end);
		uint64_t upto = s ? MAX(s->gpa, at) : end;

		zero(d->id, ma + (at - gpa), upto - at);
		at = s ? MIN(s->gpa + s->size, end) : end;
	}
	return 0;
}

void domain_scrub_log_released(const struct domain *d, const char *cause, uint64_t zeroed)
{
	if (zeroed)
		log_info("d%u: %s: the %llu MiB of its RAM not yet used zeroed first, then its "
			 "devices released", d->id, cause, (unsigned long long)(zeroed >> 20));
	else
		log_info("d%u: %s: its RAM all zeroed already, its devices released", d->id,
			 cause);
}

void domain_scrub(struct domain *d)
{
	uint64_t t = boot_profile_now();

	if (scrub_state[d->id].done)
		return;
	scrub_state[d->id].done = true;
	pt_walk(&d->p2m.pt, scrub_leaf, d);
	if (d->p2m.held_bytes)
		p2m_hold_devices(&d->p2m);
	t = boot_profile_now() - t;
	log_debug("boot profile: d%u RAM scrub on pCPU %u: %llu MiB in %llu.%llu us, %llu MiB "
		  "when first used; done at %llu us after power-on", d->id, arch_cpu_id(),
		  (unsigned long long)(scrub_state[d->id].bytes >> 20),
		  (unsigned long long)(t / 1000), (unsigned long long)(t % 1000 / 100),
		  (unsigned long long)(d->p2m.held_bytes >> 20),
		  (unsigned long long)(boot_profile_now() / 1000));
}
