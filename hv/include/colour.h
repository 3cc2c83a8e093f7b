/* Last-level-cache colouring: which frames share cache sets. colour(mfn) = mfn % nr_colours
 * where nr_colours = LLC way size / 4 KiB (a power of two), as Xen's llc-coloring does. A
 * colour set is a bitmap; lists are written in Xen's syntax ("0-3,8"), ascending, no overlap. */
#ifndef HV_COLOUR_H
#define HV_COLOUR_H
#include "types.h"

#define MAX_COLOURS 128 /* Xen's default CONFIG_LLC_COLORS_ORDER 7 */

struct colour_set {
	uint64_t bits[MAX_COLOURS / 64];
	unsigned count;
};

struct colour_config {
	bool enabled;
	unsigned nr_colours;
	uint64_t llc_size, llc_ways; /* as configured or probed, for the log */
};

extern struct colour_config colours;

static inline unsigned colour_of_mfn(uint64_t mfn, unsigned nr_colours)
{
	return (unsigned)(mfn & (nr_colours - 1));
}

static inline bool colour_in(const struct colour_set *s, unsigned c)
{
	return c < MAX_COLOURS && (s->bits[c / 64] >> (c % 64)) & 1;
}

static inline bool colour_set_frame_ok(const struct colour_set *s, unsigned nr_colours,
				       paddr_t maddr)
{
	return !s || colour_in(s, colour_of_mfn(maddr >> PAGE_SHIFT, nr_colours));
}

static inline bool colours_on(void)
{
	return colours.enabled;
}

static inline unsigned colours_nr(void)
{
	return colours.nr_colours;
}

/* Logs that what (an option or node property) needs llc-coloring, if it is off. */
bool colours_enabled_for(const char *who, const char *what);

struct hv_options;
/* Colouring from llc-coloring/llc-size/llc-nr-ways (probing the CPU's cache when the sizes
 * are not given), and the hypervisor's own colours from xen-llc-colors. */
int colouring_configure(const struct hv_options *o, struct colour_set *xen_colours);

/* nr_colours from an LLC geometry; logs and returns -XEN_EINVAL when unusable. */
int colour_setup(struct colour_config *c, uint64_t llc_size, uint64_t llc_ways);
/* Parses "0-3,8" into s; every colour must be < nr_colours. what names the option or node in
 * the error message. */
int colour_parse_list(const char *s, unsigned nr_colours, struct colour_set *set,
		      const char *what);
void colour_set_all(struct colour_set *s, unsigned nr_colours);
bool colour_sets_intersect(const struct colour_set *a, const struct colour_set *b);
/* "0-3,8" back from a set, for the log. */
void colour_format(const struct colour_set *s, char *buf, size_t len);

#endif
