/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model: turns the decoded event stream, live or replayed, into the
 * answers evtrace exists for (inode-number consumption, eventfs_inode
 * refcount timelines, dentry and inode lifetimes) and the anomalies the
 * seed thread hunted for.
 *
 * Time is the events' own clock, never the wall clock: the same stream
 * gives the same answers live and replayed.  Every table is bounded; what
 * falls out is counted.
 */
#ifndef EVTRACE_MODEL_H
#define EVTRACE_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event/decode.h"
#include "event/stream.h"
#include "model/select.h"

struct mount_table;
struct cgroups;

/* BY_CGROUP: the allocating task's cgroup v2 path, or its container (lib/cgroups.h) */
enum group_by { BY_MOUNT, BY_FS, BY_CALLER, BY_COMM, BY_CGROUP, BY_MAX };

/* Values the model hands to histograms, one per finished measurement. */
enum sample_kind {
	S_INO,		/* an allocated inode number (ino_alloc) */
	S_DENTRY_LIFE,	/* dentry allocation -> kill, usecs */
	S_INODE_LIFE,	/* inode allocation -> evict, usecs */
	S_EI_LIFE,	/* ei_create -> ei_release, usecs */
	S_EI_REFS,	/* an ei's refcount after each change */
	S_MAX,
};

/*
 * One value, or (n > 1, from the kernel's aggregation) n values in one
 * histogram bucket: value is then their min, and sum and max go with it.
 */
struct sample {
	enum sample_kind kind;
	uint64_t value;
	const char *group[BY_MAX];
	uint64_t n, sum, max;
};

enum anomaly_kind {
	A_DUP_INO,		/* two live inodes, one superblock, one i_ino */
	A_EI_REMOVED_REFERENCED,/* removed while dentries still hold it */
	A_EI_LOOKUP_AFTER_REMOVE,/* a lookup reached an ei after its removal */
	A_EI_NEGATIVE,		/* a put on a zero refcount, or the model below zero */
	A_EI_NOT_RELEASED,	/* removed, not released within the timeout */
	A_DENTRY_OUTLIVES_EI,	/* a holder dentry still alive at release */
	A_SECOND_DENTRY,	/* (parent, name) looked up again, older dentry unreleased */
	A_MAX,
};

struct anomaly {
	enum anomaly_kind kind;
	uint64_t ts_ns;
	uint64_t obj;		/* the ei, inode or dentry id it is about */
	char text[240];
};

struct model_opts {
	uint32_t max_inodes;	/* live inodes tracked (default 65536) */
	uint32_t max_dentries;	/* live dentries tracked (default 65536) */
	uint32_t max_eis;	/* eis tracked, released ones included (default 16384) */
	uint32_t max_groups;	/* groups per --by key (default 1024) */
	uint32_t ei_history;	/* refcount changes kept per ei (default 64) */
	bool no_history;	/* none kept: nothing will show them (hist, events without --ei-history) */
	uint64_t release_timeout_ns;	/* removed, not released: flag after (default 10 s) */
	uint64_t interval_ns;	/* rate interval (default 1 s) */
	/*
	 * Inode frees do not reach the model (the kernel aggregates them, or
	 * evict() is not probed): learn no inode from the events that name
	 * one, as it would stay live forever and twin every later one (dup_ino).
	 */
	bool no_inode_frees;
	/*
	 * eventfs_root_lookup() and eventfs_d_release() are not probed (hist
	 * --of ino, --type without ei_get and ei_put): an ei's refcount is
	 * the kernel's reading at its create, remove and release, its holders
	 * are not known, and a jump between readings is no gap.
	 */
	bool no_ei_refs;
	/* names the cgroup ids of --by cgroup's groups; NULL: "cgroup:ID" */
	struct cgroups *cgroups;
	/*
	 * --ei, --path (select.h): the model follows every event, but hands
	 * on only the selected events' samples and the selected anomalies
	 * (on_sample, on_anomaly, model_anomalies()); model_ei_selected()
	 * and model_selected() say what else a view should leave out.
	 */
	struct ei_select select;
	/* every sample, e.g. into a histogram; may be NULL */
	void (*on_sample)(void *ctx, const struct sample *s);
	/* every anomaly as found; may be NULL */
	void (*on_anomaly)(void *ctx, const struct anomaly *a);
	/* a device not in the mount table: the live source may reload it */
	void (*on_unknown_dev)(void *ctx, uint32_t dev);
	void *ctx;
};

#define MODEL_RATE_HISTORY 60	/* intervals of rate history per group */

struct ino_group {
	const char *name;
	uint64_t total;			/* inode numbers allocated */
	uint64_t interval;		/* in the current interval */
	double rate;			/* per second, exponentially smoothed */
	uint32_t history[MODEL_RATE_HISTORY];	/* per finished interval, oldest first */
};

struct ei_change {
	uint64_t ts_ns;
	uint64_t dentry;		/* the dentry that caused it, 0 if none */
	int32_t refcount;		/* after the change */
	uint8_t op;			/* ET_EI_* */
	uint8_t gap;			/* the kernel's value disagreed with ours: events missing */
};

enum ei_state { EI_LIVE, EI_REMOVED, EI_RELEASED };

#define EI_HOLDERS_MAX 16		/* dentries listed per ei; more are counted */

struct ei_view {
	uint64_t id, parent;
	const char *name;
	const char *path;		/* in tracefs: "events/kprobes/sched", "instances/#2/events/sched" */
	uint64_t ino;
	enum ei_state state;
	int64_t refcount;		/* current, per the model */
	uint64_t created_ns, removed_ns, released_ns;	/* 0: not seen */
	bool created_seen;		/* false: existed before tracing (unknown start) */
	bool removed_referenced;	/* dentries still held it when it was removed */
	bool not_released;		/* removed, and not released within --release-timeout */
	const struct ei_change *history;	/* model_ei_find() only: until its next call */
	uint32_t n_history;
	uint64_t history_dropped;	/* oldest changes dropped from a long history */
	const uint64_t *holders;	/* dentries holding a reference now */
	uint32_t n_holders;
	uint32_t holders_more;		/* beyond EI_HOLDERS_MAX */
};

struct model_stats {
	uint64_t events, lost;
	uint64_t lost_by[LOST_CAUSES];	/* lost, by cause (event/stream.h) */
	uint64_t ino_allocs;
	uint32_t ino_max;		/* highest get_next_ino() value seen */
	double ino_rate;		/* all groups, per second, smoothed */
	uint64_t live_inodes, live_dentries, eis, eis_removed_referenced;
	uint64_t dentries_on_removed_eis;	/* live holders of removed eis */
	bool holders_traced;		/* false: model_opts.no_ei_refs, the count is no answer */
	uint64_t unknown_start;		/* frees of objects allocated before tracing */
	uint64_t evicted_from_model;	/* dropped from a full table */
	uint64_t anomalies[A_MAX];
	uint64_t first_ns, last_ns;
	/* with a selection (model_opts.select): the events and anomalies it passed */
	uint64_t selected_events, selected_anomalies;
};

struct model;

struct model *model_new(const struct model_opts *o);
void model_free(struct model *m);
/* The table used to name mounts; the model does not own it. */
void model_set_mounts(struct model *m, const struct mount_table *mt);
/*
 * The kinds of sample anyone reads (1 << enum sample_kind; all until
 * said): the others are not taken, nor their groups named.  An ei's
 * refcount sample on each of its changes was a tenth of the model's time.
 */
void model_want_samples(struct model *m, uint32_t kinds);
/* Feed one event, in stream order.  0, or -ENOMEM. */
int model_feed(struct model *m, const struct et_rec *r);
struct agg_rec;
/*
 * What the kernel aggregated (event/agg.h): the allocations and lifetimes
 * those events would have given, handed on as one sample.  0 or -ENOMEM.
 */
int model_feed_agg(struct model *m, const struct agg_rec *a);
/*
 * Aggregated events by type (n[ET_*], as stats count them), frees whose
 * allocation was not seen (unknown_inodes, unknown_dentries), since the
 * last call; since: when the stream began, for a run with no event yet.
 */
void model_count_agg(struct model *m, const uint64_t *n, uint64_t unknown_inodes,
		     uint64_t unknown_dentries, uint64_t since, uint64_t now);
/* Advance the model's clock without an event (live: the poll loop). */
void model_advance(struct model *m, uint64_t now_ns);

void model_get_stats(const struct model *m, struct model_stats *s);
/* Seconds until the 32-bit counter wraps at the current rate; <0: unknown. */
double model_wrap_eta(const struct model *m);
/* Groups of one key kind, by total descending; returns the count. */
size_t model_ino_groups(const struct model *m, enum group_by by,
			const struct ino_group **out, size_t max);
/* Iterate eis in creation order, from a zeroed iterator; false at the end. */
struct ei_iter {
	const void *next;
	bool started;
};

bool model_ei_next(const struct model *m, struct ei_iter *it, struct ei_view *v);
bool model_ei_find(const struct model *m, uint64_t id, struct ei_view *v);

/* --ei, --path: the selection, NULL when there is none. */
const struct ei_select *model_selection(const struct model *m);
/* The event model_feed() took last passes the selection (always, without one). */
bool model_selected(const struct model *m);
/* This ei passes it (always, without one). */
bool model_ei_selected(const struct model *m, const struct ei_view *v);
/* The newest anomalies (with a selection, the newest it passed), oldest first; the count. */
size_t model_anomalies(const struct model *m, const struct anomaly **out, size_t max);

const char *group_by_name(enum group_by by);
int group_by_from_name(const char *name);	/* -1 if unknown */
const char *anomaly_name(enum anomaly_kind k);
const char *ei_state_name(enum ei_state s);

#endif
