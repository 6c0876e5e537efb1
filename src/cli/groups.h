/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The option rows several commands share, one group per struct of the
 * pipeline (perf's OPT_PARENT).  Each expands to rows that point into the
 * struct given, so a command lists the groups that apply to it and its
 * --help shows only what it takes.
 */
#ifndef EVTRACE_CLI_GROUPS_H
#define EVTRACE_CLI_GROUPS_H

#include "cli/opt.h"
#include "out/recording.h"
#include "pipeline/pipeline.h"

/* What selects events: in the kernel live, in userspace on a file (struct filters *). */
#define FILTER_ROWS(f)							\
	OPT_CALL_NOTE('p', "pid", f, filters_add_pid, "PID",		\
		      "only events of this process (repeatable)"),	\
	OPT_CALL_NOTE('c', "comm", f, filters_add_comm, "COMM",		\
		      "only events of tasks with this name (repeatable)"), \
	OPT_CALL_NOTE(0, "fs", f, filters_add_fs, "TYPE",		\
		      "only this filesystem type, e.g. tracefs, pipefs"), \
	OPT_CALL_NOTE(0, "dev", f, filters_add_dev, "MAJ:MIN",		\
		      "only this superblock (device number)"),		\
	OPT_CALL_NOTE(0, "mount", f, filters_add_mount, "PATH",		\
		      "only the filesystem mounted at PATH"),		\
	OPT_CALL_NOTE(0, "cgroup", f, filters_add_cgroup, "PATH",	\
		      "only tasks in this cgroup v2 (live runs)"),		\
	OPT_CALL_NOTE(0, "type", f, filters_add_types, "TYPE[,TYPE]",	\
		      "only these event types; live, only their probes attach"), \
	OPT_CALL_NOTE(0, "eventfs", f, filters_add_eventfs, NULL,	\
		      "only the eventfs_inode events (ei_*)"),		\
	OPT_CALL_NOTE(0, "vfs", f, filters_add_vfs, NULL,		\
		      "only the VFS events (inodes, dentries, lookups)")

/*
 * What a view shows (struct ei_select *, model/select.h): decided in
 * evtrace on decoded events, after the model has seen them all, so a live
 * run's kernel still sends every event the filters above let through.
 */
#define SELECT_ROWS(sel)						\
	OPT_CALL(0, "ei", sel, select_add_ei, "ID",			\
		 "only this eventfs_inode's events and anomalies: its id as\n" \
		 "events print it (ei=71502efbf9b6c836) or its path\n"	\
		 "(events/sched/sched_switch); repeatable; in evtrace, after\n" \
		 "the kernel: the model still follows every event"),	\
	OPT_CALL(0, "path", sel, select_add_path, "GLOB",		\
		 "only events whose eventfs path (ei_*: events/sched/*,\n" \
		 "instances/#2/events/*) or dentry name (dentry_*, lookup)\n" \
		 "matches GLOB; * and ? match / too; repeatable; in evtrace,\n" \
		 "after the kernel, as --ei")

/* How the probes attach (struct tracer_opts *). */
#define ATTACH_ROWS(to)							\
	OPT_ENUM(0, "attach", &(to)->attach, attach_names, "MODE",	\
		 "auto (fentry, else kprobe), fentry or kprobe")

/* What a live run traces and how much it buffers (struct tracer_opts *). */
#define TRACE_ROWS(to)							\
	ATTACH_ROWS(to),						\
	OPT_FLAG(0, "include-self", &(to)->filters.include_self,	\
		 "also trace evtrace's own process"),			\
	{ .name = "bufsize", .arg = "BYTES", .type = OPT_T_SIZE,	\
	  .dst = &(to)->ringbuf_bytes, .size = sizeof((to)->ringbuf_bytes), \
	  .min = 64 << 10, .max = 1 << 30, .flags = OPT_F_POW2, .suffixes = "KM", \
	  .help = "ring buffer size, a power of two (default 8M); what\n" \
		  "is read out of it waits in a backlog of up to 8 times it" }, \
	OPT_COUNT(0, "max-objects", &(to)->max_objects, 1 << 24,	\
		  "live objects the kernel numbers for their ids, 128 bytes\n" \
		  "of kernel memory each (default 262144; 65536 when only\n" \
		  "eventfs_inodes are numbered); past it ids may repeat,\n" \
		  "which the summary and a recording's trailer count")

/* The model's bounds and the ei table at the end (struct session_opts *). */
#define MODEL_ROWS(so)							\
	OPT_COUNT(0, "max-inodes", &(so)->model.max_inodes, 1 << 26,	\
		  "live inodes the model tracks (default 65536)"),	\
	OPT_COUNT(0, "max-dentries", &(so)->model.max_dentries, 1 << 26, \
		  "live dentries the model tracks (default 65536)"),	\
	OPT_COUNT(0, "max-eis", &(so)->model.max_eis, 1 << 26,		\
		  "eventfs_inodes the model tracks (default 16384)"),	\
	OPT_NS(0, "release-timeout", &(so)->model.release_timeout_ns,	\
	       "flag a removed ei not released by then (default 10)"), \
	OPT_CALL(0, "eis", &(so)->eis, opt_eis, NULL,			\
		 "at the end, the table of every eventfs_inode seen"),	\
	OPT_CALL(0, "ei-history", &(so)->eis, opt_ei_history, NULL,	\
		 "... with each one's refcount changes")

/* A recording's window (struct replay_opts *); window_check() checks the pair. */
#define WINDOW_ROWS(ro)							\
	{ .name = "from", .arg = "SEC", .type = OPT_T_NUMBER, .dst = &(ro)->from_s, \
	  .flags = OPT_F_ZERO, .expected = "seconds >= 0 into the recording", \
	  .help = "only the events from SEC seconds after the trace's start\n" \
		  "(the times printed)" },				\
	OPT_NUMBER(0, "to", &(ro)->to_s, "SEC", "seconds > 0 into the recording", \
		   "only the events until SEC seconds after the start")

/*
 * Not listed: `evtrace replay` runs a view command with this, which makes
 * FILE required and names replay in what is said about it.
 */
#define FROM_REPLAY_ROW(b) { .name = "from-replay", .type = OPT_T_FLAG, .dst = (b) }

/* A recording's pace (struct replay_opts *); dflt: what --speed is without it. */
#define PACE_ROWS(ro, dflt)						\
	OPT_NUMBER(0, "speed", &(ro)->speed, "N",			\
		   "a factor > 0 such as 10 or 0.5 (or --max)",		\
		   "replay a FILE at N times real time (default: " dflt ")"), \
	OPT_CALL(0, "max", &(ro)->speed, opt_max_speed, NULL,		\
		 "replay a FILE as fast as possible")

/*
 * What the views (events, hist, live) share: a duration, -o FILE beside,
 * a recording's pace and window, the model, the filters and the probes.
 */
/*
 * What a view may count in the kernel rather than stream (hist, live):
 * set by the command before view_begin(), which then picks the probes and
 * the aggregation (agg_plan() in groups.c).
 */
/* serve: the live view's, the inode lifetimes and the caller of every inode number too */
enum view_agg { VIEW_STREAM, VIEW_AGG_HIST, VIEW_AGG_LIVE, VIEW_AGG_SERVE };

struct view_args {
	struct pipeline_opts po;
	struct recording rec;		/* rec.ro.path: -o FILE */
	bool from_replay;
	bool wall;			/* -T: times of day (lib/tclock.h) */
	char filters[512];		/* as given: the recording's META, the view's header */
	enum view_agg agg;
	bool stream;			/* --stream: no aggregation */
	struct opt_limit limit;		/* --limit: the end summary's lists */
	/* hist: [FILE] [INTERVAL [COUNT]] operands, into po.session.interval_ns, intervals */
	bool intervals;
};

/* Ring mode and the flight recorder (struct recording *): record, serve -o. */
#define RING_ROWS(rec)							\
	OPT_NS(0, "ring", &(rec)->ro.ring_ns,				\
	       "ring mode: keep the last SEC seconds (and at most\n"	\
	       "128M of compressed chunks, unless --ring-size says)"),	\
	OPT_SIZE(0, "ring-size", &(rec)->ro.ring_bytes, 1, 1ull << 50,	\
		 "ring mode: keep the last BYTES of chunks (with --ring:\n" \
		 "both bounds hold)"),					\
	OPT_CALL(0, "dump-on", &(rec)->on, opt_dump_on, "KIND[,KIND]",	\
		 "ring mode: also write the ring to FILE-TIME-KIND.evt\n" \
		 "when an anomaly of a KIND fires (dup_ino,\n"		\
		 "ei_removed_referenced, ei_lookup_after_remove,\n"	\
		 "ei_refcount_negative, ei_not_released,\n"		\
		 "dentry_outlives_ei, second_dentry) or the inode-number\n" \
		 "rate passes N a second (ino-rate>N)")

/* hist and live: --stream, and the hidden self-check of the aggregation */
#define AGG_ROWS(v)							\
	OPT_FLAG(0, "stream", &(v)->stream,				\
		 "stream every event to evtrace instead of counting in the\n" \
		 "kernel: costs more, also finds dup_ino and second_dentry\n" \
		 "(and in hist, each ei's lookups and dentry releases)"), \
	{ .name = "agg-check", .type = OPT_T_FLAG, .dst = &(v)->po.session.agg_check }

#define VIEW_ROWS(v, speed_dflt)					\
	OPT_SECONDS('d', "duration", &(v)->po.duration, "stop after SEC seconds"), \
	OPT_FLAG('T', "wall", &(v)->wall,				\
		 "times as the wall clock's time of day, UTC\n"		\
		 "(HH:MM:SS.uuuuuu), not seconds since the trace's start"), \
	OPT_STRING('o', "output", &(v)->rec.ro.path, "FILE",		\
		   "also record the run to FILE (as evtrace record)"),	\
	PACE_ROWS(&(v)->po.replay, speed_dflt),				\
	WINDOW_ROWS(&(v)->po.replay),					\
	MODEL_ROWS(&(v)->po.session),					\
	OPT_LIMIT(&(v)->limit),						\
	FILTER_ROWS(&(v)->po.trace.filters),				\
	TRACE_ROWS(&(v)->po.trace),					\
	FROM_REPLAY_ROW(&(v)->from_replay)

/*
 * A view's start: opt_parse(), what its rows leave to check (the window,
 * the FILE operand into v->po.file), pipeline_init(), and the recording
 * beside it with -o.  false when the command is done (--help, or a bad
 * option said so): it returns *status.
 */
bool view_begin(const struct opt_cmd *cmd, const struct opt *rows, int argc, char **argv,
		struct view_args *v, struct pipeline *p, int *status);

extern const char *const attach_names[];

/* --json where errors are JSON too (bpftool's manner): from this option on. */
int opt_json_errors(bool *json, const char *arg);
int opt_eis(int *eis, const char *arg);
int opt_ei_history(int *eis, const char *arg);
int opt_max_speed(double *speed, const char *arg);

/* After opt_parse(): what no single option can check (--from before --to); 0 or -1. */
int window_check(const struct replay_opts *ro);

#endif
