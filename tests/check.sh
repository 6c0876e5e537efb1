#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: build, then every suite (src/'s layering and its self-test, unit,
# unit under ASan+UBSan+TSan, host CLI, serve and Prometheus, live view, fuzz,
# VM on 6.12 and 6.1),
# each ending in a "NAME: N passed, N failed" line; this adds them up into
# the last line.  Exits non-zero if any suite failed or did not finish.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
t0=$(date +%s)
status=0

suite() {		# suite NAME CMD...
	local name=$1 rc
	shift
	echo "=== $name"
	"$@" 2>&1 | tee -a "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "=== $name: FAILED (exit $rc)"
		grep -q "^$name[^:]*: [0-9]* passed, [0-9]* failed" "$log" ||
			echo "$name: 0 passed, 1 failed" >>"$log"
		status=1
	fi
}

echo "=== build"
if ! make -s all .output/evtrace-static .output/ptyrun; then
	echo "check: 0 passed, 1 failed (build)"
	exit 1
fi
suite layers tests/host/layers.sh
suite layers-selftest tests/host/layers.sh --self-test
suite unit make -s unit
suite unit-san make -s unit-san
suite host tests/host/cli.sh
suite hostile tests/host/hostile.sh
suite serve tests/host/serve.sh
suite manpage tests/host/manpage.sh
suite live tests/host/live_tui.sh
suite fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
suite vm tests/vm/run.sh

read -r p f s < <(awk '/^[a-z][^ :]*( [^ :]*)?: [0-9]+ passed, [0-9]+ failed/ {
	sub(/^[^:]*: /, ""); p += $1; f += $3; if ($5 != "") s += $5 }
	END { print p + 0, f + 0, s + 0 }' "$log")
# CI shows only the end of this output: repeat what failed, and every
# suite's line, right above the total.
echo "=== what failed"
grep -E '^(not ok|FAIL|\[  FAILED)' "$log" | head -n 40
grep -E '^[a-z][^ :]*( [^ :]*)?: [0-9]+ passed, [0-9]+ failed' "$log" |
	grep -v ' 0 failed' | head -n 20
echo "=== $(($(date +%s) - t0))s"
echo "check: $p passed, $f failed, $s skipped"
[ "$status" -eq 0 ] && [ "$f" -eq 0 ]
