// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live source: read the ring buffer, decode, hand each event to the
 * sink, and turn the kernel's per-CPU reserve-failure counters into `lost`
 * events where they happened, so nothing is dropped silently.
 *
 * The ring is read on a thread of its own into a backlog in userspace;
 * the records are decoded and handed on on the caller's.  In a burst the
 * probes make records about as fast as the model and the printers take
 * them (an event's JSON line costs about what the workload spends making
 * it), and a full ring loses what comes next.  Copying a record out costs
 * a small fraction of decoding it, so the reader keeps the ring near
 * empty while it gets any CPU at all.  The backlog (source/backlog.h) is
 * pageable memory, taken while a burst outruns the consumer and given
 * back once the ring is quiet (QUIET_NS), up to BACKLOG_RINGS times the
 * ring; past that the reader waits, and the ring fills and loses
 * (counted) as it did without one.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "lib/common.h"
#include "source/agg.h"
#include "source/backlog.h"
#include "source/ring.h"

#define POLL_MS 100
/* the kernel's aggregation: read as often as a view redraws at most */
#define AGG_READ_NS 1000000000ull

#define BACKLOG_RINGS	8	/* the backlog's bound, in rings' sizes */
/* a backlog this long at the stop (some 20,000 records) is said: handing it on takes a while */
#define WAIT_SAID_CHUNKS	4
/*
 * The backlog's chunks a burst took are kept for the next (a chunk mapped
 * afresh is 256 page faults) and given back once the ring was this long
 * without a record.
 */
#define QUIET_NS	2000000000ull

struct ring_ctx {
	struct decoder *dec;	/* on the heap: its id cache is 768 KiB */
	struct et_stats *stats;
	const struct ring_opts *o;
	int sink_ret;
	uint64_t dropped;	/* read, then let go at a second interrupt (STOP_NOW) */
};

/* A second interrupt: what was read and still waits is dropped, and counted. */
static bool stop_now(const struct ring_ctx *c)
{
	return *c->o->stop >= STOP_NOW;
}

static int deliver(struct ring_ctx *c, const struct et_rec *r)
{
	stats_count(c->stats, r);
	c->sink_ret = c->o->sink(c->o->sink_ctx, r);
	return c->sink_ret;
}

/*
 * make bench-vm's live-discard mode links a build of this file with
 * ET_BENCH_DISCARD=1 (evtrace-static-discard, never installed): records
 * are read off the ring and dropped, neither decoded nor modelled, so the
 * same boot shows what the probes and the ring cost without the consumer.
 */
#ifndef ET_BENCH_DISCARD
#define ET_BENCH_DISCARD 0
#endif

static int on_event(void *ctx, const struct et_event *e, size_t size)
{
	struct ring_ctx *c = ctx;
	struct et_rec r;

	if (ET_BENCH_DISCARD)
		return 0;
	if (stop_now(c)) {
		c->dropped++;
		return 0;
	}
	decode_event(c->dec, e, size, &r);
	return deliver(c, &r);
}

/* ---- the reader's thread ------------------------------------------------- */

struct reader {
	struct backlog b;
	struct tracer *t;
	int err;		/* the callback's, when it ended the reader */
};

/* libbpf's callback on the reader's thread: the record into the backlog. */
static int reader_event(void *ctx, const struct et_event *e, size_t size)
{
	struct reader *rd = ctx;

	if (ET_BENCH_DISCARD)
		return 0;
	rd->err = backlog_append(&rd->b, e, size < sizeof(*e) ? size : sizeof(*e));
	/* -1 ends ring_buffer__poll(), and with it the reader: the run says why */
	return rd->err ? -1 : 0;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	int err = 0;

	while (!backlog_stopping(&rd->b)) {
		err = ring_buffer__poll(rd->t->rb, POLL_MS);
		/*
		 * The kernel wakes us only past a backlog (wakeup_bytes in the
		 * BPF program), so a quiet poll may still find records: read
		 * them every round.
		 */
		if (err >= 0)
			err = ring_buffer__consume(rd->t->rb);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			break;
		backlog_flush(&rd->b);
	}
	backlog_end(&rd->b, rd->err ? rd->err : err);
	return NULL;
}

/* A chunk's records to the sink, until it says stop. */
static void deliver_chunk(struct ring_ctx *c, const struct chunk *ch)
{
	const struct et_event *e;
	size_t off = 0;
	uint32_t n;

	while (!c->sink_ret && (e = chunk_next(ch, &off, &n)))
		on_event(c, e, n);
}

/* The reader's thread, with no signal: they go to the caller's, which stops the run. */
static int reader_start(struct reader *rd, pthread_t *tid)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(tid, NULL, reader_main, rd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

/*
 * The reader ends after its round, and everything it read on the way is
 * handed on (or, once the sink said stop, let go; at a second interrupt,
 * counted as lost): nothing it took off the ring is dropped unseen, and
 * it never waits on a consumer gone.  A long wait is said, with the way
 * to cut it short.
 */
static void reader_stop(struct reader *rd, pthread_t tid, struct ring_ctx *c)
{
	struct chunk *ch;
	unsigned int queued;
	int err;

	backlog_stop(&rd->b);
	queued = backlog_queued(&rd->b);
	if (queued >= WAIT_SAID_CHUNKS && !stop_now(c) && !c->sink_ret)
		p_info("handing on %u MiB of events already read; interrupt again to drop them "
		       "(counted as lost)", queued * (CHUNK_BYTES >> 20));
	while (!backlog_drained(&rd->b, &err)) {
		ch = backlog_take(&rd->b, mono_ns() + POLL_MS * 1000000ull);
		if (ch) {
			deliver_chunk(c, ch);
			backlog_done(&rd->b, ch);
		}
	}
	pthread_join(tid, NULL);
}

/*
 * What the kernel aggregated since the last read: its buckets to the
 * session, its counts to the stats and the model; a full table is a loss.
 */
static int read_agg(struct tracer *t, struct ring_ctx *c, struct agg_reader *ar)
{
	uint64_t d[ETA_COUNTS], now = mono_ns();
	int err;

	if (ar->fd < 0)
		return 0;
	err = agg_reader_read(ar, now, c->o->agg, c->o->sink_ctx, d);
	for (int i = 1; i < ET_TYPE_MAX; i++) {
		if (i == ET_LOST)
			continue;
		c->stats->n[i] += d[i];
		c->stats->total += d[i];
	}
	if (c->o->agg_counts)
		c->o->agg_counts(c->o->sink_ctx, d, d[ETA_UNKNOWN_INODE], d[ETA_UNKNOWN_DENTRY],
				 t->stream_start_ns, now);
	if (!err && d[ETA_TABLE_FULL]) {
		struct et_rec r;

		decode_lost(&r, now, d[ETA_TABLE_FULL], lost_cause_name(LOST_TABLE));
		err = deliver(c, &r);
	}
	return err;
}

/* One lost record per cause with a count in n. */
static int deliver_lost(struct ring_ctx *c, const uint64_t *n)
{
	struct et_rec r;
	int err = 0;

	for (int i = 0; i < LOST_CAUSES && !err; i++) {
		if (!n[i])
			continue;
		decode_lost(&r, mono_ns(), n[i], lost_cause_name(i));
		err = deliver(c, &r);
	}
	return err;
}

/* One lost record per cause that lost something since the last round. */
static int report_lost(struct tracer *t, struct ring_ctx *c, bool all)
{
	uint64_t n[LOST_CAUSES];

	tracer_new_lost(t, n, all);
	return deliver_lost(c, n);
}

int ring_run(struct tracer *t, struct et_stats *stats, const struct ring_opts *o)
{
	struct ring_ctx c = { .stats = stats, .o = o };
	uint64_t end = o->duration > 0 ? mono_ns() + (uint64_t)(o->duration * 1e9) : 0;
	uint64_t agg_read_ns = mono_ns(), round_end, lost[LOST_CAUSES];
	uint64_t last_chunk_ns = mono_ns();
	bool trimmed = false;
	struct agg_reader ar;
	struct reader rd = { .t = t };
	struct chunk *ch;
	pthread_t reader;
	int err = 0;

	c.dec = malloc(sizeof(*c.dec));
	if (!c.dec || agg_reader_init(&ar, t)) {
		free(c.dec);
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	if (decoder_init(c.dec, t->ksyms)) {
		free(c.dec);
		agg_reader_free(&ar);
		p_err("cannot initialise libsodium");
		return EXIT_RUNTIME;
	}
	if (backlog_init(&rd.b, BACKLOG_RINGS * tracer_ring_bytes(t))) {
		free(c.dec);
		agg_reader_free(&ar);
		p_err("cannot set up the ring's reader");
		return EXIT_RUNTIME;
	}
	t->on_event = reader_event;
	t->on_event_ctx = &rd;
	if ((err = reader_start(&rd, &reader))) {
		backlog_free(&rd.b);
		free(c.dec);
		agg_reader_free(&ar);
		t->on_event = NULL;
		t->on_event_ctx = NULL;
		p_err("cannot start the ring's reader: %s", strerror(err));
		return EXIT_RUNTIME;
	}
	round_end = mono_ns() + POLL_MS * 1000000ull;
	while (!*o->stop && !c.sink_ret) {
		/* what the reader queued, until this round's end: then the round's work */
		ch = backlog_take(&rd.b, round_end);
		if (ch) {
			deliver_chunk(&c, ch);
			backlog_done(&rd.b, ch);
			last_chunk_ns = mono_ns();
			trimmed = false;
		}
		/* the reader ends early only on an error, said once all it read is handed on */
		if (backlog_drained(&rd.b, &err))
			break;
		if (ch && mono_ns() < round_end)
			continue;
		round_end = mono_ns() + POLL_MS * 1000000ull;
		if (!trimmed && mono_ns() - last_chunk_ns >= QUIET_NS) {
			backlog_trim(&rd.b);
			trimmed = true;
		}
		report_lost(t, &c, false);
		/*
		 * hist INTERVAL: an interval that ends at this round's tick
		 * gets what the kernel counted up to now, not up to the last
		 * periodic read.
		 */
		if (mono_ns() - agg_read_ns >= AGG_READ_NS ||
		    (o->agg_due && o->agg_due(o->sink_ctx, mono_ns()))) {
			agg_read_ns = mono_ns();
			if (read_agg(t, &c, &ar) && !c.sink_ret)
				c.sink_ret = 1;
		}
		if (o->tick)
			o->tick(o->sink_ctx);
		if (end && mono_ns() >= end)
			break;
	}
	/*
	 * What the kernel wrote before we stopped still counts, and in its
	 * order: the reader's backlog, then what the ring still holds.  The
	 * losses are read before the detach (the kprobes' misses read while
	 * their links exist), then the ring, the losses and the call counts
	 * all end at the same moment.
	 */
	reader_stop(&rd, reader, &c);
	tracer_new_lost(t, lost, true);
	tracer_detach(t);
	deliver_lost(&c, lost);
	t->on_event = on_event;
	t->on_event_ctx = &c;
	if (!c.sink_ret)
		ring_buffer__consume(t->rb);
	if (c.dropped) {
		uint64_t n[LOST_CAUSES] = { [LOST_INTERRUPTED] = c.dropped };

		deliver_lost(&c, n);
	}
	report_lost(t, &c, true);
	if (!c.sink_ret)
		read_agg(t, &c, &ar);
	backlog_free(&rd.b);
	agg_reader_free(&ar);
	free(c.dec);
	t->on_event = NULL;
	t->on_event_ctx = NULL;
	if (err < 0) {
		p_err("ring buffer poll failed: %s", strerror(-err));
		return EXIT_RUNTIME;
	}
	return 0;
}
