// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The event schema (schema.h): the columns, the CSV layout, and per event
 * type its name and fields.  The JSON field names are a contract (README.md
 * lists them); the text form is for people, but tests pin it too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event/schema.h"
#include "lib/common.h"
#include "lib/line.h"

const struct et_column et_columns[ETC_MAX] = {
#define ET_COL_ROW(id, member, kind, name)	[ETC_##id] = { name, ETK_##kind },
	ET_REC_COLUMNS(ET_COL_ROW)
#undef ET_COL_ROW
};

const enum et_col et_csv[] = {
	ETC_TYPE, ETC_TS, ETC_CPU, ETC_PID, ETC_TID, ETC_COMM, ETC_FS, ETC_DEV, ETC_INO,
	ETC_NAME, ETC_CALLER, ETC_VALUE, ETC_OBJ, ETC_AUX, ETC_INODE, ETC_FLAGS,
};
const unsigned int et_n_csv = ARRAY_SIZE(et_csv);

/*
 * Field constructors: JSON key, column, place in the text line (0: JSON
 * only; see struct et_field).  The key is a literal: its JSON form is
 * spelled out here once, not by the printer for every event.
 */
#define KEY(k)			.key = k, .jkey = ",\"" k "\":", .jkey_len = sizeof(",\"" k "\":") - 1
#define VAL(k, c, pos)		{ KEY(k), .col = ETC_##c, .text_pos = pos }
/* spelled differently in text */
#define VAL_AS(k, t, c, pos)	{ KEY(k), .col = ETC_##c, .text = t, .text_pos = pos }
/* shown only when column ifc is set */
#define VAL_IF(k, c, ifc, pos)	{ KEY(k), .col = ETC_##c, .if_set = true,	\
				  .if_col = ETC_##ifc, .text_pos = pos }
#define FLAG(k, f, word, pos)	{ KEY(k), .col = ETC_FLAGS, .show = ETS_FLAG,	\
				  .flag = f, .text = word, .text_pos = pos }
/* the name, and right after it in JSON whether the kernel cut it */
#define NAME(pos)		{ KEY("name"), .col = ETC_NAME, .show = ETS_NAME,	\
				  .text_pos = pos },					\
				FLAG("truncated", ET_F_TRUNC, NULL, 0)
#define RESULT(pos)		{ KEY("result"), .col = ETC_VALUE, .show = ETS_RESULT, \
				  .flag = ET_F_NEGATIVE, .text_pos = pos }

/* in text, the fixed-width start of every line (out/print.c) */
const struct et_field et_common[] = {
	VAL("type", TYPE, 0), VAL("ts_ns", TS, 0), VAL("cpu", CPU, 0), VAL("pid", PID, 0),
	VAL("tid", TID, 0), VAL("comm", COMM, 0), VAL("fs", FS, 0), VAL("dev", DEV, 0),
	/* JSON only: files of format 1.0 have none, and their output stays as it was */
	VAL_IF("cgroup", CGROUP, CGROUP, 0),
};
const unsigned int et_n_common = ARRAY_SIZE(et_common);

static const struct et_field ino_alloc[] = {
	VAL("ino", INO, 1),
	VAL("caller", CALLER, 2),
	VAL("inode", OBJ, 0),
	FLAG("no_sb", ET_F_NO_SB, "sb=unknown", 3),
	FLAG("sb_guess", ET_F_SB_GUESS, "sb=guess", 3),	/* place 3 is sb=unknown's first */
};

static const struct et_field inode_alloc[] = {
	VAL("inode", OBJ, 1),
};

static const struct et_field inode_evict[] = {
	VAL("ino", INO, 1),
	VAL("inode", OBJ, 2),
};

/* the parent is not set yet when the kernel allocates a dentry */
static const struct et_field dentry_alloc[] = {
	VAL("dentry", OBJ, 2),
	VAL("parent", AUX, 3),
	NAME(1),
	VAL("inode", INODE, 0),
};

static const struct et_field dentry_kill[] = {
	VAL("dentry", OBJ, 3),
	VAL("parent", AUX, 4),
	NAME(1),
	VAL("ino", INO, 2),
	VAL("inode", INODE, 0),
};

static const struct et_field lookup[] = {
	VAL("dir", OBJ, 4),
	NAME(1),
	RESULT(2),
	VAL("dentry", AUX, 0),
	VAL_IF("ino", INO, INO, 3),
	VAL("inode", INODE, 0),
};

/* The ei events differ in what aux is: the parent ei, or the dentry. */
#define EI_FIELDS(aux)							\
	VAL("ei", OBJ, 6),						\
	NAME(1),							\
	VAL("ino", INO, 3),						\
	VAL_AS("refcount", "ref", VALUE, 2),				\
	VAL(aux, AUX, 7),						\
	FLAG("freed", ET_F_FREED, "freed", 4),				\
	FLAG("noref", ET_F_NOREF, "noref", 5),				\
	FLAG("events_dir", ET_F_EVENTS, NULL, 0),			\
	/* the name is then the instance's: the dir itself is "events" */ \
	FLAG("instance", ET_F_INSTANCE, "instance", 8),			\
	FLAG("refcount_unknown", ET_F_NOREFCOUNT, NULL, 0),		\
	VAL("inode", INODE, 0),						\
	VAL_IF("inode_ino", INODE_INO, INODE, 0),			\
	VAL("dir_ei", PEI, 0)

static const struct et_field ei_create[] = { EI_FIELDS("parent") };
static const struct et_field ei_other[] = { EI_FIELDS("dentry") };

/* the cause is in the name column (event/stream.h); older files have none */
static const struct et_field lost[] = {
	VAL("count", VALUE, 1),
	VAL_IF("cause", NAME, NAME, 2),
};

#define TYPE(n, f, r)		{ .name = n, .fields = f, .n_fields = ARRAY_SIZE(f),	\
				  .ref = ET_REF_##r }

/* ref: what the value column says about the ei's refcount */
const struct et_type_info et_types[ET_TYPE_MAX] = {
	[0]			= { .name = "unknown" },
	[ET_INO_ALLOC]		= TYPE("ino_alloc",	ino_alloc,	NONE),
	[ET_INODE_ALLOC]	= TYPE("inode_alloc",	inode_alloc,	NONE),
	[ET_INODE_EVICT]	= TYPE("inode_evict",	inode_evict,	NONE),
	[ET_DENTRY_ALLOC]	= TYPE("dentry_alloc",	dentry_alloc,	NONE),
	[ET_DENTRY_KILL]	= TYPE("dentry_kill",	dentry_kill,	NONE),
	[ET_LOOKUP]		= TYPE("lookup",	lookup,		NONE),
	[ET_EI_CREATE]		= TYPE("ei_create",	ei_create,	AFTER),
	[ET_EI_GET]		= TYPE("ei_get",	ei_other,	AFTER),
	[ET_EI_PUT]		= TYPE("ei_put",	ei_other,	BEFORE),
	[ET_EI_REMOVE]		= TYPE("ei_remove",	ei_other,	BEFORE),
	[ET_EI_RELEASE]		= TYPE("ei_release",	ei_other,	GONE),
	[ET_LOST]		= TYPE("lost",		lost,		NONE),
};

const char *et_type_name(int type)
{
	return et_type_info(type)->name;
}

int et_type_from_name(const char *name)
{
	for (int t = 1; t < ET_TYPE_MAX; t++)
		if (!strcmp(et_types[t].name, name))
			return t;
	return -1;
}

const char *et_col_format(const struct et_rec *r, enum et_col c, char *buf, size_t size)
{
	uint64_t v = et_col_num(r, c);
	char tmp[44], *end = tmp;

	/* by hand, not snprintf: this runs for every field of every event printed */
	switch (et_columns[c].kind) {
	case ETK_TYPE:
		return et_type_name(r->type);
	case ETK_S64:
		end = fmt_s64(tmp, (int64_t)v);
		break;
	case ETK_DEV:
		end = fmt_dev(tmp, r->dev_major, r->dev_minor);
		break;
	case ETK_ID:
		if (v)
			end = fmt_hex64(tmp, v);
		break;
	case ETK_STR:
		return NULL;
	default:
		end = fmt_u64(tmp, v);
		break;
	}
	if (size) {
		size_t n = (size_t)(end - tmp) < size ? (size_t)(end - tmp) : size - 1;

		memcpy(buf, tmp, n);
		buf[n] = '\0';
	}
	return buf;
}

bool et_field_shown(const struct et_field *f, const struct et_rec *r)
{
	if (f->show == ETS_FLAG)
		return r->flags & f->flag;
	if (f->if_set && !et_col_num(r, f->if_col))
		return false;
	/* an id of 0 is no object */
	return et_columns[f->col].kind != ETK_ID || et_col_num(r, f->col);
}

bool et_refcount_after(const struct et_rec *r, int64_t *refs)
{
	/* a kernel refcount is an int: anything else is a file's invention */
	if (r->value < INT32_MIN || r->value > INT32_MAX || r->flags & ET_F_NOREFCOUNT)
		return false;
	switch (et_type_info(r->type)->ref) {
	case ET_REF_AFTER:
		*refs = r->value;
		return true;
	case ET_REF_BEFORE:
		*refs = r->value - 1;
		return true;
	case ET_REF_GONE:
		*refs = 0;
		return true;
	default:
		return false;
	}
}
