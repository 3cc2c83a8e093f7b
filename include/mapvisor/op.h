/* mapvisor's own hypercall: mapvisor_op(cmd, arg), hvc #0xEA1 with x16 = 55, Xen's
 * __HYPERVISOR_arch_7. Xen reserves 48-55 for architecture-specific hypercalls (x86 uses
 * arch_0 and arch_1, Arm none), and the last is the least likely to be taken; Debian's Xen
 * 4.17 answers it -ENOSYS (scenario linux-permod-xen), so a guest tells mapvisor from Xen
 * by MAPVISOR_OP_query. linux/mapvisor_dma.c repeats these numbers
 * (it is built against the kernel's headers, not these). README: "The guest's word". */
#ifndef MAPVISOR_OP_H
#define MAPVISOR_OP_H
#include <stdint.h>

#define __HYPERVISOR_mapvisor_op 55 /* __HYPERVISOR_arch_7 */

/* Returns MAPVISOR_OP_MAGIC: only mapvisor answers it. */
#define MAPVISOR_OP_query 0
#define MAPVISOR_OP_MAGIC 0x4d560001 /* "MV", interface version 1 */

/* arg: struct mapvisor_dma_declare. The caller's word that every IOMMU-protected device it
 * drives DMAs with guest-physical addresses (dma-direct), never with dev_bus_addr of a
 * granted page: its grant maps then add no GFN == MFN alias. 0; -EBUSY while a protected
 * device is not named or foreign pages are mapped; -EINVAL for a name that is not one of
 * its protected devices; -EFAULT. */
#define MAPVISOR_OP_dma_declare 1
/* Takes the word back (aliases again): 0, or -EBUSY while foreign pages are mapped. */
#define MAPVISOR_OP_dma_withdraw 2
/* 1 while the caller's declaration stands, else 0. */
#define MAPVISOR_OP_dma_status 3

#define MAPVISOR_DMA_MAX_DEVS 64

/* 16 bytes. devs: guest handle of nr_devs uint32_t device ids, a PCI function as
 * MAPVISOR_DMA_PCI(segment, bus, devfn) (its DT node is the host bridge's child with that
 * devfn in reg; mapvisor has one segment per host bridge, numbered from 0). */
struct mapvisor_dma_declare {
	uint32_t nr_devs;
	uint32_t pad; /* 0 */
	uint64_t devs;
};

#define MAPVISOR_DMA_PCI(seg, bus, devfn) ((uint32_t)(seg) << 16 | (uint32_t)(bus) << 8 | (devfn))

#endif
