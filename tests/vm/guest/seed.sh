#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The seed thread's workloads, sourced by the VM tests (run.sh) and the
# bench (bench.sh): a tracefs instance created, looked into and removed,
# INSTANCE_LOOPS times; the `p:sched schedule` kprobe event created, its
# directory listed and read, deleted.
T=${T:-/sys/kernel/tracing}
INSTANCE_LOOPS=${INSTANCE_LOOPS:-3}

instance_loop() {
	i=0
	while [ $i -lt $INSTANCE_LOOPS ]; do
		mkdir $T/instances/foo
		ls $T/instances/foo/events/sched >/dev/null
		cat $T/instances/foo/events/sched/sched_switch/enable >/dev/null
		rmdir $T/instances/foo
		i=$((i + 1))
	done
	# unused dentries of removed directories go once the dcache is pruned
	echo 2 >/proc/sys/vm/drop_caches
}

# The seed's kprobe event: created, its directory listed and read, deleted.
kprobe_event() {
	echo 'p:sched schedule' >>$T/kprobe_events
	ls $T/events/kprobes/sched >/dev/null
	cat $T/events/kprobes/sched/enable >/dev/null
	echo '-:sched' >>$T/kprobe_events
	echo 2 >/proc/sys/vm/drop_caches
}
