/* shared_info and vcpu_info: the hypervisor's page each domain reads its events and time
 * from, where the guest maps it (XENMAPSPACE_shared_info), and where each vCPU's vcpu_info
 * lives. The page is the hypervisor's (P2M_XEN), never counted as the domain's RAM, so
 * mapping it cannot change a domain's feature bits. Event delivery (event.c) writes here;
 * nothing here calls back into it. */
#include "arch.h"
#include "domain.h"
#include "shared_info.h"

struct shared_info *domain_shared_info(struct domain *d)
{
	return maddr_to_virt(d->shared_info_ma);
}

struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
	if (v->vcpu_info_ma)
		return maddr_to_virt(v->vcpu_info_ma);
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return &domain_shared_info(v->d)->vcpu_info[v->id];
	return &v->own_vcpu_info;
}

int shared_info_map(struct domain *d, gfn_t gfn)
{
	int rc;

	if (!gfn_eq(d->shared_info_gfn, INVALID_GFN) && !gfn_eq(d->shared_info_gfn, gfn))
		return -XEN_EBUSY;
	rc = p2m_map_page(&d->p2m, gfn, maddr_to_mfn(d->shared_info_ma), P2M_XEN, P2M_RW);
	if (!rc)
		d->shared_info_gfn = gfn;
	return rc;
}
