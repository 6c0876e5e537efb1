// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mkcorpus DIR: small valid trace files for the fuzzer to start from
 * (generated, so the corpus is reproducible and nothing binary is kept):
 * every event type, a MOUNTS section, a trailer; one without a trailer;
 * one cut in the middle of a chunk.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracefile.h"

static int write_file(const char *dir, const char *name, int events, bool trailer, int cut)
{
	struct mount_ent ent = { .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs",
				 .path = "/sys/kernel/tracing" };
	struct tf_meta m = { .evtrace_version = "fuzz", .start_ns = 1000,
			     .mounts = { &ent, 1 } };
	struct tf_trailer tr = { .events = events };
	struct tf_chunk *c = tf_chunk_new();
	char path[512];
	uint8_t *buf;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || !c || tf_write_start(fd, &m))
		return -1;
	for (int i = 0; i < events; i++) {
		struct et_rec r = { .type = 1 + i % (ET_TYPE_MAX - 1), .ts_ns = 1000 + i * 777,
				    .pid = 7, .tid = 8, .ino = i, .value = i % 3 - 1,
				    .obj_id = 0x1234567890ull + i % 4, .aux_id = i % 2 ? 99 : 0 };

		snprintf(r.comm, sizeof(r.comm), "sh");
		snprintf(r.fs, sizeof(r.fs), i % 2 ? "tracefs" : "pipefs");
		snprintf(r.name, sizeof(r.name), "n%d", i % 5);
		tf_chunk_add(c, &r);
		if (i == events / 2) {
			tf_chunk_seal(c, 1, &buf, &len);
			tf_write_all(fd, buf, len);
			free(buf);
			tf_chunk_reset(c);
			tf_write_mounts(fd, 2000, &m.mounts);
		}
	}
	tf_chunk_seal(c, 1, &buf, &len);
	tf_write_all(fd, buf, cut ? len / 2 : len);
	free(buf);
	if (trailer && !cut)
		tf_write_trailer(fd, &tr);
	tf_chunk_free(c);
	return close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	return write_file(argv[1], "full.evt", 40, true, 0) ||
	       write_file(argv[1], "no-trailer.evt", 12, false, 0) ||
	       write_file(argv[1], "cut.evt", 30, true, 1) ||
	       write_file(argv[1], "tiny.evt", 1, true, 0);
}
