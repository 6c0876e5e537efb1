// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file (docs/FORMAT.md): every field of every event type survives
 * a round trip, and the bytes are the ones the document describes (a chunk
 * built by hand from the document, with helpers.h, decodes, and the writer's
 * output matches hand-encoded bytes); a file cut at any byte gives exactly
 * its complete chunks and says where it stops; a damaged chunk is skipped
 * whole and the rest read, also in batches; a garbage section header is
 * resynchronised past; what a newer minor version may add is skipped; wrong
 * magic, a newer major version and an empty file are refused with a clear
 * reason; the encoding stays at or under 12 bytes per event for a
 * pipe-creating loop.
 */
#include "unit.h"
#include "helpers.h"
#include "lib/cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "file/tracefile.h"

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- records ---------------------------------------------------------------- */

/* A record with every field set from i, so each one differs. */
static void full_rec(struct et_rec *r, uint64_t i)
{
	memset(r, 0, sizeof(*r));
	r->type = 1 + i % (ET_TYPE_MAX - 1);
	r->ts_ns = 5000000000ull + i * 1234567 - (i % 3 == 2 ? 9000 : 0);	/* a little backwards */
	r->cpu = i % 4;
	r->pid = 100 + i % 7;
	r->tid = r->pid + i % 3;
	r->flags = i % 5 ? ET_F_FREED | ET_F_TRUNC : 0;
	r->dev_major = i % 2 ? 8 : 0;
	r->dev_minor = 13 + i % 2;
	r->ino = i % 4 ? 0x12c4e37 + i : 0;
	r->value = (int64_t)(i % 9) - 4;
	r->obj_id = 0xabcdef0000000000ull | (i % 11);
	r->aux_id = i % 2 ? 0x1111000000000000ull + i : 0;
	r->inode_id = i % 3 ? 0x2222000000000000ull + i % 5 : 0;
	r->pei_id = i % 4 == 1 ? 0x3333 : 0;
	r->inode_ino = i % 6;
	snprintf(r->comm, sizeof(r->comm), "comm%u", (unsigned)(i % 3));
	snprintf(r->fs, sizeof(r->fs), i % 2 ? "tracefs" : "pipefs");
	snprintf(r->name, sizeof(r->name), i % 10 ? "name %u with space" : "", (unsigned)(i % 13));
	if (i == 3)
		memset(r->name, 'x', sizeof(r->name) - 1);	/* the longest name */
	snprintf(r->caller, sizeof(r->caller), i % 4 ? "" : "create_pipe_files");
	/* presence bit 13 on and off, and an id of a varint's longest */
	r->cgroup_id = i % 3 ? 0x1000 + i % 4 : 0;
	if (i == 5)
		r->cgroup_id = UINT64_MAX;
}

static void assert_rec_equal(const struct et_rec *a, const struct et_rec *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->ts_ns, b->ts_ns);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->dev_major, b->dev_major);
	assert_int_equal(a->dev_minor, b->dev_minor);
	assert_int_equal(a->ino, b->ino);
	assert_true(a->value == b->value);
	assert_int_equal(a->obj_id, b->obj_id);
	assert_int_equal(a->aux_id, b->aux_id);
	assert_int_equal(a->inode_id, b->inode_id);
	assert_int_equal(a->pei_id, b->pei_id);
	assert_int_equal(a->inode_ino, b->inode_ino);
	assert_string_equal(a->comm, b->comm);
	assert_string_equal(a->fs, b->fs);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->caller, b->caller);
	assert_int_equal(a->cgroup_id, b->cgroup_id);
}

/* ---- files ------------------------------------------------------------------ */

static int memfd(void)
{
	int fd = memfd_create("evtrace-test", MFD_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* All of fd into b (which it replaces), then closes fd. */
static void slurp(int fd, struct buf *b)
{
	off_t len = lseek(fd, 0, SEEK_END);

	memset(b, 0, sizeof(*b));
	b->p = malloc(len + 1);
	assert_non_null(b->p);
	assert_int_equal(pread(fd, b->p, len, 0), len);
	b->len = b->cap = len;
	close(fd);
}

static struct mount_ent ents[3] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
	{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext4", .path = "/mnt/with space\\and\ttab\nnl" },
	{ .dev = ET_MKDEV(4095u, 0xfffffu), .fstype = "", .path = "" },
};

static const struct tf_meta test_meta = {
	.evtrace_version = "0.1.0 (test)", .kernel_release = "6.12.0 \\040tricky\t",
	.machine = "x86_64", .ncpus = 2, .boot_offset_ns = -5,
	.start_ns = 5000000000ull, .start_realtime_ns = 1700000000000000000ull,
	.probes = "get_next_ino=fentry,release_ei=missing",
	.filters = "--fs tracefs --comm \"a b\"", .mounts = { ents, 3 },
};

/* Where a file's sections are: offset, type, stored length, event count. */
struct layout {
	int n;
	struct { size_t off, end; int type; uint32_t count; } s[16];
};

static void layout_of(const struct buf *f, struct layout *l)
{
	size_t off = TF_HDR_LEN;

	memset(l, 0, sizeof(*l));
	while (off < f->len) {
		uint32_t stored = f->p[off + 8] | f->p[off + 9] << 8 | f->p[off + 10] << 16 |
				  (uint32_t)f->p[off + 11] << 24;

		assert_true(l->n < 16);
		assert_memory_equal(f->p + off, "ESEC", 4);
		l->s[l->n].off = off;
		l->s[l->n].type = f->p[off + 4];
		l->s[l->n].count = f->p[off + 20] | f->p[off + 21] << 8 | f->p[off + 22] << 16;
		off += TF_SEC_LEN + stored;
		l->s[l->n++].end = off;
	}
	assert_int_equal(off, f->len);
}

/*
 * META, chunk of 40, MOUNTS, chunk of 40, chunk of 20, TRAILER: 100
 * events, into f.
 */
static void make_file(struct buf *f)
{
	struct mount_table later = { ents + 1, 1 };
	struct tf_trailer tr = { .end_ns = 6e9, .end_realtime_ns = 17e17, .events = 100,
				 .lost = 3, .dropped = 2, .chunks = 3, .no_generation = 9 };
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r;
	int fd = memfd();

	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	for (int i = 0; i < 100; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
		if (i == 39 || i == 79) {
			seal_to(fd, c);
			if (i == 39)
				assert_int_equal(tf_write_mounts(fd, 5555, &later), 0);
		}
	}
	seal_to(fd, c);
	assert_int_equal(tf_write_trailer(fd, &tr), 0);
	slurp(fd, f);
	tf_chunk_free(c);
}

/* Everything in a file: events (up to max), status. */
static int read_all(struct tf_reader *rd, struct et_rec *out, int max, struct tf_status *st)
{
	struct et_rec r;
	int n = 0, ret;

	while ((ret = tf_next(rd, &r)) == 1) {
		if (n < max)
			out[n] = r;
		n++;
	}
	assert_int_equal(ret, 0);
	/* the end stays the end */
	assert_int_equal(tf_next(rd, &r), 0);
	tf_reader_status(rd, st);
	assert_int_equal(st->events, n);
	return n;
}

static struct tf_reader *open_buf(const struct buf *f)
{
	char err[200];
	struct tf_reader *rd = tf_open_mem(f->p, f->len, err, sizeof(err));

	if (!rd)
		print_error("tf_open_mem: %s\n", err);
	assert_non_null(rd);
	return rd;
}

/* ---- round trips ------------------------------------------------------------ */

/* Every type, every field set, at both ends of each field's range. */
static void test_every_type_every_field(void **state)
{
	static struct et_rec want[3 * ET_TYPE_MAX], got[3 * ET_TYPE_MAX];
	struct tf_chunk *c = tf_chunk_new();
	struct tf_status st;
	struct tf_reader *rd;
	struct buf f;
	int fd = memfd(), n = 0;
	struct tf_meta m = { .evtrace_version = "t" };

	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int t = 1; t < ET_TYPE_MAX; t++) {
		struct et_rec *r = &want[n++];

		/* small values */
		memset(r, 0, sizeof(*r));
		r->type = t;
		r->ts_ns = 1000 + t;
		r->cpu = 1;
		r->pid = 2;
		r->tid = 3;
		r->flags = ET_F_TRUNC;
		r->dev_major = 0;
		r->dev_minor = 1;
		r->ino = 1;
		r->value = -1;
		r->obj_id = 1;
		r->aux_id = 2;
		r->inode_id = 3;
		r->pei_id = 4;
		r->inode_ino = 1;
		strcpy(r->comm, "c");
		strcpy(r->fs, "f");
		strcpy(r->name, "n");
		strcpy(r->caller, "k");

		/* the largest values, strings at their longest, odd bytes */
		r = &want[n++];
		memset(r, 0, sizeof(*r));
		r->type = t;
		r->ts_ns = UINT64_MAX - t;
		r->cpu = UINT32_MAX;
		r->pid = UINT32_MAX;
		r->tid = 0;
		r->flags = UINT32_MAX;
		r->dev_major = 4095;
		r->dev_minor = 0xfffff;
		r->ino = UINT64_MAX;
		r->value = INT64_MIN;
		r->obj_id = UINT64_MAX;
		r->aux_id = UINT64_MAX - 1;
		r->inode_id = 0x8000000000000000ull;
		r->pei_id = 0x0123456789abcdefull;
		r->inode_ino = UINT64_MAX;
		memset(r->comm, 0xff, sizeof(r->comm) - 1);
		memset(r->fs, ' ', sizeof(r->fs) - 1);
		memset(r->name, '\n', sizeof(r->name) - 1);
		memset(r->caller, 0x80 + t, sizeof(r->caller) - 1);

		/* nothing optional: ts far back, pid 0 */
		r = &want[n++];
		memset(r, 0, sizeof(*r));
		r->type = t;
		r->value = INT64_MAX;
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(tf_chunk_add(c, &want[i]), 0);
	assert_int_equal(tf_chunk_events(c), n);
	assert_int_equal(tf_chunk_first_ns(c), 0);
	assert_int_equal(tf_chunk_last_ns(c), UINT64_MAX - 1);
	seal_to(fd, c);
	slurp(fd, &f);
	rd = open_buf(&f);
	assert_int_equal(read_all(rd, got, n, &st), n);
	for (int i = 0; i < n; i++)
		assert_rec_equal(&got[i], &want[i]);
	assert_int_equal(st.chunks, 1);
	assert_int_equal(st.bad_chunks, 0);
	assert_false(st.trailer_seen);
	assert_int_equal(st.truncated_at, 0);
	tf_close(rd);
	tf_chunk_free(c);
	free(f.p);
}

/* Several chunks, a MOUNTS change between the right events, the trailer. */
static void test_round_trip(void **state)
{
	const struct mount_table *mt;
	const struct tf_meta *m;
	struct tf_status st;
	struct tf_reader *rd;
	struct et_rec want, got;
	char path[] = "/tmp/evtrace-tf-XXXXXX", err[200];
	struct buf f;
	uint64_t ts;
	int fd;

	make_file(&f);
	/* through a real file, as replay reads it */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(tf_write_all(fd, f.p, f.len), 0);
	close(fd);
	rd = tf_open(path, err, sizeof(err));
	assert_non_null(rd);
	m = tf_reader_meta(rd);
	assert_int_equal(m->mounts.n, 3);
	assert_null(tf_mounts_changed(rd, &ts));
	for (int i = 0; i < 100; i++) {
		assert_int_equal(tf_next(rd, &got), 1);
		full_rec(&want, i);
		assert_rec_equal(&got, &want);
		mt = tf_mounts_changed(rd, &ts);
		/* the MOUNTS section sits between event 39 and event 40 */
		if (i == 40) {
			assert_non_null(mt);
			assert_int_equal(ts, 5555);
			assert_int_equal(mt->n, 1);
			assert_int_equal(mt->v[0].dev, ET_MKDEV(8u, 1u));
			assert_string_equal(mt->v[0].fstype, "ext4");
			assert_string_equal(mt->v[0].path, ents[1].path);
		} else {
			assert_null(mt);
		}
	}
	assert_int_equal(tf_next(rd, &got), 0);
	tf_reader_status(rd, &st);
	assert_int_equal(st.events, 100);
	assert_int_equal(st.chunks, 3);
	assert_int_equal(st.bad_chunks, 0);
	assert_int_equal(st.skipped_events, 0);
	assert_int_equal(st.truncated_at, 0);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.end_ns, 6000000000ull);
	assert_int_equal(st.trailer.end_realtime_ns, 1700000000000000000ull);
	assert_int_equal(st.trailer.events, 100);
	assert_int_equal(st.trailer.lost, 3);
	assert_int_equal(st.trailer.dropped, 2);
	assert_int_equal(st.trailer.chunks, 3);
	assert_int_equal(st.trailer.no_generation, 9);
	tf_close(rd);
	unlink(path);
	free(f.p);
}

/* Every META field, with the bytes text escaping exists for. */
static void test_meta_round_trip(void **state)
{
	struct tf_reader *rd;
	const struct tf_meta *m;
	struct buf f;

	make_file(&f);
	rd = open_buf(&f);
	m = tf_reader_meta(rd);
	assert_string_equal(m->evtrace_version, test_meta.evtrace_version);
	assert_string_equal(m->kernel_release, test_meta.kernel_release);
	assert_string_equal(m->machine, "x86_64");
	assert_int_equal(m->ncpus, 2);
	assert_int_equal(m->boot_offset_ns, -5);
	assert_int_equal(m->start_ns, test_meta.start_ns);
	assert_int_equal(m->start_realtime_ns, test_meta.start_realtime_ns);
	assert_string_equal(m->probes, test_meta.probes);
	assert_string_equal(m->filters, test_meta.filters);
	assert_int_equal(m->mounts.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(m->mounts.v[i].dev, ents[i].dev);
		assert_string_equal(m->mounts.v[i].fstype, ents[i].fstype);
		assert_string_equal(m->mounts.v[i].path, ents[i].path);
	}
	tf_close(rd);
	free(f.p);
}

/*
 * A file with META's start at start (its wall clock at 1.7e18) and two
 * chunks of events at the times given (0 ends a chunk's list), into f.
 */
static void start_file(struct buf *f, uint64_t start, const uint64_t *c1, const uint64_t *c2)
{
	struct tf_meta m = test_meta;
	struct tf_chunk *c = tf_chunk_new();
	const uint64_t *chunks[2] = { c1, c2 };
	int fd = memfd();

	assert_non_null(c);
	m.start_ns = start;
	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int k = 0; k < 2; k++) {
		for (const uint64_t *ts = chunks[k]; *ts; ts++) {
			struct et_rec r = test_rec(ET_INODE_ALLOC, *ts);

			assert_int_equal(tf_chunk_add(c, &r), 0);
		}
		seal_to(fd, c);
	}
	slurp(fd, f);
	tf_chunk_free(c);
}

/*
 * The trace's start (tracefile.h): META's, unless the first chunk holds an
 * older event (files of before 2026-11-24 took the start after attaching)
 * or META has none; then that chunk's earliest event, the wall clock moved
 * back with it, META's kept as recorded_start_ns.  Looking costs the
 * reader nothing of its own: every event is still read, in order.
 */
static void test_start_from_first_event(void **state)
{
	/* per-CPU order: the earliest is not the first record */
	static const uint64_t c1[] = { 3200000000ull, 3000000000ull, 3100000000ull, 0 };
	static const uint64_t c2[] = { 4000000000ull, 2900000000ull, 6000000000ull, 0 };
	static const uint64_t late[] = { 5000000001ull, 5000000000ull, 0 };
	const struct tf_meta *m;
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec got[8];
	struct layout l;
	struct buf f;

	start_file(&f, 5000000000ull, c1, c2);
	rd = open_buf(&f);
	m = tf_reader_meta(rd);
	assert_true(m->start_from_event);
	assert_int_equal(m->recorded_start_ns, 5000000000ull);
	assert_int_equal(m->start_ns, 3000000000ull);
	assert_int_equal(m->start_realtime_ns, test_meta.start_realtime_ns - 2000000000ull);
	/* only the first chunk is looked at: the second's older event stays older */
	assert_int_equal(read_all(rd, got, 8, &st), 6);
	assert_int_equal(got[0].ts_ns, 3200000000ull);
	assert_int_equal(got[4].ts_ns, 2900000000ull);
	assert_int_equal(st.chunks, 2);
	assert_int_equal(st.bad_chunks, 0);
	tf_close(rd);

	/* the first chunk damaged: the first good one's */
	layout_of(&f, &l);
	assert_int_equal(l.s[1].type, TF_SEC_EVENTS);
	f.p[l.s[1].end - 1] ^= 0x40;
	rd = open_buf(&f);
	assert_int_equal(tf_reader_meta(rd)->start_ns, 2900000000ull);
	assert_int_equal(read_all(rd, got, 8, &st), 3);
	assert_int_equal(st.bad_chunks, 1);
	tf_close(rd);
	free(f.p);

	/* a start before every event (today's recorder): META's, as written */
	start_file(&f, 5000000000ull, late, late);
	rd = open_buf(&f);
	m = tf_reader_meta(rd);
	assert_false(m->start_from_event);
	assert_int_equal(m->start_ns, 5000000000ull);
	assert_int_equal(m->recorded_start_ns, 5000000000ull);
	assert_int_equal(m->start_realtime_ns, test_meta.start_realtime_ns);
	tf_close(rd);
	free(f.p);

	/* no start in META: the first event's, the wall clock left alone */
	start_file(&f, 0, late, late);
	rd = open_buf(&f);
	m = tf_reader_meta(rd);
	assert_true(m->start_from_event);
	assert_int_equal(m->start_ns, 5000000000ull);
	assert_int_equal(m->recorded_start_ns, 0);
	assert_int_equal(m->start_realtime_ns, test_meta.start_realtime_ns);
	tf_close(rd);
	free(f.p);
}

/* The largest mount table there can be, and a longer one cut to it. */
static uint64_t le(const uint8_t *p, int n);

static void test_big_mount_table(void **state)
{
	struct mount_table mt = { calloc(MOUNTS_MAX + 5, sizeof(struct mount_ent)), MOUNTS_MAX + 5 };
	struct tf_meta m = { .evtrace_version = "t", .mounts = mt };
	const struct mount_table *got;
	struct tf_reader *rd;
	struct et_rec r;
	struct buf f;
	int fd = memfd();

	assert_non_null(mt.v);
	for (size_t i = 0; i < mt.n; i++) {
		/* the longest device numbers, but each its own */
		mt.v[i].dev = ET_MKDEV(4095u - (unsigned int)(i >> 10), 0xfffffu - (unsigned int)i);
		strcpy(mt.v[i].fstype, "fuse.sshfs-xyz");
		/* a full type and path of escaped bytes: the worst case for text size */
		if (i % 2)
			memset(mt.v[i].fstype, ' ', sizeof(mt.v[i].fstype) - 1);
		memset(mt.v[i].path, ' ', MOUNT_PATH_LEN - 1);
	}
	assert_int_equal(tf_write_start(fd, &m), 0);
	assert_int_equal(tf_write_mounts(fd, 7, &mt), 0);
	slurp(fd, &f);
	/* 8.4 MiB here: past the 1 MiB FORMAT.md once promised, within TF_TEXT_MAX */
	print_message("  META of %d mounts at their longest: %.2f MiB\n", MOUNTS_MAX,
		      le(f.p + TF_HDR_LEN + 8, 4) / 1048576.0);
	assert_true(le(f.p + TF_HDR_LEN + 8, 4) > 8 << 20);
	rd = open_buf(&f);
	assert_int_equal(tf_reader_meta(rd)->mounts.n, MOUNTS_MAX);
	assert_int_equal(tf_next(rd, &r), 0);
	got = tf_mounts_changed(rd, NULL);
	assert_non_null(got);
	assert_int_equal(got->n, MOUNTS_MAX);
	assert_int_equal(got->v[MOUNTS_MAX - 1].dev, mt.v[MOUNTS_MAX - 1].dev);
	assert_memory_equal(got->v[MOUNTS_MAX - 1].path, mt.v[0].path, MOUNT_PATH_LEN);
	/* once only */
	assert_null(tf_mounts_changed(rd, NULL));
	tf_close(rd);
	free(f.p);
	free(mt.v);
}

/* t = head, a line of an unknown key, last: len bytes in all */
static void text_of(struct buf *t, size_t len, const char *head, const char *last)
{
	size_t fill = len - strlen(head) - strlen(last) - strlen("pad \n");

	t->len = 0;
	b_put(t, head, strlen(head));
	b_put(t, "pad ", 4);
	if (t->len + fill > t->cap) {
		t->cap = len + 1;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	memset(t->p + t->len, 'a', fill);
	t->len += fill;
	b_byte(t, '\n');
	b_put(t, last, strlen(last));
	assert_int_equal(t->len, len);
}

/*
 * Text sections are at most TF_TEXT_MAX bytes, 16 MiB (FORMAT.md said 1
 * MiB, which the largest META this writer makes, 8.6 MiB, would break): a
 * MOUNTS section of exactly that is read, one byte more is damage,
 * skipped, and the events after it still read; a META one byte over is a
 * file that does not open.
 */
static void test_text_bound(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct buf t = { 0 }, f = { 0 };
	const struct mount_table *mt;
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r;
	char err[200];
	uint8_t *ev;
	size_t ev_len;

	assert_non_null(c);
	for (int i = 0; i < 10; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	assert_int_equal(tf_chunk_seal(c, 3, &ev, &ev_len), 0);
	for (int over = 0; over <= 1; over++) {
		f.len = 0;
		b_header(&f, 1, 0);
		b_text(&f, 1, "evtrace_version t\n");
		text_of(&t, TF_TEXT_MAX + over, "ts_ns 5\n", "mount 8:1 ext4 /last\n");
		b_section(&f, 3, t.p, t.len, t.len, 0, 5, 5);
		b_put(&f, ev, ev_len);
		rd = open_buf(&f);
		assert_int_equal(read_all(rd, NULL, 0, &st), 10);
		mt = tf_mounts_changed(rd, NULL);
		if (over) {
			assert_null(mt);
			assert_int_equal(st.bad_chunks, 1);
		} else {
			assert_non_null(mt);
			assert_int_equal(mt->n, 1);
			assert_string_equal(mt->v[0].path, "/last");
			assert_int_equal(st.bad_chunks, 0);
		}
		tf_close(rd);

		f.len = 0;
		b_header(&f, 1, 0);
		text_of(&t, TF_TEXT_MAX + over, "evtrace_version t\n", "mount 8:1 ext4 /m\n");
		b_section(&f, 1, t.p, t.len, t.len, 0, 0, 0);
		b_put(&f, ev, ev_len);
		rd = tf_open_mem(f.p, f.len, err, sizeof(err));
		if (over) {
			assert_null(rd);
			assert_string_equal(err, "damaged metadata section");
		} else {
			assert_non_null(rd);
			assert_int_equal(tf_reader_meta(rd)->mounts.n, 1);
			assert_int_equal(read_all(rd, NULL, 0, &st), 10);
			tf_close(rd);
		}
	}
	tf_chunk_free(c);
	free(ev);
	free(t.p);
	free(f.p);
}

/* Two MOUNTS in a row: the newer wins; an empty table is a table. */
static void test_mounts_sections(void **state)
{
	struct mount_table one = { ents, 1 }, none = { NULL, 0 };
	struct tf_meta m = { .evtrace_version = "t" };
	struct tf_chunk *c = tf_chunk_new();
	const struct mount_table *mt;
	struct tf_reader *rd;
	struct et_rec r;
	struct buf f;
	uint64_t ts;
	int fd = memfd();

	full_rec(&r, 1);
	assert_int_equal(tf_write_start(fd, &m), 0);
	assert_int_equal(tf_write_mounts(fd, 1, &one), 0);
	assert_int_equal(tf_write_mounts(fd, 2, &none), 0);
	assert_int_equal(tf_chunk_add(c, &r), 0);
	seal_to(fd, c);
	assert_int_equal(tf_write_mounts(fd, 3, &one), 0);
	slurp(fd, &f);
	rd = open_buf(&f);
	assert_int_equal(tf_next(rd, &r), 1);
	mt = tf_mounts_changed(rd, &ts);
	assert_non_null(mt);
	assert_int_equal(ts, 2);
	assert_int_equal(mt->n, 0);
	assert_int_equal(tf_next(rd, &r), 0);
	mt = tf_mounts_changed(rd, &ts);
	assert_non_null(mt);
	assert_int_equal(ts, 3);
	assert_int_equal(mt->n, 1);
	tf_close(rd);
	tf_chunk_free(c);
	free(f.p);
}

/* ---- the bytes themselves ------------------------------------------------- */

/* Two records as the document encodes them, byte by byte. */
static const uint8_t golden[] = {
	/* inode_alloc: presence dev|obj|comm|fs = 0x612 */
	0x02, 0x92, 0x0c,
	0x00,				/* ts: +0 from the section's first ts */
	0x01, 0x64, 0x02,		/* cpu 1, pid 100, tid pid+1 */
	0x0f,				/* dev 0:15 */
	0x00, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* new id #0 */
	0x00, 0x02, 's', 'h',		/* new string #0 */
	0x01, 0x06, 'p', 'i', 'p', 'e', 'f', 's',	/* new string #1 */
	/* inode_evict: presence ino|obj|comm|fs = 0x614 */
	0x03, 0x94, 0x0c,
	0xc7, 0x01,			/* ts: -100 */
	0x00, 0x64, 0x00,		/* cpu 0, pid 100, tid pid */
	0x05,				/* ino 5 */
	0x00,				/* id #0 */
	0x00, 0x01,			/* strings #0, #1 */
};

static void golden_recs(struct et_rec r[2])
{
	memset(r, 0, 2 * sizeof(*r));
	r[0].type = ET_INODE_ALLOC;
	r[0].ts_ns = 1000;
	r[0].cpu = 1;
	r[0].pid = 100;
	r[0].tid = 101;
	r[0].dev_minor = 15;
	r[0].obj_id = 0x1122334455667788ull;
	strcpy(r[0].comm, "sh");
	strcpy(r[0].fs, "pipefs");
	r[1] = r[0];
	r[1].type = ET_INODE_EVICT;
	r[1].ts_ns = 900;
	r[1].cpu = 0;
	r[1].tid = 100;
	r[1].dev_minor = 0;
	r[1].ino = 5;
}

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* The writer makes exactly the documented bytes. */
static void test_writer_bytes(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	uint8_t *p, raw[sizeof(golden) + 16];
	struct et_rec r[2];
	size_t len, n;

	golden_recs(r);
	assert_int_equal(tf_chunk_add(c, &r[0]), 0);
	assert_int_equal(tf_chunk_add(c, &r[1]), 0);
	assert_int_equal(tf_chunk_raw_bytes(c), sizeof(golden));
	assert_int_equal(tf_chunk_first_ns(c), 900);
	assert_int_equal(tf_chunk_last_ns(c), 1000);
	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	assert_memory_equal(p, "ESEC", 4);
	assert_int_equal(le(p + 4, 2), 2);			/* EVENTS */
	assert_int_equal(le(p + 6, 2), 0);			/* flags */
	assert_int_equal(le(p + 8, 4), len - TF_SEC_LEN);		/* stored */
	assert_int_equal(le(p + 12, 4), sizeof(golden));	/* raw */
	assert_int_equal(le(p + 16, 4), crc32(0, p + TF_SEC_LEN, len - TF_SEC_LEN));
	assert_int_equal(le(p + 20, 4), 2);			/* count */
	assert_int_equal(le(p + 24, 8), 1000);			/* the first record's ts */
	assert_int_equal(le(p + 32, 8), 1000);			/* the largest */
	n = ZSTD_decompress(raw, sizeof(raw), p + TF_SEC_LEN, len - TF_SEC_LEN);
	assert_int_equal(n, sizeof(golden));
	assert_memory_equal(raw, golden, sizeof(golden));
	free(p);
	tf_chunk_free(c);
}

/*
 * A file built here from the document alone (no writer code): the file
 * header, META by hand, the golden chunk, a TRAILER.  Unknown text keys,
 * an unknown section type and an extension field are skipped.
 */
#define HEX64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define STR_(x)	#x
#define STR(x)	STR_(x)

static void test_reader_from_document(void **state)
{
	char path[CG_PATH_LEN];
	struct buf f = { 0 }, raw = { 0 }, ext = { 0 };
	struct et_rec got[4], want[2];
	struct tf_status st;
	struct tf_reader *rd;
	const struct tf_meta *m;

	b_header(&f, 1, 0);
	b_text(&f, 1, "evtrace_version 9.9\nkernel_release 6.1\\0400\nfuture_key x y\n"
		      "ncpus 4\nmount 0:15 pipefs pipe:\nmount 8:1 ext4 /a\\040b\n"
		      "mount 8:2 garbage\nno_value_line\n"
		      "cgroup 300 /system.slice/docker-" HEX64 ".scope\ncgroup 1 /\n"
		      "cgroup 7 /a\\040b\ncgroup 0 /zero\ncgroup x /nan\ncgroup 9 relative\n"
		      "cgroup 10\n");
	b_section(&f, 77, "whatever", 8, 8, 0, 0, 0);		/* a type from the future */
	b_put(&raw, golden, sizeof(golden));
	b_events(&f, &raw, 2, 1000);
	/*
	 * a record with presence bits 13 (1.1's cgroup id: its length, then
	 * the varint), 14 and 20: two fields from the future
	 */
	b_byte(&ext, ET_LOST);
	b_varint(&ext, (1u << 13) | (1u << 14) | (1u << 20) | (1u << 3));
	b_varint(&ext, 0);
	b_varint(&ext, 0);
	b_varint(&ext, 0);
	b_varint(&ext, 0);
	b_zigzag(&ext, 42);		/* value */
	b_varint(&ext, 2);
	b_varint(&ext, 300);		/* bit 13: 0xac 0x02 */
	b_varint(&ext, 3);
	b_put(&ext, "abc", 3);		/* bit 14 */
	b_varint(&ext, 0);		/* bit 20, empty */
	b_events(&f, &ext, 1, 7);
	b_text(&f, 4, "events 3\nlost 42\nmystery 1\n");

	rd = open_buf(&f);
	m = tf_reader_meta(rd);
	assert_string_equal(m->evtrace_version, "9.9");
	assert_string_equal(m->kernel_release, "6.1 0");
	assert_int_equal(m->ncpus, 4);
	assert_int_equal(m->mounts.n, 2);
	assert_string_equal(m->mounts.v[1].path, "/a b");
	/* the cgroup table: what parses, the rest left out */
	assert_non_null(m->cgroups);
	assert_int_equal(cgroups_count(m->cgroups), 3);
	assert_true(cgroups_path(m->cgroups, 7, path, sizeof(path)));
	assert_string_equal(path, "/a b");
	assert_true(cgroups_path(m->cgroups, 1, path, sizeof(path)));
	assert_string_equal(path, "/");
	assert_string_equal(cgroups_name(m->cgroups, 300, path, sizeof(path)), "docker:0123456789ab");
	assert_false(cgroups_path(m->cgroups, 9, path, sizeof(path)));
	assert_int_equal(read_all(rd, got, 4, &st), 3);
	golden_recs(want);
	assert_rec_equal(&got[0], &want[0]);
	assert_rec_equal(&got[1], &want[1]);
	assert_int_equal(got[2].type, ET_LOST);
	assert_int_equal(got[2].ts_ns, 7);
	assert_int_equal(got[2].value, 42);
	assert_int_equal(got[2].cgroup_id, 300);
	assert_int_equal(got[0].cgroup_id, 0);
	assert_int_equal(st.chunks, 2);
	assert_int_equal(st.bad_chunks, 0);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.lost, 42);
	/* a trailer of before no_generation: none said, none counted */
	assert_int_equal(st.trailer.no_generation, 0);
	tf_close(rd);
	free(f.p);
	free(raw.p);
	free(ext.p);
}

/*
 * Format 1.1's cgroup id: presence bit 13, a length byte, the varint; a
 * 1.0 file has none and reads as 0 (the document test); a length that the
 * varint does not fill exactly, or that runs past the record, is damage.
 */
static void test_cgroup_field(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct buf f = { 0 }, raw = { 0 };
	struct et_rec r[2], got[4];
	struct tf_status st;
	struct tf_reader *rd;
	uint8_t *p, out[64];
	size_t len, n;
	static const uint8_t tail[] = { 0x02, 0xac, 0x02 };

	golden_recs(r);
	r[0].cgroup_id = 300;
	assert_int_equal(tf_chunk_add(c, &r[0]), 0);
	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	n = ZSTD_decompress(out, sizeof(out), p + TF_SEC_LEN, len - TF_SEC_LEN);
	/* the golden record, with bit 13 in its presence and the field at its end */
	assert_int_equal(n, 29 + sizeof(tail));
	assert_memory_equal(out, "\x02\x92\x4c", 3);		/* 0x2612 */
	assert_memory_equal(out + n - sizeof(tail), tail, sizeof(tail));
	free(p);
	tf_chunk_free(c);

	for (int bad = 0; bad < 3; bad++) {
		static const uint8_t lens[] = { 3, 1, 9 };	/* long, short, past the end */

		memset(&f, 0, sizeof(f));
		memset(&raw, 0, sizeof(raw));
		b_header(&f, 1, 1);
		b_text(&f, 1, "ncpus 1\n");
		b_put(&raw, out, n - 3);
		b_byte(&raw, lens[bad]);
		b_put(&raw, tail + 1, 2);
		if (lens[bad] == 3)
			b_byte(&raw, 0);
		b_events(&f, &raw, 1, 1000);
		rd = open_buf(&f);
		assert_int_equal(read_all(rd, got, 4, &st), 0);
		assert_int_equal(st.bad_chunks, 1);
		tf_close(rd);
		free(f.p);
		free(raw.p);
	}
	/* and right, the same bytes read */
	memset(&f, 0, sizeof(f));
	memset(&raw, 0, sizeof(raw));
	b_header(&f, 1, 1);
	b_text(&f, 1, "ncpus 1\n");
	b_put(&raw, out, n);
	b_events(&f, &raw, 1, 1000);
	rd = open_buf(&f);
	assert_int_equal(read_all(rd, got, 4, &st), 1);
	assert_rec_equal(&got[0], &r[0]);
	assert_null(tf_reader_meta(rd)->cgroups);
	tf_close(rd);
	free(f.p);
	free(raw.p);
}

/* A live table goes into META, and a replay reads the same names back. */
#define LINE5	"cgroup 5 /with\\040space\\134and\\012newline\n"
static void test_cgroup_meta(void **state)
{
	struct tf_meta m = test_meta;
	struct tf_status st;
	struct et_rec r[1];
	struct tf_reader *rd;
	struct cgroups *cg = cgroups_new(NULL, 0);
	char path[CG_PATH_LEN];
	struct buf f;
	int fd = memfd();

	assert_int_equal(cgroups_add(cg, 12, "/agg"), 0);
	assert_int_equal(cgroups_add(cg, 99, "/kubepods/burstable/pod1/" HEX64), 0);
	assert_int_equal(cgroups_add(cg, 5, "/with space\\and\nnewline"), 0);
	/* the session's table, as tf_set_cgroups() hands it to the writer */
	tf_set_cgroups(cg);
	assert_int_equal(tf_write_start(fd, &m), 0);
	/* one learned later goes out with the next MOUNTS section */
	assert_int_equal(cgroups_add(cg, 77, "/later"), 0);
	assert_int_equal(tf_write_mounts(fd, 5, &(struct mount_table){ 0 }), 0);
	tf_set_cgroups(NULL);
	slurp(fd, &f);
	assert_non_null(memmem(f.p, f.len, LINE5, sizeof(LINE5) - 1));
	rd = open_buf(&f);
	assert_int_equal(cgroups_count(tf_reader_meta(rd)->cgroups), 3);
	assert_true(cgroups_path(tf_reader_meta(rd)->cgroups, 5, path, sizeof(path)));
	assert_string_equal(path, "/with space\\and\nnewline");
	assert_string_equal(cgroups_name(tf_reader_meta(rd)->cgroups, 99, path, sizeof(path)),
			    "cri:0123456789ab");
	assert_string_equal(cgroups_name(tf_reader_meta(rd)->cgroups, 12, path, sizeof(path)),
			    "/agg");
	assert_false(cgroups_path(tf_reader_meta(rd)->cgroups, 77, path, sizeof(path)));
	assert_int_equal(read_all(rd, r, 1, &st), 0);
	assert_non_null(tf_mounts_changed(rd, NULL));
	assert_int_equal(cgroups_count(tf_reader_meta(rd)->cgroups), 4);
	assert_true(cgroups_path(tf_reader_meta(rd)->cgroups, 77, path, sizeof(path)));
	assert_string_equal(path, "/later");
	tf_close(rd);
	free(f.p);
	cgroups_free(cg);
}

/*
 * Format 1.3's CGROUPS section: the writer's bytes as the document says
 * (type 5, first and last ts the time, a text of ts_ns and cgroup lines),
 * and the reader hands its names on before the next event, once; the
 * file's whole table has them too.  A section written by hand reads the
 * same, lines that do not parse left out.
 */
static void test_cgroups_section(void **state)
{
	struct tf_meta m = test_meta;
	struct cgroups *cg = cgroups_new(NULL, 0), *late = cgroups_new(NULL, 0), *got;
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r[2], e;
	struct tf_reader *rd;
	char path[CG_PATH_LEN];
	struct buf f, raw = { 0 };
	const uint8_t *sec;
	uint8_t *p;
	size_t len;
	int fd = memfd();
	static const char text[] = "ts_ns 7000\ncgroup 77 /system.slice/late\\040one.service\n"
				   "cgroup 300 /system.slice/docker-" HEX64 ".scope\n";

	golden_recs(r);
	r[0].cgroup_id = 12;
	r[1].cgroup_id = 77;
	assert_int_equal(cgroups_add(cg, 12, "/agg"), 0);
	m.cgroups = cg;
	assert_int_equal(tf_write_start(fd, &m), 0);
	assert_int_equal(tf_chunk_add(c, &r[0]), 0);
	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	assert_int_equal(tf_write_all(fd, p, len), 0);
	free(p);
	tf_chunk_reset(c);
	assert_int_equal(cgroups_add(late, 300, "/system.slice/docker-" HEX64 ".scope"), 0);
	assert_int_equal(cgroups_add(late, 77, "/system.slice/late one.service"), 0);
	assert_int_equal(tf_write_cgroups(fd, 7000, late), 0);
	assert_int_equal(tf_chunk_add(c, &r[1]), 0);
	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	assert_int_equal(tf_write_all(fd, p, len), 0);
	free(p);
	slurp(fd, &f);

	/* the section's bytes: after the chunk, ids in order, paths escaped */
	sec = memmem(f.p, f.len, "ts_ns 7000\n", 11);
	assert_non_null(sec);
	sec -= TF_SEC_LEN;
	assert_int_equal(le(sec + 4, 2), 5);
	assert_int_equal(le(sec + 8, 4), sizeof(text) - 1);
	assert_int_equal(le(sec + 12, 4), sizeof(text) - 1);
	assert_int_equal(le(sec + 16, 4), crc32(0, sec + TF_SEC_LEN, sizeof(text) - 1));
	assert_int_equal(le(sec + 20, 4), 0);
	assert_int_equal(le(sec + 24, 8), 7000);
	assert_int_equal(le(sec + 32, 8), 7000);
	assert_memory_equal(sec + TF_SEC_LEN, text, sizeof(text) - 1);
	assert_int_equal(le((const uint8_t *)f.p + 10, 2), 3);	/* format 1.3 */

	rd = open_buf(&f);
	assert_int_equal(cgroups_count(tf_reader_meta(rd)->cgroups), 1);
	assert_int_equal(tf_next(rd, &e), 1);
	assert_int_equal(e.cgroup_id, 12);
	assert_null(tf_cgroups_changed(rd));
	assert_int_equal(tf_next(rd, &e), 1);
	assert_int_equal(e.cgroup_id, 77);
	got = tf_cgroups_changed(rd);
	assert_non_null(got);
	assert_int_equal(cgroups_count(got), 2);
	assert_true(cgroups_path(got, 77, path, sizeof(path)));
	assert_string_equal(path, "/system.slice/late one.service");
	assert_string_equal(cgroups_name(got, 300, path, sizeof(path)), "docker:0123456789ab");
	cgroups_free(got);
	assert_null(tf_cgroups_changed(rd));	/* once */
	assert_int_equal(cgroups_count(tf_reader_meta(rd)->cgroups), 3);
	assert_int_equal(tf_next(rd, &e), 0);
	tf_close(rd);
	free(f.p);

	/* by hand, from the document: a bad line or two among them */
	memset(&f, 0, sizeof(f));
	b_header(&f, 1, 3);
	b_text(&f, 1, "ncpus 1\n");
	b_text(&f, 5, "ts_ns 5\ncgroup 41 /x\ncgroup 0 /zero\ncgroup 42 rel\nmount 0:1 y /y\n");
	b_put(&raw, golden, sizeof(golden));
	b_events(&f, &raw, 2, 1000);
	rd = open_buf(&f);
	assert_null(tf_reader_meta(rd)->cgroups);
	assert_int_equal(tf_next_batch(rd, r, 2), 2);
	got = tf_cgroups_changed(rd);
	assert_non_null(got);
	assert_int_equal(cgroups_count(got), 1);
	assert_true(cgroups_path(got, 41, path, sizeof(path)));
	assert_string_equal(path, "/x");
	/* a CGROUPS section is no mount change */
	assert_null(tf_mounts_changed(rd, NULL));
	cgroups_free(got);
	tf_close(rd);
	free(f.p);
	free(raw.p);
	tf_chunk_free(c);
	cgroups_free(late);
	cgroups_free(cg);
}

/* ---- damage ----------------------------------------------------------------- */

/* Cut the file at every byte: exactly the complete chunks, and where it stops. */
static void test_truncated_everywhere(void **state)
{
	struct layout l;
	struct buf f;
	char err[200];

	make_file(&f);
	layout_of(&f, &l);
	assert_int_equal(l.n, 6);
	for (size_t cut = 0; cut <= f.len; cut++) {
		struct tf_reader *rd = tf_open_mem(f.p, cut, err, sizeof(err));
		uint64_t events = 0, at = 0;
		struct tf_status st;
		struct et_rec r[100];
		int n;

		if (cut < l.s[0].end) {
			/* only a cut inside the header or the metadata is refused */
			assert_null(rd);
			if (cut == 0)
				assert_string_equal(err, "empty file");
			else if (cut < 8)
				assert_string_equal(err, "not an evtrace file");
			else
				assert_non_null(strstr(err, "truncated"));
			continue;
		}
		assert_non_null(rd);
		for (int k = 0; k < l.n; k++) {
			if (l.s[k].end <= cut)
				events += l.s[k].count;
			else if (l.s[k].off < cut)
				at = l.s[k].off;
		}
		n = read_all(rd, r, 100, &st);
		assert_int_equal(n, events);
		for (int i = 0; i < n; i++) {
			struct et_rec want;

			full_rec(&want, i);
			assert_rec_equal(&r[i], &want);
		}
		assert_int_equal(st.truncated_at, at);
		assert_int_equal(st.bad_chunks, 0);
		assert_int_equal(st.trailer_seen, cut == f.len);
		tf_close(rd);
	}
	free(f.p);
}

/* Any single flipped byte in a chunk's payload: that chunk goes, whole. */
static void test_flipped_byte(void **state)
{
	struct et_rec r[100], want;
	struct tf_status st;
	struct layout l;
	struct buf f;

	make_file(&f);
	layout_of(&f, &l);
	assert_int_equal(l.s[3].type, 2);
	for (size_t at = l.s[3].off + TF_SEC_LEN; at < l.s[3].end; at++) {
		struct tf_reader *rd;
		int n;

		f.p[at] ^= 0x40;
		rd = open_buf(&f);
		n = read_all(rd, r, 100, &st);
		assert_int_equal(n, 60);
		for (int i = 0; i < n; i++) {
			full_rec(&want, i < 40 ? i : i + 40);
			assert_rec_equal(&r[i], &want);
		}
		assert_int_equal(st.chunks, 2);
		assert_int_equal(st.bad_chunks, 1);
		assert_int_equal(st.skipped_events, 40);
		assert_true(st.trailer_seen);
		tf_close(rd);
		f.p[at] ^= 0x40;
	}
	free(f.p);
}

/*
 * tf_next_batch(): the records tf_next() gives, a batch never spanning two
 * chunks, the mount change before the batch it applies to, and a damaged
 * chunk giving nothing, with batches bigger and smaller than a chunk.
 */
static void batches(struct buf *f, uint32_t cap, const int *sizes, int nsizes, int mounts_at,
		    int skip_from, int skip_to)
{
	static struct et_rec b[1000];
	struct tf_reader *rd = open_buf(f);
	struct tf_status st;
	struct et_rec want;
	uint64_t ts = 0;
	int k, i = 0, n = 0;

	while ((k = tf_next_batch(rd, b, cap)) > 0) {
		const struct mount_table *mt = tf_mounts_changed(rd, &ts);

		assert_true(i < nsizes);
		assert_int_equal(k, sizes[i]);
		if (i == mounts_at) {
			assert_non_null(mt);
			assert_int_equal(ts, 5555);
		} else {
			assert_null(mt);
		}
		for (int j = 0; j < k; j++, n++) {
			int e = n < skip_from ? n : n + (skip_to - skip_from);

			full_rec(&want, e);
			assert_rec_equal(&b[j], &want);
		}
		i++;
	}
	assert_int_equal(k, 0);
	assert_int_equal(i, nsizes);
	assert_int_equal(tf_next_batch(rd, b, cap), 0);
	tf_reader_status(rd, &st);
	assert_int_equal(st.events, n);
	assert_int_equal(st.bad_chunks, skip_to > skip_from);
	assert_int_equal(st.skipped_events, skip_to - skip_from);
	assert_true(st.trailer_seen);
	assert_int_equal(tf_next_batch(rd, b, 0), -EINVAL);
	tf_close(rd);
}

static void test_batches(void **state)
{
	static const int whole[] = { 40, 40, 20 }, pieces[] = { 16, 16, 8, 16, 16, 8, 16, 4 },
			 damaged[] = { 40, 20 };
	struct layout l;
	struct buf f;

	make_file(&f);
	batches(&f, 1000, whole, 3, 1, 0, 0);
	batches(&f, 40, whole, 3, 1, 0, 0);
	batches(&f, 16, pieces, 8, 3, 0, 0);
	/* the second chunk damaged: it gives nothing, the third is read */
	layout_of(&f, &l);
	assert_int_equal(l.s[3].type, 2);
	f.p[(l.s[3].off + TF_SEC_LEN + l.s[3].end) / 2] ^= 0x40;
	batches(&f, 1000, damaged, 2, 1, 40, 80);
	free(f.p);
}

/* Any flipped byte in any section header: no crash, the first chunk read. */
static void test_flipped_header_bytes(void **state)
{
	struct et_rec r[100];
	struct tf_status st;
	struct layout l;
	struct buf f;

	make_file(&f);
	layout_of(&f, &l);
	for (int k = 1; k < l.n; k++) {
		for (size_t at = l.s[k].off; at < l.s[k].off + TF_SEC_LEN; at++) {
			for (int bit = 0; bit < 8; bit++) {
				struct tf_reader *rd;
				int n;

				f.p[at] ^= 1 << bit;
				rd = open_buf(&f);
				n = read_all(rd, r, 100, &st);
				assert_true(n >= (k == 1 ? 0 : 40) && n <= 100);
				tf_close(rd);
				f.p[at] ^= 1 << bit;
			}
		}
	}
	free(f.p);
}

/* A garbage section header, and garbage between sections: resync. */
static void test_resync(void **state)
{
	struct et_rec r[100], want;
	struct tf_status st;
	struct tf_reader *rd;
	struct layout l;
	struct buf f, g = { 0 };
	uint64_t seed = 7;
	int n;

	make_file(&f);
	layout_of(&f, &l);

	/* chunk 2's header overwritten: the reader finds chunk 3 */
	for (int i = 0; i < TF_SEC_LEN; i++)
		f.p[l.s[3].off + i] = rnd(&seed);
	rd = open_buf(&f);
	n = read_all(rd, r, 100, &st);
	assert_int_equal(n, 60);
	full_rec(&want, 80);
	assert_rec_equal(&r[40], &want);
	assert_int_equal(st.bad_chunks, 1);
	assert_true(st.trailer_seen);
	tf_close(rd);
	free(f.p);

	/* 1000 bytes of junk, with a fake "ESEC" in it, before the MOUNTS */
	make_file(&f);
	b_put(&g, f.p, l.s[2].off);
	for (int i = 0; i < 1000; i++)
		b_byte(&g, i == 500 ? 'E' : i == 501 ? 'S' : i == 502 ? 'E' : i == 503 ? 'C' : rnd(&seed));
	b_put(&g, f.p + l.s[2].off, f.len - l.s[2].off);
	rd = open_buf(&g);
	n = read_all(rd, r, 100, &st);
	assert_int_equal(n, 100);
	assert_non_null(tf_mounts_changed(rd, NULL));
	assert_int_equal(st.bad_chunks, 1);
	assert_int_equal(st.truncated_at, 0);
	assert_true(st.trailer_seen);
	assert_int_equal(st.gave_up_at, 0);
	tf_close(rd);

	/* junk to the end: nothing found, the end */
	g.len = l.s[2].off + 1000;
	rd = open_buf(&g);
	assert_int_equal(read_all(rd, r, 100, &st), 40);
	assert_int_equal(st.bad_chunks, 1);
	assert_false(st.trailer_seen);
	tf_close(rd);
	free(f.p);
	free(g.p);
}

/*
 * A recording of 100 events, then issue 14's resync bomb up to size bytes
 * (tests/lib/tracebytes.h); read, into st.  Its events must come out.
 */
static void read_bomb(size_t size, struct tf_status *st)
{
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r, out[100];
	struct tf_reader *rd;
	struct buf f;
	int fd = memfd();

	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	for (int i = 0; i < 100; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	seal_to(fd, c);
	slurp(fd, &f);
	b_resync_bomb(&f, size, 1000);
	assert_true(f.len > size - 2000);
	rd = open_buf(&f);
	/* what came before the damage is kept */
	assert_int_equal(read_all(rd, out, 100, st), 100);
	full_rec(&r, 99);
	assert_rec_equal(&out[99], &r);
	assert_int_equal(st->chunks, 1);
	/* ... and giving up is said, with where */
	assert_true(st->bad_chunks >= 1);
	assert_true(st->gave_up_at > 0 && st->gave_up_at < f.len);
	assert_true(st->work <= TF_WORK_FLOOR + TF_WORK_PER_BYTE * f.len);
	tf_close(rd);
	tf_chunk_free(c);
	free(f.p);
}

/*
 * Issue 14: each bad byte of the bomb sent the reader to resync, whose
 * CRC budget was per call: it paid a fake header's CRC over the rest of
 * the file per group of 1081 bytes, quadratic in the file (0.17 s for 1
 * MiB, 8.5 s for 8 MiB).  With one work budget per file, four times the
 * file is at most about four times the work (quadratic: sixteen).
 */
static void test_work_budget(void **state)
{
	struct tf_status small, big;

	read_bomb(1 << 20, &small);
	read_bomb(4 << 20, &big);
	print_message("  resync bomb: %.1f MiB of work for 1 MiB, %.1f MiB for 4 MiB\n",
		      small.work / 1048576.0, big.work / 1048576.0);
	assert_true(big.work < 5 * small.work);
}

/*
 * The budget is for crafted files, not for damage: a file of small chunks
 * with every other header broken costs a resync per chunk, and is read to
 * the end, every good chunk in it.
 */
static void test_work_budget_damage(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r;
	struct buf f;
	size_t off;
	int fd = memfd(), chunks = 0, broken = 0;

	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	for (int i = 0; (uint64_t)lseek(fd, 0, SEEK_END) < 3 * TF_WORK_FLOOR / 2; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
		if (i % 2) {
			seal_to(fd, c);
			chunks++;
		}
	}
	slurp(fd, &f);
	/* every other chunk's magic broken, from the first */
	off = TF_HDR_LEN;
	for (int k = 0; off < f.len; k++) {
		uint32_t stored = f.p[off + 8] | f.p[off + 9] << 8 | f.p[off + 10] << 16 |
				  (uint32_t)f.p[off + 11] << 24;

		if (k % 2 == 1) {
			f.p[off] = 'e';
			broken++;
		}
		off += TF_SEC_LEN + stored;
	}
	rd = open_buf(&f);
	assert_int_equal(read_all(rd, NULL, 0, &st), 2 * (chunks - broken));
	assert_int_equal(st.bad_chunks, broken);
	assert_int_equal(st.gave_up_at, 0);
	print_message("  %d chunks, %d with a broken header: %.2f bytes of work per byte\n",
		      chunks, broken, (double)st.work / f.len);
	tf_close(rd);
	tf_chunk_free(c);
	free(f.p);
}

/*
 * Issue 14: chunks of 64 MiB of zeros in 2 KB each, within every bound of
 * a chunk (tests/lib/tracebytes.h); a 210 KB file of them inflated to 6.7
 * GB.  Past the file's budget they are skipped and counted, not inflated,
 * and the good chunks before and after them read.
 */
static void test_inflate_budget(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r, out[200];
	struct tf_reader *rd;
	struct tf_status st;
	struct buf f;
	uint8_t *p;
	size_t len;
	int fd = memfd();

	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	for (int i = 0; i < 200; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
		if (i == 99)
			seal_to(fd, c);
	}
	slurp(fd, &f);
	b_inflate_bomb(&f, 40);
	assert_int_equal(tf_chunk_seal(c, 3, &p, &len), 0);
	b_put(&f, p, len);
	rd = open_buf(&f);
	assert_int_equal(read_all(rd, out, 200, &st), 200);
	full_rec(&r, 199);
	assert_rec_equal(&out[199], &r);
	assert_int_equal(st.bad_chunks, 40);
	assert_int_equal(st.skipped_events, 40);
	/* the budget: 256 MiB, or 4096 times the file if that is more */
	assert_true(f.len * TF_INFLATE_PER_BYTE > TF_INFLATE_FLOOR);
	assert_true(st.inflated <= f.len * TF_INFLATE_PER_BYTE);
	assert_true(st.not_inflated >= 40 - (f.len * TF_INFLATE_PER_BYTE >> 26));
	print_message("  inflation bomb: %zu bytes, %.0f MiB inflated, %llu chunks not\n", f.len,
		      st.inflated / 1048576.0, (unsigned long long)st.not_inflated);
	tf_close(rd);
	tf_chunk_free(c);
	free(p);
	free(f.p);
}

/* Section headers that break a bound are damage, skipped; the rest read. */
static void test_header_bounds(void **state)
{
	static const struct { int field, width; uint64_t value; uint64_t skipped; } cases[] = {
		{ 8, 4, TF_SECTION_MAX + 1ull, 40 },		/* stored */
		{ 12, 4, TF_CHUNK_MAX_RAW + 1ull, 40 },		/* raw */
		{ 20, 4, TF_CHUNK_MAX_EVENTS + 1ull, 0 },	/* count: not believed */
		{ 20, 4, 41, 41 },				/* more than there are */
		{ 20, 4, 39, 39 },				/* fewer: bytes left over */
		{ 12, 4, 5, 40 },				/* not what the frame says */
		{ 24, 8, 12345, 0 },				/* first ts: times move */
	};
	struct et_rec r[100];
	struct tf_status st;
	struct layout l;
	struct buf f;

	make_file(&f);
	layout_of(&f, &l);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t save[8];
		uint8_t *h = f.p + l.s[3].off + cases[i].field;
		struct tf_reader *rd;
		int n;

		memcpy(save, h, cases[i].width);
		for (int k = 0; k < cases[i].width; k++)
			h[k] = cases[i].value >> (8 * k);
		rd = open_buf(&f);
		n = read_all(rd, r, 100, &st);
		if (cases[i].field == 24) {
			/* not covered by the CRC: the chunk reads, with moved times */
			assert_int_equal(n, 100);
			assert_int_equal(r[40].ts_ns, 12345);
		} else {
			assert_int_equal(n, 60);
			assert_int_equal(st.bad_chunks, 1);
			assert_int_equal(st.skipped_events, cases[i].skipped);
		}
		assert_true(st.trailer_seen);
		tf_close(rd);
		memcpy(h, save, cases[i].width);
	}

	/* a header that claims more than the file holds: truncated there */
	f.p[l.s[3].off + 10] = 0x10;
	{
		struct tf_reader *rd = open_buf(&f);

		assert_int_equal(read_all(rd, r, 100, &st), 40);
		assert_int_equal(st.truncated_at, l.s[3].off);
		assert_false(st.trailer_seen);
		tf_close(rd);
	}
	free(f.p);
}

/*
 * Records that break the document, each alone in a chunk whose CRC is
 * right, between two good chunks: the chunk is skipped whole, even the
 * good records before the bad one.
 */
static void test_bad_records(void **state)
{
	enum { P_OBJ = 1 << 4, P_COMM = 1 << 9, P_NAME = 1 << 11 };
	struct et_rec r[8], want[2];
	enum { GOOD_ONE, TYPE0, TYPE_MAX, STR_REF, ID_REF, COMM_TOO_LONG, NAME_AS_COMM,
	       NUL_IN_STR, OVERLONG_VARINT, TID_RANGE, CPU_RANGE, SHORT_ID, EXT_TOO_LONG,
	       TRAILING, MISSING, N_CASES };
	struct tf_status st;

	for (int k = 0; k < N_CASES; k++) {
		struct buf f = { 0 }, raw = { 0 };
		struct tf_reader *rd;
		uint32_t count = 2;
		char name[40];
		int n;

		b_header(&f, 1, 0);
		b_text(&f, 1, "evtrace_version t\n");
		b_put(&raw, golden, sizeof(golden));
		b_events(&f, &raw, 2, 1000);
		/* the chunk under test: the golden records, then maybe one bad one */
		switch (k) {
		case GOOD_ONE:
			break;
		case TYPE0:
		case TYPE_MAX:
			b_byte(&raw, k == TYPE0 ? 0 : ET_TYPE_MAX);
			b_put(&raw, "\0\0\0\0\0", 5);
			count++;
			break;
		case STR_REF:		/* string #3 when there are two */
		case ID_REF:		/* id #2 when there is one */
		case COMM_TOO_LONG:	/* 16 bytes: no room for the NUL */
		case NUL_IN_STR:
			b_byte(&raw, ET_DENTRY_ALLOC);
			b_varint(&raw, k == ID_REF ? P_OBJ : P_COMM);
			b_put(&raw, "\0\0\0\0", 4);
			if (k == ID_REF)
				b_varint(&raw, 2);
			else if (k == STR_REF)
				b_varint(&raw, 3);
			else if (k == COMM_TOO_LONG)
				b_newstr(&raw, 2, "0123456789abcdef");
			else
				b_put(&raw, "\x02\x03" "a\0b", 5);
			count++;
			break;
		case NAME_AS_COMM:
			/* a good record brings a 39-byte name as string #2... */
			memset(name, 'a', sizeof(name) - 1);
			name[sizeof(name) - 1] = 0;
			b_byte(&raw, ET_DENTRY_ALLOC);
			b_varint(&raw, P_NAME);
			b_put(&raw, "\0\0\0\0", 4);
			b_newstr(&raw, 2, name);
			/* ...which the next one names as its comm: too long for it */
			b_byte(&raw, ET_DENTRY_ALLOC);
			b_varint(&raw, P_COMM);
			b_put(&raw, "\0\0\0\0", 4);
			b_varint(&raw, 2);
			count += 2;
			break;
		case OVERLONG_VARINT:
			b_byte(&raw, ET_LOST);
			b_put(&raw, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11);
			b_put(&raw, "\0\0\0\0", 4);
			count++;
			break;
		case TID_RANGE:
		case CPU_RANGE:
			b_byte(&raw, ET_LOST);
			b_varint(&raw, 0);
			b_varint(&raw, 0);
			b_varint(&raw, k == CPU_RANGE ? 1ull << 32 : 0);
			b_varint(&raw, 5);
			b_zigzag(&raw, k == TID_RANGE ? -6 : 0);
			count++;
			break;
		case SHORT_ID:
			b_byte(&raw, ET_LOST);
			b_varint(&raw, 1 << 4);
			b_put(&raw, "\0\0\0\0", 4);
			b_varint(&raw, 1);		/* new id #1 */
			b_put(&raw, "1234567", 7);	/* 7 of its 8 bytes */
			count++;
			break;
		case EXT_TOO_LONG:
			b_byte(&raw, ET_LOST);
			b_varint(&raw, 1 << 13);
			b_put(&raw, "\0\0\0\0", 4);
			b_varint(&raw, 5000);
			for (int i = 0; i < 5000; i++)
				b_byte(&raw, 0);
			count++;
			break;
		case TRAILING:
			b_byte(&raw, 0x01);	/* after the last record */
			break;
		case MISSING:
			count++;		/* claims a record it does not have */
			break;
		}
		b_events(&f, &raw, count, 1000);
		raw.len = sizeof(golden);
		b_events(&f, &raw, 2, 1000);
		b_text(&f, 4, "events 4\n");

		rd = open_buf(&f);
		n = read_all(rd, r, 8, &st);
		golden_recs(want);
		if (k == GOOD_ONE) {
			/* the control: the same chunks, nothing wrong */
			assert_int_equal(n, 6);
			assert_int_equal(st.bad_chunks, 0);
		} else {
			if (n != 4)
				print_error("case %d: %d events\n", k, n);
			assert_int_equal(n, 4);
			assert_int_equal(st.chunks, 2);
			assert_int_equal(st.bad_chunks, 1);
			assert_int_equal(st.skipped_events, count);
		}
		assert_rec_equal(&r[0], &want[0]);
		assert_rec_equal(&r[n - 2], &want[0]);
		assert_true(st.trailer_seen);
		tf_close(rd);
		free(f.p);
		free(raw.p);
	}
}

/* ---- refusals and versions -------------------------------------------------- */

static void test_refusals(void **state)
{
	static const uint8_t zero[1];
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r[100];
	struct buf f, g = { 0 };
	char err[200], path[] = "/tmp/evtrace-tf-XXXXXX";
	int fd;

	assert_null(tf_open_mem(zero, 0, err, sizeof(err)));
	assert_string_equal(err, "empty file");
	fd = mkstemp(path);
	close(fd);
	assert_null(tf_open(path, err, sizeof(err)));
	assert_string_equal(err, "empty file");
	unlink(path);
	assert_null(tf_open("/nonexistent/evtrace.evt", err, sizeof(err)));
	assert_string_equal(err, "No such file or directory");

	make_file(&f);
	f.p[0] = 'X';
	assert_null(tf_open_mem(f.p, f.len, err, sizeof(err)));
	assert_string_equal(err, "not an evtrace file");
	assert_null(tf_open_mem("EVTRACE", 7, err, sizeof(err)));
	assert_string_equal(err, "not an evtrace file");
	f.p[0] = 'E';

	f.p[8] = 2;	/* major 2 */
	assert_null(tf_open_mem(f.p, f.len, err, sizeof(err)));
	assert_string_equal(err, "file format 2." STR(TF_VERSION_MINOR)
			    " is newer than this evtrace reads (1.x): upgrade evtrace");
	f.p[8] = 0;	/* major 0 never existed */
	assert_null(tf_open_mem(f.p, f.len, err, sizeof(err)));
	assert_string_equal(err, "not an evtrace file (bad header)");
	f.p[8] = 1;

	f.p[10] = 7;	/* minor 7: read */
	rd = open_buf(&f);
	assert_int_equal(read_all(rd, r, 100, &st), 100);
	assert_true(st.trailer_seen);
	tf_close(rd);
	f.p[10] = 0;

	f.p[TF_HDR_LEN + 4] = 2;	/* the first section is not META */
	assert_null(tf_open_mem(f.p, f.len, err, sizeof(err)));
	assert_string_equal(err, "not an evtrace file (no metadata section)");
	f.p[TF_HDR_LEN + 4] = 1;
	f.p[TF_HDR_LEN + TF_SEC_LEN] ^= 1;	/* META's CRC */
	assert_null(tf_open_mem(f.p, f.len, err, sizeof(err)));
	assert_string_equal(err, "damaged metadata section");
	f.p[TF_HDR_LEN + TF_SEC_LEN] ^= 1;

	/* a longer header from a newer minor version: the rest is skipped */
	b_put(&g, f.p, 12);
	b_le(&g, 64, 4);
	b_put(&g, f.p + 16, 16);
	for (int i = 0; i < 32; i++)
		b_byte(&g, 0xab);
	b_put(&g, f.p + TF_HDR_LEN, f.len - TF_HDR_LEN);
	rd = open_buf(&g);
	assert_int_equal(read_all(rd, r, 100, &st), 100);
	tf_close(rd);
	free(f.p);
	free(g.p);
}

/* ---- the writer ------------------------------------------------------------- */

static void test_chunk_limits(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct tf_status st;
	struct tf_reader *rd;
	struct et_rec r, *want;
	struct buf f;
	uint32_t n = 0, full;
	int fd, err;

	memset(&r, 0, sizeof(r));
	assert_int_equal(tf_chunk_add(c, &r), -EINVAL);
	r.type = ET_TYPE_MAX;
	assert_int_equal(tf_chunk_add(c, &r), -EINVAL);
	assert_int_equal(tf_chunk_events(c), 0);

	/* small records: the event count is what fills a chunk */
	r.type = ET_LOST;
	while ((err = tf_chunk_add(c, &r)) == 0)
		n++;
	assert_int_equal(err, -E2BIG);
	assert_true(n >= 1024 && n <= TF_CHUNK_MAX_EVENTS);
	assert_int_equal(tf_chunk_events(c), n);
	full = n;
	tf_chunk_reset(c);
	assert_int_equal(tf_chunk_events(c), 0);
	assert_int_equal(tf_chunk_raw_bytes(c), 0);

	/*
	 * Four new strings and four new ids a record: a table fills first,
	 * in the middle of a record, which must leave no trace.
	 */
	want = calloc(full, sizeof(*want));
	assert_non_null(want);
	for (n = 0;; n++) {
		full_rec(&r, n);
		snprintf(r.comm, sizeof(r.comm), "c%u", n);
		snprintf(r.fs, sizeof(r.fs), "f%u", n);
		snprintf(r.name, sizeof(r.name), "name %u %0*u", n, 40, n);
		snprintf(r.caller, sizeof(r.caller), "caller %u", n);
		r.obj_id = 4 * n + 1;
		r.aux_id = 4 * n + 2;
		r.inode_id = 4 * n + 3;
		r.pei_id = 4 * n + 4;
		err = tf_chunk_add(c, &r);
		if (err)
			break;
		assert_true(n < full);
		want[n] = r;
	}
	assert_int_equal(err, -E2BIG);
	assert_int_equal(tf_chunk_events(c), n);
	assert_true(tf_chunk_raw_bytes(c) <= TF_CHUNK_MAX_RAW);
	fd = memfd();
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	seal_to(fd, c);
	/* the record that did not fit goes first in the next chunk */
	assert_int_equal(tf_chunk_add(c, &r), 0);
	want[n] = r;
	seal_to(fd, c);
	slurp(fd, &f);
	rd = open_buf(&f);
	for (uint32_t i = 0; i <= n; i++) {
		struct et_rec got;

		assert_int_equal(tf_next(rd, &got), 1);
		assert_rec_equal(&got, &want[i]);
	}
	assert_int_equal(tf_next(rd, &r), 0);
	tf_reader_status(rd, &st);
	assert_int_equal(st.chunks, 2);
	tf_close(rd);

	/* an empty chunk is a valid section */
	fd = memfd();
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	seal_to(fd, c);
	free(f.p);
	slurp(fd, &f);
	rd = open_buf(&f);
	assert_int_equal(tf_next(rd, &r), 0);
	tf_reader_status(rd, &st);
	assert_int_equal(st.chunks, 1);
	assert_int_equal(st.bad_chunks, 0);
	tf_close(rd);
	free(f.p);
	free(want);
	tf_chunk_free(c);
}

/* Strings that fill their fields without a NUL are cut, as the field holds. */
static void test_unterminated_strings(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct tf_reader *rd;
	struct et_rec r, got;
	struct buf f;
	int fd = memfd();

	memset(&r, 'z', sizeof(r));
	r.type = ET_DENTRY_ALLOC;
	r.dev_major = 1;
	r.dev_minor = 2;
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	assert_int_equal(tf_chunk_add(c, &r), 0);
	seal_to(fd, c);
	slurp(fd, &f);
	rd = open_buf(&f);
	assert_int_equal(tf_next(rd, &got), 1);
	assert_int_equal(strlen(got.comm), sizeof(got.comm) - 1);
	assert_int_equal(strlen(got.name), sizeof(got.name) - 1);
	assert_int_equal(strlen(got.caller), sizeof(got.caller) - 1);
	tf_close(rd);
	free(f.p);
	tf_chunk_free(c);
}

/* tf_write_all keeps going through short writes and EINTR. */
struct drain {
	int fd;
	uLong crc;
	size_t len;
};

static void *drain_main(void *arg)
{
	struct drain *d = arg;
	uint8_t buf[4096];
	sigset_t all;
	ssize_t n;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while ((n = read(d->fd, buf, 1 + d->len % sizeof(buf))) > 0) {
		d->crc = crc32(d->crc, buf, n);
		d->len += n;
		if (!(d->len & 0xffff))
			usleep(100);
	}
	return NULL;
}

static void on_alarm(int sig)
{
}

static void test_write_all(void **state)
{
	const size_t len = 8 << 20;
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { { 0, 200 }, { 0, 200 } }, off = { 0 };
	struct drain d = { .crc = crc32(0, NULL, 0) };
	uint8_t *data = malloc(len);
	uint64_t seed = 3;
	pthread_t th;
	int p[2];

	assert_non_null(data);
	for (size_t i = 0; i < len; i++)
		data[i] = rnd(&seed);
	assert_int_equal(pipe(p), 0);
	d.fd = p[0];
	/* no SA_RESTART: a signal mid-write makes it short, or EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(pthread_create(&th, NULL, drain_main, &d), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(tf_write_all(p[1], data, len), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	close(p[1]);
	pthread_join(th, NULL);
	close(p[0]);
	assert_int_equal(d.len, len);
	assert_int_equal(d.crc, crc32(crc32(0, NULL, 0), data, len));
	free(data);

	assert_int_equal(tf_write_all(-1, "x", 1), -EBADF);
	assert_int_equal(tf_write_all(-1, "x", 0), 0);
}

/* ---- size ------------------------------------------------------------------- */

/*
 * A shell loop making pipes (`while :; do : | :; done`): per pipe, the
 * shell (one pid, on a CPU it seldom leaves) allocates the inode, its
 * number and the dentry; the last child to exit, a new pid each time on
 * any CPU, kills the dentry and evicts the inode.  Random 64-bit ids (as
 * the keyed hash gives), comm "sh", fs "pipefs", 10-100 us apart.
 */
static void test_bytes_per_event(void **state)
{
	static const int cycle[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC,
				     ET_DENTRY_KILL, ET_INODE_EVICT };
	struct tf_chunk *c = tf_chunk_new();
	uint64_t seed = 1, inode = 0, dentry = 0, ts = 1e9, bytes = 0, raw = 0, ino = 0;
	uint32_t cpu = 0, child = 0, child_cpu = 0, chunks = 0;
	const int n = 100000;
	struct et_rec r;
	uint8_t *buf;
	size_t len;

	for (int i = 0; i < n; i++) {
		int t = cycle[i % 5];
		bool in_child = t == ET_DENTRY_KILL || t == ET_INODE_EVICT;

		if (i % 5 == 0) {
			inode = rnd(&seed);
			dentry = rnd(&seed);
			ino = 40000 + i / 5;
			if (rnd(&seed) % 50 == 0)
				cpu = rnd(&seed) % 4;
			child = 2001 + 2 * (i / 5);
			child_cpu = rnd(&seed) % 4;
		}
		memset(&r, 0, sizeof(r));
		r.type = t;
		ts += 10000 + rnd(&seed) % 90000;
		r.ts_ns = ts;
		r.cpu = in_child ? child_cpu : cpu;
		r.pid = r.tid = in_child ? child : 2000;
		r.dev_minor = 15;
		strcpy(r.comm, "sh");
		strcpy(r.fs, "pipefs");
		r.obj_id = t == ET_DENTRY_ALLOC || t == ET_DENTRY_KILL ? dentry : inode;
		if (t == ET_INO_ALLOC) {
			r.ino = ino;
			strcpy(r.caller, "create_pipe_files");
		}
		if (t == ET_DENTRY_KILL) {
			r.inode_id = inode;
			r.inode_ino = ino;
		}
		if (t == ET_INODE_EVICT)
			r.ino = ino;
		if (tf_chunk_add(c, &r) == -E2BIG) {
			raw += tf_chunk_raw_bytes(c);
			assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
			bytes += len;
			chunks++;
			free(buf);
			tf_chunk_reset(c);
			assert_int_equal(tf_chunk_add(c, &r), 0);
		}
	}
	raw += tf_chunk_raw_bytes(c);
	assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
	bytes += len;
	chunks++;
	free(buf);
	tf_chunk_free(c);
	print_message("  pipe loop: %.2f bytes/event on disk (%.2f before zstd level 3; "
		      "%d events, %u chunks)\n", (double)bytes / n, (double)raw / n, n, chunks);
	assert_true(bytes <= 12ull * n);
}

/* ---- a stream: standard input, read in order, never seeked (-) -------------- */

struct feeder {
	int fd;
	const uint8_t *p;
	size_t len, piece;
};

/* Writes the bytes in pieces, as a producer on the other end of a pipe would. */
static void *feed_pipe(void *arg)
{
	struct feeder *fe = arg;

	for (size_t off = 0; off < fe->len; ) {
		size_t n = fe->len - off < fe->piece ? fe->len - off : fe->piece;
		ssize_t w = write(fe->fd, fe->p + off, n);

		if (w <= 0)
			break;	/* the reader closed its end */
		off += w;
	}
	close(fe->fd);
	return NULL;
}

struct stream {
	struct tf_reader *rd;
	pthread_t thread;
	struct feeder fe;
	int rfd;
	char err[200];
};

/* The first len bytes of f through a pipe, piece bytes at a time. */
static void stream_open(struct stream *st, const struct buf *f, size_t len, size_t piece)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	st->rfd = p[0];
	st->fe = (struct feeder){ p[1], f->p, len, piece };
	assert_int_equal(pthread_create(&st->thread, NULL, feed_pipe, &st->fe), 0);
	st->rd = tf_open_fd(p[0], st->err, sizeof(st->err));
}

static void stream_close(struct stream *st)
{
	tf_close(st->rd);
	/* the fd is the caller's: tf_close() left it open */
	assert_int_equal(close(st->rfd), 0);
	pthread_join(st->thread, NULL);
}

/* Read from a pipe, a byte at a time or in big pieces: what the file gives. */
static void test_stream_as_file(void **state)
{
	static const size_t pieces[] = { 1, 7, 40, 4096, 1 << 20 };
	struct et_rec fr[100], sr[100];
	struct tf_status fst, sst;
	struct tf_reader *rd;
	struct buf f;
	int fn;

	make_file(&f);
	rd = open_buf(&f);
	fn = read_all(rd, fr, 100, &fst);
	assert_int_equal(fn, 100);
	assert_false(tf_reader_is_stream(rd));
	tf_close(rd);
	for (size_t k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		struct stream st;
		const struct mount_table *mt;
		struct et_rec r;
		uint64_t ts = 0;
		int n = 0, at = -1;

		stream_open(&st, &f, f.len, pieces[k]);
		assert_non_null(st.rd);
		assert_true(tf_reader_is_stream(st.rd));
		assert_string_equal(tf_reader_meta(st.rd)->evtrace_version,
				    test_meta.evtrace_version);
		assert_int_equal(tf_reader_meta(st.rd)->mounts.n, test_meta.mounts.n);
		while (tf_next(st.rd, &r) == 1) {
			if ((mt = tf_mounts_changed(st.rd, &ts)) != NULL)
				at = n;
			sr[n++] = r;
		}
		/* the MOUNTS section between the first two chunks, as in the file */
		assert_int_equal(at, 40);
		assert_int_equal(ts, 5555);
		assert_int_equal(n, fn);
		for (int i = 0; i < n; i++)
			assert_rec_equal(&sr[i], &fr[i]);
		tf_reader_status(st.rd, &sst);
		assert_int_equal(sst.chunks, fst.chunks);
		assert_true(sst.trailer_seen);
		assert_int_equal(sst.trailer.no_generation, 9);
		assert_int_equal(sst.work, fst.work);
		assert_int_equal(sst.truncated_at, 0);
		assert_int_equal(tf_reader_size(st.rd), f.len);
		stream_close(&st);
	}
	free(f.p);
}

/*
 * Cut at every byte, then read as a stream: the same events and status as
 * the file cut there, and what was cut: the bytes after the last whole
 * section, and the events its header claimed.
 */
static void test_stream_truncated_everywhere(void **state)
{
	struct layout l;
	struct buf f;
	char ferr[200];

	make_file(&f);
	layout_of(&f, &l);
	for (size_t cut = 0; cut <= f.len; cut++) {
		struct tf_reader *frd = tf_open_mem(f.p, cut, ferr, sizeof(ferr));
		struct et_rec fr[100], sr[100];
		struct tf_status fst, sst;
		struct stream st;
		int k;

		stream_open(&st, &f, cut, 64);
		if (!frd) {
			/* refused alike; an empty stream says it is one */
			assert_null(st.rd);
			if (cut)
				assert_string_equal(st.err, ferr);
			else
				assert_string_equal(st.err, "empty input: nothing came on it");
			stream_close(&st);
			continue;
		}
		assert_non_null(st.rd);
		assert_int_equal(read_all(st.rd, sr, 100, &sst), read_all(frd, fr, 100, &fst));
		for (uint64_t i = 0; i < fst.events; i++)
			assert_rec_equal(&sr[i], &fr[i]);
		assert_int_equal(sst.truncated_at, fst.truncated_at);
		assert_int_equal(sst.cut_bytes, fst.cut_bytes);
		assert_int_equal(sst.cut_events, fst.cut_events);
		assert_int_equal(sst.cut_type, fst.cut_type);
		assert_int_equal(sst.trailer_seen, fst.trailer_seen);
		/* what was cut, from the layout */
		for (k = 0; k < l.n && l.s[k].end <= cut; k++)
			;
		if (k < l.n && cut > l.s[k].off) {
			assert_int_equal(sst.truncated_at, l.s[k].off);
			assert_int_equal(sst.cut_bytes, cut - l.s[k].off);
			if (cut - l.s[k].off < TF_SEC_LEN) {
				assert_int_equal(sst.cut_type, 0);
			} else {
				assert_int_equal(sst.cut_type, l.s[k].type);
				assert_int_equal(sst.cut_events, l.s[k].type == 2 ? l.s[k].count : 0);
			}
		} else {
			assert_int_equal(sst.truncated_at, 0);
			assert_int_equal(sst.cut_bytes, 0);
		}
		tf_close(frd);
		stream_close(&st);
	}
	free(f.p);
}

/* Damage in a stream: resynced past as in a file, forward only. */
static void test_stream_resync(void **state)
{
	struct et_rec r[100];
	struct tf_status st;
	struct stream s;
	struct layout l;
	struct buf f, g = { 0 };
	uint64_t seed = 7;

	make_file(&f);
	layout_of(&f, &l);
	b_put(&g, f.p, l.s[2].off);
	for (int i = 0; i < 1000; i++)
		b_byte(&g, i == 500 ? 'E' : i == 501 ? 'S' : i == 502 ? 'E' : i == 503 ? 'C' : rnd(&seed));
	b_put(&g, f.p + l.s[2].off, f.len - l.s[2].off);
	stream_open(&s, &g, g.len, 100);
	assert_int_equal(read_all(s.rd, r, 100, &st), 100);
	assert_int_equal(st.bad_chunks, 1);
	assert_true(st.trailer_seen);
	assert_int_equal(st.gave_up_at, 0);
	stream_close(&s);
	/* a chunk's payload flipped: skipped whole, the rest read */
	f.p[(l.s[3].off + TF_SEC_LEN + l.s[3].end) / 2] ^= 0x40;
	stream_open(&s, &f, f.len, 3);
	assert_int_equal(read_all(s.rd, r, 100, &st), 60);
	assert_int_equal(st.bad_chunks, 1);
	assert_int_equal(st.skipped_events, 40);
	stream_close(&s);
	free(f.p);
	free(g.p);
}

/*
 * Issue 14's resync bomb on standard input: the budget follows the bytes
 * read so far, reading stops where it runs out, the events before come out,
 * and the size is the whole input's (the rest read, not kept).
 */
static void test_stream_bomb(void **state)
{
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r, out[100];
	struct tf_status st;
	struct stream s;
	struct buf f;
	int fd = memfd();

	assert_non_null(c);
	assert_int_equal(tf_write_start(fd, &test_meta), 0);
	for (int i = 0; i < 100; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
	}
	seal_to(fd, c);
	slurp(fd, &f);
	b_resync_bomb(&f, 4 << 20, 1000);
	stream_open(&s, &f, f.len, 1 << 16);
	assert_int_equal(read_all(s.rd, out, 100, &st), 100);
	assert_true(st.gave_up_at > 0 && st.gave_up_at < f.len);
	assert_true(st.work <= TF_WORK_FLOOR + TF_WORK_PER_BYTE * f.len);
	assert_int_equal(tf_reader_size(s.rd), f.len);
	stream_close(&s);
	tf_chunk_free(c);
	free(f.p);
}

static void test_stream_name(void **state)
{
	char err[200];

	assert_string_equal(tf_name("-"), "standard input");
	assert_string_equal(tf_name("a.evt"), "a.evt");
	/* a file named - is ./- */
	assert_null(tf_open("./-", err, sizeof(err)));
	assert_string_equal(err, "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_every_field),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_meta_round_trip),
		cmocka_unit_test(test_start_from_first_event),
		cmocka_unit_test(test_big_mount_table),
		cmocka_unit_test(test_text_bound),
		cmocka_unit_test(test_mounts_sections),
		cmocka_unit_test(test_writer_bytes),
		cmocka_unit_test(test_cgroup_field),
		cmocka_unit_test(test_cgroup_meta),
		cmocka_unit_test(test_cgroups_section),
		cmocka_unit_test(test_reader_from_document),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_flipped_header_bytes),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_work_budget),
		cmocka_unit_test(test_work_budget_damage),
		cmocka_unit_test(test_inflate_budget),
		cmocka_unit_test(test_header_bounds),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_chunk_limits),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_bytes_per_event),
		cmocka_unit_test(test_stream_as_file),
		cmocka_unit_test(test_stream_truncated_everywhere),
		cmocka_unit_test(test_stream_resync),
		cmocka_unit_test(test_stream_bomb),
		cmocka_unit_test(test_stream_name),
	};

	/* a stream's reader that stops early: its feeder gets EPIPE, not killed */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
