// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --ei and --path (select.h): parsing them, and matching an ei or a name. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "model/select.h"

#define GLOB_MAX	255	/* an eventfs path is at most 255 bytes (eventfs.c) */

static int too_many(const char *opt)
{
	p_err("too many %s values (at most %d)", opt, SELECT_MAX);
	return -E2BIG;
}

/* 1 to 16 hex digits, after an optional "ei=" (events' text) or "0x". */
static bool parse_id(const char *arg, uint64_t *id)
{
	size_t n;

	if (!strncmp(arg, "ei=", 3))
		arg += 3;
	else if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))
		arg += 2;
	n = strspn(arg, "0123456789abcdefABCDEF");
	if (!n || n > 16 || arg[n])
		return false;
	*id = strtoull(arg, NULL, 16);
	return *id != 0;
}

/* A path as the outputs print one: under the top-level events/ or an instance's. */
static bool ei_path_like(const char *arg)
{
	return !strcmp(arg, "events") || !strncmp(arg, "events/", 7) ||
	       !strncmp(arg, "instances/", 10);
}

int select_add_ei(struct ei_select *s, const char *arg)
{
	uint64_t id;

	if (parse_id(arg, &id)) {
		if (s->n_ids == SELECT_MAX)
			return too_many("--ei");
		s->ids[s->n_ids++] = id;
		return 0;
	}
	if (ei_path_like(arg) && strlen(arg) <= GLOB_MAX) {
		if (s->n_ei_paths == SELECT_MAX)
			return too_many("--ei");
		s->ei_paths[s->n_ei_paths++] = arg;
		return 0;
	}
	p_err("invalid --ei '%s': expected an eventfs_inode's id as events print it "
	      "(ei=71502efbf9b6c836) or its path as hist --eis prints it "
	      "(events/sched/sched_switch)", arg);
	return -EINVAL;
}

int select_add_path(struct ei_select *s, const char *arg)
{
	if (!*arg || strlen(arg) > GLOB_MAX) {
		p_err("invalid --path '%s': expected a glob of 1 to %d bytes, such as "
		      "'events/sched/*'", arg, GLOB_MAX);
		return -EINVAL;
	}
	/* the paths are tracefs's own, as every output prints them: no mount point */
	if (arg[0] == '/') {
		p_err("invalid --path '%s': paths are relative to the tracefs mount, as "
		      "evtrace prints them: 'events/sched/*', not '/sys/kernel/tracing/events/"
		      "sched/*'", arg);
		return -EINVAL;
	}
	if (s->n_globs == SELECT_MAX)
		return too_many("--path");
	s->globs[s->n_globs++] = arg;
	return 0;
}

static bool glob_match(const struct ei_select *s, const char *str)
{
	if (!s->n_globs)
		return true;
	for (int i = 0; i < s->n_globs; i++)
		if (!fnmatch(s->globs[i], str, 0))
			return true;
	return false;
}

bool select_ei(const struct ei_select *s, uint64_t id, const char *path)
{
	bool ok = !s->n_ids && !s->n_ei_paths;

	for (int i = 0; i < s->n_ids && !ok; i++)
		ok = s->ids[i] == id;
	for (int i = 0; i < s->n_ei_paths && !ok && path; i++)
		ok = !strcmp(s->ei_paths[i], path);
	return ok && (!s->n_globs || (path && glob_match(s, path)));
}

bool select_name(const struct ei_select *s, const char *name)
{
	return !s->n_ids && !s->n_ei_paths && name[0] && glob_match(s, name);
}

void select_text(const struct ei_select *s, char *buf, size_t size)
{
	char ids[SELECT_MAX][17];
	char *argv[4 * SELECT_MAX];
	int n = 0;

	for (int i = 0; i < s->n_ids; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%016" PRIx64, s->ids[i]);
		argv[n++] = "--ei";
		argv[n++] = ids[i];
	}
	for (int i = 0; i < s->n_ei_paths; i++) {
		argv[n++] = "--ei";
		argv[n++] = (char *)s->ei_paths[i];
	}
	for (int i = 0; i < s->n_globs; i++) {
		argv[n++] = "--path";
		argv[n++] = (char *)s->globs[i];
	}
	cmdline_join(buf, size, n, argv);
}
