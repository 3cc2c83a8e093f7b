/* hvm_op on Arm (xen/include/public/hvm/hvm_op.h, hvm/params.h): only the parameter
 * get/set a guest uses to find xenstore and its console. */
#ifndef XEN_HVM_H
#define XEN_HVM_H
#include "xen.h"

#define HVMOP_set_param 0
#define HVMOP_get_param 1

#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_CALLBACK_TYPE_PPI 2ULL /* in bits 63:56 of CALLBACK_IRQ */
#define HVM_PARAM_CALLBACK_PPI_LOW_LEVEL 2ULL /* in bits 15:8 */
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_PARAM_MONITOR_RING_PFN 28
#define HVM_NR_PARAMS 39 /* Xen 4.17: the last is HVM_PARAM_MCA_CAP, 38 */

struct xen_hvm_param {
	domid_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param");

#endif
