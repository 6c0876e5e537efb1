// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace probes: load and attach for real, report per probe how it
 * attached (fentry, kprobe) or why it is missing, then detach.
 */
#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "lib/json.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: evtrace probes [--json] [--attach auto|fentry|kprobe]\n"
		"\n"
		"Attach every probe, say how each attached or why it is missing, detach.\n"
		"Exits 2 if none can attach.\n"
		"\n"
		"  -j, --json           one JSON array\n"
		TRACE_OPTS_HELP);
}

static void print_table(const struct tracer *t, bool json)
{
	for (int i = 0; i < NR_PROBES; i++) {
		const struct probe_status *ps = &t->probes[i];

		if (json) {
			fprintf(stdout, "%s{\"probe\":", i ? "," : "[");
			json_str(stdout, ps->name);
			fprintf(stdout, ",\"status\":\"%s\",\"reason\":", probe_mode_name(ps->mode));
			json_str(stdout, ps->reason);
			fputs("}", stdout);
		} else {
			if (!i)
				printf("%-28s %-8s %s\n", "PROBE", "STATUS", "REASON");
			printf("%-28s %-8s %s\n", ps->name, probe_mode_name(ps->mode),
			       ps->reason);
		}
	}
	if (json)
		fputs("]\n", stdout);
}

int do_probes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		TRACE_LONGOPTS,
		{}
	};
	struct tracer_opts to = {};
	struct tracer t;
	bool json = false;
	char line[160];
	int c, ret;

	while ((c = getopt_long(argc, argv, ":j" TRACE_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = json_errors = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			ret = trace_opt(c, optarg, &to);
			if (ret == 1)
				break;
			if (ret == 0)
				bad_option("probes", c, argv);
			return EXIT_ENV;
		}
	}
	if (no_extra_args(argc, argv, "probes"))
		return EXIT_ENV;
	if (filters_resolve_mounts(&to.filters, NULL))
		return EXIT_ENV;
	ret = check_environment();
	if (ret)
		return ret;
	ret = tracer_start(&t, &to);
	/* the table says why, also (especially) when nothing attached */
	if (t.probes[0].name)
		print_table(&t, json);
	if (!ret) {
		tracer_summary(&t, line, sizeof(line));
		p_info("%s", line);
		tracer_stop(&t);
	}
	return ret;
}
