/* Boot-time construction of domains, in order: configuration, static memory and device
 * claims for all, then per domain its RAM (domain_ram.c), devices, hypervisor pages, vCPUs,
 * vGIC, kernel and device tree (image.c); the isolation audit (isolation.c) last. Any
 * failure stops the boot with a message; nothing is left half-built. */
#include "arch.h"
#include "assign.h"
#include "boot_profile.h"
#include "domain_build.h"
#include "hvm.h"
#include "domain_cfg.h"
#include "domain_ram.h"
#include "domain_scrub.h"
#include "image.h"
#include "isolation.h"
#include "log.h"
#include "vpci.h"
#include <format.h>
#include <string.h>

static void log_features(const struct domain *d)
{
	uint32_t map = features_submap0(d->hardware, p2m_is_direct_mapped(&d->p2m), d->features);
	char names[200];
	int n = 0;

	names[0] = '\0';
	for (unsigned b = 0; b < 32; b++)
		if (map & (1U << b))
			n += snprintf(names + n, sizeof(names) - (size_t)n, " %s",
				      features_bit_name(b));
	log_info("d%u: XENFEAT submap 0x%x:%s (features=%s)", d->id, map, names,
		 features_mode_name(d->features));
}

int domain_xen_pages_init(struct domain *d, const struct pt_alloc *alloc)
{
	d->shared_info_ma = alloc->alloc_table(alloc->ctx, 1);
	if (d->shared_info_ma == INVALID_PADDR)
		return -XEN_ENOMEM;
	memset(maddr_to_virt(d->shared_info_ma), 0, PAGE_SIZE);
	d->shared_info_gfn = INVALID_GFN;
	evtchn_init(&d->evtchn);
	return grant_table_init(&d->grant, alloc);
}

static struct domain domain_storage[MAX_DOMAINS];
static struct colour_set xen_colours;

/* Free guest-physical space for foreign mappings: above the host's RAM (so never a machine
 * address a 1:1 domain's device might use) and above the domain's own RAM. */
static paddr_t ext_region(const struct bootinfo *bi, const struct domain *d)
{
	paddr_t hi = 0;

	for (unsigned i = 0; i < bi->nr_ram; i++)
		hi = MAX(hi, bi->ram[i].start + bi->ram[i].size);
	for (unsigned i = 0; i < d->nr_ram; i++)
		hi = MAX(hi, d->ram[i].gpa + d->ram[i].size);
	return ALIGN_UP(hi, SZ_1G);
}

struct range_probe {
	struct mem_range r[2];
	paddr_t end; /* of the higher one */
};

#define PROBE_PAST 1 /* the walk is past both ranges: no later leaf can overlap them */

static int overlaps_range(void *arg, uint64_t gpa, paddr_t ma, uint64_t size, uint64_t desc,
			  unsigned level)
{
	const struct range_probe *p = arg;

	(void)ma, (void)desc, (void)level;
	if (gpa >= p->end)
		return PROBE_PAST;
	for (unsigned i = 0; i < ARRAY_SIZE(p->r); i++)
		if (ranges_overlap(gpa, size, p->r[i].start, p->r[i].size))
			return -XEN_EEXIST;
	return 0;
}

/* One walk over the mapped leaves in address order, for both ranges at once, up to the end
 * of the higher (dom0's map goes on with the host's PCI windows, 512 1 GiB leaves on QEMU
 * virt), not a lookup per page. */
static bool gpa_ranges_free(struct domain *d, paddr_t gpa0, uint64_t size0, paddr_t gpa1,
			    uint64_t size1)
{
	struct range_probe p = {{{gpa0, size0}, {gpa1, size1}}, MAX(gpa0 + size0, gpa1 + size1)};
	int rc;

	if ((gpa0 + size0) >> P2M_IPA_BITS || (gpa1 + size1) >> P2M_IPA_BITS)
		return false;
	rc = pt_walk(&d->p2m.pt, overlaps_range, &p);
	return rc == 0 || rc == PROBE_PAST;
}

/* The /hypervisor node's windows, in free space of the domain's own map: a domU's grant
 * table where Xen puts it (GUEST_GNTTAB_BASE, so a guest may rely on Xen's layout), dom0's
 * after its extended region (dom0's map is the host's, and QEMU's PCIe window covers Xen's
 * domU address). */
static int place_xen_windows(const struct bootinfo *bi, struct domain *d)
{
	d->ext_region = ext_region(bi, d);
	d->gnttab_gpa = d->hardware ? d->ext_region + EXT_REGION_SIZE : GUEST_GNTTAB_BASE;
	if (gpa_ranges_free(d, d->gnttab_gpa, GUEST_GNTTAB_SIZE, d->ext_region, EXT_REGION_SIZE))
		return 0;
	log_err("%s: no free guest-physical space for its grant table at 0x%llx and extended "
		"region at 0x%llx: a device or RAM is mapped there", d->name,
		(unsigned long long)d->gnttab_gpa, (unsigned long long)d->ext_region);
	return -XEN_EINVAL;
}

/* Whether a domU was told it runs on Xen (xen,enhanced): what its OS may rely on. */
static void log_xen_node(const struct domain *d)
{
	if (d->hardware)
		return;
	if (d->xen_node)
		log_info("d%u: told it runs on Xen (xen,enhanced = \"no-xenstore\"): /hypervisor "
			 "node, grant table and event channels, no xenstore",
			 d->id);
	else
		log_info("d%u: not told it runs on Xen (no xen,enhanced, as Xen 4.17): no "
			 "/hypervisor node",
			 d->id);
}

static int build_domain(const struct bootinfo *bi, const struct hv_options *o,
			const struct domain_cfg *c)
{
	struct domain *d = &domain_storage[nr_domains];
	unsigned nr_dev = 0;
	char line[200];
	uint64_t t;
	int rc;

	memset(d, 0, sizeof(*d));
	d->id = c->id;
	d->hardware = c->hardware;
	d->xen_node = c->xen_node;
	d->mode = c->mode;
	d->features = o->features;
	d->nr_vcpus = c->nr_vcpus;
	d->colours = c->colours;
	memcpy(d->name, c->name, sizeof(d->name));
	domain_scrub_init(d);
	if (p2m_init(&d->p2m, (uint16_t)(d->id + 1), &frame_pt_alloc)) {
		log_err("%s: no memory for its stage-2 root table", c->name);
		return -XEN_ENOMEM;
	}
	d->p2m.live = false;
	t = boot_profile_now();
	rc = domain_ram_alloc(d, c);
	if (rc)
		return rc;
	boot_profile_add(d->id, "RAM allocation", t);
	t = boot_profile_now();
	if (domain_ram_map(d)) {
		log_err("%s: out of memory for its stage-2 tables", c->name);
		return -XEN_ENOMEM;
	}
	boot_profile_add(d->id, "RAM stage-2 build", t);
	t = boot_profile_now();
	rc = d->hardware ? assign_map_dom0(bi, d, &nr_dev) : assign_map_domu(bi, d, &nr_dev);
	if (rc)
		return rc;
	boot_profile_add(d->id, "device assignment", t);
	hvm_params_init(d);
	rc = place_xen_windows(bi, d);
	if (rc)
		return rc;
	if (domain_xen_pages_init(d, &frame_pt_alloc)) {
		log_err("%s: no memory for its shared_info and grant-table pages", c->name);
		return -XEN_ENOMEM;
	}
	domain_ram_log(d);
	d->nr_vcpus = c->nr_vcpus;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		d->vcpu[i] = (struct vcpu){.d = d, .id = i, .pcpu = c->first_pcpu + i, .vmpidr = i,
					   .power = VCPU_OFF,
					   .runstate.state = RUNSTATE_offline};
	/* dom0 sees the GIC where the host has it; other domains where Xen puts a domU's */
	rc = d->hardware ? vgic_domain_init(d, bi->gicd.base, bi->gicr.base)
			 : vgic_domain_init(d, GUEST_GICD_BASE, GUEST_GICR_BASE);
	if (rc) {
		log_err("%s: its virtual GIC's MMIO ranges cannot be registered (%d)", c->name, rc);
		return rc;
	}
	rc = vpci_domain_build(d);
	if (rc)
		return rc;
	assign_spis(bi, d);
	if (c->vpl011 && vpl011_domain_build(bi, d))
		return -XEN_EINVAL;
	rc = image_load(bi, d, c);
	if (rc)
		return rc;
	d->vcpu[0].entry = d->entry;
	d->vcpu[0].context = d->dtb_gpa;
	p2m_describe(&d->p2m, line, sizeof(line));
	log_info("d%u: %s", d->id, line);
	log_info("d%u: %s, %u device node(s) passed through, %u vCPU(s) on pCPU %u-%u, VMID %u",
		 d->id, c->name, nr_dev, d->nr_vcpus, c->first_pcpu,
		 c->first_pcpu + d->nr_vcpus - 1, d->p2m.vmid);
	log_features(d);
	log_xen_node(d);
	domains[nr_domains++] = d;
	return 0;
}

int domains_build(const struct bootinfo *bi, const struct hv_options *o)
{
	struct domain_cfg cfgs[MAX_DOMAINS];
	uint64_t t = boot_profile_now();
	unsigned nr;

	if (colouring_configure(o, &xen_colours))
		return -XEN_EINVAL;
	assign_configure(o);
	if (colours_on()) {
		hv_pool.colours = &xen_colours;
		hv_pool.nr_colours = colours_nr();
	}
	if (domain_cfgs_parse(bi, o, cfgs, &nr))
		return -XEN_EINVAL;
	domain_cfgs_warn_shared_colours(cfgs, nr, &xen_colours);
	if (domain_ram_reserve_static(cfgs, nr) || assign_claim(bi, cfgs, nr))
		return -XEN_EINVAL;
	boot_profile_add(BOOT_PROFILE_HV, "domain configuration", t);
	for (unsigned i = 0; i < nr; i++)
		if (build_domain(bi, o, &cfgs[i]))
			return -XEN_EINVAL;
	t = boot_profile_now();
	isolation_check();
	boot_profile_add(BOOT_PROFILE_HV, "isolation audit", t);
	return 0;
}
