// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace probes: load and attach for real, report per probe how it
 * attached (fentry, kprobe) or why it is missing, then detach.
 */
#include <stdio.h>
#include <string.h>

#include "cli/groups.h"
#include "cmd/cmd.h"
#include "lib/common.h"
#include "lib/json.h"

static const struct opt_cmd cmd = {
	.status = "0 the table was printed and some probe attaches; 2 usage or\n"
		  "environment (not root, no BTF, nothing attaches: the table says why).\n"
		  "With --json, an error is one JSON object on stderr: {\"error\",\"status\"}.\n",
	.name = "probes",
	.usage = "evtrace probes [--json] [--attach auto|fentry|kprobe]",
	.about = "Attach every probe, say how each attached or why it is missing, detach.\n"
		 "Exits 2 if none can attach.\n",
	.examples = "  sudo evtrace probes\n"
		    "  sudo evtrace probes --attach kprobe --json\n",
};

static void print_table(const struct tracer *t, bool json)
{
	for (int i = 0; i < NR_PROBES; i++) {
		const struct probe_status *ps = &t->probes[i];

		if (json) {
			fprintf(stdout, "%s{\"probe\":", i ? "," : "[");
			json_str(stdout, ps->name);
			/* the kernel function attached: a newer kernel's name, maybe */
			fputs(",\"function\":", stdout);
			json_str(stdout, ps->target ? ps->target : "");
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
	struct tracer_opts to = {};
	struct tracer t;
	bool json = false;
	char line[160];
	const struct opt rows[] = {
		OPT_JSON(&json, "one JSON array"),
		ATTACH_ROWS(&to),
		OPT_END
	};
	int n, ret;

	n = opt_parse(&cmd, rows, argc, argv, NULL, 0);
	if (n < 0)
		return opt_status(n);
	if (opt_no_operands(cmd.name, n, argc, argv))
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
