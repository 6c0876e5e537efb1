// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * event/schema.c against what it must agree with, read as text from the
 * source tree (the tests run from the repository root):
 * include/evtrace/evtrace.h (the enum, the ET_F_* flags, the per-type
 * table of what the BPF side fills in), README.md's list of event types,
 * docs/FORMAT.md's presence bits; struct et_rec itself, which its
 * columns must cover member by member; and the trace file's encoder,
 * which must store each column under its own presence bit.  Then the rules the printers rely
 * on: unique keys, text places without gaps, alternatives only among flags.
 */
#include "unit.h"

#include <ctype.h>
#include <stdbool.h>

#include <zstd.h>

#include "event/schema.h"
#include "file/codec.h"
#include "file/tracefile.h"
#include "lib/common.h"

#define HEADER	"include/evtrace/evtrace.h"
#define README	"README.md"
#define FORMAT	"docs/FORMAT.md"

static char *slurp_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long len;

	if (!f)
		fail_msg("%s: cannot open (run from the repository root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	s = malloc(len + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, len, f), len);
	s[len] = 0;
	fclose(f);
	return s;
}

/* The next line of *p, NUL-terminated in place; NULL at the end. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = 0;
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

static const struct et_field *field_on(int type, enum et_col col)
{
	const struct et_type_info *t = &et_types[type];

	for (unsigned int i = 0; i < t->n_fields; i++)
		if (t->fields[i].col == col && t->fields[i].show != ETS_FLAG)
			return &t->fields[i];
	return NULL;
}

/* ---- evtrace.h: the enum ---- */

static void test_types_match_enum(void **state)
{
	char *text = slurp_text(HEADER), *p = strstr(text, "enum et_type {"), *line;
	int value = 0, seen = 0;

	assert_non_null(p);
	while ((line = next_line(&p)) && !strchr(line, '}')) {
		char name[64], lower[64];
		int n = 0;

		if (sscanf(line, " ET_%63[A-Z0-9_] = %d", name, &n) == 2)
			value = n;
		else if (sscanf(line, " ET_%63[A-Z0-9_]", name) == 1)
			value++;
		else
			continue;
		if (!strcmp(name, "TYPE_MAX")) {
			assert_int_equal(value, ET_TYPE_MAX);
			break;
		}
		for (int i = 0; (lower[i] = tolower((unsigned char)name[i])); i++)
			;
		if (strcmp(et_type_name(value), lower))
			fail_msg("ET_%s = %d: the schema calls it %s", name, value,
				 et_type_name(value));
		assert_int_equal(et_type_from_name(lower), value);
		seen++;
	}
	assert_int_equal(seen, ET_TYPE_MAX - 1);
	free(text);

	/* every type a row with fields, every name once */
	for (int t = 1; t < ET_TYPE_MAX; t++) {
		assert_non_null(et_types[t].name);
		assert_non_null(et_types[t].fields);
		assert_true(et_types[t].n_fields > 0);
		for (int u = 1; u < t; u++)
			assert_string_not_equal(et_types[t].name, et_types[u].name);
	}
	assert_string_equal(et_type_name(0), "unknown");
	assert_int_equal(et_types[0].n_fields, 0);
}

/* ---- README.md: the events table ---- */

static void test_types_match_readme(void **state)
{
	char *text = slurp_text(README), *p = strstr(text, "\n## Events"), *line;
	int count[ET_TYPE_MAX] = { 0 }, rows = 0;

	assert_non_null(p);
	p++;
	next_line(&p);		/* the heading */
	while ((line = next_line(&p)) && strncmp(line, "## ", 3)) {
		char name[64];
		int t;

		if (sscanf(line, "| `%63[a-z_]` |", name) != 1)
			continue;
		t = et_type_from_name(name);
		if (t < 0)
			fail_msg("README.md lists an event type the schema lacks: %s", name);
		count[t]++;
		rows++;
	}
	for (int t = 1; t < ET_TYPE_MAX; t++)
		if (count[t] != 1)
			fail_msg("README.md lists %s %d times", et_type_name(t), count[t]);
	assert_int_equal(rows, ET_TYPE_MAX - 1);
	free(text);
}

/* ---- evtrace.h: the flags ---- */

static void test_flags_defined(void **state)
{
	char *text = slurp_text(HEADER), *p = text, *line;
	uint32_t defined = 0, used = 0;

	while ((line = next_line(&p))) {
		char name[32];
		int bit;

		if (sscanf(line, "#define ET_F_%31[A-Z_] (1u << %d)", name, &bit) == 2) {
			assert_true(bit >= 0 && bit < 32);
			defined |= 1u << bit;
		}
	}
	free(text);
	assert_int_equal(defined & ET_F_TRUNC, ET_F_TRUNC);	/* the parse found them */

	for (int t = 0; t < ET_TYPE_MAX; t++)
		for (unsigned int i = 0; i < et_types[t].n_fields; i++) {
			const struct et_field *f = &et_types[t].fields[i];

			if (f->show != ETS_FLAG && f->show != ETS_RESULT) {
				assert_int_equal(f->flag, 0);
				continue;
			}
			/* one bit, and one evtrace.h defines */
			assert_true(f->flag && !(f->flag & (f->flag - 1)));
			if (!(f->flag & defined))
				fail_msg("%s.%s: flag %#x is not an ET_F_*", et_type_name(t),
					 f->key, f->flag);
			used |= f->flag;
		}
	/* and no flag the BPF side sets goes unshown */
	if (used != defined)
		fail_msg("ET_F_* bits %#x are shown by no field", defined & ~used);
}

/* ---- evtrace.h: the per-type table of what the BPF side fills in ---- */

/* A column of the comment table: its heading and the column it describes. */
static const struct {
	const char *heading;
	enum et_col col;
} cells[] = {
	{ "obj", ETC_OBJ }, { "aux", ETC_AUX }, { "inode", ETC_INODE },
	{ "ino", ETC_INO }, { "value", ETC_VALUE },
};

/* The cell of a row under heading at column start, up to the next one. */
static void cell(const char *row, size_t start, size_t end, char *out, size_t size)
{
	size_t len = strlen(row), n;

	if (start > len)
		start = len;
	if (end > len)
		end = len;
	while (start < end && row[start] == ' ')
		start++;
	while (end > start && row[end - 1] == ' ')
		end--;
	n = end - start < size - 1 ? end - start : size - 1;
	memcpy(out, row + start, n);
	out[n] = 0;
}

static void check_row(int t, const char *row, const size_t *at, size_t n_at)
{
	const char *name = et_type_name(t);

	for (size_t i = 0; i < n_at - 1; i++) {
		enum et_col col = cells[i].col;
		const struct et_field *f = field_on(t, col);
		char c[64];

		cell(row, at[i], at[i + 1], c, sizeof(c));
		assert_true(c[0]);
		if (c[0] == '-') {
			/* not filled in: shown at most when set, never as a 0 */
			if (f && et_columns[col].kind != ETK_ID && !f->if_set)
				fail_msg("%s: evtrace.h says %s is unset, the schema always shows it",
					 name, cells[i].heading);
			continue;
		}
		if (!f)
			fail_msg("%s: evtrace.h fills in %s (%s), the schema never shows it",
				 name, cells[i].heading, c);
		if (col == ETC_OBJ && (strncmp(c, f->key, strlen(f->key)) ||
				       (c[strlen(f->key)] && c[strlen(f->key)] != ' ')))
			fail_msg("%s: obj is '%s' in evtrace.h, '%s' in the schema", name, c, f->key);
		if (col == ETC_VALUE) {
			enum et_ref want = strstr(c, "after") ? ET_REF_AFTER :
					   strstr(c, "before") ? ET_REF_BEFORE :
					   strstr(c, "(0)") ? ET_REF_GONE : ET_REF_NONE;

			if (et_types[t].ref != want)
				fail_msg("%s: value is '%s' in evtrace.h, ref %d in the schema",
					 name, c, et_types[t].ref);
		}
	}
}

static void test_comment_table(void **state)
{
	static const char *const headings[] = { "type", "obj", "aux", "inode", "ino", "value" };
	char *text = slurp_text(HEADER), *p = strstr(text, " *   type "), *line;
	size_t at[ARRAY_SIZE(headings) + 1];
	int rows[ET_TYPE_MAX] = { 0 };

	assert_non_null(p);
	line = next_line(&p);
	/* where each column starts, from the heading line */
	for (size_t i = 0, from = 0; i < ARRAY_SIZE(headings); i++) {
		size_t len = strlen(headings[i]);
		const char *h = line + from;

		/* a whole word: "ino" is not the start of "inode" */
		while ((h = strstr(h, headings[i])) && (h[-1] != ' ' || (h[len] && h[len] != ' ')))
			h++;
		assert_non_null(h);
		at[i] = h - line;
		from = at[i] + len;
	}
	at[ARRAY_SIZE(headings)] = 1000;
	while ((line = next_line(&p)) && strcmp(line, " *")) {
		char name[32];
		int t;

		cell(line, at[0], at[1], name, sizeof(name));
		t = et_type_from_name(name);
		if (t < 0)
			fail_msg("evtrace.h's table has a type the schema lacks: '%s'", name);
		rows[t]++;
		check_row(t, line, at + 1, ARRAY_SIZE(at) - 1);
	}
	/* every type the BPF side emits, once; lost is made in userspace */
	for (int t = 1; t < ET_TYPE_MAX; t++)
		if (rows[t] != (t != ET_LOST))
			fail_msg("evtrace.h's table has %d rows for %s", rows[t], et_type_name(t));
	free(text);
}

/* ---- struct et_rec: every member a column ---- */

struct span {
	size_t off, size, align;
};

#define SPAN_OF(m, a)	{ offsetof(struct et_rec, m), sizeof(((struct et_rec *)0)->m), a }
#define SPAN_TYPE(m)	SPAN_OF(m, sizeof(int))
#define SPAN_U32(m)	SPAN_OF(m, 4)
#define SPAN_U64(m)	SPAN_OF(m, 8)
#define SPAN_S64(m)	SPAN_OF(m, 8)
#define SPAN_ID(m)	SPAN_OF(m, 8)
#define SPAN_STR(m)	SPAN_OF(m, 1)
/* dev is two members */
#define SPAN_DEV(m)	{ offsetof(struct et_rec, dev_major), 2 * sizeof(uint32_t), 4 }

_Static_assert(offsetof(struct et_rec, dev_minor) ==
	       offsetof(struct et_rec, dev_major) + sizeof(uint32_t), "dev_minor follows dev_major");

/* Per column, in enum et_col order. */
static const struct span spans[] = {
#define SPAN(id, member, kind, name)	SPAN_##kind(member),
	ET_REC_COLUMNS(SPAN)
#undef SPAN
};

static int by_off(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

static void test_columns_cover_rec(void **state)
{
	struct span s[ARRAY_SIZE(spans)];
	size_t end = 0;

	assert_int_equal(ARRAY_SIZE(s), ETC_MAX);
	memcpy(s, spans, sizeof(s));
	qsort(s, ARRAY_SIZE(s), sizeof(s[0]), by_off);
	/*
	 * Each one where the last one ended, but for alignment: no member
	 * left out.  (Padding cannot be told from a member that fills it
	 * exactly, as a u32 after type would: that one place this misses.)
	 */
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		size_t want = (end + s[i].align - 1) / s[i].align * s[i].align;

		if (s[i].off != want)
			fail_msg("struct et_rec has %zu bytes at %zu that no column covers",
				 s[i].off - end, end);
		end = s[i].off + s[i].size;
	}
	assert_int_equal((end + 7) / 8 * 8, sizeof(struct et_rec));

	for (int c = 0; c < ETC_MAX; c++) {
		assert_non_null(et_columns[c].name);
		for (int d = 0; d < c; d++)
			assert_string_not_equal(et_columns[c].name, et_columns[d].name);
	}
}

/* ---- docs/FORMAT.md: the presence bits are the optional columns ---- */

static void test_presence_bits_documented(void **state)
{
	static const char *const encoding[] = {
		[ETK_U32] = "varint", [ETK_U64] = "varint", [ETK_DEV] = "varint",
		[ETK_S64] = "zigzag varint", [ETK_ID] = "id ref", [ETK_STR] = "string ref",
	};
	char *text = slurp_text(FORMAT), *p = strstr(text, "| bit | field | encoding |"), *line;
	int bits = 0;

	assert_non_null(p);
	next_line(&p);
	next_line(&p);		/* |---|---|---| */
	while ((line = next_line(&p)) && line[0] == '|') {
		enum et_col col = ETC_FIRST_OPTIONAL + bits;
		const char *name = et_columns[col].name;
		char field[64], enc[128];
		int bit, at_most;

		assert_int_equal(sscanf(line, "| %d | %63[^|]| %127[^|]|", &bit, field, enc), 3);
		assert_int_equal(bit, bits);
		assert_true(col < ETC_MAX);
		if (strncmp(field, name, strlen(name)) || field[strlen(name)] != ' ')
			fail_msg("FORMAT.md: bit %d is %s, the schema's column %s", bit, field, name);
		if (strncmp(enc, encoding[et_columns[col].kind], strlen(encoding[et_columns[col].kind])))
			fail_msg("FORMAT.md: bit %d (%s) is encoded as %s", bit, name, enc);
		/* a string fills its array but for the NUL */
		if (et_columns[col].kind == ETK_STR) {
			assert_int_equal(sscanf(enc, "string ref (at most %d bytes)", &at_most), 1);
			assert_int_equal(at_most + 1, spans[col].size);
		}
		bits++;
	}
	assert_int_equal(bits, ETC_MAX - ETC_FIRST_OPTIONAL);
	free(text);
}

/* ---- the codec: each optional column under its own presence bit ---- */

static void test_codec_columns(void **state)
{
	assert_int_equal(PB_KNOWN, ETC_MAX - ETC_FIRST_OPTIONAL);
	for (int col = ETC_FIRST_OPTIONAL; col < ETC_MAX; col++) {
		struct tf_chunk *c = tf_chunk_new();
		uint8_t raw[REC_MAX], *sealed;
		uint64_t pres = 0;
		struct et_rec r;
		size_t len, n;

		/* this column set (a byte 1 is a 1, a "\x01" or a dev), nothing else */
		memset(&r, 0, sizeof(r));
		r.type = ET_LOST;
		((uint8_t *)&r)[spans[col].off] = 1;
		assert_non_null(c);
		assert_int_equal(tf_chunk_add(c, &r), 0);
		assert_int_equal(tf_chunk_seal(c, 1, &sealed, &len), 0);
		n = ZSTD_decompress(raw, sizeof(raw), sealed + 40, len - 40);
		assert_false(ZSTD_isError(n));
		for (int i = 1, shift = 0; i < (int)n; i++, shift += 7) {
			pres |= (uint64_t)(raw[i] & 0x7f) << shift;
			if (raw[i] < 0x80)
				break;
		}
		if (pres != 1ull << (col - ETC_FIRST_OPTIONAL))
			fail_msg("column %s: presence %#llx, not bit %d", et_columns[col].name,
				 (unsigned long long)pres, col - ETC_FIRST_OPTIONAL);
		free(sealed);
		tf_chunk_free(c);
	}
}

/* ---- the rules the printers rely on ---- */

static void check_fields(const char *type, const struct et_field *f, unsigned int n,
			 unsigned int base_keys)
{
	unsigned char places = 0;

	for (unsigned int i = 0; i < n; i++) {
		assert_non_null(f[i].key);
		assert_true(f[i].col < ETC_MAX);
		assert_true(!f[i].if_set || f[i].if_col < ETC_MAX);
		/* a key once per object, common ones included */
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(f[i].key, f[j].key))
				fail_msg("%s: key %s twice", type, f[i].key);
		for (unsigned int j = 0; j < et_n_common && base_keys; j++)
			if (!strcmp(f[i].key, et_common[j].key))
				fail_msg("%s: key %s is a common one", type, f[i].key);
		if (f[i].show == ETS_FLAG)
			assert_int_equal(f[i].col, ETC_FLAGS);
		if (f[i].show == ETS_NAME)
			assert_int_equal(et_columns[f[i].col].kind, ETK_STR);
		if (f[i].show == ETS_FLAG && f[i].text_pos)
			assert_non_null(f[i].text);
		if (f[i].text_pos > places)
			places = f[i].text_pos;
		/* places that two share: alternatives, which only flags can be */
		for (unsigned int j = 0; j < i; j++)
			if (f[i].text_pos && f[i].text_pos == f[j].text_pos &&
			    (f[i].show != ETS_FLAG || f[j].show != ETS_FLAG))
				fail_msg("%s: %s and %s share text place %d", type, f[j].key,
					 f[i].key, f[i].text_pos);
	}
	/* every place from 1 up taken: the printer walks them in order */
	for (unsigned int pos = 1; pos <= places; pos++) {
		bool taken = false;

		for (unsigned int i = 0; i < n; i++)
			taken |= f[i].text_pos == pos;
		if (!taken)
			fail_msg("%s: text place %u of %u is empty", type, pos, places);
	}
	assert_true(places <= n);
}

static void test_field_rules(void **state)
{
	check_fields("common", et_common, et_n_common, 0);
	assert_string_equal(et_common[0].key, "type");
	for (unsigned int i = 0; i < et_n_common; i++)
		assert_int_equal(et_common[i].text_pos, 0);
	for (int t = 0; t < ET_TYPE_MAX; t++)
		check_fields(et_type_name(t), et_types[t].fields, et_types[t].n_fields, 1);
}

/* The CSV header is a contract, and the ei events are the ones with a refcount. */
static void test_csv_and_refs(void **state)
{
	char header[256] = "";

	for (unsigned int i = 0; i < et_n_csv; i++) {
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(et_csv[i], et_csv[j]);
		strcat(header, i ? "," : "");
		strcat(header, et_columns[et_csv[i]].name);
	}
	assert_string_equal(header,
			    "type,ts_ns,cpu,pid,tid,comm,fs,dev,ino,name,caller,value,obj,aux,inode,flags");

	for (int t = 1; t < ET_TYPE_MAX; t++) {
		const struct et_field *obj = field_on(t, ETC_OBJ);
		bool ei = obj && !strcmp(obj->key, "ei");

		assert_int_equal(et_types[t].ref != ET_REF_NONE, ei);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_match_enum),
		cmocka_unit_test(test_types_match_readme),
		cmocka_unit_test(test_flags_defined),
		cmocka_unit_test(test_comment_table),
		cmocka_unit_test(test_columns_cover_rec),
		cmocka_unit_test(test_presence_bits_documented),
		cmocka_unit_test(test_codec_columns),
		cmocka_unit_test(test_field_rules),
		cmocka_unit_test(test_csv_and_refs),
	};

	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
