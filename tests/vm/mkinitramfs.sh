#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs the VM tests boot: the host cannot load BPF tracing
# programs, so evtrace runs inside a stock kernel under QEMU.  The image holds
# busybox (the whole userland), the static evtrace, the guest scripts and
# /init.  Nothing is dynamically linked, so no host libraries are copied,
# unless BPFTRACE or DYNAMIC_BINS is set.
#
# usage: mkinitramfs.sh OUT.cpio.gz BINARY GUESTDIR
# env:   PTYRUN       a static pty runner, installed as /bin/ptyrun (vm-test)
#        EXTRA_BINS   more static programs, each installed as /bin/NAME
#        BPFTRACE     a bpftrace binary: installed as /usr/bin/bpftrace with
#                     every shared library ldd names and the dynamic loader,
#                     at their host paths (about 200 MB unpacked)
#        DYNAMIC_BINS more dynamic programs, SRC:NAME each, installed as
#                     /usr/bin/NAME with their libraries as bpftrace's are
#                     (the dynamic evtrace, whose serve has HTTP)
#        COMPRESS     gzip (the default, -1) or zstd (-3, multithreaded;
#                     the Debian kernels have CONFIG_RD_ZSTD)
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
for b in ${EXTRA_BINS:-}; do
	if readelf -l "$b" | grep -q INTERP; then
		echo "mkinitramfs: $b is not statically linked" >&2
		exit 1
	fi
	install -m 755 "$b" "$tmp/bin/$(basename "$b")"
done
# bpftrace is dynamic: its libraries (libLLVM, libclang-cpp, libbcc, ...)
# and the loader go where the host has them, so the loader's default
# search path finds them without an ld.so.cache.
dynamic() {		# dynamic SRC NAME
	install -D -m 755 "$1" "$tmp/usr/bin/$2"
	libs=$(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
	[ -n "$libs" ] || { echo "mkinitramfs: ldd $1 named no library" >&2; exit 1; }
	for l in $libs; do
		mkdir -p "$tmp$(dirname "$l")"
		cp -L "$l" "$tmp$l"
	done
}
if [ -n "${BPFTRACE:-}" ]; then
	dynamic "$BPFTRACE" bpftrace
fi
for d in ${DYNAMIC_BINS:-}; do
	dynamic "${d%%:*}" "${d##*:}"
done

# -R 0:0: the guest sees root-owned files even when built by a normal user.
case ${COMPRESS:-gzip} in
gzip) compress=(gzip -1) ;;
zstd) compress=(zstd -q -3 -T0) ;;
*) echo "mkinitramfs: COMPRESS=$COMPRESS: gzip or zstd" >&2; exit 2 ;;
esac
(cd "$tmp" && find . | cpio -o -H newc -R 0:0 --quiet | "${compress[@]}") >"$out"
