// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One decoded event per line, each type's fields as the schema
 * (event/schema.c) lists them: in JSON, in the schema's order; in text,
 * at the places the schema gives them.
 */
#include <inttypes.h>
#include <string.h>

#include "event/schema.h"
#include "out/print.h"

const char *lookup_result(const struct et_rec *r, char *buf, size_t size)
{
	const char *name;

	if (r->value < 0) {
		name = strerrorname_np((int)-r->value);
		if (name)
			return name;
		snprintf(buf, size, "E%" PRId64, -r->value);
		return buf;
	}
	return r->flags & ET_F_NEGATIVE ? "negative" : "positive";
}

static void json_field(FILE *f, const struct et_field *fd, const struct et_rec *r, bool first)
{
	char buf[32];
	const char *v;

	fprintf(f, first ? "\"%s\":" : ",\"%s\":", fd->key);
	if (fd->show == ETS_FLAG) {
		fputs("true", f);
		return;
	}
	if (fd->show == ETS_RESULT) {
		json_str(f, lookup_result(r, buf, sizeof(buf)));
		return;
	}
	v = et_col_format(r, fd->col, buf, sizeof(buf));
	switch (et_columns[fd->col].kind) {
	case ETK_U32:
	case ETK_U64:
	case ETK_S64:
		fputs(v, f);
		break;
	default:	/* the rest are strings: a type's name, dev, an id */
		json_str(f, v ?: et_col_str(r, fd->col));
		break;
	}
}

static void json_fields(FILE *f, const struct et_field *fds, unsigned int n,
			const struct et_rec *r, bool first)
{
	for (unsigned int i = 0; i < n; i++)
		if (et_field_shown(&fds[i], r))
			json_field(f, &fds[i], r, first && !i);
}

void rec_print_json(FILE *f, const struct et_rec *r)
{
	const struct et_type_info *t = et_type_info(r->type);

	fputc('{', f);
	json_fields(f, et_common, et_n_common, r, true);
	json_fields(f, t->fields, t->n_fields, r, false);
	fputs("}\n", f);
}

/* Names come from the kernel: keep control bytes off the terminal. */
static void text_name(FILE *f, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

static void text_field(FILE *f, const struct et_field *fd, const struct et_rec *r)
{
	const char *v;
	char buf[32];

	if (fd->show == ETS_FLAG) {
		fprintf(f, " %s", fd->text ?: fd->key);
		return;
	}
	fprintf(f, " %s=", fd->text ?: fd->key);
	if (fd->show == ETS_RESULT)
		fputs(lookup_result(r, buf, sizeof(buf)), f);
	else if (fd->show == ETS_NAME)
		text_name(f, et_col_str(r, fd->col));
	else if ((v = et_col_format(r, fd->col, buf, sizeof(buf))))
		fputs(v, f);
	else
		fputs(et_col_str(r, fd->col), f);
}

void rec_print_text(FILE *f, const struct et_rec *r)
{
	const struct et_type_info *t = et_type_info(r->type);

	fprintf(f, "%" PRIu64 ".%09" PRIu64 " [%03u] %-16s %7u/%-7u %-12s %-10s %3u:%-3u",
		r->ts_ns / 1000000000, r->ts_ns % 1000000000, r->cpu, r->comm, r->pid,
		r->tid, et_type_name(r->type), r->fs[0] ? r->fs : "-", r->dev_major,
		r->dev_minor);
	/* place by place; of the fields that share one, the first shown */
	for (unsigned int pos = 1; pos <= t->n_fields; pos++)
		for (unsigned int i = 0; i < t->n_fields; i++)
			if (t->fields[i].text_pos == pos && et_field_shown(&t->fields[i], r)) {
				text_field(f, &t->fields[i], r);
				break;
			}
	fputc('\n', f);
}
