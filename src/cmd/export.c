// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace export FILE --format perfetto|jsonl|csv -o OUT: a recording,
 * through the model (for eventfs paths and anomalies), into a format other
 * tools open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "lib/outfile.h"
#include "out/export.h"
#include "pipeline/pipeline.h"

/* --format's names, and the formats they stand for */
static const char *const format_names[] = { "perfetto", "jsonl", "csv", NULL };
static const enum export_format formats[] = { EXPORT_PERFETTO, EXPORT_JSONL, EXPORT_CSV };
/* --clock's names, in enum export_clock's order */
static const char *const clock_names[] = { "rel", "mono", NULL };

static const struct opt_cmd cmd = {
	.status = "0 the export was written; 1 a read or write error; 2 usage, or a\n"
		  "FILE that does not open or is not a recording.\n",
	.name = "export",
	.usage = "evtrace export FILE --format perfetto|jsonl|csv -o OUT [--clock rel|mono]\n"
		 "                      [--from SEC] [--to SEC] [filters]",
	.about = "FILE - is standard input, read in order as it comes.\n"
		 "  perfetto  Trace Event Format JSON for ui.perfetto.dev: a refcount counter track\n"
		 "            per eventfs_inode, a slice per dentry lifetime in the process and\n"
		 "            thread (pid, tid) that allocated it, inode numbers per second,\n"
		 "            anomalies as instant events; times from the trace's start, or\n"
		 "            with --clock mono CLOCK_MONOTONIC's, as a perf or ftrace trace of\n"
		 "            the same run has them\n"
		 "  jsonl     the objects of `evtrace events --json`\n"
		 "  csv       one row per event, with a header\n",
	.examples = "  evtrace export trace.evt -f perfetto -o trace.json   # open in ui.perfetto.dev\n"
		    "  evtrace export trace.evt -f perfetto --clock mono -o trace.json\n"
		    "  evtrace export trace.evt -f csv -o - --fs tracefs\n",
};

int do_export(int argc, char **argv)
{
	struct pipeline_opts po = { .session.by = BY_MOUNT };
	const char *out_path = NULL;
	struct exporter *x;
	struct pipeline p;
	int fmt = -1, clock = -1, n, ret, err, tfd = -1;
	char *tmp = NULL;
	const struct opt rows[] = {
		OPT_ENUM('f', "format", &fmt, format_names, "FMT", "perfetto, jsonl or csv"),
		OPT_STRING('o', "output", &out_path, "OUT", "where to write (- for stdout)"),
		OPT_ENUM(0, "clock", &clock, clock_names, "CLOCK",
			 "perfetto's timestamps: rel, since the trace's start (the\n"
			 "default), or mono, CLOCK_MONOTONIC's (a perf or ftrace\n"
			 "trace of the same run lines up)"),
		WINDOW_ROWS(&po.replay),
		FILTER_ROWS(&po.trace.filters),
		SELECT_ROWS(&po.session.model.select),
		OPT_END
	};
	FILE *out;

	n = opt_parse(&cmd, rows, argc, argv, NULL, 0);
	if (n < 0)
		return opt_status(n);
	if (window_check(&po.replay))
		return EXIT_ENV;
	po.file = opt_operand(cmd.name, n, argc, argv, true);
	if (!*po.file)
		return EXIT_ENV;
	if (fmt < 0 || !out_path) {
		p_err("export: --format and -o OUT are required (try 'evtrace export --help')");
		return EXIT_ENV;
	}
	/* jsonl and csv keep the raw ts_ns (and jsonl "t"): --clock would change nothing */
	if (clock >= 0 && formats[fmt] != EXPORT_PERFETTO) {
		p_err("export: --clock sets Perfetto's timestamps: with --format perfetto");
		return EXIT_ENV;
	}
	if (strcmp(out_path, "-") && strcmp(po.file, "-") && out_same_file(out_path, po.file)) {
		p_err("export: -o %s is the trace file itself: write the export elsewhere", out_path);
		return EXIT_ENV;
	}
	/* a temporary file beside it, renamed over it once whole (lib/outfile.h) */
	if (strcmp(out_path, "-")) {
		tfd = out_tmp_open(out_path, &tmp);
		out = tfd >= 0 ? fdopen(tfd, "w") : NULL;
		if (!out) {
			p_err("cannot write %s: %s", out_path, strerror(tfd < 0 ? -tfd : errno));
			if (tfd >= 0) {
				close(tfd);
				unlink(tmp);
			}
			free(tmp);
			return EXIT_ENV;
		}
	} else {
		out = stdout;
	}
	ret = pipeline_init(&p, &po);
	if (ret) {
		if (out != stdout) {
			fclose(out);
			unlink(tmp);
			free(tmp);
		}
		return ret;
	}
	x = exporter_new(formats[fmt], out, p.s.model);
	if (!x) {
		p_err("out of memory");
		ret = EXIT_RUNTIME;
		goto done;
	}
	exporter_set_clock(x, clock == 1 ? EXPORT_CLOCK_MONO : EXPORT_CLOCK_REL);
	/* the model sees each event first: the exporter asks it for ei paths */
	ret = pipeline_add(&p, exporter_sink(x));
	ret = ret ?: pipeline_run(&p);
	err = exporter_finish(x);
	if ((err || ferror(out)) && !ret) {
		p_err("writing %s failed: %s", out_path, strerror(err ? -err : EIO));
		ret = EXIT_RUNTIME;
	}
	exporter_free(x);
done:
	pipeline_free(&p);
	if (out == stdout)
		return ret;
	/* whole, or not there at all: a failed export leaves the old file be */
	if (fflush(out) && !ret) {
		p_err("writing %s failed: %s", out_path, strerror(errno));
		ret = EXIT_RUNTIME;
	}
	if (!ret && (err = out_tmp_commit(dup(fileno(out)), tmp, out_path))) {
		p_err("writing %s failed: %s", out_path, strerror(-err));
		ret = EXIT_RUNTIME;
	}
	fclose(out);
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
