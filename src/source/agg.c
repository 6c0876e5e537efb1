// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's aggregation, read.  The map only grows (the BPF side never
 * deletes), so a read walks it, sums each key's per-CPU values, and hands
 * on the difference from what it handed on before.  A key the kernel adds
 * during the walk may be missed by it: the next read has it, and the last
 * one runs after the probes are detached, when nothing moves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "event/decode.h"
#include "lib/ksyms.h"
#include "source/agg.h"

#define SEEN_SLOTS	(2 * AGG_ENTRIES)	/* open addressing, at most half full */

struct agg_entry {
	bool used;
	struct et_agg_key key;
	uint64_t count, sum;		/* handed on so far */
};

int agg_reader_init(struct agg_reader *r, struct tracer *t)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->fd = tracer_agg_fd(t);
	if (r->fd < 0)
		return 0;
	r->ncpu = libbpf_num_possible_cpus();
	if (r->ncpu <= 0)
		return -EINVAL;
	r->vals = calloc(r->ncpu, sizeof(*r->vals));
	r->seen = calloc(SEEN_SLOTS, sizeof(*r->seen));
	if (!r->vals || !r->seen) {
		agg_reader_free(r);
		return -ENOMEM;
	}
	return 0;
}

void agg_reader_free(struct agg_reader *r)
{
	free(r->vals);
	free(r->seen);
	r->vals = NULL;
	r->seen = NULL;
	r->fd = -1;
}

/* FNV-1a over the key: the keys are the kernel's, not a file's. */
static struct agg_entry *seen_slot(struct agg_reader *r, const struct et_agg_key *k)
{
	const unsigned char *p = (const void *)k;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	for (size_t i = 0; i < SEEN_SLOTS; i++) {
		struct agg_entry *e = &r->seen[(h + i) & (SEEN_SLOTS - 1)];

		if (!e->used) {
			e->used = true;
			e->key = *k;
			return e;
		}
		if (!memcmp(&e->key, k, sizeof(*k)))
			return e;
	}
	return NULL;	/* cannot happen: the map has at most AGG_ENTRIES keys */
}

static void to_rec(struct agg_reader *r, const struct et_agg_key *k, struct agg_rec *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = k->kind;
	a->dev = k->dev;
	memcpy(a->fs, k->fs, sizeof(a->fs) - 1);
	memcpy(a->comm, k->comm, sizeof(a->comm) - 1);
	a->cgroup = k->cgroup;
	if (k->stack[0])
		resolve_caller(r->t->ksyms, (const uint64_t *)k->stack, ET_STACK_DEPTH,
			       a->caller, sizeof(a->caller));
	else
		strcpy(a->caller, "?");
}

int agg_reader_read(struct agg_reader *r, uint64_t now, agg_sink_fn sink, void *ctx,
		    uint64_t *d)
{
	/* the map's keys stop after the group's last field (ET_AGG_KEY_SIZE): the rest stays 0 */
	struct et_agg_key key, next = { 0 };
	void *prev = NULL;
	uint64_t n[ETA_COUNTS];
	int ret = 0;

	memset(d, 0, ETA_COUNTS * sizeof(*d));
	if (r->fd < 0)
		return 0;
	while (!ret && !bpf_map_get_next_key(r->fd, prev, &next)) {
		struct et_agg_val sum = { 0 };
		struct agg_entry *e;
		struct agg_rec a;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(r->fd, &key, r->vals))
			continue;
		for (int c = 0; c < r->ncpu; c++) {
			const struct et_agg_val *v = &r->vals[c];

			if (!v->count)
				continue;
			if (!sum.count || v->min < sum.min)
				sum.min = v->min;
			if (v->max > sum.max)
				sum.max = v->max;
			sum.count += v->count;
			sum.sum += v->sum;
		}
		e = seen_slot(r, &key);
		if (!e || sum.count <= e->count)
			continue;
		to_rec(r, &key, &a);
		a.count = sum.count - e->count;
		a.sum = sum.sum - e->sum;
		/* of every value in the bucket so far: merging them again changes nothing */
		a.min = sum.min;
		a.max = sum.max;
		a.ts_ns = now;
		e->count = sum.count;
		e->sum = sum.sum;
		ret = sink(ctx, &a);
	}
	tracer_agg_counts(r->t, n);
	for (int i = 0; i < ETA_COUNTS; i++) {
		d[i] = n[i] > r->counts[i] ? n[i] - r->counts[i] : 0;
		if (n[i] > r->counts[i])
			r->counts[i] = n[i];
	}
	return ret;
}
