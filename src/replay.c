// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The file source: a trace file -> decoded events, into the same sinks the
 * live loop feeds.  Damage is reported and read past, never fatal: what a
 * crashed recorder left is still worth studying.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "evtrace.h"
#include "replay.h"
#include "tracefile.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * --speed N: event time runs N times faster than the wall clock.  The
 * anchor (first_ts, wall0) moves when the speed changes (+/- in the live
 * view) or after a pause, so neither makes the replay jump.
 */
struct pacer {
	uint64_t first_ts, wall0;
	double speed;
};

static void pace(const struct replay_opts *o, struct pacer *p, uint64_t ts)
{
	uint64_t due, now;

	while (o->paused && *o->paused && !(o->stop && *o->stop)) {
		struct timespec d = { 0, 50000000 };

		nanosleep(&d, NULL);
		if (o->tick)
			o->tick(o->ctx);
		p->wall0 = 0;	/* re-anchor after the pause */
	}
	if (o->speed <= 0)
		return;
	if (!p->wall0 || p->speed != o->speed) {
		p->first_ts = ts;
		p->wall0 = mono_ns();
		p->speed = o->speed;
		return;
	}
	if (ts <= p->first_ts)
		return;
	due = p->wall0 + (uint64_t)((ts - p->first_ts) / o->speed);
	while (!(o->stop && *o->stop) && (now = mono_ns()) < due) {
		uint64_t left = due - now;
		struct timespec d;

		/* short naps, so Ctrl-C and the view's ticks stay responsive */
		if (left > 50000000)
			left = 50000000;
		d.tv_sec = 0;
		d.tv_nsec = left;
		nanosleep(&d, NULL);
		if (o->tick)
			o->tick(o->ctx);
		if (p->speed != o->speed)
			break;
	}
}

int replay_run(const struct replay_opts *o, struct et_stats *stats)
{
	const struct mount_table *mt;
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r;
	char err[256];
	uint64_t start, from = 0, to = UINT64_MAX, mts, n_read = 0;
	struct pacer pacer = { 0 };
	int ret = EXIT_OK, n = 0;

	rd = tf_open(o->path, err, sizeof(err));
	if (!rd) {
		p_err("cannot read trace file '%s': %s", o->path, err);
		return EXIT_ENV;
	}
	if (filters_resolve_mounts(o->filters, &tf_reader_meta(rd)->mounts)) {
		tf_close(rd);
		return EXIT_ENV;
	}
	if (o->s && session_set_mounts(o->s, &tf_reader_meta(rd)->mounts)) {
		p_err("out of memory");
		tf_close(rd);
		return EXIT_RUNTIME;
	}
	/* --from/--to count from the moment the recording began */
	start = tf_reader_meta(rd)->start_ns;
	if (o->from_s > 0)
		from = start + (uint64_t)(o->from_s * 1e9);
	if (o->to_s > 0)
		to = start + (uint64_t)(o->to_s * 1e9);

	while (!(o->stop && *o->stop) && (n = tf_next(rd, &r)) > 0) {
		mt = tf_mounts_changed(rd, &mts);
		if (mt && o->s && session_set_mounts(o->s, mt)) {
			p_err("out of memory");
			ret = EXIT_RUNTIME;
			break;
		}
		if (r.ts_ns < from)
			continue;
		if (r.ts_ns > to)
			break;
		if (!filters_match(o->filters, &r))
			continue;
		pace(o, &pacer, r.ts_ns);
		/* as fast as possible: the view still gets its ticks */
		if (o->speed <= 0 && o->tick && !(++n_read & 4095))
			o->tick(o->ctx);
		stats_count(stats, &r);
		if (o->sink(o->ctx, &r))
			break;
	}
	if (n < 0) {
		p_err("%s: read error: %s", o->path, strerror(-n));
		ret = EXIT_RUNTIME;
	}
	tf_reader_status(rd, &st);
	if (st.bad_chunks)
		p_info("%s: %" PRIu64 " damaged chunks skipped (%" PRIu64 " events in them)",
		       o->path, st.bad_chunks, st.skipped_events);
	if (st.truncated_at)
		p_info("%s: truncated at byte %" PRIu64 ": recovered %" PRIu64 " events",
		       o->path, st.truncated_at, st.events);
	else if (!st.trailer_seen && !(o->stop && *o->stop) && n == 0)
		p_info("%s: no trailer: the recording did not end cleanly; recovered %" PRIu64
		       " events", o->path, st.events);
	if (st.trailer_seen && st.trailer.lost)
		p_info("%s: the recording lost %" PRIu64 " events in the kernel, dropped %" PRIu64,
		       o->path, st.trailer.lost, st.trailer.dropped);
	tf_close(rd);
	return ret;
}

int replay_opt(int c, const char *arg, struct replay_opts *o)
{
	double v;

	switch (c) {
	case OPT_SPEED:
		v = parse_seconds("--speed", arg);
		if (v < 0)
			return -1;
		o->speed = v;
		return 1;
	case OPT_MAX:
		o->speed = 0;
		return 1;
	case OPT_FROM:
	case OPT_TO:
		/* 0 is a fine start of a window */
		v = strcmp(arg, "0") ? parse_seconds(c == OPT_FROM ? "--from" : "--to", arg) : 0;
		if (v < 0)
			return -1;
		if (c == OPT_FROM)
			o->from_s = v;
		else
			o->to_s = v;
		return 1;
	}
	return 0;
}
