// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * model.c: every test drives the model with a synthetic event stream, built
 * by small helpers that fill struct et_rec the way the decoder does for each
 * type (see the table in evtrace.h), and checks the answer derived by hand
 * from the kernel's semantics (Linux 6.12 eventfs):
 *
 *   - an ei is created with kref 1 (the "events" top directory with 2);
 *   - ei_get: a lookup gave a dentry a reference, value = refcount after;
 *   - ei_put: eventfs_d_release() drops a dentry's, value = refcount before;
 *   - ei_remove: marked freed, owner's reference dropped, value = before;
 *   - ei_release: release_ei() at zero, value 0.
 *
 * Samples and anomalies are captured through the model's callbacks and
 * compared with what the sequence must produce; nothing here was copied
 * from the model's own output.  Time is the events' clock only.
 */
#include "unit.h"
#include "helpers.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>

#include "lib/common.h"
#include "model/model.h"
#include "lib/mounts.h"
#include "lib/cgroups.h"
#include "event/agg.h"
#include "out/report.h"

#define MS(x)		((uint64_t)(x) * 1000000ull)
#define T0		MS(1000000)	/* streams start at 1000 s: never 0 */

#define TRACEFS_DEV	ET_MKDEV(0u, 14u)

/* ids the decoder would have hashed: fixed and easy to spot in text */
#define EI_EVENTS	0xe0e0e0e0e0e0e0e0ull
#define EI_SCHED	0xe1e1e1e1e1e1e1e1ull
#define EI_SWITCH	0xe2e2e2e2e2e2e2e2ull
#define EI_OTHER	0xe3e3e3e3e3e3e3e3ull
#define D1		0xd1d1d1d1d1d1d1d1ull
#define D2		0xd2d2d2d2d2d2d2d2ull
#define D3		0xd3d3d3d3d3d3d3d3ull
#define D4		0xd4d4d4d4d4d4d4d4ull
#define DIR_D		0xddddddddddddddddull
#define DIR_OTHER	0xdeadbeefdeadbeefull
#define I1		0x1111111111111111ull
#define I2		0x2222222222222222ull
#define I3		0x3333333333333333ull
#define I4		0x4444444444444444ull
#define I5		0x5555555555555555ull

/* eventfs files all got this i_ino at one point in the seed thread */
#define SHARED_INO	0x12c4e37ull

/* ---- the fixture: a model plus everything its callbacks reported ---- */

#define MAX_SAMPLES	256
#define MAX_ANOMALIES	64
#define MAX_DEVS	64

struct got_sample {
	enum sample_kind kind;
	uint64_t value;
	char group[BY_MAX][64];
};

struct fx {
	struct model *m;
	struct model_opts o;
	/* every kind counted; all but S_INO also kept */
	uint64_t n_kind[S_MAX];
	struct got_sample s[MAX_SAMPLES];
	size_t n_s;
	struct anomaly a[MAX_ANOMALIES];
	size_t n_a;
	uint32_t devs[MAX_DEVS];	/* on_unknown_dev calls */
	size_t n_devs;
	/* on_unknown_dev swaps this table in, as the live session does */
	struct mount_table *reload;
};

static void on_sample(void *ctx, const struct sample *smp)
{
	struct fx *fx = ctx;
	struct got_sample *g;

	assert_true(smp->kind < S_MAX);
	assert_true(smp->n >= 1 && smp->value <= smp->max);
	fx->n_kind[smp->kind] += smp->n;
	if (smp->kind == S_INO)
		return;
	assert_true(fx->n_s < MAX_SAMPLES);
	g = &fx->s[fx->n_s++];
	g->kind = smp->kind;
	g->value = smp->value;
	for (int b = 0; b < BY_MAX; b++) {
		assert_non_null(smp->group[b]);
		snprintf(g->group[b], sizeof(g->group[b]), "%s", smp->group[b]);
	}
}

static void on_anomaly(void *ctx, const struct anomaly *a)
{
	struct fx *fx = ctx;

	assert_true(fx->n_a < MAX_ANOMALIES);
	fx->a[fx->n_a++] = *a;
}

static void on_unknown_dev(void *ctx, uint32_t dev)
{
	struct fx *fx = ctx;

	if (fx->n_devs < MAX_DEVS)
		fx->devs[fx->n_devs++] = dev;
	if (fx->reload)
		model_set_mounts(fx->m, fx->reload);
}

/* (Re)creates the model with opts o (NULL: all defaults), callbacks ours. */
static void fx_open(struct fx *fx, const struct model_opts *o)
{
	model_free(fx->m);
	memset(&fx->o, 0, sizeof(fx->o));
	if (o)
		fx->o = *o;
	fx->o.on_sample = on_sample;
	fx->o.on_anomaly = on_anomaly;
	fx->o.on_unknown_dev = on_unknown_dev;
	fx->o.ctx = fx;
	memset(fx->n_kind, 0, sizeof(fx->n_kind));
	fx->n_s = fx->n_a = fx->n_devs = 0;
	fx->m = model_new(&fx->o);
	assert_non_null(fx->m);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx_open(fx, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	model_free(fx->m);
	free(fx);
	return 0;
}

/* ---- event builders, one per type, fields as the decoder fills them ---- */

static struct et_rec rec(int type, uint64_t ts)
{
	return test_rec(type, ts);
}

static void set_sb(struct et_rec *r, uint32_t dev, const char *fs)
{
	r->dev_major = ET_MAJOR(dev);
	r->dev_minor = ET_MINOR(dev);
	snprintf(r->fs, sizeof(r->fs), "%s", fs);
}

static void feed(struct fx *fx, const struct et_rec *r)
{
	assert_int_equal(model_feed(fx->m, r), 0);
}

/* ei events: aux = dentry (get/put) or parent ei (create); tracefs sb */
static void ev_ei(struct fx *fx, int type, uint64_t ts, uint64_t ei, uint64_t aux,
		  int64_t value, uint32_t flags, const char *name)
{
	struct et_rec r = rec(type, ts);

	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = ei;
	r.aux_id = aux;
	r.value = value;
	r.flags = flags;
	r.ino = 1000 + (ei & 0xff);
	snprintf(r.name, sizeof(r.name), "%s", name);
	feed(fx, &r);
}

/* ei_get as eventfs_root_lookup() leaves it: pei, the dentry's inode */
static void ev_ei_get(struct fx *fx, uint64_t ts, uint64_t ei, uint64_t dentry, int64_t value,
		      const char *name, uint64_t pei, uint64_t inode, uint64_t inode_ino)
{
	struct et_rec r = rec(ET_EI_GET, ts);

	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = ei;
	r.aux_id = dentry;
	r.value = value;
	r.ino = 1000 + (ei & 0xff);
	r.pei_id = pei;
	r.inode_id = inode;
	r.inode_ino = inode_ino;
	snprintf(r.name, sizeof(r.name), "%s", name);
	feed(fx, &r);
}

static void ev_lookup(struct fx *fx, uint64_t ts, uint32_t dev, const char *fs,
		      uint64_t dir, uint64_t dentry, uint64_t inode, uint64_t ino,
		      const char *name)
{
	struct et_rec r = rec(ET_LOOKUP, ts);

	set_sb(&r, dev, fs);
	r.obj_id = dir;
	r.aux_id = dentry;
	r.inode_id = inode;
	r.ino = r.inode_ino = ino;
	snprintf(r.name, sizeof(r.name), "%s", name);
	feed(fx, &r);
}

static void ev_dentry_alloc(struct fx *fx, uint64_t ts, uint64_t dentry, const char *name)
{
	struct et_rec r = rec(ET_DENTRY_ALLOC, ts);

	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = dentry;
	snprintf(r.name, sizeof(r.name), "%s", name);
	feed(fx, &r);
}

static void ev_dentry_kill(struct fx *fx, uint64_t ts, uint64_t dentry, uint64_t parent,
			   uint64_t inode, uint64_t ino, const char *name)
{
	struct et_rec r = rec(ET_DENTRY_KILL, ts);

	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = dentry;
	r.aux_id = parent;
	r.inode_id = inode;
	r.ino = r.inode_ino = ino;
	snprintf(r.name, sizeof(r.name), "%s", name);
	feed(fx, &r);
}

static void ev_ino_alloc(struct fx *fx, uint64_t ts, uint64_t inode, uint64_t ino,
			 uint32_t dev, const char *fs, const char *caller, const char *comm)
{
	struct et_rec r = rec(ET_INO_ALLOC, ts);

	set_sb(&r, dev, fs);
	r.obj_id = inode;
	r.ino = ino;
	snprintf(r.caller, sizeof(r.caller), "%s", caller);
	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	feed(fx, &r);
}

static void ev_inode_alloc(struct fx *fx, uint64_t ts, uint64_t inode, uint32_t dev,
			   const char *fs)
{
	struct et_rec r = rec(ET_INODE_ALLOC, ts);

	set_sb(&r, dev, fs);
	r.obj_id = inode;
	feed(fx, &r);
}

static void ev_inode_evict(struct fx *fx, uint64_t ts, uint64_t inode, uint32_t dev,
			   const char *fs, uint64_t ino)
{
	struct et_rec r = rec(ET_INODE_EVICT, ts);

	set_sb(&r, dev, fs);
	r.obj_id = inode;
	r.ino = ino;
	feed(fx, &r);
}

static void ev_lost(struct fx *fx, uint64_t ts, uint64_t count)
{
	struct et_rec r;

	memset(&r, 0, sizeof(r));
	r.type = ET_LOST;
	r.ts_ns = ts;
	r.value = count;
	feed(fx, &r);
}

/* ---- checks ---- */

static struct model_stats stats(const struct fx *fx)
{
	struct model_stats st;

	model_get_stats(fx->m, &st);
	return st;
}

static size_t n_anomalies(const struct fx *fx, enum anomaly_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < fx->n_a; i++)
		n += fx->a[i].kind == k;
	return n;
}

/* The callback and the counters must agree; no anomaly of another kind. */
static void assert_only_anomalies(const struct fx *fx, const size_t want[A_MAX])
{
	struct model_stats st = stats(fx);

	for (int k = 0; k < A_MAX; k++) {
		if (st.anomalies[k] != want[k] || n_anomalies(fx, k) != want[k])
			fail_msg("anomaly %s: counted %llu, reported %zu, want %zu",
				 anomaly_name(k), (unsigned long long)st.anomalies[k],
				 n_anomalies(fx, k), want[k]);
	}
}

static void assert_no_anomalies(const struct fx *fx)
{
	const size_t none[A_MAX] = { 0 };

	assert_only_anomalies(fx, none);
}

static const struct anomaly *last_anomaly(const struct fx *fx, enum anomaly_kind k)
{
	for (size_t i = fx->n_a; i-- > 0;)
		if (fx->a[i].kind == k)
			return &fx->a[i];
	fail_msg("no %s anomaly", anomaly_name(k));
	return NULL;
}

static size_t n_samples(const struct fx *fx, enum sample_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < fx->n_s; i++)
		n += fx->s[i].kind == k;
	return n;
}

static const struct got_sample *nth_sample(const struct fx *fx, enum sample_kind k, size_t nth)
{
	for (size_t i = 0; i < fx->n_s; i++)
		if (fx->s[i].kind == k && !nth--)
			return &fx->s[i];
	fail_msg("no such %d sample", k);
	return NULL;
}

static struct ei_view ei(const struct fx *fx, uint64_t id)
{
	struct ei_view v;

	if (!model_ei_find(fx->m, id, &v))
		fail_msg("ei %016llx not in the model", (unsigned long long)id);
	return v;
}

static void assert_change(const struct ei_view *v, uint32_t i, int op, int32_t refcount,
			  uint64_t dentry, uint64_t ts, bool gap)
{
	assert_true(i < v->n_history);
	assert_int_equal(v->history[i].op, op);
	assert_int_equal(v->history[i].refcount, refcount);
	assert_int_equal(v->history[i].dentry, dentry);
	assert_int_equal(v->history[i].ts_ns, ts);
	assert_int_equal(v->history[i].gap, gap);
}

static bool holds(const struct ei_view *v, uint64_t dentry)
{
	for (uint32_t i = 0; i < v->n_holders; i++)
		if (v->holders[i] == dentry)
			return true;
	return false;
}

static char *hex(uint64_t id, char buf[17])
{
	snprintf(buf, 17, "%016llx", (unsigned long long)id);
	return buf;
}

/*
 * An instance's events dir as mkdir makes it (kref 2: its dentry holds
 * one; the top-level one is made at boot, never in a trace): the first
 * instance seen, and "sched" under it.
 */
static void events_and_sched(struct fx *fx, uint64_t ts)
{
	ev_ei(fx, ET_EI_CREATE, ts, EI_EVENTS, 0, 2, ET_F_EVENTS, "events");
	ev_ei(fx, ET_EI_CREATE, ts + 1, EI_SCHED, EI_EVENTS, 1, 0, "sched");
}

/* ---- 1: the plain refcount path ---- */

static void test_ei_refcount_path(void **state)
{
	struct fx *fx = *state;
	struct ei_view v;

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_CREATE, T0 + MS(1), EI_SWITCH, EI_SCHED, 1, 0, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_int_equal(v.state, EI_LIVE);
	assert_string_equal(v.name, "sched_switch");
	assert_string_equal(v.path, "instances/#1/events/sched/sched_switch");
	assert_string_equal(ei(fx, EI_SCHED).path, "instances/#1/events/sched");
	assert_string_equal(ei(fx, EI_EVENTS).path, "instances/#1/events");
	assert_int_equal(v.parent, EI_SCHED);
	assert_int_equal(v.ino, 1000 + 0xe2);
	assert_int_equal(v.refcount, 1);
	assert_true(v.created_seen);
	assert_int_equal(v.created_ns, T0 + MS(1));

	ev_ei(fx, ET_EI_GET, T0 + MS(1000), EI_SWITCH, D1, 2, 0, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 1);
	assert_int_equal(v.holders[0], D1);
	assert_int_equal(v.state, EI_LIVE);

	ev_ei(fx, ET_EI_PUT, T0 + MS(2000), EI_SWITCH, D1, 2, 0, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_int_equal(v.refcount, 1);
	assert_int_equal(v.n_holders, 0);

	ev_ei(fx, ET_EI_REMOVE, T0 + MS(3000), EI_SWITCH, 0, 1, 0, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_int_equal(v.state, EI_REMOVED);
	assert_int_equal(v.refcount, 0);
	assert_int_equal(v.removed_ns, T0 + MS(3000));
	assert_int_equal(v.released_ns, 0);
	assert_int_equal(n_samples(fx, S_EI_LIFE), 0);

	ev_ei(fx, ET_EI_RELEASE, T0 + MS(3500), EI_SWITCH, 0, 0, ET_F_FREED, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_int_equal(v.state, EI_RELEASED);
	assert_int_equal(v.refcount, 0);
	assert_int_equal(v.released_ns, T0 + MS(3500));
	assert_false(v.removed_referenced);

	/* (op, refcount after, dentry), oldest first, no gaps */
	assert_int_equal(v.n_history, 5);
	assert_int_equal(v.history_dropped, 0);
	assert_change(&v, 0, ET_EI_CREATE, 1, 0, T0 + MS(1), false);
	assert_change(&v, 1, ET_EI_GET, 2, D1, T0 + MS(1000), false);
	assert_change(&v, 2, ET_EI_PUT, 1, D1, T0 + MS(2000), false);
	assert_change(&v, 3, ET_EI_REMOVE, 0, 0, T0 + MS(3000), false);
	assert_change(&v, 4, ET_EI_RELEASE, 0, 0, T0 + MS(3500), false);

	/* created 1 ms after T0, released 3.5 s after T0 */
	assert_int_equal(n_samples(fx, S_EI_LIFE), 1);
	assert_int_equal(nth_sample(fx, S_EI_LIFE, 0)->value, 3499000);
	assert_string_equal(nth_sample(fx, S_EI_LIFE, 0)->group[BY_FS], "tracefs");
	assert_string_equal(nth_sample(fx, S_EI_LIFE, 0)->group[BY_COMM], "test");
	/* a refcount sample per change: events 2, sched 1, then 1 2 1 0 0 */
	assert_int_equal(n_samples(fx, S_EI_REFS), 7);
	{
		const uint64_t want[] = { 2, 1, 1, 2, 1, 0, 0 };

		for (size_t i = 0; i < ARRAY_SIZE(want); i++)
			assert_int_equal(nth_sample(fx, S_EI_REFS, i)->value, want[i]);
	}

	assert_no_anomalies(fx);
	assert_int_equal(stats(fx).eis, 3);
	assert_int_equal(stats(fx).eis_removed_referenced, 0);
	assert_int_equal(stats(fx).dentries_on_removed_eis, 0);
	assert_int_equal(stats(fx).unknown_start, 0);
	assert_int_equal(stats(fx).events, 7);
}

/* ---- 2: removed while two dentries still hold it ---- */

static void test_ei_removed_referenced(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	struct ei_view v;
	char h1[17], h2[17];
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(100), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_GET, T0 + MS(200), EI_SCHED, D2, 3, 0, "sched");
	assert_int_equal(stats(fx).dentries_on_removed_eis, 0);	/* not removed yet */
	assert_int_equal(fx->n_a, 0);

	ev_ei(fx, ET_EI_REMOVE, T0 + MS(300), EI_SCHED, 0, 3, 0, "sched");
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_REMOVED_REFERENCED);
	assert_int_equal(a->obj, EI_SCHED);
	assert_int_equal(a->ts_ns, T0 + MS(300));
	assert_non_null(strstr(a->text, "sched"));
	assert_non_null(strstr(a->text, "refcount 2"));
	assert_non_null(strstr(a->text, hex(D1, h1)));
	assert_non_null(strstr(a->text, hex(D2, h2)));

	v = ei(fx, EI_SCHED);
	assert_int_equal(v.state, EI_REMOVED);
	assert_true(v.removed_referenced);
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 2);
	assert_int_equal(v.holders_more, 0);
	assert_true(holds(&v, D1));
	assert_true(holds(&v, D2));
	assert_int_equal(stats(fx).eis_removed_referenced, 1);
	assert_int_equal(stats(fx).dentries_on_removed_eis, 2);

	ev_ei(fx, ET_EI_PUT, T0 + MS(400), EI_SCHED, D1, 2, ET_F_FREED, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 1);
	assert_int_equal(v.n_holders, 1);
	assert_true(holds(&v, D2));
	assert_false(holds(&v, D1));
	assert_int_equal(stats(fx).dentries_on_removed_eis, 1);

	ev_ei(fx, ET_EI_PUT, T0 + MS(500), EI_SCHED, D2, 1, ET_F_FREED, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 0);
	assert_int_equal(v.n_holders, 0);
	assert_int_equal(v.state, EI_REMOVED);		/* until release_ei says so */
	assert_int_equal(stats(fx).dentries_on_removed_eis, 0);

	ev_ei(fx, ET_EI_RELEASE, T0 + MS(500) + 10, EI_SCHED, 0, 0, ET_F_FREED, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.state, EI_RELEASED);
	assert_true(v.removed_referenced);		/* stays: it is history */
	assert_int_equal(v.n_history, 7);
	assert_change(&v, 2, ET_EI_GET, 3, D2, T0 + MS(200), false);
	assert_change(&v, 3, ET_EI_REMOVE, 2, 0, T0 + MS(300), false);
	assert_change(&v, 4, ET_EI_PUT, 1, D1, T0 + MS(400), false);
	assert_change(&v, 5, ET_EI_PUT, 0, D2, T0 + MS(500), false);
	assert_change(&v, 6, ET_EI_RELEASE, 0, 0, T0 + MS(500) + 10, false);

	/* the puts came before the release: no dentry outlived it */
	assert_only_anomalies(fx, want);
	assert_int_equal(n_samples(fx, S_EI_LIFE), 1);
	assert_int_equal(nth_sample(fx, S_EI_LIFE, 0)->value, 500000);	/* 500 ms + 9 ns, in usecs */
	assert_int_equal(stats(fx).eis_removed_referenced, 1);		/* a count of events */
}

/* The release while a holder's put is missing: that dentry outlived it. */
static void test_ei_dentry_outlives(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	char h[17];
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(1), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(2), EI_SCHED, 0, 2, 0, "sched");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(3), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	want[A_EI_REMOVED_REFERENCED] = 1;
	want[A_DENTRY_OUTLIVES_EI] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_DENTRY_OUTLIVES_EI);
	assert_int_equal(a->obj, EI_SCHED);
	assert_non_null(strstr(a->text, hex(D1, h)));
	/* the model had 1 where the kernel released at 0: a gap */
	assert_true(ei(fx, EI_SCHED).history[3].gap);
}

/*
 * Both reports name four holders and count the rest, in the text the
 * printf formats gave: "...held by dentries D1,D2,D3,D4,+2" at the end of
 * the removal's, "...released while dentries D1,...,+2 still held it".
 */
static void test_ei_holders_text(void **state)
{
	static const uint64_t d[6] = { D1, D2, D3, D4, 0xd5d5d5d5d5d5d5d5ull,
				       0xd6d6d6d6d6d6d6d6ull };
	struct fx *fx = *state;
	char h[17], list[128] = "", want[256];
	const char *t;

	events_and_sched(fx, T0);
	for (int i = 0; i < 6; i++)
		ev_ei(fx, ET_EI_GET, T0 + MS(1 + i), EI_SCHED, d[i], 1 + i, 0, "sched");
	for (int i = 0; i < 4; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "," : "",
			 hex(d[i], h));
	strcat(list, ",+2");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(8), EI_SCHED, 0, 7, 0, "sched");
	t = last_anomaly(fx, A_EI_REMOVED_REFERENCED)->text;
	snprintf(want, sizeof(want), "ei instances/#1/events/sched removed while still referenced: refcount 6, "
		 "held by dentries %s", list);
	assert_string_equal(t, want);
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(9), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	t = last_anomaly(fx, A_DENTRY_OUTLIVES_EI)->text;
	snprintf(want, sizeof(want), "ei instances/#1/events/sched released while dentries %s still held it", list);
	assert_string_equal(t, want);
}

/* ---- 3: a new dentry for a name before the old one's release ---- */

static void test_second_dentry_lookup(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	char h[17];
	size_t want[A_MAX] = { 0 };

	ev_lookup(fx, T0, TRACEFS_DEV, "tracefs", DIR_D, D1, I1, 5001, "sched");
	assert_no_anomalies(fx);
	assert_int_equal(stats(fx).live_dentries, 1);
	assert_int_equal(stats(fx).live_inodes, 1);

	/* the same (dir, name), a new dentry, D1 not killed */
	ev_lookup(fx, T0 + MS(1000), TRACEFS_DEV, "tracefs", DIR_D, D2, I2, 5002, "sched");
	want[A_SECOND_DENTRY] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_SECOND_DENTRY);
	assert_int_equal(a->obj, D2);
	assert_int_equal(a->ts_ns, T0 + MS(1000));
	assert_non_null(strstr(a->text, "'sched'"));
	assert_non_null(strstr(a->text, hex(D1, h)));
	assert_non_null(strstr(a->text, "tracefs"));

	/* same name, another directory; another name, same directory: fine */
	ev_lookup(fx, T0 + MS(1100), TRACEFS_DEV, "tracefs", DIR_OTHER, D3, I3, 5003, "sched");
	ev_lookup(fx, T0 + MS(1200), TRACEFS_DEV, "tracefs", DIR_D, D4, I4, 5004, "irq");
	assert_only_anomalies(fx, want);

	/*
	 * D1 released.  D2, the newer dentry for (DIR_D, "sched"), is still
	 * alive: a lookup making yet another one is a second dentry again,
	 * and about D2, not D1, which killing D1 must not have unindexed.
	 */
	ev_dentry_kill(fx, T0 + MS(2000), D1, DIR_D, I1, 5001, "sched");
	assert_int_equal(stats(fx).live_dentries, 3);
	ev_lookup(fx, T0 + MS(2100), TRACEFS_DEV, "tracefs", DIR_D, 0xd5, I5, 5005, "sched");
	want[A_SECOND_DENTRY] = 2;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_SECOND_DENTRY);
	assert_int_equal(a->obj, 0xd5);
	assert_non_null(strstr(a->text, hex(D2, h)));

	/* every dentry for the name released: the next lookup is a fresh one */
	ev_dentry_kill(fx, T0 + MS(3000), D2, DIR_D, I2, 5002, "sched");
	ev_dentry_kill(fx, T0 + MS(3000), 0xd5, DIR_D, I5, 5005, "sched");
	ev_lookup(fx, T0 + MS(3100), TRACEFS_DEV, "tracefs", DIR_D, 0xd6, 0x66, 5006, "sched");
	assert_only_anomalies(fx, want);
	/* a dentry the lookup found, not allocated under tracing: unknown start */
	assert_int_equal(stats(fx).unknown_start, 3);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 0);
}

/* d_alloc seen first: the kill gives a dentry lifetime, no anomaly. */
static void test_second_dentry_after_kill(void **state)
{
	struct fx *fx = *state;
	const struct got_sample *s;

	ev_dentry_alloc(fx, T0, D1, "sched");
	ev_lookup(fx, T0 + 10, TRACEFS_DEV, "tracefs", DIR_D, D1, I1, 5001, "sched");
	ev_dentry_kill(fx, T0 + MS(250), D1, DIR_D, I1, 5001, "sched");
	ev_dentry_alloc(fx, T0 + MS(300), D2, "sched");
	ev_lookup(fx, T0 + MS(300) + 10, TRACEFS_DEV, "tracefs", DIR_D, D2, I2, 5002, "sched");
	assert_no_anomalies(fx);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 1);
	s = nth_sample(fx, S_DENTRY_LIFE, 0);
	assert_int_equal(s->value, 250000);
	assert_string_equal(s->group[BY_FS], "tracefs");
	assert_string_equal(s->group[BY_MOUNT], "tracefs");	/* no mount table */
	assert_int_equal(stats(fx).unknown_start, 0);
	assert_int_equal(stats(fx).live_dentries, 1);
}

/*
 * The eventfs version.  eventfs_root_lookup() runs inside __lookup_slow(),
 * so each ei_get is followed by the lookup event for the same dentry.  A
 * second get on the ei while the first dentry's put has not come, for the
 * same name, is the second-dentry case, found once (by the lookup).  Files
 * hold their directory's ei too: two files' dentries on one ei are not.
 */
static void test_second_dentry_eventfs(void **state)
{
	struct fx *fx = *state;
	struct ei_view v;
	char h[17];
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(10), EI_SCHED, D1, 2, 0, "sched");
	ev_lookup(fx, T0 + MS(10) + 1, TRACEFS_DEV, "tracefs", DIR_D, D1, I1, 7001, "sched");
	ev_ei(fx, ET_EI_GET, T0 + MS(20), EI_SCHED, D2, 3, 0, "sched");
	ev_lookup(fx, T0 + MS(20) + 1, TRACEFS_DEV, "tracefs", DIR_D, D2, I2, 7002, "sched");
	want[A_SECOND_DENTRY] = 1;
	assert_only_anomalies(fx, want);
	assert_non_null(strstr(last_anomaly(fx, A_SECOND_DENTRY)->text, hex(D1, h)));
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 3);
	assert_int_equal(v.n_holders, 2);
	assert_true(holds(&v, D1) && holds(&v, D2));

	ev_ei(fx, ET_EI_PUT, T0 + MS(30), EI_SCHED, D1, 3, 0, "sched");
	ev_dentry_kill(fx, T0 + MS(30) + 1, D1, DIR_D, I1, 7001, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 1);
	assert_true(holds(&v, D2));

	/* files: "enable" and "format" dentries both take sched's ei */
	ev_ei(fx, ET_EI_GET, T0 + MS(40), EI_SCHED, D3, 3, 0, "sched");
	ev_lookup(fx, T0 + MS(40) + 1, TRACEFS_DEV, "tracefs", D2, D3, I3, SHARED_INO, "enable");
	ev_ei(fx, ET_EI_GET, T0 + MS(50), EI_SCHED, D4, 4, 0, "sched");
	ev_lookup(fx, T0 + MS(50) + 1, TRACEFS_DEV, "tracefs", D2, D4, I4, 7004, "format");
	assert_only_anomalies(fx, want);
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 4);
	assert_int_equal(v.n_holders, 3);
	for (uint32_t i = 0; i < v.n_history; i++)
		assert_false(v.history[i].gap);
}

/*
 * eis created before tracing: a lookup's ei_get names the directory's ei
 * (pei), which places them under their directory, even when that parent is
 * itself learned later.  The top-level events dir, made at boot, is never
 * seen: a chain that ends at an ei not seen is under events/.  A file lookup (pei 0: the ei is the directory's own)
 * changes nothing.
 */
static void test_ei_parent_from_lookup(void **state)
{
	struct fx *fx = *state;
	struct ei_view v;

	/* sched_switch first: its parent sched is not known yet */
	ev_ei_get(fx, T0 + 10, EI_SWITCH, D2, 2, "sched_switch", EI_SCHED, 0, 0);
	v = ei(fx, EI_SWITCH);
	assert_false(v.created_seen);
	assert_int_equal(v.parent, EI_SCHED);
	assert_string_equal(v.path, "events/sched_switch");
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 1);
	/* then sched, under events */
	ev_ei_get(fx, T0 + 20, EI_SCHED, D1, 3, "sched", EI_EVENTS, 0, 0);
	assert_string_equal(ei(fx, EI_SCHED).path, "events/sched");
	assert_int_equal(ei(fx, EI_SCHED).parent, EI_EVENTS);
	assert_string_equal(ei(fx, EI_SWITCH).path, "events/sched/sched_switch");
	/* a later lookup naming another directory does not move it */
	ev_ei_get(fx, T0 + 30, EI_SWITCH, D3, 3, "sched_switch", EI_OTHER, 0, 0);
	assert_int_equal(ei(fx, EI_SWITCH).parent, EI_SCHED);
	/* a file lookup: the ei is the directory's own, no pei */
	ev_ei_get(fx, T0 + 40, EI_SWITCH, D4, 4, "sched_switch", 0, 0, 0);
	assert_int_equal(ei(fx, EI_SWITCH).parent, EI_SCHED);
	/* the path is used in anomaly texts too */
	ev_ei(fx, ET_EI_REMOVE, T0 + 50, EI_SWITCH, 0, 4, 0, "sched_switch");
	assert_non_null(strstr(last_anomaly(fx, A_EI_REMOVED_REFERENCED)->text,
			       "ei events/sched/sched_switch removed"));
}

/*
 * A path is kept once made, and made again only when something it depends
 * on changed (an ei in or out of the table, a parent, a name, an
 * instance).  Random streams over a few eis, in a table too small for
 * them: a model asked for every path after every event must end with the
 * paths of one asked only at the end.  A change that forgot to invalidate
 * the kept paths leaves the first with an old one.
 */
static void test_ei_path_kept_until_changed(void **state)
{
	static const char *const names[] = { "", "events", "sched", "sched_switch", "irq", "foo" };
	struct model_opts o = { .max_eis = 5 };
	uint64_t rnd = 0x9e3779b97f4a7c15ull;
	int compared = 0;

	(void)state;
	for (int run = 0; run < 300; run++) {
		struct model *asked = model_new(&o), *fresh = model_new(&o);

		assert_non_null(asked);
		assert_non_null(fresh);
		for (int k = 0; k < 40; k++) {
			struct et_rec r = rec(ET_EI_CREATE, T0 + k * 1000);
			struct ei_view v;

			rnd = rnd * 6364136223846793005ull + 1442695040888963407ull;
			r.type = ET_EI_CREATE + (rnd >> 33) % 5;
			set_sb(&r, TRACEFS_DEV, "tracefs");
			r.obj_id = EI_EVENTS + (rnd >> 40) % 7;
			/* a parent (create) or a dentry (get), one of the same few eis or none */
			r.aux_id = (rnd >> 44) % 3 ? EI_EVENTS + (rnd >> 47) % 7 : 0;
			r.pei_id = r.type == ET_EI_GET && (rnd >> 50) % 2 ? EI_EVENTS + (rnd >> 51) % 7 : 0;
			r.value = 1 + (rnd >> 54) % 3;
			r.flags = (rnd >> 57) % 4 == 0 ? ET_F_EVENTS | ((rnd >> 59) % 2 ? ET_F_INSTANCE : 0) : 0;
			snprintf(r.name, sizeof(r.name), "%s", names[(rnd >> 60) % 6]);
			assert_int_equal(model_feed(asked, &r), 0);
			assert_int_equal(model_feed(fresh, &r), 0);
			for (uint64_t id = EI_EVENTS; id < EI_EVENTS + 7; id++)
				model_ei_find(asked, id, &v);
		}
		for (uint64_t id = EI_EVENTS; id < EI_EVENTS + 7; id++) {
			struct ei_view a, f;
			bool in_a = model_ei_find(asked, id, &a), in_f = model_ei_find(fresh, id, &f);

			assert_int_equal(in_a, in_f);
			if (!in_a)
				continue;
			if (strcmp(a.path, f.path))
				fail_msg("run %d, ei %016llx: kept path '%s', made again '%s'", run,
					 (unsigned long long)id, a.path, f.path);
			compared++;
		}
		model_free(asked);
		model_free(fresh);
	}
	/* the streams did reach the table */
	assert_true(compared > 300);
}

/*
 * A path says which events dir it is under (issue 16).  The top-level one,
 * made at boot, never shows up in a trace: events/...  Each instance's,
 * made by mkdir in the trace (ET_F_EVENTS, no parent), is numbered in the
 * order seen, so one event directory in two instances has two paths.  An
 * instance keeps its number when its events dir leaves a full table
 * before its children do, and numbers are not reused.
 */
static void test_ei_instance_paths(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .max_eis = 8 };
	/* per instance: its events dir, sched, sched_switch */
	const uint64_t inst[3][3] = {
		{ 0xa1a1a1a1a1a1a1a1ull, 0xa2a2a2a2a2a2a2a2ull, 0xa3a3a3a3a3a3a3a3ull },
		{ 0xb1b1b1b1b1b1b1b1ull, 0xb2b2b2b2b2b2b2b2ull, 0xb3b3b3b3b3b3b3b3ull },
		{ 0xc1c1c1c1c1c1c1c1ull, 0xc2c2c2c2c2c2c2c2ull, 0xc3c3c3c3c3c3c3c3ull },
	};
	struct ei_view v;

	fx_open(fx, &o);
	/* the top level: a kprobe event's system made under the unseen events dir */
	ev_ei(fx, ET_EI_CREATE, T0, EI_OTHER, EI_EVENTS, 1, 0, "kprobes");
	ev_ei(fx, ET_EI_CREATE, T0 + 1, EI_SCHED, EI_OTHER, 1, 0, "sched");
	assert_string_equal(ei(fx, EI_OTHER).path, "events/kprobes");
	assert_string_equal(ei(fx, EI_SCHED).path, "events/kprobes/sched");
	for (int k = 0; k < 2; k++) {
		uint64_t ts = T0 + MS(100 * (k + 1));

		ev_ei(fx, ET_EI_CREATE, ts, inst[k][0], 0, 2, ET_F_EVENTS, "events");
		ev_ei(fx, ET_EI_CREATE, ts + 1, inst[k][1], inst[k][0], 1, 0, "sched");
		ev_ei(fx, ET_EI_CREATE, ts + 2, inst[k][2], inst[k][1], 1, 0, "sched_switch");
	}
	assert_string_equal(ei(fx, inst[0][0]).path, "instances/#1/events");
	assert_string_equal(ei(fx, inst[0][2]).path, "instances/#1/events/sched/sched_switch");
	assert_string_equal(ei(fx, inst[1][1]).path, "instances/#2/events/sched");
	assert_string_equal(ei(fx, inst[1][2]).path, "instances/#2/events/sched/sched_switch");
	/* the top level's stay where they were */
	assert_string_equal(ei(fx, EI_SCHED).path, "events/kprobes/sched");

	/* rmdir of the first: children first, the events dir last */
	for (int i = 2; i >= 0; i--) {
		ev_ei(fx, ET_EI_REMOVE, T0 + MS(500) + 2 - i, inst[0][i], 0, 1,
		      i ? ET_F_FREED : ET_F_FREED | ET_F_EVENTS, i ? "sched" : "events");
		ev_ei(fx, ET_EI_RELEASE, T0 + MS(500) + 3 - i, inst[0][i], 0, 0,
		      i ? ET_F_FREED : ET_F_FREED | ET_F_EVENTS, i ? "sched" : "events");
	}
	/* a ninth ei: the oldest released one, the first instance's events dir, goes */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(600), EI_SWITCH, EI_EVENTS, 1, 0, "irq");
	assert_int_equal(stats(fx).evicted_from_model, 1);
	assert_false(model_ei_find(fx->m, inst[0][0], &v));
	assert_string_equal(ei(fx, inst[0][1]).path, "instances/#1/events/sched");
	assert_string_equal(ei(fx, EI_SWITCH).path, "events/irq");
	/* a third instance is the third, whatever left */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(700), inst[2][0], 0, 2, ET_F_EVENTS, "events");
	ev_ei(fx, ET_EI_CREATE, T0 + MS(700) + 1, inst[2][1], inst[2][0], 1, 0, "sched");
	assert_string_equal(ei(fx, inst[2][1]).path, "instances/#3/events/sched");
	/* and the anomaly texts say it too */
	ev_ei(fx, ET_EI_GET, T0 + MS(800), inst[2][1], D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(900), inst[2][1], 0, 2, 0, "sched");
	assert_non_null(strstr(last_anomaly(fx, A_EI_REMOVED_REFERENCED)->text,
			       "ei instances/#3/events/sched removed"));
}

/*
 * Since the probes read it, an instance's events dir's ei_create carries
 * the instance's name (ET_F_INSTANCE) where "events" was: its eis' paths
 * then say instances/foo, the dir itself is still "events", and an
 * instance of a file recorded before (no flag) is still numbered.  The
 * name stays with the number when the events dir leaves the table.
 */
static void test_ei_instance_names(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .max_eis = 4 };
	const uint64_t a = 0xa1a1a1a1a1a1a1a1ull, a2 = 0xa2a2a2a2a2a2a2a2ull,
		       b = 0xb1b1b1b1b1b1b1b1ull, b2 = 0xb2b2b2b2b2b2b2b2ull;

	fx_open(fx, &o);
	ev_ei(fx, ET_EI_CREATE, T0, a, 0, 2, ET_F_EVENTS | ET_F_INSTANCE, "foo");
	ev_ei(fx, ET_EI_CREATE, T0 + 1, a2, a, 1, 0, "sched");
	ev_ei(fx, ET_EI_CREATE, T0 + 2, b, 0, 2, ET_F_EVENTS, "events");
	ev_ei(fx, ET_EI_CREATE, T0 + 3, b2, b, 1, 0, "sched");
	assert_string_equal(ei(fx, a).path, "instances/foo/events");
	assert_string_equal(ei(fx, a).name, "events");
	assert_string_equal(ei(fx, a2).path, "instances/foo/events/sched");
	assert_string_equal(ei(fx, b2).path, "instances/#2/events/sched");
	/* foo's events dir released and pushed out of the full table: sched keeps the name */
	ev_ei(fx, ET_EI_REMOVE, T0 + 4, a, 0, 1, ET_F_FREED | ET_F_EVENTS, "events");
	ev_ei(fx, ET_EI_RELEASE, T0 + 5, a, 0, 0, ET_F_FREED | ET_F_EVENTS, "events");
	ev_ei(fx, ET_EI_CREATE, T0 + 6, EI_SWITCH, EI_EVENTS, 1, 0, "irq");
	assert_string_equal(ei(fx, a2).path, "instances/foo/events/sched");
}

/*
 * The files of one eventfs directory: d_alloc names the dentry, then the
 * lookup's ei_get (the directory's ei) carries the inode made for it and
 * the number it now has.  Two live files with one number on tracefs: dup.
 */
static void test_ei_get_file_inodes(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_inode_alloc(fx, T0 + 10, I1, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + 11, I1, 200, TRACEFS_DEV, "tracefs", "tracefs_get_inode", "cat");
	ev_dentry_alloc(fx, T0 + 12, D1, "enable");
	ev_ei_get(fx, T0 + 13, EI_SCHED, D1, 2, "sched", 0, I1, SHARED_INO);
	assert_no_anomalies(fx);
	ev_inode_alloc(fx, T0 + 20, I2, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + 21, I2, 201, TRACEFS_DEV, "tracefs", "tracefs_get_inode", "cat");
	ev_dentry_alloc(fx, T0 + 22, D2, "format");
	ev_ei_get(fx, T0 + 23, EI_SCHED, D2, 3, "sched", 0, I2, SHARED_INO);
	want[A_DUP_INO] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_DUP_INO);
	assert_int_equal(a->obj, I2);
	assert_non_null(strstr(a->text, "'format'"));
	assert_non_null(strstr(a->text, "'enable'"));
	assert_int_equal(ei(fx, EI_SCHED).refcount, 3);
	/* their old numbers 200 and 201 are free: no dup on them */
	ev_inode_alloc(fx, T0 + 30, I3, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + 31, I3, 200, TRACEFS_DEV, "tracefs", "tracefs_get_inode", "cat");
	assert_only_anomalies(fx, want);
}

/* ---- 4: a lookup reaching a removed ei ---- */

static void test_ei_lookup_after_remove(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	struct ei_view v;
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(1), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(2), EI_SCHED, 0, 2, 0, "sched");
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);

	/* a lookup in the removed directory: no reference taken (kref still 1) */
	ev_ei(fx, ET_EI_GET, T0 + MS(3), EI_SCHED, D2, 1, ET_F_NOREF | ET_F_FREED, "sched");
	want[A_EI_LOOKUP_AFTER_REMOVE] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_LOOKUP_AFTER_REMOVE);
	assert_int_equal(a->obj, EI_SCHED);
	assert_int_equal(a->ts_ns, T0 + MS(3));
	assert_non_null(strstr(a->text, "sched"));
	assert_non_null(strstr(a->text, "no reference"));
	assert_null(strstr(a->text, "removal not seen"));

	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 1);		/* unchanged */
	assert_int_equal(v.state, EI_REMOVED);
	assert_int_equal(v.n_holders, 1);		/* D2 holds nothing */
	assert_true(holds(&v, D1));
	assert_int_equal(v.n_history, 3);		/* no change recorded */

	/* a NOREF lookup on an ei never seen: its removal was not seen either */
	ev_ei(fx, ET_EI_GET, T0 + MS(4), EI_OTHER, D3, 1, ET_F_NOREF | ET_F_FREED, "irq");
	want[A_EI_LOOKUP_AFTER_REMOVE] = 2;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_LOOKUP_AFTER_REMOVE);
	assert_int_equal(a->obj, EI_OTHER);
	assert_non_null(strstr(a->text, "removal not seen"));
}

/* ---- 5: a put on a zero refcount ---- */

static void test_ei_negative(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	struct ei_view v;
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(1), EI_SCHED, 0, 1, 0, "sched");
	assert_no_anomalies(fx);
	ev_ei(fx, ET_EI_PUT, T0 + MS(2), EI_SCHED, D1, 0, ET_F_FREED, "sched");
	want[A_EI_NEGATIVE] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_NEGATIVE);
	assert_int_equal(a->obj, EI_SCHED);
	assert_non_null(strstr(a->text, "put on refcount 0"));
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, -1);
	assert_change(&v, 2, ET_EI_PUT, -1, D1, T0 + MS(2), false);
	/* the sample clamps at zero */
	assert_int_equal(nth_sample(fx, S_EI_REFS, 3)->value, 0);
}

/* ---- 6: removed, still held past the timeout ---- */

static void test_ei_not_released(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .release_timeout_ns = MS(2000), .interval_ns = MS(1000) };
	const struct anomaly *a;
	char h[17];
	size_t want[A_MAX] = { 0 };

	fx_open(fx, &o);
	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(200), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(500), EI_SCHED, 0, 2, 0, "sched");
	/* another ei removed and released at once: never flagged */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(501), EI_OTHER, EI_EVENTS, 1, 0, "irq");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(502), EI_OTHER, 0, 1, 0, "irq");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(502), EI_OTHER, 0, 0, ET_F_FREED, "irq");
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);

	model_advance(fx->m, T0 + MS(2400));	/* 1.9 s after the removal */
	assert_only_anomalies(fx, want);
	model_advance(fx->m, T0 + MS(2499));
	assert_only_anomalies(fx, want);
	/*
	 * The table is walked once per interval: by the first boundary past
	 * removal + timeout (T0 + 3 s) it must have been flagged.
	 */
	model_advance(fx->m, T0 + MS(3000));
	want[A_EI_NOT_RELEASED] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_NOT_RELEASED);
	assert_int_equal(a->obj, EI_SCHED);
	assert_true(a->ts_ns >= T0 + MS(2500) && a->ts_ns <= T0 + MS(3000));
	assert_non_null(strstr(a->text, "sched"));
	assert_non_null(strstr(a->text, "refcount 1"));
	assert_non_null(strstr(a->text, hex(D1, h)));

	/* once only, however long it stays */
	model_advance(fx->m, T0 + MS(3500));
	model_advance(fx->m, T0 + MS(10000));
	model_advance(fx->m, T0 + MS(600000));
	ev_ei(fx, ET_EI_GET, T0 + MS(700000), EI_EVENTS, D3, 3, 0, "events");
	assert_only_anomalies(fx, want);
	/* the clock does not go back */
	model_advance(fx->m, T0);
	assert_int_equal(stats(fx).last_ns, T0 + MS(700000));

	/* the late put and release end it without more anomalies */
	ev_ei(fx, ET_EI_PUT, T0 + MS(800000), EI_SCHED, D1, 1, ET_F_FREED, "sched");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(800000), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	model_advance(fx->m, T0 + MS(900000));
	assert_only_anomalies(fx, want);
	assert_int_equal(ei(fx, EI_SCHED).state, EI_RELEASED);
}

/* ---- 7: lost events ---- */

static void test_lost_events(void **state)
{
	struct fx *fx = *state;
	struct model_stats st;
	struct ei_view v;
	size_t want[A_MAX] = { 0 };

	events_and_sched(fx, T0);
	ev_lost(fx, T0 + MS(1), 5);
	ev_lost(fx, T0 + MS(2), 2);
	st = stats(fx);
	assert_int_equal(st.lost, 7);
	assert_int_equal(st.events, 2);		/* lost records are not events */

	/* a get was lost: the kernel says 3 where the model has 2 */
	ev_ei(fx, ET_EI_GET, T0 + MS(10), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(20), EI_SCHED, 0, 3, 0, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.n_history, 3);
	assert_change(&v, 0, ET_EI_CREATE, 1, 0, T0 + 1, false);
	assert_change(&v, 1, ET_EI_GET, 2, D1, T0 + MS(10), false);
	assert_change(&v, 2, ET_EI_REMOVE, 2, 0, T0 + MS(20), true);	/* the kernel's 3 - 1 */
	assert_int_equal(v.refcount, 2);

	/* a put was lost: the kernel's "before" is 2 where the model has 3 */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(30), EI_SWITCH, EI_SCHED, 1, 0, "sched_switch");
	ev_ei(fx, ET_EI_GET, T0 + MS(31), EI_SWITCH, D2, 2, 0, "sched_switch");
	ev_ei(fx, ET_EI_GET, T0 + MS(32), EI_SWITCH, D3, 3, 0, "sched_switch");
	/* (D2's put lost) */
	ev_ei(fx, ET_EI_PUT, T0 + MS(34), EI_SWITCH, D3, 2, 0, "sched_switch");
	v = ei(fx, EI_SWITCH);
	assert_change(&v, 2, ET_EI_GET, 3, D3, T0 + MS(32), false);
	assert_change(&v, 3, ET_EI_PUT, 1, D3, T0 + MS(34), true);
	assert_int_equal(v.refcount, 1);

	/* an ei created before tracing: first seen at a put */
	ev_ei(fx, ET_EI_PUT, T0 + MS(40), EI_OTHER, D4, 2, 0, "irq");
	v = ei(fx, EI_OTHER);
	assert_false(v.created_seen);
	assert_int_equal(v.created_ns, 0);
	assert_int_equal(v.refcount, 1);
	assert_int_equal(v.n_history, 1);
	assert_true(v.history[0].gap);		/* what came before is unknown */
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(50), EI_OTHER, 0, 1, 0, "irq");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(50), EI_OTHER, 0, 0, ET_F_FREED, "irq");
	v = ei(fx, EI_OTHER);
	assert_int_equal(v.state, EI_RELEASED);
	assert_false(v.history[1].gap);
	assert_false(v.history[2].gap);
	assert_int_equal(n_samples(fx, S_EI_LIFE), 0);
	st = stats(fx);
	assert_int_equal(st.unknown_start, 1);
	/* only the lost get made an ei look referenced at its removal */
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);
	assert_int_equal(st.lost, 7);
}

/* The history ring keeps the newest ei_history changes. */
static void test_ei_history_ring(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .ei_history = 4 };
	struct ei_view v;

	fx_open(fx, &o);
	events_and_sched(fx, T0);
	for (int i = 0; i < 5; i++) {
		ev_ei(fx, ET_EI_GET, T0 + MS(10 * i + 1), EI_SCHED, D1 + i, 2, 0, "sched");
		ev_ei(fx, ET_EI_PUT, T0 + MS(10 * i + 2), EI_SCHED, D1 + i, 2, 0, "sched");
	}
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.n_history, 4);
	assert_int_equal(v.history_dropped, 7);		/* 11 changes, 4 kept */
	assert_change(&v, 0, ET_EI_GET, 2, D1 + 3, T0 + MS(31), false);
	assert_change(&v, 1, ET_EI_PUT, 1, D1 + 3, T0 + MS(32), false);
	assert_change(&v, 2, ET_EI_GET, 2, D1 + 4, T0 + MS(41), false);
	assert_change(&v, 3, ET_EI_PUT, 1, D1 + 4, T0 + MS(42), false);
	assert_no_anomalies(fx);
}

/*
 * The history after the create and n get/put pairs of test_ei_history_grows:
 * the newest changes, at most 64, in order.
 */
static void assert_pairs(struct fx *fx, uint32_t n)
{
	struct ei_view v = ei(fx, EI_SCHED);
	uint32_t total = 1 + 2 * n, kept = total < 64 ? total : 64;

	assert_int_equal(v.n_history, kept);
	assert_int_equal(v.history_dropped, total - kept);
	for (uint32_t k = 0; k < kept; k++) {
		uint32_t j = total - kept + k, i = (j - 1) / 2;	/* the change's place; its pair */

		if (!j)
			assert_int_equal(v.history[k].op, ET_EI_CREATE);
		else if (j % 2)
			assert_change(&v, k, ET_EI_GET, 2, D1 + i, T0 + MS(10 * i + 1), false);
		else
			assert_change(&v, k, ET_EI_PUT, 1, D1 + i, T0 + MS(10 * i + 2), false);
	}
}

/*
 * At the default length the history grows twice (in the entry, then five
 * times that, then all of it) before it turns into a ring: every change
 * kept in order through both moves, the oldest dropped after.
 */
static void test_ei_history_grows(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .ei_history = 64 };

	fx_open(fx, &o);
	events_and_sched(fx, T0);
	for (uint32_t i = 0; i < 35; i++) {
		ev_ei(fx, ET_EI_GET, T0 + MS(10 * i + 1), EI_SCHED, D1 + i, 2, 0, "sched");
		ev_ei(fx, ET_EI_PUT, T0 + MS(10 * i + 2), EI_SCHED, D1 + i, 2, 0, "sched");
		/* in the entry; in the first array; in the whole one; a ring */
		if (i == 0 || i == 5 || i == 15 || i == 34)
			assert_pairs(fx, i + 1);
	}
	assert_no_anomalies(fx);
}

/* no_history: the same state and refcounts, no changes kept (hist, events) */
static void test_ei_no_history(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .no_history = true };
	struct ei_view v;

	fx_open(fx, &o);
	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_GET, T0 + MS(1), EI_SCHED, D1, 2, 0, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.n_history, 0);
	assert_int_equal(v.history_dropped, 0);
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 1);
	assert_no_anomalies(fx);
}

/* ---- 8: two live inodes, one superblock, one number ---- */

static void test_dup_ino(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a;
	size_t want[A_MAX] = { 0 };

	/* eventfs files: a number from get_next_ino(), then the shared one */
	ev_inode_alloc(fx, T0, I1, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + 1, I1, 100, TRACEFS_DEV, "tracefs", "tracefs_get_inode", "cat");
	ev_lookup(fx, T0 + 2, TRACEFS_DEV, "tracefs", DIR_D, D1, I1, SHARED_INO, "enable");
	ev_inode_alloc(fx, T0 + MS(500), I2, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + MS(500) + 1, I2, 101, TRACEFS_DEV, "tracefs",
		     "tracefs_get_inode", "cat");
	assert_no_anomalies(fx);
	ev_lookup(fx, T0 + MS(500) + 2, TRACEFS_DEV, "tracefs", DIR_D, D2, I2, SHARED_INO,
		  "format");
	want[A_DUP_INO] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_DUP_INO);
	assert_int_equal(a->obj, I2);
	assert_int_equal(a->ts_ns, T0 + MS(500) + 2);
	assert_non_null(strstr(a->text, "'enable'"));
	assert_non_null(strstr(a->text, "'format'"));
	assert_non_null(strstr(a->text, "19680823"));	/* 0x12c4e37 */
	assert_non_null(strstr(a->text, "0:14"));
	assert_non_null(strstr(a->text, "age 0.500s"));	/* enable's */

	/*
	 * "enable" evicted.  "format" still has the number: a third inode
	 * taking it is a dup of "format", never of the evicted "enable".
	 */
	ev_inode_evict(fx, T0 + MS(600), I1, TRACEFS_DEV, "tracefs", SHARED_INO);
	ev_inode_alloc(fx, T0 + MS(700), I3, TRACEFS_DEV, "tracefs");
	ev_lookup(fx, T0 + MS(700) + 1, TRACEFS_DEV, "tracefs", DIR_D, D3, I3, SHARED_INO, "id");
	want[A_DUP_INO] = 2;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_DUP_INO);
	assert_int_equal(a->obj, I3);
	assert_non_null(strstr(a->text, "'id'"));
	assert_non_null(strstr(a->text, "'format'"));
	assert_null(strstr(a->text, "'enable'"));

	/* both evicted: the number is free again */
	ev_inode_evict(fx, T0 + MS(800), I2, TRACEFS_DEV, "tracefs", SHARED_INO);
	ev_inode_evict(fx, T0 + MS(800), I3, TRACEFS_DEV, "tracefs", SHARED_INO);
	ev_inode_alloc(fx, T0 + MS(900), I4, TRACEFS_DEV, "tracefs");
	ev_lookup(fx, T0 + MS(900) + 1, TRACEFS_DEV, "tracefs", DIR_D, D4, I4, SHARED_INO,
		  "trigger");
	assert_only_anomalies(fx, want);

	/* the same number on another superblock is no dup */
	ev_inode_alloc(fx, T0 + MS(1000), I5, ET_MKDEV(0u, 25u), "tmpfs");
	ev_ino_alloc(fx, T0 + MS(1000) + 1, I5, SHARED_INO, ET_MKDEV(0u, 25u), "tmpfs",
		     "shmem_get_inode", "cp");
	assert_only_anomalies(fx, want);

	/* get_next_ino() wrapped: two inodes given one number on one sb */
	ev_inode_alloc(fx, T0 + MS(1100), 0x77, ET_MKDEV(0u, 25u), "tmpfs");
	ev_ino_alloc(fx, T0 + MS(1100) + 1, 0x77, SHARED_INO, ET_MKDEV(0u, 25u), "tmpfs",
		     "shmem_get_inode", "cp");
	want[A_DUP_INO] = 3;
	assert_only_anomalies(fx, want);
	assert_non_null(strstr(last_anomaly(fx, A_DUP_INO)->text, "0:25"));

	/* lifetimes: I1 0.6 s, I2 0.8 s - 0.5 s, I3 0.1 s */
	assert_int_equal(n_samples(fx, S_INODE_LIFE), 3);
	assert_int_equal(nth_sample(fx, S_INODE_LIFE, 0)->value, 600000);
	assert_int_equal(nth_sample(fx, S_INODE_LIFE, 1)->value, 300000);
	assert_int_equal(nth_sample(fx, S_INODE_LIFE, 2)->value, 100000);
	assert_string_equal(nth_sample(fx, S_INODE_LIFE, 0)->group[BY_CALLER],
			    "tracefs_get_inode");
	assert_string_equal(nth_sample(fx, S_INODE_LIFE, 2)->group[BY_CALLER], "?");
	assert_int_equal(stats(fx).live_inodes, 3);	/* I4, I5, 0x77 */
	assert_int_equal(stats(fx).unknown_start, 0);
}

/*
 * Many live inodes sharing a number (every eventfs file on 6.12), evicted
 * from the middle, the oldest end and the newest end of their list: each
 * eviction takes that inode out alone, and the number is free only once
 * the last one is gone.
 */
static void test_dup_ino_chain(void **state)
{
	struct fx *fx = *state;
	size_t want[A_MAX] = { 0 };
	const uint64_t n = 64, base = 0x5000;
	static const uint64_t order[] = { 31, 0, 63, 1, 62, 32, 30 };
	char name[16];

	/* each named, so a dup says which survivor it is a twin of */
	for (uint64_t k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "n%" PRIu64, k);
		ev_inode_alloc(fx, T0 + k, base + k, TRACEFS_DEV, "tracefs");
		ev_lookup(fx, T0 + k, TRACEFS_DEV, "tracefs", DIR_D, 0x7000 + k, base + k,
			  SHARED_INO, name);
	}
	want[A_DUP_INO] = n - 1;
	assert_only_anomalies(fx, want);
	for (size_t j = 0; j < sizeof(order) / sizeof(order[0]); j++)
		ev_inode_evict(fx, T0 + MS(1) + j, base + order[j], TRACEFS_DEV, "tracefs",
			       SHARED_INO);
	/* a new one is a dup of the newest survivor, never of an evicted one */
	ev_inode_alloc(fx, T0 + MS(2), 0x9000, TRACEFS_DEV, "tracefs");
	ev_lookup(fx, T0 + MS(2), TRACEFS_DEV, "tracefs", DIR_D, 0x7fff, 0x9000, SHARED_INO,
		  "new");
	want[A_DUP_INO]++;
	assert_only_anomalies(fx, want);
	assert_non_null(strstr(last_anomaly(fx, A_DUP_INO)->text, "'n61'"));
	for (uint64_t k = 0; k < n; k++)
		ev_inode_evict(fx, T0 + MS(3) + k, base + k, TRACEFS_DEV, "tracefs", SHARED_INO);
	ev_inode_evict(fx, T0 + MS(4), 0x9000, TRACEFS_DEV, "tracefs", SHARED_INO);
	assert_int_equal(stats(fx).live_inodes, 0);
	/* all gone: the number is free again */
	ev_inode_alloc(fx, T0 + MS(5), 0x9001, TRACEFS_DEV, "tracefs");
	ev_ino_alloc(fx, T0 + MS(5), 0x9001, SHARED_INO, TRACEFS_DEV, "tracefs",
		     "tracefs_get_inode", "ls");
	assert_only_anomalies(fx, want);
}

/*
 * Fills the stack below the caller with byte b, so that whatever the next
 * call leaves uninitialised there (struct padding, say) holds b.
 */
static __attribute__((noinline)) void scribble(unsigned char b)
{
	unsigned char junk[16384];

	memset(junk, b, sizeof(junk));
	__asm__ volatile("" : : "r"(junk) : "memory");
}

/*
 * The (dev, ino) index is hashed as raw bytes: two events naming one
 * number must find one slot whatever garbage the stack held, and an
 * evicted inode must leave its slot.  Run with different stack contents.
 */
static void test_dup_ino_stack_garbage(void **state)
{
	struct fx *fx = *state;
	struct et_rec r;
	size_t want[A_MAX] = { 0 };

	ev_inode_alloc(fx, T0, I1, TRACEFS_DEV, "tracefs");
	ev_inode_alloc(fx, T0 + 1, I2, TRACEFS_DEV, "tracefs");
	r = rec(ET_INO_ALLOC, T0 + 2);
	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = I1;
	r.ino = SHARED_INO;
	scribble(0x11);
	assert_int_equal(model_feed(fx->m, &r), 0);
	r.ts_ns++;
	r.obj_id = I2;
	scribble(0xee);
	assert_int_equal(model_feed(fx->m, &r), 0);
	want[A_DUP_INO] = 1;
	assert_only_anomalies(fx, want);

	/* I1 leaves, then I2 takes another number: the slot must empty */
	r = rec(ET_INODE_EVICT, T0 + 10);
	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = I1;
	scribble(0x5a);
	assert_int_equal(model_feed(fx->m, &r), 0);
	r = rec(ET_INO_ALLOC, T0 + 11);
	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = I2;
	r.ino = 77;
	scribble(0xa5);
	assert_int_equal(model_feed(fx->m, &r), 0);
	/* a new inode with the old number is alone on it */
	ev_inode_alloc(fx, T0 + 12, I3, TRACEFS_DEV, "tracefs");
	r.ts_ns = T0 + 13;
	r.obj_id = I3;
	r.ino = SHARED_INO;
	scribble(0x3c);
	assert_int_equal(model_feed(fx->m, &r), 0);
	assert_only_anomalies(fx, want);
}

/* An inode evicted that was never seen allocated: unknown start. */
static void test_inode_unknown_start(void **state)
{
	struct fx *fx = *state;

	ev_inode_evict(fx, T0, I1, TRACEFS_DEV, "tracefs", 7);
	ev_ino_alloc(fx, T0 + 1, I2, 8, TRACEFS_DEV, "tracefs", "x", "y");	/* born unknown */
	ev_inode_evict(fx, T0 + 2, I2, TRACEFS_DEV, "tracefs", 8);
	assert_int_equal(stats(fx).unknown_start, 2);
	assert_int_equal(n_samples(fx, S_INODE_LIFE), 0);
	assert_int_equal(stats(fx).live_inodes, 0);
	assert_no_anomalies(fx);
}

/* ---- 9: inode-number rates, wrap ETA and groups ---- */

static const char mountinfo[] =
	"1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"22 1 0:25 / /dev/shm rw,nosuid,nodev shared:2 - tmpfs tmpfs rw\n"
	"30 1 0:14 / /sys/kernel/tracing rw,nosuid,nodev,noexec shared:9 - tracefs tracefs rw\n";

#define PIPEFS_DEV	ET_MKDEV(0u, 12u)
#define SHM_DEV		ET_MKDEV(0u, 25u)
#define H0		0x10000000ull

static void group_check(const struct fx *fx, enum group_by by, size_t n,
			const char *const names[], const uint64_t totals[])
{
	const struct ino_group *g[8];

	assert_int_equal(model_ino_groups(fx->m, by, g, 8), n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(g[i]->name, names[i]);
		assert_int_equal(g[i]->total, totals[i]);
	}
}

/* The EWMA of model.c's rate_push, computed here from its definition. */
static double ewma(double per_interval, int intervals)
{
	double r = 0;

	for (int i = 0; i < intervals; i++)
		r = 0.3 * per_interval + 0.7 * r;
	return r;
}

static struct agg_rec agg_ino(uint32_t dev, const char *fs, const char *comm, uint64_t count,
			      uint64_t sum, uint64_t min, uint64_t max, uint64_t ts)
{
	struct agg_rec a = { .kind = ETA_INO, .dev = dev, .count = count, .sum = sum,
			     .min = min, .max = max, .ts_ns = ts };

	snprintf(a.fs, sizeof(a.fs), "%s", fs);
	snprintf(a.comm, sizeof(a.comm), "%s", comm);
	strcpy(a.caller, "?");
	return a;
}

/*
 * --by cgroup: each event's cgroup id named by the table (its path, or
 * its container), one unknown by its id, a file of 1.0's (no id) as "?";
 * a lifetime goes to the cgroup of the task that allocated the object;
 * what the kernel aggregated by cgroup lands in the same groups.
 */
static void test_groups_by_cgroup(void **state)
{
	struct fx *fx = *state;
	struct cgroups *cg = cgroups_new(NULL, 0);
	struct model_opts o = { 0 };
	uint64_t ids[] = { 10, 20, 30, 0, 10, 20, 30, 10, 20, 10 };	/* 4, 3, 2, 1 */
	struct et_rec r;
	struct agg_rec a;

	assert_int_equal(cgroups_add(cg, 10, "/agg"), 0);
	assert_int_equal(cgroups_add(cg, 20, "/system.slice/docker-0123456789abcdef0123456789"
				     "abcdef0123456789abcdef0123456789abcdef.scope"), 0);
	o.cgroups = cg;
	fx_open(fx, &o);
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		r = rec(ET_INO_ALLOC, T0 + i);
		set_sb(&r, PIPEFS_DEV, "pipefs");
		r.ino = 100 + i;
		r.cgroup_id = ids[i];
		feed(fx, &r);
	}
	{
		const char *const names[] = { "/agg", "docker:0123456789ab", "cgroup:30", "?" };
		const uint64_t totals[] = { 4, 3, 2, 1 };

		group_check(fx, BY_CGROUP, 4, names, totals);
	}
	/* a dentry allocated in /agg and killed by a task elsewhere: /agg's */
	r = rec(ET_DENTRY_ALLOC, T0 + MS(1));
	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = 0xd1;
	r.cgroup_id = 10;
	feed(fx, &r);
	r = rec(ET_DENTRY_KILL, T0 + MS(2));
	set_sb(&r, TRACEFS_DEV, "tracefs");
	r.obj_id = 0xd1;
	r.cgroup_id = 20;
	feed(fx, &r);
	assert_int_equal(fx->n_kind[S_DENTRY_LIFE], 1);
	assert_string_equal(nth_sample(fx, S_DENTRY_LIFE, 0)->group[BY_CGROUP], "/agg");
	/* the kernel's groups by cgroup */
	a = agg_ino(PIPEFS_DEV, "pipefs", "", 5, 5 * 200, 200, 204, T0 + MS(3));
	a.cgroup = 20;
	assert_int_equal(model_feed_agg(fx->m, &a), 0);
	{
		const char *const names[] = { "docker:0123456789ab", "/agg", "cgroup:30", "?" };
		const uint64_t totals[] = { 8, 4, 2, 1 };

		group_check(fx, BY_CGROUP, 4, names, totals);
	}
	model_free(fx->m);
	fx->m = NULL;
	cgroups_free(cg);
}

/*
 * What the kernel aggregated gives the model the groups, totals and
 * highest number the same events would have given, and its samples.
 */
static void test_agg_equals_events(void **state)
{
	struct fx *fx = *state, ev = { 0 };
	struct mount_table mt;
	char *path = tmpfile_with(mountinfo);
	struct model_stats a, e;
	struct agg_rec r;
	const uint64_t n[ET_TYPE_MAX] = { [ET_INO_ALLOC] = 6 };

	assert_int_equal(mount_table_load(&mt, path), 0);
	tmpfile_remove(path);
	fx_open(&ev, NULL);
	model_set_mounts(fx->m, &mt);
	model_set_mounts(ev.m, &mt);
	/* 4 on /dev/shm (two buckets), 2 on pipefs */
	ev_ino_alloc(&ev, T0 + 1, 0, 1000, SHM_DEV, "tmpfs", "?", "sh");
	ev_ino_alloc(&ev, T0 + 2, 0, 1020, SHM_DEV, "tmpfs", "?", "sh");
	ev_ino_alloc(&ev, T0 + 3, 0, 1030, SHM_DEV, "tmpfs", "?", "sh");
	ev_ino_alloc(&ev, T0 + 4, 0, 5000, SHM_DEV, "tmpfs", "?", "sh");
	ev_ino_alloc(&ev, T0 + 5, 0, 7, PIPEFS_DEV, "pipefs", "?", "sh");
	ev_ino_alloc(&ev, T0 + 6, 0, 6, PIPEFS_DEV, "pipefs", "?", "sh");
	r = agg_ino(SHM_DEV, "tmpfs", "sh", 3, 3050, 1000, 1030, T0 + 6);
	assert_int_equal(model_feed_agg(fx->m, &r), 0);
	r = agg_ino(SHM_DEV, "tmpfs", "sh", 1, 5000, 5000, 5000, T0 + 6);
	assert_int_equal(model_feed_agg(fx->m, &r), 0);
	r = agg_ino(PIPEFS_DEV, "pipefs", "sh", 2, 13, 6, 7, T0 + 6);
	assert_int_equal(model_feed_agg(fx->m, &r), 0);
	model_count_agg(fx->m, n, 0, 0, T0 + 1, T0 + 6);
	model_get_stats(fx->m, &a);
	model_get_stats(ev.m, &e);
	assert_int_equal(a.events, e.events);
	assert_int_equal(a.ino_allocs, e.ino_allocs);
	assert_int_equal(a.ino_max, e.ino_max);
	assert_int_equal(a.ino_max, 5000);
	assert_int_equal(fx->n_kind[S_INO], ev.n_kind[S_INO]);
	for (int by = BY_MOUNT; by <= BY_FS; by++) {
		const struct ino_group *ga[8], *ge[8];
		size_t na = model_ino_groups(fx->m, by, ga, 8);

		assert_int_equal(na, model_ino_groups(ev.m, by, ge, 8));
		for (size_t i = 0; i < na; i++) {
			assert_string_equal(ga[i]->name, ge[i]->name);
			assert_int_equal(ga[i]->total, ge[i]->total);
		}
	}
	model_free(ev.m);
	mount_table_free(&mt);
}

/*
 * No inode frees reach the model (hist aggregating): an inode learned from
 * a lookup would stay live for ever and twin every later one, so none is.
 */
/* Two eventfs files looked up, their inodes sharing one number. */
static void two_file_lookups(struct fx *fx)
{
	events_and_sched(fx, T0);
	ev_dentry_alloc(fx, T0 + 12, D1, "enable");
	ev_ei_get(fx, T0 + 13, EI_SCHED, D1, 2, "sched", 0, I1, SHARED_INO);
	ev_dentry_alloc(fx, T0 + 22, D2, "format");
	ev_ei_get(fx, T0 + 23, EI_SCHED, D2, 3, "sched", 0, I2, SHARED_INO);
}

static void test_no_inode_frees(void **state)
{
	struct fx *fx = *state;
	struct model_opts o = { .no_inode_frees = true };

	fx_open(fx, &o);
	two_file_lookups(fx);
	assert_int_equal(n_anomalies(fx, A_DUP_INO), 0);
	assert_int_equal(stats(fx).live_inodes, 0);
	assert_int_equal(ei(fx, EI_SCHED).refcount, 3);
	/* the same events with frees seen: the twin is found (test_ei_get_file_inodes) */
	fx_open(fx, NULL);
	two_file_lookups(fx);
	assert_int_equal(n_anomalies(fx, A_DUP_INO), 1);
}

/*
 * A kernel without eventfs_inode.kref: every ei event says its refcount
 * is unknown (value 0).  The model counts alone, without gaps or
 * negative-refcount anomalies, and the removed-while-referenced story
 * still comes out.
 */
static void test_ei_refcount_unknown(void **state)
{
	struct fx *fx = *state;
	const uint32_t u = ET_F_NOREFCOUNT;
	size_t want[A_MAX] = { 0 };
	struct ei_view v;

	ev_ei(fx, ET_EI_CREATE, T0, EI_SCHED, 0, 0, u, "sched");
	ev_ei(fx, ET_EI_GET, T0 + 1, EI_SCHED, D1, 0, u, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + 2, EI_SCHED, 0, 0, u, "sched");
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);
	assert_int_equal(ei(fx, EI_SCHED).refcount, 1);
	ev_ei(fx, ET_EI_PUT, T0 + 3, EI_SCHED, D1, 0, u, "sched");
	ev_ei(fx, ET_EI_RELEASE, T0 + 4, EI_SCHED, 0, 0, u, "sched");
	assert_only_anomalies(fx, want);
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.state, EI_RELEASED);
	assert_int_equal(v.refcount, 0);
	for (uint32_t i = 0; i < v.n_history; i++)
		assert_false(v.history[i].gap);
}

/* Refcounts past an int's range come from a crafted file: no overflow, the model counts alone */
static void test_ei_refcount_crafted(void **state)
{
	struct fx *fx = *state;

	ev_ei(fx, ET_EI_CREATE, T0, EI_SCHED, 0, INT64_MIN, 0, "sched");
	ev_ei(fx, ET_EI_GET, T0 + 1, EI_SCHED, D1, INT64_MAX, 0, "sched");
	ev_ei(fx, ET_EI_PUT, T0 + 2, EI_SCHED, D1, INT64_MIN, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + 3, EI_SCHED, 0, INT64_MIN, 0, "sched");
	assert_int_equal(ei(fx, EI_SCHED).refcount, 0);
	assert_int_equal(n_anomalies(fx, A_EI_NEGATIVE), 0);
}

/*
 * A mountinfo line longer than the reader's buffer is skipped whole: its
 * tail, which may look like a mount of its own, is not one.
 */
static void test_mountinfo_long_line(void **state)
{
	/* the buffer is 4096 bytes: the line's 4096th byte starts what looks like a mount */
	static const char head[] = "40 1 0:98 / /", tail[] = "2 1 0:99 / /evil rw - tmpfs tmpfs rw\n";
	size_t pad = 4095 - strlen(head), len = strlen(mountinfo) + 4096 + sizeof(tail);
	char *text = malloc(len), *path;
	struct mount_table mt;
	size_t n;

	assert_non_null(text);
	n = snprintf(text, len, "%s%s", mountinfo, head);
	memset(text + n, 'a', pad);
	snprintf(text + n + pad, len - n - pad, "%s", tail);
	path = tmpfile_with(text);
	assert_int_equal(mount_table_load(&mt, path), 0);
	tmpfile_remove(path);
	assert_int_equal(mt.n, 3);	/* the three good lines before it */
	assert_null(mount_table_find(&mt, ET_MKDEV(0u, 99u)));
	assert_null(mount_table_find(&mt, ET_MKDEV(0u, 98u)));
	mount_table_free(&mt);
	free(text);
}

static void test_ino_rate_wrap_groups(void **state)
{
	struct fx *fx = *state;
	const struct ino_group *g[8];
	struct mount_table mt;
	char *path = tmpfile_with(mountinfo);
	struct model_stats st;
	double want_rate, want_eta;
	uint64_t high = H0 + 9999;

	assert_int_equal(mount_table_load(&mt, path), 0);
	tmpfile_remove(path);
	assert_int_equal(mt.n, 3);
	model_set_mounts(fx->m, &mt);
	assert_true(model_wrap_eta(fx->m) < 0);		/* nothing allocated yet */

	/*
	 * 1000 numbers a second for 10 s, 1 ms apart, from T0: in each tenth
	 * 6 from pipes (pipefs, in no mount table), 3 on /dev/shm, 1 on
	 * tracefs.  Numbers ascend from H0; the last one is the highest.
	 */
	for (uint64_t k = 0; k < 10000; k++) {
		uint64_t ts = T0 + k * MS(1);

		if (k % 10 < 6)
			ev_ino_alloc(fx, ts, 0, H0 + k, PIPEFS_DEV, "pipefs",
				     "create_pipe_files", "sh");
		else if (k % 10 < 9)
			ev_ino_alloc(fx, ts, 0, H0 + k, SHM_DEV, "tmpfs",
				     "shmem_get_inode", "make");
		else
			ev_ino_alloc(fx, ts, 0, H0 + k, TRACEFS_DEV, "tracefs",
				     "tracefs_get_inode", "make");
	}
	st = stats(fx);
	assert_int_equal(st.ino_allocs, 10000);
	assert_int_equal(st.ino_max, high);
	assert_int_equal(fx->n_kind[S_INO], 10000);
	/* intervals [T0 + i s, T0 + (i+1) s): the event at T0 + 9 s closed the 9th */
	assert_true(fabs(st.ino_rate - ewma(1000, 9)) < 1e-9);

	/* close the 10th */
	model_advance(fx->m, T0 + MS(10000));
	want_rate = ewma(1000, 10);			/* 971.75... */
	want_eta = (4294967296.0 - high) / want_rate;
	st = stats(fx);
	assert_true(fabs(st.ino_rate - want_rate) < 1e-9);
	assert_true(fabs(model_wrap_eta(fx->m) - want_eta) < 1e-6);
	/* and about 4.14 million seconds: 48 days */
	assert_true(want_eta > 4.13e6 && want_eta < 4.15e6);

	{
		const char *const names[] = { "pipefs", "/dev/shm", "/sys/kernel/tracing" };
		const uint64_t totals[] = { 6000, 3000, 1000 };

		group_check(fx, BY_MOUNT, 3, names, totals);
	}
	{
		const char *const names[] = { "pipefs", "tmpfs", "tracefs" };
		const uint64_t totals[] = { 6000, 3000, 1000 };

		group_check(fx, BY_FS, 3, names, totals);
	}
	{
		const char *const names[] = { "create_pipe_files", "shmem_get_inode",
					      "tracefs_get_inode" };
		const uint64_t totals[] = { 6000, 3000, 1000 };

		group_check(fx, BY_CALLER, 3, names, totals);
	}
	{
		const char *const names[] = { "sh", "make" };
		const uint64_t totals[] = { 6000, 4000 };

		group_check(fx, BY_COMM, 2, names, totals);
	}

	/* per group: rate and the last intervals' counts */
	assert_int_equal(model_ino_groups(fx->m, BY_MOUNT, g, 8), 3);
	assert_true(fabs(g[0]->rate - ewma(600, 10)) < 1e-9);
	assert_true(fabs(g[1]->rate - ewma(300, 10)) < 1e-9);
	assert_true(fabs(g[2]->rate - ewma(100, 10)) < 1e-9);
	for (int i = 0; i < MODEL_RATE_HISTORY; i++)
		assert_int_equal(g[0]->history[i], i < MODEL_RATE_HISTORY - 10 ? 0 : 600);
	assert_int_equal(g[0]->interval, 0);

	/* the biggest max only */
	assert_int_equal(model_ino_groups(fx->m, BY_MOUNT, g, 2), 2);
	assert_string_equal(g[0]->name, "pipefs");
	assert_string_equal(g[1]->name, "/dev/shm");

	/* pipefs, in no table, asked for a reload; known devices never did */
	assert_true(fx->n_devs > 0);
	for (size_t i = 0; i < fx->n_devs; i++)
		assert_int_equal(fx->devs[i], PIPEFS_DEV);

	/* a long silence: the rate decays to zero, the ETA becomes unknown */
	model_advance(fx->m, T0 + MS(10000) + MS(1000) * 1000);
	assert_true(stats(fx).ino_rate < 1e-9);
	assert_true(model_wrap_eta(fx->m) < 0);

	model_free(fx->m);
	fx->m = NULL;
	mount_table_free(&mt);
}

/* A device mounted after the table was read: the callback's reload names it. */
static void test_unknown_dev_reload(void **state)
{
	struct fx *fx = *state;
	struct mount_table old, fresh;
	char *p1 = tmpfile_with(mountinfo);
	char *p2 = tmpfile_with("40 1 0:40 / /mnt/new rw - ramfs none rw\n"
				"41 1 0:41 / /mnt/other rw - ramfs none rw\n");
	const struct ino_group *g[8];

	assert_int_equal(mount_table_load(&old, p1), 0);
	assert_int_equal(mount_table_load(&fresh, p2), 0);
	tmpfile_remove(p1);
	tmpfile_remove(p2);
	model_set_mounts(fx->m, &old);
	ev_ino_alloc(fx, T0, 0, 1, ET_MKDEV(0u, 40u), "ramfs", "ramfs_get_inode", "a");
	fx->reload = &fresh;
	/* within a second: the "not a mount" answer is cached, no new ask */
	ev_ino_alloc(fx, T0 + MS(999), 0, 5, ET_MKDEV(0u, 40u), "ramfs", "ramfs_get_inode", "a");
	assert_int_equal(fx->n_devs, 1);
	ev_ino_alloc(fx, T0 + MS(1000), 0, 2, ET_MKDEV(0u, 40u), "ramfs", "ramfs_get_inode", "a");
	ev_ino_alloc(fx, T0 + MS(1000) + 1, 0, 3, ET_MKDEV(0u, 40u), "ramfs", "ramfs_get_inode", "a");
	/* no fs name and no mount: the device names it */
	ev_ino_alloc(fx, T0 + MS(1000) + 2, 0, 4, ET_MKDEV(0u, 99u), "", "x", "a");
	fx->reload = NULL;
	assert_int_equal(fx->n_devs, 3);	/* 0:40 at first and a second later, then 0:99 */
	assert_int_equal(fx->devs[0], ET_MKDEV(0u, 40u));
	assert_int_equal(fx->devs[1], ET_MKDEV(0u, 40u));
	assert_int_equal(fx->devs[2], ET_MKDEV(0u, 99u));
	{
		const char *const names[] = { "/mnt/new", "ramfs", "dev 0:99" };
		const uint64_t totals[] = { 2, 2, 1 };

		group_check(fx, BY_MOUNT, 3, names, totals);
	}
	{
		const char *const names[] = { "ramfs", "?" };
		const uint64_t totals[] = { 4, 1 };

		group_check(fx, BY_FS, 2, names, totals);
	}
	assert_int_equal(model_ino_groups(fx->m, BY_COMM, g, 8), 1);
	model_free(fx->m);
	fx->m = NULL;
	mount_table_free(&old);
	mount_table_free(&fresh);
}

/* Past max_groups, new names share one "(other)" group. */
static void test_group_limit(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .max_groups = 2 };
	const struct ino_group *g[8];

	fx_open(fx, &o);
	ev_ino_alloc(fx, T0, 0, 1, PIPEFS_DEV, "pipefs", "a", "c1");
	ev_ino_alloc(fx, T0 + 1, 0, 2, PIPEFS_DEV, "pipefs", "a", "c2");
	ev_ino_alloc(fx, T0 + 2, 0, 3, PIPEFS_DEV, "pipefs", "a", "c3");
	ev_ino_alloc(fx, T0 + 3, 0, 4, PIPEFS_DEV, "pipefs", "a", "c4");
	ev_ino_alloc(fx, T0 + 4, 0, 5, PIPEFS_DEV, "pipefs", "a", "c1");
	assert_int_equal(model_ino_groups(fx->m, BY_COMM, g, 8), 3);
	assert_string_equal(g[0]->name, "(other)");
	assert_int_equal(g[0]->total, 2);
	assert_string_equal(g[1]->name, "c1");
	assert_int_equal(g[1]->total, 2);
	assert_string_equal(g[2]->name, "c2");
	assert_int_equal(g[2]->total, 1);
}

/* ---- 10: bounded tables ---- */

static void test_bounded_tables(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .max_dentries = 4, .max_inodes = 4, .max_eis = 4 };
	struct model_stats st;
	struct ei_view v;

	fx_open(fx, &o);
	for (uint64_t i = 1; i <= 6; i++)
		ev_dentry_alloc(fx, T0 + MS(i), 0xd00 + i, "x");
	st = stats(fx);
	assert_int_equal(st.evicted_from_model, 2);
	assert_int_equal(st.live_dentries, 4);
	/* the oldest went: its kill has no start, a kept one's has */
	ev_dentry_kill(fx, T0 + MS(10), 0xd01, 0, 0, 0, "x");
	ev_dentry_kill(fx, T0 + MS(10), 0xd03, 0, 0, 0, "x");
	st = stats(fx);
	assert_int_equal(st.unknown_start, 1);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 1);
	assert_int_equal(nth_sample(fx, S_DENTRY_LIFE, 0)->value, 7000);
	assert_int_equal(st.live_dentries, 3);

	for (uint64_t i = 1; i <= 6; i++)
		ev_inode_alloc(fx, T0 + MS(20 + i), 0x100 + i, TRACEFS_DEV, "tracefs");
	st = stats(fx);
	assert_int_equal(st.evicted_from_model, 4);
	assert_int_equal(st.live_inodes, 4);
	ev_inode_evict(fx, T0 + MS(30), 0x102, TRACEFS_DEV, "tracefs", 0);
	ev_inode_evict(fx, T0 + MS(30), 0x106, TRACEFS_DEV, "tracefs", 0);
	assert_int_equal(stats(fx).unknown_start, 2);
	assert_int_equal(n_samples(fx, S_INODE_LIFE), 1);

	/* eis: e3 released, e1 e2 e4 live; e5 pushes out e3, e6 then the oldest, e1 */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(40), 0xe01, 0, 1, 0, "e1");
	ev_ei(fx, ET_EI_CREATE, T0 + MS(41), 0xe02, 0, 1, 0, "e2");
	ev_ei(fx, ET_EI_CREATE, T0 + MS(42), 0xe03, 0, 1, 0, "e3");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(43), 0xe03, 0, 1, 0, "e3");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(43), 0xe03, 0, 0, ET_F_FREED, "e3");
	ev_ei(fx, ET_EI_CREATE, T0 + MS(44), 0xe04, 0, 1, 0, "e4");
	assert_int_equal(stats(fx).eis, 4);
	assert_int_equal(stats(fx).evicted_from_model, 4);
	ev_ei(fx, ET_EI_CREATE, T0 + MS(45), 0xe05, 0, 1, 0, "e5");
	st = stats(fx);
	assert_int_equal(st.eis, 4);
	assert_int_equal(st.evicted_from_model, 5);
	assert_false(model_ei_find(fx->m, 0xe03, &v));	/* released, though not oldest */
	assert_true(model_ei_find(fx->m, 0xe01, &v));
	ev_ei(fx, ET_EI_CREATE, T0 + MS(46), 0xe06, 0, 1, 0, "e6");
	st = stats(fx);
	assert_int_equal(st.eis, 4);
	assert_int_equal(st.evicted_from_model, 6);
	assert_false(model_ei_find(fx->m, 0xe01, &v));	/* then the oldest live one */
	{
		const uint64_t want[] = { 0xe02, 0xe04, 0xe05, 0xe06 };
		struct ei_iter it = { 0 };
		size_t n = 0;

		while (model_ei_next(fx->m, &it, &v)) {
			assert_true(n < ARRAY_SIZE(want));
			assert_int_equal(v.id, want[n]);
			n++;
		}
		assert_int_equal(n, ARRAY_SIZE(want));
		assert_false(model_ei_next(fx->m, &it, &v));
	}
	assert_no_anomalies(fx);
}

/* Dentries on one (dir, name) evicted from a full table leave no stale index. */
static void test_bounded_dentry_index(void **state)
{
	struct fx *fx = *state;
	const struct model_opts o = { .max_dentries = 2 };
	size_t want[A_MAX] = { 0 };

	fx_open(fx, &o);
	ev_lookup(fx, T0, TRACEFS_DEV, "tracefs", DIR_D, D1, 0, 0, "a");
	ev_lookup(fx, T0 + 1, TRACEFS_DEV, "tracefs", DIR_D, D2, 0, 0, "b");
	ev_lookup(fx, T0 + 2, TRACEFS_DEV, "tracefs", DIR_D, D3, 0, 0, "c");	/* D1 out */
	ev_lookup(fx, T0 + 3, TRACEFS_DEV, "tracefs", DIR_D, D4, 0, 0, "a");	/* not known */
	assert_no_anomalies(fx);
	ev_lookup(fx, T0 + 4, TRACEFS_DEV, "tracefs", DIR_D, 0xd5, 0, 0, "a");	/* D4 alive */
	want[A_SECOND_DENTRY] = 1;
	assert_only_anomalies(fx, want);
	assert_int_equal(stats(fx).live_dentries, 2);
}

/* ---- 11: the end-of-run summary ---- */

/* The shared JSON checker, as strict as what the summary writes: negative and
 * fractional numbers, no true/false/null. */
static const char *j_value(const char *p)
{
	return json_value_end(p, JSON_NEGATIVE | JSON_FRACTION);
}

static void test_json_checker(void **state)
{
	assert_non_null(j_value("{\"a\":[1,{\"b\":\"\\u00ff\"}],\"c\":-1.5}"));
	assert_null(j_value("{\"a\":[1,]}"));
	assert_null(j_value("{\"a\" 1}"));
	assert_null(j_value("{\"a\":1."));
	assert_null(j_value("[\"\n\"]"));
	assert_null(j_value("{\"a\":1"));
	assert_null(j_value("{\"a\":nan}"));
}

/* A small run with something of everything. */
static void summary_scenario(struct fx *fx)
{
	events_and_sched(fx, T0);
	for (uint64_t k = 0; k < 30; k++)
		ev_ino_alloc(fx, T0 + MS(100) * k, 0, 500 + k, PIPEFS_DEV, "pipefs",
			     "create_pipe_files", k < 20 ? "sh" : "cat");
	ev_ei(fx, ET_EI_GET, T0 + MS(3000), EI_SCHED, D1, 2, 0, "sched");
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(3100), EI_SCHED, 0, 2, 0, "sched");
	ev_lost(fx, T0 + MS(3200), 3);
	ev_lookup(fx, T0 + MS(3300), TRACEFS_DEV, "tracefs", DIR_D, D2, 0, 0, "a \"quoted\"\tname");
	ev_lookup(fx, T0 + MS(3400), TRACEFS_DEV, "tracefs", DIR_D, D3, 0, 0, "a \"quoted\"\tname");
}

static void test_summary_text(void **state)
{
	struct fx *fx = *state;
	struct mem mem;
	char *s;

	summary_scenario(fx);
	model_print_summary(mem_open(&mem), fx->m, BY_COMM);
	s = mem_done(&mem);
	/* 2 creates + 30 allocs + get + remove + 2 lookups, over 3.4 s */
	assert_non_null(strstr(s, "summary: 36 events over 3.400s, 3 lost (ring 3)\n"));
	assert_non_null(strstr(s, "inode numbers: 30 allocated"));
	assert_non_null(strstr(s, "highest 529"));
	assert_non_null(strstr(s, "wraps in"));
	/* groups by comm, biggest first */
	assert_non_null(strstr(s, "sh "));
	assert_non_null(strstr(s, "cat "));
	assert_true(strstr(s, "  sh ") < strstr(s, "  cat "));
	assert_non_null(strstr(s, "20 allocated"));
	assert_non_null(strstr(s, "10 allocated"));
	assert_non_null(strstr(s, "eventfs_inodes: 2 tracked: 1 live, 1 removed"));
	assert_non_null(strstr(s, "(1 dentries holding them)"));
	/* removed at 3.1 s, the run's last event at 3.4 s */
	assert_non_null(strstr(s, "eventfs_inodes removed while still referenced:\n"
				  "  instances/#1/events/sched (ei e1e1e1e1e1e1e1e1): removed at 1003.100000, still "
				  "referenced (refcount 1) 0.300000s later by 1 dentries\n"));
	assert_non_null(strstr(s, "anomalies: ei_removed_referenced 1, second_dentry 1\n"));
	assert_non_null(strstr(s, " ei_removed_referenced: ei instances/#1/events/sched removed while still"));
	/* a file name's tab is escaped on the way out */
	assert_non_null(strstr(s, " second_dentry: tracefs: 'a \"quoted\"\\x09name' looked up"));
	assert_non_null(strstr(s, "1003.100000 ei_removed_referenced"));
	free(s);

	/* its holder lets go at 3.5 s, release_ei follows */
	ev_ei(fx, ET_EI_PUT, T0 + MS(3500), EI_SCHED, D1, 1, ET_F_FREED, "sched");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(3500), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	model_print_summary(mem_open(&mem), fx->m, BY_COMM);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "eventfs_inodes: 2 tracked: 1 live, 0 removed"));
	assert_non_null(strstr(s, "(0 dentries holding them), 1 released\n"));
	assert_non_null(strstr(s, "  instances/#1/events/sched (ei e1e1e1e1e1e1e1e1): removed at 1003.100000, "
				  "released 0.400000s later, once its holders let go\n"));
	free(s);
	model_print_summary_json(mem_open(&mem), fx->m, BY_COMM);
	s = mem_done(&mem);
	assert_non_null(j_value(s));
	assert_non_null(strstr(s, "\"state\":\"released\",\"refcount\":0,"
				  "\"removed_ns\":1003100000000,\"released_ns\":1003500000000,"
				  "\"held_ns\":400000000,\"holders\":[]}"));
	free(s);

	/* an empty model says so */
	fx_open(fx, NULL);
	model_print_summary(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "summary: 0 events over 0.000s, 0 lost\n"));
	assert_non_null(strstr(s, "inode numbers: 0 allocated"));
	assert_null(strstr(s, "wraps in"));
	assert_non_null(strstr(s, "anomalies: none\n"));
	assert_null(strstr(s, "removed while still referenced"));
	free(s);
}

/*
 * hist --of ino probes no lookup and no d_release (model_opts.no_ei_refs):
 * the kernel's readings at create, remove and release alone still tell
 * an ei removed while referenced, with no gap for the steps between and
 * no holders claimed.
 */
static void test_ei_no_refs(void **state)
{
	struct fx *fx = *state;
	struct model_opts o = { .no_ei_refs = true, .ei_history = 8,
				.release_timeout_ns = 2000000000ull, .interval_ns = 1000000000ull };
	size_t want[A_MAX] = { 0 };
	const struct anomaly *a;
	struct model_stats st;
	struct ei_view v;
	struct mem mem;
	char *s;

	fx_open(fx, &o);
	events_and_sched(fx, T0);
	/* two lookups took references the trace does not have: the kernel read 3 */
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(300), EI_SCHED, 0, 3, 0, "sched");
	want[A_EI_REMOVED_REFERENCED] = 1;
	assert_only_anomalies(fx, want);
	a = last_anomaly(fx, A_EI_REMOVED_REFERENCED);
	assert_non_null(strstr(a->text, "refcount 2, held by dentries (not traced: no ei_get or ei_put probed)"));
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.refcount, 2);
	assert_int_equal(v.n_holders, 0);
	assert_int_equal(v.n_history, 2);
	assert_false(v.history[1].gap);		/* the jump from 1 to 3 is no loss */
	st = stats(fx);
	assert_false(st.holders_traced);
	model_print_summary(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "1 removed but still referenced (the dentries holding them not traced)"));
	assert_non_null(strstr(s, ", not released 0.000000s later (refcount 2 at its removal)\n"));
	free(s);
	model_print_summary_json(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(json_value_end(s, JSON_ANY));
	assert_non_null(strstr(s, "\"dentries_on_removed_eis\":null,"));
	assert_non_null(strstr(s, "\"held_ns\":0,\"holders\":null}"));
	free(s);
	/* 2 s on, flagged: the refcount said as read at the removal, not as now */
	model_advance(fx->m, T0 + MS(3000));
	want[A_EI_NOT_RELEASED] = 1;
	assert_only_anomalies(fx, want);
	assert_non_null(strstr(last_anomaly(fx, A_EI_NOT_RELEASED)->text,
			       "refcount 2 at its removal, held by dentries (not traced"));

	/* the release, 3 s on: held that long, released without a holder to name */
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(3300), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	v = ei(fx, EI_SCHED);
	assert_int_equal(v.state, EI_RELEASED);
	assert_true(v.removed_referenced);
	assert_only_anomalies(fx, want);
	model_print_summary(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "released 3.000000s later, once its holders let go\n"));
	free(s);

	/* traced, the same jump is a gap, and the holders are "not seen" */
	fx_open(fx, NULL);
	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(300), EI_SCHED, 0, 3, 0, "sched");
	assert_true(stats(fx).holders_traced);
	assert_non_null(strstr(last_anomaly(fx, A_EI_REMOVED_REFERENCED)->text,
			       "held by dentries (not seen)"));
}

/*
 * model_want_samples(): only the kinds someone reads reach on_sample (the
 * live view reads dentry lifetimes alone), and the model's own state and
 * counts stay the same whatever is asked.
 */
static void test_want_samples(void **state)
{
	struct fx *fx = *state;
	struct model_stats st;

	model_want_samples(fx->m, 1u << S_DENTRY_LIFE);
	events_and_sched(fx, T0);
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(1), EI_SCHED, 0, 1, 0, "sched");
	ev_ei(fx, ET_EI_RELEASE, T0 + MS(2), EI_SCHED, 0, 0, ET_F_FREED, "sched");
	ev_ino_alloc(fx, T0 + MS(3), I1, 700, PIPEFS_DEV, "pipefs", "create_pipe_files", "sh");
	ev_dentry_alloc(fx, T0 + MS(4), D1, "a");
	ev_dentry_kill(fx, T0 + MS(6), D1, 0, 0, 0, "a");
	assert_int_equal(n_samples(fx, S_EI_REFS), 0);
	assert_int_equal(n_samples(fx, S_EI_LIFE), 0);
	assert_int_equal(n_samples(fx, S_INO), 0);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 1);
	assert_int_equal(nth_sample(fx, S_DENTRY_LIFE, 0)->value, 2000);
	st = stats(fx);
	assert_int_equal(st.ino_allocs, 1);		/* the groups count without a sample */
	assert_int_equal(ei(fx, EI_SCHED).state, EI_RELEASED);

	/* every kind again: the next ei's changes are sampled */
	model_want_samples(fx->m, ~0u);
	ev_ei(fx, ET_EI_CREATE, T0 + MS(7), EI_SWITCH, EI_EVENTS, 1, 0, "sched_switch");
	assert_int_equal(n_samples(fx, S_EI_REFS), 1);
}

/* The ei table with histories: states, holders, every change, gaps. */
static void test_print_eis(void **state)
{
	struct fx *fx = *state;
	struct mem mem;
	char *s, id[17];

	summary_scenario(fx);
	model_print_eis(mem_open(&mem), fx->m, true);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "EVENTFS_INODE"));
	/* sched: removed, one reference left, held by its dentry */
	assert_non_null(strstr(s, "removed     1"));
	assert_non_null(strstr(s, hex(0xd1d1d1d1d1d1d1d1ull, id)));
	assert_non_null(strstr(s, " remove  -> 1"));
	assert_non_null(strstr(s, " get     -> 2 dentry d1d1d1d1d1d1d1d1"));
	free(s);

	/* without history: one line per ei and the header */
	model_print_eis(mem_open(&mem), fx->m, false);
	s = mem_done(&mem);
	assert_null(strstr(s, " -> "));
	{
		int lines = 0;

		for (char *p = s; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 1 + 2);	/* header, two eis */
	}
	free(s);
}

static void test_summary_json(void **state)
{
	struct fx *fx = *state;
	struct mem mem;
	const char *end;
	char *s, id[17];

	summary_scenario(fx);
	model_print_summary_json(mem_open(&mem), fx->m, BY_COMM);
	s = mem_done(&mem);
	end = j_value(s);
	if (!end)
		fail_msg("not JSON: %s", s);
	assert_string_equal(end, "\n");
	assert_non_null(strstr(s, "{\"events\":36,\"lost\":3,"));
	assert_non_null(strstr(s, "\"first_ns\":1000000000000,\"last_ns\":1003400000000,"));
	assert_non_null(strstr(s, "\"ino_allocs\":30,\"ino_max\":529,"));
	assert_non_null(strstr(s, "\"by\":\"comm\",\"groups\":[{\"group\":\"sh\",\"ino_allocs\":20,"));
	assert_non_null(strstr(s, "{\"group\":\"cat\",\"ino_allocs\":10,"));
	assert_non_null(strstr(s, "\"eis\":2,\"eis_removed_referenced\":1,"
				  "\"dentries_on_removed_eis\":1,"));
	assert_non_null(strstr(s, "\"anomalies\":{\"dup_ino\":0,\"ei_removed_referenced\":1,"
				  "\"ei_lookup_after_remove\":0,\"ei_refcount_negative\":0,"
				  "\"ei_not_released\":0,\"dentry_outlives_ei\":0,"
				  "\"second_dentry\":1}"));
	assert_non_null(strstr(s, "\"recent_anomalies\":[{\"kind\":\"ei_removed_referenced\","
				  "\"ts_ns\":1003100000000,\"t\":1003.100000,\"id\":\""));
	assert_non_null(strstr(s, hex(EI_SCHED, id)));
	assert_non_null(strstr(s, "\"removed_referenced\":[{\"ei\":\"e1e1e1e1e1e1e1e1\","
				  "\"path\":\"instances/#1/events/sched\",\"state\":\"removed\",\"refcount\":1,"
				  "\"removed_ns\":1003100000000,\"released_ns\":0,"
				  "\"held_ns\":300000000,\"holders\":[\"d1d1d1d1d1d1d1d1\"]}],"));
	/* the name's quote and tab escaped inside the text */
	assert_non_null(strstr(s, "'a \\\"quoted\\\"\\u0009name'"));
	free(s);

	/* empty: still JSON, the ETA unknown */
	fx_open(fx, NULL);
	model_print_summary_json(mem_open(&mem), fx->m, BY_FS);
	s = mem_done(&mem);
	end = j_value(s);
	assert_non_null(end);
	assert_string_equal(end, "\n");
	assert_non_null(strstr(s, "\"wrap_eta_s\":-1,"));
	assert_non_null(strstr(s, "\"groups\":[]"));
	assert_non_null(strstr(s, "\"removed_referenced\":[],\"recent_anomalies\":[]}"));
	free(s);
}

/* ---- names and the anomaly ring ---- */

static void test_names(void **state)
{
	assert_string_equal(group_by_name(BY_MOUNT), "mount");
	assert_string_equal(group_by_name(BY_COMM), "comm");
	assert_string_equal(group_by_name(BY_MAX), "?");
	assert_int_equal(group_by_from_name("caller"), BY_CALLER);
	assert_int_equal(group_by_from_name("fs"), BY_FS);
	assert_int_equal(group_by_from_name("nope"), -1);
	for (int k = 0; k < A_MAX; k++) {
		assert_non_null(anomaly_name(k));
		assert_string_not_equal(anomaly_name(k), "?");
	}
	assert_string_equal(anomaly_name(A_MAX), "?");
	assert_string_equal(ei_state_name(EI_LIVE), "live");
	assert_string_equal(ei_state_name(EI_REMOVED), "removed");
	assert_string_equal(ei_state_name(EI_RELEASED), "released");
}

/* model_anomalies: the newest, oldest first, beyond the ring's 256. */
static void test_anomaly_ring(void **state)
{
	struct fx *fx = *state;
	const struct anomaly *a[400];
	size_t n;

	/* 300 NOREF lookups on never-seen eis, each an anomaly at ts T0 + i */
	for (uint64_t i = 0; i < 300; i++) {
		struct et_rec r = rec(ET_EI_GET, T0 + i);

		r.obj_id = 0x10000 + i;
		r.aux_id = D1;
		r.value = 1;
		r.flags = ET_F_NOREF | ET_F_FREED;
		strcpy(r.name, "x");
		feed(fx, &r);
		assert_int_equal(fx->n_a, 1);
		fx->n_a = 0;	/* our copy only needs the latest */
	}
	assert_int_equal(stats(fx).anomalies[A_EI_LOOKUP_AFTER_REMOVE], 300);
	n = model_anomalies(fx->m, a, 400);
	assert_int_equal(n, 256);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(a[i]->ts_ns, T0 + 44 + i);
	n = model_anomalies(fx->m, a, 3);
	assert_int_equal(n, 3);
	assert_int_equal(a[0]->ts_ns, T0 + 297);
	assert_int_equal(a[2]->ts_ns, T0 + 299);
}

/* ---- --ei and --path: the model follows everything, hands on the selection ---- */

/*
 * Two eis removed while referenced (sched and sched_switch), a dentry named
 * "enable" born and killed, an inode number: what each selection passes.
 */
static void select_scenario(struct fx *fx, bool *sel, size_t nsel)
{
	size_t k = 0;

#define FED()	do { if (k < nsel) sel[k++] = model_selected(fx->m); } while (0)
	events_and_sched(fx, T0);
	FED();	/* sched: the second create; events's is not recorded */
	ev_ei(fx, ET_EI_CREATE, T0 + MS(1), EI_SWITCH, EI_SCHED, 1, 0, "sched_switch");
	FED();
	ev_ei(fx, ET_EI_GET, T0 + MS(2), EI_SWITCH, D1, 2, 0, "sched_switch");
	FED();
	ev_ei(fx, ET_EI_GET, T0 + MS(3), EI_SCHED, D2, 2, 0, "sched");
	FED();
	ev_dentry_alloc(fx, T0 + MS(4), D3, "enable");
	FED();
	ev_ino_alloc(fx, T0 + MS(5), I1, 600, PIPEFS_DEV, "pipefs", "create_pipe_files", "sh");
	FED();
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(6), EI_SWITCH, 0, 2, 0, "sched_switch");
	FED();
	ev_ei(fx, ET_EI_REMOVE, T0 + MS(7), EI_SCHED, 0, 2, 0, "sched");
	FED();
	ev_dentry_kill(fx, T0 + MS(1007), D3, DIR_D, 0, 0, "enable");
	FED();
	ev_lost(fx, T0 + MS(1008), 2);
	FED();
#undef FED
}

static void test_select_ei(void **state)
{
	struct fx *fx = *state;
	struct model_opts o = { 0 };
	const struct anomaly *a[8];
	const bool want[] = { false, true, true, false, false, false, true, false, false, true };
	bool got[ARRAY_SIZE(want)];
	struct ei_view v;

	/* as events print it: ei=..., and any case */
	assert_int_equal(select_add_ei(&o.select, "ei=E2E2E2E2E2E2E2E2"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (got[i] != want[i])
			fail_msg("event %zu: selected %d, want %d", i, got[i], want[i]);
	/* the model saw all of it: both removals counted, both eis tracked */
	assert_int_equal(stats(fx).events, 10);
	assert_int_equal(stats(fx).anomalies[A_EI_REMOVED_REFERENCED], 2);
	assert_int_equal(stats(fx).eis_removed_referenced, 2);
	assert_int_equal(stats(fx).ino_allocs, 1);
	/* ... and hands on sched_switch's alone: create, get, remove */
	assert_int_equal(stats(fx).selected_events, 3);
	assert_int_equal(stats(fx).selected_anomalies, 1);
	assert_int_equal(n_samples(fx, S_EI_REFS), 3);
	assert_int_equal(fx->n_kind[S_INO], 0);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 0);
	assert_int_equal(fx->n_a, 1);
	assert_int_equal(fx->a[0].obj, EI_SWITCH);
	assert_int_equal(model_anomalies(fx->m, a, ARRAY_SIZE(a)), 1);
	assert_int_equal(a[0]->obj, EI_SWITCH);
	v = ei(fx, EI_SWITCH);
	assert_true(model_ei_selected(fx->m, &v));
	v = ei(fx, EI_SCHED);
	assert_false(model_ei_selected(fx->m, &v));
	assert_non_null(model_selection(fx->m));

	/* its path as printed selects it as well; 0x and bare hex are ids too */
	memset(&o, 0, sizeof(o));
	assert_int_equal(select_add_ei(&o.select, "instances/#1/events/sched"), 0);
	assert_int_equal(select_add_ei(&o.select, "0xe0e0e0e0e0e0e0e0"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	assert_int_equal(stats(fx).selected_events, 4);	/* sched: create, get, remove; events */
	assert_int_equal(fx->n_a, 1);
	assert_int_equal(fx->a[0].obj, EI_SCHED);

	/* without a selection: everything, and nothing said of one */
	fx_open(fx, NULL);
	select_scenario(fx, got, ARRAY_SIZE(got));
	for (size_t i = 0; i < ARRAY_SIZE(got); i++)
		assert_true(got[i]);
	assert_int_equal(stats(fx).selected_events, 0);
	assert_int_equal(fx->n_a, 2);
	assert_null(model_selection(fx->m));
}

static void test_select_path(void **state)
{
	struct fx *fx = *state;
	struct model_opts o = { 0 };
	const bool want_name[] = { false, false, false, false, true, false, false, false, true, true };
	bool got[ARRAY_SIZE(want_name)];

	/* a dentry's name: its lifetime is the histogram's, no ei's */
	assert_int_equal(select_add_path(&o.select, "en*"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	for (size_t i = 0; i < ARRAY_SIZE(want_name); i++)
		if (got[i] != want_name[i])
			fail_msg("event %zu: selected %d, want %d", i, got[i], want_name[i]);
	assert_int_equal(n_samples(fx, S_DENTRY_LIFE), 1);
	assert_int_equal(nth_sample(fx, S_DENTRY_LIFE, 0)->value, 1003000);
	assert_int_equal(n_samples(fx, S_EI_REFS), 0);
	assert_int_equal(fx->n_a, 0);

	/* * matches / too: every ei under instances/#1, not the dentry */
	memset(&o, 0, sizeof(o));
	assert_int_equal(select_add_path(&o.select, "instances/*/sched*"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	assert_int_equal(stats(fx).selected_events, 6);	/* both creates, gets, removes */
	assert_int_equal(fx->n_a, 2);
	assert_false(got[4]);

	/* --ei and --path together: both must pass; ? matches one character */
	assert_int_equal(select_add_ei(&o.select, "e2e2e2e2e2e2e2e2"), 0);
	memset(&o.select.globs, 0, sizeof(o.select.globs));
	o.select.n_globs = 0;
	assert_int_equal(select_add_path(&o.select, "instances/#?/events/sched"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	assert_int_equal(stats(fx).selected_events, 0);
	assert_int_equal(fx->n_a, 0);
}

static void test_select_parse(void **state)
{
	struct ei_select s = { 0 };
	char text[256];

	assert_int_equal(select_add_ei(&s, "71502efbf9b6c836"), 0);
	assert_int_equal(s.ids[0], 0x71502efbf9b6c836ull);
	assert_int_equal(select_add_ei(&s, "1"), 0);
	assert_int_equal(select_add_ei(&s, "events"), 0);
	/* none of these is an id or a path the outputs print */
	assert_int_equal(select_add_ei(&s, "0"), -EINVAL);
	assert_int_equal(select_add_ei(&s, "171502efbf9b6c836"), -EINVAL);
	assert_int_equal(select_add_ei(&s, "sched_switch"), -EINVAL);
	assert_int_equal(select_add_ei(&s, "/sys/kernel/tracing/events"), -EINVAL);
	assert_int_equal(select_add_ei(&s, ""), -EINVAL);
	assert_int_equal(select_add_ei(&s, "ei="), -EINVAL);
	assert_int_equal(select_add_path(&s, ""), -EINVAL);
	assert_int_equal(select_add_path(&s, "/sys/kernel/tracing/events/*"), -EINVAL);
	assert_int_equal(select_add_path(&s, "events/sched/*"), 0);
	assert_int_equal(s.n_ids, 2);
	assert_int_equal(s.n_ei_paths, 1);
	assert_int_equal(s.n_globs, 1);
	/* as the header and the summary say it: shell-quoted where it must be */
	select_text(&s, text, sizeof(text));
	assert_string_equal(text, "--ei 71502efbf9b6c836 --ei 0000000000000001 --ei events "
				  "--path 'events/sched/*'");
	for (int i = 1; i < SELECT_MAX; i++)
		assert_int_equal(select_add_path(&s, "x"), 0);
	assert_int_equal(select_add_path(&s, "x"), -E2BIG);
	assert_true(select_ei(&s, 1, NULL) == false);	/* no path: no glob can pass it */
	assert_false(select_name(&s, "x"));		/* --ei: no dentry is an ei's event */
}

/* The summary with a selection: the counts the stream's, the lists the selection's. */
static void test_select_summary(void **state)
{
	struct fx *fx = *state;
	struct model_opts o = { 0 };
	struct mem mem;
	bool got[10];
	char *s;

	assert_int_equal(select_add_ei(&o.select, "e2e2e2e2e2e2e2e2"), 0);
	fx_open(fx, &o);
	select_scenario(fx, got, ARRAY_SIZE(got));
	model_print_summary(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "summary: 10 events over 1.007s, 2 lost (ring 2)\n"
				  "selected by --ei e2e2e2e2e2e2e2e2: 3 events, 1 eventfs_inodes, 1 anomalies"
				  " (the counts below are the whole stream's, the lists the selection's)\n"));
	assert_non_null(strstr(s, "anomalies: ei_removed_referenced 2\n"));
	assert_non_null(strstr(s, "  instances/#1/events/sched/sched_switch (ei e2e2e2e2e2e2e2e2): removed"));
	assert_null(strstr(s, "instances/#1/events/sched (ei"));
	assert_null(strstr(s, "ei instances/#1/events/sched removed"));
	assert_null(strstr(s, "more"));
	free(s);
	model_print_summary_json(mem_open(&mem), fx->m, BY_MOUNT);
	s = mem_done(&mem);
	assert_non_null(j_value(s));
	assert_non_null(strstr(s, "\"eis_removed_referenced\":2,"));
	assert_non_null(strstr(s, "\"removed_referenced_total\":1,\"recent_anomalies_total\":1,"));
	assert_non_null(strstr(s, ",\"selection\":{\"options\":\"--ei e2e2e2e2e2e2e2e2\",\"events\":3,"
				  "\"eis\":1,\"anomalies\":1}}\n"));
	free(s);
	model_print_eis(mem_open(&mem), fx->m, false);
	s = mem_done(&mem);
	assert_non_null(strstr(s, "\ninstances/#1/events/sched/sched_switch "));
	assert_null(strstr(s, "\ninstances/#1/events/sched "));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ei_refcount_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups_by_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_removed_referenced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_no_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_want_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_dentry_outlives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_holders_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_dentry_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_dentry_after_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_dentry_eventfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_parent_from_lookup, setup, teardown),
		cmocka_unit_test(test_ei_path_kept_until_changed),
		cmocka_unit_test_setup_teardown(test_ei_instance_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_instance_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_get_file_inodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agg_equals_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_inode_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_refcount_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_refcount_crafted, setup, teardown),
		cmocka_unit_test(test_mountinfo_long_line),
		cmocka_unit_test_setup_teardown(test_ei_lookup_after_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_not_released, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_history_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_history_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ei_no_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup_ino_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup_ino, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup_ino_stack_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inode_unknown_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ino_rate_wrap_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_dev_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_dentry_index, setup, teardown),
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test_setup_teardown(test_summary_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_eis, setup, teardown),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_anomaly_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_ei, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_path, setup, teardown),
		cmocka_unit_test(test_select_parse),
		cmocka_unit_test_setup_teardown(test_select_summary, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
