/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Internal declarations shared by the userspace files. */
#ifndef EVTRACE_INTERNAL_H
#define EVTRACE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EVTRACE_VERSION "0.1.0"

/* Exit statuses: the contract in the README. */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_ENV	2	/* usage or environment: not root, no BTF, nothing attaches */

extern int verbose;
extern bool json_errors;

/*
 * s into buf as a string, cut to size (size > 0): snprintf's "%s"
 * without the format's parsing, for the per-event paths.  Returns buf.
 */
static inline char *str_copy(char *buf, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
 * One lowercase line on stderr ("evtrace: ..."), at once.  In --json mode
 * (json_errors) the message is kept instead, and p_err_flush() writes the
 * run's errors as one JSON object, {"error": "...", "status": N}, when the
 * command returns: a script reads one object whatever went wrong, however
 * many things said so (joined by "; "), and the status it exits with.
 */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_err_flush(int status);
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* clock_gettime(id) in ns; mono_ns() is CLOCK_MONOTONIC, bpf_ktime_get_ns()'s clock. */
uint64_t clock_ns(clockid_t id);
uint64_t mono_ns(void);

/*
 * argv joined by spaces into buf, as a shell would take it back: an
 * argument of anything but [A-Za-z0-9_@%+=:,./-] (or an empty one) in
 * single quotes, a quote in it as '\''.  Whole arguments only: where the
 * next does not fit, " ..." ends it.  Returns buf.
 */
char *cmdline_join(char *buf, size_t size, int argc, char *const argv[]);
/* main()'s command line, joined once for what records it (a recording's META). */
void cmdline_set(int argc, char *const argv[]);
const char *cmdline_get(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
