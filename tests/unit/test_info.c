// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace info FILE: the probes a recording lacks are named, events are
 * counted by type as the reader delivers them, and a file that did not
 * end cleanly or was cut says so, in text and in JSON.
 */
#include "unit.h"
#include "helpers.h"

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "file/tracefile.h"

/* The META's host and command line in the next file made; NULL: none. */
static const char *with_host, *with_cmdline;

/*
 * A file of n pipe-loop events (ino_alloc, dentry_alloc, dentry_kill...);
 * its trailer, if any, counts no_gen objects without a generation.
 */
static char *make_trace_gen(int n, bool trailer, uint64_t no_gen)
{
	static const int types[] = { ET_INO_ALLOC, ET_DENTRY_ALLOC, ET_DENTRY_KILL };
	struct tf_meta m = { .evtrace_version = "test", .kernel_release = "6.1.0-test",
			     .machine = "x86_64", .ncpus = 2, .start_ns = 5000000000ull,
			     .start_realtime_ns = 1700000000000000000ull };
	struct tf_trailer tr = { .end_ns = 9000000000ull, .events = n, .chunks = 1,
				 .no_generation = no_gen };
	struct tf_chunk *c = tf_chunk_new();
	char *path = tmpfile_with("");
	struct et_rec r;
	uint8_t *buf;
	size_t len;
	int fd;

	snprintf(m.probes, sizeof(m.probes), "%s",
		 "get_next_ino=fentry,__d_alloc=kprobe,eventfs_root_lookup=missing,release_ei=missing");
	snprintf(m.filters, sizeof(m.filters), "--fs pipefs");
	snprintf(m.host, sizeof(m.host), "%s", with_host ? with_host : "");
	snprintf(m.cmdline, sizeof(m.cmdline), "%s", with_cmdline ? with_cmdline : "");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0 && c);
	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.type = types[i % 3];
		r.ts_ns = m.start_ns + 1000000ull * (i + 1);
		r.pid = r.tid = 42;
		r.obj_id = 1000 + i / 3;
		strcpy(r.comm, "sh");
		strcpy(r.fs, "pipefs");
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
	assert_int_equal(tf_write_all(fd, buf, len), 0);
	if (trailer)
		assert_int_equal(tf_write_trailer(fd, &tr), 0);
	assert_int_equal(close(fd), 0);
	free(buf);
	tf_chunk_free(c);
	return path;
}

static char *make_trace(int n, bool trailer)
{
	return make_trace_gen(n, trailer, 0);
}

/* Runs evtrace info ARGS with stdout captured; the caller frees *out. */
static int run_info(char **out, int argc, char **argv)
{
	char *cap = tmpfile_with("");
	int saved, fd, rc;
	FILE *f;
	long len;

	fflush(stdout);
	saved = dup(1);
	fd = open(cap, O_WRONLY | O_TRUNC);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	optind = 0;	/* glibc: a full getopt reset */
	rc = do_info(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	f = fopen(cap, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	*out = calloc(1, len + 1);
	assert_non_null(*out);
	assert_int_equal(fread(*out, 1, len, f), len);
	fclose(f);
	tmpfile_remove(cap);
	return rc;
}

static void test_text(void **state)
{
	char *path = make_trace(10, true), *out;
	char *argv[] = { "info", path, NULL };

	assert_int_equal(run_info(&out, 2, argv), 0);
	assert_non_null(strstr(out, "recorded:   by evtrace test on 6.1.0-test x86_64, 2 CPUs\n"));
	assert_non_null(strstr(out, "missing: eventfs_root_lookup, release_ei: their events cannot"));
	assert_non_null(strstr(out, "filters:    --fs pipefs\n"));
	/* a file without them, as every file before they were kept */
	assert_non_null(strstr(out, "\nhost:       (not recorded)\ncmdline:    (not recorded)\n"));
	/* 10 events: types cycle ino_alloc, dentry_alloc, dentry_kill */
	assert_non_null(strstr(out, " 10 in 1 chunks"));
	assert_non_null(strstr(out, ": ino_alloc 4, dentry_alloc 3, dentry_kill 3\n"));
	assert_non_null(strstr(out, "(4.000 s)"));
	assert_non_null(strstr(out, "integrity:  whole: closed cleanly"));
	/* every object had its generation: nothing said */
	assert_null(strstr(out, "ids:"));
	free(out);
	tmpfile_remove(path);
}

static void test_json_no_trailer(void **state)
{
	char *path = make_trace(7, false), *out;
	char *argv[] = { "info", "--json", path, NULL };

	assert_int_equal(run_info(&out, 3, argv), 0);
	/* lists are arrays of objects (issue 16), not a string to split */
	assert_non_null(strstr(out, "\"missing_probes\":[{\"probe\":\"eventfs_root_lookup\"},"
				    "{\"probe\":\"release_ei\"}]"));
	assert_non_null(strstr(out, "\"probes\":[{\"probe\":\"get_next_ino\",\"mechanism\":\"fentry\"},"));
	assert_non_null(strstr(out, "{\"probe\":\"release_ei\",\"mechanism\":\"missing\"}],"));
	assert_non_null(strstr(out, "\"events\":7,\"chunks\":1,"
				    "\"by_type\":{\"ino_alloc\":3,\"dentry_alloc\":2,\"dentry_kill\":2}"));
	/* no trailer: the end is the newest event's time */
	assert_non_null(strstr(out, "\"end_ns\":5007000000,"));
	assert_non_null(strstr(out, "\"clean_close\":false"));
	assert_non_null(strstr(out, "\"machine\":\"x86_64\",\"host\":null,\"cmdline\":null,"));
	free(out);
	tmpfile_remove(path);
}

/*
 * The host and command line a recording keeps (perf's hostname and
 * cmdline) through the writer and reader: bytes of the file, escaped on
 * the terminal (a newline, an ESC, a tab), whole in JSON.
 */
static void test_host_cmdline(void **state)
{
	char *path, *out;
	char *argv[] = { "info", NULL, NULL, NULL };

	with_host = "build-07";
	with_cmdline = "evtrace record -o '/tmp/a b.evt' --comm 'x\ny\x1b[2J\t'";
	path = make_trace(3, true);
	with_host = with_cmdline = NULL;
	argv[1] = path;
	assert_int_equal(run_info(&out, 2, argv), 0);
	assert_non_null(strstr(out, "\nhost:       build-07\n"
				    "cmdline:    evtrace record -o '/tmp/a b.evt' --comm "
				    "'x\\x0ay\\x1b[2J\\x09'\n"));
	free(out);
	argv[1] = "--json";
	argv[2] = path;
	assert_int_equal(run_info(&out, 3, argv), 0);
	assert_non_null(strstr(out, "\"host\":\"build-07\",\"cmdline\":\"evtrace record -o "
				    "'/tmp/a b.evt' --comm 'x\\u000ay\\u001b[2J\\u0009'\","));
	free(out);
	tmpfile_remove(path);
}

static void test_cut(void **state)
{
	char *path = make_trace(30, true), *out;
	char *argv[] = { "info", path, NULL };
	FILE *f = fopen(path, "r+");
	long size;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	/* into the trailer: the chunk is whole, the end is not */
	assert_int_equal(truncate(path, size - 5), 0);
	assert_int_equal(run_info(&out, 2, argv), 0);
	assert_non_null(strstr(out, "integrity:  truncated at byte "));
	assert_non_null(strstr(out, "; the 30 events above are readable\n"));
	free(out);
	tmpfile_remove(path);
}

/* path's bytes with tail(b) after them; what tail() left in b is written back */
static void append(const char *path, void (*tail)(struct buf *b))
{
	struct buf b = { 0 };
	struct stat sb;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0 && fstat(fd, &sb) == 0);
	b.p = malloc(sb.st_size);
	assert_non_null(b.p);
	assert_int_equal(pread(fd, b.p, sb.st_size, 0), sb.st_size);
	b.len = b.cap = sb.st_size;
	tail(&b);
	assert_int_equal(pwrite(fd, b.p, b.len, 0), b.len);
	close(fd);
	free(b.p);
}

static void bomb_2m(struct buf *b)
{
	b_resync_bomb(b, 2 << 20, 1000);
}

/* Issue 14's resync bomb: the reader gives up on it and says where. */
static void test_gave_up(void **state)
{
	char *path = make_trace(30, false), *out;
	char *argv[] = { "info", path, NULL }, *jargv[] = { "info", "--json", path, NULL };
	const char *at;

	append(path, bomb_2m);
	assert_int_equal(run_info(&out, 2, argv), 0);
	at = strstr(out, "reading stopped at byte ");
	assert_non_null(at);
	assert_true(atoll(at + strlen("reading stopped at byte ")) > 0);
	assert_non_null(strstr(out, "the damage before it took all the work a file of this size"));
	assert_non_null(strstr(out, "; the 30 events above are readable\n"));
	free(out);
	assert_int_equal(run_info(&out, 3, jargv), 0);
	at = strstr(out, "\"gave_up_at\":");
	assert_non_null(at);
	assert_true(atoll(at + strlen("\"gave_up_at\":")) > 0);
	assert_json_line(out, JSON_ANY);
	free(out);
	tmpfile_remove(path);
}

static void inflate_40(struct buf *b)
{
	b_inflate_bomb(b, 40);
}

/* Issue 14's inflation bomb: what was not decompressed is said, in both forms. */
static void test_not_inflated(void **state)
{
	char *path = make_trace(30, true), *out;
	char *argv[] = { "info", path, NULL }, *jargv[] = { "info", "--json", path, NULL };
	const char *at;

	append(path, inflate_40);
	assert_int_equal(run_info(&out, 2, argv), 0);
	assert_non_null(strstr(out, "integrity:  40 damaged chunks skipped (40 events in them); "));
	at = strstr(out, " of them not decompressed: they would have inflated the file past 4096 "
			 "times its size; the 30 events above are readable\n");
	assert_non_null(at);
	while (at[-1] >= '0' && at[-1] <= '9')
		at--;
	assert_true(atoi(at) >= 30);
	free(out);
	assert_int_equal(run_info(&out, 3, jargv), 0);
	at = strstr(out, "\"not_inflated\":");
	assert_non_null(at);
	assert_true(atoi(at + strlen("\"not_inflated\":")) >= 30);
	assert_json_line(out, JSON_ANY);
	free(out);
	tmpfile_remove(path);
}

/* The trailer counts objects without a generation: ids may repeat, said in both forms. */
static void test_no_generation(void **state)
{
	char *path = make_trace_gen(10, true, 4242), *out;
	char *argv[] = { "info", path, NULL }, *jargv[] = { "info", "--json", path, NULL };

	assert_int_equal(run_info(&out, 2, argv), 0);
	assert_non_null(strstr(out, "\nids:        4242 objects got no generation (the kernel's table"
				    " was full): their ids may repeat\n            (record with a"
				    " larger --max-objects)\n"));
	free(out);
	assert_int_equal(run_info(&out, 3, jargv), 0);
	assert_non_null(strstr(out, ",\"dropped\":0,\"no_generation\":4242,\"mounts\":"));
	assert_json_line(out, JSON_ANY);
	free(out);
	tmpfile_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json_no_trailer),
		cmocka_unit_test(test_host_cmdline),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_gave_up),
		cmocka_unit_test(test_not_inflated),
		cmocka_unit_test(test_no_generation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
