// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counting a stream of decoded events: what every source reports at its end. */
#include <stdio.h>

#include "event/stream.h"

void stats_count(struct et_stats *s, const struct et_rec *r)
{
	if (r->type == ET_LOST) {
		s->n[ET_LOST] += r->value;
		return;
	}
	s->n[r->type]++;
	s->total++;
}

void stats_line(const struct et_stats *s, char *buf, size_t size)
{
	size_t off;
	bool first = true;

	off = snprintf(buf, size, "%llu events (", (unsigned long long)s->total);
	for (int t = 1; t < ET_TYPE_MAX && off < size; t++) {
		if (t == ET_LOST || !s->n[t])
			continue;
		off += snprintf(buf + off, size - off, "%s%s %llu", first ? "" : ", ",
				et_type_name(t), (unsigned long long)s->n[t]);
		first = false;
	}
	if (off < size)
		snprintf(buf + off, size - off, "), %llu lost",
			 (unsigned long long)s->n[ET_LOST]);
}
