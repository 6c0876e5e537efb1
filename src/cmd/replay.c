// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace replay FILE --view VIEW: a recording through the exact pipeline a
 * live run uses.  Each view is its command reading FILE: replay builds that
 * command's argv, as perf's builtins reuse each other, so replay and
 * `evtrace events FILE` / `evtrace hist FILE` are the same code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *extra;	/* an option the view adds */
} views[] = {
	{ "events", do_events, NULL },
	{ "hist", do_hist, NULL },
	{ "summary", do_hist, "--summary-only" },
	{ "live", do_live, NULL },
};

static const struct opt_cmd cmd = {
	.status = "those of the view's command (evtrace hist by default): 0 done, 1 a\n"
		  "failure while running, 2 usage or a FILE that does not open.  With --json,\n"
		  "an error is one JSON object on stderr: {\"error\",\"status\"}.\n",
	.name = "replay",
	.usage = "evtrace replay FILE [--view events|hist|summary|live] [--speed N | --max]\n"
		 "                      [--from SEC] [--to SEC] [filters] [view options]",
	.about = "Replay a recording (evtrace record) into a view: events (the stream, as\n"
		 "`evtrace events FILE`), hist (`evtrace hist FILE`, the default), summary\n"
		 "(the end-of-run summary alone) or live (the dashboard).  Every option of the\n"
		 "view's command applies.  FILE - is standard input, read in order as it\n"
		 "comes (evtrace record -o - | evtrace replay - --view summary).\n",
	.examples = "  evtrace replay trace.evt --view summary --json\n"
		    "  evtrace replay trace.evt --view events --fs tracefs --from 2 --to 5\n"
		    "  evtrace replay trace.evt --view hist --of ei-life --by comm\n",
};

static const struct opt rows[] = {
	{ .name = "view", .arg = "VIEW", .type = OPT_T_ENUM,
	  .help = "events, hist (the default), summary or live" },
	OPT_END
};

int do_replay(int argc, char **argv)
{
	const char *view = "hist", *names[ARRAY_SIZE(views) + 1] = { NULL };
	char expected[64];
	char **args;
	int n = 0, v, ret;

	args = calloc(argc + 3, sizeof(*args));
	if (!args) {
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	/* --json: replay's own errors (a bad --view) are JSON too, as the view's */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json_errors = true;
	/* take --view out; everything else is the view command's */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			opt_usage(stdout, &cmd, rows);
			free(args);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--view")) {
			if (i + 1 == argc) {
				p_err("replay: option '--view' needs a value (try 'evtrace replay --help')");
				free(args);
				return EXIT_ENV;
			}
			view = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--view=", 7)) {
			view = argv[i] + 7;
			continue;
		}
		args[n++] = argv[i];
	}
	for (v = 0; v < (int)ARRAY_SIZE(views) && strcmp(views[v].name, view); v++)
		names[v] = views[v].name;
	if (v == ARRAY_SIZE(views)) {
		enum_expected(names, expected, sizeof(expected));
		p_err("replay: invalid --view '%s': expected %s", view, expected);
		free(args);
		return EXIT_ENV;
	}
	args[0] = (char *)views[v].name;
	if (views[v].extra)
		args[n++] = (char *)views[v].extra;
	/* FILE is required, and said so in replay's name */
	args[n++] = "--from-replay";
	args[n] = NULL;
	ret = views[v].run(n, args);
	free(args);
	return ret;
}
