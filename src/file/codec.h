/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the trace file's writer (writer.c) and reader (reader.c) share, and
 * nothing outside src/file/ needs: the layout of the file and section
 * headers, the bounds, the record's presence bits, and the little-endian
 * and zigzag helpers.  docs/FORMAT.md is the same in prose.
 */
#ifndef EVTRACE_FILE_CODEC_H
#define EVTRACE_FILE_CODEC_H

#include <stdbool.h>
#include <stdint.h>

#include "event/schema.h"
#include "file/tracefile.h"
#include "lib/cgroups.h"

#define HDR_LEN		32
#define HDR_MAX		4096	/* a reader skips header bytes past the 32 it knows */
#define SEC_LEN		40
#define SEC_MAGIC	0x43455345u	/* "ESEC" read as a little-endian u32 */

/* SEC_CGROUPS (1.3): cgroups learned during the run, named before their events */
enum { SEC_META = 1, SEC_EVENTS = 2, SEC_MOUNTS = 3, SEC_TRAILER = 4, SEC_CGROUPS = 5 };

/*
 * What this writer puts in one chunk.  Small enough that a damaged chunk
 * costs little and the recorder's chunks stay a few MiB; big enough that
 * the 40-byte section header and zstd's frame overhead vanish per event.
 */
#define W_EVENTS	TF_WRITE_EVENTS
#define W_RAW		(4u << 20)
#define W_IDS		(4 * W_EVENTS)	/* at most four id fields per record */
#define W_STRINGS	W_EVENTS

/* What a reader accepts per chunk (any writer of 1.x stays within). */
#define R_IDS		(1u << 20)
#define R_STRINGS	(1u << 16)
#define R_EXT_LEN	4096	/* one extension field (presence bits 13..63) */

_Static_assert(W_EVENTS <= TF_CHUNK_MAX_EVENTS && W_RAW <= TF_CHUNK_MAX_RAW &&
	       W_IDS <= R_IDS && W_STRINGS <= R_STRINGS, "the writer stays within the reader's bounds");

/* META, MOUNTS, TRAILER, CGROUPS: MOUNTS_MAX escaped mount lines fit with room */
#define TEXT_MAX	TF_TEXT_MAX

/*
 * The longest text the writer makes, META: its mount lines, each with
 * every byte of the type and path escaped as \ooo (writer.c's
 * put_mounts()), and its other keys, each value at most 1023 bytes
 * escaped (put_kv()) with room to spare.
 */
#define MOUNT_LINE_MAX	(sizeof("mount 4095:1048575 \n") - 1 +				\
			 4 * (sizeof(((struct mount_ent *)0)->fstype) - 1) + 1 +	\
			 4 * (MOUNT_PATH_LEN - 1))
#define META_KEYS_MAX	(16 * 4 * 1024)
/* and its cgroup lines: "cgroup ID PATH", the path escaped, CG_META_MAX of them */
#define CG_META_MAX	CG_WALK_DIRS
#define CG_LINE_MAX	(sizeof("cgroup 18446744073709551615 \n") - 1 + 4 * (CG_PATH_LEN - 1))
_Static_assert((uint64_t)MOUNTS_MAX * MOUNT_LINE_MAX + META_KEYS_MAX +
	       (uint64_t)CG_META_MAX * CG_LINE_MAX <= TEXT_MAX,
	       "the largest META this writer makes is a text section readers take");
/* a CGROUPS section: at most the CG_MAX ids a recording names in all */
_Static_assert((uint64_t)CG_MAX * CG_LINE_MAX <= TEXT_MAX,
	       "the largest CGROUPS section is a text section readers take");

/*
 * The smallest record: type, presence, ts, cpu, pid, tid, one byte each.
 * Lets a reader refuse a count its payload cannot hold before inflating.
 */
#define REC_MIN		6

/* presence bits: one per optional column of struct et_rec, in its order */
enum {
#define P_BIT(id, member, kind, name)	PB_##id,
	ET_REC_OPTIONAL(P_BIT)
#undef P_BIT
	PB_KNOWN,
};
#define P(id)		(1ull << PB_##id)
#define P_KNOWN		(P(KNOWN) - 1)
/*
 * From bit 13 on, a field is an extension field: a varint length, then
 * its encoding.  Format 1.0 readers skip what they do not know by that
 * length (reader.c's r_ext), so a 1.1 file reads in them, without the
 * cgroup; this reader checks the length of those it knows.
 */
#define PB_EXT		13
#define P_EXT(id)	(PB_##id >= PB_EXT)
_Static_assert(PB_CGROUP == PB_EXT && PB_KNOWN == 14,
	       "format 1.1: bit 13 is the cgroup id, the first extension field");

/*
 * The largest record this writer makes: type 1, presence 2, ts 10, cpu 5,
 * pid 5, tid 5, then each optional column at its largest (an id: a 3-byte
 * index and 8 bytes; a string: index 3, length 1 and its bytes; an
 * extension field a length byte more): 295 bytes.
 */
#define REC_MAX		512
#define LARGEST_U32(m)	5
#define LARGEST_DEV(m)	5
#define LARGEST_U64(m)	10
#define LARGEST_S64(m)	10
#define LARGEST_ID(m)	(3 + 8)
#define LARGEST_STR(m)	(3 + 1 + sizeof(((struct et_rec *)0)->m) - 1)
#define REC_LARGEST(id, member, kind, name)	+ LARGEST_##kind(member) + P_EXT(id)
_Static_assert(1 + 2 + 10 + 5 + 5 + 5 ET_REC_OPTIONAL(REC_LARGEST) <= REC_MAX,
	       "REC_MAX holds the largest record");

/* A section header, as its 40 bytes say. */
struct sec {
	uint16_t type;
	uint32_t stored, raw, crc, count;
	uint64_t first, last;
};

/* Writes s as the 40 bytes at h. */
void sec_put(uint8_t *h, const struct sec *s);
/* Reads the 40 bytes at h: false if they are not a header or break a bound. */
bool sec_parse(const uint8_t *h, struct sec *s);

/* ---- little-endian and zigzag helpers ---------------------------------------- */

static inline void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static inline uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Spelled out so compilers see one load on little-endian hosts. */
static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif
