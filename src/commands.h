/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One do_<command>() per command, dispatched from main.c's cmds[]. */
#ifndef EVTRACE_COMMANDS_H
#define EVTRACE_COMMANDS_H

#include "live.h"

int do_events(int argc, char **argv);
int do_probes(int argc, char **argv);
int do_hist(int argc, char **argv);

/* Check, start, run the live loop into sink, stop.  An EXIT_* status. */
int trace_to_sink(struct tracer_opts *to, double duration, rec_sink_fn sink,
		  void *ctx, void (*tick)(void *), struct et_stats *stats);

#endif
