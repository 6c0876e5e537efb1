/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `evtrace events`: one decoded event per line, text or JSON Lines, as a sink. */
#ifndef EVTRACE_OUT_LINES_H
#define EVTRACE_OUT_LINES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/cgroups.h"
#include "pipeline/sink.h"

struct lines {
	struct sink sink;
	FILE *f;
	bool json;
	struct cgroups *cgroups;	/* the session's, from start: names "cgroup_path" */
	uint64_t cg_id;			/* the last id named, 0: none yet this round */
	char cg_path[CG_PATH_LEN];	/* its path */
};

struct sink *lines_sink(struct lines *l, FILE *f, bool json);

#endif
