/* Host unit tests of hv/core: one binary, one cmocka group per module. */
#include "unit.h"

int main(void)
{
	int failed = 0;

	failed += run_features_tests();
	failed += run_cmdline_tests();
	failed += run_page_alloc_tests();
	failed += run_dt_tests();
	failed += run_pt_tests();
	failed += run_p2m_tests();
	failed += run_bootinfo_tests();
	failed += run_hypercall_tests();
	failed += run_vpsci_tests();
	failed += run_colour_tests();
	failed += run_vgic_tests();
	failed += run_domain_cfg_tests();
	failed += run_dma_protect_tests();
	failed += run_claim_tests();
	failed += run_pci_tests();
	failed += run_smmu_tests();
	failed += run_grant_tests();
	failed += run_dma_decl_tests();
	failed += run_event_tests();
	failed += run_runstate_tests();
	failed += run_reservation_tests();
	failed += run_traps_tests();
	failed += run_console_tests();
	failed += run_vpl011_tests();
	failed += run_vpci_tests();
	failed += run_string_tests();
	failed += run_boot_tests(); /* last: it builds real domains over the shared vgic state */
	return failed ? 1 : 0;
}
