// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The filters (-p, -c, --fs, --dev, --mount).  Each is applied in the
 * kernel, the maps filled before attach, and the same in userspace to a
 * replayed stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "lib/common.h"
#include "event/decode.h"
#include "lib/mounts.h"
#include "source/probes.h"

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
	if (f->nmounts == MAX_FILTER)
		return too_many("mount");
	f->mounts[f->nmounts++] = path;
	return 0;
}

int filters_resolve_mounts(struct filters *f, const struct mount_table *mt)
{
	for (int i = 0; i < f->nmounts; i++) {
		const char *path = f->mounts[i];
		uint32_t dev = 0;
		bool found = false;
		struct stat st;

		if (mt) {
			for (size_t k = 0; k < mt->n && !found; k++)
				if (!strcmp(mt->v[k].path, path)) {
					dev = mt->v[k].dev;
					found = true;
				}
			if (!found) {
				p_err("cannot use mount '%s': not a mount point in the recording", path);
				return -ENOENT;
			}
		} else {
			if (stat(path, &st)) {
				int err = errno;

				p_err("cannot use mount '%s': %s", path, strerror(err));
				return -err;
			}
			/* the superblock of whatever is mounted there */
			dev = ET_MKDEV(major(st.st_dev), minor(st.st_dev));
		}
		if (f->ndevs == MAX_FILTER)
			return too_many("device");
		f->devs[f->ndevs++] = dev;
	}
	f->nmounts = 0;
	return 0;
}

/*
 * The kernel's filters, applied in userspace to a replayed stream: a
 * recording filtered on replay gives what a live run with those filters
 * would have shown.
 */

int filters_add_cgroup(struct filters *f, const char *path)
{
	struct statfs sfs;
	struct stat st;

	if (statfs(path, &sfs) || stat(path, &st)) {
		p_err("cannot use cgroup '%s': %s", path, strerror(errno));
		return -errno;
	}
	if (sfs.f_type != CGROUP2_SUPER_MAGIC || !S_ISDIR(st.st_mode)) {
		p_err("cannot use cgroup '%s': not a cgroup v2 directory (mount -t cgroup2)", path);
		return -EINVAL;
	}
	if (f->ncgroups == MAX_FILTER)
		return too_many("cgroup");
	/* a cgroup v2 id is its kernfs node's, which is the directory's inode number */
	f->cgroups[f->ncgroups++] = st.st_ino;
	return 0;
}

int filters_add_types(struct filters *f, const char *arg)
{
	char buf[256], *save = NULL;
	int t;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		t = et_type_from_name(tok);
		if (t < 0 || t == ET_LOST) {
			p_err("invalid --type '%s': expected event types such as ino_alloc,ei_get "
			      "(evtrace events --help lists them)", tok);
			return -EINVAL;
		}
		f->types |= 1u << t;
	}
	if (!f->types) {
		p_err("invalid --type '%s': expected event types such as ino_alloc,ei_get", arg);
		return -EINVAL;
	}
	return 0;
}

int filters_add_eventfs(struct filters *f, const char *arg)
{
	f->types |= ET_EVENTFS_TYPES;
	return 0;
}

int filters_add_vfs(struct filters *f, const char *arg)
{
	f->types |= ET_VFS_TYPES;
	return 0;
}

bool filters_match(const struct filters *f, const struct et_rec *r)
{
	bool ok;

	if (r->type == ET_LOST)
		return true;	/* loss is part of every view */
	if (f->types && !(f->types & (1u << r->type)))
		return false;
	if (f->npids) {
		ok = false;
		for (int i = 0; i < f->npids && !ok; i++)
			ok = f->pids[i] == r->pid;
		if (!ok)
			return false;
	}
	if (f->ncomms) {
		ok = false;
		for (int i = 0; i < f->ncomms && !ok; i++)
			ok = !strncmp(f->comms[i], r->comm, ET_COMM_LEN);
		if (!ok)
			return false;
	}
	if (f->nfss) {
		ok = false;
		for (int i = 0; i < f->nfss && !ok; i++)
			ok = !strncmp(f->fss[i], r->fs, ET_FS_LEN);
		if (!ok)
			return false;
	}
	if (f->ndevs) {
		uint32_t dev = ET_MKDEV(r->dev_major, r->dev_minor);

		ok = false;
		for (int i = 0; i < f->ndevs && !ok; i++)
			ok = f->devs[i] == dev;
		if (!ok)
			return false;
	}
	return true;
}
