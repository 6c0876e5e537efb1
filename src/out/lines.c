// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <unistd.h>

#include "lib/cgroups.h"
#include "out/lines.h"
#include "pipeline/pipeline.h"
#include "out/print.h"

/*
 * The path of an event's cgroup: most events in a row come from one task,
 * so the last path found is kept until the next poll round.  An id not
 * named is asked again each time: a rescan, or a recording's next
 * CGROUPS section, may name it.
 */
static const char *cgroup_path(struct lines *l, uint64_t id)
{
	if (!l->cgroups || !id)
		return NULL;
	if (id == l->cg_id)
		return l->cg_path;
	if (!cgroups_path(l->cgroups, id, l->cg_path, sizeof(l->cg_path)))
		return NULL;
	l->cg_id = id;
	return l->cg_path;
}

static int lines_event(void *ctx, const struct et_rec *r)
{
	struct lines *l = ctx;

	if (l->json)
		rec_print_json_cg(l->f, r, cgroup_path(l, r->cgroup_id));
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

	l->cg_id = 0;
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
	/*
	 * Into a file or a pipe, a write per 64 KiB instead of per 4 KiB: a
	 * burst is hundreds of thousands of lines (a person at a terminal
	 * still sees each poll round's at its end, lines_tick()).
	 */
	static char obuf[1 << 16];

	if (!isatty(fileno(f)))
		setvbuf(f, obuf, _IOFBF, sizeof(obuf));
	l->f = f;
	l->json = json;
	l->cg_id = 0;
	l->sink = (struct sink){
		.ctx = l, .start = lines_start, .event = lines_event, .tick = lines_tick,
		.finish = lines_finish,
	};
	return &l->sink;
}
