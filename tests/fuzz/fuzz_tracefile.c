// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the trace file reader is a parser of untrusted bytes.
 * Any input must give events or a clear error: no crash, no hang, no
 * unbounded allocation (run with -rss_limit_mb), and what it gives keeps
 * the reader's promises (types in range, strings terminated in their
 * fields).
 *
 * Every input read with tf_next() is read again with tf_next_batch(), in
 * batches smaller than a chunk or as big as one: both must give the same
 * records and the same status.  Then the file goes through one of the
 * commands that read files, as they run (src/cmd/: info, events, hist,
 * export, replay, with their options: the window, filters, --json, the
 * model with small tables), picked by the input's size: the threaded
 * replay source, the session, the model, the printers and exporters all
 * see crafted files too.  Their output goes to /dev/null.
 *
 * CRCs and zstd stand between a mutated byte and the record decoder, and
 * a fuzzer rarely gets past both.  So besides whole files, two prefixes
 * make this target build the file around the input, with right CRCs:
 *
 *   "EVTRACE\0..."   a whole file, as is
 *   "F..."           the rest as a whole file, read through tf_open(), then
 *                    as a stream (tf_open_fd(), standard input's -): the same
 *                    events and status where no budget ran out
 *   "R" c0 c1 ...    the rest as one chunk's raw records, count c0 | c1 << 8;
 *                    what decodes is encoded again and must decode the same
 *   "T" ...          the rest as META, MOUNTS and TRAILER texts, split at 0xff
 *   "L" w k ...      the rest as a text section padded to TF_TEXT_MAX - 128 + k
 *                    bytes: a MOUNTS section (w even) or META (w odd), at the
 *                    bound (k 128), or past it (k 129 and up): read once, and
 *                    it must read, or be damage, as the bound says
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "cmd/cmd.h"
#include "file/tracefile.h"
#include "lib/cgroups.h"
#include "../lib/tracebytes.h"

#define MAX_KEEP	512	/* records kept for the re-encoding check */

/* What the reader promises about a record it delivers. */
static void check_rec(const struct et_rec *r)
{
	if (r->type <= 0 || r->type >= ET_TYPE_MAX || !memchr(r->comm, 0, sizeof(r->comm)) ||
	    !memchr(r->fs, 0, sizeof(r->fs)) || !memchr(r->name, 0, sizeof(r->name)) ||
	    !memchr(r->caller, 0, sizeof(r->caller)))
		__builtin_trap();
}

static int check_cgroup(void *ctx, uint64_t id, const char *path)
{
	if (!id || path[0] != '/' || strlen(path) >= CG_PATH_LEN)
		__builtin_trap();
	return 0;
}

/* What the reader promises about the names a section hands on; frees them. */
static void check_cgroups(struct cgroups *cg)
{
	if (cg && cgroups_count(cg) > CG_MAX)
		__builtin_trap();
	if (cg)
		cgroups_each(cg, check_cgroup, NULL);
	cgroups_free(cg);
}

/* Read it all; keep up to max records in keep, and the status in st. */
static int read_all(struct tf_reader *rd, struct et_rec *keep, int max, struct tf_status *st)
{
	const struct tf_meta *m = tf_reader_meta(rd);
	const struct mount_table *mt;
	struct et_rec r;
	uint64_t ts;
	int n = 0;

	/* the strings must be terminated: strlen walks them under ASan */
	if (strlen(m->evtrace_version) >= sizeof(m->evtrace_version) ||
	    strlen(m->probes) >= sizeof(m->probes) || m->mounts.n > MOUNTS_MAX)
		__builtin_trap();
	for (size_t i = 0; i < m->mounts.n; i++)
		if (strlen(m->mounts.v[i].path) >= MOUNT_PATH_LEN)
			__builtin_trap();
	for (;;) {
		memset(&r, 0, sizeof(r));
		if (tf_next(rd, &r) <= 0)
			break;
		check_rec(&r);
		if (n < max)
			memcpy(&keep[n], &r, sizeof(r));
		n++;
		mt = tf_mounts_changed(rd, &ts);
		if (mt && mt->n > MOUNTS_MAX)
			__builtin_trap();
		check_cgroups(tf_cgroups_changed(rd));
		for (size_t i = 0; mt && i < mt->n; i++)
			if (strlen(mt->v[i].fstype) >= sizeof(mt->v[i].fstype))
				__builtin_trap();
	}
	tf_mounts_changed(rd, &ts);
	tf_reader_status(rd, st);
	if (st->events != (uint64_t)n)
		__builtin_trap();
	return n;
}

static bool same(const struct et_rec *a, const struct et_rec *b);

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/*
 * The same bytes through tf_next_batch(), with batches of cap: the same
 * records (the first max of them are in keep) and the same status as
 * tf_next() gave.
 */
static void read_batches(const uint8_t *data, size_t size, uint32_t cap,
			 const struct et_rec *keep, int max, int n, const struct tf_status *want)
{
	static struct et_rec batch[TF_WRITE_EVENTS];
	struct tf_reader *rd;
	struct tf_status st;
	char err[256];
	int got = 0, k;

	rd = tf_open_mem(data, size, err, sizeof(err));
	if (!rd)
		__builtin_trap();	/* it opened a moment ago */
	while ((k = tf_next_batch(rd, batch, cap)) > 0) {
		if ((uint32_t)k > cap)
			__builtin_trap();
		for (int i = 0; i < k; i++, got++) {
			check_rec(&batch[i]);
			if (got < max && !same(&batch[i], &keep[got]))
				__builtin_trap();
		}
		tf_mounts_changed(rd, NULL);
		cgroups_free(tf_cgroups_changed(rd));
	}
	tf_reader_status(rd, &st);
	if (got != n || st.events != want->events || st.chunks != want->chunks ||
	    st.bad_chunks != want->bad_chunks || st.skipped_events != want->skipped_events ||
	    st.truncated_at != want->truncated_at || st.trailer_seen != want->trailer_seen ||
	    st.work != want->work || st.gave_up_at != want->gave_up_at ||
	    st.inflated != want->inflated || st.not_inflated != want->not_inflated)
		__builtin_trap();
	/* the budgets hold, whatever the bytes (tracefile.h) */
	if (st.work > TF_WORK_FLOOR + TF_WORK_PER_BYTE * (uint64_t)size ||
	    st.inflated > (TF_INFLATE_PER_BYTE * (uint64_t)size > TF_INFLATE_FLOOR ?
			   TF_INFLATE_PER_BYTE * (uint64_t)size : TF_INFLATE_FLOOR))
		__builtin_trap();
	tf_close(rd);
}

/*
 * The commands that read a file, each with options that take other paths
 * through them.  Small model tables, so that eviction runs too.
 */
#define SMALL	"--max-inodes", "64", "--max-dentries", "64", "--max-eis", "32"
static const struct command {
	int (*run)(int argc, char **argv);
	const char *argv[24];
} commands[] = {
	{ do_info, { "info", "@" } },
	{ do_info, { "info", "--json", "@" } },
	{ do_events, { "events", SMALL, "--eis", "@" } },
	{ do_events, { "events", "--json", SMALL, "--ei-history", "@" } },
	{ do_events, { "events", SMALL, "--from", "0.5", "--to", "3", "--fs", "tracefs",
		       "--type", "ei_get,ei_put,lookup", "@" } },
	{ do_hist, { "hist", SMALL, "@" } },
	{ do_hist, { "hist", "--json", SMALL, "--by", "caller", "--of", "dentry-life", "@" } },
	{ do_hist, { "hist", SMALL, "--by", "comm", "--of", "ei-refs", "--linear", "3",
		     "--dev", "0:13", "@" } },
	{ do_hist, { "hist", SMALL, "--of", "inode-life", "--by", "fs", "--pid", "4001", "@" } },
	{ do_export, { "export", "@", "-f", "perfetto", "-o", "-" } },
	{ do_export, { "export", "@", "-f", "jsonl", "-o", "-", "--comm", "sh" } },
	{ do_export, { "export", "@", "-f", "csv", "-o", "-", "--from", "0.001" } },
	{ do_replay, { "replay", "@", "--view", "summary", SMALL } },
};

/* The file, from a memfd, through commands[pick] ("@" is its path). */
static void run_command(const uint8_t *data, size_t size, size_t pick)
{
	const struct command *c = &commands[pick % (sizeof(commands) / sizeof(commands[0]))];
	int fd = memfd_create("fuzz-cmd", MFD_CLOEXEC), argc = 0;
	char path[64], *argv[24];

	if (fd < 0)
		return;
	if (tf_write_all(fd, data, size) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		for (; c->argv[argc]; argc++)
			argv[argc] = strcmp(c->argv[argc], "@") ? (char *)c->argv[argc] : path;
		argv[argc] = NULL;
		optind = 0;	/* glibc: a full getopt reset, as each command starts afresh */
		c->run(argc, argv);
		fflush(stdout);
	}
	close(fd);
}

/* tf_next() over the bytes, then tf_next_batch(). */
static int read_both(const uint8_t *data, size_t size, struct et_rec *keep, int max)
{
	char err[256];
	struct tf_reader *rd = tf_open_mem(data, size, err, sizeof(err));
	struct tf_status st;
	int n;

	if (!rd) {
		if (!err[0] || !memchr(err, 0, sizeof(err)))
			__builtin_trap();
		return -1;
	}
	n = read_all(rd, keep, max, &st);
	tf_close(rd);
	/* batches smaller than a chunk or as big as one: the input's size picks */
	read_batches(data, size, size % 2 ? 1 + size % 7 : TF_WRITE_EVENTS, keep,
		     n < max ? n : max, n, &st);
	return n;
}

static void read_mem(const uint8_t *data, size_t size)
{
	static struct et_rec keep[MAX_KEEP];

	if (read_both(data, size, keep, MAX_KEEP) >= 0)
		run_command(data, size, size);
}

/* Through a file descriptor, as replay reads. */
static void read_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	struct tf_reader *rd;
	char path[64], err[256];

	if (fd < 0)
		return;
	if (tf_write_all(fd, data, size) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rd = tf_open(path, err, sizeof(err));
		if (rd) {
			struct tf_status st, sst;
			int n = read_all(rd, NULL, 0, &st), sn;

			tf_close(rd);
			/*
			 * The same bytes as a stream (standard input, -): read in
			 * order, never seeked.  Its budgets follow the bytes read so
			 * far, so only where the file's were not reached must it
			 * give what the file gave.
			 */
			if (lseek(fd, 0, SEEK_SET) == 0 && (rd = tf_open_fd(fd, err, sizeof(err)))) {
				sn = read_all(rd, NULL, 0, &sst);
				if (tf_reader_size(rd) != size)
					__builtin_trap();
				tf_close(rd);
				if (!st.gave_up_at && !st.not_inflated && !sst.gave_up_at &&
				    !sst.not_inflated &&
				    (sn != n || sst.truncated_at != st.truncated_at ||
				     sst.cut_bytes != st.cut_bytes || sst.bad_chunks != st.bad_chunks ||
				     sst.trailer_seen != st.trailer_seen || sst.chunks != st.chunks))
					__builtin_trap();
			} else {
				__builtin_trap();	/* the file opened: the stream must too */
			}
			run_command(data, size, size);
		}
	}
	close(fd);
}

static bool same(const struct et_rec *a, const struct et_rec *b)
{
	/* delivered strings are zero-padded: whole fields compare */
	return a->type == b->type && a->ts_ns == b->ts_ns && a->cpu == b->cpu &&
	       a->pid == b->pid && a->tid == b->tid && a->flags == b->flags &&
	       a->dev_major == b->dev_major && a->dev_minor == b->dev_minor &&
	       a->ino == b->ino && a->value == b->value && a->obj_id == b->obj_id &&
	       a->aux_id == b->aux_id && a->inode_id == b->inode_id && a->pei_id == b->pei_id &&
	       a->inode_ino == b->inode_ino && !memcmp(a->comm, b->comm, sizeof(a->comm)) &&
	       !memcmp(a->fs, b->fs, sizeof(a->fs)) && !memcmp(a->name, b->name, sizeof(a->name)) &&
	       !memcmp(a->caller, b->caller, sizeof(a->caller));
}

/* Records that decoded, encoded again by the writer, must decode the same. */
static void reencode(const struct et_rec *recs, int n)
{
	static struct et_rec again[MAX_KEEP];
	struct tf_meta m = { .evtrace_version = "fuzz" };
	struct tf_chunk *c = tf_chunk_new();
	struct buf file = { 0 };
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	uint8_t *p;
	size_t len;
	off_t size;

	if (!c || fd < 0 || tf_write_start(fd, &m))
		abort();
	for (int i = 0; i < n; i++)
		if (tf_chunk_add(c, &recs[i]))
			__builtin_trap();	/* fewer than a chunk holds: must fit */
	if (tf_chunk_seal(c, 1, &p, &len) || tf_write_all(fd, p, len))
		abort();
	free(p);
	size = lseek(fd, 0, SEEK_END);
	file.p = malloc(size);
	if (!file.p || pread(fd, file.p, size, 0) != size)
		abort();
	if (read_both(file.p, size, again, MAX_KEEP) != n)
		__builtin_trap();
	for (int i = 0; i < n; i++)
		if (!same(&again[i], &recs[i]))
			__builtin_trap();
	tf_chunk_free(c);
	free(file.p);
	close(fd);
}

static void records(const uint8_t *data, size_t size)
{
	static struct et_rec keep[MAX_KEEP];
	static const char meta[] = "evtrace_version f\n";
	struct buf b = { 0 };
	size_t bound;
	uint8_t *z;
	int n;

	if (size < 2)
		return;
	bound = ZSTD_compressBound(size - 2);
	z = malloc(bound);
	if (!z)
		abort();
	bound = ZSTD_compress(z, bound, data + 2, size - 2, 1);
	if (ZSTD_isError(bound))
		abort();
	b_header(&b, 1, 0);
	b_section(&b, 1, meta, sizeof(meta) - 1, sizeof(meta) - 1, 0, 0, 0);
	b_section(&b, 2, z, bound, size - 2, data[0] | data[1] << 8, 1000, 1000);
	b_section(&b, 4, "events 0\n", 9, 9, 0, 0, 0);
	free(z);
	n = read_both(b.p, b.len, keep, MAX_KEEP);
	if (n < 0)
		__builtin_trap();
	if (n > 0 && n <= MAX_KEEP)
		reencode(keep, n);
	run_command(b.p, b.len, size);
	free(b.p);
}

static void texts(const uint8_t *data, size_t size)
{
	const uint8_t *part[3] = { data, NULL, NULL }, *end = data + size;
	size_t len[3] = { size, 0, 0 };
	struct buf b = { 0 };

	for (int k = 0; k < 2; k++) {
		const uint8_t *sep = memchr(part[k], 0xff, len[k]);

		if (!sep)
			break;
		len[k] = sep - part[k];
		part[k + 1] = sep + 1;
		len[k + 1] = end - part[k + 1];
	}
	b_header(&b, 1, 0);
	b_section(&b, 1, part[0], len[0], len[0], 0, 0, 0);
	if (part[1])
		b_section(&b, 3, part[1], len[1], len[1], 0, 5, 5);
	if (part[2])
		b_section(&b, 4, part[2], len[2], len[2], 0, 0, 0);
	read_mem(b.p, b.len);
	free(b.p);
}

/*
 * Task 3's bound: a text section of TF_TEXT_MAX - 128 + k bytes around the
 * input.  The file's buffer is kept from run to run: 16 MiB written in
 * place costs a memset and a CRC, not fresh pages every time.
 */
static void long_text(const uint8_t *data, size_t size)
{
	static const char meta[] = "evtrace_version f\n", pad[] = "pad ";
	static struct buf b;
	bool is_meta, past;
	size_t len, text;
	struct tf_reader *rd;
	struct tf_status st;
	struct et_rec r;
	char err[256];

	if (size < 2)
		return;
	is_meta = data[0] & 1;
	len = TF_TEXT_MAX - 128 + data[1];
	past = len > TF_TEXT_MAX;
	data += 2;
	size -= 2;
	if (size > 4096)
		size = 4096;
	b.len = 0;
	b_header(&b, 1, 0);
	if (!is_meta)
		b_section(&b, 1, meta, sizeof(meta) - 1, sizeof(meta) - 1, 0, 0, 0);
	/* the header with no CRC yet, then the text in place */
	b_section(&b, is_meta ? 1 : 3, "", 0, 0, 0, 5, 5);
	text = b.len;
	b_put(&b, data, size);
	/*
	 * No section inside the text: past the bound the reader looks for
	 * the next section, and the fuzzer's crossovers bring whole valid
	 * ones in from the other targets' inputs (a crash input had ten
	 * events there, where this test claims none).  The text is followed
	 * by "\n", so a section's magic can only lie wholly inside it.
	 */
	for (size_t i = text; i + 4 <= b.len; i++)
		if (!memcmp(b.p + i, "ESEC", 4))
			b.p[i] = 'e';
	b_put(&b, "\n", 1);
	b_put(&b, pad, sizeof(pad) - 1);
	if (text + len > b.cap) {
		b.cap = text + len + 256;
		b.p = realloc(b.p, b.cap);
		if (!b.p)
			abort();
	}
	memset(b.p + b.len, 'a', text + len - 1 - b.len);
	b.p[text + len - 1] = '\n';
	b.len = text + len;
	put_le32(b.p + text - TF_SEC_LEN + 8, len);
	put_le32(b.p + text - TF_SEC_LEN + 12, len);
	put_le32(b.p + text - TF_SEC_LEN + 16, crc32(0, b.p + text, len));
	b_section(&b, 4, "events 0\n", 9, 9, 0, 0, 0);

	/* the bound, on both sides: at it the section reads, past it not */
	rd = tf_open_mem(b.p, b.len, err, sizeof(err));
	if (!rd != (past && is_meta))
		__builtin_trap();
	if (!rd)
		return;
	while (tf_next(rd, &r) > 0)
		check_rec(&r);
	tf_reader_status(rd, &st);
	if (st.bad_chunks != past || !st.trailer_seen || st.events)
		__builtin_trap();
	if (!past && !is_meta && !tf_mounts_changed(rd, NULL))
		__builtin_trap();
	tf_close(rd);
}

/* What the commands print goes nowhere; libFuzzer and the sanitizers keep fd 2. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	FILE *null = fdopen(dup(fd), "w");

	if (fd < 0 || !null || dup2(fd, 1) < 0)
		abort();
	close(fd);
	/* p_err() and p_info() write to stderr: this FILE, not fd 2 */
	stderr = null;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size && data[0] == 'L')
		long_text(data + 1, size - 1);
	else if (size && data[0] == 'R')
		records(data + 1, size - 1);
	else if (size && data[0] == 'T')
		texts(data + 1, size - 1);
	else if (size && data[0] == 'F')
		read_fd(data + 1, size - 1);
	else
		read_mem(data, size);
	return 0;
}
