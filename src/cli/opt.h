/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Options shared by every command that traces. */
#ifndef EVTRACE_CLI_H
#define EVTRACE_CLI_H

#include <getopt.h>

#include "source/probes.h"

enum {
	OPT_FS = 0x100,
	OPT_DEV,
	OPT_MOUNT,
	OPT_ATTACH,
	OPT_SELF,
	OPT_BUFSIZE,
	OPT_DURATION,
	OPT_JSON,
	OPT_MAX_INODES,
	OPT_MAX_DENTRIES,
	OPT_MAX_EIS,
	OPT_RELEASE_TIMEOUT,
	OPT_EIS,
	OPT_EI_HISTORY,
	OPT_SPEED,
	OPT_MAX,
	OPT_FROM,
	OPT_TO,
	OPT_FIRST_CMD,	/* commands number their own options from here */
};

/* optstrings start with ':' so getopt stays quiet and bad_option() speaks */
#define TRACE_SHORTOPTS "p:c:vh"
#define TRACE_LONGOPTS							\
	{ "pid", required_argument, NULL, 'p' },			\
	{ "comm", required_argument, NULL, 'c' },			\
	{ "fs", required_argument, NULL, OPT_FS },			\
	{ "dev", required_argument, NULL, OPT_DEV },			\
	{ "mount", required_argument, NULL, OPT_MOUNT },		\
	{ "attach", required_argument, NULL, OPT_ATTACH },		\
	{ "include-self", no_argument, NULL, OPT_SELF },		\
	{ "bufsize", required_argument, NULL, OPT_BUFSIZE },		\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "help", no_argument, NULL, 'h' }

#define TRACE_OPTS_HELP							\
	"  -p, --pid PID        only events of this process (repeatable)\n"	\
	"  -c, --comm COMM      only events of tasks with this name (repeatable)\n" \
	"      --fs TYPE        only this filesystem type, e.g. tracefs, pipefs\n" \
	"      --dev MAJ:MIN    only this superblock (device number)\n"	\
	"      --mount PATH     only the filesystem mounted at PATH\n"	\
	"      --attach MODE    auto (fentry, else kprobe), fentry or kprobe\n" \
	"      --include-self   also trace evtrace's own process\n"	\
	"      --bufsize BYTES  ring buffer size, a power of two (default 8M)\n" \
	"  -v, --verbose        libbpf messages (-vv: debug)\n"		\
	"  -h, --help           this help\n"

/* 1 if c was a trace option (applied to o), 0 if not, -1 on a bad value. */
int trace_opt(int c, const char *arg, struct tracer_opts *o);
/* A positive number (at most 1e7); -1 after printing why, "expected ..." */
double parse_positive(const char *opt, const char *arg, const char *expected);
/* Positive seconds; -1 after printing why. */
double parse_seconds(const char *opt, const char *arg);
/* getopt returned '?' or ':': one line saying what was wrong. */
void bad_option(const char *cmd, int c, char **argv);
/* After getopt: complain about leftovers; 0 or -1. */
int no_extra_args(int argc, char **argv, const char *cmd);

#endif
