/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The commands, one file each, dispatched from main.c's cmds[] table.
 * Only their entry points here: a command reuses another by building an
 * argv (as replay does), never by calling into it.
 */
#ifndef EVTRACE_CMD_H
#define EVTRACE_CMD_H

int do_events(int argc, char **argv);
int do_hist(int argc, char **argv);
int do_record(int argc, char **argv);
int do_replay(int argc, char **argv);
int do_export(int argc, char **argv);
int do_info(int argc, char **argv);
int do_probes(int argc, char **argv);
int do_live(int argc, char **argv);
int do_serve(int argc, char **argv);

#endif
