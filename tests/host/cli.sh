#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The real binary on this host: usage errors and environment failures each
# exit 2 with exactly one line on stderr.  On the build machines the kernel
# refuses tracing programs and has no kprobes, so "nothing can attach" is
# tested here for real; on a kernel that can attach it is skipped, saying so.
set -u
cd "$(dirname "$0")/../.."
bin=${EVTRACE:-./evtrace}
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME RC PATTERN CMD...: exit status RC, one stderr line matching PATTERN
expect() {
	local name=$1 want=$2 pat=$3 rc lines
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" = "$want" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$pat" "$tmp/err"; then
		echo "ok - $name"
		pass=$((pass + 1))
	else
		echo "not ok - $name: rc=$rc (want $want), stderr:"
		sed 's/^/#   /' "$tmp/err"
		fail=$((fail + 1))
	fi
}

expect "unknown command" 2 "^evtrace: unknown command 'frobnicate'" $bin frobnicate
expect "unknown option" 2 "^evtrace: events: unknown option '--frobnicate' \\(try 'evtrace events --help'\\)" $bin events --frobnicate
expect "option without value" 2 "^evtrace: events: option '--duration' needs a value" $bin events --duration
expect "bad --duration" 2 "^evtrace: invalid --duration 'soon'" $bin events --duration soon
expect "negative --duration" 2 "^evtrace: invalid --duration '-1'" $bin events --duration -1
expect "bad --attach" 2 "^evtrace: invalid --attach 'uprobe'" $bin events --attach uprobe
expect "bad pid" 2 "^evtrace: invalid pid '12x'" $bin events -p 12x
expect "comm too long" 2 "^evtrace: invalid comm" $bin events -c 0123456789abcdef
expect "bad --dev" 2 "^evtrace: invalid device '8'" $bin events --dev 8
expect "bad --mount" 2 "^evtrace: cannot use mount '/nonexistent': No such file" $bin events --mount /nonexistent
expect "bad --bufsize" 2 "^evtrace: invalid --bufsize '1000'" $bin events --bufsize 1000
expect "--max-objects 0" 2 "^evtrace: invalid --max-objects '0': expected 1 to 16777216$" \
	$bin events --max-objects 0
expect "--max-objects past 2^24" 2 "^evtrace: invalid --max-objects '16777217': expected 1 to 16777216$" \
	$bin hist --max-objects 16777217
expect "--max-objects not a number" 2 "^evtrace: invalid --max-objects '1M'" \
	$bin record -o "$tmp/x.evt" --max-objects 1M
expect "--max-objects without a value" 2 "^evtrace: live: option '--max-objects' needs a value" \
	$bin live --max-objects
expect "--max-objects: info takes none" 2 "^evtrace: info: unknown option '--max-objects'" \
	$bin info --max-objects 5 x.evt
expect "stray argument" 2 "unexpected argument 'extra'" $bin events a.evt extra
expect "missing trace file" 2 "^evtrace: cannot read trace file '/nonexistent.evt': No such file" $bin events /nonexistent.evt
expect "not a trace file" 2 "^evtrace: cannot read trace file '/etc/passwd': not an evtrace file" $bin hist /etc/passwd
expect "empty trace file" 2 "^evtrace: cannot read trace file '/dev/null': empty file" $bin replay /dev/null
expect "live on a missing file" 2 "^evtrace: cannot read trace file '/nonexistent.evt'" $bin live /nonexistent.evt
expect "bad --interval" 2 "^evtrace: invalid --interval 'x'" $bin live --interval x
expect "live: bad --by" 2 "^evtrace: invalid --by 'container': expected mount, fs, caller, comm or cgroup$" \
	$bin live --by container
expect "live: --by without a value" 2 "^evtrace: live: option '--by' needs a value \\(try 'evtrace live --help'\\)$" \
	$bin live --by
expect "replay --view live: bad --by" 2 "^evtrace: invalid --by 'pod': expected mount, fs, caller, comm or cgroup$" \
	$bin replay tests/fixtures/seed-6.12.evt --view live --by pod
expect "default command: bad --by" 2 "^evtrace: invalid --by 'x': expected mount, fs, caller, comm or cgroup$" \
	$bin --by x
expect "replay without FILE" 2 "^evtrace: replay: FILE is required" $bin replay --view events
expect "replay bad view" 2 "^evtrace: replay: invalid --view 'top'" $bin replay x.evt --view top
expect "replay: --from after --to" 2 "^evtrace: empty window: --from 5 is not before --to 3$" $bin replay x.evt --from 5 --to 3
expect "replay: --to before --from" 2 "^evtrace: empty window: --from 3 is not before --to 3$" $bin hist x.evt --to 3 --from 3
expect "replay: --to 0" 2 "^evtrace: invalid --to '0': expected seconds > 0" $bin replay x.evt --to 0
expect "replay: --speed 0" 2 "^evtrace: invalid --speed '0': expected a factor > 0" $bin replay x.evt --speed 0
expect "record without -o" 2 "^evtrace: record: -o FILE is required" $bin record
expect "record to unwritable path" 2 "^evtrace: cannot write /nonexistent/x.evt: No such file" $bin record -o /nonexistent/x.evt
expect "record --max-size with ring" 2 "do not mix" $bin record -o /tmp/x.evt --max-size 1M --ring 5
expect "record bad --max-size" 2 "^evtrace: invalid --max-size '1X'" $bin record -o /tmp/x.evt --max-size 1X
expect "record --dump-on unknown kind" 2 "^evtrace: --dump-on: no anomaly 'bogus': one of dup_ino, .*ei_not_released.*ino-rate>N$" $bin record -o /tmp/x.evt --ring 5 --dump-on ei_not_released,bogus
expect "record --dump-on bad rate" 2 "^evtrace: --dump-on ino-rate>0: expected ino-rate>N" $bin record -o /tmp/x.evt --ring 5 --dump-on 'ino-rate>0'
expect "record --dump-on without a ring" 2 "^evtrace: --dump-on writes the ring: with --ring SEC or --ring-size BYTES$" $bin record -o /tmp/x.evt --dump-on dup_ino
expect "export without --format" 2 "^evtrace: export: --format and -o OUT are required" $bin export a.evt
expect "export bad format" 2 "^evtrace: invalid --format 'svg'" $bin export a.evt --format svg -o x
expect "-o on a replay" 2 "records a live run" $bin hist -o /tmp/y.evt /etc/passwd
expect "-o on a live replay" 2 "^evtrace: -o FILE records a live run" $bin live -o /tmp/y.evt tests/fixtures/seed-6.12.evt
expect "live -o to unwritable path" 2 "^evtrace: cannot write /nonexistent/x.evt" $bin live -o /nonexistent/x.evt
expect "info without FILE" 2 "^evtrace: info: FILE is required" $bin info
expect "info on a non-trace file" 2 "^evtrace: cannot read trace file '/etc/passwd': not an evtrace file" $bin info /etc/passwd
expect "info with two files" 2 "^evtrace: info: unexpected argument 'b'" $bin info a b

expect "export without FILE names export" 2 "^evtrace: export: FILE is required \\(try 'evtrace export --help'\\)$" \
	$bin export --format csv -o "$tmp/x.csv"
expect "bad --type" 2 "^evtrace: invalid --type 'ino': expected event types" $bin events --type ei_get,ino
expect "--type lost is no type to select" 2 "^evtrace: invalid --type 'lost'" $bin hist --type lost
expect "--cgroup on a missing path" 2 "^evtrace: cannot use cgroup '/nonexistent': No such file" \
	$bin events --cgroup /nonexistent
expect "--cgroup on a plain directory" 2 "^evtrace: cannot use cgroup '/tmp': not a cgroup v2 directory" \
	$bin events --cgroup /tmp
expect "probes takes no operand" 2 "^evtrace: probes: unexpected argument 'x'" $bin probes x
expect "export takes no tracing option" 2 "^evtrace: export: unknown option '--attach'" \
	$bin export a.evt --attach kprobe -f csv -o -
expect "replay: a bad value in the view's option" 2 "^evtrace: invalid --linear '0': expected a step > 0" \
	$bin replay x.evt --linear 0

# claim NAME STATUS [DETAIL-FILE]: a check that is not an error message
claim() {
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "not ok - $1"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | head -n 30
		fail=$((fail + 1))
	fi
}

# info: what a file holds, against what replay reads from the same file
fx=tests/fixtures/seed-6.12.evt
n=$($bin events --json $fx 2>/dev/null | grep -vc '"type":"lost"')
$bin info --json $fx >"$tmp/info.json" 2>"$tmp/err"
rc=$?
python3 - "$tmp/info.json" "$n" >"$tmp/why" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["events"] == n and sum(d["by_type"].values()) == n, (d["events"], n)
assert d["kernel_release"].startswith("6.12.") and d["machine"] == "x86_64", d
assert d["clean_close"] and d["bad_chunks"] == 0 and d["truncated_at"] == 0, d
# lists are arrays of objects (issue 16): the probes one per object, with its mechanism
assert [p["mechanism"] for p in d["probes"]] == ["fentry"] * 12 and d["missing_probes"] == [], d["probes"]
assert {"get_next_ino", "eventfs_root_lookup", "release_ei"} <= {p["probe"] for p in d["probes"]}, d
assert any(m["path"] == "/sys/kernel/tracing" and m["fstype"] == "tracefs" for m in d["mounts"])
assert d["last_event_ns"] <= d["end_ns"] and d["duration_s"] > 0, d
PY
claim "info --json: $n events by type as replay reads them, kernel, probes, mounts, whole" \
	$((rc + $?)) "$tmp/why"
# a window with nothing in it is no error, and says where the events are
$bin replay $fx --from 100 --view events >"$tmp/out" 2>"$tmp/err"
claim "replay: a window past the recording says where its events are" \
	$(($? + $(grep -cxF "evtrace: $fx: no event in the --from/--to window; the recording's events run from 0.000 s to 5.418 s into it" "$tmp/err") != 1 + $(wc -c <"$tmp/out"))) \
	"$tmp/err"
head -c 170000 $fx >"$tmp/cut.evt"
$bin info "$tmp/cut.evt" >"$tmp/out" 2>&1
claim "info on a cut file: says where it stops and what is readable" \
	$(($? + $(grep -cE '^integrity: +truncated at byte [0-9]+, the last [0-9]+ bytes cut, of a chunk of [0-9]+ events; the [0-9]+ events above are readable$' "$tmp/out") != 1)) \
	"$tmp/out"

# a trailer that counts objects without a generation (the kernel's table
# was full): every reader of the file says their ids may repeat
python3 - $fx "$tmp/nogen.evt" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
off, last = struct.unpack_from("<I", b, 12)[0], None
while off + 40 <= len(b):
    stored = struct.unpack_from("<I", b, off + 8)[0]
    if struct.unpack_from("<H", b, off + 4)[0] == 4:
        last = off
    off += 40 + stored
text = b[last + 40:].rstrip(b"\0") + b"no_generation 77\n"
head = bytearray(b[last:last + 40])
struct.pack_into("<III", head, 8, len(text), len(text), zlib.crc32(text))
open(sys.argv[2], "wb").write(b[:last] + head + text)
PY
for c in "hist" "events" "replay --view summary"; do
	# shellcheck disable=SC2086
	$bin $c "$tmp/nogen.evt" >/dev/null 2>"$tmp/err"
	claim "$c FILE: says 77 objects got no generation, ids may repeat" \
		$(($? + $(grep -cxF "evtrace: $tmp/nogen.evt: 77 objects got no generation when it was recorded (table full): their ids may repeat" "$tmp/err") != 1)) \
		"$tmp/err"
done
$bin info "$tmp/nogen.evt" >"$tmp/out" 2>&1
claim "info FILE: ids may repeat" \
	$(($? + $(grep -c "^ids: *77 objects got no generation (the kernel's table was full): their ids may repeat$" "$tmp/out") != 1)) \
	"$tmp/out"
$bin info --json "$tmp/nogen.evt" >"$tmp/out" 2>&1 &&
	python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])).get("no_generation") != 77)' "$tmp/out"
claim "info --json FILE: no_generation 77" $? "$tmp/out"
$bin hist $fx >/dev/null 2>"$tmp/err"
claim "hist FILE without the count: nothing said of ids" $(grep -c "no generation" "$tmp/err") "$tmp/err"

# global options: before or after the command, and alone
v=$($bin --version 2>"$tmp/err"); rc=$?
claim "--version prints the version" $((rc + $(echo "$v" | grep -cxE 'evtrace [0-9]+\.[0-9]+\.[0-9]+') != 1))
for args in "-V" "version" "probes -V" "hist -V" "export --version" "-v -V"; do
	out=$($bin $args 2>&1); rc=$?
	claim "evtrace $args: the version, status 0" $((rc + $([ "$out" = "$v" ]; echo $?)))
done
# -v before the command is the command's -v: probes runs (and says why nothing attached here)
$bin -v probes >"$tmp/out" 2>"$tmp/err"; rc=$?
claim "evtrace -v probes runs probes" $(( $(grep -c '^PROBE ' "$tmp/out") != 1 || $(grep -c "cannot read trace file" "$tmp/err") != 0 )) "$tmp/err"
$bin -vv events --json $fx >"$tmp/out" 2>/dev/null
claim "evtrace -vv events FILE reads the file" $(( $? != 0 || $(wc -l <"$tmp/out") < 1000 ))
# each command's --help lists only what applies to it
for c in export info probes; do
	$bin $c --help >"$tmp/out"
	claim "$c --help lists no option it does not take" \
		$(grep -cE -- '^ +(-., )?--(attach|bufsize|include-self|speed|max-inodes|max-objects|duration)\b' "$tmp/out" | \
		  awk -v c=$c '{ print (c == "probes" ? $1 != 1 : $1 != 0) }') "$tmp/out"
done
for c in events hist record live; do
	$bin $c --help >"$tmp/out"
	claim "$c --help lists the tracing options" \
		$(( $(grep -cE -- '^ +(-p, )?--(pid|attach|bufsize|include-self|max-inodes|max-objects)\b' "$tmp/out") != 6 )) "$tmp/out"
done

for cmd in events probes help info; do
	if $bin $cmd --help 2>&1 | grep -q '^usage: evtrace'; then
		echo "ok - $cmd --help prints usage"; pass=$((pass + 1))
	else
		echo "not ok - $cmd --help prints usage"; fail=$((fail + 1))
	fi
done

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	expect "not root: exit 2, says so" 2 "^evtrace: need root or CAP_BPF" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $bin events
	expect "not root: probes too" 2 "^evtrace: need root or CAP_BPF" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $bin probes
else
	echo "SKIPPED - not root: this test drops root with setpriv and needs to start as root"
	skip=$((skip + 1))
fi

# Does this kernel let anything attach?  (probes exits 0 iff something did)
if [ "$(id -u)" -eq 0 ] && ! $bin probes >/dev/null 2>&1; then
	expect "nothing attachable: events exits 2 with the reason" 2 \
		"^evtrace: no probe can attach: this kernel refuses BPF tracing programs .* and has no kprobes" $bin events
	expect "nothing attachable: bare evtrace too" 2 "^evtrace: no probe can attach" $bin
	for c in events hist live "record -o $tmp/mo.evt"; do
		# shellcheck disable=SC2086
		expect "$c --max-objects 4096: parsed, then nothing attachable" 2 \
			"^evtrace: no probe can attach" $bin $c --max-objects 4096
	done
	expect "nothing attachable: --attach kprobe names kprobes" 2 "kernel has no kprobes" \
		$bin events --attach kprobe
	$bin probes >"$tmp/out" 2>/dev/null
	if [ "$(grep -c ' missing ' "$tmp/out")" = 12 ]; then
		echo "ok - probes: the table lists all 12 probes as missing, with reasons"
		pass=$((pass + 1))
	else
		echo "not ok - probes table:"; sed 's/^/#   /' "$tmp/out"
		fail=$((fail + 1))
	fi
else
	echo "SKIPPED - nothing-attachable path: this kernel can attach probes (or we are not root)"
	skip=$((skip + 1))
fi

# Standard output must arrive: a full device is an error (status 1, said
# once); a reader that went away (| head) is a quiet end (status 0).
fx=tests/fixtures/seed-6.12.evt
for c in "hist" "hist --json" "info" "info --json" "events" "events --json" "replay --view summary"; do
	# shellcheck disable=SC2086
	$bin $c $fx >/dev/full 2>"$tmp/err"
	rc=$?
	# with --json the error is JSON too, the last line of stderr (events' summary before it)
	case $c in
	*--json*) said=$(tail -n 1 "$tmp/err" | python3 -c 'import json, sys; d = json.load(sys.stdin)
print("ok" if d == {"error": "cannot write standard output: No space left on device", "status": 1} else d)' 2>&1) ;;
	*) said=$(grep -q "^evtrace: cannot write standard output: No space left on device$" "$tmp/err" && echo ok) ;;
	esac
	if [ $rc = 1 ] && [ "$said" = ok ] && [ "$(grep -c 'cannot write' "$tmp/err")" = 1 ]; then
		echo "ok - $c > /dev/full: status 1, said once"
		pass=$((pass + 1))
	else
		echo "not ok - $c > /dev/full: rc=$rc"; sed 's/^/#   /' "$tmp/err" | tail -3
		fail=$((fail + 1))
	fi
	# shellcheck disable=SC2086
	( $bin $c $fx 2>"$tmp/err"; echo $? >"$tmp/rc" ) | head -c 10 >/dev/null
	if [ "$(cat "$tmp/rc")" = 0 ] && ! grep -qi "cannot write\|broken pipe" "$tmp/err"; then
		echo "ok - $c | head: a quiet end, status 0"
		pass=$((pass + 1))
	else
		echo "not ok - $c | head: rc=$(cat "$tmp/rc")"; sed 's/^/#   /' "$tmp/err" | tail -3
		fail=$((fail + 1))
	fi
done

# Files: an export is 0600, replaces a symlink instead of writing through
# it, never truncates its own input, and a failed export leaves no file.
cp $fx "$tmp/in.evt"
sum=$(md5sum <"$tmp/in.evt")
$bin export "$tmp/in.evt" -f csv -o "$tmp/in.evt" 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ "$(md5sum <"$tmp/in.evt")" = "$sum" ] && grep -q "is the trace file itself" "$tmp/err"; then
	echo "ok - export -o its own input: refused, the input intact"
	pass=$((pass + 1))
else
	echo "not ok - export -o its own input: rc=$rc, input $(wc -c <"$tmp/in.evt") bytes"
	fail=$((fail + 1))
fi
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link.csv"
$bin export "$tmp/in.evt" -f csv -o "$tmp/link.csv" 2>/dev/null
if [ "$(cat "$tmp/victim")" = precious ] && [ ! -L "$tmp/link.csv" ] &&
   [ "$(stat -c %a "$tmp/link.csv")" = 600 ] && [ -z "$(ls "$tmp" | grep 'link.csv.')" ]; then
	echo "ok - export: a 0600 file replaces a symlink, nothing written through it, no temporary left"
	pass=$((pass + 1))
else
	echo "not ok - export through a symlink: victim '$(cat "$tmp/victim")', $(ls -l "$tmp/link.csv"*)"
	fail=$((fail + 1))
fi
echo before >"$tmp/keep.json"
$bin export /nonexistent.evt -f jsonl -o "$tmp/keep.json" 2>/dev/null
if [ "$(cat "$tmp/keep.json")" = before ] && [ -z "$(ls "$tmp" | grep 'keep.json.')" ]; then
	echo "ok - a failed export leaves the old file as it was, no temporary behind"
	pass=$((pass + 1))
else
	echo "not ok - a failed export changed $tmp/keep.json or left a temporary"
	fail=$((fail + 1))
fi

# SIGUSR1 before a recorder's handler exists waits (it killed the process);
# SIGHUP (a closed terminal) ends the run cleanly, summary and all.
$bin events $fx --speed 0.2 >/dev/null 2>"$tmp/err" &
pid=$!
sleep 0.5
kill -USR1 $pid
sleep 0.3
if kill -0 $pid 2>/dev/null; then
	echo "ok - SIGUSR1 without a recorder: ignored, the run goes on"
	pass=$((pass + 1))
else
	echo "not ok - SIGUSR1 without a recorder killed the run"
	fail=$((fail + 1))
fi
kill -HUP $pid
wait $pid
rc=$?
if [ $rc = 0 ] && grep -q "^summary: " "$tmp/err"; then
	echo "ok - SIGHUP: a clean end, status 0, with the summary"
	pass=$((pass + 1))
else
	echo "not ok - SIGHUP: rc=$rc"; tail -3 "$tmp/err" | sed 's/^/#   /'
	fail=$((fail + 1))
fi

# --- issue 16: output scripts can trust --------------------------------------
# With --json an error is one JSON object on stderr, {"error", "status"}, the
# status the one it exits with, whatever the command and wherever --json is on
# the line; without, one text line as above.
# jexpect NAME RC PATTERN CMD...: status RC, stderr one line, one JSON object
# whose error matches PATTERN and whose status is RC
jexpect() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	python3 - "$tmp/err" "$want" "$pat" >"$tmp/why" 2>&1 <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, "not one line: %r" % text
d = json.loads(text)
assert set(d) == {"error", "status"} and d["status"] == int(sys.argv[2]), d
assert re.search(sys.argv[3], d["error"]), d
PY
	claim "$name (rc=$rc)" $(( $? + (rc != want) )) "$tmp/why"
}
nobpf="no probe can attach|need root|BTF"
jexpect "--json: events' option error" 2 "^events: unknown option '--frobnicate'" $bin events --frobnicate --json
jexpect "--json: hist's bad value, before --json" 2 "^invalid --duration 'soon'" $bin hist --duration soon -j
jexpect "--json: info, a FILE that does not open" 2 "^cannot read trace file '/nonexistent.evt'" $bin info --json /nonexistent.evt
jexpect "--json: info, not a trace file" 2 "not an evtrace file" $bin info /etc/passwd --json
jexpect "--json: info without FILE" 2 "^info: FILE is required" $bin info --json
jexpect "--json: events, a FILE that does not open" 2 "^cannot read trace file" $bin events --json /nonexistent.evt
jexpect "--json: hist, a FILE that does not open" 2 "^cannot read trace file" $bin hist /nonexistent.evt --json
jexpect "--json: replay's bad view" 2 "^replay: invalid --view 'top'" $bin replay x.evt --view top --json
jexpect "--json: replay without FILE" 2 "^replay: FILE is required" $bin replay --json
jexpect "--json: replay --view summary, a bad --limit" 2 "^invalid --limit 'x'" $bin replay $fx --view summary --json --limit x
jexpect "--json: probes, a stray operand" 2 "^probes: unexpected argument" $bin probes x --json
# the live commands where nothing attaches (this host): one object, status 2
if [ "$(id -u)" = 0 ] && ! $bin probes >/dev/null 2>&1; then
	jexpect "--json: events live, nothing attaches" 2 "$nobpf" $bin events --json -d 1
	jexpect "--json: hist live, nothing attaches" 2 "$nobpf" $bin hist --json -d 1
	jexpect "--json: probes, nothing attaches" 2 "$nobpf" $bin probes --json
else
	echo "ok - # SKIP --json where nothing attaches: this host attaches"; skip=$((skip + 1))
fi
# a value that looks like --json is a value: no JSON
expect "--comm -j is a comm, not --json" 2 "^evtrace: events: unknown option '--frobnicate'" \
	$bin events --comm -j --frobnicate
expect "--limit -1: text without --json" 2 "^evtrace: invalid --limit '-1': expected 0 \(all\) to 4294967295$" \
	$bin hist --limit -1 $fx

# Every cut list says how many more (the fixture: 95 eis removed while
# referenced, 109 anomalies, 3 mounts); --limit N cuts at N, 0 shows all.
$bin hist $fx >"$tmp/out" 2>"$tmp/err"
rc=$?
grep -q "^  \.\.\. and 75 more eventfs_inodes removed while referenced (--limit 0 for all)$" "$tmp/out" &&
	grep -q "^  \.\.\. and 99 more anomalies before these (--limit 0 for all)$" "$tmp/out"
claim "hist: the cut lists say how many more (75 eis, 99 anomalies)" $((rc + $?)) "$tmp/out"
$bin hist --limit 0 $fx >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$(grep -c '): removed at ' "$tmp/out")" = 95 ] &&
	[ "$(grep -cE '^  [0-9]+\.[0-9]{6} (ei_removed_referenced|dup_ino): ' "$tmp/out")" = 109 ] &&
	! grep -q '\.\.\. and' "$tmp/out"
claim "hist --limit 0: all 95 removed eis and 109 anomalies, nothing said missing" $((rc + $?)) "$tmp/out"
$bin replay $fx --view summary --limit 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$(grep -c '): removed at ' "$tmp/out")" = 1 ] && grep -q "^  \.\.\. and 2 more mount groups (--limit 0 for all)$" "$tmp/out" &&
	grep -q "^  \.\.\. and 94 more eventfs_inodes removed" "$tmp/out" && grep -q "^  \.\.\. and 108 more anomalies" "$tmp/out"
claim "replay --view summary --limit 1: one of each, the rest counted" $((rc + $?)) "$tmp/out"
$bin live --no-tui --max --limit 1 $fx >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$(grep -c '): removed at ' "$tmp/out")" = 1 ] && grep -q "^  \.\.\. and 94 more eventfs_inodes removed" "$tmp/out"
claim "live --no-tui --limit 1: the end summary cut at 1, saying so" $((rc + $?)) "$tmp/out"
# live --by KEY: the summary after the view groups by it, as hist's does
$bin live --no-tui --max --by comm $fx >"$tmp/out" 2>"$tmp/err"
rc=$?
$bin hist --by comm $fx 2>/dev/null | sed -n '/^inode numbers:/,/^eventfs_inodes:/p' >"$tmp/want"
[ -s "$tmp/want" ] && sed -n '/^inode numbers:/,/^eventfs_inodes:/p' "$tmp/out" | cmp -s - "$tmp/want" &&
	grep -q "^  mkdir  *258 allocated" "$tmp/out"
claim "live --no-tui --by comm: the end summary's groups are hist --by comm's" $((rc + $?)) "$tmp/out"
$bin events $fx --limit 2 >/dev/null 2>"$tmp/err"
rc=$?
[ "$(grep -c '): removed at ' "$tmp/err")" = 2 ] && grep -q "^  \.\.\. and 93 more eventfs_inodes removed" "$tmp/err"
claim "events --limit 2: the summary on stderr cut at 2, saying so" $((rc + $?)) "$tmp/err"
# JSON: everything unless --limit, each list's total beside it
$bin hist --json $fx >"$tmp/a.json" 2>"$tmp/err" && $bin hist --json --limit 5 $fx >"$tmp/b.json" 2>>"$tmp/err"
rc=$?
python3 - "$tmp/a.json" "$tmp/b.json" >"$tmp/why" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["summary"]
b = json.load(open(sys.argv[2]))["summary"]
for s, n in ((a, None), (b, 5)):
	assert s["removed_referenced_total"] == 95 and s["recent_anomalies_total"] == 109, s
	assert s["groups_total"] == 3, s
	assert len(s["removed_referenced"]) == (n or 95), len(s["removed_referenced"])
	assert len(s["recent_anomalies"]) == (n or 109), len(s["recent_anomalies"])
	assert len(s["groups"]) == min(n or 3, 3)
assert b["recent_anomalies"] == a["recent_anomalies"][-5:], "the newest 5"
PY
claim "hist --json: whole lists with their totals; --limit 5 cuts them, totals kept" $((rc + $?)) "$tmp/why"
$bin hist --limit 1 --help | grep -q '^      --limit N ' && $bin serve --help | grep -q '^      --limit N ' &&
	$bin live --help | grep -q '^      --limit N ' && $bin events --help | grep -q '^      --limit N '
claim "--limit in the help of hist, events, live and serve" $?

# Everything the text shows is in the JSON: the ei table with --eis
$bin hist --eis --json $fx >"$tmp/a.json" 2>"$tmp/err" && $bin hist --ei-history --json $fx >"$tmp/b.json" 2>>"$tmp/err" &&
	$bin replay $fx --view summary --eis --json >"$tmp/c.json" 2>>"$tmp/err" &&
	$bin events --eis --json $fx 2>"$tmp/d.json" >/dev/null
rc=$?
$bin hist --eis $fx >"$tmp/eis.txt" 2>>"$tmp/err"
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY'
import json, sys
t = sys.argv[1]
rows = [l.split() for l in open(t + "/eis.txt") if l.startswith(("events", "instances"))]
for f in ("a", "c"):
	eis = json.load(open("%s/%s.json" % (t, f)))["eis"]
	assert len(eis) == 4961 == len(rows), (f, len(eis), len(rows))
	for e, r in zip(eis, rows):
		assert {"path", "ei", "refcount", "state", "created_ns", "removed_ns", "released_ns", "holders"} <= set(e), e
		assert [e["path"], str(e["ino"]), e["state"], str(e["refcount"])] == r[:4], (e, r)
		assert "history" not in e
h = json.load(open(t + "/b.json"))["eis"]
assert len(h) == 4961 and all(e["history"] for e in h), "every ei has its changes"
assert h[0]["history"][0]["op"] == "create", h[0]
d = json.loads(open(t + "/d.json").read().splitlines()[-1])
assert len(d["eis"]) == 4961 and d["summary"]["events"] == 18637 and d["stats"].startswith("18637 events"), d.keys()
PY
claim "--eis --json: the ei table as an eis array (hist, replay --view summary, events' stderr), --ei-history's histories" \
	$((rc + $?)) "$tmp/why"

# Histogram headers name what the groups are, as bcc's "disk = sda"
{ $bin hist --of dentry-life --by fs $fx 2>/dev/null | grep -qx 'fs = tracefs' &&
  $bin hist $fx 2>/dev/null | grep -q '^mount = /' &&
  $bin replay $fx --view hist --by comm 2>/dev/null | grep -q '^comm = ' &&
  ! $bin hist --by caller $fx 2>/dev/null | grep -q '^group = ' &&
  $bin hist --by fs --json $fx 2>/dev/null | grep -q '^{"of":"ino","by":"fs",'; } >"$tmp/why" 2>&1
claim "hist: each histogram's header names its --by key (fs = tracefs, mount = ...); JSON's \"by\" says it" $? "$tmp/why"

# -m / --msecs, as bcc's biolatency -m: lifetimes divided by 1000, then bucketed
expect "hist -m: not for inode numbers" 2 "^evtrace: -m applies to lifetimes only: add --of dentry-life, inode-life or ei-life$" $bin hist -m $fx
expect "hist --msecs: not for ei-refs" 2 "^evtrace: -m applies to lifetimes only" $bin hist --msecs --of ei-refs $fx
jexpect "--json: hist -m on ino" 2 "^-m applies to lifetimes only" $bin hist -m --json $fx
{ $bin hist --of dentry-life --by fs $fx 2>/dev/null | grep -A1 -x 'fs = tracefs' | grep -q '^     usecs ' &&
  $bin hist --of dentry-life --by fs $fx 2>/dev/null | grep -q '^  count=365 min=47372 max=222905 ' &&
  $bin hist -m --of dentry-life --by fs $fx 2>/dev/null >"$tmp/ms.txt" &&
  grep -A1 -x 'fs = tracefs' "$tmp/ms.txt" | grep -q '^     msecs               : count' &&
  grep -q '^        64 -> 127        : 209 ' "$tmp/ms.txt" &&
  grep -q '^  count=365 min=47 max=222 mean=119.3 ' "$tmp/ms.txt" &&
  $bin replay $fx --view hist --msecs --of ei-life --json 2>/dev/null |
	grep -q '^{"of":"ei-life","by":"mount","hist":{"unit":"msecs","scale":"log2","step":0,"groups":\[{"group":"/sys/kernel/tracing","count":4961,"min":84,"max":189,' &&
  $bin hist --of ei-life --json $fx 2>/dev/null | grep -q '"hist":{"unit":"usecs"'; } >"$tmp/why" 2>&1
claim "hist -m: lifetimes in msecs (unit column, buckets of value/1000, min/max/mean; JSON \"unit\":\"msecs\"), replay --view hist too" $? "$tmp/ms.txt"

# info: the host and command line a recording keeps (perf's); older files lack them
{ $bin info $fx | grep -qx 'host:       (not recorded)' &&
  $bin info $fx | grep -qx 'cmdline:    (not recorded)' &&
  $bin info --json $fx | grep -q '"machine":"x86_64","host":null,"cmdline":null,'; } >"$tmp/why" 2>&1
claim "info: a file without a host or command line says (not recorded), JSON null" $? "$tmp/why"

# hist [FILE] [INTERVAL [COUNT]]: each interval's histogram alone, in the trace's time
$bin hist --json $fx >"$tmp/whole.json" 2>"$tmp/err" &&
	$bin hist --json $fx 1 >"$tmp/iv1.json" 2>>"$tmp/err" &&
	$bin hist --json $fx 0.5 >"$tmp/iv05.json" 2>>"$tmp/err" &&
	$bin hist --by fs --of dentry-life --json $fx 2 >"$tmp/ivfs.json" 2>>"$tmp/err" &&
	$bin hist --by fs --of dentry-life --json $fx >"$tmp/wholefs.json" 2>>"$tmp/err"
rc=$?
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY'
import json, sys
t = sys.argv[1]
def lines(name):
	return [json.loads(l) for l in open(t + "/" + name)]
for whole, ivs, step in (("whole.json", "iv1.json", 1), ("whole.json", "iv05.json", 0.5),
			 ("wholefs.json", "ivfs.json", 2)):
	w = lines(whole)
	assert len(w) == 1, "one object without INTERVAL"
	w = w[0]
	got = lines(ivs)
	iv, last = got[:-1], got[-1]
	# the final object is today's, byte for byte in the decoded form
	assert last == w, "the last object differs from hist --json's"
	s = w["summary"]
	span = s["last_ns"] - s["first_ns"]
	assert len(iv) == int(span // int(step * 1e9)) + 1, (ivs, len(iv), span)
	assert [o["interval"] for o in iv] == list(range(1, len(iv) + 1))
	assert iv[0]["start"] == 0 and all(abs(a["end"] - b["start"]) < 1e-9 for a, b in zip(iv, iv[1:]))
	assert all(abs(o["end"] - o["start"] - step) < 1e-9 for o in iv[:-1]), ivs
	assert abs(iv[-1]["end"] - round(span / 1e9, 3)) < 0.0015, (iv[-1], span)
	assert all(o["of"] == w["of"] and o["by"] == w["by"] for o in iv)
	# the intervals' counts add up to the whole run's, group by group and bucket by bucket
	groups, buckets = {}, {}
	for o in iv:
		for g in o["hist"]["groups"]:
			groups[g["group"]] = groups.get(g["group"], 0) + g["count"]
			for b in g["buckets"]:
				k = (g["group"], b["lo"])
				buckets[k] = buckets.get(k, 0) + b["count"]
	wg = {g["group"]: g["count"] for g in w["hist"]["groups"]}
	wb = {(g["group"], b["lo"]): b["count"] for g in w["hist"]["groups"] for b in g["buckets"]}
	assert sum(wg.values()) > 0 and groups == wg, (ivs, groups, wg)
	assert buckets == wb, ivs
	# cleared after each: no interval holds another's values
	assert sum(sum(g["count"] for g in o["hist"]["groups"]) for o in iv) == sum(wg.values())
PY
claim "hist FILE INTERVAL --json: one object per interval over the trace's span, their counts the whole run's, then hist --json's object" \
	$((rc + $?)) "$tmp/why"

$bin hist $fx >"$tmp/plain.txt" 2>"$tmp/err" && $bin hist $fx 1 >"$tmp/iv.txt" 2>>"$tmp/err"
rc=$?
{ [ "$(grep -c '^interval [0-9]*: ' "$tmp/iv.txt")" = 6 ] &&
	grep -q '^interval 1: 0.000 -> 1.000 s$' "$tmp/iv.txt" &&
	grep -q '^interval 6: 5.000 -> 5.418 s$' "$tmp/iv.txt" &&
	sed '1,/^whole run:$/d' "$tmp/iv.txt" | cmp -s - "$tmp/plain.txt"; } || rc=1
claim "hist FILE 1: six interval headers, then 'whole run:' and hist FILE's output unchanged" $rc "$tmp/iv.txt"

$bin hist --json $fx 1 2 >"$tmp/iv.json" 2>"$tmp/err" && $bin hist $fx 1 2 >"$tmp/iv.txt" 2>>"$tmp/err" &&
	$bin hist $fx 2 1 >"$tmp/iv21.txt" 2>>"$tmp/err"
rc=$?
python3 - "$tmp/iv.json" "$tmp/whole.json" >"$tmp/why" 2>&1 <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
whole = json.load(open(sys.argv[2]))
assert [o.get("interval") for o in got] == [1, 2, None], [o.get("interval") for o in got]
assert got[1]["end"] == 2.0
s = got[-1]["summary"]
# the run ended with the second interval: no event past it
assert s["last_ns"] - s["first_ns"] < 2e9 and s["events"] < whole["summary"]["events"], s
total = sum(g["count"] for o in got[:2] for g in o["hist"]["groups"])
assert total == sum(g["count"] for g in got[-1]["hist"]["groups"]), total
PY
rc=$((rc + $?))
{ [ "$(grep -c '^interval ' "$tmp/iv.txt")" = 2 ] && [ "$(grep -c '^interval ' "$tmp/iv21.txt")" = 1 ]; } ||
	echo "COUNT not held in text" >>"$tmp/why"
[ -s "$tmp/why" ] && rc=1
claim "hist FILE 1 2 and 2 1: COUNT intervals, then the run ends (the summary up to there)" $rc "$tmp/why"

expect "hist INTERVAL 0" 2 "^evtrace: hist: INTERVAL '0' is not a number of seconds from 0.001 up" $bin hist $fx 0
expect "hist INTERVAL negative" 2 "^evtrace: hist: INTERVAL '-1' is not a number" $bin hist $fx -- -1
expect "hist INTERVAL too fine" 2 "^evtrace: hist: INTERVAL '0.0001' is not a number" $bin hist 0.0001
expect "hist COUNT not a number" 2 "^evtrace: hist: COUNT 'x' is not a whole number > 0" $bin hist $fx 1 x
expect "hist COUNT 0" 2 "^evtrace: hist: COUNT '0' is not a whole number > 0" $bin hist $fx 1 0
expect "hist COUNT a fraction" 2 "^evtrace: hist: COUNT '2.5' is not a whole number > 0" $bin hist 1 2.5
expect "hist FILE after INTERVAL" 2 "COUNT 'tests/fixtures/seed-6.12.evt' .*a FILE comes first" $bin hist 1 $fx
expect "hist a fourth operand" 2 "^evtrace: hist: unexpected argument '3'" $bin hist $fx 1 2 3
jexpect "--json: hist's bad INTERVAL" 2 "^hist: INTERVAL 'x1' is not a number" $bin hist --json $fx x1
expect "replay FILE INTERVAL 0" 2 "^evtrace: replay: INTERVAL '0' is not a number" $bin replay $fx 0
$bin hist --help | grep -q 'INTERVAL \[COUNT\]' && $bin hist --help | grep -q 'a file named 5 is ./5'
claim "hist --help: INTERVAL and COUNT, and how a FILE is told from them" $?

# --- issue 16, item 3: one clock everywhere ---------------------------------
# Every printed time is seconds since the trace's start; the fixture was
# recorded by a recorder that took its start 1.844 s after its first event,
# so the reader counts from that event (the file is not regenerated).
$bin info $fx >"$tmp/out" 2>&1
rc=$?
grep -qx '            events from 0.000 s to 5.418 s of it' "$tmp/out" &&
	grep -qx 'start:      the recorded start (76.743210 s) is after the first event; times count from the first event' "$tmp/out" &&
	grep -q '^time:       2026-11-23 23:40:21.896 UTC to 2026-11-23 23:40:28.944 UTC (7.047 s), from 74.898917 s on the event clock' "$tmp/out"
claim "info on the fixture: events from 0.000 s, and one line says the recorded start is after the first event" \
	$((rc + $?)) "$tmp/out"
$bin info --json $fx >"$tmp/info.json" 2>"$tmp/err"
rc=$?
python3 - "$tmp/info.json" >"$tmp/why" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["start_ns"] == d["first_event_ns"] == 74898917608 and d["start_from_first_event"] is True, d
assert d["recorded_start_ns"] == 76743210455 and d["first_event_t"] == 0 and d["last_event_t"] == 5.418084, d
# the wall clock moved back with the start: 1.844292847 s
assert d["start_realtime_ns"] == 1795477223741131118 - 1844292847, d["start_realtime_ns"]
assert d["start_ns"] <= d["first_event_ns"] <= d["last_event_ns"] <= d["end_ns"], d
PY
claim "info --json on the fixture: start_ns is the first event's, META's kept as recorded_start_ns" $((rc + $?)) "$tmp/why"

# events, anomalies, the summary's eis: one clock, the one JSON's "t" is on
$bin events $fx >"$tmp/ev.txt" 2>"$tmp/ev.err" && $bin events --json $fx >"$tmp/ev.json" 2>/dev/null &&
	$bin hist --eis --limit 0 $fx >"$tmp/h.txt" 2>&1
rc=$?
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY'
import json, re, sys
t = sys.argv[1]
text = open(t + "/ev.txt").read().splitlines()
js = [json.loads(l) for l in open(t + "/ev.json")]
assert len(text) == len(js) == 18637
assert text[0].startswith("0.000000 [000] run.sh "), text[0]
for line, e in zip(text, js):
	# the text's time is JSON's "t", ts_ns less the start, to the microsecond
	assert line.split(" ", 1)[0] == "%.6f" % e["t"], (line, e)
	us = (e["ts_ns"] - 74898917608 + 500) // 1000
	assert "%d.%06d" % divmod(us, 10**6) == "%.6f" % e["t"], e
assert min(e["t"] for e in js) == 0 and max(e["t"] for e in js) == 5.418084
h = open(t + "/h.txt").read()
an = re.findall(r"^  (\d+\.\d{6}) (?:ei_removed_referenced|dup_ino): ", h, re.M)
rm = re.findall(r"\): removed at (\d+\.\d{6}), ", h)
cr = [float(v) for l in h.splitlines() if re.match(r"^(events|instances)", l)
      for v in l.split()[4:7] if re.match(r"^\d+\.\d{6}$", v)]
assert len(an) == 109 and len(rm) == 95 and len(cr) > 4961, (len(an), len(rm), len(cr))
assert all(0 <= float(x) <= 5.418084 for x in an + rm) and all(0 <= x <= 5.418084 for x in cr)
assert an[-1] == "2.798762", an[-1]
err = open(t + "/ev.err").read()
assert "\n  2.798762 ei_removed_referenced: ei events/kprobes removed while still referenced" in err
PY
claim "events, anomalies, removed eis, the ei table: seconds since the start, equal to JSON's t" $((rc + $?)) "$tmp/why"

# -T: the time of day in UTC, in the text; JSON keeps t
{ $bin events -T $fx 2>/dev/null | head -n 1 | grep -q '^23:40:21\.896838 \[000\] run\.sh ' &&
  $bin hist --wall $fx 2>/dev/null | tail -n 1 | grep -q '^  23:40:24\.695601 ei_removed_referenced: ei events/kprobes ' &&
  $bin hist -T $fx 1 2>/dev/null | grep -qx 'interval 1: 23:40:21\.897 -> 23:40:22\.897' &&
  $bin replay $fx --view events -T 2>/dev/null | head -n 1 | grep -q '^23:40:21\.896838 ' &&
  $bin events -T --json $fx 2>/dev/null | head -n 1 | grep -q '"ts_ns":74898917608,"t":0\.000000,' &&
  TZ=Asia/Tokyo $bin events -T $fx 2>/dev/null | head -n 1 | grep -q '^23:40:21\.896838 '; } >"$tmp/why" 2>&1
claim "-T/--wall: HH:MM:SS.uuuuuu in UTC (events, hist, intervals, replay), JSON's t unchanged" $? "$tmp/why"

# --from/--to count from the start every time is printed from
$bin replay $fx --view events --from 2.7986 --to 2.7987 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$(wc -l <"$tmp/out")" = 1 ] && grep -q '^2\.798642 \[000\] run\.sh .* ei_remove .* name=sched ref=8 ' "$tmp/out"
claim "--from 2.7986 --to 2.7987: the ei_remove printed at 2.798642, alone" $((rc + $?)) "$tmp/out"

# Perfetto: from the start, or CLOCK_MONOTONIC with --clock mono; slices carry pid and tid
$bin export $fx -f perfetto -o "$tmp/rel.json" 2>"$tmp/err" &&
	$bin export $fx -f perfetto --clock mono -o "$tmp/mono.json" 2>>"$tmp/err" &&
	python3 tests/host/perfetto_check.py "$tmp/rel.json" >/dev/null &&
	python3 tests/host/perfetto_check.py "$tmp/mono.json" >/dev/null
rc=$?
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY'
import json, sys
t = sys.argv[1]
rel = json.load(open(t + "/rel.json"))["traceEvents"]
mono = json.load(open(t + "/mono.json"))["traceEvents"]
evs = [json.loads(l) for l in open(t + "/ev.json")]
assert len(rel) == len(mono)
timed = [(a, b) for a, b in zip(rel, mono) if a["ph"] != "M"]
assert min(a["ts"] for a, _ in timed) == 0, "rel starts at the start"
for a, b in timed:
	assert {k: v for k, v in a.items() if k != "ts"} == {k: v for k, v in b.items() if k != "ts"}
	assert abs(b["ts"] - a["ts"] - 74898917.608) < 0.0015, (a, b)
# each dentry's slice is on its allocating task's pid and tid
alloc = {e["dentry"]: (e["pid"], e["tid"]) for e in evs if e["type"] == "dentry_alloc"}
begun = [e for e in rel if e["ph"] == "b"]
assert len(begun) == 602 and all(alloc["%016x" % int(e["id"], 16)] == (e["pid"], e["tid"]) for e in begun)
names = {e["pid"]: e["args"]["name"] for e in rel if e["ph"] == "M" and e["name"] == "process_name"}
comms = {}
for e in evs:
	comms.setdefault(e["pid"], set()).add(e["comm"])
# by its comm when it first showed (an exec changes it: run.sh, then mkdir)
assert all(names[e["pid"]] in comms[e["pid"]] for e in begun), "a task's process is named by its comm"
assert min(p for p, n in names.items() if n in ("anomalies", "inode numbers")) > 4194304
PY
claim "export perfetto: from 0, --clock mono shifted by the start exactly; slices on the allocating pid/tid" \
	$((rc + $?)) "$tmp/why"
expect "export --clock: a bad value names the valid ones" 2 "^evtrace: invalid --clock 'boot': expected rel or mono$" \
	$bin export $fx -f perfetto --clock boot -o "$tmp/x.json"
expect "export --clock: Perfetto's alone" 2 "^evtrace: export: --clock sets Perfetto's timestamps: with --format perfetto$" \
	$bin export $fx -f jsonl --clock mono -o "$tmp/x.json"

# the live view's replay: its lines and header count from the start too
$bin live --no-tui --speed 20 $fx >"$tmp/out" 2>&1
rc=$?
grep -E '^[0-9]+\.[0-9]s events ' "$tmp/out" | awk '{ v = $1 + 0; if (v < 0 || v > 5.5) bad = 1 } END { exit bad }'
claim "live --no-tui on a recording: each line's time is its position since the start" $((rc + $?)) "$tmp/out"
# --ei ID and --path GLOB (issue 16): what a view shows, decided in evtrace on
# decoded events after the model has seen them all.  Expected outputs are
# computed here from the unselected stream and the ei table, not by evtrace.
$bin events --json $fx >"$tmp/all.jsonl" 2>/dev/null && $bin hist --eis --json $fx >"$tmp/eis.json" 2>/dev/null
rc=$?
sel_ei=f1e766af2080a4de
sel_glob='instances/#1/events/sched/*'
$bin events --json --ei $sel_ei $fx >"$tmp/s_ei.jsonl" 2>"$tmp/s_ei.err" &&
	$bin events --json --ei "instances/#1/events/sched/sched_switch" $fx >"$tmp/s_eipath.jsonl" 2>/dev/null &&
	$bin events --json --ei "ei=$sel_ei" --ei 71502efbf9b6c836 $fx >"$tmp/s_two.jsonl" 2>/dev/null &&
	$bin events --json --path "$sel_glob" $fx >"$tmp/s_glob.jsonl" 2>/dev/null &&
	$bin events --json --path 'enable' --path '*sched_switch' $fx >"$tmp/s_name.jsonl" 2>/dev/null &&
	$bin events --json --ei $sel_ei --path 'events/*' $fx >"$tmp/s_none.jsonl" 2>/dev/null &&
	$bin export $fx -f jsonl -o "$tmp/s_export.jsonl" --ei $sel_ei 2>/dev/null &&
	$bin hist --json --of ei-refs --ei $sel_ei $fx >"$tmp/s_refs.json" 2>/dev/null &&
	$bin hist --json --of dentry-life --path enable $fx >"$tmp/s_life.json" 2>/dev/null &&
	$bin replay $fx --view summary --json --eis --path "$sel_glob" >"$tmp/s_sum.json" 2>/dev/null
rc=$((rc + $?))
python3 - "$tmp" "$sel_ei" "$sel_glob" >"$tmp/why" 2>&1 <<'PY'
import fnmatch, json, sys
t, sel_ei, sel_glob = sys.argv[1:]
def lines(name):
	return [l for l in open(t + "/" + name)]
every = lines("all.jsonl")
evs = [json.loads(l) for l in every]
path = {e["ei"]: e["path"] for e in json.load(open(t + "/eis.json"))["eis"]}
def glob(pat, s):	# fnmatch(3) without flags: * matches / too
	return fnmatch.fnmatchcase(s, pat)
def want(pred):
	return [l for l, e in zip(every, evs) if e["type"] == "lost" or pred(e)]
is_ei = lambda e: e["type"].startswith("ei_")
named = lambda e: e["type"] in ("dentry_alloc", "dentry_kill", "lookup")
w_ei = want(lambda e: is_ei(e) and e["ei"] == sel_ei)
assert 5 <= len(w_ei) < 20, len(w_ei)
assert lines("s_ei.jsonl") == w_ei, "--ei ID"
assert lines("s_eipath.jsonl") == w_ei, "--ei PATH"
assert lines("s_two.jsonl") == want(lambda e: is_ei(e) and e["ei"] in (sel_ei, "71502efbf9b6c836")), "two --ei"
w_glob = want(lambda e: is_ei(e) and glob(sel_glob, path[e["ei"]]))
assert len(w_glob) > 100 and lines("s_glob.jsonl") == w_glob, ("--path", len(w_glob))
w_name = want(lambda e: (is_ei(e) and any(glob(g, path[e["ei"]]) for g in ("enable", "*sched_switch"))) or
	      (named(e) and any(glob(g, e.get("name", "")) for g in ("enable", "*sched_switch"))))
assert any(named(json.loads(l)) for l in w_name) and lines("s_name.jsonl") == w_name, "--path names"
assert lines("s_none.jsonl") == want(lambda e: False), "--ei and --path: both must pass"
# export's JSON Lines are events --json's objects: the same selection
assert lines("s_export.jsonl") == w_ei, "export --ei"
# a refcount sample per change of that ei, in the histogram
h = json.load(open(t + "/s_refs.json"))
assert sum(g["count"] for g in h["hist"]["groups"]) == len(w_ei), h["hist"]
assert h["summary"]["selection"] == {"options": "--ei " + sel_ei, "events": len(w_ei), "eis": 1,
				      "anomalies": h["summary"]["recent_anomalies_total"]}, h["summary"]["selection"]
assert h["summary"]["events"] == 18637, "the counts stay the stream's"
# the lifetimes of the dentries named enable whose birth was seen
born, life = set(), 0
for e in evs:
	if e["type"] == "dentry_alloc":
		born.add(e["dentry"])
	elif e["type"] == "dentry_kill" and e.get("name") == "enable" and e["dentry"] in born:
		life += 1
h = json.load(open(t + "/s_life.json"))
assert life and sum(g["count"] for g in h["hist"]["groups"]) == life, (life, h["hist"])
# the summary's lists: the selection's eis and anomalies only
d = json.load(open(t + "/s_sum.json"))
eis = [p for p in path.values() if glob(sel_glob, p)]
assert sorted(e["path"] for e in d["eis"]) == sorted(eis), "--eis table"
assert d["summary"]["selection"]["eis"] == len(eis) and d["summary"]["selection"]["events"] == len(w_glob) - sum(1 for l in w_glob if '"lost"' in l)
assert all(glob(sel_glob, e["path"]) for e in d["summary"]["removed_referenced"]) and d["summary"]["removed_referenced"], d["summary"]["removed_referenced"]
assert all(a["kind"] in ("dup_ino", "second_dentry") or glob(sel_glob, path[a["id"]]) for a in d["summary"]["recent_anomalies"])
assert d["summary"]["recent_anomalies_total"] == d["summary"]["selection"]["anomalies"] == len(d["summary"]["recent_anomalies"])
PY
claim "--ei ID / PATH and --path GLOB: events, export, hist and the summary hold exactly the selected events, eis and anomalies" \
	$((rc + $?)) "$tmp/why"
$bin hist --ei $sel_ei $fx >"$tmp/out" 2>&1
rc=$?
grep -qx "selected by --ei $sel_ei: 7 events, 1 eventfs_inodes, 2 anomalies (the counts below are the whole stream's, the lists the selection's)" "$tmp/out" &&
	grep -q "^  instances/#1/events/sched/sched_switch (ei $sel_ei): removed at" "$tmp/out" &&
	[ "$(grep -c '): removed at ' "$tmp/out")" = 1 ] && grep -q '^summary: 18637 events' "$tmp/out" &&
	$bin live --no-tui --max --path 'nomatch*' $fx | grep -q "^selected by --path 'nomatch\*': 0 events, 0 eventfs_inodes, 0 anomalies"
claim "hist --ei, live --path: the summary says what was selected, its lists only that" $((rc + $?)) "$tmp/out"
expect "--ei not an id" 2 "^evtrace: invalid --ei 'sched_switch': expected an eventfs_inode's id as events print it \(ei=71502efbf9b6c836\) or its path" \
	$bin events --ei sched_switch $fx
expect "--ei 0" 2 "^evtrace: invalid --ei '0'" $bin hist --ei 0 $fx
expect "--ei of 17 digits" 2 "^evtrace: invalid --ei '171502efbf9b6c836'" $bin export $fx -f csv -o - --ei 171502efbf9b6c836
expect "--path with the mount point" 2 "^evtrace: invalid --path '/sys/kernel/tracing/events/\*': paths are relative to the tracefs mount" \
	$bin replay $fx --path '/sys/kernel/tracing/events/*'
expect "--path empty" 2 "^evtrace: invalid --path '': expected a glob" $bin live --path '' $fx
expect "--ei 17 times" 2 "^evtrace: too many --ei values \(at most 16\)$" \
	$bin events $(for i in $(seq 1 17); do echo --ei $i; done) $fx
jexpect "--json: a bad --ei" 2 "^invalid --ei 'x'" $bin hist --json --ei x $fx
expect "--agg-check with --ei" 2 "^evtrace: --agg-check checks the kernel's aggregation, which --ei and --path turn off" \
	$bin hist --agg-check --ei 1
expect "record takes no --ei" 2 "^evtrace: record: unknown option '--ei'" $bin record -o "$tmp/x.evt" --ei 1
for c in events hist live export; do
	$bin $c --help | grep -q '^      --ei ID ' && $bin $c --help | grep -q '^      --path GLOB ' &&
		$bin $c --help | grep -q 'after the kernel' || echo "$c"
done >"$tmp/why"
claim "--ei and --path in the help of events, hist, live and export, saying they apply after the kernel" \
	$([ -s "$tmp/why" ]; echo $((1 - $?))) "$tmp/why"

# -, standard input (issue 16): a recording piped in reads as the file does,
# in order and never seeked (perf's -i -); what `record -o -` writes is the
# recorder's stream mode, which tests/host/mkstream.c drives without BPF.
# F: where the FILE (or -) goes
for c in "hist F" "hist --json F" "hist --eis --by fs F" "events F" "events --json F" \
	 "replay F --view summary --json" "hist --of ei-life F 1" "events --ei f1e766af2080a4de F" \
	 "live --no-tui --max F"; do
	# shellcheck disable=SC2086
	$bin ${c/F/$fx} >"$tmp/f.out" 2>"$tmp/f.err"
	frc=$?
	# shellcheck disable=SC2086
	cat $fx | $bin ${c/F/-} >"$tmp/s.out" 2>"$tmp/s.err"
	src=$?
	[ $frc = 0 ] && [ $src = 0 ] && [ -s "$tmp/f.out" ] && cmp -s "$tmp/f.out" "$tmp/s.out" &&
		cmp -s "$tmp/f.err" "$tmp/s.err"
	claim "cat FILE | evtrace ${c/F/-}: stdout and stderr byte for byte those of evtrace $c" $? "$tmp/s.err"
done
$bin info $fx | sed 1d >"$tmp/f.out" && cat $fx | $bin info - >"$tmp/s.out" &&
	head -n 1 "$tmp/s.out" | grep -qx "file:       standard input, $(stat -c %s $fx) bytes, format 1.0" &&
	sed 1d "$tmp/s.out" | cmp -s - "$tmp/f.out" &&
	$bin info --json $fx | sed 's/^{"file":"[^"]*"/{"file":"-"/' >"$tmp/f.json" &&
	$bin info --json - <$fx | cmp -s - "$tmp/f.json"
claim "info -: what info FILE says, the whole input's size, under 'file: standard input' (JSON \"file\":\"-\")" $? "$tmp/s.out"
# a pipe by its name (a FIFO, <(...)): read as a stream too
$bin hist --json $fx >"$tmp/f.out" 2>&1 && $bin hist --json <(cat $fx) 2>&1 | cmp -s - "$tmp/f.out" &&
	mkfifo "$tmp/fifo" && { cat $fx >"$tmp/fifo" & } && $bin events "$tmp/fifo" 2>/dev/null |
	cmp -s - <($bin events $fx 2>/dev/null)
claim "hist <(cat FILE) and events FIFO: read as streams, the file's output" $?
expect "serve on a pipe" 2 "^evtrace: serve: FILE /dev/fd/[0-9]+ \(a pipe\) cannot be served" \
	$bin serve <(cat $fx) --textfile "$tmp"
for f in jsonl csv perfetto; do
	$bin export $fx -f $f -o "$tmp/f.$f" && $bin export - -f $f -o "$tmp/s.$f" <$fx &&
		cat $fx | $bin export - -f $f -o - | cmp -s - "$tmp/f.$f" && cmp -s "$tmp/f.$f" "$tmp/s.$f"
	claim "export - -f $f (to a file and to -): byte for byte export FILE's" $?
done

# the recorder's stream mode, through a pipe, into every reader
cc -O1 -D_GNU_SOURCE -Wall -Isrc -Iinclude -Itests/host tests/host/mkstream.c src/file/recorder.c \
	src/file/reader.c src/file/writer.c src/file/codec.c src/event/schema.c src/lib/mounts.c \
	src/lib/json.c src/lib/line.c src/lib/cgroups.c src/lib/util.c src/lib/outfile.c \
	-lzstd -lz -lpthread -o "$tmp/mkstream" 2>"$tmp/cc.err"
claim "mkstream (the recorder's -o - without BPF) builds" $? "$tmp/cc.err"
$bin hist $fx >"$tmp/f.out" 2>/dev/null && $bin events --json $fx >"$tmp/f.json" 2>/dev/null
"$tmp/mkstream" $fx 1000 2>"$tmp/mk.err" | $bin hist - >"$tmp/s.out" 2>"$tmp/s.err" &&
	cmp -s "$tmp/f.out" "$tmp/s.out" &&
	"$tmp/mkstream" $fx 2>>"$tmp/mk.err" | $bin events --json - 2>/dev/null | cmp -s - "$tmp/f.json" &&
	"$tmp/mkstream" $fx 1000 2>>"$tmp/mk.err" | $bin info - >"$tmp/s.out" &&
	grep -qx 'integrity:  whole: closed cleanly, every chunk.s CRC checks' "$tmp/s.out" &&
	read -r mkbytes mkchunks < <(sed -n 's/^mkstream: 18637 events, \([0-9]*\) bytes, \([0-9]*\) chunks$/\1 \2/p' "$tmp/mk.err" | tail -n 1) &&
	[ "$mkchunks" -ge 19 ] &&
	grep -q "^events:     18637 in $mkchunks chunks" "$tmp/s.out" &&
	grep -q "^file:       standard input, $mkbytes bytes, format 1.3$" "$tmp/s.out"
# 19 chunks sealed by count (one per 1000 events), more where the events
# span 0.1 s of their own time (--flush 1 ns, and its floor)
claim "the recorder's stream (record -o -'s) | hist -, events --json -, info -: the fixture's answers, every chunk (at least 19) and byte it wrote, whole" \
	$? "$tmp/s.out"
# bounded: 60 times the fixture (20 MB) in no more memory than once
if [ -x /usr/bin/time ]; then
	"$tmp/mkstream" $fx 1000 1 2>/dev/null | /usr/bin/time -f %M $bin info - 2>"$tmp/m1" >/dev/null
	"$tmp/mkstream" $fx 1000 60 2>/dev/null | /usr/bin/time -f %M $bin info - 2>"$tmp/m60" >"$tmp/s.out"
	m1=$(tail -n 1 "$tmp/m1") m60=$(tail -n 1 "$tmp/m60")
	# on a loaded machine the recorder may drop some (its queue full), and says so
	ev=$(sed -n 's/^events:     \([0-9]*\) in .*/\1/p' "$tmp/s.out")
	dr=$(sed -n 's/^loss: .*, \([0-9]*\) dropped by the recorder$/\1/p' "$tmp/s.out")
	[ $((${ev:-0} + ${dr:-0})) -eq 1118220 ] && [ $((m60 - m1)) -lt 4096 ]
	claim "info - on a 20 MB stream: ${m60} KB resident, against ${m1} KB for 350 KB (never the whole stream)" $? "$tmp/s.out"
else
	echo "SKIPPED - /usr/bin/time is not installed: the stream's memory is not measured"; skip=$((skip + 1))
fi

# a stream cut short: what is complete, what was cut, and the file's status
head -c 170000 $fx >"$tmp/cut.evt"
for c in "hist" "events --json" "info"; do
	# shellcheck disable=SC2086
	$bin $c "$tmp/cut.evt" >"$tmp/f.out" 2>"$tmp/f.err"
	frc=$?
	# shellcheck disable=SC2086
	head -c 170000 $fx | $bin $c - >"$tmp/s.out" 2>"$tmp/s.err"
	src=$?
	sed -i "s|$tmp/cut.evt|standard input|" "$tmp/f.err" "$tmp/f.out"
	[ $frc = $src ] && [ $src = 0 ] && cmp -s "$tmp/f.err" "$tmp/s.err" &&
		if [ "$c" = info ]; then sed 1d "$tmp/f.out" | cmp -s - <(sed 1d "$tmp/s.out"); else cmp -s "$tmp/f.out" "$tmp/s.out"; fi
	claim "head -c 170000 FILE | evtrace $c -: as the cut file, status 0" $? "$tmp/s.err"
done
head -c 170000 $fx | $bin hist - 2>&1 >/dev/null |
	grep -qx "evtrace: standard input: truncated at byte 157863, the last 12137 bytes cut, of a chunk of 1818 events: recovered 16384 events" &&
	head -c 170000 $fx | $bin info - | grep -qx 'integrity:  truncated at byte 157863, the last 12137 bytes cut, of a chunk of 1818 events; the 16384 events above are readable' &&
	head -c 157870 $fx | $bin info --json - | grep -q '"truncated_at":157863,"cut_bytes":7,"cut_events":0,' &&
	head -c 157870 $fx | $bin hist - 2>&1 >/dev/null | grep -q "standard input: truncated at byte 157863, the last 7 bytes cut, inside a section header: recovered 16384 events$"
claim "a cut stream says at which byte, how many bytes and the events its cut chunk held (or that a header was cut)" $?
expect "stdin cut inside its metadata" 2 "^evtrace: cannot read a trace file from standard input \(-\): truncated inside its metadata section$" \
	sh -c "head -c 100 $fx | $bin hist -"
expect "stdin empty" 2 "^evtrace: cannot read a trace file from standard input \(-\): empty input: nothing came on it$" \
	sh -c "$bin events - </dev/null"
expect "stdin not a recording" 2 "^evtrace: cannot read a trace file from standard input \(-\): not an evtrace file$" \
	sh -c "$bin info - </etc/passwd"
jexpect "--json: stdin not a recording" 2 "^cannot read a trace file from standard input" \
	sh -c "$bin hist --json - </etc/passwd"
expect "serve -" 2 "^evtrace: serve: FILE - \(standard input\) cannot be served: save the recording to a file" \
	sh -c "$bin serve - --textfile $tmp <$fx"
expect "hist -o -" 2 "^evtrace: -o - would write the recording where hist prints: give -o FILE, or stream it with evtrace record -o - \| evtrace hist -$" \
	$bin hist -o -
expect "events -o -" 2 "^evtrace: -o - would write the recording where events prints" $bin events -o - -d 1
expect "record -o - --ring" 2 "^evtrace: -o - streams the recording as it goes: ring mode \(--ring, --ring-size, --dump-on\) rewrites a file, give -o FILE$" \
	$bin record -o - --ring 5
# a terminal on either end: one line saying what to do instead
python3 - "$bin" "$fx" >"$tmp/why" 2>&1 <<'PY'
import os, pty, subprocess, sys
binary, fx = sys.argv[1:]
m, s = pty.openpty()
p = subprocess.run([binary, "record", "-o", "-"], stdout=s, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
err = p.stderr.decode()
assert p.returncode == 2 and err == "evtrace: -o - writes the recording to standard output, which is a terminal: pipe it (evtrace record -o - | evtrace hist -) or redirect it (> trace.evt)\n", (p.returncode, err)
for cmd in (["hist", "-"], ["info", "-"], ["export", "-", "-f", "csv", "-o", "-"], ["replay", "-"]):
	p = subprocess.run([binary] + cmd, stdin=s, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
	err = p.stderr.decode()
	assert p.returncode == 2 and err == "evtrace: cannot read a trace file from standard input (-): standard input is a terminal: pipe a recording in (evtrace record -o - | evtrace hist -, or < FILE)\n", (cmd, p.returncode, err)
PY
claim "record -o - with a terminal on stdout, and hist/info/export/replay - with one on stdin: refused, one line each, status 2" $? "$tmp/why"
$bin record --help | grep -q -- '-o, --output FILE .*- for standard output' &&
	$bin hist --help | grep -q 'FILE - is standard input' && $bin info --help | grep -q 'FILE - is standard input'
claim "--help: record's -o -, the readers' FILE -" $?

# Ctrl-C while the event lines wait on a slow pipe (| less): the write
# goes on, the run ends cleanly, and every line of the summary's count is
# there whole.  It used to fail that write with EINTR: status 1, a line
# cut in two, the rest of the buffer gone.
python3 - "$bin" tests/fixtures/seed-6.12.evt >"$tmp/why" 2>&1 <<'PY'
import json, signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "events", "--json", sys.argv[2]],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(0.5)          # a 3.9 MB stream: its writes wait on the full pipe by now
assert p.poll() is None, "ended before the interrupt"
p.send_signal(signal.SIGINT)
out, err = p.communicate(timeout=60)
lines = out.decode().splitlines()
stats = [json.loads(l) for l in err.decode().splitlines() if l.startswith('{"stats"')]
assert p.returncode == 0, (p.returncode, err.decode()[-300:])
assert len(stats) == 1, err.decode()[-300:]
for l in lines:
    json.loads(l)
n = stats[0]["summary"]["events"]
assert 0 < n == len(lines), (n, len(lines))
PY
claim "Ctrl-C while the event lines wait on a slow pipe: status 0, every line of the summary's count whole" $? "$tmp/why"

# Exit statuses in every command's --help
for c in events hist record replay export info probes live serve; do
	$bin $c --help >"$tmp/help"
	grep -q "^exit status: .*0 " "$tmp/help" && grep -q "2 usage" "$tmp/help" || echo "$c"
done >"$tmp/why"
claim "every command's --help says its exit statuses" $([ -s "$tmp/why" ]; echo $((1 - $?))) "$tmp/why"

echo "host: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
