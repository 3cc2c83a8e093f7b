/* What each domain should be, read from the boot configuration (dom0 from the command line,
 * domUs from their /chosen nodes, Xen's dom0less bindings) and checked as a whole before
 * anything is built: every refusal names the node or option. */
#ifndef HV_DOMAIN_CFG_H
#define HV_DOMAIN_CFG_H
#include "bootinfo.h"
#include "cmdline.h"
#include "domain.h"

struct domain_cfg {
	domid_t id;
	char name[96];
	bool hardware;
	enum mem_mode mode;
	uint64_t mem_bytes;
	unsigned nr_vcpus;
	unsigned first_pcpu;
	struct mem_range static_mem[MAX_DOMAIN_BANKS]; /* xen,static-mem */
	unsigned nr_static;
	struct colour_set colours;
	uint16_t pci_bdfs[8];   /* mapvisor,pci-devices = "00:01.0", ... */
	unsigned nr_pci;
	int platform_nodes[8]; /* mapvisor,platform-devices = "/virtio_mmio@a003e00", ... */
	unsigned nr_platform;
	const struct boot_module *kernel;
	const struct boot_module *ramdisk; /* its first ramdisk module, or NULL */
	const char *bootargs;
	bool vpl011; /* Xen's vpl011 property: an emulated SBSA UART (vpl011.h) */
	bool xen_node; /* a /hypervisor node in its DT: dom0, or xen,enhanced = "no-xenstore" */
};

/* Fills cfgs (dom0 first if there is a dom0 kernel, then domUs in DT order). Logs every
 * problem found; -XEN_EINVAL if any. */
int domain_cfgs_parse(const struct bootinfo *bi, const struct hv_options *o,
		      struct domain_cfg *cfgs, unsigned *nr);
/* The pieces, for tools/dmacheck: dom0 (its kernel module may be absent) and one domU. */
int domain_cfg_dom0(const struct bootinfo *bi, const struct hv_options *o,
		    struct domain_cfg *c);
int domain_cfg_domu(const struct bootinfo *bi, unsigned idx, struct domain_cfg *c);
/* One physical CPU per vCPU, dom0 first; a dom0 without dom0_max_vcpus gets the CPUs the
 * domUs leave. */
int domain_cfgs_assign_cpus(const struct bootinfo *bi, struct domain_cfg *cfgs, unsigned nr);

/* Warnings for colours shared between domains or with the hypervisor. */
void domain_cfgs_warn_shared_colours(const struct domain_cfg *cfgs, unsigned nr,
				     const struct colour_set *xen_colours);

#define DOM0_MEM_DEFAULT (128ULL << 20) /* Xen on Arm's historical default */

#endif
