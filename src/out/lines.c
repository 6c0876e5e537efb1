// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>

#include "out/lines.h"
#include "pipeline/pipeline.h"
#include "out/print.h"

static int lines_event(void *ctx, const struct et_rec *r)
{
	struct lines *l = ctx;

	if (l->json)
		rec_print_json_cg(l->f, r, l->cgroups);
	else
		rec_print_text(l->f, r);
	/* a closed pipe (| head) ends the run cleanly, with the summary */
	return ferror(l->f) ? -EPIPE : 0;
}

/* Started: the session's cgroup table names the events' cgroups. */
static int lines_start(void *ctx, struct pipeline *p, const struct tracer *t)
{
	struct lines *l = ctx;

	l->cgroups = p->s.cgroups;
	return 0;
}

/* A person watching a quiet stream sees each event as its poll round ends. */
static void lines_tick(void *ctx)
{
	struct lines *l = ctx;

	fflush(l->f);
}

static int lines_finish(void *ctx, int status)
{
	struct lines *l = ctx;

	fflush(l->f);
	return 0;
}

struct sink *lines_sink(struct lines *l, FILE *f, bool json)
{
	l->f = f;
	l->json = json;
	l->sink = (struct sink){
		.ctx = l, .start = lines_start, .event = lines_event, .tick = lines_tick,
		.finish = lines_finish,
	};
	return &l->sink;
}
