// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Ring buffer record -> decoded event. */
#include <errno.h>
#include <string.h>
#include <sodium.h>

#include "event/decode.h"
#include "lib/common.h"
#include "lib/ksyms.h"

_Static_assert(ET_IDKEY_LEN == crypto_shorthash_KEYBYTES, "siphash key size");

int decoder_init(struct decoder *d, const struct ksyms *ks)
{
	if (sodium_init() < 0)
		return -EIO;
	randombytes_buf(d->key, sizeof(d->key));
	memset(d->ids, 0, sizeof(d->ids));	/* ids of another key */
	d->ksyms = ks;
	return 0;
}

static inline uint64_t rotl64(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

static inline uint64_t le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

#define SIPROUND							\
	do {								\
		v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32); \
		v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32); \
	} while (0)

/*
 * SipHash-2-4 of the 16 bytes m0, m1 (little-endian words), as libsodium's
 * crypto_shorthash() computes it for any length: written out for this one
 * length, it costs a third less, and an id is hashed on most ei events
 * (a dentry's, new at each lookup).  tests/unit/test_decode.c holds it to
 * a reference implementation and the paper's test vector.
 */
static uint64_t siphash24_16(const unsigned char key[16], uint64_t m0, uint64_t m1)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
	const uint64_t b = (uint64_t)16 << 56;	/* the length, in the last block */

	v3 ^= m0;
	SIPROUND;
	SIPROUND;
	v0 ^= m0;
	v3 ^= m1;
	SIPROUND;
	SIPROUND;
	v0 ^= m1;
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

/*
 * SipHash-2-4 of the pointer and generation (each as the host stores it):
 * a PRF, so ids reveal no address.
 */
uint64_t object_id(struct decoder *d, uint64_t ptr, uint64_t seq)
{
	unsigned char in[16];
	struct id_slot *c;
	uint64_t h, id;

	if (!ptr)
		return 0;
	c = &d->ids[id_slot_of(ptr, seq)];
	if (c->ptr == ptr && c->seq == seq)
		return c->id;
	memcpy(in, &ptr, 8);
	memcpy(in + 8, &seq, 8);
	h = siphash24_16(d->key, le64(in), le64(in + 8));
	/* its 8 bytes little-endian, read back as the host reads them: libsodium's output */
	id = le64((const unsigned char *)&h);
	id = id ? id : 1;	/* 0 means "none" */
	*c = (struct id_slot){ .ptr = ptr, .seq = seq, .id = id };
	return id;
}

/*
 * fexit: two trampoline frames, get_next_ino, then the caller; kretprobe:
 * the caller first (rethook restores the real return address).  Skip BPF
 * and get_next_ino, take the first kernel function after.
 */
void resolve_caller(const struct ksyms *ks, const uint64_t *stack, int depth,
		    char *buf, size_t size)
{
	for (int i = 0; i < depth && stack[i]; i++) {
		const struct ksym *sym = ksyms_lookup(ks, stack[i]);

		if (!sym || sym->bpf || !strcmp(sym->name, "get_next_ino") ||
		    strstr(sym->name, "trampoline"))
			continue;
		str_copy(buf, size, sym->name);
		return;
	}
	str_copy(buf, size, "?");
}

/*
 * Kernel strings: bounded and NUL-terminated whatever the input, and zero
 * after the NUL (the ring's memory past it is an older record's): dst is
 * in a record zeroed whole first, so only the string is copied.
 */
static void copy_str(char *dst, const char *src, size_t size)
{
	memcpy(dst, src, strnlen(src, size - 1));
}

_Static_assert(ET_COMM_LEN == 16 && ET_FS_LEN == 16, "copy_str16() sizes");

/*
 * copy_str() of a 16-byte field (comm, fs): every event has two, and
 * their strnlen() and memcpy() calls were a fifth of its decoding (a
 * burst's ei events, callgrind; 6 % less with these).  In two words:
 * (w - 0x01..) & ~w & 0x80.. flags a word's zero bytes, the first exactly
 * (a borrow only flags bytes above a zero), and everything from the
 * first NUL on is cleared; byte 15 is the NUL of a string that fills it.
 */
static inline __attribute__((always_inline)) void copy_str16(char *dst, const char *src)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t w[2];

	memcpy(w, src, sizeof(w));
	w[1] &= 0x00ffffffffffffffull;
	for (int i = 0; i < 2; i++) {
		uint64_t z = (w[i] - ones) & ~w[i] & highs;

		if (z) {
			/* z's lowest bit is the NUL's bit 7: keep the bytes below it */
			w[i] &= (1ull << (__builtin_ctzll(z) - 7)) - 1;
			if (!i)
				w[1] = 0;
			break;
		}
	}
	memcpy(dst, w, sizeof(w));
#else
	copy_str(dst, src, 16);
#endif
}

void decode_event(struct decoder *d, const struct et_event *e, size_t size,
		  struct et_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->type = e->type < ET_TYPE_MAX ? e->type : 0;
	r->ts_ns = e->ts_ns;
	r->cpu = e->cpu;
	r->pid = e->pid;
	r->tid = e->tid;
	r->flags = e->flags;
	r->dev_major = ET_MAJOR(e->dev);
	r->dev_minor = ET_MINOR(e->dev);
	r->ino = e->ino;
	r->value = e->value;
	r->obj_id = object_id(d, e->obj, e->obj_seq);
	r->aux_id = object_id(d, e->aux, e->aux_seq);
	r->inode_id = object_id(d, e->inode, e->inode_seq);
	r->inode_ino = e->inode_ino;
	r->pei_id = object_id(d, e->pei, e->pei_seq);
	r->cgroup_id = e->cgroup;
	copy_str16(r->comm, e->comm);
	copy_str16(r->fs, e->fs);
	/* the tail, as far as the record has one */
	if (e->type == ET_INO_ALLOC && size >= ET_EVENT_STACK)
		resolve_caller(d->ksyms, (const uint64_t *)e->stack, ET_STACK_DEPTH,
			       r->caller, sizeof(r->caller));
	else if (e->type != ET_INO_ALLOC && size >= ET_EVENT_NAME && e->name[0])
		copy_str(r->name, e->name, sizeof(r->name));
}

void decode_lost(struct et_rec *r, uint64_t ts_ns, uint64_t count, const char *cause)
{
	memset(r, 0, sizeof(*r));
	r->type = ET_LOST;
	r->ts_ns = ts_ns;
	r->value = (int64_t)count;
	if (cause)
		copy_str(r->name, cause, sizeof(r->name));
}
