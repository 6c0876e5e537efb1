#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, replay part: a file of N synthetic pipe-loop events (default
# 10 million), read from the page cache by cat (the baseline) and replayed
# into `evtrace hist` (the figure), in the same run, with the floors in
# between (bench_read: zstd decompression of the chunks alone, and the
# reader's full decode without the model) so the ratio can be read; then
# peak memory of replay on files of N/10 and N events, which must not grow
# with length.
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
floors=$(.output/bench_read "$dir/big.evt")
z=$(awk '$1 == "zstd" { print $2 * 1e9 }' <<<"$floors")
d=$(awk '$1 == "decode" { print $2 * 1e9 }' <<<"$floors")
awk -v n="$n" -v size="$size" -v c=$((t1 - t0)) -v r=$((t2 - t1)) -v z="$z" -v d="$d" \
    -v cpus="$(nproc)" 'BEGIN {
	printf "bench replay: %d events, %d bytes (%.2f bytes/event), %d CPUs\n", n, size, size / n, cpus
	printf "bench replay: cat %.3fs (%.0f MiB/s)\n", c / 1e9, size / c * 1e9 / 1048576
	printf "bench replay: zstd decompression alone %.3fs (%.4f of cat speed)\n", z / 1e9, c / z
	printf "bench replay: reader decode, no model, 1 thread %.3fs (%.2f Mev/s, %.4f of cat speed)\n",
		d / 1e9, n / d * 1e3, c / d
	printf "bench replay: evtrace hist %.3fs (%.2f Mev/s, %.0f MiB/s)\n",
		r / 1e9, n / r * 1e3, size / r * 1e9 / 1048576
	printf "bench replay: replay speed / cat speed = %.4f (target >= 0.25)\n", c / r
}'
echo "bench replay: peak RSS $(peak_kb ./evtrace hist --json "$dir/small.evt") KiB for $((n / 10)) events," \
	"$(peak_kb ./evtrace hist --json "$dir/big.evt") KiB for $n events"
