// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace record: the live stream into a trace file (docs/FORMAT.md),
 * through the same session as every view, so the end-of-run summary is
 * the one a replay of the file prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "file/recorder.h"
#include "pipeline/session.h"

enum { OPT_MAX_SIZE = OPT_FIRST_CMD, OPT_RING, OPT_RING_SIZE, OPT_FLUSH };

static volatile sig_atomic_t dump_requested;

static void on_usr1(int sig)
{
	dump_requested = 1;
}

static int parse_bytes(const char *opt, const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (errno || end == arg || *end || arg[0] == '-' || !v || v > (1ull << 50) >> shift) {
		p_err("invalid %s '%s': expected a size such as 100M", opt, arg);
		return -1;
	}
	*out = v << shift;
	return 0;
}

/* ---- the recording, usable beside any view (record, hist -o, events -o) ---- */

static int tee_sink(void *ctx, const struct et_rec *r)
{
	struct recording *c = ctx;

	if (recorder_add(c->rc, r) && !c->full_reported) {
		c->full_reported = true;
		stop_requested = 1;	/* --max-size: end the run cleanly */
	}
	return c->next ? c->next(c->next_ctx, r) : 0;
}

static void tee_mounts(void *ctx, uint64_t ts, const struct mount_table *mt)
{
	struct recording *c = ctx;

	recorder_mounts(c->rc, ts, mt);
}

int recording_check_path(const char *path)
{
	/* a path we cannot write is a usage error: find out before attaching */
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		p_err("cannot write %s: %s", path, strerror(errno));
		return EXIT_ENV;
	}
	close(fd);
	return 0;
}

void recording_note_filter(struct recording *c, int ch, const char *arg)
{
	const char *name = ch == 'p' ? "-p" : ch == 'c' ? "-c" : ch == OPT_FS ? "--fs" :
			   ch == OPT_DEV ? "--dev" : ch == OPT_MOUNT ? "--mount" : NULL;
	size_t off = strlen(c->filters);

	if (name && off < sizeof(c->filters))
		snprintf(c->filters + off, sizeof(c->filters) - off, "%s%s %s", off ? " " : "",
			 name, arg);
}

/* Attached: now the probe status is known, the file can be started. */
int recording_start(struct recording *c, const struct tracer *t, struct session *s)
{
	struct tf_meta meta = { 0 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct utsname u;
	uint64_t now, now_rt;
	size_t off = 0;

	snprintf(meta.evtrace_version, sizeof(meta.evtrace_version), "%s", EVTRACE_VERSION);
	if (!uname(&u)) {
		snprintf(meta.kernel_release, sizeof(meta.kernel_release), "%.127s", u.release);
		snprintf(meta.machine, sizeof(meta.machine), "%.63s", u.machine);
	}
	meta.ncpus = libbpf_num_possible_cpus() > 0 ? libbpf_num_possible_cpus() : 0;
	/*
	 * The recording begins when the first probe was attached, not now:
	 * attaching takes a while (seconds under emulation) and the ring
	 * buffer already holds what fired meanwhile, which goes in the file.
	 * So no event is older than start_ns, and --from 0 means all of them.
	 */
	now = clock_ns(CLOCK_MONOTONIC);
	now_rt = clock_ns(CLOCK_REALTIME);
	meta.start_ns = t->stream_start_ns && t->stream_start_ns <= now ? t->stream_start_ns : now;
	meta.start_realtime_ns = now_rt - (now - meta.start_ns);
	meta.boot_offset_ns = (int64_t)(now_rt - now);
	for (int i = 0; i < NR_PROBES && off < sizeof(meta.probes); i++) {
		int n = snprintf(meta.probes + off, sizeof(meta.probes) - off, "%s%s=%s",
				 i ? "," : "", t->probes[i].name,
				 probe_mode_name(t->probes[i].mode));

		off += n > 0 ? (size_t)n : 0;
	}
	snprintf(meta.filters, sizeof(meta.filters), "%s", c->filters);
	meta.mounts = s->mounts;	/* copied by the recorder */
	c->rc = recorder_open(&c->ro, &meta);
	if (!c->rc)
		return EXIT_RUNTIME;
	sigaction(SIGUSR1, &sa, NULL);
	/* the session feeds the model, then the file, then the view */
	c->next = s->out;
	c->next_ctx = s->out_ctx;
	s->out = tee_sink;
	s->out_ctx = c;
	s->mounts_changed = tee_mounts;
	s->mounts_ctx = c;
	return 0;
}

void recording_tick(struct recording *c)
{
	struct recorder_stats st;

	if (!c->rc)
		return;
	if (dump_requested) {
		dump_requested = 0;
		if (recorder_dump(c->rc))
			p_err("cannot write the ring to %s now", c->ro.path);
		else
			p_info("ring written to %s", c->ro.path);
	}
	recorder_tick(c->rc);
	recorder_get_stats(c->rc, &st);
	if (st.full)
		stop_requested = 1;
}

/* Close the file and say what is in it; an EXIT_* status. */
int recording_finish(struct recording *c)
{
	struct recorder_stats rs;
	char why[96] = "";
	int err;

	if (!c->rc)
		return 0;
	err = recorder_close(c->rc, clock_ns(CLOCK_MONOTONIC), &rs);
	c->rc = NULL;
	if (err)
		p_err("writing %s failed: %s; the chunks before it are readable", c->ro.path,
		      strerror(-err));
	rs.events -= rs.over_size;	/* what the file holds */
	if (rs.full && rs.over_size)
		snprintf(why, sizeof(why), " (stopped at --max-size; %llu events past it left out)",
			 (unsigned long long)rs.over_size);
	else if (rs.full)
		snprintf(why, sizeof(why), " (stopped at --max-size)");
	p_info("recorded %llu events to %s: %llu bytes (%.1f bytes/event), %llu lost, %llu dropped%s",
	       (unsigned long long)rs.events, c->ro.path, (unsigned long long)rs.bytes,
	       rs.events ? (double)rs.bytes / rs.events : 0.0, (unsigned long long)rs.lost,
	       (unsigned long long)rs.dropped, why);
	return err ? EXIT_RUNTIME : 0;
}

struct record_ctx {
	struct session s;
	struct recording rec;
};

static int record_started(void *ctx, const struct tracer *t)
{
	struct record_ctx *c = ctx;

	return recording_start(&c->rec, t, &c->s);
}

static void record_tick(void *ctx)
{
	struct record_ctx *c = ctx;

	recording_tick(&c->rec);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace record -o FILE [--duration SEC] [--max-size BYTES]\n"
		"                      [--ring SEC] [--ring-size BYTES] [filters]\n"
		"\n"
		"Record the decoded event stream to FILE until Ctrl-C, SIGTERM, --duration or\n"
		"--max-size.  Chunks reach the disk at least every --flush SEC (default 1), so a\n"
		"crash loses at most that much.  In ring mode (a flight recorder) only the last\n"
		"SEC seconds or BYTES bytes are kept, and written on SIGUSR1 and at exit.\n"
		"`evtrace events -o FILE` and `evtrace hist -o FILE` record while they show.\n"
		"\n"
		"  -o, --output FILE    the trace file (docs/FORMAT.md)\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		"      --max-size BYTES stop before the file would grow past BYTES (K, M, G)\n"
		"      --ring SEC       ring mode: keep the last SEC seconds\n"
		"      --ring-size BYTES ring mode: keep the last BYTES of chunks (with --ring:\n"
		"                       both bounds hold)\n"
		"      --flush SEC      seal and sync the open chunk this often (default 1)\n"
		MODEL_OPTS_HELP
		TRACE_OPTS_HELP
		"\n"
		"examples:\n"
		"  sudo evtrace record -o tracefs.evt --fs tracefs -d 60\n"
		"  sudo evtrace record -o last.evt --ring 30 &   kill -USR1 $!   # snapshot\n"
		"  evtrace replay tracefs.evt --view hist\n");
}

int do_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "ring", required_argument, NULL, OPT_RING },
		{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
		{ "flush", required_argument, NULL, OPT_FLUSH },
		MODEL_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct session_opts so = { .by = BY_MOUNT, .live_mounts = true };
	struct record_ctx c = { 0 };
	struct tracer_opts to = {};
	struct et_stats stats = {};
	double sec, duration = 0;
	char line[512];
	int ch, ret, err;

	while ((ch = getopt_long(argc, argv, ":o:d:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			c.rec.ro.path = optarg;
			break;
		case 'd':
			duration = parse_seconds("--duration", optarg);
			if (duration < 0)
				return EXIT_ENV;
			break;
		case OPT_MAX_SIZE:
			if (parse_bytes("--max-size", optarg, &c.rec.ro.max_size))
				return EXIT_ENV;
			break;
		case OPT_RING_SIZE:
			if (parse_bytes("--ring-size", optarg, &c.rec.ro.ring_bytes))
				return EXIT_ENV;
			break;
		case OPT_RING:
		case OPT_FLUSH:
			sec = parse_seconds(ch == OPT_RING ? "--ring" : "--flush", optarg);
			if (sec < 0)
				return EXIT_ENV;
			if (ch == OPT_RING)
				c.rec.ro.ring_ns = sec * 1e9;
			else
				c.rec.ro.flush_ns = sec * 1e9;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			ret = model_opt(ch, optarg, &so);
			if (ret == 0)
				ret = trace_opt(ch, optarg, &to);
			if (ret == 1) {
				/* the filters as given, for the file's metadata */
				recording_note_filter(&c.rec, ch, optarg);
				break;
			}
			if (ret == 0)
				bad_option("record", ch, argv);
			return EXIT_ENV;
		}
	}
	if (no_extra_args(argc, argv, "record"))
		return EXIT_ENV;
	if (!c.rec.ro.path) {
		p_err("record: -o FILE is required (try 'evtrace record --help')");
		return EXIT_ENV;
	}
	if (c.rec.ro.max_size && (c.rec.ro.ring_ns || c.rec.ro.ring_bytes)) {
		p_err("record: --max-size and ring mode do not mix: the ring is its own bound");
		return EXIT_ENV;
	}
	if (recording_check_path(c.rec.ro.path))
		return EXIT_ENV;
	if (session_init(&c.s, &so))
		return EXIT_RUNTIME;
	{
		struct run_hooks h = { .sink = session_sink, .tick = record_tick,
				       .started = record_started, .ctx = &c };

		ret = trace_to_sink(&to, duration, &h, &stats);
	}
	if (c.rec.rc) {
		err = recording_finish(&c.rec);
		ret = ret ? ret : err;
		stats_line(&stats, line, sizeof(line));
		p_info("%s", line);
		session_report(&c.s, stderr, BY_MOUNT);
	}
	session_free(&c.s);
	return ret;
}
