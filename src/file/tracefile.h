/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The trace file (docs/FORMAT.md): a header, a metadata section, then
 * sections of zstd-compressed event chunks, mount-table changes and a
 * trailer.  The writer side is split in two so the recorder can encode on
 * the ring-buffer thread and compress/write on another: tf_chunk encodes
 * decoded events; tf_chunk_seal() turns a chunk into the bytes of one
 * section.  The reader is a parser of untrusted input: every length is
 * checked, every allocation bounded.
 */
#ifndef EVTRACE_TRACEFILE_H
#define EVTRACE_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/decode.h"
#include "lib/mounts.h"

struct cgroups;

#define TF_VERSION_MAJOR	1
/*
 * 1.1: the cgroup id, presence bit 13; 1.2: META's host and cmdline;
 * 1.3: CGROUPS sections, the cgroups learned during the run
 */
#define TF_VERSION_MINOR	3

/* Bounds a reader enforces and a writer never exceeds. */
#define TF_CHUNK_MAX_EVENTS	(1u << 20)
#define TF_WRITE_EVENTS		16384	/* the most events the writer puts in a chunk */
#define TF_CHUNK_MAX_RAW	(64u << 20)	/* decompressed payload */
#define TF_SECTION_MAX		(64u << 20)	/* compressed payload / text */
/*
 * A text section (META, MOUNTS, TRAILER).  META holds the mount table:
 * up to MOUNTS_MAX superblocks, each line at most 1101 bytes escaped, so
 * this writer's largest META is 8.6 MiB (codec.h checks it).  A host of
 * containers has thousands of superblocks with paths of a hundred bytes
 * and more (overlay rootfs, a pod's tmpfs volumes): a 1 MiB bound would
 * make its recordings unreadable.
 */
#define TF_TEXT_MAX		(16u << 20)
/*
 * The work a reader does on one file, in bytes CRC'd or scanned for a
 * section header: at most TF_WORK_FLOOR + TF_WORK_PER_BYTE * its size.
 * Reading a file once costs its size; the rest is for damage: a resync
 * scans to the next good section, and its windows read a little ahead.
 */
#define TF_WORK_PER_BYTE	8
#define TF_WORK_FLOOR		(1ull << 20)
/*
 * What a reader decompresses from one file: at most the larger of
 * TF_INFLATE_FLOOR and TF_INFLATE_PER_BYTE * its size; the chunks past
 * it are skipped, not inflated.  A zstd frame of zeros inflates about
 * 32,000 times (a 210 KB file made 6.7 GB).  Real recordings inflate 2.3
 * times (the seed's) and 1.8 times (gen_trace's pipe loop); the most a
 * chunk of this writer ever reached, 16,384 identical records at a
 * steady pace, was 2,372 times: still room below 4096.
 */
#define TF_INFLATE_PER_BYTE	4096
#ifndef TF_INFLATE_FLOOR	/* the fuzz target lowers it: a mutant reaches it sooner */
#define TF_INFLATE_FLOOR	(256ull << 20)
#endif

/* What a recording says about itself (the META section). */
/* The most bytes of a recording's command line kept, with the NUL. */
#define TF_CMDLINE_MAX	4096

struct tf_meta {
	char evtrace_version[32];
	char kernel_release[128];
	char machine[64];
	uint32_t ncpus;
	int64_t boot_offset_ns;		/* CLOCK_REALTIME - CLOCK_MONOTONIC at start */
	/*
	 * The trace's start: CLOCK_MONOTONIC (the events' clock) and the wall
	 * clock then.  What every printed time and --from/--to count from.
	 * Reading: META's, unless the file's first chunk holds an event before
	 * it (files of before 2026-11-24 took it after attaching) or META has
	 * none: then that chunk's earliest event, and start_realtime_ns moved
	 * with it (start_from_event says so; recorded_start_ns keeps META's).
	 */
	uint64_t start_ns;
	uint64_t start_realtime_ns;
	uint64_t recorded_start_ns;	/* reading: META's start_ns as written */
	bool start_from_event;		/* reading: start_ns is the first event's, not META's */
	char probes[1024];		/* "name=mode,name=mode,..." */
	char filters[512];		/* the command line's filters, as given */
	/* as perf records them; "" in files made before they were kept */
	char host[65];			/* uname -n */
	char cmdline[TF_CMDLINE_MAX];	/* argv, shell-quoted (lib/common.h's cmdline_join) */
	struct mount_table mounts;	/* at start; tf_meta_free() frees it */
	/*
	 * cgroup id -> path (lib/cgroups.h).  Reading: the file's table, or
	 * NULL if it has none (tf_meta_free() frees it).  Writing: the table
	 * to write, or NULL for tf_set_cgroups()'s; the writer never frees it.
	 */
	struct cgroups *cgroups;
	uint16_t format_major, format_minor;	/* reading: the file's format version */
};

/* The TRAILER section: written on a clean close. */
struct tf_trailer {
	uint64_t end_ns;		/* CLOCK_MONOTONIC */
	uint64_t end_realtime_ns;
	uint64_t events;		/* written, lost records excluded */
	uint64_t lost;			/* kernel ring buffer reserve failures */
	uint64_t dropped;		/* dropped by the recorder itself (queue full) */
	uint64_t chunks;
	/*
	 * Objects the kernel's generation table had no room for (it was
	 * full, see --max-objects): their ids may repeat.  0 in files of
	 * before 2026-12-01, which did not say.
	 */
	uint64_t no_generation;
};

void tf_meta_free(struct tf_meta *m);

/* ---- writing ------------------------------------------------------------ */

struct tf_chunk;

struct tf_chunk *tf_chunk_new(void);
void tf_chunk_free(struct tf_chunk *c);
/* Encode one event; -E2BIG when the chunk is full (seal it, reset, retry). */
int tf_chunk_add(struct tf_chunk *c, const struct et_rec *r);
uint32_t tf_chunk_events(const struct tf_chunk *c);
/* Of those, lost records (which the trailer's event count leaves out). */
uint32_t tf_chunk_lost_records(const struct tf_chunk *c);
size_t tf_chunk_raw_bytes(const struct tf_chunk *c);
uint64_t tf_chunk_first_ns(const struct tf_chunk *c);
uint64_t tf_chunk_last_ns(const struct tf_chunk *c);
/* Empty it for reuse: encoder state (string and id tables) starts over. */
void tf_chunk_reset(struct tf_chunk *c);
/*
 * The bytes of one EVENTS section (header + zstd payload), malloc'ed into
 * *out.  0 or -errno.  Does not reset the chunk.
 */
int tf_chunk_seal(const struct tf_chunk *c, int zstd_level, uint8_t **out, size_t *len);

/*
 * The table of a META whose tf_meta has none: the live session's, so a
 * recording keeps the names of its cgroups whoever opens it.  NULL: none.
 */
void tf_set_cgroups(struct cgroups *cg);
/* The file header plus the META section; 0 or -errno. */
int tf_write_start(int fd, const struct tf_meta *m);
/* A MOUNTS section: the whole table as of ts_ns. */
int tf_write_mounts(int fd, uint64_t ts_ns, const struct mount_table *mt);
/*
 * A CGROUPS section (1.3): every id and path in cg, cgroups first seen
 * after META was written; they name the events after it.  0 or -errno.
 */
int tf_write_cgroups(int fd, uint64_t ts_ns, struct cgroups *cg);
int tf_write_trailer(int fd, const struct tf_trailer *t);
/* The most bytes tf_write_trailer() can write: what a size cap keeps free. */
size_t tf_trailer_max(void);
/* write(2) all of buf, retrying short writes and EINTR. */
int tf_write_all(int fd, const void *buf, size_t len);

/* ---- reading ------------------------------------------------------------ */

struct tf_reader;

struct tf_status {
	uint64_t events;		/* delivered so far */
	uint64_t chunks, bad_chunks;	/* bad: CRC or decoding failed, skipped */
	uint64_t skipped_events;	/* the events the bad chunks claimed to hold */
	uint64_t truncated_at;		/* byte offset where the file stops mid-section; 0 if not */
	uint64_t cut_bytes;		/* then: the bytes from there to the end, which are left out */
	uint64_t cut_events;		/* the events its header claimed (an EVENTS section) */
	uint16_t cut_type;		/* its section type; 0: its header is cut too */
	uint64_t work;			/* bytes CRC'd or scanned: what TF_WORK_* bound */
	uint64_t gave_up_at;		/* the work budget ran out at this byte, on damage: */
					/* what follows was not read; 0 if not */
	uint64_t inflated;		/* bytes decompressed: what TF_INFLATE_* bound */
	uint64_t not_inflated;		/* chunks past that bound, skipped (in bad_chunks too) */
	bool trailer_seen;		/* the recorder closed it cleanly */
	struct tf_trailer trailer;	/* valid if trailer_seen */
};

/*
 * Opens and checks the header and META section; "-" is standard input,
 * read as a stream (tf_open_fd()), refused when it is a terminal, and a
 * path that cannot be seeked (a FIFO, <(...)) is read as a stream too.  NULL
 * with a one-line reason in err (e.g. "not an evtrace file", "file format
 * 2.0 is newer than this evtrace reads (1.x): upgrade evtrace", "empty
 * file").
 */
struct tf_reader *tf_open(const char *path, char *err, size_t errlen);
/* path as messages name it: "standard input" for "-" (tf_open() reads it then). */
const char *tf_name(const char *path);
/*
 * The same from a stream, fd open for reading (standard input: "-" on
 * the command line): its sections are read in order, never seeked to,
 * with memory bounded by a section, as perf's -i - reads.  The fd stays
 * the caller's.  A stream is bounded by the bytes read so far: the work
 * and inflation budgets grow as it is read.
 */
struct tf_reader *tf_open_fd(int fd, char *err, size_t errlen);
/* The same from memory (the fuzzer, tests); buf must outlive the reader. */
struct tf_reader *tf_open_mem(const void *buf, size_t len, char *err, size_t errlen);
void tf_close(struct tf_reader *rd);
const struct tf_meta *tf_reader_meta(const struct tf_reader *rd);
/*
 * The next event, in file order: 1 and *r filled, 0 at the end (clean or
 * truncated: see tf_reader_status), or -errno on an I/O error.  Damaged
 * chunks are skipped and counted, never fatal.
 */
int tf_next(struct tf_reader *rd, struct et_rec *r);
/*
 * The next events in bulk: up to cap of them, all from one chunk, into
 * out; their count, 0 at the end, or -errno, as tf_next().  A chunk that
 * fits is checked and decoded in one pass, which is what makes this the
 * faster way to read a file.  Records of a damaged chunk never count, but
 * out[] may have been written.  A MOUNTS section comes only before a
 * batch, so tf_mounts_changed() after a call applies from its out[0].
 */
int tf_next_batch(struct tf_reader *rd, struct et_rec *out, uint32_t cap);
/*
 * A MOUNTS section read since the last call: non-NULL once, with the time
 * it applies from; the table stays valid until the next tf_next() or
 * tf_next_batch().
 */
const struct mount_table *tf_mounts_changed(struct tf_reader *rd, uint64_t *ts_ns);
/*
 * The cgroups named by MOUNTS and CGROUPS sections read since the last
 * call, as tf_mounts_changed() says when: they name the events from the
 * next one on.  The caller frees it (cgroups_free()); NULL if none.  The
 * file's whole table, META's and these, is tf_reader_meta()'s.
 */
struct cgroups *tf_cgroups_changed(struct tf_reader *rd);
void tf_reader_status(const struct tf_reader *rd, struct tf_status *st);
/*
 * What a truncation cut (st->truncated_at set), for messages: "the last
 * 24313 bytes cut, of a chunk of 1234 events", or "..., inside a section
 * header" when the file ends in one.
 */
void tf_cut_text(const struct tf_status *st, char *buf, size_t size);
/*
 * The file's size when it was opened (what is read); a stream's, all of
 * it: the rest of one that reading stopped on is read to its end, not kept.
 */
uint64_t tf_reader_size(struct tf_reader *rd);
/* Read from a stream (tf_open_fd()) rather than a file. */
bool tf_reader_is_stream(const struct tf_reader *rd);

#endif
