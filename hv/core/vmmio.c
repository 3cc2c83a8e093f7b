/* The per-domain table of emulated MMIO ranges (vmmio.h): a handful of entries, searched in
 * order. Registration refuses an overlap, so a guest address has at most one emulator. */
#include "domain.h"
#include "vmmio.h"

int vmmio_register(struct domain *d, uint64_t base, uint64_t size, const struct vmmio_ops *ops,
		   void *priv)
{
	struct vmmio *m = &d->vmmio;

	if (!size || base + size < base || !ops || !ops->access)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < m->nr; i++)
		if (ranges_overlap(base, size, m->region[i].base, m->region[i].size))
			return -XEN_EEXIST;
	if (m->nr == VMMIO_MAX_REGIONS)
		return -XEN_ENOSPC;
	m->region[m->nr++] = (struct vmmio_region){base, size, ops, priv};
	return 0;
}

const struct vmmio_region *vmmio_find(const struct domain *d, uint64_t gpa)
{
	const struct vmmio *m = &d->vmmio;

	for (unsigned i = 0; i < m->nr; i++)
		if (gpa - m->region[i].base < m->region[i].size)
			return &m->region[i];
	return NULL;
}

enum vmmio_result vmmio_access(struct vcpu *v, uint64_t gpa, unsigned size, bool is_write,
			       uint64_t *value)
{
	const struct vmmio_region *r = vmmio_find(v->d, gpa);

	if (!r)
		return VMMIO_NO_REGION;
	if (gpa - r->base + size > r->size)
		return VMMIO_REFUSED; /* runs past the end: no emulator sees half an access */
	return r->ops->access(v, gpa - r->base, size, is_write, value, r->priv) ? VMMIO_HANDLED
										: VMMIO_REFUSED;
}
