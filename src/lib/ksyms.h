/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef EVTRACE_KSYMS_H
#define EVTRACE_KSYMS_H

#include <stdbool.h>

struct ksym {
	unsigned long addr;
	const char *name;
	bool bpf;		/* a BPF program or trampoline ([bpf] module) */
};

struct ksyms;

/* Load text symbols from a kallsyms-format file; NULL and errno on error. */
struct ksyms *ksyms_load(const char *path);
void ksyms_free(struct ksyms *ks);
/* The symbol containing addr (the nearest one below it), or NULL. */
const struct ksym *ksyms_lookup(const struct ksyms *ks, unsigned long addr);
bool ksyms_has(const struct ksyms *ks, const char *name);
/*
 * The text of the one function called name: from its address to the next
 * text symbol's.  false if there is none, or more than one of that name
 * (two static functions), or it is the last, or the addresses are hidden.
 */
bool ksyms_range(const struct ksyms *ks, const char *name, unsigned long *lo,
		 unsigned long *len);
/* All addresses zero: kptr_restrict hides them (not root). */
bool ksyms_hidden(const struct ksyms *ks);

#endif
