// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live view: `evtrace` / `evtrace live`, and `replay FILE --view live`.
 * A full-screen ncurses dashboard of the model, redrawn every --interval
 * (ncurses sends only what changed, so no flicker): inode numbers per
 * mount (or fs, caller, comm, cgroup: --by, the b key) with a minute of
 * sparkline, the eventfs_inodes by a chosen key,
 * dentry lifetimes per filesystem, and the newest anomalies.  When stdout
 * is not a terminal (or --no-tui) it prints one summary line per interval.
 */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <ncursesw/curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/cgroups.h"
#include "lib/common.h"
#include "lib/escape.h"
#include "lib/tclock.h"
#include "pipeline/pipeline.h"
#include "ui/dashboard.h"

enum panel { P_INO, P_EI, P_DENTRY, P_ANOMALY, P_MAX };
/* attention: what needs a look first (see ei_rank()); then the plain keys */
enum sort_key { SORT_ATTENTION, SORT_REFS, SORT_AGE, SORT_HELD, SORT_MAX };
static const char *const sort_names[SORT_MAX] = { "attention", "refcount", "age",
						  "removed-held time" };
/* what Enter opened */
enum detail { D_NONE, D_EI, D_GROUP, D_FS, D_ANOMALY };
/* colour pairs, when the terminal has colour and NO_COLOR is not set */
enum { C_RED = 1, C_YELLOW, C_MAGENTA, C_CYAN };

#define EI_ROWS_START	4096	/* grows to every ei the model holds */
#define FS_MAX		16
#define MAX_ANOMALY_ROWS 64
#define LINE_MAX_BYTES	1024

struct fs_life {
	char fs[ET_FS_LEN];
	uint64_t n, b[64];	/* log2 buckets of usecs */
};

struct dashboard {
	const struct model *m;
	struct dashboard_opts o;
	bool tui, paused, help, ended, colour;
	FILE *tty;			/* keys_from_tty: the terminal, and the screen on it */
	SCREEN *scr;
	enum detail detail;
	enum panel focus;
	enum sort_key sort;
	int scroll[P_MAX];	/* first row shown */
	int cursor[P_MAX];	/* the row under the cursor, in the panel's (filtered) rows */
	bool moved[P_MAX];	/* a key moved the cursor since the last draw */
	int n_rows[P_MAX];	/* each panel's rows at the last draw: where keys stop */
	/*
	 * The ei under the cursor: once a key put the cursor on it, it stays
	 * under it when the order changes; until then the cursor stays on
	 * the first row, what needs attention most.
	 */
	uint64_t ei_sel;
	bool ei_pinned;
	enum group_by by;	/* the inode numbers' groups */
	char filter[64];
	bool typing;
	uint64_t next_draw;	/* wall clock, ns */
	uint64_t started;
	uint64_t last_events, last_draw_ns;
	double ev_rate;
	uint64_t detail_ei;
	enum group_by detail_by;	/* the group Enter opened: its kind and name */
	char detail_group[256];
	int detail_fs;
	struct anomaly detail_anomaly;
	struct fs_life life[FS_MAX];
	int n_life;
	struct ei_view *rows;
	size_t rows_cap;
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

/*
 * Colour only where the terminal has it and the user did not opt out:
 * https://no-color.org, NO_COLOR set and not empty.
 */
static bool want_colour(void)
{
	const char *no = getenv("NO_COLOR");

	return has_colors() && !(no && no[0]);
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
	v->rows = calloc(EI_ROWS_START, sizeof(*v->rows));
	if (!v->rows) {
		free(v);
		return NULL;
	}
	v->rows_cap = EI_ROWS_START;
	/* a recording on standard input: the keys come from the terminal itself */
	if (o->keys_from_tty && o->tui && isatty(STDOUT_FILENO))
		v->tty = fopen("/dev/tty", "re");
	v->tui = o->tui && isatty(STDOUT_FILENO) &&
		 (o->keys_from_tty ? v->tty != NULL : isatty(STDIN_FILENO));
	v->started = mono_ns();
	v->focus = P_INO;
	v->by = o->by < BY_MAX ? o->by : BY_MOUNT;
	if (v->tui && v->tty) {
		setlocale(LC_ALL, "");
		v->scr = newterm(NULL, stdout, v->tty);
		if (v->scr)
			set_term(v->scr);
		v->tui = v->scr != NULL;
	} else if (v->tui) {
		setlocale(LC_ALL, "");
		initscr();
	}
	if (v->tui) {
		cbreak();
		noecho();
		nodelay(stdscr, TRUE);
		keypad(stdscr, TRUE);
		set_escdelay(25);	/* Esc clears a filter now, not in a second */
		curs_set(0);
		v->colour = want_colour();
		if (v->colour) {
			start_color();
			use_default_colors();	/* -1: the terminal's own background */
			init_pair(C_RED, COLOR_RED, -1);
			init_pair(C_YELLOW, COLOR_YELLOW, -1);
			init_pair(C_MAGENTA, COLOR_MAGENTA, -1);
			init_pair(C_CYAN, COLOR_CYAN, -1);
		}
	}
	return v;
}

void dashboard_free(struct dashboard *v)
{
	if (!v)
		return;
	if (v->tui)
		endwin();	/* the terminal as it was */
	if (v->scr)
		delscreen(v->scr);
	if (v->tty)
		fclose(v->tty);
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

/* a colour pair's attribute, or nothing on a terminal without colour */
static int col(const struct dashboard *v, int pair)
{
	return v->colour ? COLOR_PAIR(pair) : 0;
}

/* "0", or "12 (ring 10, kprobe 2)": the total and its parts */
static const char *lost_text(const struct model_stats *st, char *buf, size_t size)
{
	size_t off = snprintf(buf, size, "%" PRIu64, st->lost);

	if (off < size)
		lost_causes_text(st->lost_by, buf + off, size - off);
	return buf;
}

/*
 * Where the run is, in seconds since the trace's start (lib/tclock.h):
 * live, now; a replay, its newest event's time.
 */
static double run_at(const struct dashboard *v, const struct model_stats *st)
{
	if (v->o.replay)
		return st->last_ns ? tclock_secs(st->last_ns) : 0;
	return tclock_is_set() ? tclock_secs(mono_ns()) : (mono_ns() - v->started) / 1e9;
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

/* Columns s takes: one per UTF-8 character (all we print are one wide). */
static int width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/*
 * s at (y, x) in attr, cut at the screen's right edge: a line never runs
 * into the next row.  Returns the column after it.
 */
static int put(int y, int x, int attr, const char *s)
{
	int w = 0;
	size_t n = 0;

	if (y < 0 || y >= LINES || x >= COLS)
		return x;
	while (s[n] && w < COLS - x) {
		n++;
		while (((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
		w++;
	}
	attron(attr);
	mvaddnstr(y, x, s, n);
	attroff(attr);
	return x + w;
}

static int __attribute__((format(printf, 4, 5)))
putf(int y, int x, int attr, const char *fmt, ...)
{
	char buf[LINE_MAX_BYTES];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(y, x, attr, buf);
}

/*
 * s escaped (lib/escape.h) in w columns: its tail when too long, after its
 * instance when it has one: "instances/#2/…/sched/sched_switch".
 */
static const char *tail(const char *s, int w, char *buf, size_t size)
{
	char e[ESC_MAX];
	const char *p = esc(e, sizeof(e), s), *cut;
	int have = width(p), head = 0;

	if (have <= w) {
		snprintf(buf, size, "%s", p);
		return buf;
	}
	/* keep "instances/#N/" if there is room for a tail after it */
	if (!strncmp(p, "instances/", 10) && (cut = strchr(p + 10, '/')) &&
	    (int)(cut + 1 - p) + 12 <= w)
		head = cut + 1 - p;
	cut = p + head;
	if (w < head + 2)
		w = head + 2;
	for (have -= head; have > w - head - 1; have--) {
		cut++;
		while (((unsigned char)*cut & 0xc0) == 0x80)
			cut++;
	}
	snprintf(buf, size, "%.*s\u2026%s", head, p, cut);
	return buf;
}

/*
 * Parts of one line, joined by sep, in attr (and each its own colour);
 * while the line is wider than the screen, the part least important
 * (highest drop) goes first; what still does not fit is cut.
 */
struct part {
	char text[640];
	int drop;	/* 0: never dropped */
	int attr;
	bool on;
};

static void put_parts(int y, int x, int attr, struct part *p, int n, const char *sep)
{
	for (;;) {
		int w = x, worst = -1;

		for (int i = 0, first = 1; i < n; i++) {
			if (!p[i].on || !p[i].text[0])
				continue;
			w += (first ? 0 : width(sep)) + width(p[i].text);
			first = 0;
			if (p[i].drop && (worst < 0 || p[i].drop > p[worst].drop))
				worst = i;
		}
		if (w <= COLS || worst < 0)
			break;
		p[worst].on = false;
	}
	for (int i = 0, first = 1; i < n; i++) {
		if (!p[i].on || !p[i].text[0])
			continue;
		if (!first)
			x = put(y, x, attr, sep);
		first = 0;
		x = put(y, x, attr | p[i].attr, p[i].text);
	}
}

#define PART(p, d, a, ...)                                                    \
	do {                                                                  \
		snprintf((p)->text, sizeof((p)->text), __VA_ARGS__);          \
		(p)->drop = (d);                                              \
		(p)->attr = (a);                                              \
		(p)->on = true;                                               \
	} while (0)

/* A sparkline of n values, scaled to their maximum, from the cursor on. */
static void spark(const uint32_t *vals, int n, int w)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					     "\u2585", "\u2586", "\u2587", "\u2588" };
	uint32_t max = 0;

	if (n > w) {
		vals += n - w;
		n = w;
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

/* ---- the eventfs_inodes, in the order that leads to the problem ---- */

/* Time an ei is or was held since its removal: to its release, or to now. */
static double held_ns(const struct ei_view *e, uint64_t now)
{
	if (!e->removed_ns || e->state == EI_LIVE)
		return -1;
	if (e->state == EI_RELEASED)
		return e->released_ns >= e->removed_ns ? (double)(e->released_ns - e->removed_ns) : -1;
	return now >= e->removed_ns ? (double)(now - e->removed_ns) : 0;
}

/*
 * What needs attention first: removed and still referenced, then removed
 * and not released past --release-timeout, then the rest of the removed
 * (waiting for their release), then the live ones, then the released: the
 * ones that were removed while referenced first.
 */
static int ei_rank(const struct ei_view *e)
{
	switch (e->state) {
	case EI_REMOVED:
		return e->refcount > 0 ? 0 : e->not_released ? 1 : 2;
	case EI_LIVE:
		return 3;
	default:
		return e->removed_referenced ? 4 : 5;
	}
}

static double ei_key(const struct ei_view *e, enum sort_key k, uint64_t now)
{
	switch (k) {
	case SORT_ATTENTION:
		/* within a rank: the longest held first; live ones by refcount */
		return ei_rank(e) == 3 ? e->refcount : held_ns(e, now);
	case SORT_REFS:
		return e->refcount;
	case SORT_AGE:
		return e->created_ns ? (double)(now - e->created_ns) : 1e30;
	case SORT_HELD:
		return held_ns(e, now);
	default:
		return 0;
	}
}

static enum sort_key cmp_key;
static uint64_t cmp_now;

static int cmp_ei(const void *a, const void *b)
{
	const struct ei_view *p = a, *q = b;
	double x, y;

	if (cmp_key == SORT_ATTENTION && ei_rank(p) != ei_rank(q))
		return ei_rank(p) - ei_rank(q);
	x = ei_key(p, cmp_key, cmp_now);
	y = ei_key(q, cmp_key, cmp_now);
	return x < y ? 1 : x > y ? -1 : strcmp(p->path, q->path);
}

static int collect_eis(struct dashboard *v, uint64_t now)
{
	struct ei_iter it = {};
	size_t n = 0;

	/*
	 * Every ei, not the first few thousand: the newest, made last in
	 * creation order, are often the ones that need attention.
	 */
	for (;;) {
		if (n == v->rows_cap) {
			struct ei_view *r = realloc(v->rows, 2 * v->rows_cap * sizeof(*r));

			if (!r)
				break;	/* no memory: the rows we have */
			v->rows = r;
			v->rows_cap *= 2;
		}
		if (!model_ei_next(v->m, &it, &v->rows[n]))
			break;
		/* --ei, --path: only theirs; the / filter within them */
		if (matches(v, v->rows[n].path) && model_ei_selected(v->m, &v->rows[n]))
			n++;
	}
	cmp_key = v->sort;
	cmp_now = now;
	qsort(v->rows, n, sizeof(*v->rows), cmp_ei);
	return n;
}

/*
 * The cursor of a panel of n rows: a key moved it, or it follows the ei
 * it was on; always on a row, and shown within h rows from scroll.
 */
static void cursor_fit(struct dashboard *v, enum panel p, int n, int h)
{
	int *c = &v->cursor[p], *s = &v->scroll[p];

	v->n_rows[p] = n;
	if (*c >= n)
		*c = n - 1;
	if (*c < 0)
		*c = 0;
	if (h < 1)
		h = 1;
	if (*c < *s)
		*s = *c;
	if (*c >= *s + h)
		*s = *c - h + 1;
	if (*s > n - h)
		*s = n - h > 0 ? n - h : 0;
	if (*s < 0)
		*s = 0;
}

/* The ei rows, sorted, and the cursor on the selected one. */
static int ei_rows(struct dashboard *v, uint64_t now)
{
	int n = collect_eis(v, now);

	if (v->moved[P_EI])
		v->ei_pinned = true;
	else if (v->ei_pinned && v->ei_sel) {
		for (int i = 0; i < n; i++) {
			if (v->rows[i].id == v->ei_sel) {
				v->cursor[P_EI] = i;
				break;
			}
		}
	}
	v->moved[P_EI] = false;
	/* on a row; the scroll is draw()'s, which knows the panel's height */
	if (v->cursor[P_EI] >= n)
		v->cursor[P_EI] = n - 1;
	if (v->cursor[P_EI] < 0)
		v->cursor[P_EI] = 0;
	v->ei_sel = n ? v->rows[v->cursor[P_EI]].id : 0;
	return n;
}

/* The inode numbers' groups of the kind shown, those the filter matches. */
static int group_rows(struct dashboard *v, const struct ino_group **g, int max)
{
	int n = model_ino_groups(v->m, v->by, g, max), k = 0;

	for (int i = 0; i < n; i++)
		if (matches(v, g[i]->name))
			g[k++] = g[i];
	return k;
}

/* Newest first; the filter looks at the kind and the text. */
static int anomaly_rows(struct dashboard *v, const struct anomaly **an, int max)
{
	const struct anomaly *all[MAX_ANOMALY_ROWS];
	int n = model_anomalies(v->m, all, ARRAY_SIZE(all)), k = 0;

	for (int i = n - 1; i >= 0 && k < max; i--)
		if (matches(v, all[i]->text) || matches(v, anomaly_name(all[i]->kind)))
			an[k++] = all[i];
	return k;
}

static int anomaly_colour(const struct dashboard *v, enum anomaly_kind k)
{
	switch (k) {
	case A_DUP_INO:
		return col(v, C_YELLOW);
	case A_EI_NOT_RELEASED:
	case A_DENTRY_OUTLIVES_EI:
		return col(v, C_MAGENTA);
	case A_SECOND_DENTRY:
		return col(v, C_CYAN);
	default:	/* removed while referenced, lookups after removal, negative counts */
		return col(v, C_RED) | A_BOLD;
	}
}

static const char *ei_state_text(const struct ei_view *e)
{
	return e->not_released ? "not released" : ei_state_name(e->state);
}

static int ei_colour(const struct dashboard *v, const struct ei_view *e)
{
	switch (ei_rank(e)) {
	case 0:
		return col(v, C_RED) | A_BOLD;
	case 1:
		return col(v, C_MAGENTA) | A_BOLD;
	case 2:
		return col(v, C_YELLOW);
	default:
		return 0;
	}
}

static void title(struct dashboard *v, int y, enum panel p, const char *text)
{
	put(y, 0, A_BOLD | (v->focus == p ? A_REVERSE : 0), text);
}

/* The row marker: the cursor of the panel in focus is ">" and reversed. */
static int row_attr(const struct dashboard *v, enum panel p, int i, int y)
{
	if (v->focus != p || v->cursor[p] != i)
		return 0;
	put(y, 0, A_BOLD, ">");
	return A_REVERSE;
}

/* "at 1.234567": a time on the one clock (lib/tclock.h) */
static char *at_text(char *buf, size_t size, uint64_t ts_ns)
{
	char t[TCLOCK_LEN];

	snprintf(buf, size, "at %s", tclock_fmt(t, sizeof(t), ts_ns, 6));
	return buf;
}

static void draw_ei_details(struct dashboard *v, int rows)
{
	static const char *const ops[] = { [ET_EI_CREATE] = "create", [ET_EI_GET] = "get",
					   [ET_EI_PUT] = "put", [ET_EI_REMOVE] = "remove",
					   [ET_EI_RELEASE] = "release" };
	struct ei_view e;
	char a[40], b[40], c[40], t[TCLOCK_LEN], p[ESC_MAX];
	int y = 2, x;

	if (!model_ei_find(v->m, v->detail_ei, &e)) {
		v->detail = D_NONE;
		return;
	}
	title(v, 1, P_EI, "EVENTFS_INODE");
	putf(y++, 0, ei_colour(v, &e), "%s  ei %016" PRIx64 "  ino %" PRIu64 "  %s  refcount %" PRId64,
	     esc(p, sizeof(p), e.path), e.id, e.ino, ei_state_text(&e), e.refcount);
	putf(y++, 0, 0, "created %s  removed %s  released %s (%s)",
	     e.created_seen ? at_text(a, sizeof(a), e.created_ns) : "before tracing",
	     e.removed_ns ? at_text(b, sizeof(b), e.removed_ns) : "no",
	     e.released_ns ? at_text(c, sizeof(c), e.released_ns) : "no",
	     tclock.wall ? "times of day, UTC" : "seconds since the trace's start");
	x = putf(y, 0, 0, "holders (%u):", e.n_holders + e.holders_more);
	for (uint32_t i = 0; i < e.n_holders; i++)
		x = putf(y, x, 0, " %016" PRIx64, e.holders[i]);
	y += 2;
	putf(y++, 0, 0, "refcount history (%u kept, %" PRIu64 " older dropped):", e.n_history,
	     e.history_dropped);
	for (int i = (int)e.n_history - 1; i >= 0 && y < rows - 1; i--, y++) {
		const struct ei_change *h = &e.history[i];

		putf(y, 2, 0, "%s  %-7s -> %d%s%s%s", tclock_fmt(t, sizeof(t), h->ts_ns, 6),
		     h->op < ET_TYPE_MAX && ops[h->op] ? ops[h->op] : "?", h->refcount,
		     h->dentry ? (snprintf(a, sizeof(a), "  dentry %016" PRIx64, h->dentry), a) : "",
		     h->gap ? "  (gap: events missing before)" : "", "");
	}
}

struct paths_ctx {
	int y, end, more;
};

static int put_path(void *ctx, uint64_t id, const char *path)
{
	struct paths_ctx *c = ctx;
	char t[ESC_MAX];

	if (c->y >= c->end) {
		c->more++;
		return 0;
	}
	putf(c->y++, 2, 0, "%s  (id %" PRIu64 ")", esc(t, sizeof(t), path), id);
	return 0;
}

/*
 * A cgroup group's cgroups, from row y, before row end: a container's
 * scopes, or the path itself (the name is its tail when long).  The next
 * row.
 */
static int cgroup_paths(struct dashboard *v, int y, int end, const char *name)
{
	struct paths_ctx c = { .y = y, .end = end > y + 1 ? end : y + 1 };

	if (!v->o.cgroups)
		return y;
	cgroups_each_named(v->o.cgroups, name, put_path, &c);
	if (c.more)
		putf(c.y++, 2, 0, "and %d more", c.more);
	return c.y;
}

static void draw_details(struct dashboard *v, int rows)
{
	const struct ino_group *g[64];
	char a[40], b[40], t[ESC_MAX];
	int n, y = 2;

	switch (v->detail) {
	case D_EI:
		draw_ei_details(v, rows);
		return;
	case D_GROUP:
		title(v, 1, P_INO, "INODE NUMBERS");
		n = model_ino_groups(v->m, v->detail_by, g, ARRAY_SIZE(g));
		for (int i = 0; i < n; i++) {
			if (strcmp(g[i]->name, v->detail_group))
				continue;
			putf(y++, 0, 0, "%s = %s", group_by_name(v->detail_by),
			     esc(t, sizeof(t), g[i]->name));
			if (v->detail_by == BY_CGROUP)
				y = cgroup_paths(v, y, rows / 3, g[i]->name);
			putf(y++, 0, 0, "%" PRIu64 " inode numbers allocated, %.1f/s (smoothed), "
			     "%" PRIu64 " in this interval", g[i]->total, g[i]->rate, g[i]->interval);
			putf(y++, 0, 0, "per interval, the last %d, oldest first:", MODEL_RATE_HISTORY);
			for (int k = 0, x = 2; k < MODEL_RATE_HISTORY; k++) {
				if (x + 7 > COLS) {
					y++;
					x = 2;
				}
				x = putf(y, x, 0, "%6u ", g[i]->history[k]);
			}
			return;
		}
		v->detail = D_NONE;
		return;
	case D_FS: {
		const struct fs_life *l = &v->life[v->detail_fs];

		title(v, 1, P_DENTRY, "DENTRY LIFETIMES");
		putf(y++, 0, 0, "%s: %" PRIu64 " dentries freed, lifetimes (usecs, log2 buckets):",
		     esc(t, sizeof(t), l->fs), l->n);
		for (int k = 0; k < 64 && y < rows - 1; k++)
			if (l->b[k])
				putf(y++, 2, 0, "%10s .. %-10s %" PRIu64,
				     dur(k ? (1ull << (k - 1)) / 1e6 : 0, a, sizeof(a)),
				     dur(k ? ((1ull << k) - 1) / 1e6 : 0, b, sizeof(b)), l->b[k]);
		return;
	}
	case D_ANOMALY:
		title(v, 1, P_ANOMALY, "ANOMALY");
		putf(y++, 0, anomaly_colour(v, v->detail_anomaly.kind), "%s %s",
		     anomaly_name(v->detail_anomaly.kind),
		     at_text(a, sizeof(a), v->detail_anomaly.ts_ns));
		esc(t, sizeof(t), v->detail_anomaly.text);
		/* the whole text, folded at the screen's width */
		for (const char *p = t; *p && y < rows - 1; y++) {
			int w = 0;
			size_t k = 0;

			while (p[k] && w < COLS) {
				k++;
				while (((unsigned char)p[k] & 0xc0) == 0x80)
					k++;
				w++;
			}
			mvaddnstr(y, 0, p, k);
			p += k;
		}
		return;
	default:
		return;
	}
}

static void draw_help(int rows)
{
	static const char *const lines[] = {
		"q        quit (Ctrl-C too): restore the terminal, print the summary",
		"p        pause / resume the display (a replay pauses too)",
		"s        cycle the eventfs_inode sort: attention, refcount, age, held",
		"b        cycle the inode numbers' groups: mount, fs, caller, comm,",
		"         cgroup (live, counted in the kernel: mount, fs and --by's)",
		"/        filter groups, eventfs paths and anomalies; Esc clears",
		"Tab      move focus between panels (Shift-Tab back)",
		"j k      move the cursor (>), arrows too; PgUp PgDn a page; g G ends",
		"Enter    open the row under the cursor: an ei's history and holders,",
		"         a group's rates (a cgroup's paths), a filesystem's lifetimes,",
		"         an anomaly's ei; Enter or Esc closes it",
		"+ / -    replay: double / halve the speed",
		"?        this help (any key closes it)",
		"",
		"attention: removed and still referenced (longest held first), then",
		"removed and not released past --release-timeout, removed, live by",
		"refcount, released last.  ! marks an ei removed while referenced;",
		"HELD is the time since removal, or from removal to release.",
		"Colour: red held, magenta not released, yellow removed; NO_COLOR=1",
		"turns it off.",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines) && (int)i + 3 < rows - 1; i++)
		put(3 + i, 2, 0, lines[i]);
}

static void draw_header(struct dashboard *v, const struct model_stats *st)
{
	struct part p[9] = {};
	char a[32], b[96], t[ESC_MAX];

	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	attroff(A_REVERSE);
	/* in order on the line; drop: the least important goes first when narrow */
	PART(&p[0], 0, 0, " evtrace");
	PART(&p[1], 8, 0, "%s", v->o.kernel);
	PART(&p[2], 9, 0, "%s", v->o.probes);
	PART(&p[3], 5, 0, "%.0f ev/s", v->ev_rate);
	PART(&p[4], 0, st->lost ? col(v, C_RED) | A_BOLD : 0, "lost %s",
	     lost_text(st, b, sizeof(b)));
	PART(&p[5], 7, 0, "%s%s", v->o.filters[0] ? "filters: " : "no filters", v->o.filters);
	PART(&p[6], 4, 0, "%s%s%s", v->o.replay ? "replay at " : "elapsed ",
	     dur(run_at(v, st), a, sizeof(a)),
	     !v->o.replay ? "" : v->o.speed && *v->o.speed > 0 ? "" : " (max speed)");
	if (v->o.replay && v->o.speed && *v->o.speed > 0)
		PART(&p[7], 6, 0, "x%g", *v->o.speed);
	PART(&p[8], 0, A_BOLD, "%s%s", v->paused ? "[PAUSED]" : "",
	     v->ended ? (v->paused ? " [END OF FILE]" : "[END OF FILE]") : "");
	/* a kernel string or a file name comes from outside */
	snprintf(p[1].text, sizeof(p[1].text), "%s", esc(t, sizeof(t), v->o.kernel));
	esc(t, sizeof(t), v->o.filters);
	snprintf(p[5].text, sizeof(p[5].text), "%s%.600s", v->o.filters[0] ? "filters: " : "no filters", t);
	put_parts(0, 0, A_REVERSE, p, ARRAY_SIZE(p), " | ");
}

static void draw(struct dashboard *v)
{
	const struct ino_group *g[64];
	const struct anomaly *an[MAX_ANOMALY_ROWS];
	struct model_stats st;
	struct part p[8] = {};
	int rows, cols, y = 0, n, h, ei_end, pw, nw, kw;
	uint64_t now;
	char a[32], b[96], t[ESC_MAX], ts[TCLOCK_LEN];

	getmaxyx(stdscr, rows, cols);
	erase();
	model_get_stats(v->m, &st);
	now = st.last_ns;
	draw_header(v, &st);
	if (v->help) {
		draw_help(rows);
		goto footer;
	}
	if (v->detail) {
		draw_details(v, rows);
		if (v->detail)
			goto footer;
	}
	y = 1;
	snprintf(b, sizeof(b), "%u", st.ino_max);
	PART(&p[0], 0, 0, "INODE NUMBERS");
	PART(&p[1], 0, 0, "%" PRIu64 " allocated", st.ino_allocs);
	PART(&p[2], 2, 0, "highest %s", b);
	PART(&p[3], 4, 0, "(global counter within a few 1024-batches)");
	PART(&p[4], 1, 0, "%.1f/s", st.ino_rate);
	PART(&p[5], 3, 0, "wraps in %s",
	     model_wrap_eta(v->m) < 0 ? "?" : dur(model_wrap_eta(v->m), a, sizeof(a)));
	p[0].attr = A_BOLD | (v->focus == P_INO ? A_REVERSE : 0);
	put_parts(y++, 0, 0, p, 6, "  ");
	n = group_rows(v, g, ARRAY_SIZE(g));
	h = rows / 4;
	if (h > n)
		h = n;
	cursor_fit(v, P_INO, n, h);
	/* "cgroup = NAME", as hist heads its groups; the name takes what is left */
	nw = cols - 2 - 23 - 16;
	nw = nw < 28 ? 28 : nw > 64 ? 64 : nw;
	kw = strlen(group_by_name(v->by)) + 3;
	for (int i = v->scroll[P_INO]; i < n && i < v->scroll[P_INO] + h; i++, y++) {
		int at = row_attr(v, P_INO, i, y), x;

		x = putf(y, 2, at, "%s = %s", group_by_name(v->by),
			 tail(g[i]->name, nw - kw, t, sizeof(t)));
		/* padded by columns: a cut name's "…" is one column, three bytes */
		while (x < 2 + nw)
			x = put(y, x, at, " ");
		x = putf(y, x, at, " %8.1f/s %9" PRIu64 "  ", g[i]->rate, g[i]->total);
		if (cols - x > 0) {
			move(y, x);
			spark(g[i]->history, MODEL_RATE_HISTORY, cols - x);
		}
	}
	y++;
	n = ei_rows(v, now);
	memset(p, 0, sizeof(p));
	title(v, y, P_EI, "EVENTFS_INODES");
	PART(&p[1], 1, 0, "%" PRIu64 " tracked", st.eis);
	PART(&p[2], 0, st.eis_removed_referenced ? col(v, C_RED) : 0,
	     "%" PRIu64 " removed while referenced", st.eis_removed_referenced);
	PART(&p[3], 3, st.dentries_on_removed_eis ? col(v, C_RED) : 0,
	     "%" PRIu64 " dentries holding removed ones", st.dentries_on_removed_eis);
	PART(&p[4], 2, 0, "sort: %s", sort_names[v->sort]);
	if (v->filter[0])
		PART(&p[5], 0, 0, "filter: %s", v->filter);
	put_parts(y++, width("EVENTFS_INODES  "), 0, p, 6, ", ");
	/* the path takes what the fixed columns leave */
	pw = cols - 2 - (1 + 5 + 1 + 12 + 1 + 7 + 1 + 7);
	if (pw < 12)
		pw = 12;
	putf(y++, 2, A_BOLD, "%-*s %5s %-12s %7s %7s", pw, "PATH", "REFS", "STATE", "AGE", "HELD");
	/* leave room below for the dentry panel and a few anomalies */
	ei_end = rows - 1 - (v->n_life + 3) - 5;
	h = ei_end - y;
	cursor_fit(v, P_EI, n, h);
	for (int i = v->scroll[P_EI]; i < n && y < ei_end; i++, y++) {
		struct ei_view *e = &v->rows[i];
		double held = held_ns(e, now);
		int at = row_attr(v, P_EI, i, y);

		if (e->removed_referenced)
			put(y, 1, col(v, C_RED) | A_BOLD, "!");
		putf(y, 2, at | ei_colour(v, e), "%-*s %5" PRId64 " %-12s %7s %7s", pw,
		     tail(e->path, pw, t, sizeof(t)), e->refcount, ei_state_text(e),
		     e->created_seen ? dur((now - e->created_ns) / 1e9, a, sizeof(a)) : "?",
		     held >= 0 ? dur(held / 1e9, b, sizeof(b)) : "");
	}
	y++;
	title(v, y++, P_DENTRY, "DENTRY LIFETIMES");
	h = rows - 3 - y;
	cursor_fit(v, P_DENTRY, v->n_life, h);
	for (int i = v->scroll[P_DENTRY]; i < v->n_life && y < rows - 3; i++, y++)
		putf(y, 2, row_attr(v, P_DENTRY, i, y), "%-16s n=%-8" PRIu64 " p50<=%-8s p99<=%-8s",
		     esc(t, sizeof(t), v->life[i].fs), v->life[i].n,
		     dur(life_pct(&v->life[i], 0.5) / 1e6, a, sizeof(a)),
		     dur(life_pct(&v->life[i], 0.99) / 1e6, b, sizeof(b)));
	putf(y++, 2, st.dentries_on_removed_eis ? col(v, C_RED) : 0,
	     "%" PRIu64 " dentries alive after their eventfs_inode was removed",
	     st.dentries_on_removed_eis);
	y++;
	title(v, y++, P_ANOMALY, "ANOMALIES");
	n = anomaly_rows(v, an, ARRAY_SIZE(an));
	h = rows - 1 - y;
	cursor_fit(v, P_ANOMALY, n, h);
	for (int i = v->scroll[P_ANOMALY]; i < n && y < rows - 1; i++, y++) {
		int at = row_attr(v, P_ANOMALY, i, y), x;

		x = putf(y, 2, at, "%s ", tclock_fmt(ts, sizeof(ts), an[i]->ts_ns, 3));
		x = putf(y, x, at | anomaly_colour(v, an[i]->kind), "%s", anomaly_name(an[i]->kind));
		putf(y, x, at, ": %s", esc(t, sizeof(t), an[i]->text));
	}
footer:
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	attroff(A_REVERSE);
	if (v->typing) {
		putf(rows - 1, 0, A_REVERSE, " filter: %s_  (Enter applies, Esc clears)", v->filter);
	} else {
		struct part k[10] = {};

		PART(&k[0], 0, 0, " q quit");
		PART(&k[1], 3, 0, "p pause");
		PART(&k[2], 2, 0, "s sort");
		PART(&k[3], 3, 0, "b group");
		PART(&k[4], 2, 0, "/ filter");
		PART(&k[5], 1, 0, "Tab panel");
		PART(&k[6], 4, 0, "j/k move");
		PART(&k[7], 1, 0, "Enter open");
		if (v->o.replay)
			PART(&k[8], 5, 0, "+/- speed");
		PART(&k[9], 0, 0, "? help");
		put_parts(rows - 1, 0, A_REVERSE, k, ARRAY_SIZE(k), "  ");
	}
	refresh();
}

/* Enter: open the row under the cursor of the panel in focus. */
static void open_row(struct dashboard *v)
{
	const struct ino_group *g[64];
	const struct anomaly *an[MAX_ANOMALY_ROWS];
	struct model_stats st;
	struct ei_view e;
	int n, c = v->cursor[v->focus];

	model_get_stats(v->m, &st);
	switch (v->focus) {
	case P_INO:
		n = group_rows(v, g, ARRAY_SIZE(g));
		if (c < n) {
			snprintf(v->detail_group, sizeof(v->detail_group), "%s", g[c]->name);
			v->detail_by = v->by;
			v->detail = D_GROUP;
		}
		break;
	case P_EI:
		/* the rows as drawn, with the cursor moved by the keys before this one */
		n = ei_rows(v, st.last_ns);
		if (n) {
			v->detail_ei = v->rows[v->cursor[P_EI]].id;
			v->detail = D_EI;
		}
		break;
	case P_DENTRY:
		if (c < v->n_life) {
			v->detail_fs = c;
			v->detail = D_FS;
		}
		break;
	case P_ANOMALY:
		n = anomaly_rows(v, an, ARRAY_SIZE(an));
		if (c >= n)
			break;
		/* an anomaly about an ei opens the ei */
		if (model_ei_find(v->m, an[c]->obj, &e)) {
			v->detail_ei = e.id;
			v->detail = D_EI;
		} else {
			v->detail_anomaly = *an[c];
			v->detail = D_ANOMALY;
		}
		break;
	default:
		break;
	}
}

static void move_cursor(struct dashboard *v, int by)
{
	int *c = &v->cursor[v->focus], last = v->n_rows[v->focus] - 1;

	/* keys come faster than draws: G then k is the row above the last */
	*c = by > last - *c ? last : by < -*c ? 0 : *c + by;
	if (*c < 0)
		*c = 0;
	v->moved[v->focus] = true;	/* draw() brings it back onto the rows */
}

/*
 * b: the next kind of group the inode numbers can be shown by (those the
 * kernel's counts carry, live); the panel's cursor back on its first row.
 */
static void next_group_kind(struct dashboard *v)
{
	for (int i = 1; i < BY_MAX; i++) {
		enum group_by k = (v->by + i) % BY_MAX;

		if (!v->o.by_kinds || (v->o.by_kinds & (1u << k))) {
			v->by = k;
			break;
		}
	}
	v->cursor[P_INO] = v->scroll[P_INO] = 0;
}

static void key(struct dashboard *v, int ch)
{
	int page = LINES / 4 > 1 ? LINES / 4 : 1;

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
		for (int p = 0; p < P_MAX; p++)
			v->cursor[p] = v->scroll[p] = 0;
		v->ei_sel = 0;
		v->ei_pinned = false;
		return;
	}
	if (v->help) {
		v->help = false;
		return;
	}
	switch (ch) {
	case 'q':
		/* as pipeline_stop(): after a second interrupt, q must not undo its drop */
		if (!*v->o.stop)
			*v->o.stop = 1;
		break;
	case 'p':
		v->paused = !v->paused;
		break;
	case 's':
		v->sort = (v->sort + 1) % SORT_MAX;
		break;
	case 'b':
		next_group_kind(v);
		break;
	case '/':
		v->typing = true;
		v->filter[0] = 0;
		break;
	case 27:
		v->filter[0] = 0;
		v->detail = D_NONE;
		break;
	case '\t':
		v->focus = (v->focus + 1) % P_MAX;
		break;
	case KEY_BTAB:
		v->focus = (v->focus + P_MAX - 1) % P_MAX;
		break;
	case KEY_DOWN:
	case 'j':
		move_cursor(v, 1);
		break;
	case KEY_UP:
	case 'k':
		move_cursor(v, -1);
		break;
	case KEY_NPAGE:
		move_cursor(v, page);
		break;
	case KEY_PPAGE:
		move_cursor(v, -page);
		break;
	case KEY_HOME:
	case 'g':
		move_cursor(v, -(1 << 30));
		break;
	case KEY_END:
	case 'G':
		move_cursor(v, 1 << 30);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (v->detail)
			v->detail = D_NONE;
		else
			open_row(v);
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
	       run_at(v, &st), st.events, v->ev_rate, st.lost, st.ino_allocs,
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
	/* live, the host's tree; replayed, the recording's table, which it adds to */
	r->o.cgroups = p->s.cgroups;
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
		.sample_kinds = 1u << S_DENTRY_LIFE,	/* dashboard_sample()'s one kind */
		.finish = run_finish,
	};
	return &r->sink;
}
