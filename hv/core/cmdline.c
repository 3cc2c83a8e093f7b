/* Hypervisor command line, in Xen's syntax: space-separated "name", "name=value" or
 * "no-name". Known options are parsed strictly and a bad value is an error that lists the
 * valid ones; other Xen options get one warning each; unknown mapvisor.* options are errors
 * (a typo in our own namespace must not be silently ignored). */
#include "cmdline.h"
#include "dma_protect.h"
#include <stdlib.h>
#include <string.h>

void cmdline_defaults(struct hv_options *o)
{
	memset(o, 0, sizeof(*o));
	o->console = CONSOLE_DTUART;
	o->features = FEATURES_AUTO;
	o->loglvl = LOG_INFO;
	o->llc_coloring = -1;
	memcpy(o->xen_colours, XEN_COLOURS_DEFAULT, sizeof(XEN_COLOURS_DEFAULT));
}

int cmdline_parse_size(const char *s, const char **end, uint64_t *bytes)
{
	char *e;
	unsigned shift;
	uint64_t v;

	if (*s < '0' || *s > '9')
		return -XEN_EINVAL;
	v = strtoul(s, &e, 0);
	switch (*e) {
	case 'T': case 't': shift = 40; e++; break;
	case 'G': case 'g': shift = 30; e++; break;
	case 'M': case 'm': shift = 20; e++; break;
	case 'K': case 'k': shift = 10; e++; break;
	case 'B': case 'b': shift = 0; e++; break;
	default: shift = 10; break; /* Xen's parse_size_and_unit defaults to KiB */
	}
	if (v > (~0ULL >> shift))
		return -XEN_ERANGE;
	*bytes = v << shift;
	if (end)
		*end = e;
	return 0;
}

struct opt {
	const char *name;
	int (*parse)(const char *val, struct hv_options *o);
	const char *valid; /* what to tell the user when the value is bad */
};

/* Xen's dom0_mem list (docs/misc/xen-command-line.pandoc): "SIZE", "min:SIZE", "max:SIZE"
 * in any order, comma-separated; the amount is SIZE (or max, or the default) clamped to
 * [min, max]. Xen on Arm 4.17 parses only a plain size and warns about the rest; the x86
 * list is what users write, so it is accepted here. "All but SIZE" (a negative SIZE) needs
 * a balloon to mean anything: refused. */
static int parse_dom0_mem(const char *val, struct hv_options *o)
{
	uint64_t amount = 0, min = 0, max = 0;

	if (!val || !*val)
		return -XEN_EINVAL;
	for (const char *p = val;; p++) {
		uint64_t *dst = &amount, bytes;
		const char *end;

		if (!strncmp(p, "min:", 4) || !strncmp(p, "max:", 4)) {
			dst = p[1] == 'i' ? &min : &max;
			p += 4;
		}
		if (cmdline_parse_size(p, &end, &bytes) || bytes < (1ULL << 20) ||
		    (*end && *end != ','))
			return -XEN_EINVAL;
		*dst = bytes;
		p = end;
		if (!*p)
			break;
	}
	if (max && min > max)
		return -XEN_EINVAL;
	o->dom0_mem_bytes = amount;
	o->dom0_mem_min = min;
	o->dom0_mem_max = max;
	return 0;
}

/* A whole number in [min, max] (decimal, or 0x hex). */
static int parse_uint(const char *val, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!val || *val < '0' || *val > '9')
		return -XEN_EINVAL;
	n = strtoul(val, &end, 0);
	if (*end || n < min || n > max)
		return -XEN_EINVAL;
	*out = (unsigned)n;
	return 0;
}

static int parse_dom0_max_vcpus(const char *val, struct hv_options *o)
{
	return parse_uint(val, 1, MAX_VCPUS, &o->dom0_max_vcpus);
}

static int parse_console(const char *val, struct hv_options *o)
{
	if (val && !strcmp(val, "dtuart"))
		o->console = CONSOLE_DTUART;
	else if (val && !strcmp(val, "none"))
		o->console = CONSOLE_NONE;
	else
		return -XEN_EINVAL;
	return 0;
}

static int parse_dtuart(const char *val, struct hv_options *o)
{
	size_t n;

	if (!val || !*val)
		return -XEN_EINVAL;
	n = strlen(val);
	if (n >= sizeof(o->dtuart))
		return -XEN_EINVAL;
	memcpy(o->dtuart, val, n + 1);
	return 0;
}

static int parse_features(const char *val, struct hv_options *o)
{
	static const enum features_mode modes[] = {FEATURES_AUTO, FEATURES_DIRECT,
						   FEATURES_NOT_DIRECT, FEATURES_LEGACY};

	for (unsigned i = 0; val && i < ARRAY_SIZE(modes); i++) {
		if (!strcmp(val, features_mode_name(modes[i]))) {
			o->features = modes[i];
			return 0;
		}
	}
	return -XEN_EINVAL;
}

static int parse_loglvl(const char *val, struct hv_options *o)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};

	for (unsigned i = 0; val && i < ARRAY_SIZE(names); i++) {
		if (!strcmp(val, names[i])) {
			o->loglvl = (enum log_level)i;
			return 0;
		}
	}
	if (val && !strcmp(val, "all")) {
		o->loglvl = LOG_DEBUG;
		return 0;
	}
	return -XEN_EINVAL;
}

static int parse_selftest(const char *val, struct hv_options *o)
{
	if (!val || strcmp(val, "el2-abort"))
		return -XEN_EINVAL;
	o->selftest_el2_abort = true;
	return 0;
}

/* Xen's boolean syntax; a bare option name means true. */
static int parse_bool(const char *val, int *out)
{
	static const char *const yes[] = {"1", "on", "yes", "true", "enable"};
	static const char *const no[] = {"0", "off", "no", "false", "disable"};

	if (!val) {
		*out = 1;
		return 0;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(val, yes[i]) || !strcmp(val, no[i])) {
			*out = !strcmp(val, yes[i]);
			return 0;
		}
	}
	return -XEN_EINVAL;
}

static int parse_llc_coloring(const char *val, struct hv_options *o)
{
	return parse_bool(val, &o->llc_coloring);
}

static int parse_llc_size(const char *val, struct hv_options *o)
{
	const char *end;

	if (!val || cmdline_parse_size(val, &end, &o->llc_size) || *end || !o->llc_size)
		return -XEN_EINVAL;
	return 0;
}

static int parse_llc_nr_ways(const char *val, struct hv_options *o)
{
	return parse_uint(val, 1, 1024, &o->llc_nr_ways);
}

/* Colour lists are checked once the number of colours is known (domain_build). */
static int copy_list(const char *val, char *dst, size_t len)
{
	if (!val || !*val || strlen(val) >= len)
		return -XEN_EINVAL;
	memcpy(dst, val, strlen(val) + 1);
	return 0;
}

static int parse_dom0_colours(const char *val, struct hv_options *o)
{
	return copy_list(val, o->dom0_colours, sizeof(o->dom0_colours));
}

static int parse_xen_colours(const char *val, struct hv_options *o)
{
	return copy_list(val, o->xen_colours, sizeof(o->xen_colours));
}

static int parse_dma_unprotected(const char *val, struct hv_options *o)
{
	struct dma_overrides ov;

	if (!val || copy_list(val, o->dma_unprotected, sizeof(o->dma_unprotected)) ||
	    dma_overrides_parse(val, &ov))
		return -XEN_EINVAL;
	return 0;
}

static int parse_allow_unsafe(const char *val, struct hv_options *o)
{
	return parse_bool(val, &o->allow_unsafe_dma);
}

static const struct opt options[] = {
	{"dom0_mem", parse_dom0_mem,
	 "sizes of at least 1M in Xen's list syntax: SIZE, min:SIZE, max:SIZE, e.g. 512M or "
	 "512M,max:512M (min not above max; no negative sizes)"},
	{"dom0_max_vcpus", parse_dom0_max_vcpus, "a number from 1 to " "8"},
	{"console", parse_console, "dtuart, none"},
	{"dtuart", parse_dtuart, "a device-tree path or alias of the UART, e.g. /pl011@9000000"},
	{"loglvl", parse_loglvl, "error, warning, info, debug, all"},
	{"mapvisor.features", parse_features, "auto, direct, not-direct, legacy"},
	{"mapvisor.selftest", parse_selftest, "el2-abort"},
	{"mapvisor.allow-unsafe-dma", parse_allow_unsafe, "on or off (testing only)"},
	{"llc-coloring", parse_llc_coloring, "on or off (or yes/no, true/false, 1/0)"},
	{"llc-size", parse_llc_size, "the LLC size, e.g. 2M"},
	{"llc-nr-ways", parse_llc_nr_ways, "the number of LLC ways, 1 to 1024"},
	{"dom0-llc-colors", parse_dom0_colours, "a colour list such as 0-3,8"},
	{"xen-llc-colors", parse_xen_colours, "a colour list such as 0-1"},
	{"mapvisor.dma-unprotected", parse_dma_unprotected,
	 "device-tree paths separated by commas, at most 8, e.g. /pcie@10000000"},
};

/* Xen options that mapvisor does not implement but knows: what each means here. Accepted
 * ones are safe to ignore (mapvisor already behaves as they ask, or better); refused ones
 * would leave the user believing something that is not so. Anything else Xen-like gets a
 * generic warning, so a DTB written for Xen still boots. */
static const struct known_opt {
	const char *name;
	bool refused;
	const char *why;
} known_opts[] = {
	{"dom0_vcpus_pin", false, "every vCPU is pinned to its own physical CPU already"},
	{"sched", false,
	 "there is no scheduler: each vCPU owns its physical CPU, as with Xen's sched=null"},
	{"vwfi", false,
	 "WFI/WFE are not trapped (vwfi=native): no other vCPU waits for the physical CPU"},
	{"bootscrub", false, "every domain's RAM is zeroed before the domain gets it, always"},
	{"console_to_ring", false, "there is no console ring (no xl dmesg): output goes to the UART"},
	{"sync_console", false, "the console is synchronous already"},
	{"guest_loglvl", false, "guests' console output is always printed, with its (dN) prefix"},
	{"conswitch", false, "input switches with Ctrl-A three times; no other key"},
	{"noreboot", false, "mapvisor never reboots: it powers off when the last domain stops"},
	{"hmp-unsafe", false, "vCPUs take their physical CPU's MIDR as it is"},
	{"serrors", false, "an SError from a guest stops that domain (exit status 1)"},
	{"gnttab_max_frames", false, "grant tables have 4 frames (2048 entries) a domain"},
	{"gnttab_max_maptrack_frames", false, "maptrack is sized at build time"},
	{"max_cstate", false, "no idle states are managed: WFI is the guest's"},
	{"iommu", true,
	 "the SMMU shares each domain's stage 2 and is what keeps a device's DMA inside its "
	 "domain; it cannot be turned off. To treat a device as unprotected, name it in "
	 "mapvisor.dma-unprotected"},
	{"dom0_ioports_disable", true, "x86 only"},
};

static int known_option(const char *tok, const char *val)
{
	for (unsigned i = 0; i < ARRAY_SIZE(known_opts); i++) {
		const struct known_opt *k = &known_opts[i];

		if (strcmp(tok, k->name))
			continue;
		if (k->refused) {
			log_err("option '%s%s%s' in xen,xen-bootargs is refused: %s", tok,
				val ? "=" : "", val ? val : "", k->why);
			return -XEN_EINVAL;
		}
		log_warn("option '%s%s%s' is accepted and ignored: %s", tok, val ? "=" : "",
			 val ? val : "", k->why);
		return 0;
	}
	return -XEN_ENOENT;
}

/* Copies the next token into buf; returns the position after it, or NULL at the end. */
static const char *next_token(const char *s, char *buf, size_t len, bool *too_long)
{
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	*too_long = false;
	for (; *s && *s != ' ' && *s != '\t'; s++) {
		if (n + 1 < len)
			buf[n++] = *s;
		else
			*too_long = true;
	}
	buf[n] = '\0';
	return s;
}

static int apply_option(char *tok, struct hv_options *o)
{
	char *val = strchr(tok, '=');
	int rc;

	if (val)
		*val++ = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(options); i++) {
		if (strcmp(tok, options[i].name))
			continue;
		if (options[i].parse(val, o) == 0)
			return 0;
		log_err("bad value '%s' for option %s in xen,xen-bootargs: expected %s", val ? val : "",
			tok, options[i].valid);
		return -XEN_EINVAL;
	}
	if (!strncmp(tok, "mapvisor.", 9)) {
		log_err("unknown option '%s%s%s' in xen,xen-bootargs (mapvisor options: "
			"mapvisor.features, mapvisor.dma-unprotected, mapvisor.allow-unsafe-dma, "
			"mapvisor.selftest)", tok, val ? "=" : "", val ? val : "");
		return -XEN_EINVAL;
	}
	rc = known_option(tok, val);
	if (rc != -XEN_ENOENT)
		return rc;
	log_warn("option '%s%s%s' is not implemented by mapvisor: ignored", tok, val ? "=" : "",
		 val ? val : "");
	return 0;
}

int cmdline_parse(const char *cmdline, struct hv_options *o)
{
	char tok[160];
	bool too_long;
	int rc = 0;

	if (!cmdline)
		return 0;
	while ((cmdline = next_token(cmdline, tok, sizeof(tok), &too_long))) {
		if (too_long) {
			log_err("option '%.40s...' in xen,xen-bootargs is too long", tok);
			rc = -XEN_EINVAL;
			continue;
		}
		if (apply_option(tok, o))
			rc = -XEN_EINVAL;
	}
	return rc;
}
