/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A line built in memory and written with one call.  The event printers
 * run once per event, at up to millions of events a second: stdio's
 * per-call locking and printf's format parsing cost more than the line.
 * Every piece is bounded; a line that would not fit is cut, never overrun
 * (an event's fields are bounded, so LINE_MAX is never reached by one).
 */
#ifndef EVTRACE_LIB_LINE_H
#define EVTRACE_LIB_LINE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LINE_MAX_BYTES	4096

struct line {
	size_t n;
	char buf[LINE_MAX_BYTES];
};

static inline void line_reset(struct line *l)
{
	l->n = 0;
}

/* Room for n more bytes, or as many as there are. */
static inline size_t line_room(const struct line *l, size_t n)
{
	size_t left = sizeof(l->buf) - l->n;

	return n < left ? n : left;
}

static inline void line_put(struct line *l, const char *s, size_t n)
{
	n = line_room(l, n);
	memcpy(l->buf + l->n, s, n);
	l->n += n;
}

static inline void line_puts(struct line *l, const char *s)
{
	line_put(l, s, strlen(s));
}

static inline void line_putc(struct line *l, char c)
{
	if (l->n < sizeof(l->buf))
		l->buf[l->n++] = c;
}

/* "00" to "99": two digits a step, half the divisions */
extern const char fmt_digits2[200];

/* v in decimal into p (room for 20 bytes); returns the end. */
static inline char *fmt_u64(char *p, uint64_t v)
{
	char tmp[20], *t = tmp + sizeof(tmp);
	size_t n;

	while (v >= 100) {
		t -= 2;
		memcpy(t, fmt_digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, fmt_digits2 + 2 * v, 2);
	} else {
		*--t = '0' + v;
	}
	n = tmp + sizeof(tmp) - t;
	memcpy(p, t, n);
	return p + n;
}

/* v in decimal, a '-' first if negative, into p (room for 20 bytes). */
static inline char *fmt_s64(char *p, int64_t v)
{
	if (v >= 0)
		return fmt_u64(p, v);
	*p++ = '-';
	return fmt_u64(p, -(uint64_t)v);	/* INT64_MIN too: negated as unsigned */
}

/* A device as major:minor, as every view prints it (room for 21 bytes). */
static inline char *fmt_dev(char *p, uint32_t major, uint32_t minor)
{
	p = fmt_u64(p, major);
	*p++ = ':';
	return fmt_u64(p, minor);
}

/* "00" to "ff": a byte a step */
extern const char fmt_hex2[512];

/* v as 16 lowercase hex digits into p; returns the end. */
static inline char *fmt_hex64(char *p, uint64_t v)
{
	for (int i = 14; i >= 0; i -= 2, v >>= 8)
		memcpy(p + i, fmt_hex2 + 2 * (v & 0xff), 2);
	return p + 16;
}

static inline void line_u64(struct line *l, uint64_t v)
{
	char tmp[20];

	line_put(l, tmp, fmt_u64(tmp, v) - tmp);
}

static inline void line_s64(struct line *l, int64_t v)
{
	char tmp[21];

	line_put(l, tmp, fmt_s64(tmp, v) - tmp);
}

/* One write of the whole line; 0 or EOF, as fputs. */
static inline int line_write(const struct line *l, FILE *f)
{
	return fwrite(l->buf, 1, l->n, f) == l->n ? 0 : EOF;
}

#endif
