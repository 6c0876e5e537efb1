/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `evtrace hist INTERVAL [COUNT]`: each interval's histogram as it ends,
 * as bcc's `biolatency 1 10` prints, as a sink.
 *
 * Text: a header line, then the histogram as hist_print_text() prints it
 * ("  (no values)" for an empty interval), then a blank line:
 *
 *	interval 1: 0.000 -> 1.000 s
 *
 * JSON: one line per interval, the times in seconds since the first
 * interval's start:
 *
 *	{"interval":1,"start":0.000,"end":1.000,"of":"ino","by":"mount","hist":{...}}
 */
#ifndef EVTRACE_OUT_INTERVALS_H
#define EVTRACE_OUT_INTERVALS_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline/sink.h"

struct intervals {
	struct sink sink;
	FILE *f;
	bool json;
	const char *of, *by, *unit;
};

struct sink *intervals_sink(struct intervals *iv, FILE *f, bool json, const char *of,
			    const char *by, const char *unit);

#endif
