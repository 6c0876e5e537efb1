/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recorder: decoded events -> trace file chunks.  Encoding happens on
 * the caller's (ring buffer) thread; compression and disk I/O on a writer
 * thread behind a bounded queue, so a slow disk shows up as counted
 * `dropped` events, never as a stalled ring buffer.  In ring mode (flight
 * recorder) sealed chunks stay in memory, bounded, and reach the file only
 * on recorder_dump() (SIGUSR1) and at close.
 */
#ifndef EVTRACE_RECORDER_H
#define EVTRACE_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "event/decode.h"
#include "lib/mounts.h"
#include "file/tracefile.h"

/*
 * --ring SEC alone: at most this much of compressed chunks is held, so the
 * memory a ring takes does not follow the event rate a local user can
 * drive (at the seed's 14 bytes an event, some 9 million events).
 */
#define RECORDER_RING_BYTES	(128ull << 20)

struct recorder_opts {
	/*
	 * The file; "-": a stream to stream_fd (standard output when it is
	 * not set, record -o -), written in order, never seeked, synced where
	 * it can be.  A stream has no ring mode.
	 */
	const char *path;
	int stream_fd;
	uint64_t flush_ns;		/* seal the open chunk at least this often (default 1 s) */
	uint64_t max_size;		/* the file never grows past it; 0 = no limit */
	uint64_t ring_bytes;		/* ring mode: keep this many bytes of chunks */
	uint64_t ring_ns;		/* ring mode: keep this much time */
	int zstd_level;
};

struct recorder_stats {
	uint64_t events;		/* encoded */
	uint64_t lost;			/* kernel reserve failures seen in the stream */
	uint64_t dropped;		/* by us: writer queue full */
	uint64_t bytes;			/* written to the file */
	uint64_t chunks;
	uint64_t ring_discarded;	/* ring mode: chunks that fell out */
	uint64_t over_size;		/* encoded but left out: past max_size */
	bool full;			/* max_size reached: recording stopped */
	uint64_t written;		/* records (events and lost records) on disk */
	int write_err;			/* -errno: a write failed, recording stopped */
	uint64_t dumps;			/* ring mode: dumps completed (SIGUSR1) */
	uint64_t ring_cap;		/* ring mode: the bytes it keeps at most */
	int dump_err;			/* the last dump's failure, -errno */
	uint64_t cgroups_late;		/* cgroups first named after META (recorder_close) */
};

struct recorder;

/*
 * Creates the file and writes its header and metadata; NULL after p_err.
 * meta->cgroups, when set, is the session's live table (lib/cgroups.h),
 * which must outlive the recorder: an event whose cgroup META does not
 * name is looked up there, and what it learned goes in a CGROUPS section
 * before the event (docs/FORMAT.md), so a replay names it too.
 */
struct recorder *recorder_open(const struct recorder_opts *o, const struct tf_meta *meta);
/* One event, in stream order; 0, or 1 once --max-size is reached. */
int recorder_add(struct recorder *rc, const struct et_rec *r);
/* The live loop's tick: seal the open chunk if it is older than flush_ns. */
void recorder_tick(struct recorder *rc);
/*
 * A new mount table, effective from the next event (from the next chunk
 * when the writer is behind).  Never waits for the writer.
 */
void recorder_mounts(struct recorder *rc, uint64_t ts_ns, const struct mount_table *mt);
/*
 * Ring mode: write what the ring holds now (the file is rewritten), as
 * soon as the writer has room; never waits for it.  recorder_stats.dumps
 * counts the dumps done.
 */
int recorder_dump(struct recorder *rc);
/* The same into another file (record --dump-on), the recording's own untouched. */
int recorder_dump_to(struct recorder *rc, const char *path);
/* Tests only: the writer calls it before each item (to hold it back). */
extern void (*recorder_writer_hook)(void);
/*
 * How many objects the kernel's generation table had no room for, so far:
 * the trailer says so (their ids may repeat).  From the caller's thread.
 */
void recorder_no_generation(struct recorder *rc, uint64_t n);
/* Seal, drain, write the trailer, close and free; final stats in *st; 0 or -errno. */
int recorder_close(struct recorder *rc, uint64_t end_ns, struct recorder_stats *st);
void recorder_get_stats(struct recorder *rc, struct recorder_stats *st);

#endif
