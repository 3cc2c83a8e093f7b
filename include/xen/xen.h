/* The Xen public ABI subset mapvisor speaks (from xen/include/public/xen.h, arch-arm.h).
 * Everything is little-endian AArch64: xen_ulong_t and xen_pfn_t are 64-bit. */
#ifndef XEN_XEN_H
#define XEN_XEN_H
#include <stdint.h>

typedef uint64_t xen_ulong_t;
typedef uint64_t xen_pfn_t;
typedef uint16_t domid_t;

/* arch-arm.h: hypercalls are "hvc #XEN_HYPERCALL_TAG", number in x16, args x0..x4. */
#define XEN_HYPERCALL_TAG 0xEA1

/* xen.h: hypercall numbers */
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36

/* xen.h: console_io commands */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* xen.h: vm_assist commands and types; Xen on Arm accepts only runstate_update_flag
 * (xen/include/asm-arm/config.h: VM_ASSIST_VALID) */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_runstate_update_flag 5
#define VM_ASSIST_VALID (1U << VMASST_TYPE_runstate_update_flag)

/* xen.h: special domain ids */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF 0x7FF0U

#endif
