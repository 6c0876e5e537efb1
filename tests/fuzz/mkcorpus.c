// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mkcorpus DIR: the fuzzer's seeds, written by the real writer so the
 * corpus is reproducible and nothing binary is committed.  Whole files
 * (every event type with MOUNTS and TRAILER, a pipe loop, one without a
 * trailer, one cut inside a chunk, one with junk between sections, a
 * one-event file), the same read through tf_open() ("F"), and the inputs
 * of fuzz_tracefile.c's builder modes: raw records ("R") and texts ("T").
 * And issue 14's crafted shapes: a resync bomb and an inflation bomb after
 * a whole recording (tests/lib/tracebytes.h), and text sections at
 * TF_TEXT_MAX and one byte past it ("L").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zstd.h>

#include "file/tracefile.h"
#include "lib/cgroups.h"
#include "../lib/tracebytes.h"

static const char *dir;

static struct mount_ent ents[] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
	{ .dev = ET_MKDEV(0u, 15u), .fstype = "pipefs", .path = "pipe:" },
	{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext4", .path = "/mnt/a b\\c" },
};

static const struct tf_meta meta = {
	.evtrace_version = "fuzz", .kernel_release = "6.12.0-test", .machine = "x86_64",
	.ncpus = 4, .boot_offset_ns = 1700000000000000000ll, .start_ns = 1000,
	.start_realtime_ns = 1700000000000001000ull, .probes = "get_next_ino=fentry,evict=kprobe",
	.filters = "--fs tracefs", .mounts = { ents, 3 },
};

static void die(const char *what)
{
	fprintf(stderr, "mkcorpus: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A seed: a mode prefix of plen bytes (it may hold NULs), then the bytes. */
static void save(const char *name, const void *prefix, size_t plen, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(prefix, 1, plen, f) != plen || fwrite(p, 1, len, f) != len || fclose(f))
		die(path);
}

/* Event i of a mix: every type in turn, or a pipe loop. */
static void event(struct et_rec *r, int i, bool pipes)
{
	static const int cycle[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC,
				     ET_DENTRY_KILL, ET_INODE_EVICT };

	memset(r, 0, sizeof(*r));
	r->ts_ns = 1000 + i * 7777 - (i % 4 == 3 ? 3000 : 0);
	r->cpu = i % 3;
	r->pid = 4000 + i / 5;
	r->tid = r->pid + i % 2;
	snprintf(r->comm, sizeof(r->comm), "sh");
	if (pipes) {
		r->type = cycle[i % 5];
		r->dev_minor = 15;
		snprintf(r->fs, sizeof(r->fs), "pipefs");
		r->obj_id = 0x9e3779b97f4a7c15ull * (i / 5 * 2 + (r->type == ET_DENTRY_ALLOC ||
								   r->type == ET_DENTRY_KILL));
		if (r->type == ET_INO_ALLOC)
			snprintf(r->caller, sizeof(r->caller), "create_pipe_files");
		if (r->type == ET_DENTRY_KILL)
			r->inode_id = 0x9e3779b97f4a7c15ull * (i / 5 * 2);
		if (r->type != ET_DENTRY_ALLOC)
			r->ino = 500 + i / 5;
		return;
	}
	r->type = 1 + i % (ET_TYPE_MAX - 1);
	r->flags = i % 3 ? ET_F_FREED : ET_F_TRUNC | ET_F_EVENTS;
	r->dev_minor = 13;
	r->ino = 100 + i;
	r->value = i % 5 - 2;
	r->obj_id = 0x1234567890abcdefull + i % 4;
	r->aux_id = i % 2 ? 0xfedcba0987654321ull : 0;
	r->inode_id = i % 3 ? 0x1111222233334444ull + i % 2 : 0;
	r->pei_id = r->type == ET_EI_GET ? 0x5555 : 0;
	r->inode_ino = i % 7;
	snprintf(r->fs, sizeof(r->fs), i % 2 ? "tracefs" : "pipefs");
	snprintf(r->name, sizeof(r->name), "n%d x", i % 5);
	if (r->type == ET_INO_ALLOC)
		snprintf(r->caller, sizeof(r->caller), "tracefs_get_inode");
	/* 1.1's extension field, on and off; ids META names and one it does not */
	r->cgroup_id = i % 3 ? 1 + i % 4 * 1000 : 0;
}

/* The raw records of events [from, to) as one chunk holds them. */
static void raw_records(int from, int to, bool pipes, const char *name)
{
	struct tf_chunk *c = tf_chunk_new();
	uint8_t *sec, *raw;
	struct et_rec r;
	size_t len, n;
	const uint8_t prefix[3] = { 'R', (uint8_t)(to - from), (uint8_t)((to - from) >> 8) };

	if (!c)
		die("tf_chunk_new");
	for (int i = from; i < to; i++) {
		event(&r, i, pipes);
		if (tf_chunk_add(c, &r))
			die("tf_chunk_add");
	}
	raw = malloc(tf_chunk_raw_bytes(c) + 1);
	if (!raw || tf_chunk_seal(c, 1, &sec, &len))
		die("seal");
	n = ZSTD_decompress(raw, tf_chunk_raw_bytes(c) + 1, sec + 40, len - 40);
	if (ZSTD_isError(n))
		die("zstd");
	save(name, prefix, sizeof(prefix), raw, n);
	free(sec);
	free(raw);
	tf_chunk_free(c);
}

struct file {
	int fd;
	struct tf_chunk *c;
};

static void seal(struct file *f, size_t keep)
{
	uint8_t *p;
	size_t len;

	if (tf_chunk_seal(f->c, 1, &p, &len) || tf_write_all(f->fd, p, keep && keep < len ? keep : len))
		die("seal");
	free(p);
	tf_chunk_reset(f->c);
}

static struct cgroups *late_cg;

/*
 * A whole file: events in chunks of per, a MOUNTS and a CGROUPS section
 * after the first chunk; cut: the last chunk only half there; junk: bytes
 * between chunks.
 */
static void trace_file(const char *name, int events, int per, bool pipes, bool trailer,
		       bool cut, bool junk)
{
	struct mount_table later = { ents + 1, 2 };
	struct tf_trailer tr = { .end_ns = 99999, .events = events, .lost = 1, .chunks = 2 };
	struct file f = { memfd_create("mkcorpus", 0), tf_chunk_new() };
	struct et_rec r;
	uint8_t *buf;
	off_t size;

	if (f.fd < 0 || !f.c || tf_write_start(f.fd, &meta))
		die(name);
	for (int i = 0; i < events; i++) {
		event(&r, i, pipes);
		if (tf_chunk_add(f.c, &r))
			die("tf_chunk_add");
		if ((i + 1) % per == 0 && i + 1 < events) {
			seal(&f, 0);
			if (i + 1 == per && tf_write_mounts(f.fd, r.ts_ns, &later))
				die("mounts");
			/* and a cgroup first seen then (1.3) */
			if (i + 1 == per && tf_write_cgroups(f.fd, r.ts_ns, late_cg))
				die("cgroups");
			if (junk && tf_write_all(f.fd, "junk ESEC junk", 14))
				die("junk");
		}
	}
	seal(&f, cut ? 60 : 0);
	if (trailer && !cut && tf_write_trailer(f.fd, &tr))
		die("trailer");
	size = lseek(f.fd, 0, SEEK_END);
	buf = malloc(size);
	if (!buf || pread(f.fd, buf, size, 0) != size)
		die(name);
	save(name, "", 0, buf, size);
	if (!strcmp(name, "full.evt")) {
		/* the same through tf_open(); and its texts for "T" */
		static const char rest[] = "\xffts_ns 5\nmount 0:15 pipefs pipe:\nmount 7:0 - /\\040x\n"
					   "\xff" "end_ns 9\nevents 3\nlost 0\ndropped 1\nchunks 1\n";
		uint32_t meta_len = buf[40] | buf[41] << 8 | buf[42] << 16;
		char *t = malloc(meta_len + sizeof(rest));

		save("F-full", "F", 1, buf, size);
		if (!t)
			die("malloc");
		memcpy(t, buf + 32 + 40, meta_len);
		memcpy(t + meta_len, rest, sizeof(rest) - 1);
		save("T-texts", "T", 1, t, meta_len + sizeof(rest) - 1);
		free(t);
	}
	if (!strcmp(name, "pipes.evt")) {
		/* what the reader's budgets are for: work, then inflation */
		struct buf b = { 0 };

		b_put(&b, buf, size);
		b_resync_bomb(&b, 96 << 10, 1000);
		save("resync-bomb.evt", "", 0, b.p, b.len);
		/* chunks of 8 MiB: the fuzz build's 16 MiB floor, then 4096 x the file */
		b.len = size;
		b_inflate_bomb_of(&b, 12, 8 << 20);
		save("inflate-bomb.evt", "", 0, b.p, b.len);
		free(b.p);
	}
	free(buf);
	tf_chunk_free(f.c);
	close(f.fd);
}

int main(int argc, char **argv)
{
	struct cgroups *cg;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	dir = argv[1];
	/* every file's META names cgroups, as a live recording's does */
	cg = cgroups_new(NULL, 0);
	if (!cg || cgroups_add(cg, 1, "/") || cgroups_add(cg, 1001, "/agg") ||
	    cgroups_add(cg, 2001, "/system.slice/docker-0123456789abcdef0123456789abcdef"
			"0123456789abcdef0123456789abcdef.scope"))
		die("cgroups");
	tf_set_cgroups(cg);
	late_cg = cgroups_new(NULL, 0);
	if (!late_cg || cgroups_add(late_cg, 3001, "/system.slice/late\\x2dunit.service"))
		die("cgroups");
	trace_file("full.evt", 40, 20, false, true, false, false);
	trace_file("pipes.evt", 60, 25, true, true, false, false);
	trace_file("no-trailer.evt", 12, 6, false, false, false, false);
	trace_file("cut.evt", 30, 15, true, true, true, false);
	trace_file("junk.evt", 20, 5, false, true, false, true);
	trace_file("tiny.evt", 1, 1, false, true, false, false);
	raw_records(0, 24, false, "R-types");
	raw_records(0, 20, true, "R-pipes");
	raw_records(3, 4, false, "R-one");
	/* a MOUNTS section and a META at the text bound (k 128), and one past it */
	{
		static const char mounts[] = "ts_ns 5\nmount 0:15 pipefs pipe:\nmount 8:1 ext4 /x";
		static const char metas[] = "evtrace_version f\nmount 8:1 ext4 /m";

		/*
		 * 16 MiB each, built per run: two, and mutations cross the bound.
		 * Not MOUNTS past it: a header past a bound is resynchronised
		 * past, a 16 MiB scan, which is slow under the fuzzer's
		 * instrumentation (0.4 s); META past it only fails to open.
		 */
		save("L-mounts-at", "L\x00\x80", 3, mounts, sizeof(mounts) - 1);
		save("L-meta-past", "L\x01\x81", 3, metas, sizeof(metas) - 1);
	}
	/*
	 * A MOUNTS section past the bound whose text is a whole trace file,
	 * valid sections and all: what a crossover once made of the seeds.
	 * The reader resynchronises into the text; the target must keep it
	 * free of sections, or it finds events where the test claims none.
	 */
	{
		char path[4096], file[8192];
		size_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/tiny.evt", dir);
		f = fopen(path, "r");
		if (!f)
			die(path);
		n = fread(file, 1, sizeof(file), f);
		if (ferror(f) || !feof(f) || fclose(f))
			die(path);
		save("L-mounts-past-sections", "L\x00\x81", 3, file, n);
	}
	return 0;
}
