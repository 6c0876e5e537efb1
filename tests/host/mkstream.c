// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mkstream FILE [FLUSH_EVENTS [REPEAT]]: what `evtrace record -o -` writes, without
 * BPF.  FILE's events, mount changes and metadata go through the real
 * recorder in its stream mode (path "-") to standard output, as the ring
 * buffer's would: encoded on this thread, sealed, compressed and written
 * in order by the writer thread, the text sections through its memory
 * file.  FLUSH_EVENTS seals a chunk that often, so a stream has many;
 * REPEAT sends FILE's events that many times, each time later by the
 * recording's span and a second, for a stream much longer than a chunk.
 * cli.sh pipes it into `evtrace hist -` and holds the output to
 * `evtrace hist FILE`'s.  Exit 1 if the recorder dropped an event, failed,
 * or was not given one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file/recorder.h"
#include "file/tracefile.h"

int main(int argc, char **argv)
{
	struct recorder_opts o = { .path = "-", .stream_fd = STDOUT_FILENO };
	unsigned long every = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	struct recorder_stats rs;
	struct tf_status st;
	struct tf_reader *rd;
	struct recorder *rc;
	struct tf_meta meta;
	struct et_rec r;
	unsigned long repeat = argc > 3 ? strtoul(argv[3], NULL, 10) : 1;
	uint64_t n = 0, ts, first = 0, last = 0;
	char err[256];
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mkstream FILE [FLUSH_EVENTS [REPEAT]] > STREAM\n");
		return 2;
	}
	o.flush_ns = every ? 1 : 0;
	rd = tf_open(argv[1], err, sizeof(err));
	if (!rd) {
		fprintf(stderr, "mkstream: %s: %s\n", argv[1], err);
		return 1;
	}
	/* the recording's own metadata: mounts, cgroups, times, probes */
	meta = *tf_reader_meta(rd);
	rc = recorder_open(&o, &meta);
	if (!rc)
		return 1;
	for (unsigned long k = 0; k < repeat; k++) {
		if (k) {
			tf_close(rd);
			rd = tf_open(argv[1], err, sizeof(err));
			if (!rd)
				return 1;
		}
		while ((ret = tf_next(rd, &r)) == 1) {
			const struct mount_table *mt = tf_mounts_changed(rd, &ts);

			if (!k && (!first || r.ts_ns < first))
				first = r.ts_ns;
			if (!k && r.ts_ns > last)
				last = r.ts_ns;
			r.ts_ns += k * (last - first + 1000000000ull);
			if (mt)
				recorder_mounts(rc, ts, mt);
			if (recorder_add(rc, &r))
				break;
			/* the flush timer's seal (flush_ns 1), by count: a chunk boundary every so often */
			if (every && !(++n % every))
				recorder_tick(rc);
		}
	}
	tf_reader_status(rd, &st);
	recorder_no_generation(rc, st.trailer.no_generation);
	ret = recorder_close(rc, st.trailer_seen ? st.trailer.end_ns : 0, &rs) || ret < 0;
	tf_close(rd);
	if (rs.dropped || !rs.events) {
		fprintf(stderr, "mkstream: %llu events, %llu dropped\n",
			(unsigned long long)rs.events, (unsigned long long)rs.dropped);
		return 1;
	}
	fprintf(stderr, "mkstream: %llu events, %llu bytes, %llu chunks\n",
		(unsigned long long)rs.events, (unsigned long long)rs.bytes,
		(unsigned long long)rs.chunks);
	return ret;
}
