// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The trace file: every field survives a round trip; a truncated file
 * gives every complete chunk and says where it stops; a damaged chunk is
 * skipped and the rest read; wrong magic, a newer major version and an
 * empty file are refused with a clear reason; the encoding stays under 12
 * bytes per event for the seed's pipe loop.
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracefile.h"

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

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
}

struct file {
	char path[64];
	uint8_t *buf;
	size_t len;
	size_t chunk_at[8];	/* offsets of the EVENTS sections */
	int n_chunks;
};

static void seal_into(int fd, struct tf_chunk *c, struct file *f)
{
	uint8_t *buf;
	size_t len;

	assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
	f->chunk_at[f->n_chunks++] = lseek(fd, 0, SEEK_CUR);
	assert_int_equal(tf_write_all(fd, buf, len), 0);
	free(buf);
	tf_chunk_reset(c);
}

/*
 * meta, chunk of 40, MOUNTS, chunk of 40, chunk of 20, trailer: 100 events,
 * read back into f->buf.
 */
static void make_file(struct file *f)
{
	struct mount_ent ents[2] = {
		{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
		{ .dev = ET_MKDEV(8u, 1u), .fstype = "ext4", .path = "/mnt/with space\\and\ttab" },
	};
	struct tf_meta m = { .evtrace_version = "0.1.0", .kernel_release = "6.12.0 test",
			     .machine = "x86_64", .ncpus = 2, .boot_offset_ns = -5,
			     .start_ns = 5000000000ull, .start_realtime_ns = 17e17,
			     .probes = "get_next_ino=fentry,release_ei=missing",
			     .filters = "--fs tracefs", .mounts = { ents, 2 } };
	struct mount_table later = { ents + 1, 1 };
	struct tf_trailer tr = { .end_ns = 6e9, .events = 100, .lost = 3, .chunks = 3 };
	struct tf_chunk *c = tf_chunk_new();
	struct et_rec r;
	int fd;

	memset(f, 0, sizeof(*f));
	strcpy(f->path, "/tmp/evtrace-tf-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0 && c);
	assert_int_equal(tf_write_start(fd, &m), 0);
	for (int i = 0; i < 100; i++) {
		full_rec(&r, i);
		assert_int_equal(tf_chunk_add(c, &r), 0);
		if (i == 39 || i == 79) {
			seal_into(fd, c, f);
			if (i == 39)
				assert_int_equal(tf_write_mounts(fd, 5555, &later), 0);
		}
	}
	seal_into(fd, c, f);
	assert_int_equal(tf_write_trailer(fd, &tr), 0);
	f->len = lseek(fd, 0, SEEK_END);
	f->buf = malloc(f->len);
	assert_int_equal(pread(fd, f->buf, f->len, 0), (ssize_t)f->len);
	close(fd);
	tf_chunk_free(c);
}

static void drop_file(struct file *f)
{
	unlink(f->path);
	free(f->buf);
}

static void test_round_trip(void **state)
{
	const struct mount_table *mt;
	struct tf_status st;
	struct tf_reader *rd;
	struct et_rec want, got;
	struct file f;
	char err[200];
	uint64_t ts;
	int i;

	make_file(&f);
	rd = tf_open(f.path, err, sizeof(err));
	assert_non_null(rd);
	assert_string_equal(tf_reader_meta(rd)->kernel_release, "6.12.0 test");
	assert_string_equal(tf_reader_meta(rd)->probes, "get_next_ino=fentry,release_ei=missing");
	assert_string_equal(tf_reader_meta(rd)->filters, "--fs tracefs");
	assert_int_equal(tf_reader_meta(rd)->boot_offset_ns, -5);
	assert_int_equal(tf_reader_meta(rd)->mounts.n, 2);
	assert_string_equal(tf_reader_meta(rd)->mounts.v[1].path, "/mnt/with space\\and\ttab");
	for (i = 0; i < 100; i++) {
		assert_int_equal(tf_next(rd, &got), 1);
		full_rec(&want, i);
		assert_rec_equal(&got, &want);
		mt = tf_mounts_changed(rd, &ts);
		/* the MOUNTS section sits between event 39 and event 40 */
		if (i == 40) {
			assert_non_null(mt);
			assert_int_equal(ts, 5555);
			assert_int_equal(mt->n, 1);
			assert_string_equal(mt->v[0].fstype, "ext4");
		} else {
			assert_null(mt);
		}
	}
	assert_int_equal(tf_next(rd, &got), 0);
	tf_reader_status(rd, &st);
	assert_int_equal(st.events, 100);
	assert_int_equal(st.chunks, 3);
	assert_int_equal(st.bad_chunks, 0);
	assert_int_equal(st.truncated_at, 0);
	assert_true(st.trailer_seen);
	assert_int_equal(st.trailer.lost, 3);
	tf_close(rd);
	drop_file(&f);
}

/* Cut the file at every byte: never a crash, every complete chunk read. */
static void test_truncated_everywhere(void **state)
{
	struct file f;
	char err[200];

	make_file(&f);
	for (size_t cut = 0; cut < f.len; cut++) {
		struct tf_reader *rd = tf_open_mem(f.buf, cut, err, sizeof(err));
		struct tf_status st;
		struct et_rec r;
		int n = 0, whole = 0;

		if (!rd) {
			/* only a cut inside the header or metadata is refused */
			assert_true(cut < f.chunk_at[0]);
			assert_true(strstr(err, "truncated") || strstr(err, "empty") ||
				    strstr(err, "not an evtrace file"));
			continue;
		}
		while (tf_next(rd, &r) == 1)
			n++;
		tf_reader_status(rd, &st);
		for (int k = 0; k < f.n_chunks; k++)
			whole += k + 1 < f.n_chunks ? f.chunk_at[k + 1] <= cut : 0;
		/* chunks of 40, 40, 20: the complete ones all come back */
		/* cut inside a section: it says where; on a boundary: no trailer */
		if (cut < f.len - 1) {
			assert_false(st.trailer_seen);
			assert_true(st.truncated_at <= cut);
		}
		assert_true(n >= (whole >= 2 ? 80 : whole * 40));
		tf_close(rd);
	}
	drop_file(&f);
}

/* A flipped byte in the second chunk: it is skipped, the others read. */
static void test_flipped_byte(void **state)
{
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r, want;
	struct file f;
	char err[200];
	int n = 0;

	make_file(&f);
	f.buf[f.chunk_at[1] + 40 + 5] ^= 0x40;
	rd = tf_open_mem(f.buf, f.len, err, sizeof(err));
	assert_non_null(rd);
	while (tf_next(rd, &r) == 1) {
		full_rec(&want, n < 40 ? n : n + 40);
		assert_rec_equal(&r, &want);
		n++;
	}
	tf_reader_status(rd, &st);
	assert_int_equal(n, 60);
	assert_int_equal(st.bad_chunks, 1);
	assert_int_equal(st.skipped_events, 40);
	assert_true(st.trailer_seen);
	tf_close(rd);

	/* a damaged section header: the reader finds the next section */
	f.buf[f.chunk_at[1] + 40 + 5] ^= 0x40;
	f.buf[f.chunk_at[1]] = 'X';
	rd = tf_open_mem(f.buf, f.len, err, sizeof(err));
	n = 0;
	while (tf_next(rd, &r) == 1)
		n++;
	tf_reader_status(rd, &st);
	assert_int_equal(n, 60);
	assert_true(st.bad_chunks >= 1);
	assert_true(st.trailer_seen);
	tf_close(rd);
	drop_file(&f);
}

static void test_refusals(void **state)
{
	static const uint8_t zero[1];
	struct file f;
	char err[200];
	struct tf_reader *rd;
	uint8_t *copy;
	struct et_rec r;

	assert_null(tf_open_mem(zero, 0, err, sizeof(err)));
	assert_string_equal(err, "empty file");
	assert_null(tf_open("/nonexistent/evtrace.evt", err, sizeof(err)));
	assert_string_equal(err, "No such file or directory");

	make_file(&f);
	copy = malloc(f.len);
	memcpy(copy, f.buf, f.len);
	copy[0] = 'X';
	assert_null(tf_open_mem(copy, f.len, err, sizeof(err)));
	assert_string_equal(err, "not an evtrace file");

	memcpy(copy, f.buf, f.len);
	copy[8] = 2;	/* major 2 */
	assert_null(tf_open_mem(copy, f.len, err, sizeof(err)));
	assert_string_equal(err, "file format 2.0 is newer than this evtrace reads (1.x): upgrade evtrace");

	memcpy(copy, f.buf, f.len);
	copy[10] = 7;	/* minor 7: read */
	rd = tf_open_mem(copy, f.len, err, sizeof(err));
	assert_non_null(rd);
	assert_int_equal(tf_next(rd, &r), 1);
	tf_close(rd);
	free(copy);
	drop_file(&f);
}

/*
 * The seed's pipe loop: inode_alloc, ino_alloc, dentry_alloc, dentry_kill,
 * inode_evict per pipe, random 64-bit ids, 2-40 us apart.
 */
static void test_bytes_per_event(void **state)
{
	static const int cycle[] = { ET_INODE_ALLOC, ET_INO_ALLOC, ET_DENTRY_ALLOC,
				     ET_DENTRY_KILL, ET_INODE_EVICT };
	struct tf_chunk *c = tf_chunk_new();
	uint64_t seed = 1, inode = 0, dentry = 0, ts = 1e9, bytes = 0;
	const int n = 100000;
	struct et_rec r;
	uint8_t *buf;
	size_t len;

	for (int i = 0; i < n; i++) {
		int t = cycle[i % 5];

		if (i % 5 == 0) {
			inode = rnd(&seed);
			dentry = rnd(&seed);
		}
		memset(&r, 0, sizeof(r));
		r.type = t;
		ts += 2000 + rnd(&seed) % 38000;
		r.ts_ns = ts;
		r.pid = r.tid = 137;
		r.dev_minor = 15;
		strcpy(r.comm, "sh");
		strcpy(r.fs, "pipefs");
		r.obj_id = t == ET_DENTRY_ALLOC || t == ET_DENTRY_KILL ? dentry : inode;
		if (t == ET_INO_ALLOC) {
			r.ino = 500 + i / 5;
			strcpy(r.caller, "create_pipe_files");
		}
		if (t == ET_DENTRY_KILL) {
			r.inode_id = inode;
			r.ino = 500 + i / 5;
		}
		if (tf_chunk_add(c, &r) == -E2BIG) {
			assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
			bytes += len;
			free(buf);
			tf_chunk_reset(c);
			assert_int_equal(tf_chunk_add(c, &r), 0);
		}
	}
	assert_int_equal(tf_chunk_seal(c, 3, &buf, &len), 0);
	bytes += len;
	free(buf);
	tf_chunk_free(c);
	print_message("  pipe loop: %.2f bytes/event on disk\n", (double)bytes / n);
	assert_true(bytes <= 12ull * n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bytes_per_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
