/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one clock every printed time is on.  Events carry CLOCK_MONOTONIC
 * (bpf_ktime_get_ns()); a person reads seconds since the trace's start,
 * the moment the first probe was attached (a recording's META start_ns,
 * which the reader moves to the first event when an older file's events
 * come before it), or with -T (--wall) the wall clock: perf script's
 * seconds and bcc's -T.  Text shows it; JSON keeps the raw ts_ns beside
 * a "t" in seconds since the start.
 *
 * One clock per process, as one run is: the pipeline sets its start once
 * the source is up (probes attached, or the file opened), before the
 * first event; -T is an option of the views.  Until it is set, the start
 * is 0 and times are CLOCK_MONOTONIC seconds.
 */
#ifndef EVTRACE_LIB_TCLOCK_H
#define EVTRACE_LIB_TCLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tclock {
	uint64_t start_ns;		/* CLOCK_MONOTONIC of time 0; 0: not set */
	uint64_t start_realtime_ns;	/* CLOCK_REALTIME at start_ns: -T's anchor; 0: unknown */
	bool wall;			/* -T, --wall: times of day, UTC */
};

extern struct tclock tclock;

/* Room for any time tclock_fmt() writes, with its NUL. */
#define TCLOCK_LEN	32

/* The trace began at mono_ns on CLOCK_MONOTONIC, realtime_ns on CLOCK_REALTIME. */
void tclock_start(uint64_t mono_ns, uint64_t realtime_ns);
/* Now on both clocks is the start (a live run's, taken before the first attach). */
void tclock_start_live(uint64_t stream_start_ns);
/* Whether a start was set. */
bool tclock_is_set(void);
/* Nanoseconds since the start; negative for an event before it. */
int64_t tclock_rel_ns(uint64_t ts_ns);
/* The same in seconds. */
double tclock_secs(uint64_t ts_ns);
/*
 * ts_ns as printed, into buf (TCLOCK_LEN bytes), rounded to digits (0 to
 * 9) decimals: "12.345678" seconds since the start ("-0.000012" before
 * it), or with -T the time of day in UTC, "23:40:21.897123" (seconds since
 * the start when the start's wall time is unknown).  Returns buf.
 */
char *tclock_fmt(char *buf, size_t size, uint64_t ts_ns, int digits);
/* The same, relative whatever -T says: what JSON's "t" uses. */
char *tclock_fmt_rel(char *buf, size_t size, uint64_t ts_ns, int digits);
/*
 * The relative form written at p, no NUL (at most TCLOCK_LEN - 1 bytes):
 * for the event printers, which run once per event.  Returns the end.
 */
char *tclock_put_rel(char *p, uint64_t ts_ns, int digits);
/*
 * A duration, ns, in seconds rounded to digits decimals as every time
 * here is ("0.250"), written at p, no NUL (at most TCLOCK_LEN - 1
 * bytes).  Returns the end.
 */
char *tclock_put_secs(char *p, uint64_t ns, int digits);

#endif
