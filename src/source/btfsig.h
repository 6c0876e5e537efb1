/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Does a kernel function still take what our programs read?  A probe's
 * signature, checked against the function's prototype in kernel BTF before
 * it is attached, so a changed function is refused with its reason instead
 * of read wrongly.
 *
 * A signature lists the arguments the programs read, then ">RET" when the
 * exit program reads the return value:
 *
 *	"dentry,qstr,int>dentry"
 *
 * Each item: a struct name (a pointer to that struct), "*" (any pointer),
 * "int" (any integer or enum), "-" (anything).  Typedefs and qualifiers
 * are looked through.  Without ">", the function may take more arguments
 * than listed; with it, exactly as many (fexit finds the return value
 * after the last argument).
 */
#ifndef EVTRACE_SOURCE_BTFSIG_H
#define EVTRACE_SOURCE_BTFSIG_H

#include <stddef.h>

struct btf;

/*
 * 0: it matches; -ENOENT: func is not in btf; -EINVAL: it does not match,
 * and why says how ("signature changed: argument 1 is struct inode *,
 * evtrace reads struct dentry *").
 */
int btf_sig_check(const struct btf *btf, const char *func, const char *sig, char *why,
		  size_t size);

#endif
