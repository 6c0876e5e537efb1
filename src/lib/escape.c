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

char *esc(char *buf, size_t size, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0;

	if (!size)
		return buf;
	while (s && *s) {
		size_t n = esc_utf8_len(s);

		if (n) {
			if (o + n >= size)
				break;
			memcpy(buf + o, s, n);
			o += n;
			s += n;
		} else if (*s == '\\') {
			if (o + 2 >= size)
				break;
			buf[o++] = '\\';
			buf[o++] = '\\';
			s++;
		} else {
			if (o + 4 >= size)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[*s >> 4];
			buf[o++] = hex[*s & 15];
			s++;
		}
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
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;

	while (s && *s) {
		size_t n = esc_utf8_len(s);

		if (n) {
			line_put(l, (const char *)s, n);
			s += n;
			continue;
		}
		if (*s == '\\') {
			line_put(l, "\\\\", 2);
		} else {
			char x[4] = { '\\', 'x', hex[*s >> 4], hex[*s & 15] };

			line_put(l, x, 4);
		}
		s++;
	}
}
