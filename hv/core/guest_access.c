/* copy_{from,to}_guest: guest virtual -> IPA by the vCPU's own stage 1 (AT, in arch), then
 * IPA -> machine by its p2m, one page at a time. Only the caller's RAM qualifies: a guest
 * cannot make the hypervisor read or write MMIO or anything it does not own. */
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include <string.h>

/* The gate's answer for gfn, from the vCPU's cache when no RAM entry changed since. The
 * generation is read before the gate is asked, so a change during the walk is not missed. */
static int ram_page(struct vcpu *v, gfn_t gfn, bool write, mfn_t *mfn)
{
	struct guest_ram_cache *c = &v->ram_cache;
	uint64_t gen = p2m_ram_gen(&v->d->p2m);

	if (c->valid && gfn_eq(c->gfn, gfn) && c->gen == gen && (c->writable || !write)) {
		*mfn = c->mfn;
		return 0;
	}
	if (p2m_get_ram_page(&v->d->p2m, gfn, write, mfn))
		return -XEN_EFAULT;
	*c = (struct guest_ram_cache){.valid = true, .writable = write, .gfn = gfn, .mfn = *mfn,
				      .gen = gen};
	return 0;
}

static int guest_page(struct vcpu *v, uint64_t gva, bool write, void **ptr)
{
	paddr_t ipa;
	mfn_t mfn;

	if (arch_guest_va_to_ipa(gva, write, &ipa))
		return -XEN_EFAULT;
	if (ram_page(v, gpa_to_gfn(_gpa(ipa)), write, &mfn))
		return -XEN_EFAULT;
	*ptr = (char *)maddr_to_virt(mfn_to_maddr(mfn)) + (ipa & (PAGE_SIZE - 1));
	return 0;
}

static int copy_guest(struct vcpu *v, uint64_t gva, void *buf, size_t len, bool write)
{
	char *b = buf;

	if (gva + len < gva)
		return -XEN_EFAULT;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		void *p;

		if (guest_page(v, gva, write, &p))
			return -XEN_EFAULT;
		if (write)
			memcpy(p, b, chunk);
		else
			memcpy(b, p, chunk);
		gva += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	return copy_guest(v, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
	return copy_guest(v, gva, (void *)src, len, true);
}
