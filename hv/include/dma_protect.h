/* Which device-tree nodes are, or may be, DMA masters, and whether an IOMMU protects them.
 * The hypervisor cannot know whether a device without "iommus" masters DMA: it assumes the
 * worst for any device that looks able to. One implementation, used by the hypervisor (what
 * a domain may be given, what its DT says) and by tools/dmacheck. */
#ifndef HV_DMA_PROTECT_H
#define HV_DMA_PROTECT_H
#include "types.h"

enum dma_class {
	DMA_NOT_MASTER,         /* nothing suggests the device masters DMA */
	DMA_PROTECTED,          /* an IOMMU translates its DMA */
	DMA_UNPROTECTED,        /* may master DMA and no IOMMU is in front of it */
};

#define DMA_MAX_SIDS 8
#define DMA_MAX_OVERRIDES 8

struct dma_info {
	enum dma_class cls;
	const char *why;       /* the rule that decided, for messages */
	int iommu;             /* the IOMMU node, or -1 */
	bool iommu_disabled;   /* it has status "disabled": it protects nothing */
	uint32_t sids[DMA_MAX_SIDS]; /* StreamIDs (iommus specifiers, or iommu-map outputs) */
	unsigned nr_sids;
	bool overridden;       /* forced unprotected by mapvisor,dma-unprotected */
};

struct dma_overrides {
	char paths[DMA_MAX_OVERRIDES][96]; /* from mapvisor.dma-unprotected= */
	unsigned nr;
};

/* An IOMMU node? kind: "SMMUv3", "SMMUv1/v2" or "IOMMU" (any "#iommu-cells"). */
bool dma_is_iommu(const void *fdt, int node, const char **kind);
/* Classifies a device node. Malformed iommus/iommu-map properties are -XEN_EINVAL. */
int dma_classify(const void *fdt, int node, const struct dma_overrides *ov,
		 struct dma_info *out);
/* How a domain's driver must address a device's DMA (DESIGN.md section 1). */
enum dma_path {
	DMA_PATH_NONE,       /* not a DMA master */
	DMA_PATH_DIRECT,     /* the IOMMU translates: bus address = guest physical */
	DMA_PATH_TRANSLATE,  /* no IOMMU, 1:1 domain: machine addresses, bounce what is split */
	DMA_PATH_IMPOSSIBLE, /* no IOMMU, not 1:1: the guest cannot know machine addresses */
};

enum dma_path dma_path_for(enum dma_class cls, bool domain_direct_mapped);
const char *dma_path_name(enum dma_path p);

/* "/a,/b" into ov: -XEN_EINVAL if too many or too long. */
int dma_overrides_parse(const char *list, struct dma_overrides *ov);

#endif
