// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: what the live consumer costs per event, step by step, on the
 * event mix of a real recording (the seed's workloads on 6.12).  The
 * recording's events are turned back into ring buffer records, each as
 * long as the kernel would make it, then fed the way source/ring.c feeds
 * them: decoded, counted, into the session (the model, the histogram) and
 * the event lines.  Each step's time is printed against the decode alone,
 * in the same run.  Under emulation everything is some 30 times slower,
 * in about these proportions: this is where the consumer's time goes.
 * The last step is the live view's own stream: it counts the VFS events
 * in the kernel and streams the eventfs_inode ones alone, their
 * lookups without the dentry's inode; its figure is per ei event.
 *
 * usage: bench_consume TRACE_FILE [REPEAT]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event/decode.h"
#include "event/stream.h"
#include "file/tracefile.h"
#include "out/print.h"
#include "pipeline/session.h"

struct rec {
	struct et_event e;
	size_t size;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The record the kernel would have sent: ids stand in for pointers. */
static void to_event(const struct et_rec *r, struct rec *out)
{
	struct et_event *e = &out->e;

	memset(out, 0, sizeof(*out));
	e->ts_ns = r->ts_ns;
	e->pid = r->pid;
	e->tid = r->tid;
	e->type = r->type;
	e->cpu = r->cpu;
	e->flags = r->flags;
	e->dev = ET_MKDEV(r->dev_major, r->dev_minor);
	e->ino = r->ino;
	e->value = r->value;
	e->obj = r->obj_id;
	e->aux = r->aux_id;
	e->inode = r->inode_id;
	e->inode_ino = r->inode_ino;
	e->pei = r->pei_id;
	memcpy(e->comm, r->comm, sizeof(e->comm));
	memcpy(e->fs, r->fs, sizeof(e->fs));
	if (r->type == ET_INO_ALLOC) {
		out->size = ET_EVENT_STACK;
	} else if (r->type == ET_INODE_ALLOC || r->type == ET_INODE_EVICT) {
		out->size = ET_EVENT_BASE;
	} else {
		memcpy(e->name, r->name, sizeof(e->name));
		out->size = ET_EVENT_NAME;
	}
}

enum step { DECODE, MODEL, HIST, LINES, LIVE_EI, STEPS };

static const char *const step_names[STEPS] = {
	"decode (4 keyed-hash ids per event)",
	"decode + model",
	"decode + model + histogram (hist)",
	"decode + model + JSON lines (events --json)",
	"the live view's stream: its ei events, decode + model",
};

static double run(enum step step, const struct rec *recs, size_t n, int repeat)
{
	struct session_opts so = { .by = BY_MOUNT, .hist = step == HIST, .of = S_INO };

	/*
	 * The live view counts inodes in the kernel: the model keeps none,
	 * and an ei_get carries no inode (cli/groups.c's agg_plan()).
	 */
	so.model.no_inode_frees = step == LIVE_EI;
	struct et_stats st = { 0 };
	struct decoder dec;
	struct session s;
	struct et_rec r;
	FILE *devnull = fopen("/dev/null", "we");
	double t0;

	if (!devnull || decoder_init(&dec, NULL) || session_init(&s, &so))
		exit(1);
	t0 = now_s();
	for (int k = 0; k < repeat; k++) {
		for (size_t i = 0; i < n; i++) {
			struct et_event e = recs[i].e;

			if (step == LIVE_EI) {
				if (!(ET_BIT(e.type) & ET_EVENTFS_TYPES))
					continue;
				e.inode = e.inode_seq = e.inode_ino = 0;
			}

			/* a new run of the workload: new objects, new times */
			e.ts_ns += k * 10000000000ull;
			e.obj += (e.obj != 0) * k;
			decode_event(&dec, &e, recs[i].size, &r);
			stats_count(&st, &r);
			if (step == DECODE)
				continue;
			session_feed(&s, &r);
			if (step == LINES)
				rec_print_json(devnull, &r);
		}
	}
	t0 = now_s() - t0;
	session_free(&s);
	fclose(devnull);
	return t0;
}

int main(int argc, char **argv)
{
	int repeat = argc > 2 ? atoi(argv[2]) : 40;
	size_t n = 0, n_ei = 0, cap = 1 << 16;
	struct rec *recs = malloc(cap * sizeof(*recs));
	struct tf_reader *rd;
	struct et_rec r;
	char err[256];
	double t[STEPS];

	if (argc < 2 || !recs || repeat < 1) {
		fprintf(stderr, "usage: bench_consume TRACE_FILE [REPEAT]\n");
		return 2;
	}
	rd = tf_open(argv[1], err, sizeof(err));
	if (!rd) {
		fprintf(stderr, "bench_consume: %s: %s\n", argv[1], err);
		return 1;
	}
	while (tf_next(rd, &r) == 1) {
		if (r.type == ET_LOST)
			continue;
		if (n == cap && !(recs = realloc(recs, (cap *= 2) * sizeof(*recs))))
			return 1;
		to_event(&r, &recs[n++]);
	}
	tf_close(rd);
	for (int s = 0; s < STEPS; s++)
		t[s] = run(s, recs, n, repeat);
	for (size_t i = 0; i < n; i++)
		n_ei += !!(ET_BIT(recs[i].e.type) & ET_EVENTFS_TYPES);
	for (int s = 0; s < STEPS; s++) {
		size_t k = s == LIVE_EI ? n_ei : n;

		printf("bench consume: %-52s %6.0f ns/event (%.2fx decode)\n", step_names[s],
		       k ? t[s] * 1e9 / (k * repeat) : 0, k ? t[s] / k / (t[DECODE] / n) : 0);
	}
	free(recs);
	return 0;
}
