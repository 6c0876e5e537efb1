// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace info FILE [--json]: what a recording is before replaying it, as
 * perf report --header-only or trace-cmd dump would say: where and when it
 * was made, which probes were attached (a missing probe changes what the
 * stream can show), the filters, the mount tables, whether ids may repeat,
 * and whether the file is whole.  The events are read once, for counts and
 * damage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/opt.h"
#include "cmd/cmd.h"
#include "event/decode.h"
#include "file/tracefile.h"
#include "lib/common.h"
#include "lib/escape.h"
#include "lib/json.h"
#include "lib/tclock.h"
#include "source/replay.h"

struct info {
	const char *path;
	uint64_t size;
	const struct tf_meta *m;
	struct tf_status st;
	uint64_t by_type[ET_TYPE_MAX];
	uint64_t events;		/* lost records excluded */
	uint64_t lost;			/* what the lost records say was lost */
	uint64_t first_ns, last_ns;	/* the oldest and newest event's time */
	uint64_t mount_changes;
};

static const struct opt_cmd cmd = {
	.status = "0 the file was read (damage it holds is reported, not an\n"
		  "error); 1 a read error; 2 usage, or a FILE that does not open or is not a\n"
		  "recording.  With --json, an error is one JSON object on stderr.\n",
	.name = "info",
	.usage = "evtrace info FILE [--json]",
	.about = "What a trace file holds: the machine, kernel and evtrace that recorded it,\n"
		 "the host name and command line, when, the probes and filters, the mount\n"
		 "tables, events by type, and whether the file is whole (clean close,\n"
		 "truncation, damaged chunks).  FILE - is standard input, read to its end\n"
		 "(what a file's trailer says is known only then), never kept whole.\n",
	.examples = "  evtrace info trace.evt\n"
		    "  evtrace info --json trace.evt\n",
};

/* "2026-11-23 23:51:02.123 UTC" */
static void wall(uint64_t ns, char *buf, size_t len)
{
	time_t t = ns / 1000000000;
	struct tm tm;

	if (!ns || !gmtime_r(&t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + strlen(buf), len - strlen(buf), ".%03u UTC",
		 (unsigned int)(ns % 1000000000 / 1000000));
}

/* The recording's end: the trailer's, else its newest event's. */
static uint64_t end_ns(const struct info *in)
{
	return in->st.trailer_seen ? in->st.trailer.end_ns : in->last_ns;
}

static double span_s(const struct info *in)
{
	uint64_t end = end_ns(in);

	return end > in->m->start_ns ? (end - in->m->start_ns) / 1e9 : 0;
}

/* Probes whose mode is "missing", comma separated, into buf; their count. */
static int missing_probes(const char *probes, char *buf, size_t len)
{
	const char *p = probes;
	int n = 0;

	buf[0] = '\0';
	while (*p) {
		size_t item = strcspn(p, ","), used;
		const char *eq = memchr(p, '=', item);

		if (eq && p + item - (eq + 1) == 7 && !memcmp(eq + 1, "missing", 7)) {
			used = strlen(buf);
			snprintf(buf + used, len - used, "%s%.*s", n ? ", " : "", (int)(eq - p), p);
			n++;
		}
		p += item + (p[item] == ',');
	}
	return n;
}

static void print_text(const struct info *in)
{
	const struct tf_meta *m = in->m;
	char a[48], b[48], miss[512];
	int nmiss = missing_probes(m->probes, miss, sizeof(miss));
	/* every string below comes from the file: escaped (lib/escape.h) */
	char e1[4 * sizeof(m->probes) + 1], e2[4 * sizeof(m->kernel_release) + 1],
	     e3[4 * sizeof(m->machine) + 1], ec[4 * sizeof(m->cmdline) + 1];

	printf("file:       %s, %" PRIu64 " bytes, format %u.%u\n",
	       esc(e1, sizeof(e1), tf_name(in->path)), in->size, m->format_major, m->format_minor);
	printf("recorded:   by evtrace %s on %s %s, %u CPUs\n",
	       esc(e1, sizeof(e1), m->evtrace_version), esc(e2, sizeof(e2), m->kernel_release),
	       esc(e3, sizeof(e3), m->machine), m->ncpus);
	/* perf's "hostname" and "cmdline"; files before them lack both */
	printf("host:       %s\n", m->host[0] ? esc(e2, sizeof(e2), m->host) : "(not recorded)");
	printf("cmdline:    %s\n", m->cmdline[0] ? esc(ec, sizeof(ec), m->cmdline) : "(not recorded)");
	wall(m->start_realtime_ns, a, sizeof(a));
	wall(m->start_realtime_ns + (end_ns(in) - m->start_ns), b, sizeof(b));
	printf("time:       %s to %s (%.3f s), from %" PRIu64 ".%06" PRIu64
	       " s on the event clock (CLOCK_MONOTONIC)\n", a, end_ns(in) >= m->start_ns ? b : "?",
	       span_s(in), m->start_ns / 1000000000, m->start_ns % 1000000000 / 1000);
	/* every command's times count from the start, as --from/--to do (lib/tclock.h) */
	if (in->events)
		printf("            events from %s s to %s s of it\n",
		       tclock_fmt_rel(a, sizeof(a), in->first_ns, 3),
		       tclock_fmt_rel(b, sizeof(b), in->last_ns, 3));
	/* a file made before the start was taken at the first attach (tracefile.h) */
	if (m->start_from_event && m->recorded_start_ns)
		printf("start:      the recorded start (%" PRIu64 ".%06" PRIu64 " s) is after the first"
		       " event; times count from the first event\n", m->recorded_start_ns / 1000000000,
		       m->recorded_start_ns % 1000000000 / 1000);
	else if (m->start_from_event)
		printf("start:      not recorded; times count from the first event\n");
	printf("probes:     %s\n", m->probes[0] ? esc(e1, sizeof(e1), m->probes) : "(not recorded)");
	if (nmiss)
		printf("            missing: %s: their events cannot be in this file\n",
		       esc(e1, sizeof(e1), miss));
	printf("filters:    %s\n", m->filters[0] ? esc(e1, sizeof(e1), m->filters) : "none");
	printf("events:     %" PRIu64 " in %" PRIu64 " chunks (%.2f bytes/event)",
	       in->events, in->st.chunks,
	       in->events ? (double)in->size / in->events : 0.0);
	for (int t = 1, first = 1; t < ET_TYPE_MAX; t++)
		if (t != ET_LOST && in->by_type[t]) {
			printf("%s %s %" PRIu64, first ? ":" : ",", et_type_name(t), in->by_type[t]);
			first = 0;
		}
	printf("\n");
	printf("loss:       %" PRIu64 " lost in the kernel (%" PRIu64 " lost records)",
	       in->lost, in->by_type[ET_LOST]);
	if (in->st.trailer_seen)
		printf(", %" PRIu64 " dropped by the recorder", in->st.trailer.dropped);
	printf("\n");
	if (in->st.trailer_seen && in->st.trailer.no_generation)
		printf("ids:        %" PRIu64 " objects got no generation (the kernel's table was"
		       " full): their ids may repeat\n            (record with a larger"
		       " --max-objects)\n", in->st.trailer.no_generation);
	printf("mounts:     %zu at the start, %" PRIu64 " changes during the recording\n",
	       m->mounts.n, in->mount_changes);
	for (size_t i = 0; i < m->mounts.n; i++)
		printf("            %u:%-5u %-12s %s\n", ET_MAJOR(m->mounts.v[i].dev),
		       ET_MINOR(m->mounts.v[i].dev),
		       m->mounts.v[i].fstype[0] ? esc(e2, sizeof(e2), m->mounts.v[i].fstype) : "-",
		       esc(e1, sizeof(e1), m->mounts.v[i].path));
	printf("integrity:  ");
	if (in->st.trailer_seen && !in->st.bad_chunks && !in->st.truncated_at &&
	    !in->st.gave_up_at)
		printf("whole: closed cleanly, every chunk's CRC checks\n");
	else {
		const char *sep = "";

		if (in->st.truncated_at) {
			char cut[160];

			tf_cut_text(&in->st, cut, sizeof(cut));
			printf("truncated at byte %" PRIu64 ", %s", in->st.truncated_at, cut);
			sep = "; ";
		} else if (!in->st.trailer_seen) {
			printf("no trailer: the recording did not end cleanly");
			sep = "; ";
		}
		if (in->st.bad_chunks) {
			printf("%s%" PRIu64 " damaged chunks skipped (%" PRIu64 " events in them)",
			       sep, in->st.bad_chunks, in->st.skipped_events);
			sep = "; ";
		}
		if (in->st.not_inflated)
			printf("%s%" PRIu64 " of them not decompressed: they would have inflated the"
			       " file past %u times its size", sep, in->st.not_inflated,
			       TF_INFLATE_PER_BYTE);
		if (in->st.gave_up_at)
			printf("%sreading stopped at byte %" PRIu64 ": the damage before it took all"
			       " the work a file of this size may cost, the %" PRIu64
			       " bytes after it were not read", sep, in->st.gave_up_at,
			       in->size - in->st.gave_up_at);
		printf("; the %" PRIu64 " events above are readable\n", in->events);
	}
}

/*
 * The recording's "name=mode,name=mode" as an array of objects, a script's
 * list rather than a string to split: {"probe", "mechanism"} (fentry,
 * kprobe, missing...).  The kernel function behind a probe is not
 * recorded, so there is no "function".
 */
static void probes_json(const char *probes, bool missing_only)
{
	const char *p = probes;
	bool first = true;

	putchar('[');
	while (*p) {
		size_t item = strcspn(p, ","), name;
		const char *eq = memchr(p, '=', item);
		char buf[sizeof(((struct tf_meta *)0)->probes)];

		name = eq ? (size_t)(eq - p) : item;
		if (!missing_only || (eq && p + item - (eq + 1) == 7 && !memcmp(eq + 1, "missing", 7))) {
			if (name) {
				printf("%s{\"probe\":", first ? "" : ",");
				snprintf(buf, sizeof(buf), "%.*s", (int)name, p);
				json_str(stdout, buf);
				if (!missing_only) {
					snprintf(buf, sizeof(buf), "%.*s",
						 eq ? (int)(p + item - (eq + 1)) : 0, eq ? eq + 1 : "");
					printf(",\"mechanism\":");
					json_str(stdout, buf);
				}
				putchar('}');
				first = false;
			}
		}
		p += item + (p[item] == ',');
	}
	putchar(']');
}

static void print_json(const struct info *in)
{
	const struct tf_meta *m = in->m;
	char t1[TCLOCK_LEN], t2[TCLOCK_LEN];
	bool first = true;

	printf("{\"file\":");
	json_str(stdout, in->path);
	printf(",\"bytes\":%" PRIu64 ",\"format\":\"%u.%u\",\"evtrace_version\":", in->size,
	       m->format_major, m->format_minor);
	json_str(stdout, m->evtrace_version);
	printf(",\"kernel_release\":");
	json_str(stdout, m->kernel_release);
	printf(",\"machine\":");
	json_str(stdout, m->machine);
	printf(",\"host\":");
	if (m->host[0])
		json_str(stdout, m->host);
	else
		fputs("null", stdout);
	printf(",\"cmdline\":");
	if (m->cmdline[0])
		json_str(stdout, m->cmdline);
	else
		fputs("null", stdout);
	printf(",\"ncpus\":%u,\"boot_offset_ns\":%" PRId64 ",\"start_ns\":%" PRIu64
	       ",\"start_realtime_ns\":%" PRIu64 ",\"recorded_start_ns\":%" PRIu64
	       ",\"start_from_first_event\":%s,\"end_ns\":%" PRIu64 ",\"duration_s\":%.6f"
	       ",\"first_event_ns\":%" PRIu64 ",\"last_event_ns\":%" PRIu64,
	       m->ncpus, m->boot_offset_ns, m->start_ns, m->start_realtime_ns,
	       m->recorded_start_ns, m->start_from_event ? "true" : "false", end_ns(in),
	       span_s(in), in->first_ns, in->last_ns);
	if (in->events)
		printf(",\"first_event_t\":%s,\"last_event_t\":%s",
		       tclock_fmt_rel(t1, sizeof(t1), in->first_ns, 6),
		       tclock_fmt_rel(t2, sizeof(t2), in->last_ns, 6));
	printf(",\"probes\":");
	probes_json(m->probes, false);
	printf(",\"missing_probes\":");
	probes_json(m->probes, true);
	printf(",\"filters\":");
	json_str(stdout, m->filters);
	printf(",\"events\":%" PRIu64 ",\"chunks\":%" PRIu64 ",\"by_type\":{",
	       in->events, in->st.chunks);
	for (int t = 1; t < ET_TYPE_MAX; t++) {
		if (t == ET_LOST || !in->by_type[t])
			continue;
		printf("%s\"%s\":%" PRIu64, first ? "" : ",", et_type_name(t), in->by_type[t]);
		first = false;
	}
	printf("},\"lost\":%" PRIu64 ",\"dropped\":%" PRIu64 ",\"no_generation\":%" PRIu64
	       ",\"mounts\":[", in->lost, in->st.trailer_seen ? in->st.trailer.dropped : 0,
	       in->st.trailer_seen ? in->st.trailer.no_generation : 0);
	for (size_t i = 0; i < m->mounts.n; i++) {
		printf("%s{\"dev\":\"%u:%u\",\"fstype\":", i ? "," : "",
		       ET_MAJOR(m->mounts.v[i].dev), ET_MINOR(m->mounts.v[i].dev));
		json_str(stdout, m->mounts.v[i].fstype);
		printf(",\"path\":");
		json_str(stdout, m->mounts.v[i].path);
		printf("}");
	}
	printf("],\"mount_changes\":%" PRIu64 ",\"clean_close\":%s,\"truncated_at\":%" PRIu64
	       ",\"cut_bytes\":%" PRIu64 ",\"cut_events\":%" PRIu64
	       ",\"bad_chunks\":%" PRIu64 ",\"skipped_events\":%" PRIu64 ",\"gave_up_at\":%"
	       PRIu64 ",\"not_inflated\":%" PRIu64 "}\n", in->mount_changes,
	       in->st.trailer_seen ? "true" : "false", in->st.truncated_at, in->st.cut_bytes,
	       in->st.cut_events, in->st.bad_chunks,
	       in->st.skipped_events, in->st.gave_up_at, in->st.not_inflated);
}

int do_info(int argc, char **argv)
{
	struct info in = { 0 };
	struct tf_reader *rd;
	struct et_rec r;
	bool json = false;
	char err[256];
	const struct opt rows[] = {
		OPT_JSON(&json, "one JSON object"),
		OPT_END
	};
	int n;

	n = opt_parse(&cmd, rows, argc, argv, NULL, 0);
	if (n < 0)
		return opt_status(n);
	in.path = opt_operand(cmd.name, n, argc, argv, true);
	if (!*in.path)
		return EXIT_ENV;
	rd = tf_open(in.path, err, sizeof(err));
	if (!rd) {
		replay_open_error(in.path, err);
		return EXIT_ENV;
	}
	in.m = tf_reader_meta(rd);
	tclock_start(in.m->start_ns, in.m->start_realtime_ns);
	while ((n = tf_next(rd, &r)) == 1) {
		if (tf_mounts_changed(rd, NULL))
			in.mount_changes++;
		if (r.type > 0 && r.type < ET_TYPE_MAX)
			in.by_type[r.type]++;
		if (r.type == ET_LOST) {
			in.lost += r.value > 0 ? (uint64_t)r.value : 0;
			continue;
		}
		if (!in.events++ || r.ts_ns < in.first_ns)
			in.first_ns = r.ts_ns;
		if (r.ts_ns > in.last_ns)
			in.last_ns = r.ts_ns;
	}
	tf_reader_status(rd, &in.st);
	in.size = tf_reader_size(rd);
	if (json)
		print_json(&in);
	else
		print_text(&in);
	tf_close(rd);
	if (n < 0) {
		p_err("%s: read error: %s", tf_name(in.path), strerror(-n));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
