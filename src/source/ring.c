// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live source: poll the ring buffer, decode, hand each event to the
 * sink, and turn the kernel's per-CPU reserve-failure counters into `lost`
 * events where they happened, so nothing is dropped silently.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "lib/common.h"
#include "source/agg.h"
#include "source/ring.h"

#define POLL_MS 100
/* the kernel's aggregation: read as often as a view redraws at most */
#define AGG_READ_NS 1000000000ull

struct ring_ctx {
	struct decoder *dec;	/* on the heap: its id cache is 768 KiB */
	struct et_stats *stats;
	const struct ring_opts *o;
	int sink_ret;
};

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
	decode_event(c->dec, e, size, &r);
	return deliver(c, &r);
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

/* One lost record per cause that lost something since the last round. */
static int report_lost(struct tracer *t, struct ring_ctx *c, bool all)
{
	uint64_t n[LOST_CAUSES];
	struct et_rec r;
	int err = 0;

	tracer_new_lost(t, n, all);
	for (int i = 0; i < LOST_CAUSES && !err; i++) {
		if (!n[i])
			continue;
		decode_lost(&r, mono_ns(), n[i], lost_cause_name(i));
		err = deliver(c, &r);
	}
	return err;
}

int ring_run(struct tracer *t, struct et_stats *stats, const struct ring_opts *o)
{
	struct ring_ctx c = { .stats = stats, .o = o };
	uint64_t end = o->duration > 0 ? mono_ns() + (uint64_t)(o->duration * 1e9) : 0;
	uint64_t agg_read_ns = mono_ns();
	struct agg_reader ar;
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
	t->on_event = on_event;
	t->on_event_ctx = &c;
	while (!*o->stop && !c.sink_ret) {
		err = ring_buffer__poll(t->rb, POLL_MS);
		/*
		 * The kernel wakes us only past a backlog (wakeup_bytes in the
		 * BPF program), so a quiet poll may still find records: read
		 * them every round.
		 */
		if (err >= 0 && !c.sink_ret)
			err = ring_buffer__consume(t->rb);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0 && !c.sink_ret)
			break;
		err = 0;
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
	 * What the kernel wrote before we stopped still counts.  Detach
	 * first (the kprobes' misses read while their links exist): then the
	 * ring, the losses and the call counts all end at the same moment.
	 */
	report_lost(t, &c, true);
	tracer_detach(t);
	if (!c.sink_ret)
		ring_buffer__consume(t->rb);
	report_lost(t, &c, true);
	if (!c.sink_ret)
		read_agg(t, &c, &ar);
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
