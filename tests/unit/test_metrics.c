// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * out/metrics.c: the Prometheus exposition of a model fed known events.
 * Every expected line is written out by hand from the events (counts,
 * the highest number, a lifetime's bucket from its usecs), and held
 * against the rendered text line by line: counters, gauges, a histogram's
 * cumulative buckets, hostile label values, the top K with "other", the
 * OpenMetrics differences, content negotiation and the textfile.
 */
#include "unit.h"
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "lib/common.h"
#include "lib/mounts.h"
#include "model/model.h"
#include "out/metrics.h"

#define MS(x)		((uint64_t)(x) * 1000000ull)
#define US(x)		((uint64_t)(x) * 1000ull)
#define T0		MS(1000000)	/* streams start at 1000 s: never 0 */
#define TRACEFS_DEV	ET_MKDEV(0u, 14u)
#define PIPEFS_DEV	ET_MKDEV(0u, 12u)
#define HOSTILE_DEV	ET_MKDEV(0u, 40u)
#define EI_A		0xe1e1e1e1e1e1e1e1ull
#define D1		0xd1d1d1d1d1d1d1d1ull

struct fx {
	struct model *m;
	struct metrics *mx;
	struct mount_table mt;
	char *render;
};

static void on_sample(void *ctx, const struct sample *smp)
{
	struct fx *fx = ctx;

	metrics_sample(fx->mx, smp);
}

/* mountinfo escapes \ as \134 and a newline as \012, as the kernel does */
static const char mountinfo[] =
	"22 1 0:14 / /sys/kernel/tracing rw,relatime - tracefs tracefs rw\n"
	"23 1 0:40 / /mnt/a\"b\\134c\\012d rw - tmpfs tmpfs rw\n";

static void fx_open(struct fx *fx, uint32_t top)
{
	struct model_opts o = { .on_sample = on_sample, .ctx = fx };
	char *path = tmpfile_with_len(mountinfo, sizeof(mountinfo) - 1);

	memset(fx, 0, sizeof(*fx));
	assert_int_equal(mount_table_load(&fx->mt, path), 0);
	tmpfile_remove(path);
	fx->m = model_new(&o);
	fx->mx = metrics_new(top);
	assert_non_null(fx->m);
	assert_non_null(fx->mx);
	model_set_mounts(fx->m, &fx->mt);
}

static void fx_close(struct fx *fx)
{
	free(fx->render);
	metrics_free(fx->mx);
	model_free(fx->m);
	mount_table_free(&fx->mt);
}

static struct et_rec rec(int type, uint64_t ts, uint32_t dev, const char *fs)
{
	struct et_rec r = test_rec(type, ts);

	r.dev_major = ET_MAJOR(dev);
	r.dev_minor = ET_MINOR(dev);
	snprintf(r.fs, sizeof(r.fs), "%s", fs);
	return r;
}

static void feed(struct fx *fx, const struct et_rec *r)
{
	assert_int_equal(model_feed(fx->m, r), 0);
}

static void ino_alloc(struct fx *fx, uint64_t ts, uint32_t dev, const char *fs,
		      const char *caller, uint64_t ino)
{
	struct et_rec r = rec(ET_INO_ALLOC, ts, dev, fs);

	r.obj_id = 0x1000 + ino;
	r.ino = ino;
	snprintf(r.caller, sizeof(r.caller), "%s", caller);
	feed(fx, &r);
}

/* a dentry on tracefs that lives us usecs, from ts */
static void dentry_life(struct fx *fx, uint64_t ts, uint64_t id, uint64_t us)
{
	struct et_rec r = rec(ET_DENTRY_ALLOC, ts, TRACEFS_DEV, "tracefs");

	r.obj_id = id;
	strcpy(r.name, "d");
	feed(fx, &r);
	r = rec(ET_DENTRY_KILL, ts + US(us), TRACEFS_DEV, "tracefs");
	r.obj_id = id;
	strcpy(r.name, "d");
	feed(fx, &r);
}

static void ei(struct fx *fx, int type, uint64_t ts, uint64_t id, uint64_t aux, int64_t value)
{
	struct et_rec r = rec(type, ts, TRACEFS_DEV, "tracefs");

	r.obj_id = id;
	r.aux_id = aux;
	r.value = value;
	r.ino = 1001;
	strcpy(r.name, "sched");
	feed(fx, &r);
}

static const char *render_run(struct fx *fx, enum metrics_format fmt,
			      const struct metrics_run *run)
{
	size_t len;

	free(fx->render);
	fx->render = NULL;
	assert_int_equal(metrics_render_buf(&fx->render, &len, fx->mx, fx->m, run, fmt), 0);
	assert_int_equal(strlen(fx->render), len);
	return fx->render;
}

static const char *render(struct fx *fx, enum metrics_format fmt)
{
	struct metrics_run run = { .mode = "replay", .event_rate = -1, .cpu_seconds = -1 };
	size_t len;

	free(fx->render);
	fx->render = NULL;
	assert_int_equal(metrics_render_buf(&fx->render, &len, fx->mx, fx->m, &run, fmt), 0);
	assert_int_equal(strlen(fx->render), len);
	return fx->render;
}

/* line is in text as a whole line */
static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	fail_msg("no line\n%s\nin\n%s", line, text);
}

static void assert_no_line_starting(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, prefix, n))
			fail_msg("unexpected line starting %s", prefix);
		if (!strchr(p, '\n'))
			break;
	}
}

/* every sample's family has HELP then TYPE before it, each family once */
static void assert_families(const char *text, enum metrics_format fmt)
{
	char fam[64][96] = { { 0 } };
	int nfam = 0, helped = 0;
	const char *p = text;

	assert_true(text[0] && text[strlen(text) - 1] == '\n');
	while (*p) {
		const char *eol = strchr(p, '\n');
		char name[96];

		assert_non_null(eol);
		if (!strncmp(p, "# HELP ", 7)) {
			sscanf(p + 7, "%95s", name);
			for (int i = 0; i < nfam; i++)
				assert_string_not_equal(fam[i], name);
			assert_true(nfam < 64);
			snprintf(fam[nfam++], sizeof(fam[0]), "%s", name);
			helped = 1;
		} else if (!strncmp(p, "# TYPE ", 7)) {
			sscanf(p + 7, "%95s", name);
			assert_true(helped);
			assert_string_equal(name, fam[nfam - 1]);
			helped = 0;
		} else if (!strncmp(p, "# EOF", 5)) {
			assert_int_equal(fmt, MF_OPENMETRICS);
			assert_int_equal(eol[1], '\0');
		} else {
			size_t n = strlen(fam[nfam - 1]);

			assert_true(nfam > 0);
			/* a sample of the last family: its name, or name_bucket, _sum, _count, _total, _info */
			if (strncmp(p, fam[nfam - 1], n) || !strchr("{ _", p[n]))
				fail_msg("sample outside its family %s: %.*s", fam[nfam - 1],
					 (int)(eol - p), p);
		}
		p = eol + 1;
	}
}

/* Inode numbers, the highest, eventfs_inodes, anomalies and lost events. */
static void test_counters_gauges(void **state)
{
	struct et_rec lost = rec(ET_LOST, T0 + MS(3000), 0, "");
	struct fx fx;
	const char *t;

	fx_open(&fx, METRICS_TOP_DEFAULT);
	ino_alloc(&fx, T0, TRACEFS_DEV, "tracefs", "tracefs_create_file", 4000);
	ino_alloc(&fx, T0 + MS(10), TRACEFS_DEV, "tracefs", "tracefs_create_file", 4194);
	ino_alloc(&fx, T0 + MS(20), TRACEFS_DEV, "tracefs", "eventfs_iterate", 4001);
	ino_alloc(&fx, T0 + MS(30), PIPEFS_DEV, "pipefs", "create_pipe_files", 2278);
	/* an ei created, looked up by a dentry, removed while it holds it: never released */
	ei(&fx, ET_EI_CREATE, T0 + MS(100), EI_A, 0, 1);
	ei(&fx, ET_EI_GET, T0 + MS(200), EI_A, D1, 2);
	ei(&fx, ET_EI_REMOVE, T0 + MS(1000), EI_A, 0, 2);
	lost.value = 5;
	feed(&fx, &lost);
	ino_alloc(&fx, T0 + MS(3500), PIPEFS_DEV, "pipefs", "create_pipe_files", 2279);
	t = render(&fx, MF_TEXT);
	assert_families(t, MF_TEXT);
	assert_line(t, "# TYPE evtrace_ino_allocations_total counter");
	assert_line(t, "evtrace_ino_allocations_total{fs=\"tracefs\",mount=\"/sys/kernel/tracing\","
		       "caller=\"tracefs_create_file\",cgroup=\"?\"} 2");
	assert_line(t, "evtrace_ino_allocations_total{fs=\"pipefs\",mount=\"pipefs\","
		       "caller=\"create_pipe_files\",cgroup=\"?\"} 2");
	assert_line(t, "evtrace_ino_allocations_total{fs=\"tracefs\",mount=\"/sys/kernel/tracing\","
		       "caller=\"eventfs_iterate\",cgroup=\"?\"} 1");
	assert_line(t, "# TYPE evtrace_next_ino_highest gauge");
	assert_line(t, "evtrace_next_ino_highest 4194");
	assert_line(t, "evtrace_eventfs_inodes{state=\"live\"} 0");
	assert_line(t, "evtrace_eventfs_inodes{state=\"removed_referenced\"} 1");
	assert_line(t, "evtrace_eventfs_inodes{state=\"released\"} 0");
	/* removed at 1.000 s, the stream's last event at 3.500 s */
	assert_line(t, "evtrace_eventfs_removed_referenced_longest_seconds 2.500000");
	assert_line(t, "evtrace_anomalies_total{kind=\"ei_removed_referenced\"} 1");
	assert_line(t, "evtrace_anomalies_total{kind=\"dup_ino\"} 0");
	assert_line(t, "evtrace_lost_events_total{cause=\"ring\"} 5");
	assert_line(t, "evtrace_lost_events_total{cause=\"kprobe\"} 0");
	/* 8 events, the lost record not among them */
	assert_line(t, "evtrace_events_total 8");
	assert_non_null(strstr(t, "\nevtrace_build_info{version=\"" EVTRACE_VERSION "\",libbpf=\""));
	fx_close(&fx);
}

/* 2, 3, 4, 100 usecs and 2 s: cumulative counts at 4^j - 1 usecs. */
static void test_histogram(void **state)
{
	static const char *const want[] = {
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.000003\"} 2",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.000015\"} 3",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.000063\"} 3",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.000255\"} 4",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.001023\"} 4",
		/* the kernel's: 10 values in [1024, 2047] usecs, one of its log2 buckets */
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.004095\"} 14",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.016383\"} 14",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.065535\"} 14",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"0.262143\"} 14",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"1.048575\"} 14",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"4.194303\"} 15",
		"evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"16.777215\"} 15",
	};
	struct sample agg = { .kind = S_DENTRY_LIFE, .value = 1024, .n = 10, .sum = 15000,
			      .max = 2047,
			      .group = { "/sys/kernel/tracing", "tracefs", "?", "" } };
	struct fx fx;
	const char *t;

	fx_open(&fx, METRICS_TOP_DEFAULT);
	dentry_life(&fx, T0, D1, 2);
	dentry_life(&fx, T0 + MS(1), D1 + 1, 3);
	dentry_life(&fx, T0 + MS(2), D1 + 2, 4);
	dentry_life(&fx, T0 + MS(3), D1 + 3, 100);
	dentry_life(&fx, T0 + MS(4), D1 + 4, 2000000);
	metrics_sample(fx.mx, &agg);
	t = render(&fx, MF_TEXT);
	assert_families(t, MF_TEXT);
	assert_line(t, "# TYPE evtrace_dentry_lifetime_seconds histogram");
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_line(t, want[i]);
	assert_line(t, "evtrace_dentry_lifetime_seconds_bucket{fs=\"tracefs\",le=\"+Inf\"} 15");
	/* 2 + 3 + 4 + 100 + 2000000 + 15000 usecs */
	assert_line(t, "evtrace_dentry_lifetime_seconds_sum{fs=\"tracefs\"} 2.015109");
	assert_line(t, "evtrace_dentry_lifetime_seconds_count{fs=\"tracefs\"} 15");
	/* no inode lifetimes: the family, no series */
	assert_line(t, "# TYPE evtrace_inode_lifetime_seconds histogram");
	assert_no_line_starting(t, "evtrace_inode_lifetime_seconds_");
	fx_close(&fx);
}

/* Label values from the kernel or a file: escaped, controls and bad UTF-8 as \xNN. */
static void test_escaping(void **state)
{
	struct fx fx;
	const char *t;

	fx_open(&fx, METRICS_TOP_DEFAULT);
	ino_alloc(&fx, T0, HOSTILE_DEV, "tmp\"fs", "a\"b\\c\nd\x1b[2J\xff\xc3\xa9", 7);
	t = render(&fx, MF_TEXT);
	assert_families(t, MF_TEXT);
	assert_line(t, "evtrace_ino_allocations_total{fs=\"tmp\\\"fs\",mount=\"/mnt/a\\\"b\\\\c\\nd\","
		       "caller=\"a\\\"b\\\\c\\nd\\\\x1b[2J\\\\xff\xc3\xa9\",cgroup=\"?\"} 1");
	fx_close(&fx);
}

static void ino_n(struct metrics *mx, const char *fs, const char *mount, const char *caller,
		  uint64_t n)
{
	struct sample s = { .kind = S_INO, .value = 100, .n = n, .sum = 100 * n, .max = 100,
			    .group = { mount, fs, caller, "" } };

	metrics_sample(mx, &s);
}

static void life_n(struct metrics *mx, const char *fs, uint64_t n)
{
	struct sample s = { .kind = S_INODE_LIFE, .value = 5, .n = n, .sum = 5 * n, .max = 5,
			    .group = { "m", fs, "?", "" } };

	metrics_sample(mx, &s);
}

/* The cgroup label: the group's path or container, its top K as the others'. */
static void test_cgroup_label(void **state)
{
	static const char *const want[] = {
		"evtrace_ino_allocations_total{fs=\"pipefs\",mount=\"pipefs\",caller=\"c\","
		"cgroup=\"docker:0123456789ab\"} 7",
		"evtrace_ino_allocations_total{fs=\"pipefs\",mount=\"pipefs\",caller=\"c\","
		"cgroup=\"/agg\"} 5",
		"evtrace_ino_allocations_total{fs=\"pipefs\",mount=\"pipefs\",caller=\"c\","
		"cgroup=\"other\"} 3",
	};
	const char *cgs[] = { "/agg", "docker:0123456789ab", "/system.slice/a.service", "/b" };
	const uint64_t ns[] = { 5, 7, 2, 1 };
	struct fx fx;
	const char *t, *p;
	size_t n = 0;

	fx_open(&fx, 2);
	for (int i = 0; i < 4; i++) {
		struct sample s = { .kind = S_INO, .value = 100, .n = ns[i], .sum = 100 * ns[i],
				    .max = 100, .group = { "pipefs", "pipefs", "c", "", cgs[i] } };

		metrics_sample(fx.mx, &s);
	}
	t = render(&fx, MF_TEXT);
	for (p = t; (p = strstr(p, "\nevtrace_ino_allocations_total{")); p++, n++)
		assert_true(n < ARRAY_SIZE(want) &&
			    !strncmp(p + 1, want[n], strlen(want[n])));
	assert_int_equal(n, ARRAY_SIZE(want));
	fx_close(&fx);
}

/* --top 2: each label keeps its two largest values; the rest is summed as other. */
static void test_top_k(void **state)
{
	static const char *const want[] = {
		"evtrace_ino_allocations_total{fs=\"tmpfs\",mount=\"/a\",caller=\"c1\",cgroup=\"?\"} 5",
		"evtrace_ino_allocations_total{fs=\"tmpfs\",mount=\"/a\",caller=\"c2\",cgroup=\"?\"} 4",
		"evtrace_ino_allocations_total{fs=\"tmpfs\",mount=\"/a\",caller=\"other\",cgroup=\"?\"} 3",
		"evtrace_ino_allocations_total{fs=\"proc\",mount=\"/proc\",caller=\"c1\",cgroup=\"?\"} 2",
		"evtrace_ino_allocations_total{fs=\"other\",mount=\"other\",caller=\"c1\",cgroup=\"?\"} 1",
		"evtrace_ino_allocations_total{fs=\"tmpfs\",mount=\"other\",caller=\"other\",cgroup=\"?\"} 1",
	};
	struct fx fx;
	const char *t, *p;
	size_t n = 0;

	fx_open(&fx, 2);
	ino_n(fx.mx, "tmpfs", "/a", "c1", 5);
	ino_n(fx.mx, "tmpfs", "/a", "c2", 4);
	ino_n(fx.mx, "tmpfs", "/a", "c3", 3);
	ino_n(fx.mx, "tmpfs", "/b", "c4", 1);
	ino_n(fx.mx, "proc", "/proc", "c1", 2);
	ino_n(fx.mx, "sysfs", "/sys", "c1", 1);
	life_n(fx.mx, "a", 3);
	life_n(fx.mx, "b", 2);
	life_n(fx.mx, "c", 1);
	life_n(fx.mx, "d", 1);
	t = render(&fx, MF_TEXT);
	assert_families(t, MF_TEXT);
	/* in this order: by count, then labels */
	p = strstr(t, "\nevtrace_ino_allocations_total{");
	assert_non_null(p);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		size_t len = strlen(want[i]);

		if (strncmp(p + 1, want[i], len) || p[1 + len] != '\n')
			fail_msg("line %zu: want\n%s\ngot\n%.*s", i, want[i],
				 (int)strcspn(p + 1, "\n"), p + 1);
		p += 1 + len;
	}
	for (p = t; (p = strstr(p, "\nevtrace_ino_allocations_total{")); p++)
		n++;
	assert_int_equal(n, ARRAY_SIZE(want));
	assert_line(t, "evtrace_inode_lifetime_seconds_count{fs=\"a\"} 3");
	assert_line(t, "evtrace_inode_lifetime_seconds_count{fs=\"b\"} 2");
	assert_line(t, "evtrace_inode_lifetime_seconds_count{fs=\"other\"} 2");
	assert_no_line_starting(t, "evtrace_inode_lifetime_seconds_count{fs=\"c\"}");
	assert_line(t, "evtrace_inode_lifetime_seconds_bucket{fs=\"other\",le=\"0.000015\"} 2");
	fx_close(&fx);
}

/* More triples than the table holds: the total is kept, the series stay K + 1. */
static void test_series_bound(void **state)
{
	struct fx fx;
	char caller[32];
	const char *t, *p;
	uint64_t total = 0, v;
	size_t n = 0;

	fx_open(&fx, METRICS_TOP_DEFAULT);
	for (int i = 0; i < METRICS_SERIES_MAX + 1000; i++) {
		snprintf(caller, sizeof(caller), "f%05d", i);
		ino_n(fx.mx, "pipefs", "pipefs", caller, 1 + (i < 5));
	}
	t = render(&fx, MF_TEXT);
	for (p = t; (p = strstr(p, "\nevtrace_ino_allocations_total{")); p++) {
		assert_int_equal(sscanf(strchr(p, '}') + 1, " %" SCNu64, &v), 1);
		total += v;
		n++;
	}
	assert_int_equal(total, METRICS_SERIES_MAX + 1000 + 5);
	/* the 20 callers kept, the rest of pipefs, and the table's overflow */
	assert_int_equal(n, METRICS_TOP_DEFAULT + 2);
	assert_line(t, "evtrace_ino_allocations_total{fs=\"pipefs\",mount=\"pipefs\",caller=\"f00000\",cgroup=\"?\"} 2");
	assert_line(t, "evtrace_ino_allocations_total{fs=\"other\",mount=\"other\",caller=\"other\",cgroup=\"other\"} 1000");
	fx_close(&fx);
}

/* OpenMetrics: counters' family without _total, info for the build, # EOF. */
static void test_openmetrics(void **state)
{
	struct fx fx;
	const char *t;

	fx_open(&fx, METRICS_TOP_DEFAULT);
	ino_alloc(&fx, T0, TRACEFS_DEV, "tracefs", "tracefs_create_file", 4000);
	dentry_life(&fx, T0 + MS(1), D1, 2);
	t = render(&fx, MF_OPENMETRICS);
	assert_families(t, MF_OPENMETRICS);
	assert_line(t, "# TYPE evtrace_ino_allocations counter");
	assert_line(t, "evtrace_ino_allocations_total{fs=\"tracefs\",mount=\"/sys/kernel/tracing\","
		       "caller=\"tracefs_create_file\",cgroup=\"?\"} 1");
	assert_line(t, "# TYPE evtrace_build info");
	assert_line(t, "# TYPE evtrace_dentry_lifetime_seconds histogram");
	assert_line(t, "evtrace_dentry_lifetime_seconds_count{fs=\"tracefs\"} 1");
	assert_no_line_starting(t, "# TYPE evtrace_ino_allocations_total");
	assert_true(strlen(t) > 6 && !strcmp(t + strlen(t) - 6, "# EOF\n"));
	t = render(&fx, MF_TEXT);
	assert_null(strstr(t, "# EOF"));
	fx_close(&fx);
}

/* The flight recorder's dumps: a counter when -o --dump-on runs beside, else no family. */
static void test_flight_dumps(void **state)
{
	struct metrics_run run = { .mode = "live", .event_rate = -1, .cpu_seconds = -1 };
	struct fx fx;
	const char *t;

	(void)state;
	fx_open(&fx, METRICS_TOP_DEFAULT);
	t = render_run(&fx, MF_TEXT, &run);
	assert_null(strstr(t, "evtrace_flight_dumps"));
	run.flight = true;
	run.dumps = 3;
	t = render_run(&fx, MF_TEXT, &run);
	assert_line(t, "# TYPE evtrace_flight_dumps_total counter");
	assert_line(t, "evtrace_flight_dumps_total 3");
	t = render_run(&fx, MF_OPENMETRICS, &run);
	assert_line(t, "# TYPE evtrace_flight_dumps counter");
	assert_line(t, "evtrace_flight_dumps_total 3");
	/* the kernel's BPF statistics, when they are on */
	assert_null(strstr(t, "evtrace_bpf_run"));
	run.bpf_known = true;
	run.bpf_runs = 1234;
	run.bpf_ns = 2500000001ull;
	t = render_run(&fx, MF_TEXT, &run);
	assert_line(t, "evtrace_bpf_runs_total 1234");
	assert_line(t, "# TYPE evtrace_bpf_run_seconds_total counter");
	assert_line(t, "evtrace_bpf_run_seconds_total 2.500000001");
	fx_close(&fx);
}

static void test_negotiate(void **state)
{
	/* what Prometheus 2.42 sends */
	assert_int_equal(metrics_negotiate("application/openmetrics-text;version=1.0.0,"
					   "application/openmetrics-text;version=0.0.1;q=0.75,"
					   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
			 MF_OPENMETRICS);
	assert_int_equal(metrics_negotiate(NULL), MF_TEXT);
	assert_int_equal(metrics_negotiate("*/*"), MF_TEXT);
	assert_int_equal(metrics_negotiate("text/plain;version=0.0.4"), MF_TEXT);
	assert_int_equal(metrics_negotiate("application/openmetrics-text; q=0"), MF_TEXT);
	assert_string_equal(metrics_content_type(MF_OPENMETRICS),
			    "application/openmetrics-text; version=1.0.0; charset=utf-8");
	assert_string_equal(metrics_content_type(MF_TEXT), "text/plain; version=0.0.4; charset=utf-8");
}

/* The textfile: whole, 0644 under any umask, a symlink at its name replaced, not followed. */
static void test_textfile(void **state)
{
	char dir[] = "/tmp/evtrace-metrics.XXXXXX", path[128], victim[128], buf[64];
	struct stat sb;
	mode_t old = umask(077);
	struct dirent *de;
	DIR *d;
	int fd, n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/" METRICS_FILE, dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	fd = open(victim, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(metrics_write_textfile(dir, "a 1\n", 4), 0);
	umask(old);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0644);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "a 1\n", 4);
	fd = open(victim, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "keep", 4);
	/* no temporary left behind */
	d = opendir(dir);
	n = 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
	closedir(d);
	assert_int_equal(n, 2);
	assert_int_equal(metrics_write_textfile("/nonexistent-dir", "a 1\n", 4), -ENOENT);
	unlink(path);
	unlink(victim);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_gauges),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_top_k),
		cmocka_unit_test(test_cgroup_label),
		cmocka_unit_test(test_series_bound),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_flight_dumps),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_textfile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
