// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One decoded event per line.  The JSON field names are a contract (the
 * README lists them); the text form is for people and may change.
 */
#include <inttypes.h>
#include <string.h>

#include "out/print.h"

const char *lookup_result(const struct et_rec *r, char *buf, size_t size)
{
	const char *name;

	if (r->value < 0) {
		name = strerrorname_np((int)-r->value);
		if (name)
			return name;
		snprintf(buf, size, "E%" PRId64, -r->value);
		return buf;
	}
	return r->flags & ET_F_NEGATIVE ? "negative" : "positive";
}

static void json_id(FILE *f, const char *key, uint64_t id)
{
	if (id)
		fprintf(f, ",\"%s\":\"%016" PRIx64 "\"", key, id);
}

static void json_name(FILE *f, const struct et_rec *r)
{
	fputs(",\"name\":", f);
	json_str(f, r->name);
	if (r->flags & ET_F_TRUNC)
		fputs(",\"truncated\":true", f);
}

static void json_flag(FILE *f, const struct et_rec *r, unsigned int flag, const char *key)
{
	if (r->flags & flag)
		fprintf(f, ",\"%s\":true", key);
}

void rec_print_json(FILE *f, const struct et_rec *r)
{
	char buf[32];

	fprintf(f, "{\"type\":\"%s\",\"ts_ns\":%" PRIu64 ",\"cpu\":%u,\"pid\":%u,\"tid\":%u,\"comm\":",
		et_type_name(r->type), r->ts_ns, r->cpu, r->pid, r->tid);
	json_str(f, r->comm);
	fputs(",\"fs\":", f);
	json_str(f, r->fs);
	fprintf(f, ",\"dev\":\"%u:%u\"", r->dev_major, r->dev_minor);

	switch (r->type) {
	case ET_INO_ALLOC:
		fprintf(f, ",\"ino\":%" PRIu64 ",\"caller\":", r->ino);
		json_str(f, r->caller);
		json_id(f, "inode", r->obj_id);
		json_flag(f, r, ET_F_NO_SB, "no_sb");
		json_flag(f, r, ET_F_SB_GUESS, "sb_guess");
		break;
	case ET_INODE_ALLOC:
		json_id(f, "inode", r->obj_id);
		break;
	case ET_INODE_EVICT:
		fprintf(f, ",\"ino\":%" PRIu64, r->ino);
		json_id(f, "inode", r->obj_id);
		break;
	case ET_DENTRY_ALLOC:
	case ET_DENTRY_KILL:
		json_id(f, "dentry", r->obj_id);
		json_id(f, "parent", r->aux_id);
		json_name(f, r);
		if (r->type == ET_DENTRY_KILL)
			fprintf(f, ",\"ino\":%" PRIu64, r->ino);
		json_id(f, "inode", r->inode_id);
		break;
	case ET_LOOKUP:
		json_id(f, "dir", r->obj_id);
		json_name(f, r);
		fputs(",\"result\":", f);
		json_str(f, lookup_result(r, buf, sizeof(buf)));
		json_id(f, "dentry", r->aux_id);
		if (r->ino)
			fprintf(f, ",\"ino\":%" PRIu64, r->ino);
		json_id(f, "inode", r->inode_id);
		break;
	case ET_EI_CREATE:
	case ET_EI_GET:
	case ET_EI_PUT:
	case ET_EI_REMOVE:
	case ET_EI_RELEASE:
		json_id(f, "ei", r->obj_id);
		json_name(f, r);
		fprintf(f, ",\"ino\":%" PRIu64 ",\"refcount\":%" PRId64, r->ino, r->value);
		json_id(f, r->type == ET_EI_CREATE ? "parent" : "dentry", r->aux_id);
		json_flag(f, r, ET_F_FREED, "freed");
		json_flag(f, r, ET_F_NOREF, "noref");
		json_flag(f, r, ET_F_EVENTS, "events_dir");
		json_id(f, "inode", r->inode_id);
		if (r->inode_id)
			fprintf(f, ",\"inode_ino\":%" PRIu64, r->inode_ino);
		json_id(f, "dir_ei", r->pei_id);
		break;
	case ET_LOST:
		fprintf(f, ",\"count\":%" PRId64, r->value);
		break;
	}
	fputs("}\n", f);
}

/* Names come from the kernel: keep control bytes off the terminal. */
static void text_name(FILE *f, const char *name)
{
	fputs(" name=", f);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

static void text_id(FILE *f, const char *key, uint64_t id)
{
	if (id)
		fprintf(f, " %s=%016" PRIx64, key, id);
}

void rec_print_text(FILE *f, const struct et_rec *r)
{
	char buf[32];

	fprintf(f, "%" PRIu64 ".%09" PRIu64 " [%03u] %-16s %7u/%-7u %-12s %-10s %3u:%-3u",
		r->ts_ns / 1000000000, r->ts_ns % 1000000000, r->cpu, r->comm, r->pid,
		r->tid, et_type_name(r->type), r->fs[0] ? r->fs : "-", r->dev_major,
		r->dev_minor);
	switch (r->type) {
	case ET_INO_ALLOC:
		fprintf(f, " ino=%" PRIu64 " caller=%s%s", r->ino, r->caller,
			r->flags & ET_F_NO_SB ? " sb=unknown" :
			r->flags & ET_F_SB_GUESS ? " sb=guess" : "");
		break;
	case ET_INODE_ALLOC:
		text_id(f, "inode", r->obj_id);
		break;
	case ET_INODE_EVICT:
		fprintf(f, " ino=%" PRIu64, r->ino);
		text_id(f, "inode", r->obj_id);
		break;
	case ET_DENTRY_ALLOC:
	case ET_DENTRY_KILL:
		text_name(f, r->name);
		if (r->type == ET_DENTRY_KILL)
			fprintf(f, " ino=%" PRIu64, r->ino);
		text_id(f, "dentry", r->obj_id);
		text_id(f, "parent", r->aux_id);
		break;
	case ET_LOOKUP:
		text_name(f, r->name);
		fprintf(f, " result=%s", lookup_result(r, buf, sizeof(buf)));
		if (r->ino)
			fprintf(f, " ino=%" PRIu64, r->ino);
		text_id(f, "dir", r->obj_id);
		break;
	case ET_EI_CREATE:
	case ET_EI_GET:
	case ET_EI_PUT:
	case ET_EI_REMOVE:
	case ET_EI_RELEASE:
		text_name(f, r->name);
		fprintf(f, " ref=%" PRId64 " ino=%" PRIu64 "%s%s", r->value, r->ino, r->flags & ET_F_FREED ? " freed" : "",
			r->flags & ET_F_NOREF ? " noref" : "");
		text_id(f, "ei", r->obj_id);
		text_id(f, r->type == ET_EI_CREATE ? "parent" : "dentry", r->aux_id);
		break;
	case ET_LOST:
		fprintf(f, " count=%" PRId64, r->value);
		break;
	}
	fputc('\n', f);
}
