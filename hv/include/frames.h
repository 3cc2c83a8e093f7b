/* The machine-frame allocator over all RAM (frames.c) and the hypervisor's own pool drawn
 * from it. Set up once at boot; every later allocation comes from frame_alloc. */
#ifndef HV_FRAMES_H
#define HV_FRAMES_H
#include "bootinfo.h"
#include "page_alloc.h"
#include "pt.h"

extern struct page_alloc frame_alloc;
extern struct frame_pool hv_pool; /* the hypervisor's own pages (xen-llc-colors) */
extern const struct pt_alloc frame_pt_alloc;

/* Marks every byte the hypervisor must keep (image, DTB, modules, reservations) used and
 * everything else in RAM free. bitmap storage is carved out of free RAM. */
int frames_init(const struct bootinfo *bi, paddr_t hv_start, paddr_t hv_end);

#endif
