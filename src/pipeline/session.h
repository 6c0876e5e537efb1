/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The middle of the pipeline: decoded events -> the model (and the
 * histogram of what it measures) -> the sinks.  Live and replayed streams
 * go through the same session, so they get the same answers.
 */
#ifndef EVTRACE_PIPELINE_SESSION_H
#define EVTRACE_PIPELINE_SESSION_H

#include <stdint.h>

#include "event/agg.h"
#include "lib/mounts.h"
#include "model/hist.h"
#include "model/model.h"
#include "pipeline/sink.h"

#define SESSION_SINKS	4

struct session {
	struct model *model;
	struct mount_table mounts;
	/*
	 * cgroup id -> path: live, the host's tree walked; replayed, the
	 * recording's table.  A live one is what recordings write (tf_set_cgroups).
	 */
	struct cgroups *cgroups;
	uint64_t mounts_loaded_ns;	/* live: when mountinfo was last read */
	bool live_mounts;		/* reload mountinfo on unknown devices */
	struct hist_set *hist;		/* NULL unless hist */
	enum sample_kind of;
	enum group_by by;
	bool msecs;			/* lifetimes into the histogram in msecs */
	struct sink *sinks[SESSION_SINKS];
	int n_sinks;
	int err;			/* first model error */
	uint64_t cur_ts;		/* the event being fed */
	/*
	 * --agg-check: the model has the whole stream, and what the kernel
	 * aggregated of it goes to a model of its own, whose histogram must
	 * come out the same.
	 */
	struct model *check;
	struct hist_set *check_hist;
	/*
	 * hist INTERVAL [COUNT]: each interval's histogram, handed to the
	 * sinks' interval() and cleared when it ends (bcc clears its map after
	 * each print), beside s->hist, which keeps the whole run.  Times are
	 * the trace's: a replay's intervals end by its events' timestamps, a
	 * live run's by the clock (session_interval_tick()).
	 */
	struct hist_set *iv_hist;
	uint64_t iv_ns, iv_max;		/* the interval; COUNT, 0: no end */
	uint64_t iv_origin, iv_start;	/* the first interval's start, the current one's */
	uint64_t iv_last;		/* replay: the last event's time, a last interval's end */
	uint64_t iv_done;		/* intervals handed on */
	bool iv_begun, iv_wall;
};

struct session_opts {
	struct model_opts model;
	enum group_by by;
	bool hist;
	enum sample_kind of;
	uint64_t linear_step;
	bool msecs;		/* hist -m: lifetimes (usecs) bucketed in msecs */
	bool live_mounts;
	int eis;		/* 1: --eis, 2: --ei-history (the report at the end) */
	bool agg_check;		/* keep the kernel's aggregation apart (struct session) */
	uint64_t interval_ns;	/* hist INTERVAL: one histogram each (0: none) */
	uint64_t intervals;	/* hist COUNT: stop after that many (0: no end) */
};

/* 0 or EXIT_RUNTIME after printing why. */
int session_init(struct session *s, const struct session_opts *o);
void session_free(struct session *s);
/* After the model, in the order added.  0 or -E2BIG. */
int session_add_sink(struct session *s, struct sink *k);
/* One event: the model, then every sink; a sink's non-zero ends the run. */
int session_feed(void *ctx, const struct et_rec *r);
/* What the kernel aggregated (source/ring.c): the model, or the check's. */
int session_feed_agg(void *ctx, const struct agg_rec *a);
void session_count_agg(void *ctx, const uint64_t *n, uint64_t unknown_inodes,
		       uint64_t unknown_dentries, uint64_t since, uint64_t now);
/*
 * Live intervals: the first starts at now (mono_ns()), and they end by the
 * clock, session_interval_tick(), rather than by the events' timestamps.
 */
void session_interval_start(struct session *s, uint64_t now);
/* An interval has ended by now: read what the kernel aggregated before ticking. */
bool session_interval_due(const struct session *s, uint64_t now);
/* Hands on every interval ended by now; true once COUNT of them were. */
bool session_interval_tick(struct session *s, uint64_t now);
/*
 * The run is over: the interval under way, partial, is handed on too (up
 * to now live, to the last event replayed), unless COUNT were already.
 */
void session_interval_end(struct session *s, uint64_t now);
/* Replay: the recording's cgroup table (copied).  0 or -ENOMEM. */
int session_set_cgroups(void *ctx, struct cgroups *cg);
/* Replay: the recording's mount table from now on (copied).  0 or -ENOMEM. */
int session_set_mounts(void *ctx, const struct mount_table *mt);

#endif
