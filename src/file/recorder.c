// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recorder.  The ring buffer thread encodes events into the open chunk
 * (cheap); full or old chunks go through a bounded queue to the writer
 * thread, which compresses them, writes them and syncs them to disk, so a
 * crash loses at most the open chunk (flush_ns of events) and a slow disk
 * costs counted drops instead of a stalled consumer.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "file/codec.h"
#include "file/recorder.h"
#include "lib/cgroups.h"
#include "lib/common.h"
#include "lib/outfile.h"

#define QUEUE_LEN	16
#define CHUNK_MIN_SPAN_NS 100000000ull	/* 100 ms: source/ring.c's POLL_MS */

/*
 * Cgroups first seen during the run (format 1.3's CGROUPS sections).  The
 * ids the file names, META's and the later ones, in a set of CG_MAX (the
 * most a reader keeps); an id an event brings that is not in it is looked
 * up in the session's table, which walks the cgroup2 tree at most once
 * per its interval (a second); one that is not found there is asked about
 * again only CG_RETRY_NS of the events' time later (CG_MISS_SLOTS of them
 * remembered), so an id no walk finds costs a hash probe per event.
 */
#define CG_SLOTS	(2 * CG_MAX)
#define CG_MISS_SLOTS	64
#define CG_RETRY_NS	1000000000ull

/* recorder_add()'s counters, shared with the writer without the lock */
#define ADD(field, n)	__atomic_fetch_add(&rc->st.field, (n), __ATOMIC_RELAXED)
#define LOAD(field)	__atomic_load_n(&rc->st.field, __ATOMIC_RELAXED)
#define LOAD_RC(field)	__atomic_load_n(&rc->field, __ATOMIC_RELAXED)

enum item_kind { IT_CHUNK, IT_MOUNTS, IT_CGROUPS, IT_DUMP, IT_STOP };

struct item {
	enum item_kind kind;
	struct tf_chunk *chunk;
	uint64_t fill_ns;	/* IT_CHUNK: how long the chunk took to fill */
	struct mount_table mt;
	struct cgroups *cg;	/* IT_CGROUPS: the new names, the writer frees them */
	uint64_t ts_ns;
	char *path;		/* IT_DUMP: the file (--dump-on's own); NULL: o.path */
};

struct held {			/* ring mode: one sealed chunk kept in memory */
	uint8_t *buf;
	size_t len;
	uint64_t last_ns;
};

struct recorder {
	struct recorder_opts o;
	struct tf_meta meta;
	int fd;

	/* the caller's side */
	struct tf_chunk *cur;
	uint64_t cur_started;	/* CLOCK_MONOTONIC when cur got its first event */
	uint64_t cur_first_ts;	/* that event's own time */
	uint64_t split_ns;	/* a chunk's longest span of event time */

	/* shared, under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct item q[QUEUE_LEN];
	size_t q_head, q_n;
	struct tf_chunk *free_chunks[QUEUE_LEN + 1];
	size_t n_free;
	struct recorder_stats st;
	int write_err;
	/* --max-size: raw bytes of chunks pushed but not yet written or cut */
	uint64_t pending_raw;
	/* --max-size: what written chunks were before and after zstd */
	uint64_t raw_written, zbytes_written;

	/* the writer's side */
	pthread_t writer;
	double strong_ns_per_byte;	/* zstd level 19, as measured on this machine */
	struct held *ring;
	size_t ring_n, ring_cap;
	uint64_t ring_bytes;
	struct mount_table latest_mounts;

	uint64_t no_generation;		/* the caller's: read only once the writer is joined */

	/*
	 * The caller's side: a mount change or a SIGUSR1 dump the writer had
	 * no room for yet (its queue full, every chunk in flight).  The ring
	 * buffer's thread must not wait for a slow fdatasync() while the
	 * kernel's ring fills: they are queued at its next chunk boundary.
	 */
	struct mount_table deferred_mt;
	uint64_t deferred_mt_ts, deferred_dump_ts;
	char *deferred_dump_path;
	bool mt_deferred, dump_deferred;

	/*
	 * The caller's side: the cgroups the file names (CG_SLOTS above);
	 * NULL when the session has no table to resolve ids with.
	 */
	uint64_t *cg_ids;		/* open addressing, 0 empty */
	size_t cg_n;
	uint64_t cg_last;		/* the last id found in it: most events repeat it */
	size_t cg_table_n;		/* the session's table's size when last scanned */
	struct cg_miss {
		uint64_t id, retry_ns;
	} cg_miss[CG_MISS_SLOTS];
	struct cgroups *deferred_cg;	/* names learned, waiting for their section */
	uint64_t deferred_cg_ts;
	uint64_t cg_now;		/* the event cg_check() looks at: its time */
	uint64_t cg_late;		/* ids named after META, in all */

	/*
	 * -o -: the stream (standard output, a pipe) can be neither seeked
	 * nor truncated, so a text section is made in a memory file first,
	 * where its size is known before a byte of it goes out (--max-size).
	 */
	bool stream;
	int mfd;
};

/* Tests only: called by the writer before each item, to hold it back. */
void (*recorder_writer_hook)(void);

static bool ring_mode(const struct recorder *rc)
{
	return rc->o.ring_bytes || rc->o.ring_ns;
}

/* ---- the writer thread ------------------------------------------------- */

static void ring_trim(struct recorder *rc)
{
	size_t drop = 0;

	while (drop < rc->ring_n) {
		const struct held *h = &rc->ring[drop];
		const struct held *newest = &rc->ring[rc->ring_n - 1];
		bool too_big = rc->o.ring_bytes && rc->ring_bytes > rc->o.ring_bytes;
		bool too_old = rc->o.ring_ns && newest->last_ns - h->last_ns > rc->o.ring_ns;

		if (!too_big && !too_old)
			break;
		rc->ring_bytes -= h->len;
		free(h->buf);
		drop++;
	}
	if (drop) {
		memmove(rc->ring, rc->ring + drop, (rc->ring_n - drop) * sizeof(*rc->ring));
		rc->ring_n -= drop;
		pthread_mutex_lock(&rc->lock);
		rc->st.ring_discarded += drop;
		pthread_mutex_unlock(&rc->lock);
	}
}

static int ring_hold(struct recorder *rc, uint8_t *buf, size_t len, uint64_t last_ns)
{
	if (rc->ring_n == rc->ring_cap) {
		size_t cap = rc->ring_cap ? rc->ring_cap * 2 : 64;
		void *p = realloc(rc->ring, cap * sizeof(*rc->ring));

		if (!p)
			return -ENOMEM;
		rc->ring = p;
		rc->ring_cap = cap;
	}
	rc->ring[rc->ring_n++] = (struct held){ buf, len, last_ns };
	rc->ring_bytes += len;
	ring_trim(rc);
	return 0;
}

/*
 * Ring mode: the whole file is rewritten from what the ring holds, into a
 * temporary file renamed over the target, so a reader never sees half.
 */
static int ring_dump(struct recorder *rc, bool final, uint64_t end_ns, const char *path)
{
	/* a dump on SIGUSR1 has no trailer; the final one is on the caller's thread */
	struct tf_trailer tr = { .end_ns = end_ns, .no_generation = final ? rc->no_generation : 0 };
	struct tf_meta meta = rc->meta;
	char *tmp;
	int fd, err;

	/* a fresh name beside the target each time (lib/outfile.h) */
	if (!path)
		path = rc->o.path;
	fd = out_tmp_open(path, &tmp);
	if (fd < 0)
		return fd;
	/* the mount table as of the dump: the window's events live there */
	meta.mounts = rc->latest_mounts;
	err = tf_write_start(fd, &meta);
	for (size_t i = 0; i < rc->ring_n && !err; i++) {
		err = tf_write_all(fd, rc->ring[i].buf, rc->ring[i].len);
		tr.chunks++;
	}
	tr.events = LOAD(events);
	tr.lost = LOAD(lost);
	tr.dropped = LOAD(dropped);
	if (!err && final)
		err = tf_write_trailer(fd, &tr);
	if (err) {
		close(fd);
		unlink(tmp);
	} else {
		err = out_tmp_commit(fd, tmp, path);
	}
	free(tmp);
	/* the recording's own file: what it holds now (a --dump-on file is apart) */
	if (!err && path == rc->o.path) {
		off_t size = 0;
		int rfd = open(path, O_RDONLY | O_CLOEXEC);

		if (rfd >= 0) {
			size = lseek(rfd, 0, SEEK_END);
			close(rfd);
		}
		pthread_mutex_lock(&rc->lock);
		rc->st.bytes = size > 0 ? size : 0;
		pthread_mutex_unlock(&rc->lock);
	}
	return err;
}

/*
 * Compression effort follows the load.  zstd's strongest level fits the
 * seed's scenarios in ~10 bytes/event instead of ~12.5, but runs at a few
 * MB/s: it is used only for a small chunk with nothing queued behind it,
 * and only if compressing it takes no longer than the chunk took to fill,
 * at the speed level 19 last ran at here (much slower under emulation).
 * Then the writer keeps up; picking it by an empty queue alone made a
 * firehose drop most of its events.  With a backlog, a fast level keeps
 * the queue short so no event is dropped for want of a free chunk.
 */
#define STRONG_LEVEL		19
#define STRONG_MAX_RAW		(512u << 10)
#define STRONG_NS_PER_BYTE	400.0	/* 2.5 MB/s: the guess until measured */

static int zstd_level_now(struct recorder *rc, const struct tf_chunk *c, uint64_t fill_ns)
{
	size_t backlog, raw = tf_chunk_raw_bytes(c);

	pthread_mutex_lock(&rc->lock);
	backlog = rc->q_n;
	pthread_mutex_unlock(&rc->lock);
	/* the chunk being written is still counted in q_n */
	if (backlog > 2)
		return 1;
	if (backlog == 1 && raw <= STRONG_MAX_RAW &&
	    raw * rc->strong_ns_per_byte <= fill_ns)
		return STRONG_LEVEL;
	return rc->o.zstd_level;
}

/* Seal c at the level the load allows, and learn how fast level 19 is. */
static int seal(struct recorder *rc, const struct tf_chunk *c, uint64_t fill_ns, uint8_t **buf,
		size_t *len)
{
	int level = zstd_level_now(rc, c, fill_ns), err;
	uint64_t t0 = mono_ns();

	err = tf_chunk_seal(c, level, buf, len);
	if (!err && level == STRONG_LEVEL && tf_chunk_raw_bytes(c) >= 4096)
		rc->strong_ns_per_byte = (double)(mono_ns() - t0) / tf_chunk_raw_bytes(c);
	return err;
}

/*
 * --max-size: whether len more bytes fit, keeping room for the trailer.
 * The first thing that does not fit ends the file: it and everything after
 * it are left out, so the file never grows past the limit.
 */
static bool fits(struct recorder *rc, uint64_t len)
{
	bool ok;

	if (!rc->o.max_size)
		return true;
	pthread_mutex_lock(&rc->lock);
	ok = !rc->st.full && rc->st.bytes + len + tf_trailer_max() <= rc->o.max_size;
	if (!ok)
		__atomic_store_n(&rc->st.full, true, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&rc->lock);
	return ok;
}

static int write_chunk(struct recorder *rc, struct tf_chunk *c, uint64_t fill_ns)
{
	uint8_t *buf;
	size_t len;
	int err;

	if (rc->o.max_size && LOAD(full))
		goto cut;
	err = seal(rc, c, fill_ns, &buf, &len);
	if (err)
		return err;
	if (ring_mode(rc)) {
		err = ring_hold(rc, buf, len, tf_chunk_last_ns(c));
		if (err)
			free(buf);
		return err;
	}
	if (!fits(rc, len)) {
		free(buf);
		goto cut;
	}
	err = tf_write_all(rc->fd, buf, len);
	free(buf);
	/* on disk, not just in the page cache: what a dead machine keeps */
	if (!err && fdatasync(rc->fd) && errno != EINVAL)
		err = -errno;
	if (!err) {
		pthread_mutex_lock(&rc->lock);
		ADD(bytes, len);
		rc->st.chunks++;
		rc->st.written += tf_chunk_events(c);
		pthread_mutex_unlock(&rc->lock);
		__atomic_fetch_add(&rc->raw_written, tf_chunk_raw_bytes(c), __ATOMIC_RELAXED);
		__atomic_fetch_add(&rc->zbytes_written, len, __ATOMIC_RELAXED);
	}
	return err;
cut:
	pthread_mutex_lock(&rc->lock);
	rc->st.over_size += tf_chunk_events(c) - tf_chunk_lost_records(c);
	pthread_mutex_unlock(&rc->lock);
	return 0;
}

/*
 * A stream: the section a writer function put in rc->mfd goes out, unless
 * --max-size has no room for it (*len 0 then); the memory file is emptied
 * for the next.  *len: its bytes.  0 or -errno.
 */
static int mem_to_stream(struct recorder *rc, uint64_t *len, bool check_fit)
{
	off_t size = lseek(rc->mfd, 0, SEEK_CUR);
	uint8_t buf[64 << 10];
	int err = size < 0 ? -errno : 0;

	*len = 0;
	if (!err && (!check_fit || fits(rc, size))) {
		for (off_t off = 0; off < size && !err; ) {
			ssize_t n = pread(rc->mfd, buf, sizeof(buf), off);

			if (n <= 0) {
				err = n < 0 ? -errno : -EIO;
				break;
			}
			err = tf_write_all(rc->fd, buf, n);
			off += n;
		}
		if (!err)
			*len = size;
	}
	if ((ftruncate(rc->mfd, 0) || lseek(rc->mfd, 0, SEEK_SET) < 0) && !err)
		err = -errno;
	return err;
}

/*
 * A mount-table change, or cgroups learned (IT_CGROUPS); past --max-size
 * it is taken back (ftruncate), or on a stream not sent.
 */
static int write_text(struct recorder *rc, const struct item *it)
{
	off_t before, after;
	uint64_t len;
	int err;

	if (rc->o.max_size && LOAD(full))
		return 0;
	if (rc->stream) {
		err = it->kind == IT_CGROUPS ? tf_write_cgroups(rc->mfd, it->ts_ns, it->cg) :
					       tf_write_mounts(rc->mfd, it->ts_ns, &it->mt);
		err = err ?: mem_to_stream(rc, &len, true);
		if (!err) {
			pthread_mutex_lock(&rc->lock);
			ADD(bytes, len);
			pthread_mutex_unlock(&rc->lock);
		}
		return err;
	}
	before = lseek(rc->fd, 0, SEEK_CUR);
	err = it->kind == IT_CGROUPS ? tf_write_cgroups(rc->fd, it->ts_ns, it->cg) :
				       tf_write_mounts(rc->fd, it->ts_ns, &it->mt);
	after = lseek(rc->fd, 0, SEEK_CUR);
	if (err || before < 0 || after < 0)
		return err ?: -errno;
	if (!fits(rc, after - before)) {
		if (ftruncate(rc->fd, before) || lseek(rc->fd, before, SEEK_SET) < 0)
			return -errno;
		return 0;
	}
	pthread_mutex_lock(&rc->lock);
	ADD(bytes, after - before);
	pthread_mutex_unlock(&rc->lock);
	return 0;
}

static void *writer_main(void *arg)
{
	struct recorder *rc = arg;

	for (;;) {
		struct item it;
		int err = 0;

		pthread_mutex_lock(&rc->lock);
		while (!rc->q_n)
			pthread_cond_wait(&rc->cond, &rc->lock);
		it = rc->q[rc->q_head];
		pthread_mutex_unlock(&rc->lock);
		if (recorder_writer_hook)
			recorder_writer_hook();

		switch (it.kind) {
		case IT_CHUNK:
			err = write_chunk(rc, it.chunk, it.fill_ns);
			if (rc->o.max_size)
				__atomic_fetch_sub(&rc->pending_raw, tf_chunk_raw_bytes(it.chunk),
						   __ATOMIC_RELAXED);
			tf_chunk_reset(it.chunk);
			break;
		case IT_MOUNTS:
			if (ring_mode(rc)) {
				mount_table_free(&rc->latest_mounts);
				rc->latest_mounts = it.mt;
				it.mt.v = NULL;
			} else {
				err = write_text(rc, &it);
			}
			mount_table_free(&it.mt);
			break;
		case IT_CGROUPS:	/* never queued in ring mode (cg_learn()) */
			err = write_text(rc, &it);
			cgroups_free(it.cg);
			break;
		case IT_DUMP: {
			/* a failed dump is said, and the recording goes on */
			int derr = ring_dump(rc, false, it.ts_ns, it.path);

			free(it.path);

			pthread_mutex_lock(&rc->lock);
			rc->st.dump_err = derr;
			rc->st.dumps++;
			pthread_mutex_unlock(&rc->lock);
			break;
		}
		case IT_STOP:
			break;
		}

		pthread_mutex_lock(&rc->lock);
		if (err && !rc->write_err) {
			/* a full disk or a dead device: the recording stops here (recorder_add) */
			rc->write_err = err;
			rc->st.write_err = err;
		}
		if (it.kind == IT_CHUNK)
			rc->free_chunks[rc->n_free++] = it.chunk;
		rc->q_head = (rc->q_head + 1) % QUEUE_LEN;
		rc->q_n--;
		pthread_cond_broadcast(&rc->cond);
		pthread_mutex_unlock(&rc->lock);
		if (it.kind == IT_STOP)
			return NULL;
	}
}

/* ---- the caller's side ---------------------------------------------------- */

/* Queue an item; false if the queue is full (the caller counts a drop). */
static bool enqueue(struct recorder *rc, const struct item *it, bool wait)
{
	bool ok;

	pthread_mutex_lock(&rc->lock);
	while (wait && rc->q_n == QUEUE_LEN)
		pthread_cond_wait(&rc->cond, &rc->lock);
	ok = rc->q_n < QUEUE_LEN;
	if (ok) {
		rc->q[(rc->q_head + rc->q_n) % QUEUE_LEN] = *it;
		rc->q_n++;
		pthread_cond_broadcast(&rc->cond);
	}
	pthread_mutex_unlock(&rc->lock);
	return ok;
}

/* At least n free slots in the queue, now (it only empties meanwhile). */
static bool queue_room(struct recorder *rc, size_t n)
{
	bool ok;

	pthread_mutex_lock(&rc->lock);
	ok = QUEUE_LEN - rc->q_n >= n;
	pthread_mutex_unlock(&rc->lock);
	return ok;
}

/*
 * Hand the open chunk to the writer and take a free one.  With no free
 * chunk (the writer is behind), keep the full one: new events are dropped
 * and counted until the writer catches up.  wait: at close, block instead.
 */
static bool push_chunk(struct recorder *rc, bool wait)
{
	struct item it = { .kind = IT_CHUNK, .chunk = rc->cur,
			   .fill_ns = mono_ns() - rc->cur_started };
	uint64_t raw = rc->o.max_size ? tf_chunk_raw_bytes(rc->cur) : 0;
	struct tf_chunk *next = NULL;

	if (!tf_chunk_events(rc->cur))
		return true;
	pthread_mutex_lock(&rc->lock);
	while (wait && !rc->n_free)
		pthread_cond_wait(&rc->cond, &rc->lock);
	if (rc->n_free)
		next = rc->free_chunks[--rc->n_free];
	pthread_mutex_unlock(&rc->lock);
	if (!next)
		return false;
	/* counted before the writer can see it, so its subtraction never wraps */
	__atomic_fetch_add(&rc->pending_raw, raw, __ATOMIC_RELAXED);
	if (!enqueue(rc, &it, wait)) {
		__atomic_fetch_sub(&rc->pending_raw, raw, __ATOMIC_RELAXED);
		pthread_mutex_lock(&rc->lock);
		rc->free_chunks[rc->n_free++] = next;
		pthread_mutex_unlock(&rc->lock);
		return false;
	}
	rc->cur = next;
	return true;
}

/* ---- cgroups first seen during the run ----------------------------------- */

static uint64_t *cg_slot(struct recorder *rc, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ull;

	for (size_t i = 0;; i++) {	/* at most half full: an empty slot comes */
		uint64_t *s = &rc->cg_ids[(h + i) & (CG_SLOTS - 1)];

		if (!*s || *s == id)
			return s;
	}
}

static bool cg_named(struct recorder *rc, uint64_t id)
{
	return *cg_slot(rc, id) == id;
}

static void cg_name(struct recorder *rc, uint64_t id)
{
	uint64_t *s = cg_slot(rc, id);

	if (!*s && rc->cg_n < CG_MAX) {
		*s = id;
		rc->cg_n++;
	}
}

/* META's: the first CG_META_MAX in id order, as tf_write_start() wrote them */
static int cg_seed(void *ctx, uint64_t id, const char *path)
{
	struct recorder *rc = ctx;

	if (rc->cg_n >= CG_META_MAX)
		return 1;
	cg_name(rc, id);
	return 0;
}

/* One of the session's cgroups: a new one goes in the next CGROUPS section. */
static int cg_learn(void *ctx, uint64_t id, const char *path)
{
	struct recorder *rc = ctx;
	int err;

	if (cg_named(rc, id))
		return 0;
	if (rc->cg_n >= CG_MAX)
		return 1;
	/* a ring's file is written whole at each dump, its META naming them all */
	if (ring_mode(rc)) {
		cg_name(rc, id);
		rc->cg_late++;
		return 0;
	}
	if (!rc->deferred_cg) {
		rc->deferred_cg = cgroups_new(NULL, 0);
		if (!rc->deferred_cg)
			return -ENOMEM;
		rc->deferred_cg_ts = rc->cg_now;	/* named from the event that showed them */
	}
	err = cgroups_add(rc->deferred_cg, id, path);
	if (err)
		return err;
	cg_name(rc, id);
	rc->cg_late++;
	return 0;
}

/* What the session's table learned since the last look, to be written. */
static void cg_scan(struct recorder *rc)
{
	struct cgroups *cg = rc->meta.cgroups;

	rc->cg_table_n = cgroups_count(cg);
	cgroups_each(cg, cg_learn, rc);
}

/*
 * An event's cgroup the file does not name yet: what the session's table
 * knows (the model asks it too, and it walks the tree when a walk is due)
 * goes in a CGROUPS section before the event.  A walk finds every cgroup
 * made since the last, so a burst of new containers costs one section.
 */
static void cg_check(struct recorder *rc, const struct et_rec *r)
{
	struct cgroups *cg = rc->meta.cgroups;
	uint64_t id = r->cgroup_id;
	struct cg_miss *m = &rc->cg_miss[(id * 0x9e3779b97f4a7c15ull) >> 58];
	char path[CG_PATH_LEN];

	_Static_assert(CG_MISS_SLOTS == 1 << (64 - 58), "the miss cache's hash");
	if (cg_named(rc, id)) {
		rc->cg_last = id;
		return;
	}
	if (rc->cg_n >= CG_MAX || (m->id == id && r->ts_ns < m->retry_ns))
		return;
	rc->cg_now = r->ts_ns;
	if (cgroups_count(cg) != rc->cg_table_n)
		cg_scan(rc);
	if (!cg_named(rc, id)) {
		/* walks, if one is due: what it finds is written, this id or not */
		bool found = cgroups_path(cg, id, path, sizeof(path));

		if (cgroups_count(cg) != rc->cg_table_n)
			cg_scan(rc);
		/* known before, but past the CG_META_MAX that META holds */
		if (found && !cg_named(rc, id))
			cg_learn(rc, id, path);
	}
	if (cg_named(rc, id)) {
		rc->cg_last = id;
	} else {
		m->id = id;
		m->retry_ns = r->ts_ns + CG_RETRY_NS;
	}
}

struct recorder *recorder_open(const struct recorder_opts *o, const struct tf_meta *meta)
{
	struct recorder *rc = calloc(1, sizeof(*rc));
	int err;

	if (!rc) {
		p_err("out of memory");
		return NULL;
	}
	rc->o = *o;
	rc->fd = rc->mfd = -1;
	rc->stream = !strcmp(o->path, "-");
	if (!rc->o.flush_ns)
		rc->o.flush_ns = 1000000000ull;
	/* no finer than a poll round, as the ticks: --flush 0.001 is not 1000 chunks a second */
	rc->split_ns = rc->o.flush_ns > CHUNK_MIN_SPAN_NS ? rc->o.flush_ns : CHUNK_MIN_SPAN_NS;
	if (!rc->o.zstd_level)
		rc->o.zstd_level = 3;
	if (rc->o.ring_ns && !rc->o.ring_bytes)
		rc->o.ring_bytes = RECORDER_RING_BYTES;
	rc->st.ring_cap = rc->o.ring_bytes;
	rc->strong_ns_per_byte = STRONG_NS_PER_BYTE;
	rc->meta = *meta;
	if (mount_table_copy(&rc->meta.mounts, &meta->mounts) ||
	    mount_table_copy(&rc->latest_mounts, &meta->mounts))
		goto nomem;
	pthread_mutex_init(&rc->lock, NULL);
	pthread_cond_init(&rc->cond, NULL);
	for (size_t i = 0; i < QUEUE_LEN + 1; i++) {
		struct tf_chunk *c = tf_chunk_new();

		if (!c)
			goto nomem;
		if (i == 0)
			rc->cur = c;
		else
			rc->free_chunks[rc->n_free++] = c;
	}

	if (rc->stream && ring_mode(rc)) {
		p_err("-o - streams the recording: ring mode rewrites a file (-o FILE)");
		goto fail;
	} else if (ring_mode(rc)) {
		/* fail now, not at the first SIGUSR1, if the place is not writable */
		err = ring_dump(rc, false, meta->start_ns, NULL);
	} else if (rc->stream) {
		uint64_t len = 0;

		rc->fd = o->stream_fd > 0 ? o->stream_fd : STDOUT_FILENO;
		rc->mfd = memfd_create("evtrace-section", MFD_CLOEXEC);
		err = rc->mfd < 0 ? -errno : tf_write_start(rc->mfd, &rc->meta);
		if (!err) {
			off_t size = lseek(rc->mfd, 0, SEEK_CUR);

			if (o->max_size && (uint64_t)size + tf_trailer_max() > o->max_size) {
				p_err("--max-size %llu leaves no room for events: the header, metadata "
				      "and trailer alone take %llu bytes", (unsigned long long)o->max_size,
				      (unsigned long long)(size + tf_trailer_max()));
				goto fail;
			}
			err = mem_to_stream(rc, &len, false);
		}
		rc->st.bytes = len;
	} else {
		rc->fd = out_create_keep_old(o->path);
		err = rc->fd < 0 ? rc->fd : tf_write_start(rc->fd, &rc->meta);
		if (!err) {
			off_t size = lseek(rc->fd, 0, SEEK_CUR);

			rc->st.bytes = size > 0 ? size : 0;
		}
		if (!err && o->max_size && rc->st.bytes + tf_trailer_max() > o->max_size) {
			p_err("--max-size %llu leaves no room for events: the header, metadata and "
			      "trailer alone take %llu bytes", (unsigned long long)o->max_size,
			      (unsigned long long)(rc->st.bytes + tf_trailer_max()));
			unlink(o->path);
			goto fail;
		}
	}
	if (err) {
		p_err("cannot write %s: %s", rc->stream ? "standard output" : o->path, strerror(-err));
		goto fail;
	}
	/* the names META has; the session's table learns the rest as events show them */
	if (rc->meta.cgroups) {
		rc->cg_ids = calloc(CG_SLOTS, sizeof(*rc->cg_ids));
		if (!rc->cg_ids)
			goto nomem;
		rc->cg_table_n = cgroups_count(rc->meta.cgroups);
		cgroups_each(rc->meta.cgroups, cg_seed, rc);
	}
	err = pthread_create(&rc->writer, NULL, writer_main, rc);
	if (err) {
		p_err("cannot start the writer thread: %s", strerror(err));
		goto fail;
	}
	return rc;
nomem:
	p_err("out of memory");
fail:
	/* a stream's fd is standard output's, not the recorder's */
	if (rc->fd >= 0 && !rc->stream)
		close(rc->fd);
	free(rc->cg_ids);
	if (rc->mfd >= 0)
		close(rc->mfd);
	tf_chunk_free(rc->cur);
	for (size_t i = 0; i < rc->n_free; i++)
		tf_chunk_free(rc->free_chunks[i]);
	mount_table_free(&rc->meta.mounts);
	mount_table_free(&rc->latest_mounts);
	free(rc);
	return NULL;
}

/*
 * --max-size on the ring buffer side.  Compression happens later, on the
 * writer, so the sizes here are estimates: raw bytes times the ratio the
 * written chunks achieved (with a margin; 1 before the first).  The open
 * chunk is sealed while it still fits, so the file ends with whole chunks
 * close to the limit instead of one first chunk too big to write; the
 * writer's fits() is the ceiling itself.  When the estimate says the limit
 * is near and chunks are still in flight, this waits for the writer (a
 * chunk's compression and fdatasync: a few ms natively, a handful of times
 * at the very start, before any ratio is known, and at the very end of the
 * recording) rather than guess.  Only a writer that takes longer than
 * WRITER_WAIT_MS is taken as stuck, which ends the file: under emulation a
 * level-19 chunk and its fdatasync took over 200 ms, and a recording ended
 * that way before its first chunk.  1 once the file is full.
 */
#define EV_MAX_RAW	192		/* one record with all its strings new */
#define CHUNK_COST(raw)	(40 + 64 + (raw) / 128)	/* section header, zstd frame */
#define WRITER_WAIT_MS	5000

static int size_check(struct recorder *rc)
{
	for (;;) {
		uint64_t zw = LOAD_RC(zbytes_written), rw = LOAD_RC(raw_written);
		uint64_t pending = LOAD_RC(pending_raw), cur = tf_chunk_raw_bytes(rc->cur);
		uint64_t used = LOAD(bytes) + tf_trailer_max();
		double ratio = rw ? 1.25 * zw / rw : 1.0;
		double need;

		if (LOAD(full))
			return 1;
		if (ratio > 1.0)
			ratio = 1.0;
		need = (pending + cur + EV_MAX_RAW) * ratio + CHUNK_COST(pending) + CHUNK_COST(cur);
		if (used + need <= rc->o.max_size)
			return 0;
		if (pending) {
			struct timespec dl;
			bool late = false;

			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_nsec += WRITER_WAIT_MS * 1000000L;
			dl.tv_sec += dl.tv_nsec / 1000000000L;
			dl.tv_nsec %= 1000000000L;
			pthread_mutex_lock(&rc->lock);
			while (LOAD_RC(pending_raw) == pending && !late)
				late = pthread_cond_timedwait(&rc->cond, &rc->lock, &dl) == ETIMEDOUT;
			pthread_mutex_unlock(&rc->lock);
			if (!late)
				continue;
		} else if (tf_chunk_events(rc->cur) && push_chunk(rc, false)) {
			continue;
		}
		/* nothing more fits, or the writer is stuck: end here */
		__atomic_store_n(&rc->st.full, true, __ATOMIC_RELAXED);
		return 1;
	}
}

/*
 * Queue what was deferred, mounts before the dump (the dump writes the
 * mount table in force).  Events before a change go in the chunks before
 * it; when the writer is behind, the change lands at the next chunk
 * boundary instead, and the few events in between read with the older
 * table.  wait: at close, block instead.  True when nothing is left.
 */
static bool deferred_flush(struct recorder *rc, bool wait)
{
	/*
	 * Room for the open chunk and the item at once, or neither: a chunk
	 * pushed into the last free slot left the item behind it to fail,
	 * and with the writer freeing one slot at a time, to fail again at
	 * every event (a mount change never written, seen at --flush 1 ns).
	 */
	if (!wait && !queue_room(rc, tf_chunk_events(rc->cur) ? 2 : 1))
		return false;
	if (rc->deferred_cg) {
		struct item it = { .kind = IT_CGROUPS, .ts_ns = rc->deferred_cg_ts,
				   .cg = rc->deferred_cg };

		if (!push_chunk(rc, wait) || !enqueue(rc, &it, wait))
			return false;
		rc->deferred_cg = NULL;	/* the writer's now */
	}
	if (rc->mt_deferred) {
		struct item it = { .kind = IT_MOUNTS, .ts_ns = rc->deferred_mt_ts,
				   .mt = rc->deferred_mt };

		if (!push_chunk(rc, wait) || !enqueue(rc, &it, wait))
			return false;
		/* the writer owns the table now */
		memset(&rc->deferred_mt, 0, sizeof(rc->deferred_mt));
		rc->mt_deferred = false;
	}
	if (rc->dump_deferred) {
		struct item it = { .kind = IT_DUMP, .ts_ns = rc->deferred_dump_ts,
				   .path = rc->deferred_dump_path };

		if (!push_chunk(rc, wait) || !enqueue(rc, &it, wait))
			return false;
		rc->deferred_dump_path = NULL;	/* the writer's now */
		rc->dump_deferred = false;
	}
	return true;
}

/*
 * The per-event path takes no lock: events, lost and dropped are written
 * only here and read elsewhere with atomic loads; full by the writer, or by
 * size_check() here.
 */

/* The open chunk starts at r: by our clock (--flush's tick) and by r's own. */
static void chunk_begins(struct recorder *rc, const struct et_rec *r)
{
	rc->cur_started = mono_ns();
	rc->cur_first_ts = r->ts_ns;
}

int recorder_add(struct recorder *rc, const struct et_rec *r)
{
	bool waiting = false;
	int err;

	if (r->type == ET_LOST)
		ADD(lost, r->value);
	if (LOAD(full) || LOAD(write_err) || (rc->o.max_size && size_check(rc)))
		return 1;
	if (r->cgroup_id && r->cgroup_id != rc->cg_last && rc->cg_ids)
		cg_check(rc, r);
	if (__builtin_expect(rc->mt_deferred || rc->dump_deferred || rc->deferred_cg, 0) &&
	    !deferred_flush(rc, false))
		waiting = true;
	/*
	 * A chunk spans at most --flush of the events' own time too, not only
	 * of ours: a consumer that was not scheduled for a while reads a long
	 * stretch at once, and one chunk holding all of it would make a
	 * crash lose more and a --ring window hold more than they say.  What
	 * still waits to be queued takes the next free slots, with this chunk.
	 */
	if (!tf_chunk_events(rc->cur) ||
	    (r->ts_ns > rc->cur_first_ts + rc->split_ns && !waiting && push_chunk(rc, false)))
		chunk_begins(rc, r);
	err = tf_chunk_add(rc->cur, r);
	if (err == -E2BIG && push_chunk(rc, false)) {
		chunk_begins(rc, r);
		err = tf_chunk_add(rc->cur, r);
	}
	if (err)
		ADD(dropped, 1);
	else if (r->type != ET_LOST)
		ADD(events, 1);
	return 0;
}

void recorder_tick(struct recorder *rc)
{
	/* what waits to be queued goes with the open chunk (deferred_flush()) */
	if ((rc->mt_deferred || rc->dump_deferred || rc->deferred_cg) &&
	    !deferred_flush(rc, false))
		return;
	if (tf_chunk_events(rc->cur) && mono_ns() - rc->cur_started >= rc->o.flush_ns)
		push_chunk(rc, false);
}

void recorder_mounts(struct recorder *rc, uint64_t ts_ns, const struct mount_table *mt)
{
	struct mount_table copy;

	if (mount_table_copy(&copy, mt))
		return;
	/* a newer table replaces one still waiting: it is the one in force */
	if (rc->mt_deferred)
		mount_table_free(&rc->deferred_mt);
	rc->deferred_mt = copy;
	rc->deferred_mt_ts = ts_ns;
	rc->mt_deferred = true;
	deferred_flush(rc, false);
}

/*
 * 0: written when the writer gets to it (the stats count it then); 1:
 * the same dump of the recording's file already waits for the writer (one
 * dump will do for both); -EBUSY: another dump still waits for it.
 */
int recorder_dump_to(struct recorder *rc, const char *path)
{
	char *copy = NULL;

	if (!ring_mode(rc))
		return -EINVAL;
	if (rc->dump_deferred)
		return path || rc->deferred_dump_path ? -EBUSY : 1;
	if (path && !(copy = strdup(path)))
		return -ENOMEM;
	rc->deferred_dump_ts = mono_ns();
	rc->deferred_dump_path = copy;
	rc->dump_deferred = true;
	deferred_flush(rc, false);
	return 0;
}

int recorder_dump(struct recorder *rc)
{
	return recorder_dump_to(rc, NULL);
}

void recorder_no_generation(struct recorder *rc, uint64_t n)
{
	rc->no_generation = n;
}

/* The trailer: into the file, or a stream through the memory file (counted). */
static int write_trailer(struct recorder *rc, const struct tf_trailer *tr)
{
	uint64_t len;
	int err;

	if (!rc->stream)
		return tf_write_trailer(rc->fd, tr);
	err = tf_write_trailer(rc->mfd, tr);
	err = err ?: mem_to_stream(rc, &len, false);
	if (!err)
		rc->st.bytes += len;
	return err;
}

int recorder_close(struct recorder *rc, uint64_t end_ns, struct recorder_stats *st)
{
	struct item stop = { .kind = IT_STOP };
	struct tf_trailer tr = { .end_ns = end_ns, .no_generation = rc->no_generation };
	struct timespec rt;
	int err;

	deferred_flush(rc, true);
	push_chunk(rc, true);
	enqueue(rc, &stop, true);
	pthread_join(rc->writer, NULL);
	err = rc->write_err;

	clock_gettime(CLOCK_REALTIME, &rt);
	tr.end_realtime_ns = (uint64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
	if (ring_mode(rc)) {
		int e = ring_dump(rc, true, end_ns, NULL);

		err = err ? err : e;
	} else {
		tr.events = rc->st.events - rc->st.over_size;
		tr.lost = rc->st.lost;
		tr.dropped = rc->st.dropped;
		tr.chunks = rc->st.chunks;
		/*
		 * After a write error, a trailer where the device takes one:
		 * saying what is there, so the file reads as closed (a partly
		 * written chunk before it is skipped and reported by readers).
		 */
		if (err) {
			tr.events = rc->st.written;
			write_trailer(rc, &tr);
		} else {
			err = write_trailer(rc, &tr);
		}
		if (!err && fdatasync(rc->fd) && errno != EINVAL)
			err = -errno;
		/* a stream's fd stays open: its reader sees the end when we exit */
		if (!rc->stream && close(rc->fd) && !err)
			err = -errno;
		rc->fd = -1;
		if (!err && !rc->stream) {
			int rfd = open(rc->o.path, O_RDONLY | O_CLOEXEC);

			if (rfd >= 0) {
				off_t size = lseek(rfd, 0, SEEK_END);

				if (size > 0)
					rc->st.bytes = size;
				close(rfd);
			}
		}
	}
	tf_chunk_free(rc->cur);
	for (size_t i = 0; i < rc->n_free; i++)
		tf_chunk_free(rc->free_chunks[i]);
	for (size_t i = 0; i < rc->ring_n; i++)
		free(rc->ring[i].buf);
	free(rc->ring);
	mount_table_free(&rc->meta.mounts);
	mount_table_free(&rc->latest_mounts);
	free(rc->cg_ids);
	cgroups_free(rc->deferred_cg);	/* NULL: the flush above queued it */
	if (rc->mfd >= 0)
		close(rc->mfd);
	pthread_mutex_destroy(&rc->lock);
	pthread_cond_destroy(&rc->cond);
	rc->st.cgroups_late = rc->cg_late;
	if (st)
		*st = rc->st;
	free(rc);
	return err;
}

void recorder_get_stats(struct recorder *rc, struct recorder_stats *st)
{
	pthread_mutex_lock(&rc->lock);
	*st = rc->st;
	pthread_mutex_unlock(&rc->lock);
}
