// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace kernel side: inode numbers, inode and dentry lifetimes, slow-path
 * lookups and the eventfs_inode lifecycle, as fixed-size records in one
 * ring buffer.  No policy here beyond filtering: everything else happens in
 * userspace.
 *
 * Every probe exists twice: <fn>_fentry (fentry/fexit, cheap, has the
 * arguments at exit) and <fn>_kprobe (kprobe/kretprobe, for kernels without
 * BPF trampolines; functions whose exit needs the arguments get an entry
 * program that stashes them).  Userspace autoloads one of each pair.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "evtrace/evtrace.h"

#define MAX_FILTER	64
/*
 * An fentry program's argument n, or its function's return value, as a
 * number (the verifier inlines both helpers into a load): an object's
 * address is hashed (birth_slot()), which a typed pointer may not be.
 */
#define ARG(n)	({ __u64 __v = 0; bpf_get_func_arg(ctx, n, &__v); (void *)__v; })
#define RET()	({ __u64 __v = 0; bpf_get_func_ret(ctx, &__v); (void *)__v; })
#define READ_ONCE(x)		(*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

/* Set by userspace between open and load. */
const volatile __u32 self_tgid = 0;
const volatile bool filter_pid = false;
const volatile bool filter_comm = false;
const volatile bool filter_fs = false;
const volatile bool filter_dev = false;
const volatile bool filter_cgroup = false;
/* 1 << ET_*: the event types asked for (--type); their probes alone attach */
const volatile __u32 emit_types = ~0u;
/*
 * 1 << ET_*: the types counted into "aggs" (see evtrace.h) rather than
 * streamed; a type in both masks is counted and streamed (a recording
 * beside the view, or --agg-check).  With --by comm or caller the group
 * carries the comm or the stack; agg_step > 0: linear buckets.
 */
const volatile __u32 agg_types = 0;
const volatile __u64 agg_step = 0;
const volatile bool agg_comm = false;
const volatile bool agg_caller = false;
const volatile bool agg_cgroup = false;
/*
 * What costs a map operation per event only when something reads it:
 * -v's calls per function; generations of inodes and dentries (only when
 * their allocations are probed, else every lookup misses); an ei's name
 * on every event (when nothing prints the events, the model has it from
 * the ei's creation, and only eis older than the trace need it again).
 */
const volatile bool count_calls = true;
const volatile bool track_inodes = true;
const volatile bool track_dentries = true;
const volatile bool ei_names_once = false;
/* ei_get reads the inode its dentry has (the model learns inodes from it) */
const volatile bool ei_inodes = true;
/*
 * eventfs_inodes carry no superblock of their own; tracefs has a single
 * superblock (get_tree_single), whose s_dev userspace reads from mountinfo.
 */
const volatile __u32 tracefs_dev = 0;
/*
 * __dentry_kill()'s program also tells eventfs_d_release()'s calls, which
 * __dentry_kill() makes through tracefs' d_release for a tracefs dentry
 * with an ei in d_fsdata, instead of a second program on every such kill:
 * a burst puts tens of thousands of them, and a program run is a
 * trampoline, a task lookup and a clock read before any work (userspace
 * sets it when both are probed, and attaches eventfs_d_release only if
 * __dentry_kill does not attach).
 */
const volatile bool ei_put_in_kill = false;
/*
 * Submits do not wake the consumer (it polls on a timer) until this many
 * bytes wait in the ring: a wakeup per event costs the traced task an
 * irq_work and the consumer a context switch, a burst thousands of them.
 */
const volatile __u64 wakeup_bytes = 1 << 20;

/* Generations handed out; objects the generation table had no room for. */
__u64 next_seq = 0;
__u64 seq_full = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* resized by userspace (--bufsize) */
} events SEC(".maps");

/*
 * Reserve failures, per CPU so counting does not bounce a cache line.  The
 * increment is atomic all the same: a program that interrupts another on
 * the same CPU (an interrupt's lookup during a task's) may count too.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Calls per probed function (enum et_probe), evtrace's own excluded. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ETP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

/* Filters: filled before attach; a set filter_* flag makes them apply. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FILTER);
	__type(key, __u32);
	__type(value, __u8);
} filter_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FILTER);
	__type(key, char[ET_COMM_LEN]);
	__type(value, __u8);
} filter_comms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FILTER);
	__type(key, char[ET_FS_LEN]);
	__type(value, __u8);
} filter_fss SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FILTER);
	__type(key, __u32);
	__type(value, __u8);
} filter_devs SEC(".maps");

/* cgroup v2 ids: the inode numbers of the cgroups' directories */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FILTER);
	__type(key, __u64);
	__type(value, __u8);
} filter_cgroups SEC(".maps");

/*
 * Aggregated types: (kind, group, bucket) -> count, sum, min, max, per CPU
 * (no lock, no shared cache line).  Sized by userspace when aggregating.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, struct et_agg_key);
	__type(value, struct et_agg_val);
} aggs SEC(".maps");

/* Aggregated events that were not streamed, and more (evtrace.h): the summary's counts. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ETA_COUNTS);
	__type(key, __u32);
	__type(value, __u64);
} agg_counts SEC(".maps");

/*
 * Object generations: an object's seq is set when we see its allocation
 * and dropped at its free, so a reused address gets a new id.  Kept in the
 * kernel so a lost ring buffer record cannot skew ids; objects allocated
 * before tracing started have none (seq 0).  When inode or dentry
 * lifetimes are aggregated, the birth also holds what the free needs:
 * when and where the allocation was, and by whom.
 */
struct birth {
	__u64 seq;
	__u64 ts;
	__u32 dev;
	__u32 pad;
	char fs[ET_FS_LEN];
	union {			/* one --by at a time: userspace never asks for both */
		char comm[ET_COMM_LEN];	/* --by comm */
		__u64 cgroup;		/* --by cgroup, serve */
	};
};

/*
 * An open-addressed table, not a hash map: an object is born and dies
 * with every dentry, tens of thousands of times a second in a burst, and a
 * hash map's update and delete each take a bucket lock and a free-list
 * lock with interrupts off, which made them the dearest programs of
 * every mode.  Here an allocation claims a slot with one compare-and-swap
 * and a free marks it free again; no helper call, no lock.  An object's
 * slot is in one of its two chains of BIRTH_PROBES (birth_slot()): a slot is
 * only written by the one task that claims it, and by its free (which
 * comes after the allocation's program has returned).  Sized by userspace
 * to a power of two, twice the objects (--max-objects), so that chains
 * stay short.  Dentries, inodes and eventfs_inodes share it: an address
 * holds one object at a time.
 */
struct birth_slot {
	__u64 obj;		/* SLOT_EMPTY, SLOT_FREED or the object */
	struct birth b;
};

#define SLOT_EMPTY	0	/* never used: a chain ends here */
#define SLOT_FREED	1	/* its object died: a chain goes on past it */
#define BIRTH_PROBES	8	/* slots a chain has; an object has two chains */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* sized by userspace */
	__type(key, __u32);
	__type(value, struct birth_slot);
} births SEC(".maps");

_Static_assert(sizeof(struct birth_slot) == 64, "a birth slot is a cache line");

/* log2 of births' slots, set with its size */
const volatile __u32 births_bits = 0;

/*
 * get_next_ino() takes no arguments: the superblock its number is for is
 * the one of the inode the same task allocated just before (new_inode(sb);
 * inode->i_ino = get_next_ino(); is the pattern in every caller).
 */
struct last_inode {
	__u64 inode;
	__u64 seq;
	__u32 dev;
	__u32 uses;
	char fs[ET_FS_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct last_inode);
} last_inodes SEC(".maps");

/*
 * __dentry_kill() calls d_op->d_release() after we dropped the dentry's
 * generation: eventfs_d_release() finds it here to name the same dentry.
 */
struct dying {
	__u64 dentry;
	__u64 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct dying);
} dying SEC(".maps");

/*
 * kprobe path only: arguments stashed at entry for the kretprobe.  Keyed
 * by (tid, function), as __lookup_slow() calls eventfs_root_lookup(), and a
 * stack per key: a call nested in one of the same function (__lookup_slow()
 * of a lower filesystem inside an overlayfs lookup) pushes its own, and its
 * return pops it, instead of overwriting its caller's.
 */
enum stash_fn { STASH_LOOKUP = 1, STASH_CREATE_DIR, STASH_ROOT_LOOKUP, STASH_CREATE_EVENTS_DIR };

struct stash_key {
	__u32 tid;
	__u32 fn;
};

#define STASH_DEPTH	8	/* nested calls of one function in one task */

struct stash {
	__u32 n;		/* calls under way; past STASH_DEPTH only counted */
	__u32 pad;
	__u64 a0[STASH_DEPTH];
	__u64 a1[STASH_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct stash_key);
	__type(value, struct stash);
} stashes SEC(".maps");

/* ---- filters and record setup ---------------------------------------- */

struct task {
	__u32 pid;
	__u32 tid;
	bool has_comm;
	bool has_cgroup;
	char comm[ET_COMM_LEN];
	__u64 cgroup;
};

/* The task's comm, read once per run of a program, and only if used. */
static __always_inline void task_comm(struct task *t)
{
	if (t->has_comm)
		return;
	bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->has_comm = true;
}

/*
 * The task's cgroup v2 id, as the comm: once per run, only if an event,
 * a group or the --cgroup filter reads it.  The helper walks
 * task->cgroups->dfl_cgrp->kn under RCU: cheap, but not free.
 */
static __always_inline __u64 task_cgroup(struct task *t)
{
	if (!t->has_cgroup) {
		t->cgroup = bpf_get_current_cgroup_id();
		t->has_cgroup = true;
	}
	return t->cgroup;
}

/*
 * Each program's first step, at the moment its event happens: the current
 * task, and whether the task filters (-p, -c, --cgroup) select it;
 * evtrace's own process never.  A call by a selected task is counted
 * whatever else is filtered later (an fs, a dentry without an ei), so the
 * counts can be held against another tracer's with the same predicate.
 * The task is read once per run: the helpers are most of a probe's cost.
 */
/* -v's calls per function: a selected task's call of p */
static __always_inline void count_call(enum et_probe p)
{
	__u32 key = p;
	__u64 *n;

	if (!count_calls)
		return;
	n = bpf_map_lookup_elem(&calls, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline bool task_begin(struct task *t, enum et_probe p)
{
	__u64 id = bpf_get_current_pid_tgid();

	t->pid = id >> 32;
	t->tid = (__u32)id;
	t->has_comm = false;
	t->has_cgroup = false;
	/*
	 * The comm is a hash key: zero it first.  6.1's
	 * bpf_get_current_comm() copies with strscpy() and leaves the bytes
	 * after the NUL as they were.
	 */
	__builtin_memset(t->comm, 0, sizeof(t->comm));
	if (t->pid == self_tgid)
		return false;
	if (filter_pid && !bpf_map_lookup_elem(&filter_pids, &t->pid))
		return false;
	if (filter_comm) {
		task_comm(t);
		if (!bpf_map_lookup_elem(&filter_comms, t->comm))
			return false;
	}
	if (filter_cgroup) {
		task_cgroup(t);
		if (!bpf_map_lookup_elem(&filter_cgroups, &t->cgroup))
			return false;
	}
	count_call(p);
	return true;
}

struct sbinfo {
	__u32 dev;
	char fs[ET_FS_LEN];
};

/*
 * What we know of a superblock: its type's name (the fs column of every
 * event on it) and the filters' verdict, read once instead of per event.
 * Checked against s_dev and s_type on each use: a superblock freed and
 * another allocated at its address is seen as new.
 */
struct sb_known {
	__u64 s_type;
	struct sbinfo info;
	__u8 wanted;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct sb_known);
} sbs SEC(".maps");

/*
 * The superblock a CPU saw last, before the map: a burst allocates on one
 * superblock thousands of times, and this is a load where a lookup in sbs
 * hashes and walks a bucket.  sb is written 0 first and last of all, so a
 * program that an interrupt's program interrupted while it read can tell.
 */
struct sb_last {
	__u64 sb;
	struct sb_known k;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sb_last);
} sb_lasts SEC(".maps");

static __always_inline bool sb_filter(struct sbinfo *s)
{
	if (filter_dev && !bpf_map_lookup_elem(&filter_devs, &s->dev))
		return false;
	if (filter_fs && !bpf_map_lookup_elem(&filter_fss, s->fs))
		return false;
	return true;
}

/*
 * Whether field f of type (size bytes, as the kernel has it) lies in the
 * win bytes read from field start, at a multiple of its size from there:
 * the windows below read several fields in one helper call.  Relocated
 * offsets, so it is a constant by load time and the read's fallback, a
 * read per field, folds away where the window holds them.
 */
#define FIELD_OFF(type, f)	__builtin_preserve_field_info(((type *)0)->f, BPF_FIELD_BYTE_OFFSET)
#define FIELD_IN_WIN(type, start, f, size, win)					\
	(FIELD_OFF(type, f) >= FIELD_OFF(type, start) &&				\
	 FIELD_OFF(type, f) + (size) <= FIELD_OFF(type, start) + (win) &&		\
	 (FIELD_OFF(type, f) - FIELD_OFF(type, start)) % (size) == 0 &&		\
	 bpf_core_field_size(((type *)0)->f) == (size))

/*
 * s_dev and s_type lie within 48 bytes: 24 apart up to 6.12 (s_dev,
 * s_blocksize_bits, s_blocksize, s_maxbytes, s_type), 40 in 7.3 (its
 * s_super_dev after s_dev).  One read takes both; where they lie further
 * apart, a read each.
 */
#define SB_OFF(f)	FIELD_OFF(struct super_block, f)
#define SB_WIN		48
#define SB_WIN_OK	(FIELD_IN_WIN(struct super_block, s_dev, s_dev, 4, SB_WIN) &&	\
			 FIELD_IN_WIN(struct super_block, s_dev, s_type, 8, SB_WIN))

/*
 * The superblock's dev and type name into s; whether the filters want it.
 * direct: sb is an fentry program's argument, whose fields it may load
 * without a helper call (bpf_probe_read_kernel() is most of what a
 * lookup of a known superblock costs).
 */
static __always_inline bool sb_read_x(struct super_block *sb, struct sbinfo *s, bool direct)
{
	struct sb_known *k, fresh;
	__u64 key = (__u64)sb;
	struct sb_last *c;
	const char *name;
	__u32 zero = 0;
	bool wanted;
	union {
		__u32 w[SB_WIN / 4];
		__u64 q[SB_WIN / 8];
	} win;

	if (!sb) {
		__builtin_memset(s, 0, sizeof(*s));
		return sb_filter(s);
	}
	if (direct) {
		fresh.s_type = (__u64)sb->s_type;
		fresh.info.dev = sb->s_dev;
	} else if (SB_WIN_OK && !bpf_probe_read_kernel(&win, sizeof(win), (void *)sb + SB_OFF(s_dev))) {
		fresh.s_type = win.q[(SB_OFF(s_type) - SB_OFF(s_dev)) / 8];
		fresh.info.dev = win.w[0];
	} else {
		fresh.s_type = (__u64)BPF_CORE_READ(sb, s_type);
		fresh.info.dev = BPF_CORE_READ(sb, s_dev);
	}
	c = bpf_map_lookup_elem(&sb_lasts, &zero);
	if (c && READ_ONCE(c->sb) == key && c->k.s_type == fresh.s_type &&
	    c->k.info.dev == fresh.info.dev) {
		*s = c->k.info;
		wanted = c->k.wanted;
		if (READ_ONCE(c->sb) == key)
			return wanted;
	}
	k = bpf_map_lookup_elem(&sbs, &key);
	if (k && k->s_type == fresh.s_type && k->info.dev == fresh.info.dev) {
		fresh = *k;
	} else {
		__builtin_memset(fresh.info.fs, 0, sizeof(fresh.info.fs));
		name = BPF_CORE_READ(sb, s_type, name);
		if (name)
			bpf_probe_read_kernel_str(fresh.info.fs, sizeof(fresh.info.fs), name);
		fresh.wanted = sb_filter(&fresh.info);
		bpf_map_update_elem(&sbs, &key, &fresh, BPF_ANY);
	}
	if (c) {
		WRITE_ONCE(c->sb, 0);
		c->k = fresh;
		WRITE_ONCE(c->sb, key);
	}
	*s = fresh.info;
	return fresh.wanted;
}

#define sb_read(sb, s)	sb_read_x(sb, s, false)

static __always_inline void sb_tracefs(struct sbinfo *s)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->dev = tracefs_dev;
	__builtin_memcpy(s->fs, "tracefs", 8);
}

/*
 * A record of size bytes: ET_EVENT_BASE, or with its tail (ET_EVENT_STACK,
 * ET_EVENT_NAME).  The size must be a constant at each call site.  ids:
 * whether it carries the task's comm and cgroup, two helper calls; only
 * an ei's later events, when only the model reads them, go without
 * (ei_reserve()).
 */
static __always_inline struct et_event *ev_reserve_ids(__u16 type, struct task *t,
							struct sbinfo *s, __u64 size,
							__u64 ts, bool ids)
{
	struct et_event *e;
	__u32 zero = 0;
	__u64 *cnt;

	/* a probe kept for another type's sake (alloc_inode for ino_alloc) */
	if (!(emit_types & ET_BIT(type)))
		return NULL;
	if (ids) {
		task_comm(t);
		task_cgroup(t);
	}
	e = bpf_ringbuf_reserve(&events, size, 0);
	if (!e) {
		cnt = bpf_map_lookup_elem(&lost, &zero);
		if (cnt)
			__sync_fetch_and_add(cnt, 1);
		return NULL;
	}
	/*
	 * The record is reused memory: every field of the fixed part must be
	 * written.  The tail need not be: a name ends at its NUL, which
	 * bpf_probe_read_kernel_str() writes, and the stack is written whole.
	 */
	__builtin_memset(e, 0, ET_EVENT_BASE);
	e->ts_ns = ts;
	e->pid = t->pid;
	e->tid = t->tid;
	e->type = type;
	e->cpu = bpf_get_smp_processor_id();
	e->dev = s->dev;
	if (ids) {
		e->cgroup = t->cgroup;
		__builtin_memcpy(e->comm, t->comm, sizeof(e->comm));
	}
	__builtin_memcpy(e->fs, s->fs, sizeof(e->fs));
	return e;
}

#define ev_reserve(type, t, s, size, ts)	ev_reserve_ids(type, t, s, size, ts, true)

/*
 * The backlog is looked at every WAKE_EVERY records a CPU submits, not on
 * each: the query is a helper call, the tick a load from this CPU's slot.
 * The consumer also polls every 100 ms, and the threshold is a quarter of
 * the ring: a burst crosses it by at most WAKE_EVERY records per CPU.
 */
#define WAKE_EVERY	32

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} wake_ticks SEC(".maps");

static __always_inline void ev_submit(struct et_event *e)
{
	__u64 flags = BPF_RB_NO_WAKEUP;
	__u32 zero = 0, *tick = bpf_map_lookup_elem(&wake_ticks, &zero);

	if ((!tick || !((*tick)++ % WAKE_EVERY)) &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

/* Copy a kernel string into e->name, flagging truncation. */
static __always_inline void ev_name(struct et_event *e, const void *str, __u32 len)
{
	if (!str)
		return;
	if (bpf_probe_read_kernel_str(e->name, sizeof(e->name), str) < 0)
		e->name[0] = 0;
	if (len >= sizeof(e->name))
		e->flags |= ET_F_TRUNC;
}

/*
 * A qstr's name and length in one read: the 16 bytes (hash, len, name)
 * laid out so since 2.6, where two reads took them.
 */
static __always_inline void ev_qstr(struct et_event *e, const struct qstr *q)
{
	union {
		__u32 w[4];
		__u64 q[2];
	} v;

	if (bpf_core_field_offset(struct qstr, name) == 8 &&
	    bpf_core_field_offset(struct qstr, len) % 4 == 0 &&
	    bpf_core_field_offset(struct qstr, len) < 8 &&
	    bpf_core_field_size(struct qstr, len) == 4 &&
	    !bpf_probe_read_kernel(&v, sizeof(v), q))
		ev_name(e, (const void *)v.q[1], v.w[bpf_core_field_offset(struct qstr, len) / 4]);
	else
		ev_name(e, BPF_CORE_READ(q, name), BPF_CORE_READ(q, len));
}

/* ---- aggregation -------------------------------------------------------- */

#define AGG_INODES	(agg_types & ET_INODE_LIFE_TYPES)
#define AGG_DENTRIES	(agg_types & ET_DENTRY_LIFE_TYPES)

/*
 * The i-th slot of obj's chains.  The first chain's home keeps the slab's
 * locality: the page of obj picks a block of 64 slots (Fibonacci hashing
 * of the page number), obj's 64-byte line in the page the slot in it.
 * Objects allocated one after the other mostly share a slab page, so
 * their slots share one or two pages of the table; a plain hash of the
 * address sent each to its own page of 32 MiB, and under emulation those
 * misses were most of what a dentry's two programs cost.  But a block is
 * as full as its page is of objects (all 64 lines with kmalloc-64's), and
 * two pages may share a block: there, chains would run past BIRTH_PROBES
 * (7.3 left 63 eventfs_inodes of a few thousand without a generation).
 * So an object whose first chain is full of live objects goes to its
 * second, homed by a plain hash of its address, whose probes jump from
 * block to block.  obj must be a number to
 * the verifier, which allows no multiplication of a typed pointer: fentry
 * programs pass their objects as ARG() and RET() give them.
 */
static __always_inline struct birth_slot *birth_slot(__u64 obj, __u32 i)
{
	__u32 mask = (1u << births_bits) - 1;
	__u32 idx;

	if (i < BIRTH_PROBES)
		idx = ((__u32)(((obj >> 12) * 0x9e3779b97f4a7c15ull) >> (64 - births_bits + 6)) << 6 |
		       (__u32)(obj >> 6 & 63)) + i;
	else
		/*
		 * A block (64 slots) and one apart from one probe to the
		 * next: a page of small objects fills its block whole, and a
		 * chain of neighbours that started in one ran full (6.12, one
		 * ei of 4,959 in 131,072 slots).
		 */
		idx = (__u32)((obj * 0x9e3779b97f4a7c15ull) >> (64 - births_bits)) +
		      (i - BIRTH_PROBES) * 65;
	idx &= mask;
	return bpf_map_lookup_elem(&births, &idx);
}

/*
 * obj's slot, NULL if it has none (born before tracing, or the table was
 * full).  A slot is never empty again once used: a first chain with an
 * empty slot never sent anything to the second.
 */
static __always_inline struct birth_slot *birth_find(__u64 obj)
{
	if (!obj)
		return NULL;
#pragma unroll
	for (__u32 i = 0; i < 2 * BIRTH_PROBES; i++) {
		struct birth_slot *sl = birth_slot(obj, i);
		__u64 k;

		if (!sl)
			return NULL;
		k = READ_ONCE(sl->obj);
		if (k == obj)
			return sl;
		if (k == SLOT_EMPTY)
			return NULL;
	}
	return NULL;
}

/* obj's generation, 0 if it has none */
static __always_inline __u64 gen_get(__u64 obj)
{
	struct birth_slot *sl = birth_find(obj);

	return sl ? sl->b.seq : 0;
}

#define inode_gen(inode)	(track_inodes ? gen_get((__u64)(inode)) : 0)
#define dentry_gen(dentry)	(track_dentries ? gen_get((__u64)(dentry)) : 0)

/*
 * The allocation: its generation, and with life (its kind's lifetimes are
 * counted here) when, where and by whom for the lifetime.  0 if the table
 * had no room.
 */
static __always_inline __u64 birth_new(__u64 obj, bool life, __u64 ts, struct sbinfo *s,
				       struct task *t)
{
	struct birth_slot *sl = NULL;
	__u64 seq;

	/*
	 * The first slot of the chains that is free, or still this address's
	 * (a free we did not see).  A second slot of the same address further
	 * on is then never found again: lookups stop at the first.
	 */
#pragma unroll
	for (__u32 i = 0; i < 2 * BIRTH_PROBES; i++) {
		struct birth_slot *c = birth_slot(obj, i);
		__u64 k;

		if (!c)
			break;
		k = READ_ONCE(c->obj);
		if (k == obj) {
			sl = c;
			break;
		}
		/* another CPU's allocation may claim it first: then go on */
		if (k <= SLOT_FREED && __sync_val_compare_and_swap(&c->obj, k, obj) == k) {
			sl = c;
			break;
		}
	}
	seq = __sync_fetch_and_add(&next_seq, 1) + 1;
	if (!sl) {
		__sync_fetch_and_add(&seq_full, 1);
		return 0;
	}
	sl->b.seq = seq;
	sl->b.ts = life ? ts : 0;
	if (!life)
		return seq;
	sl->b.dev = s->dev;
	__builtin_memcpy(sl->b.fs, s->fs, sizeof(sl->b.fs));
	if (agg_comm) {
		task_comm(t);
		__builtin_memcpy(sl->b.comm, t->comm, sizeof(sl->b.comm));
	} else if (agg_cgroup) {
		sl->b.cgroup = task_cgroup(t);
	}
	return seq;
}

#define gen_new(obj)	birth_new((__u64)(obj), false, 0, NULL, NULL)

/*
 * Does a free need its superblock?  For a filter, or for its event.  A
 * lifetime aggregated and not streamed is grouped by its birth, which
 * has the superblock's dev and type already (the same superblock all its
 * life): two reads and a lookup fewer on every free.
 */
#define FREE_NEEDS_SB(type)	(filter_dev || filter_fs || (emit_types & ET_BIT(type)))

/*
 * The free: its generation (0 if its allocation was not seen), the birth
 * into *b when its lifetime is counted (b not NULL), and forget it.  A
 * generation is never 0 (next_seq counts from 1).
 */
static __always_inline __u64 birth_end(__u64 obj, struct birth *b)
{
	struct birth_slot *sl = birth_find(obj);
	__u64 seq;

	if (!sl)
		return 0;
	/* read before the slot is let go: another allocation may take it */
	seq = sl->b.seq;
	if (b)
		*b = sl->b;
	WRITE_ONCE(sl->obj, SLOT_FREED);
	return seq;
}

#define gen_end(obj)	birth_end((__u64)(obj), NULL)

static __always_inline void agg_count(__u32 idx)
{
	__u64 *n = bpf_map_lookup_elem(&agg_counts, &idx);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* An aggregated event not also streamed counts here; a streamed one in the ring. */
static __always_inline void agg_counted(__u16 type)
{
	if (!(emit_types & ET_BIT(type)))
		agg_count(type);
}

/* The histogram's bucket (src/model/hist.c's bucket_of, log2 or linear). */
static __always_inline __u16 agg_slot(__u64 v)
{
	__u16 r = 0;

	if (agg_step) {
		__u64 i = v / agg_step;

		return i < ET_AGG_LINEAR_MAX ? i : ET_AGG_LINEAR_MAX;
	}
	if (!v)
		return 0;
	/* 1 + floor(log2(v)), by halving: no clz in BPF */
	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { v >>= 1; r += 1; }
	return r + 1;
}

static __always_inline void agg_add(struct et_agg_key *k, __u64 v)
{
	struct et_agg_val *a, init = { .count = 1, .sum = v, .min = v, .max = v };

	k->slot = agg_slot(v);
	a = bpf_map_lookup_elem(&aggs, k);
	if (!a) {
		/* other CPUs' copies of a new entry start at zero */
		if (!bpf_map_update_elem(&aggs, k, &init, BPF_NOEXIST))
			return;
		a = bpf_map_lookup_elem(&aggs, k);
		if (!a) {
			agg_count(ETA_TABLE_FULL);
			return;
		}
	}
	/* atomic: a program on this CPU may interrupt another (irq context) */
	if (!a->count || v < a->min)
		a->min = v;
	if (v > a->max)
		a->max = v;
	__sync_fetch_and_add(&a->sum, v);
	__sync_fetch_and_add(&a->count, 1);
}

/* A lifetime ending now, grouped where and by whom the object was born. */
static __always_inline void agg_life(__u16 kind, __u64 ts, const struct birth *b)
{
	struct et_agg_key k = {};

	k.kind = kind;
	k.dev = b->dev;
	__builtin_memcpy(k.fs, b->fs, sizeof(k.fs));
	if (agg_comm)
		__builtin_memcpy(k.comm, b->comm, sizeof(k.comm));
	else if (agg_cgroup)
		k.cgroup = b->cgroup;
	agg_add(&k, ts > b->ts ? (ts - b->ts) / 1000 : 0);
}

/*
 * A per-task slot (last_inodes, dying): written in place when the task
 * has one already.  An update of an LRU map takes a node off its free
 * list and the old one back, under locks: it was most of alloc_inode's
 * cost, called for every new inode only to tell get_next_ino() its
 * superblock.  Only the task itself writes its slot.
 */
#define TASK_SLOT_SET(map, tid, val)						\
	do {									\
		typeof(val) *__v = bpf_map_lookup_elem(&(map), (tid));		\
		if (__v)							\
			*__v = (val);						\
		else								\
			bpf_map_update_elem(&(map), (tid), &(val), BPF_ANY);	\
	} while (0)

/* ---- get_next_ino ----------------------------------------------------- */

/*
 * get_next_ino()'s caller, for userspace to name (event/decode.c).
 * Unwinding the stack (trampoline or kretprobe frames, get_next_ino, then
 * the caller) was a third of what the programs cost when every event is
 * streamed: some 9 µs a call under emulation, where the rest of the
 * program takes 2.  At fexit the caller's return address sits at a fixed
 * place instead: a function without arguments gets its return value's
 * slot, rbp - 8, as ctx, and above the trampoline's saved rbp lies the
 * return into the traced function's body (6.1, 6.12: the trampoline was
 * called from its first instruction), then the one into its caller; 7.3
 * has the caller's right above rbp.  The first of ctx[2] and ctx[3] that
 * is not inside get_next_ino is the caller.  The first CALLER_CHECKS
 * calls also unwind, and settle which word it is; a word not found in
 * the unwound stack, or two checks that disagree, send every later call
 * back to unwinding: a kernel laid out otherwise costs time, never a
 * wrong name.
 */
#define CALLER_CHECKS	64
#define FUNC_SPAN	0x200	/* get_next_ino's length, and more */

__s64 caller_checks = CALLER_CHECKS;	/* racy by design: a few more checks, no harm */
__u32 caller_word = 0;			/* 2 or 3, once a check found it; 0: not yet */
bool caller_unwind = false;

static __always_inline void ino_caller(void *ctx, __u64 *stack, bool fexit)
{
	__u64 w[2] = {}, ra, ip;
	__u32 word;
	bool seen = false;

	if (!fexit || caller_unwind) {
		bpf_get_stack(ctx, stack, 8 * ET_STACK_DEPTH, 0);
		return;
	}
	if (READ_ONCE(caller_checks) > 0) {
		__sync_fetch_and_add(&caller_checks, -1);
		bpf_get_stack(ctx, stack, 8 * ET_STACK_DEPTH, 0);
		bpf_probe_read_kernel(w, sizeof(w), (__u64 *)ctx + 2);
		ip = bpf_get_func_ip(ctx);
		word = w[0] - ip < FUNC_SPAN ? 3 : 2;
		ra = word == 3 ? w[1] : w[0];
		for (int i = 0; i < ET_STACK_DEPTH; i++)
			seen |= ra && stack[i] == ra;
		if (!seen || (caller_word && caller_word != word))
			caller_unwind = true;
		else
			caller_word = word;
		return;
	}
	word = READ_ONCE(caller_word);
	if (!word) {
		bpf_get_stack(ctx, stack, 8 * ET_STACK_DEPTH, 0);
		return;
	}
	if (word == 3)
		bpf_probe_read_kernel(&stack[0], 8, (__u64 *)ctx + 3);
	else
		bpf_probe_read_kernel(&stack[0], 8, (__u64 *)ctx + 2);
	for (int i = 1; i < ET_STACK_DEPTH; i++)
		stack[i] = 0;
}

/*
 * eventfs_iterate()'s text (userspace reads it from kallsyms; 0: unknown).
 * A readdir of an eventfs directory numbers each child directory's ei
 * with get_next_ino() (eventfs_dir_ino()) and allocates no inode: the
 * number is tracefs', and none of the inodes the task allocated before
 * (there may be none: "ls" reads events/ first) is the one it names.
 * Known by the caller: eventfs_dir_ino() is inlined into eventfs_iterate()
 * on 6.12 and 7.3; a kernel that called it out of line would show
 * eventfs_dir_ino, which lookups call too, and keep the task's last inode.
 */
const volatile __u64 eventfs_iterate_lo = 0;
const volatile __u64 eventfs_iterate_len = 0;

static __always_inline bool from_eventfs_iterate(const __u64 *stack)
{
	bool found = false;

	for (int i = 0; i < ET_STACK_DEPTH; i++)
		found |= stack[i] - eventfs_iterate_lo < eventfs_iterate_len;
	return found;
}

static __always_inline int on_ino_alloc(void *ctx, struct task *t, unsigned int ino,
					bool fexit)
{
	/* counted, not streamed: no clock read */
	__u64 ts = emit_types & ET_BIT(ET_INO_ALLOC) ? bpf_ktime_get_ns() : 0;
	__u64 stack[ET_STACK_DEPTH] = {};
	struct last_inode *li;
	struct sbinfo s = {};
	struct et_event *e;
	bool have_stack = false;

	li = bpf_map_lookup_elem(&last_inodes, &t->tid);
	/*
	 * At fexit the caller is a load, read on every call: in "ls -R" the
	 * task's last inode is a fresh one when a readdir's numbers come.  A
	 * kretprobe would have to unwind the stack for it, some 14 us under
	 * emulation, while every other kprobe program on that CPU misses its
	 * call: there the task's last inode stays the guess it was.
	 */
	if (eventfs_iterate_len && fexit) {
		ino_caller(ctx, stack, fexit);
		have_stack = true;
		if (from_eventfs_iterate(stack)) {
			li = NULL;
			sb_tracefs(&s);
		}
	}
	if (li) {
		s.dev = li->dev;
		__builtin_memcpy(s.fs, li->fs, sizeof(s.fs));
	}
	if (!sb_filter(&s))
		return 0;
	if (agg_types & ET_BIT(ET_INO_ALLOC)) {
		struct et_agg_key k = {};

		k.kind = ETA_INO;
		k.dev = s.dev;
		__builtin_memcpy(k.fs, s.fs, sizeof(k.fs));
		if (agg_comm) {
			task_comm(t);
			__builtin_memcpy(k.comm, t->comm, sizeof(k.comm));
		}
		if (agg_caller && have_stack)
			__builtin_memcpy(k.stack, stack, sizeof(k.stack));
		else if (agg_caller)
			ino_caller(ctx, k.stack, fexit);
		if (agg_cgroup)
			k.cgroup = task_cgroup(t);
		agg_add(&k, ino);
		agg_counted(ET_INO_ALLOC);
	}
	e = ev_reserve(ET_INO_ALLOC, t, &s, ET_EVENT_STACK, ts);
	if (!e)
		return 0;
	e->ino = ino;
	if (li) {
		e->obj = li->inode;
		e->obj_seq = li->seq;
		/* a second number for the same inode: eventfs_dir_ino() */
		if (li->uses++)
			e->flags |= ET_F_SB_GUESS;
	} else if (!s.dev) {
		e->flags |= ET_F_NO_SB;
	}
	if (have_stack)
		__builtin_memcpy(e->stack, stack, sizeof(stack));
	else
		ino_caller(ctx, e->stack, fexit);
	ev_submit(e);
	return 0;
}

SEC("fexit/get_next_ino")
int BPF_PROG(get_next_ino_fentry, unsigned int ret)
{
	struct task t;

	if (!task_begin(&t, ETP_GET_NEXT_INO))
		return 0;
	return on_ino_alloc(ctx, &t, ret, true);
}

SEC("kretprobe/get_next_ino")
int BPF_KRETPROBE(get_next_ino_kprobe, unsigned int ret)
{
	struct task t;

	if (!task_begin(&t, ETP_GET_NEXT_INO))
		return 0;
	return on_ino_alloc(ctx, &t, ret, false);
}

/* ---- inodes ----------------------------------------------------------- */

/* sb: alloc_inode()'s argument at fexit, NULL from the kretprobe */
static __always_inline int on_inode_alloc(struct inode *inode, struct super_block *sb,
					  struct task *t)
{
	__u64 ts = AGG_INODES || emit_types & ET_BIT(ET_INODE_ALLOC) ? bpf_ktime_get_ns() : 0;
	struct last_inode li = {};
	struct sbinfo s;
	bool wanted;
	struct et_event *e;

	if (!inode)
		return 0;
	wanted = sb ? sb_read_x(sb, &s, true) : sb_read(BPF_CORE_READ(inode, i_sb), &s);
	/* stash before the sb filter so get_next_ino can filter on it too */
	li.inode = (__u64)inode;
	li.dev = s.dev;
	__builtin_memcpy(li.fs, s.fs, sizeof(li.fs));
	if (!wanted) {
		TASK_SLOT_SET(last_inodes, &t->tid, li);
		return 0;
	}
	/*
	 * Before the reserve: a record lost to a full ring keeps ids unique.
	 * No generation when nothing will name this inode (hist --of ino
	 * aggregated: alloc_inode only finds get_next_ino its superblock).
	 */
	if (AGG_INODES) {
		li.seq = birth_new((__u64)inode, true, ts, &s, t);
		agg_counted(ET_INODE_ALLOC);
	} else if (emit_types & (ET_BIT(ET_INODE_ALLOC) | ET_BIT(ET_INO_ALLOC))) {
		li.seq = gen_new(inode);
	}
	TASK_SLOT_SET(last_inodes, &t->tid, li);
	e = ev_reserve(ET_INODE_ALLOC, t, &s, ET_EVENT_BASE, ts);
	if (!e)
		return 0;
	e->obj = (__u64)inode;
	e->obj_seq = li.seq;
	ev_submit(e);
	return 0;
}

SEC("fexit/alloc_inode")
int BPF_PROG(alloc_inode_fentry, struct super_block *sb, struct inode *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_ALLOC_INODE))
		return 0;
	return on_inode_alloc(RET(), sb, &t);
}

SEC("kretprobe/alloc_inode")
int BPF_KRETPROBE(alloc_inode_kprobe, struct inode *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_ALLOC_INODE))
		return 0;
	return on_inode_alloc(ret, NULL, &t);
}

/*
 * i_sb and i_ino, 24 bytes apart (i_sb, i_mapping, i_security, i_ino) in
 * 6.1 to 7.3: an evict that needs both reads them at once.  As the
 * dentry's window (dwin_read()): relocated, a read each where they moved.
 */
#define I_OFF(f)	FIELD_OFF(struct inode, f)
#define I_WIN		32

struct iwin {
	bool ok;
	__u64 q[I_WIN / 8];
};

static __always_inline void iwin_read(struct iwin *w, struct inode *inode)
{
	w->ok = FIELD_IN_WIN(struct inode, i_sb, i_sb, 8, I_WIN) &&
		FIELD_IN_WIN(struct inode, i_sb, i_ino, 8, I_WIN) &&
		!bpf_probe_read_kernel(w->q, sizeof(w->q), (void *)inode + I_OFF(i_sb));
}

#define IWIN_SB(w, inode)	((w)->ok ? (struct super_block *)(w)->q[0] : BPF_CORE_READ(inode, i_sb))
#define IWIN_INO(w, inode)	((w)->ok ? (w)->q[(I_OFF(i_ino) - I_OFF(i_sb)) / 8]	\
					 : BPF_CORE_READ(inode, i_ino))

/*
 * Frees end the object's generation before the task filter: the allocation
 * may have been by a traced task and the free by another one.
 */
static __always_inline int on_inode_evict(struct inode *inode, struct task *t, bool wanted)
{
	__u64 ts = bpf_ktime_get_ns();
	struct birth b = {};
	bool born;
	struct sbinfo s = {};
	struct et_event *e;
	struct iwin w = {};
	__u64 seq;

	if (!AGG_INODES || FREE_NEEDS_SB(ET_INODE_EVICT)) {
		iwin_read(&w, inode);
		if (!sb_read(IWIN_SB(&w, inode), &s))
			return 0;
	}
	seq = birth_end((__u64)inode, AGG_INODES ? &b : NULL);
	born = seq != 0;
	if (!wanted)
		return 0;
	if (AGG_INODES) {
		if (born && b.ts)
			agg_life(ETA_INODE_LIFE, ts, &b);
		else
			agg_count(ETA_UNKNOWN_INODE);
		agg_counted(ET_INODE_EVICT);
	}
	e = ev_reserve(ET_INODE_EVICT, t, &s, ET_EVENT_BASE, ts);
	if (!e)
		return 0;
	e->obj = (__u64)inode;
	e->obj_seq = seq;
	e->ino = IWIN_INO(&w, inode);
	ev_submit(e);
	return 0;
}

SEC("fentry/evict")
int BPF_PROG(evict_fentry, struct inode *inode)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_EVICT);

	return on_inode_evict(ARG(0), &t, wanted);
}

SEC("kprobe/evict")
int BPF_KPROBE(evict_kprobe, struct inode *inode)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_EVICT);

	return on_inode_evict(inode, &t, wanted);
}

/* ---- dentries --------------------------------------------------------- */

/* The inode a dentry points at, and the number it carries right now. */
static __always_inline void ev_inode(struct et_event *e, struct inode *inode)
{
	if (!inode)
		return;
	e->inode = (__u64)inode;
	e->inode_seq = inode_gen(inode);
	e->inode_ino = BPF_CORE_READ(inode, i_ino);
	e->ino = e->inode_ino;
}

/*
 * What the dentry programs read of a dentry: d_parent, d_name, d_inode,
 * d_sb and d_fsdata lie within 112 bytes from d_parent (6.1 to 7.3: the
 * inline name, d_op and d_time between), and one read of them replaces up
 * to six, a helper call each: a burst kills some 22,000 dentries.  The
 * offsets are relocated, so whether the window holds them is known at
 * load; where it does not, or the read fails, a read per field.
 */
#define D_OFF(f)	FIELD_OFF(struct dentry, f)
#define D_WIN		112
#define D_IN_WIN(f, size)	FIELD_IN_WIN(struct dentry, d_parent, f, size, D_WIN)

struct dwin {
	bool ok;
	union {
		__u32 w[D_WIN / 4];
		__u64 q[D_WIN / 8];
	};
};

static __always_inline void dwin_read(struct dwin *w, struct dentry *d)
{
	w->ok = D_IN_WIN(d_parent, 8) && D_IN_WIN(d_name.name, 8) && D_IN_WIN(d_name.len, 4) &&
		D_IN_WIN(d_inode, 8) && D_IN_WIN(d_sb, 8) && D_IN_WIN(d_fsdata, 8) &&
		!bpf_probe_read_kernel(w->q, sizeof(w->q), (void *)d + D_OFF(d_parent));
}

/* Field f of d: from the window w when it was read, else a read of its own. */
#define DWIN(w, d, f)								\
	((w)->ok ? (typeof(((struct dentry *)0)->f))(w)->q[(D_OFF(f) - D_OFF(d_parent)) / 8] \
		 : BPF_CORE_READ(d, f))
#define DWIN_LEN(w, d)								\
	((w)->ok ? (w)->w[(D_OFF(d_name.len) - D_OFF(d_parent)) / 4]		\
		 : BPF_CORE_READ(d, d_name.len))

static __always_inline void ev_dentry(struct et_event *e, struct dentry *d, struct dwin *w)
{
	struct dentry *parent = DWIN(w, d, d_parent);
	struct inode *inode = DWIN(w, d, d_inode);

	e->obj = (__u64)d;
	/* roots and d_alloc_pseudo() dentries are their own parent */
	if (parent && parent != d) {
		e->aux = (__u64)parent;
		e->aux_seq = dentry_gen(parent);
	}
	ev_inode(e, inode);
	ev_name(e, DWIN(w, d, d_name.name), DWIN_LEN(w, d));
}

/* sb: __d_alloc()'s argument at fexit, NULL from the kretprobe */
static __always_inline int on_dentry_alloc(struct dentry *d, struct super_block *sb,
					   struct task *t)
{
	__u64 ts = bpf_ktime_get_ns();
	struct sbinfo s;
	struct et_event *e;
	struct dwin w = {};
	__u64 seq;

	if (!d || IS_ERR_VALUE(d))
		return 0;
	if (!sb || emit_types & ET_BIT(ET_DENTRY_ALLOC))
		dwin_read(&w, d);
	if (!(sb ? sb_read_x(sb, &s, true) : sb_read(DWIN(&w, d, d_sb), &s)))
		return 0;
	/* before the reserve: a record lost to a full ring keeps ids unique */
	if (AGG_DENTRIES) {
		seq = birth_new((__u64)d, true, ts, &s, t);
		agg_counted(ET_DENTRY_ALLOC);
	} else {
		seq = gen_new(d);
	}
	e = ev_reserve(ET_DENTRY_ALLOC, t, &s, ET_EVENT_NAME, ts);
	if (!e)
		return 0;
	ev_dentry(e, d, &w);
	e->obj_seq = seq;
	ev_submit(e);
	return 0;
}

/*
 * __d_alloc() is where every dentry comes from: d_alloc(), d_alloc_pseudo()
 * (pipes, sockets) and, since 6.8 and in stable kernels, d_alloc_parallel()
 * (the slow-path lookup), which no longer goes through d_alloc().  The
 * parent is set by the caller after it returns: the dentry_kill and lookup
 * events carry it.
 */
SEC("fexit/__d_alloc")
int BPF_PROG(__d_alloc_fentry, struct super_block *sb, const struct qstr *name,
	     struct dentry *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_D_ALLOC))
		return 0;
	return on_dentry_alloc(RET(), sb, &t);
}

SEC("kretprobe/__d_alloc")
int BPF_KRETPROBE(__d_alloc_kprobe, struct dentry *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_D_ALLOC))
		return 0;
	return on_dentry_alloc(ret, NULL, &t);
}

static __always_inline int on_ei_put(struct dentry *dentry, struct eventfs_inode *ei,
				     struct task *t, __u64 dentry_seq);

/*
 * The put eventfs_d_release() is about to make, read at __dentry_kill()'s
 * entry: the refcount then is the one at the put, as nothing between the
 * two takes or drops a reference of the dentry's ei.  dev: the dentry's
 * superblock's, 0 if not known yet.
 */
static __always_inline void kill_ei_put(struct dentry *d, struct dwin *w, __u32 dev, __u64 seq,
					struct task *t)
{
	struct eventfs_inode *ei;
	struct super_block *sb;

	if (!dev) {
		sb = DWIN(w, d, d_sb);
		dev = BPF_CORE_READ(sb, s_dev);
	}
	if (dev != tracefs_dev)
		return;
	ei = DWIN(w, d, d_fsdata);
	if (!ei)
		return;
	/* counted as its own call: -v and the count against bpftrace's */
	count_call(ETP_EVENTFS_D_RELEASE);
	on_ei_put(d, ei, t, seq);
}

/*
 * Which of its parts a kill needs is known at load.  The live view probes
 * __dentry_kill() for the eventfs puts alone: it counts no dentry
 * lifetimes and tracks no generations, so it neither times the kill nor
 * looks for a birth that was never stored (a walk of both chains, on
 * every kill).
 */
#define KILL_TIMED	(AGG_DENTRIES || emit_types & ET_BIT(ET_DENTRY_KILL))
#define KILL_BIRTHS	(AGG_DENTRIES || track_dentries)
#define KILL_NEEDS_SB	(!AGG_DENTRIES || FREE_NEEDS_SB(ET_DENTRY_KILL))

static __always_inline int on_dentry_kill(struct dentry *d, struct task *t, bool wanted)
{
	__u64 ts = KILL_TIMED ? bpf_ktime_get_ns() : 0;
	struct birth b = {};
	bool born;
	struct dying dy;
	struct sbinfo s = {};	/* without sb_read: b.dev, once the birth is found */
	struct et_event *e;
	struct dwin w = {};

	if (KILL_NEEDS_SB || emit_types & ET_BIT(ET_DENTRY_KILL) || ei_put_in_kill)
		dwin_read(&w, d);
	if (KILL_NEEDS_SB) {
		if (!sb_read(DWIN(&w, d, d_sb), &s))
			return 0;
	}
	dy.dentry = (__u64)d;
	dy.seq = KILL_BIRTHS ? birth_end((__u64)d, AGG_DENTRIES ? &b : NULL) : 0;
	born = dy.seq != 0;
	if (AGG_DENTRIES && born)
		s.dev = b.dev;
	if (!wanted)
		return 0;
	/* only eventfs_d_release() asks, and only for a tracefs dentry */
	if (track_dentries && s.dev == tracefs_dev && !ei_put_in_kill)
		TASK_SLOT_SET(dying, &t->tid, dy);
	if (AGG_DENTRIES) {
		if (born && b.ts)
			agg_life(ETA_DENTRY_LIFE, ts, &b);
		else
			agg_count(ETA_UNKNOWN_DENTRY);
		agg_counted(ET_DENTRY_KILL);
	}
	e = ev_reserve(ET_DENTRY_KILL, t, &s, ET_EVENT_NAME, ts);
	if (e) {
		ev_dentry(e, d, &w);
		e->obj_seq = dy.seq;
		ev_submit(e);
	}
	/* after the kill's own record, as the two calls come */
	if (ei_put_in_kill)
		kill_ei_put(d, &w, s.dev, dy.seq, t);
	return 0;
}

SEC("fentry/__dentry_kill")
int BPF_PROG(__dentry_kill_fentry, struct dentry *dentry)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_DENTRY_KILL);

	return on_dentry_kill(ARG(0), &t, wanted);
}

SEC("kprobe/__dentry_kill")
int BPF_KPROBE(__dentry_kill_kprobe, struct dentry *dentry)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_DENTRY_KILL);

	return on_dentry_kill(dentry, &t, wanted);
}

/* The seq of a dentry, also while __dentry_kill() is tearing it down. */
static __always_inline __u64 dentry_seq(struct task *t, struct dentry *d)
{
	struct dying *dy;

	if (!track_dentries)
		return 0;
	/*
	 * eventfs_d_release() is called by __dentry_kill(), which has ended
	 * the generation: the dying slot first, the table only if it is not
	 * this dentry's.
	 */
	dy = bpf_map_lookup_elem(&dying, &t->tid);
	if (dy && dy->dentry == (__u64)d)
		return dy->seq;
	return dentry_gen(d);
}

/* ---- slow-path lookups ------------------------------------------------ */

static __always_inline int on_lookup(const struct qstr *name, struct dentry *dir,
				     struct dentry *ret, struct task *t)
{
	struct inode *inode;
	struct sbinfo s;
	struct et_event *e;

	if (!sb_read(BPF_CORE_READ(dir, d_sb), &s))
		return 0;
	e = ev_reserve(ET_LOOKUP, t, &s, ET_EVENT_NAME, bpf_ktime_get_ns());
	if (!e)
		return 0;
	e->obj = (__u64)dir;
	e->obj_seq = dentry_gen(dir);
	ev_qstr(e, name);
	if (IS_ERR_VALUE(ret)) {
		e->value = (long)ret;
	} else if (ret) {
		e->aux = (__u64)ret;
		e->aux_seq = dentry_gen(ret);
		inode = BPF_CORE_READ(ret, d_inode);
		ev_inode(e, inode);
		if (!inode)
			e->flags |= ET_F_NEGATIVE;
	}
	ev_submit(e);
	return 0;
}

SEC("fexit/__lookup_slow")
int BPF_PROG(__lookup_slow_fentry, const struct qstr *name, struct dentry *dir,
	     unsigned int flags, struct dentry *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_LOOKUP_SLOW))
		return 0;
	return on_lookup(name, ARG(1), RET(), &t);
}

/* The stack is only ever touched by its own task: no lock needed. */
static __always_inline void stash_put(enum stash_fn fn, __u64 a0, __u64 a1)
{
	struct stash_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .fn = fn };
	struct stash *v = bpf_map_lookup_elem(&stashes, &k);

	if (!v) {
		struct stash empty = {};

		bpf_map_update_elem(&stashes, &k, &empty, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&stashes, &k);
		if (!v)
			return;
	}
	if (v->n < STASH_DEPTH) {
		v->a0[v->n & (STASH_DEPTH - 1)] = a0;
		v->a1[v->n & (STASH_DEPTH - 1)] = a1;
	}
	v->n++;
}

/* The arguments of the innermost call under way, into a0 and a1. */
static __always_inline bool stash_take(enum stash_fn fn, __u64 *a0, __u64 *a1)
{
	struct stash_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .fn = fn };
	struct stash *v = bpf_map_lookup_elem(&stashes, &k);

	if (!v || !v->n)
		return false;
	v->n--;
	if (v->n >= STASH_DEPTH)
		return false;
	*a0 = v->a0[v->n & (STASH_DEPTH - 1)];
	*a1 = v->a1[v->n & (STASH_DEPTH - 1)];
	return true;
}

SEC("kprobe/__lookup_slow")
int BPF_KPROBE(__lookup_slow_kprobe, const struct qstr *name, struct dentry *dir)
{
	stash_put(STASH_LOOKUP, (__u64)name, (__u64)dir);
	return 0;
}

SEC("kretprobe/__lookup_slow")
int BPF_KRETPROBE(__lookup_slow_kretprobe, struct dentry *ret)
{
	__u64 name, dir;
	struct task t;
	bool wanted = task_begin(&t, ETP_LOOKUP_SLOW);

	/* taken whatever the filters say: the entry pushed it for every task */
	if (!stash_take(STASH_LOOKUP, &name, &dir) || !wanted)
		return 0;
	return on_lookup((void *)name, (void *)dir, ret, &t);
}

/* ---- eventfs_inodes --------------------------------------------------- */

/*
 * Every eventfs_inode field is guarded: a kernel without one loses that
 * field of the event (the refcount says so, ET_F_NOREFCOUNT), not the
 * whole object's load, which an unguarded CO-RE relocation would fail.
 */
static __always_inline void ev_ei_fields(struct et_event *e, struct eventfs_inode *ei)
{
	if (bpf_core_field_exists(ei->kref))
		e->value = BPF_CORE_READ(ei, kref.refcount.refs.counter);
	else
		e->flags |= ET_F_NOREFCOUNT;
	if (bpf_core_field_exists(ei->ino))
		e->ino = BPF_CORE_READ(ei, ino);
	if (bpf_core_field_exists(ei->is_freed) && BPF_CORE_READ_BITFIELD_PROBED(ei, is_freed))
		e->flags |= ET_F_FREED;
	if (bpf_core_field_exists(ei->is_events) && BPF_CORE_READ_BITFIELD_PROBED(ei, is_events))
		e->flags |= ET_F_EVENTS;
}

/* An ei's offsets, relocated: constants by load time, so the checks below fold away. */
#define EI_OFF(f)	__builtin_preserve_field_info(((struct eventfs_inode *)0)->f, \
						      BPF_FIELD_BYTE_OFFSET)
#define EI_WIN		16
#define EI_BF_OK(f)	(bpf_core_field_exists(((struct eventfs_inode *)0)->f) &&	\
			 EI_IN_WIN(__builtin_preserve_field_info(((struct eventfs_inode *)0)->f, \
							 BPF_FIELD_BYTE_OFFSET),		\
				   __builtin_preserve_field_info(((struct eventfs_inode *)0)->f, \
							 BPF_FIELD_BYTE_SIZE)) &&		\
			 (__builtin_preserve_field_info(((struct eventfs_inode *)0)->f,	\
							BPF_FIELD_BYTE_SIZE) == 1 ||		\
			  __builtin_preserve_field_info(((struct eventfs_inode *)0)->f,	\
							BPF_FIELD_BYTE_SIZE) == 4))
#define EI_IN_WIN(off, size)	((off) >= EI_OFF(kref) && (off) + (size) <= EI_OFF(kref) + EI_WIN && \
				 ((off) - EI_OFF(kref)) % (size) == 0)

/* A bitfield of the window w (which starts at the kref), as BPF_CORE_READ_BITFIELD. */
#define EI_WIN_BITFIELD(wp, f) ({						\
	const struct eventfs_inode *__ei = 0;					\
	__u32 __off = __builtin_preserve_field_info(__ei->f, BPF_FIELD_BYTE_OFFSET) - \
		      EI_OFF(kref);						\
	__u64 __v = __builtin_preserve_field_info(__ei->f, BPF_FIELD_BYTE_SIZE) == 1 ? \
		    (wp)->b[__off] : (wp)->w[__off / 4];				\
	__v <<= __builtin_preserve_field_info(__ei->f, BPF_FIELD_LSHIFT_U64);	\
	__v >> __builtin_preserve_field_info(__ei->f, BPF_FIELD_RSHIFT_U64);	\
})

/*
 * The refcount, number and flags of an ei.  Where they sit together after
 * the kref, as in every kernel with eventfs_inodes so far (kref, the
 * is_freed/is_events word, ino), one read of the 16 bytes from the kref
 * takes the four: a helper call is a probe's main cost, and an ei changes
 * refcount tens of thousands of times in a burst.  Otherwise, or if the
 * read fails, a read per field.
 */
static __always_inline void ev_ei(struct et_event *e, struct eventfs_inode *ei)
{
	union {
		__u8 b[EI_WIN];
		__u32 w[EI_WIN / 4];
	} win;

	e->obj = (__u64)ei;
	if (!bpf_core_field_exists(ei->kref) || !bpf_core_field_exists(ei->ino) ||
	    !EI_IN_WIN(EI_OFF(kref.refcount.refs.counter), 4) || !EI_IN_WIN(EI_OFF(ino), 4) ||
	    !EI_BF_OK(is_freed) || !EI_BF_OK(is_events) ||
	    bpf_probe_read_kernel(&win, sizeof(win), (void *)ei + EI_OFF(kref))) {
		ev_ei_fields(e, ei);
		return;
	}
	e->value = (int)win.w[(EI_OFF(kref.refcount.refs.counter) - EI_OFF(kref)) / 4];
	e->ino = win.w[(EI_OFF(ino) - EI_OFF(kref)) / 4];
	if (EI_WIN_BITFIELD(&win, is_freed))
		e->flags |= ET_F_FREED;
	if (EI_WIN_BITFIELD(&win, is_events))
		e->flags |= ET_F_EVENTS;
}

/* Only into a record reserved with its name (ET_EVENT_NAME). */
static __always_inline void ev_ei_name(struct et_event *e, struct eventfs_inode *ei)
{
	const char *name = NULL;

	if (bpf_core_field_exists(ei->name))
		name = BPF_CORE_READ(ei, name);

	/*
	 * A full buffer holds ET_NAME_LEN - 1 bytes and the NUL: the name
	 * was cut only if it goes on past them (a 63-byte kprobe event's
	 * name fits exactly).
	 */
	if (name && bpf_probe_read_kernel_str(e->name, sizeof(e->name), name) ==
			    sizeof(e->name)) {
		char more = 0;

		bpf_probe_read_kernel(&more, 1, name + sizeof(e->name) - 1);
		if (more)
			e->flags |= ET_F_TRUNC;
	}
}

/*
 * Does the event of an ei with this generation carry its name?  Once per
 * ei with ei_names_once: its first event (or the first since tracing
 * started) names it, the model remembers.
 */
static __always_inline bool ei_named(__u64 seq)
{
	return !ei_names_once || !seq;
}

static __always_inline bool ei_wanted(struct sbinfo *s)
{
	sb_tracefs(s);
	return sb_filter(s);
}

/*
 * An ei's record.  Once its first event has named it (ei_names_once), the
 * model takes the comm from there, and no one reads the later events'
 * comm or cgroup: two helper calls fewer on each of its refcount changes.
 */
static __always_inline struct et_event *ei_reserve(__u16 type, struct task *t, bool named)
{
	struct sbinfo s;

	if (!ei_wanted(&s))
		return NULL;
	if (named)
		return ev_reserve(type, t, &s, ET_EVENT_NAME, bpf_ktime_get_ns());
	return ev_reserve_ids(type, t, &s, ET_EVENT_BASE, bpf_ktime_get_ns(), !ei_names_once);
}

/*
 * inst: an events dir's parent dentry (eventfs_create_events_dir()'s), the
 * tracefs instance it belongs to, whose name the record carries in place
 * of "events" (ET_F_INSTANCE): paths then read instances/foo/events/...
 * The top-level events dir's parent is tracefs' root, its own parent.
 */
static __always_inline int on_ei_create(struct eventfs_inode *ei,
					struct eventfs_inode *parent, struct dentry *inst,
					struct task *t)
{
	struct et_event *e;
	struct sbinfo s;
	__u64 seq;

	if (!ei || IS_ERR_VALUE(ei) || !ei_wanted(&s))
		return 0;
	/* before the reserve: a record lost to a full ring keeps ids unique */
	seq = gen_new(ei);
	e = ev_reserve(ET_EI_CREATE, t, &s, ET_EVENT_NAME, bpf_ktime_get_ns());
	if (!e)
		return 0;
	ev_ei(e, ei);
	if (inst && BPF_CORE_READ(inst, d_parent) != inst) {
		ev_name(e, BPF_CORE_READ(inst, d_name.name), BPF_CORE_READ(inst, d_name.len));
		e->flags |= ET_F_INSTANCE;
	} else {
		ev_ei_name(e, ei);
	}
	e->obj_seq = seq;
	if (parent && !IS_ERR_VALUE(parent)) {
		e->aux = (__u64)parent;
		e->aux_seq = gen_get((__u64)parent);
	}
	ev_submit(e);
	return 0;
}

SEC("fexit/eventfs_create_dir")
int BPF_PROG(eventfs_create_dir_fentry, const char *name,
	     struct eventfs_inode *parent, const struct eventfs_entry *entries,
	     int size, void *data, struct eventfs_inode *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_CREATE_DIR))
		return 0;
	return on_ei_create(RET(), ARG(1), NULL, &t);
}

SEC("kprobe/eventfs_create_dir")
int BPF_KPROBE(eventfs_create_dir_kprobe, const char *name,
	       struct eventfs_inode *parent)
{
	stash_put(STASH_CREATE_DIR, (__u64)parent, 0);
	return 0;
}

SEC("kretprobe/eventfs_create_dir")
int BPF_KRETPROBE(eventfs_create_dir_kretprobe, struct eventfs_inode *ret)
{
	__u64 parent, unused;
	struct task t;
	bool wanted = task_begin(&t, ETP_EVENTFS_CREATE_DIR);

	if (!stash_take(STASH_CREATE_DIR, &parent, &unused) || !wanted)
		return 0;
	return on_ei_create(ret, (void *)parent, NULL, &t);
}

/* an "events" directory: its parent is a dentry (an instance's, or tracefs' root), not an ei */
SEC("fexit/eventfs_create_events_dir")
int BPF_PROG(eventfs_create_events_dir_fentry, const char *name,
	     struct dentry *parent, const struct eventfs_entry *entries,
	     int size, void *data, struct eventfs_inode *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_CREATE_EVENTS_DIR))
		return 0;
	return on_ei_create(RET(), NULL, parent, &t);
}

SEC("kprobe/eventfs_create_events_dir")
int BPF_KPROBE(eventfs_create_events_dir_kprobe, const char *name, struct dentry *parent)
{
	stash_put(STASH_CREATE_EVENTS_DIR, (__u64)parent, 0);
	return 0;
}

SEC("kretprobe/eventfs_create_events_dir")
int BPF_KRETPROBE(eventfs_create_events_dir_kretprobe, struct eventfs_inode *ret)
{
	__u64 parent, unused;
	struct task t;
	bool wanted = task_begin(&t, ETP_EVENTFS_CREATE_EVENTS_DIR);

	if (!stash_take(STASH_CREATE_EVENTS_DIR, &parent, &unused) || !wanted)
		return 0;
	return on_ei_create(ret, NULL, (void *)parent, &t);
}

/*
 * get_ei() is inlined in 6.12, so the reference a lookup takes shows up at
 * eventfs_root_lookup()'s exit as dentry->d_fsdata: the child's ei for a
 * directory, the directory's own ei for a file.  A lookup that found the
 * directory's ei already freed takes no reference: report that (NOREF),
 * it is what the seed thread's use-after-free hunt needed to see.
 */
static __always_inline int on_ei_lookup(struct inode *dir, struct dentry *dentry,
					struct eventfs_inode *ei, struct task *t)
{
	struct eventfs_inode *dir_ei = NULL;
	struct tracefs_inode *ti;
	struct inode *inode;
	struct et_event *e;
	__u32 flags = 0;
	bool named;
	__u64 seq;

	/*
	 * eventfs keeps the directory's ei in its tracefs_inode's private:
	 * read only when the event needs it (a read is a helper call)
	 */
	ti = (void *)dir - bpf_core_field_offset(struct tracefs_inode, vfs_inode);
	if (!ei) {
		ei = dir_ei = BPF_CORE_READ(ti, private);
		if (!ei || !BPF_CORE_READ_BITFIELD_PROBED(ei, is_freed))
			return 0;
		flags = ET_F_NOREF;
	}
	seq = gen_get((__u64)ei);
	named = ei_named(seq);
	if (named && !flags)
		dir_ei = BPF_CORE_READ(ti, private);
	e = ei_reserve(ET_EI_GET, t, named);
	if (!e)
		return 0;
	ev_ei(e, ei);
	if (named)
		ev_ei_name(e, ei);
	e->flags |= flags;
	e->obj_seq = seq;
	e->aux = (__u64)dentry;
	e->aux_seq = dentry_gen(dentry);	/* alive: not the dying one */
	/* the inode lookup_file()/lookup_dir_entry() just made, and its number */
	inode = ei_inodes ? BPF_CORE_READ(dentry, d_inode) : NULL;
	if (inode) {
		e->inode = (__u64)inode;
		e->inode_seq = inode_gen(inode);
		e->inode_ino = BPF_CORE_READ(inode, i_ino);
	}
	/* its place, for an ei the trace did not see made (named: see ei_named()) */
	if (named && dir_ei && dir_ei != ei) {
		e->pei = (__u64)dir_ei;
		e->pei_seq = gen_get((__u64)dir_ei);
	}
	ev_submit(e);
	return 0;
}

SEC("fexit/eventfs_root_lookup")
int BPF_PROG(eventfs_root_lookup_fentry, struct inode *dir,
	     struct dentry *dentry, unsigned int flags, struct dentry *ret)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_ROOT_LOOKUP))
		return 0;
	/*
	 * d_fsdata is read, not loaded: the generation table multiplies the
	 * address, and 7.3's verifier types a loaded void * as memory,
	 * which it lets no one combine (6.12's made it a number)
	 */
	return on_ei_lookup(dir, ARG(1), BPF_CORE_READ(dentry, d_fsdata), &t);
}

SEC("kprobe/eventfs_root_lookup")
int BPF_KPROBE(eventfs_root_lookup_kprobe, struct inode *dir, struct dentry *dentry)
{
	stash_put(STASH_ROOT_LOOKUP, (__u64)dir, (__u64)dentry);
	return 0;
}

SEC("kretprobe/eventfs_root_lookup")
int BPF_KRETPROBE(eventfs_root_lookup_kretprobe)
{
	__u64 dir, dentry;
	struct task t;
	bool wanted = task_begin(&t, ETP_EVENTFS_ROOT_LOOKUP);

	if (!stash_take(STASH_ROOT_LOOKUP, &dir, &dentry) || !wanted)
		return 0;
	return on_ei_lookup((void *)dir, (void *)dentry,
			    BPF_CORE_READ((struct dentry *)dentry, d_fsdata), &t);
}

/* Read at entry: the refcount is the value before the put. */
static __always_inline int on_ei_put(struct dentry *dentry, struct eventfs_inode *ei,
				     struct task *t, __u64 dentry_seq)
{
	struct et_event *e;
	bool named;
	__u64 seq;

	if (!ei)
		return 0;
	seq = gen_get((__u64)ei);
	named = ei_named(seq);
	e = ei_reserve(ET_EI_PUT, t, named);
	if (!e)
		return 0;
	ev_ei(e, ei);
	if (named)
		ev_ei_name(e, ei);
	e->obj_seq = seq;
	e->aux = (__u64)dentry;
	e->aux_seq = dentry_seq;
	ev_submit(e);
	return 0;
}

SEC("fentry/eventfs_d_release")
int BPF_PROG(eventfs_d_release_fentry, struct dentry *dentry)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_D_RELEASE))
		return 0;
	return on_ei_put(ARG(0), BPF_CORE_READ(dentry, d_fsdata), &t, dentry_seq(&t, ARG(0)));
}

SEC("kprobe/eventfs_d_release")
int BPF_KPROBE(eventfs_d_release_kprobe, struct dentry *dentry)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_D_RELEASE))
		return 0;
	return on_ei_put(dentry, BPF_CORE_READ(dentry, d_fsdata), &t, dentry_seq(&t, dentry));
}

/*
 * eventfs_remove_dir() recurses through eventfs_remove_rec(), which is
 * called once per ei (children first) and sets is_freed before dropping the
 * owner's reference: hooking it sees every removed ei, not just the top.
 */
static __always_inline int on_ei_remove(struct eventfs_inode *ei, struct task *t)
{
	__u64 seq = gen_get((__u64)ei);
	bool named = ei_named(seq);
	struct et_event *e;

	e = ei_reserve(ET_EI_REMOVE, t, named);
	if (!e)
		return 0;
	ev_ei(e, ei);
	if (named)
		ev_ei_name(e, ei);
	e->obj_seq = seq;
	ev_submit(e);
	return 0;
}

SEC("fentry/eventfs_remove_rec")
int BPF_PROG(eventfs_remove_rec_fentry, struct eventfs_inode *ei, int level)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_REMOVE_REC))
		return 0;
	return on_ei_remove(ARG(0), &t);
}

SEC("kprobe/eventfs_remove_rec")
int BPF_KPROBE(eventfs_remove_rec_kprobe, struct eventfs_inode *ei)
{
	struct task t;

	if (!task_begin(&t, ETP_EVENTFS_REMOVE_REC))
		return 0;
	return on_ei_remove(ei, &t);
}

static __always_inline int on_ei_release(struct kref *ref, struct task *t, bool wanted)
{
	struct eventfs_inode *ei;
	struct et_event *e;
	bool named;
	__u64 seq;

	ei = (void *)ref - bpf_core_field_offset(struct eventfs_inode, kref);
	/* the generation ends whoever drops the last reference */
	seq = gen_end(ei);
	if (!wanted)
		return 0;
	named = ei_named(seq);
	e = ei_reserve(ET_EI_RELEASE, t, named);
	if (!e)
		return 0;
	ev_ei(e, ei);
	if (named)
		ev_ei_name(e, ei);
	e->obj_seq = seq;
	ev_submit(e);
	return 0;
}

SEC("fentry/release_ei")
int BPF_PROG(release_ei_fentry, struct kref *ref)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_RELEASE_EI);

	return on_ei_release(ARG(0), &t, wanted);
}

SEC("kprobe/release_ei")
int BPF_KPROBE(release_ei_kprobe, struct kref *ref)
{
	struct task t;
	bool wanted = task_begin(&t, ETP_RELEASE_EI);

	return on_ei_release(ref, &t, wanted);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
