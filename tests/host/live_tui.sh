#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The live view, driven for real in tmux on a recorded fixture (the 6.12
# VM's seed scenarios): the panels show what the fixture implies, keys
# change the screen, a resize keeps the layout, q restores the terminal.
set -u
cd "$(dirname "$0")/../.."
bin=${EVTRACE:-./evtrace}
fixture=tests/fixtures/seed-6.12.evt
sess=evtrace-live-$$
pass=0 fail=0

if ! command -v tmux >/dev/null; then
	echo "SKIPPED - live view: tmux is not installed (make deps installs it)"
	echo "live: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

ok() {			# ok COND-EXIT-STATUS NAME [DETAIL]
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
		pass=$((pass + 1))
	else
		echo "not ok - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' <<<"$3" | head -n 40
		fail=$((fail + 1))
	fi
}

screen() { tmux capture-pane -p -t "$sess"; }

# wait_for TEXT: up to 10 s for TEXT on the screen
wait_for() {
	for _ in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

keys() { tmux send-keys -t "$sess" "$@"; sleep 0.5; }

# what the fixture implies, from the summary (another printer of the model)
read -r inos eis rr < <($bin replay $fixture --view summary --json |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ino_allocs"], d["eis"], d["eis_removed_referenced"])')

trap 'tmux kill-session -t "$sess" 2>/dev/null' EXIT
tmux new-session -d -s "$sess" -x 160 -y 48 \
	"TERM=xterm-256color $bin replay $fixture --view live --max -i 0.1; echo EXITED \$?; sleep 60"

wait_for "[END OF FILE]"; ok $? "the replay runs to the end of the fixture and says so" "$(screen)"
s=$(screen)
grep -qF "INODE NUMBERS  $inos allocated" <<<"$s"; ok $? "inode panel: $inos allocations, as the file implies" "$s"
grep -qE "/sys/kernel/tracing +[0-9.]+/s +[0-9]+" <<<"$s"; ok $? "inode panel: a row per mount, with rate and total"
grep -qF "EVENTFS_INODES  $eis tracked, $rr removed while referenced" <<<"$s"; ok $? "eventfs panel: $eis eis, $rr removed while referenced" "$s"
grep -qE "^[ >][ !](events|instances/#[0-9]+/events)[a-z_/]* +[0-9]+ (live|removed|released)" <<<"$s"; ok $? "eventfs panel: rows with path, refcount, state"
grep -qF "DENTRY LIFETIMES" <<<"$s" && grep -qE "^  (pipefs|tracefs) +n=[0-9]+" <<<"$s"; ok $? "dentry panel: lifetimes per filesystem"
grep -qE "dup_ino|ei_removed_referenced" <<<"$s"; ok $? "anomalies panel: the fixture's anomalies"
grep -qF "q quit  p pause" <<<"$s"; ok $? "footer shows the keys"

keys s
grep -qF "sort: refcount" <<<"$(screen)"; ok $? "s: the sort key cycles from attention to refcount" "$(screen)"
keys s
grep -qF "sort: age" <<<"$(screen)"; ok $? "s again: to age" "$(screen)"
keys / s c h e d Enter
s=$(screen)
grep -qF "filter: sched" <<<"$s" && ! grep -qE "^  (events|ftrace|kprobes) " <<<"$s"; ok $? "/sched: only matching eventfs paths" "$s"
keys Escape
grep -qF "filter: sched" <<<"$(screen)"; [ $? -ne 0 ]; ok $? "Esc clears the filter"
keys p
grep -qF "[PAUSED]" <<<"$(screen)"; ok $? "p: paused"
keys p
grep -qF "[PAUSED]" <<<"$(screen)"; [ $? -ne 0 ]; ok $? "p again: resumed"
keys Tab Enter
s=$(screen)
grep -qF "refcount history" <<<"$s" && grep -qE "(create|remove|release) +-> [0-9]" <<<"$s"; ok $? "Tab, Enter: the first ei's refcount history" "$s"
keys Enter
keys '?'
grep -qF "this help" <<<"$(screen)"; ok $? "?: help"
keys x
tmux resize-window -t "$sess" -x 90 -y 24
sleep 0.6
s=$(screen)
grep -qF "INODE NUMBERS" <<<"$s" && grep -qF "q quit" <<<"$s"; ok $? "resized to 90x24: header, panels and footer still drawn" "$s"
keys q
wait_for "EXITED 0"; ok $? "q: quits with status 0" "$(screen)"
s=$(tmux capture-pane -p -S -300 -t "$sess")
grep -qF "summary: 18637 events" <<<"$s"; ok $? "q: the end-of-run summary on the restored terminal" "$s"
[ "$(tmux display -p -t "$sess" '#{alternate_on}')" = 0 ]; ok $? "the terminal left the alternate screen"

# ---- issue 16: a view that leads to the problem, at 80x24 and 130x40 ----
#
# Each size runs its own session of the same replay; sess2 is the one the
# helpers look at.
sess2=
screen2() { tmux capture-pane -p -t "$sess2"; }
keys2() { tmux send-keys -t "$sess2" "$@"; sleep 0.5; }
# open W H ENV ARGS...: a replay of the fixture to its end in a W x H session
open2() {
	local w=$1 h=$2 env=$3
	shift 3
	[ -n "$sess2" ] && tmux kill-session -t "$sess2" 2>/dev/null
	sess2=evtrace-live16-$$-$w-$RANDOM
	tmux new-session -d -s "$sess2" -x "$w" -y "$h" \
		"$env $bin replay $fixture --view live --max -i 0.1 $*; sleep 60"
	for _ in $(seq 100); do
		screen2 | grep -qF "[END OF FILE]" && return 0
		sleep 0.1
	done
	return 1
}
trap 'tmux kill-session -t "$sess" 2>/dev/null; [ -n "$sess2" ] && tmux kill-session -t "$sess2" 2>/dev/null' EXIT

# The removed-while-referenced ei held longest, from the events themselves:
# its name and its HELD as the view prints it (removal to release).
read -r held_name held_text < <($bin events --json $fixture 2>/dev/null | python3 -c '
import json, sys
rem, rel = {}, {}
for l in sys.stdin:
    e = json.loads(l)
    if e["type"] == "ei_remove" and e["refcount"] > 1:   # still referenced once removed
        rem[e["ei"]] = (e["ts_ns"], e["name"])
    elif e["type"] == "ei_release":
        rel[e["ei"]] = e["ts_ns"]
held, name = max((rel[k] - t, n) for k, (t, n) in rem.items() if k in rel)
print(name, "%.0fms" % (held / 1e6) if held < 1e9 else "%.1fs" % (held / 1e9))')

# the rows of the eventfs panel: from the PATH line to the blank line after it
ei_rows() { sed -n '/^  PATH /,/^$/p' | sed '1d;/^$/d'; }
# the anomaly rows: after ANOMALIES, before the footer
an_rows() { sed -n '/^ANOMALIES/,$p' | sed '1d;/^ q quit/d;/^ *$/d'; }
esc_colour=$'\e\\[(3[0-7]|9[0-7]|38;)'

for size in 80x24 130x40; do
	w=${size%x*} h=${size#*x}
	# at 130 the filters make the header long: the fixture's events are all on these
	[ "$w" = 130 ] && extra="--fs tracefs --fs pipefs --fs proc" || extra=
	open2 "$w" "$h" TERM=xterm-256color $extra
	ok $? "$size: the replay runs to its end" "$(screen2)"
	s=$(screen2)

	# the header fits its row, dropping its least important parts first
	l1=$(sed -n 1p <<<"$s")
	grep -qF " evtrace" <<<"$l1" && grep -qF "lost 0" <<<"$l1" && grep -qF "[END OF FILE]" <<<"$l1" &&
		sed -n 2p <<<"$s" | grep -q "^INODE NUMBERS "
	ok $? "$size: the header fits its row, with lost and [END OF FILE], and the next row is whole" "$s"
	# no line runs into the next row: each row of each panel starts as a row does
	a=$(an_rows <<<"$s")
	sed -n 1p <<<"$s" | grep -q '\[END OF FILE\] *$' &&
		[ -n "$a" ] && ! grep -vqE '^[ >] [0-9]+\.[0-9]{3} [a-z_]+: ' <<<"$a" &&
		grep -A1 "^EVENTFS_INODES " <<<"$s" | sed -n 2p | grep -q "^  PATH " &&
		grep -A1 "^DENTRY LIFETIMES" <<<"$s" | sed -n 2p | grep -qE "^[ >] [a-z]+ +n="
	ok $? "$size: every line is clipped to the width: the header, titles, rows and anomalies each on their own row" "$s"
	# one clock (issue 16, item 3): the anomalies at their seconds since the
	# trace's start (the fixture's newest 2.798, not the event clock's
	# 77.698), the header's replay position the recording's 5.4 s
	awk '{ if ($1 + 0 > 5.419 || $1 + 0 < 0) bad = 1 } END { exit bad }' <<<"$a" &&
		grep -qE '^[ >] 2\.799 ei_removed_referenced: ei events/kprobes ' <<<"$a" &&
		grep -qF "replay at 5.4s" <<<"$l1"
	ok $? "$size: anomaly times and the replay position in seconds since the trace's start" "$s"

	# the default order leads to the problem: removed while referenced first,
	# the longest held at the top, HELD filled for every removed ei
	r=$(ei_rows <<<"$s")
	sed -n 1p <<<"$r" | grep -qE "^ !instances/#[0-9]+/events/$held_name +0 released +[0-9.]+m?s +$held_text\$" &&
		! grep -vqE '^ ![^ ]+ +0 released +[0-9.]+m?s +[0-9.]+m?s$' <<<"$r" && grep -qF "sort: attention" <<<"$s"
	ok $? "$size: sorted by attention, the ei removed while referenced held longest ($held_name, $held_text) on top, HELD filled" "$r"

	# colour for the states and the anomaly kinds
	e=$(tmux capture-pane -e -p -t "$sess2")
	grep -qE $'\e\\[31m!' <<<"$e" && grep -qE $'\e\\[31mei_removed_referenced' <<<"$e" &&
		grep -qE $'\e\\[33mdup_ino' <<<"$e" && grep -qE $'\e\\[31m[0-9]+ removed while referenced' <<<"$e"
	ok $? "$size: colour: removed-while-referenced eis and counts red, anomaly kinds coloured" "$(cat -v <<<"$e" | head -20)"

	# the cursor: Tab to the eventfs panel, j j puts it on the third row,
	# k back on the second; Enter opens the row under it
	keys2 Tab j j
	r=$(ei_rows <<<"$(screen2)")
	sed -n 3p <<<"$r" | grep -q "^>!" && [ "$(grep -c '^>' <<<"$r")" = 1 ]
	ok $? "$size: Tab, j j: the cursor (>) on the eventfs panel's third row" "$r"
	keys2 k
	row=$(ei_rows <<<"$(screen2)" | sed -n 2p)
	grep -q "^>!" <<<"$row"; ok $? "$size: k: the cursor back on the second row" "$row"
	path=$(awk '{print substr($1, 3)}' <<<"$row")
	keys2 Enter
	s=$(screen2)
	d=$(sed -n 3p <<<"$s" | awk '{print $1}')
	# the row shows the path's tail after "…" when it is too long for the column
	case "$path" in
	*…*) [[ "$d" == "${path%%…*}"* && "$d" == *"${path#*…}" ]] ;;
	*) [ "$d" = "$path" ] ;;
	esac && grep -qF "refcount history" <<<"$s"
	ok $? "$size: Enter opens the row under the cursor ($path), not the first" "$s"
	keys2 Enter
	# Enter on an anomaly opens the ei it is about
	keys2 Tab Tab g j Enter
	s=$(screen2)
	grep -qF "events/kprobes/sched  ei " <<<"$s" && grep -qF "refcount history" <<<"$s"
	ok $? "$size: on the anomalies, g j Enter: the second newest's ei (events/kprobes/sched)" "$s"
	keys2 Enter

	# the filter applies to the anomalies too
	keys2 / k p r o b e s Enter
	s=$(screen2)
	a=$(an_rows <<<"$s")
	[ -n "$a" ] && ! grep -vqF kprobes <<<"$a" && ! grep -qF dup_ino <<<"$s"
	ok $? "$size: /kprobes: only the anomalies that match" "$s"
	keys2 Escape
	# G: the last ei; k k back up: the panel stays, the cursor moves in it
	keys2 Tab Tab G
	keys2 k k
	r=$(ei_rows <<<"$(screen2)")
	[ "$(tail -n 3 <<<"$r" | head -n 1 | cut -c1)" = ">" ] && [ "$(grep -c '^>' <<<"$r")" = 1 ]
	ok $? "$size: G k k: the cursor two rows above the panel's last, the panel not dragged" "$r"
	keys2 g
	# one event directory in three instances, three paths; the top level's own
	keys2 / s c h e d / s c h e d _ s w i t c h Enter
	r=$(ei_rows <<<"$(screen2)")
	n=$(grep -oE "instances/#[0-9]+/(events/sched|…)/sched_switch" <<<"$r" | sort -u | wc -l)
	[ "$n" = 3 ] && [ "$(grep -c . <<<"$r")" = 3 ]
	ok $? "$size: /sched/sched_switch: one row per instance, each with its own path" "$r"
	keys2 Escape / k p r o b e s / s c h e d Enter
	r=$(ei_rows <<<"$(screen2)")
	grep -qE "^[ >]!events/kprobes/sched " <<<"$r"
	ok $? "$size: the top-level kprobe event's path: events/kprobes/sched" "$r"
	keys2 Escape

	# a window that ends while kprobes/sched is removed and still held:
	# the live ones that need attention come before every released one
	open2 "$w" "$h" TERM=xterm-256color --to 2.8187
	r=$(ei_rows <<<"$(screen2)")
	sed -n 1p <<<"$r" | grep -qE "^ !events/kprobes/sched +7 removed +[0-9.]+m?s +20ms$" &&
		sed -n 2p <<<"$r" | grep -qE "^ !events/kprobes +1 removed +[0-9.]+m?s +20ms$"
	ok $? "$size: --to 2.8187: removed and still referenced first, the longest held on top" "$r"

	# NO_COLOR, and a terminal without colour: no colour, the states still marked
	for env in "NO_COLOR=1 TERM=xterm-256color" "TERM=vt100"; do
		open2 "$w" "$h" "$env"
		e=$(tmux capture-pane -e -p -t "$sess2")
		! grep -qE "$esc_colour" <<<"$e" && ei_rows <<<"$(screen2)" | sed -n 1p | grep -q "^ !"
		ok $? "$size: $env: no colour, removed-while-referenced rows still marked (!)" "$(cat -v <<<"$e" | head -20)"
	done
done
# -T: the anomalies at their time of day in UTC (the recording's wall clock, not now's)
open2 80 24 TERM=xterm-256color -T
a=$(an_rows <<<"$(screen2)")
[ -n "$a" ] && ! grep -vqE '^[ >] 23:40:2[0-9]\.[0-9]{3} [a-z_]+: ' <<<"$a" &&
	grep -qE '^[ >] 23:40:24\.696 ei_removed_referenced: ei events/kprobes ' <<<"$a"
ok $? "80x24: -T: anomaly times of day, UTC, from the recording's wall clock" "$(screen2)"
tmux kill-session -t "$sess2" 2>/dev/null

# States the fixture ends without: a recording made here (the real writer)
# with an ei removed while referenced and one removed at refcount 0, both
# not released 3.4 s later (--release-timeout 1), and 5 events lost.
gen=$(mktemp -d)
trap 'tmux kill-session -t "$sess" 2>/dev/null; [ -n "$sess2" ] && tmux kill-session -t "$sess2" 2>/dev/null; rm -rf "$gen"' EXIT
cat >"$gen/mkstates.c" <<'EOF'
#include <stdio.h>
#include <string.h>

#include "file/tracefile.h"
#include "mkrec.h"

#define S	1000000000ull

static struct mount_ent ents[] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
};

static const struct tf_meta meta = {
	.evtrace_version = "0.1", .kernel_release = "6.12", .machine = "x86_64", .ncpus = 1,
	.start_ns = S, .start_realtime_ns = 1700000000ull * S, .probes = "release_ei=fentry",
	.filters = "", .mounts = { ents, 1 },
};

static struct et_rec ev(int type, uint64_t ts, uint64_t ei, uint64_t aux, int64_t value,
			const char *name)
{
	struct et_rec r = { .type = type, .ts_ns = ts, .pid = 7, .tid = 7, .dev_minor = 13,
			    .obj_id = ei, .aux_id = aux, .value = value };

	snprintf(r.comm, sizeof(r.comm), "sh");
	snprintf(r.fs, sizeof(r.fs), "tracefs");
	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

int main(int argc, char **argv)
{
	struct tf_trailer tr = { .end_ns = 4 * S, .end_realtime_ns = 1700000003ull * S };
	struct et_rec r[32];
	int n = 0;

	if (argc != 2)
		return 2;
	/* under the top-level events dir (0xe0, never seen) */
	r[n++] = ev(ET_EI_CREATE, S + 1, 0xa1, 0xe0, 1, "kprobes");
	r[n++] = ev(ET_EI_CREATE, S + 2, 0xa2, 0xa1, 1, "sched");
	r[n++] = ev(ET_EI_CREATE, S + 3, 0xa3, 0xe0, 1, "irq");
	r[n++] = ev(ET_EI_GET, S + S / 10, 0xa2, 0xd1, 2, "sched");
	r[n++] = ev(ET_EI_REMOVE, S + S / 10 + 1, 0xa2, 0, 2, "sched");
	r[n++] = ev(ET_EI_REMOVE, S + S / 10 + 2, 0xa3, 0, 1, "irq");
	r[n] = ev(ET_LOST, 2 * S, 0, 0, 5, "ring");
	r[n].pid = r[n].tid = 0;
	r[n].comm[0] = r[n].fs[0] = 0;
	n++;
	/* the clock goes on: the timeout check runs once a second */
	for (int i = 0; i < 6; i++) {
		r[n] = ev(ET_INO_ALLOC, S + S / 2 * (i + 2), 0, 0, 0, "");
		r[n].ino = 100 + i;
		snprintf(r[n++].caller, sizeof(r[0].caller), "get_next_ino");
	}
	return write_recording(argv[1], &meta, &tr, r, n);
}
EOF
cc -O1 -Isrc -Iinclude -Itests/host "$gen/mkstates.c" src/file/writer.c src/file/codec.c \
	src/event/schema.c src/lib/mounts.c src/lib/json.c src/lib/line.c src/lib/cgroups.c \
	-lzstd -lz -lpthread -o "$gen/mkstates" 2>"$gen/cc.err" && "$gen/mkstates" "$gen/states.evt"
ok $? "a recording with the states the fixture ends without" "$(cat "$gen/cc.err")"
for size in 80x24 130x40; do
	w=${size%x*} h=${size#*x}
	fixture=$gen/states.evt open2 "$w" "$h" TERM=xterm-256color --release-timeout 1
	s=$(screen2)
	r=$(ei_rows <<<"$s")
	sed -n 1p <<<"$r" | grep -qE "^ !events/kprobes/sched +1 not released +[0-9.]+s +3\.[0-9]s$" &&
		sed -n 2p <<<"$r" | grep -qE "^  events/irq +0 not released +[0-9.]+s +3\.[0-9]s$" &&
		sed -n 3p <<<"$r" | grep -qE "^  events/kprobes +1 live " &&
		sed -n 1p <<<"$s" | grep -qF "lost 5 (ring 5)" && grep -qF "ei_not_released" <<<"$s"
	ok $? "$size: removed and held, then removed and not released past the timeout, then live; the loss in the header" "$s"
	e=$(tmux capture-pane -e -p -t "$sess2")
	grep -qE $'\e\\[31mlost 5' <<<"$e" && grep -qE $'\e\\[35mevents/irq' <<<"$e" &&
		grep -qE $'\e\\[35mei_not_released' <<<"$e"
	ok $? "$size: colour: the loss red, not released magenta" "$(cat -v <<<"$e" | head -12)"
	fixture=$gen/states.evt open2 "$w" "$h" "NO_COLOR=1 TERM=xterm-256color" --release-timeout 1
	e=$(tmux capture-pane -e -p -t "$sess2")
	! grep -qE "$esc_colour" <<<"$e" && grep -qF "lost 5 (ring 5)" <<<"$e" &&
		ei_rows <<<"$(screen2)" | sed -n 2p | grep -qE "^  events/irq +0 not released "
	ok $? "$size: NO_COLOR=1: no colour for the loss or the states, their text still there" "$(cat -v <<<"$e" | head -12)"
done
tmux kill-session -t "$sess2" 2>/dev/null

# ---- issue 15: the inode numbers per cgroup (--by cgroup, the b key) ----
#
# A recording made here with the real writer: META names two cgroups, a
# CGROUPS section (format 1.3) names a container's made during the run,
# and one id is named nowhere.  Allocations: the container 8, foo.service
# 5, the session scope 3, the unnamed one 2.
cat >"$gen/mkcg.c" <<'EOF'
#include <stdio.h>
#include <string.h>

#include "file/tracefile.h"
#include "lib/cgroups.h"
#include "mkrec.h"

#define S	1000000000ull
#define HEX64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static struct mount_ent ents[] = {
	{ .dev = ET_MKDEV(0u, 13u), .fstype = "tracefs", .path = "/sys/kernel/tracing" },
};

int main(int argc, char **argv)
{
	struct tf_meta meta = {
		.evtrace_version = "0.1", .kernel_release = "6.12", .machine = "x86_64",
		.ncpus = 1, .start_ns = S, .start_realtime_ns = 1700000000ull * S,
		.probes = "get_next_ino=fentry", .filters = "", .mounts = { ents, 1 },
	};
	struct tf_trailer tr = { .end_ns = 4 * S, .end_realtime_ns = 1700000003ull * S };
	struct cgroups *cg = cgroups_new(NULL, 0), *late = cgroups_new(NULL, 0);
	/* before the section: 5, 3, then after it 8 and 2 */
	static const struct { uint64_t cg; const char *comm; int n; } runs[] = {
		{ 100, "foo", 5 }, { 200, "sh", 3 }, { 300, "nginx", 8 }, { 400, "gone", 2 },
	};
	struct et_rec r[32];
	int n = 0, split = 0;

	if (argc != 2 || !cg || !late || cgroups_add(cg, 1, "/") ||
	    cgroups_add(cg, 100, "/system.slice/foo.service") ||
	    cgroups_add(cg, 200, "/user.slice/user-1000.slice/session-2.scope") ||
	    cgroups_add(late, 300, "/system.slice/docker-" HEX64 ".scope"))
		return 2;
	meta.cgroups = cg;
	for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
		if (runs[k].cg == 300)
			split = n;
		for (int i = 0; i < runs[k].n; i++, n++) {
			memset(&r[n], 0, sizeof(r[n]));
			r[n].type = ET_INO_ALLOC;
			r[n].ts_ns = S + n * (S / 8);
			r[n].pid = r[n].tid = 7 + k;
			r[n].dev_minor = 13;
			r[n].ino = 100 + n;
			r[n].cgroup_id = runs[k].cg;
			snprintf(r[n].comm, sizeof(r[n].comm), "%s", runs[k].comm);
			snprintf(r[n].fs, sizeof(r[n].fs), "tracefs");
			snprintf(r[n].caller, sizeof(r[n].caller), "eventfs_get_inode");
		}
	}
	return write_recording_late(argv[1], &meta, &tr, r, n, split, late);
}
EOF
cc -O1 -Isrc -Iinclude -Itests/host "$gen/mkcg.c" src/file/writer.c src/file/codec.c \
	src/event/schema.c src/lib/mounts.c src/lib/json.c src/lib/line.c src/lib/cgroups.c \
	-lzstd -lz -lpthread -o "$gen/mkcg" 2>"$gen/cc.err" && "$gen/mkcg" "$gen/cg.evt"
ok $? "a recording with cgroups named at its start and one made during it" "$(cat "$gen/cc.err")"

# the inode panel's rows: after its title, to the blank line
ino_rows() { sed -n '/^INODE NUMBERS/,/^$/p' | sed '1d;/^$/d'; }
for size in 80x24 130x40; do
	w=${size%x*} h=${size#*x}
	fixture=$gen/cg.evt open2 "$w" "$h" TERM=xterm-256color --by cgroup
	s=$(screen2)
	r=$(ino_rows <<<"$s")
	sed -n 1p <<<"$r" | grep -qE "^> cgroup = docker:0123456789ab +[0-9.]+/s +8( |\$)" &&
		sed -n 2p <<<"$r" | grep -qE "^  cgroup = /system\.slice/foo\.service +[0-9.]+/s +5( |\$)" &&
		sed -n 3p <<<"$r" | grep -qE "^  cgroup = (/user\.slice/user-1000\.slice|…)[a-z0-9./-]*/session-2\.scope +[0-9.]+/s +3( |\$)" &&
		sed -n 4p <<<"$r" | grep -qE "^  cgroup = cgroup:400 +[0-9.]+/s +2( |\$)" &&
		[ "$(grep -c . <<<"$r")" = 4 ] && grep -qF "INODE NUMBERS  18 allocated" <<<"$s"
	ok $? "$size: --by cgroup: a row per cgroup, the container made during the recording by its id, its path's otherwise, an unnamed one as cgroup:ID" "$s"
	# the columns aligned whatever the name's length ("…" is one column, three bytes)
	at=$(sed 's/…/./g' <<<"$r" | awk '{print index($0, "/s ")}' | sort -u)
	[ "$(grep -c . <<<"$r")" = 4 ] && [ "$(wc -l <<<"$at")" = 1 ] && [ "$at" -gt 0 ]
	ok $? "$size: --by cgroup: the rate column aligned on every row" "$r"
	grep -qF "b group" <<<"$(sed -n "${h}p" <<<"$s")"; ok $? "$size: the footer shows b group" "$s"
	# Enter on the container: its kind, name and the path of its scope
	keys2 Enter
	s=$(screen2)
	grep -qF "cgroup = docker:0123456789ab" <<<"$s" &&
		grep -qE "^  /system\.slice/docker-0123456789abcdef" <<<"$s" &&
		grep -qF "8 inode numbers allocated" <<<"$s"
	ok $? "$size: Enter on the container's row: its scope's path and its allocations" "$s"
	keys2 Enter

	# b cycles the grouping from the default mount: fs, caller, comm, cgroup, mount
	fixture=$gen/cg.evt open2 "$w" "$h" TERM=xterm-256color
	r=$(ino_rows <<<"$(screen2)")
	grep -qE "^> mount = /sys/kernel/tracing +[0-9.]+/s +18( |\$)" <<<"$r"; ok $? "$size: by default, by mount" "$r"
	want=("fs = tracefs +[0-9.]+/s +18" "caller = eventfs_get_inode +[0-9.]+/s +18"
	      "comm = nginx +[0-9.]+/s +8" "cgroup = docker:0123456789ab +[0-9.]+/s +8"
	      "mount = /sys/kernel/tracing")
	for kind in "${want[@]}"; do
		keys2 b
		r=$(ino_rows <<<"$(screen2)")
		sed -n 1p <<<"$r" | grep -qE "^> $kind"
		ok $? "$size: b: the inode numbers by ${kind%% =*}" "$r"
	done
	keys2 '?'
	grep -qF "b        cycle the inode numbers' groups: mount, fs, caller, comm," <<<"$(screen2)"
	ok $? "$size: the help says what b does" "$(screen2)"
	keys2 x
done
tmux kill-session -t "$sess2" 2>/dev/null

# --ei and --path (issue 16): the eventfs panel holds the selection's eis
# only, the anomalies theirs; the header says what was selected
open2 130 40 TERM=xterm-256color --path "'instances/#3/*'"
s=$(screen2)
r=$(ei_rows <<<"$s")
[ -n "$r" ] && ! grep -qvE '^[ >][ !]instances/#3/' <<<"$r" && grep -qF -- "--path 'instances/#3/*'" <<<"$s" &&
	! an_rows <<<"$s" | grep -qE "ei instances/#[12]|ei events/|dup_ino"
ok $? "live --path 'instances/#3/*': only instance 3's eis and their anomalies, the selection in the header" "$s"
open2 130 40 TERM=xterm-256color --ei f1e766af2080a4de
s=$(screen2)
r=$(ei_rows <<<"$s")
[ "$(wc -l <<<"$r")" = 1 ] && grep -qE '^[ >][ !]instances/#1/events/sched/sched_switch +0 released' <<<"$r"
ok $? "live --ei ID: that one ei's row" "$s"
tmux kill-session -t "$sess2" 2>/dev/null

# live - (issue 16): the recording on standard input, the keys from the
# terminal (/dev/tty, as less reads them): the same screen, p pauses, q quits
sess3=evtrace-live-stdin-$$
tmux new-session -d -s "$sess3" -x 130 -y 40 \
	"cat $fixture | TERM=xterm-256color $bin live - --max -i 0.1; echo EXITED \$?; sleep 60"
for _ in $(seq 100); do
	tmux capture-pane -p -t "$sess3" | grep -qF "[END OF FILE]" && break
	sleep 0.1
done
s=$(tmux capture-pane -p -t "$sess3")
grep -qF "[END OF FILE]" <<<"$s" && grep -qF "standard input" <<<"$s" &&
	grep -qF "INODE NUMBERS  $inos allocated" <<<"$s" && grep -qF "EVENTFS_INODES  $eis tracked" <<<"$s"
ok $? "cat FILE | live -: the fixture's screen to its end, the header naming standard input" "$s"
tmux send-keys -t "$sess3" s; sleep 0.5
grep -qF "sort: refcount" <<<"$(tmux capture-pane -p -t "$sess3")"
ok $? "live -: keys come from the terminal (s sorts)" "$(tmux capture-pane -p -t "$sess3")"
tmux send-keys -t "$sess3" q
for _ in $(seq 50); do
	tmux capture-pane -p -t "$sess3" | grep -qF "EXITED 0" && break
	sleep 0.1
done
tmux capture-pane -p -S -300 -t "$sess3" | grep -qF "summary: 18637 events" &&
	tmux capture-pane -p -t "$sess3" | grep -qF "EXITED 0"
ok $? "live -: q quits with status 0 and the summary" "$(tmux capture-pane -p -t "$sess3")"
tmux kill-session -t "$sess3" 2>/dev/null

echo "live: $pass passed, $fail failed"
[ $fail -eq 0 ]
