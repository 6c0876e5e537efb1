// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* evtrace: command dispatch in bpftool's manner, a cmds[] table. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/common.h"

static int do_help(int argc, char **argv);

static int do_version(int argc, char **argv)
{
	printf("evtrace %s\n", EVTRACE_VERSION);
	return EXIT_OK;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "events", do_events, "stream decoded events, one per line (--json for JSON Lines)" },
	{ "hist", do_hist, "histograms per mount, fs, caller or comm, and a summary" },
	{ "record", do_record, "record the event stream to a trace file (-o FILE)" },
	{ "replay", do_replay, "replay a trace file into a view: events, hist, summary" },
	{ "export", do_export, "a trace file as perfetto JSON, JSON Lines or CSV" },
	{ "info", do_info, "what a trace file holds: machine, kernel, probes, time, integrity" },
	{ "probes", do_probes, "what can attach on this kernel, and why not" },
	{ "live", do_live, "the live view (the default command)" },
	{ "help", do_help, "this help" },
	{ "version", do_version, "print the version" },
};

static int do_help(int argc, char **argv)
{
	printf("usage: evtrace [COMMAND] [OPTIONS]\n\n"
	       "Watch inode numbers, inode and dentry lifetimes and eventfs_inode\n"
	       "refcounts with CO-RE BPF.\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %-8s %s\n", cmds[i].name, cmds[i].help);
	printf("\n`evtrace COMMAND --help` for options.  Exit status: 0 ok, 1 runtime\n"
	       "failure, 2 usage or environment (not root, no BTF, nothing attaches).\n");
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "live";
	char *live_argv[] = { "live", NULL };

	if (argc > 1 && (!strcmp(name, "-h") || !strcmp(name, "--help")))
		return do_help(argc, argv);
	if (argc > 1 && !strcmp(name, "--version"))
		return do_version(argc, argv);
	/* `evtrace -v ...` and friends: options without a command mean live */
	if (argc > 1 && name[0] == '-') {
		argv[0] = "live";
		return do_live(argc, argv);
	}
	if (argc == 1)
		return do_live(1, live_argv);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return cmds[i].fn(argc > 1 ? argc - 1 : 1, argc > 1 ? argv + 1 : argv);
	p_err("unknown command '%s' (try evtrace help)", name);
	return EXIT_ENV;
}
