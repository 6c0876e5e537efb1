/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the kernel aggregated (include/evtrace/evtrace.h, "aggs"), as the
 * live source hands it on: since the last read, one histogram bucket of one
 * group, its count, sum, min and max.  Each is to the session what that
 * many events of its type would have been; only what these cannot give
 * (an event's time, the objects it names) is missing.
 */
#ifndef EVTRACE_EVENT_AGG_H
#define EVTRACE_EVENT_AGG_H

#include <stdint.h>

#include "evtrace/evtrace.h"

struct agg_rec {
	enum et_agg_kind kind;
	uint32_t dev;
	char fs[ET_FS_LEN];
	char comm[ET_COMM_LEN];		/* "" unless the kernel grouped by comm */
	char caller[64];		/* "?" unless it grouped by get_next_ino's caller */
	uint64_t cgroup;		/* 0 unless it grouped by cgroup id */
	uint64_t count, sum, min, max;
	uint64_t ts_ns;			/* when read (CLOCK_MONOTONIC) */
};

/* A source hands each read bucket to one of these. */
typedef int (*agg_sink_fn)(void *ctx, const struct agg_rec *a);

#endif
