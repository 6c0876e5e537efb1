/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers shared by the cmocka unit tests: a throwaway file in a private
 * temporary directory (fake kallsyms), and rendering into a string.
 */
#ifndef EVTRACE_TESTS_UNIT_H
#define EVTRACE_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Writes len bytes of data to a new file "kallsyms" in a new directory.
 * Not inlined: gcc's -Wdangling-pointer then mistakes dir for the result.
 */
static __attribute__((noinline, unused))
char *tmpfile_with_len(const char *data, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], *path;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/evtrace-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/kallsyms", dir) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static inline char *tmpfile_with(const char *text)
{
	return tmpfile_with_len(text, strlen(text));
}

/* Removes the file and its directory, frees path. */
static inline void tmpfile_remove(char *path)
{
	char *dir;

	if (!path)
		return;
	unlink(path);
	dir = strndup(path, strrchr(path, '/') - path);
	assert_non_null(dir);
	rmdir(dir);
	free(dir);
	free(path);
}

/* A memory stream; mem_done() closes it and returns what was written. */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	return m->f;
}

/* The caller frees the result. */
static inline char *mem_done(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	assert_int_equal(strlen(m->buf), m->len);
	return m->buf;
}

#endif
