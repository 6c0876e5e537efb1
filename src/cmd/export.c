// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace export FILE --format perfetto|jsonl|csv -o OUT: a recording,
 * through the model (for eventfs paths and anomalies), into a format other
 * tools open.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "out/export.h"
#include "source/replay.h"
#include "pipeline/session.h"

enum { OPT_FORMAT = OPT_FIRST_CMD };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace export FILE --format perfetto|jsonl|csv -o OUT [--from SEC] [--to SEC]\n"
		"                      [filters]\n"
		"\n"
		"  perfetto  Trace Event Format JSON for ui.perfetto.dev: a refcount counter track\n"
		"            per eventfs_inode, a slice per dentry lifetime grouped by filesystem,\n"
		"            inode numbers per second, anomalies as instant events\n"
		"  jsonl     the objects of `evtrace events --json`\n"
		"  csv       one row per event, with a header\n"
		"\n"
		"  -f, --format FMT     perfetto, jsonl or csv\n"
		"  -o, --output OUT     where to write (- for stdout)\n"
		REPLAY_OPTS_HELP
		TRACE_OPTS_HELP);
}

static int export_sink(void *ctx, const struct et_rec *r)
{
	return exporter_event(ctx, r) ? 1 : 0;
}

static void export_anomaly(void *ctx, const struct anomaly *a)
{
	exporter_anomaly(ctx, a);
}

int do_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		REPLAY_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct session_opts so = { .by = BY_MOUNT };
	struct replay_opts ro = {};
	struct tracer_opts to = {};
	struct et_stats stats = {};
	enum export_format fmt = EXPORT_JSONL;
	bool have_fmt = false;
	const char *file, *out_path = NULL;
	struct exporter *x;
	struct session s;
	FILE *out;
	int c, ret, err;

	file_required = true;
	while ((c = getopt_long(argc, argv, ":f:o:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (export_format_from_name(optarg, &fmt)) {
				p_err("invalid --format '%s': expected perfetto, jsonl or csv", optarg);
				return EXIT_ENV;
			}
			have_fmt = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			ret = replay_opt(c, optarg, &ro);
			if (ret == 0)
				ret = trace_opt(c, optarg, &to);
			if (ret == 1)
				break;
			if (ret == 0)
				bad_option("export", c, argv);
			return EXIT_ENV;
		}
	}
	file = file_arg(argc, argv, "export");
	if (!file || !*file)
		return EXIT_ENV;
	if (!have_fmt || !out_path) {
		p_err("export: --format and -o OUT are required (try 'evtrace export --help')");
		return EXIT_ENV;
	}
	out = strcmp(out_path, "-") ? fopen(out_path, "we") : stdout;
	if (!out) {
		p_err("cannot write %s: %s", out_path, strerror(errno));
		return EXIT_ENV;
	}
	if (session_init(&s, &so)) {
		if (out != stdout)
			fclose(out);
		return EXIT_RUNTIME;
	}
	x = exporter_new(fmt, out, s.model);
	if (!x) {
		p_err("out of memory");
		ret = EXIT_RUNTIME;
		goto done;
	}
	/* the model sees each event first: the exporter asks it for ei paths */
	s.out = export_sink;
	s.out_ctx = x;
	s.anomaly = export_anomaly;
	s.anomaly_ctx = x;
	{
		struct run_hooks h = { .sink = session_sink, .ctx = &s };

		ret = run_source(file, &to, &ro, 0, &h, &s, &stats);
	}
	err = exporter_finish(x);
	if ((err || ferror(out)) && !ret) {
		p_err("writing %s failed: %s", out_path, strerror(err ? -err : EIO));
		ret = EXIT_RUNTIME;
	}
	exporter_free(x);
done:
	session_free(&s);
	if (out != stdout && fclose(out) && !ret) {
		p_err("writing %s failed: %s", out_path, strerror(errno));
		ret = EXIT_RUNTIME;
	}
	return ret;
}
