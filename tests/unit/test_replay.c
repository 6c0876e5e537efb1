// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_run(): the file source behind `evtrace replay`, `hist FILE` and
 * `events FILE`.  It reads on a second thread and hands batches over, so
 * what is checked here is what that must not change: every event arrives
 * once and in file order; each mount-table change takes effect exactly
 * before the first event recorded after it (including two changes in a
 * row, and a change at a batch boundary); filters and the --from/--to
 * window drop exactly what they should; a sink or the stop flag that says
 * stop stops delivery at once; a file cut mid-chunk still delivers its
 * complete chunks.  And the session's -m: lifetimes divided before bucketing.
 */
#include "unit.h"
#include "helpers.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "lib/common.h"
#include "source/replay.h"
#include "pipeline/session.h"
#include "file/tracefile.h"
#include "lib/cgroups.h"

#define START_NS	1000000000ull
#define STEP_NS		1000ull
#define N_EVENTS	3000
#define LATE_CG_AT	2600	/* a CGROUPS section names cgroup 9 before this event */

/* Mount tables of 1..4 entries: the count says which one is in force. */
static struct mount_ent ents[4] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
	{ .dev = ET_MKDEV(0u, 22u), .fstype = "proc", .path = "/proc" },
	{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext4", .path = "/" },
	{ .dev = ET_MKDEV(0u, 5u), .fstype = "devtmpfs", .path = "/dev" },
};

static void rec_at(struct et_rec *r, int i)
{
	memset(r, 0, sizeof(*r));
	r->type = ET_INO_ALLOC;
	r->ts_ns = START_NS + (uint64_t)i * STEP_NS;
	r->pid = r->tid = 100 + i % 3;
	r->ino = 1000 + i;
	r->dev_major = 0;
	r->dev_minor = 13;
	snprintf(r->comm, sizeof(r->comm), "task%d", i % 3);
	/* a cgroup META names, one a later MOUNTS section does, one a CGROUPS section */
	r->cgroup_id = i < 1500 ? 7 : i < LATE_CG_AT ? 8 : 9;
	strcpy(r->fs, "tracefs");
	strcpy(r->caller, "eventfs_get_inode");
}

/*
 * META (1 mount), events 0..1499, MOUNTS (2), events 1500..2047,
 * MOUNTS (3), MOUNTS (4), events 2048..2599, CGROUPS (cgroup 9), events
 * 2600..2999, TRAILER.  1500 and 2600 are not multiples of the reader's
 * batch, 2048 is.
 */
static char *make_file(bool trailer, uint64_t start)
{
	struct tf_meta m = {
		.evtrace_version = "test", .kernel_release = "6.12.0", .machine = "x86_64",
		.ncpus = 2, .start_ns = start, .mounts = { ents, 1 },
	};
	struct tf_trailer tr = { .end_ns = START_NS + N_EVENTS * STEP_NS,
				 .events = N_EVENTS, .chunks = 3 };
	struct tf_chunk *c = tf_chunk_new();
	char *path = tmpfile_with_len("", 0);
	struct mount_table mt;
	struct et_rec r;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	struct cgroups *cg = cgroups_new(NULL, 0);

	assert_true(fd >= 0);
	assert_non_null(c);
	assert_int_equal(cgroups_add(cg, 7, "/start"), 0);
	tf_set_cgroups(cg);
	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int i = 0; i < N_EVENTS; i++) {
		if (i == 1500 || i == 2048) {
			seal_to(fd, c);
			assert_int_equal(cgroups_add(cg, 8, "/later"), 0);
			mt = (struct mount_table){ ents, i == 1500 ? 2 : 3 };
			assert_int_equal(tf_write_mounts(fd, START_NS + i * STEP_NS - 1, &mt), 0);
			if (i == 2048) {
				mt.n = 4;
				assert_int_equal(tf_write_mounts(fd, START_NS + i * STEP_NS, &mt), 0);
			}
		}
		if (i == LATE_CG_AT) {
			struct cgroups *late = cgroups_new(NULL, 0);

			seal_to(fd, c);
			assert_int_equal(cgroups_add(late, 9, "/late.scope"), 0);
			assert_int_equal(tf_write_cgroups(fd, START_NS + i * STEP_NS, late), 0);
			cgroups_free(late);
		}
		rec_at(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	seal_to(fd, c);
	tf_set_cgroups(NULL);
	cgroups_free(cg);
	if (trailer)
		assert_int_equal(tf_write_trailer(fd, &tr), 0);
	tf_chunk_free(c);
	assert_int_equal(close(fd), 0);
	return path;
}

/* What the sink saw. */
struct seen {
	struct session *s;
	int n, stop_after;		/* stop_after: sink returns 1 there */
	volatile sig_atomic_t *stop;	/* or sets *stop there */
	int idx[N_EVENTS];		/* the event's number, from its ts */
	int mounts[N_EVENTS];		/* the table in force when it arrived */
	int named;			/* events whose cgroup the session named then */
	int early;			/* events before LATE_CG_AT when it named cgroup 9 */
};

static int sink(void *ctx, const struct et_rec *r)
{
	struct seen *sn = ctx;

	assert_true(sn->n < N_EVENTS);
	assert_int_equal((r->ts_ns - START_NS) % STEP_NS, 0);
	sn->idx[sn->n] = (r->ts_ns - START_NS) / STEP_NS;
	assert_int_equal(r->ino, 1000 + sn->idx[sn->n]);
	sn->mounts[sn->n] = sn->s->mounts.n;
	{
		char path[CG_PATH_LEN];

		sn->named += cgroups_path(sn->s->cgroups, r->cgroup_id, path, sizeof(path)) &&
			     !strcmp(path, r->cgroup_id == 7 ? "/start" :
					   r->cgroup_id == 8 ? "/later" : "/late.scope");
		/* however far ahead the reader's thread is */
		sn->early += sn->idx[sn->n] < LATE_CG_AT &&
			     cgroups_path(sn->s->cgroups, 9, path, sizeof(path));
	}
	sn->n++;
	if (sn->stop && sn->n == sn->stop_after)
		*sn->stop = 1;
	return !sn->stop && sn->n == sn->stop_after;
}

/* The source's mount tables, into the session as the pipeline does. */
static int set_mounts(void *ctx, const struct mount_table *mt)
{
	struct seen *sn = ctx;

	return session_set_mounts(sn->s, mt);
}

static int expected_mounts(int i)
{
	return i < 1500 ? 1 : i < 2048 ? 2 : 4;
}

static int set_cgroups(void *ctx, struct cgroups *cg)
{
	struct seen *sn = ctx;

	return session_set_cgroups(sn->s, cg);
}

/* One test's file, session and what its sink saw. */
struct fix {
	char *path;
	struct session s;
	struct filters f;
	struct replay_opts o;
	struct seen sn;
	struct et_stats st;
};

static int setup_with(void **state, bool trailer, uint64_t start)
{
	struct fix *x = calloc(1, sizeof(*x));
	struct session_opts so = { 0 };

	assert_non_null(x);
	x->path = make_file(trailer, start);
	assert_int_equal(session_init(&x->s, &so), 0);
	x->sn.s = &x->s;
	x->o = (struct replay_opts){ .path = x->path, .filters = &x->f, .mounts = set_mounts,
				     .cgroups = set_cgroups, .sink = sink, .ctx = &x->sn };
	*state = x;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true, START_NS);
}

static int setup_no_trailer(void **state)
{
	return setup_with(state, false, START_NS);
}

/* META's start 2 ms after the first event, as recorders before 2026-11-24 took it */
static int setup_late_start(void **state)
{
	return setup_with(state, true, START_NS + 2000000);
}

static int teardown(void **state)
{
	struct fix *x = *state;

	session_free(&x->s);
	tmpfile_remove(x->path);
	free(x);
	return 0;
}

static int replay(struct fix *x)
{
	return replay_run(&x->o, &x->st);
}

static void test_all_in_order_with_mounts(void **state)
{
	struct fix *x = *state;

	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, N_EVENTS);
	assert_int_equal(x->st.total, N_EVENTS);
	assert_int_equal(x->st.n[ET_INO_ALLOC], N_EVENTS);
	for (int i = 0; i < N_EVENTS; i++) {
		assert_int_equal(x->sn.idx[i], i);
		assert_int_equal(x->sn.mounts[i], expected_mounts(i));
	}
	/* the last table stays in force after the replay */
	assert_int_equal(x->s.mounts.n, 4);
	/* every event's cgroup named as it arrived: META's, then MOUNTS', then CGROUPS' */
	assert_int_equal(x->sn.named, N_EVENTS);
	/* and no sooner: a name applies from where the file has it */
	assert_int_equal(x->sn.early, 0);
}

static void test_pid_filter(void **state)
{
	struct fix *x = *state;

	x->f.pids[x->f.npids++] = 101;
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, N_EVENTS / 3);
	for (int k = 0; k < x->sn.n; k++) {
		assert_int_equal(x->sn.idx[k], 3 * k + 1);
		/* tables change even across events the filter drops */
		assert_int_equal(x->sn.mounts[k], expected_mounts(x->sn.idx[k]));
	}
}

static void test_time_window(void **state)
{
	struct fix *x = *state;

	/* 0.5 ms .. 2.5 ms after the start: events 500..2500 inclusive */
	x->o.from_s = 0.0005;
	x->o.to_s = 0.0025;
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, 2001);
	assert_int_equal(x->st.total, 2001);
	for (int k = 0; k < x->sn.n; k++) {
		assert_int_equal(x->sn.idx[k], 500 + k);
		assert_int_equal(x->sn.mounts[k], expected_mounts(500 + k));
	}
}

/*
 * --from/--to count from the trace's start, the time every command
 * prints: a file whose events begin before its recorded start counts
 * from its first event (file/tracefile.h), so the window is the same.
 */
static void test_time_window_late_start(void **state)
{
	struct fix *x = *state;

	x->o.from_s = 0.0005;
	x->o.to_s = 0.0025;
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, 2001);
	assert_int_equal(x->sn.idx[0], 500);
	assert_int_equal(x->sn.idx[2000], 2500);
}

static void test_sink_stops(void **state)
{
	struct fix *x = *state;

	x->sn.stop_after = 1201;
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, 1201);
	assert_int_equal(x->st.total, 1201);
}

static void test_stop_flag(void **state)
{
	static volatile sig_atomic_t stop;
	struct fix *x = *state;

	stop = 0;
	x->o.stop = &stop;
	x->sn.stop = &stop;
	x->sn.stop_after = 77;
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, 77);
}

/* Cut in the middle of the last chunk: the first three chunks, nothing else. */
static void test_truncated(void **state)
{
	struct fix *x = *state;
	struct stat sb;

	assert_int_equal(stat(x->path, &sb), 0);
	assert_int_equal(truncate(x->path, sb.st_size - 10), 0);
	assert_int_equal(replay(x), EXIT_OK);
	assert_int_equal(x->sn.n, LATE_CG_AT);
	for (int i = 0; i < x->sn.n; i++)
		assert_int_equal(x->sn.idx[i], i);
	/* the events before the cut saw only the tables recorded before them */
	assert_int_equal(x->sn.mounts[2047], 2);
}

/* A dentry of tracefs born at ts and killed life_us later, into session s. */
static void dentry_lives(struct session *s, uint64_t id, uint64_t ts, uint64_t life_us)
{
	struct et_rec r = test_rec(ET_DENTRY_ALLOC, ts);

	r.dev_major = 0;
	r.dev_minor = 14;
	strcpy(r.fs, "tracefs");
	r.obj_id = id;
	strcpy(r.name, "d");
	assert_int_equal(session_feed(s, &r), 0);
	r.type = ET_DENTRY_KILL;
	r.ts_ns = ts + life_us * 1000;
	assert_int_equal(session_feed(s, &r), 0);
}

/*
 * hist -m: each lifetime divided by 1000 before it is bucketed, as bcc's
 * biolatency -m, so 1999 us is 1 ms (bucket 1 -> 1) and 2000 us is 2 ms
 * (2 -> 3), min, max and sum in msecs; without -m the same values in usecs.
 */
static void test_session_msecs(void **state)
{
	struct session_opts so = { .hist = true, .of = S_DENTRY_LIFE, .by = BY_FS };
	struct session s;
	char *buf = NULL;
	size_t len;
	FILE *f;

	for (int ms = 0; ms < 2; ms++) {
		so.msecs = ms;
		assert_int_equal(session_init(&s, &so), 0);
		dentry_lives(&s, 1, START_NS, 1999);
		dentry_lives(&s, 2, START_NS, 2000);
		dentry_lives(&s, 3, START_NS, 3999);
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		hist_print_json(f, s.hist, ms ? "msecs" : "usecs");
		assert_int_equal(fclose(f), 0);
		if (ms)
			assert_string_equal(buf,
				"{\"unit\":\"msecs\",\"scale\":\"log2\",\"step\":0,\"groups\":[{\"group\":"
				"\"tracefs\",\"count\":3,\"min\":1,\"max\":3,\"sum\":6,\"buckets\":["
				"{\"lo\":1,\"hi\":2,\"count\":1},{\"lo\":2,\"hi\":4,\"count\":2}]}]}\n");
		else
			assert_string_equal(buf,
				"{\"unit\":\"usecs\",\"scale\":\"log2\",\"step\":0,\"groups\":[{\"group\":"
				"\"tracefs\",\"count\":3,\"min\":1999,\"max\":3999,\"sum\":7998,"
				"\"buckets\":[{\"lo\":1024,\"hi\":2048,\"count\":2},"
				"{\"lo\":2048,\"hi\":4096,\"count\":1}]}]}\n");
		free(buf);
		buf = NULL;
		session_free(&s);
	}
}

static void test_missing_file(void **state)
{
	struct fix *x = *state;

	x->o.path = "/nonexistent/evtrace.evt";
	assert_int_equal(replay(x), EXIT_ENV);
	assert_int_equal(x->sn.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_in_order_with_mounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_window_late_start, setup_late_start,
						teardown),
		cmocka_unit_test_setup_teardown(test_sink_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup_no_trailer, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test(test_session_msecs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
