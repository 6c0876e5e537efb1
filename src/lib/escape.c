// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "lib/escape.h"
#include "lib/line.h"

size_t esc_utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], n, cp;

	if (c < 0x80)
		return c >= 0x20 && c != 0x7f && c != '\\';
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (unsigned int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, past U+10FFFF, and the C1 controls */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/*
 * The next piece of s: a whole valid character as it is, or one byte
 * escaped.  Into out (room for 4 bytes); returns its length and moves *s.
 */
static size_t esc_one(const unsigned char **s, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = *s;
	size_t n = esc_utf8_len(p);

	if (n) {
		memcpy(out, p, n);
		*s += n;
		return n;
	}
	*s += 1;
	if (*p == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[*p >> 4];
	out[3] = hex[*p & 15];
	return 4;
}

char *esc(char *buf, size_t size, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0;

	if (!size)
		return buf;
	while (s && *s) {
		char piece[4];
		size_t n = esc_one(&s, piece);

		if (o + n >= size)	/* cut at a whole escape */
			break;
		memcpy(buf + o, piece, n);
		o += n;
	}
	buf[o] = 0;
	return buf;
}

void fputs_esc(FILE *f, const char *s)
{
	struct line l;

	line_reset(&l);
	line_esc(&l, s);
	fwrite(l.buf, 1, l.n, f);
}

void line_esc(struct line *l, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (s && *s) {
		char piece[4];
		size_t n = esc_one(&s, piece);

		line_put(l, piece, n);
	}
}
