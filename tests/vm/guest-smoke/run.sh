#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke test of the VM harness itself: tracefs instances work and /out comes
# back to the host.  "fail" exits 3 to check that the status comes back too.
uname -r
ls /sys/kernel/tracing/instances
mkdir /sys/kernel/tracing/instances/foo
ls /sys/kernel/tracing/instances/foo/events | head
rmdir /sys/kernel/tracing/instances/foo
echo "hello from $(uname -r)" >/out/hello.txt
[ "$1" = fail ] && exit 3
exit 0
