/* The DMA protection rule (DESIGN.md section 5):
 *  - an IOMMU is a node with "#iommu-cells" (SMMUv3 "arm,smmu-v3"; SMMUv1/v2 "arm,smmu-v1",
 *    "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401", "arm,mmu-500", and others by that property);
 *  - a device is a possible DMA master if it has "iommus", is a PCI host bridge, is
 *    "dma-coherent", or is of a DMA-capable class by compatible or device_type (virtio,
 *    ethernet, SD/MMC, USB, SATA/AHCI, NVMe, DMA controllers with "#dma-cells", GPUs and
 *    display controllers);
 *  - it is protected iff its "iommus" (or, for a PCI host bridge, every "iommu-map" entry)
 *    names an enabled IOMMU (a disabled one protects nothing; a phandle that is not an
 *    IOMMU is a malformed tree); obvious non-masters (PHYs, nvmem, ...) are not counted; a "mapvisor,dma-unprotected" property on the node or the
 *    mapvisor.dma-unprotected= option overrides that, because firmware tables can be wrong
 *    (QEMU keeps iommu-map on a bus that bypasses the SMMU). */
#include "dma_protect.h"
#include "dt.h"
#include <libfdt.h>
#include <string.h>

/* Whether sub occurs in s[0..n): a first-byte test before each comparison, because the
 * boot classifies every node against dozens of names (it was 8% of the boot's time). */
static bool contains(const char *s, size_t n, const char *sub)
{
	size_t m = strlen(sub);

	for (size_t k = 0; k + m <= n; k++)
		if (s[k] == sub[0] && !memcmp(s + k, sub, m))
			return true;
	return false;
}

/* The node's compatible list, read once per question (each read is a property scan), and
 * the set of bytes in it: a name whose first byte is not there occurs in no entry, which
 * settles most of the dozens of names without a search. */
struct compat {
	const char *list;
	int len;
	uint64_t bytes[4];
};

static struct compat compat_of(const void *fdt, int node)
{
	struct compat c = {0};

	c.list = dt_getprop(fdt, node, "compatible", &c.len);
	if (!c.list)
		c.len = 0;
	for (int i = 0; i < c.len; i++) {
		uint8_t b = (uint8_t)c.list[i];

		c.bytes[b >> 6] |= 1ULL << (b & 63);
	}
	return c;
}

static bool compat_has(const struct compat *c, const char *const *subs)
{
	for (unsigned i = 0; subs[i]; i++) {
		uint8_t b = (uint8_t)subs[i][0];

		if (!(c->bytes[b >> 6] & (1ULL << (b & 63))))
			continue;
		for (int off = 0; off < c->len;) {
			const char *s = c->list + off,
				   *nul = memchr(s, '\0', (size_t)(c->len - off));
			size_t n = nul ? (size_t)(nul - s) : (size_t)(c->len - off);

			if (contains(s, n, subs[i]))
				return true;
			off += (int)n + 1;
		}
	}
	return false;
}

/* One entry of the list equal to name (fdt_node_check_compatible, without a second read). */
static bool compat_is(const struct compat *c, const char *name)
{
	size_t m = strlen(name) + 1;

	for (int off = 0; off < c->len;) {
		const char *s = c->list + off, *nul = memchr(s, '\0', (size_t)(c->len - off));
		size_t n = nul ? (size_t)(nul - s) + 1 : (size_t)(c->len - off);

		if (n == m && !memcmp(s, name, m))
			return true;
		off += (int)n;
	}
	return false;
}

static const char *iommu_kind(const void *fdt, int node, const struct compat *c)
{
	static const char *const v12[] = {"arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400",
					  "arm,mmu-401", "arm,mmu-500", NULL};

	if (compat_is(c, "arm,smmu-v3"))
		return "SMMUv3";
	if (compat_has(c, v12))
		return "SMMUv1/v2";
	if (dt_getprop(fdt, node, "#iommu-cells", NULL))
		return "IOMMU";
	return NULL;
}

bool dma_is_iommu(const void *fdt, int node, const char **kind)
{
	struct compat c = compat_of(fdt, node);
	const char *k = iommu_kind(fdt, node, &c);

	if (kind)
		*kind = k;
	return k != NULL;
}

static bool is_pci_host(const void *fdt, int node)
{
	const char *t = dt_getprop(fdt, node, "device_type", NULL);

	return t && !strcmp(t, "pci") && dt_getprop(fdt, node, "ranges", NULL);
}

static const char *dma_capable_class(const void *fdt, int node, const struct compat *c)
{
	static const struct {
		const char *name;
		const char *const subs[8];
	} classes[] = {
		{"virtio", {"virtio", NULL}},
		{"ethernet", {"ethernet", "gmac", "-gem", ",gem", "fec", "-eth", ",eth", NULL}},
		{"SD/MMC", {"sdhci", "mmc", "dwmmc", "sdmmc", NULL}},
		{"USB", {"usb", "xhci", "ehci", "ohci", "dwc3", "dwc2", "musb", NULL}},
		{"SATA", {"ahci", "sata", NULL}},
		{"NVMe", {"nvme", NULL}},
		{"GPU/display", {"mali", "gpu", "display", "lcdif", "-vop", "dpu", "-dcss", NULL}},
		{"DMA controller", {"dma", "pdma", "sdma", NULL}},
	};
	/* not masters however they are named: PHYs, power sequencers, nvmem, regulators... */
	static const char *const never[] = {"phy", "pwrseq", "nvmem", "xceiv", "regulator",
					    "connector", "pinctrl", NULL};
	const char *type = dt_getprop(fdt, node, "device_type", NULL);

	if (compat_has(c, never))
		return NULL;
	if (type && !strcmp(type, "network"))
		return "ethernet";
	if (dt_getprop(fdt, node, "#dma-cells", NULL))
		return "DMA controller";
	for (unsigned i = 0; i < ARRAY_SIZE(classes); i++)
		if (compat_has(c, classes[i].subs))
			return classes[i].name;
	return NULL;
}

/* An IOMMU node by phandle, enabled or not; -1 if the phandle names no IOMMU. */
static int iommu_by_phandle(const void *fdt, uint32_t phandle)
{
	int n = dt_node_by_phandle(fdt, phandle);

	return n >= 0 && dma_is_iommu(fdt, n, NULL) ? n : -1;
}

/* iommus = <&iommu sid...>, one entry per #iommu-cells + 1 cells. */
static int parse_iommus(const void *fdt, const uint32_t *p, int len, struct dma_info *out)
{
	for (int i = 0; i < len / 4;) {
		int iommu = iommu_by_phandle(fdt, (uint32_t)dt_read_cells(p + i, 1));
		int len2;
		const uint32_t *cells = iommu >= 0 ? dt_getprop(fdt, iommu, "#iommu-cells", &len2)
						   : NULL;
		unsigned nc = cells && len2 == 4 ? (unsigned)dt_read_cells(cells, 1) : 0;

		if (iommu < 0 || nc > 4 || i + 1 + (int)nc > len / 4)
			return -XEN_EINVAL;
		out->iommu = iommu;
		out->iommu_disabled |= !dt_node_enabled(fdt, iommu);
		if (nc && out->nr_sids < DMA_MAX_SIDS)
			out->sids[out->nr_sids++] = (uint32_t)dt_read_cells(p + i + 1, 1);
		i += 1 + (int)nc;
	}
	return 0;
}

/* iommu-map = <rid-base &iommu sid-base length>... (PCI bus binding, "iommu-map"). */
static int parse_iommu_map(const void *fdt, const uint32_t *p, int len, struct dma_info *out)
{
	if (len == 0 || len % 16)
		return -XEN_EINVAL;
	for (int i = 0; i < len / 4; i += 4) {
		int iommu = iommu_by_phandle(fdt, (uint32_t)dt_read_cells(p + i + 1, 1));

		if (iommu < 0)
			return -XEN_EINVAL;
		out->iommu = iommu;
		out->iommu_disabled |= !dt_node_enabled(fdt, iommu);
		if (out->nr_sids < DMA_MAX_SIDS)
			out->sids[out->nr_sids++] = (uint32_t)dt_read_cells(p + i + 2, 1);
	}
	return 0;
}

static bool overridden(const void *fdt, int node, const struct dma_overrides *ov)
{
	char path[96];

	if (dt_getprop(fdt, node, "mapvisor,dma-unprotected", NULL))
		return true;
	if (!ov || dt_get_path(fdt, node, path, sizeof(path)) < 0)
		return false;
	for (unsigned i = 0; i < ov->nr; i++)
		if (!strcmp(ov->paths[i], path))
			return true;
	return false;
}

int dma_classify(const void *fdt, int node, const struct dma_overrides *ov,
		 struct dma_info *out)
{
	struct compat c = compat_of(fdt, node);
	int len;
	const uint32_t *p;

	memset(out, 0, sizeof(*out));
	out->iommu = -1;
	out->cls = DMA_NOT_MASTER;
	out->why = "no sign of DMA";
	if (iommu_kind(fdt, node, &c)) {
		out->why = "an IOMMU";
		return 0;
	}
	if ((p = dt_getprop(fdt, node, "iommus", &len))) {
		if (parse_iommus(fdt, p, len, out)) {
			out->cls = DMA_UNPROTECTED;
			out->why = "iommus names no usable IOMMU";
			return -XEN_EINVAL;
		}
		out->cls = out->iommu_disabled ? DMA_UNPROTECTED : DMA_PROTECTED;
		out->why = out->iommu_disabled ? "iommus names a disabled IOMMU" : "iommus";
	} else if (is_pci_host(fdt, node)) {
		p = dt_getprop(fdt, node, "iommu-map", &len);
		if (p && parse_iommu_map(fdt, p, len, out)) {
			out->cls = DMA_UNPROTECTED;
			out->why = "iommu-map is malformed";
			return -XEN_EINVAL;
		}
		out->cls = p && !out->iommu_disabled ? DMA_PROTECTED : DMA_UNPROTECTED;
		out->why = !p ? "PCI host bridge without iommu-map"
			      : out->iommu_disabled ? "iommu-map names a disabled IOMMU"
						    : "PCI host bridge with iommu-map";
	} else if (!dt_getprop(fdt, node, "reg", NULL)) {
		out->why = "no reg: not a device"; /* e.g. a virtual display-subsystem node */
		return 0;
	} else if ((out->why = dma_capable_class(fdt, node, &c))) {
		out->cls = DMA_UNPROTECTED;
	} else if (dt_getprop(fdt, node, "dma-coherent", NULL)) {
		out->cls = DMA_UNPROTECTED;
		out->why = "dma-coherent";
	} else {
		out->why = "no sign of DMA";
		return 0;
	}
	if (out->cls == DMA_PROTECTED && overridden(fdt, node, ov)) {
		out->cls = DMA_UNPROTECTED;
		out->overridden = true;
		out->why = "marked unprotected by mapvisor,dma-unprotected";
	}
	return 0;
}

int dma_overrides_parse(const char *list, struct dma_overrides *ov)
{
	memset(ov, 0, sizeof(*ov));
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (!n || n >= sizeof(ov->paths[0]) || ov->nr == DMA_MAX_OVERRIDES || *p != '/')
			return -XEN_EINVAL;
		memcpy(ov->paths[ov->nr], p, n);
		ov->paths[ov->nr++][n] = '\0';
		p = e ? e + 1 : p + n;
	}
	return 0;
}

enum dma_path dma_path_for(enum dma_class cls, bool domain_direct_mapped)
{
	switch (cls) {
	case DMA_PROTECTED:
		return DMA_PATH_DIRECT;
	case DMA_UNPROTECTED:
		return domain_direct_mapped ? DMA_PATH_TRANSLATE : DMA_PATH_IMPOSSIBLE;
	case DMA_NOT_MASTER:
		break;
	}
	return DMA_PATH_NONE;
}

const char *dma_path_name(enum dma_path p)
{
	static const char *const names[] = {"none", "direct", "translate", "impossible"};

	return names[p];
}
