/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live view: a full-screen dashboard of the model (ncurses). */
#ifndef EVTRACE_UI_DASHBOARD_H
#define EVTRACE_UI_DASHBOARD_H

#include <signal.h>
#include <stdbool.h>

#include "model/model.h"
#include "pipeline/sink.h"

struct dashboard_opts {
	bool tui;			/* false: --no-tui, a summary line per interval */
	double interval;		/* seconds between redraws */
	bool replay;
	double *speed;			/* replay: + and - change it; NULL live */
	volatile sig_atomic_t *stop;	/* q sets it */
	bool keys_from_tty;		/* standard input is the recording (live -): keys from /dev/tty */
	char kernel[128];
	char probes[160];		/* "attached 12 probes (12 fentry, 0 kprobe, 0 missing)" */
	char filters[512];
	enum group_by by;		/* the inode numbers' groups (--by); b cycles them */
	/*
	 * The group kinds b goes through, a bit each (1u << BY_*); 0: all.
	 * Live, counted in the kernel: mount, fs and --by's, the only keys
	 * the kernel's counts carry.
	 */
	unsigned int by_kinds;
	struct cgroups *cgroups;	/* names a cgroup group's paths (Enter); may be NULL */
};

struct dashboard;

/*
 * Takes over the terminal if stdout and stdin are one and tui is set (or,
 * with keys_from_tty, stdout and /dev/tty, as less reads its keys).
 */
struct dashboard *dashboard_new(const struct model *m, const struct dashboard_opts *o);
/* Keys, and a redraw when the interval has passed; call often. */
void dashboard_tick(struct dashboard *v);
/* p toggles it; the replay source holds while it is set */
const bool *dashboard_paused(const struct dashboard *v);
/* The model's samples: the view keeps dentry lifetimes per filesystem. */
void dashboard_sample(struct dashboard *v, const struct sample *smp);
/* A replay reached the end of its file: say so in the header. */
void dashboard_end(struct dashboard *v);
/* Restores the terminal. */
void dashboard_free(struct dashboard *v);

/*
 * The live view as a sink.  The screen is taken only once the source is
 * up, so "cannot attach" or a bad file, and their exit status 2, reach a
 * normal terminal; at the end of a replay it stays until q, as a pager's.
 */
struct dashboard_run {
	struct sink sink;
	struct dashboard_opts o;
	struct dashboard *d;
};

struct sink *dashboard_sink(struct dashboard_run *r);

#endif
