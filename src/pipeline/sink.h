/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What consumes the pipeline: one table of callbacks, as perf's perf_tool.
 * The event lines, the recorder, the exporters and the live view are each
 * a sink; a command picks its sinks and the pipeline calls them in the
 * order they were added, every event after the model has seen it (so a
 * sink can ask the model about it, e.g. an ei's path).
 */
#ifndef EVTRACE_PIPELINE_SINK_H
#define EVTRACE_PIPELINE_SINK_H

#include <stdbool.h>
#include <stdint.h>

struct anomaly;
struct et_rec;
struct hist_set;
struct mount_table;
struct pipeline;
struct sample;
struct tracer;

struct sink {
	void *ctx;
	/*
	 * The source is up: probes attached (t), or a recording opened (t
	 * NULL).  Non-zero: an EXIT_* status, and the run ends before the
	 * first event.
	 */
	int (*start)(void *ctx, struct pipeline *p, const struct tracer *t);
	/*
	 * Every event, in stream order.  Non-zero ends the run (cleanly).
	 * With a selection (--ei, --path), only the events it passes, unless
	 * every_event is set (a recording: what the kernel sent).
	 */
	int (*event)(void *ctx, const struct et_rec *r);
	bool every_event;
	/*
	 * Every measurement the model takes of the kinds in sample_kinds
	 * (1 << enum sample_kind; 0: every kind), every anomaly as found.
	 */
	void (*sample)(void *ctx, const struct sample *smp);
	uint32_t sample_kinds;
	void (*anomaly)(void *ctx, const struct anomaly *a);
	/* Live: mountinfo was reread and differs, from ts_ns on. */
	void (*mounts)(void *ctx, uint64_t ts_ns, const struct mount_table *mt);
	/*
	 * hist INTERVAL: interval n (from 1) ended; hs holds its values alone,
	 * from_ns and to_ns are its bounds on the events' clock
	 * (CLOCK_MONOTONIC; lib/tclock.h prints them).
	 */
	void (*interval)(void *ctx, uint64_t n, uint64_t from_ns, uint64_t to_ns,
			 const struct hist_set *hs);
	/* Often: after each poll of the ring buffer, while a replay paces. */
	void (*tick)(void *ctx);
	/*
	 * The run is over, with status (an EXIT_* status, 0 if it went
	 * well); called in the reverse order of adding, so the screen is
	 * gone before a recorder says what it wrote.  An EXIT_* status.
	 */
	int (*finish)(void *ctx, int status);
};

#endif
