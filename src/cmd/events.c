// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evtrace events: one decoded event per line, text or JSON Lines. */
#include <stdio.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "out/lines.h"
#include "out/recording.h"
#include "out/report.h"
#include "pipeline/pipeline.h"

static const struct opt_cmd cmd = {
	.name = "events",
	.usage = "evtrace events [--json] [--duration SEC] [filters] [FILE]",
	.about = "Stream decoded events, one per line, until Ctrl-C or --duration; with FILE,\n"
		 "the events of a recording (evtrace record).\n"
		 "Types: ino_alloc inode_alloc inode_evict dentry_alloc dentry_kill lookup\n"
		 "       ei_create ei_get ei_put ei_remove ei_release lost\n",
	.examples = "  sudo evtrace events --fs tracefs\n"
		    "  sudo evtrace events --json --fs pipefs -d 10 > pipes.jsonl\n"
		    "  evtrace events --json trace.evt\n",
};

int do_events(int argc, char **argv)
{
	struct pipeline_opts po = { .session.by = BY_MOUNT };
	struct recording rec = { 0 };
	bool json = false, from_replay = false;
	struct lines lines;
	struct pipeline p;
	char filters[512], line[512];
	const struct opt rows[] = {
		OPT_FLAG('j', "json", &json, "JSON Lines, one object per event"),
		OPT_SECONDS('d', "duration", &po.duration, "stop after SEC seconds"),
		OPT_STRING('o', "output", &rec.ro.path, "FILE",
			   "also record the run to FILE (as evtrace record)"),
		PACE_ROWS(&po.replay, "--max"),
		WINDOW_ROWS(&po.replay),
		MODEL_ROWS(&po.session),
		FILTER_ROWS(&po.trace.filters),
		TRACE_ROWS(&po.trace),
		FROM_REPLAY_ROW(&from_replay),
		OPT_END
	};
	int n, ret;

	n = opt_parse(&cmd, rows, argc, argv, filters, sizeof(filters));
	if (n < 0)
		return opt_status(n);
	if (window_check(&po.replay))
		return EXIT_ENV;
	po.file = opt_operand(from_replay ? "replay" : cmd.name, n, argc, argv, from_replay);
	if (po.file && !*po.file)
		return EXIT_ENV;
	ret = pipeline_init(&p, &po);
	if (ret)
		return ret;
	ret = rec.ro.path ? recording_add(&rec, &p, filters) : 0;
	/* the model watches the same stream, for the summary at the end */
	ret = ret ?: pipeline_add(&p, lines_sink(&lines, stdout, json));
	if (ret) {
		pipeline_free(&p);
		return ret;
	}
	ret = pipeline_run(&p);
	if (ret == EXIT_OK || p.stats.total) {
		stats_line(&p.stats, line, sizeof(line));
		p_info("%s", line);
		report_run(stderr, p.s.model, po.session.by, po.session.eis);
	}
	pipeline_free(&p);
	return ret;
}
