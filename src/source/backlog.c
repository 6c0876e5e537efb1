// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ring's backlog (source/backlog.h).  A lock per chunk, not per record:
 * a chunk holds some 5,000 records, and the producer copies each in with
 * no more than two memcpy()s.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/common.h"
#include "source/backlog.h"

#define REC_SPAN(n)	(8 + (((size_t)(n) + 7) & ~(size_t)7))

/*
 * Chunks are mapped, kept while bursts come and unmapped in a quiet
 * moment (backlog_trim()), not malloc()ed and freed: glibc would serve
 * them from its heap after the first free and give a heap back only from
 * its top, where the model's allocations made in the same burst may sit
 * above them.  Kept, because a chunk mapped afresh is 256 page faults: in
 * a 6.12 guest, keeping them saved the reader 3,000 faults and some 110
 * ms of its CPU over four bursts.
 */
static struct chunk *chunk_new(void)
{
	void *p = mmap(NULL, sizeof(struct chunk), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void chunk_free(struct chunk *ch)
{
	if (ch)
		munmap(ch, sizeof(*ch));
}

int backlog_init(struct backlog *b, size_t max_bytes)
{
	pthread_condattr_t ca;

	memset(b, 0, sizeof(*b));
	b->max_chunks = (max_bytes + CHUNK_BYTES - 1) / CHUNK_BYTES;
	if (b->max_chunks < 2)
		b->max_chunks = 2;
	if (pthread_condattr_init(&ca))
		return -1;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&b->more, &ca)) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_cond_init(&b->room, NULL)) {
		pthread_cond_destroy(&b->more);
		return -1;
	}
	pthread_mutex_init(&b->mu, NULL);
	return 0;
}

void backlog_free(struct backlog *b)
{
	for (struct chunk *ch = b->head, *next; ch; ch = next) {
		next = ch->next;
		chunk_free(ch);
	}
	chunk_free(b->fill);
	b->n_spares = 0;
	for (struct chunk *ch = b->spares, *next; ch; ch = next) {
		next = ch->next;
		chunk_free(ch);
	}
	b->head = b->tail = b->fill = b->spares = NULL;
	pthread_cond_destroy(&b->more);
	pthread_cond_destroy(&b->room);
	pthread_mutex_destroy(&b->mu);
}

/* Under mu. */
static void queue(struct backlog *b, struct chunk *ch)
{
	ch->next = NULL;
	if (b->tail)
		b->tail->next = ch;
	else
		b->head = ch;
	b->tail = ch;
	pthread_cond_signal(&b->more);
}

/*
 * The fill queued, and a new one: waits while the bound is reached (the
 * consumer takes chunks until the producer has ended, so the wait ends).
 */
static struct chunk *next_fill(struct backlog *b)
{
	struct chunk *ch;

	pthread_mutex_lock(&b->mu);
	if (b->fill) {
		queue(b, b->fill);
		b->fill = NULL;
	}
	while (b->chunks >= b->max_chunks)
		pthread_cond_wait(&b->room, &b->mu);
	ch = b->spares;
	if (ch) {
		b->spares = ch->next;
		b->n_spares--;
	} else {
		ch = chunk_new();
	}
	if (ch) {
		ch->len = 0;
		b->chunks++;
		b->fill = ch;
	}
	pthread_mutex_unlock(&b->mu);
	return ch;
}

int backlog_append(struct backlog *b, const void *rec, uint32_t n)
{
	struct chunk *ch = b->fill;

	if (REC_SPAN(n) > CHUNK_BYTES)
		return -EINVAL;
	if (!ch || ch->len + REC_SPAN(n) > CHUNK_BYTES) {
		ch = next_fill(b);
		if (!ch)
			return -ENOMEM;
	}
	memcpy(ch->data + ch->len, &n, sizeof(n));
	memcpy(ch->data + ch->len + 8, rec, n);
	ch->len += REC_SPAN(n);
	return 0;
}

void backlog_flush(struct backlog *b)
{
	pthread_mutex_lock(&b->mu);
	if (b->fill && b->fill->len && !b->head) {
		queue(b, b->fill);
		b->fill = NULL;
	}
	pthread_mutex_unlock(&b->mu);
}

bool backlog_stopping(struct backlog *b)
{
	bool stop;

	pthread_mutex_lock(&b->mu);
	stop = b->stop;
	pthread_mutex_unlock(&b->mu);
	return stop;
}

void backlog_end(struct backlog *b, int err)
{
	pthread_mutex_lock(&b->mu);
	if (b->fill && b->fill->len) {
		queue(b, b->fill);
		b->fill = NULL;
	}
	b->ended = true;
	b->err = err < 0 ? err : 0;
	pthread_cond_broadcast(&b->more);
	pthread_mutex_unlock(&b->mu);
}

struct chunk *backlog_take(struct backlog *b, uint64_t deadline)
{
	struct timespec ts = { .tv_sec = deadline / 1000000000ull,
			       .tv_nsec = deadline % 1000000000ull };
	struct chunk *ch;

	pthread_mutex_lock(&b->mu);
	while (!b->head && !b->ended && mono_ns() < deadline)
		if (pthread_cond_timedwait(&b->more, &b->mu, &ts) == ETIMEDOUT)
			break;
	ch = b->head;
	if (ch) {
		b->head = ch->next;
		if (!b->head)
			b->tail = NULL;
	}
	pthread_mutex_unlock(&b->mu);
	return ch;
}

void backlog_done(struct backlog *b, struct chunk *ch)
{
	pthread_mutex_lock(&b->mu);
	/* at most max_chunks in all: the producer takes one out per chunk it fills */
	ch->next = b->spares;
	b->spares = ch;
	b->n_spares++;
	b->chunks--;
	pthread_cond_signal(&b->room);
	pthread_mutex_unlock(&b->mu);
}

unsigned int backlog_trim(struct backlog *b)
{
	struct chunk *extra;
	unsigned int n;

	pthread_mutex_lock(&b->mu);
	extra = b->spares ? b->spares->next : NULL;
	n = b->n_spares ? b->n_spares - 1 : 0;
	if (b->spares) {
		b->spares->next = NULL;
		b->n_spares = 1;
	}
	pthread_mutex_unlock(&b->mu);
	/* unmapped outside the lock: the producer may be waiting for it */
	for (struct chunk *next; extra; extra = next) {
		next = extra->next;
		chunk_free(extra);
	}
	return n;
}

unsigned int backlog_queued(struct backlog *b)
{
	unsigned int n = 0;

	pthread_mutex_lock(&b->mu);
	for (const struct chunk *ch = b->head; ch; ch = ch->next)
		n++;
	pthread_mutex_unlock(&b->mu);
	return n;
}

void backlog_stop(struct backlog *b)
{
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_mutex_unlock(&b->mu);
}

bool backlog_drained(struct backlog *b, int *err)
{
	bool done;

	pthread_mutex_lock(&b->mu);
	done = b->ended && !b->head;
	*err = b->err;
	pthread_mutex_unlock(&b->mu);
	return done;
}

const void *chunk_next(const struct chunk *ch, size_t *off, uint32_t *n)
{
	const void *rec;

	if (*off + 8 > ch->len)
		return NULL;
	memcpy(n, ch->data + *off, sizeof(*n));
	rec = ch->data + *off + 8;
	*off += REC_SPAN(*n);
	return rec;
}
