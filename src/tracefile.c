// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file, docs/FORMAT.md.  Writer: events are encoded into a chunk
 * (varints, per-chunk string and id tables), sealed with zstd and a CRC.
 * Reader: a parser of untrusted bytes; every length is checked against
 * what is left and against fixed bounds, so any input gives events or a
 * clear error, in memory bounded by one chunk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "tracefile.h"

#define HDR_LEN		32
#define SEC_LEN		40
#define SEC_MAGIC	0x43455345u	/* "ESEC" little-endian */

enum { SEC_META = 1, SEC_EVENTS = 2, SEC_MOUNTS = 3, SEC_TRAILER = 4 };

/* Writer chunk bounds (a reader accepts up to TF_CHUNK_MAX_*). */
#define W_EVENTS	16384
#define W_IDS		(4 * W_EVENTS)
#define W_STRINGS	W_EVENTS

#define R_IDS		(1u << 20)
#define R_STRINGS	(1u << 16)

/* presence bits of a record's optional fields, in encoding order */
enum {
	P_FLAGS = 1 << 0, P_DEV = 1 << 1, P_INO = 1 << 2, P_VALUE = 1 << 3,
	P_OBJ = 1 << 4, P_AUX = 1 << 5, P_INODE = 1 << 6, P_PEI = 1 << 7,
	P_INODE_INO = 1 << 8, P_COMM = 1 << 9, P_FS = 1 << 10, P_NAME = 1 << 11,
	P_CALLER = 1 << 12, P_ALL = (1 << 13) - 1,
};

/* ---- little-endian and varint helpers ------------------------------------ */

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* ---- writing ---------------------------------------------------------------- */

struct tf_chunk {
	uint8_t *raw;
	size_t len, cap;
	uint32_t n;
	uint64_t first_ns, last_ns, prev_ts;
	uint64_t base_ns;	/* the first record's ts */
	/* id -> index, open addressing; ids 0 never stored */
	uint64_t *id_keys;
	uint32_t *id_vals;
	uint32_t n_ids;
	/* string -> index: FNV-1a hash into slots holding index + 1 */
	uint32_t *str_slots;
	uint32_t *str_off;	/* into strs */
	char *strs;
	size_t strs_len;
	uint32_t n_strs;
};

#define ID_SLOTS	(2 * W_IDS)
#define STR_SLOTS	(2 * W_STRINGS)
#define STRS_CAP	(W_STRINGS * (ET_NAME_LEN + 1))
#define REC_MAX		512	/* one record, all fields, worst case */

struct tf_chunk *tf_chunk_new(void)
{
	struct tf_chunk *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->cap = 1 << 16;
	c->raw = malloc(c->cap);
	c->id_keys = calloc(ID_SLOTS, sizeof(*c->id_keys));
	c->id_vals = calloc(ID_SLOTS, sizeof(*c->id_vals));
	c->str_slots = calloc(STR_SLOTS, sizeof(*c->str_slots));
	c->str_off = calloc(W_STRINGS, sizeof(*c->str_off));
	c->strs = malloc(STRS_CAP);
	if (!c->raw || !c->id_keys || !c->id_vals || !c->str_slots || !c->str_off || !c->strs) {
		tf_chunk_free(c);
		return NULL;
	}
	return c;
}

void tf_chunk_free(struct tf_chunk *c)
{
	if (!c)
		return;
	free(c->raw);
	free(c->id_keys);
	free(c->id_vals);
	free(c->str_slots);
	free(c->str_off);
	free(c->strs);
	free(c);
}

void tf_chunk_reset(struct tf_chunk *c)
{
	c->len = 0;
	c->n = 0;
	c->first_ns = c->last_ns = c->prev_ts = c->base_ns = 0;
	if (c->n_ids)
		memset(c->id_keys, 0, ID_SLOTS * sizeof(*c->id_keys));
	if (c->n_strs)
		memset(c->str_slots, 0, STR_SLOTS * sizeof(*c->str_slots));
	c->n_ids = 0;
	c->n_strs = 0;
	c->strs_len = 0;
}

uint32_t tf_chunk_events(const struct tf_chunk *c)
{
	return c->n;
}

size_t tf_chunk_raw_bytes(const struct tf_chunk *c)
{
	return c->len;
}

uint64_t tf_chunk_first_ns(const struct tf_chunk *c)
{
	return c->first_ns;
}

uint64_t tf_chunk_last_ns(const struct tf_chunk *c)
{
	return c->last_ns;
}

struct wbuf {
	uint8_t *p;
	size_t len;
};

static void w_varint(struct wbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)v | 0x80;
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Encode an id reference; -E2BIG when the chunk's id table is full. */
static int w_id(struct tf_chunk *c, struct wbuf *b, uint64_t id)
{
	uint32_t slot = mix64(id) & (ID_SLOTS - 1);

	while (c->id_keys[slot]) {
		if (c->id_keys[slot] == id) {
			w_varint(b, c->id_vals[slot]);
			return 0;
		}
		slot = (slot + 1) & (ID_SLOTS - 1);
	}
	if (c->n_ids == W_IDS)
		return -E2BIG;
	c->id_keys[slot] = id;
	c->id_vals[slot] = c->n_ids;
	w_varint(b, c->n_ids++);
	put_le(b->p + b->len, id, 8);
	b->len += 8;
	return 0;
}

static int w_str(struct tf_chunk *c, struct wbuf *b, const char *s, size_t max)
{
	size_t len = strnlen(s, max - 1);
	uint32_t h = 2166136261u, slot;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	slot = h & (STR_SLOTS - 1);
	while (c->str_slots[slot]) {
		uint32_t k = c->str_slots[slot] - 1;
		const char *t = c->strs + c->str_off[k];

		if (strlen(t) == len && !memcmp(t, s, len)) {
			w_varint(b, k);
			return 0;
		}
		slot = (slot + 1) & (STR_SLOTS - 1);
	}
	if (c->n_strs == W_STRINGS || c->strs_len + len + 1 > STRS_CAP)
		return -E2BIG;
	memcpy(c->strs + c->strs_len, s, len);
	c->strs[c->strs_len + len] = 0;
	c->str_off[c->n_strs] = c->strs_len;
	c->strs_len += len + 1;
	c->str_slots[slot] = c->n_strs + 1;
	w_varint(b, c->n_strs++);
	w_varint(b, len);
	memcpy(b->p + b->len, s, len);
	b->len += len;
	return 0;
}

int tf_chunk_add(struct tf_chunk *c, const struct et_rec *r)
{
	struct wbuf b;
	uint32_t pres = 0, dev = ET_MKDEV(r->dev_major, r->dev_minor);
	uint32_t save_ids = c->n_ids, save_strs = c->n_strs;
	size_t save_strs_len = c->strs_len;
	int err = 0;

	if (r->type <= 0 || r->type >= ET_TYPE_MAX)
		return -EINVAL;
	if (c->n == W_EVENTS)
		return -E2BIG;
	if (c->len + REC_MAX > c->cap) {
		size_t cap = c->cap * 2;
		void *p;

		if (cap > TF_CHUNK_MAX_RAW)
			return -E2BIG;
		p = realloc(c->raw, cap);
		if (!p)
			return -ENOMEM;
		c->raw = p;
		c->cap = cap;
	}
	if (r->flags)
		pres |= P_FLAGS;
	if (dev)
		pres |= P_DEV;
	if (r->ino)
		pres |= P_INO;
	if (r->value)
		pres |= P_VALUE;
	if (r->obj_id)
		pres |= P_OBJ;
	if (r->aux_id)
		pres |= P_AUX;
	if (r->inode_id)
		pres |= P_INODE;
	if (r->pei_id)
		pres |= P_PEI;
	if (r->inode_ino)
		pres |= P_INODE_INO;
	if (r->comm[0])
		pres |= P_COMM;
	if (r->fs[0])
		pres |= P_FS;
	if (r->name[0])
		pres |= P_NAME;
	if (r->caller[0])
		pres |= P_CALLER;

	if (!c->n)
		c->base_ns = c->first_ns = c->prev_ts = r->ts_ns;
	b.p = c->raw + c->len;
	b.len = 0;
	b.p[b.len++] = r->type;
	w_varint(&b, pres);
	w_varint(&b, zigzag((int64_t)(r->ts_ns - c->prev_ts)));
	w_varint(&b, r->cpu);
	w_varint(&b, r->pid);
	w_varint(&b, zigzag((int64_t)r->tid - (int64_t)r->pid));
	if (pres & P_FLAGS)
		w_varint(&b, r->flags);
	if (pres & P_DEV)
		w_varint(&b, dev);
	if (pres & P_INO)
		w_varint(&b, r->ino);
	if (pres & P_VALUE)
		w_varint(&b, zigzag(r->value));
	if (pres & P_OBJ)
		err = err ? err : w_id(c, &b, r->obj_id);
	if (pres & P_AUX)
		err = err ? err : w_id(c, &b, r->aux_id);
	if (pres & P_INODE)
		err = err ? err : w_id(c, &b, r->inode_id);
	if (pres & P_PEI)
		err = err ? err : w_id(c, &b, r->pei_id);
	if (pres & P_INODE_INO)
		w_varint(&b, r->inode_ino);
	if (pres & P_COMM)
		err = err ? err : w_str(c, &b, r->comm, sizeof(r->comm));
	if (pres & P_FS)
		err = err ? err : w_str(c, &b, r->fs, sizeof(r->fs));
	if (pres & P_NAME)
		err = err ? err : w_str(c, &b, r->name, sizeof(r->name));
	if (pres & P_CALLER)
		err = err ? err : w_str(c, &b, r->caller, sizeof(r->caller));
	if (err) {
		/* a table filled up mid-record: undo its new entries, the chunk is full */
		for (uint32_t s = 0; s < ID_SLOTS && c->n_ids != save_ids; s++)
			if (c->id_keys[s] && c->id_vals[s] >= save_ids) {
				c->id_keys[s] = 0;
			}
		for (uint32_t s = 0; s < STR_SLOTS && c->n_strs != save_strs; s++)
			if (c->str_slots[s] && c->str_slots[s] - 1 >= save_strs)
				c->str_slots[s] = 0;
		c->n_ids = save_ids;
		c->n_strs = save_strs;
		c->strs_len = save_strs_len;
		return err;
	}
	c->len += b.len;
	c->prev_ts = r->ts_ns;
	if (!c->n || r->ts_ns > c->last_ns)
		c->last_ns = r->ts_ns;
	if (r->ts_ns < c->first_ns)
		c->first_ns = r->ts_ns;
	c->n++;
	return 0;
}

static void sec_header(uint8_t *h, uint16_t type, uint32_t stored, uint32_t raw,
		       uint32_t crc, uint32_t count, uint64_t first, uint64_t last)
{
	put_le(h, SEC_MAGIC, 4);
	put_le(h + 4, type, 2);
	put_le(h + 6, 0, 2);
	put_le(h + 8, stored, 4);
	put_le(h + 12, raw, 4);
	put_le(h + 16, crc, 4);
	put_le(h + 20, count, 4);
	put_le(h + 24, first, 8);
	put_le(h + 32, last, 8);
}

int tf_chunk_seal(const struct tf_chunk *c, int zstd_level, uint8_t **out, size_t *len)
{
	size_t bound = ZSTD_compressBound(c->len), n;
	uint8_t *buf = malloc(SEC_LEN + bound);

	if (!buf)
		return -ENOMEM;
	n = ZSTD_compress(buf + SEC_LEN, bound, c->raw, c->len, zstd_level);
	if (ZSTD_isError(n)) {
		free(buf);
		return -EIO;
	}
	/* first_ts is the first record's ts: the base its delta is coded from */
	sec_header(buf, SEC_EVENTS, n, c->len, crc32(0, buf + SEC_LEN, n), c->n,
		   c->base_ns, c->last_ns);
	*out = buf;
	*len = SEC_LEN + n;
	return 0;
}

int tf_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/* Text values: whitespace and backslash as \ooo, as mountinfo does. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\\' || ch < 0x20)
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
}

static void put_mounts(FILE *f, const struct mount_table *mt)
{
	for (size_t i = 0; i < mt->n; i++) {
		fprintf(f, "mount %u:%u ", ET_MAJOR(mt->v[i].dev), ET_MINOR(mt->v[i].dev));
		put_escaped(f, mt->v[i].fstype[0] ? mt->v[i].fstype : "-");
		fputc(' ', f);
		put_escaped(f, mt->v[i].path);
		fputc('\n', f);
	}
}

static int write_text(int fd, uint16_t type, char *text, size_t len, uint64_t first,
		      uint64_t last)
{
	uint8_t h[SEC_LEN];
	int err;

	if (len > TF_SECTION_MAX)
		return -E2BIG;
	sec_header(h, type, len, len, crc32(0, (const uint8_t *)text, len), 0, first, last);
	err = tf_write_all(fd, h, sizeof(h));
	return err ? err : tf_write_all(fd, text, len);
}

int tf_write_start(int fd, const struct tf_meta *m)
{
	uint8_t h[HDR_LEN] = { 'E', 'V', 'T', 'R', 'A', 'C', 'E', 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	put_le(h + 8, TF_VERSION_MAJOR, 2);
	put_le(h + 10, TF_VERSION_MINOR, 2);
	put_le(h + 12, HDR_LEN, 4);
	err = tf_write_all(fd, h, sizeof(h));
	if (err)
		return err;
	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	fputs("evtrace_version ", f);
	put_escaped(f, m->evtrace_version);
	fputs("\nkernel_release ", f);
	put_escaped(f, m->kernel_release);
	fputs("\nmachine ", f);
	put_escaped(f, m->machine);
	fprintf(f, "\nncpus %u\nboot_offset_ns %lld\nstart_ns %llu\nstart_realtime_ns %llu\nprobes ",
		m->ncpus, (long long)m->boot_offset_ns, (unsigned long long)m->start_ns,
		(unsigned long long)m->start_realtime_ns);
	put_escaped(f, m->probes);
	fputs("\nfilters ", f);
	put_escaped(f, m->filters);
	fputc('\n', f);
	put_mounts(f, &m->mounts);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	err = write_text(fd, SEC_META, text, len, m->start_ns, m->start_ns);
	free(text);
	return err;
}

int tf_write_mounts(int fd, uint64_t ts_ns, const struct mount_table *mt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f)
		return -ENOMEM;
	fprintf(f, "ts_ns %llu\n", (unsigned long long)ts_ns);
	put_mounts(f, mt);
	if (fclose(f)) {
		free(text);
		return -ENOMEM;
	}
	err = write_text(fd, SEC_MOUNTS, text, len, ts_ns, ts_ns);
	free(text);
	return err;
}

int tf_write_trailer(int fd, const struct tf_trailer *t)
{
	char text[512];
	int len;

	len = snprintf(text, sizeof(text),
		       "end_ns %llu\nend_realtime_ns %llu\nevents %llu\nlost %llu\ndropped %llu\nchunks %llu\n",
		       (unsigned long long)t->end_ns, (unsigned long long)t->end_realtime_ns,
		       (unsigned long long)t->events, (unsigned long long)t->lost,
		       (unsigned long long)t->dropped, (unsigned long long)t->chunks);
	return write_text(fd, SEC_TRAILER, text, len, t->end_ns, t->end_ns);
}

/* ---- reading ---------------------------------------------------------------- */

#define TEXT_MAX	(1u << 20)	/* META, MOUNTS, TRAILER */
#define HDR_MAX		4096
#define RESYNC_WINDOW	(1u << 16)

struct tf_reader {
	int fd;
	const uint8_t *mem;
	uint64_t size, off;
	struct tf_meta meta;
	struct tf_status st;
	bool done;

	uint8_t *sec;			/* the current section's stored payload */
	size_t sec_cap;
	uint8_t *raw;			/* the current chunk, decompressed */
	size_t raw_cap, raw_len, pos;
	uint32_t left, count;
	uint64_t prev_ts;
	uint64_t *ids;
	uint32_t n_ids, ids_cap;
	uint32_t *str_off;		/* into raw */
	uint8_t *str_len;
	uint32_t n_strs;

	struct mount_table mounts;	/* the newest MOUNTS section */
	uint64_t mounts_ts;
	bool mounts_new;
};

void tf_meta_free(struct tf_meta *m)
{
	mount_table_free(&m->mounts);
}

/* Bytes at off, as many as there are; -errno on an I/O error. */
static ssize_t rd_read(struct tf_reader *rd, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;

	if (off >= rd->size)
		return 0;
	if (len > rd->size - off)
		len = rd->size - off;
	if (rd->mem) {
		memcpy(buf, rd->mem + off, len);
		return len;
	}
	while (got < len) {
		ssize_t n = pread(rd->fd, (uint8_t *)buf + got, len - got, off + got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	void *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

static int mount_line(struct mount_table *mt, size_t *cap, char *v)
{
	unsigned int major, minor;
	char *type, *path;
	struct mount_ent *e;

	if (sscanf(v, "%u:%u", &major, &minor) != 2 || major > 4095 || minor > 0xfffff)
		return 0;
	type = strchr(v, ' ');
	if (!type)
		return 0;
	*type++ = 0;
	path = strchr(type, ' ');
	if (!path)
		return 0;
	*path++ = 0;
	if (mt->n >= MOUNTS_MAX)
		return 0;
	if (mt->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *p = realloc(mt->v, ncap * sizeof(*mt->v));

		if (!p)
			return -ENOMEM;
		mt->v = p;
		*cap = ncap;
	}
	e = &mt->v[mt->n++];
	memset(e, 0, sizeof(*e));
	e->dev = ET_MKDEV(major, minor);
	mount_unescape(type);
	mount_unescape(path);
	snprintf(e->fstype, sizeof(e->fstype), "%s", strcmp(type, "-") ? type : "");
	snprintf(e->path, sizeof(e->path), "%s", path);
	return 0;
}

/*
 * "key value" lines; calls fn for each.  The text is NUL-terminated by the
 * caller (one byte past the section).
 */
static int parse_text(char *text, int (*fn)(void *ctx, const char *key, char *val), void *ctx)
{
	char *line = text, *next;

	for (; line && *line; line = next) {
		char *sp;
		int err;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = 0;
		err = fn(ctx, line, sp + 1);
		if (err)
			return err;
	}
	return 0;
}

static uint64_t num(const char *v)
{
	return strtoull(v, NULL, 10);
}

struct meta_ctx {
	struct tf_meta *m;
	size_t cap;
};

static int meta_kv(void *ctx, const char *k, char *v)
{
	struct meta_ctx *c = ctx;
	struct tf_meta *m = c->m;

	if (!strcmp(k, "mount"))
		return mount_line(&m->mounts, &c->cap, v);
	mount_unescape(v);
	if (!strcmp(k, "evtrace_version"))
		snprintf(m->evtrace_version, sizeof(m->evtrace_version), "%s", v);
	else if (!strcmp(k, "kernel_release"))
		snprintf(m->kernel_release, sizeof(m->kernel_release), "%s", v);
	else if (!strcmp(k, "machine"))
		snprintf(m->machine, sizeof(m->machine), "%s", v);
	else if (!strcmp(k, "ncpus"))
		m->ncpus = num(v);
	else if (!strcmp(k, "boot_offset_ns"))
		m->boot_offset_ns = strtoll(v, NULL, 10);
	else if (!strcmp(k, "start_ns"))
		m->start_ns = num(v);
	else if (!strcmp(k, "start_realtime_ns"))
		m->start_realtime_ns = num(v);
	else if (!strcmp(k, "probes"))
		snprintf(m->probes, sizeof(m->probes), "%s", v);
	else if (!strcmp(k, "filters"))
		snprintf(m->filters, sizeof(m->filters), "%s", v);
	return 0;
}

struct mounts_ctx {
	struct mount_table *mt;
	uint64_t *ts;
	size_t cap;
};

static int mounts_kv(void *ctx, const char *k, char *v)
{
	struct mounts_ctx *c = ctx;

	if (!strcmp(k, "ts_ns"))
		*c->ts = num(v);
	else if (!strcmp(k, "mount"))
		return mount_line(c->mt, &c->cap, v);
	return 0;
}

static int trailer_kv(void *ctx, const char *k, char *v)
{
	struct tf_trailer *t = ctx;

	if (!strcmp(k, "end_ns"))
		t->end_ns = num(v);
	else if (!strcmp(k, "end_realtime_ns"))
		t->end_realtime_ns = num(v);
	else if (!strcmp(k, "events"))
		t->events = num(v);
	else if (!strcmp(k, "lost"))
		t->lost = num(v);
	else if (!strcmp(k, "dropped"))
		t->dropped = num(v);
	else if (!strcmp(k, "chunks"))
		t->chunks = num(v);
	return 0;
}

struct sec {
	uint16_t type;
	uint32_t stored, raw, crc, count;
	uint64_t first, last;
};

static bool sec_parse(const uint8_t *h, struct sec *s)
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
	/* bounds every reader enforces, whatever the file says */
	if (s->type == SEC_EVENTS)
		return s->stored <= TF_SECTION_MAX && s->raw <= TF_CHUNK_MAX_RAW &&
		       s->count <= TF_CHUNK_MAX_EVENTS;
	return s->stored <= TEXT_MAX;
}

/* Read a section's payload into rd->sec and check its CRC; 1 ok, 0 bad, -errno. */
static int sec_load(struct tf_reader *rd, uint64_t off, const struct sec *s)
{
	ssize_t n;

	/* one spare byte: text sections get a NUL */
	if (grow(&rd->sec, &rd->sec_cap, (size_t)s->stored + 1))
		return -ENOMEM;
	n = rd_read(rd, off + SEC_LEN, rd->sec, s->stored);
	if (n < 0)
		return n;
	if ((size_t)n != s->stored)
		return 0;
	rd->sec[s->stored] = 0;
	return crc32(0, rd->sec, s->stored) == s->crc;
}

/*
 * After a damaged section header: find the next offset that holds a sane
 * header whose payload is complete and matches its CRC.  0 if none.
 */
static uint64_t resync(struct tf_reader *rd, uint64_t from)
{
	uint8_t win[RESYNC_WINDOW + SEC_LEN];

	for (uint64_t base = from; base < rd->size; base += RESYNC_WINDOW) {
		ssize_t n = rd_read(rd, base, win, sizeof(win));

		if (n <= 0)
			return 0;
		for (ssize_t i = 0; i + SEC_LEN <= n && i < RESYNC_WINDOW; i++) {
			struct sec s;

			if (win[i] != 'E' || !sec_parse(win + i, &s))
				continue;
			if (base + i + SEC_LEN + s.stored > rd->size)
				continue;
			if (sec_load(rd, base + i, &s) == 1)
				return base + i;
		}
	}
	return 0;
}

static int64_t r_varint(struct tf_reader *rd, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (rd->pos >= rd->raw_len)
			return -1;
		b = rd->raw[rd->pos++];
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static int r_id(struct tf_reader *rd, uint64_t *id)
{
	uint64_t k;

	if (r_varint(rd, &k) || k > rd->n_ids)
		return -1;
	if (k < rd->n_ids) {
		*id = rd->ids[k];
		return 0;
	}
	if (rd->raw_len - rd->pos < 8 || rd->n_ids >= R_IDS)
		return -1;
	if (rd->n_ids == rd->ids_cap) {
		uint32_t cap = rd->ids_cap ? rd->ids_cap * 2 : 4096;
		void *p = realloc(rd->ids, cap * sizeof(*rd->ids));

		if (!p)
			return -1;
		rd->ids = p;
		rd->ids_cap = cap;
	}
	*id = get_le(rd->raw + rd->pos, 8);
	rd->pos += 8;
	rd->ids[rd->n_ids++] = *id;
	return 0;
}

static int r_str(struct tf_reader *rd, char *dst, size_t size)
{
	uint64_t k, len;

	if (r_varint(rd, &k) || k > rd->n_strs)
		return -1;
	if (k == rd->n_strs) {
		if (rd->n_strs >= R_STRINGS || r_varint(rd, &len) || len >= size ||
		    len > rd->raw_len - rd->pos)
			return -1;
		/* kernel strings hold any byte but NUL: a file with one is damaged */
		if (memchr(rd->raw + rd->pos, 0, len))
			return -1;
		rd->str_off[rd->n_strs] = rd->pos;
		rd->str_len[rd->n_strs++] = len;
		rd->pos += len;
	}
	memcpy(dst, rd->raw + rd->str_off[k], rd->str_len[k]);
	dst[rd->str_len[k]] = 0;
	return 0;
}

static int decode_one(struct tf_reader *rd, struct et_rec *r)
{
	uint64_t pres, v;

	memset(r, 0, sizeof(*r));
	if (rd->pos >= rd->raw_len)
		return -1;
	r->type = rd->raw[rd->pos++];
	if (r->type <= 0 || r->type >= ET_TYPE_MAX || r_varint(rd, &pres) || pres & ~(uint64_t)P_ALL)
		return -1;
	if (r_varint(rd, &v))
		return -1;
	rd->prev_ts += (uint64_t)unzigzag(v);
	r->ts_ns = rd->prev_ts;
	if (r_varint(rd, &v) || v > UINT32_MAX)
		return -1;
	r->cpu = v;
	if (r_varint(rd, &v) || v > UINT32_MAX)
		return -1;
	r->pid = v;
	if (r_varint(rd, &v))
		return -1;
	r->tid = (uint32_t)(r->pid + unzigzag(v));
	if (pres & P_FLAGS) {
		if (r_varint(rd, &v) || v > UINT32_MAX)
			return -1;
		r->flags = v;
	}
	if (pres & P_DEV) {
		if (r_varint(rd, &v) || v > UINT32_MAX)
			return -1;
		r->dev_major = ET_MAJOR((uint32_t)v);
		r->dev_minor = ET_MINOR((uint32_t)v);
	}
	if (pres & P_INO && r_varint(rd, &r->ino))
		return -1;
	if (pres & P_VALUE) {
		if (r_varint(rd, &v))
			return -1;
		r->value = unzigzag(v);
	}
	if ((pres & P_OBJ && r_id(rd, &r->obj_id)) || (pres & P_AUX && r_id(rd, &r->aux_id)) ||
	    (pres & P_INODE && r_id(rd, &r->inode_id)) || (pres & P_PEI && r_id(rd, &r->pei_id)))
		return -1;
	if (pres & P_INODE_INO && r_varint(rd, &r->inode_ino))
		return -1;
	if ((pres & P_COMM && r_str(rd, r->comm, sizeof(r->comm))) ||
	    (pres & P_FS && r_str(rd, r->fs, sizeof(r->fs))) ||
	    (pres & P_NAME && r_str(rd, r->name, sizeof(r->name))) ||
	    (pres & P_CALLER && r_str(rd, r->caller, sizeof(r->caller))))
		return -1;
	return 0;
}

/* The next section: 1 an events chunk is ready, 0 the end, -errno. */
static int next_section(struct tf_reader *rd)
{
	while (!rd->done) {
		uint8_t h[SEC_LEN];
		struct sec s;
		ssize_t n;
		int ok;

		if (rd->off >= rd->size) {
			rd->done = true;
			break;
		}
		n = rd_read(rd, rd->off, h, SEC_LEN);
		if (n < 0)
			return n;
		if (n < SEC_LEN) {
			rd->st.truncated_at = rd->off;
			rd->done = true;
			break;
		}
		if (!sec_parse(h, &s)) {
			uint64_t next = resync(rd, rd->off + 1);

			rd->st.bad_chunks++;
			if (!next) {
				rd->done = true;
				break;
			}
			rd->off = next;
			continue;
		}
		if (rd->size - rd->off - SEC_LEN < s.stored) {
			rd->st.truncated_at = rd->off;
			rd->done = true;
			break;
		}
		ok = sec_load(rd, rd->off, &s);
		if (ok < 0)
			return ok;
		rd->off += SEC_LEN + (uint64_t)s.stored;
		if (!ok) {
			rd->st.bad_chunks++;
			rd->st.skipped_events += s.type == SEC_EVENTS ? s.count : 0;
			continue;
		}
		if (s.type == SEC_MOUNTS) {
			struct mount_table mt = { 0 };
			struct mounts_ctx c = { .mt = &mt, .ts = &rd->mounts_ts };

			if (parse_text((char *)rd->sec, mounts_kv, &c)) {
				mount_table_free(&mt);
				return -ENOMEM;
			}
			mount_table_free(&rd->mounts);
			rd->mounts = mt;
			rd->mounts_new = true;
		} else if (s.type == SEC_TRAILER) {
			memset(&rd->st.trailer, 0, sizeof(rd->st.trailer));
			parse_text((char *)rd->sec, trailer_kv, &rd->st.trailer);
			rd->st.trailer_seen = true;
		} else if (s.type == SEC_EVENTS) {
			size_t got;

			if (grow(&rd->raw, &rd->raw_cap, s.raw ? s.raw : 1))
				return -ENOMEM;
			got = ZSTD_decompress(rd->raw, s.raw, rd->sec, s.stored);
			if (ZSTD_isError(got) || got != s.raw) {
				rd->st.bad_chunks++;
				rd->st.skipped_events += s.count;
				continue;
			}
			rd->raw_len = got;
			rd->pos = 0;
			rd->left = rd->count = s.count;
			rd->prev_ts = s.first;
			rd->n_ids = 0;
			rd->n_strs = 0;
			rd->st.chunks++;
			return 1;
		}
		/* META again, or a section type from a newer minor version: skip */
	}
	return 0;
}

static struct tf_reader *open_common(struct tf_reader *rd, char *err, size_t errlen)
{
	uint8_t h[HDR_LEN], sh[SEC_LEN];
	struct meta_ctx mc = { .m = &rd->meta };
	unsigned int major, minor;
	uint64_t hdr_len;
	struct sec s;
	ssize_t n;

	if (rd->size == 0) {
		snprintf(err, errlen, "empty file");
		goto fail;
	}
	n = rd_read(rd, 0, h, HDR_LEN);
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror((int)-n));
		goto fail;
	}
	if (n < 8 || memcmp(h, "EVTRACE", 8)) {
		snprintf(err, errlen, "not an evtrace file");
		goto fail;
	}
	if (n < HDR_LEN) {
		snprintf(err, errlen, "truncated at byte %zd, inside the file header", n);
		goto fail;
	}
	major = get_le(h + 8, 2);
	minor = get_le(h + 10, 2);
	hdr_len = get_le(h + 12, 4);
	if (major > TF_VERSION_MAJOR) {
		snprintf(err, errlen,
			 "file format %u.%u is newer than this evtrace reads (%u.x): upgrade evtrace",
			 major, minor, TF_VERSION_MAJOR);
		goto fail;
	}
	if (major < 1 || hdr_len < HDR_LEN || hdr_len > HDR_MAX) {
		snprintf(err, errlen, "not an evtrace file (bad header)");
		goto fail;
	}
	rd->off = hdr_len;
	n = rd_read(rd, rd->off, sh, SEC_LEN);
	if (n == SEC_LEN && sec_parse(sh, &s) && s.type == SEC_META &&
	    rd->size - rd->off - SEC_LEN >= s.stored && sec_load(rd, rd->off, &s) == 1) {
		if (parse_text((char *)rd->sec, meta_kv, &mc)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		rd->off += SEC_LEN + (uint64_t)s.stored;
		return rd;
	}
	snprintf(err, errlen, n < SEC_LEN || (sec_parse(sh, &s) && rd->size - rd->off - SEC_LEN < s.stored) ?
		 "truncated inside its metadata section" : "damaged metadata section");
fail:
	tf_close(rd);
	return NULL;
}

struct tf_reader *tf_open(const char *path, char *err, size_t errlen)
{
	struct tf_reader *rd = calloc(1, sizeof(*rd));
	off_t size;

	if (!rd) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rd->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (rd->fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(rd);
		return NULL;
	}
	size = lseek(rd->fd, 0, SEEK_END);
	if (size < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		tf_close(rd);
		return NULL;
	}
	rd->size = size;
	return open_common(rd, err, errlen);
}

struct tf_reader *tf_open_mem(const void *buf, size_t len, char *err, size_t errlen)
{
	struct tf_reader *rd = calloc(1, sizeof(*rd));

	if (!rd) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rd->fd = -1;
	rd->mem = buf;
	rd->size = len;
	return open_common(rd, err, errlen);
}

void tf_close(struct tf_reader *rd)
{
	if (!rd)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	tf_meta_free(&rd->meta);
	mount_table_free(&rd->mounts);
	free(rd->sec);
	free(rd->raw);
	free(rd->ids);
	free(rd->str_off);
	free(rd->str_len);
	free(rd);
}

const struct tf_meta *tf_reader_meta(const struct tf_reader *rd)
{
	return &rd->meta;
}

int tf_next(struct tf_reader *rd, struct et_rec *r)
{
	if (!rd->str_off) {
		rd->str_off = calloc(R_STRINGS, sizeof(*rd->str_off));
		rd->str_len = calloc(R_STRINGS, sizeof(*rd->str_len));
		if (!rd->str_off || !rd->str_len)
			return -ENOMEM;
	}
	for (;;) {
		int n;

		if (rd->left) {
			if (decode_one(rd, r) == 0) {
				rd->left--;
				rd->st.events++;
				return 1;
			}
			/* a damaged chunk: what it still held is lost, the rest is not */
			rd->st.bad_chunks++;
			rd->st.skipped_events += rd->left;
			rd->left = 0;
		}
		n = next_section(rd);
		if (n <= 0)
			return n;
	}
}

const struct mount_table *tf_mounts_changed(struct tf_reader *rd, uint64_t *ts_ns)
{
	if (!rd->mounts_new)
		return NULL;
	rd->mounts_new = false;
	if (ts_ns)
		*ts_ns = rd->mounts_ts;
	return &rd->mounts;
}

void tf_reader_status(const struct tf_reader *rd, struct tf_status *st)
{
	*st = rd->st;
}
