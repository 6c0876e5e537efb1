/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cgroup v2 id -> path and container.  The id the BPF side reads
 * (bpf_get_current_cgroup_id()) is the inode number of the cgroup's
 * directory under the cgroup2 mount, so a walk of that tree names them.
 * The walk is bounded (CG_WALK_DIRS directories, CG_WALK_DEPTH deep, no
 * symlink followed) and runs again at most once per min_interval_ns, on a
 * miss.  CG_ROOT is walked only when cgroup2 is mounted there.  A table read from a recording has no root and never walks: its
 * ids are the traced host's, not this one's.
 *
 * Thread-safe: a recording's writer reads the table the pipeline's thread
 * adds to.
 */
#ifndef EVTRACE_CGROUPS_H
#define EVTRACE_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_WALK_DIRS	4096	/* directories one walk visits at most */
#define CG_WALK_DEPTH	16	/* and how deep: systemd and kubepods nest about 6 */
#define CG_MAX		8192	/* ids kept, walked or read from a file */
#define CG_PATH_LEN	256	/* longer paths are not kept: a kubepods container's is ~200 */
#define CG_NAME_LEN	64	/* a group's name: "docker:abcdef123456", or the path cut */

struct cgroups;

/*
 * A resolver walking root (CG_ROOT live; NULL: none, only what
 * cgroups_add() puts in), at most once per min_interval_ns on a miss.
 * NULL on ENOMEM.
 */
struct cgroups *cgroups_new(const char *root, uint64_t min_interval_ns);
void cgroups_free(struct cgroups *cg);
/* Walk now (what a miss does when the interval has passed); ids found, or -errno. */
int cgroups_walk(struct cgroups *cg);
/* An id's path, from a recording.  0, -E2BIG (full or too long) or -ENOMEM. */
int cgroups_add(struct cgroups *cg, uint64_t id, const char *path);
/* Copies id's path into buf ("/" for the root); false if unknown (after a walk, if one is due). */
bool cgroups_path(struct cgroups *cg, uint64_t id, char *buf, size_t size);
/*
 * What groups show for id, into buf (CG_NAME_LEN): its container
 * ("docker:abcdef123456") when the path has one, else the path (its tail
 * when longer), else "cgroup:ID" when unknown; "?" for 0 (no id: a file
 * of format 1.0).
 */
const char *cgroups_name(struct cgroups *cg, uint64_t id, char *buf, size_t size);
/*
 * Every id and path, in id order, to fn (which must not call back in);
 * stops at fn's first non-zero return, which it returns.
 */
int cgroups_each(struct cgroups *cg, int (*fn)(void *ctx, uint64_t id, const char *path),
		 void *ctx);
size_t cgroups_count(struct cgroups *cg);
/*
 * The same, only the cgroups cgroups_name() shows as name: a container's
 * (one container can have several, e.g. libpod-<id>.scope/container),
 * or a path's.  Never walks.
 */
int cgroups_each_named(struct cgroups *cg, const char *name,
		       int (*fn)(void *ctx, uint64_t id, const char *path), void *ctx);

/*
 * The container a cgroup path names, as "runtime:id12" (the id's first 12
 * hex digits): the deepest component of the shapes docker-<id>.scope,
 * cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope (systemd
 * driver), /docker/<id> and /kubepods/.../<id> (cgroupfs driver), with
 * <id> 64 hex digits.  False if none.
 */
bool cgroup_container(const char *path, char *buf, size_t size);

#endif
