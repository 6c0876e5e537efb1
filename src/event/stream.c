// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counting a stream of decoded events: what every source reports at its end. */
#include <stdio.h>
#include <string.h>

#include "event/stream.h"

static const char *const lost_causes[LOST_CAUSES] = {
	[LOST_RING] = "ring", [LOST_RECURSION] = "recursion", [LOST_KPROBE] = "kprobe",
	[LOST_TABLE] = "table", [LOST_INTERRUPTED] = "interrupted",
};

const char *lost_cause_name(enum lost_cause c)
{
	return c < LOST_CAUSES ? lost_causes[c] : "?";
}

enum lost_cause lost_cause_of(const struct et_rec *r)
{
	for (int c = 0; c < LOST_CAUSES; c++)
		if (!strcmp(r->name, lost_causes[c]))
			return c;
	return LOST_RING;
}

void stats_count(struct et_stats *s, const struct et_rec *r)
{
	if (r->type == ET_LOST) {
		s->n[ET_LOST] += r->value;
		s->lost[lost_cause_of(r)] += r->value;
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
		off += snprintf(buf + off, size - off, "), %llu lost",
				(unsigned long long)s->n[ET_LOST]);
	if (off < size)
		lost_causes_text(s->lost, buf + off, size - off);
}

void lost_causes_text(const uint64_t by[LOST_CAUSES], char *buf, size_t size)
{
	size_t off = 0;
	int first = 1;

	if (size)
		buf[0] = '\0';
	for (int c = 0; c < LOST_CAUSES && off < size; c++) {
		if (!by[c])
			continue;
		off += snprintf(buf + off, size - off, "%s%s %llu", first ? " (" : ", ",
				lost_causes[c], (unsigned long long)by[c]);
		first = 0;
	}
	if (!first && off < size)
		snprintf(buf + off, size - off, ")");
}
