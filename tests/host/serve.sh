#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# evtrace serve on this host: the seed recording replayed at --max and then
# served, checked with promtool, with HTTP requests good and bad (HEAD,
# POST, an unknown path, an oversized request, an idle and a trickling
# client, a burst of 200 connections), scraped by a real Prometheus whose
# query API must give what `evtrace hist` gives for the same file, and
# written as a node_exporter textfile.  Every wait is bounded; nothing is
# asserted by sleeping.  prometheus and promtool come from `make deps`:
# missing, the suite fails saying so.
set -u
cd "$(dirname "$0")/../.."
bin=${EVTRACE:-./evtrace}
fx=tests/fixtures/seed-6.12.evt
pass=0 fail=0
tmp=$(mktemp -d)
spid= ppid=
cleanup() {
	# only the processes this suite started, by their ids
	[ -n "$ppid" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# claim NAME STATUS [DETAIL-FILE]
claim() {
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "not ok - $1"
		[ -n "${3:-}" ] && [ -e "$3" ] && sed 's/^/#   /' "$3" | head -n 30
		fail=$((fail + 1))
	fi
}

finish() {
	echo "serve: $pass passed, $fail failed"
	[ $fail -eq 0 ]
	exit
}

# expect NAME RC PATTERN CMD...: exit status RC, one stderr line matching PATTERN
expect() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	timeout 20 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" = "$want" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -Eq -- "$pat" "$tmp/err"
	claim "$name (rc=$rc)" $? "$tmp/err"
}

# wait_for SECONDS CMD...: until CMD succeeds, polling every 0.1 s; its status
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

for tool in promtool prometheus; do
	if ! command -v $tool >/dev/null; then
		claim "$tool is installed (run make deps: scripts/deps.sh installs it)" 1
		finish
	fi
done

# ---- usage and environment errors: one line, status 2 ---------------------------

expect "a bad --listen address" 2 "^evtrace: invalid --listen 'nowhere:80'" \
	$bin serve $fx --listen nowhere:80
expect "--listen without a port" 2 "^evtrace: invalid --listen '127.0.0.1'" \
	$bin serve $fx --listen 127.0.0.1
expect "a FILE that does not open" 2 "^evtrace: cannot read trace file '/nonexistent.evt'" \
	$bin serve /nonexistent.evt --listen 127.0.0.1:0
expect "--listen and --textfile together" 2 "^evtrace: serve: --listen or --textfile, not both" \
	$bin serve $fx --listen 127.0.0.1:0 --textfile "$tmp"
expect "--textfile on a missing directory" 2 "^evtrace: cannot write metrics into '/nonexistent'" \
	$bin serve $fx --textfile /nonexistent
expect "a bad --top" 2 "^evtrace: invalid --top '0'" $bin serve $fx --top 0
# this machine refuses BPF: live serving fails fast as every live command does
expect "live, where nothing can attach" 2 "^evtrace: " $bin serve --listen 127.0.0.1:0
expect "the static binary: HTTP not in it, one line" 2 "HTTP is not in this build.*--textfile" \
	.output/evtrace-static serve $fx --listen 127.0.0.1:0

# ---- the recording served ------------------------------------------------

$bin serve $fx --max --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
wait_for 20 grep -q "^evtrace: replay finished" "$tmp/serve.err"
claim "serve FILE --max: announces its address, replays, stays up" $? "$tmp/serve.err"
addr=$(sed -n 's|^evtrace: serving http://\([^/]*\)/metrics$|\1|p' "$tmp/serve.err")
if [ -z "$addr" ] || ! kill -0 $spid 2>/dev/null; then
	claim "the server is up" 1 "$tmp/serve.err"
	finish
fi
expect "the port in use: one line, status 2" 2 "^evtrace: cannot listen on $addr: Address already in use" \
	$bin serve $fx --listen "$addr"

# hclient.py ADDR CHECK...: the HTTP checks, in Python for sockets it can hold open
cat >"$tmp/hclient.py" <<'PY'
import http.client, select, socket, sys, threading, time
host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
what = sys.argv[2]

def req(method, path, headers={}):
    c = http.client.HTTPConnection(host, port, timeout=5)
    c.request(method, path, headers=headers)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r, body

def raw(data, wait=5):
    s = socket.create_connection((host, port), timeout=wait)
    s.sendall(data)
    got = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except (ConnectionResetError, BrokenPipeError):
        pass
    s.close()
    return got

if what == "get":		# get PATH OUT [ACCEPT]: body to OUT, status and type printed
    st, r, body = req("GET", sys.argv[3], {"Accept": sys.argv[5]} if len(sys.argv) > 5 else {})
    open(sys.argv[4], "wb").write(body)
    print(st, r.getheader("Content-Type"))
elif what == "head":
    st, r, body = req("HEAD", "/metrics")
    assert st == 200 and body == b"", (st, body[:50])
    assert int(r.getheader("Content-Length")) > 1000, r.getheader("Content-Length")
    assert r.getheader("Content-Type").startswith("text/plain; version=0.0.4")
elif what == "post":
    st, r, body = req("POST", "/metrics")
    assert st == 405 and r.getheader("Allow") == "GET, HEAD", (st, r.getheader("Allow"))
    st, r, body = req("DELETE", "/")
    assert st == 405, st
elif what == "notfound":
    for p in ("/nope", "/metrics/x", "/metricsx"):
        st, r, body = req("GET", p)
        assert st == 404, (p, st)
elif what == "index":
    st, r, body = req("GET", "/")
    assert st == 200 and b'href="/metrics"' in body, (st, body)
    assert r.getheader("Content-Type").startswith("text/html"), r.getheader("Content-Type")
elif what == "oversized":	# 64 KiB of headers: refused, the server goes on
    got = raw(b"GET /metrics HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 65536 + b"\r\n\r\n")
    line = got.split(b"\r\n", 1)[0]
    assert not line.startswith(b"HTTP/1.1 200"), line
    assert line == b"" or line.split()[1][:1] == b"4", line
    print("answer:", line.decode() or "(closed)")
    st, r, body = req("GET", "/metrics")
    assert st == 200 and b"evtrace_events_total" in body, st
elif what == "idle":		# a client that sends nothing does not hold the next scrape
    s = socket.create_connection((host, port))
    t = time.time()
    st, r, body = req("GET", "/metrics")
    assert st == 200 and time.time() - t < 2, (st, time.time() - t)
    s.close()
elif what == "trickle":		# a byte a second: closed when 10 s pass without a whole request
    s = socket.create_connection((host, port), timeout=1)
    msg, t, closed = b"GET /metrics HTTP/1.1\r\nX-Slow: " + b"a" * 40, time.time(), False
    for i in range(len(msg)):
        try:
            s.sendall(msg[i:i + 1])
            if select.select([s], [], [], 0)[0] and s.recv(1) == b"":
                closed = True
        except OSError:
            closed = True
        if closed:
            break
        time.sleep(0.5)
    took = time.time() - t
    assert closed and 9 <= took <= 14, (closed, took)
    print("closed after %.1f s" % took)
elif what == "burst":		# 200 at once: answered or turned away, never a hang
    ok, refused = [0], [0]
    lock = threading.Lock()
    def one():
        try:
            st, r, body = req("GET", "/metrics")
            with lock:
                ok[0] += st == 200
        except Exception:
            with lock:
                refused[0] += 1
    th = [threading.Thread(target=one) for _ in range(200)]
    t = time.time()
    for x in th: x.start()
    for x in th: x.join(30)
    assert not any(x.is_alive() for x in th), "a request hung"
    assert ok[0] >= 64 and ok[0] + refused[0] == 200, (ok[0], refused[0])
    st, r, body = req("GET", "/metrics")
    assert st == 200, st
    print("%d answered, %d turned away, %.2f s" % (ok[0], refused[0], time.time() - t))
PY
http() { timeout 60 python3 "$tmp/hclient.py" "$addr" "$@" >"$tmp/why" 2>&1; }

http get /metrics "$tmp/metrics.txt"
claim "GET /metrics: 200, the text format 0.0.4" \
	$(($? + $(grep -c "^200 text/plain; version=0.0.4; charset=utf-8$" "$tmp/why") != 1)) "$tmp/why"
promtool check metrics <"$tmp/metrics.txt" >"$tmp/why" 2>&1
claim "promtool check metrics passes on /metrics" $(($? + $(wc -c <"$tmp/why") != 0)) "$tmp/why"
http get /metrics "$tmp/metrics.om" \
	"application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
claim "OpenMetrics when Accept asks: its type, # EOF last" \
	$(($? + $(grep -c "^200 application/openmetrics-text; version=1.0.0; charset=utf-8$" "$tmp/why") != 1 + \
	   $(tail -n 1 "$tmp/metrics.om" | grep -cx "# EOF") != 1)) "$tmp/why"
for fam in evtrace_ino_allocations_total evtrace_next_ino_highest evtrace_ino_wrap_seconds \
	   evtrace_eventfs_inodes evtrace_eventfs_removed_referenced_longest_seconds \
	   evtrace_anomalies_total evtrace_dentry_lifetime_seconds evtrace_inode_lifetime_seconds \
	   evtrace_lost_events_total evtrace_probes evtrace_events_total evtrace_build_info; do
	grep -q "^# TYPE $fam " "$tmp/metrics.txt" || echo "missing: $fam"
done >"$tmp/why"
claim "every family is there with its TYPE" $(wc -c <"$tmp/why") "$tmp/why"
http head
claim "HEAD /metrics: headers, no body" $? "$tmp/why"
http post
claim "POST and DELETE: 405 with Allow: GET, HEAD" $? "$tmp/why"
http notfound
claim "unknown paths: 404" $? "$tmp/why"
http index
claim "/ says what is served, with a link to /metrics" $? "$tmp/why"
http oversized
rc=$?
claim "an oversized request is refused, the server goes on ($(tail -n 1 "$tmp/why"))" $rc "$tmp/why"
http idle
claim "a client that sends nothing does not hold a scrape" $? "$tmp/why"
rss0=$(awk '/^VmRSS/ {print $2}' /proc/$spid/status)
http burst
rc=$?
rss1=$(awk '/^VmRSS/ {print $2}' /proc/$spid/status)
claim "a burst of 200 connections: $(tail -n 1 "$tmp/why"), RSS ${rss0} -> ${rss1} KiB" \
	$((rc + (rss1 - rss0 > 16384))) "$tmp/why"
http trickle
rc=$?
claim "a client trickling a byte each 0.5 s is cut off ($(tail -n 1 "$tmp/why"))" $rc "$tmp/why"

# ---- a real Prometheus scrapes it ---------------------------------------------

pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: evtrace
    static_configs:
      - targets: ['$addr']
EOF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" >"$tmp/prometheus.log" 2>&1 &
ppid=$!
# query EXPR: the result vector as JSON lines {"metric":..,"value":..}
query() {
	python3 - "$pport" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
d = json.load(urllib.request.urlopen(u, timeout=5))
assert d["status"] == "success", d
for r in d["data"]["result"]:
    print(json.dumps({"metric": r["metric"], "value": r["value"][1]}, sort_keys=True))
PY
}
scraped() { query 'up{job="evtrace"} == 1' 2>/dev/null | grep -q value; }
wait_for 60 scraped
claim "Prometheus scrapes it: up is 1" $? "$tmp/prometheus.log"

# what hist gives for the same file: allocations per mount, the eventfs_inodes by state
$bin hist --json $fx >"$tmp/hist.json" 2>/dev/null
$bin hist $fx 2>/dev/null | sed -n 's/^eventfs_inodes: \([0-9]*\) tracked: \([0-9]*\) live, \([0-9]*\) removed but still referenced.*, \([0-9]*\) released$/\1 \2 \3 \4/p' >"$tmp/eis"
query 'sum by (mount) (evtrace_ino_allocations_total)' >"$tmp/q.mount" 2>"$tmp/why"
python3 - "$tmp/hist.json" "$tmp/q.mount" >>"$tmp/why" 2>&1 <<'PY'
import json, sys
hist = {g["group"]: g["count"] for g in json.load(open(sys.argv[1]))["hist"]["groups"]}
prom = {}
for l in open(sys.argv[2]):
    r = json.loads(l)
    prom[r["metric"]["mount"]] = int(float(r["value"]))
print("hist:", hist)
print("prometheus:", prom)
assert hist and prom == hist
PY
claim "Prometheus' sum by mount of evtrace_ino_allocations_total is hist --json's" $? "$tmp/why"
query 'evtrace_eventfs_inodes' >"$tmp/q.eis" 2>"$tmp/why"
python3 - "$tmp/hist.json" "$tmp/eis" "$tmp/q.eis" >>"$tmp/why" 2>&1 <<'PY'
import json, sys
total, live, removed, released = map(int, open(sys.argv[2]).read().split())
summ = json.load(open(sys.argv[1]))["summary"]
prom = {}
for l in open(sys.argv[3]):
    r = json.loads(l)
    prom[r["metric"]["state"]] = int(float(r["value"]))
want = {"live": live, "removed_referenced": removed, "released": released}
print("hist:", want, "eis", summ["eis"], "prometheus:", prom)
assert prom == want and sum(prom.values()) == summ["eis"] == total
PY
claim "Prometheus' evtrace_eventfs_inodes by state is hist's" $? "$tmp/why"
query 'evtrace_next_ino_highest' >"$tmp/q.max" 2>"$tmp/why"
python3 - "$tmp/hist.json" "$tmp/q.max" >>"$tmp/why" 2>&1 <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))["summary"]["ino_max"]
got = [int(float(json.loads(l)["value"])) for l in open(sys.argv[2])]
print("hist:", want, "prometheus:", got)
assert got == [want]
PY
claim "Prometheus' evtrace_next_ino_highest is hist's ino_max" $? "$tmp/why"
kill $ppid 2>/dev/null
wait $ppid 2>/dev/null
ppid=

# ---- SIGTERM: a clean end ----------------------------------------------------

kill -TERM $spid
stopped() { ! kill -0 $spid 2>/dev/null; }
wait_for 5 stopped
rc=$?
wait $spid
claim "SIGTERM stops it within 5 s, status 0, the summary on stdout" \
	$((rc + $? + $(grep -c "^summary: 18637 events" "$tmp/serve.out") != 1)) "$tmp/serve.err"
spid=

# ---- the textfile -------------------------------------------------------------

mkdir "$tmp/tf"
(umask 077 && timeout 30 $bin serve $fx --max --textfile "$tmp/tf" >"$tmp/out" 2>"$tmp/why")
rc=$?
promtool check metrics <"$tmp/tf/evtrace.prom" >>"$tmp/why" 2>&1
claim "--textfile with FILE: written, promtool accepts it, exit 0" $((rc + $?)) "$tmp/why"
[ "$(stat -c %a "$tmp/tf/evtrace.prom" 2>&1)" = 644 ] && [ "$(ls -A "$tmp/tf" | wc -l)" = 1 ]
claim "the textfile is 0644 under umask 077, no temporary left" $? "$tmp/why"
diff <(grep -v -e '^evtrace_events_per_second' -e '^evtrace_cpu_seconds' "$tmp/tf/evtrace.prom") \
     <(grep -v -e '^evtrace_events_per_second' -e '^evtrace_cpu_seconds' "$tmp/metrics.txt") >"$tmp/why"
claim "the textfile holds what /metrics served" $? "$tmp/why"
expect "the static binary writes the textfile" 0 "^evtrace: writing " \
	.output/evtrace-static serve $fx --max --textfile "$tmp/tf"

finish
