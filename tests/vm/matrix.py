#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of make vm-matrix, from the VM runs in OUTDIR (one directory
per kernel line, as run.sh leaves them) and its log: how each probe
attached on each kernel, and the assertions passed and failed.

usage: matrix.py OUTDIR LINE...
"""
import json
import os
import re
import sys


def main(out, lines):
    log = open(os.path.join(out, "run.log"), errors="replace").read()
    tables, versions = {}, {}
    for k in lines:
        d = os.path.join(out, k, "out")
        try:
            versions[k] = open(os.path.join(d, "kernel")).read().strip()
            tables[k] = {p["probe"]: p for p in json.load(open(os.path.join(d, "probes.out")))}
        except (OSError, ValueError):
            tables[k] = {}
    probes = []
    for t in tables.values():
        for p in t:
            if p not in probes:
                probes.append(p)
    w = max([len(p) for p in probes] + [5])
    cw = max([len(k) for k in lines] + [8])
    print(f"vm-matrix: {'probe':<{w}}  " + "  ".join(f"{k:>{cw}}" for k in lines))
    for p in probes:
        cells = []
        for k in lines:
            s = tables[k].get(p)
            if not s:
                cells.append("?")
                continue
            c = s["status"]
            if s.get("function") and s["function"] != p:
                c += "*"
            cells.append(c)
        print(f"vm-matrix: {p:<{w}}  " + "  ".join(f"{c:>{cw}}" for c in cells))
    res = []
    for k in lines:
        v = re.escape(versions.get(k, k))
        m = re.search(rf"^vm {v}: (\d+) passed, (\d+) failed, (\d+) skipped$", log, re.M)
        res.append(f"{m[1]}/{int(m[1]) + int(m[2])}" if m else "no run")
    print(f"vm-matrix: {'assertions passed':<{w}}  " + "  ".join(f"{c:>{cw}}" for c in res))
    print("vm-matrix: * on another kernel function than the probe's name (evtrace probes says which)")
    for k in lines:
        print(f"vm-matrix: {k}: {versions.get(k, '(did not boot)')}")
    return 0 if all(r != "no run" and r.split("/")[0] == r.split("/")[1] for r in res) else 1


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
