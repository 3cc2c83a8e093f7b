/* Cache colours: the geometry, Xen's colour-list syntax, and set operations. Xen's rules
 * (xen/common/llc-coloring.c): the way size is a multiple of the page size, the number of
 * colours a power of two and at least 2; a list is ascending without overlap. */
#include "arch.h"
#include "cmdline.h"
#include "colour.h"
#include "log.h"
#include <format.h>
#include <stdlib.h>
#include <string.h>

struct colour_config colours;

int colour_setup(struct colour_config *c, uint64_t llc_size, uint64_t llc_ways)
{
	uint64_t way_size, n;

	if (!llc_size || !llc_ways || llc_size % llc_ways) {
		log_err("llc-size=%llu with llc-nr-ways=%llu: the way size is not a whole number",
			(unsigned long long)llc_size, (unsigned long long)llc_ways);
		return -XEN_EINVAL;
	}
	way_size = llc_size / llc_ways;
	if (way_size % PAGE_SIZE) {
		log_err("LLC way size %llu bytes is not a multiple of 4 KiB",
			(unsigned long long)way_size);
		return -XEN_EINVAL;
	}
	n = way_size / PAGE_SIZE;
	if (n < 2 || (n & (n - 1))) {
		log_err("LLC way size %llu bytes gives %llu colours: need a power of two >= 2",
			(unsigned long long)way_size, (unsigned long long)n);
		return -XEN_EINVAL;
	}
	if (n > MAX_COLOURS) {
		log_warn("%llu LLC colours: using the first %u", (unsigned long long)n,
			 MAX_COLOURS);
		n = MAX_COLOURS;
	}
	c->enabled = true;
	c->nr_colours = (unsigned)n;
	c->llc_size = llc_size;
	c->llc_ways = llc_ways;
	return 0;
}

static void set_add(struct colour_set *s, unsigned c)
{
	if (!colour_in(s, c)) {
		s->bits[c / 64] |= 1ULL << (c % 64);
		s->count++;
	}
}

void colour_set_all(struct colour_set *s, unsigned nr_colours)
{
	memset(s, 0, sizeof(*s));
	for (unsigned c = 0; c < nr_colours && c < MAX_COLOURS; c++)
		set_add(s, c);
}

static const char *parse_number(const char *p, unsigned long *v)
{
	char *end;

	if (*p < '0' || *p > '9')
		return NULL;
	*v = strtoul(p, &end, 10);
	return end;
}

int colour_parse_list(const char *s, unsigned nr_colours, struct colour_set *set,
		      const char *what)
{
	const char *p = s;
	long last = -1;

	memset(set, 0, sizeof(*set));
	if (!s || !*s) {
		log_err("%s: empty colour list", what);
		return -XEN_EINVAL;
	}
	for (;;) {
		unsigned long lo, hi;

		p = parse_number(p, &lo);
		if (!p)
			goto syntax;
		hi = lo;
		if (*p == '-') {
			p = parse_number(p + 1, &hi);
			if (!p)
				goto syntax;
		}
		if (hi < lo || (long)lo <= last) {
			log_err("%s: colour list '%s' is not ascending without overlap (Xen's rule)",
				what, s);
			return -XEN_EINVAL;
		}
		if (hi >= nr_colours) {
			log_err("%s: colour %lu out of range: this LLC has %u colours (0-%u)", what,
				hi, nr_colours, nr_colours - 1);
			return -XEN_EINVAL;
		}
		for (unsigned long c = lo; c <= hi; c++)
			set_add(set, (unsigned)c);
		last = (long)hi;
		if (!*p)
			return 0;
		if (*p != ',' || !p[1])
			goto syntax;
		p++;
	}
syntax:
	log_err("%s: bad colour list '%s': expected ranges like 0-3,8", what, s);
	return -XEN_EINVAL;
}

bool colour_sets_intersect(const struct colour_set *a, const struct colour_set *b)
{
	for (unsigned i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (a->bits[i] & b->bits[i])
			return true;
	return false;
}

void colour_format(const struct colour_set *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < MAX_COLOURS && n + 1 < len; c++) {
		unsigned end = c;

		if (!colour_in(s, c))
			continue;
		while (end + 1 < MAX_COLOURS && colour_in(s, end + 1))
			end++;
		if (end == c)
			n += (size_t)snprintf(buf + n, len - n, "%s%u", n ? "," : "", c);
		else
			n += (size_t)snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "", c, end);
		c = end;
	}
}

bool colours_enabled_for(const char *who, const char *what)
{
	if (colours.enabled)
		return true;
	log_err("%s: %s needs cache colouring: add llc-coloring=on (and llc-size=, "
		"llc-nr-ways= if the CPU does not report its cache) to xen,xen-bootargs", who, what);
	return false;
}

int colouring_configure(const struct hv_options *o, struct colour_set *xen_colours)
{
	uint64_t size = o->llc_size, ways = o->llc_nr_ways;
	bool on = o->llc_coloring == 1 || (o->llc_coloring == -1 && size && ways);
	bool probed = false;
	char list[64];

	colours.enabled = false;
	if (!on) {
		if (o->llc_coloring == -1 && (size || ways))
			log_warn("llc-size and llc-nr-ways only enable colouring together");
		return 0;
	}
	if (!size || !ways) {
		if (!arch_llc_geometry(&size, &ways)) {
			log_err("llc-coloring=on, but the CPU reports no cache: give llc-size= and "
				"llc-nr-ways=");
			return -XEN_EINVAL;
		}
		probed = true;
	}
	if (colour_setup(&colours, size, ways))
		return -XEN_EINVAL;
	if (colour_parse_list(o->xen_colours, colours.nr_colours, xen_colours, "xen-llc-colors"))
		return -XEN_EINVAL;
	colour_format(xen_colours, list, sizeof(list));
	log_info("LLC colouring: %llu KiB, %llu ways%s -> %u colours; hypervisor colours %s",
		 (unsigned long long)(size >> 10), (unsigned long long)ways,
		 probed ? " (from the CPU's CCSIDR)" : "", colours.nr_colours, list);
	return 0;
}
