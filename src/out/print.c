// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One decoded event per line, each type's fields as the schema
 * (event/schema.c) lists them: in JSON, in the schema's order; in text,
 * at the places the schema gives them.
 */
#include <inttypes.h>
#include <string.h>

#include "event/schema.h"
#include "lib/cgroups.h"
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
 * Each event is built as one line in memory and written with one call
 * (lib/line.h): `events --json` prints every event the kernel sends.
 */

/*
 * One field.  Numbers, ids, dev and type names need no escaping and are
 * written straight into the line; only the strings from the kernel go
 * through the escaper.
 */
static void json_field(struct line *l, const struct et_field *fd, const struct et_rec *r,
		       bool first)
{
	uint64_t v = et_col_num(r, fd->col);
	char buf[48], *p = buf;

	line_put(l, fd->jkey + first, fd->jkey_len - first);
	if (fd->show == ETS_FLAG) {
		line_put(l, "true", 4);
		return;
	}
	if (fd->show == ETS_RESULT) {
		line_json_str(l, lookup_result(r, buf, sizeof(buf)));
		return;
	}
	switch (et_columns[fd->col].kind) {
	case ETK_U32:
	case ETK_U64:
		p = fmt_u64(buf, v);
		break;
	case ETK_S64:
		p = fmt_s64(buf, (int64_t)v);
		break;
	case ETK_ID:
		*p++ = '"';
		p = fmt_hex64(p, v);
		*p++ = '"';
		break;
	case ETK_DEV:
		*p++ = '"';
		p = fmt_u64(p, r->dev_major);
		*p++ = ':';
		p = fmt_u64(p, r->dev_minor);
		*p++ = '"';
		break;
	case ETK_TYPE:	/* our own names: nothing to escape */
		line_putc(l, '"');
		line_puts(l, et_type_name(r->type));
		line_putc(l, '"');
		return;
	case ETK_STR:
		line_json_str(l, et_col_str(r, fd->col));
		return;
	}
	line_put(l, buf, p - buf);
	/* the raw clock, then the one every printed time is on (lib/tclock.h) */
	if (fd->col == ETC_TS) {
		line_put(l, ",\"t\":", 5);
		line_put(l, buf, tclock_put_rel(buf, r->ts_ns, 6) - buf);
	}
}

static void json_fields(struct line *l, const struct et_field *fds, unsigned int n,
			const struct et_rec *r, bool first)
{
	for (unsigned int i = 0; i < n; i++)
		if (et_field_shown(&fds[i], r))
			json_field(l, &fds[i], r, first && !i);
}

void rec_print_json(FILE *f, const struct et_rec *r)
{
	rec_print_json_cg(f, r, NULL);
}

void rec_print_json_cg(FILE *f, const struct et_rec *r, struct cgroups *cg)
{
	const struct et_type_info *t = et_type_info(r->type);
	char path[CG_PATH_LEN];
	struct line l;

	line_reset(&l);
	line_putc(&l, '{');
	json_fields(&l, et_common, et_n_common, r, true);
	/* the cgroup's path beside its id, when the session can name it */
	if (cg && r->cgroup_id && cgroups_path(cg, r->cgroup_id, path, sizeof(path))) {
		line_puts(&l, ",\"cgroup_path\":");
		line_json_str(&l, path);
	}
	json_fields(&l, t->fields, t->n_fields, r, false);
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
