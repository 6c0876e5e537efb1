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
#        tests/vm/out), VM_TIMEOUT seconds per boot (default 600)
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${EVTRACE_BIN:-.output/evtrace-static}
out=${VM_OUT:-tests/vm/out}
kernels=${*:-6.12 6.1 newest}

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

rc=0
for k in $kernels; do
	dir=$(awk -v k="$k" '$1 == k {print $2}' <<<"$kdirs")
	if [ -z "$dir" ]; then
		echo "vm $k: no such kernel (have: $(awk '{printf "%s ", $1}' <<<"$kdirs"))" >&2
		rc=1
		continue
	fi
	echo "vm $k: booting $(basename "$dir")"
	if ! tests/vm/boot.sh "$dir/vmlinuz" "$out/initramfs.img" "$out/$k" all \
		"${VM_TIMEOUT:-600}"; then
		echo "vm $k: guest run failed; console: $out/$k/console.log" >&2
		tail -n 20 "$out/$k/out/console-guest.log" 2>/dev/null >&2 || true
	fi
	python3 tests/vm/check.py "$out/$k" || rc=1
done
exit $rc
