// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The file source: a trace file -> decoded events, into the same sinks the
 * live loop feeds.  Damage is reported and read past, never fatal: what a
 * crashed recorder left is still worth studying.
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/cgroups.h"
#include "lib/common.h"
#include "source/replay.h"
#include "file/tracefile.h"

/*
 * --speed N: event time runs N times faster than the wall clock.  The
 * anchor (first_ts, wall0) moves when the speed changes (+/- in the live
 * view) or after a pause, so neither makes the replay jump.
 */
struct pacer {
	uint64_t first_ts, wall0;
	double speed;
};

static void pace(const struct replay_opts *o, struct pacer *p, uint64_t ts)
{
	uint64_t due, now;

	while (o->paused && *o->paused && !(o->stop && *o->stop)) {
		struct timespec d = { 0, 50000000 };

		nanosleep(&d, NULL);
		if (o->tick)
			o->tick(o->ctx);
		p->wall0 = 0;	/* re-anchor after the pause */
	}
	if (o->speed <= 0)
		return;
	if (!p->wall0 || p->speed != o->speed) {
		p->first_ts = ts;
		p->wall0 = mono_ns();
		p->speed = o->speed;
		return;
	}
	if (ts <= p->first_ts)
		return;
	due = p->wall0 + (uint64_t)((ts - p->first_ts) / o->speed);
	while (!(o->stop && *o->stop) && (now = mono_ns()) < due) {
		uint64_t left = due - now;
		struct timespec d;

		/* short naps, so Ctrl-C and the view's ticks stay responsive */
		if (left > 50000000)
			left = 50000000;
		d.tv_sec = 0;
		d.tv_nsec = left;
		nanosleep(&d, NULL);
		if (o->tick)
			o->tick(o->ctx);
		if (p->speed != o->speed)
			break;
	}
}

/*
 * Reading runs a batch ahead of the views, on a thread of its own: the
 * reader (pread, CRC, zstd and decoding) is about half of a replay, and
 * the sinks never touch it.  The window and the filters are applied there
 * too.  A batch is one chunk, decoded where the consumer will read it
 * (tf_next_batch()); two are in flight, one read while the other is
 * consumed, so memory stays bounded whatever the file's length.
 */
#define BATCH_EVENTS	TF_WRITE_EVENTS
#define BATCH_SLOTS	2

struct batch {
	struct et_rec ev[BATCH_EVENTS];
	uint32_t n;
	bool has_mounts;		/* a MOUNTS section came before ev[0] */
	struct mount_table mounts;	/* then a copy of it, the consumer's to free */
	/*
	 * The cgroups MOUNTS and CGROUPS sections named before ev[0], the
	 * consumer's to free: only those, so a name applies from where the
	 * file has it, however far ahead the reader is.  NULL: none.
	 */
	struct cgroups *cgroups;
};

struct feed {
	struct tf_reader *rd;
	const struct filters *filters;
	uint64_t from, to;

	/* producer only */
	bool done;
	uint64_t first_ts, last_ts;	/* of every record read, in the window or not */
	bool past_to;			/* reading stopped at a record after --to */

	/* shared, under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch *slots;
	unsigned int head, tail;	/* consume at head, fill at tail */
	bool ended;			/* the producer published its last batch */
	bool quit;			/* the consumer wants no more */
	int err;			/* tf_next_batch()'s -errno, or -ENOMEM */
	bool eof;			/* the file was read to its end */
};

/*
 * Fill one batch from the reader, then keep the records in the window
 * that pass the filters.  A mount-table change comes only between chunks,
 * so it applies before the batch's first record, exactly where the
 * single-threaded loop applied it; so do cgroup names.  A batch the
 * filters empty is not handed over, unless it carries either.
 */
static void fill(struct feed *f, struct batch *b)
{
	const struct mount_table *mt;

	b->n = 0;
	b->has_mounts = false;
	b->cgroups = NULL;
	while (!b->n && !b->has_mounts && !b->cgroups && !f->done) {
		int n = tf_next_batch(f->rd, b->ev, BATCH_EVENTS);
		uint32_t keep = 0;

		if (n <= 0) {
			f->err = n;
			f->eof = n == 0;
			f->done = true;
			break;
		}
		mt = tf_mounts_changed(f->rd, NULL);
		if (mt) {
			if (mount_table_copy(&b->mounts, mt)) {
				f->err = -ENOMEM;
				f->done = true;
				break;
			}
			b->has_mounts = true;
		}
		b->cgroups = tf_cgroups_changed(f->rd);
		for (int i = 0; i < n; i++) {
			const struct et_rec *r = &b->ev[i];

			if (r->ts_ns < f->first_ts || !f->first_ts)
				f->first_ts = r->ts_ns;
			if (r->ts_ns > f->last_ts)
				f->last_ts = r->ts_ns;
			if (r->ts_ns < f->from)
				continue;
			if (r->ts_ns > f->to) {
				f->done = f->past_to = true;
				break;
			}
			if (!filters_match(f->filters, r))
				continue;
			if (keep != (uint32_t)i)
				b->ev[keep] = *r;
			keep++;
		}
		b->n = keep;
	}
}

static void *producer(void *arg)
{
	struct feed *f = arg;

	pthread_mutex_lock(&f->lock);
	while (!f->quit && !f->ended) {
		struct batch *b;

		if (f->tail - f->head == BATCH_SLOTS) {
			pthread_cond_wait(&f->cond, &f->lock);
			continue;
		}
		b = &f->slots[f->tail % BATCH_SLOTS];
		pthread_mutex_unlock(&f->lock);
		fill(f, b);
		pthread_mutex_lock(&f->lock);
		f->tail++;
		f->ended = f->done;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* The next filled batch, or NULL at the end. */
static struct batch *take(struct feed *f, bool threaded)
{
	struct batch *b = NULL;

	if (!threaded) {
		if (f->ended)
			return NULL;
		fill(f, &f->slots[0]);
		f->ended = f->done;
		return &f->slots[0];
	}
	pthread_mutex_lock(&f->lock);
	while (f->tail == f->head && !f->ended)
		pthread_cond_wait(&f->cond, &f->lock);
	if (f->tail != f->head)
		b = &f->slots[f->head % BATCH_SLOTS];
	pthread_mutex_unlock(&f->lock);
	return b;
}

static void give_back(struct feed *f, bool threaded)
{
	if (!threaded)
		return;
	pthread_mutex_lock(&f->lock);
	f->head++;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* Deliver one batch; false when the replay should stop. */
static bool consume(const struct replay_opts *o, struct batch *b, struct pacer *pacer,
		    uint64_t *n_read, struct et_stats *stats, int *ret)
{
	if (b->has_mounts || b->cgroups) {
		int err = b->has_mounts && o->mounts ? o->mounts(o->ctx, &b->mounts) : 0;

		/* cgroups MOUNTS and CGROUPS sections named */
		if (!err && b->cgroups && o->cgroups)
			err = o->cgroups(o->ctx, b->cgroups);

		if (b->has_mounts)
			mount_table_free(&b->mounts);
		b->has_mounts = false;
		cgroups_free(b->cgroups);
		b->cgroups = NULL;
		if (err) {
			p_err("out of memory");
			*ret = EXIT_RUNTIME;
			return false;
		}
	}
	for (uint32_t i = 0; i < b->n; i++) {
		struct et_rec *r = &b->ev[i];

		if (o->stop && *o->stop)
			return false;
		pace(o, pacer, r->ts_ns);
		/* as fast as possible: the view still gets its ticks */
		if (o->speed <= 0 && o->tick && !(++*n_read & 4095))
			o->tick(o->ctx);
		stats_count(stats, r);
		if (o->sink(o->ctx, r))
			return false;
	}
	return !(o->stop && *o->stop);
}

void replay_open_error(const char *path, const char *err)
{
	if (strcmp(path, "-"))
		p_err("cannot read trace file '%s': %s", path, err);
	else
		p_err("cannot read a trace file from standard input (-): %s", err);
}

int replay_run(const struct replay_opts *o, struct et_stats *stats)
{
	struct feed f = { .from = 0, .to = UINT64_MAX, .filters = o->filters };
	struct pacer pacer = { 0 };
	struct tf_status st;
	struct batch *b;
	pthread_t thread;
	bool threaded = false, stopped = false;
	uint64_t start, n_read = 0, delivered = 0;
	char err[256], cut[160] = "";
	const char *name;
	int ret = EXIT_OK;

	if (o->filters && o->filters->ncgroups) {
		p_err("--cgroup selects tasks of a live run: a recording's cgroups are its host's "
		      "(hist --by cgroup names them)");
		return EXIT_ENV;
	}
	f.rd = tf_open(o->path, err, sizeof(err));
	if (!f.rd) {
		replay_open_error(o->path, err);
		return EXIT_ENV;
	}
	if (o->start)
		o->start(o->ctx, tf_reader_meta(f.rd)->start_ns,
			 tf_reader_meta(f.rd)->start_realtime_ns);
	/* "standard input" for -, in what is said below */
	name = tf_name(o->path);
	if (filters_resolve_mounts(o->filters, &tf_reader_meta(f.rd)->mounts)) {
		tf_close(f.rd);
		return EXIT_ENV;
	}
	if (o->mounts && o->mounts(o->ctx, &tf_reader_meta(f.rd)->mounts)) {
		p_err("out of memory");
		tf_close(f.rd);
		return EXIT_RUNTIME;
	}
	if (o->cgroups && tf_reader_meta(f.rd)->cgroups &&
	    o->cgroups(o->ctx, tf_reader_meta(f.rd)->cgroups)) {
		p_err("out of memory");
		tf_close(f.rd);
		return EXIT_RUNTIME;
	}
	if (o->started && (ret = o->started(o->ctx))) {
		tf_close(f.rd);
		return ret;
	}
	/* --from/--to count from the moment the recording began */
	start = tf_reader_meta(f.rd)->start_ns;
	if (o->from_s > 0)
		f.from = start + (uint64_t)(o->from_s * 1e9);
	if (o->to_s > 0)
		f.to = start + (uint64_t)(o->to_s * 1e9);

	f.slots = calloc(BATCH_SLOTS, sizeof(*f.slots));
	if (!f.slots) {
		p_err("out of memory");
		tf_close(f.rd);
		return EXIT_RUNTIME;
	}
	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.cond, NULL);
	/* no thread to be had: the same batches, read in turn */
	threaded = !pthread_create(&thread, NULL, producer, &f);

	while (!stopped && (b = take(&f, threaded))) {
		delivered += b->n;
		stopped = !consume(o, b, &pacer, &n_read, stats, &ret);
		give_back(&f, threaded);
	}
	if (threaded) {
		pthread_mutex_lock(&f.lock);
		f.quit = true;
		pthread_cond_broadcast(&f.cond);
		pthread_mutex_unlock(&f.lock);
		pthread_join(thread, NULL);
	}
	/* batches read but not delivered may still hold a mount table, cgroup names */
	for (unsigned int i = 0; i < BATCH_SLOTS; i++) {
		if (f.slots[i].has_mounts)
			mount_table_free(&f.slots[i].mounts);
		cgroups_free(f.slots[i].cgroups);
	}
	free(f.slots);
	pthread_cond_destroy(&f.cond);
	pthread_mutex_destroy(&f.lock);

	if (f.err == -ENOMEM) {
		p_err("out of memory");
		ret = EXIT_RUNTIME;
	} else if (f.err < 0) {
		p_err("%s: read error: %s", name, strerror(-f.err));
		ret = EXIT_RUNTIME;
	}
	tf_reader_status(f.rd, &st);
	if (st.bad_chunks)
		p_info("%s: %" PRIu64 " damaged chunks skipped (%" PRIu64 " events in them)",
		       name, st.bad_chunks, st.skipped_events);
	if (st.gave_up_at)
		p_info("%s: reading stopped at byte %" PRIu64 ": the damage before it took all the "
		       "work a file of this size may cost", name, st.gave_up_at);
	if (st.truncated_at) {
		tf_cut_text(&st, cut, sizeof(cut));
		p_info("%s: truncated at byte %" PRIu64 ", %s: recovered %" PRIu64 " events",
		       name, st.truncated_at, cut, st.events);
	} else if (!st.trailer_seen && !stopped && f.eof) {
		p_info("%s: no trailer: the recording did not end cleanly; recovered %" PRIu64
		       " events", name, st.events);
	}
	/* an empty window is no error, but should not look like an empty recording */
	if ((o->from_s > 0 || o->to_s > 0) && !delivered && !stopped && f.last_ts) {
		const struct filters *fl = o->filters;
		bool filtered = fl && (fl->npids || fl->ncomms || fl->nfss || fl->ndevs);

		char span[64];

		/* past --to nothing was read: the end is not known */
		snprintf(span, sizeof(span), f.past_to ? "start at %.3f s" : "run from %.3f s to %.3f s",
			 ((double)f.first_ts - (double)start) / 1e9,
			 ((double)f.last_ts - (double)start) / 1e9);
		p_info("%s: no event in the --from/--to window%s; the recording's events %s into it",
		       name, filtered ? " passed the filters" : "", span);
	}
	if (st.trailer_seen && st.trailer.no_generation)
		p_info("%s: %" PRIu64 " objects got no generation when it was recorded (table "
		       "full): their ids may repeat", name, st.trailer.no_generation);
	if (st.trailer_seen && st.trailer.lost)
		p_info("%s: the recording lost %" PRIu64 " events in the kernel, dropped %" PRIu64,
		       name, st.trailer.lost, st.trailer.dropped);
	tf_close(f.rd);
	return ret;
}
