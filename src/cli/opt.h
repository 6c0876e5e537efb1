/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Options as rows that carry their own help, in perf's manner
 * (OPT_STRING('o', "output", &path, "FILE", "...")): getopt_long's table,
 * its optstring and the --help text all come from the same rows, and each
 * row names a typed parser and where its value goes.  A command declares
 * its rows, adds the shared groups it needs (cli/groups.h), and calls
 * opt_parse(); nothing else in the tree knows about option ids.
 */
#ifndef EVTRACE_CLI_OPT_H
#define EVTRACE_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type {
	OPT_T_END,
	OPT_T_FLAG,	/* bool *dst = true */
	OPT_T_INCR,	/* int *dst += 1 (-v, -vv) */
	OPT_T_STRING,	/* const char **dst = arg */
	OPT_T_NUMBER,	/* double *dst: > 0 (>= 0 with OPT_F_ZERO), at most 1e7 */
	OPT_T_SIZE,	/* uint64_t *dst: bytes, K/M/G suffixes, bounded */
	OPT_T_COUNT,	/* uint32_t or uint64_t *dst (size), 1 to max */
	OPT_T_ENUM,	/* int *dst: the index of arg in names[] */
	OPT_T_CALL,	/* fn(dst, arg): 0, or -errno after saying why */
};

#define OPT_F_POW2	(1u << 0)	/* SIZE: a power of two */
#define OPT_F_NOTE	(1u << 1)	/* the option is written down as given (opt_parse's note) */
#define OPT_F_ZERO	(1u << 2)	/* NUMBER: 0 is a value too */
#define OPT_F_NS	(1u << 3)	/* NUMBER: seconds given, uint64_t nanoseconds kept */
#define OPT_F_JSON	(1u << 4)	/* FLAG: --json, which makes every error JSON (p_err) */

struct opt {
	const char *name;	/* long name, without "--" */
	int key;		/* short letter, or 0 */
	const char *arg;	/* the value's name in the help; NULL: takes none */
	const char *help;	/* NULL: accepted but not listed (internal) */
	enum opt_type type;
	void *dst;
	unsigned int flags;	/* OPT_F_* */
	uint64_t min, max;	/* SIZE, COUNT bounds */
	size_t size;		/* COUNT, SIZE: sizeof(*dst), 4 or 8 */
	const char *suffixes;	/* SIZE: which of K, M, G are accepted (NULL: all) */
	const char *const *names;	/* ENUM: NULL-terminated */
	const char *expected;	/* NUMBER, COUNT: what a bad value is told it should be */
	int (*fn)(void *dst, const char *arg);	/* CALL */
};

/* The rows: each says what it parses into and how it shows in --help. */
#define OPT_FLAG(k, n, d, h) \
	{ .name = (n), .key = (k), .help = (h), .type = OPT_T_FLAG, .dst = (d) }
/* --json, -j: errors are JSON too, whatever comes before it on the line */
#define OPT_JSON(d, h) \
	{ .name = "json", .key = 'j', .help = (h), .type = OPT_T_FLAG, .dst = (d), \
	  .flags = OPT_F_JSON }
#define OPT_INCR(k, n, d, h) \
	{ .name = (n), .key = (k), .help = (h), .type = OPT_T_INCR, .dst = (d) }
#define OPT_STRING(k, n, d, a, h) \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = OPT_T_STRING, .dst = (d) }
#define OPT_NUMBER(k, n, d, a, e, h) \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = OPT_T_NUMBER, .dst = (d), \
	  .expected = (e) }
#define OPT_SECONDS(k, n, d, h) OPT_NUMBER(k, n, d, "SEC", "seconds > 0", h)
#define OPT_NS(k, n, d, h) \
	{ .name = (n), .key = (k), .arg = "SEC", .help = (h), .type = OPT_T_NUMBER, .dst = (d), \
	  .expected = "seconds > 0", .flags = OPT_F_NS }
#define OPT_SIZE(k, n, d, lo, hi, h) \
	{ .name = (n), .key = (k), .arg = "BYTES", .help = (h), .type = OPT_T_SIZE, .dst = (d), \
	  .min = (lo), .max = (hi), .size = sizeof(*(d)) }
#define OPT_COUNT(k, n, d, hi, h) \
	{ .name = (n), .key = (k), .arg = "N", .help = (h), .type = OPT_T_COUNT, .dst = (d), \
	  .min = 1, .max = (hi), .size = sizeof(*(d)) }
#define OPT_ENUM(k, n, d, nm, a, h) \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = OPT_T_ENUM, .dst = (d), \
	  .names = (nm), .size = sizeof(*(d)) }
#define OPT_CALL(k, n, d, f, a, h) \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = OPT_T_CALL, .dst = (d), \
	  .fn = (int (*)(void *, const char *))(f) }
/* A CALL row written down in opt_parse()'s note: the filters a recording keeps. */
#define OPT_CALL_NOTE(k, n, d, f, a, h) \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = OPT_T_CALL, .dst = (d), \
	  .fn = (int (*)(void *, const char *))(f), .flags = OPT_F_NOTE }
#define OPT_END { .type = OPT_T_END }

/* What a command says about itself around its rows in --help. */
struct opt_cmd {
	const char *name;	/* "events": error messages say "events: ..." */
	const char *usage;	/* the lines after "usage: " */
	const char *about;	/* a paragraph; may be NULL */
	const char *examples;	/* lines; may be NULL */
	/* "exit status: ..." in --help: what 0, 1 and 2 mean here (NULL: opt_status_text) */
	const char *status;
};

/* What the statuses mean for most commands (README's table, the man page's EXIT STATUS). */
extern const char opt_status_text[];

/*
 * Parses argv[1..] against rows (OPT_END-terminated, in the order --help
 * lists them) and the global options -v, -V and -h.  Every
 * OPT_F_NOTE option is appended to note ("-p 42 --fs tracefs"), if note is
 * given.  Returns the index of the first operand, or -1 after printing why
 * (status EXIT_ENV), or -2 when --help or --version was answered (status
 * EXIT_OK).  Operands may come before options, as getopt_long permutes.
 */
int opt_parse(const struct opt_cmd *cmd, const struct opt *rows, int argc, char **argv,
	      char *note, size_t note_len);
/* The status a negative opt_parse() result stands for. */
int opt_status(int ret);

/* usage, about, the rows and the global options, examples. */
void opt_usage(FILE *f, const struct opt_cmd *cmd, const struct opt *rows);/* "evtrace 0.1.0": -V, --version, evtrace version. */
void opt_version(void);

/*
 * The one operand a command may take (FILE): NULL if none, or "" after
 * saying what is wrong (more than one; required and missing), in the name
 * of the command who (the one the user typed: replay delegates).
 */
const char *opt_operand(const char *who, int first, int argc, char **argv, bool required);
/* No operand at all; 0, or -1 after saying so. */
int opt_no_operands(const char *who, int first, int argc, char **argv);

/*
 * The typed parsers behind the rows, for values that come from elsewhere.
 * Each returns 0, or -1 after printing "invalid OPT 'ARG': expected ...".
 */
int parse_seconds(const char *opt, const char *arg, double *out);
/* A positive number up to 1e7 (zero too with allow_zero); expected says what. */
int parse_number(const char *opt, const char *arg, bool allow_zero, const char *expected,
		 double *out);
int parse_size(const struct opt *o, const char *opt, const char *arg, uint64_t *out);
/* 1 to max; expected: what a bad value is told it should be (NULL: "1 to max"). */
int parse_count(const char *opt, const char *arg, uint64_t max, const char *expected,
		uint64_t *out);
/* The index of arg in names (NULL-terminated). */
int parse_enum(const char *opt, const char *arg, const char *const *names, int *out);
/*
 * --limit N: how many of each list a summary shows, 0 for all; set tells
 * a given --limit from the default, which differs between text and JSON.
 */
struct opt_limit {
	bool set;
	uint32_t n;
};

int opt_parse_limit(struct opt_limit *l, const char *arg);
/* N, or -1 (out/report.h's REPORT_LIMIT_DEFAULT) when no --limit was given */
static inline int64_t opt_limit_get(const struct opt_limit *l)
{
	return l->set ? (int64_t)l->n : -1;
}
#define OPT_LIMIT(d)							\
	OPT_CALL(0, "limit", d, opt_parse_limit, "N",			\
		 "at most N of each list in the summary, 0 for all (default:\n" \
		 "20 groups and removed eis, 10 anomalies; with --json all);\n" \
		 "a cut list says how many more there are")

/* "a, b or c": what parse_enum() expects, for messages of one's own. */
void enum_expected(const char *const *names, char *buf, size_t size);

#endif
