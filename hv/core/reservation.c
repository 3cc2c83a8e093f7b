/* XENMEM_decrease_reservation and populate_physmap: a guest gives up frames of its RAM and
 * takes them back (Linux's balloon, which is how gntdev gets the guest frames it maps
 * foreign pages at). Static partitioning: a frame a domain gives up stays that domain's
 * (parked, unmapped from its p2m and its SMMU) and is the only frame it can get back, at
 * the same GFN, so no frame ever changes domain and no domain sees another's data. A 1:1
 * domain's parked frames need no record (MFN == GFN inside its RAM banks); others keep one,
 * bounded. */
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "log.h"
#include "reservation.h"
#include <xen/memory.h>

/* Was gfn one of d's 1:1 RAM frames when it was built? */
static bool own_identity_frame(const struct domain *d, gfn_t gfn)
{
	paddr_t gpa = gpa_x(gfn_to_gpa(gfn));

	if (d->mode != MEM_DIRECT_MAPPED)
		return false;
	for (unsigned i = 0; i < d->nr_ram; i++)
		if (gpa >= d->ram[i].gpa && gpa - d->ram[i].gpa < d->ram[i].size)
			return true;
	return false;
}

static int park(struct domain *d, gfn_t gfn, mfn_t mfn)
{
	struct parked_frames *p = &d->parked;

	if (own_identity_frame(d, gfn))
		return 0;
	if (p->nr == ARRAY_SIZE(p->gfn)) {
		log_warn("d%u: more than %zu frames given up (decrease_reservation): the rest "
			 "stay", d->id, ARRAY_SIZE(p->gfn));
		return -XEN_ENOSPC;
	}
	p->gfn[p->nr] = (uint32_t)gfn_x(gfn);
	p->mfn[p->nr] = (uint32_t)mfn_x(mfn);
	p->nr++;
	return 0;
}

/* The frame parked at gfn, taken out of the record; -XEN_ENOENT if there is none. */
static int unpark(struct domain *d, gfn_t gfn, mfn_t *mfn)
{
	struct parked_frames *p = &d->parked;

	if (own_identity_frame(d, gfn)) {
		*mfn = _mfn(gfn_x(gfn));
		return 0;
	}
	for (unsigned i = 0; i < p->nr; i++)
		if (p->gfn[i] == gfn_x(gfn)) {
			*mfn = _mfn(p->mfn[i]);
			p->nr--;
			p->gfn[i] = p->gfn[p->nr];
			p->mfn[i] = p->mfn[p->nr];
			return 0;
		}
	return -XEN_ENOENT;
}

static int give_up(struct domain *d, gfn_t gfn)
{
	mfn_t mfn;
	int rc = p2m_get_ram_page(&d->p2m, gfn, true, &mfn);

	if (rc)
		return rc;
	/* frames of 32 bits: a 40-bit IPA and 44-bit machine addresses always fit */
	rc = park(d, gfn, mfn);
	return rc ? rc : p2m_unmap_page(&d->p2m, gfn);
}

static int take_back(struct domain *d, gfn_t gfn)
{
	mfn_t mfn;

	if (p2m_lookup_page(&d->p2m, gfn, NULL, NULL, NULL) != -XEN_ENOENT)
		return -XEN_EBUSY; /* only into a hole: nothing there is dropped */
	if (unpark(d, gfn, &mfn))
		return -XEN_ENOMEM; /* no frame of its own to give: no allocation after boot */
	if (p2m_map_page(&d->p2m, gfn, mfn, P2M_RAM, P2M_RW)) {
		park(d, gfn, mfn);
		return -XEN_ENOMEM;
	}
	return 0;
}

/* Xen's answer is the number of extents done; an extent that fails ends the call there
 * (common/memory.c). Only single pages (order 0): Linux's balloon asks for nothing else. */
long reservation_op(struct vcpu *v, unsigned cmd, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d = v->d;
	uint64_t done;

	if (copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.domid != DOMID_SELF && r.domid != d->id)
		return domain_by_id(r.domid) ? -XEN_EPERM : -XEN_ESRCH; /* no toolstack here */
	if (r.extent_order != 0 || cmd == XENMEM_increase_reservation)
		return 0; /* increase hands out MFNs, which a guest here never needs */
	for (done = 0; done < r.nr_extents; done++) {
		xen_pfn_t gfn;

		if (copy_from_guest(v, &gfn, r.extent_start + done * sizeof(gfn), sizeof(gfn)))
			return done ? (long)done : -XEN_EFAULT;
		if ((cmd == XENMEM_decrease_reservation ? give_up : take_back)(d, _gfn(gfn)))
			break;
	}
	return (long)done;
}
