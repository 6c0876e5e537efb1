#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""perfetto_check.py FILE: is FILE Trace Event Format JSON with evtrace's tracks?

Strict JSON; a {"traceEvents": [...]} object; every event with a known ph,
pid, name and (but for metadata) a numeric ts; b/e pairs balanced per
(cat, id); counters with numeric args; a process_name for every pid used;
the evtrace processes present.  Prints one summary line; exits 1 with the
first violation otherwise.
"""
import json
import sys

PHASES = set("MCbeiXBEn")


def fail(msg):
    print(f"perfetto: {msg}")
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            doc = json.load(f, parse_constant=lambda c: fail(f"non-standard constant {c}"))
    except (OSError, ValueError) as e:
        fail(f"not JSON: {e}")
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("no traceEvents list")
    names, used, open_slices = {}, set(), {}
    counters, slices, instants = set(), 0, 0
    for i, ev in enumerate(doc["traceEvents"]):
        if not isinstance(ev, dict) or ev.get("ph") not in PHASES:
            fail(f"event {i}: bad ph: {ev}")
        if not isinstance(ev.get("pid"), int) or not isinstance(ev.get("name"), str):
            fail(f"event {i}: pid and name required: {ev}")
        ph = ev["ph"]
        if ph == "M":
            if ev["name"] == "process_name":
                names[ev["pid"]] = ev.get("args", {}).get("name")
            continue
        if not isinstance(ev.get("ts"), (int, float)):
            fail(f"event {i}: numeric ts required: {ev}")
        used.add(ev["pid"])
        if ph == "C":
            args = ev.get("args")
            if not args or not all(isinstance(v, (int, float)) for v in args.values()):
                fail(f"event {i}: counter args must be numbers: {ev}")
            counters.add((ev["pid"], ev["name"]))
        elif ph in "be":
            key = (ev.get("cat"), ev.get("id"))
            if key[1] is None:
                fail(f"event {i}: async event without id")
            if ph == "b":
                if key in open_slices:
                    fail(f"event {i}: slice {key} begun twice")
                open_slices[key] = ev["ts"]
            else:
                if key not in open_slices:
                    fail(f"event {i}: end of slice {key} never begun")
                if ev["ts"] < open_slices.pop(key):
                    fail(f"event {i}: slice {key} ends before it begins")
                slices += 1
        elif ph == "i":
            instants += 1
    if open_slices:
        fail(f"{len(open_slices)} slices never ended")
    missing = used - set(names)
    if missing:
        fail(f"pids without process_name: {sorted(missing)}")
    want = {"eventfs_inode refcounts", "inode numbers", "anomalies"}
    if not want <= set(names.values()):
        fail(f"missing processes: {sorted(want - set(names.values()))}")
    print(f"perfetto: {len(doc['traceEvents'])} events, {len(counters)} counter tracks, "
          f"{slices} slices, {instants} instant events, processes: "
          + ", ".join(sorted(n for n in names.values() if n)))


if __name__ == "__main__":
    main()
