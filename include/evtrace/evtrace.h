/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event ABI shared by the BPF programs (bpf/) and userspace (src/).
 *
 * One record per event in the BPF ring buffer: a fixed part, and a name or
 * a stack after it for the types that have one.  Kernel pointers
 * travel only from the kernel to the decoder (src/event/decode.c), which turns
 * them into keyed-hash ids: no raw address ever leaves evtrace.
 *
 * Only linux/types.h-style types here, so both sides can include it; the
 * BPF side gets them from vmlinux.h.
 */
#ifndef EVTRACE_EVTRACE_H
#define EVTRACE_EVTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ET_COMM_LEN	16
#define ET_FS_LEN	16	/* struct file_system_type names fit: "anon_inodefs" */
#define ET_NAME_LEN	64	/* dentry/ei names are cut here; ET_F_TRUNC says so */
#define ET_STACK_DEPTH	6	/* get_next_ino caller: trampolines, callee, caller */

/*
 * A type's name (in JSON, text, CSV, --type) is its enumerator in lower
 * case; it, the fields each type shows and how the trace file stores them
 * are the schema, src/event/schema.c.
 */
enum et_type {
	ET_INO_ALLOC = 1,	/* get_next_ino() returned ino */
	ET_INODE_ALLOC,		/* alloc_inode() returned an inode */
	ET_INODE_EVICT,		/* evict(): the inode is going away */
	ET_DENTRY_ALLOC,	/* d_alloc() / d_alloc_pseudo() returned a dentry */
	ET_DENTRY_KILL,		/* __dentry_kill(): the d_release moment */
	ET_LOOKUP,		/* __lookup_slow(): a dcache miss, and its result */
	ET_EI_CREATE,		/* eventfs_create_dir/_events_dir() returned an ei */
	ET_EI_GET,		/* eventfs_root_lookup() gave a dentry its d_fsdata ref */
	ET_EI_PUT,		/* eventfs_d_release() drops the dentry's ref */
	ET_EI_REMOVE,		/* eventfs_remove_rec(): marked freed, owner ref dropped */
	ET_EI_RELEASE,		/* release_ei(): refcount hit zero */
	ET_LOST,		/* userspace only: ring buffer reserve failures */
	ET_TYPE_MAX,
};

/* Sets of types (--type, the BPF side's emit_types and agg_types): 1 << type. */
#define ET_BIT(type)		(1u << (type))
#define ET_EVENTFS_TYPES	(ET_BIT(ET_EI_CREATE) | ET_BIT(ET_EI_GET) | ET_BIT(ET_EI_PUT) | \
				 ET_BIT(ET_EI_REMOVE) | ET_BIT(ET_EI_RELEASE))
#define ET_VFS_TYPES		(ET_BIT(ET_INO_ALLOC) | ET_BIT(ET_INODE_ALLOC) | \
				 ET_BIT(ET_INODE_EVICT) | ET_BIT(ET_DENTRY_ALLOC) | \
				 ET_BIT(ET_DENTRY_KILL) | ET_BIT(ET_LOOKUP))
/* an ei's refcount steps: a lookup's reference and a dentry's release of it */
#define ET_EI_REF_TYPES		(ET_BIT(ET_EI_GET) | ET_BIT(ET_EI_PUT))
/* an object's allocation and free: what its lifetime needs */
#define ET_INODE_LIFE_TYPES	(ET_BIT(ET_INODE_ALLOC) | ET_BIT(ET_INODE_EVICT))
#define ET_DENTRY_LIFE_TYPES	(ET_BIT(ET_DENTRY_ALLOC) | ET_BIT(ET_DENTRY_KILL))

/*
 * The kernel functions probed, in `evtrace probes` order.  The BPF side
 * counts each one's calls (evtrace's own excluded, before any filter), so
 * they can be held against another tracer's counts of the same functions.
 */
enum et_probe {
	ETP_GET_NEXT_INO,
	ETP_ALLOC_INODE,
	ETP_EVICT,
	ETP_D_ALLOC,
	ETP_DENTRY_KILL,
	ETP_LOOKUP_SLOW,
	ETP_EVENTFS_CREATE_DIR,
	ETP_EVENTFS_CREATE_EVENTS_DIR,
	ETP_EVENTFS_ROOT_LOOKUP,
	ETP_EVENTFS_D_RELEASE,
	ETP_EVENTFS_REMOVE_REC,
	ETP_RELEASE_EI,
	ETP_MAX,
};

/* et_event.flags */
#define ET_F_TRUNC	(1u << 0)	/* name was cut at ET_NAME_LEN - 1 */
#define ET_F_FREED	(1u << 1)	/* ei->is_freed was set when read */
#define ET_F_NOREF	(1u << 2)	/* ei_get: lookup took no reference (ei = dir's ei) */
#define ET_F_EVENTS	(1u << 3)	/* ei->is_events: an "events" top directory */
#define ET_F_NEGATIVE	(1u << 4)	/* lookup: result dentry has no inode */
#define ET_F_NO_SB	(1u << 5)	/* ino_alloc: no inode allocation seen before it */
#define ET_F_SB_GUESS	(1u << 6)	/* ino_alloc: that inode already had a number */
#define ET_F_NOREFCOUNT	(1u << 7)	/* ei: this kernel's eventfs_inode has no kref: value unknown */
#define ET_F_INSTANCE	(1u << 8)	/* ei_create of an instance's events dir: name is the instance's */

/*
 * What the BPF side puts in the object fields, per type (ptr = kernel
 * pointer, seq = the generation the BPF side gave that object at
 * allocation, 0 if it was allocated before tracing started).  How each is
 * then shown (JSON keys, text, CSV) is src/event/schema.c, and
 * tests/unit/test_schema.c holds this table against it: a column marked
 * "-" is never shown unconditionally, every other one is shown, obj under
 * the key its first word names, and value's refcount before/after/(0) is
 * the count Perfetto draws.
 *
 *   type           obj        aux             inode          ino           value
 *   ino_alloc      inode      -               -              returned ino  -
 *   inode_alloc    inode      -               -              -             -
 *   inode_evict    inode      -               -              i_ino         -
 *   dentry_alloc   dentry     - (not set yet) -              -             -
 *   dentry_kill    dentry     parent dentry   d_inode        its i_ino     -
 *   lookup         dir dentry result dentry   result's inode its i_ino     0 or -errno
 *   ei_create      ei         parent ei       -              ei->ino       refcount after
 *   ei_get         ei         dentry          dentry's inode ei->ino       refcount after
 *   ei_put         ei         dentry          -              ei->ino       refcount before
 *   ei_remove      ei         -               -              ei->ino       refcount before
 *   ei_release     ei         -               -              ei->ino       refcount (0)
 *
 * The inode column (inode, inode_seq, inode_ino = its i_ino now) lets
 * userspace follow an inode's number after get_next_ino(): eventfs files
 * overwrite it with one shared number.  pei (ei_get only) is the ei of the
 * directory looked in, when it is not the ei itself: it gives eis created
 * before tracing started their place under events/.
 */
struct et_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u16 type;		/* enum et_type */
	__u16 cpu;
	__u32 flags;		/* ET_F_* */
	__u32 dev;		/* super_block->s_dev, kernel encoding (20-bit minor) */
	__u32 pad;
	__u64 ino;
	__s64 value;		/* refcount or lookup result, see table */
	__u64 obj;
	__u64 obj_seq;
	__u64 aux;
	__u64 aux_seq;
	__u64 inode;
	__u64 inode_seq;
	__u64 inode_ino;
	__u64 pei;
	__u64 pei_seq;
	__u64 cgroup;		/* the task's cgroup v2 id: its directory's inode number */
	char comm[ET_COMM_LEN];
	char fs[ET_FS_LEN];
	/*
	 * The tail: only the types that have one reserve room for it, so a
	 * record is ET_EVENT_BASE, ET_EVENT_STACK or ET_EVENT_NAME bytes (the
	 * ring buffer says which).  Most events carry neither.
	 */
	union {
		__u64 stack[ET_STACK_DEPTH];	/* ino_alloc: for the caller */
		char name[ET_NAME_LEN];		/* dentry, lookup and ei events */
	};
};

#define ET_EVENT_BASE	__builtin_offsetof(struct et_event, name)
#define ET_EVENT_STACK	(ET_EVENT_BASE + 8 * ET_STACK_DEPTH)
#define ET_EVENT_NAME	(ET_EVENT_BASE + ET_NAME_LEN)

_Static_assert(ET_EVENT_BASE == 160 && sizeof(struct et_event) == ET_EVENT_NAME,
	       "et_event ABI size changed");

/*
 * In-kernel aggregation (hist and the live view): for the types in the BPF
 * side's agg_types, each event adds to one (kind, group, bucket) entry of
 * the per-CPU hash "aggs" instead of (or, when a recording runs beside the
 * view, as well as) streaming a record.  The kinds are userspace's sample
 * kinds (enum sample_kind): an inode number, or a lifetime in usecs from
 * the allocation the BPF side saw ("births") to the free.  The group is
 * the superblock (dev and fs, as the record would carry them), plus the
 * allocating task's comm with --by comm, its cgroup id with --by cgroup,
 * or get_next_ino's stack with --by caller; the bucket is the histogram's (log2, or linear of agg_step),
 * so userspace adds each entry to one bucket whole.
 */
enum et_agg_kind {
	ETA_INO,		/* get_next_ino()'s value */
	ETA_DENTRY_LIFE,	/* __d_alloc() -> __dentry_kill(), usecs */
	ETA_INODE_LIFE,		/* alloc_inode() -> evict(), usecs */
	ETA_MAX,
};

/*
 * The fields a group may add come last, dearest last: the map's key size
 * (ET_AGG_KEY_SIZE) stops after the last one in use, and the hash and
 * compare of every count cover only those bytes (24 of 96 for the live
 * view's mounts).  Userspace reads a key into a zeroed one.
 */
struct et_agg_key {
	__u16 kind;		/* enum et_agg_kind */
	__u16 slot;		/* histogram bucket */
	__u32 dev;
	char fs[ET_FS_LEN];
	__u64 cgroup;		/* --by cgroup or serve, else zero */
	char comm[ET_COMM_LEN];	/* --by comm only, else zero */
	__u64 stack[ET_STACK_DEPTH];	/* ETA_INO with --by caller or serve, else zero */
};

#define ET_AGG_KEY_SIZE(by_caller, by_comm, by_cgroup)			\
	((by_caller) ? sizeof(struct et_agg_key) :				\
	 (by_comm) ? __builtin_offsetof(struct et_agg_key, stack) :		\
	 (by_cgroup) ? __builtin_offsetof(struct et_agg_key, comm) :		\
	 __builtin_offsetof(struct et_agg_key, cgroup))

/* Summed over CPUs by userspace: count and sum add, min and max merge. */
struct et_agg_val {
	__u64 count;
	__u64 sum;
	__u64 min;
	__u64 max;
};

#define ET_AGG_LINEAR_MAX	1024	/* linear buckets before the overflow one (hist.h) */

/*
 * "agg_counts", per CPU: aggregated events not also streamed, by type; in
 * the slots no type uses, inode and dentry frees whose allocation was not
 * seen, and samples the full aggs table had no room for.
 */
#define ETA_UNKNOWN_INODE	0
#define ETA_UNKNOWN_DENTRY	ET_LOST
#define ETA_TABLE_FULL		ET_TYPE_MAX
#define ETA_COUNTS		(ET_TYPE_MAX + 1)

/* Kernel dev_t encoding (include/linux/kdev_t.h), not glibc's. */
#define ET_MINORBITS	20
#define ET_MAJOR(dev)	((unsigned int)((dev) >> ET_MINORBITS))
#define ET_MINOR(dev)	((unsigned int)((dev) & ((1u << ET_MINORBITS) - 1)))
#define ET_MKDEV(ma, mi) (((ma) << ET_MINORBITS) | (mi))

#endif /* EVTRACE_EVTRACE_H */
