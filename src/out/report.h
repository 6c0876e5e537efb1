/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a run found, as text or JSON, from the model's public API. */
#ifndef EVTRACE_OUT_REPORT_H
#define EVTRACE_OUT_REPORT_H

#include <stdio.h>

#include "model/model.h"

/* The end of a run: the ei table if asked for (eis 1, with histories 2), then the summary. */
void report_run(FILE *f, const struct model *m, enum group_by by, int eis);

#endif
