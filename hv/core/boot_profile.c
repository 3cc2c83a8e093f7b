/* The boot profile: the boot CPU times each phase (DT parsing, frame allocator, PCI, SMMU,
 * and per domain its RAM, stage 2, DT writer and image copies) and prints them together
 * once everything is built; the CPUs that scrub domains' RAM print their own line when they
 * are done (domain_scrub.c), since they finish after the boot CPU's summary. */
#include "arch.h"
#include "boot_profile.h"
#include "log.h"

#define MAX_PHASES 64

struct phase {
	const char *what;
	int domid;
	uint64_t ns;
};

/* Written only by the boot CPU before any other CPU runs. */
static struct phase phases[MAX_PHASES];
static unsigned nr_phases, nr_dropped;

uint64_t boot_profile_now(void)
{
	return arch_now_ns();
}

void boot_profile_add(int domid, const char *what, uint64_t start_ns)
{
	uint64_t now = arch_now_ns();

	if (nr_phases == MAX_PHASES) {
		nr_dropped++;
		return;
	}
	phases[nr_phases++] = (struct phase){what, domid, now > start_ns ? now - start_ns : 0};
}

void boot_profile_log(void)
{
	for (unsigned i = 0; i < nr_phases; i++) {
		const struct phase *p = &phases[i];
		unsigned long long us = p->ns / 1000, frac = p->ns % 1000 / 100;

		if (p->domid == BOOT_PROFILE_HV)
			log_debug("boot profile: %s: %llu.%llu us", p->what, us, frac);
		else
			log_debug("boot profile: d%d %s: %llu.%llu us", p->domid, p->what, us, frac);
	}
	if (nr_dropped)
		log_debug("boot profile: %u more phase(s) not recorded (the table holds %u)",
			  nr_dropped, MAX_PHASES);
	log_debug("boot profile: everything built at %llu us after power-on",
		  (unsigned long long)(arch_now_ns() / 1000));
	boot_profile_reset();
}

void boot_profile_reset(void)
{
	nr_phases = nr_dropped = 0;
}
