// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The callbacks behind the shared option rows (cli/groups.h). */
#include "cli/groups.h"
#include "lib/common.h"

/* In enum attach_pref's order. */
const char *const attach_names[] = { "auto", "fentry", "kprobe", NULL };

int opt_json_errors(bool *json, const char *arg)
{
	*json = json_errors = true;
	return 0;
}

int opt_eis(int *eis, const char *arg)
{
	*eis = *eis > 1 ? *eis : 1;
	return 0;
}

int opt_ei_history(int *eis, const char *arg)
{
	*eis = 2;
	return 0;
}

int opt_max_speed(double *speed, const char *arg)
{
	*speed = 0;
	return 0;
}

bool view_begin(const struct opt_cmd *cmd, const struct opt *rows, int argc, char **argv,
		struct view_args *v, struct pipeline *p, int *status)
{
	int n = opt_parse(cmd, rows, argc, argv, v->filters, sizeof(v->filters));

	*status = opt_status(n);
	if (n < 0)
		return false;
	*status = EXIT_ENV;
	if (window_check(&v->po.replay))
		return false;
	v->po.file = opt_operand(v->from_replay ? "replay" : cmd->name, n, argc, argv,
				 v->from_replay);
	if (v->po.file && !*v->po.file)
		return false;
	*status = pipeline_init(p, &v->po);
	if (*status)
		return false;
	*status = v->rec.ro.path ? recording_add(&v->rec, p, v->filters) : 0;
	if (*status)
		pipeline_free(p);
	return !*status;
}

int window_check(const struct replay_opts *ro)
{
	/* either order on the command line: the pair is checked once both are in */
	if (ro->to_s > 0 && ro->from_s >= ro->to_s) {
		p_err("empty window: --from %g is not before --to %g", ro->from_s, ro->to_s);
		return -1;
	}
	return 0;
}
