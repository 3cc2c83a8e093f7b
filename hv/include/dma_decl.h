/* The guest's word (MAPVISOR_OP_dma_declare): a domain that drives every IOMMU-protected
 * device with guest-physical DMA addresses needs no GFN == MFN alias of the foreign frames
 * it maps. Invariants: the word stands only if it named every protected device the domain
 * owns; it changes only while the domain maps no foreign page, so each alias grant.c made
 * is removed by the unmap that ends it. Unprotected devices do not count: they DMA to
 * machine addresses (a 1:1 domain's swiotlb-xen path), which no alias serves. */
#ifndef HV_DMA_DECL_H
#define HV_DMA_DECL_H
#include "types.h"

#define DMA_DECL_MAX_DEVS 16

struct dma_decl {
	uint32_t protected_ids[DMA_DECL_MAX_DEVS]; /* MAPVISOR_DMA_PCI ids, from boot */
	unsigned nr_protected;
	char unnamed[96]; /* a protected device no id names (platform), or "" */
	bool declared;
	unsigned lines_logged; /* a guest that asks in a loop must not flood the console */
};

struct bootinfo;
struct domain;
struct vcpu;

/* At boot, after the streams are attached: each domain's protected devices. */
void dma_decl_boot(const struct bootinfo *bi);
/* Records one protected device of d (a PCI id, or a name no id can give when id is
 * UINT32_MAX). */
void dma_decl_note(struct domain *d, uint32_t id, const char *name);
/* Whether d's grant maps must alias foreign frames at GFN == MFN (grant.c). */
bool dma_decl_needs_alias(const struct domain *d);
/* The sub-ops on d itself, for tests and the hypercall. */
int dma_decl_declare(struct domain *d, const uint32_t *ids, unsigned nr);
int dma_decl_withdraw(struct domain *d);

long do_mapvisor_op(struct vcpu *v, const uint64_t a[5]);

#endif
