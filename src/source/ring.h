/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live source: ring buffer -> decoded events, with loss accounting. */
#ifndef EVTRACE_LIVE_H
#define EVTRACE_LIVE_H

#include <signal.h>
#include <stdint.h>

#include "event/decode.h"
#include "source/probes.h"

/* Every view consumes this: one decoded event at a time. */
typedef int (*rec_sink_fn)(void *ctx, const struct et_rec *r);

struct et_stats {
	uint64_t n[ET_TYPE_MAX];	/* events by type; n[ET_LOST] = lost records */
	uint64_t total;			/* events delivered, lost excluded */
};

struct live_opts {
	double duration;		/* seconds, 0 = until stopped */
	volatile sig_atomic_t *stop;	/* set by a signal handler */
	rec_sink_fn sink;		/* non-zero return stops the run */
	void *sink_ctx;
	void (*tick)(void *ctx);	/* after each poll round, may be NULL */
};

/* Runs until duration, *stop or the sink says stop; 0 or EXIT_RUNTIME. */
int live_run(struct tracer *t, struct et_stats *stats, const struct live_opts *o);
/* "1234 events (ino_alloc 137, ...), 0 lost" */
void stats_line(const struct et_stats *s, char *buf, size_t size);
void stats_count(struct et_stats *s, const struct et_rec *r);

#endif
