// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The callbacks behind the shared option rows (cli/groups.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/groups.h"
#include "lib/common.h"
#include "lib/tclock.h"

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


/*
 * hist and the live view count in the kernel what they only count: the
 * inode numbers, and the lifetimes they show.  The eventfs_inode events
 * still stream (the model follows every ei), and only the probes their
 * answer needs attach, unless --type says which.  The whole stream, as
 * before, with --stream, and with -o (so that replaying the recording
 * gives the same answers, byte for byte).
 *
 * hist follows an ei's refcount steps (eventfs_root_lookup's get and
 * eventfs_d_release's put, two of every three eventfs calls in a burst)
 * only when its answer shows them: --of ei-refs and the --eis table.
 * Otherwise the kernel's readings at create, remove and release still
 * tell which ei was removed while referenced, and how long it stayed.
 */
static void agg_plan(struct view_args *v)
{
	struct session_opts *so = &v->po.session;
	struct tracer_opts *to = &v->po.trace;
	uint32_t need = ET_BIT(ET_INO_ALLOC) | ET_EVENTFS_TYPES, agg = ET_BIT(ET_INO_ALLOC);

	if (v->agg == VIEW_STREAM || v->po.file || v->stream)
		return;
	/* --ei, --path select decoded events: the kernel's counts have none */
	if (select_on(&so->model.select))
		return;
	if (v->rec.ro.path && !so->agg_check)
		return;
	/* an inode's caller is that of its get_next_ino(): the model pairs them */
	if (v->agg == VIEW_AGG_HIST && so->of == S_INODE_LIFE && so->by == BY_CALLER)
		return;
	if (v->agg == VIEW_AGG_LIVE || v->agg == VIEW_AGG_SERVE || so->of == S_DENTRY_LIFE) {
		need |= ET_DENTRY_LIFE_TYPES;
		agg |= ET_DENTRY_LIFE_TYPES;
	}
	if ((v->agg == VIEW_AGG_HIST && so->of == S_INODE_LIFE) || v->agg == VIEW_AGG_SERVE) {
		need |= ET_INODE_LIFE_TYPES;
		agg |= ET_INODE_LIFE_TYPES;
	}
	/*
	 * -m: the kernel buckets lifetimes by log2 of usecs, and such a bucket
	 * may straddle two msec ones (1024..2047 us is 1 and 2 ms): they stream
	 */
	if (so->msecs)
		agg &= ~(ET_DENTRY_LIFE_TYPES | ET_INODE_LIFE_TYPES);
	if (v->agg == VIEW_AGG_HIST && so->of != S_EI_REFS && !so->eis)
		need &= ~ET_EI_REF_TYPES;
	if (so->agg_check)	/* everything streams too, and the model has it all */
		to->agg.stream = true;
	else if (to->filters.types)
		agg &= to->filters.types;
	else
		to->filters.types = need;
	to->agg.types = agg;
	so->model.no_ei_refs = to->filters.types && !(to->filters.types & ET_EI_REF_TYPES);
	/* the model sees no evict(): it must not keep the inodes other events name */
	so->model.no_inode_frees = agg && !to->agg.stream &&
				   (!(to->filters.types & ET_BIT(ET_INODE_EVICT)) ||
				    (agg & ET_BIT(ET_INODE_EVICT)));
	/* and then what an ei_get says of its dentry's inode goes unread */
	to->agg.no_ei_inodes = so->model.no_inode_frees;
	to->agg.comm = so->by == BY_COMM;
	/*
	 * the cgroup: hist and live --by cgroup, and serve's cgroup label;
	 * one helper call per aggregated allocation, which the live view
	 * grouped by anything else would pay for nothing (its b key then
	 * goes through mount, fs and --by's kind only: cmd/live.c)
	 */
	to->agg.cgroup = so->by == BY_CGROUP || v->agg == VIEW_AGG_SERVE;
	to->agg.caller = (so->by == BY_CALLER && so->of == S_INO) || v->agg == VIEW_AGG_SERVE;
	to->agg.step = v->agg == VIEW_AGG_HIST ? so->linear_step : 0;
}

/* The whole operand reads as a number (strtod's): then it is no FILE. */
static bool is_number(const char *a)
{
	char *end;

	strtod(a, &end);
	return end != a && !*end;
}

/*
 * [FILE] [INTERVAL [COUNT]]: a FILE comes first, and an operand that reads
 * whole as a number is never one (a file named 5 is ./5), so the grammar
 * has one reading.  0 or -1 after saying why.
 */
static int interval_operands(const char *who, int i, int argc, char **argv, struct view_args *v)
{
	struct session_opts *so = &v->po.session;
	double sec;
	char *end;

	if (i < argc && !is_number(argv[i]))
		v->po.file = argv[i++];
	if (v->from_replay && !v->po.file) {
		p_err("%s: FILE is required (try 'evtrace %s --help')", who, who);
		return -1;
	}
	if (i < argc) {
		sec = is_number(argv[i]) ? strtod(argv[i], NULL) : 0;
		/* below a millisecond, or an overflow of the ns count, no interval means anything */
		if (!(sec >= 0.001 && sec <= 1e9)) {
			p_err("%s: INTERVAL '%s' is not a number of seconds from 0.001 up "
			      "(evtrace %s [FILE] [INTERVAL [COUNT]])", who, argv[i], who);
			return -1;
		}
		so->interval_ns = (uint64_t)(sec * 1e9 + 0.5);
		i++;
	}
	if (i < argc) {
		errno = 0;
		so->intervals = strtoull(argv[i], &end, 10);
		if (*argv[i] < '0' || *argv[i] > '9' || *end || errno || !so->intervals) {
			p_err("%s: COUNT '%s' is not a whole number > 0 (evtrace %s [FILE] "
			      "[INTERVAL [COUNT]]: a FILE comes first)", who, argv[i], who);
			return -1;
		}
		i++;
	}
	if (i < argc) {
		p_err("%s: unexpected argument '%s' (see evtrace %s --help)", who, argv[i], who);
		return -1;
	}
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
	/* every time the view prints is on this clock (lib/tclock.h) */
	tclock.wall = v->wall;
	if (v->intervals) {
		if (interval_operands(v->from_replay ? "replay" : cmd->name, n, argc, argv, v))
			return false;
	} else {
		v->po.file = opt_operand(v->from_replay ? "replay" : cmd->name, n, argc, argv,
					 v->from_replay);
	}
	if (v->po.file && !*v->po.file)
		return false;
	if (v->po.session.agg_check && (v->po.file || v->stream)) {
		p_err("--agg-check checks a live run's aggregation: not with a FILE or --stream");
		return false;
	}
	if (v->po.session.agg_check && select_on(&v->po.session.model.select)) {
		p_err("--agg-check checks the kernel's aggregation, which --ei and --path turn off: "
		      "not with them");
		return false;
	}
	if (v->po.session.msecs && v->po.session.agg_check) {
		p_err("--agg-check checks the kernel's usec buckets: not with -m");
		return false;
	}
	if (v->po.session.msecs && v->po.session.of != S_DENTRY_LIFE &&
	    v->po.session.of != S_INODE_LIFE && v->po.session.of != S_EI_LIFE) {
		p_err("-m applies to lifetimes only: add --of dentry-life, inode-life or ei-life");
		return false;
	}
	agg_plan(v);
	/* only the live view and --ei-history show an ei's refcount changes */
	v->po.session.model.no_history = v->agg != VIEW_AGG_LIVE && v->po.session.eis < 2;
	*status = pipeline_init(p, &v->po);
	if (*status)
		return false;
	/* -o -: the trace format on standard output, where the view prints */
	if (v->rec.ro.path && !strcmp(v->rec.ro.path, "-")) {
		if (!strcmp(cmd->name, "serve"))
			p_err("-o - would write the recording where serve prints: give -o FILE");
		else
			p_err("-o - would write the recording where %s prints: give -o FILE, or "
			      "stream it with evtrace record -o - | evtrace %s -", cmd->name,
			      cmd->name);
		pipeline_free(p);
		*status = EXIT_ENV;
		return false;
	}
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
