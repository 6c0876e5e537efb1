#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: install the Debian packages evtrace builds, tests and demos
# with, and nothing when they are all there already.  The kernels the VM
# tests boot are fetched (not installed) by tests/vm/fetch-kernels.sh.
set -euo pipefail

pkgs=(
	make gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev
	libsodium-dev libcmocka-dev uthash-dev libncurses-dev pkg-config tmux
	qemu-system-x86 busybox-static cpio zstd python3 time bc bpftrace
	man-db groff-base
	libmicrohttpd-dev prometheus
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# no recommends: qemu would pull in a whole desktop stack
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
