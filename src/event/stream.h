/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A stream of decoded events, whichever source it comes from. */
#ifndef EVTRACE_EVENT_STREAM_H
#define EVTRACE_EVENT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "event/decode.h"

/* A source hands each event to one of these; non-zero stops the source. */
typedef int (*rec_sink_fn)(void *ctx, const struct et_rec *r);

/*
 * Why events were lost, as a lost record's cause says (its name column):
 * the ring buffer was full; a program did not run because another BPF
 * program was running on that CPU (recursion); the kernel's kprobe or
 * kretprobe missed a call (a kretprobe's instances ran out); the kernel's
 * aggregation table was full (hist, the live view: a new group or bucket);
 * evtrace read them, then dropped them at a second interrupt (source/ring.h's
 * STOP_NOW).
 */
enum lost_cause { LOST_RING, LOST_RECURSION, LOST_KPROBE, LOST_TABLE, LOST_INTERRUPTED,
		  LOST_CAUSES };

const char *lost_cause_name(enum lost_cause c);
/* A lost record's cause; a record without one (older files) is the ring's. */
enum lost_cause lost_cause_of(const struct et_rec *r);

struct et_stats {
	uint64_t n[ET_TYPE_MAX];	/* events by type; n[ET_LOST] = events lost */
	uint64_t lost[LOST_CAUSES];	/* n[ET_LOST] by cause */
	uint64_t total;			/* events delivered, lost excluded */
};

void stats_count(struct et_stats *s, const struct et_rec *r);
/* "1234 events (ino_alloc 137, ...), 0 lost", then the causes of a loss: "5 lost (ring 5)" */
void stats_line(const struct et_stats *s, char *buf, size_t size);
/* " (ring 5, kprobe 2)" from the counts by cause, "" when none; cut to fit size. */
void lost_causes_text(const uint64_t by[LOST_CAUSES], char *buf, size_t size);

#endif
