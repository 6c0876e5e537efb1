// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file's writer, docs/FORMAT.md: events are encoded into a chunk
 * (varints, per-chunk string and id tables), sealed with zstd and a CRC;
 * the header, META, MOUNTS and TRAILER sections around them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "file/codec.h"

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
	/*
	 * then each column present, in presence-bit order; an extension
	 * field (codec.h: P_EXT) after its length, which is one byte: no
	 * field of this writer's takes 128 (REC_MAX's sum)
	 */
#define W_COLUMN(id, member, kind, name)					\
	if (pres & P(id)) {							\
		size_t at_ = b.len;						\
										\
		if (P_EXT(id))							\
			b.len++;						\
		W_##kind(member);						\
		if (P_EXT(id))							\
			b.p[at_] = b.len - at_ - 1;				\
	}
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
	sec_put(buf, &(struct sec){ .type = SEC_EVENTS, .stored = n, .raw = c->len,
				    .crc = crc32(0, buf + SEC_LEN, n), .count = c->n,
				    .first = c->base_ns, .last = c->last_ns });
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
	sec_put(h, &(struct sec){ .type = type, .stored = len, .raw = len,
				  .crc = crc32(0, (const uint8_t *)text, len),
				  .first = first, .last = last });
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
	char v[TF_CMDLINE_MAX];

	snprintf(v, sizeof(v), "%.*s", (int)size - 1, val);
	fprintf(f, "%s ", key);
	put_escaped(f, v);
	fputc('\n', f);
}

static struct cgroups *meta_cgroups;

void tf_set_cgroups(struct cgroups *cg)
{
	meta_cgroups = cg;
}

struct cg_put {
	FILE *f;
	unsigned int n, max;	/* max 0: CG_META_MAX */
};

static int put_cgroup(void *ctx, uint64_t id, const char *path)
{
	struct cg_put *c = ctx;

	if (c->n++ >= (c->max ? c->max : CG_META_MAX))
		return 1;
	fprintf(c->f, "cgroup %llu ", (unsigned long long)id);
	put_escaped(c->f, path);
	fputc('\n', c->f);
	return 0;
}

int tf_write_start(int fd, const struct tf_meta *m)
{
	struct cgroups *cg = m->cgroups ? m->cgroups : meta_cgroups;
	uint8_t h[HDR_LEN] = { 'E', 'V', 'T', 'R', 'A', 'C', 'E', 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	_Static_assert(sizeof(m->probes) <= TF_CMDLINE_MAX && sizeof(m->filters) <= TF_CMDLINE_MAX &&
		       sizeof(m->host) <= TF_CMDLINE_MAX && sizeof(m->cmdline) <= TF_CMDLINE_MAX,
		       "put_kv's buffer");
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
	/* only when known: a reader tells "not recorded" by the key's absence */
	if (m->host[0])
		put_kv(f, "host", m->host, sizeof(m->host));
	if (m->cmdline[0])
		put_kv(f, "cmdline", m->cmdline, sizeof(m->cmdline));
	put_mounts(f, &m->mounts);
	/* a live table walks on first use: walk now, so the file has them all */
	if (cg && !cgroups_count(cg))
		cgroups_walk(cg);
	if (cg)
		cgroups_each(cg, put_cgroup, &(struct cg_put){ .f = f });
	return write_stream(fd, f, &text, &len, SEC_META, m->start_ns, m->start_ns);
}

/* A MOUNTS or CGROUPS section's text, begun: its time first.  NULL: no memory. */
static FILE *text_at(char **text, size_t *len, uint64_t ts_ns)
{
	FILE *f = open_memstream(text, len);

	if (f)
		fprintf(f, "ts_ns %llu\n", (unsigned long long)ts_ns);
	return f;
}

int tf_write_mounts(int fd, uint64_t ts_ns, const struct mount_table *mt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = text_at(&text, &len, ts_ns);

	if (!f)
		return -ENOMEM;
	put_mounts(f, mt);
	/*
	 * and the cgroups known by now: a container that starts brings its
	 * cgroup and, as its mounts' superblocks show up, this section
	 */
	if (meta_cgroups)
		cgroups_each(meta_cgroups, put_cgroup, &(struct cg_put){ .f = f });
	return write_stream(fd, f, &text, &len, SEC_MOUNTS, ts_ns, ts_ns);
}

int tf_write_cgroups(int fd, uint64_t ts_ns, struct cgroups *cg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = text_at(&text, &len, ts_ns);

	if (!f)
		return -ENOMEM;
	/* all of them: the recorder's new ones, at most CG_MAX in a recording */
	cgroups_each(cg, put_cgroup, &(struct cg_put){ .f = f, .max = CG_MAX });
	return write_stream(fd, f, &text, &len, SEC_CGROUPS, ts_ns, ts_ns);
}

#define TRAILER_FMT							\
	"end_ns %llu\nend_realtime_ns %llu\nevents %llu\nlost %llu\ndropped %llu\nchunks %llu\n" \
	"no_generation %llu\n"

int tf_write_trailer(int fd, const struct tf_trailer *t)
{
	char text[512];
	int len;

	len = snprintf(text, sizeof(text), TRAILER_FMT,
		       (unsigned long long)t->end_ns, (unsigned long long)t->end_realtime_ns,
		       (unsigned long long)t->events, (unsigned long long)t->lost,
		       (unsigned long long)t->dropped, (unsigned long long)t->chunks,
		       (unsigned long long)t->no_generation);
	return write_text(fd, SEC_TRAILER, text, len, t->end_ns, t->end_ns);
}

size_t tf_trailer_max(void)
{
	unsigned long long m = UINT64_MAX;

	return SEC_LEN + snprintf(NULL, 0, TRAILER_FMT, m, m, m, m, m, m, m);
}
