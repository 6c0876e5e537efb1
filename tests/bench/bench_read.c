// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_read FILE: the floors under `evtrace hist FILE`, for make bench to
 * set beside cat and the replay itself.  Prints two lines, in seconds:
 *
 *   zstd SEC     decompressing every EVENTS section of the file, in
 *                memory, and nothing else (what any reader must pay)
 *   decode SEC   tf_open() + tf_next_batch() over the file, as replay reads
 *                it: read, check, decompress and decode every record, no
 *                model, one thread
 *
 * The file is one gen_trace wrote, so the section walk trusts it only as
 * far as its bounds checks; the real reader is src/file/reader.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "file/tracefile.h"

#define SEC_HDR		40
#define SEC_EVENTS	2

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decompress every EVENTS payload; -1 if the file is not as gen_trace writes. */
static int zstd_only(const uint8_t *p, size_t len, uint64_t *raw_total)
{
	ZSTD_DCtx *dctx = ZSTD_createDCtx();
	void *out = malloc(TF_CHUNK_MAX_RAW);
	size_t off;
	int ret = -1;

	if (!dctx || !out || len < 16)
		goto out;
	off = le32(p + 12);		/* header size */
	while (off + SEC_HDR <= len) {
		const uint8_t *h = p + off;
		uint32_t stored = le32(h + 8), raw = le32(h + 12);

		if (memcmp(h, "ESEC", 4) || stored > len - off - SEC_HDR)
			goto out;
		if ((h[4] | h[5] << 8) == SEC_EVENTS) {
			size_t n = ZSTD_decompressDCtx(dctx, out, TF_CHUNK_MAX_RAW,
						       h + SEC_HDR, stored);

			if (ZSTD_isError(n) || n != raw)
				goto out;
			*raw_total += n;
		}
		off += SEC_HDR + stored;
	}
	ret = off == len ? 0 : -1;
out:
	free(out);
	ZSTD_freeDCtx(dctx);
	return ret;
}

int main(int argc, char **argv)
{
	static struct et_rec batch[TF_WRITE_EVENTS];
	struct tf_reader *rd;
	struct stat sb;
	uint64_t raw = 0, n = 0;
	char err[256];
	double t0, t1, t2;
	void *map;
	int fd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_read FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		fprintf(stderr, "bench_read: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED) {
		fprintf(stderr, "bench_read: mmap: %s\n", strerror(errno));
		return 1;
	}
	t0 = now();
	if (zstd_only(map, sb.st_size, &raw)) {
		fprintf(stderr, "bench_read: %s: not a file gen_trace wrote\n", argv[1]);
		return 1;
	}
	t1 = now();
	munmap(map, sb.st_size);
	close(fd);

	rd = tf_open(argv[1], err, sizeof(err));
	if (!rd) {
		fprintf(stderr, "bench_read: %s: %s\n", argv[1], err);
		return 1;
	}
	while ((ret = tf_next_batch(rd, batch, TF_WRITE_EVENTS)) > 0)
		n += ret;
	t2 = now();
	tf_close(rd);
	if (ret < 0) {
		fprintf(stderr, "bench_read: %s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	printf("zstd %.6f %" PRIu64 "\n", t1 - t0, raw);
	printf("decode %.6f %" PRIu64 "\n", t2 - t1, n);
	return 0;
}
