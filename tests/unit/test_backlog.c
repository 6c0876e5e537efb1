// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ring's backlog (source/backlog.c) without BPF: a producer thread
 * appends numbered records of every size a ring record has, the consumer
 * takes chunks and checks each record's bytes and order, the bound holds
 * while the consumer is slow, and the end hands on what the fill held.
 */
#include "unit.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/common.h"
#include "source/backlog.h"

#define N_RECS	60000	/* some 50 chunks of records of 160 to 224 bytes */

/* Record i: its size, then each byte a function of i and its place. */
static uint32_t rec_size(uint32_t i)
{
	return 160 + 8 * (i % 9);
}

static void rec_fill(unsigned char *p, uint32_t i)
{
	uint32_t n = rec_size(i);

	memcpy(p, &i, sizeof(i));
	for (uint32_t k = sizeof(i); k < n; k++)
		p[k] = (unsigned char)(i * 31 + k);
}

struct run {
	struct backlog b;
	uint32_t n;		/* records to append */
	bool flush;		/* a round's end after every 100 */
	int err;
};

static void *producer(void *arg)
{
	struct run *r = arg;
	unsigned char rec[256];
	int err = 0;

	for (uint32_t i = 0; i < r->n && !err; i++) {
		rec_fill(rec, i);
		err = backlog_append(&r->b, rec, rec_size(i));
		if (r->flush && i % 100 == 99)
			backlog_flush(&r->b);
	}
	r->err = err;
	backlog_end(&r->b, err);
	return NULL;
}

/* Takes every chunk; checks records in order; returns how many it saw. */
static uint32_t consume(struct run *r, bool slow, unsigned int *most_chunks)
{
	unsigned char want[256];
	uint32_t next = 0;
	int err;

	/* slow from the start: the producer has long reached the bound, or gone past it */
	if (slow) {
		struct timespec ts = { 0, 50000000 };

		nanosleep(&ts, NULL);
	}
	while (!backlog_drained(&r->b, &err)) {
		struct chunk *ch = backlog_take(&r->b, mono_ns() + 100000000ull);
		const unsigned char *p;
		size_t off = 0;
		uint32_t n;

		if (!ch)
			continue;
		pthread_mutex_lock(&r->b.mu);
		if (r->b.chunks > *most_chunks)
			*most_chunks = r->b.chunks;
		pthread_mutex_unlock(&r->b.mu);
		while ((p = chunk_next(ch, &off, &n))) {
			rec_fill(want, next);
			assert_int_equal(n, rec_size(next));
			assert_memory_equal(p, want, n);
			/* 8-aligned: the consumer reads struct et_event in place */
			assert_int_equal((uintptr_t)p % 8, 0);
			next++;
		}
		if (slow) {
			struct timespec ts = { 0, 2000000 };

			nanosleep(&ts, NULL);
		}
		backlog_done(&r->b, ch);
	}
	assert_int_equal(err, 0);
	return next;
}

static void run_case(size_t max_bytes, bool flush, bool slow)
{
	struct run r = { .n = N_RECS, .flush = flush };
	unsigned int most = 0;
	pthread_t tid;

	assert_int_equal(backlog_init(&r.b, max_bytes), 0);
	assert_int_equal(pthread_create(&tid, NULL, producer, &r), 0);
	assert_int_equal(consume(&r, slow, &most), N_RECS);
	pthread_join(tid, NULL);
	assert_int_equal(r.err, 0);
	/* the producer waited: never more chunks out than the bound */
	assert_true(most <= r.b.max_chunks);
	backlog_free(&r.b);
}

/* A slow consumer and a bound of 3 chunks: the producer must wait, and lose nothing. */
static void test_bound_slow_consumer(void **state)
{
	run_case(3 * CHUNK_BYTES, false, true);
}

/* Rounds ending often: small chunks handed on early, same records, same order. */
static void test_flushed_rounds(void **state)
{
	run_case(8 * CHUNK_BYTES, true, false);
}

/* The bound's floor: two chunks, whatever was asked. */
static void test_bound_floor(void **state)
{
	struct backlog b;

	assert_int_equal(backlog_init(&b, 1), 0);
	assert_int_equal(b.max_chunks, 2);
	backlog_free(&b);
	run_case(0, true, true);
}

/* A record too big for a chunk is refused, not cut; the end hands on the fill. */
static void test_too_big_and_end(void **state)
{
	static unsigned char big[CHUNK_BYTES];
	struct backlog b;
	struct chunk *ch;
	unsigned char rec[256];
	size_t off = 0;
	uint32_t n;
	int err;

	assert_int_equal(backlog_init(&b, 4 * CHUNK_BYTES), 0);
	assert_int_equal(backlog_append(&b, big, CHUNK_BYTES), -EINVAL);
	rec_fill(rec, 7);
	assert_int_equal(backlog_append(&b, rec, rec_size(7)), 0);
	/* not flushed, not ended: nothing to take yet */
	assert_null(backlog_take(&b, mono_ns()));
	assert_false(backlog_drained(&b, &err));
	backlog_stop(&b);
	assert_true(backlog_stopping(&b));
	backlog_end(&b, -EIO);
	ch = backlog_take(&b, mono_ns());
	assert_non_null(ch);
	assert_memory_equal(chunk_next(ch, &off, &n), rec, rec_size(7));
	assert_int_equal(n, rec_size(7));
	assert_null(chunk_next(ch, &off, &n));
	backlog_done(&b, ch);
	assert_true(backlog_drained(&b, &err));
	assert_int_equal(err, -EIO);
	backlog_free(&b);
}

/* Fills n chunks on this thread, each flushed: a chunk's worth of records each. */
static void fill_chunks(struct backlog *b, int n, struct chunk **got)
{
	unsigned char rec[256];
	uint32_t per = CHUNK_BYTES / (8 + 256);

	for (int c = 0; c < n; c++) {
		for (uint32_t i = 0; i < per; i++) {
			rec_fill(rec, i);
			assert_int_equal(backlog_append(b, rec, 256), 0);
		}
		backlog_flush(b);
		got[c] = backlog_take(b, mono_ns());
		assert_non_null(got[c]);
	}
}

/*
 * A burst's chunks are kept for the next burst, which maps none afresh,
 * until a quiet moment's trim unmaps all but one.
 */
static void test_kept_then_trimmed(void **state)
{
	struct chunk *first[4], *again[4];
	struct backlog b;

	assert_int_equal(backlog_init(&b, 8 * CHUNK_BYTES), 0);
	fill_chunks(&b, 4, first);
	for (int c = 0; c < 4; c++)
		backlog_done(&b, first[c]);
	assert_int_equal(b.n_spares, 4);
	fill_chunks(&b, 4, again);
	for (int c = 0; c < 4; c++) {
		bool kept = false;

		for (int k = 0; k < 4; k++)
			kept = kept || again[c] == first[k];
		assert_true(kept);
	}
	assert_int_equal(b.n_spares, 0);
	for (int c = 0; c < 4; c++)
		backlog_done(&b, again[c]);
	assert_int_equal(backlog_trim(&b), 3);
	assert_int_equal(b.n_spares, 1);
	assert_int_equal(backlog_trim(&b), 0);
	/* the one kept still serves */
	fill_chunks(&b, 1, again);
	backlog_done(&b, again[0]);
	backlog_end(&b, 0);
	backlog_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_slow_consumer),
		cmocka_unit_test(test_flushed_rounds),
		cmocka_unit_test(test_bound_floor),
		cmocka_unit_test(test_too_big_and_end),
		cmocka_unit_test(test_kept_then_trimmed),
	};

	return cmocka_run_group_tests_name("backlog", tests, NULL, NULL);
}
