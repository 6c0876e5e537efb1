// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hist INTERVAL [COUNT] in the session: each interval's histogram goes to
 * the sinks when it ends and holds that interval's values alone (the set
 * is cleared after each, as bcc clears its map); a replay's intervals end
 * by its events' timestamps (a quiet stretch ends several, empty ones too),
 * a live run's by the clock; COUNT ends the run; the last, partial one is
 * handed on at the end.  The whole run's histogram keeps every value.
 */
#include "unit.h"
#include "helpers.h"

#include "model/hist.h"
#include "pipeline/session.h"

#define S	1000000000ull
#define T0	(100 * S)

struct got {
	uint64_t origin;	/* the first interval's start: the bounds come on the events' clock */
	int n;
	uint64_t no[16], from[16], to[16], count[16];
};

/* Every group's count: the ino events below all land in one group or another. */
static uint64_t total(const struct hist_set *hs)
{
	char *buf = NULL, *p;
	size_t len;
	uint64_t sum = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	hist_print_json(f, hs, "ino");
	assert_int_equal(fclose(f), 0);
	/* a group's "count" comes right after its name; buckets' counts after "hi" */
	for (p = buf; (p = strstr(p, "\"group\":")); p++)
		sum += strtoull(strstr(p, "\"count\":") + 8, NULL, 10);
	free(buf);
	return sum;
}

static void on_interval(void *ctx, uint64_t n, uint64_t from, uint64_t to,
			const struct hist_set *hs)
{
	struct got *g = ctx;

	assert_true(g->n < 16);
	g->no[g->n] = n;
	assert_true(from >= g->origin && to >= from);
	g->from[g->n] = from - g->origin;
	g->to[g->n] = to - g->origin;
	g->count[g->n] = total(hs);
	g->n++;
}

static void start(struct session *s, struct sink *k, struct got *g, uint64_t count)
{
	struct session_opts so = { .hist = true, .of = S_INO, .by = BY_MOUNT,
				   .interval_ns = S, .intervals = count };

	memset(g, 0, sizeof(*g));
	assert_int_equal(session_init(s, &so), 0);
	*k = (struct sink){ .ctx = g, .interval = on_interval };
	assert_int_equal(session_add_sink(s, k), 0);
}

static int feed_ino(struct session *s, uint64_t ts, uint64_t ino)
{
	struct et_rec r = test_rec(ET_INO_ALLOC, ts);

	r.ino = ino;
	return session_feed(s, &r);
}

static void assert_interval(const struct got *g, int i, uint64_t from, uint64_t to,
			    uint64_t count)
{
	assert_int_equal(g->no[i], i + 1);
	assert_int_equal(g->from[i], from);
	assert_int_equal(g->to[i], to);
	assert_int_equal(g->count[i], count);
}

static void test_replay_by_timestamps(void **state)
{
	struct session s;
	struct sink k;
	struct got g;

	start(&s, &k, &g, 0);
	g.origin = T0 + S / 10;
	assert_int_equal(feed_ino(&s, T0 + S / 10, 10), 0);	/* the first: the origin */
	assert_int_equal(feed_ino(&s, T0 + S / 2, 11), 0);
	assert_int_equal(g.n, 0);
	/* exactly at the end: the next interval's */
	assert_int_equal(feed_ino(&s, T0 + S / 10 + S, 12), 0);
	assert_int_equal(g.n, 1);
	assert_interval(&g, 0, 0, S, 2);
	/* a quiet second: interval 3 is empty, and ends with 2 at once */
	assert_int_equal(feed_ino(&s, T0 + S / 10 + 3 * S + 5, 13), 0);
	assert_int_equal(g.n, 3);
	assert_interval(&g, 1, S, 2 * S, 1);
	assert_interval(&g, 2, 2 * S, 3 * S, 0);
	/* the end: the partial one, up to the last event */
	session_interval_end(&s, 0);
	assert_int_equal(g.n, 4);
	assert_interval(&g, 3, 3 * S, 3 * S + 5, 1);
	/* the whole run's histogram was never cleared */
	assert_int_equal(total(s.hist), 4);
	session_free(&s);
}

static void test_replay_count_stops(void **state)
{
	struct session s;
	struct sink k;
	struct got g;

	start(&s, &k, &g, 2);
	g.origin = T0;
	assert_int_equal(feed_ino(&s, T0, 10), 0);
	assert_int_equal(feed_ino(&s, T0 + S, 11), 0);
	/* the event past the second interval ends the run, unseen by the model */
	assert_int_not_equal(feed_ino(&s, T0 + 2 * S, 12), 0);
	assert_int_equal(g.n, 2);
	assert_interval(&g, 1, S, 2 * S, 1);
	session_interval_end(&s, 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(total(s.hist), 2);
	session_free(&s);
}

static void test_live_by_clock(void **state)
{
	struct session s;
	struct sink k;
	struct got g;

	start(&s, &k, &g, 3);
	g.origin = T0;
	/* not started: nothing is due, nothing ends */
	assert_false(session_interval_due(&s, T0));
	session_interval_start(&s, T0);
	/* events' timestamps end nothing live: only the clock does */
	assert_int_equal(feed_ino(&s, T0 + 5 * S, 10), 0);
	assert_int_equal(g.n, 0);
	assert_false(session_interval_due(&s, T0 + S - 1));
	assert_true(session_interval_due(&s, T0 + S));
	assert_false(session_interval_tick(&s, T0 + S - 1));
	assert_false(session_interval_tick(&s, T0 + 2 * S + S / 2));
	assert_int_equal(g.n, 2);
	assert_interval(&g, 0, 0, S, 1);
	assert_interval(&g, 1, S, 2 * S, 0);
	/* the partial third at the end, up to the clock */
	session_interval_end(&s, T0 + 2 * S + S / 4);
	assert_int_equal(g.n, 3);
	assert_interval(&g, 2, 2 * S, 2 * S + S / 4, 0);
	assert_false(session_interval_due(&s, T0 + 10 * S));
	session_free(&s);

	/* COUNT reached by the clock: the tick says the run is over */
	start(&s, &k, &g, 3);
	g.origin = T0;
	session_interval_start(&s, T0);
	assert_true(session_interval_tick(&s, T0 + 7 * S));
	assert_int_equal(g.n, 3);
	session_interval_end(&s, T0 + 8 * S);
	assert_int_equal(g.n, 3);
	session_free(&s);
}

static void test_no_interval(void **state)
{
	struct session_opts so = { .hist = true, .of = S_INO };
	struct session s;

	assert_int_equal(session_init(&s, &so), 0);
	assert_null(s.iv_hist);
	session_interval_start(&s, T0);
	assert_false(session_interval_due(&s, T0 + 5 * S));
	assert_false(session_interval_tick(&s, T0 + 5 * S));
	assert_int_equal(feed_ino(&s, T0 + 5 * S, 10), 0);
	session_interval_end(&s, T0 + 6 * S);
	session_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_by_timestamps),
		cmocka_unit_test(test_replay_count_stops),
		cmocka_unit_test(test_live_by_clock),
		cmocka_unit_test(test_no_interval),
	};

	return cmocka_run_group_tests_name("intervals", tests, NULL, NULL);
}
