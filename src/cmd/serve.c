// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace serve: the model as Prometheus metrics, over HTTP (out/http.c)
 * or into node_exporter's textfile directory.  The same pipeline as every
 * view, counting in the kernel as the live view does; the sink renders the
 * exposition on the pipeline's thread every --interval, and the HTTP
 * thread only copies the last one, so a scrape never holds the ring
 * buffer's consumer.  With FILE, a recording replayed, whose final values
 * stay served until Ctrl-C or SIGTERM.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "file/tracefile.h"
#include "lib/common.h"
#include "out/http.h"
#include "out/metrics.h"
#include "out/report.h"
#include "pipeline/pipeline.h"

static const struct opt_cmd cmd = {
	.status = "0 stopped by SIGINT or SIGTERM; 1 a failure while running; 2 usage\n"
		  "or environment (a bad address, a port in use, a FILE that does not open,\n"
		  "not root, no BTF, nothing attaches, no HTTP in this build).\n",
	.name = "serve",
	.usage = "evtrace serve [--listen ADDR:PORT | --textfile DIR] [--top N] [--interval SEC]\n"
		 "                     [--speed N | --max] [-o FILE --ring SEC --dump-on KIND[,KIND]]\n"
		 "                     [filters] [FILE]",
	.about = "Prometheus metrics of what evtrace sees: GET /metrics on --listen (default\n"
		 HTTP_DEFAULT_LISTEN "), the text format or OpenMetrics as the scraper asks, or\n"
		 "--textfile DIR for node_exporter's textfile collector.  Live probes, or the\n"
		 "recording FILE replayed, whose final values are served until Ctrl-C or SIGTERM.\n"
		 "Each label keeps its --top largest values; the rest is summed as \"other\".\n"
		 "With -o FILE --ring SEC --dump-on KIND, the flight recorder of evtrace record\n"
		 "runs beside, its dumps counted in evtrace_flight_dumps_total.\n",
	.examples = "  sudo evtrace serve                               live, on 127.0.0.1:9435\n"
		    "  evtrace serve trace.evt --max --listen :9435     a recording, every address\n"
		    "  sudo evtrace serve --textfile /var/lib/prometheus/node-exporter\n"
		    "  sudo evtrace serve -o /var/lib/evtrace/fr.evt --ring 60 --dump-on ei_not_released\n",
};

struct serve {
	struct sink sink;
	const char *listen, *textfile;
	uint32_t top;
	double interval;
	int fd;				/* the listening socket until the server takes it */
	char bound[80];
	struct http_server *http;
	struct metrics *mx;
	struct metrics_run run;
	const struct model *m;
	const struct recording *rec;	/* -o FILE's, for its --dump-on count */
	const struct tracer *tracer;	/* live, while it runs: its BPF statistics */
	bool started, file, write_failed;
	uint64_t next_ns, last_ns, last_events;
};

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Render both formats and hand them over (or write the textfile); 0 or an EXIT_* status. */
static int publish(struct serve *s)
{
	uint64_t now = mono_ns();
	struct model_stats st;
	char *text = NULL, *om = NULL;
	size_t text_len, om_len;
	int err;

	model_get_stats(s->m, &st);
	s->run.event_rate = s->last_ns && now > s->last_ns ?
			    (st.events - s->last_events) / ((now - s->last_ns) / 1e9) : -1;
	s->last_ns = now;
	s->last_events = st.events;
	s->run.cpu_seconds = cpu_seconds();
	if (s->tracer)
		s->run.bpf_known = tracer_bpf_stats(s->tracer, &s->run.bpf_runs, &s->run.bpf_ns);
	s->run.flight = s->rec->on.kinds || s->rec->on.ino_rate_max;
	s->run.dumps = s->rec->on.written;
	err = metrics_render_buf(&text, &text_len, s->mx, s->m, &s->run, MF_TEXT);
	if (!err && !s->textfile)
		err = metrics_render_buf(&om, &om_len, s->mx, s->m, &s->run, MF_OPENMETRICS);
	if (err) {
		free(text);
		p_err("out of memory rendering the metrics");
		return EXIT_RUNTIME;
	}
	if (!s->textfile) {
		http_publish(s->http, text, text_len, om, om_len);
		return 0;
	}
	err = metrics_write_textfile(s->textfile, text, text_len);
	free(text);
	/* said once: a full disk may empty again, and the next interval tries anew */
	if (err && !s->write_failed)
		p_err("cannot write %s/%s: %s", s->textfile, METRICS_FILE, strerror(-err));
	s->write_failed = err != 0;
	return err ? EXIT_RUNTIME : 0;
}

static void count_probes(struct metrics_run *run, const char *probes)
{
	static const char *const modes[MM_MAX] = { "=fentry", "=kprobe", "=missing", "=skipped" };

	for (const char *p = probes; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		size_t item = strcspn(p, ",");

		for (int i = 0; i < MM_MAX; i++) {
			size_t n = strlen(modes[i]);

			if (item > n && !memcmp(p + item - n, modes[i], n))
				run->probes[i]++;
		}
	}
	run->probes_known = probes[0] != '\0';
}

static int serve_start(void *ctx, struct pipeline *p, const struct tracer *t)
{
	struct serve *s = ctx;
	int ret;

	s->m = p->s.model;
	s->tracer = t;
	if (t) {
		s->run.probes[MM_FENTRY] = t->n_fentry;
		s->run.probes[MM_KPROBE] = t->n_kprobe;
		s->run.probes[MM_MISSING] = t->n_missing;
		s->run.probes[MM_SKIPPED] = t->n_skipped;
		s->run.probes_known = true;
	}
	if (!s->textfile) {
		s->http = http_start(s->fd);
		s->fd = -1;
		if (!s->http)
			return EXIT_RUNTIME;
	}
	s->started = true;
	ret = publish(s);
	if (ret)
		return ret;
	s->next_ns = mono_ns() + (uint64_t)(s->interval * 1e9);
	/* scripts wait for this line */
	if (s->textfile)
		p_info("writing %s/%s every %gs", s->textfile, METRICS_FILE, s->interval);
	else
		p_info("serving http://%s/metrics", s->bound);
	return 0;
}

static void serve_sample(void *ctx, const struct sample *smp)
{
	struct serve *s = ctx;

	metrics_sample(s->mx, smp);
}

static void serve_tick(void *ctx)
{
	struct serve *s = ctx;
	uint64_t now = mono_ns();

	if (!s->started || now < s->next_ns)
		return;
	s->next_ns = now + (uint64_t)(s->interval * 1e9);
	publish(s);
	if (s->http)
		http_reap(s->http);
}

static int serve_finish(void *ctx, int status)
{
	struct serve *s = ctx;
	int ret = 0;

	if (!s->started)
		return 0;
	s->run.replay_done = s->file && !status && !pipeline_stopping();
	s->tracer = NULL;	/* stopped by now: its last statistics stand */
	ret = publish(s);
	/* a recording's final values stay served until the signal; a textfile stays as it is */
	if (s->run.replay_done && s->http) {
		p_info("replay finished: serving its final values until stopped");
		while (!pipeline_stopping()) {
			struct timespec d = { 0, 100000000 };

			nanosleep(&d, NULL);
			http_reap(s->http);
		}
	}
	http_stop(s->http);
	s->http = NULL;
	return ret;
}

static struct sink *serve_sink(struct serve *s)
{
	s->sink = (struct sink){
		.ctx = s, .start = serve_start, .sample = serve_sample, .tick = serve_tick,
		/* metrics_sample()'s kinds */
		.sample_kinds = 1u << S_INO | 1u << S_DENTRY_LIFE | 1u << S_INODE_LIFE,
		.finish = serve_finish,
	};
	return &s->sink;
}

/* The directory node_exporter reads: there, a directory, writable. */
static int check_textfile_dir(const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK)) {
		int err = errno ? errno : ENOTDIR;

		p_err("cannot write metrics into '%s': %s", dir,
		      !stat(dir, &sb) && !S_ISDIR(sb.st_mode) ? strerror(ENOTDIR) : strerror(err));
		return -1;
	}
	return 0;
}

/* A FIFO or a socket: one reading, where serve needs two. */
static bool is_pipe(const char *path)
{
	struct stat sb;

	return !stat(path, &sb) && (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode));
}

int do_serve(int argc, char **argv)
{
	struct view_args v = { .po = { .session.by = BY_MOUNT, .replay.speed = 1 },
			       .agg = VIEW_AGG_SERVE };
	struct serve s = { .top = METRICS_TOP_DEFAULT, .interval = 1, .fd = -1,
			   .run = { .mode = "live", .event_rate = -1, .cpu_seconds = -1 } };
	struct pipeline p;
	const struct opt rows[] = {
		OPT_STRING(0, "listen", &s.listen, "ADDR:PORT",
			   "where to serve /metrics (default " HTTP_DEFAULT_LISTEN ";\n"
			   ":PORT every address, [ADDR]:PORT IPv6, port 0 any free one)"),
		OPT_STRING(0, "textfile", &s.textfile, "DIR",
			   "write DIR/" METRICS_FILE " every interval instead, for\n"
			   "node_exporter's textfile collector"),
		OPT_COUNT(0, "top", &s.top, METRICS_TOP_MAX,
			  "values kept per label, the rest summed as other (default 20)"),
		OPT_SECONDS('i', "interval", &s.interval,
			    "how often the metrics are rendered (default 1)"),
		VIEW_ROWS(&v, "1"),
		AGG_ROWS(&v),
		RING_ROWS(&v.rec),
		OPT_FLAG(0, "bpf-stats", &v.po.trace.bpf_stats,
			 "turn on the kernel's BPF statistics while serving, for\n"
			 "evtrace_bpf_run_seconds_total (CAP_SYS_ADMIN; every\n"
			 "BPF program on the machine then costs two clock reads a run)"),
		OPT_END
	};
	int ret;

	s.rec = &v.rec;
	if (!view_begin(&cmd, rows, argc, argv, &v, &p, &ret))
		return ret;
	/* live and not recording: rates and the wrap ETA follow the wall when the kernel goes quiet */
	v.po.wall_clock = !v.rec.ro.path;
	ret = EXIT_ENV;
	/* the recording's META is read before the replay opens it: a stream has one reading */
	if (v.po.file && (!strcmp(v.po.file, "-") || is_pipe(v.po.file))) {
		p_err("serve: FILE %s (%s) cannot be served: save the recording to a file and "
		      "serve that", v.po.file, strcmp(v.po.file, "-") ? "a pipe" : "standard input");
		goto out;
	}
	if (s.listen && s.textfile) {
		p_err("serve: --listen or --textfile, not both");
		goto out;
	}
	if (s.textfile) {
		if (check_textfile_dir(s.textfile))
			goto out;
	} else {
		if (!http_available()) {
			http_start(-1);	/* says so */
			goto out;
		}
		/* before the probes attach, which takes seconds: a port in use fails now */
		s.fd = http_listen(s.listen ? s.listen : HTTP_DEFAULT_LISTEN, s.bound,
				   sizeof(s.bound));
		if (s.fd < 0)
			goto out;
	}
	s.file = v.po.file != NULL;
	if (s.file) {
		char err[256];
		struct tf_reader *rd = tf_open(v.po.file, err, sizeof(err));

		/* the probes the recording had; a file that does not open is the pipeline's to say */
		s.run.mode = "replay";
		if (rd) {
			count_probes(&s.run, tf_reader_meta(rd)->probes);
			tf_close(rd);
		}
	}
	s.mx = metrics_new(s.top);
	if (!s.mx) {
		p_err("out of memory");
		ret = EXIT_RUNTIME;
		goto out;
	}
	ret = pipeline_add(&p, serve_sink(&s));
	ret = ret ?: pipeline_run(&p);
	/* as the live view: what the run found, on stdout (a daemon's journal) */
	if (ret == EXIT_OK || p.stats.total)
		report_run_limit(stdout, p.s.model, v.po.session.by, v.po.session.eis,
				 opt_limit_get(&v.limit));
out:
	if (s.fd >= 0)
		close(s.fd);
	metrics_free(s.mx);
	pipeline_free(&p);
	return ret;
}
