// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Filter options (-p, -c, --fs, --dev, --mount) and --attach.  Each
 * filter is applied in the kernel: the maps are filled before attach.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "evtrace.h"
#include "probes.h"

static int too_many(const char *what)
{
	p_err("too many %s filters (at most %d)", what, MAX_FILTER);
	return -E2BIG;
}

int filters_add_pid(struct filters *f, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || v > 0x3fffffff) {
		p_err("invalid pid '%s'", arg);
		return -EINVAL;
	}
	if (f->npids == MAX_FILTER)
		return too_many("pid");
	f->pids[f->npids++] = v;
	return 0;
}

/* The kernel's comm is 15 chars + NUL: a longer name can never match. */
static int add_name(char (*list)[16], int *n, const char *arg, const char *what)
{
	if (!*arg || strlen(arg) > 15) {
		p_err("invalid %s '%s': 1 to 15 characters", what, arg);
		return -EINVAL;
	}
	if (*n == MAX_FILTER)
		return too_many(what);
	memset(list[*n], 0, 16);
	memcpy(list[*n], arg, strlen(arg));
	(*n)++;
	return 0;
}

int filters_add_comm(struct filters *f, const char *arg)
{
	return add_name(f->comms, &f->ncomms, arg, "comm");
}

int filters_add_fs(struct filters *f, const char *arg)
{
	return add_name(f->fss, &f->nfss, arg, "filesystem type");
}

int filters_add_dev(struct filters *f, const char *arg)
{
	unsigned int major, minor;
	char c;

	if (sscanf(arg, "%u:%u%c", &major, &minor, &c) != 2 || major > 4095 ||
	    minor > 0xfffff) {
		p_err("invalid device '%s': expected MAJOR:MINOR", arg);
		return -EINVAL;
	}
	if (f->ndevs == MAX_FILTER)
		return too_many("device");
	f->devs[f->ndevs++] = ET_MKDEV(major, minor);
	return 0;
}

int filters_add_mount(struct filters *f, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		p_err("cannot use mount '%s': %s", path, strerror(errno));
		return -errno;
	}
	if (f->ndevs == MAX_FILTER)
		return too_many("device");
	/* the superblock of whatever is mounted there */
	f->devs[f->ndevs++] = ET_MKDEV(major(st.st_dev), minor(st.st_dev));
	return 0;
}

int parse_attach(const char *arg, enum attach_pref *out)
{
	if (!strcmp(arg, "auto"))
		*out = ATTACH_AUTO;
	else if (!strcmp(arg, "fentry"))
		*out = ATTACH_FENTRY;
	else if (!strcmp(arg, "kprobe"))
		*out = ATTACH_KPROBE;
	else {
		p_err("invalid --attach '%s': expected auto, fentry or kprobe", arg);
		return -EINVAL;
	}
	return 0;
}
