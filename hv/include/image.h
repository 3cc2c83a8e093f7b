/* Loading a domain's arm64 Image kernel, device tree and ramdisk (image.c). */
#ifndef HV_IMAGE_H
#define HV_IMAGE_H
#include "bootinfo.h"
#include "domain.h"
#include "domain_cfg.h"

/* Checks c's kernel, builds d's device tree, copies all three into d's first RAM bank and
 * sets d->entry, d->dtb_gpa and the initrd range; an error is logged. */
int image_load(const struct bootinfo *bi, struct domain *d, const struct domain_cfg *c);

#endif
