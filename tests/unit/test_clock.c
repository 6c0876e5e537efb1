// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lib/tclock.c: the one clock every printed time is on.  Seconds since
 * the trace's start, rounded to the decimals asked for (a carry reaches
 * the seconds), negative before the start (never "-0"), no wrap whatever
 * a file's timestamp; -T's time of day in UTC, anchored at the start's
 * wall time; a live start taken from the probes' and the clocks now.
 */
#include "unit.h"

#include <time.h>

#include "lib/common.h"
#include "lib/tclock.h"

#define S	1000000000ull

static char buf[TCLOCK_LEN];

static const char *rel(uint64_t ts, int digits)
{
	return tclock_fmt(buf, sizeof(buf), ts, digits);
}

static int reset(void **state)
{
	tclock = (struct tclock){ 0 };
	return 0;
}

static void test_relative(void **state)
{
	/* no start: CLOCK_MONOTONIC seconds */
	assert_false(tclock_is_set());
	assert_string_equal(rel(74898917608ull, 6), "74.898918");
	tclock_start(74898917608ull, 0);
	assert_true(tclock_is_set());
	assert_string_equal(rel(74898917608ull, 6), "0.000000");
	assert_string_equal(rel(77575434000ull, 6), "2.676516");
	assert_string_equal(rel(77575434000ull, 3), "2.677");
	assert_string_equal(rel(77575434000ull, 9), "2.676516392");
	assert_string_equal(rel(77575434000ull, 0), "3");
	/* rounding carries into the seconds */
	assert_string_equal(rel(74898917608ull + S - 400, 6), "1.000000");
	assert_string_equal(rel(74898917608ull + S - 600, 6), "0.999999");
	/* digits are clamped to what a nanosecond has */
	assert_string_equal(rel(74898917608ull + 1, 12), "0.000000001");
	assert_string_equal(rel(74898917608ull + 1, -1), "0");
	assert_true(tclock_secs(74898917608ull + S / 2) == 0.5);
	assert_int_equal(tclock_rel_ns(74898917608ull + 5), 5);
}

static void test_before_start(void **state)
{
	tclock_start(10 * S, 0);
	assert_string_equal(rel(10 * S - 1500000, 6), "-0.001500");
	assert_string_equal(rel(8 * S, 3), "-2.000");
	/* rounds to zero: no minus sign for what was not before */
	assert_string_equal(rel(10 * S - 400, 6), "0.000000");
	assert_int_equal(tclock_rel_ns(10 * S - 7), -7);
	assert_true(tclock_secs(9 * S) == -1.0);
	/* a file's timestamp may be anything: no wrap, no overflow */
	assert_string_equal(rel(0, 0), "-10");
	assert_string_equal(rel(UINT64_MAX, 3), "18446744063.710");
	assert_int_equal(tclock_rel_ns(UINT64_MAX), INT64_MAX);
	tclock_start(UINT64_MAX, 0);
	assert_int_equal(tclock_rel_ns(0), -INT64_MAX);
	assert_string_equal(rel(0, 0), "-18446744074");
}

static void test_wall(void **state)
{
	char r[TCLOCK_LEN];

	/* 2026-11-23 23:40:21.896838271 UTC at 74.898917608 s */
	tclock_start(74898917608ull, 1795477221896838271ull);
	tclock.wall = true;
	assert_string_equal(rel(74898917608ull, 6), "23:40:21.896838");
	assert_string_equal(rel(74898917608ull, 3), "23:40:21.897");
	assert_string_equal(rel(74898917608ull + 38 * S + 103161729, 6), "23:41:00.000000");
	/* past midnight, UTC whatever TZ says */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_string_equal(rel(74898917608ull + 3600 * S, 0), "00:40:22");
	unsetenv("TZ");
	/* before the start too */
	assert_string_equal(rel(74898917608ull - S, 6), "23:40:20.896838");
	/* JSON's "t" stays relative */
	assert_string_equal(tclock_fmt_rel(r, sizeof(r), 74898917608ull + S, 6), "1.000000");
	*tclock_put_rel(r, 74898917608ull - S, 3) = '\0';
	assert_string_equal(r, "-1.000");
	/* no wall time known (a file without one): seconds since the start */
	tclock.start_realtime_ns = 0;
	assert_string_equal(rel(74898917608ull + S, 6), "1.000000");
	/* a short buffer is cut, never overrun */
	assert_string_equal(tclock_fmt(r, 4, 74898917608ull + 12 * S, 6), "12.");
}

/* Live: the probes' start, and the wall clock then from the two clocks now. */
static void test_live(void **state)
{
	uint64_t before = mono_ns(), before_rt = clock_ns(CLOCK_REALTIME), after, after_rt;

	tclock_start_live(before - 2 * S);
	after = mono_ns();
	after_rt = clock_ns(CLOCK_REALTIME);
	assert_int_equal(tclock.start_ns, before - 2 * S);
	/* within what reading the two clocks took */
	assert_true(tclock.start_realtime_ns + 2 * S + (after - before) >= before_rt);
	assert_true(tclock.start_realtime_ns + 2 * S <= after_rt + (after - before));
	/* no start, or one in the future: now is the start */
	tclock_start_live(0);
	assert_true(tclock.start_ns >= after && tclock.start_ns <= mono_ns());
	tclock_start_live(UINT64_MAX);
	assert_true(tclock.start_ns <= mono_ns());
}

/* What tclock_put_secs() wrote, as a string. */
static const char *dur(uint64_t ns, int digits)
{
	*tclock_put_secs(buf, ns, digits) = '\0';
	return buf;
}

/*
 * A duration as the anomaly texts print it (the model's "age 0.250s"):
 * what printf's %.3f of the seconds gave them before, wherever the
 * double is exact to the ns and the ns are not a tie at the last place,
 * which rounds up; carries; no wrap at the top.
 */
static void test_duration(void **state)
{
	char want[64];
	uint64_t x = 88172645463325252ull;

	assert_string_equal(dur(0, 3), "0.000");
	assert_string_equal(dur(250000000, 3), "0.250");
	assert_string_equal(dur(1999500000, 3), "2.000");
	assert_string_equal(dur(1999499999, 3), "1.999");
	assert_string_equal(dur(500000, 3), "0.001");
	assert_string_equal(dur(12 * S + 345678901, 6), "12.345679");
	assert_string_equal(dur(7 * S + 900000000, 0), "8");
	assert_string_equal(dur(UINT64_MAX, 3), "18446744073.710");
	for (int i = 0; i < 100000; i++) {
		uint64_t ns;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* up to 11 days: there a double's ns are exact enough for %.3f */
		ns = x % (1000000ull * S) >> (x & 31);
		if (ns % 1000000 == 500000)
			continue;
		snprintf(want, sizeof(want), "%.3f", ns / 1e9);
		assert_string_equal(dur(ns, 3), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_relative, reset),
		cmocka_unit_test_setup(test_before_start, reset),
		cmocka_unit_test_setup(test_wall, reset),
		cmocka_unit_test_setup(test_live, reset),
		cmocka_unit_test_setup(test_duration, reset),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
