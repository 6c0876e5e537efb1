// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgroup v2 id -> path, by a bounded walk of the cgroup2 tree (cgroups.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "lib/cgroups.h"
#include "lib/common.h"

#define SLOTS	(2 * CG_MAX)	/* open addressing, at most half full */
#define CGROUP2_MAGIC	0x63677270	/* linux/magic.h's CGROUP2_SUPER_MAGIC */

struct cg_ent {
	uint64_t id;		/* 0: empty slot */
	char *path;
	char *name;		/* cgroups_name()'s, made once: the model asks per event */
};

struct cgroups {
	pthread_mutex_t lock;
	char *root;		/* NULL: never walks */
	uint64_t min_interval_ns, last_walk_ns;
	bool walked;
	size_t n;
	struct cg_ent slots[SLOTS];
};

_Static_assert((SLOTS & (SLOTS - 1)) == 0, "a power of two");

static uint64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

struct cgroups *cgroups_new(const char *root, uint64_t min_interval_ns)
{
	struct cgroups *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return NULL;
	if (root && !(cg->root = strdup(root))) {
		free(cg);
		return NULL;
	}
	pthread_mutex_init(&cg->lock, NULL);
	cg->min_interval_ns = min_interval_ns;
	return cg;
}

void cgroups_free(struct cgroups *cg)
{
	if (!cg)
		return;
	for (size_t i = 0; i < SLOTS; i++) {
		free(cg->slots[i].path);
		free(cg->slots[i].name);
	}
	pthread_mutex_destroy(&cg->lock);
	free(cg->root);
	free(cg);
}

static struct cg_ent *slot_of(struct cgroups *cg, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < SLOTS; i++) {
		struct cg_ent *e = &cg->slots[(h + i) & (SLOTS - 1)];

		if (!e->id || e->id == id)
			return e;
	}
	return NULL;	/* cannot happen: at most half full */
}

/* What groups show for a known path: its container, or the path (its tail if long). */
static void name_of(const char *path, char *buf, size_t size)
{
	size_t n = strlen(path);

	if (cgroup_container(path, buf, size))
		return;
	/* the tail says more than the head: /user.slice/.../app.scope */
	if (n >= size && size > 4)
		snprintf(buf, size, "...%s", path + n - (size - 4));
	else
		snprintf(buf, size, "%s", path);
}

/* Locked.  A known id keeps its path: ids are not reused within a boot. */
static int add_locked(struct cgroups *cg, uint64_t id, const char *path)
{
	char name[CG_NAME_LEN];
	struct cg_ent *e;

	if (!id || strlen(path) >= CG_PATH_LEN)
		return -E2BIG;
	e = slot_of(cg, id);
	if (e && e->id)
		return 0;
	if (!e || cg->n >= CG_MAX)
		return -E2BIG;
	name_of(path, name, sizeof(name));
	e->path = strdup(path);
	e->name = strdup(name);
	if (!e->path || !e->name) {
		free(e->path);
		free(e->name);
		e->path = e->name = NULL;
		return -ENOMEM;
	}
	e->id = id;
	cg->n++;
	return 0;
}

int cgroups_add(struct cgroups *cg, uint64_t id, const char *path)
{
	int err;

	pthread_mutex_lock(&cg->lock);
	err = add_locked(cg, id, path);
	pthread_mutex_unlock(&cg->lock);
	return err;
}

struct walk {
	struct cgroups *cg;
	unsigned int dirs;
	int found;
	char path[CG_PATH_LEN];
};

/* The directory open at fd, whose path is w->path (len bytes), and below it. */
static void walk_dir(struct walk *w, int fd, size_t len, int depth)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;

	if (w->dirs >= CG_WALK_DIRS || fstat(fd, &st)) {
		close(fd);
		return;
	}
	w->dirs++;
	if (!add_locked(w->cg, st.st_ino, len ? w->path : "/"))
		w->found++;
	if (depth >= CG_WALK_DEPTH || !(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	while (w->dirs < CG_WALK_DIRS && (d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		int sub;

		if (d->d_name[0] == '.' && (!d->d_name[1] || !strcmp(d->d_name, "..")))
			continue;
		/* cgroupfs says DT_DIR; anything else is a control file or a link */
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (len + 1 + n >= sizeof(w->path))
			continue;
		sub = openat(dirfd(dir), d->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		w->path[len] = '/';
		memcpy(w->path + len + 1, d->d_name, n + 1);
		walk_dir(w, sub, len + 1 + n, depth + 1);
		w->path[len] = 0;
	}
	closedir(dir);
}

static int walk_locked(struct cgroups *cg)
{
	struct walk w = { .cg = cg };
	int fd;

	if (!cg->root)
		return 0;
	cg->walked = true;
	cg->last_walk_ns = mono_now();
	fd = open(cg->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * The live root must be the cgroup2 mount: without one, CG_ROOT is a
	 * sysfs directory, whose inode numbers would pass for cgroup ids
	 * (the fake trees of the tests are elsewhere)
	 */
	if (!strcmp(cg->root, CG_ROOT)) {
		struct statfs sf;

		if (fstatfs(fd, &sf) || sf.f_type != CGROUP2_MAGIC) {
			close(fd);
			return -ENOTSUP;
		}
	}
	walk_dir(&w, fd, 0, 0);
	return w.found;
}

int cgroups_walk(struct cgroups *cg)
{
	int n;

	pthread_mutex_lock(&cg->lock);
	n = walk_locked(cg);
	pthread_mutex_unlock(&cg->lock);
	return n;
}

/* Locked: id's entry, walking first if it is missing and a walk is due. */
static const struct cg_ent *find_locked(struct cgroups *cg, uint64_t id)
{
	const struct cg_ent *e = slot_of(cg, id);

	if (e && e->id)
		return e;
	if (!cg->root || (cg->walked && mono_now() - cg->last_walk_ns < cg->min_interval_ns))
		return NULL;
	walk_locked(cg);
	e = slot_of(cg, id);
	return e && e->id ? e : NULL;
}

bool cgroups_path(struct cgroups *cg, uint64_t id, char *buf, size_t size)
{
	const struct cg_ent *e;

	if (!id)
		return false;
	pthread_mutex_lock(&cg->lock);
	e = find_locked(cg, id);
	if (e)
		snprintf(buf, size, "%s", e->path);
	pthread_mutex_unlock(&cg->lock);
	return e;
}

const char *cgroups_name(struct cgroups *cg, uint64_t id, char *buf, size_t size)
{
	const struct cg_ent *e = NULL;

	if (!id)
		return str_copy(buf, size, "?");
	if (cg) {
		pthread_mutex_lock(&cg->lock);
		e = find_locked(cg, id);
		if (e)
			str_copy(buf, size, e->name);
		pthread_mutex_unlock(&cg->lock);
	}
	if (!e)
		snprintf(buf, size, "cgroup:%" PRIu64, id);
	return buf;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = ((const struct cg_ent *)a)->id, y = ((const struct cg_ent *)b)->id;

	return x < y ? -1 : x > y;
}

/* Every entry, or those whose name is name (not NULL), in id order, to fn. */
static int each(struct cgroups *cg, const char *name,
		int (*fn)(void *ctx, uint64_t id, const char *path), void *ctx)
{
	struct cg_ent *v;
	size_t n = 0;
	int ret = 0;

	pthread_mutex_lock(&cg->lock);
	v = malloc((cg->n ? cg->n : 1) * sizeof(*v));
	if (!v) {
		pthread_mutex_unlock(&cg->lock);
		return -ENOMEM;
	}
	for (size_t i = 0; i < SLOTS; i++)
		if (cg->slots[i].id && (!name || !strcmp(cg->slots[i].name, name)))
			v[n++] = cg->slots[i];
	qsort(v, n, sizeof(*v), cmp_id);
	for (size_t i = 0; i < n && !ret; i++)
		ret = fn(ctx, v[i].id, v[i].path);
	pthread_mutex_unlock(&cg->lock);
	free(v);
	return ret;
}

int cgroups_each(struct cgroups *cg, int (*fn)(void *ctx, uint64_t id, const char *path),
		 void *ctx)
{
	return each(cg, NULL, fn, ctx);
}

int cgroups_each_named(struct cgroups *cg, const char *name,
		       int (*fn)(void *ctx, uint64_t id, const char *path), void *ctx)
{
	return each(cg, name, fn, ctx);
}

size_t cgroups_count(struct cgroups *cg)
{
	size_t n;

	pthread_mutex_lock(&cg->lock);
	n = cg->n;
	pthread_mutex_unlock(&cg->lock);
	return n;
}

/* ---- containers ----------------------------------------------------------- */

static bool hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

/* One path component (c, n bytes), given what came before it. */
static const char *container_of(const char *c, size_t n, bool under_docker,
				bool under_kubepods, const char **id)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "crio" },
		{ "libpod-", "podman" },
	};
	static const char suffix[] = ".scope";

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t p = strlen(scopes[i].prefix), s = sizeof(suffix) - 1;

		if (n > p + s && !strncmp(c, scopes[i].prefix, p) &&
		    !strncmp(c + n - s, suffix, s) && hex64(c + p, n - p - s)) {
			*id = c + p;
			return scopes[i].runtime;
		}
	}
	if ((under_docker || under_kubepods) && hex64(c, n)) {
		*id = c;
		return under_docker ? "docker" : "cri";
	}
	return NULL;
}

bool cgroup_container(const char *path, char *buf, size_t size)
{
	const char *runtime = NULL, *id = NULL;
	bool docker = false, kubepods = false;

	for (const char *c = path; *c;) {
		size_t n;
		const char *r, *i;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (!n)
			break;
		r = container_of(c, n, docker, kubepods, &i);
		if (r) {	/* the deepest wins: a container in a container */
			runtime = r;
			id = i;
		}
		/* cgroupfs driver: /docker/<id>, /kubepods[.slice]/.../<id> */
		docker = n == 6 && !strncmp(c, "docker", 6);
		if (!strncmp(c, "kubepods", 8))
			kubepods = true;
		c += n;
	}
	if (!runtime)
		return false;
	snprintf(buf, size, "%s:%.12s", runtime, id);
	return true;
}
