#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, replay part: a file of N synthetic pipe-loop events (default
# 10 million), read from the page cache by cat (the baseline) and replayed
# into `evtrace hist` (the figure), in the same run; then peak memory of
# replay on files of N/10 and N events, which must not grow with length.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ns() { date +%s%N; }
peak_kb() {		# peak_kb CMD...: the command's max RSS in KiB
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

.output/gen_trace "$dir/big.evt" "$n"
.output/gen_trace "$dir/small.evt" $((n / 10))
size=$(stat -c %s "$dir/big.evt")
cat "$dir/big.evt" >/dev/null	# into the page cache

t0=$(ns); cat "$dir/big.evt" >/dev/null; t1=$(ns)
./evtrace hist --json "$dir/big.evt" >/dev/null; t2=$(ns)
cat_s=$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)
rep_s=$(echo "scale=3; ($t2 - $t1) / 1000000000" | bc)
echo "bench replay: $n events, $size bytes ($(echo "scale=2; $size / $n" | bc) bytes/event)"
echo "bench replay: cat ${cat_s}s ($(echo "scale=0; $size / ($t1 - $t0) * 1000 / 1048576" | bc) MiB/s),"\
	"evtrace hist ${rep_s}s ($(echo "scale=2; $n / ($t2 - $t1) * 1000" | bc) Mev/s)"
echo "bench replay: replay speed / cat speed = $(echo "scale=3; ($t1 - $t0) / ($t2 - $t1)" | bc) (target >= 0.25)"
echo "bench replay: peak RSS $(peak_kb ./evtrace hist --json "$dir/small.evt") KiB for $((n / 10)) events," \
	"$(peak_kb ./evtrace hist --json "$dir/big.evt") KiB for $n events"
