// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder as a sink.  The pipeline feeds the model first, then the
 * file, then whatever view runs beside; mount changes seen live go in the
 * file too, so a replay names mounts as the live run did.
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

#include "lib/common.h"
#include "lib/outfile.h"
#include "lib/tclock.h"
#include "model/model.h"
#include "out/recording.h"
#include "pipeline/pipeline.h"

#define DUMP_GAP_NS	10000000000ull	/* --dump-on with --ring-size alone */

static volatile sig_atomic_t dump_requested;

static void on_usr1(int sig)
{
	dump_requested = 1;
}

int opt_dump_on(struct dump_on *on, const char *arg)
{
	char buf[256], *save = NULL, *tok;

	if (strlen(arg) >= sizeof(buf)) {
		p_err("--dump-on: too long a list");
		return -EINVAL;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		double n;
		char c;
		int k;

		if (!strncmp(tok, "ino-rate>", 9)) {
			if (sscanf(tok + 9, "%lf%c", &n, &c) != 1 || !(n > 0) || n > 1e12) {
				p_err("--dump-on %s: expected ino-rate>N, N inode numbers a second > 0",
				      tok);
				return -EINVAL;
			}
			on->ino_rate_max = n;
			continue;
		}
		for (k = 0; k < A_MAX && strcmp(tok, anomaly_name(k)); k++)
			;
		if (k == A_MAX) {
			char kinds[256];
			size_t off = 0;

			for (k = 0; k < A_MAX && off < sizeof(kinds); k++)
				off += snprintf(kinds + off, sizeof(kinds) - off, "%s, ",
						anomaly_name(k));
			p_err("--dump-on: no anomaly '%s': one of %sino-rate>N", tok, kinds);
			return -EINVAL;
		}
		on->kinds |= 1u << k;
	}
	if (!on->kinds && !on->ino_rate_max) {
		p_err("--dump-on: say which anomalies, e.g. --dump-on ei_not_released");
		return -EINVAL;
	}
	return 0;
}

/*
 * FILE-20261201T214500Z-KIND.evt beside FILE (the extension kept last),
 * a sequence number after the time when two dumps share a second.
 */
static char *dump_path(const struct recording *c, const char *kind)
{
	const char *path = c->ro.path, *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	size_t stem = dot && dot != (slash ? slash + 1 : path) ? (size_t)(dot - path) : strlen(path);
	char when[32], seq[24] = "", *out;
	time_t now = time(NULL);
	struct tm tm;
	static time_t last;
	static unsigned int same;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	same = now == last ? same + 1 : 0;
	last = now;
	if (same)
		snprintf(seq, sizeof(seq), ".%u", same);
	if (asprintf(&out, "%.*s-%s%s-%s%s", (int)stem, path, when, seq, kind,
		     dot && stem < strlen(path) ? dot : "") < 0)
		return NULL;
	return out;
}

/* A dump asked of the recorder, remembered to be announced when written. */
static void ask_dump(struct recording *c, char *path)
{
	int err;

	if (c->n_pending == DUMPS_PENDING) {
		p_err("ring dump to %s skipped: %u dumps still wait for the writer",
		      path ? path : c->ro.path, DUMPS_PENDING);
		free(path);
		return;
	}
	err = path ? recorder_dump_to(c->rc, path) : recorder_dump(c->rc);
	if (err > 0)
		return;		/* the same dump already waits: one will do */
	if (err) {
		if (err != -EBUSY || path)
			p_err("cannot write the ring to %s now: %s", path ? path : c->ro.path,
			      err == -EBUSY ? "the last dump still waits for the writer" :
			      strerror(-err));
		free(path);
		return;
	}
	c->pending_paths[c->n_pending++] = path;
}

static void trigger(struct recording *c, const char *kind)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	char *path;

	if (c->on.last_ns && now - c->on.last_ns < c->on.gap_ns) {
		c->on.pending = kind;	/* once the window has passed */
		return;
	}
	c->on.pending = NULL;
	c->on.last_ns = now;
	path = dump_path(c, kind);
	if (!path)
		return;
	p_info("%s: writing the ring to %s", kind, path);
	c->on.seq++;
	ask_dump(c, path);
}

/*
 * The model finds an anomaly in an event before the recording has that
 * event: the dump waits for it (rec_event), or for the tick when the
 * anomaly came from the clock (a release timeout).
 */
static void rec_anomaly(void *ctx, const struct anomaly *a)
{
	struct recording *c = ctx;

	if (c->rc && a->kind < A_MAX && (c->on.kinds & (1u << a->kind)) && !c->on.fired)
		c->on.fired = anomaly_name(a->kind);
}

static int rec_event(void *ctx, const struct et_rec *r)
{
	struct recording *c = ctx;

	if (recorder_add(c->rc, r) && !c->full_reported) {
		c->full_reported = true;
		pipeline_stop();	/* --max-size: end the run cleanly */
	}
	if (c->on.fired) {
		trigger(c, c->on.fired);
		c->on.fired = NULL;
	}
	return 0;
}

static void rec_mounts(void *ctx, uint64_t ts, const struct mount_table *mt)
{
	struct recording *c = ctx;

	recorder_mounts(c->rc, ts, mt);
}

/* -o -: the trace format on standard output, for a pipe (perf record -o -) */
static bool to_stdout(const struct recording *c)
{
	return !strcmp(c->ro.path, "-");
}

/* The recording's name in what is said: its path, or standard output. */
static const char *rec_name(const struct recording *c)
{
	return to_stdout(c) ? "standard output" : c->ro.path;
}

static int check_path(const char *path)
{
	/* a path we cannot write is a usage error: find out before attaching */
	int err;

	if (!strcmp(path, "-")) {
		/* binary on a terminal helps no one: say where it should go */
		if (isatty(STDOUT_FILENO)) {
			p_err("-o - writes the recording to standard output, which is a terminal: "
			      "pipe it (evtrace record -o - | evtrace hist -) or redirect it (> trace.evt)");
			return EXIT_ENV;
		}
		return 0;
	}
	err = out_check(path);

	if (err) {
		p_err("cannot write %s: %s", path, strerror(-err));
		return EXIT_ENV;
	}
	return 0;
}

/*
 * Attached: now the probe status is known, the file can be started.  A
 * recording is of a live run only: a file source (t NULL) never gets here,
 * the commands refuse -o with a FILE.
 */
static int rec_start(void *ctx, struct pipeline *p, const struct tracer *t)
{
	sigset_t usr1;
	struct recording *c = ctx;
	struct tf_meta meta = { 0 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct utsname u;
	uint64_t now, now_rt;
	size_t off = 0;

	if (!t)
		return 0;
	snprintf(meta.evtrace_version, sizeof(meta.evtrace_version), "%s", EVTRACE_VERSION);
	if (!uname(&u)) {
		snprintf(meta.kernel_release, sizeof(meta.kernel_release), "%.127s", u.release);
		snprintf(meta.machine, sizeof(meta.machine), "%.63s", u.machine);
		snprintf(meta.host, sizeof(meta.host), "%.64s", u.nodename);
	}
	snprintf(meta.cmdline, sizeof(meta.cmdline), "%s", cmdline_get());
	meta.ncpus = libbpf_num_possible_cpus() > 0 ? libbpf_num_possible_cpus() : 0;
	/*
	 * The recording begins when the first probe was attached, not now:
	 * attaching takes a while (seconds under emulation) and the ring
	 * buffer already holds what fired meanwhile, which goes in the file.
	 * So no event is older than start_ns, and --from 0 means all of them.
	 * It is the run's clock (lib/tclock.h), which the pipeline set from
	 * the same moment: a replay prints the times the live run printed,
	 * -T's wall ones too.
	 */
	now = clock_ns(CLOCK_MONOTONIC);
	now_rt = clock_ns(CLOCK_REALTIME);
	if (!tclock_is_set())
		tclock_start_live(t->stream_start_ns);
	meta.start_ns = tclock.start_ns;
	meta.start_realtime_ns = tclock.start_realtime_ns;
	meta.boot_offset_ns = (int64_t)(now_rt - now);
	for (int i = 0; i < NR_PROBES && off < sizeof(meta.probes); i++) {
		int n = snprintf(meta.probes + off, sizeof(meta.probes) - off, "%s%s=%s",
				 i ? "," : "", t->probes[i].name,
				 probe_mode_name(t->probes[i].mode));

		off += n > 0 ? (size_t)n : 0;
	}
	snprintf(meta.filters, sizeof(meta.filters), "%s", c->filters ? c->filters : "");
	meta.mounts = p->s.mounts;	/* copied by the recorder */
	meta.cgroups = p->s.cgroups;	/* names the recording keeps for its cgroup ids */
	c->rc = recorder_open(&c->ro, &meta);
	if (!c->rc)
		return EXIT_RUNTIME;
	c->p = p;
	c->started = true;
	sigaction(SIGUSR1, &sa, NULL);
	/* main() kept it blocked until now: a SIGUSR1 during attach waited */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	return 0;
}

static void rec_tick(void *ctx)
{
	struct recording *c = ctx;
	struct recorder_stats st;

	if (!c->rc)
		return;
	if (dump_requested) {
		dump_requested = 0;
		ask_dump(c, NULL);
	}
	if (c->on.fired) {
		trigger(c, c->on.fired);
		c->on.fired = NULL;
	}
	if (c->on.ino_rate_max) {
		struct model_stats ms;

		model_get_stats(c->p->s.model, &ms);
		if (ms.ino_rate > c->on.ino_rate_max)
			trigger(c, "ino-rate");
	}
	if (c->on.pending && clock_ns(CLOCK_MONOTONIC) - c->on.last_ns >= c->on.gap_ns)
		trigger(c, c->on.pending);
	recorder_tick(c->rc);
	recorder_get_stats(c->rc, &st);
	/* said once the writer has done it, not when it was asked: in order */
	while (st.dumps > c->dumps_seen && c->n_pending) {
		char *path = c->pending_paths[0];

		c->dumps_seen++;
		memmove(c->pending_paths, c->pending_paths + 1,
			--c->n_pending * sizeof(c->pending_paths[0]));
		if (path)
			c->on.written++;
		if (st.dump_err && c->dumps_seen == st.dumps)
			p_err("cannot write the ring to %s: %s", path ? path : c->ro.path,
			      strerror(-st.dump_err));
		else
			p_info("ring written to %s", path ? path : c->ro.path);
		free(path);
	}
	if (st.write_err && !c->err_reported) {
		c->err_reported = true;
		/* a reader that went away (| head) ends the recording, as it ends any output */
		if (to_stdout(c) && st.write_err == -EPIPE)
			p_info("standard output was closed by its reader: recording stopped");
		else
			p_err("writing %s failed: %s; recording stopped", rec_name(c),
			      strerror(-st.write_err));
	}
	if (st.full || st.write_err)
		pipeline_stop();
}

/* Close the file and say what is in it; an EXIT_* status. */
static int rec_finish(void *ctx, int status)
{
	struct recording *c = ctx;
	struct recorder_stats rs;
	char why[96] = "";
	int err;

	if (!c->rc)
		return 0;
	/*
	 * An anomaly inside the last window gets no dump of its own: the
	 * recording's file, written at exit, holds that window.
	 */
	rec_tick(c);	/* the dumps written by now, said; the rest by the close */
	/* ids that may repeat: the pipeline read the count before the tracer went */
	recorder_no_generation(c->rc, c->p->no_generation);
	err = recorder_close(c->rc, clock_ns(CLOCK_MONOTONIC), &rs);
	c->rc = NULL;
	rs.events -= rs.over_size;	/* what the file holds */
	if (err == -EPIPE && to_stdout(c)) {
		/* the reader went away: what it read is what it wanted, no failure */
		rs.events = rs.written;
		err = 0;
	} else if (err && !c->ro.ring_ns && !c->ro.ring_bytes) {
		uint64_t lost_here = rs.events > rs.written ? rs.events - rs.written : 0;

		p_err("writing %s failed: %s; it holds the %llu records written before, %llu events "
		      "did not reach it", rec_name(c), strerror(-err), (unsigned long long)rs.written,
		      (unsigned long long)lost_here);
		rs.events = rs.written;
	} else if (err) {
		p_err("writing %s failed: %s", rec_name(c), strerror(-err));
	}
	if (rs.full && rs.over_size)
		snprintf(why, sizeof(why), " (stopped at --max-size; %llu events past it left out)",
			 (unsigned long long)rs.over_size);
	else if (rs.full)
		snprintf(why, sizeof(why), " (stopped at --max-size)");
	p_info("recorded %llu events to %s: %llu bytes (%.1f bytes/event), %llu lost, %llu dropped%s",
	       (unsigned long long)rs.events, rec_name(c), (unsigned long long)rs.bytes,
	       rs.events ? (double)rs.bytes / rs.events : 0.0, (unsigned long long)rs.lost,
	       (unsigned long long)rs.dropped, why);
	/* the dumps still waiting were written by the close, in order */
	for (unsigned int i = 0; i < c->n_pending; i++) {
		const char *path = c->pending_paths[i] ? c->pending_paths[i] : c->ro.path;
		uint64_t nth = c->dumps_seen + i + 1;

		if (nth > rs.dumps || (nth == rs.dumps && rs.dump_err)) {
			p_err("cannot write the ring to %s: %s", path,
			      strerror(rs.dump_err ? -rs.dump_err : EIO));
		} else {
			c->on.written += c->pending_paths[i] != NULL;
			p_info("ring written to %s", path);
		}
		free(c->pending_paths[i]);
	}
	c->n_pending = 0;
	if (c->on.kinds || c->on.ino_rate_max)
		p_info("--dump-on: %llu dumps written", (unsigned long long)c->on.written);
	return err ? EXIT_RUNTIME : 0;
}

int recording_add(struct recording *c, struct pipeline *p, const char *filters)
{
	if (p->o->file) {
		p_err("-o FILE records a live run; %s is already a recording", p->o->file);
		return EXIT_ENV;
	}
	if (check_path(c->ro.path))
		return EXIT_ENV;
	if ((c->on.kinds || c->on.ino_rate_max) && !c->ro.ring_ns && !c->ro.ring_bytes) {
		p_err("--dump-on writes the ring: with --ring SEC or --ring-size BYTES");
		return EXIT_ENV;
	}
	if (to_stdout(c) && (c->ro.ring_ns || c->ro.ring_bytes)) {
		p_err("-o - streams the recording as it goes: ring mode (--ring, --ring-size, "
		      "--dump-on) rewrites a file, give -o FILE");
		return EXIT_ENV;
	}
	if (to_stdout(c))
		c->ro.stream_fd = STDOUT_FILENO;
	c->on.gap_ns = c->ro.ring_ns ? c->ro.ring_ns : DUMP_GAP_NS;
	c->filters = filters;
	c->sink = (struct sink){
		.ctx = c, .start = rec_start, .event = rec_event, .mounts = rec_mounts,
		.tick = rec_tick, .finish = rec_finish, .anomaly = rec_anomaly,
		.every_event = true,	/* the stream, whatever a view beside selects */
	};
	return pipeline_add(p, &c->sink);
}
