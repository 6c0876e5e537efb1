/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The model as Prometheus metrics (evtrace serve): the text exposition
 * format 0.0.4, or OpenMetrics 1.0 when the scraper asks for it.  What
 * the model keeps per single key is read from its queries; what needs
 * several keys at once (inode numbers per fs, mount and caller) or
 * buckets of its own (lifetimes in seconds) is counted here from the
 * model's samples.
 *
 * Label values come from the kernel or a file: they are escaped as the
 * format says (backslash, double quote, newline), and control bytes and
 * bytes that are not UTF-8 become \xNN, as on a terminal.  Each label
 * keeps its K largest values (by count) and sums the rest as "other", so
 * a scrape has at most (K + 1)^3 allocation series whatever the kernel
 * does.
 */
#ifndef EVTRACE_OUT_METRICS_H
#define EVTRACE_OUT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

#define METRICS_TEXT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_OM_TYPE		"application/openmetrics-text; version=1.0.0; charset=utf-8"

#define METRICS_TOP_DEFAULT	20
#define METRICS_TOP_MAX		1000
/* (fs, mount, caller, cgroup) series counted; past it they count as other for each label */
#define METRICS_SERIES_MAX	4096
/* filesystems with lifetimes kept; past it they count as other */
#define METRICS_FS_MAX		64
/* a mount label is cut here: paths may be long, a label need not be */
#define METRICS_LABEL_MAX	256
/* the lifetime buckets' upper bounds: 4^j - 1 usecs, j = 1..N (3 us to 76 h), then +Inf */
#define METRICS_LIFE_BUCKETS	19
#define METRICS_FILE		"evtrace.prom"

enum metrics_format { MF_TEXT, MF_OPENMETRICS };

enum metrics_mech { MM_FENTRY, MM_KPROBE, MM_MISSING, MM_SKIPPED, MM_MAX };

/* What the model does not know about the run: filled in by the command. */
struct metrics_run {
	const char *mode;		/* "live" or "replay" */
	bool probes_known;
	uint32_t probes[MM_MAX];	/* probes by how they attached */
	double event_rate;		/* events a second over the last interval; < 0 unknown */
	double cpu_seconds;		/* evtrace's user + system time; < 0 unknown */
	bool replay_done;		/* the recording was read to its end */
	bool flight;			/* -o FILE --dump-on runs beside: */
	uint64_t dumps;			/* the dumps it wrote */
	bool bpf_known;			/* the kernel's BPF statistics are on: */
	uint64_t bpf_runs, bpf_ns;	/* our programs' runs and their time */
};

struct metrics;

/* top: K, 1 to METRICS_TOP_MAX.  NULL when out of memory. */
struct metrics *metrics_new(uint32_t top);
void metrics_free(struct metrics *mx);
/* One of the model's samples (a sink's sample callback). */
void metrics_sample(struct metrics *mx, const struct sample *s);
/* Every family, in fmt, to f.  0, or -EIO when f failed. */
int metrics_render(FILE *f, const struct metrics *mx, const struct model *m,
		   const struct metrics_run *run, enum metrics_format fmt);
/* The same into a new buffer (*buf to free, *len bytes).  0 or -ENOMEM. */
int metrics_render_buf(char **buf, size_t *len, const struct metrics *mx, const struct model *m,
		       const struct metrics_run *run, enum metrics_format fmt);
/* What an Accept header asks for: OpenMetrics when it names it (NULL: text). */
enum metrics_format metrics_negotiate(const char *accept);
const char *metrics_content_type(enum metrics_format fmt);
/*
 * node_exporter's textfile collector: buf written to DIR/evtrace.prom
 * through a temporary beside it (created anew, O_NOFOLLOW, 0644 whatever
 * the umask, since node_exporter runs as another user), renamed over it.
 * 0 or -errno.
 */
int metrics_write_textfile(const char *dir, const char *buf, size_t len);

#endif
