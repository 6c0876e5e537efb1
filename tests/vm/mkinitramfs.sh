#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs the VM tests boot: the host cannot load BPF tracing
# programs, so evtrace runs inside a stock kernel under QEMU.  The image holds
# busybox (the whole userland), the static evtrace, the guest scripts and
# /init.  Nothing is dynamically linked, so no host libraries are copied.
#
# usage: mkinitramfs.sh OUT.cpio.gz BINARY GUESTDIR
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 OUT.cpio.gz BINARY GUESTDIR" >&2
	exit 2
fi
out=$(realpath -m "$1") bin=$2 guest=$3
here=$(dirname "$(realpath "$0")")

# A dynamic binary would only fail in the guest, with a confusing "not found".
if readelf -l "$bin" | grep -q INTERP; then
	echo "mkinitramfs: $bin is not statically linked" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,tmp,out,guest}
install -m 755 /bin/busybox "$tmp/bin/busybox"
install -m 755 "$bin" "$tmp/bin/evtrace"
install -m 755 "$here/init" "$tmp/init"
cp -R "$guest"/. "$tmp/guest/"
chmod -R a+rx "$tmp/guest"
# the live view on a pseudo-terminal: a pty runner and one terminfo entry
if [ -n "${PTYRUN:-}" ]; then
	install -m 755 "$PTYRUN" "$tmp/bin/ptyrun"
	mkdir -p "$tmp/lib/terminfo/v"
	cp /lib/terminfo/v/vt100 "$tmp/lib/terminfo/v/"
fi

# -R 0:0: the guest sees root-owned files even when built by a normal user.
(cd "$tmp" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out"
