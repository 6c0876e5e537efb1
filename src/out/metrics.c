// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Prometheus exposition of the model (out/metrics.h).  Rendering reads
 * the model and the counts kept here; it runs on the thread that feeds
 * the model (the pipeline's tick), never on a scrape: the HTTP server only
 * copies the last rendered buffer.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uthash.h>

#include "lib/cgroups.h"
#include "lib/common.h"
#include "lib/escape.h"
#include "out/metrics.h"

/*
 * The allocation series' labels, each read from the sample's group of
 * that key and cut in series_key(): the top K applies to each.  cgroup
 * is the allocating task's cgroup v2 path or container (lib/cgroups.h).
 */
enum { L_FS, L_MOUNT, L_CALLER, L_CGROUP, L_MAX };
static const char *const label_names[L_MAX] = { "fs", "mount", "caller", "cgroup" };
#define OTHERS	{ "other", "other", "other", "other" }

/* Inode numbers allocated per (fs, mount, caller, cgroup); key is the four, NUL-separated. */
struct series {
	UT_hash_handle hh;
	uint64_t n;
	const char *lab[L_MAX];		/* into key */
	size_t keylen;
	char key[];
};

struct life {
	char fs[ET_FS_LEN];
	uint64_t b[METRICS_LIFE_BUCKETS + 1];	/* per bucket, not cumulative; last: +Inf */
	uint64_t count, sum_us;
};

enum { LIFE_DENTRY, LIFE_INODE, LIFE_KINDS };

struct metrics {
	uint32_t top;
	struct series *series;		/* uthash head */
	uint32_t n_series;
	struct series *overflow;	/* other for each label: past METRICS_SERIES_MAX */
	struct life life[LIFE_KINDS][METRICS_FS_MAX + 1];	/* the last: other */
	uint32_t n_life[LIFE_KINDS];
};

struct metrics *metrics_new(uint32_t top)
{
	struct metrics *mx = calloc(1, sizeof(*mx));

	if (!mx)
		return NULL;
	mx->top = top < 1 ? 1 : top > METRICS_TOP_MAX ? METRICS_TOP_MAX : top;
	for (int k = 0; k < LIFE_KINDS; k++)
		strcpy(mx->life[k][METRICS_FS_MAX].fs, "other");
	return mx;
}

void metrics_free(struct metrics *mx)
{
	struct series *s, *tmp;

	if (!mx)
		return;
	HASH_ITER(hh, mx->series, s, tmp) {
		HASH_DEL(mx->series, s);
		free(s);
	}
	free(mx->overflow);
	free(mx);
}

/* "fs\0mount\0caller\0cgroup\0", each cut to what a label keeps; its length. */
static size_t series_key(char *key, const char *const *lab)
{
	static const size_t cut[L_MAX] = { ET_FS_LEN, METRICS_LABEL_MAX, ET_CALLER_LEN,
					   CG_NAME_LEN };
	size_t off = 0;

	for (int i = 0; i < L_MAX; i++) {
		size_t n = strnlen(lab[i] ? lab[i] : "?", cut[i] - 1);

		memcpy(key + off, lab[i] ? lab[i] : "?", n);
		off += n;
		key[off++] = '\0';
	}
	return off;
}

static struct series *series_new(const char *key, size_t len)
{
	struct series *s = calloc(1, sizeof(*s) + len);
	const char *p;

	if (!s)
		return NULL;
	memcpy(s->key, key, len);
	s->keylen = len;
	p = s->key;
	for (int i = 0; i < L_MAX; i++) {
		s->lab[i] = p;
		p += strlen(p) + 1;
	}
	return s;
}

static void count_ino(struct metrics *mx, const struct sample *smp, uint64_t n)
{
	char key[ET_FS_LEN + METRICS_LABEL_MAX + ET_CALLER_LEN + CG_NAME_LEN];
	const char *lab[L_MAX] = { smp->group[BY_FS], smp->group[BY_MOUNT], smp->group[BY_CALLER],
				   smp->group[BY_CGROUP] };
	size_t len = series_key(key, lab);
	struct series *s;

	HASH_FIND(hh, mx->series, key, len, s);
	if (!s && mx->n_series < METRICS_SERIES_MAX) {
		s = series_new(key, len);
		if (s) {
			HASH_ADD_KEYPTR(hh, mx->series, s->key, s->keylen, s);
			mx->n_series++;
		}
	}
	if (!s) {
		/* full (or out of memory): the total stays right, the labels cannot */
		if (!mx->overflow) {
			const char *other[L_MAX] = OTHERS;

			len = series_key(key, other);
			mx->overflow = series_new(key, len);
			if (!mx->overflow)
				return;
		}
		s = mx->overflow;
	}
	s->n += n;
}

/* The bucket of v usecs: the first j with v <= 4^(j+1) - 1; METRICS_LIFE_BUCKETS for +Inf. */
static int life_bucket(uint64_t v)
{
	for (int j = 0; j < METRICS_LIFE_BUCKETS; j++)
		if (v < 1ull << (2 * (j + 1)))
			return j;
	return METRICS_LIFE_BUCKETS;
}

static void count_life(struct metrics *mx, int kind, const struct sample *smp, uint64_t n)
{
	const char *fs = smp->group[BY_FS] ? smp->group[BY_FS] : "?";
	struct life *l = NULL;

	for (uint32_t i = 0; i < mx->n_life[kind] && !l; i++)
		if (!strncmp(mx->life[kind][i].fs, fs, ET_FS_LEN - 1))
			l = &mx->life[kind][i];
	if (!l && mx->n_life[kind] < METRICS_FS_MAX) {
		l = &mx->life[kind][mx->n_life[kind]++];
		snprintf(l->fs, sizeof(l->fs), "%s", fs);
	}
	if (!l)
		l = &mx->life[kind][METRICS_FS_MAX];
	/*
	 * The bounds are 2^k - 1 usecs, the kernel's log2 buckets' ends, so
	 * what it aggregated (n values between value and max, one of its
	 * buckets) falls in one of these whole.
	 */
	l->b[life_bucket(smp->value)] += n;
	l->count += n;
	l->sum_us += smp->sum;
}

void metrics_sample(struct metrics *mx, const struct sample *smp)
{
	uint64_t n = smp->n ? smp->n : 1;

	switch (smp->kind) {
	case S_INO:
		count_ino(mx, smp, n);
		break;
	case S_DENTRY_LIFE:
		count_life(mx, LIFE_DENTRY, smp, n);
		break;
	case S_INODE_LIFE:
		count_life(mx, LIFE_INODE, smp, n);
		break;
	default:
		break;
	}
}

/* ---- writing the format --------------------------------------------------- */

/*
 * A label value: backslash, double quote and newline escaped as the format
 * says; other controls and bytes that are not UTF-8 as \xNN (the format
 * wants UTF-8, and a scrape may end on a terminal); cut at max bytes.
 */
static void label_value(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strnlen(s, max);

	while (p < end) {
		size_t n;

		if (*p == '\\') {
			fputs("\\\\", f);
		} else if (*p == '"') {
			fputs("\\\"", f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\\\x%02x", *p);
		} else if (*p < 0x80) {
			fputc(*p, f);
		} else if ((n = esc_utf8_len(p)) && p + n <= end) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		} else {
			fprintf(f, "\\\\x%02x", *p);
		}
		p++;
	}
}

/* HELP text: backslash and newline escaped, and in OpenMetrics the double quote. */
static void help_text(FILE *f, const char *s, enum metrics_format fmt)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && fmt == MF_OPENMETRICS)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

/*
 * HELP and TYPE.  name is the family's: a counter's samples add _total,
 * which the text format's family name carries and OpenMetrics' does not.
 */
static void family(FILE *f, enum metrics_format fmt, const char *name, const char *type,
		   const char *help)
{
	const char *suffix = !strcmp(type, "counter") && fmt == MF_TEXT ? "_total" : "";

	fprintf(f, "# HELP %s%s ", name, suffix);
	help_text(f, help, fmt);
	fprintf(f, "\n# TYPE %s%s %s\n", name, suffix, type);
}

/* name{k="v",...} for n labels (none: the bare name). */
static void sample_name(FILE *f, const char *name, const char *suffix, const char *const *keys,
			const char *const *vals, int n)
{
	fprintf(f, "%s%s", name, suffix);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "{", keys[i]);
		label_value(f, vals[i], METRICS_LABEL_MAX);
		fputc('"', f);
	}
	if (n)
		fputc('}', f);
}

static void sample_u64(FILE *f, const char *name, const char *suffix, const char *key,
		       const char *val, uint64_t v)
{
	sample_name(f, name, suffix, &key, &val, key ? 1 : 0);
	fprintf(f, " %" PRIu64 "\n", v);
}

/* usecs as seconds, exactly: 1048575 -> 1.048575 */
static void usecs_as_s(FILE *f, uint64_t us)
{
	fprintf(f, "%" PRIu64 ".%06" PRIu64, us / 1000000, us % 1000000);
}

/* ---- inode numbers: the top K per label -------------------------------- */

struct row {
	const char *lab[L_MAX];
	uint64_t n;
};

static int sort_dim;

static int cmp_dim(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->lab[sort_dim], ((const struct row *)b)->lab[sort_dim]);
}

static int cmp_labels(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	for (int i = 0; i < L_MAX; i++) {
		int c = strcmp(x->lab[i], y->lab[i]);

		if (c)
			return c;
	}
	return 0;
}

static int cmp_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : cmp_labels(a, b);
}

struct run {
	size_t start, len;
	uint64_t total;
	const char *name;
};

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->total != y->total ? (x->total < y->total ? 1 : -1) : strcmp(x->name, y->name);
}

/* Values of dimension d past the K largest (by their rows' sum) become "other". */
static void keep_top(struct row *r, size_t n, int d, uint32_t top, struct run *runs)
{
	size_t nr = 0;

	sort_dim = d;
	qsort(r, n, sizeof(*r), cmp_dim);
	for (size_t i = 0; i < n; i++) {
		if (!nr || strcmp(runs[nr - 1].name, r[i].lab[d]))
			runs[nr++] = (struct run){ .start = i, .name = r[i].lab[d] };
		runs[nr - 1].len++;
		runs[nr - 1].total += r[i].n;
	}
	if (nr <= top)
		return;
	qsort(runs, nr, sizeof(*runs), cmp_run);
	/* K values besides other: what is already other takes no place among them */
	for (size_t k = 0, named = 0; k < nr; k++) {
		if (!strcmp(runs[k].name, "other") || named++ < top)
			continue;
		for (size_t i = runs[k].start; i < runs[k].start + runs[k].len; i++)
			r[i].lab[d] = "other";
	}
}

static int print_ino_series(FILE *f, const struct metrics *mx, enum metrics_format fmt)
{
	size_t n = mx->n_series + (mx->overflow ? 1 : 0), m = 0;
	struct row *r = calloc(n ? n : 1, sizeof(*r));
	struct run *runs = calloc(n ? n : 1, sizeof(*runs));
	const struct series *s, *tmp;

	if (!r || !runs) {
		free(r);
		free(runs);
		return -ENOMEM;
	}
	HASH_ITER(hh, mx->series, s, tmp)
		r[m++] = (struct row){ .lab = { s->lab[0], s->lab[1], s->lab[2], s->lab[3] },
				       .n = s->n };
	if (mx->overflow)
		r[m++] = (struct row){ .lab = OTHERS, .n = mx->overflow->n };
	for (int d = 0; d < L_MAX; d++)
		keep_top(r, m, d, mx->top, runs);
	/* rows that became the same labels are one series */
	qsort(r, m, sizeof(*r), cmp_labels);
	n = 0;
	for (size_t i = 0; i < m; i++) {
		if (n && !cmp_labels(&r[n - 1], &r[i]))
			r[n - 1].n += r[i].n;
		else
			r[n++] = r[i];
	}
	qsort(r, n, sizeof(*r), cmp_count);
	for (size_t i = 0; i < n; i++) {
		sample_name(f, "evtrace_ino_allocations", "_total", label_names, r[i].lab, L_MAX);
		fprintf(f, " %" PRIu64 "\n", r[i].n);
	}
	free(r);
	free(runs);
	return 0;
}

/* ---- lifetimes: histograms per fs, the top K fs --------------------------- */

static int cmp_life_count(const void *a, const void *b)
{
	const struct life *x = a, *y = b;

	return x->count != y->count ? (x->count < y->count ? 1 : -1) : strcmp(x->fs, y->fs);
}

static int cmp_life_fs(const void *a, const void *b)
{
	return strcmp(((const struct life *)a)->fs, ((const struct life *)b)->fs);
}

static void merge_life(struct life *to, const struct life *from)
{
	for (int j = 0; j <= METRICS_LIFE_BUCKETS; j++)
		to->b[j] += from->b[j];
	to->count += from->count;
	to->sum_us += from->sum_us;
}

static void print_life(FILE *f, const struct metrics *mx, int kind, const char *name)
{
	/* static: 65 x 176 bytes is much for a stack under a server thread's tick */
	static struct life l[METRICS_FS_MAX + 1];
	struct life other = { .fs = "other" };
	uint32_t n = mx->n_life[kind], kept;

	memcpy(l, mx->life[kind], n * sizeof(l[0]));
	qsort(l, n, sizeof(l[0]), cmp_life_count);
	kept = n < mx->top ? n : mx->top;
	for (uint32_t i = kept; i < n; i++)
		merge_life(&other, &l[i]);
	merge_life(&other, &mx->life[kind][METRICS_FS_MAX]);
	if (other.count)
		l[kept++] = other;
	qsort(l, kept, sizeof(l[0]), cmp_life_fs);
	for (uint32_t i = 0; i < kept; i++) {
		const char *key[2] = { "fs", "le" }, *val[2] = { l[i].fs, NULL };
		uint64_t cum = 0;
		char le[32];

		val[1] = le;
		for (int j = 0; j <= METRICS_LIFE_BUCKETS; j++) {
			uint64_t us = (1ull << (2 * (j + 1))) - 1;

			cum += l[i].b[j];
			if (j < METRICS_LIFE_BUCKETS)
				snprintf(le, sizeof(le), "%" PRIu64 ".%06" PRIu64, us / 1000000,
					 us % 1000000);
			else
				strcpy(le, "+Inf");
			sample_name(f, name, "_bucket", key, val, 2);
			fprintf(f, " %" PRIu64 "\n", cum);
		}
		sample_name(f, name, "_sum", key, val, 1);
		fputc(' ', f);
		usecs_as_s(f, l[i].sum_us);
		fputc('\n', f);
		sample_name(f, name, "_count", key, val, 1);
		fprintf(f, " %" PRIu64 "\n", l[i].count);
	}
}

/* ---- every family -------------------------------------------------------- */

static void print_eventfs(FILE *f, const struct model *m, enum metrics_format fmt,
			  const struct model_stats *st)
{
	static const char *const states[] = { "live", "removed_referenced", "released" };
	uint64_t n[3] = { 0 }, longest = 0;
	struct ei_iter it = {};
	struct ei_view v;

	while (model_ei_next(m, &it, &v)) {
		n[v.state == EI_LIVE ? 0 : v.state == EI_REMOVED ? 1 : 2]++;
		if (v.state == EI_REMOVED && st->last_ns > v.removed_ns &&
		    st->last_ns - v.removed_ns > longest)
			longest = st->last_ns - v.removed_ns;
	}
	family(f, fmt, "evtrace_eventfs_inodes", "gauge",
	       "eventfs_inodes the model tracks, by state: live; removed but still referenced by "
	       "dentries (not yet released); released");
	for (int i = 0; i < 3; i++)
		sample_u64(f, "evtrace_eventfs_inodes", "", "state", states[i], n[i]);
	family(f, fmt, "evtrace_eventfs_removed_referenced_longest_seconds", "gauge",
	       "the longest time an eventfs_inode still referenced has been removed, on the "
	       "events' clock (0: none)");
	fputs("evtrace_eventfs_removed_referenced_longest_seconds ", f);
	usecs_as_s(f, longest / 1000);
	fputc('\n', f);
}

int metrics_render(FILE *f, const struct metrics *mx, const struct model *m,
		   const struct metrics_run *run, enum metrics_format fmt)
{
	static const char *const mech[MM_MAX] = { "fentry", "kprobe", "missing", "skipped" };
	struct model_stats st;
	double eta = model_wrap_eta(m);
	char top[256];
	int ret;

	model_get_stats(m, &st);
	if (fmt == MF_OPENMETRICS) {
		family(f, fmt, "evtrace_build", "info", "the evtrace that serves these metrics");
		fprintf(f, "evtrace_build_info{version=\"%s\",libbpf=\"%s\",mode=\"%s\"} 1\n",
			EVTRACE_VERSION, libbpf_version_string(), run->mode);
	} else {
		family(f, fmt, "evtrace_build_info", "gauge", "the evtrace that serves these metrics");
		fprintf(f, "evtrace_build_info{version=\"%s\",libbpf=\"%s\",mode=\"%s\"} 1\n",
			EVTRACE_VERSION, libbpf_version_string(), run->mode);
	}
	family(f, fmt, "evtrace_events", "counter",
	       "events evtrace read: streamed by the probes or read from the recording, and those "
	       "the kernel counted for it");
	sample_u64(f, "evtrace_events", "_total", NULL, NULL, st.events);
	if (run->event_rate >= 0) {
		family(f, fmt, "evtrace_events_per_second", "gauge",
		       "events evtrace read per second of wall clock, over the last interval");
		fprintf(f, "evtrace_events_per_second %.3f\n", run->event_rate);
	}
	if (run->cpu_seconds >= 0) {
		family(f, fmt, "evtrace_cpu_seconds", "counter",
		       "CPU time evtrace used in userspace and the kernel on its behalf (its BPF "
		       "programs not included)");
		fprintf(f, "evtrace_cpu_seconds_total %.6f\n", run->cpu_seconds);
	}
	family(f, fmt, "evtrace_lost_events", "counter",
	       "events lost, by cause: ring (buffer full), recursion, kprobe (missed), table "
	       "(the kernel's aggregation table full)");
	for (int c = 0; c < LOST_CAUSES; c++)
		sample_u64(f, "evtrace_lost_events", "_total", "cause", lost_cause_name(c),
			   st.lost_by[c]);
	if (run->probes_known) {
		family(f, fmt, "evtrace_probes", "gauge",
		       "probes by how they attached: fentry, kprobe, missing (cannot attach on this "
		       "kernel), skipped (not needed)");
		for (int i = 0; i < MM_MAX; i++)
			sample_u64(f, "evtrace_probes", "", "mechanism", mech[i], run->probes[i]);
	}
	if (run->bpf_known) {
		family(f, fmt, "evtrace_bpf_runs", "counter",
		       "runs of evtrace's BPF programs, as the kernel counts them while its BPF "
		       "statistics are on (serve --bpf-stats)");
		sample_u64(f, "evtrace_bpf_runs", "_total", NULL, NULL, run->bpf_runs);
		family(f, fmt, "evtrace_bpf_run_seconds", "counter",
		       "the time evtrace's BPF programs took, in the traced tasks: the probes' "
		       "own cost");
		fprintf(f, "evtrace_bpf_run_seconds_total %.9f\n", run->bpf_ns / 1e9);
	}
	if (run->flight) {
		family(f, fmt, "evtrace_flight_dumps", "counter",
		       "ring dumps --dump-on wrote, each into a file of its own beside -o FILE");
		sample_u64(f, "evtrace_flight_dumps", "_total", NULL, NULL, run->dumps);
	}
	if (run->replay_done) {
		family(f, fmt, "evtrace_replay_finished", "gauge",
		       "1: the recording was read to its end; these are its final values");
		fputs("evtrace_replay_finished 1\n", f);
	}
	snprintf(top, sizeof(top),
		 "inode numbers get_next_ino() handed out, by filesystem type, mount, the "
		 "function that asked and the asking task's cgroup; each label keeps its %u largest values, the rest is summed "
		 "as other", mx->top);
	family(f, fmt, "evtrace_ino_allocations", "counter", top);
	ret = print_ino_series(f, mx, fmt);
	if (ret)
		return ret;
	family(f, fmt, "evtrace_next_ino_highest", "gauge",
	       "the highest number get_next_ino() returned; its 32-bit counter is within a few "
	       "1024-number batches per CPU of it");
	fprintf(f, "evtrace_next_ino_highest %u\n", st.ino_max);
	if (eta >= 0) {
		family(f, fmt, "evtrace_ino_wrap_seconds", "gauge",
		       "seconds until get_next_ino()'s 32-bit counter wraps at the current rate "
		       "(absent while the rate is unknown)");
		fprintf(f, "evtrace_ino_wrap_seconds %.3f\n", eta);
	}
	print_eventfs(f, m, fmt, &st);
	family(f, fmt, "evtrace_anomalies", "counter",
	       "anomalies the model found, by kind (see evtrace's README)");
	for (int k = 0; k < A_MAX; k++)
		sample_u64(f, "evtrace_anomalies", "_total", "kind", anomaly_name(k), st.anomalies[k]);
	snprintf(top, sizeof(top), "dentry lifetimes, allocation to __dentry_kill(), per "
		 "filesystem type (the %u most frequent; the rest as other)", mx->top);
	family(f, fmt, "evtrace_dentry_lifetime_seconds", "histogram", top);
	print_life(f, mx, LIFE_DENTRY, "evtrace_dentry_lifetime_seconds");
	snprintf(top, sizeof(top), "inode lifetimes, allocation to evict(), per filesystem type "
		 "(the %u most frequent; the rest as other)", mx->top);
	family(f, fmt, "evtrace_inode_lifetime_seconds", "histogram", top);
	print_life(f, mx, LIFE_INODE, "evtrace_inode_lifetime_seconds");
	family(f, fmt, "evtrace_model_evicted", "counter",
	       "objects dropped from the model's full tables (--max-inodes, --max-dentries, "
	       "--max-eis)");
	sample_u64(f, "evtrace_model_evicted", "_total", NULL, NULL, st.evicted_from_model);
	if (fmt == MF_OPENMETRICS)
		fputs("# EOF\n", f);
	return ferror(f) ? -EIO : 0;
}

int metrics_render_buf(char **buf, size_t *len, const struct metrics *mx, const struct model *m,
		       const struct metrics_run *run, enum metrics_format fmt)
{
	FILE *f = open_memstream(buf, len);
	int ret;

	if (!f)
		return -ENOMEM;
	ret = metrics_render(f, mx, m, run, fmt);
	if (fclose(f) || ret) {
		free(*buf);
		*buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Prometheus asks "application/openmetrics-text;version=1.0.0,...;q=0.75,
 * text/plain;version=0.0.4;q=0.5,*\/\*;q=0.1": it prefers OpenMetrics.  Any
 * mention of it with a q above 0 is taken as asking for it.
 */
enum metrics_format metrics_negotiate(const char *accept)
{
	const char *p = accept;

	while (p && (p = strstr(p, "application/openmetrics-text"))) {
		size_t len = strcspn(p, ",");
		const char *q = memmem(p, len, "q=", 2);

		if (!q || strtod(q + 2, NULL) > 0)
			return MF_OPENMETRICS;
		p += len;
	}
	return MF_TEXT;
}

const char *metrics_content_type(enum metrics_format fmt)
{
	return fmt == MF_OPENMETRICS ? METRICS_OM_TYPE : METRICS_TEXT_TYPE;
}

int metrics_write_textfile(const char *dir, const char *buf, size_t len)
{
	static unsigned int seq;
	char tmp[4096], path[4096];
	int fd, err = 0;

	/* a dot and no .prom at the end: the collector reads only *.prom */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.%d.%u", dir, METRICS_FILE, (int)getpid(),
			     seq++) >= sizeof(tmp) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, METRICS_FILE) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* no fsync: the file is rewritten every interval, a crash loses one */
	if (fchmod(fd, 0644))
		err = -errno;
	while (!err && len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		buf += n;
		len -= n;
	}
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
