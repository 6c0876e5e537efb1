/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event schema, written once.  Two tables:
 *
 *   the columns of struct et_rec (ET_REC_COLUMNS): what a decoded event
 *   holds, what the trace file stores (its presence bits are the order of
 *   ET_REC_OPTIONAL) and what CSV shows (et_csv[]);
 *
 *   the event types (et_types[], schema.c): each type's name and the fields
 *   it shows, in JSON order, with each one's text spelling and place.
 *
 * The JSON and text printers, the CSV and Perfetto exporters, the type
 * names and the trace file's codec are all driven from here, and
 * tests/unit/test_schema.c holds both tables against
 * include/evtrace/evtrace.h, README.md and docs/FORMAT.md.
 *
 * A new event type: its enum et_type value and a row in the comment table
 * in evtrace.h, the BPF program that emits it, its row in et_types[].
 * A new field of an existing column: a line in its type's field list.
 * A new column: struct et_rec, and a line at the end of ET_REC_OPTIONAL,
 * which is a new presence bit in the trace file: a format change (from
 * bit 13 on a field carries its length, so older readers skip it), so
 * docs/FORMAT.md and a minor version too.
 */
#ifndef EVTRACE_SCHEMA_H
#define EVTRACE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/decode.h"

/*
 * X(ID, member, kind, name): a column of struct et_rec.
 *   ID      its enum et_col value, ETC_<ID>
 *   member  the et_rec member (dev: dev_major and dev_minor, as one dev_t)
 *   kind    ETK_<kind>: how it is held, stored and written out
 *   name    its name in the CSV header
 */

/* Always stored: the trace file's record header (docs/FORMAT.md). */
#define ET_REC_HEADER(X)					\
	X(TYPE,		type,		TYPE,	"type")		\
	X(TS,		ts_ns,		U64,	"ts_ns")	\
	X(CPU,		cpu,		U32,	"cpu")		\
	X(PID,		pid,		U32,	"pid")		\
	X(TID,		tid,		U32,	"tid")

/*
 * Stored only when set (non-zero, non-empty).  The order is the trace
 * file's presence bits, bit 0 first, and the order fields are encoded in:
 * append only.
 */
#define ET_REC_OPTIONAL(X)					\
	X(FLAGS,	flags,		U32,	"flags")	\
	X(DEV,		dev,		DEV,	"dev")		\
	X(INO,		ino,		U64,	"ino")		\
	X(VALUE,	value,		S64,	"value")	\
	X(OBJ,		obj_id,		ID,	"obj")		\
	X(AUX,		aux_id,		ID,	"aux")		\
	X(INODE,	inode_id,	ID,	"inode")	\
	X(PEI,		pei_id,		ID,	"pei")		\
	X(INODE_INO,	inode_ino,	U64,	"inode_ino")	\
	X(COMM,		comm,		STR,	"comm")		\
	X(FS,		fs,		STR,	"fs")		\
	X(NAME,		name,		STR,	"name")		\
	X(CALLER,	caller,		STR,	"caller")	\
	X(CGROUP,	cgroup_id,	U64,	"cgroup")

#define ET_REC_COLUMNS(X)	ET_REC_HEADER(X) ET_REC_OPTIONAL(X)

enum et_col {
#define ET_COL_ENUM(id, member, kind, name)	ETC_##id,
	ET_REC_COLUMNS(ET_COL_ENUM)
#undef ET_COL_ENUM
	ETC_MAX,
	ETC_FIRST_OPTIONAL = ETC_FLAGS,		/* presence bit 0 */
};

enum et_kind {
	ETK_TYPE,	/* enum et_type: written as its name */
	ETK_U32,
	ETK_U64,
	ETK_S64,
	ETK_DEV,	/* dev_major:dev_minor */
	ETK_ID,		/* a keyed-hash object id, 16 hex digits; 0 is none */
	ETK_STR,	/* a NUL-terminated char array */
};

struct et_column {
	const char *name;
	enum et_kind kind;
};

extern const struct et_column et_columns[ETC_MAX];

/* The CSV columns, in their order. */
extern const enum et_col et_csv[];
extern const unsigned int et_n_csv;

static inline uint32_t et_rec_dev(const struct et_rec *r)
{
	return ET_MKDEV(r->dev_major, r->dev_minor);
}

/*
 * Per kind: a column's value as a number, and whether it is set.  Unset
 * is what JSON and text leave out and the trace file does not store; the
 * codec expands these per column, so they must stay plain expressions.
 */
#define ET_NUM_TYPE(r, m)	((uint64_t)(r)->m)
#define ET_NUM_U32(r, m)	((uint64_t)(r)->m)
#define ET_NUM_U64(r, m)	((uint64_t)(r)->m)
#define ET_NUM_S64(r, m)	((uint64_t)(r)->m)
#define ET_NUM_DEV(r, m)	((uint64_t)et_rec_dev(r))
#define ET_NUM_ID(r, m)		((uint64_t)(r)->m)
#define ET_NUM_STR(r, m)	((uint64_t)(r)->m[0])

#define ET_SET(kind, r, m)	(ET_NUM_##kind(r, m) != 0)

/* A column as a number: a signed one in two's complement, a string 0 if empty. */
static inline uint64_t et_col_num(const struct et_rec *r, enum et_col c)
{
	switch (c) {
#define ET_COL_NUM(id, member, kind, name)	case ETC_##id: return ET_NUM_##kind(r, member);
	ET_REC_COLUMNS(ET_COL_NUM)
#undef ET_COL_NUM
	default:
		return 0;
	}
}

/* Per kind: a column's chars, for the string ones. */
#define ET_STR_TYPE(r, m)	NULL
#define ET_STR_U32(r, m)	NULL
#define ET_STR_U64(r, m)	NULL
#define ET_STR_S64(r, m)	NULL
#define ET_STR_DEV(r, m)	NULL
#define ET_STR_ID(r, m)		NULL
#define ET_STR_STR(r, m)	((const char *)(r)->m)

/* NULL for a column that is not a string. */
static inline const char *et_col_str(const struct et_rec *r, enum et_col c)
{
	switch (c) {
#define ET_COL_STR(id, member, kind, name)	case ETC_##id: return ET_STR_##kind(r, member);
	ET_REC_COLUMNS(ET_COL_STR)
#undef ET_COL_STR
	default:
		return NULL;
	}
}

/*
 * A column's value as a word, into buf: numbers in decimal, dev as
 * major:minor, an id as 16 lowercase hex digits ("" for 0, none), a type
 * as its name.  NULL for a string column: its chars are the value.
 */
const char *et_col_format(const struct et_rec *r, enum et_col c, char *buf, size_t size);

/* ---- event types ---------------------------------------------------------- */

/* How a field is shown. */
enum et_show {
	ETS_VALUE,	/* the column as it is; an id only when set */
	ETS_NAME,	/* a name from the kernel: text shows control bytes as '?' */
	ETS_FLAG,	/* flag set in flags: JSON "key":true, text the word */
	ETS_RESULT,	/* lookup_result(): value and ET_F_NEGATIVE as a word */
};

struct et_field {
	const char *key;	/* the JSON key */
	const char *jkey;	/* ,"key": spelled out, for the printer; jkey + 1 first */
	unsigned char jkey_len;
	enum et_col col;
	enum et_show show;
	uint32_t flag;		/* ETS_FLAG: its ET_F_* bit; ETS_RESULT: the one it reads */
	bool if_set;		/* shown only when column if_col is set */
	enum et_col if_col;
	const char *text;	/* text: "text=value", or a flag's word; NULL: key */
	/*
	 * Its place in the text line, 1 first; 0: JSON only.  Fields that
	 * share a place are alternatives: the first one shown takes it.
	 */
	unsigned char text_pos;
};

/* What the value column means for a refcount: what the count is after. */
enum et_ref {
	ET_REF_NONE,	/* no refcount */
	ET_REF_AFTER,	/* value: the count after the event */
	ET_REF_BEFORE,	/* value: the count before; the event drops one */
	ET_REF_GONE,	/* released: 0, whatever value says */
};

struct et_type_info {
	const char *name;
	const struct et_field *fields;	/* in JSON order */
	unsigned int n_fields;
	enum et_ref ref;	/* an ei event: Perfetto draws its refcount */
};

/* Indexed by enum et_type; [0] is "unknown", with no fields. */
extern const struct et_type_info et_types[ET_TYPE_MAX];

/* The fields every type starts with, type first, in JSON order. */
extern const struct et_field et_common[];
extern const unsigned int et_n_common;

/* Its row; the "unknown" one for a type out of range. */
static inline const struct et_type_info *et_type_info(int type)
{
	return &et_types[type > 0 && type < ET_TYPE_MAX ? type : 0];
}

/* Whether a field is shown for r. */
bool et_field_shown(const struct et_field *f, const struct et_rec *r);
/* An ei event's refcount after it; false for a type without one. */
bool et_refcount_after(const struct et_rec *r, int64_t *refs);

#endif
