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
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "lib/common.h"
#include "lib/outfile.h"
#include "out/recording.h"
#include "pipeline/pipeline.h"

static volatile sig_atomic_t dump_requested;

static void on_usr1(int sig)
{
	dump_requested = 1;
}

static int rec_event(void *ctx, const struct et_rec *r)
{
	struct recording *c = ctx;

	if (recorder_add(c->rc, r) && !c->full_reported) {
		c->full_reported = true;
		pipeline_stop();	/* --max-size: end the run cleanly */
	}
	return 0;
}

static void rec_mounts(void *ctx, uint64_t ts, const struct mount_table *mt)
{
	struct recording *c = ctx;

	recorder_mounts(c->rc, ts, mt);
}

static int check_path(const char *path)
{
	/* a path we cannot write is a usage error: find out before attaching */
	int err = out_check(path);

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
	snprintf(meta.filters, sizeof(meta.filters), "%s", c->filters ? c->filters : "");
	meta.mounts = p->s.mounts;	/* copied by the recorder */
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
		if (recorder_dump(c->rc))
			p_err("cannot write the ring to %s now", c->ro.path);
	}
	recorder_tick(c->rc);
	recorder_get_stats(c->rc, &st);
	/* said once the writer has done it, not when it was asked */
	if (st.dumps > c->dumps_seen) {
		c->dumps_seen = st.dumps;
		if (st.dump_err)
			p_err("cannot write the ring to %s: %s", c->ro.path, strerror(-st.dump_err));
		else
			p_info("ring written to %s", c->ro.path);
	}
	if (st.write_err && !c->err_reported) {
		c->err_reported = true;
		p_err("writing %s failed: %s; recording stopped", c->ro.path, strerror(-st.write_err));
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
	/* ids that may repeat: the pipeline read the count before the tracer went */
	recorder_no_generation(c->rc, c->p->no_generation);
	err = recorder_close(c->rc, clock_ns(CLOCK_MONOTONIC), &rs);
	c->rc = NULL;
	rs.events -= rs.over_size;	/* what the file holds */
	if (err && !c->ro.ring_ns && !c->ro.ring_bytes) {
		uint64_t lost_here = rs.events > rs.written ? rs.events - rs.written : 0;

		p_err("writing %s failed: %s; it holds the %llu records written before, %llu events "
		      "did not reach it", c->ro.path, strerror(-err), (unsigned long long)rs.written,
		      (unsigned long long)lost_here);
		rs.events = rs.written;
	} else if (err) {
		p_err("writing %s failed: %s", c->ro.path, strerror(-err));
	}
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

int recording_add(struct recording *c, struct pipeline *p, const char *filters)
{
	if (p->o->file) {
		p_err("-o FILE records a live run; %s is already a recording", p->o->file);
		return EXIT_ENV;
	}
	if (check_path(c->ro.path))
		return EXIT_ENV;
	c->filters = filters;
	c->sink = (struct sink){
		.ctx = c, .start = rec_start, .event = rec_event, .mounts = rec_mounts,
		.tick = rec_tick, .finish = rec_finish,
	};
	return pipeline_add(p, &c->sink);
}
