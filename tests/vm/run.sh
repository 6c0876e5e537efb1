#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM tests: boot Debian's 6.12 (eventfs with kref), 6.1 (no eventfs)
# and the newest trixie-backports cloud kernels with the static evtrace
# and the guest scenarios, then assert on the decoded events on the host
# (check.py).
#
# usage: run.sh [KERNEL...]   (default: 6.12 6.1 newest; any line
#        fetch-kernels.sh --all prints, e.g. 7.0)
# env:   EVTRACE_BIN (default .output/evtrace-static), VM_OUT (default
#        tests/vm/out), VM_TIMEOUT seconds per boot (default 1200), VM_JOBS
#        guests at once (default: the host's CPUs, at most 3)
# Each guest is one QEMU thread (boot.sh): on a 2-CPU host two boot side
# by side in the time of one, which brought make check from 16 minutes to
# under 12.  The checks run after, one kernel at a time, in the order given.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${EVTRACE_BIN:-.output/evtrace-static}
out=${VM_OUT:-tests/vm/out}
# the longest two first: the third boots when one of them is done
kernels=${*:-6.12 newest 6.1}

mkdir -p "$out"
# Debian's bpftrace (make deps installs it) counts calls beside evtrace in
# the counts scenario; without it that scenario says SKIPPED.
bt=$(command -v bpftrace || true)
[ -n "$bt" ] || echo "vm: no bpftrace on this host: the counts scenario will be SKIPPED (make deps installs it)"
# and the dynamic evtrace, whose serve has HTTP (the static one cannot link it)
dyn=${EVTRACE_DYN:-evtrace}
[ -x "$dyn" ] || { echo "vm: no dynamic $dyn (make all builds it)" >&2; exit 1; }
DYNAMIC_BINS=$dyn:evtrace-http \
PTYRUN=${PTYRUN:-.output/ptyrun} BPFTRACE=$bt COMPRESS=${bt:+zstd} \
	tests/vm/mkinitramfs.sh "$out/initramfs.img" "$bin" tests/vm/guest
kdirs=$(tests/vm/fetch-kernels.sh $(for k in $kernels; do
	case $k in 6.1|6.12|newest) ;; *) echo --all; break ;; esac
done))

jobs=${VM_JOBS:-$(nproc)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ "$jobs" -le 3 ] || jobs=3

# boot KERNEL DIR: one guest, its failure said with its console's end.
# A guest's scenarios take 9 to 10 minutes under emulation with two side
# by side on a 2-CPU host, more when the host is slow: 7.3's once ran out
# of 600 s with 6 of its 39 scenarios left, so the bound is twice that.
boot() {
	if ! tests/vm/boot.sh "$2/vmlinuz" "$out/initramfs.img" "$out/$1" all \
		"${VM_TIMEOUT:-1200}"; then
		echo "vm $1: guest run failed; console: $out/$1/console.log" >&2
		tail -n 20 "$out/$1/out/console-guest.log" 2>/dev/null >&2 || true
	fi
}

rc=0
booted=
for k in $kernels; do
	dir=$(awk -v k="$k" '$1 == k {print $2}' <<<"$kdirs")
	if [ -z "$dir" ]; then
		echo "vm $k: no such kernel (have: $(awk '{printf "%s ", $1}' <<<"$kdirs"))" >&2
		rc=1
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	echo "vm $k: booting $(basename "$dir")"
	boot "$k" "$dir" &
	booted="$booted $k"
done
wait
for k in $booted; do
	python3 tests/vm/check.py "$out/$k" || rc=1
done
exit $rc
