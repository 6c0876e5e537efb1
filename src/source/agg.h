/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading the kernel's aggregation (include/evtrace/evtrace.h, "aggs" and
 * "agg_counts"): each read hands on what was added since the one before.
 */
#ifndef EVTRACE_SOURCE_AGG_H
#define EVTRACE_SOURCE_AGG_H

#include <stdint.h>

#include "event/agg.h"
#include "source/probes.h"

struct agg_entry;

struct agg_reader {
	struct tracer *t;
	int fd;				/* the aggs map; -1: not aggregating */
	int ncpu;
	struct et_agg_val *vals;	/* one lookup's per-CPU values */
	struct agg_entry *seen;		/* what was handed on, per key: 2 * AGG_ENTRIES slots */
	uint64_t counts[ETA_COUNTS];	/* agg_counts handed on */
};

/* 0, or -ENOMEM; a tracer that does not aggregate makes a reader that reads nothing. */
int agg_reader_init(struct agg_reader *r, struct tracer *t);
void agg_reader_free(struct agg_reader *r);
/*
 * Each bucket that grew since the last read to sink (stamped now), then
 * the counters' growth into d (ETA_COUNTS).  The sink's non-zero return
 * is returned.
 */
int agg_reader_read(struct agg_reader *r, uint64_t now, agg_sink_fn sink, void *ctx,
		    uint64_t *d);

#endif
