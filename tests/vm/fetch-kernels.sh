#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the stock Debian cloud kernels the VM tests boot, without installing
# them: 6.12 from bookworm-backports (eventfs with kref) and 6.1 from
# bookworm (no eventfs).  Prints "<version> <dir>" for each kernel; the
# vmlinuz is <dir>/vmlinuz.  Cached under $EVTRACE_CACHE (default
# ~/.cache/evtrace); versions are resolved with apt-cache, never hard-coded.
set -euo pipefail

cache=${EVTRACE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evtrace}
mkdir -p "$cache/kernels"

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

# newest package matching a regex, among those apt can download
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

fetch() {			# fetch <package>
	local pkg=$1 dir="$cache/kernels/$1"
	if [ ! -s "$dir/vmlinuz" ]; then
		local tmp
		tmp=$(mktemp -d); chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -qq "$pkg" >&2)
		dpkg-deb -x "$tmp"/*.deb "$tmp/x"
		mkdir -p "$dir"
		cp "$tmp"/x/boot/vmlinuz-* "$dir/vmlinuz"
		cp "$tmp"/x/boot/config-* "$dir/config"
		rm -rf "$tmp"
	fi
	echo "$dir"
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
