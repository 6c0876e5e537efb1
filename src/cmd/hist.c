// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace hist: log2 (or linear) histograms of what the model measures,
 * one per group, printed when tracing ends, then the run's summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "out/report.h"
#include "source/replay.h"
#include "pipeline/session.h"

enum { OPT_OF = OPT_FIRST_CMD, OPT_BY, OPT_LINEAR, OPT_SUMMARY_ONLY };

static const struct {
	const char *name;
	enum sample_kind kind;
	const char *unit;
} of_names[] = {
	{ "ino", S_INO, "ino" },
	{ "dentry-life", S_DENTRY_LIFE, "usecs" },
	{ "inode-life", S_INODE_LIFE, "usecs" },
	{ "ei-life", S_EI_LIFE, "usecs" },
	{ "ei-refs", S_EI_REFS, "refs" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace hist [--of WHAT] [--by KEY] [--linear STEP] [--json] [--duration SEC]\n"
		"                    [filters] [FILE]\n"
		"\n"
		"Trace until Ctrl-C or --duration (or read the recording FILE), then print one\n"
		"histogram per group and a summary.\n"
		"\n"
		"      --of WHAT        ino (allocated inode numbers, the default), dentry-life,\n"
		"                       inode-life, ei-life (usecs), ei-refs (an ei's refcount\n"
		"                       after each change)\n"
		"      --by KEY         mount (default), fs, caller (get_next_ino's caller), comm\n"
		"      --linear STEP    linear buckets of STEP instead of log2\n"
		"  -j, --json           one JSON object: {\"of\",\"by\",\"hist\",\"summary\"}\n"
		"  -d, --duration SEC   stop after SEC seconds\n"
		"  -o, --output FILE    also record the run to FILE (as evtrace record)\n"
		REPLAY_OPTS_HELP
		MODEL_OPTS_HELP
		TRACE_OPTS_HELP
		"\n"
		"examples:\n"
		"  sudo evtrace hist --by caller -d 10          who consumes inode numbers\n"
		"  sudo evtrace hist --of dentry-life --by fs    how long dentries live\n");
}

/* Both printers end their JSON with a newline: embed them without it. */
static void embed(FILE *out, char *buf, size_t len)
{
	while (len && buf[len - 1] == '\n')
		len--;
	fwrite(buf, 1, len, out);
}

static int print_json(const struct session *s, const char *of, const char *unit)
{
	char *hbuf = NULL, *sbuf = NULL;
	size_t hlen = 0, slen = 0;
	FILE *h = open_memstream(&hbuf, &hlen);
	FILE *m = open_memstream(&sbuf, &slen);

	if (!h || !m) {
		if (h)
			fclose(h);
		if (m)
			fclose(m);
		free(hbuf);
		free(sbuf);
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	hist_print_json(h, s->hist, unit);
	model_print_summary_json(m, s->model, s->by);
	fclose(h);
	fclose(m);
	printf("{\"of\":\"%s\",\"by\":\"%s\",\"hist\":", of, group_by_name(s->by));
	embed(stdout, hbuf, hlen);
	fputs(",\"summary\":", stdout);
	embed(stdout, sbuf, slen);
	fputs("}\n", stdout);
	free(hbuf);
	free(sbuf);
	return 0;
}

int do_hist(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "of", required_argument, NULL, OPT_OF },
		{ "by", required_argument, NULL, OPT_BY },
		{ "linear", required_argument, NULL, OPT_LINEAR },
		{ "json", no_argument, NULL, 'j' },
		{ "duration", required_argument, NULL, 'd' },
		{ "summary-only", no_argument, NULL, OPT_SUMMARY_ONLY },
		{ "output", required_argument, NULL, 'o' },
		REPLAY_LONGOPTS,
		MODEL_LONGOPTS,
		TRACE_LONGOPTS,
		{}
	};
	struct replay_opts ro = {};
	struct view_opts v = { .so = { .by = BY_MOUNT, .hist = true, .of = S_INO }, .ro = &ro };
	struct session_opts *so = &v.so;
	struct et_stats stats = {};
	struct session s;
	const char *unit = "ino", *of = "ino";
	const char *file;
	bool json = false, summary_only = false;
	char *end;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":jd:o:" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case OPT_OF:
			ret = -1;
			for (size_t i = 0; i < ARRAY_SIZE(of_names); i++) {
				if (!strcmp(optarg, of_names[i].name)) {
					so->of = of_names[i].kind;
					unit = of_names[i].unit;
					of = of_names[i].name;
					ret = 0;
				}
			}
			if (ret) {
				p_err("invalid --of '%s': expected ino, dentry-life, inode-life, ei-life or ei-refs",
				      optarg);
				return EXIT_ENV;
			}
			break;
		case OPT_BY:
			ret = group_by_from_name(optarg);
			if (ret < 0) {
				p_err("invalid --by '%s': expected mount, fs, caller or comm", optarg);
				return EXIT_ENV;
			}
			so->by = ret;
			break;
		case OPT_LINEAR:
			so->linear_step = strtoull(optarg, &end, 10);
			if (*end || end == optarg || !so->linear_step || optarg[0] == '-') {
				p_err("invalid --linear '%s': expected a step > 0", optarg);
				return EXIT_ENV;
			}
			break;
		case 'j':
			json = json_errors = true;
			break;
		case OPT_SUMMARY_ONLY:
			summary_only = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			if (!view_opt(c, optarg, &v, "hist", argv))
				return EXIT_ENV;
		}
	}
	ret = view_begin(argc, argv, "hist", &v, &s, &file);
	if (ret)
		return ret;
	ret = view_run_source(file, &v.to, &ro, v.duration, &s, &v.rec, NULL, &stats);
	/* what was traced before a failure is still worth printing */
	if (ret == EXIT_OK || stats.total) {
		if (summary_only && json) {
			model_print_summary_json(stdout, s.model, so->by);
		} else if (summary_only) {
			session_report(&s, stdout, so->by);
		} else if (json) {
			if (print_json(&s, of, unit) && !ret)
				ret = EXIT_RUNTIME;
		} else {
			hist_print_text(stdout, s.hist, unit);
			fputc('\n', stdout);
			session_report(&s, stdout, so->by);
		}
	}
	session_free(&s);
	return ret;
}
