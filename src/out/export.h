/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Exporters: the decoded stream in formats other tools open. */
#ifndef EVTRACE_EXPORT_H
#define EVTRACE_EXPORT_H

#include <stdio.h>

#include "event/decode.h"
#include "model/model.h"
#include "pipeline/sink.h"

enum export_format { EXPORT_JSONL, EXPORT_CSV, EXPORT_PERFETTO };
/*
 * Perfetto's timestamps: since the trace's start (lib/tclock.h; the first
 * event's time when no start was set), or CLOCK_MONOTONIC's, the clock of
 * a perf or ftrace trace of the same run.
 */
enum export_clock { EXPORT_CLOCK_REL, EXPORT_CLOCK_MONO };

struct exporter;

/* m: the model fed the same events first (ei paths); may be NULL for jsonl/csv */
struct exporter *exporter_new(enum export_format fmt, FILE *out, const struct model *m);
/* 0 or -errno (a write error) */
int exporter_event(struct exporter *x, const struct et_rec *r);
void exporter_anomaly(struct exporter *x, const struct anomaly *a);
/* Close what is open (slices, arrays); 0 or -errno. */
int exporter_finish(struct exporter *x);
void exporter_free(struct exporter *x);
/* The exporter fed by a pipeline: events, and anomalies as the model finds them. */
struct sink *exporter_sink(struct exporter *x);
/* Before the first event: Perfetto's clock (default EXPORT_CLOCK_REL). */
void exporter_set_clock(struct exporter *x, enum export_clock clock);
/* Tests: bound on open dentry slices (default 65536). */
void exporter_set_limit(struct exporter *x, size_t max_open);

#endif
