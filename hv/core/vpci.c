/* The config space of a virtual PCI host bridge (vpci.h), register by register (PCI Local
 * Bus 3.0, 6.2: the type 0 header; PCIe Base 7.5.3: the PCI Express capability). Invariant:
 * an access reaches at most the host function the domain's devfn names, and never a BAR,
 * bus number or register whose change would escape the hypervisor's placement. */
#include "arch.h"
#include "domain.h"
#include "domain_scrub.h"
#include "log.h"
#include "vmmio.h"
#include "vpci.h"
#include <format.h>

#define REG_ID 0x00
#define REG_COMMAND 0x04
#define REG_CLASS 0x08
#define REG_HEADER 0x0c
#define REG_BAR0 0x10
#define REG_BAR5 0x24
#define REG_ROM 0x30
#define REG_CAP_PTR 0x34
#define ROM_ADDRESS 0xfffff800U /* PCI 3.0, 6.2.5.2 */
#define REG_INTERRUPT 0x3c
#define CAPS_START 0x40
#define EXTENDED_START 0x100
#define CONFIG_BYTES 0x1000

/* What the domain may change in its function's command register: memory decoding and bus
 * mastering (the device cannot work without them, and both only reach its own BARs and the
 * domain's stage 2), parity/SERR reporting and INTx disable (Linux masks INTx with it). I/O
 * decoding stays as the hypervisor set it: no domain gets an I/O window. */
#define CMD_BUS_MASTER (1U << 2)
#define CMD_GUEST ((1U << 1) | CMD_BUS_MASTER | (1U << 6) | (1U << 8) | (1U << 10))
#define STATUS_CAP_LIST (1U << 4)
#define STATUS_W1C 0xf900U /* parity, system/master/target aborts: write 1 to clear */
#define HEADER_MULTI_FUNCTION (1U << 7)

#define CAP_ID_MSI 0x05
#define CAP_ID_PCIE 0x10
#define CAP_ID_MSIX 0x11
#define PCIE_DEVCTL 0x08
#define DEVCTL_FLR (1U << 15)

static const char *const drop_what[VPCI_DROP_NR] = {
	[VPCI_DROP_BAR_MOVE] = "a BAR write that would move it (BARs stay where the "
			       "hypervisor placed them)",
	[VPCI_DROP_ABSENT] = "a write to a function or bus the domain does not have",
	[VPCI_DROP_HIDDEN] = "a write to a hidden MSI/MSI-X capability (no ITS)",
	[VPCI_DROP_EXTENDED] = "a write to extended config space (read-only for domains)",
	[VPCI_DROP_RESET] = "a function-level reset (it would wipe the hypervisor's BARs)",
	[VPCI_DROP_ROM] = "an expansion ROM write (the ROM is not given)",
};

static void drop(struct vpci *v, enum vpci_drop why, uint64_t offset)
{
	if (v->logged & (1U << why))
		return;
	v->logged |= 1U << why;
	log_warn("d%u: vPCI: dropped %s: %02llx:%02llx.%llu offset 0x%llx (logged once)", v->domid,
		 drop_what[why], (unsigned long long)(offset >> 20),
		 (unsigned long long)((offset >> 15) & 0x1f),
		 (unsigned long long)((offset >> 12) & 7), (unsigned long long)(offset & 0xfff));
}

void vpci_init(struct vpci *v, const struct pci_host *h, domid_t domid)
{
	*v = (struct vpci){.host = h, .domid = domid};
}

static uint32_t host_read(const struct vpci *v, const struct vpci_func *f, unsigned reg,
			  unsigned size)
{
	return arch_pci_conf_read(v->host, f->host_bdf, reg, size);
}

static void host_write(const struct vpci *v, const struct vpci_func *f, unsigned reg, unsigned size,
		       uint32_t value)
{
	arch_pci_conf_write(v->host, f->host_bdf, reg, size, value);
}

static void read_bars(const struct vpci *v, struct vpci_func *f)
{
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		uint32_t bar = host_read(v, f, REG_BAR0 + 4 * i, 4);

		if (!f->dev->bars[i].size || (bar & 1))
			continue; /* unimplemented, or I/O space (never given) */
		f->bar_flags[i] = bar & 0xf;
		f->bar_kind[i] = VPCI_BAR_MEM32;
		if ((bar & 6) == 4 && i + 1 < PCI_MAX_BARS) {
			f->bar_kind[i] = VPCI_BAR_MEM64_LO;
			f->bar_kind[++i] = VPCI_BAR_MEM64_HI;
		}
	}
}

/* MSI's length follows its control word (PCI 3.0, 6.8.1): 64-bit address, per-vector
 * masking. */
static uint8_t msi_len(const struct vpci *v, const struct vpci_func *f, unsigned off)
{
	uint32_t ctl = host_read(v, f, off + 2, 2);

	return (uint8_t)(10 + ((ctl & (1U << 7)) ? 4 : 0) + ((ctl & (1U << 8)) ? 10 : 0));
}

/* The host's capability list, once: a malformed or looping list stops at VPCI_MAX_CAPS. */
static void read_caps(const struct vpci *v, struct vpci_func *f)
{
	unsigned off = host_read(v, f, REG_CAP_PTR, 1) & 0xfc;

	if (!(host_read(v, f, REG_COMMAND + 2, 2) & STATUS_CAP_LIST))
		return;
	while (off >= CAPS_START && off < EXTENDED_START && f->nr_caps < VPCI_MAX_CAPS) {
		struct vpci_cap *c = &f->caps[f->nr_caps++];

		c->off = (uint8_t)off;
		c->id = (uint8_t)host_read(v, f, off, 1);
		c->hidden = c->id == CAP_ID_MSI || c->id == CAP_ID_MSIX;
		c->len = c->id == CAP_ID_MSI ? msi_len(v, f, off) : c->id == CAP_ID_MSIX ? 12 : 2;
		off = host_read(v, f, off + 1, 1) & 0xfc;
	}
}

/* The visible capability after list position i (i < 0: the first), 0 if none. */
static uint8_t next_visible(const struct vpci_func *f, int i)
{
	for (unsigned k = (unsigned)(i + 1); k < f->nr_caps; k++)
		if (!f->caps[k].hidden)
			return f->caps[k].off;
	return 0;
}

int vpci_add_function(struct vpci *v, const struct pci_device *dev)
{
	struct vpci_func *f;

	for (unsigned i = 0; i < v->nr_funcs; i++)
		if (v->func[i].dev == dev)
			return -XEN_EEXIST;
	if (v->nr_funcs == VPCI_MAX_FUNCS)
		return -XEN_ENOSPC;
	f = &v->func[v->nr_funcs];
	*f = (struct vpci_func){
		.dev = dev, .host_bdf = dev->bdf, .vdevfn = (uint8_t)(v->nr_funcs << 3)};
	read_bars(v, f);
	read_caps(v, f);
	f->cap_first = next_visible(f, -1);
	v->nr_funcs++;
	return 0;
}

const struct vpci_func *vpci_func_at(const struct vpci *v, unsigned vdevfn)
{
	for (unsigned i = 0; i < v->nr_funcs; i++)
		if (v->func[i].vdevfn == vdevfn)
			return &v->func[i];
	return NULL;
}

static struct vpci_func *func_of(struct vpci *v, uint64_t offset)
{
	if (offset >= VPCI_BUS_BYTES)
		return NULL; /* only bus 0 is the domain's */
	return (struct vpci_func *)vpci_func_at(v, (unsigned)(offset >> 12) & 0xff);
}

/* --- reads: the dword the domain sees, built from the host's where it is passed through */

static uint32_t bar_read(const struct vpci_func *f, unsigned i)
{
	const struct pci_bar *b;
	uint64_t value;

	switch (f->bar_kind[i]) {
	case VPCI_BAR_MEM32:
	case VPCI_BAR_MEM64_LO:
		b = &f->dev->bars[i];
		value = f->sizing & (1U << i) ? ~(b->size - 1) : b->addr;
		return ((uint32_t)value & ~0xfU) | f->bar_flags[i];
	case VPCI_BAR_MEM64_HI:
		b = &f->dev->bars[i - 1];
		value = f->sizing & (1U << i) ? ~(b->size - 1) : b->addr;
		return (uint32_t)(value >> 32);
	}
	return 0;
}

/* A byte of the capability area (0x40-0xff): hidden capabilities read as zero and are left
 * out of the list. */
static uint8_t cap_byte(const struct vpci_func *f, unsigned reg, uint8_t host)
{
	for (unsigned k = 0; k < f->nr_caps; k++) {
		const struct vpci_cap *c = &f->caps[k];

		if (c->hidden && reg - c->off < c->len)
			return 0;
		if (!c->hidden && reg == c->off + 1u)
			return next_visible(f, (int)k);
	}
	return host;
}

static uint32_t header_dword(struct vpci *v, const struct vpci_func *f, unsigned dw)
{
	uint32_t host;

	if (dw >= REG_BAR0 && dw <= REG_BAR5)
		return bar_read(f, (dw - REG_BAR0) / 4);
	switch (dw) {
	case REG_ROM:
	case REG_CAP_PTR + 4: /* reserved */
		return 0;
	case REG_CAP_PTR:
		return f->cap_first;
	}
	host = host_read(v, f, dw, 4);
	if (dw == REG_COMMAND && !f->cap_first)
		return host & ~(STATUS_CAP_LIST << 16);
	if (dw == REG_HEADER)
		return host & ~(HEADER_MULTI_FUNCTION << 16); /* it is alone in its slot now */
	if (dw == REG_INTERRUPT)
		return (host & ~0xffU) | f->intx_line;
	return host;
}

static uint32_t config_dword(struct vpci *v, const struct vpci_func *f, unsigned dw)
{
	uint32_t host, out = 0;

	if (dw < CAPS_START)
		return header_dword(v, f, dw);
	host = host_read(v, f, dw, 4);
	if (dw >= EXTENDED_START)
		return host;
	for (unsigned b = 0; b < 4; b++)
		out |= (uint32_t)cap_byte(f, dw + b, (uint8_t)(host >> (8 * b))) << (8 * b);
	return out;
}

static bool access_ok(uint64_t offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && !(offset & (size - 1));
}

bool vpci_read(struct vpci *v, uint64_t offset, unsigned size, uint32_t *value)
{
	const struct vpci_func *f;
	unsigned reg = offset & (CONFIG_BYTES - 1), shift = 8 * (reg & 3);
	uint32_t mask;

	if (!access_ok(offset, size))
		return false;
	mask = size == 4 ? ~0U : (1U << (8 * size)) - 1;
	v->nr_reads++;
	f = func_of(v, offset);
	*value = f ? (config_dword(v, f, reg & ~3U) >> shift) & mask : mask;
	return true;
}

/* --- writes: merged into what the domain sees, then only what it may change goes out */

/* Bus mastering about to be enabled: no RAM of the domain's may still be held (p2m.h). */
static void before_bus_master(const struct vpci *v, const struct vpci_func *f)
{
	struct domain *d = domain_by_id(v->domid);
	char cause[48];

	if (!d || (!d->p2m.held_bytes && !d->p2m.held_mmio))
		return;
	snprintf(cause, sizeof(cause), "vPCI 00:%02x.%u enables bus mastering", f->vdevfn >> 3,
		 f->vdevfn & 7);
	domain_scrub_log_released(d, cause, p2m_release_held(&d->p2m));
}

static void command_write(struct vpci *v, const struct vpci_func *f, uint32_t val, uint32_t be)
{
	uint32_t cmd = host_read(v, f, REG_COMMAND, 2);
	uint32_t mine = be & 0xffff & CMD_GUEST;

	if ((mine & val & CMD_BUS_MASTER) && !(cmd & CMD_BUS_MASTER))
		before_bus_master(v, f);

	if (be & 0xffff)
		host_write(v, f, REG_COMMAND, 2, (cmd & ~mine) | (val & mine));
	if (be >> 16) /* its own error bits, cleared by writing ones */
		host_write(v, f, REG_COMMAND + 2, 2, (val >> 16) & (be >> 16) & STATUS_W1C);
}

/* A BAR write sizes it (all-ones), puts it back (its address), or would move it (refused):
 * the function's BARs are where the hypervisor mapped them in the domain's stage 2. */
static void bar_write(struct vpci *v, struct vpci_func *f, unsigned i, uint32_t val, uint32_t be,
		      uint64_t offset)
{
	uint32_t cur = bar_read(f, i), now = (cur & ~be) | (val & be);
	uint32_t sizing = f->bar_kind[i] == VPCI_BAR_MEM64_HI ? ~0U : ~0xfU;
	uint32_t home;

	if (f->bar_kind[i] == VPCI_BAR_NONE)
		return; /* unimplemented: hardwired to zero */
	f->sizing &= (uint8_t) ~(1U << i);
	home = bar_read(f, i);
	if ((now & sizing) == sizing)
		f->sizing |= (uint8_t)(1U << i);
	else if ((now & sizing) != (home & sizing))
		drop(v, VPCI_DROP_BAR_MOVE, offset);
}

static void header_write(struct vpci *v, struct vpci_func *f, unsigned dw, uint32_t val,
			 uint32_t be, uint64_t offset)
{
	if (dw >= REG_BAR0 && dw <= REG_BAR5) {
		bar_write(v, f, (dw - REG_BAR0) / 4, val, be, offset);
		return;
	}
	switch (dw) {
	case REG_COMMAND:
		command_write(v, f, val, be);
		return;
	case REG_HEADER: /* cache line size and latency timer; header type and BIST are not */
		for (unsigned b = 0; b < 2; b++)
			if (be & (0xffU << (8 * b)))
				host_write(v, f, dw + b, 1, (val >> (8 * b)) & 0xff);
		return;
	case REG_ROM:
		/* sizing (address bits 31:11 all ones) and putting back 0 are how software
		 * finds there is no ROM (it reads zero): no need for a line */
		if (be == ~0U && val && (val & ROM_ADDRESS) != ROM_ADDRESS)
			drop(v, VPCI_DROP_ROM, offset);
		else if (be != ~0U && val)
			drop(v, VPCI_DROP_ROM, offset);
		return;
	case REG_INTERRUPT: /* the line register is scratch for software */
		if (be & 0xff)
			f->intx_line = (uint8_t)val;
		return;
	}
	/* identification, class, subsystem, capability pointer: read-only, as in hardware */
}

/* The bytes of a capability-area write that may reach the device: not the list's own
 * links, not a hidden capability, and never a function-level reset. */
static uint32_t cap_write_mask(struct vpci *v, const struct vpci_func *f, unsigned dw, uint32_t val,
			       uint32_t be, uint64_t offset, uint32_t *out)
{
	uint32_t ok = be;

	*out = val;
	for (unsigned k = 0; k < f->nr_caps; k++) {
		const struct vpci_cap *c = &f->caps[k];

		for (unsigned b = 0; b < 4; b++) {
			unsigned reg = dw + b;
			uint32_t byte = 0xffU << (8 * b);

			if (!(be & byte))
				continue;
			if (c->hidden && reg - c->off < c->len) {
				ok &= ~byte;
				drop(v, VPCI_DROP_HIDDEN, offset);
			} else if (reg - c->off < 2u) {
				ok &= ~byte; /* capability ID and next pointer: read-only */
			} else if (c->id == CAP_ID_PCIE && reg == c->off + PCIE_DEVCTL + 1u &&
				   (val & byte & (DEVCTL_FLR >> 8 << (8 * b)))) {
				*out &= ~(DEVCTL_FLR >> 8 << (8 * b));
				drop(v, VPCI_DROP_RESET, offset);
			}
		}
	}
	return ok;
}

static void cap_write(struct vpci *v, const struct vpci_func *f, unsigned dw, uint32_t val,
		      uint32_t be, uint64_t offset)
{
	uint32_t out, ok = cap_write_mask(v, f, dw, val, be, offset, &out);

	if (ok == be) { /* all of it: one access of the guest's own width */
		unsigned first = (unsigned)__builtin_ctz(be) / 8;
		unsigned size = (unsigned)__builtin_popcount(be) / 8;

		host_write(v, f, dw + first, size, (out >> (8 * first)) & (be >> (8 * first)));
		return;
	}
	for (unsigned b = 0; b < 4; b++)
		if (ok & (0xffU << (8 * b)))
			host_write(v, f, dw + b, 1, (out >> (8 * b)) & 0xff);
}

bool vpci_write(struct vpci *v, uint64_t offset, unsigned size, uint32_t value)
{
	struct vpci_func *f;
	unsigned reg = offset & (CONFIG_BYTES - 1), dw = reg & ~3U, shift = 8 * (reg & 3);
	uint32_t be, val;

	if (!access_ok(offset, size))
		return false;
	v->nr_writes++;
	be = (size == 4 ? ~0U : (1U << (8 * size)) - 1) << shift;
	val = (value << shift) & be;
	f = func_of(v, offset);
	if (!f)
		drop(v, VPCI_DROP_ABSENT, offset);
	else if (dw < CAPS_START)
		header_write(v, f, dw, val, be, offset);
	else if (dw < EXTENDED_START)
		cap_write(v, f, dw, val, be, offset);
	else
		drop(v, VPCI_DROP_EXTENDED, offset);
	return true;
}

static bool vpci_mmio(struct vcpu *vc, uint64_t offset, unsigned size, bool is_write,
		      uint64_t *value, void *priv)
{
	struct vpci *v = priv;
	uint32_t val = (uint32_t)*value;
	bool ok;

	(void)vc;
	spin_lock(&v->lock);
	ok = is_write ? vpci_write(v, offset, size, val) : vpci_read(v, offset, size, &val);
	spin_unlock(&v->lock);
	if (ok && !is_write)
		*value = val;
	return ok;
}

static const struct vmmio_ops vpci_ops = {.name = "virtual PCI host bridge", .access = vpci_mmio};

int vpci_register(struct domain *d, struct vpci *v, paddr_t gpa, uint64_t size)
{
	return vmmio_register(d, gpa, size, &vpci_ops, v);
}
