/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a view shows of the stream: --ei ID and --path GLOB.  Unlike the
 * filters (-p, --fs, ...), which the kernel applies before an event is
 * sent, these are decided in evtrace on decoded events, after the model
 * has seen every one of them: an eventfs_inode's path is known only from
 * its parents' events, and its refcount and anomalies only from all of its
 * own.  So the model follows the whole stream, and the selection says
 * which of its events, samples, eis and anomalies a view shows.
 *
 *   --ei ID      an eventfs_inode: its id as the outputs print it (ei=... in
 *                events, "(ei ...)" in the summary, "ei" in JSON), 1 to 16
 *                hex digits, or its path exactly as printed
 *                (events/sched/sched_switch, instances/#2/events/sched).
 *                Its ei_* events, and the anomalies about it.
 *   --path GLOB  fnmatch(3) without flags, so * and ? match / too, as in
 *                find -path: an ei_* event's eventfs path
 *                (events/sched/sched_switch, instances/#2/events/...), or
 *                the name a dentry_alloc, dentry_kill or lookup event
 *                carries (one component: sched_switch, enable).
 *
 * Each option is repeatable: an event passes one of its kind's values, and
 * every kind given (--ei and --path both: an ei of those ids whose path
 * matches).  lost records always pass: they say what a view may miss.
 */
#ifndef EVTRACE_MODEL_SELECT_H
#define EVTRACE_MODEL_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SELECT_MAX	16	/* values of each option */

struct ei_select {
	uint64_t ids[SELECT_MAX];	/* --ei ID */
	int n_ids;
	const char *ei_paths[SELECT_MAX];	/* --ei PATH: an ei's path, exactly */
	int n_ei_paths;
	const char *globs[SELECT_MAX];	/* --path GLOB */
	int n_globs;
};

/* The option rows' parsers: 0, or -EINVAL / -E2BIG after saying why. */
int select_add_ei(struct ei_select *s, const char *arg);
int select_add_path(struct ei_select *s, const char *arg);

static inline bool select_on(const struct ei_select *s)
{
	return s->n_ids || s->n_ei_paths || s->n_globs;
}

/* An ei of this id and path passes --ei and --path (path NULL: not known). */
bool select_ei(const struct ei_select *s, uint64_t id, const char *path);
/* A dentry or lookup event's name passes: no --ei, and a --path glob matches it. */
bool select_name(const struct ei_select *s, const char *name);
/* "--ei 71502efbf9b6c836 --path 'events/sched/sched_*'", as given, into buf. */
void select_text(const struct ei_select *s, char *buf, size_t size);

#endif
