// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The options every tracing command shares (source/filters.c, the rows of
 * cli/groups.h parsed by cli/opt.c), the option mechanism itself, and the
 * end-of-run summary line (event/stream.c): what users type goes straight into
 * kernel filter maps, so bad values must be refused with nothing stored,
 * good ones stored in the kernel's encodings (NUL-padded comm, 20-bit
 * minor dev_t), and limits enforced.  Rejections print one line on
 * stderr; that is expected here.
 */
#include "unit.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cli/groups.h"
#include "lib/common.h"
#include "lib/mounts.h"

/* Parses the NULL-terminated options in rows, as command "t" would. */
static int parse(const struct opt *rows, char *note, size_t len, ...)
{
	char *argv[32] = { "t" };
	int argc = 1;
	va_list ap;

	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return opt_parse(&(struct opt_cmd){ .name = "t", .usage = "t" }, rows, argc, argv, note,
			 len);
}

static struct tracer_opts *new_opts(void)
{
	struct tracer_opts *o = calloc(1, sizeof(*o));

	assert_non_null(o);
	return o;
}

/* ---- -p ---- */

static void test_pid(void **state)
{
	static const char *const bad[] = {
		"0", "abc", "12x", "", "-1", "x12", "1.5", "0x",
		"1073741824",		/* past the kernel's 30-bit tid space */
		"4294967297",		/* 2^32 + 1: would be 1 in a u32 */
		"99999999999999999999999",
	};
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;

	assert_int_equal(filters_add_pid(f, "1"), 0);
	assert_int_equal(filters_add_pid(f, "4194304"), 0);	/* PID_MAX_LIMIT */
	assert_int_equal(f->npids, 2);
	assert_int_equal(f->pids[0], 1);
	assert_int_equal(f->pids[1], 4194304);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(filters_add_pid(f, bad[i]), -EINVAL);
		assert_int_equal(f->npids, 2);
	}
	free(o);
}

static void test_pid_too_many(void **state)
{
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;
	char arg[16];

	for (int i = 1; i <= MAX_FILTER; i++) {
		snprintf(arg, sizeof(arg), "%d", 1000 + i);
		assert_int_equal(filters_add_pid(f, arg), 0);
	}
	assert_int_equal(f->npids, MAX_FILTER);
	assert_int_equal(filters_add_pid(f, "5"), -E2BIG);
	assert_int_equal(f->npids, MAX_FILTER);
	assert_int_equal(f->pids[0], 1001);
	assert_int_equal(f->pids[MAX_FILTER - 1], 1000 + MAX_FILTER);
	free(o);
}

/* ---- -c and --fs ---- */

static void test_comm(void **state)
{
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;
	char want[16];

	memset(f->comms, 0xff, sizeof(f->comms));
	assert_int_equal(filters_add_comm(f, "bash"), 0);
	assert_int_equal(filters_add_comm(f, "123456789012345"), 0);	/* 15: the most */
	assert_int_equal(filters_add_comm(f, "1234567890123456"), -EINVAL);
	assert_int_equal(filters_add_comm(f, ""), -EINVAL);
	assert_int_equal(f->ncomms, 2);
	/* as the kernel keeps it: NUL-padded to 16 bytes */
	memset(want, 0, sizeof(want));
	memcpy(want, "bash", 4);
	assert_memory_equal(f->comms[0], want, 16);
	memcpy(want, "123456789012345", 16);
	assert_memory_equal(f->comms[1], want, 16);
	/* nothing else written */
	memset(want, 0xff, sizeof(want));
	assert_memory_equal(f->comms[2], want, 16);
	free(o);
}

static void test_fs(void **state)
{
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;
	char want[16] = "tracefs";

	assert_int_equal(filters_add_fs(f, "tracefs"), 0);
	assert_int_equal(filters_add_fs(f, "anon_inodefs"), 0);
	assert_int_equal(filters_add_fs(f, "0123456789abcdef"), -EINVAL);
	assert_int_equal(filters_add_fs(f, ""), -EINVAL);
	assert_int_equal(f->nfss, 2);
	assert_memory_equal(f->fss[0], want, 16);
	assert_string_equal(f->fss[1], "anon_inodefs");
	/* -c and --fs fill their own lists */
	assert_int_equal(f->ncomms, 0);
	for (int i = 2; i < MAX_FILTER; i++)
		assert_int_equal(filters_add_fs(f, "pipefs"), 0);
	assert_int_equal(filters_add_fs(f, "sockfs"), -E2BIG);
	assert_int_equal(f->nfss, MAX_FILTER);
	free(o);
}

/* ---- --dev and --mount ---- */

static void test_dev(void **state)
{
	static const char *const bad[] = {
		"8", "8:3x", "4096:0", "0:1048576", "a:b", "", ":3", "8:", "8:3:1",
		"-1:3", "8:-1", "99999999999:1",
	};
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;

	assert_int_equal(filters_add_dev(f, "8:3"), 0);
	assert_int_equal(filters_add_dev(f, "0:45"), 0);
	assert_int_equal(filters_add_dev(f, "259:65536"), 0);
	assert_int_equal(filters_add_dev(f, "4095:1048575"), 0);
	assert_int_equal(f->ndevs, 4);
	assert_int_equal(f->devs[0], 0x00800003);	/* (8 << 20) | 3 */
	assert_int_equal(f->devs[1], 45);
	assert_int_equal(f->devs[2], 0x10310000);	/* (259 << 20) | 0x10000 */
	assert_int_equal(f->devs[3], 0xffffffff);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (filters_add_dev(f, bad[i]) != -EINVAL)
			fail_msg("--dev '%s' accepted", bad[i]);
		assert_int_equal(f->ndevs, 4);
	}
	free(o);
}

static uint32_t kdev_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint32_t)major(st.st_dev) << 20 | minor(st.st_dev);
}

static void test_mount(void **state)
{
	struct tracer_opts *o = new_opts();
	struct filters *f = &o->filters;
	struct mount_ent ents[2] = {
		{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
		{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext4", .path = "/" },
	};
	struct mount_table mt = { .v = ents, .n = 2 };

	/* live: paths are stat()ed when resolved */
	assert_int_equal(filters_add_mount(f, "/"), 0);
	assert_int_equal(f->ndevs, 0);
	if (!access("/proc/self", F_OK))
		assert_int_equal(filters_add_mount(f, "/proc"), 0);
	assert_int_equal(filters_resolve_mounts(f, NULL), 0);
	assert_int_equal(f->nmounts, 0);
	assert_int_equal(f->devs[0], kdev_of("/"));
	if (!access("/proc/self", F_OK)) {
		assert_int_equal(f->ndevs, 2);
		assert_int_equal(f->devs[1], kdev_of("/proc"));
		/* procfs is not the root filesystem */
		assert_int_not_equal(f->devs[1], f->devs[0]);
	}
	f->ndevs = 1;
	assert_int_equal(filters_add_mount(f, "/nonexistent/evtrace-unit"), 0);
	assert_int_equal(filters_resolve_mounts(f, NULL), -ENOENT);
	f->nmounts = 0;
	assert_int_equal(filters_add_mount(f, ""), 0);
	assert_int_equal(filters_resolve_mounts(f, NULL), -ENOENT);
	f->nmounts = 0;
	assert_int_equal(f->ndevs, 1);

	/* replay: the recording's mount table, not this machine's */
	f->ndevs = 0;
	assert_int_equal(filters_add_mount(f, "/sys/kernel/tracing"), 0);
	assert_int_equal(filters_resolve_mounts(f, &mt), 0);
	assert_int_equal(f->ndevs, 1);
	assert_int_equal(f->devs[0], ET_MKDEV(0u, 13u));
	assert_int_equal(filters_add_mount(f, "/proc"), 0);
	assert_int_equal(filters_resolve_mounts(f, &mt), -ENOENT);
	f->nmounts = 0;

	/* --dev and --mount share one list */
	f->ndevs = MAX_FILTER - 1;
	assert_int_equal(filters_add_dev(f, "1:1"), 0);
	assert_int_equal(filters_add_mount(f, "/"), 0);
	assert_int_equal(filters_resolve_mounts(f, NULL), -E2BIG);
	assert_int_equal(filters_add_dev(f, "1:1"), -E2BIG);
	assert_int_equal(f->ndevs, MAX_FILTER);
	free(o);
}

/* ---- --attach ---- */

static void test_attach(void **state)
{
	int a = ATTACH_KPROBE;

	assert_int_equal(parse_enum("--attach", "auto", attach_names, &a), 0);
	assert_int_equal(a, ATTACH_AUTO);
	assert_int_equal(parse_enum("--attach", "fentry", attach_names, &a), 0);
	assert_int_equal(a, ATTACH_FENTRY);
	assert_int_equal(parse_enum("--attach", "kprobe", attach_names, &a), 0);
	assert_int_equal(a, ATTACH_KPROBE);
	assert_int_equal(parse_enum("--attach", "uprobe", attach_names, &a), -1);
	assert_int_equal(parse_enum("--attach", "", attach_names, &a), -1);
	assert_int_equal(parse_enum("--attach", "FENTRY", attach_names, &a), -1);
	assert_int_equal(parse_enum("--attach", "fentry ", attach_names, &a), -1);
	assert_int_equal(a, ATTACH_KPROBE);
}

/* ---- --duration ---- */

static void test_seconds(void **state)
{
	static const char *const bad[] = {
		"0", "-1", "inf", "nan", "abc", "", "2s", "1e8", "-0", "0.0",
		"1.5.2", "1e-400",
	};
	double v = 0;

	assert_int_equal(parse_seconds("--duration", "1.5", &v), 0);
	assert_true(v == 1.5);
	assert_int_equal(parse_seconds("--duration", "10", &v), 0);
	assert_true(v == 10.0);
	assert_int_equal(parse_seconds("--duration", "0.25", &v), 0);
	assert_true(v == 0.25);
	assert_int_equal(parse_seconds("--duration", "1e7", &v), 0);
	assert_true(v == 1e7);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 42;
		if (parse_seconds("--duration", bad[i], &v) != -1 || v != 42)
			fail_msg("--duration '%s' accepted", bad[i]);
	}
}

/* ---- the trace rows: each option reaches its place ---- */

static void test_trace_opt(void **state)
{
	struct tracer_opts *o = new_opts();
	const struct opt rows[] = { FILTER_ROWS(&o->filters), TRACE_ROWS(o), OPT_END };
	int v = verbose;
	char note[128];

	assert_int_equal(parse(rows, note, sizeof(note), "-p", "42", NULL), 3);
	assert_int_equal(o->filters.pids[0], 42);
	assert_int_equal(parse(rows, NULL, 0, "-p", "x", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "-c", "cat", NULL), 3);
	assert_string_equal(o->filters.comms[0], "cat");
	assert_int_equal(parse(rows, NULL, 0, "--fs", "tracefs", NULL), 3);
	assert_string_equal(o->filters.fss[0], "tracefs");
	assert_int_equal(parse(rows, NULL, 0, "--dev", "0:12", NULL), 3);
	assert_int_equal(o->filters.devs[0], 12);
	assert_int_equal(parse(rows, NULL, 0, "--dev", "12", NULL), -1);
	/* --mount paths are resolved later: live by stat(), replay by the file's table */
	assert_int_equal(parse(rows, NULL, 0, "--mount", "/", NULL), 3);
	assert_int_equal(o->filters.nmounts, 1);
	assert_string_equal(o->filters.mounts[0], "/");
	assert_int_equal(filters_resolve_mounts(&o->filters, NULL), 0);
	assert_int_equal(o->filters.devs[1], kdev_of("/"));
	assert_int_equal(parse(rows, NULL, 0, "--mount", "/nonexistent/evtrace-unit", NULL), 3);
	assert_int_equal(filters_resolve_mounts(&o->filters, NULL), -ENOENT);
	o->filters.nmounts = 0;
	assert_int_equal(parse(rows, NULL, 0, "--attach", "kprobe", NULL), 3);
	assert_int_equal(o->attach, ATTACH_KPROBE);
	assert_int_equal(parse(rows, NULL, 0, "--attach", "x", NULL), -1);
	assert_false(o->filters.include_self);
	assert_int_equal(parse(rows, NULL, 0, "--include-self", NULL), 2);
	assert_true(o->filters.include_self);
	/* -v is global: every command takes it, -vv too */
	assert_int_equal(parse(rows, NULL, 0, "-v", "--verbose", NULL), 3);
	assert_int_equal(verbose, v + 2);
	assert_int_equal(parse(rows, NULL, 0, "-vv", NULL), 2);
	assert_int_equal(verbose, v + 4);
	verbose = v;
	/* not a trace option: refused, saying which (expected on stderr) */
	assert_int_equal(parse(rows, NULL, 0, "-z", "1", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--frobnicate", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--fs", NULL), -1);
	assert_int_equal(o->filters.npids, 1);
	assert_int_equal(o->filters.ndevs, 2);
	/* the filters as typed, for a recording's META */
	assert_string_equal(note, "-p 42");
	assert_int_equal(parse(rows, note, sizeof(note), "--fs", "pipefs", "-c", "sh", "x.evt",
			       "--dev", "1:2", NULL), 7);	/* getopt moves x.evt last */
	assert_string_equal(note, "--fs pipefs -c sh --dev 1:2");
	free(o);
}

static void test_bufsize(void **state)
{
	static const struct {
		const char *arg;
		uint32_t bytes;
	} good[] = {
		{ "64K", 65536 },
		{ "64k", 65536 },
		{ "65536", 65536 },
		{ "1M", 1 << 20 },
		{ "8m", 8 << 20 },
		{ "4096K", 4 << 20 },
		{ "1024M", 1u << 30 },
		{ "1073741824", 1u << 30 },
	};
	static const char *const bad[] = {
		"100000",	/* not a power of two */
		"32K",		/* less than 64K */
		"32768", "0", "1", "", "K", "M", "-64K", "64KB", "64 K", "1G",
		"2048M", "2147483648", "3M", "abc",
		/* 2^54 + 64, shifted by 10: 2^64 + 64K, which wraps to 64K */
		"18014398509482048K",
		/* 2^44 + 1, shifted by 20: wraps to 1M */
		"17592186044417M",
	};
	struct tracer_opts *o = new_opts();
	const struct opt rows[] = { TRACE_ROWS(o), OPT_END };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		o->ringbuf_bytes = 0;
		assert_int_equal(parse(rows, NULL, 0, "--bufsize", good[i].arg, NULL), 3);
		assert_int_equal(o->ringbuf_bytes, good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o->ringbuf_bytes = 12345;
		if (parse(rows, NULL, 0, "--bufsize", bad[i], NULL) != -1)
			fail_msg("--bufsize '%s' accepted as %u", bad[i], o->ringbuf_bytes);
		assert_int_equal(o->ringbuf_bytes, 12345);
	}
	free(o);
}

/* ---- the option mechanism: rows, typed parsers, help ---- */

static void test_typed_rows(void **state)
{
	struct pipeline_opts po = { 0 };
	uint64_t size = 0, ns = 0, step = 0;
	const char *path = NULL;
	bool flag = false;
	int e = -1;
	static const char *const names[] = { "perfetto", "jsonl", "csv", NULL };
	const struct opt rows[] = {
		OPT_FLAG('j', "json", &flag, "j"),
		OPT_STRING('o', "output", &path, "FILE", "o"),
		OPT_SIZE(0, "max-size", &size, 1, 1ull << 50, "s"),
		OPT_NS(0, "flush", &ns, "f"),
		OPT_ENUM('f', "format", &e, names, "FMT", "e"),
		{ .name = "linear", .arg = "STEP", .type = OPT_T_COUNT, .dst = &step,
		  .size = sizeof(step), .min = 1, .max = UINT64_MAX, .expected = "a step > 0",
		  .help = "l" },
		MODEL_ROWS(&po.session),
		WINDOW_ROWS(&po.replay),
		PACE_ROWS(&po.replay, "1"),
		OPT_END
	};

	assert_int_equal(parse(rows, NULL, 0, "-j", "-o", "x.evt", "--max-size", "3G", "--flush",
			       "0.5", "-f", "csv", "--linear", "100", "--max-eis", "7",
			       "--release-timeout", "2.5", "--ei-history", "--eis", "--from", "0",
			       "--to", "3", "--speed", "2", NULL), 24);
	assert_true(flag);
	assert_string_equal(path, "x.evt");
	assert_int_equal(size, 3ull << 30);
	assert_int_equal(ns, 500000000);
	assert_int_equal(e, 2);
	assert_int_equal(step, 100);
	assert_int_equal(po.session.model.max_eis, 7);
	assert_int_equal(po.session.model.release_timeout_ns, 2500000000ull);
	/* --eis after --ei-history does not take the histories away */
	assert_int_equal(po.session.eis, 2);
	assert_true(po.replay.from_s == 0 && po.replay.to_s == 3 && po.replay.speed == 2);
	assert_int_equal(window_check(&po.replay), 0);
	assert_int_equal(parse(rows, NULL, 0, "--max", NULL), 2);
	assert_true(po.replay.speed == 0);
	/* bad values: refused, nothing stored */
	assert_int_equal(parse(rows, NULL, 0, "--max-size", "0", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--max-size", "1X", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--linear", "0", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--linear", "-3", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--max-eis", "67108865", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "-f", "svg", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--to", "0", NULL), -1);
	assert_int_equal(parse(rows, NULL, 0, "--speed", "0", NULL), -1);
	assert_int_equal(size, 3ull << 30);
	assert_int_equal(step, 100);
	assert_int_equal(e, 2);
	/* an empty window, whichever order the pair came in */
	assert_int_equal(parse(rows, NULL, 0, "--to", "2", "--from", "2", NULL), 5);
	assert_int_equal(window_check(&po.replay), -1);
	/* -h and -V are answered, not errors */
	assert_int_equal(opt_status(parse(rows, NULL, 0, "-V", NULL)), EXIT_OK);
	assert_int_equal(opt_status(parse(rows, NULL, 0, "x", "-j", "--version", NULL)), EXIT_OK);
	assert_int_equal(opt_status(-1), EXIT_ENV);
}

/* --help is made from the same rows: every listed option, nothing hidden. */
static void test_usage(void **state)
{
	bool a = false, hidden = false;
	const struct opt rows[] = {
		OPT_FLAG('j', "json", &a, "JSON, one object"),
		OPT_SECONDS('d', "duration", &a, "stop after SEC seconds"),
		{ .name = "secret", .type = OPT_T_FLAG, .dst = &hidden },
		OPT_CALL(0, "release-timeout", &a, NULL, "SEC", "two lines\nof help"),
		OPT_END
	};
	struct opt_cmd c = { .name = "t", .usage = "evtrace t [-j]", .about = "About.\n",
			     .examples = "  evtrace t -j\n", .status = "0 ok; 2 not.\n" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	opt_usage(f, &c, rows);
	fclose(f);
	assert_string_equal(buf,
		"usage: evtrace t [-j]\n"
		"\n"
		"About.\n"
		"\n"
		"  -j, --json           JSON, one object\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		"      --release-timeout SEC  two lines\n"
		"                       of help\n"
		"  -v, --verbose        more messages: libbpf's (-vv: debug)\n"
		"  -V, --version        print the version and exit\n"
		"  -h, --help           this help\n"
		"\n"
		"examples:\n"
		"  evtrace t -j\n"
		"\n"
		"exit status: 0 ok; 2 not.\n");
	free(buf);
	/* every command says its exit statuses: the common text when it has none of its own */
	c.status = NULL;
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	opt_usage(f, &c, rows);
	fclose(f);
	assert_non_null(strstr(buf, "\nexit status: 0 done"));
	assert_non_null(strstr(buf, opt_status_text));
	free(buf);
	/* a hidden row is still an option */
	assert_int_equal(parse(rows, NULL, 0, "--secret", NULL), 2);
	assert_true(hidden);
}

static void test_operand(void **state)
{
	char *one[] = { "t", "a.evt" }, *two[] = { "t", "a.evt", "b.evt" };

	assert_null(opt_operand("t", 1, 1, one, false));
	assert_string_equal(opt_operand("t", 1, 1, one, true), "");
	assert_string_equal(opt_operand("t", 1, 2, one, true), "a.evt");
	assert_string_equal(opt_operand("t", 1, 3, two, false), "");
	assert_int_equal(opt_no_operands("t", 1, 1, one), 0);
	assert_int_equal(opt_no_operands("t", 1, 2, one), -1);
}

/* ---- the summary line ---- */

static struct et_rec rec(int type, int64_t value)
{
	struct et_rec r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.value = value;
	return r;
}

static void count(struct et_stats *s, int type, int64_t value)
{
	struct et_rec r = rec(type, value);

	stats_count(s, &r);
}

static void test_stats(void **state)
{
	struct et_stats s;
	char buf[256];

	memset(&s, 0, sizeof(s));
	/* out of order: the line goes by type, not by arrival */
	count(&s, ET_LOOKUP, -2);
	count(&s, ET_INO_ALLOC, 0);
	count(&s, ET_LOST, 5);
	count(&s, ET_INO_ALLOC, 7);
	assert_int_equal(s.total, 3);
	assert_int_equal(s.n[ET_INO_ALLOC], 2);
	assert_int_equal(s.n[ET_LOOKUP], 1);
	assert_int_equal(s.n[ET_LOST], 5);
	stats_line(&s, buf, sizeof(buf));
	/* a lost record that names no cause (an older file's) is the ring's */
	assert_string_equal(buf, "3 events (ino_alloc 2, lookup 1), 5 lost (ring 5)");

	/* lost records carry a count; they are not events */
	count(&s, ET_LOST, 1000);
	count(&s, ET_EI_RELEASE, 0);
	stats_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, "4 events (ino_alloc 2, lookup 1, ei_release 1), 1005 lost (ring 1005)");
}

/* Every way to miss an event is counted, and the line gives its parts. */
static void test_stats_lost_causes(void **state)
{
	struct et_stats s;
	struct et_rec r;
	char buf[256];

	memset(&s, 0, sizeof(s));
	stats_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0 events (), 0 lost");
	decode_lost(&r, 1, 3, "kprobe");
	stats_count(&s, &r);
	decode_lost(&r, 2, 4, lost_cause_name(LOST_RECURSION));
	stats_count(&s, &r);
	decode_lost(&r, 3, 5, "ring");
	stats_count(&s, &r);
	assert_int_equal(s.n[ET_LOST], 12);
	assert_int_equal(s.lost[LOST_KPROBE], 3);
	assert_int_equal(s.lost[LOST_RECURSION], 4);
	assert_int_equal(s.lost[LOST_RING], 5);
	assert_int_equal(s.total, 0);
	stats_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0 events (), 12 lost (ring 5, recursion 4, kprobe 3)");
	assert_int_equal(lost_cause_of(&r), LOST_RING);
	strcpy(r.name, "recursion");
	assert_int_equal(lost_cause_of(&r), LOST_RECURSION);
	/* read, then dropped at a second Ctrl-C: a cause of its own */
	decode_lost(&r, 4, 6, lost_cause_name(LOST_INTERRUPTED));
	assert_int_equal(lost_cause_of(&r), LOST_INTERRUPTED);
	stats_count(&s, &r);
	stats_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0 events (), 18 lost (ring 5, recursion 4, kprobe 3, interrupted 6)");
}

static void test_stats_every_type(void **state)
{
	struct et_stats s;
	char buf[512];

	memset(&s, 0, sizeof(s));
	for (int t = ET_INO_ALLOC; t < ET_TYPE_MAX; t++)
		if (t != ET_LOST)
			for (int i = 0; i < t; i++)
				count(&s, t, 0);
	s.n[ET_INODE_EVICT] = 18446744073709551615ull;
	stats_line(&s, buf, sizeof(buf));
	assert_string_equal(buf, "66 events (ino_alloc 1, inode_alloc 2, "
			    "inode_evict 18446744073709551615, dentry_alloc 4, "
			    "dentry_kill 5, lookup 6, ei_create 7, ei_get 8, ei_put 9, "
			    "ei_remove 10, ei_release 11), 0 lost");
}

/* A short buffer: a NUL-terminated prefix, nothing written past it. */
/*
 * A recording's command line: arguments a shell takes as they are stay
 * bare, others go in single quotes (a quote as '\''), and a line past
 * its buffer ends at a whole argument with " ...".
 */
static void test_cmdline_join(void **state)
{
	char *argv[] = { "evtrace", "hist", "-o", "/tmp/a b.evt", "--comm", "it's", "", "$HOME",
			 "--fs=tracefs", NULL };
	char buf[128], small[24];

	assert_string_equal(cmdline_join(buf, sizeof(buf), 9, argv),
			    "evtrace hist -o '/tmp/a b.evt' --comm 'it'\\''s' '' '$HOME' --fs=tracefs");
	/* "evtrace hist -o" is 15 bytes; the path's 14 more do not fit in 24 */
	assert_string_equal(cmdline_join(small, sizeof(small), 9, argv), "evtrace hist -o ...");
	assert_string_equal(cmdline_join(small, sizeof(small), 3, argv), "evtrace hist -o");
	assert_string_equal(cmdline_join(buf, sizeof(buf), 0, argv), "");
	/* whatever the size, never past it */
	for (size_t n = 1; n < sizeof(buf); n++) {
		memset(buf, 'Z', sizeof(buf));
		cmdline_join(buf, n, 9, argv);
		assert_true(strlen(buf) < n);
		assert_int_equal(buf[n], 'Z');
	}
}

static void test_stats_short_buffer(void **state)
{
	const char *full = "3 events (ino_alloc 2, lookup 1), 5 lost";
	struct et_stats s;
	char buf[64];

	memset(&s, 0, sizeof(s));
	s.total = 3;
	s.n[ET_INO_ALLOC] = 2;
	s.n[ET_LOOKUP] = 1;
	s.n[ET_LOST] = 5;
	for (size_t size = 1; size <= strlen(full) + 1; size++) {
		memset(buf, '#', sizeof(buf));
		stats_line(&s, buf, size);
		assert_int_equal(strlen(buf), size - 1);
		assert_memory_equal(buf, full, size - 1);
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_pid_too_many),
		cmocka_unit_test(test_comm),
		cmocka_unit_test(test_fs),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_trace_opt),
		cmocka_unit_test(test_bufsize),
		cmocka_unit_test(test_typed_rows),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_operand),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_stats_every_type),
		cmocka_unit_test(test_stats_lost_causes),
		cmocka_unit_test(test_stats_short_buffer),
		cmocka_unit_test(test_cmdline_join),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
