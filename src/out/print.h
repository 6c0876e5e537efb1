/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text and JSON Lines renderings of decoded events. */
#ifndef EVTRACE_OUTPUT_H
#define EVTRACE_OUTPUT_H

#include <stdio.h>

#include "event/decode.h"
#include "lib/json.h"

void rec_print_json(FILE *f, const struct et_rec *r);
/* The same, with "cgroup_path" after "cgroup" when the id has one (NULL: none). */
void rec_print_json_cg(FILE *f, const struct et_rec *r, const char *cgroup_path);
void rec_print_text(FILE *f, const struct et_rec *r);
/* "positive", "negative" or an errno name such as "ENOENT" */
const char *lookup_result(const struct et_rec *r, char *buf, size_t size);

#endif
