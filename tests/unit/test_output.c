// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * output.c: the JSON Lines field names and shapes are a contract, so every
 * type is rendered into a memory stream and compared with the exact line
 * written out by hand here: ids as 16 lowercase hex digits, optional fields
 * absent when unset, lookup results by errno name.  json_str() must give
 * valid JSON in UTF-8 whatever bytes a file name holds.  The text form is
 * for people, so only its pieces are checked.
 */
#include "unit.h"

#include <errno.h>

#include "out/print.h"
#include "lib/cgroups.h"
#include "lib/tclock.h"

#define PREFIX(type)							\
	"{\"type\":\"" type "\",\"ts_ns\":1234567890123,\"t\":1234.567890,\"cpu\":3," \
	"\"pid\":100,\"tid\":101,\"comm\":\"cat\",\"fs\":\"pipefs\","	\
	"\"dev\":\"0:13\""

static struct et_rec rec(int type)
{
	struct et_rec r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.ts_ns = 1234567890123ull;
	r.cpu = 3;
	r.pid = 100;
	r.tid = 101;
	strcpy(r.comm, "cat");
	strcpy(r.fs, "pipefs");
	r.dev_major = 0;
	r.dev_minor = 13;
	return r;
}

static char *json(const struct et_rec *r)
{
	struct mem m;

	rec_print_json(mem_open(&m), r);
	return mem_done(&m);
}

static char *text(const struct et_rec *r)
{
	struct mem m;

	rec_print_text(mem_open(&m), r);
	return mem_done(&m);
}

static char *jstr(const char *s)
{
	struct mem m;

	json_str(mem_open(&m), s);
	return mem_done(&m);
}

#define assert_json(r, want)				\
	do {						\
		char *got_ = json(r);			\
		assert_string_equal(got_, want "\n");	\
		free(got_);				\
	} while (0)

/* ---- rec_print_json, type by type ---- */

static void test_json_ino_alloc(void **state)
{
	struct et_rec r = rec(ET_INO_ALLOC);

	r.ino = 4242;
	strcpy(r.caller, "create_pipe_files");
	r.obj_id = 0xdeadbeef;
	assert_json(&r, PREFIX("ino_alloc") ",\"ino\":4242,\"caller\":\"create_pipe_files\","
		    "\"inode\":\"00000000deadbeef\"}");

	r.flags = ET_F_NO_SB;
	r.obj_id = 0;
	strcpy(r.caller, "?");
	assert_json(&r, PREFIX("ino_alloc") ",\"ino\":4242,\"caller\":\"?\",\"no_sb\":true}");

	r.flags = ET_F_SB_GUESS;
	r.obj_id = 0xFEDCBA9876543210ull;
	assert_json(&r, PREFIX("ino_alloc") ",\"ino\":4242,\"caller\":\"?\","
		    "\"inode\":\"fedcba9876543210\",\"sb_guess\":true}");
}

/*
 * The cgroup id after dev when set (a 1.0 file's events have none: as
 * before), and its path when the session's table names it, escaped.
 */
static void test_json_cgroup(void **state)
{
	struct et_rec r = rec(ET_INODE_ALLOC);
	struct cgroups *cg = cgroups_new(NULL, 0);
	char path[CG_PATH_LEN];
	struct mem m;
	char *got;

	r.obj_id = 1;
	assert_json(&r, PREFIX("inode_alloc") ",\"inode\":\"0000000000000001\"}");
	r.cgroup_id = 18446744073709551615ull;
	assert_json(&r, PREFIX("inode_alloc") ",\"cgroup\":18446744073709551615,"
		    "\"inode\":\"0000000000000001\"}");
	assert_int_equal(cgroups_add(cg, 4242, "/system.slice/a\"b\n.service"), 0);
	r.cgroup_id = 4242;
	assert_true(cgroups_path(cg, r.cgroup_id, path, sizeof(path)));
	rec_print_json_cg(mem_open(&m), &r, path);
	got = mem_done(&m);
	assert_string_equal(got, PREFIX("inode_alloc") ",\"cgroup\":4242,"
			    "\"cgroup_path\":\"/system.slice/a\\\"b\\u000a.service\","
			    "\"inode\":\"0000000000000001\"}\n");
	free(got);
	/* an id the table does not name: the id alone */
	r.cgroup_id = 7;
	assert_false(cgroups_path(cg, r.cgroup_id, path, sizeof(path)));
	rec_print_json_cg(mem_open(&m), &r, NULL);
	got = mem_done(&m);
	assert_string_equal(got, PREFIX("inode_alloc") ",\"cgroup\":7,"
			    "\"inode\":\"0000000000000001\"}\n");
	free(got);
	cgroups_free(cg);
}

static void test_json_inode(void **state)
{
	struct et_rec r = rec(ET_INODE_ALLOC);

	r.obj_id = 0x0123456789abcdefull;
	r.ino = 55;	/* not part of inode_alloc */
	assert_json(&r, PREFIX("inode_alloc") ",\"inode\":\"0123456789abcdef\"}");

	r = rec(ET_INODE_EVICT);
	r.ino = 77;
	r.obj_id = 1;
	assert_json(&r, PREFIX("inode_evict") ",\"ino\":77,\"inode\":\"0000000000000001\"}");
}

static void test_json_dentry(void **state)
{
	struct et_rec r = rec(ET_DENTRY_ALLOC);

	r.obj_id = 0xa;
	strcpy(r.name, "foo");
	/* no parent: no "parent" */
	assert_json(&r, PREFIX("dentry_alloc") ",\"dentry\":\"000000000000000a\",\"name\":\"foo\"}");

	r.aux_id = 0xb;
	r.flags = ET_F_TRUNC;
	assert_json(&r, PREFIX("dentry_alloc") ",\"dentry\":\"000000000000000a\","
		    "\"parent\":\"000000000000000b\",\"name\":\"foo\",\"truncated\":true}");

	r = rec(ET_DENTRY_KILL);
	r.obj_id = 0xa;
	r.aux_id = 0xb;
	r.ino = 5;
	strcpy(r.name, "foo");
	assert_json(&r, PREFIX("dentry_kill") ",\"dentry\":\"000000000000000a\","
		    "\"parent\":\"000000000000000b\",\"name\":\"foo\",\"ino\":5}");

	/* the inode behind the dentry, when the kernel saw one */
	r.inode_id = 0xc;
	assert_json(&r, PREFIX("dentry_kill") ",\"dentry\":\"000000000000000a\","
		    "\"parent\":\"000000000000000b\",\"name\":\"foo\",\"ino\":5,"
		    "\"inode\":\"000000000000000c\"}");
}

static void test_json_lookup(void **state)
{
	struct et_rec r = rec(ET_LOOKUP);

	r.obj_id = 0x10;
	r.aux_id = 0x20;
	strcpy(r.name, "enable");
	r.flags = ET_F_NEGATIVE;
	assert_json(&r, PREFIX("lookup") ",\"dir\":\"0000000000000010\",\"name\":\"enable\","
		    "\"result\":\"negative\",\"dentry\":\"0000000000000020\"}");

	r.flags = 0;
	r.aux_id = 0;
	r.value = -ENOENT;
	assert_json(&r, PREFIX("lookup") ",\"dir\":\"0000000000000010\",\"name\":\"enable\","
		    "\"result\":\"ENOENT\"}");

	r.value = 0;
	r.aux_id = 0x20;
	r.ino = 99;
	assert_json(&r, PREFIX("lookup") ",\"dir\":\"0000000000000010\",\"name\":\"enable\","
		    "\"result\":\"positive\",\"dentry\":\"0000000000000020\",\"ino\":99}");

	r.inode_id = 0xc;
	assert_json(&r, PREFIX("lookup") ",\"dir\":\"0000000000000010\",\"name\":\"enable\","
		    "\"result\":\"positive\",\"dentry\":\"0000000000000020\",\"ino\":99,"
		    "\"inode\":\"000000000000000c\"}");
}

static void test_json_ei(void **state)
{
	struct et_rec r = rec(ET_EI_CREATE);

	strcpy(r.fs, "tracefs");
	r.obj_id = 0x30;
	r.aux_id = 0x40;
	strcpy(r.name, "events");
	r.ino = 1000;
	r.value = 1;
	r.flags = ET_F_EVENTS;
	assert_json(&r, "{\"type\":\"ei_create\",\"ts_ns\":1234567890123,\"t\":1234.567890,\"cpu\":3,\"pid\":100,"
		    "\"tid\":101,\"comm\":\"cat\",\"fs\":\"tracefs\",\"dev\":\"0:13\","
		    "\"ei\":\"0000000000000030\",\"name\":\"events\",\"ino\":1000,\"refcount\":1,"
		    "\"parent\":\"0000000000000040\",\"events_dir\":true}");

	r = rec(ET_EI_GET);
	r.obj_id = 0x30;
	r.aux_id = 0x50;
	strcpy(r.name, "sched");
	r.ino = 1001;
	r.value = 2;
	r.flags = ET_F_NOREF;
	assert_json(&r, PREFIX("ei_get") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"ino\":1001,\"refcount\":2,\"dentry\":\"0000000000000050\",\"noref\":true}");

	r.inode_id = 0xc;
	r.inode_ino = 0x12c4e37;
	r.pei_id = 0x60;
	assert_json(&r, PREFIX("ei_get") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"ino\":1001,\"refcount\":2,\"dentry\":\"0000000000000050\",\"noref\":true,"
		    "\"inode\":\"000000000000000c\",\"inode_ino\":19680823,"
		    "\"dir_ei\":\"0000000000000060\"}");
	r.inode_id = 0;
	r.inode_ino = 0;
	r.pei_id = 0;

	r.type = ET_EI_PUT;
	r.flags = ET_F_FREED;
	r.value = 1;
	assert_json(&r, PREFIX("ei_put") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"ino\":1001,\"refcount\":1,\"dentry\":\"0000000000000050\",\"freed\":true}");

	r.type = ET_EI_REMOVE;
	r.aux_id = 0;
	r.flags = ET_F_FREED | ET_F_NOREF | ET_F_EVENTS | ET_F_TRUNC;
	assert_json(&r, PREFIX("ei_remove") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"truncated\":true,\"ino\":1001,\"refcount\":1,\"freed\":true,"
		    "\"noref\":true,\"events_dir\":true}");

	r.type = ET_EI_RELEASE;
	r.flags = 0;
	r.value = 0;
	assert_json(&r, PREFIX("ei_release") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"ino\":1001,\"refcount\":0}");

	r.value = -1;	/* a refcount gone wrong is printed as it is */
	assert_json(&r, PREFIX("ei_release") ",\"ei\":\"0000000000000030\",\"name\":\"sched\","
		    "\"ino\":1001,\"refcount\":-1}");
}

static void test_json_lost(void **state)
{
	struct et_rec r;

	decode_lost(&r, 5, 17, NULL);
	assert_json(&r, "{\"type\":\"lost\",\"ts_ns\":5,\"t\":0.000000,\"cpu\":0,\"pid\":0,\"tid\":0,"
		    "\"comm\":\"\",\"fs\":\"\",\"dev\":\"0:0\",\"count\":17}");
}

static void test_json_unknown_and_limits(void **state)
{
	struct et_rec r = rec(0);

	assert_json(&r, PREFIX("unknown") "}");

	r = rec(ET_INODE_EVICT);
	r.ts_ns = UINT64_MAX;
	r.cpu = 65535;
	r.pid = UINT32_MAX;
	r.tid = UINT32_MAX;
	r.dev_major = 4095;
	r.dev_minor = 1048575;
	r.ino = UINT64_MAX;
	r.obj_id = UINT64_MAX;
	assert_json(&r, "{\"type\":\"inode_evict\",\"ts_ns\":18446744073709551615,"
		    "\"t\":18446744073.709552,\"cpu\":65535,"
		    "\"pid\":4294967295,\"tid\":4294967295,\"comm\":\"cat\",\"fs\":\"pipefs\","
		    "\"dev\":\"4095:1048575\",\"ino\":18446744073709551615,"
		    "\"inode\":\"ffffffffffffffff\"}");
}

/* Strings that need escaping, in every string field. */
static void test_json_escaped_fields(void **state)
{
	struct et_rec r = rec(ET_DENTRY_ALLOC);

	strcpy(r.comm, "a\\b");
	strcpy(r.fs, "\"q\"");
	strcpy(r.name, "line\nbreak\t\xff");
	assert_json(&r, "{\"type\":\"dentry_alloc\",\"ts_ns\":1234567890123,\"t\":1234.567890,\"cpu\":3,"
		    "\"pid\":100,\"tid\":101,\"comm\":\"a\\\\b\",\"fs\":\"\\\"q\\\"\","
		    "\"dev\":\"0:13\",\"name\":\"line\\u000abreak\\u0009\\udcff\"}");
}

/* Whatever the type, ids are 16 lowercase hex digits and lines are lines. */
static void test_json_ids_every_type(void **state)
{
	for (int t = ET_INO_ALLOC; t < ET_TYPE_MAX; t++) {
		struct et_rec r = rec(t);
		char *got, *p;
		int ids = 0;

		r.obj_id = 0xABCDEF0123456789ull;
		r.aux_id = 0x1;
		r.inode_id = 0x2;
		strcpy(r.name, "n");
		got = json(&r);
		assert_int_equal(got[strlen(got) - 1], '\n');
		assert_ptr_equal(strchr(got, '\n'), got + strlen(got) - 1);
		assert_int_equal(got[0], '{');
		assert_int_equal(got[strlen(got) - 2], '}');
		assert_null(strstr(got, "ABCDEF"));
		for (p = got; (p = strstr(p, "\"abcdef0123456789\"")); p++)
			ids++;
		for (p = got; (p = strstr(p, "\"0000000000000001\"")); p++)
			ids++;
		for (p = got; (p = strstr(p, "\"0000000000000002\"")); p++)
			ids++;
		/* inode types have one id, lost none, the types with a dentry
		 * or ei three: it, its parent or dentry, the inode behind */
		switch (t) {
		case ET_INO_ALLOC:
		case ET_INODE_ALLOC:
		case ET_INODE_EVICT:
			assert_int_equal(ids, 1);
			break;
		case ET_LOST:
			assert_int_equal(ids, 0);
			break;
		default:
			assert_int_equal(ids, 3);
			break;
		}
		free(got);
	}
}

/* ---- json_str ---- */

static void assert_jstr(const char *in, const char *want)
{
	char *got = jstr(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_json_str_escapes(void **state)
{
	assert_jstr("", "\"\"");
	assert_jstr("plain name.txt", "\"plain name.txt\"");
	assert_jstr("a\"b", "\"a\\\"b\"");
	assert_jstr("a\\b", "\"a\\\\b\"");
	assert_jstr("\\\"", "\"\\\\\\\"\"");
	assert_jstr("\x01", "\"\\u0001\"");
	assert_jstr("\n\r\t", "\"\\u000a\\u000d\\u0009\"");
	assert_jstr("\x1f x \x7f", "\"\\u001f x \\u007f\"");
	assert_jstr("/", "\"/\"");
	assert_jstr("~", "\"~\"");
}

/* C1 controls are valid UTF-8, and a terminal obeys them: escaped */
static void test_json_str_c1(void **state)
{
	assert_jstr("\xc2\x80", "\"\\u0080\"");
	assert_jstr("a\xc2\x9b" "2Jb", "\"a\\u009b2Jb\"");
	assert_jstr("\xc2\x9f\xc2\xa0", "\"\\u009f\xc2\xa0\"");
}

static void test_json_str_utf8_valid(void **state)
{
	static const char *const valid[] = {
		"\xc3\xa9t\xc3\xa9",		/* été */
		"\xc2\xa0",			/* U+00A0, the first 2-byte past the C1 controls */
		"\xdf\xbf",			/* U+07FF */
		"\xe0\xa0\x80",			/* U+0800, the first 3-byte */
		"\xe2\x82\xac",			/* € */
		"\xed\x9f\xbf",			/* U+D7FF, below the surrogates */
		"\xee\x80\x80",			/* U+E000, above them */
		"\xef\xbf\xbd",			/* U+FFFD */
		"\xf0\x90\x80\x80",		/* U+10000, the first 4-byte */
		"\xf0\x9f\x98\x80",		/* 😀 */
		"\xf4\x8f\xbf\xbf",		/* U+10FFFF, the last */
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e/x",
	};
	char want[64];

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		snprintf(want, sizeof(want), "\"%s\"", valid[i]);
		assert_jstr(valid[i], want);
	}
}

static void test_json_str_utf8_invalid(void **state)
{
	/*
	 * every byte of an invalid sequence becomes \udcXX, a lone surrogate
	 * (surrogateescape): not the character U+00XX, which is its UTF-8
	 */
	assert_jstr("\xc3\xbf\xff", "\"\xc3\xbf\\udcff\"");
	assert_jstr("\xff", "\"\\udcff\"");
	assert_jstr("\xfe", "\"\\udcfe\"");
	assert_jstr("\xc3", "\"\\udcc3\"");			/* cut at the end */
	assert_jstr("\xc3x", "\"\\udcc3x\"");			/* cut before ASCII */
	assert_jstr("a\xc3\xa9\xc3", "\"a\xc3\xa9\\udcc3\"");
	assert_jstr("\x80", "\"\\udc80\"");			/* lone continuation */
	assert_jstr("\xbf\xbf", "\"\\udcbf\\udcbf\"");
	assert_jstr("\xe2\x82", "\"\\udce2\\udc82\"");		/* 3-byte, short */
	assert_jstr("\xe2\x82x", "\"\\udce2\\udc82x\"");
	assert_jstr("\xf0\x9f\x98", "\"\\udcf0\\udc9f\\udc98\"");
	assert_jstr("\xc0\x80", "\"\\udcc0\\udc80\"");		/* overlong NUL */
	assert_jstr("\xc1\xbf", "\"\\udcc1\\udcbf\"");
	assert_jstr("\xf5\x80\x80\x80", "\"\\udcf5\\udc80\\udc80\\udc80\"");
	/* overlong 3- and 4-byte forms, UTF-16 surrogates, above U+10FFFF */
	assert_jstr("\xe0\x80\x80", "\"\\udce0\\udc80\\udc80\"");
	assert_jstr("\xe0\x9f\xbf", "\"\\udce0\\udc9f\\udcbf\"");
	assert_jstr("\xed\xa0\x80", "\"\\udced\\udca0\\udc80\"");
	assert_jstr("\xed\xbf\xbf", "\"\\udced\\udcbf\\udcbf\"");
	assert_jstr("\xf0\x80\x80\x80", "\"\\udcf0\\udc80\\udc80\\udc80\"");
	assert_jstr("\xf0\x8f\xbf\xbf", "\"\\udcf0\\udc8f\\udcbf\\udcbf\"");
	assert_jstr("\xf4\x90\x80\x80", "\"\\udcf4\\udc90\\udc80\\udc80\"");
}

/* ---- lookup_result ---- */

static void test_lookup_result(void **state)
{
	struct et_rec r = rec(ET_LOOKUP);
	char buf[32];

	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "positive");
	r.flags = ET_F_NEGATIVE;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "negative");
	r.value = -ENOENT;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "ENOENT");
	r.value = -EACCES;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "EACCES");
	r.value = -ENOMEM;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "ENOMEM");
	/* no name for it (the kernel has errnos libc does not) */
	r.value = -4000;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "E4000");
	/* a crafted file's value: -INT64_MIN does not exist (UBSan caught it) */
	r.value = INT64_MIN;
	assert_string_equal(lookup_result(&r, buf, sizeof(buf)), "E9223372036854775808");
}

/* ---- rec_print_text ---- */

static void assert_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("'%s' not in '%s'", part, s);
}

static void assert_lacks(const char *s, const char *part)
{
	if (strstr(s, part))
		fail_msg("'%s' in '%s'", part, s);
}

static void assert_one_line(const char *s)
{
	size_t n = strlen(s);

	assert_true(n > 1);
	assert_int_equal(s[n - 1], '\n');
	assert_ptr_equal(strchr(s, '\n'), s + n - 1);
}

static void test_text(void **state)
{
	struct et_rec r = rec(ET_INO_ALLOC);
	char *s;

	r.ino = 4242;
	strcpy(r.caller, "create_pipe_files");
	s = text(&r);
	assert_one_line(s);
	assert_has(s, "1234.567890 [003] cat ");
	assert_has(s, " 100/101 ");
	assert_has(s, " ino_alloc ");
	assert_has(s, " pipefs ");
	assert_has(s, " 0:13");
	assert_has(s, " ino=4242 caller=create_pipe_files");
	assert_lacks(s, "sb=");
	free(s);

	r.flags = ET_F_NO_SB;
	s = text(&r);
	assert_has(s, "caller=create_pipe_files sb=unknown");
	free(s);
	r.flags = ET_F_SB_GUESS;
	s = text(&r);
	assert_has(s, "caller=create_pipe_files sb=guess");
	free(s);

	r = rec(ET_LOOKUP);
	r.ts_ns = 5;
	r.fs[0] = 0;
	r.value = -ENOENT;
	r.obj_id = 0xabc;
	strcpy(r.name, "enable");
	s = text(&r);
	assert_one_line(s);
	assert_has(s, "0.000000 [003] ");
	assert_has(s, " lookup ");
	assert_has(s, " - ");		/* no fs */
	assert_has(s, " name=enable result=ENOENT");
	assert_has(s, " dir=0000000000000abc");
	assert_lacks(s, "ino=");
	free(s);

	r = rec(ET_EI_PUT);
	r.obj_id = 0x30;
	r.aux_id = 0x50;
	r.value = 1;
	r.ino = 1001;
	r.flags = ET_F_FREED | ET_F_NOREF;
	strcpy(r.name, "sched");
	s = text(&r);
	assert_one_line(s);
	assert_has(s, " ei_put ");
	assert_has(s, " name=sched ref=1 ino=1001 freed noref");
	assert_has(s, " ei=0000000000000030");
	assert_has(s, " dentry=0000000000000050");
	free(s);

	r = rec(ET_DENTRY_KILL);
	r.obj_id = 0xa;
	r.ino = 5;
	strcpy(r.name, "foo");
	s = text(&r);
	assert_has(s, " dentry_kill ");
	assert_has(s, " name=foo ino=5 dentry=000000000000000a");
	assert_lacks(s, "parent=");
	free(s);

	/*
	 * Names, comms and fs come from the kernel or a file: no control
	 * byte reaches a terminal (C0, DEL, C1 as UTF-8, invalid UTF-8), a
	 * backslash is doubled so the escape cannot be forged, and valid
	 * UTF-8 stays as it is.
	 */
	r = rec(ET_LOOKUP);
	strcpy(r.name, "a\nb\x1b[2J\x7f\xc3\xa9\xc2\x9b" "0m\xff\\x1b");
	strcpy(r.comm, "\x1b]0;pwn\x07");
	strcpy(r.fs, "t\x9b" "2J");
	s = text(&r);
	assert_one_line(s);
	assert_has(s, " name=a\\x0ab\\x1b[2J\\x7f\xc3\xa9\\xc2\\x9b0m\\xff\\\\x1b result=positive");
	assert_has(s, " \\x1b]0;pwn\\x07 ");
	assert_has(s, " t\\x9b2J ");
	assert_lacks(s, "\x1b");
	assert_lacks(s, "\x07");
	free(s);

	/* seconds to the microsecond, rounded (no start set: CLOCK_MONOTONIC's) */
	decode_lost(&r, 2000000500, 17, NULL);
	s = text(&r);
	assert_one_line(s);
	assert_has(s, "2.000001 [000] ");
	assert_has(s, " lost ");
	assert_has(s, " count=17");
	free(s);

	/* every type renders its name */
	for (int t = 0; t < ET_TYPE_MAX; t++) {
		char want[32];

		r = rec(t);
		s = text(&r);
		assert_one_line(s);
		snprintf(want, sizeof(want), " %s ", et_type_name(t));
		assert_has(s, want);
		free(s);
	}
}

/*
 * One clock (lib/tclock.h): text and JSON's "t" count from the trace's
 * start, an event before it comes out negative, JSON keeps the raw ts_ns,
 * and -T prints the time of day in UTC in the text alone.
 */
static void test_clock(void **state)
{
	struct et_rec r = rec(ET_INODE_ALLOC);
	char *s;

	r.obj_id = 1;
	/* started at 1000 s on CLOCK_MONOTONIC, 2023-11-14 22:13:20 UTC */
	tclock_start(1000000000000ull, 1700000000000000000ull);
	s = text(&r);
	assert_has(s, "234.567890 [003] cat ");
	free(s);
	assert_json(&r, "{\"type\":\"inode_alloc\",\"ts_ns\":1234567890123,\"t\":234.567890,"
		    "\"cpu\":3,\"pid\":100,\"tid\":101,\"comm\":\"cat\",\"fs\":\"pipefs\","
		    "\"dev\":\"0:13\",\"inode\":\"0000000000000001\"}");
	r.ts_ns = 1000000000000ull - 1500000;	/* 1.5 ms before it */
	s = text(&r);
	assert_true(!strncmp(s, "-0.001500 [003] ", 16));
	free(s);
	assert_non_null(strstr(s = json(&r), "\"ts_ns\":999998500000,\"t\":-0.001500,"));
	free(s);
	r.ts_ns = 1000000000000ull + 3723000004000ull;	/* 1:02:03.000004 later */
	tclock.wall = true;
	s = text(&r);
	assert_true(!strncmp(s, "23:15:23.000004 [003] cat ", 26));
	free(s);
	/* JSON stays in seconds since the start */
	assert_non_null(strstr(s = json(&r), "\"ts_ns\":4723000004000,\"t\":3723.000004,"));
	free(s);
	tclock = (struct tclock){ 0 };
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_json_ino_alloc),
		cmocka_unit_test(test_json_inode),
		cmocka_unit_test(test_json_cgroup),
		cmocka_unit_test(test_json_dentry),
		cmocka_unit_test(test_json_lookup),
		cmocka_unit_test(test_json_ei),
		cmocka_unit_test(test_json_lost),
		cmocka_unit_test(test_json_unknown_and_limits),
		cmocka_unit_test(test_json_escaped_fields),
		cmocka_unit_test(test_json_ids_every_type),
		cmocka_unit_test(test_json_str_escapes),
		cmocka_unit_test(test_json_str_utf8_valid),
		cmocka_unit_test(test_json_str_c1),
		cmocka_unit_test(test_json_str_utf8_invalid),
		cmocka_unit_test(test_lookup_result),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
