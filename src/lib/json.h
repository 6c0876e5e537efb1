/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef EVTRACE_LIB_JSON_H
#define EVTRACE_LIB_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "lib/line.h"

/* A JSON string literal; bytes that are not UTF-8 become \u00XX. */
void json_str(FILE *f, const char *s);
void line_json_str(struct line *l, const char *s);
/*
 * The body of one (no quotes): len bytes of src escaped into dst, which
 * has room for 6 bytes per byte of src.  Its length.
 */
size_t json_escape(char *dst, const char *src, size_t len);

#endif
