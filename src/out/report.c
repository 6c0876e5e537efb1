// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's reports: the end-of-run summary, text and JSON, and the ei
 * table.  Only the model's public queries are used here: the model may
 * reorganise its tables without these outputs, which people and scripts
 * read, noticing.
 */
#include <inttypes.h>

#include "lib/escape.h"
#include "lib/json.h"
#include "out/report.h"

static double secs(uint64_t ns)
{
	return ns / 1e9;
}

static const char *duration_text(double s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "an unknown time (no full interval measured yet)");
	else if (s < 120)
		snprintf(buf, size, "%.0f seconds", s);
	else if (s < 7200)
		snprintf(buf, size, "%.0f minutes", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, size, "%.1f hours", s / 3600);
	else if (s < 2 * 365 * 86400.0)
		snprintf(buf, size, "%.1f days", s / 86400);
	else
		snprintf(buf, size, "%.1f years", s / (365 * 86400.0));
	return buf;
}

#define SUMMARY_GROUPS	20
#define SUMMARY_ANOMALIES 10

void model_print_summary(FILE *f, const struct model *m, enum group_by by)
{
	const struct ino_group *g[SUMMARY_GROUPS];
	const struct anomaly *a[SUMMARY_ANOMALIES];
	struct model_stats st;
	struct ei_iter it = {};
	struct ei_view v;
	uint64_t n_live = 0, n_removed = 0, n_released = 0;
	char eb[ESC_MAX];	/* names, paths, anomaly texts: from the kernel or a file */
	size_t n;
	char buf[64], causes[96];
	bool any = false;

	model_get_stats(m, &st);
	/* and how, when anything was: every way to miss an event is counted */
	lost_causes_text(st.lost_by, causes, sizeof(causes));
	fprintf(f, "summary: %" PRIu64 " events over %.3fs, %" PRIu64 " lost%s\n", st.events,
		st.last_ns > st.first_ns ? secs(st.last_ns - st.first_ns) : 0.0, st.lost, causes);
	fprintf(f, "inode numbers: %" PRIu64 " allocated, %.1f/s, highest %u", st.ino_allocs,
		st.ino_rate, st.ino_max);
	if (st.ino_allocs)
		fprintf(f, " (the global counter is at most a few 1024-batches past it)"
			   "; wraps in %s at this rate",
			duration_text(model_wrap_eta(m), buf, sizeof(buf)));
	fputc('\n', f);
	n = model_ino_groups(m, by, g, SUMMARY_GROUPS);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-32s %10" PRIu64 " allocated, %8.1f/s\n",
			esc(eb, sizeof(eb), g[i]->name), g[i]->total, g[i]->rate);
	while (model_ei_next(m, &it, &v)) {
		n_live += v.state == EI_LIVE;
		n_removed += v.state == EI_REMOVED;
		n_released += v.state == EI_RELEASED;
	}
	fprintf(f, "eventfs_inodes: %" PRIu64 " tracked: %" PRIu64 " live, %" PRIu64
		" removed but still referenced (%" PRIu64 " dentries holding them), %" PRIu64
		" released\n", st.eis, n_live, n_removed, st.dentries_on_removed_eis, n_released);
	if (st.eis_removed_referenced)
		fputs("eventfs_inodes removed while still referenced:\n", f);
	it = (struct ei_iter){};
	n = 0;
	while (model_ei_next(m, &it, &v) && n < SUMMARY_GROUPS) {
		if (!v.removed_referenced)
			continue;
		n++;
		fprintf(f, "  %s (ei %016" PRIx64 "): removed at %.6f", esc(eb, sizeof(eb), v.path),
			v.id, secs(v.removed_ns));
		if (v.state == EI_RELEASED)
			fprintf(f, ", released %.6fs later, once its holders let go\n",
				secs(v.released_ns - v.removed_ns));
		else
			fprintf(f, ", still referenced (refcount %" PRId64 ") %.6fs later by %u dentries\n",
				v.refcount, secs(st.last_ns - v.removed_ns), v.n_holders + v.holders_more);
	}
	fprintf(f, "objects: %" PRIu64 " live inodes and %" PRIu64 " live dentries tracked, %"
		PRIu64 " evicted_from_model, %" PRIu64 " freed with unknown start (before tracing)\n",
		st.live_inodes, st.live_dentries, st.evicted_from_model, st.unknown_start);
	fputs("anomalies:", f);
	for (int k = 0; k < A_MAX; k++) {
		if (!st.anomalies[k])
			continue;
		fprintf(f, "%s %s %" PRIu64, any ? "," : "", anomaly_name(k), st.anomalies[k]);
		any = true;
	}
	fputs(any ? "\n" : " none\n", f);
	n = model_anomalies(m, a, SUMMARY_ANOMALIES);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %" PRIu64 ".%06" PRIu64 " %s: %s\n", a[i]->ts_ns / 1000000000,
			a[i]->ts_ns % 1000000000 / 1000, anomaly_name(a[i]->kind),
			esc(eb, sizeof(eb), a[i]->text));
}

static void print_removed_referenced_json(FILE *f, const struct model *m,
					 const struct model_stats *st)
{
	struct ei_iter it = {};
	struct ei_view v;
	size_t n = 0;

	while (model_ei_next(m, &it, &v) && n < SUMMARY_GROUPS) {
		if (!v.removed_referenced)
			continue;
		fprintf(f, "%s{\"ei\":\"%016" PRIx64 "\",\"path\":", n++ ? "," : "", v.id);
		json_str(f, v.path);
		fprintf(f, ",\"state\":\"%s\",\"refcount\":%" PRId64 ",\"removed_ns\":%" PRIu64
			",\"released_ns\":%" PRIu64 ",\"held_ns\":%" PRIu64 ",\"holders\":[",
			ei_state_name(v.state), v.refcount, v.removed_ns, v.released_ns,
			(v.state == EI_RELEASED ? v.released_ns : st->last_ns) - v.removed_ns);
		for (uint32_t i = 0; i < v.n_holders; i++)
			fprintf(f, "%s\"%016" PRIx64 "\"", i ? "," : "", v.holders[i]);
		fputs("]}", f);
	}
}

void model_print_summary_json(FILE *f, const struct model *m, enum group_by by)
{
	const struct ino_group *g[SUMMARY_GROUPS];
	const struct anomaly *a[SUMMARY_ANOMALIES];
	struct model_stats st;
	size_t n;

	model_get_stats(m, &st);
	fprintf(f, "{\"events\":%" PRIu64 ",\"lost\":%" PRIu64, st.events, st.lost);
	for (int c = 0; c < LOST_CAUSES; c++)
		fprintf(f, "%s\"%s\":%" PRIu64, c ? "," : ",\"lost_by\":{", lost_cause_name(c),
			st.lost_by[c]);
	fprintf(f, "},\"first_ns\":%" PRIu64
		",\"last_ns\":%" PRIu64 ",\"ino_allocs\":%" PRIu64 ",\"ino_max\":%u"
		",\"ino_rate\":%.3f,\"wrap_eta_s\":%.0f,\"by\":\"%s\",\"groups\":[",
		st.first_ns, st.last_ns, st.ino_allocs, st.ino_max,
		st.ino_rate, model_wrap_eta(m), group_by_name(by));
	n = model_ino_groups(m, by, g, SUMMARY_GROUPS);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"group\":" : "{\"group\":", f);
		json_str(f, g[i]->name);
		fprintf(f, ",\"ino_allocs\":%" PRIu64 ",\"rate\":%.3f}", g[i]->total, g[i]->rate);
	}
	fprintf(f, "],\"eis\":%" PRIu64 ",\"eis_removed_referenced\":%" PRIu64
		",\"dentries_on_removed_eis\":%" PRIu64 ",\"live_inodes\":%" PRIu64
		",\"live_dentries\":%" PRIu64 ",\"evicted_from_model\":%" PRIu64
		",\"unknown_start\":%" PRIu64 ",\"anomalies\":{",
		st.eis, st.eis_removed_referenced, st.dentries_on_removed_eis, st.live_inodes,
		st.live_dentries, st.evicted_from_model, st.unknown_start);
	for (int k = 0; k < A_MAX; k++)
		fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", anomaly_name(k), st.anomalies[k]);
	fputs("},\"removed_referenced\":[", f);
	print_removed_referenced_json(f, m, &st);
	fputs("],\"recent_anomalies\":[", f);
	n = model_anomalies(m, a, SUMMARY_ANOMALIES);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s{\"kind\":\"%s\",\"ts_ns\":%" PRIu64 ",\"id\":\"%016" PRIx64
			"\",\"text\":", i ? "," : "", anomaly_name(a[i]->kind), a[i]->ts_ns,
			a[i]->obj);
		json_str(f, a[i]->text);
		fputc('}', f);
	}
	fputs("]}\n", f);
}

static const char *op_name(uint8_t op)
{
	return op == ET_EI_CREATE ? "create" : op == ET_EI_GET ? "get" :
	       op == ET_EI_PUT ? "put" : op == ET_EI_REMOVE ? "remove" :
	       op == ET_EI_RELEASE ? "release" : "?";
}

static void ts_text(FILE *f, uint64_t ns)
{
	if (ns)
		fprintf(f, " %" PRIu64 ".%06" PRIu64, ns / 1000000000, ns % 1000000000 / 1000);
	else
		fputs(" -", f);
}

/*
 * The ei table: one line per ei (path, ino, state, refcount, created,
 * removed, released, holders), and with history its refcount changes.
 */
void model_print_eis(FILE *f, const struct model *m, bool history)
{
	struct ei_iter it = {};
	struct ei_view v;
	char eb[ESC_MAX];

	fprintf(f, "%-40s %10s %-8s %4s %17s %17s %17s  %s\n", "EVENTFS_INODE", "INO", "STATE",
		"REFS", "CREATED", "REMOVED", "RELEASED", "HOLDERS");
	while (model_ei_next(m, &it, &v)) {
		fprintf(f, "%-40s %10" PRIu64 " %-8s %4" PRId64, esc(eb, sizeof(eb), v.path), v.ino,
			ei_state_name(v.state), v.refcount);
		if (v.created_seen)
			ts_text(f, v.created_ns);
		else
			fputs(" before-tracing", f);
		ts_text(f, v.removed_ns);
		ts_text(f, v.released_ns);
		fputs(" ", f);
		for (uint32_t i = 0; i < v.n_holders; i++)
			fprintf(f, " %016" PRIx64, v.holders[i]);
		if (v.holders_more)
			fprintf(f, " +%u", v.holders_more);
		fputc('\n', f);
		if (!history || !model_ei_find(m, v.id, &v))
			continue;
		if (v.history_dropped)
			fprintf(f, "    (%" PRIu64 " older changes not kept)\n", v.history_dropped);
		for (uint32_t i = 0; i < v.n_history; i++) {
			const struct ei_change *c = &v.history[i];

			fputs("   ", f);
			ts_text(f, c->ts_ns);
			fprintf(f, " %-7s -> %d", op_name(c->op), c->refcount);
			if (c->dentry)
				fprintf(f, " dentry %016" PRIx64, c->dentry);
			if (c->gap)
				fputs(" (gap: events before this one are missing)", f);
			fputc('\n', f);
		}
	}
}

void report_run(FILE *f, const struct model *m, enum group_by by, int eis)
{
	if (eis) {
		model_print_eis(f, m, eis > 1);
		fputc('\n', f);
	}
	model_print_summary(f, m, by);
}
