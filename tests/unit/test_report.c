// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The end-of-run report (out/report.c) as scripts read it (issue 16): a
 * list the summary cuts says how many more there are ("... and N more",
 * in JSON a *_total beside the array), --limit sets the cut (0: all), the
 * JSON holds every item unless --limit is given, and the ei table is in
 * the JSON as an array of objects, with each one's history when asked.
 */
#include "unit.h"
#include "helpers.h"

#include <inttypes.h>

#include "lib/common.h"
#include "model/model.h"
#include "out/report.h"

#define T0	1000000000000ull
#define MS(x)	((uint64_t)(x) * 1000000)
#define TRACEFS_DEV	ET_MKDEV(0, 13)
#define EI_EVENTS	0xe0e0e0e0e0e0e0e0ull
#define EI(k)		(0xe1e1e1e1e1e10000ull + (k))
#define DENTRY(k)	(0xd1d1d1d1d1d10000ull + (k))

static struct et_rec rec(int type, uint64_t ts, const char *comm)
{
	struct et_rec r = test_rec(type, ts);

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	r.dev_major = ET_MAJOR(TRACEFS_DEV);
	r.dev_minor = ET_MINOR(TRACEFS_DEV);
	snprintf(r.fs, sizeof(r.fs), "tracefs");
	return r;
}

static void ei(struct model *m, int type, uint64_t ts, uint64_t id, uint64_t aux, int64_t value,
	       uint32_t flags, const char *name)
{
	struct et_rec r = rec(type, ts, "test");

	r.obj_id = id;
	r.aux_id = aux;
	r.value = value;
	r.flags = flags;
	r.ino = 1000 + (id & 0xfff);
	snprintf(r.name, sizeof(r.name), "%s", name);
	assert_int_equal(model_feed(m, &r), 0);
}

/*
 * groups inode numbers handed to as many comms, then eis eventfs_inodes
 * under an events dir (seen created: an instance's, instances/#1/events),
 * each looked up (a dentry holds it) and removed while
 * held: eis removed while referenced, as many ei_removed_referenced.
 */
static struct model *scenario(int groups, int eis)
{
	struct model_opts o = { 0 };
	struct model *m = model_new(&o);
	uint64_t ts = T0;
	char name[32];

	assert_non_null(m);
	for (int g = 0; g < groups; g++) {
		/* comm g allocates g + 1 numbers: the order biggest first is known */
		for (int k = 0; k <= g; k++) {
			struct et_rec r;

			snprintf(name, sizeof(name), "comm%02d", g);
			r = rec(ET_INO_ALLOC, ts += MS(1), name);
			r.obj_id = 0x1000 + g * 100 + k;
			r.ino = 500 + g * 100 + k;
			snprintf(r.caller, sizeof(r.caller), "create_pipe_files");
			assert_int_equal(model_feed(m, &r), 0);
		}
	}
	ei(m, ET_EI_CREATE, ts += MS(1), EI_EVENTS, 0, 2, ET_F_EVENTS, "events");
	for (int k = 0; k < eis; k++) {
		snprintf(name, sizeof(name), "sys%03d", k);
		ei(m, ET_EI_CREATE, ts += MS(1), EI(k), EI_EVENTS, 1, 0, name);
		ei(m, ET_EI_GET, ts += MS(1), EI(k), DENTRY(k), 2, 0, name);
		ei(m, ET_EI_REMOVE, ts += MS(1), EI(k), 0, 2, 0, name);
	}
	return m;
}

static char *text(const struct model *m, int64_t limit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	model_print_summary_limit(f, m, BY_COMM, limit);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *json(const struct model *m, int64_t limit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	model_print_summary_json_limit(f, m, BY_COMM, limit);
	assert_int_equal(fclose(f), 0);
	/* rates are fractions, an unknown ETA -1 */
	assert_json_line(buf, JSON_NEGATIVE | JSON_FRACTION);
	return buf;
}

/* The group lines: "inode numbers: N allocated, ..." is not one of them. */
static int group_lines(const char *s)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, "\n  comm")); p++)
		n++;
	return n;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The objects of the JSON array named key in s: its '{' at depth one. */
static int array_len(const char *s, const char *key)
{
	char k[64];
	const char *p;
	int depth = 0, n = 0;

	snprintf(k, sizeof(k), "\"%s\":[", key);
	p = strstr(s, k);
	assert_non_null(p);
	for (p += strlen(k); *p && !(*p == ']' && depth == 0); p++) {
		if (*p == '"') {	/* names hold no quotes here; skip the string */
			p = strchr(p + 1, '"');
			continue;
		}
		if (*p == '{' && depth++ == 0)
			n++;
		if (*p == '}')
			depth--;
	}
	return n;
}

static void test_text_default_says_more(void **state)
{
	struct model *m = scenario(25, 25);
	char *s = text(m, REPORT_LIMIT_DEFAULT);

	/* 20 of 25 comms, 20 of 25 removed eis, the newest 10 of 25 anomalies */
	assert_int_equal(group_lines(s), 20);
	assert_non_null(strstr(s, "  comm24 "));
	assert_null(strstr(s, "  comm04 "));
	assert_non_null(strstr(s, "  ... and 5 more comm groups (--limit 0 for all)\n"));
	assert_int_equal(count(s, "): removed at "), 20);
	assert_non_null(strstr(s, "  ... and 5 more eventfs_inodes removed while referenced "
				  "(--limit 0 for all)\n"));
	assert_int_equal(count(s, " ei_removed_referenced: ei "), 10);
	assert_non_null(strstr(s, "  ... and 15 more anomalies before these (--limit 0 for all)\n"));
	/* the newest are the ones shown, after the line about the others */
	assert_non_null(strstr(s, "ei instances/#1/events/sys024 removed"));
	assert_null(strstr(s, "ei instances/#1/events/sys014 removed"));
	assert_true(strstr(s, "more anomalies") < strstr(s, "ei instances/#1/events/sys015 removed"));
	free(s);
	model_free(m);
}

static void test_text_limits(void **state)
{
	struct model *m = scenario(25, 25);
	char *s = text(m, 0);

	/* 0: all of them, nothing said to be missing */
	assert_int_equal(group_lines(s), 25);
	assert_int_equal(count(s, "): removed at "), 25);
	assert_int_equal(count(s, " ei_removed_referenced: ei "), 25);
	assert_null(strstr(s, "... and"));
	free(s);
	s = text(m, 3);
	assert_int_equal(group_lines(s), 3);
	assert_non_null(strstr(s, "  ... and 22 more comm groups (--limit 0 for all)\n"));
	assert_int_equal(count(s, "): removed at "), 3);
	assert_non_null(strstr(s, "  ... and 22 more eventfs_inodes removed while referenced"));
	assert_int_equal(count(s, " ei_removed_referenced: ei "), 3);
	assert_non_null(strstr(s, "  ... and 22 more anomalies before these"));
	free(s);
	model_free(m);

	/* lists within the default: no line about more */
	m = scenario(3, 2);
	s = text(m, REPORT_LIMIT_DEFAULT);
	assert_null(strstr(s, "... and"));
	free(s);
	model_free(m);
}

/* More anomalies than the model keeps: --limit 0 cannot bring them back, and says so. */
static void test_text_anomalies_not_kept(void **state)
{
	struct model *m = scenario(1, 300);
	const struct anomaly *a[512];
	size_t kept = model_anomalies(m, a, 512);
	char *s = text(m, 0), want[128];

	assert_true(kept < 300);
	snprintf(want, sizeof(want), "  ... and %zu earlier anomalies, not kept (the model keeps "
		 "the newest %zu)\n", 300 - kept, kept);
	assert_non_null(strstr(s, want));
	assert_int_equal(count(s, " ei_removed_referenced: ei "), (int)kept);
	free(s);
	s = text(m, REPORT_LIMIT_DEFAULT);
	assert_non_null(strstr(s, "  ... and 290 more anomalies before these (--limit 0 for the "
				  "ones the model kept)\n"));
	free(s);
	model_free(m);
}

static void test_json_whole_with_totals(void **state)
{
	struct model *m = scenario(25, 25);
	char *s = json(m, REPORT_LIMIT_DEFAULT);

	/* JSON: everything unless --limit, each list's total beside it */
	assert_int_equal(array_len(s, "groups"), 25);
	assert_non_null(strstr(s, "\"groups_total\":25,"));
	assert_int_equal(array_len(s, "removed_referenced"), 25);
	assert_non_null(strstr(s, "\"removed_referenced_total\":25,"));
	assert_int_equal(array_len(s, "recent_anomalies"), 25);
	assert_non_null(strstr(s, "\"recent_anomalies_total\":25,"));
	free(s);
	s = json(m, 2);
	assert_int_equal(array_len(s, "groups"), 2);
	assert_non_null(strstr(s, "\"groups\":[{\"group\":\"comm24\""));
	assert_non_null(strstr(s, "\"groups_total\":25,"));
	assert_int_equal(array_len(s, "removed_referenced"), 2);
	assert_non_null(strstr(s, "\"removed_referenced_total\":25,"));
	assert_int_equal(array_len(s, "recent_anomalies"), 2);
	assert_non_null(strstr(s, "\"recent_anomalies_total\":25,"));
	free(s);
	model_free(m);
}

static void test_eis_json(void **state)
{
	struct model *m = scenario(1, 3);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	model_print_eis_json(f, m, false);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	assert_json_line(buf, JSON_LITERALS);	/* true, false */
	/* what the text table shows: one object per ei */
	assert_int_equal(count(buf, "{\"ei\":"), 4);
	assert_non_null(strstr(buf, "{\"ei\":\"e1e1e1e1e1e10001\",\"path\":\"instances/#1/events/sys001\","
				    "\"ino\":1001,\"state\":\"removed\",\"refcount\":1,"));
	assert_non_null(strstr(buf, "\"removed_referenced\":true,\"holders\":[\"d1d1d1d1d1d10001\"],"
				    "\"holders_more\":0}"));
	assert_null(strstr(buf, "\"history\""));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	model_print_eis_json(f, m, true);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	assert_json_line(buf, JSON_LITERALS);
	/* --ei-history: each one's changes */
	assert_int_equal(count(buf, "\"history\":["), 4);
	assert_non_null(strstr(buf, "\"op\":\"get\",\"refcount\":2,\"dentry\":\"d1d1d1d1d1d10002\""));
	assert_non_null(strstr(buf, "\"op\":\"remove\",\"refcount\":"));
	free(buf);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_default_says_more),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_text_anomalies_not_kept),
		cmocka_unit_test(test_json_whole_with_totals),
		cmocka_unit_test(test_eis_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
