// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evtrace events: one decoded event per line, text or JSON Lines. */
#include <stdio.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "lib/json.h"
#include "out/lines.h"
#include "out/report.h"
#include "pipeline/pipeline.h"

static const struct opt_cmd cmd = {
	.name = "events",
	.usage = "evtrace events [--json] [--duration SEC] [filters] [FILE]",
	.about = "Stream decoded events, one per line, until Ctrl-C or --duration; with FILE,\n"
		 "the events of a recording (evtrace record).  FILE - is standard input, read\n"
		 "in order as it comes (evtrace record -o - | evtrace events -).\n"
		 "Types: ino_alloc inode_alloc inode_evict dentry_alloc dentry_kill lookup\n"
		 "       ei_create ei_get ei_put ei_remove ei_release lost\n",
	.examples = "  sudo evtrace events --fs tracefs\n"
		    "  sudo evtrace events --json --fs pipefs -d 10 > pipes.jsonl\n"
		    "  evtrace events --json trace.evt\n",
};

int do_events(int argc, char **argv)
{
	struct view_args v = { .po.session.by = BY_MOUNT };
	bool json = false;
	struct lines lines;
	struct pipeline p;
	char line[512];
	const struct opt rows[] = {
		OPT_JSON(&json, "JSON Lines, one object per event; the summary on stderr\n"
			 "as one JSON object, {\"stats\",\"summary\"[,\"eis\"]}"),
		VIEW_ROWS(&v, "--max"),
		SELECT_ROWS(&v.po.session.model.select),
		OPT_END
	};
	int ret;

	if (!view_begin(&cmd, rows, argc, argv, &v, &p, &ret))
		return ret;
	/* the model watches the same stream, for the summary at the end */
	ret = pipeline_add(&p, lines_sink(&lines, stdout, json));
	if (ret) {
		pipeline_free(&p);
		return ret;
	}
	ret = pipeline_run(&p);
	if ((ret == EXIT_OK || p.stats.total) && json) {
		/* a script reads stderr too: one object, the stats line in it */
		stats_line(&p.stats, line, sizeof(line));
		fputs("{\"stats\":", stderr);
		json_str(stderr, line);
		fputc(',', stderr);
		report_run_json(stderr, p.s.model, v.po.session.by, v.po.session.eis,
				opt_limit_get(&v.limit));
		fputs("}\n", stderr);
	} else if (ret == EXIT_OK || p.stats.total) {
		stats_line(&p.stats, line, sizeof(line));
		p_info("%s", line);
		report_run_limit(stderr, p.s.model, v.po.session.by, v.po.session.eis,
				 opt_limit_get(&v.limit));
	}
	pipeline_free(&p);
	return ret;
}
