/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Superblock (kernel dev_t) -> mount point, from /proc/self/mountinfo. */
#ifndef EVTRACE_MOUNTS_H
#define EVTRACE_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

#define MOUNT_PATH_LEN	256
#define MOUNTS_MAX	8192	/* entries kept; a bigger table is cut, not grown */

struct mount_ent {
	uint32_t dev;		/* kernel encoding, as in events */
	char fstype[16];
	char path[MOUNT_PATH_LEN];
};

struct mount_table {
	struct mount_ent *v;
	size_t n;
};

/* Parse a mountinfo file; the first mount of each superblock wins.  0 or -errno. */
int mount_table_load(struct mount_table *mt, const char *path);
/* dst (uninitialised) = a copy of src.  0 or -ENOMEM. */
int mount_table_copy(struct mount_table *dst, const struct mount_table *src);
void mount_table_free(struct mount_table *mt);
const struct mount_ent *mount_table_find(const struct mount_table *mt, uint32_t dev);
/* Undo mountinfo's \ooo escapes in place (the trace file uses them too). */
void mount_unescape(char *s);
/* Kernel dev_t of the first mount of fstype; 0 or -errno. */
int mounts_find_fs_dev(const char *fstype, uint32_t *dev);

#endif
