// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "file/tracefile.h"
#include "lib/cgroups.h"
#include "lib/common.h"
#include "pipeline/session.h"

#define MOUNTINFO "/proc/self/mountinfo"

/*
 * -m: bcc's biolatency divides before it buckets, so the buckets are log2
 * of msecs and min, max and mean are the msecs of each value, cut.  Only
 * single values come here (agg_plan() streams the lifetimes with -m: the
 * kernel's usec buckets do not map onto msec ones), so the sum of the cut
 * values is exact.
 */
static void hist_sample(const struct session *s, struct hist_set *hs, const struct sample *smp)
{
	const char *group = smp->group[s->by] ? smp->group[s->by] : "?";
	uint64_t div = s->msecs ? 1000 : 1;

	hist_add_n(hs, group, smp->value / div, smp->n, smp->sum / div, smp->max / div);
}

static void on_sample(void *ctx, const struct sample *smp)
{
	struct session *s = ctx;

	if (s->hist && smp->kind == s->of)
		hist_sample(s, s->hist, smp);
	if (s->iv_hist && smp->kind == s->of && (!s->iv_max || s->iv_done < s->iv_max))
		hist_sample(s, s->iv_hist, smp);
	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->sample)
			s->sinks[i]->sample(s->sinks[i]->ctx, smp);
}

/* --agg-check: the kernel's own histogram, beside the stream's */
static void on_check_sample(void *ctx, const struct sample *smp)
{
	struct session *s = ctx;

	if (smp->kind == s->of)
		hist_sample(s, s->check_hist, smp);
}

int session_feed_agg(void *ctx, const struct agg_rec *a)
{
	struct session *s = ctx;
	int err = model_feed_agg(s->check ? s->check : s->model, a);

	if (err && !s->err) {
		s->err = err;
		p_err("model: %s; its figures are incomplete from here", strerror(-err));
	}
	return 0;
}

void session_count_agg(void *ctx, const uint64_t *n, uint64_t unknown_inodes,
		       uint64_t unknown_dentries, uint64_t since, uint64_t now)
{
	struct session *s = ctx;

	if (!s->check)
		model_count_agg(s->model, n, unknown_inodes, unknown_dentries, since, now);
}

static void on_anomaly(void *ctx, const struct anomaly *a)
{
	struct session *s = ctx;

	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->anomaly)
			s->sinks[i]->anomaly(s->sinks[i]->ctx, a);
}

/*
 * A superblock mounted after we started: reread mountinfo, at most once a
 * second so a stream of kernel-internal devices costs nothing.
 */
static void on_unknown_dev(void *ctx, uint32_t dev)
{
	struct session *s = ctx;
	struct mount_table mt;
	uint64_t now;

	if (!s->live_mounts)
		return;
	now = mono_ns();
	if (now - s->mounts_loaded_ns < 1000000000ull)
		return;
	s->mounts_loaded_ns = now;
	if (mount_table_load(&mt, MOUNTINFO))
		return;
	if (mt.n == s->mounts.n && !memcmp(mt.v, s->mounts.v, mt.n * sizeof(*mt.v))) {
		mount_table_free(&mt);
		return;
	}
	mount_table_free(&s->mounts);
	s->mounts = mt;
	model_set_mounts(s->model, &s->mounts);
	if (s->check)
		model_set_mounts(s->check, &s->mounts);
	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->mounts)
			s->sinks[i]->mounts(s->sinks[i]->ctx, s->cur_ts, &s->mounts);
}

int session_set_mounts(void *ctx, const struct mount_table *mt)
{
	struct session *s = ctx;
	struct mount_table copy;

	if (mount_table_copy(&copy, mt))
		return -ENOMEM;
	mount_table_free(&s->mounts);
	s->mounts = copy;
	model_set_mounts(s->model, &s->mounts);
	return 0;
}

static int cgroup_copy(void *ctx, uint64_t id, const char *path)
{
	int err = cgroups_add(ctx, id, path);

	return err == -ENOMEM ? err : 0;
}

int session_set_cgroups(void *ctx, struct cgroups *cg)
{
	struct session *s = ctx;

	return cgroups_each(cg, cgroup_copy, s->cgroups);
}

/* The model takes only the samples the histograms and the sinks read. */
static void want_samples(struct session *s)
{
	uint32_t kinds = s->hist ? 1u << s->of : 0;

	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->sample)
			kinds |= s->sinks[i]->sample_kinds ? s->sinks[i]->sample_kinds : ~0u;
	model_want_samples(s->model, kinds);
}

int session_init(struct session *s, const struct session_opts *o)
{
	struct model_opts mo = o->model;
	int err;

	memset(s, 0, sizeof(*s));
	/*
	 * Live: the host's cgroup2 tree, walked again at most once a second
	 * when an id is not in it.  Replayed: only what the file says, the
	 * traced host's ids, never this one's.
	 */
	s->cgroups = cgroups_new(o->live_mounts ? CG_ROOT : NULL, 1000000000ull);
	if (!s->cgroups)
		goto nomem;
	if (o->live_mounts)
		tf_set_cgroups(s->cgroups);
	mo.cgroups = s->cgroups;
	s->by = o->by;
	s->of = o->of;
	s->msecs = o->msecs;
	s->live_mounts = o->live_mounts;
	mo.on_sample = on_sample;
	mo.on_unknown_dev = on_unknown_dev;
	mo.on_anomaly = on_anomaly;
	mo.ctx = s;
	s->model = model_new(&mo);
	if (!s->model)
		goto nomem;
	if (o->hist && !(s->hist = hist_set_new(o->linear_step, 4096)))
		goto nomem;
	if (o->hist && o->interval_ns) {
		s->iv_hist = hist_set_new(o->linear_step, 4096);
		if (!s->iv_hist)
			goto nomem;
		s->iv_ns = o->interval_ns;
		s->iv_max = o->intervals;
	}
	if (o->agg_check) {
		struct model_opts co = o->model;

		co.on_sample = on_check_sample;
		co.on_unknown_dev = NULL;
		co.on_anomaly = NULL;
		co.cgroups = s->cgroups;
		co.ctx = s;
		s->check = model_new(&co);
		s->check_hist = hist_set_new(o->linear_step, 4096);
		if (!s->check || !s->check_hist)
			goto nomem;
		model_want_samples(s->check, 1u << s->of);
	}
	if (o->live_mounts) {
		err = mount_table_load(&s->mounts, MOUNTINFO);
		if (err) {
			p_err("cannot read %s: %s", MOUNTINFO, strerror(-err));
			session_free(s);
			return EXIT_RUNTIME;
		}
		s->mounts_loaded_ns = mono_ns();
		model_set_mounts(s->model, &s->mounts);
		if (s->check)
			model_set_mounts(s->check, &s->mounts);
	}
	want_samples(s);
	return 0;
nomem:
	p_err("out of memory");
	session_free(s);
	return EXIT_RUNTIME;
}

void session_free(struct session *s)
{
	model_free(s->model);
	hist_set_free(s->hist);
	hist_set_free(s->iv_hist);
	s->iv_hist = NULL;
	model_free(s->check);
	hist_set_free(s->check_hist);
	s->check = NULL;
	s->check_hist = NULL;
	mount_table_free(&s->mounts);
	if (s->live_mounts)
		tf_set_cgroups(NULL);
	cgroups_free(s->cgroups);
	s->cgroups = NULL;
	s->model = NULL;
	s->hist = NULL;
}

int session_add_sink(struct session *s, struct sink *k)
{
	if (s->n_sinks == SESSION_SINKS)
		return -E2BIG;
	s->sinks[s->n_sinks++] = k;
	want_samples(s);
	return 0;
}

/* Interval n ends at to: its histogram to the sinks, then a clean one. */
static void interval_end(struct session *s, uint64_t to)
{
	s->iv_done++;
	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->interval)
			s->sinks[i]->interval(s->sinks[i]->ctx, s->iv_done, s->iv_start, to,
					      s->iv_hist);
	hist_set_clear(s->iv_hist);
	s->iv_start = to;
}

static bool intervals_over(const struct session *s)
{
	return s->iv_max && s->iv_done >= s->iv_max;
}

void session_interval_start(struct session *s, uint64_t now)
{
	if (!s->iv_hist)
		return;
	s->iv_origin = s->iv_start = s->iv_last = now;
	s->iv_begun = s->iv_wall = true;
}

bool session_interval_due(const struct session *s, uint64_t now)
{
	return s->iv_hist && s->iv_begun && !intervals_over(s) && now - s->iv_start >= s->iv_ns;
}

bool session_interval_tick(struct session *s, uint64_t now)
{
	if (!s->iv_hist || !s->iv_begun)
		return false;
	/* a quiet stretch of a replay ends several at once, empty ones too */
	while (!intervals_over(s) && now >= s->iv_start && now - s->iv_start >= s->iv_ns)
		interval_end(s, s->iv_start + s->iv_ns);
	return intervals_over(s);
}

void session_interval_end(struct session *s, uint64_t now)
{
	if (!s->iv_hist || !s->iv_begun || intervals_over(s))
		return;
	if (!s->iv_wall)
		now = s->iv_last;
	interval_end(s, now > s->iv_start ? now : s->iv_start);
}

int session_feed(void *ctx, const struct et_rec *r)
{
	struct session *s = ctx;
	bool selected;
	int err;

	/*
	 * Replayed intervals are in the trace's time: the first starts at
	 * the first event, and an event past an interval's end ends it
	 * before the model sees it.  After COUNT of them, the run is over.
	 */
	if (s->iv_hist && !s->iv_wall) {
		if (!s->iv_begun) {
			s->iv_origin = s->iv_start = r->ts_ns;
			s->iv_begun = true;
		}
		if (session_interval_tick(s, r->ts_ns))
			return 1;
		if (r->ts_ns > s->iv_last)
			s->iv_last = r->ts_ns;
	}
	s->cur_ts = r->ts_ns;
	err = model_feed(s->model, r);

	if (err && !s->err) {
		s->err = err;
		p_err("model: %s; its figures are incomplete from here", strerror(-err));
	}
	/* --ei, --path: what the view shows; the model has seen it all */
	selected = model_selected(s->model);
	for (int i = 0; i < s->n_sinks; i++) {
		if (!s->sinks[i]->event || (!selected && !s->sinks[i]->every_event))
			continue;
		err = s->sinks[i]->event(s->sinks[i]->ctx, r);
		if (err)
			return err;
	}
	return 0;
}
