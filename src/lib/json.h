/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef EVTRACE_LIB_JSON_H
#define EVTRACE_LIB_JSON_H

#include <stdio.h>

/* A JSON string literal; bytes that are not UTF-8 become \u00XX. */
void json_str(FILE *f, const char *s);

#endif
