/* What the host device tree says, read once at boot (libfdt is used only here and in
 * domain_dt.c): RAM, reservations, CPUs, interrupt controller, IOMMUs, PCI, console, and
 * Xen's boot bindings under /chosen. */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H
#include "types.h"

#define BOOTINFO_MAX_DTB (2U << 20) /* as Linux: a DTB is at most 2 MiB */

enum module_kind { MODULE_KERNEL, MODULE_RAMDISK, MODULE_OTHER, MODULE_DEVICE_TREE };

struct boot_module {
	enum module_kind kind;
	int owner;            /* -1: dom0; else index into bootinfo.domu_nodes */
	paddr_t start;
	uint64_t size;
	const char *bootargs; /* points into the DTB; NULL if none */
	char path[96];
};

struct boot_device {
	paddr_t base;
	uint64_t size;
	int node;
	char path[96];
};

struct bootinfo {
	const void *fdt;
	struct mem_range ram[MAX_RAM_BANKS];
	unsigned nr_ram;
	struct mem_range reserved[MAX_RESERVED]; /* /memreserve/ and /reserved-memory */
	unsigned nr_reserved;
	uint64_t cpu_mpidr[MAX_CPUS];
	unsigned nr_cpus;
	bool psci_smc;                 /* firmware PSCI conduit is SMC */
	struct boot_device gicd, gicr; /* GICv3 distributor, redistributors */
	int gic_node;
	struct boot_device uart;       /* the hypervisor's console */
	unsigned uart_intid;	       /* its SPI's INTID (GIC specifier <0 n f>), 0 if none */
	bool uart_edge;
	struct boot_device smmu[4];
	unsigned nr_smmu;
	struct boot_device pci[4];     /* ECAM windows of PCI host bridges */
	unsigned nr_pci;
	const char *xen_bootargs;      /* /chosen/xen,xen-bootargs */
	const char *dom0_bootargs;     /* /chosen/xen,dom0-bootargs */
	struct boot_module modules[MAX_MODULES];
	unsigned nr_modules;
	int dom0_kernel;               /* index into modules, -1 if none */
	int domu_nodes[MAX_DOMAINS];   /* /chosen nodes with compatible "xen,domain" */
	unsigned nr_domu_nodes;
};

/* Reads the DTB; logs and returns -XEN_EINVAL naming the node on a malformed tree. The
 * console (uart) is chosen by dtuart when non-empty, else by /chosen/stdout-path. */
int bootinfo_parse(const void *fdt, const char *dtuart, struct bootinfo *bi);
/* bootinfo_parse in two steps, for the boot, which reads the command line in between (by
 * the index then, not by a scan of the blob): the blob's checks and its index, silently (0
 * or -XEN_EINVAL: then bootinfo_parse says why); then the parse of the blob so checked. */
int bootinfo_check(const void *fdt);
int bootinfo_parse_checked(const void *fdt, const char *dtuart, struct bootinfo *bi);
/* Only the CPUs, Xen's boot configuration (/chosen), the SMMUv3s and ECAM host bridges, for
 * tools/dmacheck on boards the hypervisor itself may not run on. The caller has checked the blob (fdt_check_full). */
int bootinfo_parse_boot_config(const void *fdt, struct bootinfo *bi);
/* Just /chosen/xen,xen-bootargs, needed before the full parse (it names the console). */
const char *bootinfo_xen_bootargs(const void *fdt);

#endif
