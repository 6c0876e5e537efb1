// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exporters.  jsonl is `events --json`; csv one row per event; perfetto the
 * Trace Event Format JSON that ui.perfetto.dev opens: a refcount counter
 * track per eventfs_inode, an async slice per dentry lifetime in the
 * process (pid, tid) that allocated it, inode numbers per second per
 * filesystem, and anomalies and losses as instant events.  Times are
 * microseconds since the trace's start (lib/tclock.h), or with
 * EXPORT_CLOCK_MONO CLOCK_MONOTONIC's, which a perf or ftrace trace of the
 * same run uses.  Streaming, bounded memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "event/schema.h"
#include "lib/tclock.h"
#include "out/export.h"
#include "out/print.h"

/*
 * The tracks that are no task: numbered past every pid Linux hands out
 * (PID_MAX_LIMIT, 4194304 on 64-bit), so that a task's slices, which carry
 * its own pid, never land in one.
 */
#define PID_SYNTH	4194304
enum { PID_EI = PID_SYNTH + 1, PID_INO, PID_ANOMALY, PID_OTHER_TASKS };
#define MAX_GROUPS	64
#define MAX_TASKS	65536	/* tasks named as processes; the rest share PID_OTHER_TASKS */

struct open_dentry {
	uint64_t id;
	uint32_t pid, tid;	/* the allocating task's: its slice's track */
	UT_hash_handle hh;
};

struct task_seen {
	uint32_t pid;
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
	enum export_clock clock;
	uint64_t t0;		/* what a printed ts counts from: the start, or 0 */
	uint64_t origin;	/* the trace's start: the per-second counts' seconds */
	uint64_t last_ts;
	bool first_event;
	/* perfetto */
	struct task_seen *tasks;
	size_t n_tasks;
	bool other_tasks;	/* PID_OTHER_TASKS was named */
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

void exporter_set_clock(struct exporter *x, enum export_clock clock)
{
	x->clock = clock;
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

/*
 * ts as the format's microseconds, "ts":N.NNN, from integers: a double has
 * no room for CLOCK_MONOTONIC's nanoseconds after days of uptime.
 */
static void pf_ts(struct exporter *x, uint64_t ts)
{
	uint64_t d = ts >= x->t0 ? ts - x->t0 : x->t0 - ts;

	fprintf(x->out, ",\"ts\":%s%" PRIu64 ".%03u", ts >= x->t0 ? "" : "-", d / 1000,
		(unsigned int)(d % 1000));
}

static void pf_sep(struct exporter *x)
{
	fputs(x->first_event ? "\n" : ",\n", x->out);
	x->first_event = false;
}

static void pf_meta(struct exporter *x, uint32_t pid, const char *name, uint32_t sort)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":",
		pid);
	json_str(x->out, name);
	fputs("}}", x->out);
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"name\":\"process_sort_index\","
		"\"args\":{\"sort_index\":%u}}", pid, sort);
}

/*
 * The track of a task's slices: its own pid, named by its comm the first
 * time it shows (Perfetto shows "comm pid", as for a perf trace of the
 * same run), *tid its tid.  Past MAX_TASKS tasks, one shared process.
 */
static uint32_t task_pid(struct exporter *x, const struct et_rec *r, uint32_t *tid)
{
	struct task_seen *t;
	char name[ET_COMM_LEN + 8];

	*tid = r->tid;
	HASH_FIND(hh, x->tasks, &r->pid, sizeof(r->pid), t);
	if (t)
		return r->pid;
	if (x->n_tasks < MAX_TASKS && (t = calloc(1, sizeof(*t)))) {
		t->pid = r->pid;
		HASH_ADD(hh, x->tasks, pid, sizeof(t->pid), t);
		x->n_tasks++;
		snprintf(name, sizeof(name), "%s", r->comm[0] ? r->comm : "?");
		pf_meta(x, r->pid, name, PID_SYNTH);
		return r->pid;
	}
	if (!x->other_tasks) {
		x->other_tasks = true;
		pf_meta(x, PID_OTHER_TASKS, "other tasks (past 65536)", PID_OTHER_TASKS);
	}
	*tid = 0;
	return PID_OTHER_TASKS;
}

static void pf_counter(struct exporter *x, uint32_t pid, const char *name, uint64_t ts,
		       const char *key, double v)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"C\",\"pid\":%u,\"tid\":0", pid);
	pf_ts(x, ts);
	fputs(",\"name\":", x->out);
	json_str(x->out, name);
	fprintf(x->out, ",\"args\":{\"%s\":%.17g}}", key, v);
}

static void pf_instant(struct exporter *x, uint32_t pid, uint32_t tid, uint64_t ts,
		       const char *name, const char *text)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"i\",\"s\":\"%s\",\"pid\":%u,\"tid\":%u",
		pid >= PID_SYNTH ? "g" : "t", pid, tid);
	pf_ts(x, ts);
	fputs(",\"name\":", x->out);
	json_str(x->out, name);
	fputs(",\"args\":{\"text\":", x->out);
	json_str(x->out, text);
	fputs("}}", x->out);
}

/*
 * A dentry's slice, begun ("b") or ended ("e"), on its allocating task's
 * track; r: the event (the begin's filesystem, the end's killing task),
 * NULL at the end of the trace.
 */
static void pf_slice(struct exporter *x, const char *ph, const struct open_dentry *d,
		     uint64_t ts, const char *name, const struct et_rec *r)
{
	pf_sep(x);
	fprintf(x->out, "{\"ph\":\"%s\",\"cat\":\"dentry\",\"id\":\"0x%016" PRIx64
		"\",\"pid\":%u,\"tid\":%u", ph, d->id, d->pid, d->tid);
	pf_ts(x, ts);
	fputs(",\"name\":", x->out);
	json_str(x->out, name[0] ? name : "(anonymous)");
	if (!r) {
		fputs(",\"args\":{\"alive_at_end\":true}", x->out);
	} else if (*ph == 'b') {
		fputs(",\"args\":{\"fs\":", x->out);
		json_str(x->out, r->fs[0] ? r->fs : "?");
		fputc('}', x->out);
	} else {
		fprintf(x->out, ",\"args\":{\"killed_by_pid\":%u,\"killed_by_tid\":%u}",
			r->pid, r->tid);
	}
	fputc('}', x->out);
}

/* The per-second inode-number counts, for every second that ended. */
static void pf_ino_flush(struct exporter *x, uint64_t ts)
{
	/* an event a little older than the start (ring-buffer order): no second ended */
	uint64_t sec = ts >= x->origin ? (ts - x->origin) / 1000000000ull : 0;

	while (x->second < sec) {
		uint64_t at = x->origin + (x->second + 1) * 1000000000ull;
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

/* Before the first event at ts: the trace's start, else that event's time, is time 0. */
static void pf_start(struct exporter *x, uint64_t ts)
{
	x->origin = tclock_is_set() ? tclock.start_ns : ts;
	x->t0 = x->clock == EXPORT_CLOCK_MONO ? 0 : x->origin;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", x->out);
	pf_meta(x, PID_EI, "eventfs_inode refcounts", 1);
	pf_meta(x, PID_INO, "inode numbers", 2);
	pf_meta(x, PID_ANOMALY, "anomalies", 3);
}

static void pf_event(struct exporter *x, const struct et_rec *r)
{
	struct open_dentry *d = NULL;
	char name[ET_NAME_LEN + 64];
	uint32_t pid, tid;
	int64_t refs;

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
		d->pid = task_pid(x, r, &d->tid);
		HASH_ADD(hh, x->open, id, sizeof(d->id), d);
		x->n_open++;
		pf_slice(x, "b", d, r->ts_ns, r->name, r);
		break;
	case ET_DENTRY_KILL:
		HASH_FIND(hh, x->open, &r->obj_id, sizeof(r->obj_id), d);
		if (!d) {
			pid = task_pid(x, r, &tid);
			pf_instant(x, pid, tid, r->ts_ns, "dentry killed (alloc not seen)", r->name);
			break;
		}
		pf_slice(x, "e", d, r->ts_ns, r->name, r);
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
		pf_instant(x, PID_ANOMALY, 0, r->ts_ns, name, "ring buffer reserve failures");
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
	pf_instant(x, PID_ANOMALY, 0, a->ts_ns, anomaly_name(a->kind), a->text);
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
			pf_slice(x, "e", d, x->last_ts, "", NULL);
			HASH_DEL(x->open, d);
			free(d);
		}
		x->n_open = 0;
		pf_sep(x);
		fprintf(x->out, "{\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"name\":\"process_labels\","
			"\"args\":{\"labels\":\"%" PRIu64 " dentry slices dropped (limit)\"}}",
			(unsigned int)PID_ANOMALY, x->dropped_slices);
		fputs("\n]}\n", x->out);
	}
	fflush(x->out);
	return ferror(x->out) ? -EIO : 0;
}

void exporter_free(struct exporter *x)
{
	struct open_dentry *d, *tmp;
	struct task_seen *t, *ttmp;

	if (!x)
		return;
	HASH_ITER(hh, x->open, d, tmp) {
		HASH_DEL(x->open, d);
		free(d);
	}
	HASH_ITER(hh, x->tasks, t, ttmp) {
		HASH_DEL(x->tasks, t);
		free(t);
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
