#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Terminal injection: a trace file whose every string is hostile
# (tests/host/mkhostile.c) goes through every command that prints text;
# no ESC, BEL, C1 control or invalid byte may come out, and the strings
# show escaped (lib/escape.h).
set -uo pipefail
cd "$(dirname "$0")/../.."
EVTRACE=${EVTRACE:-./evtrace}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0 fail=0
ok() {
	if [ "$1" = 0 ]; then echo "ok - $2"; pass=$((pass + 1)); else echo "not ok - $2"; fail=$((fail + 1)); fi
	[ "$1" = 0 ]	# so that "ok ... || show why" shows it
}

cc -O1 -Isrc -Iinclude -Itests/host tests/host/mkhostile.c src/file/writer.c src/file/codec.c \
	src/event/schema.c src/lib/mounts.c src/lib/json.c src/lib/line.c src/lib/cgroups.c \
	-lzstd -lz -lpthread -o "$out/mkhostile" 2>"$out/cc.err"
ok $? "hostile: the generator builds" || cat "$out/cc.err"
"$out/mkhostile" "$out/h.evt"
ok $? "hostile: a trace file with escapes in every string"

# any C0 control but \n and \t, DEL, a C1 control as UTF-8, or a byte that is not UTF-8
bad() {
	LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1" && return 0
	# invalid UTF-8: iconv refuses it
	! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
for cmd in "events" "events --json" "hist" "hist --by comm" "hist --by caller" "hist --by fs" \
	   "hist --by cgroup" "live --no-tui --max --by cgroup" "replay --view live --no-tui --max" \
	   "info" "replay --view summary" "events --ei-history"; do
	# shellcheck disable=SC2086
	$EVTRACE $cmd "$out/h.evt" >"$out/o" 2>&1
	rc=$?
	if [ $rc != 0 ] || bad "$out/o"; then
		ok 1 "hostile: evtrace $cmd prints nothing raw (rc=$rc)"
		LC_ALL=C cat -v "$out/o" | head -5
	else
		ok 0 "hostile: evtrace $cmd prints nothing raw"
	fi
done
$EVTRACE events "$out/h.evt" >"$out/o" 2>&1
grep -q 'name=f0\\x1b\]0;owned\\x07\\x1b\[2J\\xc2\\x9b31m\\xff' "$out/o"
ok $? "hostile: names show escaped, byte for byte"
$EVTRACE hist "$out/h.evt" >"$out/o" 2>&1
grep -q "dup_ino: ext\\\\x1b" "$out/o" && grep -q "'f1\\\\x1b\]0;owned" "$out/o"
ok $? "hostile: the anomaly text (fs and names in it) shows escaped"
$EVTRACE hist --by cgroup "$out/h.evt" >"$out/o" 2>&1
grep -qF 'cgroup = /machine.slice/\x1b]0;owned\x07\x1b[2J\xc2\x9b31m\xff' "$out/o"
ok $? "hostile: a cgroup made during the recording, named by its CGROUPS section, shows escaped" ||
	LC_ALL=C cat -v "$out/o"
$EVTRACE events --json "$out/h.evt" >"$out/o" 2>&1
grep -qF '"cgroup":500,"cgroup_path":"/system.slice/\u001b]0;owned\u0007\u001b[2J\u009b31m\udcff.service"' "$out/o"
ok $? "hostile: events --json: META's cgroup path escaped as JSON" || head -3 "$out/o"
$EVTRACE info "$out/h.evt" >"$out/o" 2>&1
grep -q 'kernel\|6.12\\x1b\]0;owned' "$out/o" && grep -q '/mnt/\\x1b' "$out/o"
ok $? "hostile: info's kernel and mount path show escaped"
grep -qx 'host:       h\\x1b\]0;owned\\x07\\x1b\[2J\\xc2\\x9b31m\\xff' "$out/o" &&
	grep -qx "cmdline:    evtrace record -o 'x\\\\x1b\\]0;owned\\\\x07.*\\\\xff'" "$out/o"
ok $? "hostile: info's host and command line show escaped, byte for byte" || LC_ALL=C cat -v "$out/o"
$EVTRACE export "$out/h.evt" -f csv -o "$out/h.csv" 2>"$out/err"
grep -q "\"'=HYPERLINK(\"\"http://x\"\")\"" "$out/h.csv"
ok $? "hostile: CSV: a name that starts like a formula is quoted and prefixed with '"
for f in jsonl perfetto; do
	$EVTRACE export "$out/h.evt" -f $f -o "$out/h.$f" 2>"$out/err"
	rc=$?
	! bad "$out/h.$f" && [ $rc = 0 ]
	ok $? "hostile: export -f $f writes nothing raw"
done

# Crafted files (issue 14): the seed recording with a hostile tail.  Each
# costs the reader work linear in its size and says what it skipped; the
# recording's events before the tail all come out.
fx=tests/fixtures/seed-6.12.evt
nfx=$($EVTRACE events --json $fx 2>/dev/null | wc -l)
craft() {
	python3 - "$fx" "$out/$1.evt" "$1" "$2" "${3:-}" <<'PY'
import struct, sys, zlib
src, dst, shape, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
b = bytearray(open(src, "rb").read())
def head(t, stored, raw, crc, count=0):
    return b"ESEC" + struct.pack("<HHIIIIQQ", t, 0, stored, raw, crc, count, 0, 0)
def sec(t, payload):
    return head(t, len(payload), len(payload), zlib.crc32(payload)) + payload
if shape == "resync":
    # a bad byte, a fake header whose CRC spans the rest, a good section: again
    pad = 1000
    group = 1 + 80 + pad
    end = len(b) + (size - len(b)) // group * group
    while len(b) + group <= end:
        stored = end - (len(b) + 41)
        b += b"x" + head(9, stored, stored, 0xbadc0de) + sec(9, bytes(pad))
elif shape == "inflate":
    # chunks of 64 MiB of zeros in a few KB each, claiming one event
    frame = open(sys.argv[5], "rb").read()
    while len(b) + 40 + len(frame) <= size:
        b += head(2, len(frame), 64 << 20, zlib.crc32(frame), 1) + frame
open(dst, "wb").write(b)
PY
}
craft resync $((8 << 20))
for cmd in "events --json" "hist"; do
	# shellcheck disable=SC2086
	$EVTRACE $cmd "$out/resync.evt" >"$out/o" 2>"$out/e"
	rc=$?
	n=$(grep -c '"type"' "$out/o")
	[ $rc = 0 ] && grep -q "resync.evt: reading stopped at byte [0-9]*: the damage before it took all" "$out/e" &&
		{ [ "$cmd" = hist ] || [ "$n" = "$nfx" ]; }
	ok $? "crafted: a resync bomb of 8 MiB: $cmd stops reading it, says where, keeps the $nfx events" ||
		{ echo "# rc=$rc, $n events"; tail -3 "$out/e"; }
done
$EVTRACE info "$out/resync.evt" >"$out/o" 2>&1
grep -q "^integrity: .*reading stopped at byte [0-9]*: the damage before it took all the work" "$out/o"
ok $? "crafted: info says where reading stopped on a resync bomb" || cat "$out/o"
head -c 64M /dev/zero >"$out/zeros" && zstd -q -1 "$out/zeros" -o "$out/zeros.zst" && rm "$out/zeros"
craft inflate $((400 << 10)) "$out/zeros.zst"
$EVTRACE events --json "$out/inflate.evt" >"$out/o" 2>"$out/e"
rc=$?
n=$(grep -c '"type"' "$out/o")
[ $rc = 0 ] && [ "$n" = "$nfx" ] && grep -q "inflate.evt: [0-9]* damaged chunks skipped" "$out/e"
ok $? "crafted: 400 KB of zstd bombs: events skips them as damage, keeps the $nfx events" ||
	{ echo "# rc=$rc, $n events"; tail -3 "$out/e"; }
$EVTRACE info "$out/inflate.evt" >"$out/o" 2>&1
grep -q "^integrity: .* [0-9]* of them not decompressed: they would have inflated the file past 4096 times" "$out/o"
ok $? "crafted: info says how many chunks were left compressed" || cat "$out/o"

# The same on standard input (issue 16, -): read in order, never seeked, its
# budgets following the bytes read so far; what a file says, a stream says.
for cmd in "events" "hist --by comm" "info" "replay --view summary"; do
	# shellcheck disable=SC2086
	$EVTRACE $cmd - <"$out/h.evt" >"$out/o" 2>&1
	rc=$?
	[ $rc = 0 ] && ! bad "$out/o"
	ok $? "hostile: evtrace $cmd - (the crafted file on stdin) prints nothing raw" ||
		LC_ALL=C cat -v "$out/o" | head -5
done
$EVTRACE events --json - <"$out/resync.evt" >"$out/o" 2>"$out/e"
rc=$?
[ $rc = 0 ] && [ "$(grep -c '"type"' "$out/o")" = "$nfx" ] &&
	grep -q "^evtrace: standard input: reading stopped at byte [0-9]*: the damage before it took all" "$out/e"
ok $? "crafted: the resync bomb on stdin: events - stops reading it, says where, keeps the $nfx events" ||
	tail -3 "$out/e"
$EVTRACE info "$out/resync.evt" | sed 1d >"$out/f"
cat "$out/resync.evt" | $EVTRACE info - | sed 1d | cmp -s - "$out/f"
ok $? "crafted: info - on the resync bomb says what info FILE says, the bytes not read counted" ||
	{ cat "$out/resync.evt" | $EVTRACE info - | tail -1; tail -1 "$out/f"; }
cat "$out/inflate.evt" | $EVTRACE events --json - >"$out/o" 2>"$out/e"
rc=$?
[ $rc = 0 ] && [ "$(grep -c '"type"' "$out/o")" = "$nfx" ] &&
	grep -q "^evtrace: standard input: [0-9]* damaged chunks skipped" "$out/e" &&
	$EVTRACE info - <"$out/inflate.evt" | grep -q "^integrity: .* [0-9]* of them not decompressed"
ok $? "crafted: zstd bombs on stdin: skipped as damage, not inflated, the $nfx events kept" ||
	{ echo "# rc=$rc"; tail -3 "$out/e"; }
# a crafted header claiming 64 MiB after it, on a stream of a few KB: a read, not 64 MiB
python3 - "$fx" "$out/claim.evt" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
b += b"ESEC" + struct.pack("<HHIIIIQQ", 2, 0, 64 << 20, 64 << 20, 0, 1, 0, 0) + bytes(3000)
open(sys.argv[2], "wb").write(b)
PY
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M $EVTRACE info - <"$out/claim.evt" >"$out/o" 2>"$out/m"
else	# not measured: the status and the text still are
	$EVTRACE info - <"$out/claim.evt" >"$out/o" 2>/dev/null; echo 0 >"$out/m"
fi
rc=$?
[ $rc = 0 ] && [ "$(tail -n 1 "$out/m")" -lt 65536 ] &&
	grep -q "^integrity:  truncated at byte 194313, the last 3040 bytes cut, of a chunk of 1 events; the $nfx events above are readable" "$out/o"
ok $? "crafted: a header claiming 64 MiB on a short stream: truncated there, $(tail -n 1 "$out/m") KB resident" ||
	{ cat "$out/o" | tail -2; cat "$out/m"; }
echo "hostile: $pass passed, $fail failed"
[ "$fail" = 0 ]
