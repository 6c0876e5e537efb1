/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The files evtrace creates hold every process name and path on the
 * machine, and root writes them: they are 0600, never opened through a
 * symlink, and never half-written where a reader looks.
 *
 *  - A recording is written in place (a crash leaves every sealed chunk
 *    readable), into a file created anew (O_EXCL|O_NOFOLLOW); an older
 *    file of that name is kept as NAME.old first, as perf does.
 *  - Exports and ring dumps are written to a unique temporary file beside
 *    the target (mkostemp: 0600, O_EXCL) and renamed over it when whole;
 *    then the directory is synced, so the rename survives a crash too.
 */
#ifndef EVTRACE_LIB_OUTFILE_H
#define EVTRACE_LIB_OUTFILE_H

#include <stdbool.h>

/* A new file at path, 0600, after moving an existing one to path.old; an fd or -errno. */
int out_create_keep_old(const char *path);
/* A temporary file beside path ("path.XXXXXX"); an fd or -errno, *tmp to free. */
int out_tmp_open(const char *path, char **tmp);
/* Synced, closed, renamed over path, the directory synced; 0 or -errno. */
int out_tmp_commit(int fd, const char *tmp, const char *path);
/* Is path's directory writable, and path not a directory?  0 or -errno. */
int out_check(const char *path);
/* Do a and b name the same file (both must exist)? */
bool out_same_file(const char *a, const char *b);

#endif
