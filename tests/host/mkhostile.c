// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mkhostile FILE: a trace file, written by the real writer, whose every
 * string is hostile: terminal escapes (OSC retitle, CSI clear screen,
 * BEL), a C1 CSI as UTF-8, an invalid byte, in the META strings (the host
 * and command line too), the mount
 * table, comms, fs names, callers, dentry and ei names (so anomaly texts
 * and eventfs paths carry them too), and cgroup paths: META's, and a
 * CGROUPS section's (a cgroup made during the run; any user can name a
 * cgroup of a delegated subtree).  tests/host/hostile.sh prints it with
 * every command and looks for the bytes.
 */
#include <stdio.h>
#include <string.h>

#include "file/tracefile.h"
#include "lib/cgroups.h"
#include "mkrec.h"

#define BAD "\x1b]0;owned\x07\x1b[2J\xc2\x9b" "31m\xff"

static struct mount_ent ents[] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
	{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext" BAD, .path = "/mnt/" BAD },
};

static const struct tf_meta meta = {
	.evtrace_version = "0.1" BAD, .kernel_release = "6.12" BAD, .machine = "x86" BAD,
	.ncpus = 2, .start_ns = 1000, .start_realtime_ns = 1700000000000001000ull,
	.probes = "get_next_ino=fentry," BAD "=fentry", .filters = "--comm " BAD,
	.host = "h" BAD, .cmdline = "evtrace record -o 'x" BAD "'",
	.mounts = { ents, 2 },
};

static struct et_rec ev(int type, uint64_t ts, uint32_t minor, const char *fs)
{
	struct et_rec r = { .type = type, .ts_ns = ts, .pid = 7, .tid = 7, .dev_minor = minor };

	snprintf(r.comm, sizeof(r.comm), "\x1b]0;x\x07" "c");
	snprintf(r.fs, sizeof(r.fs), "%s", fs);
	return r;
}

int main(int argc, char **argv)
{
	struct tf_trailer tr = { .end_ns = 9000, .end_realtime_ns = 1700000000000009000ull };
	struct cgroups *cg = cgroups_new(NULL, 0), *late = cgroups_new(NULL, 0);
	struct tf_meta m = meta;
	struct et_rec r[16];
	int n = 0, split;

	if (argc != 2 || !cg || !late || cgroups_add(cg, 500, "/system.slice/" BAD ".service") ||
	    cgroups_add(late, 600, "/machine.slice/" BAD))
		return 2;
	m.cgroups = cg;
	/* two live inodes on one number, both named: dup_ino's text has the names */
	for (int i = 0; i < 2; i++) {
		r[n] = ev(ET_INODE_ALLOC, 1100 + i, 1, "ext" BAD);
		r[n++].obj_id = 10 + i;
		r[n] = ev(ET_LOOKUP, 1200 + i, 1, "ext" BAD);
		r[n].obj_id = 99;
		r[n].aux_id = 20 + i;
		r[n].inode_id = 10 + i;
		r[n].ino = 4242;
		snprintf(r[n++].name, sizeof(r[0].name), "f%d" BAD, i);
	}
	/* a name a spreadsheet would run */
	r[n] = ev(ET_LOOKUP, 1250, 1, "ext");
	r[n].obj_id = 99;
	snprintf(r[n++].name, sizeof(r[0].name), "=HYPERLINK(\"http://x\")");
	/* from here on, in a cgroup made during the run */
	split = n;
	r[n] = ev(ET_INO_ALLOC, 1300, 1, "ext" BAD);
	r[n].ino = 77;
	snprintf(r[n++].caller, sizeof(r[0].caller), "fn" BAD);
	/* an ei removed while referenced: its path in the summary */
	r[n] = ev(ET_EI_CREATE, 1400, 13, "tracefs");
	r[n].obj_id = 50;
	r[n].value = 1;
	snprintf(r[n++].name, sizeof(r[0].name), "ev" BAD);
	r[n] = ev(ET_EI_GET, 1500, 13, "tracefs");
	r[n].obj_id = 50;
	r[n].aux_id = 60;
	r[n].value = 2;
	r[n] = ev(ET_EI_REMOVE, 1600, 13, "tracefs");
	r[n].obj_id = 50;
	r[n++].value = 2;
	for (int i = 0; i < n; i++)
		r[i].cgroup_id = i < split ? 500 : 600;
	return write_recording_late(argv[1], &m, &tr, r, n, split, late);
}
