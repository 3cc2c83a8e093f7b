/* The fake architecture behind hv/core in host unit tests: machine RAM is a heap buffer,
 * the console a string, guest VA == IPA unless a test injects a stage-1 fault, and power-off
 * returns to the test through longjmp. */
#include "unit.h"
#include "vgic.h"
#include "arch.h"
#include "domain.h"
#include "hypercall.h"
#include "pci.h"
#include "shared_info.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

struct page_alloc fake_frames;
static uint8_t *fake_ram;
static uint64_t *fake_bitmap;
static char log_buf[1 << 16];
static size_t log_len;
jmp_buf fake_poweroff_jmp;
int fake_poweroff_armed, fake_poweroff_status = -1;
unsigned fake_s2_flushes;
unsigned fake_s2_flushed_pages;
void (*fake_on_s2_flush)(void);
uint64_t fake_fault_va, fake_fault_len;
int fake_vcpu_start_rc;
unsigned fake_vcpu_starts;

static struct frame_pool fake_pool = {&fake_frames, NULL, 0};
const struct pt_alloc fake_pt_alloc = {page_alloc_table, page_free_table, &fake_pool};

void fake_reset(void)
{
	uint64_t frames = FAKE_RAM_SIZE >> PAGE_SHIFT;

	if (!fake_ram) {
		fake_ram = aligned_alloc(PAGE_SIZE, FAKE_RAM_SIZE);
		fake_bitmap = malloc(page_alloc_bitmap_bytes(frames));
	}
	memset(fake_ram, 0xa5, FAKE_RAM_SIZE); /* garbage: code must not rely on zeroed RAM */
	page_alloc_init(&fake_frames, FAKE_RAM_BASE, frames, fake_bitmap);
	page_alloc_add_free(&fake_frames, FAKE_RAM_BASE, FAKE_RAM_SIZE);
	log_len = 0;
	log_buf[0] = '\0';
	fake_poweroff_armed = 0;
	fake_poweroff_status = -1;
	fake_s2_flushes = 0;
	fake_s2_flushed_pages = 0;
	fake_on_s2_flush = NULL;
	fake_fault_va = fake_fault_len = 0;
	fake_vcpu_start_rc = 0;
	fake_vcpu_starts = 0;
	fake_trace[0] = '\0';
	fake_fail = NULL;
	fake_iommu_stage2 = true;
	fake_nr_pci_devs = 0;
	memset(fake_pci_cfg, 0xff, sizeof(fake_pci_cfg)); /* no function answers */
	fake_pci_cfg_writes = 0;
	fake_entered = NULL;
	nr_domains = 0;
	vgic_spis_reset();
	log_set_level(LOG_DEBUG);
}

const char *fake_log(void)
{
	return log_buf;
}

void fake_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

int fake_log_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

void *maddr_to_virt(paddr_t maddr)
{
	if (maddr < FAKE_RAM_BASE || maddr >= FAKE_RAM_BASE + FAKE_RAM_SIZE)
		fail_msg("maddr_to_virt(0x%llx): outside the fake RAM", (unsigned long long)maddr);
	return fake_ram + (maddr - FAKE_RAM_BASE);
}

void arch_console_write(const char *s, size_t len)
{
	if (log_len + len >= sizeof(log_buf))
		len = sizeof(log_buf) - 1 - log_len;
	memcpy(log_buf + log_len, s, len);
	log_len += len;
	log_buf[log_len] = '\0';
}

void arch_zero_ram(paddr_t maddr, uint64_t size)
{
	memset(maddr_to_virt(maddr), 0, size);
}

unsigned fake_yields;

void arch_cpu_yield(void)
{
	fake_yields++;
}

void arch_flush_ram(paddr_t maddr, uint64_t size)
{
	(void)maddr, (void)size;
}

void arch_s2_tlb_flush(uint16_t vmid, paddr_t ipa, uint64_t size)
{
	(void)vmid, (void)ipa;
	fake_s2_flushes++;
	fake_s2_flushed_pages += size ? (unsigned)(size >> PAGE_SHIFT) : 0;
	if (fake_on_s2_flush)
		fake_on_s2_flush();
}

void arch_s2_tlb_flush_pages(uint16_t vmid, const paddr_t *ipa, unsigned nr)
{
	(void)vmid, (void)ipa;
	if (!nr)
		return;
	fake_s2_flushes++;
	fake_s2_flushed_pages += nr;
	if (fake_on_s2_flush)
		fake_on_s2_flush();
}

void arch_pt_publish(void)
{
}

int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa)
{
	(void)write;
	if (fake_fault_len && gva >= fake_fault_va && gva - fake_fault_va < fake_fault_len)
		return -XEN_EFAULT;
	*ipa = gva;
	return 0;
}

char fake_trace[1024];
const char *fake_fail;
bool fake_iommu_stage2;
struct pci_device fake_pci_devs[PCI_MAX_DEVICES];
unsigned fake_nr_pci_devs;
struct vcpu *fake_entered;

/* One word per boot step, with what the test needs to judge its place in the order. */
static void trace(const char *fmt, ...)
{
	size_t n = strlen(fake_trace);
	va_list ap;

	if (n)
		n += (size_t)snprintf(fake_trace + n, sizeof(fake_trace) - n, " ");
	va_start(ap, fmt);
	vsnprintf(fake_trace + n, sizeof(fake_trace) - n, fmt, ap);
	va_end(ap);
}

static int fails(const char *hook)
{
	return fake_fail && !strcmp(fake_fail, hook) ? -XEN_ENODEV : 0;
}

int arch_vcpu_start(struct vcpu *v)
{
	trace("start(d%u)", v->d->id);
	fake_vcpu_starts++;
	return fake_vcpu_start_rc ? fake_vcpu_start_rc : fails("start");
}

int arch_pci_enumerate(struct pci_host *h)
{
	trace("pci(domains=%u)", nr_domains);
	memcpy(h->devs, fake_pci_devs, sizeof(fake_pci_devs));
	h->nr_devs = fake_nr_pci_devs;
	return fails("pci");
}

uint8_t fake_pci_cfg[256][4096];
unsigned fake_pci_cfg_writes;

/* Config space as plain bytes, little-endian like ECAM: a test sees every byte written. */
uint32_t arch_pci_conf_read(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size)
{
	uint32_t v = 0;

	(void)h;
	assert_true(bdf < 256 && off + size <= 4096 && !(off & (size - 1)));
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)fake_pci_cfg[bdf][off + i] << (8 * i);
	return v;
}

void arch_pci_conf_write(const struct pci_host *h, uint16_t bdf, unsigned off, unsigned size,
			 uint32_t value)
{
	(void)h;
	assert_true(bdf < 256 && off + size <= 4096 && !(off & (size - 1)));
	assert_true(size == 1 || size == 2 || size == 4);
	for (unsigned i = 0; i < size; i++)
		fake_pci_cfg[bdf][off + i] = (uint8_t)(value >> (8 * i));
	fake_pci_cfg_writes++;
}

int arch_iommu_probe(const struct boot_device *dev, bool *stage2)
{
	(void)dev;
	trace("probe(domains=%u)", nr_domains);
	*stage2 = fake_iommu_stage2;
	return fails("probe");
}

int arch_iommu_init(const struct boot_device *dev, arch_pages_fn alloc)
{
	paddr_t strtab = alloc("stream table", 16);

	(void)dev;
	trace("init(domains=%u)", nr_domains);
	assert_true(strtab != INVALID_PADDR);
	return fails("init");
}

int arch_iommu_attach(uint32_t sid, struct domain *d, const char *dev)
{
	(void)dev;
	trace("attach(0x%x>d%u,domains=%u)", sid, d->id, nr_domains);
	return fails("attach");
}

void arch_spi_route(unsigned intid, unsigned pcpu, bool edge)
{
	trace("spi(%u>cpu%u,%s)", intid, pcpu, edge ? "edge" : "level");
}

void arch_console_input_start(const struct bootinfo *bi)
{
	(void)bi;
}

void arch_selftest_el2_abort(void)
{
	trace("selftest");
}

_Noreturn void arch_boot_cpu_run(struct vcpu *v)
{
	trace("enter(d%u)", v->d->id);
	fake_entered = v;
	if (fake_poweroff_armed)
		longjmp(fake_poweroff_jmp, 2);
	fail_msg("unexpected arch_boot_cpu_run(d%u); log:\n%s", v->d->id, log_buf);
	abort();
}

uint64_t fake_llc_size, fake_llc_ways;

bool arch_llc_geometry(uint64_t *size, uint64_t *ways)
{
	*size = fake_llc_size;
	*ways = fake_llc_ways;
	return fake_llc_size != 0;
}

void arch_iommu_poll(void)
{
}

unsigned fake_kicks;
uint32_t fake_spi_enabled[8];

void arch_spi_enable(unsigned intid, bool on)
{
	if (on)
		fake_spi_enabled[intid / 32] |= 1U << (intid % 32);
	else
		fake_spi_enabled[intid / 32] &= ~(1U << (intid % 32));
}

void arch_vcpu_kick(struct vcpu *v)
{
	(void)v;
	fake_kicks++;
}

unsigned arch_cpu_id(void)
{
	return 0;
}

uint64_t arch_counter(void)
{
	return 0;
}

int arch_build_id(const void **id, uint32_t *len)
{
	static const uint8_t fake_id[20] = {0xb1, 0xd0};

	*id = fake_id;
	*len = sizeof(fake_id);
	return 0;
}

uint64_t fake_now_ns;

uint64_t arch_now_ns(void)
{
	return fake_now_ns;
}

_Noreturn void arch_poweroff(int status)
{
	fake_poweroff_status = status;
	if (fake_poweroff_armed)
		longjmp(fake_poweroff_jmp, 1);
	fail_msg("unexpected arch_poweroff(%d); log:\n%s", status, log_buf);
	abort();
}

static struct domain test_domains[MAX_DOMAINS];

struct domain *fake_domain(domid_t id, bool hardware, paddr_t gpa, uint64_t nr_pages,
			   bool identity)
{
	struct domain *d = &test_domains[nr_domains];
	paddr_t ma = page_alloc_contig(&fake_frames, nr_pages, 1);

	assert_true(ma != INVALID_PADDR);
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->hardware = hardware;
	d->xen_node = true; /* dom0, or a domU with xen,enhanced = "no-xenstore" */
	d->nr_vcpus = 2;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		d->vcpu[i] = (struct vcpu){.d = d, .id = i, .pcpu = i, .vmpidr = i};
	d->vcpu[0].power = VCPU_ON;
	assert_int_equal(p2m_init(&d->p2m, (uint16_t)(id + 1), &fake_pt_alloc), 0);
	if (identity)
		gpa = ma;
	d->ram[0] = (struct ram_bank){gpa, ma, nr_pages << PAGE_SHIFT};
	d->nr_ram = 1;
	assert_int_equal(p2m_map(&d->p2m, gpa, ma, nr_pages << PAGE_SHIFT, P2M_RAM, P2M_RW), 0);
	assert_int_equal(domain_xen_pages_init(d, &fake_pt_alloc), 0);
	domains[nr_domains++] = d;
	return d;
}

void *ut_ram(struct domain *d, uint64_t off)
{
	return maddr_to_virt(d->ram[0].maddr + off);
}

long ut_hypercall(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t a[5] = {a0, a1, a2, 0, 0};

	return hypercall_dispatch(&d->vcpu[0], nr, a);
}
