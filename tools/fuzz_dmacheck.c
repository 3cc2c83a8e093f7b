/* libFuzzer target: dmacheck's whole analysis (hv/core's DT, boot-configuration and DMA
 * protection code) over arbitrary bytes. Every input must end in a report, never a crash,
 * a hang or an out-of-bounds access (AddressSanitizer and UBSan watch). */
#define DMACHECK_NO_MAIN
#include "dmacheck.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report r;
	static bool ready;
	static struct hv_options o;
	struct dma_overrides ov = {.nr = 0};
	void *buf;

	if (!ready) {
		log_set_level(LOG_WARN);
		cmdline_defaults(&o);
		ready = true;
	}
	if (size > (1U << 20))
		return 0;
	buf = malloc(size ? size : 1); /* exactly size bytes: reads past it are caught */
	memcpy(buf, data, size);
	hv_log_len = 0;
	hv_log[0] = '\0';
	analyse("fuzz", buf, size, &o, &ov, &r);
	if (r.status < EXIT_BAD_INPUT) { /* --dot escapes whatever names the tree holds */
		static FILE *sink;

		if (!sink)
			sink = fopen("/dev/null", "w");
		if (sink)
			dot(sink, &r, &o);
	}
	free(buf);
	return 0;
}
