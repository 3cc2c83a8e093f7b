/* The DMA decision Linux makes from the feature bits (Linux >= 5.13,
 * include/xen/arm/swiotlb-xen.h: xen_swiotlb_detect()), shared by libguest and dmacheck. */
#ifndef LIB_XEN_DMA_H
#define LIB_XEN_DMA_H
#include <stdbool.h>
#include <stdint.h>

/* submap: XENVER_get_features submap 0. Linux 6.1 applies the answer to every device. */
bool linux_uses_swiotlb_xen(uint32_t submap);

#endif
