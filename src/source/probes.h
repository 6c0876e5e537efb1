/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Loading and attaching the BPF programs: fentry first, kprobe second. */
#ifndef EVTRACE_PROBES_H
#define EVTRACE_PROBES_H

#include <stdbool.h>
#include <stdint.h>

#include "event/stream.h"
#include "evtrace/evtrace.h"

#define MAX_FILTER	64	/* matches bpf/evtrace.bpf.c */

enum attach_pref { ATTACH_AUTO, ATTACH_FENTRY, ATTACH_KPROBE };
/* PROBE_SKIPPED: not attached, as no event type asked for (--type) needs it */
enum probe_mode { PROBE_MISSING, PROBE_FENTRY, PROBE_KPROBE, PROBE_SKIPPED };

struct filters {
	uint32_t pids[MAX_FILTER];
	int npids;
	char comms[MAX_FILTER][ET_COMM_LEN];
	int ncomms;
	char fss[MAX_FILTER][ET_FS_LEN];
	int nfss;
	uint32_t devs[MAX_FILTER];	/* kernel dev_t encoding */
	int ndevs;
	const char *mounts[MAX_FILTER];	/* --mount paths, resolved into devs later */
	int nmounts;
	uint32_t types;			/* 1 << ET_*: only these types; 0 all */
	uint64_t cgroups[MAX_FILTER];	/* cgroup v2 ids (their directories' inode numbers) */
	int ncgroups;
	bool include_self;
};

/*
 * Counting in the kernel instead of streaming (hist, the live view): the
 * types whose events become (group, bucket) counts, see evtrace.h.
 */
struct agg_opts {
	uint32_t types;		/* 1 << ET_*: aggregated; 0 none */
	bool stream;		/* stream them as well (a recording beside, --agg-check) */
	bool comm;		/* groups carry the task's comm (--by comm) */
	bool caller;		/* ino_alloc groups carry the stack (--by caller) */
	bool cgroup;		/* groups carry the task's cgroup id (--by cgroup) */
	uint64_t step;		/* linear buckets of step; 0 log2 */
	bool no_ei_inodes;	/* ei_get without its inode: the model keeps no inodes */
};

#define AGG_ENTRIES	4096	/* (kind, group, bucket) entries the kernel keeps */

/* --max-objects' default when dentries or inodes are numbered (else 65536) */
#define MAX_OBJECTS_DEFAULT	262144

struct tracer_opts {
	enum attach_pref attach;
	struct filters filters;
	uint32_t ringbuf_bytes;
	uint32_t max_objects;	/* generation table entries */
	struct agg_opts agg;
	bool count_calls;	/* per-function call counts (-v), a map update per call */
	bool bpf_stats;		/* the kernel times our programs (serve --bpf-stats) */
};

struct probe_status {
	const char *name;	/* the probe, as its programs are named */
	const char *target;	/* the kernel function attached: name, or a newer kernel's */
	enum probe_mode mode;
	char reason[512];	/* why missing, or why not the preferred mode */
};

#define NR_PROBES 12

struct tracer {
	struct evtrace_bpf *skel;
	struct probe_status probes[NR_PROBES];
	struct bpf_link *links[NR_PROBES][2];
	bool ei_put_in_kill;	/* eventfs_d_release()'s calls told by __dentry_kill()'s program */
	/* called for each ring buffer record, from ring_buffer__poll() */
	int (*on_event)(void *ctx, const struct et_event *e, size_t size);
	void *on_event_ctx;
	int n_fentry, n_kprobe, n_missing, n_skipped;
	struct ring_buffer *rb;
	struct ksyms *ksyms;
	uint64_t lost_seen[LOST_CAUSES];	/* per cause, already reported */
	uint64_t misses_read_ns;	/* when the programs' and links' misses were read */
	uint64_t stream_start_ns;	/* CLOCK_MONOTONIC before the first attach: no event is older */
	uint32_t agg_types;		/* what the kernel aggregates (agg_opts.types) */
	int stats_fd;			/* BPF_ENABLE_STATS held while tracing; -1 none */
};

/* Root/capabilities and kernel BTF: 0 or EXIT_ENV after printing why. */
int check_environment(void);
/*
 * Open, choose fentry or kprobe per probe, load and attach.  Returns 0, or
 * EXIT_ENV / EXIT_RUNTIME after printing one line saying why.
 */
int tracer_start(struct tracer *t, const struct tracer_opts *o);
void tracer_stop(struct tracer *t);
/*
 * Our programs' runs and the time they took, summed, as the kernel counts
 * them while its statistics are on (tracer_opts.bpf_stats, or the
 * kernel.bpf_stats_enabled sysctl).  False when they are off.
 */
bool tracer_bpf_stats(const struct tracer *t, uint64_t *runs, uint64_t *ns);
/* The probes off, the maps and the ring still there to be read. */
void tracer_detach(struct tracer *t);
/*
 * Events the kernel lost and did not report yet, by cause (enum
 * lost_cause): ring buffer reserve failures, our programs' recursion
 * misses, the kprobes' misses (as far as the kernel counts them: 6.7+).
 * The last two are read at most once a second unless all.
 */
void tracer_new_lost(struct tracer *t, uint64_t *n, bool all);
/* Calls of each probed function so far (enum et_probe), evtrace's own excluded. */
void tracer_calls(struct tracer *t, uint64_t *calls);
/* The ring buffer's size in bytes (--bufsize, as loaded). */
uint64_t tracer_ring_bytes(const struct tracer *t);
/* The kernel's aggregation (agg_opts): its map's fd, -1 when not aggregating. */
int tracer_agg_fd(struct tracer *t);
/* The aggregation's counters so far (evtrace.h, "agg_counts"), ETA_COUNTS of them. */
void tracer_agg_counts(struct tracer *t, uint64_t *n);
/* Objects that got no generation because the table was full. */
uint64_t tracer_seq_full(struct tracer *t);
/*
 * How get_next_ino()'s callers were found: false if they were read from
 * the trampoline's frame, true if the stack was unwound for each (the
 * kprobe fallback, or a trampoline whose frame failed the first checks).
 */
bool tracer_callers_unwound(const struct tracer *t);
const char *probe_mode_name(enum probe_mode m);
/* "attached 14 probes (12 fentry, 2 kprobe, 3 missing)" */
void tracer_summary(const struct tracer *t, char *buf, size_t size);

/* Option parsing shared by every command that traces. */
int filters_add_pid(struct filters *f, const char *arg);
int filters_add_comm(struct filters *f, const char *arg);
int filters_add_fs(struct filters *f, const char *arg);
int filters_add_dev(struct filters *f, const char *arg);
int filters_add_mount(struct filters *f, const char *path);
/* --cgroup PATH: a cgroup v2 directory; its tasks (not its children's). */
int filters_add_cgroup(struct filters *f, const char *path);
/* --type TYPE[,TYPE...]; and the shorthands for a class of types. */
int filters_add_types(struct filters *f, const char *arg);
int filters_add_eventfs(struct filters *f, const char *arg);
int filters_add_vfs(struct filters *f, const char *arg);
struct mount_table;
/*
 * --mount paths -> devices: stat() them (mt NULL, live), or look them up in
 * a recording's mount table.  0 or -errno after printing why.
 */
int filters_resolve_mounts(struct filters *f, const struct mount_table *mt);
struct et_rec;
/* The same filters in userspace, for replayed streams. */
bool filters_match(const struct filters *f, const struct et_rec *r);

#endif
