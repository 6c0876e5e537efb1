#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make vm-matrix: boot every Debian cloud kernel line fetch-kernels.sh
# finds (bookworm's 6.1, bookworm-backports' 6.12, and the newest kernel of
# each line in trixie and trixie-backports), run the VM tests on each, and
# print one table: probe x kernel (fentry, kprobe, missing, and the kernel
# function when a newer name was used), and per kernel the assertions
# passed and failed.  Not part of make check (about 3 minutes a kernel).
#
# env: VM_OUT (default tests/vm/out; the run goes to VM_OUT/matrix), and
#      what run.sh takes
set -uo pipefail
cd "$(dirname "$0")/../.."

out=${VM_OUT:-tests/vm/out}/matrix
mkdir -p "$out"
kdirs=$(tests/vm/fetch-kernels.sh --all) || exit 1
lines=$(awk '$1 != "newest" {print $1}' <<<"$kdirs" | sort -V -u | tr '\n' ' ')
echo "vm-matrix: kernels $lines"
VM_OUT=$out tests/vm/run.sh $lines 2>&1 | tee "$out/run.log"
python3 tests/vm/matrix.py "$out" $lines
