/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Histograms of uint64_t values, one per group name (a mount point, a
 * filesystem type, a kernel function, a comm), for "evtrace hist".
 *
 * Buckets.  log2 (linear_step 0): 65 buckets; bucket 0 holds the value 0,
 * bucket k (1..64) holds [2^(k-1), 2^k - 1].  Linear (step S > 0): bucket i
 * holds [i*S, (i+1)*S) for i < HIST_LINEAR_MAX, and one overflow bucket
 * holds every value >= HIST_LINEAR_MAX * S.
 *
 * Memory is bounded: at most max_groups groups plus HIST_OTHER, each with a
 * fixed bucket array; names are copied and cut to HIST_NAME_MAX - 1 bytes
 * (never inside a UTF-8 sequence), so names equal that far share a group.
 */
#ifndef EVTRACE_HIST_H
#define EVTRACE_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HIST_LOG2_BUCKETS	65
#define HIST_LINEAR_MAX		1024	/* linear buckets per group, overflow aside */
#define HIST_NAME_MAX		128	/* with the NUL */
#define HIST_OTHER		"(other)"

struct hist_set;

/* linear_step 0 means log2 buckets.  NULL (errno ENOMEM) on failure. */
struct hist_set *hist_set_new(uint64_t linear_step, unsigned int max_groups);
void hist_set_free(struct hist_set *hs);
/*
 * Forgets every group, as bcc's tools clear their map after each print:
 * the next values start a histogram of their own (hist INTERVAL).
 */
void hist_set_clear(struct hist_set *hs);

/*
 * Counts value in group's histogram; 0 or -errno.  Once max_groups groups
 * exist, a value for a new group is counted in HIST_OTHER (always allowed)
 * and -E2BIG is returned; -EINVAL for a NULL argument, -ENOMEM.
 */
int hist_add(struct hist_set *hs, const char *group, uint64_t value);
/*
 * n values of one bucket at once (the kernel's aggregation): their min,
 * sum and max.  -EINVAL also when min and max fall in different buckets.
 */
int hist_add_n(struct hist_set *hs, const char *group, uint64_t min, uint64_t n,
	       uint64_t sum, uint64_t max);

/* Groups that exist, HIST_OTHER included. */
size_t hist_set_groups(const struct hist_set *hs);
/* Values counted in group (its name as stored, i.e. cut); 0 if absent. */
uint64_t hist_group_count(const struct hist_set *hs, const char *group);

/*
 * Text in the manner of bcc's print_log2_hist: groups by total count,
 * descending, then by name, each as
 *
 *	KEY = NAME
 *	     usecs               : count    distribution
 *	         2 -> 3          : 3        |****************************************|
 *	         4 -> 7          : 1        |*************                           |
 *	  count=4 min=2 max=5 mean=3.0 p50<=3 p99<=5 (percentiles: bucket upper bounds)
 *
 * with a blank line between groups.  Rows run from the first to the last
 * non-empty bucket (log2 "lo -> hi" inclusive; linear "[lo, hi)" and a last
 * ">= X" row for the overflow bucket); bars are 40 wide, scaled to the
 * group's largest bucket.  p50/p99 are the inclusive upper bound of the
 * bucket the percentile falls in, lowered to max when max is lower.  Control
 * bytes in names print as '?'.  An empty set prints nothing.  KEY says what
 * the groups are (bcc prints "disk = sda"): "fs", "mount"...; NULL, "group".
 */
void hist_print_text(FILE *f, const struct hist_set *hs, const char *unit, const char *key);

/*
 * One line of JSON, groups in the order of the text form:
 *
 * {"unit":"usecs","scale":"log2","step":0,"groups":[{"group":"ext4",
 *  "count":4,"min":2,"max":5,"sum":12,"buckets":[{"lo":2,"hi":4,"count":3},
 *  {"lo":4,"hi":8,"count":1}]}]}
 *
 * scale is "log2" (step 0) or "linear" (step S).  Only non-empty buckets are
 * listed; each holds the values v with lo <= v < hi (hi exclusive, so the
 * last log2 bucket and the linear overflow bucket have hi 2^64 =
 * 18446744073709551616).  sum is exact (it may exceed 2^64).  An empty set
 * gives "groups":[].
 */
void hist_print_json(FILE *f, const struct hist_set *hs, const char *unit);

#endif
