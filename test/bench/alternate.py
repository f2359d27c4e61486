#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Times commands alternately: round 1 runs A, B, C..., round 2 again, so a
change of the machine's load touches every command alike (hyperfine runs
all of A, then all of B).  Reads a JSON array of {"name", "cmd" (argv),
"prepare" (optional argv, untimed, before each run)} on stdin; writes
{"runs": N, "results": [{"name", "median", "times"}]} (seconds) on stdout.
A command that fails is reported with its exit status and stops the run.

    alternate.py RUNS [WARMUP] < spec.json
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run(argv):
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        r = subprocess.run(argv, stdout=null, stderr=subprocess.PIPE)
        t1 = time.perf_counter()
    if r.returncode != 0:
        sys.exit("alternate.py: %s exited %d: %s" % (" ".join(argv), r.returncode, r.stderr.decode(errors="replace").strip()[-300:]))
    return t1 - t0


def main():
    runs = int(sys.argv[1])
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    spec = json.load(sys.stdin)
    times = [[] for _ in spec]
    for rnd in range(warmup + runs):
        for i, c in enumerate(spec):
            if c.get("prepare"):
                subprocess.run(c["prepare"], check=True, stdout=subprocess.DEVNULL)
            t = run(c["cmd"])
            if rnd >= warmup:
                times[i].append(t)
    json.dump({"runs": runs, "results": [{"name": c["name"], "median": statistics.median(t), "times": t}
                                         for c, t in zip(spec, times)]}, sys.stdout)


main()
