#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# extract-vmlinux.sh VMLINUZ OUT: Debian's x86 vmlinuz carries the kernel as
# a zstd stream (magic 28 b5 2f fd) after the boot stub; decompress it to an
# ELF vmlinux whose .BTF section bpftool can dump.  The magic can also occur
# by chance inside the stub, so try each candidate until one yields ELF.
set -euo pipefail
in=$1 out=$2
for off in $(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$in" | cut -d: -f1); do
	# zstd complains about the bytes after the frame; the frame is complete
	tail -c +$((off + 1)) "$in" | zstd -dcq 2>/dev/null >"$out" || true
	if [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
		exit 0
	fi
done
rm -f "$out"
echo "extract-vmlinux: no zstd-compressed ELF kernel found in $in" >&2
exit 1
