// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* /proc/self/mountinfo: which superblock is which mount. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evtrace/evtrace.h"
#include "mounts.h"

int mounts_find_fs_dev(const char *fstype, uint32_t *dev)
{
	char line[4096];
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	/* id parent major:minor root mountpoint opts [optional...] - fstype src opts */
	while (fgets(line, sizeof(line), f)) {
		unsigned int major, minor;
		char type[64];
		char *sep;

		if (sscanf(line, "%*u %*u %u:%u", &major, &minor) != 2)
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", type) != 1)
			continue;
		if (!strcmp(type, fstype)) {
			*dev = ET_MKDEV(major, minor);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
