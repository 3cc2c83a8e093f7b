/* Reads the host device tree once at boot: the machine (RAM, reservations, CPUs, GICv3,
 * IOMMUs, PCI host bridges, console) and Xen's boot bindings under /chosen
 * (docs/misc/arm/device-tree/booting.txt). Every error names the node. */
#include "bootinfo.h"
#include "dt.h"
#include "log.h"
#include <libfdt.h>
#include <string.h>

#define PATH_LEN 96

static void node_path(const void *fdt, int node, char *buf)
{
	dt_path(fdt, node, buf, PATH_LEN);
}

const char *bootinfo_xen_bootargs(const void *fdt)
{
	int chosen = dt_path_offset(fdt, "/chosen");

	return chosen < 0 ? NULL : dt_getprop(fdt, chosen, "xen,xen-bootargs", NULL);
}

static int parse_memory(const void *fdt, struct bootinfo *bi)
{
	char path[PATH_LEN];
	int node = -1;

	while ((node = dt_node_by_prop_value(fdt, node, "device_type", "memory", 7)) >= 0) {
		paddr_t base;
		uint64_t size;
		int rc;

		if (!dt_node_enabled(fdt, node))
			continue;
		for (int i = 0; (rc = dt_reg(fdt, node, i, &base, &size)) == 0; i++) {
			if (size == 0)
				continue;
			if (bi->nr_ram == MAX_RAM_BANKS) {
				log_warn("%s: more than %d RAM banks, ignoring the rest",
					 dt_path(fdt, node, path, PATH_LEN), MAX_RAM_BANKS);
				break;
			}
			bi->ram[bi->nr_ram++] = (struct mem_range){base, size};
		}
		if (rc != -XEN_ENOENT && rc != 0) {
			log_err("%s: malformed reg", dt_path(fdt, node, path, PATH_LEN));
			return -XEN_EINVAL;
		}
	}
	if (!bi->nr_ram) {
		log_err("no memory node (device_type = \"memory\") in the device tree");
		return -XEN_EINVAL;
	}
	return 0;
}

static void add_reserved(struct bootinfo *bi, paddr_t base, uint64_t size, const char *what)
{
	if (size == 0)
		return;
	if (bi->nr_reserved == MAX_RESERVED) {
		log_warn("too many reserved regions: %s 0x%llx ignored", what,
			 (unsigned long long)base);
		return;
	}
	bi->reserved[bi->nr_reserved++] = (struct mem_range){base, size};
}

static int parse_reserved(const void *fdt, struct bootinfo *bi)
{
	char path[PATH_LEN];
	int n = fdt_num_mem_rsv(fdt), parent, node;

	for (int i = 0; i < n; i++) {
		uint64_t addr, size;

		if (fdt_get_mem_rsv(fdt, i, &addr, &size) == 0)
			add_reserved(bi, addr, size, "/memreserve/");
	}
	parent = dt_path_offset(fdt, "/reserved-memory");
	if (parent < 0)
		return 0;
	dt_for_each_child(node, fdt, parent) {
		paddr_t base;
		uint64_t size;
		int rc;

		if (!dt_node_enabled(fdt, node))
			continue;
		for (int i = 0; (rc = dt_reg(fdt, node, i, &base, &size)) == 0; i++)
			add_reserved(bi, base, size, dt_path(fdt, node, path, PATH_LEN));
		if (rc != -XEN_ENOENT) {
			log_err("%s: malformed reg", dt_path(fdt, node, path, PATH_LEN));
			return -XEN_EINVAL;
		}
	}
	return 0;
}

static int parse_cpus(const void *fdt, struct bootinfo *bi)
{
	int cpus = dt_path_offset(fdt, "/cpus"), node, len;

	if (cpus < 0) {
		log_err("no /cpus node in the device tree");
		return -XEN_EINVAL;
	}
	dt_for_each_child(node, fdt, cpus) {
		const char *type = dt_getprop(fdt, node, "device_type", &len);
		paddr_t mpidr;
		uint64_t unused;

		if (!type || strcmp(type, "cpu") || !dt_node_enabled(fdt, node))
			continue;
		if (dt_reg_raw(fdt, node, 0, &mpidr, &unused)) {
			char path[PATH_LEN];

			log_err("%s: malformed reg (MPIDR)", dt_path(fdt, node, path, PATH_LEN));
			return -XEN_EINVAL;
		}
		if (bi->nr_cpus == MAX_CPUS) {
			log_warn("more than %d CPUs: the rest are not used", MAX_CPUS);
			break;
		}
		bi->cpu_mpidr[bi->nr_cpus++] = mpidr;
	}
	if (!bi->nr_cpus) {
		log_err("no cpu node under /cpus");
		return -XEN_EINVAL;
	}
	node = dt_node_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = dt_node_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = dt_node_by_compatible(fdt, -1, "arm,psci");
	if (node >= 0) {
		const char *method = dt_getprop(fdt, node, "method", NULL);

		bi->psci_smc = method && !strcmp(method, "smc");
		if (!bi->psci_smc)
			log_warn("PSCI method is not \"smc\": a hypervisor at EL2 cannot call its "
				 "firmware with hvc; secondary CPUs will not start");
	} else {
		log_warn("no PSCI node: secondary CPUs will not start");
	}
	return 0;
}

static int device_at(const void *fdt, int node, int idx, struct boot_device *dev)
{
	dev->node = node;
	node_path(fdt, node, dev->path);
	if (dt_reg(fdt, node, idx, &dev->base, &dev->size)) {
		log_err("%s: malformed or missing reg", dev->path);
		return -XEN_EINVAL;
	}
	return 0;
}

static int parse_gic(const void *fdt, struct bootinfo *bi)
{
	int node = dt_node_by_compatible(fdt, -1, "arm,gic-v3");

	if (node < 0) {
		log_err("no GICv3 (compatible \"arm,gic-v3\") in the device tree: mapvisor needs "
			"GICv3 (QEMU: -M virt,gic-version=3)");
		return -XEN_EINVAL;
	}
	bi->gic_node = node;
	if (device_at(fdt, node, 0, &bi->gicd) || device_at(fdt, node, 1, &bi->gicr))
		return -XEN_EINVAL;
	return 0;
}

static void parse_iommus_and_pci(const void *fdt, struct bootinfo *bi)
{
	int node = -1;

	while ((node = dt_node_by_compatible(fdt, node, "arm,smmu-v3")) >= 0) {
		if (bi->nr_smmu < ARRAY_SIZE(bi->smmu) && dt_node_enabled(fdt, node) &&
		    device_at(fdt, node, 0, &bi->smmu[bi->nr_smmu]) == 0)
			bi->nr_smmu++;
	}
	node = -1;
	while ((node = dt_node_by_compatible(fdt, node, "pci-host-ecam-generic")) >= 0) {
		if (bi->nr_pci < ARRAY_SIZE(bi->pci) && dt_node_enabled(fdt, node) &&
		    device_at(fdt, node, 0, &bi->pci[bi->nr_pci]) == 0)
			bi->nr_pci++;
	}
}

/* The console's receive interrupt: its first GIC SPI (3-cell specifier, type 0; flags 1
 * and 2 are edges). None (or another kind) leaves the console output-only. */
static void parse_console_irq(const void *fdt, int node, struct bootinfo *bi)
{
	int len;
	const uint32_t *p = dt_getprop(fdt, node, "interrupts", &len);

	bi->uart_intid = 0;
	if (!p || len < 12 || dt_read_cells(p, 1) != 0)
		return;
	bi->uart_intid = 32 + (unsigned)dt_read_cells(p + 1, 1);
	bi->uart_edge = dt_read_cells(p + 2, 1) & 3;
}

/* dtuart= (Xen) or /chosen/stdout-path: a path or alias, optionally ":options". */
static int parse_console(const void *fdt, const char *dtuart, struct bootinfo *bi)
{
	const char *spec = dtuart && *dtuart ? dtuart : NULL;
	int chosen = dt_path_offset(fdt, "/chosen"), node;

	if (!spec && chosen >= 0)
		spec = dt_getprop(fdt, chosen, "stdout-path", NULL);
	if (!spec) {
		bi->uart.node = -1;
		return 0;
	}
	const char *colon = strchr(spec, ':');
	node = dt_path_offset_namelen(fdt, spec, colon ? (int)(colon - spec) : (int)strlen(spec));
	if (node < 0 || !dt_node_is_compatible(fdt, node, "arm,pl011")) {
		bi->uart.node = -1;
		log_err("console '%s' (%s) is not a PL011 in the device tree", spec,
			dtuart && *dtuart ? "dtuart=" : "/chosen/stdout-path");
		return -XEN_EINVAL;
	}
	parse_console_irq(fdt, node, bi);
	return device_at(fdt, node, 0, &bi->uart);
}

static bool is_module(const void *fdt, int node, enum module_kind *kind)
{
	if (dt_node_is_compatible(fdt, node, "multiboot,device-tree")) {
		*kind = MODULE_DEVICE_TREE;
		return true;
	}
	if (dt_node_is_compatible(fdt, node, "multiboot,kernel") ||
	    dt_node_is_compatible(fdt, node, "xen,linux-zimage"))
		*kind = MODULE_KERNEL;
	else if (dt_node_is_compatible(fdt, node, "multiboot,ramdisk") ||
		 dt_node_is_compatible(fdt, node, "xen,linux-initrd"))
		*kind = MODULE_RAMDISK;
	else if (dt_node_is_compatible(fdt, node, "multiboot,module") ||
		 dt_node_is_compatible(fdt, node, "xen,multiboot-module"))
		*kind = MODULE_OTHER;
	else
		return false;
	return true;
}

static int add_module(const void *fdt, int node, enum module_kind kind, int owner,
		      struct bootinfo *bi)
{
	struct boot_module *m;

	if (bi->nr_modules == MAX_MODULES) {
		log_err("more than %d boot modules under /chosen", MAX_MODULES);
		return -XEN_EINVAL;
	}
	m = &bi->modules[bi->nr_modules];
	m->kind = kind;
	m->owner = owner;
	node_path(fdt, node, m->path);
	if (dt_reg_raw(fdt, node, 0, &m->start, &m->size) || m->size == 0) {
		log_err("%s: malformed or empty reg (needs #address-cells and #size-cells in its "
			"parent)", m->path);
		return -XEN_EINVAL;
	}
	m->bootargs = dt_getprop(fdt, node, "bootargs", NULL);
	return (int)bi->nr_modules++;
}

/* The modules directly under node (/chosen for dom0, or a domU node). Xen's rule: a module
 * that says only "multiboot,module" is the kernel if it is the first, the ramdisk if the
 * second. Returns the kernel's index in bi->modules, -1 if none, or an error. */
static int parse_modules(const void *fdt, int parent, int owner, struct bootinfo *bi)
{
	int node, plain = 0, kernel = -1;

	dt_for_each_child(node, fdt, parent) {
		enum module_kind kind;
		int idx;

		if (!is_module(fdt, node, &kind))
			continue;
		if (kind == MODULE_DEVICE_TREE) {
			char path[PATH_LEN];

			log_err("%s: a multiboot,device-tree module (Xen's partial device tree for "
				"passthrough) is not supported: name the host devices in the domain "
				"node's mapvisor,platform-devices (or mapvisor,pci-devices) instead",
				dt_path(fdt, node, path, PATH_LEN));
			return -XEN_EINVAL;
		}
		if (kind == MODULE_OTHER)
			kind = plain++ == 0 ? MODULE_KERNEL : MODULE_RAMDISK;
		idx = add_module(fdt, node, kind, owner, bi);
		if (idx < 0)
			return idx;
		if (kind == MODULE_KERNEL && kernel < 0)
			kernel = idx;
	}
	return kernel;
}

static int parse_chosen(const void *fdt, struct bootinfo *bi)
{
	int chosen = dt_path_offset(fdt, "/chosen"), node, rc;

	bi->dom0_kernel = -1;
	if (chosen < 0)
		return 0;
	bi->xen_bootargs = dt_getprop(fdt, chosen, "xen,xen-bootargs", NULL);
	bi->dom0_bootargs = dt_getprop(fdt, chosen, "xen,dom0-bootargs", NULL);
	rc = parse_modules(fdt, chosen, -1, bi);
	if (rc < -1)
		return rc;
	bi->dom0_kernel = rc;
	dt_for_each_child(node, fdt, chosen) {
		if (!dt_node_is_compatible(fdt, node, "xen,domain"))
			continue;
		if (bi->nr_domu_nodes == MAX_DOMAINS - 1) {
			char path[PATH_LEN];

			log_err("%s: more than %d dom0less domains", dt_path(fdt, node, path,
									PATH_LEN), MAX_DOMAINS - 1);
			return -XEN_EINVAL;
		}
		bi->domu_nodes[bi->nr_domu_nodes] = node;
		rc = parse_modules(fdt, node, (int)bi->nr_domu_nodes, bi);
		if (rc < -1)
			return rc;
		bi->nr_domu_nodes++;
	}
	return 0;
}

int bootinfo_parse_boot_config(const void *fdt, struct bootinfo *bi)
{
	int rc;

	memset(bi, 0, sizeof(*bi));
	bi->fdt = fdt;
	bi->uart.node = -1;
	bi->gic_node = -1;
	rc = parse_cpus(fdt, bi);
	if (!rc)
		rc = parse_chosen(fdt, bi);
	parse_iommus_and_pci(fdt, bi); /* what claiming keeps for the hypervisor */
	return rc;
}

/* The blob's checks (0, 1 for a bad header, or dt_check_blob's error), and on success its
 * index (a tree too large to index is read more slowly, not refused). */
static int check_and_index(const void *fdt)
{
	int rc;

	if (fdt_magic(fdt) != FDT_MAGIC || fdt_totalsize(fdt) > BOOTINFO_MAX_DTB)
		return 1;
	rc = dt_check_blob(fdt, fdt_totalsize(fdt));
	if (!rc)
		dt_index_build(fdt);
	return rc;
}

int bootinfo_check(const void *fdt)
{
	return check_and_index(fdt) ? -XEN_EINVAL : 0;
}

int bootinfo_parse_checked(const void *fdt, const char *dtuart, struct bootinfo *bi)
{
	int rc;

	memset(bi, 0, sizeof(*bi));
	bi->fdt = fdt;
	bi->uart.node = -1;
	bi->gic_node = -1;
	rc = parse_console(fdt, dtuart, bi);
	if (!rc)
		rc = parse_memory(fdt, bi);
	if (!rc)
		rc = parse_reserved(fdt, bi);
	if (!rc)
		rc = parse_cpus(fdt, bi);
	if (!rc)
		rc = parse_gic(fdt, bi);
	if (!rc)
		parse_iommus_and_pci(fdt, bi);
	if (!rc)
		rc = parse_chosen(fdt, bi);
	return rc;
}

int bootinfo_parse(const void *fdt, const char *dtuart, struct bootinfo *bi)
{
	int rc = check_and_index(fdt);

	if (rc) {
		memset(bi, 0, sizeof(*bi));
		bi->fdt = fdt;
		bi->uart.node = -1;
		bi->gic_node = -1;
		if (rc == 1)
			log_err("the device tree blob has a bad header");
		else
			log_err("the device tree blob is malformed: %s", fdt_strerror(rc));
		return -XEN_EINVAL;
	}
	return bootinfo_parse_checked(fdt, dtuart, bi);
}
