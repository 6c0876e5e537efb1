// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /proc/kallsyms, text symbols only: enough to name the kernel function
 * that called get_next_ino() and to check that a kprobe target exists
 * without touching tracefs.  Bounded: at most KSYMS_MAX symbols.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ksyms.h"

#define KSYMS_MAX	(4u << 20)

struct ksyms {
	struct ksym *syms;
	size_t n, cap;
	char *strs;
	size_t strs_len, strs_cap;
	bool hidden;
};

static int add(struct ksyms *ks, unsigned long addr, const char *name, bool bpf)
{
	size_t len = strlen(name) + 1;

	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		void *p;

		if (cap > KSYMS_MAX)
			return -E2BIG;
		p = realloc(ks->syms, cap * sizeof(*ks->syms));
		if (!p)
			return -ENOMEM;
		ks->syms = p;
		ks->cap = cap;
	}
	if (ks->strs_len + len > ks->strs_cap) {
		size_t cap = ks->strs_cap ? ks->strs_cap * 2 : 1 << 16;
		void *p;

		while (cap < ks->strs_len + len)
			cap *= 2;
		p = realloc(ks->strs, cap);
		if (!p)
			return -ENOMEM;
		ks->strs = p;
		ks->strs_cap = cap;
	}
	memcpy(ks->strs + ks->strs_len, name, len);
	/* names are offsets until loading is done: strs moves as it grows */
	ks->syms[ks->n].name = (const char *)(uintptr_t)ks->strs_len;
	ks->syms[ks->n].addr = addr;
	ks->syms[ks->n].bpf = bpf;
	ks->n++;
	ks->strs_len += len;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksyms *ksyms_load(const char *path)
{
	struct ksyms *ks;
	char *line = NULL, name[256], mod[128];
	size_t line_cap = 0;
	unsigned long addr;
	bool any_addr = false;
	FILE *f;
	char type;
	int err = 0;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	/* whole lines: the tail of one cut by a buffer would parse as a line */
	while (getline(&line, &line_cap, f) > 0) {
		int n;

		mod[0] = 0;
		n = sscanf(line, "%lx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3)
			continue;
		if (addr)
			any_addr = true;
		if (type != 't' && type != 'T' && type != 'W' && type != 'w')
			continue;
		err = add(ks, addr, name, n == 4 && !strcmp(mod, "bpf"));
		if (err)
			break;
	}
	free(line);
	fclose(f);
	if (err) {
		ksyms_free(ks);
		errno = -err;
		return NULL;
	}
	for (size_t i = 0; i < ks->n; i++)
		ks->syms[i].name = ks->strs + (uintptr_t)ks->syms[i].name;
	if (ks->n)	/* an empty table has no array: qsort wants one */
		qsort(ks->syms, ks->n, sizeof(*ks->syms), cmp_addr);
	ks->hidden = ks->n && !any_addr;
	return ks;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->strs);
	free(ks);
}

const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr)
{
	size_t lo = 0, hi;

	if (!ks || !ks->n || ks->hidden || addr < ks->syms[0].addr)
		return NULL;
	hi = ks->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &ks->syms[lo];
}

bool ksyms_range(const struct ksyms *ks, const char *name, unsigned long *lo,
		 unsigned long *len)
{
	size_t found = 0, at = 0;

	for (size_t i = 0; ks && !ks->hidden && i < ks->n; i++) {
		if (!strcmp(ks->syms[i].name, name)) {
			found++;
			at = i;
		}
	}
	/* the last symbol's end is not known: no range rather than a guess */
	if (found != 1 || at + 1 >= ks->n || ks->syms[at + 1].addr <= ks->syms[at].addr)
		return false;
	*lo = ks->syms[at].addr;
	*len = ks->syms[at + 1].addr - ks->syms[at].addr;
	return true;
}

bool ksyms_has(const struct ksyms *ks, const char *name)
{
	for (size_t i = 0; ks && i < ks->n; i++)
		if (!strcmp(ks->syms[i].name, name))
			return true;
	return false;
}

bool ksyms_hidden(const struct ksyms *ks)
{
	return ks && ks->hidden;
}
