/* dmacheck: for a board's device tree and a boot configuration, which DMA will work, which
 * is unprotected, and what each domain is told -- decided by the hypervisor's own code
 * (hv/core: dma_protect.c, bootinfo.c, domain_cfg.c, claim.c, colour.c, cmdline.c,
 * features.c and lib/xen_dma.c), not a second implementation: who gets each device and
 * whether its domain can use its DMA is the hypervisor's claiming step's answer.
 *
 *   dmacheck BOARD.dtb [--bootargs "xen options"] [--json | --dot | --svg]
 *   dmacheck --all DIR            summary over every *.dtb below DIR
 *
 * Exit status: 0 all good, 1 warnings, 2 a configuration that cannot work, 3 bad input (or
 * a usage error, or --svg without Graphviz). The output format never changes the status. */
#include "bootinfo.h"
#include "claim.h"
#include "cmdline.h"
#include "colour.h"
#include "dma_protect.h"
#include "domain_cfg.h"
#include "dt.h"
#include "features.h"
#include <dirent.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <xen_dma.h>
#include <xenfeat_names.h>

enum { EXIT_OK, EXIT_WARN, EXIT_CANNOT, EXIT_BAD_INPUT };

#define MAX_IOMMUS 32
#define MAX_MASTERS 512
#define MAX_PROBLEMS 64
#define MAX_DEVICES 2048

struct iommu {
	char path[96];
	bool enabled;
	const char *kind;
	char compat[64];
};

/* A DMA master as the firmware describes it. Its owner, DMA class and rule and path are the
 * claiming step's: entry, or NULL where the table has none (the hypervisor keeps it, or it
 * is a PCI host bridge, whose functions are the table's). */
struct master {
	char path[96];
	struct dma_info info;
	char iommu_path[96];
	bool is_pci_host;
	int node;
	const struct dev_entry *e;
};

struct problem {
	int severity; /* EXIT_WARN or EXIT_CANNOT */
	char text[320];
};

struct report {
	const char *file;
	const char *model;
	struct iommu iommus[MAX_IOMMUS];
	unsigned nr_iommus, nr_enabled_iommus;
	struct master masters[MAX_MASTERS];
	unsigned nr_masters, nr_protected;
	struct domain_cfg cfgs[MAX_DOMAINS];
	char domu_paths[MAX_DOMAINS][8][96]; /* each cfg's platform_nodes, as paths */
	unsigned nr_cfgs;
	struct problem problems[MAX_PROBLEMS];
	unsigned nr_problems;
	int status;
	struct pci_host hosts[4]; /* stand-ins for what the hypervisor enumerates */
	unsigned nr_hosts;
	struct dev_table devices; /* the hypervisor's claiming, over this board */
	bool claimed;
	const void *fdt;
};

static struct dev_entry device_storage[MAX_DEVICES];

/* The hypervisor's log, collected: dmacheck shows its messages as the reasons. */
static char hv_log[16384];
static size_t hv_log_len;

static void problem(struct report *r, int severity, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct report *r, int severity, const char *fmt, ...)
{
	va_list ap;

	if (severity > r->status)
		r->status = severity;
	if (r->nr_problems == MAX_PROBLEMS)
		return;
	r->problems[r->nr_problems].severity = severity;
	va_start(ap, fmt);
	vsnprintf(r->problems[r->nr_problems++].text, sizeof(r->problems[0].text), fmt, ap);
	va_end(ap);
}

/* The hypervisor's own error lines become problems of the given severity. */
static void take_log(struct report *r, int severity)
{
	for (char *line = strtok(hv_log, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "(mv) ERROR: ", 12))
			problem(r, severity, "%s", line + 12);
		else if (!strncmp(line, "(mv) WARNING: ", 14))
			problem(r, EXIT_WARN, "%s", line + 14);
	}
	hv_log_len = 0;
	hv_log[0] = '\0';
}

/* Top-level nodes that hold no devices. */
static bool skip_subtree(const void *fdt, int node, const char *name)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return (type && !strcmp(type, "memory")) || !strcmp(name, "chosen") ||
	       !strcmp(name, "cpus") || !strcmp(name, "aliases") ||
	       !strcmp(name, "reserved-memory") || !strcmp(name, "__symbols__") ||
	       !strcmp(name, "__overrides__");
}

static int scan_nodes(const void *fdt, const struct dma_overrides *ov, struct report *r)
{
	int node = 0, depth = 0, skip_depth = -1;

	while ((node = fdt_next_node(fdt, node, &depth)) >= 0 && depth > 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		struct master *m;
		const char *kind;

		if (skip_depth >= 0 && depth > skip_depth)
			continue;
		skip_depth = -1;
		if (depth == 1 && name && skip_subtree(fdt, node, name)) {
			skip_depth = depth;
			continue;
		}
		if (dma_is_iommu(fdt, node, &kind)) {
			struct iommu *io = &r->iommus[r->nr_iommus];
			const char *c = fdt_getprop(fdt, node, "compatible", NULL);

			if (r->nr_iommus == MAX_IOMMUS)
				continue;
			dt_path(fdt, node, io->path, sizeof(io->path));
			io->kind = kind;
			io->enabled = dt_node_enabled(fdt, node);
			r->nr_enabled_iommus += io->enabled;
			snprintf(io->compat, sizeof(io->compat), "%s", c ? c : "");
			r->nr_iommus++;
			continue;
		}
		if (!dt_node_enabled(fdt, node))
			continue;
		if (r->nr_masters == MAX_MASTERS)
			break;
		m = &r->masters[r->nr_masters];
		if (dma_classify(fdt, node, ov, &m->info)) {
			char path[96];

			problem(r, EXIT_BAD_INPUT, "%s: %s", dt_path(fdt, node, path, sizeof(path)),
				m->info.why);
			return -1;
		}
		if (m->info.cls == DMA_NOT_MASTER)
			continue;
		dt_path(fdt, node, m->path, sizeof(m->path));
		m->node = node;
		m->is_pci_host = fdt_getprop(fdt, node, "device_type", NULL) &&
				 !strcmp(fdt_getprop(fdt, node, "device_type", NULL), "pci");
		m->iommu_path[0] = '\0';
		if (m->info.iommu >= 0)
			dt_path(fdt, m->info.iommu, m->iommu_path, sizeof(m->iommu_path));
		r->nr_protected += m->info.cls == DMA_PROTECTED;
		r->nr_masters++;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		problem(r, EXIT_BAD_INPUT, "device tree structure: %s", fdt_strerror(node));
		return -1;
	}
	return 0;
}

/* PCI functions are enumerated at boot, so dmacheck stands in for them, on each ECAM host
 * bridge the hypervisor would enumerate: one function per BDF a domU names (on the first
 * bridge, where the hypervisor looks it up), and one for all a dom0 would get, each with
 * the StreamID the bridge's iommu-map gives it. */
static void stand_in_pci(const struct bootinfo *bi, struct report *r)
{
	bool dom0 = false;

	for (unsigned d = 0; d < r->nr_cfgs; d++)
		dom0 |= r->cfgs[d].hardware;
	for (unsigned i = 0; i < bi->nr_pci && i < ARRAY_SIZE(r->hosts); i++) {
		struct pci_host *h = &r->hosts[i];
		uint16_t next = 0x08; /* 00:01.0: 00:00.0 is the bridge's own function */

		h->node = bi->pci[i].node;
		for (unsigned d = 0; i == 0 && d < r->nr_cfgs; d++)
			for (unsigned k = 0; k < r->cfgs[d].nr_pci && h->nr_devs < PCI_MAX_DEVICES; k++)
				h->devs[h->nr_devs++].bdf = r->cfgs[d].pci_bdfs[k];
		for (unsigned k = 0; k < h->nr_devs; k++)
			if (h->devs[k].bdf == next)
				next += 8, k = (unsigned)-1; /* taken: look again from the start */
		if (dom0 && h->nr_devs < PCI_MAX_DEVICES)
			h->devs[h->nr_devs++].bdf = next;
		for (unsigned k = 0; k < h->nr_devs; k++)
			h->devs[k].has_sid =
				pci_rid_to_sid(bi->fdt, h->node, h->devs[k].bdf, &h->devs[k].sid) == 0;
		r->nr_hosts = i + 1;
	}
}

/* The hypervisor's claiming step over this board and configuration. An enabled SMMUv3 is
 * taken to have stage 2 (its ID registers say, not the DT). Its refusals are not taken as
 * problems: the verdict says them in dmacheck's terms, from the table. */
static void claim(const struct bootinfo *bi, const struct hv_options *o,
		  const struct dma_overrides *ov, struct report *r)
{
	struct claim_env env = {.bi = bi,
				.ov = ov,
				.hosts = r->hosts,
				.nr_hosts = r->nr_hosts,
				.iommu_translating = bi->nr_smmu > 0,
				.allow_unsafe_dma = o->allow_unsafe_dma == 1};

	stand_in_pci(bi, r);
	env.nr_hosts = r->nr_hosts;
	claim_devices(&env, r->cfgs, r->nr_cfgs, &r->devices);
	hv_log_len = 0;
	hv_log[0] = '\0';
	r->claimed = true;
	for (unsigned i = 0; i < r->nr_masters; i++)
		r->masters[i].e = dev_table_node(&r->devices, r->masters[i].node);
}

/* The domains the boot configuration describes: dom0 unless only dom0less domUs exist. */
static void read_domains(const void *fdt, const struct hv_options *o,
			 const struct dma_overrides *ov, struct report *r)
{
	static struct bootinfo bi;
	struct colour_set xen_colours;
	int rc = bootinfo_parse_boot_config(fdt, &bi);

	take_log(r, EXIT_BAD_INPUT);
	if (rc)
		return;
	if (colouring_configure(o, &xen_colours)) {
		take_log(r, EXIT_BAD_INPUT);
		return;
	}
	if (bi.dom0_kernel >= 0 || !bi.nr_domu_nodes) {
		if (domain_cfg_dom0(&bi, o, &r->cfgs[r->nr_cfgs]) == 0)
			r->nr_cfgs++;
	}
	for (unsigned i = 0; i < bi.nr_domu_nodes; i++)
		if (domain_cfg_domu(&bi, i, &r->cfgs[r->nr_cfgs]) == 0)
			r->nr_cfgs++;
	take_log(r, EXIT_CANNOT);
	for (unsigned d = 0; d < r->nr_cfgs; d++)
		for (unsigned k = 0; k < r->cfgs[d].nr_platform; k++)
			dt_path(fdt, r->cfgs[d].platform_nodes[k], r->domu_paths[d][k],
				sizeof(r->domu_paths[d][k]));
	if (r->nr_cfgs && domain_cfgs_assign_cpus(&bi, r->cfgs, r->nr_cfgs))
		take_log(r, EXIT_CANNOT);
	domain_cfgs_warn_shared_colours(r->cfgs, r->nr_cfgs, &xen_colours);
	take_log(r, EXIT_WARN);
	claim(&bi, o, ov, r);
}

static const char *const mode_names[] = {
	[MEM_DIRECT_MAPPED] = "direct-mapped", [MEM_TRANSLATED] = "translated",
	[MEM_COLOURED] = "coloured"};

static uint32_t submap_of(const struct domain_cfg *c, const struct hv_options *o)
{
	return features_submap0(c->hardware, c->mode == MEM_DIRECT_MAPPED, o->features);
}

/* The DMA class, rule and StreamIDs of a master: the table's where it has the device. */
static const struct dma_info *master_dma(const struct master *m)
{
	return m->e ? &m->e->dma : &m->info;
}

static bool master_protected(const struct master *m)
{
	return master_dma(m)->cls == DMA_PROTECTED;
}

static const char *const fate_names[] = {[DEV_GIVEN] = "given",
					 [DEV_WITHHELD] = "withheld",
					 [DEV_PAGE_SHARED] = "page-shared",
					 [DEV_PASSTHROUGH] = "passthrough",
					 [DEV_INSIDE] = "inside",
					 [DEV_NO_DOM0] = "no-dom0"};

/* A host bridge's functions are the table's entries, not the bridge. */
static bool bridge_has_functions(const struct report *r, int node)
{
	for (unsigned i = 0; i < r->devices.nr; i++)
		if (r->devices.dev[i].kind == DEV_PCI && r->devices.dev[i].node == node)
			return true;
	return false;
}

/* Who gets a device of the table, in words, as the claiming step decided. */
static const char *entry_owner(const struct dev_entry *e, char *buf, size_t len)
{
	switch (e->fate) {
	case DEV_GIVEN:
		snprintf(buf, len, "d%d: %s%s", e->owner, dma_path_name(e->path),
			 e->unsafe ? " (UNSAFE)" : "");
		return buf;
	case DEV_WITHHELD:
		return "withheld from dom0";
	case DEV_PAGE_SHARED:
		return "nobody: shares a domU's page";
	case DEV_PASSTHROUGH:
		return "nobody: xen,passthrough";
	case DEV_INSIDE:
		return "nobody: inside another device";
	case DEV_NO_DOM0:
		return "nobody (no dom0)";
	}
	return "?";
}

/* A master's owner: the table's, or why the table has none. */
static const char *master_owner(const struct report *r, const struct master *m, char *buf,
				size_t len)
{
	if (!r->claimed)
		return "- (no device table)";
	if (!m->e)
		return m->is_pci_host && bridge_has_functions(r, m->node)
			       ? "its PCI functions (below)"
			       : "not a device mapvisor assigns";
	return entry_owner(m->e, buf, len);
}

static void bdf_text(uint16_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
}

/* The master the firmware describes at a table entry's node, or NULL. */
static const struct master *master_of(const struct report *r, const struct dev_entry *e)
{
	for (unsigned i = 0; i < r->nr_masters; i++)
		if (r->masters[i].e == e)
			return &r->masters[i];
	return NULL;
}

/* What the hypervisor does about a device its owner cannot use: the table says whether
 * mapvisor.allow-unsafe-dma let it through. */
static const char *refusal(const struct dev_entry *e)
{
	return e->unsafe ? "mapvisor boots it only because mapvisor.allow-unsafe-dma is on: "
			   "its DMA reaches the wrong memory"
			 : "mapvisor refuses to boot";
}

/* A domU's devices the claiming step found it cannot use: an unprotected DMA master in a
 * domain that is not 1:1 stops the boot. Its PCI functions stand in for what the bridge
 * will have: judged by that bridge, said once per bridge. */
static void verdict_domu(struct report *r, const void *fdt, unsigned d)
{
	const struct domain_cfg *c = &r->cfgs[d];
	int said[ARRAY_SIZE(r->hosts)];
	unsigned nr_said = 0;
	char path[96];

	for (unsigned i = 0; i < r->devices.nr; i++) {
		const struct dev_entry *e = &r->devices.dev[i];
		bool again = false;

		if (!dev_given_to(e, c->id) || e->path != DMA_PATH_IMPOSSIBLE)
			continue;
		dt_path(fdt, e->node, path, sizeof(path));
		if (e->kind == DEV_PLATFORM) {
			problem(r, EXIT_CANNOT,
				"%s is %s, not 1:1, and is given %s, which has no IOMMU (%s): its "
				"DMA cannot work there (%s). Fix: give the domain direct-map + "
				"xen,static-mem, or a device behind an IOMMU",
				c->name, mode_names[c->mode], path, e->dma.why, refusal(e));
			continue;
		}
		for (unsigned k = 0; k < nr_said; k++)
			again |= said[k] == e->node;
		if (again || nr_said == ARRAY_SIZE(said))
			continue;
		said[nr_said++] = e->node;
		problem(r, EXIT_CANNOT,
			"%s is %s, not 1:1, and is given PCI functions behind %s, which has "
			"no IOMMU (%s): their DMA cannot work there (%s). Fix: give the "
			"domain direct-map + xen,static-mem",
			c->name, mode_names[c->mode], path, e->dma.why, refusal(e));
	}
}

/* dom0's devices the claiming step withholds (a platform device) or refuses (a PCI
 * function) because dom0 could not address their DMA. */
static void verdict_dom0(struct report *r, const void *fdt, unsigned d)
{
	static const enum dev_kind order[] = {DEV_PLATFORM, DEV_PCI};
	const struct domain_cfg *c = &r->cfgs[d];
	unsigned impossible = 0;
	char first[96] = "";

	for (unsigned o = 0; o < ARRAY_SIZE(order); o++)
		for (unsigned i = 0; i < r->devices.nr; i++) {
			const struct dev_entry *e = &r->devices.dev[i];

			if (e->kind != order[o] ||
			    (e->fate != DEV_WITHHELD &&
			     !(dev_given_to(e, c->id) && e->path == DMA_PATH_IMPOSSIBLE)))
				continue;
			if (!impossible++)
				dt_path(fdt, e->node, first, sizeof(first));
		}
	if (impossible)
		problem(r, EXIT_CANNOT,
			"%s is %s, not 1:1, and %u DMA master(s) have no IOMMU (first: %s): "
			"their DMA cannot work there (mapvisor withholds them). Fix: give dom0 "
			"1:1 memory (no llc-coloring/dom0-llc-colors), or put the devices behind "
			"an IOMMU", c->name, mode_names[c->mode], impossible, first);
}

/* The verdict: what the claiming step gave each domain and whether it can use it. */
static void verdict(struct report *r, const void *fdt)
{
	for (unsigned d = 0; r->claimed && d < r->nr_cfgs; d++)
		(r->cfgs[d].hardware ? verdict_dom0 : verdict_domu)(r, fdt, d);
	for (unsigned i = 0; i < r->nr_masters; i++)
		if (r->masters[i].info.overridden)
			problem(r, EXIT_WARN, "%s: firmware says an IOMMU protects it, but it is "
				"overridden as unprotected", r->masters[i].path);
}

static int analyse(const char *file, const void *fdt, size_t size, const struct hv_options *o,
		   const struct dma_overrides *ov, struct report *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->devices = (struct dev_table){device_storage, 0, MAX_DEVICES};
	r->fdt = fdt;
	r->file = file;
	if (size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
		problem(r, EXIT_BAD_INPUT, "not a device tree blob (bad magic)");
		return r->status;
	}
	if (fdt_totalsize(fdt) > size) {
		problem(r, EXIT_BAD_INPUT, "truncated: the header says %u bytes, the file has %zu",
			fdt_totalsize(fdt), size);
		return r->status;
	}
	rc = dt_check_blob(fdt, size);
	if (rc) {
		problem(r, EXIT_BAD_INPUT, "malformed device tree: %s", fdt_strerror(rc));
		return r->status;
	}
	/* as the hypervisor does: its lookups answer from the index (and the fuzzer tries it) */
	dt_index_build(fdt);
	r->model = fdt_getprop(fdt, 0, "model", NULL);
	if (scan_nodes(fdt, ov, r))
		return r->status;
	read_domains(fdt, o, ov, r);
	if (r->status < EXIT_BAD_INPUT)
		verdict(r, fdt);
	return r->status;
}

static const char *status_name(int s)
{
	static const char *const names[] = {"ok", "warning", "cannot-work", "bad-input"};

	return names[s];
}

static void print_features(FILE *f, uint32_t map, bool json)
{
	bool first = true;

	for (unsigned b = 0; b < 32; b++)
		if (map & (1U << b)) {
			fprintf(f, json ? "%s\"%s\"" : "%s%s",
				first  ? ""
				: json ? ", "
				       : " ",
				xenfeat_name(b));
			first = false;
		}
}

/* The table's PCI function of a domain with this BDF, or NULL. */
static const struct dev_entry *pci_entry(const struct report *r, uint16_t bdf, domid_t id)
{
	for (unsigned i = 0; i < r->devices.nr; i++)
		if (r->devices.dev[i].kind == DEV_PCI && r->devices.dev[i].pci->bdf == bdf &&
		    dev_given_to(&r->devices.dev[i], id))
			return &r->devices.dev[i];
	return NULL;
}

static const char *class_text(enum dma_class cls)
{
	return cls == DMA_NOT_MASTER  ? "not a DMA master"
	       : cls == DMA_PROTECTED ? "protected"
				      : "unprotected";
}

/* A domU's devices and the path the device table gives each. */
static void human_domu_devices(FILE *f, const struct report *r, unsigned d)
{
	const struct domain_cfg *c = &r->cfgs[d];
	char bdf[16];

	if (!c->nr_platform && !c->nr_pci) {
		fprintf(f, "     mapvisor per device: no devices assigned\n");
		return;
	}
	for (unsigned k = 0; k < c->nr_platform; k++) {
		const struct dev_entry *e = dev_table_node(&r->devices, c->platform_nodes[k]);

		if (!e || !dev_given_to(e, c->id))
			fprintf(f, "     device %s: refused (not in the device table)\n",
				r->domu_paths[d][k]);
		else
			fprintf(f, "     device %s: %s -> %s\n", r->domu_paths[d][k],
				class_text(e->dma.cls), dma_path_name(e->path));
	}
	for (unsigned k = 0; k < c->nr_pci; k++) {
		const struct dev_entry *e = pci_entry(r, c->pci_bdfs[k], c->id);

		bdf_text(c->pci_bdfs[k], bdf, sizeof(bdf));
		if (!e)
			fprintf(f, "     PCI %s: refused (not in the device table)\n", bdf);
		else
			fprintf(f, "     PCI %s: %s -> %s (a stand-in: enumerated at boot)\n", bdf,
				class_text(e->dma.cls), dma_path_name(e->path));
	}
}

/* What the device table gives dom0, counted. */
static void human_dom0_devices(FILE *f, const struct report *r, const struct domain_cfg *c)
{
	unsigned given[DMA_PATH_IMPOSSIBLE + 1] = {0}, withheld = 0;

	for (unsigned i = 0; i < r->devices.nr; i++) {
		const struct dev_entry *e = &r->devices.dev[i];

		withheld += e->fate == DEV_WITHHELD;
		if (dev_given_to(e, c->id))
			given[e->path]++;
	}
	fprintf(f,
		"     device table: %u given (%u not DMA masters, %u direct, %u translate%s), "
		"%u withheld\n",
		given[DMA_PATH_NONE] + given[DMA_PATH_DIRECT] + given[DMA_PATH_TRANSLATE] +
			given[DMA_PATH_IMPOSSIBLE],
		given[DMA_PATH_NONE], given[DMA_PATH_DIRECT], given[DMA_PATH_TRANSLATE],
		given[DMA_PATH_IMPOSSIBLE] ? ", some impossible" : "", withheld);
}

static void human_row(FILE *f, const char *name, const struct dma_info *info, const char *iommu,
		      const char *owner)
{
	char via[96 + 48];
	int n = snprintf(via, sizeof(via), "%s", iommu[0] ? iommu : "-");

	for (unsigned k = 0; k < info->nr_sids && n < (int)sizeof(via) - 12; k++)
		n += snprintf(via + n, sizeof(via) - (size_t)n, "%s0x%x", k ? "," : " ",
			      info->sids[k]);
	fprintf(f, "  %-44s %-11s %-44s %-30s %s\n", name,
		info->cls == DMA_PROTECTED ? "yes" : "NO", via, owner, info->why);
}

/* The IOMMU in front of a PCI function: its host bridge's, when it protects it. */
static const char *pci_iommu(const struct report *r, const struct dev_entry *e)
{
	for (unsigned i = 0; i < r->nr_masters; i++)
		if (r->masters[i].node == e->node && e->dma.cls == DMA_PROTECTED)
			return r->masters[i].iommu_path;
	return "";
}

/* A host bridge's functions, from the table (dmacheck's stand-ins for what is enumerated). */
static void human_functions(FILE *f, const struct report *r, const struct master *m)
{
	char name[64], bdf[16], owner[48];

	for (unsigned i = 0; i < r->devices.nr; i++) {
		const struct dev_entry *e = &r->devices.dev[i];

		if (e->kind != DEV_PCI || e->node != m->node)
			continue;
		bdf_text(e->pci->bdf, bdf, sizeof(bdf));
		snprintf(name, sizeof(name), "  PCI %s (stand-in)", bdf);
		human_row(f, name, &e->dma, pci_iommu(r, e), entry_owner(e, owner, sizeof(owner)));
	}
}

static void human(FILE *f, const struct report *r, const struct hv_options *o)
{
	unsigned prot = 0;

	fprintf(f, "dmacheck: %s", r->file);
	if (r->model)
		fprintf(f, " (\"%s\")", r->model);
	fprintf(f, "\n\nIOMMUs: %u (%u enabled)\n", r->nr_iommus, r->nr_enabled_iommus);
	for (unsigned i = 0; i < r->nr_iommus; i++)
		fprintf(f, "  %-44s %-10s %-9s %s (stage support: its ID registers, not the DT)\n",
			r->iommus[i].path, r->iommus[i].kind,
			r->iommus[i].enabled ? "enabled" : "DISABLED", r->iommus[i].compat);
	for (unsigned i = 0; i < r->nr_masters; i++)
		prot += master_protected(&r->masters[i]);
	fprintf(f, "\nDMA masters: %u (%u protected, %u unprotected)\n", r->nr_masters, prot,
		r->nr_masters - prot);
	if (r->nr_masters)
		fprintf(f, "  %-44s %-11s %-44s %-30s %s\n", "device", "protected",
			"IOMMU, StreamIDs", "owner: DMA path", "rule");
	for (unsigned i = 0; i < r->nr_masters; i++) {
		const struct master *m = &r->masters[i];
		char owner[48];

		human_row(f, m->path, master_dma(m), m->iommu_path,
			  master_owner(r, m, owner, sizeof(owner)));
		if (m->is_pci_host)
			human_functions(f, r, m);
	}
	fprintf(f, "\nDomains: %u\n", r->nr_cfgs);
	for (unsigned d = 0; d < r->nr_cfgs; d++) {
		const struct domain_cfg *c = &r->cfgs[d];
		uint32_t map = submap_of(c, o);
		bool direct = c->mode == MEM_DIRECT_MAPPED;

		fprintf(f, "  d%u %s: %s, %llu MiB, %u vCPU(s)\n", c->id, c->name,
			mode_names[c->mode], (unsigned long long)(c->mem_bytes >> 20), c->nr_vcpus);
		fprintf(f, "     told: XENFEAT submap 0x%x (", map);
		print_features(f, map, false);
		fprintf(f, ")\n     Linux 6.1: %s for every device\n",
			linux_uses_swiotlb_xen(map) ? "swiotlb-xen (machine addresses, bounce)"
						    : "direct (guest-physical addresses)");
		if (!c->hardware) {
			human_domu_devices(f, r, d);
			continue;
		}
		fprintf(f, "     mapvisor per device: protected -> direct; unprotected -> %s\n",
			dma_path_name(dma_path_for(DMA_UNPROTECTED, direct)));
		human_dom0_devices(f, r, c);
	}
	fprintf(f, "\nVerdict: %s (exit %d)\n", status_name(r->status), r->status);
	for (unsigned i = 0; i < r->nr_problems; i++)
		fprintf(f, "  %s: %s\n",
			r->problems[i].severity >= EXIT_CANNOT ? "error" : "warning",
			r->problems[i].text);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* A device's protection as the claiming step enforces it (iommu: a path, or "" for null). */
static void json_dma(FILE *f, const struct dma_info *info, const char *iommu)
{
	fprintf(f,
		", \"protected\": %s, \"iommu\": ", info->cls == DMA_PROTECTED ? "true" : "false");
	if (iommu[0])
		json_string(f, iommu);
	else
		fprintf(f, "null");
	fprintf(f, ", \"stream_ids\": [");
	for (unsigned k = 0; k < info->nr_sids; k++)
		fprintf(f, "%s%u", k ? ", " : "", info->sids[k]);
	fprintf(f, "], \"rule\": ");
	json_string(f, info->why);
}

/* Who the device table gives a device, and the DMA path its driver must take; null where the
 * table has no such device (not one mapvisor assigns). */
static void json_owner(FILE *f, const struct dev_entry *e)
{
	if (!e) {
		fprintf(f, ", \"owner\": null, \"fate\": null, \"dma_path\": null");
		return;
	}
	if (e->owner == DEV_NOBODY)
		fprintf(f, ", \"owner\": null");
	else
		fprintf(f, ", \"owner\": %d", e->owner);
	fprintf(f, ", \"fate\": \"%s\", \"dma_path\": ", fate_names[e->fate]);
	if (e->fate == DEV_GIVEN)
		fprintf(f, "\"%s\"", dma_path_name(e->path));
	else
		fprintf(f, "null");
	fprintf(f, ", \"unsafe\": %s", e->unsafe ? "true" : "false");
}

static void json(FILE *f, const struct report *r, const struct hv_options *o)
{
	fprintf(f, "{\n  \"schema\": \"mapvisor-dmacheck/1\",\n  \"dtb\": ");
	json_string(f, r->file);
	fprintf(f, ",\n  \"model\": ");
	if (r->model)
		json_string(f, r->model);
	else
		fprintf(f, "null");
	fprintf(f, ",\n  \"iommus\": [");
	for (unsigned i = 0; i < r->nr_iommus; i++) {
		fprintf(f, "%s\n    {\"path\": ", i ? "," : "");
		json_string(f, r->iommus[i].path);
		fprintf(f, ", \"kind\": ");
		json_string(f, r->iommus[i].kind);
		fprintf(f, ", \"enabled\": %s", r->iommus[i].enabled ? "true" : "false");
		fprintf(f, ", \"compatible\": ");
		json_string(f, r->iommus[i].compat);
		fprintf(f, "}");
	}
	fprintf(f, "%s],\n  \"dma_masters\": [", r->nr_iommus ? "\n  " : "");
	for (unsigned i = 0; i < r->nr_masters; i++) {
		const struct master *m = &r->masters[i];

		fprintf(f, "%s\n    {\"path\": ", i ? "," : "");
		json_string(f, m->path);
		json_dma(f, master_dma(m), m->iommu_path);
		fprintf(f, ", \"overridden\": %s, \"in_device_table\": %s",
			m->info.overridden ? "true" : "false", m->e ? "true" : "false");
		json_owner(f, m->e);
		fprintf(f, "}");
	}
	fprintf(f, "%s],\n  \"pci_functions\": [", r->nr_masters ? "\n  " : "");
	unsigned nr_functions = 0;

	for (unsigned i = 0; i < r->devices.nr; i++) {
		const struct dev_entry *e = &r->devices.dev[i];
		char bdf[16], host[96];

		if (e->kind != DEV_PCI)
			continue;
		bdf_text(e->pci->bdf, bdf, sizeof(bdf));
		fprintf(f, "%s\n    {\"bdf\": \"%s\", \"host_bridge\": ", nr_functions++ ? "," : "",
			bdf);
		json_string(f, dt_path(r->fdt, e->node, host, sizeof(host)));
		json_dma(f, &e->dma, pci_iommu(r, e));
		json_owner(f, e);
		fprintf(f, "}");
	}
	fprintf(f, "%s],\n  \"domains\": [", nr_functions ? "\n  " : "");
	for (unsigned d = 0; d < r->nr_cfgs; d++) {
		const struct domain_cfg *c = &r->cfgs[d];
		uint32_t map = submap_of(c, o);

		fprintf(f, "%s\n    {\"id\": %u, \"name\": ", d ? "," : "", c->id);
		json_string(f, c->name);
		fprintf(f,
			", \"mode\": \"%s\", \"memory_bytes\": %llu, \"vcpus\": %u, "
			"\"features_submap\": %u, \"features\": [",
			mode_names[c->mode], (unsigned long long)c->mem_bytes, c->nr_vcpus, map);
		print_features(f, map, true);
		fprintf(f, "], \"linux_swiotlb_xen\": %s, \"unprotected_device_path\": \"%s\"",
			linux_uses_swiotlb_xen(map) ? "true" : "false",
			c->hardware ? dma_path_name(dma_path_for(DMA_UNPROTECTED,
								 c->mode == MEM_DIRECT_MAPPED))
				    : "none");
		fprintf(f, ", \"devices\": [");
		for (unsigned k = 0; k < c->nr_platform; k++) {
			fprintf(f, "%s", k ? ", " : "");
			json_string(f, r->domu_paths[d][k]);
		}
		fprintf(f, "], \"pci_devices\": [");
		for (unsigned k = 0; k < c->nr_pci; k++)
			fprintf(f, "%s\"%02x:%02x.%x\"", k ? ", " : "", c->pci_bdfs[k] >> 8,
				(c->pci_bdfs[k] >> 3) & 0x1f, c->pci_bdfs[k] & 7);
		fprintf(f, "]}");
	}
	fprintf(f, "%s],\n  \"verdict\": {\"status\": \"%s\", \"exit\": %d, \"problems\": [",
		r->nr_cfgs ? "\n  " : "", status_name(r->status), r->status);
	for (unsigned i = 0; i < r->nr_problems; i++) {
		fprintf(f, "%s\n    {\"severity\": \"%s\", \"message\": ", i ? "," : "",
			r->problems[i].severity >= EXIT_CANNOT ? "error" : "warning");
		json_string(f, r->problems[i].text);
		fprintf(f, "}");
	}
	fprintf(f, "%s]}\n}\n", r->nr_problems ? "\n  " : "");
}

/* --dot: the same report as a Graphviz picture, domains -> DMA masters -> IOMMUs, in the
 * text report's order. Every node and edge carries a class (master, iommu, no-iommu, domain,
 * device, pci-function, legend), which Graphviz puts into SVG and tests read. Red means no
 * IOMMU protects that DMA (or the IOMMU protects nothing, or the domain cannot use it). */

/* Text inside a DOT quoted string: DT names are arbitrary bytes, so a quote, a backslash, a
 * '%' and anything not printable ASCII become %XX (reversible, so ids stay distinct). */
static void dot_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '%' || c < 0x20 || c >= 0x7f)
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

static void dot_id(FILE *f, const char *s)
{
	fputc('"', f);
	dot_text(f, s);
	fputc('"', f);
}

static const char *const dot_red = ", color=red, fontcolor=red";

static void dot_legend(FILE *f)
{
	fprintf(f,
		"\tsubgraph cluster_legend {\n"
		"\t\tlabel=\"legend\"; class=\"legend\"; color=grey;\n"
		"\t\t\"legend domain\" [class=\"legend\", shape=folder, label=\"domain\\nmemory "
		"mode, told\"];\n"
		"\t\t\"legend master\" [class=\"legend\", shape=box, label=\"DMA master\\nrule\"];\n"
		"\t\t\"legend iommu\" [class=\"legend\", shape=hexagon, label=\"IOMMU\"];\n"
		"\t\t\"legend unprotected\" [class=\"legend\", shape=box%s, label=\"unprotected\\n"
		"DMA master\"];\n"
		"\t\t\"legend none\" [class=\"legend\", shape=hexagon%s, label=\"no IOMMU, or "
		"disabled\"];\n"
		"\t\t\"legend domain\" -> \"legend master\" [class=\"legend\", label=\"gets it: "
		"DMA path\"];\n"
		"\t\t\"legend master\" -> \"legend iommu\" [class=\"legend\", label=\"StreamIDs\"];\n"
		"\t\t\"legend unprotected\" -> \"legend none\" [class=\"legend\", label=\"unprotected"
		"\"%s];\n"
		"\t}\n",
		dot_red, dot_red, dot_red);
}

static bool is_iommu_path(const struct report *r, const char *path)
{
	for (unsigned i = 0; i < r->nr_iommus; i++)
		if (!strcmp(r->iommus[i].path, path))
			return true;
	return false;
}

/* An edge from a domain to a device it gets, labelled with the DMA path its driver must take. */
static void dot_owns(FILE *f, unsigned id, const char *path, enum dma_path p)
{
	char dom[16];

	snprintf(dom, sizeof(dom), "d%u", id);
	fputc('\t', f);
	dot_id(f, dom);
	fprintf(f, " -> ");
	dot_id(f, path);
	fprintf(f, " [class=\"owns\", label=\"%s\"%s];\n", dma_path_name(p),
		p == DMA_PATH_IMPOSSIBLE ? dot_red : "");
}

/* A PCI function the table gives a domain: its own node, behind its host bridge. */
static void dot_function(FILE *f, const struct report *r, const struct dev_entry *e,
			 const char *dom)
{
	char id[48], bdf[16], host[96];

	bdf_text(e->pci->bdf, bdf, sizeof(bdf));
	snprintf(id, sizeof(id), "%s PCI %s", dom, bdf);
	fputc('\t', f);
	dot_id(f, id);
	fprintf(f,
		" [class=\"pci-function\", shape=box, style=dashed, label=\"PCI %s\\n"
		"enumerated at boot\"];\n\t",
		bdf);
	dot_id(f, dom);
	fprintf(f, " -> ");
	dot_id(f, id);
	fprintf(f, " [class=\"owns\", label=\"%s\"%s];\n\t", dma_path_name(e->path),
		e->path == DMA_PATH_IMPOSSIBLE ? dot_red : "");
	dot_id(f, id);
	fprintf(f, " -> ");
	dot_id(f, dt_path(r->fdt, e->node, host, sizeof(host)));
	fprintf(f, " [class=\"behind\", style=dashed, label=\"behind: %s\"%s];\n",
		e->dma.cls == DMA_PROTECTED ? "protected" : "unprotected",
		e->dma.cls == DMA_PROTECTED ? "" : dot_red);
}

/* A platform device the table gives a domain that the firmware lists as no DMA master. */
static void dot_device(FILE *f, const struct report *r, const struct dev_entry *e, char *path,
		       int len)
{
	dt_path(r->fdt, e->node, path, len);
	if (is_iommu_path(r, path)) /* drawn already */
		return;
	fputc('\t', f);
	dot_id(f, path);
	fprintf(f, " [class=\"device\", shape=box, style=dashed, label=\"");
	dot_text(f, path);
	fprintf(f, "\\nnot a DMA master\"];\n");
}

/* What the device table gives the domain (and, for dom0, withholds), in its order. dom0's
 * devices that are no DMA master are left out: they would only crowd the picture. */
static void dot_domain(FILE *f, const struct report *r, unsigned d, const struct hv_options *o)
{
	const struct domain_cfg *c = &r->cfgs[d];
	uint32_t map = submap_of(c, o);
	char id[16], path[96];

	snprintf(id, sizeof(id), "d%u", c->id);
	fputc('\t', f);
	dot_id(f, id);
	fprintf(f, " [class=\"domain\", shape=folder, label=\"d%u ", c->id);
	dot_text(f, c->name);
	fprintf(f, "\\n%s, %llu MiB, %u vCPU(s)\\nXENFEAT submap 0x%x\\nLinux 6.1: %s\"];\n",
		mode_names[c->mode], (unsigned long long)(c->mem_bytes >> 20), c->nr_vcpus, map,
		linux_uses_swiotlb_xen(map) ? "swiotlb-xen" : "direct");
	for (unsigned i = 0; i < r->devices.nr; i++) {
		const struct dev_entry *e = &r->devices.dev[i];
		const struct master *m = master_of(r, e);

		if (c->hardware && m && e->fate == DEV_WITHHELD) {
			fputc('\t', f);
			dot_id(f, id);
			fprintf(f, " -> ");
			dot_id(f, m->path);
			fprintf(f, " [class=\"withheld\", style=dashed, label=\"withheld\"%s];\n",
				dot_red);
			continue;
		}
		if (!dev_given_to(e, c->id))
			continue;
		if (e->kind == DEV_PCI) {
			dot_function(f, r, e, id);
			continue;
		}
		if (!m && c->hardware)
			continue;
		if (!m)
			dot_device(f, r, e, path, sizeof(path));
		dot_owns(f, c->id, m ? m->path : path, e->path);
	}
}

static void dot(FILE *f, const struct report *r, const struct hv_options *o)
{
	bool any_bare = false;

	fprintf(f, "digraph dmacheck {\n\tgraph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", "
		   "label=\"dmacheck: ");
	dot_text(f, r->file);
	if (r->model) {
		fprintf(f, " (");
		dot_text(f, r->model);
		fprintf(f, ")");
	}
	fprintf(f, "\\nverdict: %s (exit %d)\"];\n", status_name(r->status), r->status);
	fprintf(f, "\tnode [fontname=\"Helvetica\", fontsize=10];\n"
		   "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	dot_legend(f);
	fprintf(f, "\t// IOMMUs\n");
	for (unsigned i = 0; i < r->nr_iommus; i++) {
		const struct iommu *io = &r->iommus[i];

		fputc('\t', f);
		dot_id(f, io->path);
		fprintf(f, " [class=\"iommu\", shape=hexagon, label=\"");
		dot_text(f, io->path);
		fprintf(f, "\\n%s ", io->kind);
		dot_text(f, io->compat);
		fprintf(f, "\\n%s\"%s];\n", io->enabled ? "enabled" : "DISABLED",
			io->enabled ? "" : dot_red);
	}
	for (unsigned i = 0; i < r->nr_masters; i++)
		any_bare |= !r->masters[i].iommu_path[0];
	if (any_bare)
		fprintf(f,
			"\t\"no IOMMU\" [class=\"no-iommu\", shape=hexagon, label=\"no IOMMU\"%s];\n",
			dot_red);
	fprintf(f, "\t// DMA masters and the IOMMU in front of each\n");
	for (unsigned i = 0; i < r->nr_masters; i++) {
		const struct master *m = &r->masters[i];
		const struct dma_info *info = master_dma(m);
		bool prot = info->cls == DMA_PROTECTED;

		fputc('\t', f);
		dot_id(f, m->path);
		fprintf(f, " [class=\"master\", shape=box, label=\"");
		dot_text(f, m->path);
		fprintf(f, "\\n%s: ", prot ? "protected" : "UNPROTECTED");
		dot_text(f, info->why);
		fprintf(f, "\"%s];\n\t", prot ? "" : dot_red);
		dot_id(f, m->path);
		fprintf(f, " -> ");
		dot_id(f, m->iommu_path[0] ? m->iommu_path : "no IOMMU");
		fprintf(f, " [class=\"dma\", label=\"");
		for (unsigned k = 0; k < info->nr_sids; k++)
			fprintf(f, "%s0x%x", k ? "," : "", info->sids[k]);
		fprintf(f, "\"%s];\n", prot ? "" : dot_red);
	}
	fprintf(f, "\t// Domains and what each gets\n");
	for (unsigned d = 0; d < r->nr_cfgs; d++)
		dot_domain(f, r, d, o);
	fprintf(f, "}\n");
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > (long)(16 << 20) ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

struct summary {
	char vendor[48];
	unsigned boards, with_iommu, masters, unprotected, bad;
};

static struct report all_report;

static void summarise(const char *dir, const char *vendor, const struct hv_options *o,
		      const struct dma_overrides *ov, struct summary *s, unsigned *nr)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	while (dp && (e = readdir(dp))) {
		char path[1024];
		struct stat st;
		size_t size, len = strlen(e->d_name);
		void *fdt;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			summarise(path, vendor ? vendor : e->d_name, o, ov, s, nr);
			continue;
		}
		if (len < 5 || strcmp(e->d_name + len - 4, ".dtb") || !(fdt = read_file(path, &size)))
			continue;
		const char *v = vendor ? vendor : "(top)";
		unsigned k = 0;

		while (k < *nr && strcmp(s[k].vendor, v))
			k++;
		if (k == *nr && *nr < 64)
			snprintf(s[(*nr)++].vendor, sizeof(s[0].vendor), "%s", v);
		if (k < *nr) {
			analyse(path, fdt, size, o, ov, &all_report);
			s[k].boards++;
			s[k].bad += all_report.status == EXIT_BAD_INPUT;
			s[k].with_iommu += all_report.nr_enabled_iommus > 0;
			s[k].masters += all_report.nr_masters;
			s[k].unprotected += all_report.nr_masters - all_report.nr_protected;
		}
		free(fdt);
	}
	if (dp)
		closedir(dp);
}

static int cmp_vendor(const void *a, const void *b)
{
	return strcmp(((const struct summary *)a)->vendor, ((const struct summary *)b)->vendor);
}

static int all(const char *dir, const struct hv_options *o, const struct dma_overrides *ov)
{
	static struct summary s[64];
	struct summary t = {"all", 0, 0, 0, 0, 0};
	unsigned nr = 0;

	summarise(dir, NULL, o, ov, s, &nr);
	if (!nr) {
		fprintf(stderr, "dmacheck: no .dtb files below %s\n", dir);
		return EXIT_BAD_INPUT;
	}
	qsort(s, nr, sizeof(s[0]), cmp_vendor);
	printf("| vendor | boards | with an enabled IOMMU | DMA masters | unprotected | unreadable |\n");
	printf("|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i <= nr; i++) {
		struct summary *x = i < nr ? &s[i] : &t;

		if (i < nr) {
			t.boards += x->boards;
			t.with_iommu += x->with_iommu;
			t.masters += x->masters;
			t.unprotected += x->unprotected;
			t.bad += x->bad;
		}
		printf("| %s | %u | %u | %u | %u | %u |\n", x->vendor, x->boards, x->with_iommu,
		       x->masters, x->unprotected, x->bad);
	}
	return EXIT_OK;
}

/* --svg: the DOT text through Graphviz's dot. */
static int svg(const struct report *r, const struct hv_options *o)
{
	FILE *p;
	int st;

	fflush(stdout);
	signal(SIGPIPE, SIG_IGN); /* a missing dot must not kill us mid-write */
	p = popen("command -v dot >/dev/null || exit 127; exec dot -Tsvg", "w");
	if (!p) {
		perror("dmacheck: --svg: cannot start dot");
		return -1;
	}
	dot(p, r, o);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr,
			"dmacheck: --svg: Graphviz's dot %s (Debian: apt-get install "
			"graphviz); --dot prints the DOT text without it\n",
			st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "is not installed"
									    : "failed");
		return -1;
	}
	return 0;
}

enum format { FMT_TEXT, FMT_JSON, FMT_DOT, FMT_SVG };

static int usage(void)
{
	fprintf(stderr,
		"usage: dmacheck BOARD.dtb [--bootargs \"XEN OPTIONS\"] [--json | --dot | --svg]\n"
		"       dmacheck --all DIR [--bootargs \"XEN OPTIONS\"]\n");
	return EXIT_BAD_INPUT;
}

#ifndef DMACHECK_NO_MAIN
int main(int argc, char **argv)
{
	const char *file = NULL, *dir = NULL, *bootargs = NULL;
	static struct report r;
	struct hv_options o;
	struct dma_overrides ov;
	static const char *const format_opts[] = {"", "--json", "--dot", "--svg"};
	enum format fmt = FMT_TEXT;
	size_t size;
	void *fdt;

	for (int i = 1; i < argc; i++) {
		enum format want = FMT_TEXT;

		for (unsigned k = FMT_JSON; k <= FMT_SVG; k++)
			if (!strcmp(argv[i], format_opts[k]))
				want = k;
		if (want != FMT_TEXT && fmt != FMT_TEXT && want != fmt) {
			fprintf(stderr, "dmacheck: %s and %s: choose one output format\n",
				format_opts[fmt], format_opts[want]);
			return EXIT_BAD_INPUT;
		}
		if (want != FMT_TEXT)
			fmt = want;
		else if (!strcmp(argv[i], "--bootargs") && i + 1 < argc)
			bootargs = argv[++i];
		else if (!strcmp(argv[i], "--all") && i + 1 < argc)
			dir = argv[++i];
		else if (argv[i][0] == '-' || file)
			return usage();
		else
			file = argv[i];
	}
	if (!file == !dir)
		return usage();
	if (dir && fmt != FMT_TEXT) {
		fprintf(stderr, "dmacheck: %s describes one board, not --all\n", format_opts[fmt]);
		return EXIT_BAD_INPUT;
	}
	log_set_level(LOG_WARN);
	cmdline_defaults(&o);
	if (cmdline_parse(bootargs, &o) || dma_overrides_parse(o.dma_unprotected, &ov)) {
		fprintf(stderr, "dmacheck: bad --bootargs:\n%s", hv_log);
		return EXIT_BAD_INPUT;
	}
	hv_log_len = 0;
	hv_log[0] = '\0';
	if (dir)
		return all(dir, &o, &ov);
	fdt = read_file(file, &size);
	if (!fdt) {
		fprintf(stderr, "dmacheck: cannot read %s\n", file);
		return EXIT_BAD_INPUT;
	}
	analyse(file, fdt, size, &o, &ov, &r); /* r points into fdt */
	if (fmt == FMT_JSON)
		json(stdout, &r, &o);
	else if (fmt == FMT_TEXT)
		human(stdout, &r, &o);
	else if (r.status == EXIT_BAD_INPUT) /* no picture of a tree that could not be read */
		for (unsigned i = 0; i < r.nr_problems; i++)
			fprintf(stderr, "dmacheck: %s: %s\n", file, r.problems[i].text);
	else if (fmt == FMT_DOT)
		dot(stdout, &r, &o);
	else if (svg(&r, &o))
		r.status = EXIT_BAD_INPUT;
	free(fdt);
	return r.status;
}
#endif

/* The few architecture hooks hv/core's parsing code reaches: the log, and nothing else. */
void arch_console_write(const char *s, size_t len)
{
	if (hv_log_len + len >= sizeof(hv_log))
		len = sizeof(hv_log) - 1 - hv_log_len;
	memcpy(hv_log + hv_log_len, s, len);
	hv_log_len += len;
	hv_log[hv_log_len] = '\0';
}

bool arch_llc_geometry(uint64_t *size, uint64_t *ways)
{
	*size = *ways = 0;
	return false; /* a DTB says nothing of CCSIDR: give llc-size and llc-nr-ways */
}

/* pci.c's enumeration is the hypervisor's at boot: dmacheck stands in functions instead. */
int arch_pci_enumerate(struct pci_host *h)
{
	(void)h;
	return -XEN_ENODEV;
}

_Noreturn void arch_poweroff(int status)
{
	fprintf(stderr, "dmacheck: internal error (hypervisor code panicked, status %d):\n%s",
		status, hv_log);
	exit(EXIT_BAD_INPUT);
}
