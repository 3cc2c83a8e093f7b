// SPDX-License-Identifier: GPL-2.0
/*
 * mapvisor_dma: per-device DMA ops for a Linux domain on mapvisor, from the protection mark
 * mapvisor writes on every DMA master's DT node, and the domain's word to mapvisor that it
 * then needs no GFN == MFN alias of the foreign pages it maps (docs/per-device-dma.md).
 *
 * Read against Linux 6.1 (Debian's 6.1.0-N-arm64): arch/arm64/mm/dma-mapping.c
 * (arch_setup_dma_ops ends in xen_setup_dma_ops), include/xen/arm/xen-ops.h (which puts
 * every device on xen_swiotlb_dma_ops when xen_swiotlb_detect() holds),
 * include/linux/dma-map-ops.h (set_dma_ops; a NULL dev->dma_ops is dma-direct),
 * drivers/base/dd.c (really_probe: bus->dma_configure, then BUS_NOTIFY_BIND_DRIVER, then
 * the driver's probe) and arch/arm64/xen/hypercall.S (hvc #0xEA1, number in x16).
 *
 * The rule: a device whose node carries "mapvisor,dma-protected" DMAs through an IOMMU
 * that walks the domain's own stage 2, so a guest-physical address is right for its own
 * pages and for foreign ones alike: dma-direct. Every other device keeps what Linux chose
 * (swiotlb-xen on a 1:1 domain: it needs machine addresses). The ops are replaced at
 * BUS_NOTIFY_BIND_DRIVER, after the bus has set them up for this probe and before the
 * driver can map anything, so devices that appear or bind later are covered too.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/version.h>
#include <xen/xen.h>
#include <xen/features.h>
#include <xen/arm/swiotlb-xen.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#error "mapvisor_dma knows Linux 6.1's DMA-ops rule only"
#endif
#ifndef CONFIG_KALLSYMS
#error "swiotlb-xen's ops are told by symbol name: CONFIG_KALLSYMS is needed"
#endif

/* mapvisor's ABI (include/mapvisor/op.h in the repository) */
#define MAPVISOR_HYPERCALL 55 /* Xen's __HYPERVISOR_arch_7: unused by Xen on Arm */
#define MAPVISOR_OP_QUERY 0
#define MAPVISOR_OP_DMA_DECLARE 1
#define MAPVISOR_OP_DMA_STATUS 3
#define MAPVISOR_OP_MAGIC 0x4d560001
#define MAPVISOR_DMA_MAX_DEVS 64
#define MAPVISOR_DMA_PCI(seg, bus, devfn) ((u32)(seg) << 16 | (u32)(bus) << 8 | (devfn))

struct mapvisor_dma_declare {
	u32 nr_devs;
	u32 pad;
	u64 devs;
};

static bool declare = true;
module_param(declare, bool, 0444);
MODULE_PARM_DESC(declare, "tell mapvisor no 1:1 alias is needed once every protected device is on dma-direct (default on)");

static bool test_misdirect_unprotected;
module_param(test_misdirect_unprotected, bool, 0444);
MODULE_PARM_DESC(test_misdirect_unprotected, "TESTS ONLY: put unprotected devices on dma-direct too (their DMA to foreign pages goes to the wrong frame)");

static bool test_declare_on_swiotlb_xen;
module_param(test_declare_on_swiotlb_xen, bool, 0444);
MODULE_PARM_DESC(test_declare_on_swiotlb_xen, "TESTS ONLY: leave protected devices on swiotlb-xen but give the word anyway (a lying guest: its DMA to foreign pages faults in the IOMMU)");

enum mark { MARK_NONE, MARK_PROTECTED, MARK_UNPROTECTED };

struct choice {
	struct list_head link;
	char dev[48];
	char node[96];
	enum mark mark;
	const char *path;
};

static LIST_HEAD(choices);
static DEFINE_MUTEX(choices_lock);
static struct dentry *dbg_dir;
static long declared_rc = 1; /* 1: not tried yet; under declare_lock */
static DEFINE_MUTEX(declare_lock);

static long mapvisor_op(unsigned long cmd, unsigned long arg)
{
	register unsigned long x0 asm("x0") = cmd;
	register unsigned long x1 asm("x1") = arg;
	register unsigned long x16 asm("x16") = MAPVISOR_HYPERCALL;

	/* the Xen convention: x1-x4 and x16 may be clobbered */
	asm volatile("hvc #0xea1"
		     : "+r"(x0), "+r"(x1), "+r"(x16)
		     :
		     : "x2", "x3", "x4", "memory");
	return (long)x0;
}

static enum mark dev_mark(struct device *dev)
{
	if (!dev->of_node)
		return MARK_NONE;
	if (of_property_read_bool(dev->of_node, "mapvisor,dma-protected"))
		return MARK_PROTECTED;
	if (of_property_read_bool(dev->of_node, "mapvisor,dma-unprotected"))
		return MARK_UNPROTECTED;
	return MARK_NONE;
}

/* xen_swiotlb_dma_ops is not exported: it is told by the function it maps pages with. */
static bool is_swiotlb_xen(const struct dma_map_ops *ops)
{
	char sym[KSYM_SYMBOL_LEN];

	if (!ops || !ops->map_page)
		return false;
	sprint_symbol_no_offset(sym, (unsigned long)ops->map_page);
	return !strcmp(sym, "xen_swiotlb_map_page");
}

static const char *ops_name(const struct dma_map_ops *ops)
{
	if (!ops)
		return "dma-direct";
	return is_swiotlb_xen(ops) ? "swiotlb-xen" : "other DMA ops";
}

static void record(struct device *dev, enum mark mark, const char *path)
{
	struct choice *c;

	mutex_lock(&choices_lock);
	list_for_each_entry(c, &choices, link)
		if (!strcmp(c->dev, dev_name(dev)))
			goto found;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto out;
	strscpy(c->dev, dev_name(dev), sizeof(c->dev));
	snprintf(c->node, sizeof(c->node), "%pOF", dev->of_node);
	list_add_tail(&c->link, &choices);
found:
	c->mark = mark;
	c->path = path;
out:
	mutex_unlock(&choices_lock);
}

/* The choice for one device whose ops the bus has just set up (or that has no driver). */
static void choose(struct device *dev, bool bound)
{
	enum mark mark = dev_mark(dev);
	const struct dma_map_ops *ops = get_dma_ops(dev);
	const char *why;

	if (mark == MARK_NONE)
		return;
	if ((mark == MARK_UNPROTECTED && !test_misdirect_unprotected) ||
	    (mark == MARK_PROTECTED && test_declare_on_swiotlb_xen)) {
		why = mark == MARK_PROTECTED ? "protected, kept: test_declare_on_swiotlb_xen" :
		      ops ? "unprotected: kept" : "unprotected: Linux chose it";
		dev_info(dev, "mapvisor_dma: %pOF: %s (%s)\n", dev->of_node, ops_name(ops), why);
		record(dev, mark, ops_name(ops));
		return;
	}
	if (!ops) {
		dev_info(dev, "mapvisor_dma: %pOF: dma-direct already (%s)\n", dev->of_node,
			 mark == MARK_PROTECTED ? "protected" : "unprotected");
		record(dev, mark, "dma-direct already");
		return;
	}
	if (!is_swiotlb_xen(ops)) {
		dev_info(dev, "mapvisor_dma: %pOF: kept %ps's ops (not swiotlb-xen)\n",
			 dev->of_node, ops->map_page);
		record(dev, mark, "other DMA ops");
		return;
	}
	if (bound) {
		/* its driver may hold swiotlb-xen mappings: changing ops now would strand them */
		dev_warn(dev, "mapvisor_dma: %pOF: %s but bound to %s before mapvisor_dma "
			 "loaded: left on swiotlb-xen (load mapvisor_dma before its driver)\n",
			 dev->of_node, mark == MARK_PROTECTED ? "protected" : "forced",
			 dev->driver->name);
		record(dev, mark, "swiotlb-xen (bound before the module)");
		return;
	}
	set_dma_ops(dev, NULL);
	if (mark == MARK_UNPROTECTED) {
		dev_warn(dev, "mapvisor_dma: %pOF: dma-direct FORCED on an unprotected device "
			 "(test_misdirect_unprotected): DMA to foreign pages goes to the wrong frame\n",
			 dev->of_node);
		record(dev, mark, "dma-direct (forced, test only)");
		return;
	}
	dev_info(dev, "mapvisor_dma: %pOF: dma-direct (protected; was swiotlb-xen)\n",
		 dev->of_node);
	record(dev, mark, "dma-direct");
}

static int collect_pci_id(struct device *dev, void *data)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct mapvisor_dma_declare *d = data;
	u32 *ids = (u32 *)(d + 1);

	/* one still on swiotlb-xen is left out, and mapvisor refuses the word, naming it;
	 * an unbound one gets dma-direct when it binds */
	if (dev_mark(dev) != MARK_PROTECTED ||
	    (is_swiotlb_xen(get_dma_ops(dev)) && !test_declare_on_swiotlb_xen) ||
	    d->nr_devs == MAPVISOR_DMA_MAX_DEVS)
		return 0;
	ids[d->nr_devs++] = MAPVISOR_DMA_PCI(pci_domain_nr(pdev->bus), pdev->bus->number,
					     pdev->devfn);
	return 0;
}

/* The domain's word: the protected PCI functions that are (or will be, at bind) on
 * dma-direct. mapvisor checks the list against the devices it gave the domain and refuses,
 * naming the device, if one is missing: mapvisor decides, the module only reports. A
 * function Linux has not enumerated yet only delays the word (tried again when it is). */
static void try_declare(void)
{
	struct mapvisor_dma_declare *d;
	long rc;

	if (!declare)
		return;
	mutex_lock(&declare_lock);
	if (declared_rc == 0)
		goto out;
	d = kzalloc(sizeof(*d) + MAPVISOR_DMA_MAX_DEVS * sizeof(u32), GFP_KERNEL);
	if (!d)
		goto out;
	bus_for_each_dev(&pci_bus_type, NULL, d, collect_pci_id);
	d->devs = (u64)(unsigned long)(d + 1);
	rc = mapvisor_op(MAPVISOR_OP_DMA_DECLARE, (unsigned long)d);
	if (rc != declared_rc)
		pr_info("mapvisor_dma: declaration (%u protected device(s)): %s (%ld)\n",
			d->nr_devs, rc ? "refused by mapvisor, grant maps keep the 1:1 alias" :
			"accepted, grant maps add no 1:1 alias", rc);
	declared_rc = rc;
	kfree(d);
out:
	mutex_unlock(&declare_lock);
}

static int bus_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;

	if (action == BUS_NOTIFY_BIND_DRIVER)
		choose(dev, false);
	else if (action == BUS_NOTIFY_ADD_DEVICE && dev_is_pci(dev) &&
		 dev_mark(dev) == MARK_PROTECTED)
		try_declare(); /* a function that appeared after the module loaded */
	else if (action == BUS_NOTIFY_BOUND_DRIVER && dev_mark(dev) == MARK_PROTECTED &&
		 is_swiotlb_xen(get_dma_ops(dev)) && !test_declare_on_swiotlb_xen)
		dev_err(dev, "mapvisor_dma: %pOF: its driver's probe put swiotlb-xen back\n",
			dev->of_node);
	return NOTIFY_DONE;
}

static struct notifier_block pci_nb = { .notifier_call = bus_event };
static struct notifier_block platform_nb = { .notifier_call = bus_event };

static int choose_existing(struct device *dev, void *data)
{
	/* an unbound device has no ops yet: the bus sets them up at bind, and the notifier
	 * chooses then */
	if (dev->driver)
		choose(dev, true);
	return 0;
}

static int devices_show(struct seq_file *s, void *unused)
{
	struct choice *c;

	mutex_lock(&choices_lock);
	list_for_each_entry(c, &choices, link)
		seq_printf(s, "%s %s %s %s\n", c->dev, c->node,
			   c->mark == MARK_PROTECTED ? "protected" : "unprotected", c->path);
	mutex_unlock(&choices_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

static int declared_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%ld\n", mapvisor_op(MAPVISOR_OP_DMA_STATUS, 0));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(declared);

/* Refuses what it cannot vouch for: another hypervisor, or another kernel's rule. */
static int check_platform(void)
{
	long magic;

	if (strncmp(init_utsname()->release, "6.1.", 4)) {
		pr_err("mapvisor_dma: kernel %s: only Linux 6.1's DMA-ops rule is known\n",
		       init_utsname()->release);
		return -EOPNOTSUPP;
	}
	if (!xen_domain()) {
		pr_err("mapvisor_dma: not running on a Xen-ABI hypervisor\n");
		return -ENODEV;
	}
	magic = mapvisor_op(MAPVISOR_OP_QUERY, 0);
	if (magic != MAPVISOR_OP_MAGIC) {
		pr_err("mapvisor_dma: the hypervisor is not mapvisor (mapvisor_op query: %ld): "
		       "refusing to change DMA ops\n", magic);
		return -ENODEV;
	}
	return 0;
}

static int __init mapvisor_dma_init(void)
{
	int rc = check_platform();

	if (rc)
		return rc;
	pr_info("mapvisor_dma: on mapvisor; Linux's rule puts devices on %s%s\n",
		xen_swiotlb_detect() ? "swiotlb-xen" : "dma-direct",
		test_misdirect_unprotected ? "; TEST MODE: unprotected devices forced to dma-direct" :
		test_declare_on_swiotlb_xen ? "; TEST MODE: the word is given with protected devices on swiotlb-xen" : "");
	rc = bus_register_notifier(&pci_bus_type, &pci_nb);
	if (rc)
		return rc;
	rc = bus_register_notifier(&platform_bus_type, &platform_nb);
	if (rc) {
		bus_unregister_notifier(&pci_bus_type, &pci_nb);
		return rc;
	}
	bus_for_each_dev(&pci_bus_type, NULL, NULL, choose_existing);
	bus_for_each_dev(&platform_bus_type, NULL, NULL, choose_existing);
	try_declare();
	dbg_dir = debugfs_create_dir("mapvisor_dma", NULL);
	debugfs_create_file("devices", 0444, dbg_dir, NULL, &devices_fops);
	debugfs_create_file("declared", 0444, dbg_dir, NULL, &declared_fops);
	return 0;
}
/* No exit: drivers bound while it was loaded hold dma-direct mappings, and the word given
 * to mapvisor stands; the module stays until the domain stops. */
module_init(mapvisor_dma_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mapvisor: dma-direct for IOMMU-protected devices, and the domain's word that it needs no 1:1 alias");
