// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file, docs/FORMAT.md.  Writer: events are encoded into a chunk
 * (varints, per-chunk string and id tables), sealed with zstd and a CRC.
 * Reader: a parser of untrusted bytes; every length is checked against
 * what is left and against fixed bounds, so any input gives events or a
 * clear error, in memory bounded by one chunk, in time linear in the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "event/schema.h"
#include "file/tracefile.h"

#define HDR_LEN		32
#define HDR_MAX		4096	/* a reader skips header bytes past the 32 it knows */
#define SEC_LEN		40
#define SEC_MAGIC	0x43455345u	/* "ESEC" read as a little-endian u32 */

enum { SEC_META = 1, SEC_EVENTS = 2, SEC_MOUNTS = 3, SEC_TRAILER = 4 };

/*
 * What this writer puts in one chunk.  Small enough that a damaged chunk
 * costs little and the recorder's chunks stay a few MiB; big enough that
 * the 40-byte section header and zstd's frame overhead vanish per event.
 */
#define W_EVENTS	TF_WRITE_EVENTS
#define W_RAW		(4u << 20)
#define W_IDS		(4 * W_EVENTS)	/* at most four id fields per record */
#define W_STRINGS	W_EVENTS

/* What a reader accepts per chunk (any writer of 1.x stays within). */
#define R_IDS		(1u << 20)
#define R_STRINGS	(1u << 16)
#define R_EXT_LEN	4096	/* one extension field (presence bits 13..63) */

/* META, MOUNTS, TRAILER: MOUNTS_MAX escaped mount lines fit with room */
#define TEXT_MAX	(16u << 20)

/*
 * The smallest record: type, presence, ts, cpu, pid, tid, one byte each.
 * Lets a reader refuse a count its payload cannot hold before inflating.
 */
#define REC_MIN		6

/* presence bits: one per optional column of struct et_rec, in its order */
enum {
#define P_BIT(id, member, kind, name)	PB_##id,
	ET_REC_OPTIONAL(P_BIT)
#undef P_BIT
	PB_KNOWN,
};
#define P(id)		(1ull << PB_##id)
#define P_KNOWN		(P(KNOWN) - 1)
_Static_assert(PB_KNOWN == 13, "bits past 12 are extension fields with a length (FORMAT.md)");

/*
 * The largest record this writer makes: type 1, presence 2, ts 10, cpu 5,
 * pid 5, tid 5, then each optional column at its largest (an id: a 3-byte
 * index and 8 bytes; a string: index 3, length 1 and its bytes): 284 bytes.
 */
#define REC_MAX		512
#define MAX_U32(m)	5
#define MAX_DEV(m)	5
#define MAX_U64(m)	10
#define MAX_S64(m)	10
#define MAX_ID(m)	(3 + 8)
#define MAX_STR(m)	(3 + 1 + sizeof(((struct et_rec *)0)->m) - 1)
#define REC_LARGEST(id, member, kind, name)	+ MAX_##kind(member)
_Static_assert(1 + 2 + 10 + 5 + 5 + 5 ET_REC_OPTIONAL(REC_LARGEST) <= REC_MAX,
	       "REC_MAX holds the largest record");

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

/* Spelled out so compilers see one load on little-endian hosts. */
static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
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
	uint32_t n_lost;		/* of n: ET_LOST records */
	uint64_t first_ns, last_ns;	/* smallest and largest ts */
	uint64_t base_ns;		/* the first record's ts: its delta's base */
	uint64_t prev_ts;
	/* id -> index, open addressing; id 0 is never stored, so 0 is empty */
	uint64_t *id_keys;
	uint32_t *id_vals;
	uint32_t n_ids;
	/* string -> index: FNV-1a into slots that hold index + 1 */
	uint32_t *str_slots;
	uint32_t *str_off;		/* into strs */
	char *strs;
	size_t strs_len;
	uint32_t n_strs;
};

#define ID_SLOTS	(2 * W_IDS)	/* load factor <= 1/2: short probes */
#define STR_SLOTS	(2 * W_STRINGS)
#define STRS_CAP	(W_STRINGS * ET_CALLER_LEN)

_Static_assert((ID_SLOTS & (ID_SLOTS - 1)) == 0, "ID_SLOTS is a power of two");
_Static_assert((STR_SLOTS & (STR_SLOTS - 1)) == 0, "STR_SLOTS is a power of two");
_Static_assert(W_EVENTS <= TF_CHUNK_MAX_EVENTS && W_RAW <= TF_CHUNK_MAX_RAW &&
	       W_IDS <= R_IDS && W_STRINGS <= R_STRINGS, "the writer stays within the reader's bounds");

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
	c->n = c->n_lost = 0;
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

uint32_t tf_chunk_lost_records(const struct tf_chunk *c)
{
	return c->n_lost;
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

/* A record being encoded: tf_chunk_add() made room for REC_MAX bytes. */
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

/* An id reference; -E2BIG when the chunk's id table is full. */
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

/* A string reference; at most max - 1 bytes, as the field holds. */
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

/*
 * A table filled up in the middle of a record: drop the entries this record
 * added.  They are the newest, so no older entry probed past their slots
 * and clearing them restores the tables exactly.
 */
static void undo_tables(struct tf_chunk *c, uint32_t ids, uint32_t strs, size_t strs_len)
{
	for (uint32_t s = 0; s < ID_SLOTS && c->n_ids != ids; s++)
		if (c->id_keys[s] && c->id_vals[s] >= ids) {
			c->id_keys[s] = 0;
			c->n_ids--;
		}
	for (uint32_t s = 0; s < STR_SLOTS && c->n_strs != strs; s++)
		if (c->str_slots[s] && c->str_slots[s] - 1 >= strs) {
			c->str_slots[s] = 0;
			c->n_strs--;
		}
	c->strs_len = strs_len;
}

/* How tf_chunk_add() writes a column of each kind (FORMAT.md). */
#define W_U32(m)	w_varint(&b, r->m)
#define W_U64(m)	w_varint(&b, r->m)
#define W_S64(m)	w_varint(&b, zigzag(r->m))
#define W_DEV(m)	w_varint(&b, et_rec_dev(r))
#define W_ID(m)		(err = err ?: w_id(c, &b, r->m))
#define W_STR(m)	(err = err ?: w_str(c, &b, r->m, sizeof(r->m)))

int tf_chunk_add(struct tf_chunk *c, const struct et_rec *r)
{
	uint32_t pres = 0;
	uint32_t save_ids = c->n_ids, save_strs = c->n_strs;
	size_t save_strs_len = c->strs_len;
	struct wbuf b;
	int err = 0;

	if (r->type <= 0 || r->type >= ET_TYPE_MAX)
		return -EINVAL;
	if (c->n == W_EVENTS || c->len + REC_MAX > W_RAW)
		return -E2BIG;
	if (c->len + REC_MAX > c->cap) {
		size_t cap = c->cap * 2;
		void *p;

		if (cap > W_RAW)
			cap = W_RAW;
		p = realloc(c->raw, cap);
		if (!p)
			return -ENOMEM;
		c->raw = p;
		c->cap = cap;
	}
	/* zero and empty cost nothing: a record carries only what it has */
#define W_PRESENT(id, member, kind, name)	pres |= ET_SET(kind, r, member) ? P(id) : 0;
	ET_REC_OPTIONAL(W_PRESENT)
#undef W_PRESENT

	if (!c->n)
		c->base_ns = c->prev_ts = r->ts_ns;
	b.p = c->raw + c->len;
	b.len = 0;
	b.p[b.len++] = r->type;
	w_varint(&b, pres);
	/* ring buffers are per CPU: merged order can step back a little */
	w_varint(&b, zigzag((int64_t)(r->ts_ns - c->prev_ts)));
	w_varint(&b, r->cpu);
	w_varint(&b, r->pid);
	w_varint(&b, zigzag((int64_t)r->tid - (int64_t)r->pid));
	/* then each column present, in presence-bit order */
#define W_COLUMN(id, member, kind, name)	if (pres & P(id)) W_##kind(member);
	ET_REC_OPTIONAL(W_COLUMN)
#undef W_COLUMN
	if (err) {
		undo_tables(c, save_ids, save_strs, save_strs_len);
		return err;
	}
	c->len += b.len;
	c->prev_ts = r->ts_ns;
	if (!c->n || r->ts_ns > c->last_ns)
		c->last_ns = r->ts_ns;
	if (!c->n || r->ts_ns < c->first_ns)
		c->first_ns = r->ts_ns;
	c->n++;
	c->n_lost += r->type == ET_LOST;
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
	uint8_t *buf;

	if (bound > TF_SECTION_MAX)
		return -E2BIG;
	buf = malloc(SEC_LEN + bound);
	if (!buf)
		return -ENOMEM;
	n = ZSTD_compress(buf + SEC_LEN, bound, c->raw, c->len, zstd_level);
	if (ZSTD_isError(n)) {
		free(buf);
		return -EIO;
	}
	/* first ts is the first record's: the base its delta is coded from */
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

/*
 * Text values: space, tab, newline, backslash (and any other control byte)
 * as \ooo, as mountinfo does, so a value is one word of one line.
 */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == ' ' || ch == '\\' || ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
}

static void put_mounts(FILE *f, const struct mount_table *mt)
{
	for (size_t i = 0; i < mt->n && i < MOUNTS_MAX; i++) {
		const struct mount_ent *e = &mt->v[i];
		char fstype[sizeof(e->fstype)], path[sizeof(e->path)];

		/* the table's strings may fill their arrays: cut, never overrun */
		snprintf(fstype, sizeof(fstype), "%.*s", (int)sizeof(e->fstype) - 1, e->fstype);
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(e->path) - 1, e->path);
		fprintf(f, "mount %u:%u ", ET_MAJOR(e->dev), ET_MINOR(e->dev));
		put_escaped(f, fstype[0] ? fstype : "-");
		fputc(' ', f);
		put_escaped(f, path);
		fputc('\n', f);
	}
}

static int write_text(int fd, uint16_t type, const char *text, size_t len, uint64_t first,
		      uint64_t last)
{
	uint8_t h[SEC_LEN];
	int err;

	if (len > TEXT_MAX)
		return -E2BIG;
	sec_header(h, type, len, len, crc32(0, (const uint8_t *)text, len), 0, first, last);
	err = tf_write_all(fd, h, sizeof(h));
	return err ?: tf_write_all(fd, text, len);
}

/* A memstream's text as a section; closes f. */
static int write_stream(int fd, FILE *f, char **text, size_t *len, uint16_t type,
			uint64_t first, uint64_t last)
{
	int err;

	if (fclose(f)) {
		free(*text);
		return -ENOMEM;
	}
	err = write_text(fd, type, *text, *len, first, last);
	free(*text);
	return err;
}

static void put_kv(FILE *f, const char *key, const char *val, size_t size)
{
	char v[1024];

	snprintf(v, sizeof(v), "%.*s", (int)size - 1, val);
	fprintf(f, "%s ", key);
	put_escaped(f, v);
	fputc('\n', f);
}

int tf_write_start(int fd, const struct tf_meta *m)
{
	uint8_t h[HDR_LEN] = { 'E', 'V', 'T', 'R', 'A', 'C', 'E', 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	_Static_assert(sizeof(m->probes) <= 1024 && sizeof(m->filters) <= 1024, "put_kv's buffer");
	put_le(h + 8, TF_VERSION_MAJOR, 2);
	put_le(h + 10, TF_VERSION_MINOR, 2);
	put_le(h + 12, HDR_LEN, 4);
	/* flags and reserved stay zero */
	err = tf_write_all(fd, h, sizeof(h));
	if (err)
		return err;
	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	put_kv(f, "evtrace_version", m->evtrace_version, sizeof(m->evtrace_version));
	put_kv(f, "kernel_release", m->kernel_release, sizeof(m->kernel_release));
	put_kv(f, "machine", m->machine, sizeof(m->machine));
	fprintf(f, "ncpus %u\nboot_offset_ns %lld\nstart_ns %llu\nstart_realtime_ns %llu\n",
		m->ncpus, (long long)m->boot_offset_ns, (unsigned long long)m->start_ns,
		(unsigned long long)m->start_realtime_ns);
	put_kv(f, "probes", m->probes, sizeof(m->probes));
	put_kv(f, "filters", m->filters, sizeof(m->filters));
	put_mounts(f, &m->mounts);
	return write_stream(fd, f, &text, &len, SEC_META, m->start_ns, m->start_ns);
}

int tf_write_mounts(int fd, uint64_t ts_ns, const struct mount_table *mt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "ts_ns %llu\n", (unsigned long long)ts_ns);
	put_mounts(f, mt);
	return write_stream(fd, f, &text, &len, SEC_MOUNTS, ts_ns, ts_ns);
}

#define TRAILER_FMT							\
	"end_ns %llu\nend_realtime_ns %llu\nevents %llu\nlost %llu\ndropped %llu\nchunks %llu\n"

int tf_write_trailer(int fd, const struct tf_trailer *t)
{
	char text[512];
	int len;

	len = snprintf(text, sizeof(text), TRAILER_FMT,
		       (unsigned long long)t->end_ns, (unsigned long long)t->end_realtime_ns,
		       (unsigned long long)t->events, (unsigned long long)t->lost,
		       (unsigned long long)t->dropped, (unsigned long long)t->chunks);
	return write_text(fd, SEC_TRAILER, text, len, t->end_ns, t->end_ns);
}

size_t tf_trailer_max(void)
{
	unsigned long long m = UINT64_MAX;

	return SEC_LEN + snprintf(NULL, 0, TRAILER_FMT, m, m, m, m, m, m);
}

/* ---- reading ---------------------------------------------------------------- */

/* Resync: how far past a damaged header to look, what CRC work to spend. */
#define RESYNC_WINDOW	(1u << 16)
#define RESYNC_SPAN	((uint64_t)SEC_LEN + TF_SECTION_MAX)
#define RESYNC_BUDGET	(2ull * TF_SECTION_MAX)

/* One chunk's decoder state: a record references only its own chunk. */
struct dec {
	const uint8_t *p;		/* the raw records */
	size_t len, pos;
	uint32_t left;			/* records still to decode */
	uint64_t prev_ts;
	uint64_t *ids;
	size_t ids_cap;			/* at most R_IDS */
	uint32_t n_ids;
	char *strs;			/* STR_SLOT bytes each */
	size_t strs_cap;
	uint8_t *str_len;
	uint32_t n_strs;
};

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
	size_t raw_cap;
	ZSTD_DCtx *zd;
	struct dec d;
	uint64_t chunk_first;
	uint32_t direct;		/* chunk_load() decoded the chunk into the caller's batch */

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

/* Buffers grow to the largest section seen, which the bounds cap. */
static int grow(void **buf, size_t *cap, size_t need, size_t size)
{
	void *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need * size);
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
	int end = 0;

	/* "MAJ:MIN FSTYPE PATH"; anything else is a line from the future */
	if (sscanf(v, "%u:%u %n", &major, &minor, &end) != 2 || !end ||
	    major > 4095 || minor > 0xfffff)
		return 0;
	type = v + end;
	path = strchr(type, ' ');
	if (!path)
		return 0;
	*path++ = 0;
	if (mt->n >= MOUNTS_MAX)
		return 0;
	if (mt->n == *cap && grow((void **)&mt->v, cap, *cap * 2 + 16, sizeof(*mt->v)))
		return -ENOMEM;
	e = &mt->v[mt->n++];
	/* whole entries are compared with memcmp: no stray bytes after the NULs */
	memset(e, 0, sizeof(*e));
	e->dev = ET_MKDEV(major, minor);
	mount_unescape(type);
	mount_unescape(path);
	snprintf(e->fstype, sizeof(e->fstype), "%s", strcmp(type, "-") ? type : "");
	snprintf(e->path, sizeof(e->path), "%s", path);
	return 0;
}

/*
 * "key value" lines; fn for each.  The caller NUL-terminated the text (one
 * byte past the section), so a NUL inside simply ends it.
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

static void str_val(char *dst, size_t size, char *v)
{
	mount_unescape(v);
	snprintf(dst, size, "%s", v);
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
	if (!strcmp(k, "evtrace_version"))
		str_val(m->evtrace_version, sizeof(m->evtrace_version), v);
	else if (!strcmp(k, "kernel_release"))
		str_val(m->kernel_release, sizeof(m->kernel_release), v);
	else if (!strcmp(k, "machine"))
		str_val(m->machine, sizeof(m->machine), v);
	else if (!strcmp(k, "ncpus"))
		m->ncpus = num(v);
	else if (!strcmp(k, "boot_offset_ns"))
		m->boot_offset_ns = strtoll(v, NULL, 10);
	else if (!strcmp(k, "start_ns"))
		m->start_ns = num(v);
	else if (!strcmp(k, "start_realtime_ns"))
		m->start_realtime_ns = num(v);
	else if (!strcmp(k, "probes"))
		str_val(m->probes, sizeof(m->probes), v);
	else if (!strcmp(k, "filters"))
		str_val(m->filters, sizeof(m->filters), v);
	return 0;
}

struct mounts_ctx {
	struct mount_table *mt;
	uint64_t ts;
	size_t cap;
};

static int mounts_kv(void *ctx, const char *k, char *v)
{
	struct mounts_ctx *c = ctx;

	if (!strcmp(k, "ts_ns"))
		c->ts = num(v);
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

/* A section header: false if it is not one or breaks a bound. */
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
	if (s->type == SEC_EVENTS)
		return s->stored <= TF_SECTION_MAX && s->raw <= TF_CHUNK_MAX_RAW &&
		       s->count <= TF_CHUNK_MAX_EVENTS;
	if (s->type == SEC_META || s->type == SEC_MOUNTS || s->type == SEC_TRAILER)
		return s->stored <= TEXT_MAX;
	/* a type from a newer minor version: skipped, but still bounded */
	return s->stored <= TF_SECTION_MAX;
}

/* Whether the section at off ends past the end of the file. */
static bool sec_cut(const struct tf_reader *rd, uint64_t off, const struct sec *s)
{
	return rd->size - off - SEC_LEN < s->stored;
}

/*
 * Read a section's payload into rd->sec and check its CRC; 1 ok, 0 bad,
 * -errno.  The caller checked that it is all in the file.
 */
static int sec_load(struct tf_reader *rd, uint64_t off, const struct sec *s)
{
	ssize_t n;

	/* one spare byte: text sections get a NUL */
	if (grow((void **)&rd->sec, &rd->sec_cap, (size_t)s->stored + 1, 1))
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
 * After a damaged section header: the next offset that holds a sane header
 * whose payload is complete and matches its CRC; 0 if none, -errno.  The
 * damaged section cannot have been longer than the largest there is, so
 * the search stops there; and the CRC work on false candidates is capped,
 * so a file full of fake headers cannot make it quadratic.
 */
static int64_t resync(struct tf_reader *rd, uint64_t from)
{
	uint64_t end = rd->size, spent = 0;
	uint8_t *win = malloc(RESYNC_WINDOW + SEC_LEN);
	int64_t found = 0;

	if (!win)
		return -ENOMEM;
	if (end - from > RESYNC_SPAN)
		end = from + RESYNC_SPAN;
	for (uint64_t base = from; base < end && !found; base += RESYNC_WINDOW) {
		ssize_t n = rd_read(rd, base, win, RESYNC_WINDOW + SEC_LEN);

		if (n < 0) {
			found = n;
			break;
		}
		for (ssize_t i = 0; i + SEC_LEN <= n && i < RESYNC_WINDOW && base + i < end; i++) {
			struct sec s;
			int ok;

			if (win[i] != 'E' || !sec_parse(win + i, &s) || sec_cut(rd, base + i, &s))
				continue;
			if (spent + s.stored > RESYNC_BUDGET)
				goto out;
			spent += s.stored;
			ok = sec_load(rd, base + i, &s);
			if (ok) {
				found = ok < 0 ? ok : (int64_t)(base + i);
				break;
			}
		}
	}
out:
	free(win);
	return found;
}

/*
 * A cursor over one chunk's records.  On damage, bad is set and p jumps to
 * end, so every later read fails too and the record is refused once.
 */
struct cur {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t cur_bad(struct cur *c)
{
	c->bad = true;
	c->p = c->end;
	return 0;
}

static inline __attribute__((always_inline)) uint64_t r_varint(struct cur *c)
{
	const uint8_t *p = c->p;
	uint64_t x = 0;

	if (p < c->end && *p < 0x80) {
		c->p = p + 1;
		return *p;
	}
	/* most values are short: no bound check per byte when ten are there */
	if (c->end - p >= 10) {
		for (int shift = 0; shift < 63; shift += 7) {
			uint8_t b = *p++;

			x |= (uint64_t)(b & 0x7f) << shift;
			if (b < 0x80) {
				c->p = p;
				return x;
			}
		}
		/* the tenth byte holds bit 63 only */
		if (*p > 1)
			return cur_bad(c);
		c->p = p + 1;
		return x | (uint64_t)*p << 63;
	}
	for (int shift = 0; p < c->end; shift += 7) {
		uint8_t b = *p++;

		x |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			if (shift == 63 && b > 1)
				break;
			c->p = p;
			return x;
		}
		if (shift == 63)
			break;
	}
	return cur_bad(c);
}

static inline __attribute__((always_inline)) uint32_t r_u32(struct cur *c)
{
	uint64_t x = r_varint(c);

	return x > UINT32_MAX ? cur_bad(c) : x;
}

static inline __attribute__((always_inline)) uint64_t r_id(struct dec *d, struct cur *c)
{
	uint64_t k = r_varint(c), id;

	if (k < d->n_ids)
		return d->ids[k];
	/* ids_cap covers every id the payload has room for */
	if (c->bad || k > d->n_ids || c->end - c->p < 8 || d->n_ids >= d->ids_cap)
		return cur_bad(c);
	id = get_le64(c->p);
	c->p += 8;
	d->ids[d->n_ids++] = id;
	return id;
}

/*
 * A string ref into a field of size bytes.  A string that does not fit
 * with its NUL is damage, also when it was first seen in a bigger field:
 * a name's string may be referenced as a comm.  The table keeps each
 * string zero-padded to STR_SLOT bytes, so delivering one is a fixed-size
 * copy and the field has no stale bytes after its NUL.
 */
#define STR_SLOT	ET_CALLER_LEN

static inline __attribute__((always_inline))
void r_str(struct dec *d, struct cur *c, char *dst, size_t size, const bool fill)
{
	uint64_t k = r_varint(c), len;

	if (k == d->n_strs && !c->bad) {
		len = r_varint(c);
		if (c->bad || d->n_strs >= R_STRINGS || len >= STR_SLOT ||
		    len > (size_t)(c->end - c->p) || memchr(c->p, 0, len) ||
		    grow((void **)&d->strs, &d->strs_cap, d->n_strs + 1 > d->strs_cap ?
			 2 * d->strs_cap + 64 : d->strs_cap, STR_SLOT)) {
			/* kernel strings hold any byte but NUL: a file with one is damaged */
			cur_bad(c);
			return;
		}
		memcpy(d->strs + (size_t)k * STR_SLOT, c->p, len);
		memset(d->strs + (size_t)k * STR_SLOT + len, 0, STR_SLOT - len);
		d->str_len[d->n_strs++] = len;
		c->p += len;
	}
	if (k >= d->n_strs || d->str_len[k] >= size) {
		cur_bad(c);
		return;
	}
	if (fill)
		memcpy(dst, d->strs + (size_t)k * STR_SLOT, size);
}

/* Fields of a newer minor version: a varint length, then bytes to skip. */
static void r_ext(struct cur *c, uint64_t pres)
{
	for (pres &= ~(uint64_t)P_KNOWN; pres && !c->bad; pres &= pres - 1) {
		uint64_t len = r_varint(c);

		if (len > R_EXT_LEN || len > (size_t)(c->end - c->p))
			cur_bad(c);
		else
			c->p += len;
	}
}

/*
 * How dec_rec() reads a column of each kind that has is set: into r
 * only when filling; absent, it is 0 or empty.  A string present is
 * copied with its padding, so only absent ones are zeroed.
 */
#define R_FILL(m, v)	do { __typeof__(r->m) v_ = (v); if (fill) r->m = v_; } while (0)
#define R_U32(m, has)	R_FILL(m, has ? r_u32(&c) : 0)
#define R_U64(m, has)	R_FILL(m, has ? r_varint(&c) : 0)
#define R_S64(m, has)	R_FILL(m, has ? unzigzag(r_varint(&c)) : 0)
#define R_ID(m, has)	R_FILL(m, has ? r_id(d, &c) : 0)
#define R_DEV(m, has)	do {							\
		uint32_t dev_ = has ? r_u32(&c) : 0;				\
		R_FILL(dev_major, ET_MAJOR(dev_));				\
		R_FILL(dev_minor, ET_MINOR(dev_));				\
	} while (0)
#define R_STR(m, has)	do {							\
		if (has)							\
			r_str(d, &c, r->m, sizeof(r->m), fill);			\
		else if (fill)							\
			memset(r->m, 0, sizeof(r->m));				\
	} while (0)

/*
 * One record; 0 or -1 for damage.  Twice per chunk: first to check it all
 * (fill false: nothing is written to r, so a damaged chunk gives nothing),
 * then to deliver.  One body for both, so they cannot disagree.
 */
static inline __attribute__((always_inline))
int dec_rec(struct dec *d, struct et_rec *r, const bool fill)
{
	struct cur c = { d->p + d->pos, d->p + d->len, false };
	uint32_t type, cpu, pid;
	uint64_t pres, ts;
	int64_t dt;

	if (c.p >= c.end)
		return -1;
	type = *c.p++;
	if (type == 0 || type >= ET_TYPE_MAX)
		return -1;
	pres = r_varint(&c);
	ts = d->prev_ts + (uint64_t)unzigzag(r_varint(&c));
	cpu = r_u32(&c);
	pid = r_u32(&c);
	dt = unzigzag(r_varint(&c));
	if (c.bad || dt < -(int64_t)pid || dt > (int64_t)UINT32_MAX - pid)
		return -1;
	if (fill) {
		r->type = type;
		r->ts_ns = ts;
		r->cpu = cpu;
		r->pid = pid;
		r->tid = pid + dt;
	}
	/* then each column, in presence-bit order */
#define R_COLUMN(id, member, kind, name)	R_##kind(member, (pres & P(id)));
	ET_REC_OPTIONAL(R_COLUMN)
#undef R_COLUMN
	if (pres & ~(uint64_t)P_KNOWN)
		r_ext(&c, pres);
	if (c.bad)
		return -1;
	d->pos = c.p - d->p;
	d->prev_ts = ts;
	return 0;
}

static int check_one(struct dec *d)
{
	struct et_rec unused;	/* only its field sizes are looked at */

	return dec_rec(d, &unused, false);
}

static int decode_one(struct dec *d, struct et_rec *r)
{
	return dec_rec(d, r, true);
}

static void dec_start(struct dec *d, uint64_t first)
{
	d->pos = 0;
	d->prev_ts = first;
	d->n_ids = 0;
	d->n_strs = 0;
}

/*
 * Decompress and check a whole chunk before the first of its events goes
 * out, so a damaged chunk is skipped whole: 1 ready, 0 damaged, -errno.
 * Given a batch with room for all of it (out, cap), the chunk is decoded
 * into the batch in the same single pass that checks it, and rd->direct
 * says how many records are there; a damaged chunk leaves nothing the
 * caller will look at.  Otherwise it is checked now and decoded as read.
 */
static int chunk_load(struct tf_reader *rd, const struct sec *s, struct et_rec *out,
		      uint32_t cap)
{
	unsigned long long size = ZSTD_getFrameContentSize(rd->sec, s->stored);
	/* a new id takes 9 bytes at least: the table never needs more */
	size_t got, ids = s->raw / 9 + 1 < R_IDS ? s->raw / 9 + 1 : R_IDS;
	struct dec *d = &rd->d;
	bool one_pass = out && s->count <= cap;

	d->left = 0;	/* until it is all checked, this chunk has nothing to give */
	/* the frame must say what the header says, before we inflate anything */
	if ((uint64_t)s->count * REC_MIN > s->raw || size != s->raw ||
	    ZSTD_findFrameCompressedSize(rd->sec, s->stored) != s->stored)
		return 0;
	if (grow((void **)&rd->raw, &rd->raw_cap, s->raw ? s->raw : 1, 1) ||
	    grow((void **)&d->ids, &d->ids_cap, ids, sizeof(*d->ids)))
		return -ENOMEM;
	if (!rd->zd && !(rd->zd = ZSTD_createDCtx()))
		return -ENOMEM;
	got = ZSTD_decompressDCtx(rd->zd, rd->raw, s->raw, rd->sec, s->stored);
	if (ZSTD_isError(got) || got != s->raw)
		return 0;
	d->p = rd->raw;
	d->len = got;
	dec_start(d, s->first);
	for (uint32_t i = 0; i < s->count; i++)
		if (one_pass ? decode_one(d, &out[i]) : check_one(d))
			return 0;
	/* exactly count records, nothing after them */
	if (d->pos != d->len)
		return 0;
	if (one_pass) {
		rd->direct = s->count;
		return 1;
	}
	dec_start(d, s->first);
	d->left = s->count;
	return 1;
}

static void bad_section(struct tf_reader *rd, const struct sec *s)
{
	rd->st.bad_chunks++;
	if (s && s->type == SEC_EVENTS)
		rd->st.skipped_events += s->count;
}

/*
 * The next section: 1 an events chunk is ready (in out, if chunk_load()
 * could decode it there), 0 the end, -errno.
 */
static int next_section(struct tf_reader *rd, struct et_rec *out, uint32_t cap)
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
			int64_t next = resync(rd, rd->off + 1);

			if (next < 0)
				return next;
			/* a header out of bounds: its count is believed if it is in them */
			bad_section(rd, get_le(h, 4) == SEC_MAGIC && s.type == SEC_EVENTS &&
					s.count <= TF_CHUNK_MAX_EVENTS ? &s : NULL);
			if (!next) {
				rd->done = true;
				break;
			}
			rd->off = next;
			continue;
		}
		if (sec_cut(rd, rd->off, &s)) {
			rd->st.truncated_at = rd->off;
			rd->done = true;
			break;
		}
		ok = sec_load(rd, rd->off, &s);
		if (ok < 0)
			return ok;
		rd->off += SEC_LEN + (uint64_t)s.stored;
		if (!ok) {
			bad_section(rd, &s);
			continue;
		}
		if (s.type == SEC_MOUNTS) {
			struct mount_table mt = { 0 };
			struct mounts_ctx c = { .mt = &mt, .ts = s.first };

			if (parse_text((char *)rd->sec, mounts_kv, &c)) {
				mount_table_free(&mt);
				return -ENOMEM;
			}
			mount_table_free(&rd->mounts);
			rd->mounts = mt;
			rd->mounts_ts = c.ts;
			rd->mounts_new = true;
		} else if (s.type == SEC_TRAILER) {
			memset(&rd->st.trailer, 0, sizeof(rd->st.trailer));
			parse_text((char *)rd->sec, trailer_kv, &rd->st.trailer);
			rd->st.trailer_seen = true;
		} else if (s.type == SEC_EVENTS) {
			ok = chunk_load(rd, &s, out, cap);
			if (ok < 0)
				return ok;
			if (!ok) {
				bad_section(rd, &s);
				continue;
			}
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
	int ok;

	rd->d.str_len = calloc(R_STRINGS, sizeof(*rd->d.str_len));
	if (!rd->d.str_len) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
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
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror((int)-n));
		goto fail;
	}
	if (n < SEC_LEN) {
		snprintf(err, errlen, "truncated inside its metadata section");
		goto fail;
	}
	if (!sec_parse(sh, &s) || s.type != SEC_META) {
		snprintf(err, errlen, get_le(sh, 4) == SEC_MAGIC && get_le(sh + 4, 2) != SEC_META ?
			 "not an evtrace file (no metadata section)" : "damaged metadata section");
		goto fail;
	}
	if (sec_cut(rd, rd->off, &s)) {
		snprintf(err, errlen, "truncated inside its metadata section");
		goto fail;
	}
	ok = sec_load(rd, rd->off, &s);
	if (ok <= 0) {
		snprintf(err, errlen, "%s", ok < 0 ? strerror(-ok) : "damaged metadata section");
		goto fail;
	}
	if (parse_text((char *)rd->sec, meta_kv, &mc)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rd->off += SEC_LEN + (uint64_t)s.stored;
	rd->meta.format_major = major;
	rd->meta.format_minor = minor;
	return rd;
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
	/* the size at open: a file still being written is read up to here */
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
	ZSTD_freeDCtx(rd->zd);
	free(rd->sec);
	free(rd->raw);
	free(rd->d.ids);
	free(rd->d.strs);
	free(rd->d.str_len);
	free(rd);
}

const struct tf_meta *tf_reader_meta(const struct tf_reader *rd)
{
	return &rd->meta;
}

/*
 * The next record of a chunk chunk_load() checked, into r: true, or false
 * when there is none left.  The check makes decoding it certain, but a
 * failure would still count the rest of the chunk as skipped.
 */
static bool next_checked(struct tf_reader *rd, struct et_rec *r)
{
	if (!rd->d.left)
		return false;
	if (decode_one(&rd->d, r) == 0) {
		rd->d.left--;
		rd->st.events++;
		return true;
	}
	rd->st.bad_chunks++;
	rd->st.skipped_events += rd->d.left;
	rd->d.left = 0;
	return false;
}

int tf_next(struct tf_reader *rd, struct et_rec *r)
{
	for (;;) {
		int n;

		if (next_checked(rd, r))
			return 1;
		n = next_section(rd, NULL, 0);
		if (n <= 0)
			return n;
	}
}

int tf_next_batch(struct tf_reader *rd, struct et_rec *out, uint32_t cap)
{
	if (!cap)
		return -EINVAL;
	for (;;) {
		uint32_t n = 0;
		int ret;

		/* a chunk bigger than the batch: in pieces, as tf_next() reads it */
		while (n < cap && next_checked(rd, &out[n]))
			n++;
		if (n)
			return n;
		rd->direct = 0;
		ret = next_section(rd, out, cap);
		if (ret <= 0)
			return ret;
		if (rd->direct) {
			rd->st.events += rd->direct;
			return rd->direct;
		}
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

uint64_t tf_reader_size(const struct tf_reader *rd)
{
	return rd->size;
}

void tf_reader_status(const struct tf_reader *rd, struct tf_status *st)
{
	*st = rd->st;
}
