/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A stream of decoded events, whichever source it comes from. */
#ifndef EVTRACE_EVENT_STREAM_H
#define EVTRACE_EVENT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "event/decode.h"

/* A source hands each event to one of these; non-zero stops the source. */
typedef int (*rec_sink_fn)(void *ctx, const struct et_rec *r);

struct et_stats {
	uint64_t n[ET_TYPE_MAX];	/* events by type; n[ET_LOST] = lost records */
	uint64_t total;			/* events delivered, lost excluded */
};

void stats_count(struct et_stats *s, const struct et_rec *r);
/* "1234 events (ino_alloc 137, ...), 0 lost" */
void stats_line(const struct et_stats *s, char *buf, size_t size);

#endif
