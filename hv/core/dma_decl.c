/* The guest's word that it needs no 1:1 alias of foreign frames (dma_decl.h): the protected
 * devices each domain owns, recorded at boot, and MAPVISOR_OP_dma_declare / _withdraw,
 * which change a domain's alias policy only under the grant lock and only while it maps no
 * foreign page. */
#include "assign.h"
#include "claim.h"
#include "dma_decl.h"
#include "domain.h"
#include "grant.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include "pci.h"
#include <format.h>
#include <mapvisor/op.h>
#include <string.h>

void dma_decl_note(struct domain *d, uint32_t id, const char *name)
{
	struct dma_decl *dd = &d->dma_decl;

	if (id == UINT32_MAX || dd->nr_protected == DMA_DECL_MAX_DEVS) {
		/* a device the guest cannot name keeps the alias for the whole domain */
		if (!dd->unnamed[0])
			snprintf(dd->unnamed, sizeof(dd->unnamed), "%s", name);
		return;
	}
	for (unsigned i = 0; i < dd->nr_protected; i++)
		if (dd->protected_ids[i] == id)
			return;
	dd->protected_ids[dd->nr_protected++] = id;
}

/* From the device table: each protected device a domain got. A PCI function is named by its
 * id; a platform device cannot be named in the word, so it keeps the alias for its domain.
 * An overridden function (a bus bypassing the SMMU) is unprotected: its DMA uses machine
 * addresses, which no alias serves, so it never blocks the word even though its StreamID is
 * attached. */
void dma_decl_boot(const struct bootinfo *bi)
{
	const struct dev_table *t = assign_devices();
	char name[96];

	for (unsigned i = 0; i < t->nr; i++) {
		const struct dev_entry *e = &t->dev[i];
		struct domain *d = e->fate == DEV_GIVEN ? domain_by_id((domid_t)e->owner) : NULL;

		if (!d || e->dma.cls != DMA_PROTECTED)
			continue;
		if (e->kind == DEV_PCI)
			dma_decl_note(d,
				      MAPVISOR_DMA_PCI((unsigned)(e->host - pci_hosts),
						       e->pci->bdf >> 8, e->pci->bdf & 0xff),
				      "");
		else if (e->streams)
			dma_decl_note(d, UINT32_MAX, dev_name(bi->fdt, e, name, sizeof(name)));
	}
}

bool dma_decl_needs_alias(const struct domain *d)
{
	return d->grant.iommu_alias && !d->dma_decl.declared;
}

static void id_str(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "PCI %x:%02x:%02x.%x", id >> 16, (id >> 8) & 0xff, (id >> 3) & 0x1f,
		 id & 7);
}

static bool listed(const uint32_t *ids, unsigned nr, uint32_t id)
{
	for (unsigned i = 0; i < nr; i++)
		if (ids[i] == id)
			return true;
	return false;
}

#define DECL_LINES_LOGGED 8

/* Whether this declaration line goes to the log: the first few per domain, then one line
 * saying the rest do not (a guest that asks in a loop still gets its answer every time). */
static bool decl_to_log(struct domain *d)
{
	unsigned n = d->dma_decl.lines_logged;

	if (n > DECL_LINES_LOGGED)
		return false;
	d->dma_decl.lines_logged = n + 1;
	if (n < DECL_LINES_LOGGED)
		return true;
	log_warn("d%u: further DMA declaration lines are not logged", d->id);
	return false;
}

/* The word must name exactly devices the domain owns behind the IOMMU, and all of them. */
static int check_names(struct domain *d, const uint32_t *ids, unsigned nr)
{
	const struct dma_decl *dd = &d->dma_decl;
	char name[32];

	for (unsigned i = 0; i < nr; i++)
		if (!listed(dd->protected_ids, dd->nr_protected, ids[i])) {
			id_str(ids[i], name, sizeof(name));
			if (decl_to_log(d))
				log_warn(
					"d%u: DMA declaration refused (-EINVAL): %s is not a device of "
					"the domain behind the IOMMU",
					d->id, name);
			return -XEN_EINVAL;
		}
	if (dd->unnamed[0]) {
		if (decl_to_log(d))
			log_warn(
				"d%u: DMA declaration refused (-EBUSY): %s is behind the IOMMU and cannot "
				"be named in it: its DMA may still need the 1:1 alias",
				d->id, dd->unnamed);
		return -XEN_EBUSY;
	}
	for (unsigned i = 0; i < dd->nr_protected; i++)
		if (!listed(ids, nr, dd->protected_ids[i])) {
			id_str(dd->protected_ids[i], name, sizeof(name));
			if (decl_to_log(d))
				log_warn(
					"d%u: DMA declaration refused (-EBUSY): %s is behind the IOMMU and "
					"not named: its DMA may still need the 1:1 alias",
					d->id, name);
			return -XEN_EBUSY;
		}
	return 0;
}

int dma_decl_declare(struct domain *d, const uint32_t *ids, unsigned nr)
{
	int rc;

	if (nr > MAPVISOR_DMA_MAX_DEVS)
		return -XEN_EINVAL;
	rc = check_names(d, ids, nr);
	if (rc)
		return rc;
	spin_lock(&grant_lock);
	/* an alias made before the word would outlive its mapping: grant.c removes aliases
	 * only while it still makes them */
	if (grant_nr_mappings(d) && !d->dma_decl.declared) {
		spin_unlock(&grant_lock);
		if (decl_to_log(d))
			log_warn(
				"d%u: DMA declaration refused (-EBUSY): %u foreign page(s) mapped; "
				"declare before mapping any",
				d->id, grant_nr_mappings(d));
		return -XEN_EBUSY;
	}
	d->dma_decl.declared = true;
	spin_unlock(&grant_lock);
	if (decl_to_log(d))
		log_info(
			"d%u: DMA declaration accepted: %u protected device(s) on guest-physical DMA; "
			"%s",
			d->id, nr,
			d->grant.iommu_alias ? "grant maps add no 1:1 alias from now on"
					     : "no 1:1 alias to drop (the domain is not "
					       "1:1 or has no device behind the IOMMU)");
	return 0;
}

int dma_decl_withdraw(struct domain *d)
{
	unsigned n;

	spin_lock(&grant_lock);
	n = grant_nr_mappings(d);
	if (n && d->dma_decl.declared) {
		spin_unlock(&grant_lock);
		if (decl_to_log(d))
			log_warn(
				"d%u: DMA declaration withdrawal refused (-EBUSY): %u foreign page(s) "
				"mapped without an alias",
				d->id, n);
		return -XEN_EBUSY;
	}
	d->dma_decl.declared = false;
	spin_unlock(&grant_lock);
	if (decl_to_log(d))
		log_info("d%u: DMA declaration withdrawn: grant maps alias foreign frames again",
			 d->id);
	return 0;
}

static long declare_from_guest(struct vcpu *v, uint64_t arg)
{
	struct mapvisor_dma_declare r;
	uint32_t ids[MAPVISOR_DMA_MAX_DEVS];

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.pad || r.nr_devs > MAPVISOR_DMA_MAX_DEVS)
		return -XEN_EINVAL;
	if (r.nr_devs && copy_from_guest(v, ids, r.devs, r.nr_devs * sizeof(ids[0])))
		return -XEN_EFAULT;
	return dma_decl_declare(v->d, ids, r.nr_devs);
}

long do_mapvisor_op(struct vcpu *v, const uint64_t a[5])
{
	switch (a[0]) {
	case MAPVISOR_OP_query:
		return MAPVISOR_OP_MAGIC;
	case MAPVISOR_OP_dma_declare:
		return declare_from_guest(v, a[1]);
	case MAPVISOR_OP_dma_withdraw:
		return dma_decl_withdraw(v->d);
	case MAPVISOR_OP_dma_status:
		return v->d->dma_decl.declared;
	default:
		return hypercall_enosys(v, __HYPERVISOR_mapvisor_op, a[0]);
	}
}
