#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A bounded libFuzzer run on the trace file reader (default 60 s), from a
# generated seed corpus.  Ends with "fuzz: 1 passed, 0 failed" or names the
# crash artifact it kept in .output/fuzz/.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=.output/fuzz
mkdir -p $out
rm -rf $out/corpus && mkdir -p $out/corpus
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc"
if ! clang $cflags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	tests/fuzz/fuzz_tracefile.c src/tracefile.c src/mounts.c -lzstd -lz -o $out/fuzz_tracefile ||
   ! cc $cflags tests/fuzz/mkcorpus.c src/tracefile.c src/mounts.c -lzstd -lz -o $out/mkcorpus ||
   ! $out/mkcorpus $out/corpus; then
	echo "fuzz: 0 passed, 1 failed (build)"
	exit 1
fi
# -close_fd_mask=1: the target prints nothing worth keeping
(cd $out && ./fuzz_tracefile -max_total_time="$secs" -rss_limit_mb=1024 -timeout=5 \
	-artifact_prefix=./crash- -print_final_stats=1 corpus >fuzz.log 2>&1)
rc=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $out/fuzz.log
if [ $rc -eq 0 ]; then
	echo "fuzz: 1 passed, 0 failed"
	exit 0
fi
tail -n 30 $out/fuzz.log
echo "fuzz: crash kept in $(ls $out/crash-* 2>/dev/null | head -n 1)"
echo "fuzz: 0 passed, 1 failed"
exit 1
