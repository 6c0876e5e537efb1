// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * decode.c: ring buffer record -> struct et_rec.  This is where kernel
 * pointers become ids and kernel strings become bounded C strings, so it
 * is checked on hand-built records of every type: fields copied, the
 * kernel's 20-bit-minor dev_t split, unterminated strings cut, unknown
 * types named "unknown", ids a keyed SipHash-2-4 of (pointer, generation)
 * checked against a reference implementation here, and the get_next_ino
 * caller found behind fexit trampolines in a fake kallsyms.
 */
#include "unit.h"

#include "event/decode.h"
#include "lib/ksyms.h"

#define A_STEXT		0xffffffff81000000ul
#define A_GET_NEXT_INO	0xffffffff81234560ul
#define A_CREATE_PIPE	0xffffffff812345a0ul
#define A_ALLOC_PSEUDO	0xffffffff81234700ul
#define A_TRAMPOLINE	0xffffffffc0001000ul
#define A_BPF_PROG	0xffffffffc0002000ul
#define A_MODULE	0xffffffffc0100000ul

static const char fake_kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81234560 T get_next_ino\n"
	"ffffffff812345a0 t create_pipe_files\n"
	"ffffffff81234700 T alloc_file_pseudo\n"
	"ffffffff82000000 D some_data\n"
	"ffffffffc0001000 t bpf_trampoline_6442 [bpf]\n"
	"ffffffffc0002000 t bpf_prog_6deef7357e7b4530_et_get_next_ino_exit\t[bpf]\n"
	"ffffffffc0100000 t pipe_mod_func\t[pipemod]\n";

struct fixture {
	char *path;
	struct ksyms *ks;
	struct decoder d;
};

/* A fixed key, so failures are reproducible. */
static void fixed_decoder(struct decoder *d, const struct ksyms *ks)
{
	for (int i = 0; i < ET_IDKEY_LEN; i++)
		d->key[i] = i;
	d->ksyms = ks;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->path = tmpfile_with(fake_kallsyms);
	fx->ks = ksyms_load(fx->path);
	assert_non_null(fx->ks);
	fixed_decoder(&fx->d, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	ksyms_free(fx->ks);
	tmpfile_remove(fx->path);
	free(fx);
	return 0;
}

/* ---- reference SipHash-2-4 (Aumasson & Bernstein), for object_id ---- */

static uint64_t ld_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t ref_siphash24(const uint8_t key[16], const uint8_t *m, size_t len)
{
	uint64_t k0 = ld_le64(key), k1 = ld_le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	uint64_t b = (uint64_t)len << 56, mi;
	size_t i, end = len - len % 8;

	for (i = 0; i < end; i += 8) {
		mi = ld_le64(m + i);
		v3 ^= mi;
		SIPROUND;
		SIPROUND;
		v0 ^= mi;
	}
	for (i = 0; i < len % 8; i++)
		b |= (uint64_t)m[end + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* What object_id() promises: the hash of the pointer and generation as
 * they lie in memory, its 8 output bytes read back as a u64, 0 -> 1. */
static uint64_t ref_object_id(const uint8_t key[16], uint64_t ptr, uint64_t seq)
{
	uint8_t in[16], out[8];
	uint64_t h, id;

	if (!ptr)
		return 0;
	memcpy(in, &ptr, 8);
	memcpy(in + 8, &seq, 8);
	h = ref_siphash24(key, in, sizeof(in));
	for (int i = 0; i < 8; i++)
		out[i] = h >> (8 * i);
	memcpy(&id, out, 8);
	return id ? id : 1;
}

/* The reference itself, on the paper's published test vector. */
static void test_reference_siphash(void **state)
{
	uint8_t key[16], msg[15];

	for (int i = 0; i < 16; i++)
		key[i] = i;
	for (int i = 0; i < 15; i++)
		msg[i] = i;
	assert_int_equal(ref_siphash24(key, msg, sizeof(msg)), 0xa129ca6149be45e5ull);
}

/*
 * The id cache answers only for the same (pointer, generation): pointers
 * that share a slot (many more than the cache holds, each asked twice,
 * in two orders) and generations of one pointer each keep their own id.
 */
static void test_object_id_cache(void **state)
{
	struct fixture *fx = *state;
	uint64_t ptr = 0xffff888000000000ull;

	for (int pass = 0; pass < 2; pass++)
		for (uint64_t i = 0; i < 4 * (1u << ID_CACHE_BITS); i++) {
			uint64_t p = ptr + (pass ? 4 * (1u << ID_CACHE_BITS) - 1 - i : i) * 192;

			assert_int_equal(object_id(&fx->d, p, i & 3), ref_object_id(fx->d.key, p, i & 3));
			assert_int_equal(object_id(&fx->d, p, i & 3), ref_object_id(fx->d.key, p, i & 3));
			assert_int_equal(object_id(&fx->d, p, 9), ref_object_id(fx->d.key, p, 9));
		}
	assert_int_equal(object_id(&fx->d, 0, 5), 0);

	/* two generations of one pointer in one slot, and two pointers of one generation */
	uint64_t s2 = 1, p2 = ptr + 64;

	while (id_slot_of(ptr, s2) != id_slot_of(ptr, 0))
		s2++;
	while (id_slot_of(p2, 0) != id_slot_of(ptr, 0))
		p2 += 64;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(object_id(&fx->d, ptr, 0), ref_object_id(fx->d.key, ptr, 0));
		assert_int_equal(object_id(&fx->d, ptr, s2), ref_object_id(fx->d.key, ptr, s2));
		assert_int_equal(object_id(&fx->d, p2, 0), ref_object_id(fx->d.key, p2, 0));
	}
}

/* ---- decode_event ---- */

static void make_event(struct et_event *e, int type)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = 0x1122334455667788ull;
	e->pid = 4321;
	e->tid = 4322;
	e->type = type;
	e->cpu = 7;
	e->flags = ET_F_TRUNC | ET_F_FREED;
	e->dev = (8u << 20) | 3;
	e->pad = 0xdeadbeef;
	e->ino = 0xfedcba9876543210ull;
	e->value = -2;
	e->obj = 0xffff888012345678ull;
	e->obj_seq = 5;
	e->aux = 0xffff888087654321ull;
	e->aux_seq = 0;
	e->inode = 0xffff888011112222ull;
	e->inode_seq = 3;
	e->inode_ino = 0x12c4e37;
	e->pei = 0xffff888033334444ull;
	e->pei_seq = 7;
	strcpy(e->comm, "cat");
	strcpy(e->fs, "pipefs");
	strcpy(e->name, "pipe:[42]");
}

static void test_decode_fields_every_type(void **state)
{
	struct fixture *fx = *state;
	struct et_event e;
	struct et_rec r;

	for (int t = ET_INO_ALLOC; t < ET_TYPE_MAX; t++) {
		make_event(&e, t);
		memset(&r, 0xa5, sizeof(r));
		decode_event(&fx->d, &e, sizeof(e), &r);

		assert_int_equal(r.type, t);
		assert_int_equal(r.ts_ns, 0x1122334455667788ull);
		assert_int_equal(r.pid, 4321);
		assert_int_equal(r.tid, 4322);
		assert_int_equal(r.cpu, 7);
		assert_int_equal(r.flags, ET_F_TRUNC | ET_F_FREED);
		assert_int_equal(r.dev_major, 8);
		assert_int_equal(r.dev_minor, 3);
		assert_int_equal(r.ino, 0xfedcba9876543210ull);
		assert_true(r.value == -2);
		assert_int_equal(r.obj_id, ref_object_id(fx->d.key, 0xffff888012345678ull, 5));
		assert_int_equal(r.aux_id, ref_object_id(fx->d.key, 0xffff888087654321ull, 0));
		assert_int_equal(r.inode_id, ref_object_id(fx->d.key, 0xffff888011112222ull, 3));
		assert_int_equal(r.inode_ino, 0x12c4e37);
		assert_int_equal(r.pei_id, ref_object_id(fx->d.key, 0xffff888033334444ull, 7));
		assert_string_equal(r.comm, "cat");
		assert_string_equal(r.fs, "pipefs");
		/* ino_alloc's tail is the stack, not a name */
		assert_string_equal(r.name, t == ET_INO_ALLOC ? "" : "pipe:[42]");
		/* only ino_alloc has a caller; no ksyms: "?" */
		assert_string_equal(r.caller, t == ET_INO_ALLOC ? "?" : "");
	}
}

/* Records are as long as their tail: what is past the end is never read. */
static void test_decode_record_sizes(void **state)
{
	struct fixture *fx = *state;
	struct et_event e;
	struct et_rec r;

	make_event(&e, ET_DENTRY_KILL);
	decode_event(&fx->d, &e, ET_EVENT_NAME, &r);
	assert_string_equal(r.name, "pipe:[42]");
	/* the name's bytes after its NUL are an older record's: not kept */
	memset(e.name + 10, 'x', sizeof(e.name) - 10);
	decode_event(&fx->d, &e, ET_EVENT_NAME, &r);
	for (size_t i = strlen("pipe:[42]"); i < sizeof(r.name); i++)
		assert_int_equal(r.name[i], 0);
	/* a record without its tail: no name, the fixed part whole */
	decode_event(&fx->d, &e, ET_EVENT_BASE, &r);
	assert_string_equal(r.name, "");
	assert_string_equal(r.fs, "pipefs");
	assert_int_equal(r.inode_ino, 0x12c4e37);
	make_event(&e, ET_INO_ALLOC);
	decode_event(&fx->d, &e, ET_EVENT_BASE, &r);
	assert_string_equal(r.caller, "");
	decode_event(&fx->d, &e, ET_EVENT_STACK, &r);
	assert_string_equal(r.caller, "?");
	assert_int_equal(ET_EVENT_BASE, 160);
	assert_int_equal(ET_EVENT_STACK, 208);
	assert_int_equal(ET_EVENT_NAME, 224);
	/* the cgroup id is in the fixed part: a record without a tail has it */
	e.cgroup = 0x1d2c;
	decode_event(&fx->d, &e, ET_EVENT_BASE, &r);
	assert_int_equal(r.cgroup_id, 0x1d2c);
	e.cgroup = 0;
	decode_event(&fx->d, &e, ET_EVENT_BASE, &r);
	assert_int_equal(r.cgroup_id, 0);
}

static void test_decode_no_objects(void **state)
{
	struct fixture *fx = *state;
	struct et_event e;
	struct et_rec r;

	make_event(&e, ET_INODE_EVICT);
	e.obj = 0;
	e.obj_seq = 9;
	e.aux = 0;
	e.aux_seq = 3;
	e.inode = 0;
	e.pei = 0;
	e.pei_seq = 4;
	decode_event(&fx->d, &e, sizeof(e), &r);
	assert_int_equal(r.obj_id, 0);
	assert_int_equal(r.aux_id, 0);
	assert_int_equal(r.inode_id, 0);
	assert_int_equal(r.pei_id, 0);
}

static void test_decode_dev_split(void **state)
{
	static const struct {
		uint32_t dev;
		unsigned int major, minor;
	} cases[] = {
		{ (8u << 20) | 3, 8, 3 },
		{ 0, 0, 0 },
		{ 45, 0, 45 },				/* anonymous: tracefs, pipefs */
		{ (259u << 20) | 65536, 259, 65536 },	/* minor above 8 bits */
		{ 0xffffffffu, 4095, 1048575 },
		{ 0x803, 0, 2051 },	/* glibc's old 8:3 is not the kernel's */
	};
	struct fixture *fx = *state;
	struct et_event e;
	struct et_rec r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_event(&e, ET_INODE_ALLOC);
		e.dev = cases[i].dev;
		decode_event(&fx->d, &e, sizeof(e), &r);
		assert_int_equal(r.dev_major, cases[i].major);
		assert_int_equal(r.dev_minor, cases[i].minor);
	}
}

static void test_decode_unterminated_strings(void **state)
{
	struct fixture *fx = *state;
	char want[ET_NAME_LEN];
	struct et_event e;
	struct et_rec r;

	make_event(&e, ET_DENTRY_ALLOC);
	memset(e.comm, 'c', sizeof(e.comm));
	memset(e.fs, 'f', sizeof(e.fs));
	memset(e.name, 'n', sizeof(e.name));
	memset(&r, 'x', sizeof(r));
	decode_event(&fx->d, &e, sizeof(e), &r);

	memset(want, 'c', 15);
	want[15] = 0;
	assert_string_equal(r.comm, want);
	memset(want, 'f', 15);
	assert_string_equal(r.fs, want);
	memset(want, 'n', 63);
	want[63] = 0;
	assert_string_equal(r.name, want);
	assert_int_equal(strlen(r.caller), 0);
}

/*
 * comm and fs, 16 bytes each, against what they mean: the bytes before the
 * first NUL (15 at most), zero after.  Every NUL position, each with bytes
 * that trip a word-at-a-time search (0x01, 0x80, 0xff, and a 0x01 or 0x80
 * right after a NUL, where a borrow flags a byte that is not one), then
 * random fields with NULs anywhere.
 */
static void check_str16(struct fixture *fx, struct et_event *e)
{
	char want_comm[16] = { 0 }, want_fs[16] = { 0 };
	struct et_rec r;

	memcpy(want_comm, e->comm, strnlen(e->comm, 15));
	memcpy(want_fs, e->fs, strnlen(e->fs, 15));
	memset(&r, 'x', sizeof(r));
	decode_event(&fx->d, e, ET_EVENT_BASE, &r);
	assert_memory_equal(r.comm, want_comm, 16);
	assert_memory_equal(r.fs, want_fs, 16);
}

static void test_decode_str16(void **state)
{
	static const unsigned char fills[] = { 'a', 0x01, 0x80, 0xff, 0x7f, 0xfe };
	struct fixture *fx = *state;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct et_event e;

	make_event(&e, ET_INODE_ALLOC);
	for (int nul = 0; nul <= 16; nul++) {
		for (size_t f = 0; f < sizeof(fills); f++) {
			for (size_t g = 0; g < sizeof(fills); g++) {
				memset(e.comm, fills[f], 16);
				memset(e.fs, fills[g], 16);
				if (nul < 16) {
					e.comm[nul] = e.fs[nul] = 0;
					/* a borrow out of the NUL reaches the byte after it */
					if (nul < 15)
						e.fs[nul + 1] = 0x01;
				}
				check_str16(fx, &e);
			}
		}
	}
	for (int i = 0; i < 100000; i++) {
		for (int k = 0; k < 16; k++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			/* a NUL one byte in eight, else anything */
			e.comm[k] = (x >> 40) % 8 ? (char)(x >> 48) : 0;
			e.fs[k] = (x >> 24) % 8 ? (char)(x >> 32) : 0;
		}
		check_str16(fx, &e);
	}
}

static void test_decode_unknown_type(void **state)
{
	static const unsigned int types[] = { 0, ET_TYPE_MAX, ET_TYPE_MAX + 1, 0xffff };
	struct fixture *fx = *state;
	struct et_event e;
	struct et_rec r;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		make_event(&e, types[i]);
		decode_event(&fx->d, &e, sizeof(e), &r);
		assert_string_equal(et_type_name(r.type), "unknown");
		/* the rest is still there */
		assert_int_equal(r.pid, 4321);
		assert_int_equal(r.dev_major, 8);
		assert_string_equal(r.name, "pipe:[42]");
		assert_string_equal(r.caller, "");
	}
}

static void test_decode_caller(void **state)
{
	struct fixture *fx = *state;
	struct decoder d;
	struct et_event e;
	struct et_rec r;

	fixed_decoder(&d, fx->ks);
	make_event(&e, ET_INO_ALLOC);
	e.stack[0] = A_TRAMPOLINE + 0x40;
	e.stack[1] = A_TRAMPOLINE + 0xa0;
	e.stack[2] = A_GET_NEXT_INO + 0x10;
	e.stack[3] = A_CREATE_PIPE + 0x20;
	e.stack[4] = A_ALLOC_PSEUDO + 0x8;
	decode_event(&d, &e, sizeof(e), &r);
	assert_string_equal(r.caller, "create_pipe_files");

	/* the stack is only looked at for ino_alloc */
	e.type = ET_INODE_ALLOC;
	decode_event(&d, &e, sizeof(e), &r);
	assert_string_equal(r.caller, "");
}

/* ---- object_id ---- */

static void test_object_id(void **state)
{
	static const uint64_t ptrs[] = {
		1, 0x1000, 0xffff888012345678ull, 0xffff888012345680ull,
		0xffffffffffffffffull, 0xffffc90000000000ull,
	};
	struct fixture *fx = *state;
	struct decoder other;
	uint64_t id;

	assert_int_equal(object_id(&fx->d, 0, 0), 0);
	assert_int_equal(object_id(&fx->d, 0, 12345), 0);

	fixed_decoder(&other, NULL);
	other.key[0] ^= 1;
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		id = object_id(&fx->d, ptrs[i], 7);
		assert_int_equal(id, ref_object_id(fx->d.key, ptrs[i], 7));
		assert_int_not_equal(id, 0);
		assert_int_not_equal(id, ptrs[i]);
		/* stable for the same (ptr, seq) */
		assert_int_equal(object_id(&fx->d, ptrs[i], 7), id);
		/* a new generation of the same address is a new object */
		assert_int_not_equal(object_id(&fx->d, ptrs[i], 8), id);
		assert_int_not_equal(object_id(&fx->d, ptrs[i], 0), id);
		/* another session's key: another id */
		assert_int_not_equal(object_id(&other, ptrs[i], 7), id);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(object_id(&fx->d, ptrs[j], 7), id);
	}
}

static void test_decoder_init(void **state)
{
	static const unsigned char zero[ET_IDKEY_LEN];
	struct fixture *fx = *state;
	struct decoder a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(decoder_init(&a, fx->ks), 0);
	assert_int_equal(decoder_init(&b, NULL), 0);
	assert_ptr_equal(a.ksyms, fx->ks);
	assert_null(b.ksyms);
	/* random per session: 2^-128 to fail by chance */
	assert_memory_not_equal(a.key, zero, sizeof(zero));
	assert_memory_not_equal(a.key, b.key, sizeof(a.key));
	assert_int_not_equal(object_id(&a, 0xffff888012345678ull, 1),
			     object_id(&b, 0xffff888012345678ull, 1));
}

/* ---- type names ---- */

static void test_type_names(void **state)
{
	static const struct {
		int type;
		const char *name;
	} names[] = {
		{ ET_INO_ALLOC, "ino_alloc" },
		{ ET_INODE_ALLOC, "inode_alloc" },
		{ ET_INODE_EVICT, "inode_evict" },
		{ ET_DENTRY_ALLOC, "dentry_alloc" },
		{ ET_DENTRY_KILL, "dentry_kill" },
		{ ET_LOOKUP, "lookup" },
		{ ET_EI_CREATE, "ei_create" },
		{ ET_EI_GET, "ei_get" },
		{ ET_EI_PUT, "ei_put" },
		{ ET_EI_REMOVE, "ei_remove" },
		{ ET_EI_RELEASE, "ei_release" },
		{ ET_LOST, "lost" },
	};

	/* every type is in the table above */
	assert_int_equal(sizeof(names) / sizeof(names[0]), ET_TYPE_MAX - 1);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_string_equal(et_type_name(names[i].type), names[i].name);
		assert_int_equal(et_type_from_name(names[i].name), names[i].type);
	}
	assert_string_equal(et_type_name(0), "unknown");
	assert_string_equal(et_type_name(-1), "unknown");
	assert_string_equal(et_type_name(ET_TYPE_MAX), "unknown");
	assert_string_equal(et_type_name(1000), "unknown");
	assert_int_equal(et_type_from_name("junk"), -1);
	assert_int_equal(et_type_from_name(""), -1);
	assert_int_equal(et_type_from_name("unknown"), -1);
	assert_int_equal(et_type_from_name("INO_ALLOC"), -1);
	assert_int_equal(et_type_from_name("lookup "), -1);
	assert_int_equal(et_type_from_name("ino"), -1);
}

/* ---- resolve_caller ---- */

static void test_caller_fexit(void **state)
{
	struct fixture *fx = *state;
	uint64_t stack[ET_STACK_DEPTH] = {
		A_TRAMPOLINE + 0x40, A_TRAMPOLINE + 0xa0,
		A_GET_NEXT_INO + 0x10, A_CREATE_PIPE + 0x20,
	};
	char buf[ET_CALLER_LEN];

	resolve_caller(fx->ks, stack, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "create_pipe_files");

	/* a BPF program frame is skipped the same way */
	stack[1] = A_BPF_PROG + 0x123;
	resolve_caller(fx->ks, stack, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "create_pipe_files");
}

static void test_caller_kretprobe(void **state)
{
	struct fixture *fx = *state;
	uint64_t stack[ET_STACK_DEPTH] = {
		A_CREATE_PIPE + 0x20, A_ALLOC_PSEUDO + 0x30,
	};
	char buf[ET_CALLER_LEN];

	resolve_caller(fx->ks, stack, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "create_pipe_files");

	/* a module function is a caller like any other */
	stack[0] = A_MODULE + 4;
	resolve_caller(fx->ks, stack, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "pipe_mod_func");
}

static void test_caller_unknown(void **state)
{
	struct fixture *fx = *state;
	uint64_t below[ET_STACK_DEPTH] = { 0x1000, A_STEXT - 1, 0xffffffff80000000ull };
	uint64_t only_skipped[ET_STACK_DEPTH] = {
		A_TRAMPOLINE, A_BPF_PROG + 8, A_GET_NEXT_INO, A_GET_NEXT_INO + 0x3f,
	};
	uint64_t empty[ET_STACK_DEPTH] = {};
	/* a zero entry ends the stack: nothing after it is read */
	uint64_t ended[ET_STACK_DEPTH] = { A_TRAMPOLINE, 0, A_CREATE_PIPE };
	uint64_t deep[ET_STACK_DEPTH + 1] = {
		A_TRAMPOLINE, A_TRAMPOLINE, A_TRAMPOLINE, A_TRAMPOLINE,
		A_TRAMPOLINE, A_GET_NEXT_INO, A_CREATE_PIPE,
	};
	char buf[ET_CALLER_LEN];

	resolve_caller(fx->ks, below, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	resolve_caller(fx->ks, only_skipped, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	resolve_caller(fx->ks, empty, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	resolve_caller(fx->ks, ended, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	/* depth bounds the walk */
	resolve_caller(fx->ks, deep, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	resolve_caller(fx->ks, deep, ET_STACK_DEPTH + 1, buf, sizeof(buf));
	assert_string_equal(buf, "create_pipe_files");
}

static void test_caller_no_ksyms(void **state)
{
	uint64_t stack[ET_STACK_DEPTH] = { A_GET_NEXT_INO + 0x10, A_CREATE_PIPE + 0x20 };
	char buf[ET_CALLER_LEN];

	resolve_caller(NULL, stack, ET_STACK_DEPTH, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void test_caller_truncated(void **state)
{
	struct fixture *fx = *state;
	uint64_t stack[ET_STACK_DEPTH] = { A_CREATE_PIPE + 0x20 };
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	resolve_caller(fx->ks, stack, ET_STACK_DEPTH, buf, 8);
	assert_string_equal(buf, "create_");
	assert_int_equal(buf[8], 'x');
}

/* ---- decode_lost ---- */

static void test_decode_lost(void **state)
{
	struct et_rec r, zero;

	memset(&r, 0x5a, sizeof(r));
	decode_lost(&r, 123456789, 7, NULL);
	assert_int_equal(r.type, ET_LOST);
	assert_string_equal(et_type_name(r.type), "lost");
	assert_int_equal(r.ts_ns, 123456789);
	assert_true(r.value == 7);
	/* and nothing else */
	memset(&zero, 0, sizeof(zero));
	zero.type = ET_LOST;
	zero.ts_ns = 123456789;
	zero.value = 7;
	assert_memory_equal(&r, &zero, sizeof(r));

	decode_lost(&r, 0, 1ull << 40, NULL);
	assert_true(r.value == (int64_t)1 << 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_siphash),
		cmocka_unit_test_setup_teardown(test_object_id_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_fields_every_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_record_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_no_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_dev_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_unterminated_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_str16, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_unknown_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_object_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoder_init, setup, teardown),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test_setup_teardown(test_caller_fexit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_kretprobe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caller_unknown, setup, teardown),
		cmocka_unit_test(test_caller_no_ksyms),
		cmocka_unit_test_setup_teardown(test_caller_truncated, setup, teardown),
		cmocka_unit_test(test_decode_lost),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
