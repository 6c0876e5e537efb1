// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/common.h"
#include "pipeline/session.h"

#define MOUNTINFO "/proc/self/mountinfo"

static void on_sample(void *ctx, const struct sample *smp)
{
	struct session *s = ctx;

	if (s->hist && smp->kind == s->of)
		hist_add(s->hist, smp->group[s->by], smp->value);
	for (int i = 0; i < s->n_sinks; i++)
		if (s->sinks[i]->sample)
			s->sinks[i]->sample(s->sinks[i]->ctx, smp);
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

int session_init(struct session *s, const struct session_opts *o)
{
	struct model_opts mo = o->model;
	int err;

	memset(s, 0, sizeof(*s));
	s->by = o->by;
	s->of = o->of;
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
	if (o->live_mounts) {
		err = mount_table_load(&s->mounts, MOUNTINFO);
		if (err) {
			p_err("cannot read %s: %s", MOUNTINFO, strerror(-err));
			session_free(s);
			return EXIT_RUNTIME;
		}
		s->mounts_loaded_ns = mono_ns();
		model_set_mounts(s->model, &s->mounts);
	}
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
	mount_table_free(&s->mounts);
	s->model = NULL;
	s->hist = NULL;
}

int session_add_sink(struct session *s, struct sink *k)
{
	if (s->n_sinks == SESSION_SINKS)
		return -E2BIG;
	s->sinks[s->n_sinks++] = k;
	return 0;
}

int session_feed(void *ctx, const struct et_rec *r)
{
	struct session *s = ctx;
	int err;

	s->cur_ts = r->ts_ns;
	err = model_feed(s->model, r);

	if (err && !s->err) {
		s->err = err;
		p_err("model: %s; its figures are incomplete from here", strerror(-err));
	}
	for (int i = 0; i < s->n_sinks; i++) {
		if (!s->sinks[i]->event)
			continue;
		err = s->sinks[i]->event(s->sinks[i]->ctx, r);
		if (err)
			return err;
	}
	return 0;
}
