/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For the host tests' trace file generators (mkhostile.c, live_tui.sh's
 * mkstates): records written as a recording, through the real writer.
 */
#ifndef EVTRACE_TESTS_MKREC_H
#define EVTRACE_TESTS_MKREC_H

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "file/tracefile.h"

/* The n records in one chunk, between meta and tr, into a new file: 0, or 1. */
static int write_recording(const char *path, const struct tf_meta *meta,
			   const struct tf_trailer *tr, const struct et_rec *r, int n)
{
	struct tf_chunk *c = tf_chunk_new();
	int fd = -1, err = 1;
	uint8_t *p;
	size_t len;

	if (!c)
		return 1;
	for (int i = 0; i < n; i++)
		if (tf_chunk_add(c, &r[i]))
			goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && !tf_write_start(fd, meta) && !tf_chunk_seal(c, 1, &p, &len) &&
	    !tf_write_all(fd, p, len) && !tf_write_trailer(fd, tr))
		err = 0;
	if (fd >= 0 && close(fd))
		err = 1;
out:
	tf_chunk_free(c);
	return err;
}

/*
 * The same, with a CGROUPS section (format 1.3) naming late's cgroups
 * after the first split records: cgroups made during the recording.
 */
static inline int write_recording_late(const char *path, const struct tf_meta *meta,
				       const struct tf_trailer *tr, const struct et_rec *r, int n,
				       int split, struct cgroups *late)
{
	struct tf_chunk *c = tf_chunk_new();
	int fd = -1, err = 1;
	uint8_t *p;
	size_t len;

	if (!c)
		return 1;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || tf_write_start(fd, meta))
		goto out;
	for (int part = 0; part < 2; part++) {
		for (int i = part ? split : 0; i < (part ? n : split); i++)
			if (tf_chunk_add(c, &r[i]))
				goto out;
		if (tf_chunk_seal(c, 1, &p, &len) || tf_write_all(fd, p, len))
			goto out;
		free(p);
		tf_chunk_reset(c);
		if (!part && tf_write_cgroups(fd, r[split].ts_ns, late))
			goto out;
	}
	err = tf_write_trailer(fd, tr) ? 1 : 0;
out:
	if (fd >= 0 && close(fd))
		err = 1;
	tf_chunk_free(c);
	return err;
}

#endif
