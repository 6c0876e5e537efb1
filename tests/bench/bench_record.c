// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench_record FILE N: the recorder (encoder, writer thread, zstd, disk)
 * fed N synthetic pipe-loop events as fast as it takes them; prints the
 * rate, the bytes per event and the events it had to drop.  make bench
 * runs it at two lengths to show its peak memory does not grow with N.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "file/recorder.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const int cycle[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC,
				     ET_DENTRY_KILL, ET_INODE_EVICT };
	struct tf_meta meta = { .evtrace_version = "bench", .start_ns = 1 };
	struct recorder_opts o = { 0 };
	struct recorder_stats st;
	struct recorder *rc;
	uint64_t n, id = 0x9e3779b97f4a7c15ull, ts = 1000;
	struct et_rec r;
	double t0, t, rate;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench_record FILE N [EVENTS_PER_SEC]\n");
		return 2;
	}
	rate = argc == 4 ? strtod(argv[3], NULL) : 0;
	o.path = argv[1];
	n = strtoull(argv[2], NULL, 10);
	rc = recorder_open(&o, &meta);
	if (!rc)
		return 1;
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.type = cycle[i % 5];
		ts += 20000 + (i * 7919) % 9000;
		r.ts_ns = ts;
		r.pid = r.tid = 4242;
		strcpy(r.comm, "sh");
		strcpy(r.fs, "pipefs");
		if (i % 5 == 0)
			id = id * 6364136223846793005ull + 1442695040888963407ull;
		r.obj_id = r.type == ET_DENTRY_ALLOC || r.type == ET_DENTRY_KILL ? ~id : id;
		r.ino = 1000 + i / 5;
		if (r.type == ET_INO_ALLOC)
			strcpy(r.caller, "create_pipe_files");
		recorder_add(rc, &r);
		if (i % 4096 == 0) {
			recorder_tick(rc);
			/* paced like a ring buffer consumer at that event rate */
			while (rate > 0 && now_s() - t0 < i / rate)
				;
		}
	}
	if (recorder_close(rc, ts, &st))
		return 1;
	t = now_s() - t0;
	printf("bench record: %" PRIu64 " events %s in %.2fs (%.2f Mev/s), %.2f bytes/event, "
	       "%" PRIu64 " dropped\n", n, rate > 0 ? "paced" : "unpaced (a firehose)", t,
	       n / t / 1e6, (double)st.bytes / n, st.dropped);
	return 0;
}
