/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One do_<command>() per command, dispatched from main.c's cmds[]. */
#ifndef EVTRACE_COMMANDS_H
#define EVTRACE_COMMANDS_H

#include "source/ring.h"
#include "file/recorder.h"
#include "pipeline/session.h"

int do_events(int argc, char **argv);
int do_probes(int argc, char **argv);
int do_hist(int argc, char **argv);

struct run_hooks {
	rec_sink_fn sink;		/* every decoded event */
	void (*tick)(void *ctx);	/* after each poll round; may be NULL */
	/* once attached, before the first event; non-zero: stop with it */
	int (*started)(void *ctx, const struct tracer *t);
	void *ctx;
};

/* Check, start, run the live loop into the hooks, stop.  An EXIT_* status. */
int trace_to_sink(struct tracer_opts *to, double duration, const struct run_hooks *h,
		  struct et_stats *stats);
struct replay_opts;
struct session;
/*
 * The one pipeline: live (file NULL) through trace_to_sink(), or a
 * recording through replay_run(), into the same hooks.  An EXIT_* status.
 */
int run_source(const char *file, struct tracer_opts *to, struct replay_opts *ro,
	       double duration, const struct run_hooks *h, struct session *s,
	       struct et_stats *stats);
/* set by replay: the view commands must have a FILE */
extern bool file_required;
/* The optional FILE argument after the options; NULL if none, "" if too many. */
const char *file_arg(int argc, char **argv, const char *cmd);

/* SIGINT/SIGTERM seen (the live loop and replay stop on it) */
extern volatile sig_atomic_t stop_requested;
void install_stop_signals(void);
int do_record(int argc, char **argv);

/* A recording beside any view: record, and -o on events and hist. */
struct recording {
	struct recorder_opts ro;
	struct recorder *rc;
	char filters[512];
	rec_sink_fn next;
	void *next_ctx;
	bool full_reported;
};
int recording_check_path(const char *path);
void recording_note_filter(struct recording *c, int ch, const char *arg);
int recording_start(struct recording *c, const struct tracer *t, struct session *s);
void recording_tick(struct recording *c);
int recording_finish(struct recording *c);

struct events_out {
	bool json;
	FILE *f;
};

/* What events and hist share: the source, the model, a recording beside. */
struct view_opts {
	struct session_opts so;
	struct replay_opts *ro;
	struct tracer_opts to;
	struct recording rec;
	double duration;
};

/*
 * -o, -d and every model, replay and trace option.  1 if c was one of
 * them, 0 for a bad value or an unknown option (said on stderr).
 */
int view_opt(int c, const char *arg, struct view_opts *v, const char *cmd, char **argv);
/* After getopt: the FILE argument, then the session.  0 or an EXIT_* status. */
int view_begin(int argc, char **argv, const char *cmd, struct view_opts *v, struct session *s,
	       const char **file);

/* -o FILE is usable: a live run, a path we can create.  0 or EXIT_ENV. */
int view_check_output(const char *file, const struct recording *rec);
/* run_source() for a view, with the recording (-o) beside it if asked for. */
int view_run_source(const char *file, struct tracer_opts *to, struct replay_opts *ro,
		    double duration, struct session *s, struct recording *rec,
		    struct events_out *out, struct et_stats *stats);
int do_replay(int argc, char **argv);
int do_export(int argc, char **argv);
int do_info(int argc, char **argv);
int do_live(int argc, char **argv);

#endif
