/* The hypervisor command line (/chosen/xen,xen-bootargs): Xen's option syntax. Options
 * mapvisor implements are parsed strictly; other Xen options are accepted with one warning
 * each, so a DTB written for Xen boots unchanged; unknown "mapvisor." options are errors. */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H
#include "features.h"
#include "log.h"
#include "types.h"

enum console_kind { CONSOLE_DTUART, CONSOLE_NONE };

struct hv_options {
	uint64_t dom0_mem_bytes;  /* 0: default */
	uint64_t dom0_mem_min, dom0_mem_max; /* dom0_mem=min:,max: (0: none) */
	unsigned dom0_max_vcpus;  /* 0: every CPU no domU has (Xen: all CPUs) */
	enum console_kind console;
	char dtuart[128];         /* "" = /chosen/stdout-path */
	enum features_mode features;
	enum log_level loglvl;
	bool selftest_el2_abort; /* mapvisor.selftest=el2-abort: prove the fault reporter */
	int llc_coloring;        /* -1 unset, 0 off, 1 on (Xen: llc-coloring=) */
	uint64_t llc_size;       /* llc-size=, 0: probe */
	unsigned llc_nr_ways;    /* llc-nr-ways=, 0: probe */
	char dom0_colours[64];   /* dom0-llc-colors=, "" = all colours */
	char xen_colours[64];    /* xen-llc-colors=, the hypervisor's own colours */
	char dma_unprotected[512]; /* mapvisor.dma-unprotected=/path,/path */
	int allow_unsafe_dma;      /* mapvisor.allow-unsafe-dma: give DMA that cannot work */
};

/* The hypervisor's colours when xen-llc-colors is not given: two, because a stage-2 root is
 * two contiguous pages (40-bit IPA, Arm ARM D8.2.6). */
#define XEN_COLOURS_DEFAULT "0-1"


void cmdline_defaults(struct hv_options *o);
/* Logs one line per problem; -XEN_EINVAL when a known option has a bad value. */
int cmdline_parse(const char *cmdline, struct hv_options *o);
/* Xen's parse_size_and_unit: number with optional B/K/M/G/T suffix, default KiB. */
int cmdline_parse_size(const char *s, const char **end, uint64_t *bytes);

#endif
