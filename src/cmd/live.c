// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace [live]: the dashboard on live probes; `replay FILE --view live`
 * brings it here with a file.  Same session and model as every view.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "source/replay.h"
#include "file/tracefile.h"
#include "ui/dashboard.h"

enum { OPT_INTERVAL = OPT_FIRST_CMD, OPT_NO_TUI };

struct live_run {
	bool live;		/* probes, not a file */
	struct session *s;
	struct recording *rec;
	struct live_view *lv;
	struct live_view_opts *lo;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace [live] [--interval SEC] [--no-tui] [--duration SEC] [filters] [FILE]\n"
		"\n"
		"A full-screen view of inode-number consumption per mount, eventfs_inode\n"
		"refcounts, dentry lifetimes and anomalies, redrawn every --interval.  With FILE\n"
		"(or `evtrace replay FILE --view live`), a recording at --speed N (default 1).\n"
		"When stdout is not a terminal, or with --no-tui, one summary line per interval.\n"
		"Keys: q quit, p pause, s sort, / filter, Tab panel, arrows scroll, Enter\n"
		"details, + and - replay speed, ? help.\n"
		"\n"
		"  -i, --interval SEC   redraw period (default 1)\n"
		"      --no-tui         summary lines instead of the screen\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		"  -o, --output FILE    also record the run to FILE (as evtrace record)\n"
		REPLAY_OPTS_HELP
		MODEL_OPTS_HELP
		TRACE_OPTS_HELP);
}

static int live_sink(void *ctx, const struct et_rec *r)
{
	struct live_run *l = ctx;

	return session_sink(l->s, r);
}

static void live_tick(void *ctx)
{
	struct live_run *l = ctx;

	/*
	 * Live and not recording: let the model's clock follow the wall
	 * (events carry CLOCK_MONOTONIC too), so rates fall to zero when the
	 * kernel goes quiet.  A recording keeps the clock event-driven, so
	 * its replay gives the same answers.
	 */
	if (l->live && !l->rec->rc) {
		model_advance(l->s->model, mono_ns());
	}
	if (l->lv)
		live_view_tick(l->lv);
	recording_tick(l->rec);
}

static void live_sample(void *ctx, const struct sample *smp)
{
	struct live_run *l = ctx;

	if (l->lv)
		live_view_sample(l->lv, smp);
}

/*
 * Attached: only now take the screen, so that "cannot attach" and its
 * exit status 2 reach a normal terminal.
 */
static int live_started(void *ctx, const struct tracer *t)
{
	struct live_run *l = ctx;
	int err;

	tracer_summary(t, l->lo->probes, sizeof(l->lo->probes));
	err = l->rec->ro.path ? recording_start(l->rec, t, l->s) : 0;
	if (err)
		return err;
	l->lv = live_view_new(l->s, l->lo);
	if (!l->lv) {
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	return 0;
}

int do_live(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "no-tui", no_argument, NULL, OPT_NO_TUI },
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		REPLAY_LONGOPTS,
		MODEL_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct replay_opts ro = { .speed = 1 };
	struct view_opts v = { .so = { .by = BY_MOUNT }, .ro = &ro };
	struct live_view_opts lo = { .tui = true, .interval = 1, .stop = &stop_requested };
	struct live_run l = { .lo = &lo };
	struct et_stats stats = {};
	struct session s;
	struct utsname u;
	const char *file;
	int c, ret, err;

	while ((c = getopt_long(argc, argv, ":i:d:o:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			lo.interval = parse_seconds("--interval", optarg);
			if (lo.interval < 0)
				return EXIT_ENV;
			break;
		case OPT_NO_TUI:
			lo.tui = false;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			if (!view_opt(c, optarg, &v, "live", argv))
				return EXIT_ENV;
		}
	}
	ret = view_begin(argc, argv, "live", &v, &s, &file);
	if (ret)
		return ret;
	if (view_check_output(file, &v.rec)) {
		session_free(&s);
		return EXIT_ENV;
	}
	if (file) {
		/* a bad file is reported on a normal terminal, before the screen */
		char why[256];
		struct tf_reader *rd = tf_open(file, why, sizeof(why));

		if (!rd) {
			p_err("cannot read trace file '%s': %s", file, why);
			session_free(&s);
			return EXIT_ENV;
		}
		tf_close(rd);
	}
	lo.replay = file != NULL;
	lo.speed = file ? &ro.speed : NULL;
	snprintf(lo.kernel, sizeof(lo.kernel), "%s", file ? file : !uname(&u) ? u.release : "?");
	snprintf(lo.probes, sizeof(lo.probes), "%s", file ? "replay" : "starting");
	snprintf(lo.filters, sizeof(lo.filters), "%s", v.rec.filters);

	l.s = &s;
	l.rec = &v.rec;
	l.live = !file;
	s.sample = live_sample;
	s.sample_ctx = &l;
	{
		struct run_hooks h = { .sink = live_sink, .tick = live_tick, .started = live_started,
				       .ctx = &l };

		/* a recording has nothing to attach: the screen comes now */
		if (file && (l.lv = live_view_new(&s, &lo)) == NULL) {
			p_err("out of memory");
			session_free(&s);
			return EXIT_RUNTIME;
		}
		if (file)
			ro.paused = live_view_paused(l.lv);
		ret = run_source(file, &v.to, &ro, v.duration, &h, &s, &stats);
		/* the end of a recording: the screen stays until q, as a pager would */
		while (file && !ret && live_view_is_tui(l.lv) && !stop_requested) {
			struct timespec d = { 0, 50000000 };

			live_view_end(l.lv);
			live_view_tick(l.lv);
			nanosleep(&d, NULL);
		}
	}
	live_view_free(l.lv);	/* the terminal is back before anything prints */
	err = recording_finish(&v.rec);
	ret = ret ? ret : err;
	if (ret == EXIT_OK || stats.total)
		session_report(&s, stdout, v.so.by);
	session_free(&s);
	return ret;
}
