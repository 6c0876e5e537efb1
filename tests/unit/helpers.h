/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers more than one unit test needs, as static inline functions so no
 * test links anything extra (include it after unit.h):
 *
 *   a JSON checker: json_value_end(), assert_json_line();
 *   the trace file spelled out from docs/FORMAT.md, byte by byte, on its
 *   own and not through src/file/, so a test can hold the code to the
 *   document: struct buf and b_*();
 *   seal_to(): a chunk through the real writer into a file;
 *   test_rec(): an event with what every test's events share.
 */
#ifndef EVTRACE_TESTS_HELPERS_H
#define EVTRACE_TESTS_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "file/tracefile.h"

/* An event of type at ts, by the task every test uses: the builders' base. */
static inline struct et_rec test_rec(int type, uint64_t ts)
{
	struct et_rec r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.ts_ns = ts;
	r.cpu = 1;
	r.pid = r.tid = 4242;
	strcpy(r.comm, "test");
	return r;
}

/* ---- a JSON checker: the grammar, no trailing garbage ------------------ */

/*
 * What it accepts besides objects, arrays, strings and integers from 0
 * up: a test allows no more than what its code writes.
 */
enum {
	JSON_NEGATIVE = 1 << 0,		/* -1 */
	JSON_FRACTION = 1 << 1,		/* 1.5, 1e-3 */
	JSON_LITERALS = 1 << 2,		/* true, false, null */
	JSON_ANY = JSON_NEGATIVE | JSON_FRACTION | JSON_LITERALS,
};

static inline const char *json_value_end(const char *p, unsigned int allow);

static inline const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static inline const char *json_string_end(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!p[i] || !strchr("0123456789abcdefABCDEF", p[i]))
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static inline const char *json_digits_end(const char *p)
{
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

static inline const char *json_number_end(const char *p, unsigned int allow)
{
	if (*p == '-' && (allow & JSON_NEGATIVE))
		p++;
	if (*p == '0')
		p++;
	else if (*p < '1' || !(p = json_digits_end(p)))
		return NULL;
	if (!(allow & JSON_FRACTION))
		return p;
	if (*p == '.' && !(p = json_digits_end(p + 1)))
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = json_digits_end(p);
	}
	return p;
}

static inline const char *json_list_end(const char *p, char close, bool members,
					unsigned int allow)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (members) {
			p = json_string_end(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value_end(p, allow);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

/* Where the JSON value at p ends, or NULL if there is none. */
static inline const char *json_value_end(const char *p, unsigned int allow)
{
	static const char *const literals[] = { "true", "false", "null" };

	p = json_ws(p);
	if (*p == '{')
		return json_list_end(p, '}', true, allow);
	if (*p == '[')
		return json_list_end(p, ']', false, allow);
	if (*p == '"')
		return json_string_end(p);
	for (int i = 0; i < 3 && (allow & JSON_LITERALS); i++)
		if (!strncmp(p, literals[i], strlen(literals[i])))
			return p + strlen(literals[i]);
	return json_number_end(p, allow);
}

/* One JSON value on one line, then the newline. */
static inline void assert_json_line(const char *s, unsigned int allow)
{
	const char *end = json_value_end(s, allow);

	assert_non_null(end);
	assert_string_equal(end, "\n");
	assert_ptr_equal(strchr(s, '\n'), end);
}

/* ---- the trace file, spelled out from docs/FORMAT.md ------------------- */

#include "../lib/tracebytes.h"

/* An EVENTS section around hand-made records. */
static inline void b_events(struct buf *b, const struct buf *raw, uint32_t count,
			    uint64_t first)
{
	size_t bound = ZSTD_compressBound(raw->len), n;
	uint8_t *z = malloc(bound);

	assert_non_null(z);
	n = ZSTD_compress(z, bound, raw->p, raw->len, 3);
	assert_false(ZSTD_isError(n));
	b_section(b, TF_SEC_EVENTS, z, n, raw->len, count, first, first);
	free(z);
}

/* ---- through the real writer ------------------------------------------- */

/* Seals c into a section at the end of fd, and empties it. */
static inline void seal_to(int fd, struct tf_chunk *c)
{
	uint8_t *p;
	size_t len;

	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	assert_int_equal(tf_write_all(fd, p, len), 0);
	free(p);
	tf_chunk_reset(c);
}

#endif
