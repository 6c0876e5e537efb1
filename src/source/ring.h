/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live source: ring buffer -> decoded events, with loss accounting. */
#ifndef EVTRACE_SOURCE_RING_H
#define EVTRACE_SOURCE_RING_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "event/agg.h"
#include "event/stream.h"
#include "source/probes.h"

#define STOP_NOW	2

struct ring_opts {
	double duration;		/* seconds, 0 = until stopped */
	/*
	 * Set by a signal handler: 1 stops the run, what was read still
	 * handed on; STOP_NOW drops what still waits, counted as lost
	 * (LOST_INTERRUPTED).
	 */
	volatile sig_atomic_t *stop;
	rec_sink_fn sink;		/* non-zero return stops the run */
	void *sink_ctx;
	void (*tick)(void *ctx);	/* after each poll round, may be NULL */
	/*
	 * May be NULL: true when the tick about to come wants the kernel's
	 * aggregation read first, whatever the read period (hist INTERVAL).
	 */
	bool (*agg_due)(void *ctx, uint64_t now);
	/* what the kernel aggregated, if it does (struct agg_opts) */
	agg_sink_fn agg;
	/* aggregated events by type, unseen allocations (model_count_agg) */
	void (*agg_counts)(void *ctx, const uint64_t *n, uint64_t unknown_inodes,
			   uint64_t unknown_dentries, uint64_t since, uint64_t now);
};

/* Runs until duration, *stop or the sink says stop; 0 or EXIT_RUNTIME. */
int ring_run(struct tracer *t, struct et_stats *stats, const struct ring_opts *o);

#endif
