/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recorder as a sink: `evtrace record`, and `-o FILE` beside any view
 * (events, hist, live).  The file is created once the probes are attached,
 * when what the recording can hold is known (docs/FORMAT.md's META).
 */
#ifndef EVTRACE_OUT_RECORDING_H
#define EVTRACE_OUT_RECORDING_H

#include <stdbool.h>

#include "file/recorder.h"
#include "pipeline/sink.h"

struct pipeline;

#define DUMPS_PENDING	8	/* dumps asked for and not yet written */

/*
 * record --dump-on: the ring is written to a file of its own when one of
 * these anomalies fires (or the inode-number rate passes ino_rate_max),
 * at most once per window (the ring's time, or DUMP_GAP_NS); one that
 * fires inside the window makes one more dump when the window ends.
 */
struct dump_on {
	uint32_t kinds;			/* 1 << enum anomaly_kind */
	double ino_rate_max;		/* ino-rate>N; 0: not asked */
	uint64_t gap_ns;
	uint64_t last_ns;		/* the last triggered dump, monotonic */
	const char *fired;		/* found by the model, its event not yet added */
	const char *pending;		/* fired inside the window: its kind */
	uint64_t seq, written;		/* triggered dumps asked for, written */
};

struct recording {
	struct sink sink;
	struct recorder_opts ro;	/* ro.path: the file */
	const char *filters;		/* the filters as given, for the file's META */
	struct recorder *rc;
	const struct pipeline *p;	/* its no_generation, for the trailer */
	bool started, full_reported, err_reported;
	uint64_t dumps_seen;		/* ring dumps already announced */
	struct dump_on on;
	/* the files of the dumps asked for, in order (NULL: ro.path) */
	char *pending_paths[DUMPS_PENDING];
	unsigned int n_pending;
};

/* --dump-on KIND[,KIND]: anomaly kinds (model.h's names) and ino-rate>N. */
int opt_dump_on(struct dump_on *on, const char *arg);

/*
 * -o FILE beside a view, or record's file: refused on a replay (a
 * recording records a live run), the path checked before anything
 * attaches, then the sink added to p.  c->ro filled in by the caller;
 * filters: as given, for the file's META.  0 or an EXIT_* status.
 */
int recording_add(struct recording *c, struct pipeline *p, const char *filters);

#endif
