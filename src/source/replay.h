/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The file source: a recording replayed into any sink. */
#ifndef EVTRACE_SOURCE_REPLAY_H
#define EVTRACE_SOURCE_REPLAY_H

#include <signal.h>

#include "event/stream.h"
#include "lib/mounts.h"
#include "source/probes.h"

struct cgroups;

struct replay_opts {
	const char *path;
	double speed;			/* N times real time; 0: as fast as possible */
	double from_s, to_s;		/* seconds since the recording began; 0: unset */
	struct filters *filters;	/* applied in userspace, as the kernel would */
	rec_sink_fn sink;
	void *ctx;
	/*
	 * the file is open: its start (tracefile.h's start_ns, the one clock's
	 * 0) and the wall clock then, before anything is said of it
	 */
	void (*start)(void *ctx, uint64_t start_ns, uint64_t start_realtime_ns);
	/* the file is open and checked: before its first event; non-zero stops */
	int (*started)(void *ctx);
	/* the recording's mount table from now on, then at each change; 0 or -errno */
	int (*mounts)(void *ctx, const struct mount_table *mt);
	/*
	 * the recording's cgroup table (format 1.1), before its first event,
	 * then the names its later sections add (1.3's CGROUPS), each before
	 * the events they name; 0 or -errno
	 */
	int (*cgroups)(void *ctx, struct cgroups *cg);
	void (*tick)(void *ctx);	/* while pacing; may be NULL */
	volatile sig_atomic_t *stop;
	const bool *paused;		/* the live view's p: hold the replay */
};

/* tf_open()'s failure, said: "cannot read trace file 'PATH': ERR" (- named as standard input). */
void replay_open_error(const char *path, const char *err);
/* An EXIT_* status; damage in the file is reported, not fatal. */
int replay_run(const struct replay_opts *o, struct et_stats *stats);

#endif
