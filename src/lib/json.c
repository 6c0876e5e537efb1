// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON string literals: every printer, and p_err() in --json mode, use this one. */
#include <string.h>

#include "lib/json.h"

/*
 * Length of the valid UTF-8 sequence at s, 0 if there is none.  Valid as
 * RFC 3629 says: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
static int utf8_len(const unsigned char *s, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;	/* the second byte's range */
	int n, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if ((size_t)n > left)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

size_t json_escape(char *dst, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src, *end = s + len;
	char *d = dst;

	while (s < end) {
		int n;

		if (*s == '"' || *s == '\\') {
			*d++ = '\\';
			*d++ = *s++;
		} else if (*s >= 0x20 && *s < 0x7f) {
			*d++ = *s++;
		} else if (*s == 0xc2 && end - s >= 2 && s[1] >= 0x80 && s[1] <= 0x9f) {
			/* a C1 control (U+0080 to U+009F): valid, but a terminal obeys it */
			memcpy(d, "\\u00", 4);
			d[4] = "0123456789abcdef"[s[1] >> 4];
			d[5] = "0123456789abcdef"[s[1] & 15];
			d += 6;
			s += 2;
		} else if (*s >= 0x80 && (n = utf8_len(s, end - s))) {
			memcpy(d, s, n);
			d += n;
			s += n;
		} else {
			/*
			 * Control bytes and DEL are the characters U+00NN.  A
			 * byte that is not UTF-8 is none: it goes out as the
			 * lone surrogate U+DCNN (Python's "surrogateescape"),
			 * so it is not taken for the character U+00NN, and
			 * s.encode("utf-8", "surrogateescape") gives it back.
			 */
			memcpy(d, *s < 0x80 ? "\\u00" : "\\udc", 4);
			d[4] = "0123456789abcdef"[*s >> 4];
			d[5] = "0123456789abcdef"[*s & 15];
			d += 6;
			s++;
		}
	}
	return d - dst;
}

void json_str(FILE *f, const char *str)
{
	size_t len = strlen(str);
	char out[6 * 256];

	fputc('"', f);
	/* in pieces that end where no UTF-8 sequence is cut */
	while (len) {
		size_t n = len < 256 ? len : 256;

		while (n < len && n > 252 && ((unsigned char)str[n] & 0xc0) == 0x80)
			n--;
		fwrite(out, 1, json_escape(out, str, n), f);
		str += n;
		len -= n;
	}
	fputc('"', f);
}

void line_json_str(struct line *l, const char *s)
{
	size_t len = strlen(s);

	line_putc(l, '"');
	/* 6 bytes out at most per byte in: escape in place only when it fits */
	if (line_room(l, 6 * len + 1) == 6 * len + 1) {
		l->n += json_escape(l->buf + l->n, s, len);
	} else {
		char out[6 * 256];

		while (len) {
			size_t n = len < 256 ? len : 256;

			while (n < len && n > 252 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
			line_put(l, out, json_escape(out, s, n));
			s += n;
			len -= n;
		}
	}
	line_putc(l, '"');
}
