// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "lib/common.h"

static int parse_bufsize(const char *arg, uint32_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	/* bounded before the shift, which must not wrap */
	if (v <= (1ull << 30) >> shift)
		v <<= shift;
	else
		v = ~0ull;
	/* the kernel wants a power-of-two multiple of the page size */
	if (errno || end == arg || *end || v < 65536 || v > (1ull << 30) || (v & (v - 1))) {
		p_err("invalid --bufsize '%s': a power of two from 64K to 1024M", arg);
		return -1;
	}
	*out = v;
	return 0;
}

int trace_opt(int c, const char *arg, struct tracer_opts *o)
{
	int err;

	switch (c) {
	case 'p':
		err = filters_add_pid(&o->filters, arg);
		break;
	case 'c':
		err = filters_add_comm(&o->filters, arg);
		break;
	case OPT_FS:
		err = filters_add_fs(&o->filters, arg);
		break;
	case OPT_DEV:
		err = filters_add_dev(&o->filters, arg);
		break;
	case OPT_MOUNT:
		err = filters_add_mount(&o->filters, arg);
		break;
	case OPT_ATTACH:
		err = parse_attach(arg, &o->attach);
		break;
	case OPT_SELF:
		o->filters.include_self = true;
		err = 0;
		break;
	case OPT_BUFSIZE:
		err = parse_bufsize(arg, &o->ringbuf_bytes);
		break;
	case 'v':
		verbose++;
		err = 0;
		break;
	default:
		return 0;
	}
	return err ? -1 : 1;
}

double parse_positive(const char *opt, const char *arg, const char *expected)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 || v > 1e7) {
		p_err("invalid %s '%s': expected %s", opt, arg, expected);
		return -1;
	}
	return v;
}

double parse_seconds(const char *opt, const char *arg)
{
	return parse_positive(opt, arg, "seconds > 0");
}

void bad_option(const char *cmd, int c, char **argv)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		p_err("%s: option '%s' needs a value (try 'evtrace %s --help')", cmd, opt, cmd);
	else
		p_err("%s: unknown option '%s' (try 'evtrace %s --help')", cmd, opt, cmd);
}

int no_extra_args(int argc, char **argv, const char *cmd)
{
	if (optind < argc) {
		p_err("%s: unexpected argument '%s' (see evtrace %s --help)", cmd,
		      argv[optind], cmd);
		return -1;
	}
	return 0;
}
