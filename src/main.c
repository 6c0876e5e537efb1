// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace: command dispatch in bpftool's manner, a cmds[] table.  Global
 * options (-v, -V, -h) may come before the command as well as after it.
 */
#include <stdio.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"

static int do_help(int argc, char **argv);

static int do_version(int argc, char **argv)
{
	opt_version();
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
	{ "replay", do_replay, "replay a trace file into a view: events, hist, summary, live" },
	{ "export", do_export, "a trace file as perfetto JSON, JSON Lines or CSV" },
	{ "info", do_info, "what a trace file holds: machine, kernel, probes, time, integrity" },
	{ "probes", do_probes, "what can attach on this kernel, and why not" },
	{ "live", do_live, "the live view (the default command)" },
	{ "serve", do_serve, "Prometheus metrics over HTTP, or for node_exporter's textfile" },
	{ "help", do_help, "this help" },
	{ "version", do_version, "print the version" },
};

static int do_help(int argc, char **argv)
{
	printf("usage: evtrace [-v] [COMMAND] [OPTIONS]\n\n"
	       "Watch inode numbers, inode and dentry lifetimes and eventfs_inode\n"
	       "refcounts with CO-RE BPF.\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %-8s %s\n", cmds[i].name, cmds[i].help);
	printf("\n`evtrace COMMAND --help` for options.  -v (-vv) more messages, -V the version,\n"
	       "before or after the command.  Exit status: 0 ok, 1 runtime failure, 2 usage or\n"
	       "environment (not root, no BTF, nothing attaches).\n");
	return EXIT_OK;
}

/*
 * What a command wrote to standard output must have arrived: a full disk
 * (> /dev/full) is an error, status 1; a reader that went away (| head)
 * is the usual quiet end.  Checked once, for every command, at the exit.
 */
static int stdout_status(int ret)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
	int err;

	if (fflush(stdout) != EOF && !ferror(stdout))
		return ret;
	err = errno;
	/* the read end of a pipe is gone: POLLERR on the write end */
	if (err == EPIPE || (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)))
		return ret;
	/* on stderr, JSON with --json: standard output is what failed */
	p_err("cannot write standard output: %s", strerror(err ? err : EIO));
	return ret ? ret : EXIT_RUNTIME;
}

static int run(int argc, char **argv)
{
	char *live_argv[] = { "live", NULL };
	int i;

	/* the global options before the command */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return do_help(argc, argv);
		if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			return do_version(argc, argv);
		if (!strcmp(a, "--verbose"))
			verbose++;
		else if (a[1] == 'v' && strspn(a + 1, "v") == strlen(a + 1))
			verbose += strlen(a + 1);
		else
			break;	/* the live view's own options: `evtrace --no-tui` */
	}
	/* no command: the live view, with whatever options follow */
	if (i == argc)
		return do_live(1, live_argv);
	if (argv[i][0] == '-') {
		argv[i - 1] = "live";
		return do_live(argc - i + 1, argv + i - 1);
	}
	for (size_t c = 0; c < ARRAY_SIZE(cmds); c++)
		if (!strcmp(cmds[c].name, argv[i]))
			return cmds[c].fn(argc - i, argv + i);
	p_err("unknown command '%s' (try evtrace help)", argv[i]);
	return EXIT_ENV;
}

int main(int argc, char **argv)
{
	sigset_t usr1;
	int ret;

	/*
	 * SIGUSR1 asks a recorder for its ring; its default action kills.
	 * Blocked until the recorder installs its handler, so one sent
	 * during the seconds probes take to attach waits instead.
	 */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	/* before run(), which may rewrite argv: what a recording's META keeps */
	cmdline_set(argc, argv);
	ret = stdout_status(run(argc, argv));
	/* --json: what went wrong, one object with the status it exits with */
	p_err_flush(ret);
	return ret;
}
