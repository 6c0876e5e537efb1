// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Running the pipeline: start the source, hand every event to the session
 * (model, then sinks), tick the sinks, stop on a signal, a duration, a
 * sink's word or the end of the file, and finish the sinks.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "lib/common.h"
#include "lib/tclock.h"
#include "pipeline/pipeline.h"
#include "source/ring.h"

static volatile sig_atomic_t stop_flag;

/*
 * The first signal stops the run: what was already read is still handed
 * on, which after a burst can take a while.  A second one (STOP_NOW)
 * drops what is still waiting, counted as lost.
 */
static void on_signal(int sig)
{
	stop_flag = stop_flag ? STOP_NOW : 1;
}

static void install_stop_signals(void)
{
	/*
	 * SA_RESTART: a Ctrl-C while the event lines wait on a slow pipe
	 * (| less) must not fail that write() with EINTR, which stdio takes
	 * for an error: the run ended with status 1, a line cut in two and
	 * the rest of its buffer gone.  The waits that must see the flag at
	 * once (poll, select, nanosleep) return EINTR whatever the flag, and
	 * the others wait with a timeout.
	 */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed terminal (record --ring 30 &): end cleanly, file closed, ring dumped */
	sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe (| head) is a write error the event lines see */
	signal(SIGPIPE, SIG_IGN);
}

void pipeline_stop(void)
{
	if (!stop_flag)
		stop_flag = 1;
}

bool pipeline_stopping(void)
{
	return stop_flag;
}

volatile sig_atomic_t *pipeline_stop_flag(void)
{
	return &stop_flag;
}

int pipeline_init(struct pipeline *p, struct pipeline_opts *o)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	/* live: reread mountinfo for new devices; a recording has its own tables */
	o->session.live_mounts = !o->file;
	return session_init(&p->s, &o->session);
}

int pipeline_add(struct pipeline *p, struct sink *k)
{
	if (session_add_sink(&p->s, k)) {
		p_err("too many outputs for one run");
		return EXIT_RUNTIME;
	}
	return 0;
}

void pipeline_free(struct pipeline *p)
{
	session_free(&p->s);
}

static int feed(void *ctx, const struct et_rec *r)
{
	struct pipeline *p = ctx;

	return session_feed(&p->s, r);
}

static int feed_agg(void *ctx, const struct agg_rec *a)
{
	struct pipeline *p = ctx;

	return session_feed_agg(&p->s, a);
}

static void count_agg(void *ctx, const uint64_t *n, uint64_t unknown_inodes,
		      uint64_t unknown_dentries, uint64_t since, uint64_t now)
{
	struct pipeline *p = ctx;

	session_count_agg(&p->s, n, unknown_inodes, unknown_dentries, since, now);
}

static void tick(void *ctx)
{
	struct pipeline *p = ctx;

	if (p->o->wall_clock && !p->o->file)
		model_advance(p->s.model, mono_ns());
	/* live intervals end by the clock; a replay's by its events (session_feed) */
	if (!p->o->file && session_interval_tick(&p->s, mono_ns()))
		pipeline_stop();
	for (int i = 0; i < p->s.n_sinks; i++)
		if (p->s.sinks[i]->tick)
			p->s.sinks[i]->tick(p->s.sinks[i]->ctx);
}

static bool agg_due(void *ctx, uint64_t now)
{
	struct pipeline *p = ctx;

	return session_interval_due(&p->s, now);
}

static int start_sinks(struct pipeline *p, const struct tracer *t)
{
	for (int i = 0; i < p->s.n_sinks; i++) {
		int ret = p->s.sinks[i]->start ? p->s.sinks[i]->start(p->s.sinks[i]->ctx, p, t) : 0;

		if (ret)
			return ret;
	}
	return 0;
}

static int replay_started(void *ctx)
{
	return start_sinks(ctx, NULL);
}

static int replay_mounts(void *ctx, const struct mount_table *mt)
{
	struct pipeline *p = ctx;

	return session_set_mounts(&p->s, mt);
}

static int replay_cgroups(void *ctx, struct cgroups *cg)
{
	struct pipeline *p = ctx;

	return session_set_cgroups(&p->s, cg);
}

/* -v: how often each probed function ran, to hold against another tracer's counts */
static void print_calls(struct tracer *t)
{
	uint64_t calls[NR_PROBES];
	char line[1024];
	size_t off = 0;

	tracer_calls(t, calls);
	for (int i = 0; i < NR_PROBES && off < sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, " %s=%llu", t->probes[i].name,
				(unsigned long long)calls[i]);
	p_info("calls:%s", line);
	p_info("callers: %s", tracer_callers_unwound(t) ? "unwound, a stack walk per call" :
	       "read from the trampoline's frame (checked against the unwound stack)");
}

static int run_live(struct pipeline *p)
{
	struct pipeline_opts *o = p->o;
	struct ring_opts ro = {
		.duration = o->duration, .stop = &stop_flag, .sink = feed, .sink_ctx = p,
		.tick = tick, .agg = feed_agg, .agg_counts = count_agg, .agg_due = agg_due,
	};
	struct tracer t;
	int ret;

	if (filters_resolve_mounts(&o->trace.filters, NULL))
		return EXIT_ENV;
	o->trace.count_calls = verbose;
	ret = check_environment();
	if (ret)
		return ret;
	ret = tracer_start(&t, &o->trace);
	if (ret)
		return ret;
	install_stop_signals();
	tracer_summary(&t, p->attached, sizeof(p->attached));
	/* time 0 is the first attach: what a recording of this run says too */
	tclock_start_live(t.stream_start_ns);
	ret = start_sinks(p, &t);
	if (ret) {
		tracer_stop(&t);
		return ret;
	}
	/* scripts wait for this line before starting their workload */
	p_info("%s", p->attached);
	session_interval_start(&p->s, mono_ns());
	ret = ring_run(&t, &p->stats, &ro);
	if (verbose)
		print_calls(&t);
	/* the sinks finish after the tracer is gone: a recording's trailer says it too */
	p->no_generation = tracer_seq_full(&t);
	if (p->no_generation)
		p_info("%llu objects got no generation (table full): their ids may repeat",
		       (unsigned long long)p->no_generation);
	tracer_stop(&t);
	return ret;
}

/*
 * A recording's start on the one clock (lib/tclock.h), before its first
 * event: the reader's (tracefile.h's start_ns), which replay_run() counts
 * --from/--to from too.
 */
static void replay_clock(void *ctx, uint64_t start_ns, uint64_t start_realtime_ns)
{
	tclock_start(start_ns, start_realtime_ns);
}

static int run_file(struct pipeline *p)
{
	struct replay_opts *ro = &p->o->replay;

	ro->path = p->o->file;
	ro->filters = &p->o->trace.filters;
	ro->sink = feed;
	ro->ctx = p;
	ro->tick = tick;
	ro->start = replay_clock;
	ro->started = replay_started;
	ro->mounts = replay_mounts;
	ro->cgroups = replay_cgroups;
	ro->stop = &stop_flag;
	install_stop_signals();
	return replay_run(ro, &p->stats);
}

int pipeline_run(struct pipeline *p)
{
	int ret = p->o->file ? run_file(p) : run_live(p);

	/* the last interval, partial, after the source's last events and counts */
	session_interval_end(&p->s, mono_ns());

	for (int i = p->s.n_sinks - 1; i >= 0; i--) {
		int err = p->s.sinks[i]->finish ? p->s.sinks[i]->finish(p->s.sinks[i]->ctx, ret) : 0;

		ret = ret ? ret : err;
	}
	return ret;
}
