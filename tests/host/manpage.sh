#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installable (issue 15): the man page against the binary's own help, the
# page's rendering, `make install`/`make uninstall` into a staging root, the
# systemd unit (systemd-analyze verify), and a binary given CAP_BPF and
# CAP_PERFMON with setcap getting past the privilege check as nobody.
set -u
cd "$(dirname "$0")/../.."
bin=${EVTRACE:-./evtrace}
page=${MANPAGE:-docs/evtrace.8}
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() {		# notok NAME [DETAIL-FILE]
	echo "not ok - $1"
	[ -n "${2:-}" ] && sed 's/^/#   /' "$2" | head -n 30
	fail=$((fail + 1))
}
skipped() { echo "SKIPPED - $1"; skip=$((skip + 1)); }
claim() { if [ "$2" -eq 0 ]; then ok "$1"; else notok "$1" "${3:-}"; fi; }

# --- the page against the help -------------------------------------------
# The commands of `evtrace --help`, and each one's --help (help and version
# have none of their own).  One section per command in the page, whose
# option tags, with those of the option groups it names ("It also takes
# the filter options ..."), are exactly the options of its --help, short
# forms included; every option tag in the page is one the binary has.
$bin --help >"$tmp/help" 2>&1
claim "evtrace --help" $? "$tmp/help"
cmds=$(awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$tmp/help")
[ -n "$cmds" ]
claim "evtrace --help lists commands ($(echo $cmds))" $?
for c in $cmds; do
	case $c in help|version) continue ;; esac
	$bin "$c" --help >"$tmp/help.$c" 2>&1
	claim "evtrace $c --help" $? "$tmp/help.$c"
done

python3 - "$page" "$tmp" $cmds >"$tmp/report" 2>&1 <<'PY'
import re, sys
page, tmp, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]

def plain(s):			# roff to text, enough for tags and prose
	s = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', s)
	s = s.replace('\\-', '-').replace('\\ ', ' ').replace('\\(em', '-')
	s = re.sub(r'^\.(B|I|BR|RB|BI|IB|RI|IR)\s+', '', s)
	return s.replace('"', '')

OPT = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')

def help_opts(path):		# {long or lone short: short or None}
	opts = {}
	for line in open(path):
		m = re.match(r'^ {2,8}(-[A-Za-z])?(?:, )?(--[a-z][a-z0-9-]*)?(?=\s|$)', line)
		if m and (m.group(1) or m.group(2)):
			opts[m.group(2) or m.group(1)] = m.group(1)
	return opts

# the page's sections: .SH NAME, and under it .SS NAME, each with its
# .TP tags (the line after .TP) and its text
sections, cur, lines = {}, None, open(page).read().split('\n')
sh = None
for i, line in enumerate(lines):
	if line.startswith('.SH'):
		sh = plain(line[3:]).strip()
		cur = (sh, None)
	elif line.startswith('.SS'):
		cur = (sh, plain(line[3:]).strip())
	elif cur is None or line.startswith('.\\"'):
		continue
	sec = sections.setdefault(cur, {'tags': [], 'text': ''})
	if i > 0 and lines[i - 1].startswith('.TP'):
		sec['tags'].append(OPT.findall(plain(line)))
	elif not line.startswith('.SS') and not line.startswith('.SH'):
		sec['text'] += ' ' + plain(line)

groups = {s.lower(): v for (h, s), v in sections.items() if h == 'OPTIONS' and s}
page_cmds = [s for (h, s) in sections if h == 'COMMANDS' and s]
bad = 0

def say(ok, what):
	global bad
	print(('ok - ' if ok else 'not ok - ') + what)
	bad += not ok

say(sorted(page_cmds) == sorted(cmds),
    'the page has a section for each command and no other: page %s, --help %s'
    % (sorted(page_cmds), sorted(cmds)))
every = set()
for c in cmds:
	if c in ('help', 'version'):
		continue
	want = help_opts('%s/help.%s' % (tmp, c))
	every |= set(want)
	sec = sections.get(('COMMANDS', c), {'tags': [], 'text': ''})
	text = ' '.join(sec['text'].lower().split())
	named = sorted(g for g in groups if g in text)
	tags = list(sec['tags'])
	for g in named:
		tags += groups[g]['tags']
	have = {}
	for t in tags:
		longs = [o for o in t if o.startswith('--')]
		shorts = [o for o in t if not o.startswith('--')]
		for o in longs or shorts:
			have[o] = shorts[0] if longs and shorts else None
	missing = sorted(set(want) - set(have))
	extra = sorted(set(have) - set(want))
	say(want and not missing, '%s: every option of its --help is in the page (%d; missing %s)'
	    % (c, len(want), missing or 'none'))
	say(not extra, '%s: the page lists no option it does not take (its section and %s; extra %s)'
	    % (c, named, extra or 'none'))
	short = sorted('%s/%s' % (want[o], o) for o in want if o in have and have[o] != want[o])
	say(not short, '%s: short forms as in --help (differ: %s)' % (c, short or 'none'))
alltags = {o for sec in sections.values() for t in sec['tags'] for o in t
	   if o.startswith('--')}
say(not alltags - every, 'every long option the page tags is one the binary has (unknown: %s)'
    % (sorted(alltags - every) or 'none'))
sys.exit(bad != 0)
PY
st=$?
cat "$tmp/report"
pass=$((pass + $(grep -c '^ok - ' "$tmp/report")))
fail=$((fail + $(grep -c '^not ok - ' "$tmp/report")))
[ $st -eq 0 ] || grep -q '^not ok - ' "$tmp/report" || notok "the page check ran" "$tmp/report"

# --- rendering -------------------------------------------------------------
if command -v groff >/dev/null; then
	groff -ww -man -z "$page" >"$tmp/err" 2>&1
	claim "groff -ww -man: no warnings" $(($? + $(wc -c <"$tmp/err"))) "$tmp/err"
else
	skipped "groff -ww: groff is not installed (groff-base, scripts/deps.sh)"
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	claim "man --warnings -l renders it, no warnings" \
		$((rc + $(wc -c <"$tmp/err") + ($(wc -l <"$tmp/out") < 100))) "$tmp/err"
else
	skipped "man -l: man is not installed (man-db, scripts/deps.sh)"
fi

# --- make install / uninstall ----------------------------------------------
root=$tmp/root
make -s install DESTDIR="$root" PREFIX=/usr >"$tmp/out" 2>&1
claim "make install DESTDIR=... PREFIX=/usr" $? "$tmp/out"
find "$root" -type f -printf '%P %m\n' | sort >"$tmp/files"
cat >"$tmp/want" <<'EOF'
usr/lib/systemd/system/evtrace.service 644
usr/sbin/evtrace 755
usr/share/man/man8/evtrace.8 644
EOF
cmp -s "$tmp/files" "$tmp/want"
claim "the binary (0755), the man page and the unit (0644), nothing else" $? "$tmp/files"
cmp -s "$root/usr/sbin/evtrace" "$bin" && cmp -s "$root/usr/share/man/man8/evtrace.8" "$page"
claim "installed binary and page are the built ones" $?
grep -qx 'ExecStart=/usr/sbin/evtrace serve --listen 127.0.0.1:9435' \
	"$root/usr/lib/systemd/system/evtrace.service" &&
	! grep -q '@[A-Z]*@' "$root/usr/lib/systemd/system/evtrace.service"
claim "the unit runs /usr/sbin/evtrace serve (PREFIX, not DESTDIR)" $? \
	"$root/usr/lib/systemd/system/evtrace.service"
make -s uninstall DESTDIR="$root" PREFIX=/usr >"$tmp/out" 2>&1
claim "make uninstall: status 0" $? "$tmp/out"
find "$root" -type f >"$tmp/left"
claim "make uninstall removes the three files" $(wc -l <"$tmp/left") "$tmp/left"
# no DESTDIR, a PREFIX of its own: the layout under it, default dirs
make -s install PREFIX="$tmp/prefix" >"$tmp/out" 2>&1 &&
	[ -x "$tmp/prefix/sbin/evtrace" ] && [ -f "$tmp/prefix/share/man/man8/evtrace.8" ] &&
	grep -qx "ExecStart=$tmp/prefix/sbin/evtrace serve --listen 127.0.0.1:9435" \
		"$tmp/prefix/lib/systemd/system/evtrace.service"
claim "make install PREFIX=DIR: DIR/sbin, DIR/share/man/man8, DIR/lib/systemd/system" $? "$tmp/out"

# --- the systemd unit ------------------------------------------------------
unit=$tmp/prefix/lib/systemd/system/evtrace.service
if ! command -v systemd-analyze >/dev/null; then
	skipped "systemd-analyze verify: systemd-analyze is not installed"
elif [ ! -f "$unit" ]; then
	notok "systemd-analyze verify: make install PREFIX=DIR left no unit"
else
	# installed under a prefix of its own: ExecStart= names a binary that
	# exists, Documentation=man:evtrace(8) a page man finds
	MANPATH=$tmp/prefix/share/man systemd-analyze verify "$unit" >"$tmp/err" 2>&1
	claim "systemd-analyze verify: accepted, not a warning" $(($? + $(wc -c <"$tmp/err"))) "$tmp/err"
	# the same verify must see a broken unit (else it proves nothing here)
	sed 's/^ProtectProc=invisible$/ProtectProc=sometimes/' "$unit" >"$tmp/bad.service"
	MANPATH=$tmp/prefix/share/man systemd-analyze verify "$tmp/bad.service" >"$tmp/err" 2>&1
	claim "systemd-analyze verify: a bad value is reported" $(($(wc -c <"$tmp/err") == 0)) "$tmp/err"
fi
if [ -f "$unit" ]; then
	for want in 'AmbientCapabilities=CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE' \
		'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYS_RESOURCE' \
		DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
		PrivateTmp=yes ProtectKernelModules=yes ProtectControlGroups=yes; do
		grep -qx "$want" "$unit"
		claim "unit: $want" $?
	done
	# what would hide /proc/kallsyms, /sys/kernel/btf or tracefs from evtrace
	grep -nE '^(ProtectKernelTunables=(yes|true|1)|ProcSubset=pid|InaccessiblePaths=|TemporaryFileSystem=|PrivateNetwork=(yes|true|1))' \
		"$unit" >"$tmp/out"
	claim "unit: nothing that hides kallsyms, BTF, tracefs or the listener" $(($(wc -l <"$tmp/out") != 0)) "$tmp/out"
fi

# --- capabilities instead of root ------------------------------------------
# A copy of the binary with file capabilities, run as nobody with nothing
# inherited: it passes the privilege check and reaches the kernel (exit 0 if
# probes attach, 2 with "no probe can attach" on a kernel that refuses them),
# where the same binary without them says "need root".  Only capabilities
# in our bounding set: one outside it makes exec fail (EPERM).
if [ "$(id -u)" -ne 0 ] || ! command -v setcap >/dev/null || ! command -v setpriv >/dev/null; then
	skipped "setcap: needs root, setcap and setpriv"
else
	caps=cap_bpf,cap_perfmon
	bnd=$((16#$(awk '/^CapBnd/ { print $2 }' /proc/self/status)))
	[ $(((bnd >> 24) & 1)) = 1 ] && caps=$caps,cap_sys_resource
	capdir=$(mktemp -d)
	chmod 755 "$capdir"
	cp "$bin" "$capdir/evtrace"
	if ! setcap "$caps+ep" "$capdir/evtrace" 2>"$tmp/err"; then
		skipped "setcap: this filesystem takes no file capabilities ($(head -n 1 "$tmp/err"))"
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
			"$capdir/evtrace" probes >/dev/null 2>"$tmp/err"
		rc=$?
		claim "setcap $caps+ep, run as nobody: past the privilege check (rc $rc)" \
			$(( (rc != 0 && rc != 2) + $(grep -c 'need root' "$tmp/err") +
			    (rc == 2 && $(grep -c '^evtrace: no probe can attach' "$tmp/err") != 1) )) "$tmp/err"
		setcap -r "$capdir/evtrace"
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
			"$capdir/evtrace" probes >/dev/null 2>"$tmp/err"
		claim "the same binary without capabilities: need root, exit 2" \
			$(( ($? != 2) + ($(grep -c '^evtrace: need root or CAP_BPF and CAP_PERFMON' "$tmp/err") != 1) )) "$tmp/err"
	fi
	rm -rf "$capdir"
fi

echo "manpage: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
