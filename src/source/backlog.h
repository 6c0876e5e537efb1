/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records read off the ring buffer on one thread, waiting for the consumer
 * on another (source/ring.c): a queue of 1 MiB chunks, each a run of
 * records in the order read, taken whole by the consumer and given back.
 * Bounded: the producer waits while max_bytes of chunks are out.
 */
#ifndef EVTRACE_SOURCE_BACKLOG_H
#define EVTRACE_SOURCE_BACKLOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHUNK_BYTES	(1u << 20)

/* Records as read: each a u32 size in an 8-byte slot, then its bytes, 8-aligned. */
struct chunk {
	struct chunk *next;
	size_t len;
	unsigned char data[CHUNK_BYTES];
};

struct backlog {
	pthread_mutex_t mu;
	pthread_cond_t more;		/* to the consumer: a chunk queued, or the end */
	pthread_cond_t room;		/* to the producer: a chunk given back */
	struct chunk *head, *tail;	/* queued, oldest first */
	struct chunk *fill;		/* the producer's, not queued yet: its thread's alone */
	struct chunk *spares;		/* given back, kept for the producer's next */
	unsigned int n_spares;
	unsigned int chunks, max_chunks;	/* queued and fill; the bound */
	bool stop;			/* asked of the producer: end after this round */
	bool ended;			/* the producer is done */
	int err;			/* why it ended, if it failed */
};

/* 0, or -1 if the thread primitives could not be set up.  At least 2 chunks. */
int backlog_init(struct backlog *b, size_t max_bytes);
/* Everything still held; after both sides are done. */
void backlog_free(struct backlog *b);

/* ---- the producer's side (one thread) ---- */

/* A record of n bytes (at most CHUNK_BYTES - 8): 0, or -ENOMEM. Waits for room. */
int backlog_append(struct backlog *b, const void *rec, uint32_t n);
/* A round's end: what the fill holds goes now if the consumer has nothing. */
void backlog_flush(struct backlog *b);
/* Whether the consumer asked for the end. */
bool backlog_stopping(struct backlog *b);
/* Done (err < 0: why): the fill is queued, the consumer told. */
void backlog_end(struct backlog *b, int err);

/* ---- the consumer's side ---- */

/* The oldest queued chunk, waiting until deadline (CLOCK_MONOTONIC ns); NULL if none. */
struct chunk *backlog_take(struct backlog *b, uint64_t deadline);
/* A chunk read through, given back: kept for the producer's next. */
void backlog_done(struct backlog *b, struct chunk *ch);
/*
 * The chunks kept past the first unmapped: a quiet moment's (the caller
 * says when).  Returns how many.
 */
unsigned int backlog_trim(struct backlog *b);
/* How many chunks are queued, not taken yet. */
unsigned int backlog_queued(struct backlog *b);
/* Ask the producer to end after its round (backlog_stopping()). */
void backlog_stop(struct backlog *b);
/* True once the producer has ended and every chunk was taken; *err its error. */
bool backlog_drained(struct backlog *b, int *err);
/* The record at *off in ch, its size in *n, *off moved past it; NULL at the end. */
const void *chunk_next(const struct chunk *ch, size_t *off, uint32_t *n);

#endif
