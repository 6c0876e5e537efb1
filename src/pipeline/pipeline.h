/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pipeline: a source (the ring buffer of attached probes, or a
 * recording) -> the session (the model, the histogram) -> sinks.  Every
 * command that consumes events builds one: it parses its options, adds
 * its sinks, runs it, and prints what the model found.
 *
 *	ring buffer (source/ring.c) --\
 *	                               >-- session (model, hist) --> sinks
 *	trace file (source/replay.c) -/
 */
#ifndef EVTRACE_PIPELINE_H
#define EVTRACE_PIPELINE_H

#include <signal.h>
#include <stdbool.h>

#include "event/stream.h"
#include "pipeline/session.h"
#include "pipeline/sink.h"
#include "source/probes.h"
#include "source/replay.h"

struct pipeline_opts {
	const char *file;		/* a recording; NULL: live probes */
	struct tracer_opts trace;	/* live: probes and filters; a file: its filters */
	struct replay_opts replay;	/* a file: pacing and window */
	struct session_opts session;
	double duration;		/* live: seconds, 0 = until stopped */
	/*
	 * Live: between events the model's clock follows the wall, so rates
	 * fall to zero when the kernel goes quiet.  Off whenever a recording
	 * is made, so that its replay gives the same answers.
	 */
	bool wall_clock;
};

struct pipeline {
	struct pipeline_opts *o;
	struct session s;
	struct et_stats stats;
	char attached[160];		/* live: "attached 12 probes (12 fentry, ...)" */
	uint64_t no_generation;		/* live: objects the generation table had no room for */
};

/* The session, with mountinfo for a live run; 0 or an EXIT_* status after saying why. */
int pipeline_init(struct pipeline *p, struct pipeline_opts *o);
/* After the model, in the order added. */
int pipeline_add(struct pipeline *p, struct sink *k);
/*
 * Starts the source, feeds every event through, stops, and finishes every
 * sink.  An EXIT_* status: the first failure of the source or a sink.
 */
int pipeline_run(struct pipeline *p);
void pipeline_free(struct pipeline *p);

/* End the run cleanly (Ctrl-C and SIGTERM do it too): a sink's limit, the view's q. */
void pipeline_stop(void);
bool pipeline_stopping(void);
/* The flag itself, for code that waits on it (the live view). */
volatile sig_atomic_t *pipeline_stop_flag(void);

#endif
