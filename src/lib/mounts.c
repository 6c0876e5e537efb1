// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* /proc/self/mountinfo: which superblock is which mount. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtrace/evtrace.h"
#include "lib/mounts.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo */
void mount_unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = 0;
}

/* One line: id parent major:minor root mountpoint opts [optional...] - fstype src opts */
static int parse_line(const char *line, struct mount_ent *m)
{
	unsigned int major, minor;
	char mnt[MOUNT_PATH_LEN * 4];
	const char *sep;

	/* whole entries are compared with memcmp: no stray bytes after the NULs */
	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &major, &minor, mnt) != 3)
		return -EINVAL;
	sep = strstr(line, " - ");
	if (!sep || sscanf(sep + 3, "%15s", m->fstype) != 1)
		return -EINVAL;
	mount_unescape(mnt);
	if (snprintf(m->path, sizeof(m->path), "%s", mnt) >= (int)sizeof(m->path))
		m->path[sizeof(m->path) - 2] = '~';	/* cut: still the best name we have */
	m->dev = ET_MKDEV(major, minor);
	return 0;
}

int mount_table_load(struct mount_table *mt, const char *path)
{
	char line[4096];
	size_t cap = 0;
	FILE *f;

	mt->v = NULL;
	mt->n = 0;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && mt->n < MOUNTS_MAX) {
		struct mount_ent m;
		int c;

		/*
		 * A line longer than the buffer (a mount point of kilobytes,
		 * which no table entry could hold): skipped whole, not read on
		 * as lines of its own, whose tail could pass for a mount.
		 */
		if (!strchr(line, '\n') && !feof(f)) {
			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (parse_line(line, &m) || mount_table_find(mt, m.dev))
			continue;
		if (mt->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			void *p = realloc(mt->v, ncap * sizeof(*mt->v));

			if (!p) {
				fclose(f);
				mount_table_free(mt);
				return -ENOMEM;
			}
			mt->v = p;
			cap = ncap;
		}
		mt->v[mt->n++] = m;
	}
	fclose(f);
	return 0;
}

int mount_table_copy(struct mount_table *dst, const struct mount_table *src)
{
	dst->v = NULL;
	dst->n = 0;
	if (!src->n)
		return 0;
	dst->v = malloc(src->n * sizeof(*src->v));
	if (!dst->v)
		return -ENOMEM;
	memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
	return 0;
}

void mount_table_free(struct mount_table *mt)
{
	free(mt->v);
	mt->v = NULL;
	mt->n = 0;
}

const struct mount_ent *mount_table_find(const struct mount_table *mt, uint32_t dev)
{
	for (size_t i = 0; i < mt->n; i++)
		if (mt->v[i].dev == dev)
			return &mt->v[i];
	return NULL;
}

int mounts_find_fs_dev(const char *fstype, uint32_t *dev)
{
	struct mount_table mt;
	int err = mount_table_load(&mt, "/proc/self/mountinfo");

	if (err)
		return err;
	err = -ENOENT;
	for (size_t i = 0; i < mt.n; i++) {
		if (!strcmp(mt.v[i].fstype, fstype)) {
			*dev = mt.v[i].dev;
			err = 0;
			break;
		}
	}
	mount_table_free(&mt);
	return err;
}
