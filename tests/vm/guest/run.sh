#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the VM tests: run the seed thread's workloads under
# evtrace and leave the raw output in /out for tests/vm/check.py, which
# does the asserting on the host.  run.sh NAME: "all" (the tests) or "demo".
T=/sys/kernel/tracing
PIPES=137		# vmkit.md: exactly this many get_next_ino() calls
INSTANCE_LOOPS=3
. /guest/seed.sh	# instance_loop, kprobe_event

# trace NAME ARGS...: start `evtrace ARGS` with output in /out/NAME.*, and
# return once it has printed its "attached" line (BPF loads slowly in TCG).
trace() {
	name=$1
	shift
	# on the console as it goes: a guest that times out shows where it was
	echo "vm: trace $name"
	${TRACE_BIN:-evtrace} "$@" >/out/$name.out 2>/out/$name.err &
	echo $! >/tmp/$name.pid
	echo $! >/out/$name.evtrace_pid
	i=0
	while ! grep -q '^evtrace: attached' /out/$name.err; do
		if ! kill -0 "$(cat /tmp/$name.pid)" 2>/dev/null || [ $i -ge 1200 ]; then
			echo "trace $name: evtrace did not attach:"
			cat /out/$name.err
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# stop NAME: Ctrl-C, as a user would, and keep the exit status
stop() {
	pid=$(cat /tmp/$1.pid)
	echo "vm: stop $1"
	kill -INT "$pid"
	wait "$pid"
	echo $? >/out/$1.rc
}

# Debian's bpftrace and evtrace count calls of the same twelve functions,
# at the same time, by the tasks of one cgroup: the seed's workloads run
# in it, nothing else does, so the counts must be equal, function by
# function.  bpftrace is in the image when the host has it (make deps).
counts_scenario() {
	if ! command -v bpftrace >/dev/null; then
		echo "no bpftrace in the image" >/out/counts.skipped
		return 0
	fi
	mount | grep -q ' /sys/fs/cgroup type cgroup2' ||
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	mkdir -p /sys/fs/cgroup/wl
	cg=$(stat -c %i /sys/fs/cgroup/wl)
	# each probe at the kernel function evtrace chose (dentry_kill from 7.2 on)
	fn_of() {
		f=$(grep -o "\"probe\":\"$1\",\"function\":\"[^\"]*\"" /out/probes.out |
			sed 's/.*"function":"//; s/"$//')
		echo "${f:-$1}"
	}
	{
		for f in get_next_ino alloc_inode __d_alloc __lookup_slow eventfs_create_dir \
			 eventfs_create_events_dir eventfs_root_lookup; do
			echo "kretfunc:vmlinux:$(fn_of $f) /cgroup == $cg/ { @[\"$f\"] = count(); }"
		done
		for f in evict __dentry_kill eventfs_d_release eventfs_remove_rec release_ei; do
			echo "kfunc:vmlinux:$(fn_of $f) /cgroup == $cg/ { @[\"$f\"] = count(); }"
		done
	} >/tmp/counts.bt
	bpftrace /tmp/counts.bt >/out/counts.bt.out 2>/out/counts.bt.err &
	btpid=$!
	# "Attaching 12 probes..." comes first: wait for the 12 links
	i=0
	while [ "$(ls -l /proc/$btpid/fd 2>/dev/null | grep -c bpf_link)" -lt 12 ]; do
		if ! kill -0 $btpid 2>/dev/null || [ $i -ge 1200 ]; then
			echo "counts: bpftrace did not attach:"
			cat /out/counts.bt.err
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	trace counts events --json -v --cgroup /sys/fs/cgroup/wl || return 1
	sh -c 'echo $$ >/sys/fs/cgroup/wl/cgroup.procs
		i=0; while [ $i -lt '$PIPES' ]; do true | true; i=$((i + 1)); done' || return 1
	# a subshell's $$ is its parent's: its own pid is in /proc/self/stat
	(read -r me rest </proc/self/stat; echo $me >/sys/fs/cgroup/wl/cgroup.procs
	 instance_loop; kprobe_event)
	stop counts
	kill -INT $btpid
	wait $btpid
	echo $? >/out/counts.bt.rc
}

# hist and the live view count in the kernel (include/evtrace/evtrace.h,
# "aggs").  Two checks that the answers do not change:
#  - --agg-check: one evtrace streams every event and aggregates them too,
#    each event's time taken once for both; the kernel's histogram must
#    equal the stream's byte for byte (lifetimes included), for each
#    --of/--by pair below, all four runs at once over the same workloads
#    (one through kprobes);
#  - an aggregating run and a --stream run side by side on one cgroup's
#    tasks: the same inode numbers, refcount timelines and counts (the
#    ei-refs pair with the aggregating run on kprobes).
agg_scenario() {
	mount | grep -q ' /sys/fs/cgroup type cgroup2' ||
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	mkdir -p /sys/fs/cgroup/agg
	trace agg-check-ino hist --of ino --by caller --json --agg-check || return 1
	trace agg-check-dentry hist --of dentry-life --by fs --json --agg-check || return 1
	trace agg-check-inode hist --of inode-life --by comm --json --agg-check || return 1
	trace agg-check-linear hist --of ino --by mount --linear 512 --json --agg-check --attach kprobe || return 1
	trace agg-ino hist --of ino --by mount --json --cgroup /sys/fs/cgroup/agg || return 1
	trace agg-ino-stream hist --of ino --by mount --json --stream --cgroup /sys/fs/cgroup/agg ||
		return 1
	trace agg-refs hist --of ei-refs --by mount --json --attach kprobe --cgroup /sys/fs/cgroup/agg || return 1
	trace agg-refs-stream hist --of ei-refs --by mount --json --stream \
		--cgroup /sys/fs/cgroup/agg || return 1
	trace agg-dentry hist --of dentry-life --by mount --json --cgroup /sys/fs/cgroup/agg || return 1
	trace agg-dentry-stream hist --of dentry-life --by mount --json --stream \
		--cgroup /sys/fs/cgroup/agg || return 1
	agg_workload
	for n in agg-check-ino agg-check-dentry agg-check-inode agg-check-linear agg-ino \
		 agg-ino-stream agg-refs agg-refs-stream agg-dentry agg-dentry-stream; do
		stop $n
	done
	# --by cgroup, once those are gone (thirteen tracers at once do not fit
	# in the guest's memory): the kernel's group key carries the cgroup id,
	# named /agg; and unfiltered, /agg's group holds what --cgroup selected
	trace agg-cgroup hist --of ino --by cgroup --json --cgroup /sys/fs/cgroup/agg || return 1
	trace agg-cgroup-stream hist --of ino --by cgroup --json --stream \
		--cgroup /sys/fs/cgroup/agg || return 1
	trace agg-cgroup-all hist --of ino --by cgroup --json || return 1
	# a second group with a workload of its own (pipes): its own group,
	# with what --cgroup selects of it
	mkdir -p /sys/fs/cgroup/agg2
	trace agg-cgroup2 hist --of ino --by mount --json --cgroup /sys/fs/cgroup/agg2 || return 1
	agg_workload
	(read -r me rest </proc/self/stat; echo $me >/sys/fs/cgroup/agg2/cgroup.procs
	 i=0; while [ $i -lt 300 ]; do true | true; i=$((i + 1)); done)
	for n in agg-cgroup agg-cgroup-stream agg-cgroup-all agg-cgroup2; do
		stop $n
	done

	# a cgroup made after the recording began is named in it (format 1.3):
	# two batches a table's second apart, the second named from a section
	rmdir /sys/fs/cgroup/agg3 2>/dev/null
	trace late-cg record -o /out/late-cg.evt --fs pipefs --flush 0.5 || return 1
	trace late-cg-ring record -o /out/late-cg-ring.evt --ring 60 --fs pipefs || return 1
	mkdir /sys/fs/cgroup/agg3
	stat -c %i /sys/fs/cgroup/agg3 >/out/late-cg.id
	for n in 200 100; do
		(read -r me rest </proc/self/stat; echo $me >/sys/fs/cgroup/agg3/cgroup.procs
		 i=0; while [ $i -lt $n ]; do true | true; i=$((i + 1)); done)
		sleep 1.2	# past the table's second: the next unknown id rescans
	done
	stop late-cg
	stop late-cg-ring
	evtrace live --no-tui --max --by cgroup /out/late-cg.evt >/out/late-cg-live.out 2>&1
}

# What the agg runs count: a subshell moved into /sys/fs/cgroup/agg.
agg_workload() {
	(read -r me rest </proc/self/stat; echo $me >/sys/fs/cgroup/agg/cgroup.procs
	 instance_loop; kprobe_event
	 i=0; while [ $i -lt $PIPES ]; do true | true; i=$((i + 1)); done
	 mkdir -p /tmp/agg; i=0
	 while [ $i -lt 200 ]; do : >/tmp/agg/f$i; i=$((i + 1)); done; rm -rf /tmp/agg
	 echo 2 >/proc/sys/vm/drop_caches)
}

# evtrace serve on live probes, scraped with busybox wget while the seed's
# instance loop runs, a hist beside it for the counts.  The dynamic binary
# (/usr/bin/evtrace-http): the static one cannot link libmicrohttpd.
serve_scenario() {
	if ! command -v evtrace-http >/dev/null; then
		echo "no dynamic evtrace in the image (tests/vm/run.sh puts ./evtrace there)" \
			>/out/serve.skipped
		return 0
	fi
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
	trace serve-hist hist --of ino --by mount --json || return 1
	TRACE_BIN=evtrace-http
	trace serve serve --listen 127.0.0.1:9435 --bpf-stats -i 0.5
	rc=$?
	TRACE_BIN=
	[ $rc -eq 0 ] || return 1
	instance_loop
	sleep 2
	wget -q -O /out/serve.metrics http://127.0.0.1:9435/metrics
	echo $? >/out/serve.wget_rc
	stop serve-hist
	stop serve
}

# The pipe loop runs in its own shell so its pid is known and single.
pipe_loop() {
	sh -c 'echo $$ >/out/'"$1"'.loop_pid; i=0; while [ $i -lt '$PIPES' ]; do true | true; i=$((i + 1)); done'
}

# The seed's "removed but still referenced": the kprobe event is deleted
# while something holds a dentry under events/kprobes/sched, a shell's
# current directory ("cwd") or an open file ("fd"); the holder lets go 2 s
# later.  The model must report the ei removed while referenced, flag it
# after --release-timeout 1, then see it released.
holder_scenario() {
	name=holders-$1
	# --stream: dup_ino needs every inode event, which hist otherwise counts in the kernel
	trace $name hist --of ei-refs --json --fs tracefs --release-timeout 1 --stream || return 1
	echo 'p:sched schedule' >>$T/kprobe_events
	if [ "$1" = cwd ]; then
		rm -f /tmp/go /tmp/holder.ready
		mkfifo /tmp/go
		sh -c "cd $T/events/kprobes/sched && touch /tmp/holder.ready && read x </tmp/go" &
		holder=$!
		while [ ! -e /tmp/holder.ready ]; do sleep 0.1; done
	else
		exec 3<$T/events/kprobes/sched/enable
		# a second file inode: eventfs gives every file the same i_ino
		exec 4<$T/events/kprobes/sched/format
	fi
	echo '-:sched' >>$T/kprobe_events
	echo $? >/out/$name.delete_rc
	sleep 2
	if [ "$1" = cwd ]; then
		echo go >/tmp/go
		wait $holder
	else
		exec 3<&- 4<&-
	fi
	echo 2 >/proc/sys/vm/drop_caches
	stop $name
}

# Record and replay (checked on the host, by replaying the files there).
record_scenarios() {
	# hist and the recorder at once: the replayed hist must be the same
	# an older recording of that name is kept as rec.evt.old, as perf does
	echo older >/out/rec.evt
	trace rec hist --json -o /out/rec.evt || return 1
	instance_loop
	kprobe_event
	pipe_loop rec
	stop rec

	# SIGKILL mid-run: every chunk flushed before it must be readable
	trace crash record -o /out/crash.evt --fs pipefs --flush 0.5 || return 1
	sh -c 'echo $$ >/out/crash.loop_pid; while :; do true | true; done' &
	loop=$!
	sleep 3
	kill -9 "$(cat /tmp/crash.pid)"
	kill $loop
	wait
	ls -l /out/crash.evt >/out/crash.ls

	# flight recorder: only the last second, written on SIGUSR1 and at exit.
	# The ring keeps whole chunks, and a chunk ends at 0.5 s of the events'
	# own time: what it holds spans at most 1.5 s, however late the
	# consumer ran (chunks cut by our clock alone held 2.65 s once on 6.12,
	# a consumer not scheduled for a while under a loaded host)
	trace ring record -o /out/ring.evt --ring 1 --flush 0.5 --fs pipefs || return 1
	sh -c 'i=0; while [ $i -lt 400 ]; do true | true; i=$((i + 1)); done'
	kill -USR1 "$(cat /tmp/ring.pid)"
	sleep 1
	cp /out/ring.evt /out/ring-usr1.evt
	stop ring

	# --dump-on: the ring into a file of its own when the kprobe event's
	# ei is removed while its dentries still hold it
	mkdir -p /out/fr
	trace dump-on record -o /out/fr/fr.evt --ring 5 --fs tracefs \
		--dump-on ei_removed_referenced || return 1
	kprobe_event
	sleep 1
	stop dump-on
	ls -l /out/fr >/out/dump-on.ls

	# --max-size stops the recording by itself
	evtrace record -o /out/max.evt --max-size 32K --fs tracefs --flush 0.2 \
		>/out/max.out 2>/out/max.err &
	echo $! >/tmp/max.pid
	while ! grep -q '^evtrace: attached' /out/max.err; do sleep 0.1; done
	instance_loop
	sleep 1
	wait "$(cat /tmp/max.pid)"
	echo $? >/out/max.rc

	# record -o - | hist -: the trace format through a pipe, read as it
	# comes; tee keeps the stream's bytes for the host to read as a file
	mkfifo /tmp/pipe.fifo
	evtrace hist --json --by fs - </tmp/pipe.fifo >/out/pipe-hist.out 2>/out/pipe-hist.err &
	echo $! >/tmp/pipe-hist.pid
	sh -c 'evtrace record -o - --fs pipefs & echo $! >/tmp/pipe-rec.pid; wait $!; echo $? >/out/pipe-rec.rc' \
		2>/out/pipe-rec.err | tee /out/pipe.evt >/tmp/pipe.fifo &
	i=0
	while ! grep -q '^evtrace: attached' /out/pipe-rec.err; do
		[ $i -ge 1200 ] && { cat /out/pipe-rec.err; return 1; }
		sleep 0.1; i=$((i + 1))
	done
	pipe_loop pipe-rec
	kill -INT "$(cat /tmp/pipe-rec.pid)"
	wait "$(cat /tmp/pipe-hist.pid)"
	echo $? >/out/pipe-hist.rc
	wait
}

# stop_scenario NAME TIMES: events --json into a pipe whose reader does not
# read until told, so the records of eight instance loops wait in evtrace's
# backlog; then TIMES interrupts, then the reader reads.  Once: everything
# read is still handed on, and evtrace says how much waits.  Twice: what
# still waits is dropped and counted as lost, cause interrupted.
stop_scenario() {
	name=$1 times=$2
	rm -f /tmp/$name.go
	sh -c 'evtrace events --json --fs tracefs & echo $! >/tmp/'$name'.pid; wait $!; echo $? >/out/'$name'.rc' \
		2>/out/$name.err | (while [ ! -e /tmp/$name.go ]; do sleep 0.1; done; cat >/out/$name.out) &
	i=0
	while ! grep -q '^evtrace: attached' /out/$name.err 2>/dev/null; do
		[ $i -ge 1200 ] && { cat /out/$name.err; return 1; }
		sleep 0.1; i=$((i + 1))
	done
	INSTANCE_LOOPS=8 instance_loop
	sleep 1
	t=0
	while [ $t -lt $times ]; do
		kill -INT "$(cat /tmp/$name.pid)"
		sleep 0.5
		t=$((t + 1))
	done
	touch /tmp/$name.go
	wait
}

run_all() {
	uname -r >/out/kernel
	echo $PIPES >/out/pipes_expected
	echo $INSTANCE_LOOPS >/out/instance_loops

	evtrace probes --json >/out/probes.out 2>/out/probes.err
	echo $? >/out/probes.rc
	evtrace probes --json --attach kprobe >/out/probes-kprobe.out 2>/out/probes-kprobe.err
	echo $? >/out/probes-kprobe.rc

	trace pipes events --json --fs pipefs || return 1
	pipe_loop pipes
	stop pipes

	# hist: the loop's allocations under pipefs (comm sh: only the loop)
	trace hist-pipes hist --by fs --of ino --json -c sh || return 1
	pipe_loop hist-pipes
	stop hist-pipes

	# hist INTERVAL: the same loop, a histogram every 0.5 s, read from the kernel at each end
	trace hist-iv hist --by fs --of ino --json -c sh 0.5 || return 1
	# the loop in two halves 0.6 s apart: its counts span two intervals
	# however fast the guest runs (the whole loop can take under 0.5 s)
	sh -c 'echo $$ >/out/hist-iv.loop_pid; i=0; while [ $i -lt '$PIPES' ]; do
		true | true; i=$((i + 1)); [ $i -ne '$((PIPES / 2))' ] || sleep 0.6; done'
	stop hist-iv

	trace pipes-kprobe events --json --fs pipefs --attach kprobe || return 1
	pipe_loop pipes-kprobe
	# libbpf attaches through the kprobe PMU: nothing may appear in tracefs
	cat $T/kprobe_events >/out/pipes-kprobe.kprobe_events
	stop pipes-kprobe

	# -p: this shell's own pipes count, the sh -c loop's do not
	echo $$ >/out/filter-pid.loop_pid
	trace filter-pid events --json -p $$ || return 1
	i=0
	while [ $i -lt $PIPES ]; do true | true; i=$((i + 1)); done
	pipe_loop filter-pid-other
	stop filter-pid

	if [ -d $T/instances ] && grep -q eventfs /proc/kallsyms; then
		trace instances events --json || return 1
		instance_loop
		stop instances

		trace kprobe-event events --json --fs tracefs --ei-history || return 1
		kprobe_event
		# the longest name an event may have (63 bytes): whole, not "cut"
		n63=$(printf '%063d' 0 | tr 0 x)
		echo "p:$n63 schedule" >>$T/kprobe_events
		ls $T/events/kprobes/$n63 >/dev/null
		echo "-:$n63" >>$T/kprobe_events
		stop kprobe-event

		record_scenarios || return 1

		# the live view on a 40x120 terminal: the screen comes up once the
		# probes are attached; the loop runs then, and q is typed (USR1 to
		# ptyrun) after three more redraws, or after 120 s if all else fails
		mkdir -p /dev/pts
		# a devpts of its own, as every run before had it (busybox has no
		# mountpoint applet, so the test that stood here always mounted)
		mount -t devpts devpts /dev/pts
		ptyrun 40 120 120 /out/live-tui.out env TERM=vt100 TERMINFO=/lib/terminfo \
			evtrace live -i 0.5 --fs tracefs >/out/live-tui.err 2>&1 &
		echo $! >/tmp/live-tui.pid
		i=0
		while ! grep -q 'INODE NUMBERS' /out/live-tui.out 2>/dev/null && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		INSTANCE_LOOPS=1 instance_loop
		sleep 1.5
		kill -USR1 "$(cat /tmp/live-tui.pid)"
		wait "$(cat /tmp/live-tui.pid)"
		echo $? >/out/live-tui.rc
		INSTANCE_LOOPS=3

		# the live view without a terminal: a summary line per interval
		trace live-notui live --no-tui -i 0.5 --fs tracefs || return 1
		instance_loop
		sleep 1
		stop live-notui

		trace hist-instances hist --by mount --of ino --json --fs tracefs || return 1
		instance_loop
		stop hist-instances

		holder_scenario cwd || return 1
		holder_scenario fd || return 1

		# -c: only cat's events.  The cat of the kprobe event's enable file
		# may find its dentry cached by the ls before it (then it makes no
		# event at all), and whether a pipe's last reference goes in cat or
		# in the shell reading it is a race: /proc/self of a new cat is a
		# lookup that always misses, with its inode and number, in cat.
		trace filter-comm events --json -c cat || return 1
		kprobe_event
		cat /proc/self/stat >/dev/null
		stop filter-comm

		# a full disk during a recording: a 96 KiB tmpfs, a pipe loop (small
		# chunks, every 0.2 s) then three instance loops (some 150 KB more):
		# the recording stops, says so, exits 1, and what it wrote reads back
		mkdir -p /tmp/small
		mount -t tmpfs -o size=96k none /tmp/small
		trace disk-full record -o /tmp/small/f.evt --flush 0.2 || return 1
		pipe_loop disk-full
		sleep 0.5
		instance_loop
		sleep 1
		stop disk-full
		cp /tmp/small/f.evt /out/disk-full.evt
		umount /tmp/small

		# a ring buffer far too small for an instance mkdir: loss must show
		trace lossy events --json --fs tracefs --bufsize 64K || return 1
		instance_loop
		stop lossy

		stop_scenario stop-once 1 || return 1
		stop_scenario stop-twice 2 || return 1

		counts_scenario || return 1
		agg_scenario || return 1
		serve_scenario || return 1

		# --eventfs: the VFS probes stay detached, pipes cost nothing
		trace eventfs-only events --json --eventfs || return 1
		pipe_loop eventfs-only
		instance_loop
		stop eventfs-only
	fi

	# -v: calls per probed function, held against the events they gave
	trace calls events --json -v || return 1
	pipe_loop calls
	stop calls

	# --duration ends the run by itself
	evtrace events --json --fs pipefs --duration 1 >/out/duration.out 2>/out/duration.err
	echo $? >/out/duration.rc

	# no kernel BTF: one line, exit 2
	mount -t tmpfs nobtf /sys/kernel/btf
	evtrace events >/out/nobtf.out 2>/out/nobtf.err
	echo $? >/out/nobtf.rc
	umount /sys/kernel/btf
	return 0
}

run_demo() {
	echo "== evtrace probes on $(uname -r)"
	evtrace probes
	echo
	# all of it is recorded too, for the host to replay after the VM is gone
	trace demo-rec record -o /out/demo.evt --fs tracefs --fs pipefs || return 1
	echo "== evtrace events --fs tracefs, during mkdir; ls events/sched; rmdir of instances/foo"
	trace demo events --fs tracefs || return 1
	INSTANCE_LOOPS=1
	instance_loop
	stop demo
	head -n 8 /out/demo.out
	echo "... $(grep -c ' ei_create ' /out/demo.out) eventfs_inodes created, $(grep -c ' ei_release ' /out/demo.out) released"
	tail -n 1 /out/demo.err
	echo
	echo "== the seed's kprobe event: created, events/kprobes/sched listed and read, deleted"
	trace demo-kprobe events --fs tracefs || return 1
	kprobe_event
	stop demo-kprobe
	grep -E ' ei_[a-z]+ .* name=(sched|kprobes) ' /out/demo-kprobe.out
	tail -n 1 /out/demo-kprobe.err
	echo
	echo "== evtrace events --fs pipefs --json: a shell making $PIPES pipes"
	trace demo-pipes events --json --fs pipefs || return 1
	pipe_loop demo-pipes
	stop demo-pipes
	head -n 3 /out/demo-pipes.out
	echo "... $(grep -c "\"ino_alloc\".*\"pid\":$(cat /out/demo-pipes.loop_pid)," /out/demo-pipes.out) ino_alloc on pipefs from the loop's pid"
	tail -n 1 /out/demo-pipes.err
	echo
	echo "== evtrace record -o demo.evt --fs tracefs --fs pipefs, all along"
	stop demo-rec
	grep '^evtrace: recorded' /out/demo-rec.err
}

case $1 in
all) run_all ;;
agg) agg_scenario ;;
demo) run_demo ;;
*) echo "run.sh: unknown run '$1'"; exit 2 ;;
esac
