// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lib/cgroups.c on a fake cgroup2 tree: directories made with mkdir in a
 * temporary directory, whose inode numbers stand for the cgroup ids (as
 * they are on cgroup2), so it runs on any host.  The container shapes of
 * each runtime; a symlink is not followed; the walk stops at its bounds;
 * a miss walks again only once the interval has passed.
 */
#include "unit.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lib/cgroups.h"

#define HEX64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX64B	"fedcba9876543210" "0123456789abcdef0123456789abcdef0123456789abcdef"

static char root[64];

static uint64_t mk(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(stat(p, &st), 0);
	return st.st_ino;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static int setup(void **state)
{
	snprintf(root, sizeof(root), "/tmp/evtrace-cg-XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int teardown(void **state)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void test_container_shapes(void **state)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "/system.slice/docker-" HEX64 ".scope", "docker:0123456789ab" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1_2.slice/"
		  "cri-containerd-" HEX64 ".scope", "containerd:0123456789ab" },
		{ "/kubepods.slice/kubepods-pod9.slice/crio-" HEX64 ".scope", "crio:0123456789ab" },
		{ "/machine.slice/libpod-" HEX64 ".scope", "podman:0123456789ab" },
		{ "/machine.slice/libpod-" HEX64 ".scope/container", "podman:0123456789ab" },
		{ "/docker/" HEX64, "docker:0123456789ab" },
		{ "/kubepods/burstable/pod1234/" HEX64, "cri:0123456789ab" },
		{ "/kubepods/besteffort/podx/" HEX64B, "cri:fedcba987654" },
		/* docker in docker: the deepest */
		{ "/docker/" HEX64 "/docker/" HEX64B, "docker:fedcba987654" },
		/* not containers */
		{ "/system.slice/docker.service", NULL },
		{ "/system.slice/crio-conmon-" HEX64 ".scope", NULL },
		{ "/docker/0123456789ab", NULL },			/* not 64 digits */
		{ "/system.slice/docker-" HEX64 ".service", NULL },
		{ "/x/" HEX64, NULL },					/* not under docker/kubepods */
		{ "/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL },
		{ "/", NULL },
		{ "", NULL },
	};
	char buf[CG_NAME_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = cgroup_container(cases[i].path, buf, sizeof(buf));

		if (!cases[i].want) {
			if (got)
				fail_msg("%s: %s", cases[i].path, buf);
			continue;
		}
		assert_true(got);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_walk_fake_tree(void **state)
{
	struct cgroups *cg = cgroups_new(root, 0);
	uint64_t top, agg, svc, ctr, deep, late;
	char buf[CG_PATH_LEN], link[600];
	struct stat st;

	assert_int_equal(stat(root, &st), 0);
	top = st.st_ino;
	agg = mk("/agg");
	mk("/system.slice");
	svc = mk("/system.slice/foo.service");
	ctr = mk("/system.slice/docker-" HEX64 ".scope");
	/* a control file and a symlink to a directory: neither is walked into */
	close(open(strcat(strcpy(buf, root), "/agg/cgroup.procs"), O_CREAT | O_WRONLY, 0644));
	snprintf(link, sizeof(link), "%s/loop", root);
	assert_int_equal(symlink(root, link), 0);
	deep = mk("/a");
	for (int i = 0; i < CG_WALK_DEPTH; i++) {
		char rel[256] = "/a";

		for (int j = 0; j < i; j++)
			strcat(rel, "/a");
		strcat(rel, "/a");
		deep = mk(rel);
	}
	assert_true(cgroups_walk(cg) >= 5);
	assert_true(cgroups_path(cg, top, buf, sizeof(buf)));
	assert_string_equal(buf, "/");
	assert_true(cgroups_path(cg, agg, buf, sizeof(buf)));
	assert_string_equal(buf, "/agg");
	assert_true(cgroups_path(cg, svc, buf, sizeof(buf)));
	assert_string_equal(buf, "/system.slice/foo.service");
	assert_string_equal(cgroups_name(cg, ctr, buf, CG_NAME_LEN), "docker:0123456789ab");
	assert_string_equal(cgroups_name(cg, svc, buf, CG_NAME_LEN), "/system.slice/foo.service");
	assert_string_equal(cgroups_name(cg, 0, buf, CG_NAME_LEN), "?");
	/* past the depth limit: not walked, named by its id */
	assert_false(cgroups_path(cg, deep, buf, sizeof(buf)));
	snprintf(link, sizeof(link), "cgroup:%llu", (unsigned long long)deep);
	assert_string_equal(cgroups_name(cg, deep, buf, CG_NAME_LEN), link);
	/* the symlink's target was not walked twice: one entry per directory */
	assert_int_equal(cgroups_count(cg), 4 + 1 + CG_WALK_DEPTH);
	/* a cgroup made later: a miss walks again (interval 0) */
	late = mk("/agg/late");
	assert_true(cgroups_path(cg, late, buf, sizeof(buf)));
	assert_string_equal(buf, "/agg/late");
	cgroups_free(cg);

	/* with an interval, a miss right after a walk does not walk */
	cg = cgroups_new(root, 3600ull * 1000000000);
	assert_true(cgroups_path(cg, agg, buf, sizeof(buf)));	/* the first walk */
	late = mk("/agg/later");
	assert_false(cgroups_path(cg, late, buf, sizeof(buf)));
	assert_true(cgroups_walk(cg) >= 1);
	assert_true(cgroups_path(cg, late, buf, sizeof(buf)));
	cgroups_free(cg);
}

/* Wide: the walk stops at CG_WALK_DIRS directories. */
static void test_walk_bounded(void **state)
{
	struct cgroups *cg = cgroups_new(root, 0);
	char rel[64];

	for (int i = 0; i < CG_WALK_DIRS + 50; i++) {
		snprintf(rel, sizeof(rel), "/c%d", i);
		mk(rel);
	}
	assert_int_equal(cgroups_walk(cg), CG_WALK_DIRS);
	assert_int_equal(cgroups_count(cg), CG_WALK_DIRS);
	cgroups_free(cg);
}

/*
 * CG_ROOT is walked only when cgroup2 is mounted there: a sysfs directory
 * (no cgroup2 mounted), or a tmpfs (this container's), would give its
 * inode numbers as cgroup ids.
 */
static void test_live_root_is_cgroup2(void **state)
{
	struct cgroups *cg = cgroups_new(CG_ROOT, 0);
	char buf[CG_PATH_LEN];
	struct statfs sf;
	struct stat st;
	int n = cgroups_walk(cg);

	if (statfs(CG_ROOT, &sf) || sf.f_type != 0x63677270) {
		assert_true(n < 0);
		assert_int_equal(cgroups_count(cg), 0);
	} else {
		assert_true(n >= 1);
		assert_int_equal(stat(CG_ROOT, &st), 0);
		assert_true(cgroups_path(cg, st.st_ino, buf, sizeof(buf)));
		assert_string_equal(buf, "/");
	}
	cgroups_free(cg);
}

/* A table without a root (a recording's) never walks, and is bounded. */
static void test_table_only(void **state)
{
	struct cgroups *cg = cgroups_new(NULL, 0);
	char buf[CG_PATH_LEN], long_path[CG_PATH_LEN + 8];

	assert_int_equal(cgroups_add(cg, 5, "/a"), 0);
	assert_int_equal(cgroups_add(cg, 5, "/b"), 0);		/* ids are not reused: kept */
	assert_true(cgroups_path(cg, 5, buf, sizeof(buf)));
	assert_string_equal(buf, "/a");
	assert_int_equal(cgroups_add(cg, 0, "/zero"), -E2BIG);
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = 0;
	assert_int_equal(cgroups_add(cg, 6, long_path), -E2BIG);
	long_path[CG_PATH_LEN - 1] = 0;
	assert_int_equal(cgroups_add(cg, 6, long_path), 0);
	/* a long path's name is its tail */
	cgroups_name(cg, 6, buf, CG_NAME_LEN);
	assert_int_equal(strlen(buf), CG_NAME_LEN - 1);
	assert_memory_equal(buf, "...xxx", 6);
	assert_false(cgroups_path(cg, 7, buf, sizeof(buf)));
	assert_string_equal(cgroups_name(NULL, 7, buf, CG_NAME_LEN), "cgroup:7");
	for (uint64_t id = 100; id < 100 + CG_MAX; id++)
		if (cgroups_add(cg, id, "/many"))
			break;
	assert_int_equal(cgroups_count(cg), CG_MAX);
	assert_int_equal(cgroups_add(cg, 1u << 30, "/one-more"), -E2BIG);
	cgroups_free(cg);
}

struct named {
	uint64_t ids[4];
	int n;
};

static int collect(void *ctx, uint64_t id, const char *path)
{
	struct named *c = ctx;

	assert_true(c->n < 4);
	c->ids[c->n++] = id;
	return 0;
}

/* The cgroups behind a group's name: a container's scopes, or the one path. */
static void test_each_named(void **state)
{
	struct cgroups *cg = cgroups_new(NULL, 0);
	struct named c = { 0 };

	assert_int_equal(cgroups_add(cg, 9, "/machine.slice/libpod-" HEX64 ".scope/container"), 0);
	assert_int_equal(cgroups_add(cg, 8, "/machine.slice/libpod-" HEX64 ".scope"), 0);
	assert_int_equal(cgroups_add(cg, 7, "/system.slice/foo.service"), 0);
	assert_int_equal(cgroups_add(cg, 6, "/machine.slice/libpod-" HEX64B ".scope"), 0);
	assert_int_equal(cgroups_each_named(cg, "podman:0123456789ab", collect, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ids[0], 8);		/* in id order */
	assert_int_equal(c.ids[1], 9);
	c.n = 0;
	assert_int_equal(cgroups_each_named(cg, "/system.slice/foo.service", collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], 7);
	c.n = 0;
	assert_int_equal(cgroups_each_named(cg, "cgroup:7", collect, &c), 0);
	assert_int_equal(c.n, 0);
	cgroups_free(cg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container_shapes),
		cmocka_unit_test_setup_teardown(test_walk_fake_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_bounded, setup, teardown),
		cmocka_unit_test(test_table_only),
		cmocka_unit_test(test_each_named),
		cmocka_unit_test(test_live_root_is_cgroup2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
