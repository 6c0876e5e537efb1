/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The trace file spelled out from docs/FORMAT.md, byte by byte, on its own
 * and not through src/file/, so a test or the fuzzer can hold the code to
 * the document: struct buf and b_*().  No test framework here: the unit
 * tests (tests/unit/helpers.h) and the fuzz target both use it.
 */
#ifndef EVTRACE_TESTS_TRACEBYTES_H
#define EVTRACE_TESTS_TRACEBYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>


#define TF_HDR_LEN	32	/* the file header */
#define TF_SEC_LEN	40	/* a section header */
#define TF_SEC_EVENTS	2

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static inline void b_put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static inline void b_byte(struct buf *b, uint8_t v)
{
	b_put(b, &v, 1);
}

static inline void b_le(struct buf *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b_byte(b, i < 8 ? v >> (8 * i) : 0);	/* wider: zero padding */
}

static inline void b_varint(struct buf *b, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		b_byte(b, (v & 0x7f) | 0x80);
	b_byte(b, v);
}

static inline void b_zigzag(struct buf *b, int64_t v)
{
	b_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static inline void b_newstr(struct buf *b, uint64_t k, const char *s)
{
	b_varint(b, k);
	b_varint(b, strlen(s));
	b_put(b, s, strlen(s));
}

/* A section header as the document lays it out, then the payload. */
static inline void b_section(struct buf *b, uint16_t type, const void *payload,
			     uint32_t stored, uint32_t raw, uint32_t count, uint64_t first,
			     uint64_t last)
{
	b_put(b, "ESEC", 4);
	b_le(b, type, 2);
	b_le(b, 0, 2);
	b_le(b, stored, 4);
	b_le(b, raw, 4);
	b_le(b, crc32(0, payload, stored), 4);
	b_le(b, count, 4);
	b_le(b, first, 8);
	b_le(b, last, 8);
	b_put(b, payload, stored);
}

static inline void b_text(struct buf *b, uint16_t type, const char *text)
{
	b_section(b, type, text, strlen(text), strlen(text), 0, 0, 0);
}

/* The 32-byte file header. */
static inline void b_header(struct buf *b, uint16_t major, uint16_t minor)
{
	b_put(b, "EVTRACE\0", 8);
	b_le(b, major, 2);
	b_le(b, minor, 2);
	b_le(b, TF_HDR_LEN, 4);
	b_le(b, 0, 4);
	b_le(b, 0, 12);
}

/*
 * Issue 14's resync bomb, appended to b until it is at most size bytes
 * long: groups of a bad byte, a fake section header (a type from a newer
 * minor version, which readers skip) whose payload runs to the end of the
 * file and whose CRC is wrong, and a good section of that type with pad
 * zero bytes.  Each bad byte sends a reader to resync, which meets the
 * fake header first: without a budget per file, its CRC over the rest of
 * the file is paid once per group, quadratic in the file's size.
 */
static inline void b_resync_bomb(struct buf *b, size_t size, size_t pad)
{
	size_t group = 1 + 2 * TF_SEC_LEN + pad;
	size_t end = size > b->len ? b->len + (size - b->len) / group * group : b->len;
	uint8_t *zeros = calloc(1, pad + 1);

	if (!zeros)
		abort();
	while (b->len + group <= end) {
		uint32_t stored = end - (b->len + 1 + TF_SEC_LEN);

		b_byte(b, 'x');
		b_put(b, "ESEC", 4);
		b_le(b, 9, 2);
		b_le(b, 0, 2);
		b_le(b, stored, 4);
		b_le(b, stored, 4);
		b_le(b, 0xbadc0de, 4);	/* not the CRC of what follows */
		b_le(b, 0, 4);
		b_le(b, 0, 16);
		b_section(b, 9, zeros, pad, pad, 0, 0, 0);
	}
	free(zeros);
}

/*
 * Issue 14's inflation bomb: n EVENTS sections, each a zstd frame of raw
 * bytes of zeros (64 MiB in about 2 KB), claiming one event.  Each chunk
 * is within the reader's bounds, and damaged only once inflated (a record
 * of type 0): without a budget per file, a 210 KB file inflated to 6.7 GB.
 */
static inline void b_inflate_bomb_of(struct buf *b, int n, size_t raw)
{
	static uint8_t *frame;
	static size_t flen, fraw;

	if (fraw != raw) {
		free(frame);
		frame = NULL;
		fraw = raw;
	}
	if (!frame) {
		uint8_t *zeros = calloc(1, raw);

		flen = ZSTD_compressBound(raw);
		frame = malloc(flen);
		if (!zeros || !frame)
			abort();
		flen = ZSTD_compress(frame, flen, zeros, raw, 1);
		if (ZSTD_isError(flen))
			abort();
		free(zeros);
	}
	for (int i = 0; i < n; i++)
		b_section(b, TF_SEC_EVENTS, frame, flen, raw, 1, 1000, 1000);
}

static inline void b_inflate_bomb(struct buf *b, int n)
{
	b_inflate_bomb_of(b, n, 64u << 20);
}

#endif
