#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: the main job for real.  Natively (with sudo) where this kernel
# lets evtrace attach; otherwise, as on the build machines whose kernel
# refuses BPF tracing, inside Debian's 6.12 kernel under QEMU, on the seed
# thread's workloads: a tracefs instance made, listed and removed, the
# kprobe event created and deleted, and a shell making pipes.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all .output/evtrace-static

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
if $sudo ./evtrace probes >/dev/null 2>&1; then
	echo "== this kernel can attach: running natively"
	$sudo ./evtrace probes
	T=/sys/kernel/tracing inst=evtrace-demo-$$
	$sudo ./evtrace events --duration 8 --fs tracefs --fs pipefs &
	sleep 3	# the "attached" line comes first
	if [ -d $T/instances ]; then
		$sudo mkdir $T/instances/$inst
		$sudo ls $T/instances/$inst/events/sched >/dev/null
		$sudo rmdir $T/instances/$inst
	fi
	for _ in $(seq 20); do true | true; done
	wait
	exit 0
fi

echo "== ./evtrace here says:"
$sudo ./evtrace events 2>&1 | head -n 1 || true
echo "== so the demo runs in Debian's 6.12 cloud kernel under QEMU (software emulation, ~1 min)"
out=.output/demo
mkdir -p $out
tests/vm/mkinitramfs.sh $out/initramfs.cpio.gz .output/evtrace-static tests/vm/guest
k=$(tests/vm/fetch-kernels.sh | awk '$1 == "6.12" {print $2}')
if ! tests/vm/boot.sh "$k/vmlinuz" $out/initramfs.cpio.gz $out demo 600 >/dev/null; then
	echo "demo: the VM run failed; console in $out/console.log" >&2
	exit 1
fi
cat $out/out/console-guest.log

# The recording, on this host: what `evtrace record` is for.
rec=$out/out/demo.evt
if [ ! -s $rec ]; then
	echo "demo: the VM wrote no recording; console in $out/console.log" >&2
	exit 1
fi
echo
echo "== on this host: ./evtrace info $rec (what the recording holds)"
./evtrace info $rec | sed '/^mounts:/,/^integrity:/{/^mounts:/!{/^integrity:/!d}}'
echo "== on this host: ./evtrace hist $rec (inode numbers allocated, per mount)"
./evtrace hist $rec 2>&1 | sed -n '/^summary:/q;p'
echo "== on this host: the live view replaying it (./evtrace replay $rec --view live), its last screen"
if command -v tmux >/dev/null; then
	sess=evtrace-demo-$$
	tmux new-session -d -s $sess -x 120 -y 40 \
		"TERM=xterm-256color ./evtrace replay $rec --view live --max -i 0.1; sleep 60"
	for _ in $(seq 100); do
		tmux capture-pane -p -t $sess | grep -qF "[END OF FILE]" && break
		sleep 0.1
	done
	tmux capture-pane -p -t $sess
	tmux kill-session -t $sess
else
	echo "(tmux is not installed, make deps installs it: the live view needs a terminal)"
fi
./evtrace export $rec --format perfetto -o $out/demo.perfetto.json
echo "== ./evtrace export $rec --format perfetto -o $out/demo.perfetto.json: open it in https://ui.perfetto.dev"
echo "== full output: $out/out/"
