// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The clock printed times are on (lib/tclock.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/common.h"
#include "lib/line.h"
#include "lib/tclock.h"

struct tclock tclock;

static const uint64_t pow10[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

void tclock_start(uint64_t mono, uint64_t realtime)
{
	tclock.start_ns = mono;
	tclock.start_realtime_ns = realtime;
}

void tclock_start_live(uint64_t stream_start_ns)
{
	uint64_t now = mono_ns(), now_rt = clock_ns(CLOCK_REALTIME);

	/* the probes' start was taken before now; without one, now is the start */
	if (!stream_start_ns || stream_start_ns > now)
		stream_start_ns = now;
	tclock_start(stream_start_ns, now_rt - (now - stream_start_ns));
}

bool tclock_is_set(void)
{
	return tclock.start_ns != 0;
}

int64_t tclock_rel_ns(uint64_t ts_ns)
{
	/* saturated: a file's timestamp may be anything, and must not wrap */
	if (ts_ns >= tclock.start_ns)
		return ts_ns - tclock.start_ns > INT64_MAX ? INT64_MAX : (int64_t)(ts_ns - tclock.start_ns);
	return tclock.start_ns - ts_ns > INT64_MAX ? -INT64_MAX : -(int64_t)(tclock.start_ns - ts_ns);
}

double tclock_secs(uint64_t ts_ns)
{
	return tclock_rel_ns(ts_ns) / 1e9;
}

/* ns rounded to digits decimals of a second: the whole seconds, *frac the rest. */
static uint64_t split(uint64_t ns, int digits, uint64_t *frac)
{
	uint64_t unit = pow10[9 - digits], q = ns / unit + (ns % unit >= (unit + 1) / 2);

	*frac = q % pow10[digits];
	return q / pow10[digits];
}

/* ".ddd" with digits places, zero-padded, into p; returns the end. */
static char *put_frac(char *p, uint64_t frac, int digits)
{
	if (!digits)
		return p;
	*p++ = '.';
	for (int i = digits - 1; i >= 0; i--, frac /= 10)
		p[i] = '0' + frac % 10;
	return p + digits;
}

static int clamp(int digits)
{
	return digits < 0 ? 0 : digits > 9 ? 9 : digits;
}

char *tclock_put_rel(char *p, uint64_t ts_ns, int digits)
{
	bool before = ts_ns < tclock.start_ns;
	uint64_t mag = before ? tclock.start_ns - ts_ns : ts_ns - tclock.start_ns, frac, sec;

	digits = clamp(digits);
	sec = split(mag, digits, &frac);
	/* "-0.000000" would say an event came before the start when it did not */
	if (before && (sec || frac))
		*p++ = '-';
	p = fmt_u64(p, sec);
	return put_frac(p, frac, digits);
}

char *tclock_put_secs(char *p, uint64_t ns, int digits)
{
	uint64_t frac, sec;

	digits = clamp(digits);
	sec = split(ns, digits, &frac);
	p = fmt_u64(p, sec);
	return put_frac(p, frac, digits);
}

/* s (n bytes) into buf as a string, cut to size */
static char *put_str(char *buf, size_t size, const char *s, size_t n)
{
	if (!size)
		return buf;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

char *tclock_fmt_rel(char *buf, size_t size, uint64_t ts_ns, int digits)
{
	char tmp[TCLOCK_LEN];

	return put_str(buf, size, tmp, tclock_put_rel(tmp, ts_ns, digits) - tmp);
}

char *tclock_fmt(char *buf, size_t size, uint64_t ts_ns, int digits)
{
	uint64_t wall, frac, sec;
	struct tm tm;
	time_t t;
	char tmp[TCLOCK_LEN];

	if (!tclock.wall || !tclock.start_realtime_ns)
		return tclock_fmt_rel(buf, size, ts_ns, digits);
	digits = clamp(digits);
	wall = tclock.start_realtime_ns + (uint64_t)tclock_rel_ns(ts_ns);
	sec = split(wall, digits, &frac);
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm))
		return tclock_fmt_rel(buf, size, ts_ns, digits);
	snprintf(tmp, sizeof(tmp), "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	return put_str(buf, size, tmp, put_frac(tmp + 8, frac, digits) - tmp);
}
