// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ksyms.c: the kallsyms reader that names get_next_ino() callers and
 * checks kprobe targets.  Fed fake kallsyms files: only text symbols
 * (t/T/W/w) kept, [bpf] marked, lookups exact, inside and out of range,
 * hidden addresses (not root) detected, and malformed input (garbage,
 * lines longer than any buffer) neither crashes nor invents symbols.
 */
#include "unit.h"

#include <errno.h>

#include "lib/ksyms.h"

static const char fake[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000100 t lower_func\n"
	"ffffffff81001000 W weak_func\n"
	"ffffffff81002000 w weak_lower\n"
	"ffffffff81003000 D data_sym\n"
	"ffffffff81004000 b bss_sym\n"
	"ffffffff81005000 d data_lower\n"
	"ffffffff81006000 B bss_upper\n"
	"ffffffff81007000 R rodata_sym\n"
	"ffffffff81010000 T last_core\n"
	"ffffffffc0001000 t bpf_trampoline_6442450944\t[bpf]\n"
	"ffffffffc0002000 t bpf_prog_6deef7357e7b4530_x [bpf]\n"
	"ffffffffc0100000 t mod_func\t[some_mod]\n"
	"ffffffffc0100040 d mod_data\t[some_mod]\n";

/* What a test loaded, freed by teardown even when the test fails. */
struct loaded {
	char *path;
	struct ksyms *ks;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct loaded));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct loaded *l = *state;

	ksyms_free(l->ks);
	tmpfile_remove(l->path);
	free(l);
	return 0;
}

static struct ksyms *load(void **state, const char *text, size_t len)
{
	struct loaded *l = *state;

	l->path = tmpfile_with_len(text, len);
	l->ks = ksyms_load(l->path);
	assert_non_null(l->ks);
	return l->ks;
}

static void assert_sym(const struct ksyms *ks, unsigned long addr,
		       unsigned long want_addr, const char *want_name)
{
	const struct ksym *s = ksyms_lookup(ks, addr);

	if (!s)
		fail_msg("0x%lx: no symbol, want %s", addr, want_name);
	assert_string_equal(s->name, want_name);
	assert_int_equal(s->addr, want_addr);
}

static void test_text_only(void **state)
{
	struct ksyms *ks = load(state, fake, strlen(fake));

	assert_false(ksyms_hidden(ks));
	assert_true(ksyms_has(ks, "_text"));
	assert_true(ksyms_has(ks, "lower_func"));
	assert_true(ksyms_has(ks, "weak_func"));
	assert_true(ksyms_has(ks, "weak_lower"));
	assert_true(ksyms_has(ks, "last_core"));
	assert_true(ksyms_has(ks, "mod_func"));
	assert_true(ksyms_has(ks, "bpf_trampoline_6442450944"));
	assert_false(ksyms_has(ks, "fixed_percpu_data"));
	assert_false(ksyms_has(ks, "data_sym"));
	assert_false(ksyms_has(ks, "bss_sym"));
	assert_false(ksyms_has(ks, "data_lower"));
	assert_false(ksyms_has(ks, "bss_upper"));
	assert_false(ksyms_has(ks, "rodata_sym"));
	assert_false(ksyms_has(ks, "mod_data"));
	/* whole names only */
	assert_false(ksyms_has(ks, "mod_fun"));
	assert_false(ksyms_has(ks, "mod_func2"));
	assert_false(ksyms_has(ks, ""));
	/* module names are not symbols */
	assert_false(ksyms_has(ks, "some_mod"));
	assert_false(ksyms_has(ks, "bpf"));
}

static void test_lookup(void **state)
{
	struct ksyms *ks = load(state, fake, strlen(fake));

	/* exact */
	assert_sym(ks, 0xffffffff81000000, 0xffffffff81000000, "_text");
	assert_sym(ks, 0xffffffff81000100, 0xffffffff81000100, "lower_func");
	assert_sym(ks, 0xffffffff81001000, 0xffffffff81001000, "weak_func");
	assert_sym(ks, 0xffffffffc0100000, 0xffffffffc0100000, "mod_func");
	/* inside */
	assert_sym(ks, 0xffffffff810000ff, 0xffffffff81000000, "_text");
	assert_sym(ks, 0xffffffff81000101, 0xffffffff81000100, "lower_func");
	assert_sym(ks, 0xffffffff81000fff, 0xffffffff81000100, "lower_func");
	/* data symbols are not there: their addresses fall in the text below */
	assert_sym(ks, 0xffffffff81003000, 0xffffffff81002000, "weak_lower");
	assert_sym(ks, 0xffffffff8100ffff, 0xffffffff81002000, "weak_lower");
	assert_sym(ks, 0xffffffff81010010, 0xffffffff81010000, "last_core");
	assert_sym(ks, 0xffffffffc0001fff, 0xffffffffc0001000, "bpf_trampoline_6442450944");
	/* past the last: the last */
	assert_sym(ks, 0xffffffffc0100040, 0xffffffffc0100000, "mod_func");
	assert_sym(ks, 0xffffffffffffffff, 0xffffffffc0100000, "mod_func");
	/* below the first */
	assert_null(ksyms_lookup(ks, 0xffffffff80ffffff));
	assert_null(ksyms_lookup(ks, 0x1000));
	assert_null(ksyms_lookup(ks, 0));
}

static void test_bpf_flag(void **state)
{
	struct ksyms *ks = load(state, fake, strlen(fake));

	assert_true(ksyms_lookup(ks, 0xffffffffc0001000)->bpf);
	assert_true(ksyms_lookup(ks, 0xffffffffc0002010)->bpf);
	assert_false(ksyms_lookup(ks, 0xffffffffc0100000)->bpf);	/* [some_mod] */
	assert_false(ksyms_lookup(ks, 0xffffffff81000100)->bpf);
}

/* kallsyms is sorted by address; modules and BPF need not be. */
static void test_unsorted_and_many(void **state)
{
	enum { N = 10000 };
	const unsigned long base = 0xffffffff80000000ul;
	size_t size = N * 64, off = 0;
	char *text = malloc(size), want[32];
	struct ksyms *ks;

	assert_non_null(text);
	for (unsigned int i = 0; i < N; i++) {
		unsigned int k = (i * 7919u) % N;	/* 7919 is prime: a permutation */

		off += snprintf(text + off, size - off, "%lx %c sym_%u\n",
				base + k * 0x100ul, "tTwW"[k % 4], k);
	}
	ks = load(state, text, off);
	free(text);
	for (unsigned int k = 0; k < N; k++) {
		snprintf(want, sizeof(want), "sym_%u", k);
		assert_sym(ks, base + k * 0x100ul, base + k * 0x100ul, want);
		assert_sym(ks, base + k * 0x100ul + 0xff, base + k * 0x100ul, want);
	}
	assert_true(ksyms_has(ks, "sym_0"));
	assert_true(ksyms_has(ks, "sym_9999"));
	assert_false(ksyms_has(ks, "sym_10000"));
	assert_null(ksyms_lookup(ks, base - 1));
}

/*
 * ksyms_range(): a function's text, to the next text symbol (data symbols
 * are not kept, so they do not end it); none for the last symbol, a name
 * held twice, a name not there, or hidden addresses.
 */
static void test_range(void **state)
{
	static const char twice[] =
		"ffffffff81000000 T _text\n"
		"ffffffff81000100 t dup\n"
		"ffffffff81000200 t dup\n"
		"ffffffff81000300 t after\n";
	struct ksyms *ks = load(state, fake, strlen(fake));
	unsigned long lo = 1, len = 1;

	assert_true(ksyms_range(ks, "lower_func", &lo, &len));
	assert_int_equal(lo, 0xffffffff81000100);
	assert_int_equal(len, 0xf00);
	assert_true(ksyms_range(ks, "weak_lower", &lo, &len));
	assert_int_equal(len, 0xe000);		/* to last_core, past the data symbols */
	lo = len = 7;
	assert_false(ksyms_range(ks, "mod_func", &lo, &len));	/* the last: no end */
	assert_false(ksyms_range(ks, "data_sym", &lo, &len));
	assert_false(ksyms_range(ks, "nothing", &lo, &len));
	assert_int_equal(lo, 7);			/* untouched when false */
	/* the second file: the first one's gone first, as teardown would */
	ksyms_free(ks);
	tmpfile_remove(((struct loaded *)*state)->path);
	ks = load(state, twice, strlen(twice));
	assert_false(ksyms_range(ks, "dup", &lo, &len));
	assert_true(ksyms_range(ks, "_text", &lo, &len));
	assert_int_equal(len, 0x100);
	assert_false(ksyms_range(NULL, "_text", &lo, &len));
}

/* Not root: kptr_restrict shows every address as zero. */
static void test_hidden(void **state)
{
	static const char zeros[] =
		"0000000000000000 T _text\n"
		"0000000000000000 t get_next_ino\n"
		"0000000000000000 D data_sym\n"
		"0000000000000000 t bpf_trampoline_1\t[bpf]\n";
	struct ksyms *ks = load(state, zeros, strlen(zeros));

	assert_true(ksyms_hidden(ks));
	assert_null(ksyms_lookup(ks, 0));
	assert_null(ksyms_lookup(ks, 0xffffffff81000000));
	assert_null(ksyms_lookup(ks, 0xffffffffffffffff));
	/* the names are still there */
	assert_true(ksyms_has(ks, "get_next_ino"));
	assert_false(ksyms_has(ks, "data_sym"));
}

static void test_empty_and_null(void **state)
{
	struct ksyms *ks = load(state, "", 0);

	assert_false(ksyms_hidden(ks));
	assert_null(ksyms_lookup(ks, 0));
	assert_null(ksyms_lookup(ks, 0xffffffff81000000));
	assert_false(ksyms_has(ks, "_text"));

	assert_null(ksyms_lookup(NULL, 0xffffffff81000000));
	assert_false(ksyms_has(NULL, "_text"));
	assert_false(ksyms_hidden(NULL));
	ksyms_free(NULL);
}

static void test_missing_file(void **state)
{
	errno = 0;
	assert_null(ksyms_load("/nonexistent/evtrace-unit/kallsyms"));
	assert_int_equal(errno, ENOENT);
}

static void test_garbage(void **state)
{
	static const char junk[] =
		"\n"
		"garbage\n"
		"zzzz T not_hex\n"
		"ffffffff81000000\n"
		"ffffffff81000000 T\n"
		"\t\t \n"
		"\x01\x02\xff\xfe binary \x80\n"
		"ffffffff81020000 T first_good\n"
		"  ffffffff81030000 T leading_space\n"
		"ffffffff81040000 T open_module [unterminated\n"
		"ffffffff81050000 t not_bpf\t[bpfx]\n"
		"ffffffff81060000 T nul\0after\n"
		"ffffffff81070000 T no_newline";
	struct ksyms *ks = load(state, junk, sizeof(junk) - 1);

	assert_false(ksyms_hidden(ks));
	assert_false(ksyms_has(ks, "not_hex"));
	assert_false(ksyms_has(ks, "after"));
	assert_sym(ks, 0xffffffff81020000, 0xffffffff81020000, "first_good");
	assert_sym(ks, 0xffffffff81030008, 0xffffffff81030000, "leading_space");
	assert_sym(ks, 0xffffffff81040000, 0xffffffff81040000, "open_module");
	assert_false(ksyms_lookup(ks, 0xffffffff81040000)->bpf);
	assert_false(ksyms_lookup(ks, 0xffffffff81050000)->bpf);
	assert_sym(ks, 0xffffffff81060000, 0xffffffff81060000, "nul");
	assert_sym(ks, 0xffffffff81070000, 0xffffffff81070000, "no_newline");
	/* nothing below the first good line */
	assert_null(ksyms_lookup(ks, 0xffffffff8101ffff));
}

/*
 * Names up to KSYM_NAME_LEN (512) make lines longer than a small buffer.
 * The part of such a line that did not fit is not a line of its own: here
 * it would read as a symbol "_bogus" at 0xfff.
 */
static void test_long_lines(void **state)
{
	char text[8192], *p = text;
	struct ksyms *ks;
	const struct ksym *s;

	p += sprintf(p, "ffffffff81000000 T before\n");
	p += sprintf(p, "ffffffff81020000 t ");
	memset(p, 'x', 492);
	p += 492;
	p += sprintf(p, "fffT_bogus\n");
	/* and one far longer than any line buffer */
	p += sprintf(p, "ffffffff81030000 t y");
	for (int i = 0; i < 4000; i++)
		*p++ = "fT_0123456789abcdef"[i % 19];
	p += sprintf(p, "\nffffffff81040000 T after\n");
	ks = load(state, text, p - text);

	assert_true(ksyms_has(ks, "before"));
	assert_true(ksyms_has(ks, "after"));
	assert_false(ksyms_has(ks, "_bogus"));
	assert_null(ksyms_lookup(ks, 0xfff));
	assert_null(ksyms_lookup(ks, 0x10000));
	assert_sym(ks, 0xffffffff81040000, 0xffffffff81040000, "after");
	assert_sym(ks, 0xffffffffffffffff, 0xffffffff81040000, "after");
	/* the long names' symbols are where they were, names cut or not */
	s = ksyms_lookup(ks, 0xffffffff81020010);
	assert_non_null(s);
	assert_int_equal(s->addr, 0xffffffff81020000);
	assert_int_equal(strspn(s->name, "x"), strlen(s->name));
	assert_true(strlen(s->name) > 0);
	s = ksyms_lookup(ks, 0xffffffff81030010);
	assert_non_null(s);
	assert_int_equal(s->addr, 0xffffffff81030000);
	assert_int_equal(s->name[0], 'y');
	/* lines after the 2nd long one: nothing between 0x81030000 and after */
	for (unsigned long a = 0xffffffff81030000; a < 0xffffffff81040000; a += 0x100)
		assert_int_equal(ksyms_lookup(ks, a)->addr, 0xffffffff81030000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bpf_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsorted_and_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_null, setup, teardown),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lines, setup, teardown),
	};

	return cmocka_run_group_tests_name("ksyms", tests, NULL, NULL);
}
