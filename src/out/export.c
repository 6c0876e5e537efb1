// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exporters.  jsonl is `events --json`; csv one row per event; perfetto the
 * Trace Event Format JSON that ui.perfetto.dev opens: a refcount counter
 * track per eventfs_inode, an async slice per dentry lifetime in one
 * process per filesystem, inode numbers per second per filesystem, and
 * anomalies and losses as instant events.  Streaming, bounded memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "event/schema.h"
#include "out/export.h"
#include "out/print.h"

enum { PID_EI = 1, PID_INO = 2, PID_ANOMALY = 3, PID_FS0 = 10 };
#define MAX_FS		64
#define MAX_GROUPS	64

struct open_dentry {
	uint64_t id;
	int pid;
	UT_hash_handle hh;
};

struct ino_count {
	char name[48];
	uint64_t count;
};

struct exporter {
	struct sink sink;
	enum export_format fmt;
	FILE *out;
	const struct model *m;
	bool started;
	uint64_t t0;
	uint64_t last_ts;
	bool first_event;
	/* perfetto */
	char fs_names[MAX_FS][ET_FS_LEN];
	int n_fs;
	struct open_dentry *open;
	size_t n_open, max_open;
	uint64_t dropped_slices;
	struct ino_count groups[MAX_GROUPS];
	int n_groups;
	uint64_t second;	/* the current 1-s bucket, event time */
	uint64_t ino_max;
};

struct exporter *exporter_new(enum export_format fmt, FILE *out, const struct model *m)
{
	struct exporter *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->fmt = fmt;
	x->out = out;
	x->m = m;
	x->max_open = 65536;
	x->first_event = true;
	return x;
}

void exporter_set_limit(struct exporter *x, size_t max_open)
{
	x->max_open = max_open;
}

/* ---- csv ---- */

/*
 * A field is quoted when it holds a separator, a quote or a line break.  A
 * name from the kernel or a file that starts like a formula (= + - @, or a
 * tab or CR before one) gets a leading ' so a spreadsheet shows it as text
 * instead of running it (OWASP's advice for CSV injection).
 */
static void csv_field(FILE *f, const char *s)
{
	bool formula = strchr("=+-@\t\r", *s) && *s;

	if (!strpbrk(s, ",\"\r\n") && !formula) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The columns of et_csv[]: their names as the header, or r's values. */
static void csv_row(FILE *f, const struct et_rec *r)
{
	char buf[32];
	const char *v;

	for (unsigned int i = 0; i < et_n_csv; i++) {
		if (i)
			fputc(',', f);
		if (!r)
			fputs(et_columns[et_csv[i]].name, f);
		else if ((v = et_col_format(r, et_csv[i], buf, sizeof(buf))))
			fputs(v, f);
		else
			csv_field(f, et_col_str(r, et_csv[i]));
	}
	fputs("\r\n", f);
}

/* ---- perfetto ---- */

static double us(const struct exporter *x, uint64_t ts)
{
	return ts >= x->t0 ? (ts - x->t0) / 1000.0 : -((x->t0 - ts) / 1000.0);
}

static void pf_sep(struct exporter *x)
{
	fputs(x->first_event ? "\n" : ",\n", x->out);
	x->first_event = false;
}

static void pf_meta(struct exporter *x, int pid, const char *name, int sort)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":",
		pid);
	json_str(x->out, name);
	fputs("}}", x->out);
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_sort_index\","
		"\"args\":{\"sort_index\":%d}}", pid, sort);
}

static int fs_pid(struct exporter *x, const char *fs)
{
	char name[64];
	int i;

	for (i = 0; i < x->n_fs; i++)
		if (!strcmp(x->fs_names[i], fs))
			return PID_FS0 + i;
	if (x->n_fs == MAX_FS)
		return PID_FS0 + MAX_FS;	/* "other" */
	snprintf(x->fs_names[i], sizeof(x->fs_names[i]), "%s", fs);
	x->n_fs++;
	snprintf(name, sizeof(name), "dentries: %s", fs[0] ? fs : "?");
	pf_meta(x, PID_FS0 + i, name, PID_FS0 + i);
	return PID_FS0 + i;
}

static void pf_counter(struct exporter *x, int pid, const char *name, uint64_t ts,
		       const char *key, double v)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"C\",\"pid\":%d,\"tid\":0,\"ts\":%.3f,\"name\":", pid, us(x, ts));
	json_str(x->out, name);
	fprintf(x->out, ",\"args\":{\"%s\":%.17g}}", key, v);
}

static void pf_instant(struct exporter *x, int pid, uint64_t ts, const char *name,
		       const char *text)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"i\",\"s\":\"g\",\"pid\":%d,\"tid\":0,\"ts\":%.3f,\"name\":",
		pid, us(x, ts));
	json_str(x->out, name);
	fputs(",\"args\":{\"text\":", x->out);
	json_str(x->out, text);
	fputs("}}", x->out);
}

static void pf_slice(struct exporter *x, const char *ph, int pid, uint64_t id, uint64_t ts,
		     const char *name, bool at_end)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"%s\",\"cat\":\"dentry\",\"id\":\"0x%016" PRIx64
		"\",\"pid\":%d,\"tid\":0,\"ts\":%.3f,\"name\":", ph, id, pid, us(x, ts));
	json_str(x->out, name[0] ? name : "(anonymous)");
	if (at_end)
		fputs(",\"args\":{\"alive_at_end\":true}", x->out);
	fputc('}', x->out);
}

/* The per-second inode-number counts, for every second that ended. */
static void pf_ino_flush(struct exporter *x, uint64_t ts)
{
	/* an event a little older than the first (per-CPU order): no second ended */
	uint64_t sec = ts >= x->t0 ? (ts - x->t0) / 1000000000ull : 0;

	while (x->second < sec) {
		uint64_t at = x->t0 + (x->second + 1) * 1000000000ull;
		char name[80];

		for (int i = 0; i < x->n_groups; i++) {
			snprintf(name, sizeof(name), "inode numbers/s %s", x->groups[i].name);
			pf_counter(x, PID_INO, name, at, "per_s", x->groups[i].count);
			x->groups[i].count = 0;
		}
		x->second++;
		/* a long gap: one zero per group is enough */
		if (sec - x->second > 2)
			x->second = sec - 1;
	}
}

static void pf_start(struct exporter *x, uint64_t ts)
{
	x->t0 = ts;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", x->out);
	pf_meta(x, PID_EI, "eventfs_inode refcounts", 1);
	pf_meta(x, PID_INO, "inode numbers", 2);
	pf_meta(x, PID_ANOMALY, "anomalies", 3);
}

static void pf_event(struct exporter *x, const struct et_rec *r)
{
	struct open_dentry *d = NULL;
	char name[ET_NAME_LEN + 64];
	int64_t refs;
	int pid;

	pf_ino_flush(x, r->ts_ns);
	/* an ei event: its refcount counter */
	if (et_refcount_after(r, &refs)) {
		struct ei_view v;
		const char *path = r->name;

		if (x->m && model_ei_find(x->m, r->obj_id, &v))
			path = v.path;
		/* the id keeps two eis with one path apart */
		snprintf(name, sizeof(name), "refcount %s #%06" PRIx64, path, r->obj_id >> 40);
		pf_counter(x, PID_EI, name, r->ts_ns, "refs", refs);
		return;
	}
	switch (r->type) {
	case ET_DENTRY_ALLOC:
		pid = fs_pid(x, r->fs);
		HASH_FIND(hh, x->open, &r->obj_id, sizeof(r->obj_id), d);
		if (d)
			break;
		if (x->n_open >= x->max_open) {
			x->dropped_slices++;
			break;
		}
		d = calloc(1, sizeof(*d));
		if (!d)
			break;
		d->id = r->obj_id;
		d->pid = pid;
		HASH_ADD(hh, x->open, id, sizeof(d->id), d);
		x->n_open++;
		pf_slice(x, "b", pid, r->obj_id, r->ts_ns, r->name, false);
		break;
	case ET_DENTRY_KILL:
		HASH_FIND(hh, x->open, &r->obj_id, sizeof(r->obj_id), d);
		if (!d) {
			pf_instant(x, fs_pid(x, r->fs), r->ts_ns, "dentry killed (alloc not seen)",
				   r->name);
			break;
		}
		pf_slice(x, "e", d->pid, d->id, r->ts_ns, r->name, false);
		HASH_DEL(x->open, d);
		x->n_open--;
		free(d);
		break;
	case ET_INO_ALLOC: {
		char g[48];
		int i;

		snprintf(g, sizeof(g), "%s (%u:%u)", r->fs[0] ? r->fs : "?", r->dev_major,
			 r->dev_minor);
		for (i = 0; i < x->n_groups && strcmp(x->groups[i].name, g); i++)
			;
		if (i == x->n_groups && i < MAX_GROUPS)
			snprintf(x->groups[x->n_groups++].name, sizeof(g), "%s", g);
		if (i < x->n_groups)
			x->groups[i].count++;
		if (r->ino > x->ino_max) {
			x->ino_max = r->ino;
			pf_counter(x, PID_INO, "highest ino", r->ts_ns, "ino", r->ino);
		}
		break;
	}
	case ET_LOST:
		snprintf(name, sizeof(name), "lost %" PRId64 " events", r->value);
		pf_instant(x, PID_ANOMALY, r->ts_ns, name, "ring buffer reserve failures");
		break;
	}
}

int exporter_event(struct exporter *x, const struct et_rec *r)
{
	switch (x->fmt) {
	case EXPORT_JSONL:
		rec_print_json(x->out, r);
		break;
	case EXPORT_CSV:
		if (!x->started)
			csv_row(x->out, NULL);
		csv_row(x->out, r);
		break;
	case EXPORT_PERFETTO:
		if (!x->started)
			pf_start(x, r->ts_ns);
		pf_event(x, r);
		break;
	}
	x->started = true;
	if (r->ts_ns > x->last_ts)
		x->last_ts = r->ts_ns;
	return ferror(x->out) ? -EIO : 0;
}

void exporter_anomaly(struct exporter *x, const struct anomaly *a)
{
	if (x->fmt != EXPORT_PERFETTO || !x->started)
		return;
	pf_instant(x, PID_ANOMALY, a->ts_ns, anomaly_name(a->kind), a->text);
}

int exporter_finish(struct exporter *x)
{
	struct open_dentry *d, *tmp;

	if (x->fmt == EXPORT_CSV && !x->started)
		csv_row(x->out, NULL);
	if (x->fmt == EXPORT_PERFETTO) {
		if (!x->started)
			pf_start(x, 0);
		pf_ino_flush(x, x->last_ts + 1000000000ull);
		HASH_ITER(hh, x->open, d, tmp) {
			pf_slice(x, "e", d->pid, d->id, x->last_ts, "", true);
			HASH_DEL(x->open, d);
			free(d);
		}
		x->n_open = 0;
		pf_sep(x);
		fprintf(x->out, "{\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"name\":\"process_labels\","
			"\"args\":{\"labels\":\"%" PRIu64 " dentry slices dropped (limit)\"}}",
			PID_ANOMALY, x->dropped_slices);
		fputs("\n]}\n", x->out);
	}
	fflush(x->out);
	return ferror(x->out) ? -EIO : 0;
}

void exporter_free(struct exporter *x)
{
	struct open_dentry *d, *tmp;

	if (!x)
		return;
	HASH_ITER(hh, x->open, d, tmp) {
		HASH_DEL(x->open, d);
		free(d);
	}
	free(x);
}

/* ---- the exporter as a sink ---- */

static int exporter_sink_event(void *ctx, const struct et_rec *r)
{
	/* a write error ends the run; the command says so */
	return exporter_event(ctx, r) ? 1 : 0;
}

static void exporter_sink_anomaly(void *ctx, const struct anomaly *a)
{
	exporter_anomaly(ctx, a);
}

struct sink *exporter_sink(struct exporter *x)
{
	x->sink = (struct sink){
		.ctx = x, .event = exporter_sink_event, .anomaly = exporter_sink_anomaly,
	};
	return &x->sink;
}
