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
 * complete chunks.
 */
#include "unit.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "evtrace.h"
#include "replay.h"
#include "session.h"
#include "tracefile.h"

#define START_NS	1000000000ull
#define STEP_NS		1000ull
#define N_EVENTS	3000

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
	strcpy(r->fs, "tracefs");
	strcpy(r->caller, "eventfs_get_inode");
}

static void seal_to(int fd, struct tf_chunk *c)
{
	uint8_t *p;
	size_t len;

	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	assert_int_equal(tf_write_all(fd, p, len), 0);
	free(p);
	tf_chunk_reset(c);
}

/*
 * META (1 mount), events 0..1499, MOUNTS (2), events 1500..2047,
 * MOUNTS (3), MOUNTS (4), events 2048..2999, TRAILER.  1500 and 2048 are
 * not multiples of the reader's batch, 2048 is.
 */
static char *make_file(bool trailer)
{
	struct tf_meta m = {
		.evtrace_version = "test", .kernel_release = "6.12.0", .machine = "x86_64",
		.ncpus = 2, .start_ns = START_NS, .mounts = { ents, 1 },
	};
	struct tf_trailer tr = { .end_ns = START_NS + N_EVENTS * STEP_NS,
				 .events = N_EVENTS, .chunks = 3 };
	struct tf_chunk *c = tf_chunk_new();
	char *path = tmpfile_with_len("", 0);
	struct mount_table mt;
	struct et_rec r;
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int i = 0; i < N_EVENTS; i++) {
		if (i == 1500 || i == 2048) {
			seal_to(fd, c);
			mt = (struct mount_table){ ents, i == 1500 ? 2 : 3 };
			assert_int_equal(tf_write_mounts(fd, START_NS + i * STEP_NS - 1, &mt), 0);
			if (i == 2048) {
				mt.n = 4;
				assert_int_equal(tf_write_mounts(fd, START_NS + i * STEP_NS, &mt), 0);
			}
		}
		rec_at(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	seal_to(fd, c);
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
};

static int sink(void *ctx, const struct et_rec *r)
{
	struct seen *sn = ctx;

	assert_true(sn->n < N_EVENTS);
	assert_int_equal((r->ts_ns - START_NS) % STEP_NS, 0);
	sn->idx[sn->n] = (r->ts_ns - START_NS) / STEP_NS;
	assert_int_equal(r->ino, 1000 + sn->idx[sn->n]);
	sn->mounts[sn->n] = sn->s->mounts.n;
	sn->n++;
	if (sn->stop && sn->n == sn->stop_after)
		*sn->stop = 1;
	return !sn->stop && sn->n == sn->stop_after;
}

static int expected_mounts(int i)
{
	return i < 1500 ? 1 : i < 2048 ? 2 : 4;
}

/* Replays path with o's options into sn; returns replay_run()'s status. */
static int replay(const char *path, struct replay_opts *o, struct seen *sn,
		  struct et_stats *st)
{
	struct session_opts so = { 0 };

	assert_int_equal(session_init(sn->s, &so), 0);
	o->path = path;
	o->s = sn->s;
	o->sink = sink;
	o->ctx = sn;
	memset(st, 0, sizeof(*st));
	return replay_run(o, st);
}

static void test_all_in_order_with_mounts(void **state)
{
	struct filters f = { 0 };
	struct replay_opts o = { .filters = &f };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(true);

	(void)state;
	sn->s = &s;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, N_EVENTS);
	assert_int_equal(st.total, N_EVENTS);
	assert_int_equal(st.n[ET_INO_ALLOC], N_EVENTS);
	for (int i = 0; i < N_EVENTS; i++) {
		assert_int_equal(sn->idx[i], i);
		assert_int_equal(sn->mounts[i], expected_mounts(i));
	}
	/* the last table stays in force after the replay */
	assert_int_equal(s.mounts.n, 4);
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

static void test_pid_filter(void **state)
{
	struct filters f = { .pids = { 101 }, .npids = 1 };
	struct replay_opts o = { .filters = &f };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(true);

	(void)state;
	sn->s = &s;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, N_EVENTS / 3);
	for (int k = 0; k < sn->n; k++) {
		assert_int_equal(sn->idx[k], 3 * k + 1);
		/* tables change even across events the filter drops */
		assert_int_equal(sn->mounts[k], expected_mounts(sn->idx[k]));
	}
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

static void test_time_window(void **state)
{
	struct filters f = { 0 };
	/* 0.5 ms .. 2.5 ms after the start: events 500..2500 inclusive */
	struct replay_opts o = { .filters = &f, .from_s = 0.0005, .to_s = 0.0025 };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(true);

	(void)state;
	sn->s = &s;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, 2001);
	assert_int_equal(st.total, 2001);
	for (int k = 0; k < sn->n; k++) {
		assert_int_equal(sn->idx[k], 500 + k);
		assert_int_equal(sn->mounts[k], expected_mounts(500 + k));
	}
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

static void test_sink_stops(void **state)
{
	struct filters f = { 0 };
	struct replay_opts o = { .filters = &f };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(true);

	(void)state;
	sn->s = &s;
	sn->stop_after = 1201;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, 1201);
	assert_int_equal(st.total, 1201);
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

static void test_stop_flag(void **state)
{
	static volatile sig_atomic_t stop;
	struct filters f = { 0 };
	struct replay_opts o = { .filters = &f, .stop = &stop };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(true);

	(void)state;
	stop = 0;
	sn->s = &s;
	sn->stop = &stop;
	sn->stop_after = 77;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, 77);
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

/* Cut in the middle of the last chunk: the first two chunks, nothing else. */
static void test_truncated(void **state)
{
	struct filters f = { 0 };
	struct replay_opts o = { .filters = &f };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;
	char *path = make_file(false);
	struct stat sb;

	(void)state;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(truncate(path, sb.st_size - 10), 0);
	sn->s = &s;
	assert_int_equal(replay(path, &o, sn, &st), EXIT_OK);
	assert_int_equal(sn->n, 2048);
	for (int i = 0; i < sn->n; i++)
		assert_int_equal(sn->idx[i], i);
	/* the events before the cut saw only the tables recorded before them */
	assert_int_equal(sn->mounts[2047], 2);
	session_free(&s);
	free(sn);
	tmpfile_remove(path);
}

static void test_missing_file(void **state)
{
	struct filters f = { 0 };
	struct replay_opts o = { .filters = &f };
	struct session s;
	struct seen *sn = calloc(1, sizeof(*sn));
	struct et_stats st;

	(void)state;
	sn->s = &s;
	assert_int_equal(replay("/nonexistent/evtrace.evt", &o, sn, &st), EXIT_ENV);
	assert_int_equal(sn->n, 0);
	session_free(&s);
	free(sn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_in_order_with_mounts),
		cmocka_unit_test(test_pid_filter),
		cmocka_unit_test(test_time_window),
		cmocka_unit_test(test_sink_stops),
		cmocka_unit_test(test_stop_flag),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
