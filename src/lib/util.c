// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Error reporting: bpftool's p_err(), which knows JSON mode; the clock. */
#include <stdarg.h>
#include <stdio.h>
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
