/* XENVER_get_features policy. Defaults equal Xen on Arm (xen/common/kernel.c): always
 * writable_page_tables, auto_translated_physmap, memory_op_vnode_supported and
 * ARM_SMCCC_supported; dom0 for the hardware domain; exactly one of direct_mapped /
 * not_direct_mapped. The override modes are mapvisor's own, for debugging guests. */
#include "features.h"
#include <stddef.h>
#include <xen/features.h>
#include <xenfeat_names.h>

#define BIT(n) (1U << (n))

uint32_t features_submap0(bool hardware_domain, bool direct_mapped, enum features_mode mode)
{
	uint32_t map = BIT(XENFEAT_writable_page_tables) | BIT(XENFEAT_auto_translated_physmap) |
		       BIT(XENFEAT_memory_op_vnode_supported) | BIT(XENFEAT_ARM_SMCCC_supported);

	if (hardware_domain)
		map |= BIT(XENFEAT_dom0);
	switch (mode) {
	case FEATURES_AUTO:
		map |= direct_mapped ? BIT(XENFEAT_direct_mapped) : BIT(XENFEAT_not_direct_mapped);
		break;
	case FEATURES_DIRECT:
		map |= BIT(XENFEAT_direct_mapped);
		break;
	case FEATURES_NOT_DIRECT:
		map |= BIT(XENFEAT_not_direct_mapped);
		break;
	case FEATURES_LEGACY:
		break;
	}
	return map;
}

const char *features_mode_name(enum features_mode mode)
{
	switch (mode) {
	case FEATURES_AUTO:
		return "auto";
	case FEATURES_DIRECT:
		return "direct";
	case FEATURES_NOT_DIRECT:
		return "not-direct";
	case FEATURES_LEGACY:
		return "legacy";
	}
	return "?";
}

const char *features_bit_name(unsigned bit)
{
	return xenfeat_name(bit);
}
