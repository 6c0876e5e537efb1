/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private to src/model: the model's state, shared by model.c (the core and
 * its VFS tables) and eventfs.c (the eventfs_inode state machine).  The rest
 * of evtrace sees model.h only, so the tables can change without it.
 */
#ifndef EVTRACE_MODEL_INT_H
#define EVTRACE_MODEL_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * uthash's default (Jenkins) costs more than the rest of a lookup for our
 * 8- and 16-byte keys.  Ids are keyed SipHash already, but (dev, ino) and
 * (parent, name) keys come straight from a trace file that may have been
 * crafted to collide: a per-process random seed keeps chains short.
 */
extern uint64_t m_hash_seed;	/* set once, by the first model_new() */

static inline uint64_t hash_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static inline unsigned int model_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = m_hash_seed ^ len, v;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&v, p, 8);
		h = hash_mix(h ^ v) + 0x9e3779b97f4a7c15ull;
	}
	if (len) {
		v = 0;
		memcpy(&v, p, len);
		h = hash_mix(h ^ v);
	}
	return (unsigned int)(h ^ h >> 32);
}

/*
 * Every file of the model hashes and allocates its tables' buckets the
 * same way: a table's buckets may be freed by another file than the one
 * that grew them.
 */
void *m_hash_alloc(size_t size);
void m_hash_release(void *p, size_t size);

#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = model_hash((keyptr), (keylen)))
#define uthash_malloc(size) m_hash_alloc(size)
#define uthash_free(ptr, size) m_hash_release((ptr), (size))
#include <uthash.h>

#include "lib/common.h"
#include "lib/line.h"
#include "model/model.h"

#define ANOMALY_RING	256

/* the VFS tables' entries: model.c's alone */
struct m_inode;
struct ino_slot;
struct m_dentry;

/* One eventfs_inode, released ones included until the table is full. */
struct m_ei {
	uint64_t id, parent;
	char name[ET_NAME_LEN];
	char *path;
	uint64_t path_gen;		/* the model's label_gen when path was made */
	uint64_t ino;
	enum ei_state state;
	int64_t refcount;
	uint64_t created_ns, removed_ns, released_ns;
	bool created_seen, refcount_known, flagged_not_released, removed_referenced;
	uint32_t instance;		/* an instance's events dir: its number (1, 2...); 0 not one */
	uint32_t dev;			/* tracefs' superblock */
	char comm[ET_COMM_LEN];
	struct ei_change *history;	/* ring of ei_history refcount changes: history0 at first */
	/*
	 * Most eis see create, remove, release: their history fits in the
	 * entry itself, one allocation an ei instead of two.
	 */
	struct ei_change history0[4];
	uint32_t history_start, n_history, history_cap;	/* grows to ei_history, then a ring */
	uint64_t history_dropped;
	uint64_t holders[EI_HOLDERS_MAX];
	uint32_t n_holders, holders_more;
	uint64_t order;			/* the table's insertion order */
	/* removed, not released, not yet flagged: on the model's pending list */
	struct m_ei *pend_next, *pend_prev;
	bool pending;
	UT_hash_handle hh;
};

struct group_table {
	struct ino_group *g;
	size_t n, cap;
};

/*
 * Freed objects of one kind, reused before malloc is asked again: replay
 * allocates and frees one per event, and malloc's bookkeeping was a tenth
 * of it.  Never longer than the table's peak, which the table bounds.
 */
struct pool {
	void *head;
	size_t size;
};

struct model {
	struct model_opts o;
	uint32_t want_samples;	/* model_want_samples() */
	struct pool inode_pool, slot_pool, dentry_pool;
	const struct mount_table *mounts;
	struct m_inode *inodes;
	struct ino_slot *slots;
	struct m_dentry *dentries;
	struct m_dentry *pn_index;
	struct m_ei *eis;
	/*
	 * The ei of the last event: a directory's files are looked up and
	 * released one after the other, each an event on the directory's ei.
	 */
	struct m_ei *ei_last;
	size_t n_inodes, n_dentries, n_eis;
	struct group_table groups[BY_MAX];
	struct anomaly ring[ANOMALY_RING];
	size_t ring_start, ring_n;
	struct model_stats st;
	uint64_t interval_start;	/* current rate interval; 0 before the first event */
	uint64_t next_check_ns;		/* model_advance(): the next interval's start */
	uint64_t all_interval;		/* allocations in it, all groups */
	double all_rate;
	struct mount_cache {
		uint32_t dev;
		const char *path;	/* into mounts; NULL: not a mount */
		uint64_t retry_ns;	/* NULL path: ask on_unknown_dev again from then */
	} mcache[64];
	size_t n_mcache, mcache_next;
	char dev_name[32];
	struct ei_change *history_scratch;	/* model_ei_find()'s history, ei_history long */
	/*
	 * Removed eis waiting for their release, by removal time: the timeout
	 * check looks at the oldest only, not at every ei of the table.
	 */
	struct m_ei *pend_head, *pend_tail;
	uint64_t ei_order;
	/*
	 * Tracefs instances, numbered as their events dirs are first seen;
	 * the numbers of roots dropped from the table, so that their
	 * remaining eis keep their instance's path.
	 */
	uint32_t n_instances;
	/*
	 * Bumped by every change a path depends on (an ei in or out of the
	 * table, a parent, a name, an instance): a removal reports thousands
	 * of eis in a row, and each path made again was a third of its cost.
	 */
	uint64_t label_gen;
	struct { uint64_t id; uint32_t n; } gone_instances[64];
	uint32_t n_gone_instances;
	/*
	 * Their names, as the events dir's ei_create carries them
	 * (ET_F_INSTANCE); the last 64 kept, older ones are "#N" again.
	 */
	struct { uint32_t n; char name[ET_NAME_LEN]; } inst_names[64];
	uint32_t n_inst_names;
	/* aggregated in the kernel: allocated and not yet freed, as counted */
	int64_t agg_live_inodes, agg_live_dentries;
	/*
	 * --ei, --path: the event being fed, and whether the selection passes
	 * it (-1: not decided yet).  Decided when first asked, by a sample or
	 * an anomaly it makes or at the end of model_feed(): an ei_create's
	 * path exists only once the model has taken it.
	 */
	bool selecting;
	const struct et_rec *cur;
	int cur_selected;
	struct anomaly unselected;	/* an anomaly the selection leaves out: not kept */
};

/* Bounded copy, NUL-terminated: on the per-event path, no snprintf. */
static inline void copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Event time, for text: ns to seconds. */
static inline double secs(uint64_t ns)
{
	return ns / 1e9;
}

/* model.c: whether the event being fed passes the selection (decided once). */
bool m_cur_selected(struct model *m);

/* Does anyone read samples of kind k (model_want_samples())? */
static inline bool m_wants(const struct model *m, enum sample_kind k)
{
	return m->want_samples & (1u << k);
}

/*
 * A finished measurement, to the on_sample callback (the histograms).  An
 * ei's is not put in a cgroup (model.c's sample_by() has the VFS ones').
 * With a selection, only those of the events it passes.
 */
static inline void sample(struct model *m, enum sample_kind k, uint64_t v, const char *mount,
			  const char *fs, const char *caller, const char *comm)
{
	struct sample s = { .kind = k, .value = v, .group = { mount, fs, caller, comm, "?" },
			    .n = 1, .sum = v, .max = v };

	if (m->selecting && !m_cur_selected(m))
		return;
	if (m->o.on_sample)
		m->o.on_sample(m->o.ctx, &s);
}

/* model.c: the core, for the eventfs_inode state machine */
/* The name of the mount a superblock is on, for groups; fs if it has none. */
const char *m_mount_of(struct model *m, uint32_t dev, const char *fs);
/* An anomaly: counted, kept in the ring, handed to on_anomaly. */
void __attribute__((format(printf, 5, 6)))
m_report(struct model *m, enum anomaly_kind k, uint64_t ts, uint64_t obj, const char *fmt, ...);
/* The same, its text put together by the caller (cut as vsnprintf would cut it). */
void m_report_line(struct model *m, enum anomaly_kind k, uint64_t ts, uint64_t obj,
		   const struct line *l);
/* An event naming the inode a dentry points at: learn it, named after the dentry. */
int m_dentry_inode_seen(struct model *m, const struct et_rec *r, uint64_t dentry,
			uint64_t inode_id, uint64_t ino);

/* eventfs.c: the eventfs_inode state machine */
/* The ei of this id passes the selection (its id and its path); false if not tracked. */
bool m_ei_selected(struct model *m, uint64_t id);
/* An ET_EI_* event, in stream order.  0, or -ENOMEM. */
int m_on_ei(struct model *m, const struct et_rec *r);
/* Flag eis removed longer than release_timeout_ns ago and still not released. */
void m_check_release_timeouts(struct model *m, uint64_t now);
/* Free every ei (model_free()). */
void m_eis_free(struct model *m);

#endif
