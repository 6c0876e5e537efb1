// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * hist.c: which bucket a value lands in is checked through the JSON
 * rendering's lo/hi, against ranges written out by hand, never computed
 * the way hist.c computes them.  The text and JSON forms of small
 * histograms are compared with literal strings derived by hand (bars:
 * count * 40 / largest count, rounded down).  Every JSON rendering also
 * goes through a small validator so a malformed one fails even where only
 * pieces are compared.
 */
#include "unit.h"
#include "helpers.h"

#include <errno.h>
#include <stdbool.h>

#include "model/hist.h"

#define STATS_NOTE " (percentiles: bucket upper bounds)\n"
#define BAR40 "|****************************************|\n"
#define BAR20 "|********************                    |\n"
#define BAR13 "|*************                           |\n"
#define BAR0  "|                                        |\n"

/* ---- renderings into strings ---- */

static char *text(const struct hist_set *hs, const char *unit)
{
	struct mem m;

	hist_print_text(mem_open(&m), hs, unit, NULL);
	return mem_done(&m);
}

static char *json(const struct hist_set *hs, const char *unit)
{
	struct mem m;
	char *s;

	hist_print_json(mem_open(&m), hs, unit);
	s = mem_done(&m);
	assert_json_line(s, 0);	/* hist.c writes integers from 0 up only */
	return s;
}

#define assert_text(hs, unit, want)			\
	do {						\
		char *got_ = text(hs, unit);		\
		assert_string_equal(got_, want);	\
		free(got_);				\
	} while (0)

#define assert_json(hs, unit, want)			\
	do {						\
		char *got_ = json(hs, unit);		\
		assert_string_equal(got_, want "\n");	\
		free(got_);				\
	} while (0)

static void assert_contains(const char *s, const char *piece)
{
	if (!strstr(s, piece))
		fail_msg("%s\n--- lacks ---\n%s", s, piece);
}

static struct hist_set *set_of(uint64_t step, unsigned int max_groups)
{
	struct hist_set *hs = hist_set_new(step, max_groups);

	assert_non_null(hs);
	return hs;
}

/* The buckets array of a set holding just value in group "g". */
static void assert_one_bucket(uint64_t step, uint64_t value, const char *buckets)
{
	struct hist_set *hs = set_of(step, 8);
	char *got;

	assert_int_equal(hist_add(hs, "g", value), 0);
	got = json(hs, "v");
	assert_contains(got, buckets);
	free(got);
	hist_set_free(hs);
}

/* ---- buckets ---- */

static void test_log2_boundaries(void **state)
{
	/* bucket 0 is 0; bucket k is [2^(k-1), 2^k), hi exclusive */
	assert_one_bucket(0, 0, "\"buckets\":[{\"lo\":0,\"hi\":1,\"count\":1}]");
	assert_one_bucket(0, 1, "\"buckets\":[{\"lo\":1,\"hi\":2,\"count\":1}]");
	assert_one_bucket(0, 2, "\"buckets\":[{\"lo\":2,\"hi\":4,\"count\":1}]");
	assert_one_bucket(0, 3, "\"buckets\":[{\"lo\":2,\"hi\":4,\"count\":1}]");
	assert_one_bucket(0, 4, "\"buckets\":[{\"lo\":4,\"hi\":8,\"count\":1}]");
	assert_one_bucket(0, 1023, "\"buckets\":[{\"lo\":512,\"hi\":1024,\"count\":1}]");
	assert_one_bucket(0, 1024, "\"buckets\":[{\"lo\":1024,\"hi\":2048,\"count\":1}]");
	assert_one_bucket(0, 4294967295u,
			  "\"buckets\":[{\"lo\":2147483648,\"hi\":4294967296,\"count\":1}]");
	assert_one_bucket(0, 4294967296u,
			  "\"buckets\":[{\"lo\":4294967296,\"hi\":8589934592,\"count\":1}]");
	assert_one_bucket(0, INT64_MAX, "\"buckets\":[{\"lo\":4611686018427387904,"
			  "\"hi\":9223372036854775808,\"count\":1}]");
	assert_one_bucket(0, 1ull << 63, "\"buckets\":[{\"lo\":9223372036854775808,"
			  "\"hi\":18446744073709551616,\"count\":1}]");
	assert_one_bucket(0, UINT64_MAX, "\"buckets\":[{\"lo\":9223372036854775808,"
			  "\"hi\":18446744073709551616,\"count\":1}]");
}

static void test_log2_extremes_exact(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	/* the sum goes past 2^64 and stays exact: 2 * (2^64 - 1) */
	assert_int_equal(hist_add(hs, "big", UINT64_MAX), 0);
	assert_int_equal(hist_add(hs, "big", UINT64_MAX), 0);
	assert_json(hs, "ino",
		    "{\"unit\":\"ino\",\"scale\":\"log2\",\"step\":0,\"groups\":[{\"group\":\"big\","
		    "\"count\":2,\"min\":18446744073709551615,\"max\":18446744073709551615,"
		    "\"sum\":36893488147419103230,\"buckets\":[{\"lo\":9223372036854775808,"
		    "\"hi\":18446744073709551616,\"count\":2}]}]}");
	hist_set_free(hs);
}

static void test_linear_buckets(void **state)
{
	/* step 10: [0, 10) ... [10230, 10240), then >= 10240 */
	assert_one_bucket(10, 0, "\"buckets\":[{\"lo\":0,\"hi\":10,\"count\":1}]");
	assert_one_bucket(10, 9, "\"buckets\":[{\"lo\":0,\"hi\":10,\"count\":1}]");
	assert_one_bucket(10, 10, "\"buckets\":[{\"lo\":10,\"hi\":20,\"count\":1}]");
	assert_one_bucket(10, 10239, "\"buckets\":[{\"lo\":10230,\"hi\":10240,\"count\":1}]");
	assert_one_bucket(10, 10240,
			  "\"buckets\":[{\"lo\":10240,\"hi\":18446744073709551616,\"count\":1}]");
	assert_one_bucket(10, UINT64_MAX,
			  "\"buckets\":[{\"lo\":10240,\"hi\":18446744073709551616,\"count\":1}]");
	/* step 1: 1024 one-value buckets */
	assert_one_bucket(1, 1023, "\"buckets\":[{\"lo\":1023,\"hi\":1024,\"count\":1}]");
	assert_one_bucket(1, 1024,
			  "\"buckets\":[{\"lo\":1024,\"hi\":18446744073709551616,\"count\":1}]");
	/* steps so big no value overflows: the last hi is cut to 2^64 */
	assert_one_bucket(1ull << 63, 5,
			  "\"buckets\":[{\"lo\":0,\"hi\":9223372036854775808,\"count\":1}]");
	assert_one_bucket(1ull << 63, UINT64_MAX, "\"buckets\":[{\"lo\":9223372036854775808,"
			  "\"hi\":18446744073709551616,\"count\":1}]");
	assert_one_bucket(UINT64_MAX, UINT64_MAX, "\"buckets\":[{\"lo\":18446744073709551615,"
			  "\"hi\":18446744073709551616,\"count\":1}]");
	assert_one_bucket(UINT64_MAX, UINT64_MAX - 1, "\"buckets\":[{\"lo\":0,"
			  "\"hi\":18446744073709551615,\"count\":1}]");
}

static void test_linear_text_gap(void **state)
{
	struct hist_set *hs = set_of(10, 8);

	/* empty rows inside the range are shown; labels right-aligned in [] */
	assert_int_equal(hist_add(hs, "g", 0), 0);
	assert_int_equal(hist_add(hs, "g", 5), 0);
	assert_int_equal(hist_add(hs, "g", 15), 0);
	assert_int_equal(hist_add(hs, "g", 30), 0);
	assert_text(hs, "usecs",
		    "group = g\n"
		    "     usecs : count    distribution\n"
		    "  [ 0, 10) : 2        " BAR40
		    "  [10, 20) : 1        " BAR20
		    "  [20, 30) : 0        " BAR0
		    "  [30, 40) : 1        " BAR20
		    "  count=4 min=0 max=30 mean=12.5 p50<=9 p99<=30" STATS_NOTE);
	assert_json(hs, "usecs",
		    "{\"unit\":\"usecs\",\"scale\":\"linear\",\"step\":10,\"groups\":[{\"group\":\"g\","
		    "\"count\":4,\"min\":0,\"max\":30,\"sum\":50,\"buckets\":["
		    "{\"lo\":0,\"hi\":10,\"count\":2},{\"lo\":10,\"hi\":20,\"count\":1},"
		    "{\"lo\":30,\"hi\":40,\"count\":1}]}]}");
	hist_set_free(hs);
}

static void test_linear_overflow_row(void **state)
{
	struct hist_set *hs = set_of(10, 8);
	char *got;

	assert_int_equal(hist_add(hs, "g", 10230), 0);
	assert_int_equal(hist_add(hs, "g", 10235), 0);
	assert_int_equal(hist_add(hs, "g", 10240), 0);
	assert_int_equal(hist_add(hs, "g", 99999), 0);
	/* mean 130704 / 4; p99 falls in the overflow bucket: bounded by max */
	assert_text(hs, "usecs",
		    "group = g\n"
		    "     usecs       : count    distribution\n"
		    "  [10230, 10240) : 2        " BAR40
		    "  >= 10240       : 2        " BAR40
		    "  count=4 min=10230 max=99999 mean=32676.0 p50<=10239 p99<=99999" STATS_NOTE);

	/* only the overflow row */
	hist_set_free(hs);
	hs = set_of(10, 8);
	assert_int_equal(hist_add(hs, "g", 123456), 0);
	assert_text(hs, "usecs",
		    "group = g\n"
		    "     usecs : count    distribution\n"
		    "  >= 10240 : 1        " BAR40
		    "  count=1 min=123456 max=123456 mean=123456.0 p50<=123456 p99<=123456"
		    STATS_NOTE);
	hist_set_free(hs);

	/* 1020 rows: the empty ones up to [1023, 1024) set the column widths */
	hs = set_of(1, 8);
	assert_int_equal(hist_add(hs, "g", 5), 0);
	assert_int_equal(hist_add(hs, "g", 2000), 0);
	got = text(hs, "v");
	assert_contains(got, "group = g\n"
			"     v         : count    distribution\n"
			"  [   5,    6) : 1        " BAR40
			"  [   6,    7) : 0        " BAR0);
	assert_contains(got, "\n  [1023, 1024) : 0        " BAR0
			"  >= 1024      : 1        " BAR40
			"  count=2 min=5 max=2000 mean=1002.5 p50<=5 p99<=2000" STATS_NOTE);
	free(got);
	hist_set_free(hs);
}

/* ---- text ---- */

static void test_text_log2_exact(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	/* the example in hist.h */
	assert_int_equal(hist_add(hs, "ext4", 2), 0);
	assert_int_equal(hist_add(hs, "ext4", 2), 0);
	assert_int_equal(hist_add(hs, "ext4", 3), 0);
	assert_int_equal(hist_add(hs, "ext4", 5), 0);
	assert_text(hs, "usecs",
		    "group = ext4\n"
		    "     usecs               : count    distribution\n"
		    "         2 -> 3          : 3        " BAR40
		    "         4 -> 7          : 1        " BAR13
		    "  count=4 min=2 max=5 mean=3.0 p50<=3 p99<=5" STATS_NOTE);
	assert_json(hs, "usecs",
		    "{\"unit\":\"usecs\",\"scale\":\"log2\",\"step\":0,\"groups\":[{\"group\":\"ext4\","
		    "\"count\":4,\"min\":2,\"max\":5,\"sum\":12,\"buckets\":["
		    "{\"lo\":2,\"hi\":4,\"count\":3},{\"lo\":4,\"hi\":8,\"count\":1}]}]}");
	hist_set_free(hs);
}

static void test_text_two_groups(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	/* tmpfs first by name, second by count; 0 and 1 are buckets of their own */
	assert_int_equal(hist_add(hs, "tmpfs", 1024), 0);
	assert_int_equal(hist_add(hs, "/sys/kernel/tracing", 0), 0);
	assert_int_equal(hist_add(hs, "/sys/kernel/tracing", 1), 0);
	assert_int_equal(hist_add(hs, "/sys/kernel/tracing", 1), 0);
	assert_int_equal(hist_add(hs, "/sys/kernel/tracing", 4), 0);
	assert_text(hs, "usecs",
		    "group = /sys/kernel/tracing\n"
		    "     usecs               : count    distribution\n"
		    "         0 -> 0          : 1        " BAR20
		    "         1 -> 1          : 2        " BAR40
		    "         2 -> 3          : 0        " BAR0
		    "         4 -> 7          : 1        " BAR20
		    "  count=4 min=0 max=4 mean=1.5 p50<=1 p99<=4" STATS_NOTE
		    "\n"
		    "group = tmpfs\n"
		    "     usecs               : count    distribution\n"
		    "      1024 -> 2047       : 1        " BAR40
		    "  count=1 min=1024 max=1024 mean=1024.0 p50<=1024 p99<=1024" STATS_NOTE);
	hist_set_free(hs);
}

static void test_text_wide(void **state)
{
	struct hist_set *hs = set_of(0, 8);
	char *got;

	/* past 2^32 the columns widen as bcc's do; rows from bucket 1 to 64 */
	assert_int_equal(hist_add(hs, "g", 1), 0);
	assert_int_equal(hist_add(hs, "g", UINT64_MAX), 0);
	got = text(hs, "ino");
	assert_contains(got, "group = g\n"
			"               ino                           : count    distribution\n"
			"                   1 -> 1                    : 1        " BAR40
			"                   2 -> 3                    : 0        " BAR0);
	assert_contains(got, "\n 4611686018427387904 -> 9223372036854775807  : 0        " BAR0
			" 9223372036854775808 -> 18446744073709551615 : 1        " BAR40
			"  count=2 min=1 max=18446744073709551615 mean=9223372036854775808.0 "
			"p50<=1 p99<=18446744073709551615" STATS_NOTE);
	assert_null(strstr(got, " 0 -> 0 "));
	hist_set_free(hs);
	free(got);
}

/* bcc names what its groups are ("disk = sda"): the key given, else "group" */
static void test_text_names_key(void **state)
{
	struct hist_set *hs = set_of(0, 8);
	struct mem m;
	char *got;

	assert_int_equal(hist_add(hs, "tracefs", 3), 0);
	hist_print_text(mem_open(&m), hs, "usecs", "fs");
	got = mem_done(&m);
	assert_string_equal(got, "fs = tracefs\n"
				 "     usecs               : count    distribution\n"
				 "         2 -> 3          : 1        " BAR40
				 "  count=1 min=3 max=3 mean=3.0 p50<=3 p99<=3" STATS_NOTE);
	free(got);
	got = text(hs, "usecs");
	assert_contains(got, "group = tracefs\n");
	free(got);
	hist_set_free(hs);
}

static void test_text_names_sanitised(void **state)
{
	struct hist_set *hs = set_of(0, 8);
	char *got;

	assert_int_equal(hist_add(hs, "a\"b\n\x1b[2J\xc3\xa9\xff", 7), 0);
	got = text(hs, NULL);
	/* escaped as lib/escape.h says: the ESC, the newline, the invalid byte */
	assert_contains(got, "group = a\"b\\x0a\\x1b[2J\xc3\xa9\\xff\n     value               : count");
	free(got);
	assert_json(hs, NULL,
		    "{\"unit\":\"value\",\"scale\":\"log2\",\"step\":0,\"groups\":[{\"group\":"
		    "\"a\\\"b\\u000a\\u001b[2J\xc3\xa9\\udcff\",\"count\":1,\"min\":7,\"max\":7,"
		    "\"sum\":7,\"buckets\":[{\"lo\":4,\"hi\":8,\"count\":1}]}]}");
	hist_set_free(hs);
}

/* ---- order, groups, limits ---- */

#define ZEROS(name, n)							\
	"{\"group\":\"" name "\",\"count\":" #n ",\"min\":0,\"max\":0,\"sum\":0,"	\
	"\"buckets\":[{\"lo\":0,\"hi\":1,\"count\":" #n "}]}"

static void test_sorted_by_count_then_name(void **state)
{
	struct hist_set *hs = set_of(0, 8);
	const char *adds[] = { "d", "b", "c", "a", "b", "c", "a", "c" };
	char *got;

	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++)
		assert_int_equal(hist_add(hs, adds[i], 0), 0);
	assert_json(hs, "refs",
		    "{\"unit\":\"refs\",\"scale\":\"log2\",\"step\":0,\"groups\":["
		    ZEROS("c", 3) "," ZEROS("a", 2) "," ZEROS("b", 2) "," ZEROS("d", 1) "]}");

	got = text(hs, "refs");
	assert_non_null(strstr(got, "group = c\n"));
	assert_true(strstr(got, "group = c\n") < strstr(got, "\n\ngroup = a\n"));
	assert_true(strstr(got, "group = a\n") < strstr(got, "\n\ngroup = b\n"));
	assert_true(strstr(got, "group = b\n") < strstr(got, "\n\ngroup = d\n"));
	free(got);
	hist_set_free(hs);
}

static void test_group_limit(void **state)
{
	struct hist_set *hs = set_of(0, 2);

	assert_int_equal(hist_add(hs, "a", 1), 0);
	assert_int_equal(hist_add(hs, "b", 1), 0);
	assert_int_equal(hist_add(hs, "c", 1), -E2BIG);
	assert_int_equal(hist_add(hs, "d", 2), -E2BIG);
	/* groups that exist still take values; asking for "(other)" is no overflow */
	assert_int_equal(hist_add(hs, "a", 3), 0);
	assert_int_equal(hist_add(hs, HIST_OTHER, 4), 0);
	assert_int_equal(hist_add(hs, "c", 5), -E2BIG);

	assert_int_equal(hist_set_groups(hs), 3);
	assert_int_equal(hist_group_count(hs, "a"), 2);
	assert_int_equal(hist_group_count(hs, "b"), 1);
	assert_int_equal(hist_group_count(hs, "c"), 0);
	assert_int_equal(hist_group_count(hs, "d"), 0);
	assert_int_equal(hist_group_count(hs, HIST_OTHER), 4);
	assert_json(hs, "refs",
		    "{\"unit\":\"refs\",\"scale\":\"log2\",\"step\":0,\"groups\":["
		    "{\"group\":\"(other)\",\"count\":4,\"min\":1,\"max\":5,\"sum\":12,\"buckets\":["
		    "{\"lo\":1,\"hi\":2,\"count\":1},{\"lo\":2,\"hi\":4,\"count\":1},"
		    "{\"lo\":4,\"hi\":8,\"count\":2}]},"
		    "{\"group\":\"a\",\"count\":2,\"min\":1,\"max\":3,\"sum\":4,\"buckets\":["
		    "{\"lo\":1,\"hi\":2,\"count\":1},{\"lo\":2,\"hi\":4,\"count\":1}]},"
		    "{\"group\":\"b\",\"count\":1,\"min\":1,\"max\":1,\"sum\":1,\"buckets\":["
		    "{\"lo\":1,\"hi\":2,\"count\":1}]}]}");
	hist_set_free(hs);

	/* no named groups at all: everything is "(other)" */
	hs = set_of(5, 0);
	assert_int_equal(hist_add(hs, "a", 1), -E2BIG);
	assert_int_equal(hist_add(hs, "b", 1), -E2BIG);
	assert_int_equal(hist_set_groups(hs), 1);
	assert_int_equal(hist_group_count(hs, HIST_OTHER), 2);
	hist_set_free(hs);
}

static void test_many_groups(void **state)
{
	enum { N = 5000, MAX = 4096 };
	const char *head = "{\"unit\":\"v\",\"scale\":\"log2\",\"step\":0,"
			   "\"groups\":[{\"group\":\"(other)\",\"count\":1808,";
	struct hist_set *hs = set_of(0, MAX);
	char name[32];
	char *got;

	/* a scrambled order exercises inserts anywhere in the sorted array */
	for (unsigned int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "g%u", i * 7919 % N);
		assert_int_equal(hist_add(hs, name, i), i < MAX ? 0 : -E2BIG);
	}
	for (unsigned int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "g%u", i * 7919 % N);
		assert_int_equal(hist_add(hs, name, i), i < MAX ? 0 : -E2BIG);
		assert_int_equal(hist_group_count(hs, name), i < MAX ? 2 : 0);
	}
	assert_int_equal(hist_set_groups(hs), MAX + 1);
	assert_int_equal(hist_group_count(hs, HIST_OTHER), 2 * (N - MAX));
	got = json(hs, "v");
	assert_true(strncmp(got, head, strlen(head)) == 0);
	free(got);
	got = text(hs, "v");
	assert_true(strncmp(got, "group = (other)\n", strlen("group = (other)\n")) == 0);
	free(got);
	hist_set_free(hs);
}

static void test_long_names(void **state)
{
	struct hist_set *hs = set_of(0, 8);
	char name[300], want[HIST_NAME_MAX];

	/* cut at 127 bytes: names equal that far share a group */
	memset(name, 'x', 200);
	name[200] = 0;
	assert_int_equal(hist_add(hs, name, 1), 0);
	name[150] = 'y';
	assert_int_equal(hist_add(hs, name, 1), 0);
	name[127] = 0;
	assert_int_equal(hist_group_count(hs, name), 2);
	assert_int_equal(hist_set_groups(hs), 1);
	name[126] = 0;
	assert_int_equal(hist_group_count(hs, name), 0);
	hist_set_free(hs);

	/* a two-byte character across the cut goes whole: 126 bytes kept */
	hs = set_of(0, 8);
	memset(name, 'a', 126);
	strcpy(name + 126, "\xc3\xa9zz");
	assert_int_equal(hist_add(hs, name, 1), 0);
	memset(want, 'a', 126);
	want[126] = 0;
	assert_int_equal(hist_group_count(hs, want), 1);
	/* one that ends just before the cut is kept */
	strcpy(name + 125, "\xc3\xa9zz");
	assert_int_equal(hist_add(hs, name, 1), 0);
	name[127] = 0;
	assert_int_equal(hist_group_count(hs, name), 1);
	assert_int_equal(strlen(name), 127);
	/* a four-byte one split after its second byte */
	memset(name, 'b', 125);
	strcpy(name + 125, "\xf0\x9f\x98\x80");
	assert_int_equal(hist_add(hs, name, 1), 0);
	name[125] = 0;
	assert_int_equal(hist_group_count(hs, name), 1);
	hist_set_free(hs);
}

/* ---- percentiles ---- */

static void assert_stats(struct hist_set *hs, const char *stats)
{
	char *got = text(hs, "usecs");

	assert_contains(got, stats);
	free(got);
}

static void test_percentiles(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	/*
	 * 1..100: 63 values are <= 63 and 31 are <= 31, so the 50th lands in
	 * [32, 63]; the 99th in [64, 127], whose end is beyond max.
	 */
	for (uint64_t v = 1; v <= 100; v++)
		assert_int_equal(hist_add(hs, "g", v), 0);
	assert_stats(hs, "  count=100 min=1 max=100 mean=50.5 p50<=63 p99<=100" STATS_NOTE);
	hist_set_free(hs);

	/* 98 zeros, 600, 5000: the 99th is 600, bounded by its bucket [512, 1023] */
	hs = set_of(0, 8);
	for (int i = 0; i < 98; i++)
		assert_int_equal(hist_add(hs, "g", 0), 0);
	assert_int_equal(hist_add(hs, "g", 600), 0);
	assert_int_equal(hist_add(hs, "g", 5000), 0);
	assert_stats(hs, "  count=100 min=0 max=5000 mean=56.0 p50<=0 p99<=1023" STATS_NOTE);
	/* a 101st value: rank ceil(101 * 0.99) = 100 is 5000 */
	assert_int_equal(hist_add(hs, "g", 5000), 0);
	assert_stats(hs, "  count=101 min=0 max=5000 mean=105.0 p50<=0 p99<=5000" STATS_NOTE);
	hist_set_free(hs);

	/* linear step 100: 1..100 gives 99 values in [0, 100), one in [100, 200) */
	hs = set_of(100, 8);
	for (uint64_t v = 1; v <= 100; v++)
		assert_int_equal(hist_add(hs, "g", v), 0);
	assert_stats(hs, "  count=100 min=1 max=100 mean=50.5 p50<=99 p99<=99" STATS_NOTE);
	hist_set_free(hs);
}

/* ---- empty and bad input ---- */

static void test_empty(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	assert_int_equal(hist_set_groups(hs), 0);
	assert_int_equal(hist_group_count(hs, "x"), 0);
	assert_text(hs, "usecs", "");
	assert_json(hs, "usecs",
		    "{\"unit\":\"usecs\",\"scale\":\"log2\",\"step\":0,\"groups\":[]}");
	hist_set_free(hs);

	hs = set_of(7, 8);
	assert_json(hs, "ino", "{\"unit\":\"ino\",\"scale\":\"linear\",\"step\":7,\"groups\":[]}");
	hist_set_free(hs);

	/* NULLs are refused or harmless */
	assert_text(NULL, "usecs", "");
	assert_json(NULL, "usecs",
		    "{\"unit\":\"usecs\",\"scale\":\"log2\",\"step\":0,\"groups\":[]}");
	assert_int_equal(hist_set_groups(NULL), 0);
	assert_int_equal(hist_group_count(NULL, "x"), 0);
	assert_int_equal(hist_add(NULL, "x", 1), -EINVAL);
	hs = set_of(0, 8);
	assert_int_equal(hist_add(hs, NULL, 1), -EINVAL);
	assert_int_equal(hist_group_count(hs, NULL), 0);
	assert_int_equal(hist_set_groups(hs), 0);
	hist_set_free(hs);
	hist_set_free(NULL);

	/* the empty name is a name like any other */
	hs = set_of(0, 8);
	assert_int_equal(hist_add(hs, "", 0), 0);
	assert_int_equal(hist_group_count(hs, ""), 1);
	assert_text(hs, "usecs",
		    "group = \n"
		    "     usecs               : count    distribution\n"
		    "         0 -> 0          : 1        " BAR40
		    "  count=1 min=0 max=0 mean=0.0 p50<=0 p99<=0" STATS_NOTE);
	hist_set_free(hs);
}

/* hist.h's buckets, as the kernel computes them for its map's keys */
static unsigned int bucket(uint64_t step, uint64_t v)
{
	if (step)
		return v / step < HIST_LINEAR_MAX ? v / step : HIST_LINEAR_MAX;
	return v ? 64 - __builtin_clzll(v) : 0;
}

/*
 * What the kernel aggregated, added a bucket at a time, is what the same
 * values added one by one give: text and JSON alike, log2 and linear.
 */
#define NVALS 14

static void test_add_n_equals_one_by_one(void **state)
{
	static const uint64_t vals[NVALS] = { 0, 1, 2, 3, 3, 7, 8, 1000, 1023, 1024, 4097, 5000,
					      1u << 20, (1ull << 40) + 5 };
	const uint64_t steps[] = { 0, 10, 512 };

	for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		struct hist_set *one = set_of(steps[s], 8), *bulk = set_of(steps[s], 8);
		bool done[NVALS] = { false };
		char *a, *b;

		for (size_t i = 0; i < NVALS; i++)
			assert_int_equal(hist_add(one, i % 2 ? "odd" : "even", vals[i]), 0);
		/* the kernel's entries: one per (group, bucket) */
		for (size_t i = 0; i < NVALS; i++) {
			uint64_t n = 0, sum = 0, min = UINT64_MAX, max = 0;

			if (done[i])
				continue;
			for (size_t j = i; j < NVALS; j++) {
				if (i % 2 != j % 2 || bucket(steps[s], vals[i]) != bucket(steps[s], vals[j]))
					continue;
				done[j] = true;
				n++;
				sum += vals[j];
				min = vals[j] < min ? vals[j] : min;
				max = vals[j] > max ? vals[j] : max;
			}
			assert_int_equal(hist_add_n(bulk, i % 2 ? "odd" : "even", min, n, sum, max), 0);
		}
		a = json(one, "v");
		b = json(bulk, "v");
		assert_string_equal(a, b);
		free(a);
		free(b);
		a = text(one, "v");
		b = text(bulk, "v");
		assert_string_equal(a, b);
		free(a);
		free(b);
		hist_set_free(one);
		hist_set_free(bulk);
	}
}

/* A bulk add that spans two buckets, or is empty, is refused and counts nothing. */
static void test_add_n_refuses_mixed_buckets(void **state)
{
	struct hist_set *hs = set_of(0, 8);

	assert_int_equal(hist_add_n(hs, "g", 3, 2, 7, 4), -EINVAL);	/* 3 and 4: two log2 buckets */
	assert_int_equal(hist_add_n(hs, "g", 4, 0, 0, 4), -EINVAL);
	assert_int_equal(hist_add_n(hs, "g", 5, 2, 9, 4), -EINVAL);	/* min > max */
	assert_int_equal(hist_set_groups(hs), 0);
	assert_int_equal(hist_add_n(hs, "g", 4, 3, 16, 7), 0);
	assert_int_equal(hist_group_count(hs, "g"), 3);
	hist_set_free(hs);
}

/* hist INTERVAL: a cleared set is a new one, its group limit too */
static void test_clear(void **state)
{
	struct hist_set *hs = set_of(0, 2), *fresh = set_of(0, 2);
	char *a, *b;

	assert_int_equal(hist_add(hs, "a", 1), 0);
	assert_int_equal(hist_add(hs, "b", 100), 0);
	assert_int_equal(hist_add(hs, "c", 5), -E2BIG);
	hist_set_clear(hs);
	assert_int_equal(hist_set_groups(hs), 0);
	assert_int_equal(hist_group_count(hs, "a"), 0);
	assert_int_equal(hist_group_count(hs, HIST_OTHER), 0);
	assert_text(hs, "ino", "");
	assert_json(hs, "ino", "{\"unit\":\"ino\",\"scale\":\"log2\",\"step\":0,\"groups\":[]}");
	/* two new groups fit again, and come out as a fresh set's */
	assert_int_equal(hist_add(hs, "c", 7), 0);
	assert_int_equal(hist_add(hs, "d", 3), 0);
	assert_int_equal(hist_add(fresh, "c", 7), 0);
	assert_int_equal(hist_add(fresh, "d", 3), 0);
	a = json(hs, "ino");
	b = json(fresh, "ino");
	assert_string_equal(a, b);
	free(a);
	free(b);
	hist_set_clear(hs);
	hist_set_clear(hs);	/* an empty set clears too */
	assert_int_equal(hist_set_groups(hs), 0);
	hist_set_free(hs);
	hist_set_free(fresh);
}

static void test_json_validator(void **state)
{
	/* the checker itself must reject what it is there to catch */
	assert_non_null(json_value_end("{\"a\":[1,{\"b\":\"\\u00ff\"}],\"c\":0}", 0));
	assert_null(json_value_end("{\"a\":[1,]}", 0));
	assert_null(json_value_end("{\"a\" 1}", 0));
	assert_null(json_value_end("{\"a\":01}", 0));
	assert_null(json_value_end("[\"\n\"]", 0));
	assert_null(json_value_end("[\"\\x\"]", 0));
	assert_null(json_value_end("{\"a\":1", 0));
	/* and allows no more than it is told to */
	assert_null(json_value_end("[-1]", 0));
	assert_non_null(json_value_end("[-1]", JSON_NEGATIVE));
	assert_null(json_value_end("[1.5]", 0));
	assert_non_null(json_value_end("[1.5e-3]", JSON_FRACTION));
	assert_null(json_value_end("[1.]", JSON_FRACTION));
	assert_null(json_value_end("[true]", 0));
	assert_non_null(json_value_end("[true,false,null]", JSON_LITERALS));
	assert_null(json_value_end("[nan]", JSON_ANY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log2_boundaries),
		cmocka_unit_test(test_log2_extremes_exact),
		cmocka_unit_test(test_linear_buckets),
		cmocka_unit_test(test_linear_text_gap),
		cmocka_unit_test(test_linear_overflow_row),
		cmocka_unit_test(test_text_log2_exact),
		cmocka_unit_test(test_text_two_groups),
		cmocka_unit_test(test_text_wide),
		cmocka_unit_test(test_text_names_sanitised),
		cmocka_unit_test(test_sorted_by_count_then_name),
		cmocka_unit_test(test_group_limit),
		cmocka_unit_test(test_many_groups),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_text_names_key),
		cmocka_unit_test(test_json_validator),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_add_n_equals_one_by_one),
		cmocka_unit_test(test_add_n_refuses_mixed_buckets),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
