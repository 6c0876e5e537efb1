// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's reports: the end-of-run summary, text and JSON, and the ei
 * table.  Only the model's public queries are used here: the model may
 * reorganise its tables without these outputs, which people and scripts
 * read, noticing.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/escape.h"
#include "lib/json.h"
#include "lib/tclock.h"
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

/* How many of a list to show: limit 0 is all, REPORT_LIMIT_DEFAULT dflt. */
static size_t shown(int64_t limit, size_t dflt)
{
	return limit == REPORT_LIMIT_DEFAULT ? dflt : limit == 0 ? SIZE_MAX : (size_t)limit;
}

/*
 * Every group of one key, biggest first, in a malloc'ed array (NULL and
 * 0 when out of memory); *total their count.  The model says only how many
 * it filled, so the array grows until one is left over.
 */
static const struct ino_group **all_groups(const struct model *m, enum group_by by, size_t *total)
{
	const struct ino_group **g = NULL, **ng;
	size_t cap = 64, n;

	for (;;) {
		ng = realloc(g, cap * sizeof(*g));
		if (!ng) {
			free(g);
			*total = 0;
			return NULL;
		}
		g = ng;
		n = model_ino_groups(m, by, g, cap);
		if (n < cap) {
			*total = n;
			return g;
		}
		cap *= 2;
	}
}

/* The anomalies the model keeps (its newest), oldest first; malloc'ed, *n of them. */
static const struct anomaly **kept_anomalies(const struct model *m, size_t *n)
{
	const struct anomaly **a = NULL, **na;
	size_t cap = 256;

	for (;;) {
		na = realloc(a, cap * sizeof(*a));
		if (!na) {
			free(a);
			*n = 0;
			return NULL;
		}
		a = na;
		*n = model_anomalies(m, a, cap);
		if (*n < cap)
			return a;
		cap *= 2;
	}
}

static uint64_t anomalies_total(const struct model_stats *st)
{
	uint64_t t = 0;

	for (int k = 0; k < A_MAX; k++)
		t += st->anomalies[k];
	return t;
}

/* Of the lists, the ones a selection (--ei, --path) passes: the counts stay the stream's. */
static uint64_t removed_referenced_total(const struct model *m)
{
	struct ei_iter it = {};
	struct ei_view v;
	uint64_t n = 0;

	while (model_ei_next(m, &it, &v))
		n += v.removed_referenced && model_ei_selected(m, &v);
	return n;
}

/* The anomalies the lists hold: a selection's, or every one found. */
static uint64_t listed_anomalies_total(const struct model *m, const struct model_stats *st)
{
	return model_selection(m) ? st->selected_anomalies : anomalies_total(st);
}

static uint64_t selected_eis(const struct model *m)
{
	struct ei_iter it = {};
	struct ei_view v;
	uint64_t n = 0;

	while (model_ei_next(m, &it, &v))
		n += model_ei_selected(m, &v);
	return n;
}

/*
 * With --ei or --path, what was selected, after the summary's first line:
 * the counts that follow are the stream's (the model followed all of it),
 * the lists of eis and anomalies hold only the selection's.
 */
static void selection_line(FILE *f, const struct model *m, const struct model_stats *st)
{
	const struct ei_select *sel = model_selection(m);
	char text[1024], eb[ESC_MAX];

	if (!sel)
		return;
	select_text(sel, text, sizeof(text));
	fprintf(f, "selected by %s: %" PRIu64 " events, %" PRIu64 " eventfs_inodes, %" PRIu64
		" anomalies (the counts below are the whole stream's, the lists the selection's)\n",
		esc(eb, sizeof(eb), text), st->selected_events, selected_eis(m),
		st->selected_anomalies);
}

/* What a cut list left out, so that no one takes the first N for all of them. */
static void more_line(FILE *f, uint64_t more, const char *what)
{
	if (more)
		fprintf(f, "  ... and %" PRIu64 " more %s (--limit 0 for all)\n", more, what);
}

void model_print_summary_limit(FILE *f, const struct model *m, enum group_by by, int64_t limit)
{
	const struct ino_group **g;
	const struct anomaly **a;
	struct model_stats st;
	struct ei_iter it = {};
	struct ei_view v;
	uint64_t n_live = 0, n_removed = 0, n_released = 0, total;
	char eb[ESC_MAX];	/* names, paths, anomaly texts: from the kernel or a file */
	size_t n, ng, na, max;
	char buf[64], causes[96], what[64], ts[TCLOCK_LEN];
	bool any = false;

	model_get_stats(m, &st);
	/* and how, when anything was: every way to miss an event is counted */
	lost_causes_text(st.lost_by, causes, sizeof(causes));
	fprintf(f, "summary: %" PRIu64 " events over %.3fs, %" PRIu64 " lost%s\n", st.events,
		st.last_ns > st.first_ns ? secs(st.last_ns - st.first_ns) : 0.0, st.lost, causes);
	selection_line(f, m, &st);
	fprintf(f, "inode numbers: %" PRIu64 " allocated, %.1f/s, highest %u", st.ino_allocs,
		st.ino_rate, st.ino_max);
	if (st.ino_allocs)
		fprintf(f, " (the global counter is at most a few 1024-batches past it)"
			   "; wraps in %s at this rate",
			duration_text(model_wrap_eta(m), buf, sizeof(buf)));
	fputc('\n', f);
	g = all_groups(m, by, &ng);
	n = ng < shown(limit, SUMMARY_GROUPS) ? ng : shown(limit, SUMMARY_GROUPS);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-32s %10" PRIu64 " allocated, %8.1f/s\n",
			esc(eb, sizeof(eb), g[i]->name), g[i]->total, g[i]->rate);
	snprintf(what, sizeof(what), "%s groups", group_by_name(by));
	more_line(f, ng - n, what);
	free(g);
	while (model_ei_next(m, &it, &v)) {
		n_live += v.state == EI_LIVE;
		n_removed += v.state == EI_REMOVED;
		n_released += v.state == EI_RELEASED;
	}
	fprintf(f, "eventfs_inodes: %" PRIu64 " tracked: %" PRIu64 " live, %" PRIu64
		" removed but still referenced (", st.eis, n_live, n_removed);
	if (st.holders_traced)
		fprintf(f, "%" PRIu64 " dentries holding them", st.dentries_on_removed_eis);
	else
		fputs("the dentries holding them not traced", f);
	fprintf(f, "), %" PRIu64 " released\n", n_released);
	total = removed_referenced_total(m);
	if (total)
		fputs("eventfs_inodes removed while still referenced:\n", f);
	it = (struct ei_iter){};
	n = 0;
	max = shown(limit, SUMMARY_GROUPS);
	while (n < max && model_ei_next(m, &it, &v)) {
		if (!v.removed_referenced || !model_ei_selected(m, &v))
			continue;
		n++;
		fprintf(f, "  %s (ei %016" PRIx64 "): removed at %s", esc(eb, sizeof(eb), v.path),
			v.id, tclock_fmt(ts, sizeof(ts), v.removed_ns, 6));
		if (v.state == EI_RELEASED)
			fprintf(f, ", released %.6fs later, once its holders let go\n",
				secs(v.released_ns - v.removed_ns));
		else if (st.holders_traced)
			fprintf(f, ", still referenced (refcount %" PRId64 ") %.6fs later by %u dentries\n",
				v.refcount, secs(st.last_ns - v.removed_ns), v.n_holders + v.holders_more);
		else	/* no put traced: the refcount is the kernel's reading at the removal */
			fprintf(f, ", not released %.6fs later (refcount %" PRId64 " at its removal)\n",
				secs(st.last_ns - v.removed_ns), v.refcount);
	}
	more_line(f, total - n, "eventfs_inodes removed while referenced");
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
	/* the newest, oldest first: those before them are the ones left out */
	a = kept_anomalies(m, &na);
	n = na < shown(limit, SUMMARY_ANOMALIES) ? na : shown(limit, SUMMARY_ANOMALIES);
	total = listed_anomalies_total(m, &st);
	if (na > n)
		fprintf(f, "  ... and %" PRIu64 " more anomalies before these (--limit 0 for %s)\n",
			total - n, total > na ? "the ones the model kept" : "all");
	else if (total > n)
		/* --limit 0 cannot show what the model did not keep: not offered */
		fprintf(f, "  ... and %" PRIu64 " earlier anomalies, not kept (the model keeps"
			   " the newest %zu)\n", total - n, na);
	for (size_t i = na - n; i < na; i++)
		fprintf(f, "  %s %s: %s\n", tclock_fmt(ts, sizeof(ts), a[i]->ts_ns, 6),
			anomaly_name(a[i]->kind), esc(eb, sizeof(eb), a[i]->text));
	free(a);
}

void model_print_summary(FILE *f, const struct model *m, enum group_by by)
{
	model_print_summary_limit(f, m, by, REPORT_LIMIT_DEFAULT);
}

/* The first max of them; returns how many were printed. */
static size_t print_removed_referenced_json(FILE *f, const struct model *m,
					    const struct model_stats *st, size_t max)
{
	struct ei_iter it = {};
	struct ei_view v;
	size_t n = 0;

	while (n < max && model_ei_next(m, &it, &v)) {
		if (!v.removed_referenced || !model_ei_selected(m, &v))
			continue;
		fprintf(f, "%s{\"ei\":\"%016" PRIx64 "\",\"path\":", n++ ? "," : "", v.id);
		json_str(f, v.path);
		fprintf(f, ",\"state\":\"%s\",\"refcount\":%" PRId64 ",\"removed_ns\":%" PRIu64
			",\"released_ns\":%" PRIu64 ",\"held_ns\":%" PRIu64 ",\"holders\":",
			ei_state_name(v.state), v.refcount, v.removed_ns, v.released_ns,
			(v.state == EI_RELEASED ? v.released_ns : st->last_ns) - v.removed_ns);
		if (!st->holders_traced) {
			fputs("null}", f);	/* not traced, as dentries_on_removed_eis */
			continue;
		}
		fputc('[', f);
		for (uint32_t i = 0; i < v.n_holders; i++)
			fprintf(f, "%s\"%016" PRIx64 "\"", i ? "," : "", v.holders[i]);
		fputs("]}", f);
	}
	return n;
}

/*
 * The JSON is for scripts: every list whole unless --limit cuts it, and
 * each with a *_total beside it, so that a cut list says so.
 */
static void summary_json(FILE *f, const struct model *m, enum group_by by, int64_t limit)
{
	const struct ino_group **g;
	const struct anomaly **a;
	struct model_stats st;
	size_t n, ng, na;

	model_get_stats(m, &st);
	fprintf(f, "{\"events\":%" PRIu64 ",\"lost\":%" PRIu64, st.events, st.lost);
	for (int c = 0; c < LOST_CAUSES; c++)
		fprintf(f, "%s\"%s\":%" PRIu64, c ? "," : ",\"lost_by\":{", lost_cause_name(c),
			st.lost_by[c]);
	/* start_ns: time 0 of every "t" and printed time, for the *_ns below */
	fprintf(f, "},\"start_ns\":%" PRIu64 ",\"first_ns\":%" PRIu64
		",\"last_ns\":%" PRIu64 ",\"ino_allocs\":%" PRIu64 ",\"ino_max\":%u"
		",\"ino_rate\":%.3f,\"wrap_eta_s\":%.0f,\"by\":\"%s\",\"groups\":[",
		tclock.start_ns, st.first_ns, st.last_ns, st.ino_allocs, st.ino_max,
		st.ino_rate, model_wrap_eta(m), group_by_name(by));
	g = all_groups(m, by, &ng);
	n = ng < shown(limit, SIZE_MAX) ? ng : shown(limit, SIZE_MAX);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"group\":" : "{\"group\":", f);
		json_str(f, g[i]->name);
		fprintf(f, ",\"ino_allocs\":%" PRIu64 ",\"rate\":%.3f}", g[i]->total, g[i]->rate);
	}
	free(g);
	fprintf(f, "],\"groups_total\":%zu,\"eis\":%" PRIu64 ",\"eis_removed_referenced\":%" PRIu64
		",\"dentries_on_removed_eis\":", ng, st.eis, st.eis_removed_referenced);
	/* null: the eis' lookups and dentry releases were not traced (hist --of ino) */
	if (st.holders_traced)
		fprintf(f, "%" PRIu64, st.dentries_on_removed_eis);
	else
		fputs("null", f);
	fprintf(f, ",\"live_inodes\":%" PRIu64
		",\"live_dentries\":%" PRIu64 ",\"evicted_from_model\":%" PRIu64
		",\"unknown_start\":%" PRIu64 ",\"anomalies\":{",
		st.live_inodes, st.live_dentries, st.evicted_from_model, st.unknown_start);
	for (int k = 0; k < A_MAX; k++)
		fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", anomaly_name(k), st.anomalies[k]);
	/*
	 * All there were of the two lists below, before them: the model keeps
	 * the newest few hundred anomalies, the counts all of them.
	 */
	fprintf(f, "},\"removed_referenced_total\":%" PRIu64 ",\"recent_anomalies_total\":%"
		PRIu64 ",\"removed_referenced\":[", removed_referenced_total(m),
		listed_anomalies_total(m, &st));
	print_removed_referenced_json(f, m, &st, shown(limit, SIZE_MAX));
	fputs("],\"recent_anomalies\":[", f);
	a = kept_anomalies(m, &na);
	n = na < shown(limit, SIZE_MAX) ? na : shown(limit, SIZE_MAX);
	for (size_t i = na - n; i < na; i++) {
		char t[TCLOCK_LEN];

		fprintf(f, "%s{\"kind\":\"%s\",\"ts_ns\":%" PRIu64 ",\"t\":%s,\"id\":\"%016"
			PRIx64 "\",\"text\":", i > na - n ? "," : "", anomaly_name(a[i]->kind),
			a[i]->ts_ns, tclock_fmt_rel(t, sizeof(t), a[i]->ts_ns, 6), a[i]->obj);
		json_str(f, a[i]->text);
		fputc('}', f);
	}
	free(a);
	fputc(']', f);
	/* --ei, --path: what they passed; the lists above are theirs, the counts the stream's */
	if (model_selection(m)) {
		char text[1024];

		select_text(model_selection(m), text, sizeof(text));
		fputs(",\"selection\":{\"options\":", f);
		json_str(f, text);
		fprintf(f, ",\"events\":%" PRIu64 ",\"eis\":%" PRIu64 ",\"anomalies\":%" PRIu64 "}",
			st.selected_events, selected_eis(m), st.selected_anomalies);
	}
	fputc('}', f);
}

void model_print_summary_json_limit(FILE *f, const struct model *m, enum group_by by,
				    int64_t limit)
{
	summary_json(f, m, by, limit);
	fputc('\n', f);
}

void model_print_summary_json(FILE *f, const struct model *m, enum group_by by)
{
	model_print_summary_json_limit(f, m, by, REPORT_LIMIT_DEFAULT);
}

static const char *op_name(uint8_t op)
{
	return op == ET_EI_CREATE ? "create" : op == ET_EI_GET ? "get" :
	       op == ET_EI_PUT ? "put" : op == ET_EI_REMOVE ? "remove" :
	       op == ET_EI_RELEASE ? "release" : "?";
}

static void ts_text(FILE *f, uint64_t ns)
{
	char ts[TCLOCK_LEN];

	if (ns)
		fprintf(f, " %s", tclock_fmt(ts, sizeof(ts), ns, 6));
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
		if (!model_ei_selected(m, &v))
			continue;
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

/*
 * The ei table as JSON: what model_print_eis() shows, one object per ei
 * (times in ns, 0 when not seen), with history its refcount changes.
 */
void model_print_eis_json(FILE *f, const struct model *m, bool history)
{
	struct ei_iter it = {};
	struct ei_view v;
	bool first = true;

	fputc('[', f);
	while (model_ei_next(m, &it, &v)) {
		if (!model_ei_selected(m, &v))
			continue;
		fprintf(f, "%s{\"ei\":\"%016" PRIx64 "\",\"path\":", first ? "" : ",", v.id);
		first = false;
		json_str(f, v.path);
		fprintf(f, ",\"ino\":%" PRIu64 ",\"state\":\"%s\",\"refcount\":%" PRId64
			",\"created_ns\":%" PRIu64 ",\"created_before_tracing\":%s"
			",\"removed_ns\":%" PRIu64 ",\"released_ns\":%" PRIu64
			",\"removed_referenced\":%s,\"holders\":[", v.ino, ei_state_name(v.state),
			v.refcount, v.created_seen ? v.created_ns : 0,
			v.created_seen ? "false" : "true", v.removed_ns, v.released_ns,
			v.removed_referenced ? "true" : "false");
		for (uint32_t i = 0; i < v.n_holders; i++)
			fprintf(f, "%s\"%016" PRIx64 "\"", i ? "," : "", v.holders[i]);
		fprintf(f, "],\"holders_more\":%u", v.holders_more);
		if (history && model_ei_find(m, v.id, &v)) {
			fprintf(f, ",\"history_dropped\":%" PRIu64 ",\"history\":[",
				v.history_dropped);
			for (uint32_t i = 0; i < v.n_history; i++) {
				const struct ei_change *c = &v.history[i];

				fprintf(f, "%s{\"ts_ns\":%" PRIu64 ",\"op\":\"%s\",\"refcount\":%d",
					i ? "," : "", c->ts_ns, op_name(c->op), c->refcount);
				if (c->dentry)
					fprintf(f, ",\"dentry\":\"%016" PRIx64 "\"", c->dentry);
				fprintf(f, ",\"gap\":%s}", c->gap ? "true" : "false");
			}
			fputc(']', f);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

void report_run_limit(FILE *f, const struct model *m, enum group_by by, int eis, int64_t limit)
{
	if (eis) {
		model_print_eis(f, m, eis > 1);
		fputc('\n', f);
	}
	model_print_summary_limit(f, m, by, limit);
}

void report_run(FILE *f, const struct model *m, enum group_by by, int eis)
{
	report_run_limit(f, m, by, eis, REPORT_LIMIT_DEFAULT);
}

void report_run_json(FILE *f, const struct model *m, enum group_by by, int eis, int64_t limit)
{
	fputs("\"summary\":", f);
	summary_json(f, m, by, limit);
	if (eis) {
		fputs(",\"eis\":", f);
		model_print_eis_json(f, m, eis > 1);
	}
}
