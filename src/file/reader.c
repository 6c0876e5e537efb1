// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file's reader, docs/FORMAT.md: a parser of untrusted bytes,
 * and what tests/fuzz/ aims at.  Every length is checked against what is
 * left and against fixed bounds, so any input gives events or a clear
 * error, in memory bounded by one chunk, in time linear in the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "file/codec.h"

/*
 * Resync: how far past a damaged header to look, and in what windows:
 * small first, as the next section is usually near, doubling up to the
 * largest, so a scan reads little more than it looks at.
 */
#define RESYNC_SPAN	((uint64_t)SEC_LEN + TF_SECTION_MAX)
#define RESYNC_WIN_MIN	256u
#define RESYNC_WINDOW	(1u << 16)

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
	/*
	 * size: the file's at open; a stream's, the bytes read from it so
	 * far (its end is known only at EOF), which the budgets follow.
	 */
	uint64_t size, off;
	/*
	 * A stream (standard input, a pipe: tf_open_fd()) is read in order
	 * and never seeked: sb holds its bytes [sb_base, sb_base + sb_len),
	 * from the oldest offset the reader may still look at (the section
	 * it is on, or where a resync scans) to as far as it needed to look
	 * ahead, which the bounds cap at a section and a resync window.
	 */
	bool stream, sb_eof, own_fd;
	uint8_t *sb;
	size_t sb_cap, sb_len;
	uint64_t sb_base;
	uint64_t drained;		/* bytes read past where reading stopped (tf_reader_size()) */
	struct tf_meta meta;
	struct tf_status st;
	bool done;

	uint8_t *sec;			/* the current section's stored payload */
	size_t sec_cap;
	uint64_t sec_at;		/* 1 + the offset of the section in sec, CRC checked; 0 none */
	uint8_t *win;			/* resync()'s window, RESYNC_WINDOW + SEC_LEN bytes */
	uint64_t work_max;		/* the work budget: TF_WORK_FLOOR + TF_WORK_PER_BYTE * size */
	uint64_t inflate_max;		/* what it may decompress: TF_INFLATE_* */
	uint8_t *raw;			/* the current chunk, decompressed */
	size_t raw_cap;
	ZSTD_DCtx *zd;
	struct dec d;
	uint64_t chunk_first;
	uint32_t direct;		/* chunk_load() decoded the chunk into the caller's batch */

	struct mount_table mounts;	/* the newest MOUNTS section */
	uint64_t mounts_ts;
	bool mounts_new;
	/*
	 * The cgroups named by the MOUNTS and CGROUPS sections read since
	 * tf_cgroups_changed() last took them: what applies from the next
	 * event on, whatever the file holds further on.
	 */
	struct cgroups *cg_new;
};

/*
 * The budgets (TF_WORK_*, TF_INFLATE_*) of a file of rd->size bytes: a
 * file's once, a stream's again as it is read, so a stream pays as a file
 * of the bytes read so far would.
 */
static void budgets(struct tf_reader *rd)
{
	/* saturated: a size this big is no file, but must not wrap to a small budget */
	rd->work_max = rd->size > (UINT64_MAX - TF_WORK_FLOOR) / TF_WORK_PER_BYTE ? UINT64_MAX :
		       TF_WORK_FLOOR + TF_WORK_PER_BYTE * rd->size;
	rd->inflate_max = rd->size > UINT64_MAX / TF_INFLATE_PER_BYTE ? UINT64_MAX :
			  TF_INFLATE_PER_BYTE * rd->size;
	if (rd->inflate_max < TF_INFLATE_FLOOR)
		rd->inflate_max = TF_INFLATE_FLOOR;
}

/* A stream's reads: big enough that a pipe's bytes come in few calls. */
#define SB_READ		(256u << 10)

/*
 * A stream: read until sb holds the bytes up to end, or the stream ends.
 * 0 or -errno.  sb grows to what the reader must see at once: a section
 * (header and payload, TF_SECTION_MAX at most), or a resync's window and
 * the candidate section in it.  It grows as bytes come, never by what a
 * header claims: a few bytes saying "64 MiB follow" cost a read, not 64 MiB.
 */
static int sb_fill(struct tf_reader *rd, uint64_t end)
{
	while (!rd->sb_eof && rd->sb_base + rd->sb_len < end) {
		size_t want = SB_READ;
		ssize_t n;

		if (rd->sb_len + want > rd->sb_cap) {
			size_t cap = rd->sb_cap ? rd->sb_cap : SB_READ;
			void *p;

			while (cap < rd->sb_len + want)
				cap *= 2;
			p = realloc(rd->sb, cap);
			if (!p)
				return -ENOMEM;
			rd->sb = p;
			rd->sb_cap = cap;
		}
		n = read(rd->fd, rd->sb + rd->sb_len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			rd->sb_eof = true;
		rd->sb_len += n;
		rd->size += n;
	}
	budgets(rd);
	return 0;
}

/* A stream: what comes before off is never looked at again; drop it. */
static void sb_release(struct tf_reader *rd, uint64_t off)
{
	size_t drop;

	if (!rd->stream || off <= rd->sb_base)
		return;
	drop = off - rd->sb_base < rd->sb_len ? off - rd->sb_base : rd->sb_len;
	memmove(rd->sb, rd->sb + drop, rd->sb_len - drop);
	rd->sb_len -= drop;
	rd->sb_base += drop;
}

/*
 * How many of the len bytes at off there are, up to len: a file's
 * from its size, a stream's once read (-errno on an I/O error).
 */
static int64_t avail(struct tf_reader *rd, uint64_t off, uint64_t len)
{
	if (rd->stream) {
		int err = off + len < off ? -EOVERFLOW : sb_fill(rd, off + len);

		if (err)
			return err;
	}
	if (off >= rd->size)
		return 0;
	return len < rd->size - off ? len : rd->size - off;
}

/* Bytes at off, as many as there are; -errno on an I/O error. */
static ssize_t rd_read(struct tf_reader *rd, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;
	int64_t n = avail(rd, off, len);

	if (n <= 0)
		return n;
	len = n;
	if (rd->stream) {
		/* the reader goes forward: nothing it asks for was dropped */
		if (off < rd->sb_base)
			return -ESPIPE;
		memcpy(buf, rd->sb + (off - rd->sb_base), len);
		return len;
	}
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

/*
 * "ID PATH" (format 1.1): a cgroup's path on the traced host.  A line
 * that does not parse, or past CG_MAX, is left out: names, not events.
 */
static int cgroup_line(struct tf_meta *m, char *v, struct cgroups **also)
{
	char *path = strchr(v, ' '), *end;
	unsigned long long id;

	if (!path)
		return 0;
	*path++ = 0;
	errno = 0;
	id = strtoull(v, &end, 10);
	if (errno || *end || end == v || !id)
		return 0;
	mount_unescape(path);
	if (path[0] != '/')
		return 0;
	if (!m->cgroups && !(m->cgroups = cgroups_new(NULL, 0)))
		return -ENOMEM;
	if (cgroups_add(m->cgroups, id, path) == -ENOMEM)
		return -ENOMEM;
	/* a later section's: also the names handed on before the next event */
	if (also && !*also && !(*also = cgroups_new(NULL, 0)))
		return -ENOMEM;
	return also && cgroups_add(*also, id, path) == -ENOMEM ? -ENOMEM : 0;
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
	if (!strcmp(k, "cgroup"))
		return cgroup_line(m, v, NULL);
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
	else if (!strcmp(k, "host"))
		str_val(m->host, sizeof(m->host), v);
	else if (!strcmp(k, "cmdline"))
		str_val(m->cmdline, sizeof(m->cmdline), v);
	return 0;
}

struct mounts_ctx {
	struct tf_meta *m;		/* its cgroup table learns the section's */
	struct cgroups **cg_new;	/* and so do the names handed on next */
	struct mount_table *mt;		/* NULL: a CGROUPS section, no mount lines */
	uint64_t ts;
	size_t cap;
};

static int mounts_kv(void *ctx, const char *k, char *v)
{
	struct mounts_ctx *c = ctx;

	if (!strcmp(k, "ts_ns"))
		c->ts = num(v);
	else if (!strcmp(k, "mount") && c->mt)
		return mount_line(c->mt, &c->cap, v);
	else if (!strcmp(k, "cgroup"))
		return cgroup_line(c->m, v, c->cg_new);
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
	else if (!strcmp(k, "no_generation"))
		t->no_generation = num(v);
	return 0;
}

/*
 * Whether the section at off ends past the end of the file (a stream's is
 * read up to there to know); -errno on an I/O error.
 */
static int sec_cut(struct tf_reader *rd, uint64_t off, const struct sec *s)
{
	int64_t n = avail(rd, off, SEC_LEN + (uint64_t)s->stored);

	return n < 0 ? (int)n : n < SEC_LEN + (int64_t)s->stored;
}

/*
 * The work budget: n more bytes to CRC or scan, at off.  false when they
 * would take the reader past its budget: it stops there, and says so
 * (gave_up_at), keeping what it has read.  Reading a file once costs
 * about its size; only damage makes a reader look at bytes again (a
 * resync's scan, false headers' CRCs), and a file crafted to make it do
 * that for every byte stops here, in time linear in its size.
 */
static bool spend(struct tf_reader *rd, uint64_t n, uint64_t off)
{
	if (rd->st.work + n > rd->work_max) {
		rd->st.gave_up_at = off;
		return false;
	}
	rd->st.work += n;
	return true;
}

/*
 * Read a section's payload into rd->sec and check its CRC; 1 ok, 0 bad,
 * -errno, -ECANCELED past the work budget.  The caller checked that it is
 * all in the file.
 */
static int sec_load(struct tf_reader *rd, uint64_t off, const struct sec *s)
{
	ssize_t n;

	/* resync() found it: loaded and checked already, not paid for twice */
	if (rd->sec_at == off + 1)
		return 1;
	rd->sec_at = 0;
	if (!spend(rd, s->stored, off))
		return -ECANCELED;
	/* one spare byte: text sections get a NUL */
	if (grow((void **)&rd->sec, &rd->sec_cap, (size_t)s->stored + 1, 1))
		return -ENOMEM;
	n = rd_read(rd, off + SEC_LEN, rd->sec, s->stored);
	if (n < 0)
		return n;
	if ((size_t)n != s->stored)
		return 0;
	rd->sec[s->stored] = 0;
	if (crc32(0, rd->sec, s->stored) != s->crc)
		return 0;
	rd->sec_at = off + 1;
	return 1;
}

/*
 * After a damaged section header: the next offset that holds a sane header
 * whose payload is complete and matches its CRC; 0 if none or past the
 * work budget, -errno.  The damaged section cannot have been longer than
 * the largest there is, so the search stops there.  Every byte scanned and
 * every false candidate's CRC is paid from the file's one work budget, not
 * a budget per call: a file of bad bytes, each followed by a fake header
 * whose CRC spans the rest of the file, would otherwise cost the file's
 * size per bad byte.
 */
static int64_t resync(struct tf_reader *rd, uint64_t from)
{
	/* a stream's end is not known: its reads stop there */
	uint64_t end = from + RESYNC_SPAN, len = RESYNC_WIN_MIN;

	if (!rd->win && !(rd->win = malloc(RESYNC_WINDOW + SEC_LEN)))
		return -ENOMEM;
	if (!rd->stream && end > rd->size)
		end = rd->size;
	for (uint64_t base = from; base < end; base += len, len = len < RESYNC_WINDOW ? 2 * len : len) {
		int64_t want = avail(rd, base, len + SEC_LEN);
		ssize_t n;

		if (want <= 0)
			return want;	/* the stream ended, or could not be read */
		if (!spend(rd, want, base))
			return 0;
		/* a stream: the scan only goes forward, candidates included */
		sb_release(rd, base);
		n = rd_read(rd, base, rd->win, want);
		if (n < 0)
			return n;
		for (ssize_t i = 0; i + SEC_LEN <= n && (uint64_t)i < len && base + i < end; i++) {
			struct sec s;
			int ok;

			if (rd->win[i] != 'E' || !sec_parse(rd->win + i, &s))
				continue;
			ok = sec_cut(rd, base + i, &s);
			if (ok < 0)
				return ok;
			if (ok)
				continue;
			ok = sec_load(rd, base + i, &s);
			if (ok == -ECANCELED)
				return 0;
			if (ok)
				return ok < 0 ? ok : (int64_t)(base + i);
		}
	}
	return 0;
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

/*
 * An extension field this reader knows: its length bounds the cursor
 * until r_ext_end(), which puts back the end r_ext_begin() returned.
 */
static inline __attribute__((always_inline)) const uint8_t *r_ext_begin(struct cur *c)
{
	const uint8_t *end = c->end;
	uint64_t len = r_varint(c);

	if (!c->bad && (len > R_EXT_LEN || len > (size_t)(c->end - c->p)))
		cur_bad(c);
	if (!c->bad)
		c->end = c->p + len;
	return end;
}

static inline __attribute__((always_inline)) void r_ext_end(struct cur *c, const uint8_t *end)
{
	/* a field that does not fill its length is damage, as a short one is */
	if (c->p != c->end)
		cur_bad(c);
	c->end = end;
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
	/*
	 * then each column, in presence-bit order; an extension field
	 * (codec.h: P_EXT) within its length, which it must fill exactly
	 */
#define R_COLUMN(id, member, kind, name)					\
	if (P_EXT(id) && (pres & P(id))) {					\
		const uint8_t *end_ = r_ext_begin(&c);				\
										\
		R_##kind(member, true);						\
		r_ext_end(&c, end_);						\
	} else {								\
		R_##kind(member, (pres & P(id)));				\
	}
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
	/*
	 * Each chunk is bounded, but not the file: a chunk of zeros is 64 MiB
	 * from 2 KB.  Past the file's inflation budget chunks stay compressed,
	 * skipped and counted, as damage is.
	 */
	if (s->raw > rd->inflate_max - rd->st.inflated) {
		rd->st.not_inflated++;
		return 0;
	}
	rd->st.inflated += s->raw;
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
 * The file ends inside the section at rd->off (s: its header, NULL if that
 * is cut too): what is cut, and the end of reading.  A stream was read to
 * its end to know.
 */
static void cut(struct tf_reader *rd, const struct sec *s)
{
	rd->st.truncated_at = rd->off;
	rd->st.cut_bytes = rd->size - rd->off;
	rd->st.cut_type = s ? s->type : 0;
	rd->st.cut_events = s && s->type == SEC_EVENTS ? s->count : 0;
	rd->done = true;
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

		/* a stream: the bytes before this section are done with */
		sb_release(rd, rd->off);
		n = rd_read(rd, rd->off, h, SEC_LEN);
		if (n < 0)
			return n;
		if (n == 0) {	/* the end, between sections */
			rd->done = true;
			break;
		}
		if (n < SEC_LEN) {
			cut(rd, NULL);
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
		ok = sec_cut(rd, rd->off, &s);
		if (ok < 0)
			return ok;
		if (ok) {
			cut(rd, &s);
			break;
		}
		ok = sec_load(rd, rd->off, &s);
		if (ok == -ECANCELED) {
			rd->done = true;
			break;
		}
		if (ok < 0)
			return ok;
		/* parse_text() writes in sec: what resync() left there is used up */
		rd->sec_at = 0;
		rd->off += SEC_LEN + (uint64_t)s.stored;
		if (!ok) {
			bad_section(rd, &s);
			continue;
		}
		if (s.type == SEC_MOUNTS) {
			struct mount_table mt = { 0 };
			struct mounts_ctx c = { .m = &rd->meta, .cg_new = &rd->cg_new, .mt = &mt,
						.ts = s.first };

			if (parse_text((char *)rd->sec, mounts_kv, &c)) {
				mount_table_free(&mt);
				return -ENOMEM;
			}
			mount_table_free(&rd->mounts);
			rd->mounts = mt;
			rd->mounts_ts = c.ts;
			rd->mounts_new = true;
		} else if (s.type == SEC_CGROUPS) {
			struct mounts_ctx c = { .m = &rd->meta, .cg_new = &rd->cg_new };

			if (parse_text((char *)rd->sec, mounts_kv, &c))
				return -ENOMEM;
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

/* Everything a reader holds but its file: tf_close()'s, and find_start()'s own reader's. */
static void reader_free(struct tf_reader *rd)
{
	free(rd->sb);
	tf_meta_free(&rd->meta);
	mount_table_free(&rd->mounts);
	cgroups_free(rd->cg_new);
	ZSTD_freeDCtx(rd->zd);
	free(rd->sec);
	free(rd->win);
	free(rd->raw);
	free(rd->d.ids);
	free(rd->d.strs);
	free(rd->d.str_len);
}

static bool next_checked(struct tf_reader *rd, struct et_rec *r);

/*
 * A stream: the sections up to its first chunk, whole, into the buffer
 * (at most a few, each bounded as any section is).  What goes wrong is
 * left for the reading proper to find and say.
 */
static void stream_peek(struct tf_reader *rd)
{
	uint64_t off = rd->off;

	for (int i = 0; i < 8; i++) {
		uint8_t sh[SEC_LEN];
		struct sec s;

		if (rd_read(rd, off, sh, SEC_LEN) != SEC_LEN || !sec_parse(sh, &s) ||
		    s.stored > TF_SECTION_MAX || avail(rd, off, SEC_LEN + s.stored) <= 0 ||
		    s.type == SEC_EVENTS)
			return;
		off += SEC_LEN + s.stored;
	}
}

/*
 * The trace's start (tracefile.h).  The recorder takes it before the
 * first probe attaches, so no event is older; files made before
 * 2026-11-24 took it after attaching and hold seconds of events before
 * it (the seed fixture: 1.844 s), and a crafted file may have none.
 * Those count from their earliest event: that of the first good chunk,
 * read by a reader of its own from the section after META, so that this
 * one's place and counts stay as they are.  Its budget is one pass over
 * the file and one chunk's decompression: opening costs at most that
 * more.  Only the first chunk is looked at: a chunk spans up to a
 * second, and ring-buffer order steps back microseconds, so an older
 * event in a later chunk would need a file made to hold one; it is then
 * shown before the start, as any such event is.  0 or -ENOMEM.
 */
static int find_start(struct tf_reader *rd)
{
	struct tf_reader p = { .fd = rd->fd, .mem = rd->mem, .size = rd->size, .off = rd->off };
	struct tf_meta *m = &rd->meta;
	uint64_t min = UINT64_MAX;
	struct et_rec r;

	m->recorded_start_ns = m->start_ns;
	/*
	 * A stream cannot be read twice: its first chunk is read into the
	 * buffer ahead (the reader needs it next anyway), and the look reads
	 * it from there.  Nothing of it has been dropped yet.
	 */
	if (rd->stream) {
		if (rd->sb_base)
			return 0;
		stream_peek(rd);
		p.fd = -1;
		p.mem = rd->sb;
		p.size = rd->sb_len;
	}
	p.work_max = rd->size > UINT64_MAX - TF_WORK_FLOOR ? UINT64_MAX : TF_WORK_FLOOR + rd->size;
	p.inflate_max = rd->inflate_max < TF_CHUNK_MAX_RAW ? rd->inflate_max : TF_CHUNK_MAX_RAW;
	p.d.str_len = calloc(R_STRINGS, sizeof(*p.d.str_len));
	if (!p.d.str_len)
		return -ENOMEM;
	/* an I/O error or damage: META's start stands, and the real read says why */
	if (next_section(&p, NULL, 0) > 0)
		while (next_checked(&p, &r))
			if (r.ts_ns < min)
				min = r.ts_ns;
	reader_free(&p);
	if (min == UINT64_MAX || (m->start_ns && min >= m->start_ns))
		return 0;
	/* the wall clock moves with it, when META said where the two clocks met */
	if (m->start_ns && m->start_realtime_ns >= m->start_ns - min)
		m->start_realtime_ns -= m->start_ns - min;
	m->start_ns = min;
	m->start_from_event = true;
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

	budgets(rd);
	rd->d.str_len = calloc(R_STRINGS, sizeof(*rd->d.str_len));
	if (!rd->d.str_len) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	n = rd_read(rd, 0, h, HDR_LEN);
	if (n < 0) {
		snprintf(err, errlen, "%s", strerror((int)-n));
		goto fail;
	}
	if (n == 0) {
		snprintf(err, errlen, rd->stream ? "empty input: nothing came on it" : "empty file");
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
	ok = sec_cut(rd, rd->off, &s);
	if (ok) {
		snprintf(err, errlen, "%s", ok < 0 ? strerror(-ok) :
			 "truncated inside its metadata section");
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
	if (find_start(rd)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return rd;
fail:
	tf_close(rd);
	return NULL;
}

void tf_cut_text(const struct tf_status *st, char *buf, size_t size)
{
	int n = snprintf(buf, size, "the last %" PRIu64 " bytes cut", st->cut_bytes);

	if (n < 0 || (size_t)n >= size)
		return;
	if (!st->cut_type)
		snprintf(buf + n, size - n, ", inside a section header");
	else if (st->cut_type == SEC_EVENTS)
		snprintf(buf + n, size - n, ", of a chunk of %" PRIu64 " events", st->cut_events);
	else if (st->cut_type == SEC_MOUNTS)
		snprintf(buf + n, size - n, ", of a mount table");
	else if (st->cut_type == SEC_TRAILER)
		snprintf(buf + n, size - n, ", of the trailer");
	else
		snprintf(buf + n, size - n, ", of a section of type %u", st->cut_type);
}

const char *tf_name(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

struct tf_reader *tf_open(const char *path, char *err, size_t errlen)
{
	struct tf_reader *rd;
	off_t size;

	if (!strcmp(path, "-")) {
		/* a person at the terminal would wait for bytes that never come */
		if (isatty(STDIN_FILENO)) {
			snprintf(err, errlen, "standard input is a terminal: pipe a recording in "
				 "(evtrace record -o - | evtrace hist -, or < FILE)");
			return NULL;
		}
		return tf_open_fd(STDIN_FILENO, err, errlen);
	}
	rd = calloc(1, sizeof(*rd));
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
	/* a pipe by its name (a FIFO, <(evtrace record -o -)): read as a stream */
	if (size < 0 && errno == ESPIPE) {
		rd->stream = rd->own_fd = true;
		return open_common(rd, err, errlen);
	}
	if (size < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		tf_close(rd);
		return NULL;
	}
	rd->size = size;
	return open_common(rd, err, errlen);
}

struct tf_reader *tf_open_fd(int fd, char *err, size_t errlen)
{
	struct tf_reader *rd = calloc(1, sizeof(*rd));

	if (!rd) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rd->fd = fd;
	rd->stream = true;
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
	/* a stream's fd is the caller's (standard input), unless it opened a FIFO */
	if (rd->fd >= 0 && (!rd->stream || rd->own_fd))
		close(rd->fd);
	reader_free(rd);
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

struct cgroups *tf_cgroups_changed(struct tf_reader *rd)
{
	struct cgroups *cg = rd->cg_new;

	rd->cg_new = NULL;
	return cg;
}

uint64_t tf_reader_size(struct tf_reader *rd)
{
	uint8_t buf[64 << 10];

	/*
	 * A stream that reading stopped on (damage past the work budget) is
	 * read to its end, counted and not kept, so its size is the whole
	 * input's, as a file's is.
	 */
	while (rd->stream && !rd->sb_eof) {
		ssize_t n = read(rd->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rd->sb_eof = true;
			break;
		}
		rd->drained += n;
	}
	return rd->size + rd->drained;
}

bool tf_reader_is_stream(const struct tf_reader *rd)
{
	return rd->stream;
}

void tf_reader_status(const struct tf_reader *rd, struct tf_status *st)
{
	*st = rd->st;
}
