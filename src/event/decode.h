/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decoded event: what every view, exporter and (later) the trace file
 * consumes.  No kernel pointers: objects are keyed-hash ids.
 */
#ifndef EVTRACE_DECODE_H
#define EVTRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "evtrace/evtrace.h"

#define ET_CALLER_LEN	64
#define ET_IDKEY_LEN	16

struct et_rec {
	int type;		/* enum et_type */
	uint64_t ts_ns;
	uint32_t cpu, pid, tid;
	uint32_t flags;		/* ET_F_* */
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	int64_t value;		/* refcount, lookup result, lost count */
	uint64_t obj_id;	/* 0: none */
	uint64_t aux_id;
	uint64_t inode_id;	/* lookup, dentry_kill, ei_get: the inode behind */
	uint64_t inode_ino;	/* its i_ino now */
	uint64_t pei_id;	/* ei_get: the ei of the directory looked in */
	uint64_t cgroup_id;	/* the task's cgroup v2 id (lib/cgroups.h names it); 0: unknown */
	char comm[ET_COMM_LEN];
	char fs[ET_FS_LEN];
	char name[ET_NAME_LEN];
	char caller[ET_CALLER_LEN];	/* ino_alloc only */
};

struct ksyms;

/*
 * Ids already computed, by (pointer, generation): an ei or a dentry is
 * named by several events in a row (get, put, its parent's in each
 * lookup), and the hash was a third of the decoding.  Direct-mapped:
 * a collision only costs the hash again.  32,768 slots (768 KiB): a
 * burst holds some 11,000 eventfs dentries at once, and with 4,096 each
 * one's put had been pushed out since its get, and hashed it again.
 */
#define ID_CACHE_BITS	15

struct id_slot {
	uint64_t ptr, seq, id;
};

struct decoder {
	unsigned char key[ET_IDKEY_LEN];	/* per-session: ids don't leak addresses */
	const struct ksyms *ksyms;		/* may be NULL: caller "?" */
	struct id_slot ids[1u << ID_CACHE_BITS];	/* ptr 0: empty */
};

/* The cache slot of (pointer, generation): slab objects are aligned, the multiply brings the varying bits up. */
static inline unsigned int id_slot_of(uint64_t ptr, uint64_t seq)
{
	return ((ptr ^ seq * 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull) >> (64 - ID_CACHE_BITS);
}

/* Random key; 0 or -errno. */
int decoder_init(struct decoder *d, const struct ksyms *ks);
/* A ring buffer record of size bytes (ET_EVENT_BASE at least): its tail only as far as it goes. */
void decode_event(struct decoder *d, const struct et_event *e, size_t size,
		  struct et_rec *r);
/* A userspace-made record for events lost, and why (NULL: not said, the ring's). */
void decode_lost(struct et_rec *r, uint64_t ts_ns, uint64_t count, const char *cause);
/* Keyed hash of (pointer, generation); 0 for a NULL pointer. */
uint64_t object_id(struct decoder *d, uint64_t ptr, uint64_t seq);
/* The first stack frame that is neither BPF nor get_next_ino itself. */
void resolve_caller(const struct ksyms *ks, const uint64_t *stack, int depth,
		    char *buf, size_t size);

/* From the schema table (event/schema.c); "unknown" out of range. */
const char *et_type_name(int type);
/* -1 if unknown */
int et_type_from_name(const char *name);

#endif
