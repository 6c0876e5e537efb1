/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a run found, text and JSON, from the model's public queries. */
#ifndef EVTRACE_OUT_REPORT_H
#define EVTRACE_OUT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

/*
 * How much of each list a summary shows (--limit N): N of each, 0 all, or
 * REPORT_LIMIT_DEFAULT: 20 groups and removed eis and the 10 newest
 * anomalies in text, everything in JSON.  A cut list says how many more
 * there are: a "... and N more" line in text, a *_total beside it in JSON.
 */
#define REPORT_LIMIT_DEFAULT	(-1)

/* The end-of-run summary: totals per group, anomalies, lost events. */
void model_print_summary_limit(FILE *f, const struct model *m, enum group_by by, int64_t limit);
void model_print_summary_json_limit(FILE *f, const struct model *m, enum group_by by,
				    int64_t limit);
/* ... with the default limits */
void model_print_summary(FILE *f, const struct model *m, enum group_by by);
void model_print_summary_json(FILE *f, const struct model *m, enum group_by by);
/* The table of every ei tracked; with history, each one's refcount changes. */
void model_print_eis(FILE *f, const struct model *m, bool history);
/* The same as a JSON array of objects (path, ei, refcount, state, times, holders, history). */
void model_print_eis_json(FILE *f, const struct model *m, bool history);
/* The end of a run: the ei table if asked for (eis 1, with histories 2), then the summary. */
void report_run_limit(FILE *f, const struct model *m, enum group_by by, int eis, int64_t limit);
void report_run(FILE *f, const struct model *m, enum group_by by, int eis);
/* The same as members of a JSON object the caller opens and closes: "summary":{...}[,"eis":[...]] */
void report_run_json(FILE *f, const struct model *m, enum group_by by, int eis, int64_t limit);

#endif
