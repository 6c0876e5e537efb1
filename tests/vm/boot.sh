#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel with an initramfs from mkinitramfs.sh and run the guest's
# /guest/run.sh RUN_NAME: BPF tracing programs cannot be loaded on the build
# hosts, so they run in a VM.  Software emulation only, as KVM guests hang on
# these hosts.  The guest leaves its /out as a tar archive on a raw NVMe disk
# (virtio-blk is a module in the Debian cloud kernels, NVMe is built in);
# it is unpacked into OUTDIR/out.  The console goes to OUTDIR/console.log.
# Exits with run.sh's status, or 124 if the guest did not finish in time.
#
# usage: boot.sh VMLINUZ INITRAMFS OUTDIR [RUN_NAME] [TIMEOUT_SEC]
# env:   VM_ACCEL, qemu's -accel (default tcg,thread=single); VM_ICOUNT=N,
#        the guest's clock counts instructions (qemu -icount shift=N: a
#        nanosecond is 2^N of them), so what the guest times is the same
#        from run to run whatever the host's load (bench-vm's figures);
#        VM_MEM, the guest's memory (default 2G: the aggregation scenario
#        runs ten tracers at once, and in 1G the kernel OOM-killed one
#        while the verifier of the tenth took its memory, once on 7.3)
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 5 ]; then
	echo "usage: $0 VMLINUZ INITRAMFS OUTDIR [RUN_NAME] [TIMEOUT_SEC]" >&2
	exit 2
fi
kernel=$1 initrd=$2 outdir=$3 run=${4:-all} tmo=${5:-300}
disk=$outdir/disk.raw log=$outdir/console.log

mkdir -p "$outdir"
rm -rf "$disk" "$outdir/out"
mkdir "$outdir/out"
truncate -s 256M "$disk"

# One host thread for both vCPUs (VM_ACCEL overrides).  With multi-threaded
# TCG, a vCPU can run __dentry_kill's first byte as the int3 that ftrace's
# text_poke_bp() left there after the other vCPU finished patching it: the
# guest oopsed that way once ("Oops: int3" at __dentry_kill+0x1, while a
# test's probes attached).  Round-robin vCPUs see code writes in order, and
# a 6.12 run took 166 s this way against 150 to 190 s multi-threaded.
accel=${VM_ACCEL:-tcg,thread=single}
icount=
[ -z "${VM_ICOUNT:-}" ] || icount="-icount shift=$VM_ICOUNT,sleep=on"

t0=$(date +%s%N)
qrc=0
timeout -k 10 "$tmo" qemu-system-x86_64 -accel "$accel" $icount -cpu max -m "${VM_MEM:-2G}" -smp 2 \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 evtrace.run=$run" \
	-nographic -no-reboot -nic none \
	-drive file="$disk",format=raw,if=none,id=out \
	-device nvme,serial=evtrace-out,drive=out \
	</dev/null >"$log" 2>&1 || qrc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
secs=$((ms / 1000)).$((ms % 1000 / 100))

if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "boot.sh: ERROR: guest timed out after ${tmo}s (run=$run), see $log" >&2
	exit 124
fi

# The serial console ends its lines with \r\n.
rc=$(tr -d '\r' <"$log" | sed -n 's/.*EVTRACE-VM-DONE rc=\([0-9][0-9]*\).*/\1/p' | tail -n 1)
if [ -z "$rc" ]; then
	echo "boot.sh: ERROR: no EVTRACE-VM-DONE marker (qemu exit $qrc, run=$run), see $log; its end:" >&2
	tail -n 20 "$log" | tr -d '\r' >&2
	exit 1
fi

tar --no-overwrite-dir -xf "$disk" -C "$outdir/out"
rm -f "$disk"
# the emulation the run's timings come from (bench.py prints it): the guest cannot tell
echo "$accel" >"$outdir/out/accel"
if [ ! -e "$outdir/out/console-guest.log" ]; then
	echo "boot.sh: ERROR: the guest did not save /out, see $log" >&2
	[ "$rc" -ne 0 ] || rc=1
fi

echo "boot.sh: run=$run rc=$rc in ${secs}s, output in $outdir"
exit "$rc"
