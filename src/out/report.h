/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a run found, text and JSON, from the model's public queries. */
#ifndef EVTRACE_OUT_REPORT_H
#define EVTRACE_OUT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

/* The end-of-run summary: totals per group, anomalies, lost events. */
void model_print_summary(FILE *f, const struct model *m, enum group_by by);
void model_print_summary_json(FILE *f, const struct model *m, enum group_by by);
/* The table of every ei tracked; with history, each one's refcount changes. */
void model_print_eis(FILE *f, const struct model *m, bool history);
/* The end of a run: the ei table if asked for (eis 1, with histories 2), then the summary. */
void report_run(FILE *f, const struct model *m, enum group_by by, int eis);

#endif
