#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench-vm: evtrace's cost per event against bpftrace's on the same
# kernel functions, in one boot of Debian's 6.12 cloud kernel under QEMU.
# The guest (tests/vm/guest/bench.sh) times the workloads under each mode
# and leaves raw numbers in /out; bench.py prints the table from them.
# Figures, not pass/fail: not part of make check.
#
# usage: bench.sh
# env:   EVTRACE_BIN (default .output/evtrace-static), EVTRACE_DISCARD_BIN
#        (default .output/evtrace-static-discard), CLOCKNS (default
#        .output/clockns), BPFTRACE (default: bpftrace on PATH), VM_OUT
#        (default tests/vm/out; the run goes to VM_OUT/bench), VM_TIMEOUT
#        seconds (default 1200), VM_ACCEL (see boot.sh); for shorter trial
#        runs BENCH_REPS, BENCH_MODES, BENCH_WORKLOADS (see guest/bench.sh);
#        BENCH_EVTRACE_ARGS, options added to the evtrace modes (--bufsize 32M);
#        BENCH_BPF_STATS=1: the kernel times each BPF program (ns per run);
#        BENCH_PIN=1: the workloads on vCPU 0, every tracer's threads on
#        vCPU 1, so the guest never runs a tracer's work on the workload's
#        vCPU (both still take turns on one host thread: boot.sh), and
#        the runs vary less (bpftrace's counting added 241 to 246 ms to
#        the burst in four such boots, 266 to 370 ms unpinned);
#        VM_ACCEL=tcg,thread=multi (best with BENCH_PIN=1): each vCPU on a
#        host thread of its own, so a tracer's consumer runs beside the
#        workload as on a machine with a spare core, where by default the
#        one host thread both vCPUs share makes the workload wait through
#        part of its cycles (bpftrace's counting has no consumer); noisier, as it wants the host's cores to itself
#        (three boots put the live view at 0.83 to 1.33 of bpftrace's
#        counting); boot.sh says why the VM tests keep one thread, and the
#        table names the mode it ran in;
#        BENCH_BOOTS=N: N boots, each its own table, then each ratio boot
#        by boot with its median, and its median over the boots bench.py
#        did not warn about (the host can change a boot's speed for
#        minutes: the burst's, in 15 of 23 boots on 2026-12-03);
#        BENCH_BASE=a static evtrace of another tree, for base-MODE modes
#        (e.g. BENCH_MODES="none bt-count hist base-hist live base-live none-end");
#        VM_ICOUNT=0: the guest's clock counts instructions (boot.sh), and
#        every figure is in instructions, the same from run to run: what a
#        change saves shows without the host's noise, but not what memory
#        misses cost, which emulation makes dear and icount does not see
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${EVTRACE_BIN:-.output/evtrace-static}
clk=${CLOCKNS:-.output/clockns}
out=${VM_OUT:-tests/vm/out}/bench
bt=${BPFTRACE:-$(command -v bpftrace || true)}
boots=${BENCH_BOOTS:-1}
if ! [[ $boots =~ ^[1-9][0-9]?$ ]]; then
	echo "bench-vm: BENCH_BOOTS=$boots: give a number of boots from 1 to 99" >&2
	exit 2
fi
if [ -z "$bt" ]; then
	echo "bench-vm: no bpftrace (make deps installs Debian's)" >&2
	exit 2
fi
t0=$(date +%s)

# The image's /guest/run.sh is the bench script (/init runs run.sh), with
# the host's BENCH_* settings beside it.
stage=$(mktemp -d)
ratios=$(mktemp)	# every boot's table, for BENCH_BOOTS' summary
trap 'rm -rf "$stage" "$ratios"' EXIT
cp tests/vm/guest/bench.sh "$stage/run.sh"
cp tests/vm/guest/seed.sh "$stage/"
for v in BENCH_REPS BENCH_MODES BENCH_WORKLOADS BENCH_EVTRACE_ARGS BENCH_BPF_STATS BENCH_PIN; do
	[ -z "${!v:-}" ] || printf '%s="%s"\n' "$v" "${!v}" >>"$stage/bench.conf"
done

# BENCH_BASE: another static evtrace (an older tree's), as /bin/evtrace-base
# for the base-MODE modes: this tree against it in the same boot.  And
# this tree's build that reads the ring and drops it, as
# /bin/evtrace-discard: the live-discard mode (Makefile).
discard=${EVTRACE_DISCARD_BIN:-.output/evtrace-static-discard}
cp "$discard" "$stage/evtrace-discard"
extra="$clk $stage/evtrace-discard"
if [ -n "${BENCH_BASE:-}" ]; then
	cp "$BENCH_BASE" "$stage/evtrace-base"
	extra="$extra $stage/evtrace-base"
fi

mkdir -p "$out"
img=$out/initramfs-bench.cpio.zst
EXTRA_BINS=$extra BPFTRACE=$bt COMPRESS=zstd \
	tests/vm/mkinitramfs.sh "$img" "$bin" "$stage"
echo "bench-vm: image $(du -m "$img" | cut -f1) MB (bpftrace and its libraries) in $(($(date +%s) - t0)) s"

dir=$(tests/vm/fetch-kernels.sh | awk '$1 == "6.12" {print $2}')
[ -n "$dir" ] || { echo "bench-vm: no 6.12 kernel" >&2; exit 1; }
for k in $(seq 1 "$boots"); do
	vm=$out/vm
	[ "$k" -eq 1 ] || vm=$out/vm$k
	echo "bench-vm: booting $(basename "$dir")${BENCH_BOOTS:+ (boot $k of $boots)}"
	rc=0
	tests/vm/boot.sh "$dir/vmlinuz" "$img" "$vm" bench "${VM_TIMEOUT:-1200}" || rc=$?
	if [ $rc -ne 0 ]; then
		rm -f "$img"
		echo "bench-vm: guest run failed (rc=$rc); console: $vm/console.log" >&2
		tail -n 30 "$vm/out/console-guest.log" 2>/dev/null >&2 || true
		exit 1
	fi
	echo "boot $k" >>"$ratios"
	python3 tests/vm/bench.py "$vm/out" | tee -a "$ratios"
done
rm -f "$img"
# BENCH_BOOTS: each ratio boot by boot, starred where bench.py warned that
# the host changed the guest's speed during the boot, and the medians
if [ "$boots" -gt 1 ]; then
	echo "bench-vm: over $boots boots (* a boot bench.py warned about):"
	awk '
	function median(a, c,   i, j, t) {
		for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
	}
	/^boot [0-9]+$/ { b = $2; next }
	/^bench-vm: WARNING/ { warned[b] = 1; next }
	/^bench-vm: ratio [^ ]+ = / {
		m = $3
		if (!(m in n)) order[++k] = m
		v[m, ++n[m]] = $5 + 0; s[m, n[m]] = $5; vb[m, n[m]] = b
	}
	END {
		for (i = 1; i <= k; i++) {
			m = order[i]; list = ""; c = 0
			split("", all); split("", clean)
			for (j = 1; j <= n[m]; j++) {
				list = list (j > 1 ? ", " : "") s[m, j] (warned[vb[m, j]] ? "*" : "")
				all[j] = v[m, j]
				if (!warned[vb[m, j]]) clean[++c] = v[m, j]
			}
			printf "bench-vm: ratio %s: %s (median %.2f", m, list, median(all, n[m])
			if (c < n[m])
				printf c ? "; %.2f without the starred boots" : "; every boot starred", median(clean, c)
			printf ")\n"
		}
	}
	' "$ratios"
fi
echo "bench-vm: done in $(($(date +%s) - t0)) s"
