#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/run.sh [SECONDS]: a bounded libFuzzer run (default 60 s) of the
# trace file reader and of the commands that read files (info, events, hist,
# export, replay: every layer under them but the probes), under ASan and
# UBSan, from a seed corpus that tests/fuzz/mkcorpus.c writes with the real
# writer (so it is reproducible and nothing binary is kept in git).  SECONDS
# bounds the fuzzing; building the target takes about a minute more the
# first time (objects are kept in .output/fuzz/obj and rebuilt when newer).  Everything goes to .output/fuzz/: the target, the seeds, the work
# corpus, the log and any crash/timeout/oom artifact, which is named here.
# The last line is "fuzz: 1 passed, 0 failed" or "fuzz: 0 passed, 1 failed".
#
#   FUZZ_ARGS="-jobs=4 -workers=4"   more libFuzzer options
#   tests/fuzz/run.sh 0              build and replay the seeds only
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
out=.output/fuzz
CLANG=${CLANG:-clang}
CC=${CC:-cc}

fail() {
	echo "fuzz: $*"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}

mkdir -p $out/obj || fail "cannot create $out"
# the seeds need only the trace file (reader, writer, their codec), the
# mountinfo unescaper and the cgroup table META carries; the target, every layer but main.c (the commands'
# do_*(), as make's unit tests link them), with the BPF skeleton the probes
# embed, which make builds
srcs="src/file/reader.c src/file/writer.c src/file/codec.c src/lib/mounts.c src/lib/cgroups.c"
cflags="-g -std=gnu11 -D_GNU_SOURCE -Wall -Iinclude -Isrc -I.output"
# the inflation budget's floor 16 MiB, not 256: a bomb costs a mutant 16
# times less, and its paths are the same (tracefile.h)
fcflags="$cflags -DTF_INFLATE_FLOOR=16777216ull"
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
make -s .output/evtrace.skel.h || fail "make .output/evtrace.skel.h failed"
# objects of other flags (an older run.sh) are built again
echo "$CLANG $fcflags $san" | cmp -s - $out/obj/flags || { rm -f $out/obj/*.o; echo "$CLANG $fcflags $san" >$out/obj/flags; }
obj() { echo "$out/obj/$(echo "${1#src/}" | tr / _ | sed 's/\.c$/.o/')"; }
objs=$(for src in src/*/*.c; do obj "$src"; done)
for src in src/*/*.c; do
	o=$(obj "$src")
	# rebuilt when the source or any header is newer (a header: any of them)
	if [ ! -e "$o" ] || [ -n "$(find src include .output/evtrace.skel.h -newer "$o" \
				       \( -name '*.h' -o -path "$src" \) -print -quit)" ]; then
		echo "$CLANG $fcflags -O1 $san -c $src -o $o"
	fi
done | xargs -P "$(nproc)" -I{} sh -c '{}' || fail "build of the sources failed (needs clang)"
$CLANG $fcflags -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	tests/fuzz/fuzz_tracefile.c $objs -Wl,-Bstatic -lbpf -Wl,-Bdynamic -lelf -lzstd -lz \
	-lsodium -lncursesw -ltinfo -lpthread -o $out/fuzz_tracefile ||
	fail "build of the fuzz target failed (needs clang and libclang-rt-dev)"
$CC $cflags -O1 tests/fuzz/mkcorpus.c $srcs -lzstd -lz -o $out/mkcorpus ||
	fail "build of mkcorpus failed"

# fresh seeds and a fresh work corpus: a run does not depend on the last one
rm -rf $out/seeds $out/corpus
mkdir -p $out/seeds $out/corpus
$out/mkcorpus $out/seeds || fail "mkcorpus failed"
cp $out/seeds/* $out/corpus/

# tokens a mutation would take long to guess
cat >$out/tracefile.dict <<'EOF'
"EVTRACE\x00"
"ESEC"
"\x01\x00\x00\x00 \x00\x00\x00"
"evtrace_version "
"kernel_release "
"boot_offset_ns "
"start_ns "
"ncpus "
"probes "
"filters "
"mount "
"ts_ns "
"end_ns "
"events "
"lost "
"dropped "
"chunks "
"\\040"
"\\134"
"\x28\xb5\x2f\xfd"
"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
EOF

stamp=$out/.run-start
touch $stamp
# -close_fd_mask=3 would hide the reproduction hints: keep them in the log
# libFuzzer takes -max_total_time=0 as no limit: 0 seconds is -runs=0, the seeds only
limit=-max_total_time=$secs
[ "$secs" -eq 0 ] && limit=-runs=0
(cd $out && ./fuzz_tracefile "$limit" -rss_limit_mb=1024 -timeout=5 \
	-malloc_limit_mb=512 -dict=tracefile.dict -artifact_prefix=./ \
	-print_final_stats=1 ${FUZZ_ARGS:-} corpus >fuzz.log 2>&1)
rc=$?

stat() { sed -n "s/^stat::$1: *//p" $out/fuzz.log | tail -n 1; }
execs=$(stat number_of_executed_units)
echo "fuzz: ${execs:-?} executions in ${secs}s (${execs:+$((execs / (secs > 0 ? secs : 1)))}/s)," \
	"$(stat new_units_added) new inputs, peak RSS $(stat peak_rss_mb) MiB," \
	"corpus $(ls $out/corpus | wc -l) files"
artifacts=$(find $out -maxdepth 1 -newer $stamp \
	\( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \
	   -o -name 'slow-unit-*' \) | sort)
if [ $rc -eq 0 ] && [ -z "$artifacts" ]; then
	echo "fuzz: 1 passed, 0 failed"
	exit 0
fi
grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' $out/fuzz.log | head -n 20
for a in $artifacts; do
	echo "fuzz: kept $a (replay: $out/fuzz_tracefile $a)"
done
echo "fuzz: log in $out/fuzz.log (exit $rc)"
echo "fuzz: 0 passed, 1 failed"
exit 1
