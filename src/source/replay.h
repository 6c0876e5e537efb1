/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The file source: a recording replayed into any sink. */
#ifndef EVTRACE_REPLAY_H
#define EVTRACE_REPLAY_H

#include <signal.h>

#include "source/ring.h"
#include "source/probes.h"
#include "pipeline/session.h"

struct replay_opts {
	const char *path;
	double speed;			/* N times real time; 0: as fast as possible */
	double from_s, to_s;		/* seconds since the recording began; 0: unset */
	struct filters *filters;	/* applied in userspace, as the kernel would */
	struct session *s;		/* gets the recording's mount tables; may be NULL */
	rec_sink_fn sink;
	void *ctx;
	void (*tick)(void *ctx);	/* while pacing; may be NULL */
	volatile sig_atomic_t *stop;
	const bool *paused;		/* the live view's p: hold the replay */
};

/* An EXIT_* status; damage in the file is reported, not fatal. */
int replay_run(const struct replay_opts *o, struct et_stats *stats);

/* --speed, --max, --from, --to */
#define REPLAY_LONGOPTS							\
	{ "speed", required_argument, NULL, OPT_SPEED },		\
	{ "max", no_argument, NULL, OPT_MAX },				\
	{ "from", required_argument, NULL, OPT_FROM },			\
	{ "to", required_argument, NULL, OPT_TO }

#define REPLAY_OPTS_HELP						\
	"      --speed N        replay a FILE at N times real time (default: --max)\n" \
	"      --max            replay a FILE as fast as possible\n"	\
	"      --from SEC, --to SEC  only the events in this window, in seconds since\n" \
	"                       the recording began\n"

/* 1 if c was a replay option (applied to o), 0 if not, -1 on a bad value. */
int replay_opt(int c, const char *arg, struct replay_opts *o);

#endif
