/* Names of the feature bits of xen/include/public/features.h, as Xen spells them. */
#include <stddef.h>
#include <xen/features.h>
#include <xenfeat_names.h>

static const char *const names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist] = "highmem_assist",
	[XENFEAT_gnttab_map_avoid_flush] = "gnttab_map_avoid_flush",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs] = "hvm_pirqs",
	[XENFEAT_dom0] = "dom0",
	[XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
	[XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
	[XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
	[XENFEAT_not_direct_mapped] = "not_direct_mapped",
	[XENFEAT_direct_mapped] = "direct_mapped",
	[XENFEAT_runstate_phys_area] = "runstate_phys_area",
};

const char *xenfeat_name(unsigned bit)
{
	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}
