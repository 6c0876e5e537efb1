// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder without BPF: events in, file out, read back by the reader.
 * A clean close leaves every event and a trailer; ring mode keeps only the
 * window; --max-size stops it; mount changes land between the right events.
 */
#include "unit.h"

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file/recorder.h"
#include "lib/cgroups.h"
#include "file/tracefile.h"

static void ev(struct et_rec *r, uint64_t i, uint64_t ts)
{
	memset(r, 0, sizeof(*r));
	r->type = ET_INO_ALLOC;
	r->ts_ns = ts;
	r->pid = r->tid = 42;
	r->ino = i;
	r->obj_id = 0x1000 + i;
	strcpy(r->comm, "sh");
	strcpy(r->fs, "pipefs");
	strcpy(r->caller, "create_pipe_files");
}

static char *tmp_path(void)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/evtrace-rec-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	/*
	 * Only the name was wanted: the recorder makes the file itself, and
	 * would keep an empty one found there as PATH.old, left in /tmp.
	 */
	unlink(path);
	return path;
}

/* Read a file back: the events' ino values in order, and its status. */
static size_t read_back(const char *path, uint64_t *inos, size_t max, struct tf_status *st,
			uint64_t *mounts_before)
{
	struct tf_reader *rd;
	struct et_rec r;
	char err[200];
	size_t n = 0;

	rd = tf_open(path, err, sizeof(err));
	if (!rd)
		fail_msg("%s: %s", path, err);
	while (tf_next(rd, &r) == 1) {
		if (tf_mounts_changed(rd, NULL) && mounts_before)
			*mounts_before = r.ino;
		if (n < max)
			inos[n] = r.ino;
		n++;
	}
	tf_reader_status(rd, st);
	tf_close(rd);
	return n;
}

static void test_clean_close(void **state)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 40u), .fstype = "ramfs", .path = "/mnt/new" };
	struct mount_table mt = { &ent, 1 };
	struct recorder_opts o = { .path = tmp_path() };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	uint64_t *inos = calloc(50000, sizeof(*inos)), before = 0;
	size_t n;

	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	for (uint64_t i = 0; i < 50000; i++) {
		if (i == 30000)
			recorder_mounts(rc, 1000 + i, &mt);
		ev(&r, i, 1000 + i);
		assert_int_equal(recorder_add(rc, &r), 0);
	}
	/* a lost record counts, and stays in the stream */
	memset(&r, 0, sizeof(r));
	r.type = ET_LOST;
	r.ts_ns = 99999;
	r.value = 7;
	recorder_add(rc, &r);
	/* the generation table's overflow reaches the trailer (issue 14) */
	recorder_no_generation(rc, 123456789012ull);
	assert_int_equal(recorder_close(rc, 100000, &rs), 0);
	assert_int_equal(rs.events, 50000);
	assert_int_equal(rs.lost, 7);
	assert_int_equal(rs.dropped, 0);

	n = read_back(o.path, inos, 50000, &st, &before);
	assert_int_equal(n, 50001);
	for (size_t i = 0; i < 50000; i++)
		assert_int_equal(inos[i], i);
	/* the new mount table arrives with the first event after it */
	assert_int_equal(before, 30000);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.events, 50000);
	assert_int_equal(st.trailer.lost, 7);
	assert_int_equal(st.trailer.no_generation, 123456789012ull);
	{
		struct stat sb;

		/* what it says it wrote is what is on disk */
		assert_int_equal(stat(o.path, &sb), 0);
		assert_int_equal(rs.bytes, (uint64_t)sb.st_size);
	}
	unlink(o.path);
	free(inos);
}

/* Ring mode keeps the last ring_ns of event time; a dump writes it now. */
static void test_ring(void **state)
{
	struct recorder_opts o = { .path = tmp_path(), .ring_ns = 2000000000ull };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	uint64_t *inos = calloc(100000, sizeof(*inos));
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	size_t n;

	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	/* 10 s of events, 1 ms apart, in chunks of 1000 */
	for (uint64_t i = 0; i < 10000; i++) {
		ev(&r, i, i * 1000000ull);
		recorder_add(rc, &r);
		if (i % 1000 == 999)
			recorder_dump(rc);	/* seals the chunk, rewrites the file */
	}
	recorder_no_generation(rc, 5);
	assert_int_equal(recorder_close(rc, 10000000000ull, &rs), 0);
	n = read_back(o.path, inos, 100000, &st, NULL);
	/* whole chunks within 2 s of the newest: 2 or 3 of the 10 */
	assert_true(n >= 2000 && n <= 3000);
	assert_int_equal(inos[n - 1], 9999);
	assert_true(rs.ring_discarded >= 7);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.no_generation, 5);
	unlink(o.path);
	free(inos);
}

/*
 * A consumer that was not scheduled for a while reads seconds of events at
 * once, with no tick between them: the chunks still end at --flush of the
 * events' own time, so --ring 1 --flush 0.5 keeps at most 1.5 s of them
 * (one chunk held them all before, and the dump held all 5 s).
 */
static void test_ring_event_time(void **state)
{
	struct recorder_opts o = { .path = tmp_path(), .ring_ns = 1000000000ull,
				   .flush_ns = 500000000ull };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	uint64_t *inos = calloc(10000, sizeof(*inos));
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	size_t n;

	(void)state;
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	/* 5 s of events, 1 ms apart, all in one go */
	for (uint64_t i = 0; i < 5000; i++) {
		ev(&r, i, (i + 1) * 1000000ull);
		assert_int_equal(recorder_add(rc, &r), 0);
	}
	assert_int_equal(recorder_close(rc, 6000000000ull, &rs), 0);
	n = read_back(o.path, inos, 10000, &st, NULL);
	assert_int_equal(inos[n - 1], 4999);
	/* whole chunks of 0.5 s whose last event is within 1 s of the newest */
	if (n < 1000 || n > 1502)
		fail_msg("the ring kept %zu events (%.3f s), not 1 to 1.5 s", n, n / 1000.0);
	for (size_t i = 1; i < n; i++)
		assert_int_equal(inos[i], inos[i - 1] + 1);
	assert_true(rs.ring_discarded >= 6);
	assert_true(st.trailer_seen);
	unlink(o.path);
	free(inos);
}

/* --ring SEC alone is bounded in bytes too; --ring-size says otherwise. */
static void test_ring_default_cap(void **state)
{
	struct recorder_opts o = { .path = tmp_path(), .ring_ns = 30000000000ull };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct recorder_stats rs;
	struct recorder *rc;

	(void)state;
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	assert_int_equal(recorder_close(rc, 2, &rs), 0);
	assert_int_equal(rs.ring_cap, RECORDER_RING_BYTES);
	o.ring_bytes = 1 << 20;
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	assert_int_equal(recorder_close(rc, 2, &rs), 0);
	assert_int_equal(rs.ring_cap, 1 << 20);
	unlink(o.path);
}

/*
 * The ring buffer's thread never waits for the writer: with the writer
 * held back and every chunk in flight, a mount change and a dump return
 * at once; both happen once the writer goes on, in order.
 */
static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static bool held;

static void hold_writer(void)
{
	pthread_mutex_lock(&hold_lock);
	while (held)
		pthread_cond_wait(&hold_cond, &hold_lock);
	pthread_mutex_unlock(&hold_lock);
}

static void release_writer(void)
{
	pthread_mutex_lock(&hold_lock);
	held = false;
	pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
}

struct caller {
	struct recorder *rc;
	const struct mount_table *mt;
	bool done;
};

static void *mounts_and_dump(void *arg)
{
	struct caller *c = arg;

	recorder_mounts(c->rc, 5000, c->mt);
	recorder_dump(c->rc);
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A writer that takes one item per token, and says when it waits for the
 * next: the queue's fill is then known exactly.
 */
static unsigned int tokens, waits;

static void step_writer(void)
{
	pthread_mutex_lock(&hold_lock);
	waits++;
	pthread_cond_broadcast(&hold_cond);
	while (!tokens)
		pthread_cond_wait(&hold_cond, &hold_lock);
	tokens--;
	pthread_mutex_unlock(&hold_lock);
}

/* One more item written; back once the writer waits at the next one. */
static void step(void)
{
	unsigned int w;

	pthread_mutex_lock(&hold_lock);
	w = waits;
	tokens++;
	pthread_cond_broadcast(&hold_cond);
	while (waits == w)
		pthread_cond_wait(&hold_cond, &hold_lock);
	pthread_mutex_unlock(&hold_lock);
}

/*
 * A mount change while the writer frees one slot at a time: it went with
 * the open chunk into the last free slot, failed for want of another, and
 * so at every event after (it reached the file only at the close, after
 * every event).  It now waits for room for both and lands a slot later.
 */
static void test_mounts_when_writer_behind(void **state)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 42u), .fstype = "ramfs", .path = "/mnt/slow" };
	struct mount_table mt = { &ent, 1 };
	struct recorder_opts o = { .path = tmp_path(), .flush_ns = 1 };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	uint64_t i, inos[128], before = 0;
	size_t n;

	(void)state;
	tokens = waits = 0;
	recorder_writer_hook = step_writer;
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	/* a chunk of one event per tick until the queue is full */
	for (i = 0; i < 20; i++) {
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
		recorder_tick(rc);
	}
	recorder_mounts(rc, 1000 + i, &mt);
	/* the writer frees a slot; an event and a tick; again */
	for (int k = 0; k < 8; k++, i++) {
		step();
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
		recorder_tick(rc);
	}
	pthread_mutex_lock(&hold_lock);
	tokens = 1000;		/* the rest at once */
	pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
	assert_int_equal(recorder_close(rc, 100000, &rs), 0);
	recorder_writer_hook = NULL;
	assert_int_equal(rs.dropped, 0);
	n = read_back(o.path, inos, 128, &st, &before);
	assert_int_equal(n, i);
	assert_true(st.trailer_seen);
	/* the second freed slot lets the open chunk and the table go, at event 22 */
	if (before < 20 || before > 22)
		fail_msg("the mount change reached the file before event %llu, not 20 to 22 "
			 "(0: after the last one)", (unsigned long long)before);
	unlink(o.path);
}

static void test_never_waits_for_writer(void **state)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 41u), .fstype = "ramfs", .path = "/mnt/late" };
	struct mount_table mt = { &ent, 1 };
	struct recorder_opts o = { .path = tmp_path(), .ring_ns = 100000000000ull, .flush_ns = 1 };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct caller c = { .mt = &mt };
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	pthread_t th;
	uint64_t i, inos[64];
	bool early;
	size_t n;

	(void)state;
	c.rc = rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	held = true;
	recorder_writer_hook = hold_writer;
	/* a chunk of one event per tick: the writer holds the first, the rest queue up */
	for (i = 0; i < 40; i++) {
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
		recorder_tick(rc);
	}
	assert_int_equal(pthread_create(&th, NULL, mounts_and_dump, &c), 0);
	for (int ms = 0; ms < 3000 && !__atomic_load_n(&c.done, __ATOMIC_ACQUIRE); ms++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	/* the old recorder waited here for the writer, held until now */
	early = __atomic_load_n(&c.done, __ATOMIC_ACQUIRE);
	if (early) {
		/* the same dump still waiting: one will do; another file's must wait its turn */
		assert_int_equal(recorder_dump(rc), 1);
		assert_int_equal(recorder_dump_to(rc, "/tmp/evtrace-rec-never"), -EBUSY);
	}
	release_writer();
	recorder_writer_hook = NULL;
	pthread_join(th, NULL);
	assert_true(early && "returned while the writer was held");
	for (; i < 50; i++) {
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
		recorder_tick(rc);
	}
	assert_int_equal(recorder_close(rc, 100000, &rs), 0);
	assert_int_equal(rs.dumps, 1);
	assert_int_equal(rs.dump_err, 0);
	n = read_back(o.path, inos, 64, &st, NULL);
	assert_int_equal(n, rs.events);
	assert_int_equal(inos[n - 1], 49);
	{
		/* the final dump has the table in force: the late one */
		char err[200];
		struct tf_reader *rd = tf_open(o.path, err, sizeof(err));
		const struct mount_table *got;

		assert_non_null(rd);
		got = &tf_reader_meta(rd)->mounts;
		assert_true(got->n == 1 && !strcmp(got->v[0].path, "/mnt/late"));
		tf_close(rd);
	}
	unlink(o.path);
}

/* --dump-on's dump goes to a file of its own; the recording's is written at exit. */
static void test_dump_to(void **state)
{
	struct recorder_opts o = { .path = tmp_path(), .ring_ns = 100000000000ull };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	char other[80];
	uint64_t inos[64];
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;

	(void)state;
	snprintf(other, sizeof(other), "%s-KIND.evt", o.path);
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	for (uint64_t i = 0; i < 30; i++) {
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
	}
	assert_int_equal(recorder_dump_to(rc, other), 0);
	for (uint64_t i = 30; i < 40; i++) {
		ev(&r, i, 1000 + i);
		recorder_add(rc, &r);
	}
	assert_int_equal(recorder_close(rc, 100000, &rs), 0);
	assert_int_equal(rs.dumps, 1);
	/* the dump: the 30 events before it, no trailer (the recording went on) */
	assert_int_equal(read_back(other, inos, 64, &st, NULL), 30);
	assert_int_equal(inos[29], 29);
	assert_false(st.trailer_seen);
	/* the recording's own file: all 40, closed */
	assert_int_equal(read_back(o.path, inos, 64, &st, NULL), 40);
	assert_true(st.trailer_seen);
	unlink(other);
	unlink(o.path);
}

/*
 * --max-size is a ceiling, and a usable one: the file never grows past it,
 * is a readable, cleanly closed prefix of the stream whose trailer counts
 * what it holds, and fills most of the limit even when one flush interval
 * holds more than the limit (the open chunk is sealed early) and the
 * events come faster than the writer.
 */
static void max_size_run(uint64_t max, uint64_t flush_ns, uint64_t tick_every)
{
	struct recorder_opts o = { .path = tmp_path(), .max_size = max, .flush_ns = flush_ns };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct recorder_stats rs;
	struct tf_status st;
	struct recorder *rc;
	struct et_rec r;
	struct stat sb;
	uint64_t *inos = calloc(200000, sizeof(*inos));
	size_t n;
	int full = 0;

	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	/* no pause for the writer: it is always behind */
	for (uint64_t i = 0; i < 200000 && !full; i++) {
		ev(&r, i, i * 1000);
		full = recorder_add(rc, &r);
		if (i % tick_every == tick_every - 1)
			recorder_tick(rc);
	}
	assert_int_equal(recorder_close(rc, 1, &rs), 0);
	assert_int_equal(full, 1);
	assert_true(rs.full);
	assert_int_equal(stat(o.path, &sb), 0);
	print_message("--max-size %llu, flush %llu ns: %lld bytes, %llu events, %llu left out\n",
		      (unsigned long long)max, (unsigned long long)flush_ns, (long long)sb.st_size,
		      (unsigned long long)(rs.events - rs.over_size),
		      (unsigned long long)rs.over_size);
	assert_true((uint64_t)sb.st_size <= max);
	assert_true((uint64_t)sb.st_size >= max / 2);
	assert_int_equal(rs.bytes, sb.st_size);
	n = read_back(o.path, inos, 200000, &st, NULL);
	assert_true(n > 0);
	assert_int_equal(n, rs.events - rs.over_size);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.events, n);
	assert_int_equal(st.bad_chunks, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(inos[i], i);
	unlink(o.path);
	free(inos);
}

static void test_max_size(void **state)
{
	(void)state;
	max_size_run(4096, 1, 512);		/* a chunk per 512 events */
	max_size_run(65536, 1, 512);
	max_size_run(8192, 60e9, 1 << 30);	/* one flush interval holds it all */
}

/* A limit below what the file needs before its first event is refused. */
static void test_max_size_too_small(void **state)
{
	struct recorder_opts o = { .path = tmp_path(), .max_size = 200 };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };

	(void)state;
	assert_null(recorder_open(&o, &meta));
	assert_int_equal(access(o.path, F_OK), -1);
}

/* ---- cgroups first seen during the run (format 1.3) ----------------------- */

static char cg_root[64];

/* A cgroup of the fake tree: a directory, whose inode number is its id. */
static uint64_t mkcg(const char *name)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", cg_root, name);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(stat(p, &st), 0);
	return st.st_ino;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

#define SEC	1000000000ull

/*
 * On a fake cgroup2 tree (directories in /tmp, their inode numbers the
 * ids, as test_cgroups.c does), a table that walks on every miss, as the
 * session's does once its second has passed.  An event in a cgroup made
 * after META brings a CGROUPS section just before it, with every cgroup
 * the walk found; an id no walk finds is asked about again only a second
 * of event time later (the tree is not walked meanwhile); the ids META
 * has are not written again.  In ring mode the file's META names them.
 */
static void test_late_cgroups(void **state)
{
	for (int ring = 0; ring < 2; ring++) {
		struct recorder_opts o = { .path = tmp_path(), .ring_ns = ring ? 3600 * SEC : 0 };
		struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
		uint64_t early, late, later, late3, nowhere = 999999999999ull;
		uint64_t ids[16], changed_at[4];
		struct cgroups *cg, *changed[4] = { NULL };
		const struct cgroups *whole;
		struct recorder_stats rs;
		struct recorder *rc;
		struct tf_reader *rd;
		struct et_rec r;
		char path[CG_PATH_LEN], err[200];
		size_t before, n = 0, nc = 0;

		snprintf(cg_root, sizeof(cg_root), "/tmp/evtrace-cgrec-XXXXXX");
		assert_non_null(mkdtemp(cg_root));
		early = mkcg("early");
		cg = cgroups_new(cg_root, 0);
		assert_non_null(cg);
		meta.cgroups = cg;
		rc = recorder_open(&o, &meta);
		assert_non_null(rc);
		/* META walked: the root and early */
		assert_int_equal(cgroups_count(cg), 2);
		late = mkcg("late");
		later = mkcg("later");

		/* 0-2 early, 3 late: its section names later too; 4 later */
		ids[n++] = early;
		ids[n++] = early;
		ids[n++] = early;
		ids[n++] = late;
		ids[n++] = later;
		for (size_t i = 0; i < n; i++) {
			ev(&r, i, 2 * SEC + i);
			r.cgroup_id = ids[i];
			assert_int_equal(recorder_add(rc, &r), 0);
		}
		assert_int_equal(cgroups_count(cg), 4);
		/* 5: an id no walk finds; a cgroup made after it is not walked to ... */
		ids[n] = nowhere;
		ev(&r, n, 3 * SEC);
		r.cgroup_id = ids[n++];
		assert_int_equal(recorder_add(rc, &r), 0);
		late3 = mkcg("late3");
		before = cgroups_count(cg);
		/* 6: ... while the id waits its second of event time */
		ids[n] = nowhere;
		ev(&r, n, 3 * SEC + SEC / 2);
		r.cgroup_id = ids[n++];
		assert_int_equal(recorder_add(rc, &r), 0);
		assert_int_equal(cgroups_count(cg), before);
		/* 7: past it, asked again: the walk finds late3, named before this event */
		ids[n] = nowhere;
		ev(&r, n, 4 * SEC + SEC / 2);
		r.cgroup_id = ids[n++];
		assert_int_equal(recorder_add(rc, &r), 0);
		assert_int_equal(cgroups_count(cg), before + 1);
		/* 8: late3's own, named already */
		ids[n] = late3;
		ev(&r, n, 5 * SEC);
		r.cgroup_id = ids[n++];
		assert_int_equal(recorder_add(rc, &r), 0);
		assert_int_equal(recorder_close(rc, 6 * SEC, &rs), 0);
		assert_int_equal(rs.cgroups_late, 3);

		rd = tf_open(o.path, err, sizeof(err));
		if (!rd)
			fail_msg("%s: %s", o.path, err);
		for (size_t i = 0; tf_next(rd, &r) == 1; i++) {
			struct cgroups *c = tf_cgroups_changed(rd);

			assert_true(i < n);
			assert_int_equal(r.cgroup_id, ids[i]);
			if (c) {
				assert_true(nc < 4);
				changed_at[nc] = i;
				changed[nc++] = c;
			}
		}
		whole = tf_reader_meta(rd)->cgroups;
		assert_non_null(whole);
		/* the file names them all, whichever way */
		assert_int_equal(cgroups_count((struct cgroups *)whole), 5);
		assert_true(cgroups_path((struct cgroups *)whole, late3, path, sizeof(path)));
		assert_string_equal(path, "/late3");
		assert_true(cgroups_path((struct cgroups *)whole, early, path, sizeof(path)));
		assert_string_equal(path, "/early");
		if (ring) {
			/* one META, written at the end: no section */
			assert_int_equal(nc, 0);
		} else {
			/* before event 3, late and later; before event 7, late3 */
			assert_int_equal(nc, 2);
			assert_int_equal(changed_at[0], 3);
			assert_int_equal(cgroups_count(changed[0]), 2);
			assert_true(cgroups_path(changed[0], late, path, sizeof(path)));
			assert_string_equal(path, "/late");
			assert_true(cgroups_path(changed[0], later, path, sizeof(path)));
			assert_string_equal(path, "/later");
			assert_int_equal(changed_at[1], 7);
			assert_int_equal(cgroups_count(changed[1]), 1);
			assert_true(cgroups_path(changed[1], late3, path, sizeof(path)));
		}
		for (size_t i = 0; i < nc; i++)
			cgroups_free(changed[i]);
		tf_close(rd);
		cgroups_free(cg);
		unlink(o.path);
		nftw(cg_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
}

/* ---- -o -: the recording streamed, read on the other end of a pipe ---------- */

/* The other end: tf_open_fd() reading as the recorder writes, as `| evtrace hist -`. */
struct pipe_reader {
	int fd;
	uint64_t *inos;
	size_t max, n;
	uint64_t mounts_before;		/* the first event after a MOUNTS section */
	struct tf_status st;
	uint64_t size;
	char err[200];
	bool opened;
};

static void *read_stream(void *arg)
{
	struct pipe_reader *pr = arg;
	struct tf_reader *rd = tf_open_fd(pr->fd, pr->err, sizeof(pr->err));
	struct et_rec r;

	pr->opened = rd != NULL;
	if (!rd)
		return NULL;
	while (tf_next(rd, &r) == 1) {
		if (tf_mounts_changed(rd, NULL))
			pr->mounts_before = r.ino;
		if (pr->n < pr->max)
			pr->inos[pr->n] = r.ino;
		pr->n++;
	}
	tf_reader_status(rd, &pr->st);
	pr->size = tf_reader_size(rd);
	tf_close(rd);
	return NULL;
}

/*
 * Written in order, never seeked: every event, the mount change between the
 * right two, the trailer, and as many bytes as the recorder says it wrote,
 * read while they are written.
 */
static void test_stream(void **state)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 40u), .fstype = "ramfs", .path = "/mnt/new" };
	struct mount_table mt = { &ent, 1 };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct pipe_reader pr = { .max = 50000 };
	struct recorder_opts o = { .path = "-", .flush_ns = 1 };
	struct recorder_stats rs;
	struct recorder *rc;
	struct et_rec r;
	pthread_t th;
	int p[2];

	(void)state;
	pr.inos = calloc(pr.max, sizeof(*pr.inos));
	assert_non_null(pr.inos);
	assert_int_equal(pipe(p), 0);
	pr.fd = p[0];
	o.stream_fd = p[1];
	assert_int_equal(pthread_create(&th, NULL, read_stream, &pr), 0);
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	for (uint64_t i = 0; i < 50000; i++) {
		if (i == 30000)
			recorder_mounts(rc, 1000 + i, &mt);
		ev(&r, i, 1000 + i);
		assert_int_equal(recorder_add(rc, &r), 0);
		if (i % 4096 == 4095)
			recorder_tick(rc);	/* a chunk boundary: flush_ns is 1 ns */
	}
	assert_int_equal(recorder_close(rc, 100000, &rs), 0);
	/* the stream's fd is the caller's: closed here, the reader sees its end */
	assert_int_equal(close(p[1]), 0);
	pthread_join(th, NULL);
	close(p[0]);
	assert_true(pr.opened);
	assert_int_equal(rs.events, 50000);
	assert_int_equal(rs.dropped, 0);
	assert_int_equal(pr.n, 50000);
	for (size_t i = 0; i < 50000; i++)
		assert_int_equal(pr.inos[i], i);
	assert_int_equal(pr.mounts_before, 30000);
	assert_true(pr.st.trailer_seen);
	assert_int_equal(pr.st.trailer.events, 50000);
	assert_true(pr.st.chunks >= 12);
	assert_int_equal(pr.st.bad_chunks, 0);
	assert_int_equal(pr.st.truncated_at, 0);
	/* what it says it wrote is what came out of the pipe */
	assert_int_equal(rs.bytes, pr.size);
	free(pr.inos);
}

/*
 * --max-size on a stream: it never grows past the limit, a mount table
 * that does not fit is left out (a file's is taken back with ftruncate, a
 * stream's is never written), and a closed reader stops the recording.
 */
static void test_stream_max_size_and_epipe(void **state)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 40u), .fstype = "ramfs", .path = "/mnt/new" };
	struct mount_table mt = { &ent, 1 };
	struct tf_meta meta = { .evtrace_version = "test", .start_ns = 1 };
	struct pipe_reader pr = { .max = 200000 };
	struct recorder_opts o = { .path = "-", .flush_ns = 1, .max_size = 8192 };
	struct recorder_stats rs;
	struct recorder *rc;
	struct et_rec r;
	pthread_t th;
	int p[2], full = 0;
	uint64_t i;

	(void)state;
	pr.inos = calloc(pr.max, sizeof(*pr.inos));
	assert_non_null(pr.inos);
	assert_int_equal(pipe(p), 0);
	pr.fd = p[0];
	o.stream_fd = p[1];
	assert_int_equal(pthread_create(&th, NULL, read_stream, &pr), 0);
	rc = recorder_open(&o, &meta);
	assert_non_null(rc);
	for (i = 0; i < 200000 && !full; i++) {
		ev(&r, i, i * 1000);
		full = recorder_add(rc, &r);
		if (i % 512 == 511) {
			recorder_tick(rc);
			recorder_mounts(rc, i * 1000, &mt);
		}
	}
	assert_int_equal(recorder_close(rc, 1, &rs), 0);
	close(p[1]);
	pthread_join(th, NULL);
	close(p[0]);
	assert_int_equal(full, 1);
	assert_true(pr.size <= 8192 && pr.size >= 4096);
	assert_int_equal(rs.bytes, pr.size);
	assert_true(pr.st.trailer_seen);
	assert_int_equal(pr.n, rs.events - rs.over_size);
	assert_int_equal(pr.st.bad_chunks, 0);

	/* the reader gone: EPIPE ends it, said as a write error (recording.c makes it quiet) */
	assert_int_equal(pipe(p), 0);
	o.stream_fd = p[1];
	o.max_size = 0;
	close(p[0]);
	rc = recorder_open(&o, &meta);
	assert_null(rc);
	close(p[1]);
	free(pr.inos);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_close),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_ring_event_time),
		cmocka_unit_test(test_ring_default_cap),
		cmocka_unit_test(test_never_waits_for_writer),
		cmocka_unit_test(test_mounts_when_writer_behind),
		cmocka_unit_test(test_dump_to),
		cmocka_unit_test(test_max_size),
		cmocka_unit_test(test_max_size_too_small),
		cmocka_unit_test(test_late_cgroups),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_max_size_and_epipe),
	};

	/* a stream whose reader went away: EPIPE, not death */
	signal(SIGPIPE, SIG_IGN);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
