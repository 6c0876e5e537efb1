#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench-vm` (tests/vm/bench.sh boots it as the image's
# /guest/run.sh): evtrace's cost per event against bpftrace on the same
# twelve kernel functions.  Every mode (no tracer, two bpftrace scripts,
# five evtrace commands) runs every workload: one warm-up, then BENCH_REPS
# timed runs ("none-end", untraced again at the end, shows the drift).
# Only raw numbers go to /out; the host prints the table (tests/vm/bench.py):
#   /out/times                MODE WORKLOAD REP NS   (REP 0 is the warm-up)
#   /out/MODE/WORKLOAD/kmem   the tracer's memory, read while it runs, after
#                             the workload's last run (see kmem())
#   /out/MODE/WORKLOAD/err, summary, out, lines: what tells the loss
# /guest/bench.conf (written by the host) may set BENCH_REPS, BENCH_MODES,
# BENCH_WORKLOADS, BENCH_EVTRACE_ARGS, BENCH_BPF_STATS (1: the kernel times
# every BPF program run, kernel.bpf_stats_enabled, and /out/MODE/WORKLOAD/
# bpf_stats gets each program's runs and time: where the probes' cost is.
# Off by default: the timing itself costs every run two clock reads).
T=/sys/kernel/tracing
BENCH_REPS=3
BENCH_EVTRACE_ARGS=	# more options for the evtrace modes, e.g. --bufsize 32M
BENCH_MODES="none bt-count bt-printf hist hist-dentry live live-discard serve hist-stream live-stream record events-json record-64M none-end"
BENCH_WORKLOADS="burst files pipes seed"
BENCH_BPF_STATS=0
[ -r /guest/bench.conf ] && . /guest/bench.conf
INSTANCE_LOOPS=3
. /guest/seed.sh	# instance_loop, kprobe_event

# The functions evtrace attaches (`evtrace probes`): fexit, then fentry.
FEXIT="get_next_ino alloc_inode __d_alloc __lookup_slow eventfs_create_dir
	eventfs_create_events_dir eventfs_root_lookup"
FENTRY="evict __dentry_kill eventfs_d_release eventfs_remove_rec release_ei"
NPROBES=12

# ---- workloads --------------------------------------------------------------

# A burst: a whole events/ tree (some 1700 eventfs_inodes, with their
# dentries and inodes) created, looked up and torn down, twice.
w_burst() {
	for j in 1 2; do
		mkdir $T/instances/bench
		ls -R $T/instances/bench/events >/dev/null
		rmdir $T/instances/bench
	done
}

# 2000 files created (no fork: a redirection) and removed in a tmpfs.
w_files() {
	mkdir /tmp/bench-files
	i=0
	while [ $i -lt 2000 ]; do
		: >/tmp/bench-files/f$i
		i=$((i + 1))
	done
	rm -rf /tmp/bench-files
}

w_pipes() {
	i=0
	while [ $i -lt 1000 ]; do
		true | true
		i=$((i + 1))
	done
}

# The seed's (guest/seed.sh, as the VM tests run them).
w_seed() {
	instance_loop
	kprobe_event
}

# ---- tracers ----------------------------------------------------------------

# bpftrace counting calls, as evtrace's probes would see them.  It cannot
# leave out its own process the way evtrace does (by default); it does next
# to nothing in these functions while it runs.
bt_count() {
	sep=
	for f in $FEXIT; do
		printf '%skretfunc:vmlinux:%s' "$sep" "$f"
		sep=', '
	done
	for f in $FENTRY; do
		printf ', kfunc:vmlinux:%s' "$f"
	done
	printf ' { @[probe] = count(); }\n'
}

# bpftrace printing a line per call: time, pid, tid, comm, probe (and the
# return value at fexit), through its perf buffers, to a tmpfs file.
bt_printf() {
	for f in $FEXIT; do
		printf 'kretfunc:vmlinux:%s { printf("E %%llu %%d %%d %%s %%s %%llx\\n", nsecs, pid, tid, comm, probe, (uint64)retval); }\n' "$f"
	done
	for f in $FENTRY; do
		printf 'kfunc:vmlinux:%s { printf("E %%llu %%d %%d %%s %%s\\n", nsecs, pid, tid, comm, probe); }\n' "$f"
	done
}

# start MODE DIR: start the mode's tracer in the background (pid in
# $tpid), its stderr in DIR/err, and return once its probes are live.
start() {
	m=$1 d=$2
	out=/tmp/tracer.out
	# base-MODE: MODE with the base binary (BENCH_BASE), held against this
	# tree's; sm, not m: the shell's variables are the caller's too
	ev=evtrace sm=$m
	case $m in
	base-*) ev=evtrace-base; sm=${m#base-} ;;
	esac
	case $sm in
	bt-count) bpftrace /out/bt-count.bt >$out 2>$d/err & ;;
	bt-printf) bpftrace /out/bt-printf.bt >$out 2>$d/err & ;;
	# hist and live print their summary (with the loss) on stdout at the
	# end: a tmpfs file rather than /dev/null, so it can be read
	hist) $ev hist $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	# dentry lifetimes: four more probes than the default --of ino
	hist-dentry) $ev hist --of dentry-life $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	live) $ev live --no-tui $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	# the same probes and ring, its records read and dropped (evtrace-discard):
	# live's added time less this one's is what its consumer costs
	live-discard) evtrace-discard live --no-tui $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	# the fleet mode, as a node would run it: node_exporter's textfile
	# collector's file rewritten every second
	serve)
		mkdir -p /tmp/serve.d
		$ev serve --textfile /tmp/serve.d $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	# every event streamed, as before the kernel counted: what aggregation saves
	hist-stream) $ev hist --stream $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	live-stream) $ev live --no-tui --stream $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	record) $ev record -o /tmp/x.evt $BENCH_EVTRACE_ARGS >$out 2>$d/err & ;;
	events-json) $ev events --json $BENCH_EVTRACE_ARGS >/tmp/x.jsonl 2>$d/err & ;;
	record-64M) $ev record --bufsize 64M -o /tmp/x.evt >$out 2>$d/err & ;;
	*) echo "bench: unknown mode $m"; return 1 ;;
	esac
	tpid=$!
	t0=$(clockns)
	i=0
	case $m in
	bt-*)
		# "Attaching N probes..." comes before the attaching: wait for
		# the N links of the kfunc/kretfunc programs in its fd table
		while [ "$(ls -l /proc/$tpid/fd 2>/dev/null | grep -c 'bpf_link')" -lt $NPROBES ]; do
			if ! kill -0 $tpid 2>/dev/null || [ $i -ge 3000 ]; then
				echo "bench: $m did not attach:"
				cat $d/err $out
				return 1
			fi
			sleep 0.1
			i=$((i + 1))
		done
		sleep 0.5 ;;
	*)
		while ! grep -q '^evtrace: attached' $d/err; do
			if ! kill -0 $tpid 2>/dev/null || [ $i -ge 3000 ]; then
				echo "bench: $m did not attach:"
				cat $d/err
				return 1
			fi
			sleep 0.1
			i=$((i + 1))
		done ;;
	esac
	echo $((($(clockns) - t0) / 1000000)) >$d/attach_ms
	# BENCH_PIN (bench.sh): the tracer's threads, all of them, on vCPU 1
	[ -z "${BENCH_PIN:-}" ] || taskset -a -p 2 $tpid >/dev/null
	procstat $tpid >$d/proc0
}

# procstat PID: per thread of the tracer, its minor faults, user and system
# ticks and context switches (voluntary, not): taken once attached
# (proc0) and at the stop (proc1), so the difference is what the tracer
# itself spent while the workloads ran, thread by thread.
procstat() {
	for t in /proc/$1/task/*; do
		# the fields after the name, which may hold spaces: state is f[1]
		awk '{s = $0; sub(/.*\) /, "", s); split(s, f, " ")
		      printf "%s %s %s %s", $1, f[8], f[12], f[13]}' $t/stat 2>/dev/null || continue
		awk '/^voluntary_ctxt_switches:/ {v = $2} /^nonvoluntary_ctxt_switches:/ {n = $2}
		     END {printf " %d %d\n", v, n}' $t/status 2>/dev/null
	done
}

# kmem PID: memlock of its BPF maps and of its programs (each counted once,
# by id, however many fds point at it); the bytes it has mapped from perf
# events (bpftrace's perf buffers, which no memlock counts); its VmRSS,
# VmHWM and VmPin (KiB).
kmem() {
	for f in /proc/$1/fdinfo/*; do
		awk '/^map_id:/ {id = "map " $2} /^prog_id:/ {id = "prog " $2}
		     /^memlock:/ {ml = $2} END {if (id != "" && ml != "") print id, ml}' "$f"
	done | sort -u | awk '{s[$1] += $3} END {printf "%d %d", s["map"], s["prog"]}'
	perf=0
	while read -r range rest; do
		case $rest in
		*perf_event*) perf=$((perf + 0x${range#*-} - 0x${range%-*})) ;;
		esac
	done </proc/$1/maps
	printf ' %d' $perf
	awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} /^VmPin:/ {p = $2}
	     END {printf " %d %d %d\n", r, h, p}' /proc/$1/status
}

# bpf_stats PID: per program of the tracer (each once, by id, in load
# order), its runs and run time in ns since it was loaded (warm-up and
# timed runs).  fdinfo has no names; the image has no bpftool.
bpf_stats() {
	for f in /proc/$1/fdinfo/*; do
		awk '/^prog_id:/ {id = $2} /^run_time_ns:/ {t = $2} /^run_cnt:/ {n = $2}
		     END {if (id != "" && n != "") print id, n, t}' "$f"
	done | sort -n -u
}

# stop MODE DIR: Ctrl-C, wait, keep what tells the loss
stop() {
	m=$1 d=$2
	# the tracer's own CPU time, user and system, in clock ticks: what its
	# consumer cost, apart from what its probes cost the traced tasks
	awk '{print $14, $15}' /proc/$tpid/stat >$d/cpu_ticks
	procstat $tpid >$d/proc1
	kill -INT $tpid
	wait $tpid
	echo $? >$d/rc
	out=/tmp/tracer.out
	grep '^summary:' $out >$d/summary 2>/dev/null
	case $m in
	bt-count) cp $out $d/out ;;
	bt-printf)
		grep -c '^E ' $out >$d/lines
		grep -v '^E ' $out >$d/out ;;
	events-json) wc -l </tmp/x.jsonl >$d/lines ;;
	record*) ls -l /tmp/x.evt | awk '{print $5}' >$d/file_bytes ;;
	esac
	rm -rf $out /tmp/x.evt /tmp/x.jsonl /tmp/serve.d
}

# ---- the run ----------------------------------------------------------------

# timed LABEL WORKLOAD: the warm-up (run 0) and the timed runs, into /out/times
timed() {
	r=0
	while [ $r -le $BENCH_REPS ]; do
		t0=$(clockns)
		w_$2
		t1=$(clockns)
		echo "$1 $2 $r $((t1 - t0))" >>/out/times
		r=$((r + 1))
	done
}

# run_mode MODE: for each workload, a tracer of its own (so that the loss
# is the workload's), the warm-up and the timed runs, then its memory.
# Untraced runs just before each tracer's ("none@MODE"): the machine
# drifts (pipes got 6 % slower over one bench), so each mode is held
# against the untraced runs on either side of it, not the first ones.
run_mode() {
	m=$1
	for w in $BENCH_WORKLOADS; do
		d=/out/$m/$w
		mkdir -p $d
		case $m in
		none*) ;;
		*) timed "none@$m" $w; start $m $d || return 1 ;;
		esac
		timed $m $w
		case $m in
		none*) ;;
		*)
			kmem $tpid >$d/kmem
			[ "$BENCH_BPF_STATS" = 1 ] && bpf_stats $tpid >$d/bpf_stats
			stop $m $d ;;
		esac
	done
	echo "bench: $m: $(awk -v m=$m '$1 == m && $3 > 0 {printf " %s %.0fms", $2, $4 / 1e6}' /out/times)"
}

uname -r >/out/kernel
nproc >/out/ncpus
# BENCH_PIN: this shell, so every workload it runs, on vCPU 0 (after nproc,
# which counts the CPUs it may use)
if [ -n "${BENCH_PIN:-}" ]; then
	taskset -p 1 $$ >/dev/null
	echo 1 >/out/pinned
fi
echo "$BENCH_REPS" >/out/reps
bpftrace --version >/out/bpftrace-version 2>&1
evtrace version >/out/evtrace-version 2>&1
evtrace probes >/out/probes.out 2>&1
: >/out/times
[ "$BENCH_BPF_STATS" = 1 ] && echo 1 >/proc/sys/kernel/bpf_stats_enabled
rc=0
bt_count >/out/bt-count.bt
bt_printf >/out/bt-printf.bt
for m in $BENCH_MODES; do
	run_mode $m || rc=1
done
exit $rc
