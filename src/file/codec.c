// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The section header (docs/FORMAT.md), both ways, in one place: the writer
 * puts what the reader parses.
 */
#include "file/codec.h"

void sec_put(uint8_t *h, const struct sec *s)
{
	put_le(h, SEC_MAGIC, 4);
	put_le(h + 4, s->type, 2);
	put_le(h + 6, 0, 2);
	put_le(h + 8, s->stored, 4);
	put_le(h + 12, s->raw, 4);
	put_le(h + 16, s->crc, 4);
	put_le(h + 20, s->count, 4);
	put_le(h + 24, s->first, 8);
	put_le(h + 32, s->last, 8);
}

bool sec_parse(const uint8_t *h, struct sec *s)
{
	if (get_le(h, 4) != SEC_MAGIC)
		return false;
	s->type = get_le(h + 4, 2);
	s->stored = get_le(h + 8, 4);
	s->raw = get_le(h + 12, 4);
	s->crc = get_le(h + 16, 4);
	s->count = get_le(h + 20, 4);
	s->first = get_le(h + 24, 8);
	s->last = get_le(h + 32, 8);
	if (s->type == SEC_EVENTS)
		return s->stored <= TF_SECTION_MAX && s->raw <= TF_CHUNK_MAX_RAW &&
		       s->count <= TF_CHUNK_MAX_EVENTS;
	if (s->type == SEC_META || s->type == SEC_MOUNTS || s->type == SEC_TRAILER ||
	    s->type == SEC_CGROUPS)
		return s->stored <= TEXT_MAX;
	/* a type from a newer minor version: skipped, but still bounded */
	return s->stored <= TF_SECTION_MAX;
}

void tf_meta_free(struct tf_meta *m)
{
	mount_table_free(&m->mounts);
	cgroups_free(m->cgroups);
	m->cgroups = NULL;
}
