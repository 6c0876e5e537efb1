// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One decoded event per line, each type's fields as the schema
 * (event/schema.c) lists them: in JSON, in the schema's order; in text,
 * at the places the schema gives them.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "event/schema.h"
#include "lib/common.h"
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/line.h"
#include "lib/tclock.h"
#include "out/print.h"

const char *lookup_result(const struct et_rec *r, char *buf, size_t size)
{
	const char *name;

	if (r->value < 0) {
		/* an errno is small; a file may say anything (-INT64_MIN overflows) */
		uint64_t e = 0 - (uint64_t)r->value;

		name = e <= 4095 ? strerrorname_np((int)e) : NULL;
		if (name)
			return name;
		snprintf(buf, size, "E%" PRIu64, e);
		return buf;
	}
	return r->flags & ET_F_NEGATIVE ? "negative" : "positive";
}

/*
 * JSON Lines: `events --json` prints every event the kernel sends, and
 * under a burst this printer was most of the consumer's time: a field
 * took a call to decide whether it shows, a switch to load its column, a
 * second to format it, and two copies of runtime length.  So each type's
 * fields (the common ones first) are compiled once from the schema into
 * a flat list: the key spelled out and padded to a fixed-size copy, the
 * column's offset in struct et_rec, and what shows it.  The schema stays
 * the one description; this is its cache.
 */
enum jop_kind { J_U32, J_U64, J_S64, J_ID, J_DEV, J_TYPE, J_TS, J_STR, J_FLAG, J_RESULT };

#define JKEY_LEN	24	/* ,"refcount_unknown": is 21 */

struct jop {
	char key[JKEY_LEN];	/* ,"key": then zeros; the first field's starts with { */
	uint8_t key_len;
	uint8_t kind;
	uint8_t if_size;	/* shown only if the u32/u64/string at if_off is set; 0: always */
	uint16_t off;		/* the column's offset in struct et_rec */
	uint16_t if_off;
	uint32_t flag;		/* J_FLAG, J_RESULT: the flag */
};

struct jtype {
	unsigned int n;
	struct jop ops[32];
};

/* Per kind: where a column lives in struct et_rec (dev: its major, then minor). */
#define JOFF_TYPE(m)	offsetof(struct et_rec, m)
#define JOFF_U32(m)	offsetof(struct et_rec, m)
#define JOFF_U64(m)	offsetof(struct et_rec, m)
#define JOFF_S64(m)	offsetof(struct et_rec, m)
#define JOFF_ID(m)	offsetof(struct et_rec, m)
#define JOFF_STR(m)	offsetof(struct et_rec, m)
#define JOFF_DEV(m)	offsetof(struct et_rec, dev_major)
#define JSIZE_TYPE(m)	sizeof(((struct et_rec *)0)->m)
#define JSIZE_U32(m)	sizeof(((struct et_rec *)0)->m)
#define JSIZE_U64(m)	sizeof(((struct et_rec *)0)->m)
#define JSIZE_S64(m)	sizeof(((struct et_rec *)0)->m)
#define JSIZE_ID(m)	sizeof(((struct et_rec *)0)->m)
#define JSIZE_STR(m)	1	/* set: its first char */
#define JSIZE_DEV(m)	sizeof(uint32_t)	/* set: a major (0:N is unnamed, as ET_NUM_DEV's 0) */

static const uint16_t col_off[ETC_MAX] = {
#define ET_COL_OFF(id, member, kind, name)	[ETC_##id] = JOFF_##kind(member),
	ET_REC_COLUMNS(ET_COL_OFF)
#undef ET_COL_OFF
};
static const uint8_t col_size[ETC_MAX] = {
#define ET_COL_SIZE(id, member, kind, name)	[ETC_##id] = JSIZE_##kind(member),
	ET_REC_COLUMNS(ET_COL_SIZE)
#undef ET_COL_SIZE
};

_Static_assert(sizeof(((struct et_rec *)0)->type) == 4, "J_TYPE loads 4 bytes");
_Static_assert(sizeof(((struct et_rec *)0)->cpu) == 4, "J_U32 loads 4 bytes");

/* a column's kind, as the printer writes it */
static const uint8_t jkinds[] = {
	[ETK_TYPE] = J_TYPE, [ETK_U32] = J_U32, [ETK_U64] = J_U64, [ETK_S64] = J_S64,
	[ETK_DEV] = J_DEV, [ETK_ID] = J_ID, [ETK_STR] = J_STR,
};

static struct jtype jtypes[ET_TYPE_MAX];
static pthread_once_t jtypes_once = PTHREAD_ONCE_INIT;

static void jop_add(struct jtype *jt, const struct et_field *fd)
{
	struct jop *op = &jt->ops[jt->n];
	enum et_kind kind = et_columns[fd->col].kind;

	if (jt->n >= ARRAY_SIZE(jt->ops) || fd->jkey_len + 1u > JKEY_LEN)
		abort();	/* a schema this printer was not sized for: a build-time mistake */
	memset(op, 0, sizeof(*op));
	memcpy(op->key, fd->jkey, fd->jkey_len);
	op->key_len = fd->jkey_len;
	if (!jt->n)
		op->key[0] = '{';
	op->off = col_off[fd->col];
	op->flag = fd->flag;
	if (fd->if_set) {
		op->if_off = col_off[fd->if_col];
		op->if_size = col_size[fd->if_col];
	}
	if (fd->show == ETS_FLAG)
		op->kind = J_FLAG;
	else if (fd->show == ETS_RESULT)
		op->kind = J_RESULT;
	else if (fd->col == ETC_TS)
		op->kind = J_TS;
	else
		op->kind = jkinds[kind];
	jt->n++;
}

static void jtypes_compile(void)
{
	for (int t = 0; t < ET_TYPE_MAX; t++) {
		const struct et_type_info *ti = et_type_info(t);

		for (unsigned int i = 0; i < et_n_common; i++)
			jop_add(&jtypes[t], &et_common[i]);
		for (unsigned int i = 0; i < ti->n_fields; i++)
			jop_add(&jtypes[t], &ti->fields[i]);
	}
}

static inline uint64_t load(const struct et_rec *r, uint16_t off, uint8_t size)
{
	const char *p = (const char *)r + off;
	uint64_t v64;
	uint32_t v32;

	if (size == 8) {
		memcpy(&v64, p, 8);
		return v64;
	}
	if (size == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	return (unsigned char)*p;
}

void rec_print_json(FILE *f, const struct et_rec *r)
{
	rec_print_json_cg(f, r, NULL);
}

void rec_print_json_cg(FILE *f, const struct et_rec *r, const char *cgroup_path)
{
	const struct jtype *jt;
	char buf[48];
	struct line l;
	uint64_t v;
	char *p;

	pthread_once(&jtypes_once, jtypes_compile);
	jt = &jtypes[et_type_info(r->type) - et_types];
	line_reset(&l);
	for (unsigned int i = 0; i < jt->n; i++) {
		const struct jop *op = &jt->ops[i];

		if (op->if_size && !load(r, op->if_off, op->if_size))
			continue;
		if (op->kind == J_FLAG && !(r->flags & op->flag))
			continue;
		if (op->kind == J_ID && !load(r, op->off, 8))
			continue;
		/* a key and the longest number after it, or stop: a line is cut, never overrun */
		if (sizeof(l.buf) - l.n < JKEY_LEN + 64)
			break;
		p = l.buf + l.n;
		memcpy(p, op->key, JKEY_LEN);
		p += op->key_len;
		switch (op->kind) {
		case J_U32:
			p = fmt_u64(p, load(r, op->off, 4));
			break;
		case J_U64:
			p = fmt_u64(p, load(r, op->off, 8));
			break;
		case J_S64:
			p = fmt_s64(p, (int64_t)load(r, op->off, 8));
			break;
		case J_ID:
			*p++ = '"';
			p = fmt_hex64(p, load(r, op->off, 8));
			*p++ = '"';
			break;
		case J_DEV:
			*p++ = '"';
			p = fmt_dev(p, r->dev_major, r->dev_minor);
			*p++ = '"';
			break;
		case J_TS:
			/* the raw clock, then the one every printed time is on (lib/tclock.h) */
			v = load(r, op->off, 8);
			p = fmt_u64(p, v);
			memcpy(p, ",\"t\":", 5);
			p = tclock_put_rel(p + 5, v, 6);
			break;
		case J_FLAG:
			memcpy(p, "true", 4);
			p += 4;
			break;
		case J_TYPE:	/* our own names: nothing to escape */
			l.n = p - l.buf;
			line_putc(&l, '"');
			line_puts(&l, et_type_name(r->type));
			line_putc(&l, '"');
			continue;
		case J_RESULT:
			l.n = p - l.buf;
			line_json_str(&l, lookup_result(r, buf, sizeof(buf)));
			continue;
		case J_STR:
			l.n = p - l.buf;
			line_json_str(&l, (const char *)r + op->off);
			continue;
		}
		l.n = p - l.buf;
		/* the cgroup's path beside its id, when the session can name it */
		if (op->off == offsetof(struct et_rec, cgroup_id) && cgroup_path) {
			line_put(&l, ",\"cgroup_path\":", 15);
			line_json_str(&l, cgroup_path);
		}
	}
	line_put(&l, "}\n", 2);
	line_write(&l, f);
}

static void text_field(struct line *l, const struct et_field *fd, const struct et_rec *r)
{
	const char *v;
	char buf[48];

	line_putc(l, ' ');
	line_puts(l, fd->text ?: fd->key);
	if (fd->show == ETS_FLAG)
		return;
	line_putc(l, '=');
	if (fd->show == ETS_RESULT)
		line_puts(l, lookup_result(r, buf, sizeof(buf)));
	else if ((v = et_col_format(r, fd->col, buf, sizeof(buf))))
		line_puts(l, v);
	else	/* names, comms, callers: from the kernel or a file (lib/escape.h) */
		line_esc(l, et_col_str(r, fd->col));
}

void rec_print_text(FILE *f, const struct et_rec *r)
{
	const struct et_type_info *t = et_type_info(r->type);
	char comm[4 * ET_COMM_LEN + 1], fs[4 * ET_FS_LEN + 1], ts[TCLOCK_LEN];
	struct line l;
	int n;

	n = snprintf(l.buf, sizeof(l.buf),
		     "%s [%03u] %-16s %7u/%-7u %-12s %-10s %3u:%-3u",
		     tclock_fmt(ts, sizeof(ts), r->ts_ns, 6), r->cpu,
		     esc(comm, sizeof(comm), r->comm), r->pid, r->tid, et_type_name(r->type),
		     r->fs[0] ? esc(fs, sizeof(fs), r->fs) : "-", r->dev_major, r->dev_minor);
	l.n = n > 0 && (size_t)n < sizeof(l.buf) ? (size_t)n : 0;
	/* place by place; of the fields that share one, the first shown */
	for (unsigned int pos = 1; pos <= t->n_fields; pos++)
		for (unsigned int i = 0; i < t->n_fields; i++)
			if (t->fields[i].text_pos == pos && et_field_shown(&t->fields[i], r)) {
				text_field(&l, &t->fields[i], r);
				break;
			}
	line_putc(&l, '\n');
	line_write(&l, f);
}
