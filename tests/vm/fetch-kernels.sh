#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the stock Debian cloud kernels the VM tests boot, without installing
# them.  Prints "<line> <dir>" for each kernel; the vmlinuz is <dir>/vmlinuz.
# Cached under $EVTRACE_CACHE (default ~/.cache/evtrace); versions are
# resolved with apt-cache, never hard-coded.
#
# usage: fetch-kernels.sh [--all]
#   default: 6.12 from bookworm-backports (eventfs with kref), 6.1 from
#            bookworm (no eventfs), and the newest line trixie-backports has
#            ("newest" is that line, e.g. 7.3)
#   --all:   also the newest kernel of every line trixie and
#            trixie-backports have (6.12, 6.16, 6.19, 7.0, ...), for make
#            vm-matrix
#
# trixie and trixie-backports are read through a private apt state (its own
# sources, lists and cache under the cache directory): the build machine's
# apt lists are not changed for them.  Since 7.2 the kernel image is in
# linux-binary-unsigned-*, not linux-image-*-unsigned.
set -euo pipefail

cache=${EVTRACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evtrace}
mkdir -p "$cache/kernels"
all=false
[ "${1:-}" = --all ] && all=true

ensure_backports() {
	local f=/etc/apt/sources.list.d/backports.sources
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		# Same mirror as the system's own Debian entry, not a host we pick.
		local uri
		uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
		[ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
		printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" >"$f"
		apt-get update -qq >&2
	fi
}

# The private apt state for trixie and trixie-backports, updated at most
# once a day.
tstate=$cache/apt-trixie
targs=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$tstate/sources"
       -o "Dir::State::Lists=$tstate/lists" -o "Dir::Cache=$tstate/cache"
       -o "Dir::State::Status=/dev/null" -o "APT::Sandbox::User=root")
trixie_state() {
	mkdir -p "$tstate/sources" "$tstate/lists/partial" "$tstate/cache/archives/partial"
	if [ ! -s "$tstate/sources/trixie.sources" ]; then
		local uri
		uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
		[ -n "$uri" ] || uri=http://deb.debian.org/debian
		printf 'Types: deb\nURIs: %s\nSuites: trixie trixie-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" >"$tstate/sources/trixie.sources"
	fi
	if [ -z "$(find "$tstate/lists" -maxdepth 1 -name '*trixie-backports*Packages*' -mtime -1 2>/dev/null)" ]; then
		apt-get "${targs[@]}" update -qq >&2
	fi
}

# newest package matching a regex, among those apt can download
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

tnewest() {
	apt-cache "${targs[@]}" search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

fetch() {			# fetch <package> [apt args...]
	local pkg=$1 dir="$cache/kernels/$1"
	shift
	if [ ! -s "$dir/vmlinuz" ]; then
		local tmp
		tmp=$(mktemp -d); chmod 755 "$tmp"
		local img
		(cd "$tmp" && apt-get "$@" download -qq "$pkg" >&2) &&
			dpkg-deb -x "$tmp"/*.deb "$tmp/x" ||
			{ echo "fetch-kernels: cannot fetch $pkg" >&2; rm -rf "$tmp"; return 1; }
		# /boot/vmlinuz-* until 7.1; /usr/lib/modules/*/vmlinuz* since
		img=$(find "$tmp/x/boot" "$tmp/x/usr/lib/modules" -name 'vmlinuz*' 2>/dev/null | head -n 1)
		[ -n "$img" ] || { echo "fetch-kernels: no vmlinuz in $pkg" >&2; rm -rf "$tmp"; return 1; }
		mkdir -p "$dir"
		cp "$img" "$dir/vmlinuz"
		cp "$tmp"/x/boot/config-* "$dir/config" 2>/dev/null || true
		rm -rf "$tmp"
	fi
	echo "$dir"
}

# The cloud image of kernel version v (e.g. 7.3.4+deb13), from trixie's
# state: unsigned if there is one, else the signed one (QEMU does not care).
tpackage() {
	local v=$1 p
	for p in "linux-binary-unsigned-$v-cloud-amd64" "linux-image-$v-cloud-amd64-unsigned" \
		 "linux-binary-$v-cloud-amd64" "linux-image-$v-cloud-amd64"; do
		# a real package, not a name others depend on
		if apt-cache "${targs[@]}" search --names-only "^${p//+/.}\$" | grep -q .; then
			echo "$p"
			return
		fi
	done
}

# Kernel versions of trixie's lines, newest of each: "7.3 7.3.4+deb13" ...
tlines() {
	apt-cache "${targs[@]}" search --names-only '^linux-image-[0-9.]+(\+[a-z0-9.]+)?-cloud-amd64$' |
		awk '{print $1}' | sed -E 's/^linux-image-(.*)-cloud-amd64$/\1/' | sort -V |
		awk -F. '{line = $1 "." $2; v[line] = $0} END {for (l in v) print l, v[l]}' | sort -V
}

ensure_backports
k612=$(newest '^linux-image-6\.12\.[0-9.+~a-z-]*-cloud-amd64-unsigned$')
k61=$(newest '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$')
if [ -z "$k612" ] || [ -z "$k61" ]; then
	echo "fetch-kernels: no 6.12/6.1 cloud kernel package found (apt-get update?)" >&2
	exit 1
fi
echo "6.12 $(fetch "$k612")"
echo "6.1 $(fetch "$k61")"

trixie_state
lines=$(tlines)
if [ -z "$lines" ]; then
	echo "fetch-kernels: no trixie cloud kernel found (private apt state in $tstate)" >&2
	exit 1
fi
newest_line=$(tail -n 1 <<<"$lines")
while read -r line v; do
	[ "$line" = 6.12 ] && continue		# bookworm-backports' 6.12 is the one above
	if $all || [ "$line $v" = "$newest_line" ]; then
		pkg=$(tpackage "$v")
		[ -n "$pkg" ] || { echo "fetch-kernels: no cloud image package for $v" >&2; exit 1; }
		dir=$(fetch "$pkg" "${targs[@]}") || exit 1
		echo "$line $dir"
		[ "$line $v" = "$newest_line" ] && echo "newest $dir"
	fi
done <<<"$lines"
