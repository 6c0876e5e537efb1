/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One run of the pipeline: decoded events -> model (and histogram) -> the
 * command's own output.  Every command that consumes events goes through
 * it, so live and (later) replayed streams get the same answers.
 */
#ifndef EVTRACE_SESSION_H
#define EVTRACE_SESSION_H

#include <stdint.h>

#include "model/hist.h"
#include "source/ring.h"
#include "model/model.h"
#include "lib/mounts.h"

struct session {
	struct model *model;
	struct mount_table mounts;
	uint64_t mounts_loaded_ns;	/* live: when mountinfo was last read */
	bool live_mounts;		/* reload mountinfo on unknown devices */
	struct hist_set *hist;		/* NULL unless hist */
	enum sample_kind of;
	enum group_by by;
	rec_sink_fn out;		/* after the model; may be NULL */
	void *out_ctx;
	int err;			/* first model error */
	uint64_t cur_ts;		/* the event being fed */
	/* live: mountinfo was reread and differs (the recorder writes it down) */
	void (*mounts_changed)(void *ctx, uint64_t ts_ns, const struct mount_table *mt);
	void *mounts_ctx;
	/* every sample the model takes; may be NULL */
	void (*sample)(void *ctx, const struct sample *smp);
	void *sample_ctx;
	/* every anomaly the model finds, as found; may be NULL */
	void (*anomaly)(void *ctx, const struct anomaly *a);
	void *anomaly_ctx;
	int eis;			/* 1: print the ei table, 2: with histories */
};

struct session_opts {
	struct model_opts model;
	enum group_by by;
	bool hist;
	enum sample_kind of;
	uint64_t linear_step;
	bool live_mounts;
	int eis;		/* 1: --eis, 2: --ei-history */
};

/* 0 or EXIT_RUNTIME after printing why. */
int session_init(struct session *s, const struct session_opts *o);
void session_free(struct session *s);
/* The sink to hand to a source. */
int session_sink(void *ctx, const struct et_rec *r);
/* Replay: the recording's mount table from now on (copied). */
int session_set_mounts(struct session *s, const struct mount_table *mt);

/* Model options shared by events and hist: --max-*, --release-timeout. */
#define MODEL_LONGOPTS							\
	{ "max-inodes", required_argument, NULL, OPT_MAX_INODES },	\
	{ "max-dentries", required_argument, NULL, OPT_MAX_DENTRIES },	\
	{ "max-eis", required_argument, NULL, OPT_MAX_EIS },		\
	{ "release-timeout", required_argument, NULL, OPT_RELEASE_TIMEOUT },	\
	{ "eis", no_argument, NULL, OPT_EIS },				\
	{ "ei-history", no_argument, NULL, OPT_EI_HISTORY }

#define MODEL_OPTS_HELP							\
	"      --max-inodes N   live inodes the model tracks (default 65536)\n" \
	"      --max-dentries N live dentries the model tracks (default 65536)\n" \
	"      --max-eis N      eventfs_inodes the model tracks (default 16384)\n" \
	"      --release-timeout SEC  flag a removed ei not released by then (default 10)\n" \
	"      --eis            at the end, the table of every eventfs_inode seen\n" \
	"      --ei-history     ... with each one's refcount changes\n"

/* 1 if c was a model option (applied to o), 0 if not, -1 on a bad value. */
int model_opt(int c, const char *arg, struct session_opts *o);
/* The end of a run: the ei table if asked for, then the summary. */
void session_report(const struct session *s, FILE *f, enum group_by by);

#endif
