// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * out/export.c's Perfetto export: timestamps in microseconds since the
 * trace's start (lib/tclock.h), or CLOCK_MONOTONIC's with --clock mono;
 * a dentry's slice on the track of the task that allocated it, its pid
 * and tid, that process named by its comm once; the tracks that are no
 * task numbered past every pid; the whole document one JSON value.
 */
#include "unit.h"
#include "helpers.h"

#include "lib/tclock.h"
#include "out/export.h"

#define START	1000000000000ull	/* 1000 s on CLOCK_MONOTONIC */
#define MS	1000000ull

static struct et_rec ev(int type, uint64_t ts, uint32_t pid, uint32_t tid, const char *comm,
			uint64_t id)
{
	struct et_rec r = test_rec(type, ts);

	r.pid = pid;
	r.tid = tid;
	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	strcpy(r.fs, "pipefs");
	strcpy(r.name, "pipe:[42]");
	r.obj_id = id;
	return r;
}

/* The stream below through a Perfetto exporter on clock; the document, malloc'ed. */
static char *export(enum export_clock clock)
{
	struct et_rec r[] = {
		ev(ET_DENTRY_ALLOC, START + 1 * MS, 100, 101, "cat", 0xd1),
		ev(ET_INO_ALLOC, START + 2 * MS, 100, 101, "cat", 0),
		/* killed by another task: still the allocator's track */
		ev(ET_DENTRY_KILL, START + 2 * MS + 500000, 200, 202, "sh", 0xd1),
		/* allocated before tracing: an instant on the killer's track */
		ev(ET_DENTRY_KILL, START + 3 * MS, 300, 303, "rm", 0xd2),
		/* alive at the end */
		ev(ET_DENTRY_ALLOC, START + 4 * MS, 100, 104, "cat", 0xd3),
	};
	struct exporter *x;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	x = exporter_new(EXPORT_PERFETTO, f, NULL);
	assert_non_null(x);
	exporter_set_clock(x, clock);
	r[1].ino = 77;
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		assert_int_equal(exporter_event(x, &r[i]), 0);
	assert_int_equal(exporter_finish(x), 0);
	exporter_free(x);
	assert_int_equal(fclose(f), 0);
	/* one JSON value, numbers with fractions (microseconds) */
	assert_non_null(json_value_end(buf, JSON_ANY));
	assert_string_equal(json_ws(json_value_end(buf, JSON_ANY)), "");
	return buf;
}

static void assert_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' not in:\n%s", part, s);
}

static void assert_count(const char *s, const char *part, int n)
{
	int k = 0;

	for (const char *p = s; (p = strstr(p, part)); p++)
		k++;
	if (k != n)
		fail_msg("'%s' %d times, not %d, in:\n%s", part, k, n, s);
}

static int reset(void **state)
{
	tclock = (struct tclock){ 0 };
	return 0;
}

static void test_slices_carry_pid_tid(void **state)
{
	char *s;

	tclock_start(START, 0);
	s = export(EXPORT_CLOCK_REL);
	/* the tracks that are no task, past PID_MAX_LIMIT (4194304) */
	assert_has(s, "{\"ph\":\"M\",\"pid\":4194305,\"tid\":0,\"name\":\"process_name\","
		      "\"args\":{\"name\":\"eventfs_inode refcounts\"}}");
	assert_has(s, "\"pid\":4194306,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"inode numbers\"}");
	assert_has(s, "\"pid\":4194307,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"anomalies\"}");
	/* each task's process named once, by its comm */
	assert_count(s, "\"name\":\"process_name\",\"args\":{\"name\":\"cat\"}", 1);
	assert_has(s, "{\"ph\":\"M\",\"pid\":100,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"cat\"}}");
	assert_has(s, "{\"ph\":\"M\",\"pid\":300,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"rm\"}}");
	/* the killer of a slice it did not begin has no track of its own */
	assert_count(s, "{\"name\":\"sh\"}", 0);
	/* begun and ended on the allocator's pid and tid; who ended it in the args */
	assert_has(s, "{\"ph\":\"b\",\"cat\":\"dentry\",\"id\":\"0x00000000000000d1\",\"pid\":100,"
		      "\"tid\":101,\"ts\":1000.000,\"name\":\"pipe:[42]\",\"args\":{\"fs\":\"pipefs\"}}");
	assert_has(s, "{\"ph\":\"e\",\"cat\":\"dentry\",\"id\":\"0x00000000000000d1\",\"pid\":100,"
		      "\"tid\":101,\"ts\":2500.000,\"name\":\"pipe:[42]\","
		      "\"args\":{\"killed_by_pid\":200,\"killed_by_tid\":202}}");
	assert_has(s, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":300,\"tid\":303,\"ts\":3000.000,"
		      "\"name\":\"dentry killed (alloc not seen)\"");
	/* open at the end: ended at the last event, another thread's tid kept */
	assert_has(s, "{\"ph\":\"e\",\"cat\":\"dentry\",\"id\":\"0x00000000000000d3\",\"pid\":100,"
		      "\"tid\":104,\"ts\":4000.000,\"name\":\"(anonymous)\",\"args\":{\"alive_at_end\":true}}");
	assert_has(s, "{\"ph\":\"C\",\"pid\":4194306,\"tid\":0,\"ts\":2000.000,\"name\":\"highest ino\"");
	/* the per-second counts count seconds from the start */
	assert_has(s, "\"ts\":1000000.000,\"name\":\"inode numbers/s pipefs (0:0)\",\"args\":{\"per_s\":1}");
	free(s);
}

/* --clock mono: CLOCK_MONOTONIC's microseconds, exactly, the same seconds counted */
static void test_clock_mono(void **state)
{
	char *s;

	tclock_start(START, 0);
	s = export(EXPORT_CLOCK_MONO);
	assert_has(s, "\"pid\":100,\"tid\":101,\"ts\":1000001000.000,\"name\":\"pipe:[42]\"");
	assert_has(s, "\"ts\":1000002500.000,");
	assert_has(s, "\"ts\":1001000000.000,\"name\":\"inode numbers/s pipefs (0:0)\"");
	free(s);
}

/* Nanoseconds survive 100 days of uptime, where a double's microseconds would round them. */
static void test_clock_mono_exact(void **state)
{
	struct et_rec r = ev(ET_DENTRY_ALLOC, 8640000123456789ull, 1, 1, "init", 0xd1);
	struct exporter *x;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	tclock_start(r.ts_ns - 1, 0);
	x = exporter_new(EXPORT_PERFETTO, f, NULL);
	assert_non_null(x);
	exporter_set_clock(x, EXPORT_CLOCK_MONO);
	assert_int_equal(exporter_event(x, &r), 0);
	assert_int_equal(exporter_finish(x), 0);
	exporter_free(x);
	assert_int_equal(fclose(f), 0);
	assert_has(buf, "\"pid\":1,\"tid\":1,\"ts\":8640000123456.789,");
	free(buf);
}

/* The start after the events (an older file, or none set): negative, or the first event's */
static void test_start(void **state)
{
	char *s;

	tclock_start(START + 2 * MS, 0);
	s = export(EXPORT_CLOCK_REL);
	assert_has(s, "\"pid\":100,\"tid\":101,\"ts\":-1000.000,\"name\":\"pipe:[42]\"");
	assert_has(s, "\"ts\":500.000,");
	free(s);
	tclock = (struct tclock){ 0 };
	s = export(EXPORT_CLOCK_REL);
	assert_has(s, "\"pid\":100,\"tid\":101,\"ts\":0.000,\"name\":\"pipe:[42]\"");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_slices_carry_pid_tid, reset),
		cmocka_unit_test_setup(test_clock_mono, reset),
		cmocka_unit_test_setup(test_clock_mono_exact, reset),
		cmocka_unit_test_setup(test_start, reset),
	};

	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
