/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel- and file-derived strings on a terminal.  A task's comm is set by
 * any user (prctl(PR_SET_NAME)), a file name may hold any byte but '/' and
 * NUL, and a trace file may come from anywhere: none of it may reach root's
 * terminal raw (an OSC sequence retitles it, CSI 2 J clears it).  Every
 * such string in text output goes through here: C0 controls, DEL, C1
 * controls (U+0080 to U+009F) and bytes that are not valid UTF-8 become
 * \xNN, and a backslash becomes \\, so the escape cannot be forged.  Valid
 * UTF-8 otherwise passes as it is.
 */
#ifndef EVTRACE_LIB_ESCAPE_H
#define EVTRACE_LIB_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Room for any string of up to 255 bytes escaped (4 bytes a byte), and the NUL. */
#define ESC_MAX	1024

/*
 * s escaped into buf (size bytes, NUL-terminated, cut at a whole escape);
 * returns buf, so it can be printf's argument: printf("%s", esc(b, s, sizeof(b))).
 */
char *esc(char *buf, size_t size, const char *s);
/* The same, straight to f. */
void fputs_esc(FILE *f, const char *s);
struct line;
/* The same, onto a line (lib/line.h), cut where the line is full. */
void line_esc(struct line *l, const char *s);
/* How many bytes of s, from its start, form one valid UTF-8 character
 * that is not a C1 control; 0 if none (s[0] is then escaped). */
size_t esc_utf8_len(const unsigned char *s);

#endif
