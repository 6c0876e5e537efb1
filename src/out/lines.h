/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `evtrace events`: one decoded event per line, text or JSON Lines, as a sink. */
#ifndef EVTRACE_OUT_LINES_H
#define EVTRACE_OUT_LINES_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline/sink.h"

struct lines {
	struct sink sink;
	FILE *f;
	bool json;
	struct cgroups *cgroups;	/* the session's, from start: names "cgroup_path" */
};

struct sink *lines_sink(struct lines *l, FILE *f, bool json);

#endif
