// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The option mechanism: rows -> getopt_long's table and optstring, typed
 * parsers, and the help text.  One place says what a bad value is told.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "lib/common.h"

#define ROWS_MAX	96
#define KEY_LONG	0x100	/* getopt values of long-only rows: KEY_LONG + row */

static bool version_asked;

/* Options every command takes, before or after its name (main.c does "before"). */
static const struct opt global_rows[] = {
	OPT_INCR('v', "verbose", &verbose, "more messages: libbpf's (-vv: debug)"),
	OPT_FLAG('V', "version", &version_asked, "print the version and exit"),
	{ .name = "help", .key = 'h', .help = "this help", .type = OPT_T_FLAG },
	OPT_END
};

/* ---- typed parsers --------------------------------------------------------- */

int parse_number(const char *opt, const char *arg, bool allow_zero, const char *expected,
		 double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || (v == 0 && !allow_zero) ||
	    v > 1e7) {
		p_err("invalid %s '%s': expected %s", opt, arg, expected);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_seconds(const char *opt, const char *arg, double *out)
{
	return parse_number(opt, arg, false, "seconds > 0", out);
}

int parse_count(const char *opt, const char *arg, uint64_t max, const char *expected,
		uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
		if (expected)
			p_err("invalid %s '%s': expected %s", opt, arg, expected);
		else
			p_err("invalid %s '%s': expected 1 to %llu", opt, arg,
			      (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int opt_parse_limit(struct opt_limit *l, const char *arg)
{
	uint64_t v = 0;

	/* 0 means all: parse_count() takes 1 and up */
	if (strcmp(arg, "0") && parse_count("--limit", arg, UINT32_MAX, "0 (all) to 4294967295", &v))
		return -1;
	l->set = true;
	l->n = v;
	return 0;
}

/* "64K", "1024M": the largest allowed suffix that divides v exactly. */
static void size_text(uint64_t v, const char *suffixes, char *buf, size_t size)
{
	static const char units[] = "GMK";

	for (int i = 0; i < 3; i++) {
		int shift = 30 - 10 * i;

		if (strchr(suffixes, units[i]) && v >= (1ull << shift) &&
		    !(v & ((1ull << shift) - 1))) {
			snprintf(buf, size, "%llu%c", (unsigned long long)(v >> shift), units[i]);
			return;
		}
	}
	snprintf(buf, size, "%llu", (unsigned long long)v);
}

int parse_size(const struct opt *o, const char *opt, const char *arg, uint64_t *out)
{
	const char *suffixes = o->suffixes ? o->suffixes : "KMG";
	unsigned long long v;
	char *end, lo[24], hi[24];
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end) {
		char u = *end >= 'a' && *end <= 'z' ? *end - 'a' + 'A' : *end;
		const char *unit = strchr("KMG", u);

		if (unit && strchr(suffixes, u)) {
			shift = 10 * (int)(unit - "KMG" + 1);
			end++;
		}
	}
	/* bounded before the shift, which must not wrap */
	if (errno || end == arg || *end || arg[0] == '-' || v > (o->max >> shift) ||
	    (v << shift) < o->min || !v || ((o->flags & OPT_F_POW2) && (v & (v - 1)))) {
		if (o->flags & OPT_F_POW2) {
			size_text(o->min, suffixes, lo, sizeof(lo));
			size_text(o->max, suffixes, hi, sizeof(hi));
			p_err("invalid %s '%s': a power of two from %s to %s", opt, arg, lo, hi);
		} else {
			p_err("invalid %s '%s': expected a size such as 100M", opt, arg);
		}
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

void enum_expected(const char *const *names, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; names[i] && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", !i ? "" : names[i + 1] ? ", " : " or ",
				names[i]);
}

int parse_enum(const char *opt, const char *arg, const char *const *names, int *out)
{
	char expected[256];

	for (int i = 0; names[i]; i++) {
		if (!strcmp(arg, names[i])) {
			*out = i;
			return 0;
		}
	}
	enum_expected(names, expected, sizeof(expected));
	p_err("invalid %s '%s': expected %s", opt, arg, expected);
	return -1;
}

/* ---- the rows ---------------------------------------------------------------- */

/* One row's value into its place; 0 or -1 after saying why. */
static int apply(const struct opt *o, const char *arg)
{
	char opt[64];
	uint64_t v = 0;
	int i;

	snprintf(opt, sizeof(opt), "--%s", o->name);
	switch (o->type) {
	case OPT_T_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case OPT_T_INCR:
		(*(int *)o->dst)++;
		return 0;
	case OPT_T_STRING:
		*(const char **)o->dst = arg;
		return 0;
	case OPT_T_NUMBER: {
		double d;

		if (parse_number(opt, arg, o->flags & OPT_F_ZERO, o->expected, &d))
			return -1;
		if (o->flags & OPT_F_NS)
			*(uint64_t *)o->dst = d * 1e9;
		else
			*(double *)o->dst = d;
		return 0;
	}
	case OPT_T_SIZE:
		if (parse_size(o, opt, arg, &v))
			return -1;
		break;
	case OPT_T_COUNT:
		if (parse_count(opt, arg, o->max, o->expected, &v))
			return -1;
		break;
	case OPT_T_ENUM:
		if (parse_enum(opt, arg, o->names, &i))
			return -1;
		*(int *)o->dst = i;
		return 0;
	case OPT_T_CALL:
		return o->fn(o->dst, arg) ? -1 : 0;
	case OPT_T_END:
		return -1;
	}
	/* SIZE and COUNT: bounded by max, which the row's field holds */
	if (o->size == sizeof(uint32_t))
		*(uint32_t *)o->dst = v;
	else
		*(uint64_t *)o->dst = v;
	return 0;
}

static void note_option(const struct opt *o, const char *arg, char *note, size_t len)
{
	size_t off = strlen(note);

	if (off >= len)
		return;
	if (o->key)
		snprintf(note + off, len - off, "%s-%c%s%s", off ? " " : "", o->key, arg ? " " : "",
			 arg ? arg : "");
	else
		snprintf(note + off, len - off, "%s--%s%s%s", off ? " " : "", o->name, arg ? " " : "",
			 arg ? arg : "");
}

/* A command's rows, then the global options. */
static int collect(const struct opt *rows, const struct opt **all, int max)
{
	int n = 0;

	for (const struct opt *o = rows; o && o->type != OPT_T_END && n < max; o++)
		all[n++] = o;
	for (const struct opt *o = global_rows; o->type != OPT_T_END && n < max; o++)
		all[n++] = o;
	return n;
}

static void bad_option(const struct opt_cmd *cmd, int c, char **argv)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		p_err("%s: option '%s' needs a value (try 'evtrace %s --help')", cmd->name, opt,
		      cmd->name);
	else
		p_err("%s: unknown option '%s' (try 'evtrace %s --help')", cmd->name, opt,
		      cmd->name);
}

int opt_parse(const struct opt_cmd *cmd, const struct opt *rows, int argc, char **argv,
	      char *note, size_t note_len)
{
	const struct opt *all[ROWS_MAX];
	struct option lopts[ROWS_MAX + 1];
	char shorts[2 * ROWS_MAX + 2];
	int n = collect(rows, all, ROWS_MAX), ns = 0, c;

	shorts[ns++] = ':';	/* getopt stays quiet; bad_option() speaks */
	for (int i = 0; i < n; i++) {
		lopts[i] = (struct option){ all[i]->name, all[i]->arg ? required_argument : no_argument,
					    NULL, all[i]->key ? all[i]->key : KEY_LONG + i };
		if (all[i]->key) {
			shorts[ns++] = all[i]->key;
			if (all[i]->arg)
				shorts[ns++] = ':';
		}
	}
	lopts[n] = (struct option){ 0 };
	shorts[ns] = '\0';
	if (note && note_len)
		note[0] = '\0';
	version_asked = false;
	/*
	 * A first pass for --json alone, so that an error before it on the
	 * line (a bad option, a bad value) is JSON too; values are skipped as
	 * getopt skips them, so "--comm -j" is no --json.
	 */
	optind = 0;	/* glibc: start afresh, whoever parsed before */
	while ((c = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		for (int i = 0; i < n; i++)
			if ((all[i]->flags & OPT_F_JSON) &&
			    (c == KEY_LONG + i || (all[i]->key && c == all[i]->key)))
				json_errors = true;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		const struct opt *o = NULL;

		if (c == '?' || c == ':') {
			bad_option(cmd, c, argv);
			return -1;
		}
		if (c >= KEY_LONG)
			o = all[c - KEY_LONG];
		for (int i = 0; !o && i < n; i++)
			if (all[i]->key == c)
				o = all[i];
		if (o->key == 'h' && !o->dst) {
			opt_usage(stdout, cmd, rows);
			return -2;
		}
		if (apply(o, o->arg ? optarg : NULL))
			return -1;
		if (version_asked) {
			opt_version();
			return -2;
		}
		if ((o->flags & OPT_F_NOTE) && note)
			note_option(o, o->arg ? optarg : NULL, note, note_len);
	}
	return optind;
}

void opt_version(void)
{
	printf("evtrace %s\n", EVTRACE_VERSION);
}

int opt_status(int ret)
{
	return ret == -2 ? EXIT_OK : EXIT_ENV;
}

const char *opt_operand(const char *who, int first, int argc, char **argv, bool required)
{
	if (first == argc && required) {
		p_err("%s: FILE is required (try 'evtrace %s --help')", who, who);
		return "";
	}
	if (first == argc)
		return NULL;
	if (first + 1 < argc) {
		p_err("%s: unexpected argument '%s' (see evtrace %s --help)", who, argv[first + 1],
		      who);
		return "";
	}
	return argv[first];
}

int opt_no_operands(const char *who, int first, int argc, char **argv)
{
	if (first < argc) {
		p_err("%s: unexpected argument '%s' (see evtrace %s --help)", who, argv[first], who);
		return -1;
	}
	return 0;
}

/* ---- help ---------------------------------------------------------------------- */

/* "  -d, --duration SEC   stop after SEC seconds", continuation lines aligned. */
static void usage_row(FILE *f, const struct opt *o)
{
	char left[64];
	const char *h = o->help;

	if (o->key)
		snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	else
		snprintf(left, sizeof(left), "      --%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	/* the help in column 24, or two spaces after a long left side */
	fprintf(f, strlen(left) < 23 ? "%-22s " : "%s  ", left);
	while (*h) {
		size_t line = strcspn(h, "\n");

		fprintf(f, "%.*s\n", (int)line, h);
		h += line;
		if (*h == '\n' && *++h)
			fprintf(f, "%23s", "");
	}
}

const char opt_status_text[] =
	"0 done (Ctrl-C, --duration or the end of FILE); 1 a failure\n"
	"while running (a write error, out of memory); 2 usage or environment (a bad\n"
	"option, a FILE that does not open, not root, no BTF, nothing attaches).\n"
	"With --json, an error is one JSON object on stderr: {\"error\",\"status\"}.\n";

void opt_usage(FILE *f, const struct opt_cmd *cmd, const struct opt *rows)
{
	const struct opt *all[ROWS_MAX];
	int n = collect(rows, all, ROWS_MAX);

	fprintf(f, "usage: %s\n", cmd->usage);
	if (cmd->about)
		fprintf(f, "\n%s", cmd->about);
	fputc('\n', f);
	for (int i = 0; i < n; i++)
		if (all[i]->help)
			usage_row(f, all[i]);
	if (cmd->examples)
		fprintf(f, "\nexamples:\n%s", cmd->examples);
	fprintf(f, "\nexit status: %s", cmd->status ? cmd->status : opt_status_text);
}
