// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live view: `evtrace` / `evtrace live`, and `replay FILE --view live`.
 * A full-screen ncurses dashboard of the model, redrawn every --interval
 * (ncurses sends only what changed, so no flicker): inode numbers per
 * mount with a minute of sparkline, the eventfs_inodes by a chosen key,
 * dentry lifetimes per filesystem, and the newest anomalies.  When stdout
 * is not a terminal (or --no-tui) it prints one summary line per interval.
 */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <ncursesw/curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/common.h"
#include "pipeline/pipeline.h"
#include "ui/dashboard.h"

enum panel { P_INO, P_EI, P_ANOMALY, P_MAX };
enum sort_key { SORT_REFS, SORT_AGE, SORT_HELD, SORT_MAX };
static const char *const sort_names[SORT_MAX] = { "refcount", "age", "removed-held time" };

#define MAX_EI_ROWS	4096
#define FS_MAX		16

struct fs_life {
	char fs[ET_FS_LEN];
	uint64_t n, b[64];	/* log2 buckets of usecs */
};

struct dashboard {
	const struct model *m;
	struct dashboard_opts o;
	bool tui, paused, help, details, ended;
	enum panel focus;
	enum sort_key sort;
	int scroll[P_MAX];
	char filter[64];
	bool typing;
	uint64_t next_draw;	/* wall clock, ns */
	uint64_t started;
	uint64_t last_events, last_draw_ns;
	double ev_rate;
	uint64_t detail_ei;
	struct fs_life life[FS_MAX];
	int n_life;
	struct ei_view *rows;
};

/* The model's dentry lifetimes, kept per filesystem for the dentries panel. */
void dashboard_sample(struct dashboard *v, const struct sample *smp)
{
	struct fs_life *l = NULL;
	int b = 0;

	if (smp->kind != S_DENTRY_LIFE)
		return;
	for (int i = 0; i < v->n_life; i++)
		if (!strcmp(v->life[i].fs, smp->group[BY_FS]))
			l = &v->life[i];
	if (!l) {
		if (v->n_life == FS_MAX)
			return;
		l = &v->life[v->n_life++];
		snprintf(l->fs, sizeof(l->fs), "%s", smp->group[BY_FS]);
	}
	while (b < 63 && (1ull << b) <= smp->value)
		b++;
	l->b[b] += smp->n;
	l->n += smp->n;
}

static uint64_t life_pct(const struct fs_life *l, double p)
{
	uint64_t want = (uint64_t)ceil(l->n * p), seen = 0;

	for (int b = 0; b < 64; b++) {
		seen += l->b[b];
		if (seen >= want && seen)
			return b ? (1ull << b) - 1 : 0;
	}
	return 0;
}

struct dashboard *dashboard_new(const struct model *m, const struct dashboard_opts *o)
{
	struct dashboard *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->m = m;
	v->o = *o;
	if (v->o.interval <= 0)
		v->o.interval = 1;
	v->rows = calloc(MAX_EI_ROWS, sizeof(*v->rows));
	if (!v->rows) {
		free(v);
		return NULL;
	}
	v->tui = o->tui && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	v->started = mono_ns();
	if (v->tui) {
		setlocale(LC_ALL, "");
		initscr();
		cbreak();
		noecho();
		nodelay(stdscr, TRUE);
		keypad(stdscr, TRUE);
		set_escdelay(25);	/* Esc clears a filter now, not in a second */
		curs_set(0);
	}
	return v;
}

void dashboard_free(struct dashboard *v)
{
	if (!v)
		return;
	if (v->tui)
		endwin();	/* the terminal as it was */
	free(v->rows);
	free(v);
}

void dashboard_end(struct dashboard *v)
{
	v->ended = true;
}

const bool *dashboard_paused(const struct dashboard *v)
{
	return &v->paused;
}

/* "0", or "12 (ring 10, kprobe 2)": the total and its parts */
static const char *lost_text(const struct model_stats *st, char *buf, size_t size)
{
	size_t off = snprintf(buf, size, "%" PRIu64, st->lost);

	if (off < size)
		lost_causes_text(st->lost_by, buf + off, size - off);
	return buf;
}

static const char *dur(double s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 1)
		snprintf(buf, size, "%.0fms", s * 1e3);
	else if (s < 120)
		snprintf(buf, size, "%.1fs", s);
	else if (s < 7200)
		snprintf(buf, size, "%.0fm", s / 60);
	else if (s < 172800)
		snprintf(buf, size, "%.1fh", s / 3600);
	else
		snprintf(buf, size, "%.0fd", s / 86400);
	return buf;
}

/* A sparkline of n values, scaled to their maximum. */
static void spark(const uint32_t *vals, int n, int width)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					     "\u2585", "\u2586", "\u2587", "\u2588" };
	uint32_t max = 0;

	if (n > width) {
		vals += n - width;
		n = width;
	}
	for (int i = 0; i < n; i++)
		if (vals[i] > max)
			max = vals[i];
	for (int i = 0; i < n; i++)
		addstr(bars[max ? (vals[i] * 8 + max - 1) / max : 0]);
}

static bool matches(const struct dashboard *v, const char *s)
{
	return !v->filter[0] || strstr(s, v->filter);
}

static uint64_t now_event(const struct dashboard *v)
{
	struct model_stats st;

	model_get_stats(v->m, &st);
	return st.last_ns;
}

static double ei_key(const struct ei_view *e, enum sort_key k, uint64_t now)
{
	switch (k) {
	case SORT_REFS:
		return e->refcount;
	case SORT_AGE:
		return e->created_ns ? (double)(now - e->created_ns) : 1e30;
	case SORT_HELD:
		return e->state == EI_REMOVED ? (double)(now - e->removed_ns) : -1;
	default:
		return 0;
	}
}

static enum sort_key cmp_key;
static uint64_t cmp_now;

static int cmp_ei(const void *a, const void *b)
{
	double x = ei_key(a, cmp_key, cmp_now), y = ei_key(b, cmp_key, cmp_now);

	return x < y ? 1 : x > y ? -1 : strcmp(((const struct ei_view *)a)->path,
					       ((const struct ei_view *)b)->path);
}

static int collect_eis(struct dashboard *v, uint64_t now)
{
	struct ei_iter it = {};
	int n = 0;

	while (n < MAX_EI_ROWS && model_ei_next(v->m, &it, &v->rows[n]))
		if (matches(v, v->rows[n].path))
			n++;
	cmp_key = v->sort;
	cmp_now = now;
	qsort(v->rows, n, sizeof(*v->rows), cmp_ei);
	return n;
}

static void title(struct dashboard *v, int y, enum panel p, const char *text)
{
	attron(A_BOLD | (v->focus == p ? A_REVERSE : 0));
	mvprintw(y, 0, "%s", text);
	attroff(A_BOLD | A_REVERSE);
}

static void draw_details(struct dashboard *v, int rows, int cols)
{
	struct ei_view e;
	char a[32], b[32], c[32];
	int y = 2;

	if (!model_ei_find(v->m, v->detail_ei, &e)) {
		v->details = false;
		return;
	}
	title(v, 1, P_EI, "EVENTFS_INODE");
	mvprintw(y++, 0, "%s  ei %016" PRIx64 "  ino %" PRIu64 "  %s  refcount %" PRId64,
		 e.path, e.id, e.ino, ei_state_name(e.state), e.refcount);
	mvprintw(y++, 0, "created %s  removed %s  released %s (seconds on the events' clock)",
		 e.created_seen ? (snprintf(a, sizeof(a), "at %.6f", e.created_ns / 1e9), a) :
				  "before tracing",
		 e.removed_ns ? (snprintf(b, sizeof(b), "at %.6f", e.removed_ns / 1e9), b) : "no",
		 e.released_ns ? (snprintf(c, sizeof(c), "at %.6f", e.released_ns / 1e9), c) : "no");
	mvprintw(y, 0, "holders (%u):", e.n_holders + e.holders_more);
	for (uint32_t i = 0; i < e.n_holders; i++)
		printw(" %016" PRIx64, e.holders[i]);
	y += 2;
	mvprintw(y++, 0, "refcount history (%u kept, %" PRIu64 " older dropped):", e.n_history,
		 e.history_dropped);
	for (int i = (int)e.n_history - 1; i >= 0 && y < rows - 1; i--, y++) {
		const struct ei_change *c = &e.history[i];
		static const char *const ops[] = { [ET_EI_CREATE] = "create", [ET_EI_GET] = "get",
						   [ET_EI_PUT] = "put", [ET_EI_REMOVE] = "remove",
						   [ET_EI_RELEASE] = "release" };

		mvprintw(y, 2, "%" PRIu64 ".%06" PRIu64 "  %-7s -> %d", c->ts_ns / 1000000000,
			 c->ts_ns % 1000000000 / 1000, c->op < ET_TYPE_MAX && ops[c->op] ? ops[c->op] : "?",
			 c->refcount);
		if (c->dentry)
			printw("  dentry %016" PRIx64, c->dentry);
		if (c->gap)
			printw("  (gap: events missing before)");
	}
	(void)cols;
}

static void draw_help(int rows)
{
	static const char *const lines[] = {
		"q        quit (Ctrl-C too): restore the terminal, print the summary",
		"p        pause / resume the display (a replay pauses too)",
		"s        cycle the eventfs_inode sort: refcount, age, removed-held time",
		"/        filter mounts and eventfs paths by a substring; Esc clears",
		"Tab      move focus between panels; arrows, PgUp, PgDn scroll it",
		"Enter    on the eventfs panel: the first ei's full history and holders",
		"+ / -    replay: double / halve the speed",
		"?        this help (any key closes it)",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines) && (int)i + 3 < rows; i++)
		mvprintw(3 + i, 2, "%s", lines[i]);
}

static void draw(struct dashboard *v)
{
	const struct ino_group *g[64];
	const struct anomaly *an[64];
	struct model_stats st;
	int rows, cols, y = 0, n, half, ei_end;
	uint64_t now;
	char a[32], b[96];

	getmaxyx(stdscr, rows, cols);
	erase();
	model_get_stats(v->m, &st);
	now = st.last_ns;
	/* header: what is running, how fast, what is lost */
	attron(A_REVERSE);
	mvhline(0, 0, ' ', cols);
	lost_text(&st, b, sizeof(b));
	mvprintw(0, 0, " evtrace %s | %s | %.0f ev/s | lost %s | %s%s | %s%s",
		 v->o.kernel, v->o.probes, v->ev_rate, b,
		 v->o.filters[0] ? "filters: " : "no filters", v->o.filters,
		 v->o.replay ? "replay at " : "elapsed ",
		 v->o.replay ? dur(st.last_ns > st.first_ns ? (st.last_ns - st.first_ns) / 1e9 : 0, a, sizeof(a))
			     : dur((mono_ns() - v->started) / 1e9, a, sizeof(a)));
	if (v->o.replay && v->o.speed && *v->o.speed > 0)
		printw(" x%g", *v->o.speed);
	else if (v->o.replay)
		printw(" (max speed)");
	if (v->paused)
		printw(" [PAUSED]");
	if (v->ended)
		printw(" [END OF FILE]");
	attroff(A_REVERSE);
	if (v->help) {
		draw_help(rows);
		goto footer;
	}
	if (v->details) {
		draw_details(v, rows, cols);
		goto footer;
	}
	y = 1;
	snprintf(b, sizeof(b), "%u", st.ino_max);
	title(v, y++, P_INO, "INODE NUMBERS");
	printw("  %" PRIu64 " allocated, highest %s (global counter within a few 1024-batches), "
	       "%.1f/s, wraps in %s", st.ino_allocs, b, st.ino_rate,
	       model_wrap_eta(v->m) < 0 ? "?" : dur(model_wrap_eta(v->m), a, sizeof(a)));
	n = model_ino_groups(v->m, BY_MOUNT, g, ARRAY_SIZE(g));
	half = rows / 4;
	for (int i = v->scroll[P_INO], shown = 0; i < n && shown < half; i++) {
		if (!matches(v, g[i]->name))
			continue;
		mvprintw(y, 2, "%-28.28s %8.1f/s %9" PRIu64 "  ", g[i]->name, g[i]->rate, g[i]->total);
		spark(g[i]->history, MODEL_RATE_HISTORY, cols - 56 > 0 ? cols - 56 : 0);
		y++;
		shown++;
	}
	y++;
	n = collect_eis(v, now);
	title(v, y, P_EI, "EVENTFS_INODES");
	printw("  %" PRIu64 " tracked, %" PRIu64 " removed while referenced, %" PRIu64
	       " dentries holding removed ones | sort: %s%s%s", st.eis, st.eis_removed_referenced,
	       st.dentries_on_removed_eis, sort_names[v->sort], v->filter[0] ? " | filter: " : "",
	       v->filter);
	y++;
	mvprintw(y++, 2, "%-40s %5s %-9s %9s %9s", "PATH", "REFS", "STATE", "AGE", "HELD");
	/* leave room below for the dentry panel and a few anomalies */
	ei_end = rows - 1 - (v->n_life + 3) - 5;
	for (int i = v->scroll[P_EI]; i < n && y < ei_end; i++, y++) {
		struct ei_view *e = &v->rows[i];

		mvprintw(y, 2, "%-40.40s %5" PRId64 " %-9s %9s %9s", e->path, e->refcount,
			 ei_state_name(e->state),
			 e->created_seen ? dur((now - e->created_ns) / 1e9, a, sizeof(a)) : "?",
			 e->state == EI_REMOVED ? dur((now - e->removed_ns) / 1e9, b, sizeof(b)) : "");
	}
	y++;
	title(v, y++, P_MAX, "DENTRY LIFETIMES");
	for (int i = 0; i < v->n_life && y < rows - 3; i++, y++)
		mvprintw(y, 2, "%-16s n=%-8" PRIu64 " p50<=%-8s p99<=%-8s", v->life[i].fs,
			 v->life[i].n, dur(life_pct(&v->life[i], 0.5) / 1e6, a, sizeof(a)),
			 dur(life_pct(&v->life[i], 0.99) / 1e6, b, sizeof(b)));
	mvprintw(y++, 2, "%" PRIu64 " dentries alive after their eventfs_inode was removed",
		 st.dentries_on_removed_eis);
	y++;
	title(v, y++, P_ANOMALY, "ANOMALIES");
	n = model_anomalies(v->m, an, ARRAY_SIZE(an));
	for (int i = n - 1 - v->scroll[P_ANOMALY]; i >= 0 && y < rows - 1; i--, y++)
		mvprintw(y, 2, "%" PRIu64 ".%03" PRIu64 " %s: %.*s", an[i]->ts_ns / 1000000000,
			 an[i]->ts_ns % 1000000000 / 1000000, anomaly_name(an[i]->kind),
			 cols > 40 ? cols - 40 : 0, an[i]->text);
footer:
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	if (v->typing)
		mvprintw(rows - 1, 0, " filter: %s_  (Enter applies, Esc clears)", v->filter);
	else
		mvprintw(rows - 1, 0, " q quit  p pause  s sort  / filter  Tab panel  arrows scroll  "
			 "Enter details  %s? help", v->o.replay ? "+/- speed  " : "");
	attroff(A_REVERSE);
	refresh();
}

static void key(struct dashboard *v, int ch)
{
	if (v->typing) {
		size_t len = strlen(v->filter);

		if (ch == 27) {
			v->filter[0] = 0;
			v->typing = false;
		} else if (ch == '\n' || ch == KEY_ENTER) {
			v->typing = false;
		} else if ((ch == KEY_BACKSPACE || ch == 127) && len) {
			v->filter[len - 1] = 0;
		} else if (ch >= 32 && ch < 127 && len + 1 < sizeof(v->filter)) {
			v->filter[len] = ch;
			v->filter[len + 1] = 0;
		}
		return;
	}
	if (v->help) {
		v->help = false;
		return;
	}
	switch (ch) {
	case 'q':
		*v->o.stop = 1;
		break;
	case 'p':
		v->paused = !v->paused;
		break;
	case 's':
		v->sort = (v->sort + 1) % SORT_MAX;
		break;
	case '/':
		v->typing = true;
		v->filter[0] = 0;
		break;
	case 27:
		v->filter[0] = 0;
		v->details = false;
		break;
	case '\t':
		v->focus = (v->focus + 1) % P_MAX;
		break;
	case KEY_DOWN:
	case KEY_NPAGE:
		v->scroll[v->focus] += ch == KEY_DOWN ? 1 : 10;
		break;
	case KEY_UP:
	case KEY_PPAGE:
		v->scroll[v->focus] -= ch == KEY_UP ? 1 : 10;
		if (v->scroll[v->focus] < 0)
			v->scroll[v->focus] = 0;
		break;
	case '\n':
	case KEY_ENTER:
		if (v->details) {
			v->details = false;
		} else if (v->focus == P_EI) {
			int n = collect_eis(v, now_event(v));

			if (n > v->scroll[P_EI]) {
				v->detail_ei = v->rows[v->scroll[P_EI]].id;
				v->details = true;
			}
		}
		break;
	case '+':
		if (v->o.speed && *v->o.speed < 1024)
			*v->o.speed *= 2;
		break;
	case '-':
		if (v->o.speed && *v->o.speed > 1.0 / 1024)
			*v->o.speed /= 2;
		break;
	case '?':
		v->help = true;
		break;
	}
}

/* Not a terminal: one line per interval, for logs and pipes. */
static void line(struct dashboard *v)
{
	struct model_stats st;

	model_get_stats(v->m, &st);
	printf("%.1fs events %" PRIu64 " (%.0f/s) lost %" PRIu64 " | ino %" PRIu64
	       " (%.1f/s, highest %u) | eis %" PRIu64 ", %" PRIu64
	       " removed while referenced | dentries %" PRIu64 " live | anomalies",
	       (mono_ns() - v->started) / 1e9, st.events, v->ev_rate, st.lost, st.ino_allocs,
	       st.ino_rate, st.ino_max, st.eis, st.eis_removed_referenced, st.live_dentries);
	for (int k = 0, any = 0; k < A_MAX; k++)
		if (st.anomalies[k])
			printf("%s %s %" PRIu64, any++ ? "," : "", anomaly_name(k), st.anomalies[k]);
	putchar('\n');
	fflush(stdout);
}

void dashboard_tick(struct dashboard *v)
{
	uint64_t now = mono_ns();
	bool redraw = false;
	int ch;

	while (v->tui && (ch = getch()) != ERR) {
		if (ch == KEY_RESIZE)
			redraw = true;
		else
			key(v, ch);
		redraw = true;
	}
	if (now >= v->next_draw) {
		struct model_stats st;
		double dt = v->last_draw_ns ? (now - v->last_draw_ns) / 1e9 : 0;

		model_get_stats(v->m, &st);
		if (dt > 0)
			v->ev_rate = (st.events - v->last_events) / dt;
		v->last_events = st.events;
		v->last_draw_ns = now;
		v->next_draw = now + (uint64_t)(v->o.interval * 1e9);
		if (!v->paused)
			redraw = true;
		if (!v->tui && !v->paused)
			line(v);
	}
	if (v->tui && redraw)
		draw(v);
}

/* ---- the dashboard as a sink ---- */

static int run_start(void *ctx, struct pipeline *p, const struct tracer *t)
{
	struct dashboard_run *r = ctx;

	if (t)
		snprintf(r->o.probes, sizeof(r->o.probes), "%s", p->attached);
	r->d = dashboard_new(p->s.model, &r->o);
	if (!r->d) {
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	if (r->o.replay)
		p->o->replay.paused = dashboard_paused(r->d);
	return 0;
}

static void run_sample(void *ctx, const struct sample *smp)
{
	struct dashboard_run *r = ctx;

	if (r->d)
		dashboard_sample(r->d, smp);
}

static void run_tick(void *ctx)
{
	struct dashboard_run *r = ctx;

	if (r->d)
		dashboard_tick(r->d);
}

static int run_finish(void *ctx, int status)
{
	struct dashboard_run *r = ctx;

	/* the end of a recording: the screen stays until q, as a pager would */
	while (r->d && r->o.replay && !status && r->d->tui && !pipeline_stopping()) {
		struct timespec d = { 0, 50000000 };

		dashboard_end(r->d);
		dashboard_tick(r->d);
		nanosleep(&d, NULL);
	}
	dashboard_free(r->d);	/* the terminal is back before anything prints */
	r->d = NULL;
	return 0;
}

struct sink *dashboard_sink(struct dashboard_run *r)
{
	r->sink = (struct sink){
		.ctx = r, .start = run_start, .sample = run_sample, .tick = run_tick,
		.finish = run_finish,
	};
	return &r->sink;
}
