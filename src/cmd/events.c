// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evtrace events: one decoded event per line, text or JSON Lines. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "source/ring.h"
#include "out/print.h"
#include "source/replay.h"
#include "pipeline/session.h"

volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

void install_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

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

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace events [--json] [--duration SEC] [filters] [FILE]\n"
		"\n"
		"Stream decoded events, one per line, until Ctrl-C or --duration; with FILE,\n"
		"the events of a recording (evtrace record).\n"
		"Types: ino_alloc inode_alloc inode_evict dentry_alloc dentry_kill lookup\n"
		"       ei_create ei_get ei_put ei_remove ei_release lost\n"
		"\n"
		"  -j, --json           JSON Lines, one object per event\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		"  -o, --output FILE    also record the run to FILE (as evtrace record)\n"
		REPLAY_OPTS_HELP
		MODEL_OPTS_HELP
		TRACE_OPTS_HELP
		"\n"
		"examples:\n"
		"  sudo evtrace events --fs tracefs\n"
		"  sudo evtrace events --json --fs pipefs -d 10 > pipes.jsonl\n"
		"  evtrace events --json trace.evt\n");
}

int trace_to_sink(struct tracer_opts *to, double duration, const struct run_hooks *h,
		  struct et_stats *stats)
{
	struct live_opts lo = {
		.duration = duration, .stop = &stop_requested, .sink = h->sink,
		.sink_ctx = h->ctx, .tick = h->tick,
	};
	struct tracer t;
	char line[160];
	int ret;

	if (filters_resolve_mounts(&to->filters, NULL))
		return EXIT_ENV;
	ret = check_environment();
	if (ret)
		return ret;
	ret = tracer_start(&t, to);
	if (ret)
		return ret;
	install_stop_signals();
	if (h->started && (ret = h->started(h->ctx, &t))) {
		tracer_stop(&t);
		return ret;
	}
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

int run_source(const char *file, struct tracer_opts *to, struct replay_opts *ro,
	       double duration, const struct run_hooks *h, struct session *s,
	       struct et_stats *stats)
{
	if (!file)
		return trace_to_sink(to, duration, h, stats);
	ro->path = file;
	ro->filters = &to->filters;
	ro->s = s;
	ro->sink = h->sink;
	ro->ctx = h->ctx;
	ro->tick = h->tick;
	ro->stop = &stop_requested;
	install_stop_signals();
	return replay_run(ro, stats);
}

bool file_required;

const char *file_arg(int argc, char **argv, const char *cmd)
{
	if (optind == argc && file_required) {
		p_err("replay: FILE is required (try 'evtrace replay --help')");
		return "";
	}
	if (optind == argc)
		return NULL;
	if (optind + 1 < argc) {
		p_err("%s: unexpected argument '%s' (see evtrace %s --help)", cmd,
		      argv[optind + 1], cmd);
		return "";
	}
	return argv[optind];
}

int view_opt(int c, const char *arg, struct view_opts *v, const char *cmd, char **argv)
{
	int ret;

	switch (c) {
	case 'o':
		v->rec.ro.path = arg;
		return 1;
	case 'd':
		v->duration = parse_seconds("--duration", arg);
		return v->duration > 0;
	}
	ret = model_opt(c, arg, &v->so);
	if (ret == 0)
		ret = replay_opt(c, arg, v->ro);
	if (ret == 0)
		ret = trace_opt(c, arg, &v->to);
	if (ret == 1)
		recording_note_filter(&v->rec, c, arg);	/* the file's metadata */
	else if (ret == 0)
		bad_option(cmd, c, argv);
	return ret == 1;
}

int view_begin(int argc, char **argv, const char *cmd, struct view_opts *v, struct session *s,
	       const char **file)
{
	*file = file_arg(argc, argv, cmd);
	if (*file && !**file)
		return EXIT_ENV;
	/* live: reread mountinfo for new devices; a recording has its own tables */
	v->so.live_mounts = !*file;
	return session_init(s, &v->so);
}

/* A view's run: the session, and a recording beside it with -o FILE. */
struct view_run {
	struct session *s;
	struct recording *rec;
	struct events_out *out;		/* events only */
};

static int view_sink(void *ctx, const struct et_rec *r)
{
	struct view_run *v = ctx;

	return session_sink(v->s, r);
}

static void view_tick(void *ctx)
{
	struct view_run *v = ctx;

	if (v->out)
		fflush(v->out->f);
	recording_tick(v->rec);
}

static int view_started(void *ctx, const struct tracer *t)
{
	struct view_run *v = ctx;

	return v->rec->ro.path ? recording_start(v->rec, t, v->s) : 0;
}

int view_check_output(const char *file, const struct recording *rec)
{
	if (file && rec->ro.path) {
		p_err("-o FILE records a live run; %s is already a recording", file);
		return EXIT_ENV;
	}
	if (rec->ro.path && recording_check_path(rec->ro.path))
		return EXIT_ENV;
	return 0;
}

int view_run_source(const char *file, struct tracer_opts *to, struct replay_opts *ro,
		    double duration, struct session *s, struct recording *rec,
		    struct events_out *out, struct et_stats *stats)
{
	struct view_run v = { .s = s, .rec = rec, .out = out };
	struct run_hooks h = { .sink = view_sink, .tick = view_tick, .started = view_started,
			       .ctx = &v };
	int ret, err;

	ret = view_check_output(file, rec);
	if (ret)
		return ret;
	ret = run_source(file, to, ro, duration, &h, s, stats);
	err = recording_finish(rec);
	return ret ? ret : err;
}

int do_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		REPLAY_LONGOPTS,
		MODEL_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct replay_opts ro = {};
	struct view_opts v = { .so = { .by = BY_MOUNT }, .ro = &ro };
	struct events_out out = { .f = stdout };
	struct et_stats stats = {};
	struct session s;
	const char *file;
	char line[512];
	int c, ret;

	while ((c = getopt_long(argc, argv, ":jd:o:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			out.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			if (!view_opt(c, optarg, &v, "events", argv))
				return EXIT_ENV;
		}
	}
	ret = view_begin(argc, argv, "events", &v, &s, &file);
	if (ret)
		return ret;
	/* the model watches the same stream, for the summary at the end */
	s.out = print_rec;
	s.out_ctx = &out;
	ret = view_run_source(file, &v.to, &ro, v.duration, &s, &v.rec, &out, &stats);
	fflush(stdout);
	if (ret == EXIT_OK || stats.total) {
		stats_line(&stats, line, sizeof(line));
		p_info("%s", line);
		session_report(&s, stderr, v.so.by);
	}
	session_free(&s);
	return ret;
}
