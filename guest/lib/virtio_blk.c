/* virtio-blk over virtio-mmio, version 2 (Virtio 1.2 sections 2.7, 4.2.2, 5.2): one split
 * virtqueue, one request at a time, polled. Everything the device reads or writes — the
 * descriptor table, both rings, request headers, data and status — reaches it through the
 * DMA layer, so a wrong DMA path shows up as wrong bytes or a dead queue, never silently.
 * Completion is polled, or (virtio_blk_use_irq) waited for in WFI until the device's SPI. */
#include "libguest.h"
#include <string.h>

#define VIRTIO_MAGIC 0x74726976 /* "virt" */
#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_READY 0x044
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC 0x080
#define MMIO_QUEUE_DRIVER 0x090
#define MMIO_QUEUE_DEVICE 0x0a0
#define MMIO_CONFIG 0x100 /* virtio-blk: capacity in 512-byte sectors, le64 */

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128
#define VIRTIO_F_VERSION_1_HI (1U << 0) /* feature bit 32 */
#define VIRTIO_ID_BLOCK 2

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define QSIZE 4
#define BLK_T_IN 0

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* The queue's memory: one page, so the three parts are bus-contiguous whenever the page is. */
static struct vq_page {
	struct vq_desc desc[QSIZE]; /* 16-byte aligned */
	uint16_t avail[2 + QSIZE];  /* flags, idx, ring */
	uint8_t pad[64];
	uint32_t used[1 + 2 * QSIZE]; /* flags | idx << 16, then {id, len} */
	struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
} vq __attribute__((aligned(4096)));

static uint32_t rd(const struct virtio_blk *b, unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(b->base + off);
}

static void wr(const struct virtio_blk *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(b->base + off) = v;
}

static void wr64(const struct virtio_blk *b, unsigned off, uint64_t v)
{
	wr(b, off, (uint32_t)v);
	wr(b, off + 4, (uint32_t)(v >> 32));
}

static bool is_blk(uint64_t base)
{
	const volatile uint32_t *r = (const volatile uint32_t *)(uintptr_t)base;

	return r[MMIO_MAGIC / 4] == VIRTIO_MAGIC && r[MMIO_DEVICE_ID / 4] == VIRTIO_ID_BLOCK;
}

/* The first "virtio,mmio" node of the DT whose transport holds a block device (QEMU describes
 * every slot; empty ones read device ID 0). */
static int find_node(uint64_t *base)
{
	int node = -1;

	while ((node = fdt_next_compatible(guest_fdt, node, "virtio,mmio")) >= 0) {
		int len;
		const uint8_t *reg = fdt_prop(guest_fdt, node, "reg", &len);

		if (reg && len >= 16 && is_blk(fdt_be(reg, 8))) {
			*base = fdt_be(reg, 8);
			return node;
		}
	}
	return -1;
}

/* Device initialisation (Virtio 1.2 section 3.1.1); returns 0 or a reason. */
static const char *setup(struct virtio_blk *b)
{
	uint64_t ring;

	if (rd(b, MMIO_VERSION) != 2)
		return "legacy virtio-mmio transport (version 1): use "
		       "-global virtio-mmio.force-legacy=false";
	wr(b, MMIO_STATUS, 0);
	wr(b, MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	wr(b, MMIO_DEVICE_FEATURES_SEL, 1);
	if (!(rd(b, MMIO_DEVICE_FEATURES) & VIRTIO_F_VERSION_1_HI))
		return "the device does not offer VIRTIO_F_VERSION_1";
	wr(b, MMIO_DRIVER_FEATURES_SEL, 0);
	wr(b, MMIO_DRIVER_FEATURES, 0);
	wr(b, MMIO_DRIVER_FEATURES_SEL, 1);
	wr(b, MMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_HI);
	wr(b, MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
	if (!(rd(b, MMIO_STATUS) & STATUS_FEATURES_OK))
		return "the device refused our features";
	wr(b, MMIO_QUEUE_SEL, 0);
	if (rd(b, MMIO_QUEUE_NUM_MAX) < QSIZE)
		return "queue 0 is too small";
	memset(&vq, 0, sizeof(vq));
	/* the queue lives as long as the device: mapped once, never unmapped */
	ring = dma_map(&b->dev, &vq, sizeof(vq), true);
	if (ring == DMA_MAP_ERROR)
		return "the DMA layer cannot map the virtqueue";
	b->ring_bus = ring;
	wr(b, MMIO_QUEUE_NUM, QSIZE);
	wr64(b, MMIO_QUEUE_DESC, ring + __builtin_offsetof(struct vq_page, desc));
	wr64(b, MMIO_QUEUE_DRIVER, ring + __builtin_offsetof(struct vq_page, avail));
	wr64(b, MMIO_QUEUE_DEVICE, ring + __builtin_offsetof(struct vq_page, used));
	wr(b, MMIO_QUEUE_READY, 1);
	wr(b, MMIO_STATUS,
	   STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
	b->capacity = rd(b, MMIO_CONFIG) | (uint64_t)rd(b, MMIO_CONFIG + 4) << 32;
	return NULL;
}

static struct virtio_blk *irq_dev; /* the device whose interrupt is enabled */

/* The used-buffer notification (Virtio 1.2 4.2.2.1): acknowledge what the device says. */
static void on_interrupt(unsigned intid)
{
	(void)intid;
	wr(irq_dev, MMIO_INTERRUPT_ACK, rd(irq_dev, MMIO_INTERRUPT_STATUS));
	irq_dev->irqs++;
}

int virtio_blk_use_irq(struct virtio_blk *b)
{
	int len;
	const uint8_t *irq = fdt_prop(guest_fdt, b->node, "interrupts", &len);

	if (!irq || len < 12 || fdt_be(irq, 4) != 0 || gic_init_cpu())
		return -1; /* no SPI described, or no GIC */
	b->spi = 32 + (int)fdt_be(irq + 4, 4);
	irq_dev = b;
	gic_enable((unsigned)b->spi, 0x80, on_interrupt);
	irqs_on();
	return 0;
}

const char *virtio_blk_init(struct virtio_blk *b)
{
	const char *why;

	memset(b, 0, sizeof(*b));
	b->spi = -1;
	b->node = find_node(&b->base);
	if (b->node < 0)
		return "no virtio-mmio transport in the DT holds a block device";
	b->protected_ = fdt_prop(guest_fdt, b->node, "mapvisor,dma-protected", NULL) != NULL;
	/* virtio-mmio addresses are 64-bit; QEMU's virtio-blk has no narrower limit */
	dma_dev_init(&b->dev, b->node, ~0ULL);
	why = setup(b);
	if (why)
		wr(b, MMIO_STATUS, STATUS_FAILED);
	return why;
}

/* Reads nr_sectors from sector into buf: header, data and status chained in three
 * descriptors, the data mapped from_device. Returns 0, or -1 with *why set. */
int virtio_blk_read(struct virtio_blk *b, uint64_t sector, void *buf, uint32_t nr_sectors,
		    const char **why)
{
	uint32_t len = nr_sectors * 512;
	uint16_t idx = vq.avail[1];
	uint64_t end = read_cntvct() + read_cntfrq(), data;

	if (sector + nr_sectors > b->capacity) {
		*why = "beyond the end of the disk";
		return -1;
	}
	data = dma_map(&b->dev, buf, len, false);
	if (data == DMA_MAP_ERROR) {
		*why = "the DMA layer cannot map the buffer";
		return -1;
	}
	vq.hdr.type = BLK_T_IN;
	vq.hdr.sector = sector;
	vq.status = 0xff;
	vq.desc[0] = (struct vq_desc){b->ring_bus + __builtin_offsetof(struct vq_page, hdr), 16,
				      DESC_F_NEXT, 1};
	vq.desc[1] = (struct vq_desc){data, len, DESC_F_NEXT | DESC_F_WRITE, 2};
	vq.desc[2] = (struct vq_desc){b->ring_bus + __builtin_offsetof(struct vq_page, status), 1,
				      DESC_F_WRITE, 0};
	vq.avail[2 + idx % QSIZE] = 0;
	__asm__ volatile("dmb oshst" ::: "memory"); /* the ring entry before the index */
	vq.avail[1] = (uint16_t)(idx + 1);
	__asm__ volatile("dmb oshst" ::: "memory");
	wr(b, MMIO_QUEUE_NOTIFY, 0);
	while ((uint16_t)(*(volatile uint32_t *)&vq.used[0] >> 16) != (uint16_t)(idx + 1)) {
		if (read_cntvct() > end) {
			dma_unmap(&b->dev, data, buf, len, false);
			*why = "no completion within a second (the device could not read the queue?)";
			return -1;
		}
		if (b->spi >= 0) /* the completion interrupt wakes us */
			wfi_unless((uint16_t)(*(volatile uint32_t *)&vq.used[0] >> 16) ==
				   (uint16_t)(idx + 1));
	}
	__asm__ volatile("dmb oshld" ::: "memory");
	if (b->spi < 0)
		wr(b, MMIO_INTERRUPT_ACK, rd(b, MMIO_INTERRUPT_STATUS));
	dma_unmap(&b->dev, data, buf, len, true);
	b->bytes_read += len;
	if (*(volatile uint8_t *)&vq.status != 0) {
		*why = "the device reported an I/O error";
		return -1;
	}
	return 0;
}
