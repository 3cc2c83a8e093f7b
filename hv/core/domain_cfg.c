/* Domain configuration from Xen's boot bindings (docs/misc/arm/device-tree/booting.txt):
 * dom0 from dom0_mem, dom0_max_vcpus and dom0-llc-colors; each "xen,domain" node from
 * memory (KiB), cpus, direct-map, xen,static-mem and llc-colors. Everything is checked
 * before any memory is allocated. */
#include "domain_cfg.h"
#include "grant.h"
#include "vgic.h"
#include "dt.h"
#include "log.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

static int prop_u64(const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const uint32_t *p = dt_getprop(fdt, node, name, &len);

	if (!p)
		return -XEN_ENOENT;
	if (len != 4 && len != 8)
		return -XEN_EINVAL;
	*v = dt_read_cells(p, len / 4);
	return 0;
}

static int cells(const void *fdt, int node, const char *name, int dflt)
{
	uint64_t v;

	if (prop_u64(fdt, node, name, &v))
		return dflt;
	return (int)v;
}

/* xen,static-mem = <addr size ...>, in #xen,static-mem-{address,size}-cells (default: the
 * node's #address-cells / #size-cells). */
static int parse_static_mem(const void *fdt, int node, struct domain_cfg *c)
{
	int len, ac, sc;
	const uint32_t *p = dt_getprop(fdt, node, "xen,static-mem", &len);

	if (!p)
		return 0;
	ac = cells(fdt, node, "#xen,static-mem-address-cells", cells(fdt, node, "#address-cells", 2));
	sc = cells(fdt, node, "#xen,static-mem-size-cells", cells(fdt, node, "#size-cells", 2));
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || len == 0 || len % ((ac + sc) * 4)) {
		log_err("%s: malformed xen,static-mem", c->name);
		return -XEN_EINVAL;
	}
	for (int off = 0; off < len / 4; off += ac + sc) {
		struct mem_range r = {dt_read_cells(p + off, ac), dt_read_cells(p + off + ac, sc)};

		if (c->nr_static == MAX_DOMAIN_BANKS) {
			log_err("%s: more than %d xen,static-mem ranges", c->name, MAX_DOMAIN_BANKS);
			return -XEN_EINVAL;
		}
		if (!r.size || !IS_ALIGNED(r.start | r.size, PAGE_SIZE) ||
		    r.start + r.size < r.start) {
			log_err("%s: xen,static-mem range 0x%llx+0x%llx is not page-aligned",
				c->name, (unsigned long long)r.start, (unsigned long long)r.size);
			return -XEN_EINVAL;
		}
		c->static_mem[c->nr_static++] = r;
	}
	return 0;
}

/* "BB:DD.F" in hex, as lspci prints it. */
static int parse_bdf(const char *s, uint16_t *bdf)
{
	char *e;
	unsigned long bus = strtoul(s, &e, 16), dev, fn;

	if (e != s + 2 || *e != ':')
		return -XEN_EINVAL;
	dev = strtoul(e + 1, &e, 16);
	if (e != s + 5 || *e != '.' || dev > 31)
		return -XEN_EINVAL;
	fn = strtoul(e + 1, &e, 16);
	if (*e || e != s + 7 || fn > 7 || bus > 255)
		return -XEN_EINVAL;
	*bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
	return 0;
}

/* The next entry of a string-list property: 1 with the entry and its length, 0 after the
 * last, -1 when the property does not end in a NUL (a malformed tree: parsing would run
 * past it). */
static int list_next(const char *list, int len, int *off, const char **s, size_t *n)
{
	const char *nul;

	if (!list || *off >= len)
		return 0;
	*s = list + *off;
	nul = memchr(*s, '\0', (size_t)(len - *off));
	*n = nul ? (size_t)(nul - *s) : (size_t)(len - *off); /* what is there, for messages */
	if (!nul)
		return -1;
	*off += (int)*n + 1;
	return 1;
}

/* mapvisor,pci-devices: the PCI functions this domain gets (mapvisor's own binding). */
static int parse_pci_devices(const void *fdt, int node, struct domain_cfg *c)
{
	int len, off = 0, more;
	const char *list = dt_getprop(fdt, node, "mapvisor,pci-devices", &len), *s = list;
	size_t n = 0;

	while ((more = list_next(list, len, &off, &s, &n))) {
		if (more < 0 || c->nr_pci == ARRAY_SIZE(c->pci_bdfs) ||
		    parse_bdf(s, &c->pci_bdfs[c->nr_pci])) {
			log_err("%s: mapvisor,pci-devices entry '%.*s': expected at most 8 functions "
				"written BB:DD.F (hex), e.g. \"00:01.0\"", c->name, (int)n, s);
			return -XEN_EINVAL;
		}
		c->nr_pci++;
	}
	return 0;
}

/* mapvisor,platform-devices: host DT paths of the platform devices this domain gets (Xen's
 * dom0less equivalent is a partial device tree with xen,path; a path list says the same for
 * devices copied whole). The nodes must exist; what they may be is assign.c's to check. */
static int parse_platform_devices(const void *fdt, int node, struct domain_cfg *c)
{
	int len, off = 0, more;
	const char *list = dt_getprop(fdt, node, "mapvisor,platform-devices", &len), *s = list;
	size_t n = 0;

	while ((more = list_next(list, len, &off, &s, &n))) {
		int dev = more > 0 && n && *s == '/' ? dt_path_offset_namelen(fdt, s, (int)n) : -1;

		if (c->nr_platform == ARRAY_SIZE(c->platform_nodes)) {
			log_err("%s: mapvisor,platform-devices: more than %u devices", c->name,
				(unsigned)ARRAY_SIZE(c->platform_nodes));
			return -XEN_EINVAL;
		}
		if (dev < 0) {
			log_err("%s: mapvisor,platform-devices entry '%.*s': no such node in the "
				"host device tree (give full paths, e.g. \"/virtio_mmio@a003e00\")",
				c->name, (int)n, s);
			return -XEN_EINVAL;
		}
		c->platform_nodes[c->nr_platform++] = dev;
	}
	return 0;
}

/* The first module of that kind for owner (-1: dom0), in DT order (Xen's rule). */
static const struct boot_module *module_of(int owner, enum module_kind kind,
					   const struct bootinfo *bi)
{
	for (unsigned i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].owner == owner && bi->modules[i].kind == kind)
			return &bi->modules[i];
	return NULL;
}

/* xen,enhanced as Xen 4.17 reads it (domain_build.c:construct_domU): absent, the domU is
 * not told it runs on Xen (no /hypervisor node: its OS must not rely on Xen's features);
 * "no-xenstore", a /hypervisor node (grant table, event channels) and no xenstore;
 * "enabled" or no value (or, for Xen, an unterminated one), xenstore set up later by dom0's
 * init-dom0less, which mapvisor has no toolstack to run. Xen ignores any other value (""
 * too); here it is a typo, refused. */
static int parse_xen_enhanced(const void *fdt, int node, struct domain_cfg *c)
{
	int len;
	const char *enh = fdt_getprop(fdt, node, "xen,enhanced", &len);

	if (!enh)
		return 0;
	if (len > 0 && memchr(enh, '\0', (size_t)len) != enh + len - 1) {
		log_err("%s: xen,enhanced is not one string (Xen reads an unterminated one as "
			"\"enabled\" and a list by its first string); write \"no-xenstore\"",
			c->name);
		return -XEN_EINVAL;
	}
	if (len == sizeof("no-xenstore") && !memcmp(enh, "no-xenstore", (size_t)len)) {
		c->xen_node = true;
		return 0;
	}
	if (len == 0 || (len == sizeof("enabled") && !memcmp(enh, "enabled", (size_t)len))) {
		log_err("%s: xen,enhanced = \"%.*s\" asks for xenstore, which mapvisor has no "
			"toolstack to serve; use \"no-xenstore\" (grant table and event channels, "
			"no xenstore)",
			c->name, len ? len - 1 : 0, enh);
		return -XEN_EINVAL;
	}
	log_err("%s: xen,enhanced = \"%.*s\" is not a value Xen 4.17 knows (\"enabled\", "
		"\"no-xenstore\"); mapvisor accepts \"no-xenstore\", or no xen,enhanced for a "
		"domU not told it runs on Xen",
		c->name, len - 1, enh);
	return -XEN_EINVAL;
}

/* Xen's dom0less bindings mapvisor does not implement (docs/misc/arm/device-tree/
 * booting.txt): accepted where ignoring them is safe, refused where the guest would miss
 * what the property promises. */
static int check_xen_bindings(const void *fdt, int node, const char *name)
{
	uint64_t v;

	if (prop_u64(fdt, node, "nr_spis", &v) == 0 && v > VGIC_NR_SPIS) {
		log_err("%s: nr_spis = %llu, but the virtual GIC has %u SPIs", name,
			(unsigned long long)v, VGIC_NR_SPIS);
		return -XEN_EINVAL;
	}
	if (dt_getprop(fdt, node, "xen,static-evtchn", NULL) ||
	    fdt_subnode_offset(fdt, node, "xen,static-evtchn") >= 0) {
		log_err("%s: xen,static-evtchn is not implemented: the guest would wait for "
			"event channels nobody set up; bind them at run time (alloc_unbound)", name);
		return -XEN_EINVAL;
	}
	if (prop_u64(fdt, node, "max_grant_frames", &v) == 0 && v > GNT_MAX_FRAMES)
		log_warn("%s: max_grant_frames = %llu: grant tables have %u frames here", name,
			 (unsigned long long)v, GNT_MAX_FRAMES);
	if (prop_u64(fdt, node, "max_grant_version", &v) == 0 && v > 1)
		log_warn("%s: max_grant_version = %llu: grant tables are v1 here, as Xen on Arm's "
			 "default", name, (unsigned long long)v);
	if (dt_getprop(fdt, node, "domain-cpupool", NULL))
		log_warn("%s: domain-cpupool ignored: there are no CPU pools, each vCPU gets its "
			 "own physical CPU in DT order", name);
	return 0;
}

int domain_cfg_domu(const struct bootinfo *bi, unsigned idx, struct domain_cfg *c)
{
	const void *fdt = bi->fdt;
	int node = bi->domu_nodes[idx];
	const char *colours = dt_getprop(fdt, node, "llc-colors", NULL);
	bool direct = dt_getprop(fdt, node, "direct-map", NULL) != NULL;
	uint64_t kib, vcpus = 1;
	int rc;

	memset(c, 0, sizeof(*c));
	c->id = (domid_t)(idx + 1);
	dt_path(fdt, node, c->name, sizeof(c->name));
	rc = prop_u64(fdt, node, "memory", &kib);
	if (rc || kib == 0 || kib > (1ULL << 40) || (kib * 1024) % PAGE_SIZE) {
		log_err("%s: %s memory property (KiB, a multiple of 4)", c->name,
			rc == -XEN_ENOENT ? "missing" : "bad");
		return -XEN_EINVAL;
	}
	c->mem_bytes = kib * 1024;
	rc = prop_u64(fdt, node, "cpus", &vcpus);
	c->nr_vcpus = (unsigned)vcpus;
	if (rc == -XEN_EINVAL || c->nr_vcpus < 1 || c->nr_vcpus > MAX_VCPUS) {
		log_err("%s: bad cpus property (1 to %d)", c->name, MAX_VCPUS);
		return -XEN_EINVAL;
	}
	if (parse_xen_enhanced(fdt, node, c) || check_xen_bindings(fdt, node, c->name) ||
	    parse_static_mem(fdt, node, c) || parse_pci_devices(fdt, node, c) ||
	    parse_platform_devices(fdt, node, c))
		return -XEN_EINVAL;
	if (direct && colours) {
		log_err("%s: direct-map and llc-colors together: a coloured domain is never 1:1; "
			"drop one of them", c->name);
		return -XEN_EINVAL;
	}
	if (direct && !c->nr_static) {
		log_err("%s: direct-map needs xen,static-mem, the host range it gets 1:1 (as Xen "
			"requires)", c->name);
		return -XEN_EINVAL;
	}
	if (c->nr_static && colours) {
		log_err("%s: xen,static-mem and llc-colors together: static memory cannot be "
			"limited to colours", c->name);
		return -XEN_EINVAL;
	}
	if (c->nr_static) {
		uint64_t total = 0;

		for (unsigned i = 0; i < c->nr_static; i++)
			total += c->static_mem[i].size;
		if (total != c->mem_bytes) {
			log_err("%s: memory = %llu KiB but xen,static-mem adds up to %llu KiB",
				c->name, (unsigned long long)kib, (unsigned long long)(total >> 10));
			return -XEN_EINVAL;
		}
	}
	if (colours) {
		if (!colours_enabled_for(c->name, "llc-colors") ||
		    colour_parse_list(colours, colours_nr(), &c->colours, c->name))
			return -XEN_EINVAL;
		c->mode = MEM_COLOURED;
	} else if (direct) {
		c->mode = MEM_DIRECT_MAPPED;
	} else if (c->nr_static || !colours_on()) {
		c->mode = MEM_TRANSLATED;
	} else {
		/* Xen: with colouring on, a domain without llc-colors gets all colours */
		colour_set_all(&c->colours, colours_nr());
		c->mode = MEM_COLOURED;
	}
	c->kernel = module_of((int)idx, MODULE_KERNEL, bi);
	c->ramdisk = module_of((int)idx, MODULE_RAMDISK, bi);
	if (!c->kernel) {
		log_err("%s: no kernel: add a module@ADDR subnode with compatible = "
			"\"multiboot,kernel\", \"multiboot,module\"", c->name);
		return -XEN_EINVAL;
	}
	c->bootargs = c->kernel->bootargs;
	c->vpl011 = dt_getprop(fdt, node, "vpl011", NULL) != NULL;
	return 0;
}

/* dom0_mem's amount (or its max:, or the default) within its min: and max: */
static uint64_t dom0_mem(const struct hv_options *o)
{
	uint64_t m = o->dom0_mem_bytes ? o->dom0_mem_bytes
		     : o->dom0_mem_max ? o->dom0_mem_max : DOM0_MEM_DEFAULT;

	m = MAX(m, o->dom0_mem_min);
	if (o->dom0_mem_max)
		m = MIN(m, o->dom0_mem_max);
	return ALIGN_UP(m, PAGE_SIZE);
}

int domain_cfg_dom0(const struct bootinfo *bi, const struct hv_options *o,
		    struct domain_cfg *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->name, "dom0", 5);
	c->hardware = true;
	c->xen_node = true;
	c->mem_bytes = dom0_mem(o);
	c->nr_vcpus = o->dom0_max_vcpus; /* 0: domain_cfgs_parse gives it what domUs leave */
	c->kernel = bi->dom0_kernel >= 0 ? &bi->modules[bi->dom0_kernel] : NULL;
	c->ramdisk = module_of(-1, MODULE_RAMDISK, bi);
	c->bootargs = c->kernel && c->kernel->bootargs ? c->kernel->bootargs : bi->dom0_bootargs;
	c->mode = MEM_DIRECT_MAPPED;
	if (o->dom0_colours[0]) {
		if (!colours_enabled_for("dom0", "dom0-llc-colors"))
			return -XEN_EINVAL;
		if (colour_parse_list(o->dom0_colours, colours_nr(), &c->colours,
				      "dom0-llc-colors"))
			return -XEN_EINVAL;
		c->mode = MEM_COLOURED;
	} else if (colours_on()) {
		/* Xen: with colouring on, dom0 is coloured (all colours by default), never 1:1 */
		colour_set_all(&c->colours, colours_nr());
		c->mode = MEM_COLOURED;
	}
	return 0;
}

/* Static partitioning: each vCPU gets the next physical CPU, dom0 first. */
/* Xen gives dom0 every CPU; here each vCPU owns its CPU, so dom0 gets those the domUs
 * leave (at least one: too few is then the CPU check's error, naming the domain). */
static unsigned dom0_default_vcpus(const struct bootinfo *bi, const struct domain_cfg *cfgs,
				   unsigned nr)
{
	unsigned domus = 0;

	for (unsigned i = 1; i < nr; i++)
		domus += cfgs[i].nr_vcpus;
	return domus < bi->nr_cpus ? MIN(bi->nr_cpus - domus, MAX_VCPUS) : 1;
}

int domain_cfgs_assign_cpus(const struct bootinfo *bi, struct domain_cfg *cfgs, unsigned nr)
{
	unsigned next = 0;

	if (nr && cfgs[0].hardware && !cfgs[0].nr_vcpus)
		cfgs[0].nr_vcpus = dom0_default_vcpus(bi, cfgs, nr);
	for (unsigned i = 0; i < nr; i++) {
		if (next + cfgs[i].nr_vcpus > bi->nr_cpus) {
			log_err("%s: %u vCPU(s) but only %u physical CPU(s) are free (%u in the "
				"machine, one per vCPU)", cfgs[i].name, cfgs[i].nr_vcpus,
				bi->nr_cpus - next, bi->nr_cpus);
			return -XEN_EINVAL;
		}
		cfgs[i].first_pcpu = next;
		next += cfgs[i].nr_vcpus;
	}
	return 0;
}

int domain_cfgs_parse(const struct bootinfo *bi, const struct hv_options *o,
		      struct domain_cfg *cfgs, unsigned *nr)
{
	int rc = 0;

	*nr = 0;
	if (bi->dom0_kernel < 0 && !bi->nr_domu_nodes) {
		log_err("no dom0 kernel: add a /chosen/module@ADDR node with compatible = "
			"\"multiboot,kernel\", \"multiboot,module\" and reg = <ADDR SIZE>");
		return -XEN_EINVAL;
	}
	if (bi->dom0_kernel >= 0 && domain_cfg_dom0(bi, o, &cfgs[(*nr)++]))
		rc = -XEN_EINVAL;
	for (unsigned i = 0; i < bi->nr_domu_nodes; i++)
		if (domain_cfg_domu(bi, i, &cfgs[(*nr)++]))
			rc = -XEN_EINVAL;
	if (!rc)
		rc = domain_cfgs_assign_cpus(bi, cfgs, *nr);
	return rc;
}

void domain_cfgs_warn_shared_colours(const struct domain_cfg *cfgs, unsigned nr,
				     const struct colour_set *xen_colours)
{
	for (unsigned i = 0; i < nr; i++) {
		if (cfgs[i].mode != MEM_COLOURED)
			continue;
		if (colour_sets_intersect(&cfgs[i].colours, xen_colours))
			log_warn("%s shares cache colours with the hypervisor (xen-llc-colors): "
				 "its cache isolation is lost", cfgs[i].name);
		for (unsigned j = i + 1; j < nr; j++)
			if (cfgs[j].mode == MEM_COLOURED &&
			    colour_sets_intersect(&cfgs[i].colours, &cfgs[j].colours))
				log_warn("%s and %s share cache colours: their cache isolation is "
					 "lost", cfgs[i].name, cfgs[j].name);
	}
}
