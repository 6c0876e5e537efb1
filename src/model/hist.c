// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Histograms per group for "evtrace hist".  Groups live in an array kept
 * sorted by name: there are a few thousand at most and most values land in
 * a group that exists, so a binary search per value and a memmove per new
 * group is cheap enough and plainly correct.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "evtrace/evtrace.h"
#include "model/hist.h"
#include "lib/escape.h"
#include "lib/json.h"

typedef unsigned __int128 u128;

_Static_assert(HIST_LINEAR_MAX == ET_AGG_LINEAR_MAX, "the kernel's linear buckets are these");

/* Exclusive upper end of the last buckets: every uint64_t is below it. */
#define U64_END		((u128)UINT64_MAX + 1)
#define BAR_WIDTH	40

struct group {
	char name[HIST_NAME_MAX];
	uint64_t count, min, max;
	u128 sum;		/* exact: count * UINT64_MAX fits */
	uint64_t b[];		/* hs->nbuckets */
};

struct hist_set {
	uint64_t step;		/* 0: log2 */
	unsigned int max_groups;
	unsigned int nbuckets;
	struct group **g;	/* sorted by name */
	size_t n, cap;
	size_t named;		/* groups other than HIST_OTHER */
};

struct hist_set *hist_set_new(uint64_t linear_step, unsigned int max_groups)
{
	struct hist_set *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return NULL;
	hs->step = linear_step;
	hs->max_groups = max_groups;
	hs->nbuckets = linear_step ? HIST_LINEAR_MAX + 1 : HIST_LOG2_BUCKETS;
	return hs;
}

void hist_set_free(struct hist_set *hs)
{
	if (!hs)
		return;
	for (size_t i = 0; i < hs->n; i++)
		free(hs->g[i]);
	free(hs->g);
	free(hs);
}

void hist_set_clear(struct hist_set *hs)
{
	for (size_t i = 0; i < hs->n; i++)
		free(hs->g[i]);
	hs->n = 0;
	hs->named = 0;
}

/* Copies at most HIST_NAME_MAX - 1 bytes, backing off a split UTF-8 sequence. */
static void cut_name(char *dst, const char *src)
{
	size_t n = strnlen(src, HIST_NAME_MAX);

	if (n == HIST_NAME_MAX) {
		n = HIST_NAME_MAX - 1;
		/* src[n] is the first byte dropped: a continuation byte means
		 * its lead byte (at most 3 back) must go too. */
		for (int i = 0; i < 3 && n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80; i++)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* True if name is at *pos; else *pos is where it would be inserted. */
static bool find(const struct hist_set *hs, const char *name, size_t *pos)
{
	size_t lo = 0, hi = hs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, hs->g[mid]->name);

		if (!c) {
			*pos = mid;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*pos = lo;
	return false;
}

static struct group *insert(struct hist_set *hs, const char *name, size_t pos)
{
	struct group *g;

	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 16;
		struct group **v = realloc(hs->g, cap * sizeof(*v));

		if (!v)
			return NULL;
		hs->g = v;
		hs->cap = cap;
	}
	g = calloc(1, sizeof(*g) + hs->nbuckets * sizeof(g->b[0]));
	if (!g)
		return NULL;
	strcpy(g->name, name);
	memmove(&hs->g[pos + 1], &hs->g[pos], (hs->n - pos) * sizeof(hs->g[0]));
	hs->g[pos] = g;
	hs->n++;
	if (strcmp(name, HIST_OTHER))
		hs->named++;
	return g;
}

static unsigned int bucket_of(const struct hist_set *hs, uint64_t v)
{
	if (hs->step) {
		uint64_t i = v / hs->step;

		return i < HIST_LINEAR_MAX ? (unsigned int)i : HIST_LINEAR_MAX;
	}
	return v ? 64 - __builtin_clzll(v) : 0;
}

/* Bucket i holds lo <= v < hi; 128 bits because hi may be 2^64. */
static void bucket_range(const struct hist_set *hs, unsigned int i, u128 *lo, u128 *hi)
{
	if (!hs->step) {
		*lo = i ? (u128)1 << (i - 1) : 0;
		*hi = (u128)1 << i;
		return;
	}
	*lo = (u128)i * hs->step;
	*hi = i == HIST_LINEAR_MAX ? U64_END : (u128)(i + 1) * hs->step;
	/* a step beyond 2^64 / HIST_LINEAR_MAX overshoots the last bucket */
	if (*hi > U64_END)
		*hi = U64_END;
}

int hist_add(struct hist_set *hs, const char *group, uint64_t value)
{
	return hist_add_n(hs, group, value, 1, value, value);
}

int hist_add_n(struct hist_set *hs, const char *group, uint64_t min, uint64_t n,
	       uint64_t sum, uint64_t max)
{
	char name[HIST_NAME_MAX];
	struct group *g;
	bool found;
	size_t pos;
	int ret = 0;

	if (!hs || !group || !n || min > max)
		return -EINVAL;
	/* one bucket: the kernel aggregated by this set's buckets */
	if (bucket_of(hs, min) != bucket_of(hs, max))
		return -EINVAL;
	cut_name(name, group);
	found = find(hs, name, &pos);
	if (!found && strcmp(name, HIST_OTHER) && hs->named >= hs->max_groups) {
		ret = -E2BIG;
		strcpy(name, HIST_OTHER);
		found = find(hs, name, &pos);
	}
	g = found ? hs->g[pos] : insert(hs, name, pos);
	if (!g)
		return -ENOMEM;
	if (!g->count || min < g->min)
		g->min = min;
	if (max > g->max)
		g->max = max;
	g->count += n;
	g->sum += sum;
	g->b[bucket_of(hs, min)] += n;
	return ret;
}

size_t hist_set_groups(const struct hist_set *hs)
{
	return hs ? hs->n : 0;
}

uint64_t hist_group_count(const struct hist_set *hs, const char *group)
{
	char name[HIST_NAME_MAX];
	size_t pos;

	if (!hs || !group)
		return 0;
	cut_name(name, group);
	return find(hs, name, &pos) ? hs->g[pos]->count : 0;
}

/* Decimal digits of v at the end of buf[40]; returns where they start. */
static const char *u128_str(char *buf, u128 v)
{
	char *p = buf + 40;

	*--p = 0;
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	return p;
}

static int cmp_groups(const void *a, const void *b)
{
	const struct group *x = *(const struct group *const *)a;
	const struct group *y = *(const struct group *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * The groups by count, descending, then name, into *v (free it); without
 * memory for the copy, in name order rather than not at all.
 */
static const struct group *const *sorted(const struct hist_set *hs, const struct group ***v)
{
	*v = malloc(hs->n * sizeof(**v));
	if (!*v)
		return (const struct group *const *)hs->g;
	memcpy(*v, hs->g, hs->n * sizeof(**v));
	qsort(*v, hs->n, sizeof(**v), cmp_groups);
	return *v;
}

/*
 * Inclusive upper bound of the bucket holding the p-th percentile (the
 * rank-th smallest value, rank = ceil(count * p / 100)), or max if lower:
 * max is exact, a bucket's end is only a bound.
 */
static uint64_t percentile(const struct hist_set *hs, const struct group *g, unsigned int p)
{
	u128 rank = ((u128)g->count * p + 99) / 100, seen = 0, lo, hi;

	for (unsigned int i = 0; i < hs->nbuckets; i++) {
		seen += g->b[i];
		if (seen >= rank) {
			bucket_range(hs, i, &lo, &hi);
			return hi - 1 < g->max ? (uint64_t)(hi - 1) : g->max;
		}
	}
	return g->max;
}

static void print_bar(FILE *f, uint64_t n, uint64_t max)
{
	int stars = (int)((u128)n * BAR_WIDTH / max);

	fputc('|', f);
	for (int i = 0; i < BAR_WIDTH; i++)
		fputc(i < stars ? '*' : ' ', f);
	fputs("|\n", f);
}

static void print_rows_log2(FILE *f, const struct hist_set *hs, const struct group *g,
			    unsigned int first, unsigned int last, uint64_t top, const char *unit)
{
	/* bcc's widths: ten digits hold 2^32 - 1, twenty hold 2^64 - 1 */
	bool wide = last > 32;
	int w = wide ? 20 : 10;

	fprintf(f, "%*s%-*s : count    distribution\n", wide ? 15 : 5, "", wide ? 29 : 19, unit);
	for (unsigned int i = first; i <= last; i++) {
		u128 lo, hi;

		bucket_range(hs, i, &lo, &hi);
		fprintf(f, "%*" PRIu64 " -> %-*" PRIu64 " : %-8" PRIu64 " ", w, (uint64_t)lo, w,
			(uint64_t)(hi - 1), g->b[i]);
		print_bar(f, g->b[i], top);
	}
}

static void print_rows_linear(FILE *f, const struct hist_set *hs, const struct group *g,
			      unsigned int first, unsigned int last, uint64_t top,
			      const char *unit)
{
	/* the last regular row printed, empty or not, has the widest numbers */
	unsigned int last_reg = last < HIST_LINEAR_MAX ? last : HIST_LINEAR_MAX - 1;
	char lbuf[40], hbuf[40], label[96];
	int wl = 1, wh = 1, width = 0;
	u128 lo, hi;

	if (first <= last_reg) {
		bucket_range(hs, last_reg, &lo, &hi);
		wl = (int)strlen(u128_str(lbuf, lo));
		wh = (int)strlen(u128_str(hbuf, hi));
		width = wl + wh + 4;	/* "[lo, hi)" */
	}
	if (last == HIST_LINEAR_MAX) {
		int wo;

		bucket_range(hs, last, &lo, &hi);
		wo = (int)strlen(u128_str(lbuf, lo)) + 3;	/* ">= X" */
		if (wo > width)
			width = wo;
	}

	fprintf(f, "%*s%-*s : count    distribution\n", 5, "", width - 3, unit);
	for (unsigned int i = first; i <= last; i++) {
		bucket_range(hs, i, &lo, &hi);
		if (i == HIST_LINEAR_MAX)
			snprintf(label, sizeof(label), ">= %s", u128_str(lbuf, lo));
		else
			snprintf(label, sizeof(label), "[%*s, %*s)", wl, u128_str(lbuf, lo), wh,
				 u128_str(hbuf, hi));
		fprintf(f, "  %-*s : %-8" PRIu64 " ", width, label, g->b[i]);
		print_bar(f, g->b[i], top);
	}
}

static void print_group_text(FILE *f, const struct hist_set *hs, const struct group *g,
			     const char *unit, const char *key)
{
	unsigned int first = hs->nbuckets, last = 0;
	uint64_t top = 0;

	for (unsigned int i = 0; i < hs->nbuckets; i++) {
		if (!g->b[i])
			continue;
		if (first == hs->nbuckets)
			first = i;
		last = i;
		if (g->b[i] > top)
			top = g->b[i];
	}

	/* names come from the kernel or a file: escaped (lib/escape.h) */
	fprintf(f, "%s = ", key);
	fputs_esc(f, g->name);
	fputc('\n', f);

	if (hs->step)
		print_rows_linear(f, hs, g, first, last, top, unit);
	else
		print_rows_log2(f, hs, g, first, last, top, unit);

	fprintf(f, "  count=%" PRIu64 " min=%" PRIu64 " max=%" PRIu64 " mean=%.1Lf p50<=%" PRIu64
		" p99<=%" PRIu64 " (percentiles: bucket upper bounds)\n",
		g->count, g->min, g->max, (long double)g->sum / g->count,
		percentile(hs, g, 50), percentile(hs, g, 99));
}

void hist_print_text(FILE *f, const struct hist_set *hs, const char *unit, const char *key)
{
	const struct group *const *list;
	const struct group **v;

	if (!hs || !hs->n)
		return;
	list = sorted(hs, &v);
	for (size_t i = 0; i < hs->n; i++) {
		if (i)
			fputc('\n', f);
		print_group_text(f, hs, list[i], unit ? unit : "value", key ? key : "group");
	}
	free(v);
}

void hist_print_json(FILE *f, const struct hist_set *hs, const char *unit)
{
	const struct group *const *list = NULL;
	const struct group **v = NULL;
	size_t n = hs ? hs->n : 0;
	char buf[40];

	if (n)
		list = sorted(hs, &v);
	fputs("{\"unit\":", f);
	json_str(f, unit ? unit : "value");
	fprintf(f, ",\"scale\":\"%s\",\"step\":%" PRIu64 ",\"groups\":[",
		hs && hs->step ? "linear" : "log2", hs ? hs->step : 0);
	for (size_t i = 0; i < n; i++) {
		const struct group *g = list[i];
		bool first = true;

		fputs(i ? ",{\"group\":" : "{\"group\":", f);
		json_str(f, g->name);
		fprintf(f, ",\"count\":%" PRIu64 ",\"min\":%" PRIu64 ",\"max\":%" PRIu64
			",\"sum\":%s,\"buckets\":[", g->count, g->min, g->max, u128_str(buf, g->sum));
		for (unsigned int b = 0; b < hs->nbuckets; b++) {
			u128 lo, hi;

			if (!g->b[b])
				continue;
			bucket_range(hs, b, &lo, &hi);
			fprintf(f, "%s{\"lo\":%s", first ? "" : ",", u128_str(buf, lo));
			fprintf(f, ",\"hi\":%s,\"count\":%" PRIu64 "}", u128_str(buf, hi), g->b[b]);
			first = false;
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
	free(v);
}
