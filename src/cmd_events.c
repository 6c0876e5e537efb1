// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evtrace events: one decoded event per line, text or JSON Lines. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "evtrace.h"
#include "live.h"
#include "output.h"
#include "session.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

struct events_out {
	bool json;
	FILE *f;
};

static int print_rec(void *ctx, const struct et_rec *r)
{
	struct events_out *o = ctx;

	if (o->json)
		rec_print_json(o->f, r);
	else
		rec_print_text(o->f, r);
	/* a closed pipe (| head) ends the run cleanly, with the summary */
	return ferror(o->f) ? -EPIPE : 0;
}

static void flush_out(void *ctx)
{
	const struct session *s = ctx;
	const struct events_out *o = s->out_ctx;

	fflush(o->f);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace events [--json] [--duration SEC] [filters]\n"
		"\n"
		"Stream decoded events, one per line, until Ctrl-C or --duration.\n"
		"Types: ino_alloc inode_alloc inode_evict dentry_alloc dentry_kill lookup\n"
		"       ei_create ei_get ei_put ei_remove ei_release lost\n"
		"\n"
		"  -j, --json           JSON Lines, one object per event\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		MODEL_OPTS_HELP
		TRACE_OPTS_HELP
		"\n"
		"examples:\n"
		"  sudo evtrace events --fs tracefs\n"
		"  sudo evtrace events --json --fs pipefs -d 10 > pipes.jsonl\n");
}

/* The stream of events the live loop hands over, printed as it comes. */
int trace_to_sink(struct tracer_opts *to, double duration, rec_sink_fn sink,
		  void *ctx, void (*tick)(void *), struct et_stats *stats)
{
	struct live_opts lo = {
		.duration = duration, .stop = &stop, .sink = sink,
		.sink_ctx = ctx, .tick = tick,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct tracer t;
	char line[160];
	int ret;

	ret = check_environment();
	if (ret)
		return ret;
	ret = tracer_start(&t, to);
	if (ret)
		return ret;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* scripts wait for this line before starting their workload */
	tracer_summary(&t, line, sizeof(line));
	p_info("%s", line);
	ret = live_run(&t, stats, &lo);
	if (tracer_seq_full(&t))
		p_info("%llu objects got no generation (table full): their ids may repeat",
		       (unsigned long long)tracer_seq_full(&t));
	tracer_stop(&t);
	return ret;
}

int do_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "duration", required_argument, NULL, 'd' },
		MODEL_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct session_opts so = { .by = BY_MOUNT, .live_mounts = true };
	struct tracer_opts to = {};
	struct events_out out = { .f = stdout };
	struct session s;
	struct et_stats stats = {};
	double duration = 0;
	char line[512];
	int c, ret;

	while ((c = getopt_long(argc, argv, ":jd:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			out.json = true;
			break;
		case 'd':
			duration = parse_seconds("--duration", optarg);
			if (duration < 0)
				return EXIT_ENV;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			ret = model_opt(c, optarg, &so);
			if (ret == 0)
				ret = trace_opt(c, optarg, &to);
			if (ret == 1)
				break;
			if (ret == 0)
				bad_option("events", c, argv);
			return EXIT_ENV;
		}
	}
	if (no_extra_args(argc, argv, "events"))
		return EXIT_ENV;

	if (session_init(&s, &so))
		return EXIT_RUNTIME;
	/* the model watches the same stream, for the summary at the end */
	s.out = print_rec;
	s.out_ctx = &out;
	ret = trace_to_sink(&to, duration, session_sink, &s, flush_out, &stats);
	fflush(stdout);
	if (ret == EXIT_OK || stats.total) {
		stats_line(&stats, line, sizeof(line));
		p_info("%s", line);
		session_report(&s, stderr, BY_FS);
	}
	session_free(&s);
	return ret;
}
