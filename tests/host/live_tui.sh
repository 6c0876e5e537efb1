#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The live view, driven for real in tmux on a recorded fixture (the 6.12
# VM's seed scenarios): the panels show what the fixture implies, keys
# change the screen, a resize keeps the layout, q restores the terminal.
set -u
cd "$(dirname "$0")/../.."
bin=${EVTRACE:-./evtrace}
fixture=tests/fixtures/seed-6.12.evt
sess=evtrace-live-$$
pass=0 fail=0

if ! command -v tmux >/dev/null; then
	echo "SKIPPED - live view: tmux is not installed (make deps installs it)"
	echo "live: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

ok() {			# ok COND-EXIT-STATUS NAME [DETAIL]
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
		pass=$((pass + 1))
	else
		echo "not ok - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' <<<"$3" | head -n 40
		fail=$((fail + 1))
	fi
}

screen() { tmux capture-pane -p -t "$sess"; }

# wait_for TEXT: up to 10 s for TEXT on the screen
wait_for() {
	for _ in $(seq 100); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

keys() { tmux send-keys -t "$sess" "$@"; sleep 0.5; }

# what the fixture implies, from the summary (another printer of the model)
read -r inos eis rr < <($bin replay $fixture --view summary --json |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ino_allocs"], d["eis"], d["eis_removed_referenced"])')

trap 'tmux kill-session -t "$sess" 2>/dev/null' EXIT
tmux new-session -d -s "$sess" -x 160 -y 48 \
	"TERM=xterm-256color $bin replay $fixture --view live --max -i 0.1; echo EXITED \$?; sleep 60"

wait_for "[END OF FILE]"; ok $? "the replay runs to the end of the fixture and says so" "$(screen)"
s=$(screen)
grep -qF "INODE NUMBERS  $inos allocated" <<<"$s"; ok $? "inode panel: $inos allocations, as the file implies" "$s"
grep -qE "/sys/kernel/tracing +[0-9.]+/s +[0-9]+" <<<"$s"; ok $? "inode panel: a row per mount, with rate and total"
grep -qF "EVENTFS_INODES  $eis tracked, $rr removed while referenced" <<<"$s"; ok $? "eventfs panel: $eis eis, $rr removed while referenced" "$s"
grep -qE "^  [a-z_/]+ +[0-9]+ (live|removed|released)" <<<"$s"; ok $? "eventfs panel: rows with path, refcount, state"
grep -qF "DENTRY LIFETIMES" <<<"$s" && grep -qE "^  (pipefs|tracefs) +n=[0-9]+" <<<"$s"; ok $? "dentry panel: lifetimes per filesystem"
grep -qE "dup_ino|ei_removed_referenced" <<<"$s"; ok $? "anomalies panel: the fixture's anomalies"
grep -qF "q quit  p pause" <<<"$s"; ok $? "footer shows the keys"

keys s
grep -qF "sort: age" <<<"$(screen)"; ok $? "s: the sort key cycles to age" "$(screen)"
keys / s c h e d Enter
s=$(screen)
grep -qF "filter: sched" <<<"$s" && ! grep -qE "^  (events|ftrace|kprobes) " <<<"$s"; ok $? "/sched: only matching eventfs paths" "$s"
keys Escape
grep -qF "filter: sched" <<<"$(screen)"; [ $? -ne 0 ]; ok $? "Esc clears the filter"
keys p
grep -qF "[PAUSED]" <<<"$(screen)"; ok $? "p: paused"
keys p
grep -qF "[PAUSED]" <<<"$(screen)"; [ $? -ne 0 ]; ok $? "p again: resumed"
keys Tab Enter
s=$(screen)
grep -qF "refcount history" <<<"$s" && grep -qE "(create|remove|release) +-> [0-9]" <<<"$s"; ok $? "Tab, Enter: the first ei's refcount history" "$s"
keys Enter
keys '?'
grep -qF "this help" <<<"$(screen)"; ok $? "?: help"
keys x
tmux resize-window -t "$sess" -x 90 -y 24
sleep 0.6
s=$(screen)
grep -qF "INODE NUMBERS" <<<"$s" && grep -qF "q quit" <<<"$s"; ok $? "resized to 90x24: header, panels and footer still drawn" "$s"
keys q
wait_for "EXITED 0"; ok $? "q: quits with status 0" "$(screen)"
s=$(tmux capture-pane -p -S -300 -t "$sess")
grep -qF "summary: 18637 events" <<<"$s"; ok $? "q: the end-of-run summary on the restored terminal" "$s"
[ "$(tmux display -p -t "$sess" '#{alternate_on}')" = 0 ]; ok $? "the terminal left the alternate screen"

echo "live: $pass passed, $fail failed"
[ $fail -eq 0 ]
