// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/opt.h"
#include "lib/common.h"
#include "out/report.h"
#include "pipeline/session.h"

#define MOUNTINFO "/proc/self/mountinfo"

static void on_sample(void *ctx, const struct sample *smp)
{
	struct session *s = ctx;

	if (s->hist && smp->kind == s->of)
		hist_add(s->hist, smp->group[s->by], smp->value);
	if (s->sample)
		s->sample(s->sample_ctx, smp);
}

static void on_anomaly(void *ctx, const struct anomaly *a)
{
	struct session *s = ctx;

	if (s->anomaly)
		s->anomaly(s->anomaly_ctx, a);
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
	if (s->mounts_changed)
		s->mounts_changed(s->mounts_ctx, s->cur_ts, &s->mounts);
}

int session_set_mounts(struct session *s, const struct mount_table *mt)
{
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
	s->eis = o->eis;
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

int session_sink(void *ctx, const struct et_rec *r)
{
	struct session *s = ctx;
	int err;

	s->cur_ts = r->ts_ns;
	err = model_feed(s->model, r);

	if (err && !s->err) {
		s->err = err;
		p_err("model: %s; its figures are incomplete from here", strerror(-err));
	}
	return s->out ? s->out(s->out_ctx, r) : 0;
}

static int parse_count(const char *opt, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > (1ul << 26)) {
		p_err("invalid %s '%s': expected 1 to %lu", opt, arg, 1ul << 26);
		return -1;
	}
	*out = v;
	return 0;
}

int model_opt(int c, const char *arg, struct session_opts *so)
{
	struct model_opts *o = &so->model;
	double sec;

	switch (c) {
	case OPT_EIS:
		so->eis = so->eis > 1 ? so->eis : 1;
		return 1;
	case OPT_EI_HISTORY:
		so->eis = 2;
		return 1;
	case OPT_MAX_INODES:
		return parse_count("--max-inodes", arg, &o->max_inodes) ? -1 : 1;
	case OPT_MAX_DENTRIES:
		return parse_count("--max-dentries", arg, &o->max_dentries) ? -1 : 1;
	case OPT_MAX_EIS:
		return parse_count("--max-eis", arg, &o->max_eis) ? -1 : 1;
	case OPT_RELEASE_TIMEOUT:
		sec = parse_seconds("--release-timeout", arg);
		if (sec < 0)
			return -1;
		o->release_timeout_ns = sec * 1e9;
		return 1;
	}
	return 0;
}

void session_report(const struct session *s, FILE *f, enum group_by by)
{
	if (s->eis) {
		model_print_eis(f, s->model, s->eis > 1);
		fputc('\n', f);
	}
	model_print_summary(f, s->model, by);
}
