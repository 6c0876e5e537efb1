// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model: live-object tables (inodes, dentries, eventfs_inodes) keyed
 * by the decoder's opaque ids, per-group inode-number counters, samples
 * for histograms and anomaly detection.  Hash tables are uthash's; every
 * table is bounded and evicts its oldest entry, counted, when full.
 *
 * This file is the core (the feed, the clock, groups and rates, mounts,
 * anomaly reporting, the queries) and the VFS tables: inodes, their
 * numbers, dentries.  The eventfs_inode state machine is eventfs.c's; the
 * state both share is model_int.h's.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include "event/agg.h"
#include "model/model_int.h"
#include "lib/cgroups.h"
#include "lib/line.h"
#include "lib/tclock.h"
#include "lib/mounts.h"

uint64_t m_hash_seed;

/*
 * uthash frees a table's buckets when its last item goes and allocates
 * them again with the next one.  A pipe loop empties the inode and dentry
 * tables at every pipe, and malloc and free were a fourteenth of a replay:
 * small blocks are kept here, a few of them, for the next table instead.
 * Per thread, as each model is used by one thread; model_free() empties it.
 */
#define HASH_KEEP	8
#define HASH_KEEP_MAX	4096	/* bytes: the first tables' sizes, not grown ones */

static __thread struct {
	void *p;
	size_t size;
} hash_keep[HASH_KEEP];
static __thread int n_hash_keep;

void *m_hash_alloc(size_t size)
{
	for (int i = n_hash_keep - 1; i >= 0; i--) {
		if (hash_keep[i].size == size) {
			void *p = hash_keep[i].p;

			hash_keep[i] = hash_keep[--n_hash_keep];
			return p;	/* uthash zeroes what it allocates */
		}
	}
	return malloc(size);
}

void m_hash_release(void *p, size_t size)
{
	if (p && size <= HASH_KEEP_MAX && n_hash_keep < HASH_KEEP) {
		hash_keep[n_hash_keep].p = p;
		hash_keep[n_hash_keep++].size = size;
		return;
	}
	free(p);
}

static void hash_keep_drain(void)
{
	while (n_hash_keep)
		free(hash_keep[--n_hash_keep].p);
}

#define RATE_ALPHA	0.3	/* weight of the newest interval in the smoothed rate */
#define INO_SPACE	4294967296.0	/* get_next_ino() is 32-bit */

struct m_inode;

/* (dev, ino) -> the live inodes carrying that number */
struct ino_key {
	uint32_t dev;
	uint32_t pad;		/* hashed as 16 bytes: no implicit padding, always 0 */
	uint64_t ino;
};

struct ino_slot {
	struct ino_key key;
	struct m_inode *list;
	UT_hash_handle hh;
};

struct m_inode {
	uint64_t id;
	uint64_t born_ns;		/* 0: allocated before tracing */
	struct ino_key key;		/* key.ino == 0: no number yet */
	/*
	 * In its ino_slot's list, which can be thousands long (eventfs gave
	 * every file one number on 6.12): the link to this node is kept, so
	 * taking it out costs the same wherever it is in the list.
	 */
	struct m_inode *next_same;
	struct m_inode **pprev_same;
	uint64_t cgroup;		/* of the task that allocated it (or named it first) */
	char fs[ET_FS_LEN];
	char comm[ET_COMM_LEN];
	char caller[ET_CALLER_LEN];
	char name[ET_NAME_LEN];		/* from a dentry pointing at it, if seen */
	UT_hash_handle hh;
};

/* (parent dentry, name) -> the newest live dentry for it */
struct pn_key {
	uint64_t parent;
	char name[ET_NAME_LEN];
};

struct m_dentry {
	uint64_t id;
	uint64_t born_ns;
	uint32_t dev;
	bool indexed;			/* in the (parent, name) index */
	uint64_t cgroup;
	struct pn_key pn;
	char fs[ET_FS_LEN];
	char comm[ET_COMM_LEN];
	UT_hash_handle hh;
	UT_hash_handle hh_pn;
};

/* The VFS tables' free lists (struct pool, in model_int.h). */
static void *pool_get(struct pool *p)
{
	void *o = p->head;

	if (!o)
		return calloc(1, p->size);
	p->head = *(void **)o;
	memset(o, 0, p->size);
	return o;
}

static void pool_put(struct pool *p, void *o)
{
	*(void **)o = p->head;
	p->head = o;
}

static void pool_drain(struct pool *p)
{
	while (p->head) {
		void *o = p->head;

		p->head = *(void **)o;
		free(o);
	}
}

static const char *const by_names[BY_MAX] = { "mount", "fs", "caller", "comm", "cgroup" };
static const char *const anomaly_names[A_MAX] = {
	[A_DUP_INO] = "dup_ino",
	[A_EI_REMOVED_REFERENCED] = "ei_removed_referenced",
	[A_EI_LOOKUP_AFTER_REMOVE] = "ei_lookup_after_remove",
	[A_EI_NEGATIVE] = "ei_refcount_negative",
	[A_EI_NOT_RELEASED] = "ei_not_released",
	[A_DENTRY_OUTLIVES_EI] = "dentry_outlives_ei",
	[A_SECOND_DENTRY] = "second_dentry",
};

const char *group_by_name(enum group_by by)
{
	return by < BY_MAX ? by_names[by] : "?";
}

int group_by_from_name(const char *name)
{
	for (int i = 0; i < BY_MAX; i++)
		if (!strcmp(by_names[i], name))
			return i;
	return -1;
}

const char *anomaly_name(enum anomaly_kind k)
{
	return k < A_MAX ? anomaly_names[k] : "?";
}

const char *ei_state_name(enum ei_state s)
{
	return s == EI_LIVE ? "live" : s == EI_REMOVED ? "removed" : "released";
}

/*
 * A record's comm or fs into a field of the same size, whole: one fixed
 * move instead of strnlen and a copy.  Only for fields read as strings,
 * never for hashed keys, whose bytes past the NUL must be zero.
 */
#define copy_field(dst, src)							\
	do {									\
		_Static_assert(sizeof(dst) == sizeof(src), "same-size fields");	\
		memcpy((dst), (src), sizeof(dst));				\
		(dst)[sizeof(dst) - 1] = 0;					\
	} while (0)

struct model *model_new(const struct model_opts *o)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->o = *o;
	m->want_samples = ~0u;
	while (!m_hash_seed && getrandom(&m_hash_seed, sizeof(m_hash_seed), 0) < 0 &&
	       errno == EINTR)
		;
	if (!m_hash_seed)
		m_hash_seed = 0x2545f4914f6cdd1dull;	/* no entropy yet: still a valid seed */
	m->inode_pool.size = sizeof(struct m_inode);
	m->slot_pool.size = sizeof(struct ino_slot);
	m->dentry_pool.size = sizeof(struct m_dentry);
	if (!m->o.max_inodes)
		m->o.max_inodes = 65536;
	if (!m->o.max_dentries)
		m->o.max_dentries = 65536;
	if (!m->o.max_eis)
		m->o.max_eis = 16384;
	if (!m->o.max_groups)
		m->o.max_groups = 1024;
	if (!m->o.ei_history)
		m->o.ei_history = 64;
	if (!m->o.release_timeout_ns)
		m->o.release_timeout_ns = 10000000000ull;
	if (!m->o.interval_ns)
		m->o.interval_ns = 1000000000ull;
	m->next_check_ns = m->o.interval_ns;
	m->selecting = select_on(&m->o.select);
	m->history_scratch = calloc(m->o.ei_history, sizeof(*m->history_scratch));
	if (!m->history_scratch) {
		free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	struct m_inode *i, *ti;
	struct ino_slot *s, *ts;
	struct m_dentry *d, *td;

	if (!m)
		return;
	HASH_ITER(hh, m->inodes, i, ti) {
		HASH_DEL(m->inodes, i);
		free(i);
	}
	HASH_ITER(hh, m->slots, s, ts) {
		HASH_DEL(m->slots, s);
		free(s);
	}
	HASH_CLEAR(hh_pn, m->pn_index);
	HASH_ITER(hh, m->dentries, d, td) {
		HASH_DEL(m->dentries, d);
		free(d);
	}
	m_eis_free(m);
	for (int b = 0; b < BY_MAX; b++) {
		for (size_t k = 0; k < m->groups[b].n; k++)
			free((char *)m->groups[b].g[k].name);
		free(m->groups[b].g);
	}
	pool_drain(&m->inode_pool);
	pool_drain(&m->slot_pool);
	pool_drain(&m->dentry_pool);
	hash_keep_drain();
	free(m->history_scratch);
	free(m);
}

void model_want_samples(struct model *m, uint32_t kinds)
{
	m->want_samples = kinds;
}

void model_set_mounts(struct model *m, const struct mount_table *mt)
{
	m->mounts = mt;
	m->n_mcache = 0;
}

/*
 * The mount a superblock is named by.  Kernel-internal superblocks (pipefs,
 * sockfs, anon_inodefs...) have no mount point: their filesystem type
 * names them.  An unknown device gets one chance to be found by a reload
 * (on_unknown_dev) a second of event time; answers are cached until the
 * mount table changes, so pipefs does not ask again for every pipe.
 */
const char *m_mount_of(struct model *m, uint32_t dev, const char *fs)
{
	const struct mount_ent *me;
	struct mount_cache *c;
	size_t i;

	for (i = 0; i < m->n_mcache; i++)
		if (m->mcache[i].dev == dev)
			break;
	/* not a mount when last asked: ask again after a second of event time */
	if (i < m->n_mcache && !m->mcache[i].path && m->st.last_ns >= m->mcache[i].retry_ns) {
		m->mcache[i] = m->mcache[--m->n_mcache];
		i = m->n_mcache;
	}
	if (i == m->n_mcache) {
		me = m->mounts ? mount_table_find(m->mounts, dev) : NULL;
		if (!me && m->o.on_unknown_dev && dev) {
			/* may reload the table: model_set_mounts() empties the cache */
			m->o.on_unknown_dev(m->o.ctx, dev);
			me = m->mounts ? mount_table_find(m->mounts, dev) : NULL;
		}
		if (m->n_mcache < ARRAY_SIZE(m->mcache))
			i = m->n_mcache++;
		else
			i = m->mcache_next++ % ARRAY_SIZE(m->mcache);
		m->mcache[i].dev = dev;
		m->mcache[i].path = me ? me->path : NULL;
		m->mcache[i].retry_ns = m->st.last_ns + 1000000000ull;
	}
	c = &m->mcache[i];
	if (c->path)
		return c->path;
	if (fs[0])
		return fs;
	snprintf(m->dev_name, sizeof(m->dev_name), "dev %u:%u", ET_MAJOR(dev), ET_MINOR(dev));
	return m->dev_name;
}

/* ---- anomalies ---------------------------------------------------------- */

/*
 * Whether the selection passes an anomaly: one about an ei by that ei,
 * the others (dup_ino, second_dentry) by the event that found them.
 */
static bool anomaly_selected(struct model *m, enum anomaly_kind k, uint64_t obj)
{
	if (!m->selecting)
		return true;
	if (k == A_DUP_INO || k == A_SECOND_DENTRY)
		return m_cur_selected(m);
	return m_ei_selected(m, obj);
}

/*
 * The ring's next entry for a new anomaly, counted; its text is the
 * caller's to write, then anomaly_publish().  One the selection leaves out
 * is counted by kind, as every anomaly of the stream, but not kept.
 */
static struct anomaly *anomaly_new(struct model *m, enum anomaly_kind k, uint64_t ts,
				   uint64_t obj)
{
	struct anomaly *a;
	size_t slot;

	m->st.anomalies[k]++;
	if (!anomaly_selected(m, k, obj)) {
		a = &m->unselected;
		goto fill;
	}
	m->st.selected_anomalies += m->selecting;
	if (m->ring_n < ANOMALY_RING) {
		slot = (m->ring_start + m->ring_n++) % ANOMALY_RING;
	} else {
		slot = m->ring_start;
		m->ring_start = (m->ring_start + 1) % ANOMALY_RING;
	}
	a = &m->ring[slot];
fill:
	a->kind = k;
	a->ts_ns = ts;
	a->obj = obj;
	return a;
}

/* Written: to on_anomaly, unless the selection left it out. */
static void anomaly_publish(struct model *m, const struct anomaly *a)
{
	if (a != &m->unselected && m->o.on_anomaly)
		m->o.on_anomaly(m->o.ctx, a);
}

void __attribute__((format(printf, 5, 6)))
m_report(struct model *m, enum anomaly_kind k, uint64_t ts, uint64_t obj, const char *fmt, ...)
{
	struct anomaly *a = anomaly_new(m, k, ts, obj);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->text, sizeof(a->text), fmt, ap);
	va_end(ap);
	anomaly_publish(m, a);
}

void m_report_line(struct model *m, enum anomaly_kind k, uint64_t ts, uint64_t obj,
		   const struct line *l)
{
	struct anomaly *a = anomaly_new(m, k, ts, obj);
	size_t n = l->n < sizeof(a->text) ? l->n : sizeof(a->text) - 1;

	memcpy(a->text, l->buf, n);
	a->text[n] = '\0';
	anomaly_publish(m, a);
}

/* ---- inode-number groups and rates --------------------------------------- */

/* A cgroup id's group name, into buf (CG_NAME_LEN): its path or container. */
static const char *cgroup_name(struct model *m, uint64_t id, char *buf)
{
	return cgroups_name(m->o.cgroups, id, buf, CG_NAME_LEN);
}

/* A finished measurement with every group's key (sample() has all but the cgroup's). */
static void sample_by(struct model *m, enum sample_kind k, uint64_t v,
		      const char *const keys[BY_MAX])
{
	struct sample s = { .kind = k, .value = v, .n = 1, .sum = v, .max = v };

	memcpy(s.group, keys, sizeof(s.group));
	if (m->selecting && !m_cur_selected(m))
		return;
	if (m->o.on_sample)
		m->o.on_sample(m->o.ctx, &s);
}

static struct ino_group *group_get(struct model *m, enum group_by by, const char *name)
{
	struct group_table *t = &m->groups[by];
	struct ino_group *g;

	/* groups are few (mounts, callers, comms): a linear scan is fine */
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->g[i].name, name))
			return &t->g[i];
	if (t->n >= m->o.max_groups) {
		name = "(other)";
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(t->g[i].name, name))
				return &t->g[i];
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		void *p = realloc(t->g, cap * sizeof(*t->g));

		if (!p)
			return NULL;
		t->g = p;
		t->cap = cap;
	}
	g = &t->g[t->n];
	memset(g, 0, sizeof(*g));
	g->name = strdup(name);
	if (!g->name)
		return NULL;
	t->n++;
	return g;
}

static void rate_push(double *rate, uint64_t count, double interval_s)
{
	*rate = RATE_ALPHA * (count / interval_s) + (1 - RATE_ALPHA) * *rate;
}

/* Close every interval that ended before now. */
static void advance(struct model *m, uint64_t now)
{
	if (!m->interval_start) {
		m->interval_start = now;
		return;
	}
	while (now >= m->interval_start + m->o.interval_ns) {
		double iv = secs(m->o.interval_ns);

		for (int b = 0; b < BY_MAX; b++) {
			for (size_t i = 0; i < m->groups[b].n; i++) {
				struct ino_group *g = &m->groups[b].g[i];

				rate_push(&g->rate, g->interval, iv);
				memmove(g->history, g->history + 1,
					sizeof(g->history) - sizeof(g->history[0]));
				g->history[MODEL_RATE_HISTORY - 1] =
					g->interval > UINT32_MAX ? UINT32_MAX : g->interval;
				g->interval = 0;
			}
		}
		rate_push(&m->all_rate, m->all_interval, iv);
		m->all_interval = 0;
		m->interval_start += m->o.interval_ns;
		/* a long silence: the rates decay to zero, no need to step each one */
		if (now - m->interval_start > 64 * m->o.interval_ns) {
			for (int b = 0; b < BY_MAX; b++)
				for (size_t i = 0; i < m->groups[b].n; i++) {
					m->groups[b].g[i].rate = 0;
					memset(m->groups[b].g[i].history, 0,
					       sizeof(m->groups[b].g[i].history));
				}
			m->all_rate = 0;
			m->interval_start = now - (now - m->interval_start) % m->o.interval_ns;
		}
	}
}

/* ---- inodes -------------------------------------------------------------- */

static struct m_inode *inode_find(struct model *m, uint64_t id)
{
	struct m_inode *i = NULL;

	if (id)
		HASH_FIND(hh, m->inodes, &id, sizeof(id), i);
	return i;
}

static void inode_unindex(struct model *m, struct m_inode *i)
{
	struct ino_slot *s = NULL;

	if (!i->key.ino || !i->pprev_same)
		return;
	*i->pprev_same = i->next_same;
	if (i->next_same)
		i->next_same->pprev_same = i->pprev_same;
	i->next_same = NULL;
	i->pprev_same = NULL;
	HASH_FIND(hh, m->slots, &i->key, sizeof(i->key), s);
	if (s && !s->list) {
		HASH_DEL(m->slots, s);
		pool_put(&m->slot_pool, s);
	}
}

static void inode_drop(struct model *m, struct m_inode *i)
{
	inode_unindex(m, i);
	HASH_DEL(m->inodes, i);
	m->n_inodes--;
	pool_put(&m->inode_pool, i);
}

static struct m_inode *inode_add(struct model *m, uint64_t id, uint64_t born,
				 const struct et_rec *r)
{
	struct m_inode *i;

	if (m->n_inodes >= m->o.max_inodes) {
		inode_drop(m, m->inodes);	/* uthash keeps insertion order */
		m->st.evicted_from_model++;
	}
	i = pool_get(&m->inode_pool);
	if (!i)
		return NULL;
	i->id = id;
	i->born_ns = born;
	i->key.dev = (r->dev_major << ET_MINORBITS) | r->dev_minor;
	copy_field(i->fs, r->fs);
	copy_field(i->comm, r->comm);
	i->cgroup = r->cgroup_id;
	HASH_ADD(hh, m->inodes, id, sizeof(i->id), i);
	m->n_inodes++;
	return i;
}

/*
 * "age 0.250s", into buf (AGE_LEN bytes).  In integers, not printf's %f:
 * a 6.12 burst reports some 19,000 dup_inos with two of these each, and
 * the double's formatting was two fifths of what its model cost.
 */
#define AGE_LEN	48
static const char *age(uint64_t born, uint64_t now, char buf[AGE_LEN])
{
	char *p = buf;

	_Static_assert(AGE_LEN >= sizeof("age ") - 1 + TCLOCK_LEN - 1 + sizeof("s"), "age's room");
	if (!born)
		return "age unknown (before tracing)";
	memcpy(p, "age ", 4);
	p = tclock_put_secs(p + 4, now - born, 3);
	*p++ = 's';
	*p = '\0';
	return buf;
}

/*
 * "tracefs 0:14: ino 19680823 on two live inodes: 'hist' (age 0.000s) and
 * 'id' (age 0.001s)".  Put together piece by piece, not by vsnprintf: on
 * 6.12 every eventfs file takes the one number, so a burst reports this
 * thousands of times, and formatting was the consumer's biggest cost after
 * the list walk.  The text is the one the format above gives, cut as
 * vsnprintf would cut it.
 */
static void dup_ino(struct model *m, const struct m_inode *i, const struct m_inode *o,
		    uint64_t ts)
{
	char a1[AGE_LEN], a2[AGE_LEN];
	struct line l;

	line_reset(&l);
	line_puts(&l, i->fs);
	line_putc(&l, ' ');
	line_u64(&l, ET_MAJOR(i->key.dev));
	line_putc(&l, ':');
	line_u64(&l, ET_MINOR(i->key.dev));
	line_puts(&l, ": ino ");
	line_u64(&l, i->key.ino);
	line_puts(&l, " on two live inodes: '");
	line_puts(&l, i->name[0] ? i->name : "?");
	line_puts(&l, "' (");
	line_puts(&l, age(i->born_ns, ts, a1));
	line_puts(&l, ") and '");
	line_puts(&l, o->name[0] ? o->name : "?");
	line_puts(&l, "' (");
	line_puts(&l, age(o->born_ns, ts, a2));
	line_putc(&l, ')');
	m_report_line(m, A_DUP_INO, ts, i->id, &l);
}

/* The inode now has number ino: index it, and flag a twin on the same sb. */
static int inode_set_ino(struct model *m, struct m_inode *i, uint64_t ino, uint64_t ts)
{
	struct ino_key key = { .dev = i->key.dev, .ino = ino };
	struct ino_slot *s = NULL;

	if (!ino || i->key.ino == ino)
		return 0;
	inode_unindex(m, i);
	i->key = key;
	HASH_FIND(hh, m->slots, &key, sizeof(key), s);
	if (!s) {
		s = pool_get(&m->slot_pool);
		if (!s)
			return -ENOMEM;
		s->key = key;
		HASH_ADD(hh, m->slots, key, sizeof(s->key), s);
	} else if (s->list) {
		dup_ino(m, i, s->list, ts);
	}
	i->next_same = s->list;
	if (s->list)
		s->list->pprev_same = &i->next_same;
	s->list = i;
	i->pprev_same = &s->list;
	return 0;
}

/* An event naming an inode by id and number: learn both. */
static int inode_seen(struct model *m, const struct et_rec *r, uint64_t id, uint64_t ino,
		      const char *name)
{
	struct m_inode *i;

	if (!id || m->o.no_inode_frees)
		return 0;
	i = inode_find(m, id);
	if (!i) {
		i = inode_add(m, id, 0, r);
		if (!i)
			return -ENOMEM;
	}
	if (name && name[0])
		copy_name(i->name, name, sizeof(i->name));
	return inode_set_ino(m, i, ino, r->ts_ns);
}

/*
 * n inode numbers allocated, the highest max, counted in every group they
 * belong to: one get_next_ino() event, or what the kernel aggregated.
 */
static int ino_count(struct model *m, const char *const keys[BY_MAX], uint64_t n, uint64_t max)
{
	m->st.ino_allocs += n;
	m->all_interval += n;
	if (max <= UINT32_MAX && max > m->st.ino_max)
		m->st.ino_max = max;
	for (int b = 0; b < BY_MAX; b++) {
		struct ino_group *g = group_get(m, b, keys[b]);

		if (!g)
			return -ENOMEM;
		g->total += n;
		g->interval += n;
	}
	return 0;
}

static int on_ino_alloc(struct model *m, const struct et_rec *r)
{
	const char *mount = m_mount_of(m, (r->dev_major << ET_MINORBITS) | r->dev_minor, r->fs);
	const char *fs = r->fs[0] ? r->fs : "?";
	char cg[CG_NAME_LEN];
	const char *keys[BY_MAX] = { mount, fs, r->caller[0] ? r->caller : "?", r->comm,
				     cgroup_name(m, r->cgroup_id, cg) };
	struct m_inode *i;

	if (ino_count(m, keys, 1, r->ino))
		return -ENOMEM;
	if (m_wants(m, S_INO))
		sample_by(m, S_INO, r->ino, keys);
	if (!r->obj_id)
		return 0;
	i = inode_find(m, r->obj_id);
	if (!i && !(i = inode_add(m, r->obj_id, 0, r)))
		return -ENOMEM;
	copy_name(i->caller, keys[BY_CALLER], sizeof(i->caller));
	return inode_set_ino(m, i, r->ino, r->ts_ns);
}

static int on_inode_alloc(struct model *m, const struct et_rec *r)
{
	struct m_inode *i = inode_find(m, r->obj_id);

	if (i)		/* its free was lost: start over */
		inode_drop(m, i);
	return inode_add(m, r->obj_id, r->ts_ns, r) ? 0 : -ENOMEM;
}

static void on_inode_evict(struct model *m, const struct et_rec *r)
{
	struct m_inode *i = inode_find(m, r->obj_id);

	if (!i || !i->born_ns) {
		m->st.unknown_start++;
	} else if (m_wants(m, S_INODE_LIFE)) {
		char cg[CG_NAME_LEN];
		const char *keys[BY_MAX] = { m_mount_of(m, i->key.dev, i->fs), i->fs,
					     i->caller[0] ? i->caller : "?", i->comm,
					     cgroup_name(m, i->cgroup, cg) };

		sample_by(m, S_INODE_LIFE, (r->ts_ns - i->born_ns) / 1000, keys);
	}
	if (i)
		inode_drop(m, i);
}

/* ---- dentries ------------------------------------------------------------ */

static struct m_dentry *dentry_find(struct model *m, uint64_t id)
{
	struct m_dentry *d = NULL;

	if (id)
		HASH_FIND(hh, m->dentries, &id, sizeof(id), d);
	return d;
}

static void dentry_unindex(struct model *m, struct m_dentry *d)
{
	if (d->indexed) {
		HASH_DELETE(hh_pn, m->pn_index, d);
		d->indexed = false;
	}
}

static void dentry_drop(struct model *m, struct m_dentry *d)
{
	dentry_unindex(m, d);
	HASH_DEL(m->dentries, d);
	m->n_dentries--;
	pool_put(&m->dentry_pool, d);
}

static struct m_dentry *dentry_add(struct model *m, const struct et_rec *r, uint64_t id,
				   uint64_t born)
{
	struct m_dentry *d;

	if (m->n_dentries >= m->o.max_dentries) {
		dentry_drop(m, m->dentries);
		m->st.evicted_from_model++;
	}
	d = pool_get(&m->dentry_pool);
	if (!d)
		return NULL;
	d->id = id;
	d->born_ns = born;
	d->dev = (r->dev_major << ET_MINORBITS) | r->dev_minor;
	copy_field(d->fs, r->fs);
	copy_field(d->comm, r->comm);
	d->cgroup = r->cgroup_id;
	HASH_ADD(hh, m->dentries, id, sizeof(d->id), d);
	m->n_dentries++;
	return d;
}

static int on_dentry_alloc(struct model *m, const struct et_rec *r)
{
	struct m_dentry *d = dentry_find(m, r->obj_id);

	if (d)
		dentry_drop(m, d);
	d = dentry_add(m, r, r->obj_id, r->ts_ns);
	if (!d)
		return -ENOMEM;
	copy_name(d->pn.name, r->name, sizeof(d->pn.name));
	return 0;
}

/*
 * A lookup gave dentry D to (dir, name).  If an older dentry for the same
 * (dir, name) is still alive, the name was looked up again before the old
 * dentry's d_release: the ordering Linus describes in the seed thread.
 */
static int on_lookup(struct model *m, const struct et_rec *r)
{
	struct m_dentry *d, *old = NULL;
	struct pn_key key;
	int err;

	err = inode_seen(m, r, r->inode_id, r->ino, r->name);
	if (err || !r->aux_id)
		return err;
	d = dentry_find(m, r->aux_id);
	if (!d && !(d = dentry_add(m, r, r->aux_id, 0)))
		return -ENOMEM;
	if (d->indexed)
		return 0;
	memset(&key, 0, sizeof(key));
	key.parent = r->obj_id;
	copy_name(key.name, r->name, sizeof(key.name));
	HASH_FIND(hh_pn, m->pn_index, &key, sizeof(key), old);
	if (old && old != d) {
		char a[AGE_LEN];

		m_report(m, A_SECOND_DENTRY, r->ts_ns, d->id,
			 "%s: '%s' looked up again while its older dentry %016" PRIx64
			 " (%s) is not yet released",
			 d->fs, r->name, old->id, age(old->born_ns, r->ts_ns, a));
		dentry_unindex(m, old);
	}
	d->pn = key;
	HASH_ADD(hh_pn, m->pn_index, pn, sizeof(d->pn), d);
	d->indexed = true;
	return 0;
}

static int on_dentry_kill(struct model *m, const struct et_rec *r)
{
	struct m_dentry *d = dentry_find(m, r->obj_id);
	int err = inode_seen(m, r, r->inode_id, r->ino, r->name);

	if (!d || !d->born_ns) {
		m->st.unknown_start++;
	} else if (m_wants(m, S_DENTRY_LIFE)) {
		char cg[CG_NAME_LEN];
		const char *keys[BY_MAX] = { m_mount_of(m, d->dev, d->fs), d->fs, "?", d->comm,
					     cgroup_name(m, d->cgroup, cg) };

		sample_by(m, S_DENTRY_LIFE, (r->ts_ns - d->born_ns) / 1000, keys);
	}
	if (d)
		dentry_drop(m, d);
	return err;
}

/* An ei_get's lookup: the inode its dentry got, named after that dentry. */
int m_dentry_inode_seen(struct model *m, const struct et_rec *r, uint64_t dentry,
			uint64_t inode_id, uint64_t ino)
{
	const struct m_dentry *d = dentry_find(m, dentry);

	return inode_seen(m, r, inode_id, ino, d && d->pn.name[0] ? d->pn.name : NULL);
}

/* ---- the feed ------------------------------------------------------------- */

void model_advance(struct model *m, uint64_t now)
{
	uint64_t last_check = m->st.last_ns, iv = m->o.interval_ns;

	if (now < m->st.last_ns)
		return;		/* per-CPU reservation order: a few ns back is normal */
	m->st.last_ns = now;
	advance(m, now);
	/*
	 * The timeout check walks the ei table: at most once per interval.
	 * Two 64-bit divisions per event were a twentieth of a replay, so
	 * they run only once now has passed the next interval's start.
	 */
	if (now >= m->next_check_ns && now / iv != last_check / iv) {
		uint64_t k = now / iv + 1;

		m->next_check_ns = k <= UINT64_MAX / iv ? k * iv : UINT64_MAX;
		m_check_release_timeouts(m, now);
	}
}

bool m_cur_selected(struct model *m)
{
	const struct et_rec *r = m->cur;

	if (!m->selecting)
		return true;
	if (m->cur_selected >= 0)
		return m->cur_selected;
	/* outside model_feed(): what the kernel aggregated has no event to select */
	if (!r)
		return false;
	if (r->type == ET_LOST)
		m->cur_selected = 1;	/* loss is part of every view */
	else if (r->type >= ET_EI_CREATE && r->type <= ET_EI_RELEASE)
		m->cur_selected = m_ei_selected(m, r->obj_id);
	else if (r->type == ET_DENTRY_ALLOC || r->type == ET_DENTRY_KILL || r->type == ET_LOOKUP)
		m->cur_selected = select_name(&m->o.select, r->name);
	else
		m->cur_selected = 0;
	return m->cur_selected;
}

static int feed_one(struct model *m, const struct et_rec *r);

int model_feed(struct model *m, const struct et_rec *r)
{
	int err;

	m->cur = r;
	m->cur_selected = -1;
	err = feed_one(m, r);
	/* decided by now, if a sample or an anomaly did not: model_selected() asks */
	if (m->selecting && m_cur_selected(m) && r->type != ET_LOST)
		m->st.selected_events++;
	m->cur = NULL;
	return err;
}

const struct ei_select *model_selection(const struct model *m)
{
	return m->selecting ? &m->o.select : NULL;
}

bool model_selected(const struct model *m)
{
	return !m->selecting || m->cur_selected > 0;
}

static int feed_one(struct model *m, const struct et_rec *r)
{
	if (r->type == ET_LOST) {
		m->st.lost += r->value;
		m->st.lost_by[lost_cause_of(r)] += r->value;
		return 0;
	}
	m->st.events++;
	if (!m->st.first_ns)
		m->st.first_ns = r->ts_ns;
	model_advance(m, r->ts_ns);
	switch (r->type) {
	case ET_INO_ALLOC:
		return on_ino_alloc(m, r);
	case ET_INODE_ALLOC:
		return on_inode_alloc(m, r);
	case ET_INODE_EVICT:
		on_inode_evict(m, r);
		return 0;
	case ET_DENTRY_ALLOC:
		return on_dentry_alloc(m, r);
	case ET_DENTRY_KILL:
		return on_dentry_kill(m, r);
	case ET_LOOKUP:
		return on_lookup(m, r);
	case ET_EI_CREATE:
	case ET_EI_GET:
	case ET_EI_PUT:
	case ET_EI_REMOVE:
	case ET_EI_RELEASE:
		return m_on_ei(m, r);
	}
	return 0;
}

/* ---- what the kernel aggregated ------------------------------------------- */

int model_feed_agg(struct model *m, const struct agg_rec *a)
{
	static const enum sample_kind kinds[ETA_MAX] = {
		[ETA_INO] = S_INO, [ETA_DENTRY_LIFE] = S_DENTRY_LIFE,
		[ETA_INODE_LIFE] = S_INODE_LIFE,
	};
	const char *mount = m_mount_of(m, a->dev, a->fs);
	char cg[CG_NAME_LEN];
	const char *keys[BY_MAX] = { mount, a->fs[0] ? a->fs : "?",
				     a->caller[0] ? a->caller : "?", a->comm,
				     cgroup_name(m, a->cgroup, cg) };
	struct sample s = { .value = a->min, .n = a->count, .sum = a->sum, .max = a->max };

	if (a->kind >= ETA_MAX || !a->count)
		return 0;
	model_advance(m, a->ts_ns);
	if (a->kind == ETA_INO && ino_count(m, keys, a->count, a->max))
		return -ENOMEM;
	s.kind = kinds[a->kind];
	memcpy(s.group, keys, sizeof(keys));
	/* no event to select: a view with a selection streams (cli's agg_plan()) */
	if (m->selecting && !m_cur_selected(m))
		return 0;
	if (m->o.on_sample)
		m->o.on_sample(m->o.ctx, &s);
	return 0;
}

void model_count_agg(struct model *m, const uint64_t *n, uint64_t unknown_inodes,
		     uint64_t unknown_dentries, uint64_t since, uint64_t now)
{
	uint64_t all = 0;

	for (int t = 1; t < ET_TYPE_MAX; t++)
		all += t == ET_LOST ? 0 : n[t];
	if (!all)
		return;
	m->st.events += all;
	if (!m->st.first_ns)
		m->st.first_ns = since;
	m->st.unknown_start += unknown_inodes + unknown_dentries;
	m->agg_live_inodes += (int64_t)n[ET_INODE_ALLOC] - (int64_t)n[ET_INODE_EVICT] +
			      (int64_t)unknown_inodes;
	m->agg_live_dentries += (int64_t)n[ET_DENTRY_ALLOC] - (int64_t)n[ET_DENTRY_KILL] +
				(int64_t)unknown_dentries;
	model_advance(m, now);
}

/* ---- queries --------------------------------------------------------------- */

void model_get_stats(const struct model *m, struct model_stats *s)
{
	const struct m_ei *e, *tmp;

	*s = m->st;
	s->ino_rate = m->all_rate;
	s->live_inodes = m->n_inodes + (m->agg_live_inodes > 0 ? m->agg_live_inodes : 0);
	s->live_dentries = m->n_dentries + (m->agg_live_dentries > 0 ? m->agg_live_dentries : 0);
	s->eis = m->n_eis;
	s->dentries_on_removed_eis = 0;
	s->holders_traced = !m->o.no_ei_refs;
	HASH_ITER(hh, m->eis, e, tmp)
		if (e->state == EI_REMOVED)
			s->dentries_on_removed_eis += e->n_holders + e->holders_more;
}

/*
 * get_next_ino() hands each CPU a batch of 1024 numbers from one global
 * 32-bit counter: the highest number seen is within ncpus * 1024 of it.
 */
double model_wrap_eta(const struct model *m)
{
	if (m->all_rate <= 0 || !m->st.ino_allocs)
		return -1;
	return (INO_SPACE - m->st.ino_max) / m->all_rate;
}

static int cmp_group(const void *a, const void *b)
{
	const struct ino_group *x = *(const struct ino_group *const *)a;
	const struct ino_group *y = *(const struct ino_group *const *)b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->name, y->name);
}

size_t model_ino_groups(const struct model *m, enum group_by by, const struct ino_group **out,
			size_t max)
{
	const struct group_table *t = &m->groups[by];
	size_t n = t->n < max ? t->n : max;

	if (t->n > max) {
		/* the biggest max groups: sort all by pointer first */
		const struct ino_group **all = malloc(t->n * sizeof(*all));

		if (!all)
			return 0;
		for (size_t i = 0; i < t->n; i++)
			all[i] = &t->g[i];
		qsort(all, t->n, sizeof(*all), cmp_group);
		memcpy(out, all, n * sizeof(*out));
		free(all);
		return n;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = &t->g[i];
	qsort(out, n, sizeof(*out), cmp_group);
	return n;
}

size_t model_anomalies(const struct model *m, const struct anomaly **out, size_t max)
{
	size_t n = m->ring_n < max ? m->ring_n : max;
	size_t skip = m->ring_n - n;

	for (size_t i = 0; i < n; i++)
		out[i] = &m->ring[(m->ring_start + skip + i) % ANOMALY_RING];
	return n;
}
