// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * gen_trace FILE N: a trace file of N events shaped like the seed's pipe
 * loop (inode_alloc, ino_alloc, dentry_alloc, dentry_kill, inode_evict per
 * pipe, random 64-bit ids, ~20 us apart), written with the recorder's own
 * encoder: the input of make bench's replay figures.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file/tracefile.h"

static uint64_t rnd(uint64_t *s)
{
	/* splitmix64: ids as random as the decoder's keyed hashes */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Seal the chunk, write it, start a new one. */
static int flush(int fd, struct tf_chunk *c, struct tf_trailer *tr)
{
	uint8_t *buf;
	size_t len;

	if (tf_chunk_seal(c, 3, &buf, &len) || tf_write_all(fd, buf, len)) {
		perror("gen_trace");
		return -1;
	}
	free(buf);
	tr->chunks++;
	tf_chunk_reset(c);
	return 0;
}

int main(int argc, char **argv)
{
	static const int cycle[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC,
				     ET_DENTRY_KILL, ET_INODE_EVICT };
	struct tf_meta meta = { .evtrace_version = "bench", .kernel_release = "synthetic",
				.machine = "x86_64", .ncpus = 2, .start_ns = 1000000000ull };
	struct tf_trailer tr = { 0 };
	struct tf_chunk *c;
	uint64_t n, seed = 42, inode = 0, dentry = 0, ts = meta.start_ns;
	struct et_rec r;
	int fd, err;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_trace FILE N\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	c = tf_chunk_new();
	if (fd < 0 || !c || tf_write_start(fd, &meta)) {
		perror("gen_trace");
		return 1;
	}
	for (uint64_t i = 0; i < n; i++) {
		int t = cycle[i % 5];

		if (i % 5 == 0) {
			inode = rnd(&seed);
			dentry = rnd(&seed);
		}
		memset(&r, 0, sizeof(r));
		r.type = t;
		ts += 2000 + rnd(&seed) % 40000;
		r.ts_ns = ts;
		r.cpu = i / 5 % 2;
		r.pid = r.tid = 4242;
		r.dev_minor = 15;
		strcpy(r.comm, "sh");
		strcpy(r.fs, "pipefs");
		r.obj_id = t == ET_DENTRY_ALLOC || t == ET_DENTRY_KILL ? dentry : inode;
		if (t == ET_INO_ALLOC) {
			r.ino = 1000 + i / 5;
			strcpy(r.caller, "create_pipe_files");
		}
		if (t == ET_DENTRY_KILL || t == ET_INODE_EVICT) {
			r.ino = 1000 + i / 5;
			r.inode_id = t == ET_DENTRY_KILL ? inode : 0;
		}
		err = tf_chunk_add(c, &r);
		if (err == -E2BIG) {
			if (flush(fd, c, &tr))
				return 1;
			err = tf_chunk_add(c, &r);
		}
		if (err) {
			fprintf(stderr, "gen_trace: encode: %s\n", strerror(-err));
			return 1;
		}
	}
	if (tf_chunk_events(c) && flush(fd, c, &tr))
		return 1;
	tr.events = n;
	tr.end_ns = ts;
	if (tf_write_trailer(fd, &tr) || close(fd))
		return 1;
	tf_chunk_free(c);
	return 0;
}
