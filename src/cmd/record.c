// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace record: the live stream into a trace file (docs/FORMAT.md),
 * through the same pipeline as every view, so the end-of-run summary is
 * the one a replay of the file prints.
 */
#include <stdio.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "out/recording.h"
#include "out/report.h"
#include "pipeline/pipeline.h"

static const struct opt_cmd cmd = {
	.status = "0 the recording was closed (Ctrl-C, --duration, --max-size); 1 a\n"
		  "write error (the file keeps what was written before it); 2 usage or\n"
		  "environment (a bad option, not root, no BTF, nothing attaches).\n",
	.name = "record",
	.usage = "evtrace record -o FILE [--duration SEC] [--max-size BYTES]\n"
		 "                      [--ring SEC] [--ring-size BYTES] [--dump-on KIND[,KIND]] [filters]",
	.about = "Record the decoded event stream to FILE until Ctrl-C, SIGTERM, --duration or\n"
		 "--max-size.  Chunks reach the disk at least every --flush SEC (default 1), so a\n"
		 "crash loses at most that much.  In ring mode (a flight recorder) only the last\n"
		 "SEC seconds or BYTES bytes are kept, and written on SIGUSR1 and at exit; with\n"
		 "--dump-on, also to a new FILE-TIME-KIND file when such an anomaly fires (at most\n"
		 "once per SEC: one that fires sooner is dumped when the SEC are over).\n"
		 "`evtrace events -o FILE` and `evtrace hist -o FILE` record while they show.\n"
		 "With -o - the trace format goes to standard output as it is recorded, for a\n"
		 "reader at the other end of a pipe (perf record -o -).\n",
	.examples = "  sudo evtrace record -o tracefs.evt --fs tracefs -d 60\n"
		    "  sudo evtrace record -o last.evt --ring 30 &   kill -USR1 $!   # snapshot\n"
		    "  sudo evtrace record -o fr.evt --ring 60 --dump-on ei_not_released,ino-rate>5000\n"
		    "  evtrace replay tracefs.evt --view hist\n"
		    "  sudo evtrace record -o - --fs tracefs | evtrace hist --by comm -\n",
};

int do_record(int argc, char **argv)
{
	struct pipeline_opts po = { .session.by = BY_MOUNT };
	struct recording rec = { 0 };
	struct recorder_opts *ro = &rec.ro;
	struct pipeline p;
	char filters[512], line[512];
	const struct opt rows[] = {
		OPT_STRING('o', "output", &ro->path, "FILE",
			   "the trace file (docs/FORMAT.md); - for standard output,\n"
			   "a pipe into any reader (evtrace hist -), never a terminal;\n"
			   "sections in order, no ring mode"),
		OPT_SECONDS('d', "duration", &po.duration, "stop after SEC seconds"),
		OPT_SIZE(0, "max-size", &ro->max_size, 1, 1ull << 50,
			 "stop before the file would grow past BYTES (K, M, G)"),
		RING_ROWS(&rec),
		OPT_NS(0, "flush", &ro->flush_ns,
		       "seal and sync the open chunk this often (default 1)"),
		MODEL_ROWS(&po.session),
		FILTER_ROWS(&po.trace.filters),
		TRACE_ROWS(&po.trace),
		OPT_END
	};
	int n, ret;

	n = opt_parse(&cmd, rows, argc, argv, filters, sizeof(filters));
	if (n < 0)
		return opt_status(n);
	if (opt_no_operands(cmd.name, n, argc, argv))
		return EXIT_ENV;
	if (!ro->path) {
		p_err("record: -o FILE is required (try 'evtrace record --help')");
		return EXIT_ENV;
	}
	if (ro->max_size && (ro->ring_ns || ro->ring_bytes)) {
		p_err("record: --max-size and ring mode do not mix: the ring is its own bound");
		return EXIT_ENV;
	}
	ret = pipeline_init(&p, &po);
	if (ret)
		return ret;
	ret = recording_add(&rec, &p, filters);
	ret = ret ?: pipeline_run(&p);
	/* nothing to say of a file that was never started */
	if (rec.started) {
		stats_line(&p.stats, line, sizeof(line));
		p_info("%s", line);
		report_run(stderr, p.s.model, BY_MOUNT, po.session.eis);
	}
	pipeline_free(&p);
	return ret;
}
