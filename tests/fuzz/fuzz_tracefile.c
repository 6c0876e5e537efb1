// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the trace file reader is a parser of untrusted bytes.
 * Any input must give events or a clear error: no crash, no hang, no
 * unbounded allocation (run with -rss_limit_mb).
 */
#include <stddef.h>
#include <stdint.h>

#include "tracefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r;
	char err[256];
	uint64_t ts;

	rd = tf_open_mem(data, size, err, sizeof(err));
	if (!rd)
		return 0;
	while (tf_next(rd, &r) > 0)
		tf_mounts_changed(rd, &ts);
	tf_reader_status(rd, &st);
	tf_close(rd);
	return 0;
}
