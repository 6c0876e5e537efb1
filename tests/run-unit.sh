#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make unit: run each cmocka test binary given, passing its output through
# (stderr merged: cmocka prints its summary there), then one line
# "unit: N passed, N failed" counting test cases.  Exits non-zero if any
# binary failed or crashed; one that died without saying how many of its
# tests failed counts as one failure.  UNIT_LABEL names the line.
set -u
unset CMOCKA_MESSAGE_OUTPUT
out=$(mktemp)
trap 'rm -f "$out"' EXIT
pass=0 fail=0 status=0

for bin in "$@"; do
	echo "--- $bin"
	"$bin" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	read -r p f < <(awk '
		/^\[  PASSED  \] [0-9]+ test\(s\)\.$/ { p += $4 }
		/^\[  FAILED  \] [0-9]+ test\(s\)/ { f += $4 }
		END { print p + 0, f + 0 }' "$out")
	if [ "$rc" -ne 0 ]; then
		status=1
		if [ "$f" -eq 0 ]; then
			echo "--- $bin: exit status $rc"
			f=1
		fi
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done

echo "${UNIT_LABEL:-unit}: $pass passed, $fail failed"
[ "$status" -eq 0 ] && [ "$fail" -eq 0 ]
