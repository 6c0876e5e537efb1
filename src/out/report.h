/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The model's end-of-run reports, text and JSON, from its public queries. */
#ifndef EVTRACE_REPORT_H
#define EVTRACE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

/* The end-of-run summary: totals per group, anomalies, lost events. */
void model_print_summary(FILE *f, const struct model *m, enum group_by by);
void model_print_summary_json(FILE *f, const struct model *m, enum group_by by);
/* The table of every ei tracked; with history, each one's refcount changes. */
void model_print_eis(FILE *f, const struct model *m, bool history);

#endif
