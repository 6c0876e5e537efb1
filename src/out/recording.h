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

struct recording {
	struct sink sink;
	struct recorder_opts ro;	/* ro.path: the file */
	const char *filters;		/* the filters as given, for the file's META */
	struct recorder *rc;
	const struct pipeline *p;	/* its no_generation, for the trailer */
	bool started, full_reported, err_reported;
	uint64_t dumps_seen;		/* ring dumps already announced */
};

/*
 * -o FILE beside a view, or record's file: refused on a replay (a
 * recording records a live run), the path checked before anything
 * attaches, then the sink added to p.  c->ro filled in by the caller;
 * filters: as given, for the file's META.  0 or an EXIT_* status.
 */
int recording_add(struct recording *c, struct pipeline *p, const char *filters);

#endif
