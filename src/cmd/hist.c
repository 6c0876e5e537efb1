// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace hist: log2 (or linear) histograms of what the model measures,
 * one per group, printed when tracing ends, then the run's summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "out/intervals.h"
#include "out/report.h"
#include "pipeline/pipeline.h"

/* --of, in enum sample_kind's order, and the unit of each */
static const char *const of_names[] = { "ino", "dentry-life", "inode-life", "ei-life", "ei-refs",
					NULL };
static const char *const of_units[] = { "ino", "usecs", "usecs", "usecs", "refs" };

static const struct opt_cmd cmd = {
	.status = "0 done (Ctrl-C, --duration or the end of FILE); 1 a failure\n"
		  "while running, or --agg-check found a difference; 2 usage or environment\n"
		  "(a bad option, a FILE that does not open, not root, no BTF, nothing\n"
		  "attaches).  With --json, an error is one JSON object on stderr:\n"
		  "{\"error\",\"status\"}.\n",
	.name = "hist",
	.usage = "evtrace hist [--of WHAT] [--by KEY] [-m] [--linear STEP] [--json]\n"
		 "                    [--duration SEC] [filters] [FILE] [INTERVAL [COUNT]]",
	.about = "Trace until Ctrl-C or --duration (or read the recording FILE), then print one\n"
		 "histogram per group and a summary.  FILE - is standard input, read in order\n"
		 "as it comes (evtrace record -o - | evtrace hist -).\n"
		 "\n"
		 "With INTERVAL (seconds, 0.001 or more), also print the histogram of each\n"
		 "INTERVAL's values alone as it ends, under \"interval N: FROM -> TO s\" (seconds\n"
		 "since the first interval's start), as bcc's biolatency 1 10; after COUNT\n"
		 "of them the run ends.  The last, partial interval prints at the end, then\n"
		 "the whole run's histogram and summary as without INTERVAL.  A recording's\n"
		 "intervals are in its own time, its events' timestamps: hist FILE 1 of a\n"
		 "5 s recording prints 5 or 6 at once.  Live, an interval ends at the first\n"
		 "poll of the ring buffer (every 100 ms) past its end, with what the kernel\n"
		 "counted read just then.  Operands: a FILE comes first; one that reads as a\n"
		 "number is an INTERVAL, never a FILE (a file named 5 is ./5).\n"
		 "With --json, one object per interval: {\"interval\",\"start\",\"end\",\"of\",\n"
		 "\"by\",\"hist\"}, then the one object as without INTERVAL.\n",
	.examples = "  sudo evtrace hist --by caller -d 10          who consumes inode numbers\n"
		    "  sudo evtrace hist --by fs 1 10               a histogram a second, 10 times\n"
		    "  evtrace hist trace.evt 1                     the recording, second by second\n"
		    "  sudo evtrace hist --of dentry-life --by fs    how long dentries live\n"
		    "  evtrace hist -m --of ei-life trace.evt        eventfs_inode lifetimes in msecs\n",
};

/* Both printers end their JSON with a newline: embed them without it. */
static void embed(FILE *out, char *buf, size_t len)
{
	while (len && buf[len - 1] == '\n')
		len--;
	fwrite(buf, 1, len, out);
}

/*
 * The histogram's JSON, or the summary's (hs NULL) cut at limit, in memory;
 * NULL when out of memory.
 */
static char *json_of(const struct session *s, const struct hist_set *hs, const char *unit,
		     int64_t limit, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	if (hs)
		hist_print_json(f, hs, unit);
	else
		model_print_summary_json_limit(f, s->model, s->by, limit);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int print_json(const struct session *s, const char *of, const char *unit, int eis,
		      int64_t limit)
{
	size_t hlen, slen;
	char *hbuf = json_of(s, s->hist, unit, limit, &hlen);
	char *sbuf = json_of(s, NULL, unit, limit, &slen);

	if (!hbuf || !sbuf) {
		free(hbuf);
		free(sbuf);
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	printf("{\"of\":\"%s\",\"by\":\"%s\",\"hist\":", of, group_by_name(s->by));
	embed(stdout, hbuf, hlen);
	fputs(",\"summary\":", stdout);
	embed(stdout, sbuf, slen);
	/* --eis: the table the text shows, one object per ei */
	if (eis) {
		fputs(",\"eis\":", stdout);
		model_print_eis_json(stdout, s->model, eis > 1);
	}
	fputs("}\n", stdout);
	free(hbuf);
	free(sbuf);
	return 0;
}

/*
 * --agg-check: the histogram the kernel aggregated must be the stream's,
 * byte for byte (the VM tests run it).  Each event's time was taken once
 * for both, so even lifetimes must agree to the usec.
 */
static int agg_check(const struct session *s, const char *unit)
{
	size_t alen, klen;
	char *a = json_of(s, s->hist, unit, 0, &alen);
	char *k = json_of(s, s->check_hist, unit, 0, &klen);
	bool same;

	if (!a || !k) {
		free(a);
		free(k);
		p_err("out of memory");
		return EXIT_RUNTIME;
	}
	same = alen == klen && !memcmp(a, k, alen);
	if (same)
		p_info("agg-check: the kernel's aggregation equals the stream's histogram (%zu groups)",
		       hist_set_groups(s->hist));
	else
		p_err("agg-check: the kernel's aggregation differs from the stream's histogram:\n"
		      "stream: %.*skernel: %.*s", (int)alen, a, (int)klen, k);
	free(a);
	free(k);
	return same ? 0 : EXIT_RUNTIME;
}

int do_hist(int argc, char **argv)
{
	struct view_args v = { .po.session = { .by = BY_MOUNT, .hist = true, .of = S_INO },
			       .agg = VIEW_AGG_HIST, .intervals = true };
	struct session_opts *so = &v.po.session;
	bool json = false, summary_only = false;
	const char *by_names[BY_MAX + 1] = { NULL }, *unit;
	struct pipeline p;
	struct intervals iv;
	int64_t limit;
	const struct opt rows[] = {
		OPT_ENUM(0, "of", &so->of, of_names, "WHAT",
			 "ino (allocated inode numbers, the default), dentry-life,\n"
			 "inode-life, ei-life (usecs), ei-refs (an ei's refcount\n"
			 "after each change: the only one, with --eis, that\n"
			 "traces each ei's lookups and dentry releases)"),
		OPT_ENUM(0, "by", &so->by, by_names, "KEY",
			 "mount (default), fs, caller (get_next_ino's caller), comm,\n"
			 "cgroup (the allocating task's cgroup v2 path, or its container)"),
		OPT_FLAG('m', "msecs", &so->msecs,
			 "lifetimes (--of dentry-life, inode-life, ei-life) in\n"
			 "msecs, bucketed after dividing, as bcc's -m; live, they\n"
			 "stream instead of being counted in the kernel"),
		{ .name = "linear", .arg = "STEP", .type = OPT_T_COUNT, .dst = &so->linear_step,
		  .size = sizeof(so->linear_step), .min = 1, .max = UINT64_MAX,
		  .expected = "a step > 0", .help = "linear buckets of STEP instead of log2" },
		OPT_JSON(&json, "one JSON object: {\"of\",\"by\",\"hist\",\"summary\"},\n"
			 "and \"eis\" with --eis; with INTERVAL, one line per\n"
			 "interval before it"),
		VIEW_ROWS(&v, "--max"),
		SELECT_ROWS(&so->model.select),
		AGG_ROWS(&v),
		/* replay --view summary: the summary alone */
		{ .name = "summary-only", .type = OPT_T_FLAG, .dst = &summary_only },
		OPT_END
	};
	int ret;

	for (int i = 0; i < BY_MAX; i++)
		by_names[i] = group_by_name(i);
	if (!view_begin(&cmd, rows, argc, argv, &v, &p, &ret))
		return ret;
	limit = opt_limit_get(&v.limit);
	unit = so->msecs ? "msecs" : of_units[so->of];
	if (so->interval_ns) {
		ret = pipeline_add(&p, intervals_sink(&iv, stdout, json, of_names[so->of],
						       group_by_name(so->by), unit));
		if (ret) {
			pipeline_free(&p);
			return ret;
		}
	}
	ret = pipeline_run(&p);
	/* what was traced before a failure is still worth printing */
	if (ret == EXIT_OK || p.stats.total) {
		if (summary_only && json && so->eis) {
			/* the summary's own "eis" is a count: both go in one object */
			fputc('{', stdout);
			report_run_json(stdout, p.s.model, so->by, so->eis, limit);
			fputs("}\n", stdout);
		} else if (summary_only && json) {
			model_print_summary_json_limit(stdout, p.s.model, so->by, limit);
		} else if (summary_only) {
			report_run_limit(stdout, p.s.model, so->by, so->eis, limit);
		} else if (json) {
			if (print_json(&p.s, of_names[so->of], unit, so->eis, limit) &&
			    !ret)
				ret = EXIT_RUNTIME;
		} else {
			if (so->interval_ns)
				puts("whole run:");
			hist_print_text(stdout, p.s.hist, unit, group_by_name(so->by));
			fputc('\n', stdout);
			report_run_limit(stdout, p.s.model, so->by, so->eis, limit);
		}
		if (p.s.check && agg_check(&p.s, unit) && !ret)
			ret = EXIT_RUNTIME;
	}
	pipeline_free(&p);
	return ret;
}
