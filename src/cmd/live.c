// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace [live]: the dashboard on live probes; `replay FILE --view live`
 * brings it here with a file.  Same pipeline and model as every view.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "file/tracefile.h"
#include "lib/common.h"
#include "out/report.h"
#include "pipeline/pipeline.h"
#include "ui/dashboard.h"

static const struct opt_cmd cmd = {
	.status = "0 done (q, Ctrl-C, --duration or the end of FILE); 1 a failure\n"
		  "while running; 2 usage or environment (a bad option, a FILE that does not\n"
		  "open, not root, no BTF, nothing attaches).\n",
	.name = "live",
	.usage = "evtrace [live] [--by KEY] [--interval SEC] [--no-tui] [--duration SEC]\n"
		 "                    [filters] [FILE]",
	.about = "A full-screen view of inode-number consumption per mount (or per --by KEY),\n"
		 "eventfs_inode refcounts, dentry lifetimes and anomalies, redrawn every\n"
		 "--interval.  With FILE (or `evtrace replay FILE --view live`), a recording at\n"
		 "--speed N (default 1); FILE - is standard input, the keys then read from the\n"
		 "terminal (/dev/tty).  When stdout is not a terminal, or with --no-tui, one\n"
		 "summary line per interval.  Keys: q quit, p pause, s sort, b group, / filter,\n"
		 "Tab panel, arrows scroll, Enter details, + and - replay speed, ? help.\n",
	.examples = "  sudo evtrace                             inode numbers per mount, live\n"
		    "  sudo evtrace live --by cgroup            per cgroup v2 path or container\n"
		    "  evtrace live trace.evt --by cgroup       a recording, as its host named them\n",
};

/*
 * The kinds of group b may show: every one when the model has the whole
 * stream (a FILE, --stream, -o); counted in the kernel, mount and fs and
 * the keys agg_plan() had the kernel's counts carry (--by's), since the
 * others would be one group of "?".
 */
static unsigned int group_kinds(const struct agg_opts *agg)
{
	unsigned int k = 1u << BY_MOUNT | 1u << BY_FS;

	if (!(agg->types & ET_BIT(ET_INO_ALLOC)) || agg->stream)
		return 0;
	if (agg->comm)
		k |= 1u << BY_COMM;
	if (agg->caller)
		k |= 1u << BY_CALLER;
	if (agg->cgroup)
		k |= 1u << BY_CGROUP;
	return k;
}

int do_live(int argc, char **argv)
{
	struct view_args v = { .po = { .session.by = BY_MOUNT, .replay.speed = 1 },
			       .agg = VIEW_AGG_LIVE };
	struct pipeline_opts *po = &v.po;
	struct dashboard_run view = { .o = { .tui = true, .interval = 1 } };
	const char *by_names[BY_MAX + 1] = { NULL };
	bool no_tui = false;
	char sel[256];
	struct utsname u;
	struct pipeline p;
	const struct opt rows[] = {
		OPT_ENUM(0, "by", &po->session.by, by_names, "KEY",
			 "the inode numbers' groups: mount (default), fs, caller\n"
			 "(get_next_ino's caller), comm, cgroup (the allocating\n"
			 "task's cgroup v2 path, or its container); b cycles them"),
		OPT_SECONDS('i', "interval", &view.o.interval, "redraw period (default 1)"),
		OPT_FLAG(0, "no-tui", &no_tui, "summary lines instead of the screen"),
		VIEW_ROWS(&v, "1"),
		SELECT_ROWS(&po->session.model.select),
		AGG_ROWS(&v),
		OPT_END
	};
	int ret;

	for (int i = 0; i < BY_MAX; i++)
		by_names[i] = group_by_name(i);
	if (!view_begin(&cmd, rows, argc, argv, &v, &p, &ret))
		return ret;
	/* live and not recording: the model's clock follows the wall between events */
	po->wall_clock = !v.rec.ro.path;
	view.o.tui = !no_tui;
	view.o.replay = po->file != NULL;
	/* live -: the recording comes on standard input, the keys from the terminal */
	view.o.keys_from_tty = po->file && !strcmp(po->file, "-");
	view.o.speed = po->file ? &po->replay.speed : NULL;
	view.o.stop = pipeline_stop_flag();
	snprintf(view.o.kernel, sizeof(view.o.kernel), "%s",
		 po->file ? tf_name(po->file) : !uname(&u) ? u.release : "?");
	snprintf(view.o.probes, sizeof(view.o.probes), "%s", po->file ? "replay" : "starting");
	/* the header: the filters, then what --ei and --path select (in evtrace) */
	select_text(&po->session.model.select, sel, sizeof(sel));
	snprintf(view.o.filters, sizeof(view.o.filters), "%.250s%s%.255s", v.filters,
		 v.filters[0] && sel[0] ? " " : "", sel);
	view.o.by = po->session.by;
	view.o.by_kinds = group_kinds(&po->trace.agg);
	ret = pipeline_add(&p, dashboard_sink(&view));
	ret = ret ?: pipeline_run(&p);
	/* the screen is gone (the sinks finished): the summary on a normal terminal */
	if (ret == EXIT_OK || p.stats.total)
		report_run_limit(stdout, p.s.model, po->session.by, po->session.eis,
				 opt_limit_get(&v.limit));
	pipeline_free(&p);
	return ret;
}
