// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Error reporting: bpftool's p_err(), which knows JSON mode; the clock. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/common.h"
#include "lib/json.h"

int verbose;
bool json_errors;

/* --json: the run's errors, until p_err_flush(); bounded, the first ones kept */
static char json_errs[4096];
static size_t json_errs_len;

void p_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (json_errors) {
		size_t room = sizeof(json_errs) - json_errs_len;
		int n = snprintf(json_errs + json_errs_len, room, "%s%s",
				 json_errs_len ? "; " : "", buf);

		json_errs_len += n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
	} else {
		fprintf(stderr, "evtrace: %s\n", buf);
	}
}

void p_err_flush(int status)
{
	if (!json_errs_len)
		return;
	fputs("{\"error\":", stderr);
	json_str(stderr, json_errs);
	fprintf(stderr, ",\"status\":%d}\n", status);
	json_errs_len = 0;
	json_errs[0] = '\0';
}

void p_info(const char *fmt, ...)
{
	va_list ap;

	fputs("evtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* What a shell takes as it is: anything else is quoted. */
static bool shell_plain(const char *a)
{
	if (!*a)
		return false;
	for (; *a; a++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-",
			    *a))
			return false;
	return true;
}

char *cmdline_join(char *buf, size_t size, int argc, char *const argv[])
{
	size_t off = 0;

	if (!size)
		return buf;
	buf[0] = 0;
	for (int i = 0; i < argc; i++) {
		/* the separator, the argument, its quotes, 3 more bytes a quote in it */
		size_t need = (i ? 1 : 0) + strlen(argv[i]) + (shell_plain(argv[i]) ? 0 : 2);

		for (const char *p = argv[i]; *p; p++)
			need += *p == '\'' ? 3 : 0;
		/* room for this one and the NUL, and for " ..." should the next not fit */
		if (off + need + (i + 1 < argc ? 4 : 0) >= size) {
			if (off + 4 < size)	/* reserved by the one before */
				memcpy(buf + off, " ...", 5);
			return buf;
		}
		if (i)
			buf[off++] = ' ';
		if (shell_plain(argv[i])) {
			memcpy(buf + off, argv[i], strlen(argv[i]));
			off += strlen(argv[i]);
		} else {
			buf[off++] = '\'';
			for (const char *p = argv[i]; *p; p++) {
				if (*p == '\'') {
					memcpy(buf + off, "'\\''", 4);
					off += 4;
				} else {
					buf[off++] = *p;
				}
			}
			buf[off++] = '\'';
		}
		buf[off] = 0;
	}
	return buf;
}

static char the_cmdline[4096];	/* file/tracefile.h's TF_CMDLINE_MAX */

void cmdline_set(int argc, char *const argv[])
{
	cmdline_join(the_cmdline, sizeof(the_cmdline), argc, argv);
}

const char *cmdline_get(void)
{
	return the_cmdline;
}
