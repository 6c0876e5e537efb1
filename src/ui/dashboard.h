/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live view: a full-screen dashboard of the model (ncurses). */
#ifndef EVTRACE_VIEW_LIVE_H
#define EVTRACE_VIEW_LIVE_H

#include <signal.h>
#include <stdbool.h>

#include "pipeline/session.h"

struct live_view_opts {
	bool tui;			/* false: --no-tui, a summary line per interval */
	double interval;		/* seconds between redraws */
	bool replay;
	double *speed;			/* replay: + and - change it; NULL live */
	volatile sig_atomic_t *stop;	/* q sets it */
	char kernel[128];
	char probes[96];		/* "12 probes (12 fentry, 0 kprobe, 0 missing)" */
	char filters[512];
};

struct live_view;

/* Takes over the terminal if stdout and stdin are one and tui is set. */
struct live_view *live_view_new(struct session *s, const struct live_view_opts *o);
/* Keys, and a redraw when the interval has passed; call often. */
void live_view_tick(struct live_view *v);
/* p toggles it; the replay source holds while it is set */
const bool *live_view_paused(const struct live_view *v);
/* The model's samples: the view keeps dentry lifetimes per filesystem. */
void live_view_sample(struct live_view *v, const struct sample *smp);
bool live_view_is_tui(const struct live_view *v);
/* A replay reached the end of its file: say so in the header. */
void live_view_end(struct live_view *v);
/* Restores the terminal. */
void live_view_free(struct live_view *v);

#endif
