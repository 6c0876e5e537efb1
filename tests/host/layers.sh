#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The layering of src/: each layer folder includes only the layers below it.
#   tests/host/layers.sh [--src DIR]   check DIR (default: src/ of this tree)
#   tests/host/layers.sh --self-test   plant each kind of violation in a copy
#                                      of src/ and make sure it is caught
# Rules: 1. a quoted include names a file under src/ ("layer/file.h"), or
# "evtrace/evtrace.h", or a generated "*.skel.h";  2. the matrix below;
# 3. no include cycle;  4. commands: from cmd/ a command file includes only
# cmd/cmd.h, which holds only the do_<command>() prototypes, and nothing
# includes a cmd/*.c file.  One line per failed check, then the summary.
# Checks: one per include line, two per file (in a layer; on no cycle), and
# one for cmd/cmd.h's contents.
set -u

check() {		# check SRCDIR
	python3 - "$1" <<'PY'
import os, re, sys
from collections import deque

src = sys.argv[1].rstrip('/')
MAY = {	# layer: what it may include, bottom to top; main is src/main.c
	'lib':      'lib',
	'event':    'lib event',
	'model':    'lib event model',
	'file':     'lib event file',
	'source':   'lib event file source',
	'pipeline': 'lib event model file source pipeline',
	'out':      'lib event model file source pipeline out',
	'ui':       'lib event model pipeline out ui',
	'cli':      'lib event model file source pipeline out ui cli',
	'cmd':      'lib event model file source pipeline out ui cli cmd',
	'main':     'lib cli cmd',
}
MAY = {k: v.split() for k, v in MAY.items()}
passed = failed = 0
if not os.path.isdir(f'{src}/lib'):
	sys.exit(f'layers: {src}/lib: no such directory\nlayers: 0 passed, 1 failed')

def result(ok, msg):
	global passed, failed
	if ok:
		passed += 1
	else:
		failed += 1
		print(f'layers: {msg}')

def uncomment(text):	# block comments out, line numbers kept
	return re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group().count('\n'), text, flags=re.S)

def layer(rel):
	return 'main' if rel == 'main.c' else rel.split('/')[0] if '/' in rel else None

files = sorted(os.path.relpath(os.path.join(d, f), src)
	       for d, _, fs in os.walk(src) for f in fs if f.endswith(('.c', '.h')))
edges = {}
for rel in files:
	edges[rel] = []
	me = layer(rel)
	result(me in MAY, f'{src}/{rel} is not in a layer folder: {", ".join(MAY)}')
	text = uncomment(open(os.path.join(src, rel), errors='replace').read())
	for inc in re.findall(r'^[ \t]*#[ \t]*include[ \t]*"([^"]*)"', text, re.M):
		what = f'{src}/{rel} includes {inc}'
		if inc == 'evtrace/evtrace.h' or inc.endswith('.skel.h'):
			result(True, '')
		elif '..' in inc.split('/') or not os.path.isfile(os.path.join(src, inc)):
			result(False, f'{what}: no such file {src}/{inc}')
		elif '/' not in inc or layer(inc) not in MAY or inc == 'main.c':
			result(False, f'{what}: not in a layer folder')
		else:
			edges[rel].append(inc)
			if me not in MAY:
				result(True, '')	# said above, once
			elif layer(inc) not in MAY[me]:
				result(False, f'{what}: {me} may include {", ".join(MAY[me])}')
			elif inc.startswith('cmd/') and inc.endswith('.c'):
				result(False, f"{what}: no file may include a command's .c file")
			elif me == 'cmd' and layer(inc) == 'cmd' and inc != 'cmd/cmd.h':
				result(False, f'{what}: a command may include only cmd/cmd.h from cmd/')
			else:
				result(True, '')

def path_back(start):	# shortest include path from start back to itself
	prev, todo = {}, deque([start])
	while todo:
		f = todo.popleft()
		for g in edges.get(f, []):
			if g == start:
				p = [f]
				while p[-1] != start:
					p.append(prev[p[-1]])
				return p[::-1] + [start]
			if g not in prev:
				prev[g] = f
				todo.append(g)
	return None

for rel in files:
	cyc = path_back(rel)
	result(not cyc, cyc and f'{src}/{rel} includes {cyc[1]}: include cycle {" -> ".join(cyc)}')

# cmd/cmd.h: main.c's dispatch table and nothing else, so that no command
# reaches into another through it
if os.path.isfile(f'{src}/cmd/cmd.h'):
	body = re.sub(r'//.*|^[ \t]*#.*', '', uncomment(open(f'{src}/cmd/cmd.h').read()), flags=re.M)
	decls, depth, cur = [], 0, ''
	for ch in body:
		cur += ch
		depth += {'{': 1, '}': -1}.get(ch, 0)
		if ch == ';' and depth == 0:
			decls.append(' '.join(cur.split()))
			cur = ''
	bad = []
	for d in decls:
		if re.fullmatch(r'int do_\w+\(int argc, char \*\*argv\);', d):
			continue
		m = re.match(r'(?:typedef )?((?:struct|union|enum) \w+) ?[{;]', d)
		f = re.search(r'(\w+) ?\(', d)
		v = re.search(r'(\w+) ?(?:\[[^]]*\])? ?;$', d)
		bad.append(m[1] if m else f'{f[1]}()' if f else v[1] if v else d)
	result(not bad, f'{src}/cmd/cmd.h declares {", ".join(bad)}: '
			'cmd/cmd.h may declare only do_<command>(int argc, char **argv)')

print(f'layers: {passed} passed, {failed} failed')
sys.exit(1 if failed else 0)
PY
}

self_test() {
	local pass=0 fail=0 rc1 rc2 same
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	local t=$tmp/src sum='^layers: [0-9]* passed, [0-9]* failed$'

	# ok NAME COND-STATUS [DETAILS-FILE]
	ok() {
		if [ "$2" -eq 0 ]; then
			echo "ok - $1"; pass=$((pass + 1))
		else
			echo "not ok - $1"; fail=$((fail + 1))
			[ -n "${3:-}" ] && sed 's/^/#   /' "$3"
		fi
	}
	fresh() { rm -rf "$t"; cp -r src "$t"; }
	# planted NAME LINE...: the planted copy exits 1, and says exactly the
	# LINEs beside what the unplanted copy says
	planted() {
		local name=$1 rc
		shift
		check "$t" >"$tmp/out"; rc=$?
		grep -vxFf "$tmp/base" "$tmp/out" | grep -v "$sum" >"$tmp/new"
		printf '%s\n' "$@" | sort >"$tmp/want"
		sort "$tmp/new" | cmp -s - "$tmp/want" && [ $rc -eq 1 ]
		ok "$name" $? "$tmp/out"
		fresh
	}

	# the unplanted copy says what src/ says (so, on a clean tree, passes)
	fresh
	check "$t" >"$tmp/base"; rc1=$?
	check src | sed "s|\bsrc/|$t/|g" >"$tmp/real"; rc2=${PIPESTATUS[0]}
	cmp -s "$tmp/base" "$tmp/real" && [ $rc1 -eq $rc2 ]
	same=$?	# taken before the $(grep) below, which sets $? of its own
	ok "unplanted copy: the same $(grep -c -v "$sum" "$tmp/base") failure(s) as src/, exit $rc1" $same "$tmp/base"

	echo '#include "cli/opt.h"' >>"$t/model/model.c"
	planted "a core layer includes cli/opt.h" \
		"layers: $t/model/model.c includes cli/opt.h: model may include lib, event, model"

	echo 'int do_hist(int argc, char **argv);' >"$t/cmd/hist.h"
	echo '#include "cmd/hist.h"' >>"$t/cmd/live.c"
	planted "a command includes another command's header" \
		"layers: $t/cmd/live.c includes cmd/hist.h: a command may include only cmd/cmd.h from cmd/"

	echo '#include "cmd/events.c"' >>"$t/main.c"
	planted "main.c includes a command's .c" \
		"layers: $t/main.c includes cmd/events.c: no file may include a command's .c file"

	echo '#include "lib/mounts.h"' >>"$t/lib/json.h"
	echo '#include "lib/json.h"' >>"$t/lib/mounts.h"
	planted "two headers include each other" \
		"layers: $t/lib/json.h includes lib/mounts.h: include cycle lib/json.h -> lib/mounts.h -> lib/json.h" \
		"layers: $t/lib/mounts.h includes lib/json.h: include cycle lib/mounts.h -> lib/json.h -> lib/mounts.h"

	echo '#include "lib/missing.h"' >>"$t/out/print.c"
	planted "an include of a missing header" \
		"layers: $t/out/print.c includes lib/missing.h: no such file $t/lib/missing.h"

	# a small tree that keeps every rule passes; a helper in its cmd.h fails
	rm -rf "$t" && mkdir -p "$t/lib" "$t/cli" "$t/cmd"
	echo '#include <stdio.h>' >"$t/lib/common.h"
	printf '#include "lib/common.h"\n#include "evtrace/evtrace.h"\n' >"$t/cli/opt.h"
	echo 'int do_a(int argc, char **argv); /* a */' >"$t/cmd/cmd.h"
	printf '#include "cmd/cmd.h"\n#include "cli/opt.h"\n#include "x.skel.h"\n' >"$t/cmd/a.c"
	printf '#include "cmd/cmd.h"\n#include "cli/opt.h"\n' >"$t/main.c"
	check "$t" >"$tmp/out"
	ok "a tree that keeps the rules passes" $? "$tmp/out"
	echo 'extern int shared; struct s { int (*f)(void); }; const char *helper(int x);' >>"$t/cmd/cmd.h"
	check "$t" >"$tmp/out"
	[ $? -eq 1 ] && grep -qxF "layers: $t/cmd/cmd.h declares shared, struct s, helper(): cmd/cmd.h may declare only do_<command>(int argc, char **argv)" "$tmp/out"
	ok "cmd/cmd.h with more than do_<command>() prototypes fails" $? "$tmp/out"

	echo "layers-selftest: $pass passed, $fail failed"
	[ $fail -eq 0 ]
}

case "${1:-}" in
--src)		[ $# -eq 2 ] || { echo "usage: $0 [--src DIR | --self-test]" >&2; exit 2; }
		check "$2" ;;
--self-test)	cd "$(dirname "$0")/../.." && self_test ;;
'')		cd "$(dirname "$0")/../.." && check src ;;
*)		echo "usage: $0 [--src DIR | --self-test]" >&2; exit 2 ;;
esac
