/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Exporters: the decoded stream in formats other tools open. */
#ifndef EVTRACE_EXPORT_H
#define EVTRACE_EXPORT_H

#include <stdio.h>

#include "event/decode.h"
#include "model/model.h"
#include "pipeline/sink.h"

enum export_format { EXPORT_JSONL, EXPORT_CSV, EXPORT_PERFETTO };

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
/* Tests: bound on open dentry slices (default 65536). */
void exporter_set_limit(struct exporter *x, size_t max_open);

#endif
