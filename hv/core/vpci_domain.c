/* Which domain gets a virtual host bridge, and where (boot time): every domain that owns PCI
 * functions behind a host bridge it does not drive itself. The guest's ECAM sits where the
 * host's is, BARs where the hypervisor placed them (PCI address == CPU address == guest
 * physical address), and each function's INTx is the host line its slot and pin swizzle to:
 * a line must be the domain's alone, or the boot is refused. */
#include "assign.h"
#include "bootinfo.h"
#include "claim.h"
#include "domain.h"
#include "log.h"
#include "vpci.h"
#include "vpl011.h"
#include <format.h>

static struct vpci vpcis[MAX_DOMAINS];
static bool has_vpci[MAX_DOMAINS];

struct vpci *vpci_of(const struct domain *d)
{
	return d->id < MAX_DOMAINS && has_vpci[d->id] ? &vpcis[d->id] : NULL;
}

paddr_t vpci_ecam_gpa(const struct vpci *v)
{
	return v->host->ecam;
}

void vpci_bar_window(const struct vpci *v, paddr_t *base, uint64_t *size)
{
	paddr_t lo = ~0ULL, hi = 0;

	for (unsigned i = 0; i < v->nr_funcs; i++)
		for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
			const struct pci_bar *bar = &v->func[i].dev->bars[b];

			if (!bar->size || v->func[i].bar_kind[b] == VPCI_BAR_NONE)
				continue;
			lo = MIN(lo, ALIGN_DOWN(bar->addr, PAGE_SIZE));
			hi = MAX(hi, ALIGN_UP(bar->addr + bar->size, PAGE_SIZE));
		}
	*base = hi ? lo : 0;
	*size = hi ? hi - lo : 0;
}

void vpci_log_counts(const struct domain *d)
{
	const struct vpci *v = vpci_of(d);

	if (v)
		log_info("d%u: vPCI: %llu config-space reads and %llu writes trapped", d->id,
			 (unsigned long long)v->nr_reads, (unsigned long long)v->nr_writes);
}

/* The host bridge d's functions are on (from the device table): NULL if none; *two if
 * they span two. */
static const struct pci_host *host_of(const struct dev_table *t, const struct domain *d,
				      bool *two)
{
	const struct pci_host *found = NULL;

	*two = false;
	for (unsigned i = 0; i < t->nr; i++)
		if (t->dev[i].kind == DEV_PCI && dev_given_to(&t->dev[i], d->id)) {
			*two |= found && found != t->dev[i].host;
			found = t->dev[i].host;
		}
	return found;
}

static int intx_spi(const struct dev_entry *e)
{
	return e->nr_spis ? e->spis[0].intid : -1;
}

/* QEMU virt's four INTx lines are shared by every slot (swizzled): a level-triggered line
 * two domains' devices drive cannot be given to either without the other's interrupts
 * reaching it, or being lost. */
static int check_intx_alone(const struct dev_table *t, const struct domain *d,
			    const struct dev_entry *e)
{
	int spi = intx_spi(e);
	char mine[16], theirs[16];

	for (unsigned i = 0; spi >= 0 && i < t->nr; i++) {
		const struct dev_entry *o = &t->dev[i];

		if (o->kind != DEV_PCI || o->fate != DEV_GIVEN || o->owner == (int)d->id ||
		    intx_spi(o) != spi)
			continue;
		log_err("d%u (%s): PCI %s's INTx is SPI %d (INTID %d), which PCI %s of d%d also "
			"drives: a shared level-triggered line cannot be isolated. Fix: give both "
			"functions to one domain, or put them in slots whose swizzled INTx differ",
			d->id, d->name, pci_bdf_str(e->pci->bdf, mine, sizeof(mine)), spi - 32, spi,
			pci_bdf_str(o->pci->bdf, theirs, sizeof(theirs)), o->owner);
		return -XEN_EINVAL;
	}
	return 0;
}

/* The BAR window the bridge's ranges describe must not cover the domain's RAM or the
 * devices the hypervisor emulates for it (Xen's guest layout). */
static int check_window(const struct domain *d, const struct vpci *v)
{
	paddr_t base;
	uint64_t size;
	bool clash = false;

	vpci_bar_window(v, &base, &size);
	if (!size)
		return 0;
	if (!d->hardware)
		clash = ranges_overlap(base, size, GUEST_GICD_BASE, VGIC_GICD_SIZE) ||
			ranges_overlap(base, size, GUEST_GICR_BASE,
				       d->nr_vcpus * VGIC_GICR_STRIDE) ||
			ranges_overlap(base, size, GUEST_PL011_BASE, GUEST_PL011_SIZE) ||
			ranges_overlap(base, size, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
	for (unsigned b = 0; b < d->nr_ram; b++)
		clash |= ranges_overlap(base, size, d->ram[b].gpa, d->ram[b].size);
	if (!clash)
		return 0;
	log_err("d%u (%s): its PCI BARs at 0x%llx-0x%llx overlap its RAM or a device the "
		"hypervisor emulates in its guest layout",
		d->id, d->name, (unsigned long long)base, (unsigned long long)(base + size));
	return -XEN_EINVAL;
}

static void log_bridge(const struct dev_table *t, const struct domain *d, const struct vpci *v)
{
	char vbdf[16], hbdf[16], irq[24];
	paddr_t base;
	uint64_t size;

	vpci_bar_window(v, &base, &size);
	log_info("d%u: virtual PCI host bridge: ECAM at 0x%llx (bus 0), %u function(s), BARs "
		 "0x%llx-0x%llx",
		 d->id, (unsigned long long)vpci_ecam_gpa(v), v->nr_funcs, (unsigned long long)base,
		 (unsigned long long)(base + size));
	for (unsigned i = 0; i < v->nr_funcs; i++) {
		const struct vpci_func *f = &v->func[i];
		int spi = -1;

		for (unsigned k = 0; k < t->nr; k++)
			if (t->dev[k].kind == DEV_PCI && t->dev[k].pci == f->dev)
				spi = intx_spi(&t->dev[k]);

		if (spi >= 0)
			snprintf(irq, sizeof(irq), "INT%c SPI %d", 'A' + f->dev->irq_pin - 1,
				 spi - 32);
		else
			snprintf(irq, sizeof(irq), "no INTx");
		unsigned hidden = 0;

		for (unsigned k = 0; k < f->nr_caps; k++)
			hidden += f->caps[k].hidden;
		log_info(
			"d%u: vPCI %s is PCI %s (%04x:%04x), %s, capabilities: %u shown, %u hidden "
			"(MSI/MSI-X: no ITS)",
			d->id, pci_bdf_str(f->vdevfn, vbdf, sizeof(vbdf)),
			pci_bdf_str(f->host_bdf, hbdf, sizeof(hbdf)), f->dev->vendor,
			f->dev->device, irq, f->nr_caps - hidden, hidden);
	}
}

static int add_functions(const struct dev_table *t, struct domain *d, struct vpci *v)
{
	char bdf[16];

	for (unsigned i = 0; i < t->nr; i++) {
		const struct dev_entry *e = &t->dev[i];
		int rc;

		if (e->kind != DEV_PCI || !dev_given_to(e, d->id))
			continue;
		if ((rc = check_intx_alone(t, d, e)))
			return rc;
		if ((rc = vpci_add_function(v, e->pci))) {
			log_err("d%u (%s): PCI %s: more than %d functions for one virtual host "
				"bridge",
				d->id, d->name, pci_bdf_str(e->pci->bdf, bdf, sizeof(bdf)),
				VPCI_MAX_FUNCS);
			return rc;
		}
	}
	return 0;
}

int vpci_domain_build(struct domain *d)
{
	return vpci_domain_build_from(assign_devices(), d);
}

int vpci_domain_build_from(const struct dev_table *t, struct domain *d)
{
	struct vpci *v;
	bool two;
	const struct pci_host *h = host_of(t, d, &two);
	int rc;

	if (d->id >= MAX_DOMAINS)
		panic("vpci: domain id %u beyond MAX_DOMAINS", d->id);
	v = &vpcis[d->id];
	has_vpci[d->id] = false;
	if (!h || (d->hardware && dev_table_dom0_drives_bridge(t, h)))
		return 0; /* no functions, or dom0 drives the real bridge */
	if (two) {
		log_err("d%u (%s): PCI functions behind two host bridges: one virtual bridge "
			"per domain",
			d->id, d->name);
		return -XEN_EINVAL;
	}
	vpci_init(v, h, d->id);
	if ((rc = add_functions(t, d, v)) || (rc = check_window(d, v)))
		return rc;
	rc = vpci_register(d, v, vpci_ecam_gpa(v), h->ecam_size);
	if (rc) {
		log_err("d%u (%s): the virtual PCI host bridge's ECAM at 0x%llx cannot be "
			"registered (%d)",
			d->id, d->name, (unsigned long long)vpci_ecam_gpa(v), rc);
		return rc;
	}
	has_vpci[d->id] = true;
	log_bridge(t, d, v);
	return 0;
}
