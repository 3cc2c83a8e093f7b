/* printf-style formatting over an output callback: one implementation for the hypervisor's
 * log, libguest's console and snprintf. No floating point. */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left, zero;
	int width;
	int prec; /* -1: none */
	int len; /* 0 int, 1 long, 2 long long, -1 short */
};

static int emit(format_out_fn out, void *arg, char c)
{
	out(c, arg);
	return 1;
}

static int emit_padded(format_out_fn out, void *arg, const char *s, int n, const struct spec *sp,
		       char pad)
{
	int count = 0;
	int fill = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		while (fill-- > 0)
			count += emit(out, arg, pad);
	for (int i = 0; i < n; i++)
		count += emit(out, arg, s[i]);
	if (sp->left)
		while (fill-- > 0)
			count += emit(out, arg, ' ');
	return count;
}

static int emit_number(format_out_fn out, void *arg, uint64_t v, bool neg, unsigned base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = sizeof(buf);

	do {
		buf[--n] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[--n] = '-';
	return emit_padded(out, arg, buf + n, (int)sizeof(buf) - n, sp,
			   sp->zero && !sp->left ? '0' : ' ');
}

/* "*" as a precision takes it from the arguments, as in "%.*s" */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){0};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	sp->prec = -1;
	if (f[0] == '.' && f[1] == '*') {
		sp->prec = va_arg(*ap, int);
		f += 2;
	} else if (*f == '.') {
		sp->prec = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l' || *f == 'z')
			sp->len++;
		else if (*f == 'h')
			sp->len = -1;
		else
			break;
	}
	return f;
}

int vformat(format_out_fn out, void *arg, const char *fmt, va_list ap_in)
{
	int count = 0;
	struct spec sp;
	va_list ap; /* a copy, so parse_spec can take arguments through a pointer portably */

	va_copy(ap, ap_in);

	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			count += emit(out, arg, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = sp.len > 0 ? va_arg(ap, long long) : va_arg(ap, int);
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

			count += emit_number(out, arg, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = sp.len > 0 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);

			if (sp.len < 0)
				v &= 0xffff;
			count += emit_number(out, arg, v, false, *f == 'u' ? 10 : 16, *f == 'X', &sp);
			break;
		}
		case 'p':
			count += emit(out, arg, '0') + emit(out, arg, 'x');
			count += emit_number(out, arg, (uintptr_t)va_arg(ap, void *), false, 16, false,
					     &sp);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (sp.prec < 0 || n < sp.prec))
				n++;
			count += emit_padded(out, arg, s, n, &sp, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			count += emit_padded(out, arg, &c, 1, &sp, ' ');
			break;
		}
		case '%':
			count += emit(out, arg, '%');
			break;
		case '\0':
			va_end(ap);
			return count;
		default:
			count += emit(out, arg, '%') + emit(out, arg, *f);
			break;
		}
	}
	va_end(ap);
	return count;
}

struct sbuf {
	char *buf;
	size_t size, pos;
};

static void sbuf_out(char c, void *arg)
{
	struct sbuf *sb = arg;

	if (sb->pos + 1 < sb->size)
		sb->buf[sb->pos] = c;
	sb->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf sb = {buf, size, 0};
	int n = vformat(sbuf_out, &sb, fmt, ap);

	if (size)
		buf[sb.pos < size ? sb.pos : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
