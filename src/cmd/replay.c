// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace replay FILE --view VIEW: a recording through the exact pipeline a
 * live run uses.  Each view is its live command reading FILE, so replay
 * and `evtrace events FILE` / `evtrace hist FILE` are the same code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/common.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace replay FILE [--view events|hist|summary|live] [--speed N | --max]\n"
		"                      [--from SEC] [--to SEC] [filters] [view options]\n"
		"\n"
		"Replay a recording (evtrace record) into a view: events (the stream, as\n"
		"`evtrace events FILE`), hist (`evtrace hist FILE`, the default) or summary\n"
		"(the end-of-run summary alone).  Every option of the view's command applies.\n"
		"\n"
		"examples:\n"
		"  evtrace replay trace.evt --view summary --json\n"
		"  evtrace replay trace.evt --view events --fs tracefs --from 2 --to 5\n"
		"  evtrace replay trace.evt --view hist --of ei-life --by comm\n");
}

int do_replay(int argc, char **argv)
{
	const char *view = "hist";
	char **args;
	int n = 0, ret;

	args = calloc(argc + 2, sizeof(*args));
	if (!args) {
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	/* take --view out; everything else is the view command's */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
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
	if (!strcmp(view, "summary"))
		args[n++] = "--summary-only";
	file_required = true;
	args[n] = NULL;

	if (!strcmp(view, "events")) {
		args[0] = "events";
		ret = do_events(n, args);
	} else if (!strcmp(view, "hist") || !strcmp(view, "summary")) {
		args[0] = "hist";
		ret = do_hist(n, args);
	} else if (!strcmp(view, "live")) {
		args[0] = "live";
		ret = do_live(n, args);
	} else {
		p_err("replay: invalid --view '%s': expected events, hist, summary or live", view);
		ret = EXIT_ENV;
	}
	free(args);
	return ret;
}
