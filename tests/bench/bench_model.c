// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: what the model costs.  Fills every table to its default
 * bound with synthetic events and prints the resident memory that took,
 * then the model's throughput against a baseline (building the same
 * events without feeding them) measured in the same run.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The i-th event of a mix like the instance loop's: eis, dentries, inodes. */
static void make(struct et_rec *r, uint64_t i)
{
	static const int mix[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC, ET_LOOKUP,
				   ET_EI_CREATE, ET_EI_GET, ET_DENTRY_KILL, ET_EI_PUT };
	uint64_t k = i / 8;

	memset(r, 0, sizeof(*r));
	r->type = mix[i % 8];
	r->ts_ns = 1000000000ull + i * 1000;
	r->dev_minor = 13;
	strcpy(r->fs, "tracefs");
	strcpy(r->comm, "mkdir");
	snprintf(r->name, sizeof(r->name), "event_%" PRIu64, k);
	strcpy(r->caller, "tracefs_get_inode");
	r->ino = 1000 + k;
	switch (r->type) {
	case ET_INODE_ALLOC:
	case ET_INO_ALLOC:
		r->obj_id = 0x1000000000ull + k;
		break;
	case ET_DENTRY_ALLOC:
		r->obj_id = 0x2000000000ull + k;
		break;
	case ET_DENTRY_KILL:	/* half of them stay: the dcache keeps dentries */
		r->obj_id = 0x2000000000ull + k / 2;
		break;
	case ET_LOOKUP:
		r->obj_id = 0x2000000000ull;	/* the directory */
		r->aux_id = 0x2000000000ull + k;
		r->inode_id = 0x1000000000ull + k;
		break;
	default:
		r->obj_id = 0x3000000000ull + k;
		r->aux_id = 0x2000000000ull + k;
		r->value = r->type == ET_EI_CREATE ? 1 : 2;
	}
}

/*
 * n inodes allocated and numbered, then evicted oldest first; shared: all
 * with one number (every eventfs file on 6.12), else each its own.  The
 * seconds it took.
 */
static double inodes_numbered(uint64_t n, bool shared)
{
	struct model_opts o = { .max_inodes = n };
	struct model *m = model_new(&o);
	struct et_rec r;
	double t0 = now_s();

	if (!m)
		exit(1);
	for (int pass = 0; pass < 3; pass++) {
		for (uint64_t k = 0; k < n; k++) {
			memset(&r, 0, sizeof(r));
			r.type = pass == 0 ? ET_INODE_ALLOC : pass == 1 ? ET_INO_ALLOC : ET_INODE_EVICT;
			r.ts_ns = 1000000000ull + (pass * n + k) * 1000;
			r.dev_minor = 14;
			strcpy(r.fs, "tracefs");
			r.obj_id = 0x1000000000ull + k;
			r.ino = shared ? 19680823 : 1000 + k;
			if (model_feed(m, &r))
				exit(1);
		}
	}
	model_free(m);
	return now_s() - t0;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
	struct model_opts o = {};
	struct model_stats st;
	struct et_rec r;
	struct model *m;
	volatile uint64_t sink = 0;
	double t0, base, fed;
	long rss0, rss1;

	/* baseline: the same events, built and touched, not fed */
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		make(&r, i);
		sink += r.obj_id;
	}
	base = now_s() - t0;

	rss0 = rss_kb();
	m = model_new(&o);
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		make(&r, i);
		if (model_feed(m, &r)) {
			fprintf(stderr, "bench: model_feed failed\n");
			return 1;
		}
	}
	fed = now_s() - t0;
	rss1 = rss_kb();
	model_get_stats(m, &st);

	printf("bench model: %" PRIu64 " events, %.2f Mev/s fed vs %.1f Mev/s baseline "
	       "(ratio %.1fx)\n", n, n / fed / 1e6, n / base / 1e6, fed / base);
	printf("bench model: tables full at defaults (%" PRIu64 " inodes, %" PRIu64
	       " dentries, %" PRIu64 " eis; %" PRIu64 " evicted): %.1f MiB resident\n",
	       st.live_inodes, st.live_dentries, st.eis, st.evicted_from_model,
	       (rss1 - rss0) / 1024.0);
	model_free(m);

	/* one number on many live inodes: evicting them must not walk the others */
	fed = inodes_numbered(98304, true);
	base = inodes_numbered(98304, false);
	printf("bench model: 98304 inodes sharing one number, evicted oldest first, %.3fs vs "
	       "%.3fs with a number each (ratio %.1fx)\n", fed, base, fed / base);
	return 0;
}
