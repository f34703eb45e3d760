#!/usr/bin/env python3
"""Benchmarks of the Python binding; prints figures and the budgets.

1. Per call: the container scenario with 8 destinations
   (testdata/bench/container8.json, as every other benchmark), every model, warm instance. Budget: 60 us per call for
   gaisort.sort (dict in, dict out). Also shown: sort_json (bytes in,
   bytes out: the WebAssembly round trip alone) and JSON text in.
2. Cold start: a new Python process, compiled-module cache warm, from
   spawning the process to reading its first answer. Budget: 250 ms.
   The child also reports where its time went.

Wall time is what a user sees; on a shared, busy machine it mostly
measures the queue for a CPU, so CPU time is printed beside it. The budget
verdict uses the best wall time (the run least disturbed by other load).

3. Throughput: the compact answer of a batch of container scenarios, the
   default models, one call into the module per batch. Budget: 60 us per
   scenario (issue 17), the ratio printed beside it.

Usage: python scripts/bench.py [--calls N] [--rounds R] [--starts K] [--batch B] [--throughput-only]
(uses the installed gaisort, or $GAISORT_WASM's module).
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import gaisort

# The one scenario every budget figure is measured on (the engine's, the
# module's, the JavaScript package's): testdata/bench/container8.json.
REPO = os.environ.get("GAISORT_REPO") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
with open(os.path.join(REPO, "testdata", "bench", "container8.json")) as f:
    CONTAINER8 = json.load(f)

PER_CALL_BUDGET_US = 60.0
COLD_START_BUDGET_MS = 250.0
BATCH_BUDGET_US = 60.0

CHILD = r"""
import sys, time, json
t0 = time.perf_counter()
import gaisort
t1 = time.perf_counter()
rt = gaisort.default_runtime()
info = rt.info()                      # load (cache) + instantiate + _initialize
t2 = time.perf_counter()
ans = gaisort.sort(json.loads(sys.argv[1]))
t3 = time.perf_counter()
sys.stdout.write(json.dumps({"orders": len(ans["results"]), "module": info["module"],
    "import_ms": 1e3 * (t1 - t0), "load_ms": 1e3 * (t2 - t1), "first_call_ms": 1e3 * (t3 - t2)}) + "\n")
sys.stdout.flush()
"""


def per_call(fn, calls, rounds):
    """Per-call wall and CPU (process) time in microseconds, one per round.
    CPU time is the steadier figure on a busy machine."""
    fn()  # warm
    wall, cpu = [], []
    for _ in range(rounds):
        c = time.process_time()
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        wall.append((time.perf_counter() - t) / calls * 1e6)
        cpu.append((time.process_time() - c) / calls * 1e6)
    return wall, cpu


def cold_start(starts):
    arg = json.dumps(CONTAINER8)
    subprocess.run([sys.executable, "-c", CHILD, arg], check=True, capture_output=True)  # warm the cache
    walls, cpus, children = [], [], []
    for _ in range(starts):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", CHILD, arg], stdout=subprocess.PIPE)
        line = p.stdout.readline()
        walls.append((time.perf_counter() - t) * 1e3)
        p.wait()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1e3)
        if p.returncode != 0 or not line:
            raise SystemExit("the child failed")
        children.append(json.loads(line))
    return walls, cpus, children


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--batch", type=int, default=100, help="scenarios per batch call (throughput)")
    ap.add_argument("--throughput-only", action="store_true", help="stop after the throughput figures")
    a = ap.parse_args()

    info = gaisort.default_runtime().info()
    v = gaisort.version()
    print("gaisort %s (abi %d, %s), binding %s, wasmtime %s, Python %s, %s"
          % (v["gaisort"], v["abi"], v["go"], v["binding"], v["wasmtime"], platform.python_version(), platform.machine()))
    print("module %s (sha256 %s...), loaded: %s, fast calls: %s"
          % (info["wasm"], info["sha256"][:12], info["module"], info["fast_calls"]))
    print("load average: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    models = [m["name"] for m in gaisort.models()]
    print("models: %s" % ", ".join(models))
    print()

    text = json.dumps(CONTAINER8)
    raw = text.encode()
    rows = [
        ("sort(dict) -> dict", lambda: gaisort.sort(CONTAINER8), True),
        ("sort(JSON text) -> dict", lambda: gaisort.sort(text), False),
        ("sort_json(bytes) -> bytes", lambda: gaisort.sort_json(raw), False),
    ]
    print("per call, container scenario with 8 destinations, the %d default models (%d calls x %d rounds):"
          % (len([m for m in gaisort.models() if m["default"]]), a.calls, a.rounds))
    for name, fn, budgeted in rows:
        wall, cpu = per_call(fn, a.calls, a.rounds)
        line = "  %-26s wall best %6.1f median %6.1f us | CPU best %6.1f median %6.1f us" % (
            name, min(wall), statistics.median(wall), min(cpu), statistics.median(cpu))
        if budgeted:
            line += " | budget %.0f us: %s" % (PER_CALL_BUDGET_US, "OK" if min(wall) <= PER_CALL_BUDGET_US else "OVER")
        print(line)
    print("  (response: %d bytes of JSON)" % len(gaisort.sort_json(raw)))
    print()

    # Throughput for embedders (issue 17): the compact answer of a batch of
    # the container scenario, the default models, one crossing per batch.
    # Budget: 60 us per scenario, everything included (json.dumps of the
    # dicts, the module, json.loads of the answers).
    b = a.batch
    dicts = [CONTAINER8] * b
    texts = [text] * b
    calls = max(3, a.calls // b)
    print("throughput, compact batch of %d container scenarios, default models (%d calls x %d rounds), per scenario:"
          % (b, calls, a.rounds))
    rows = [
        ("sort_batch(dicts, compact=True)", lambda: gaisort.sort_batch(dicts, compact=True), True),
        ("sort_batch(JSON texts, compact=True)", lambda: gaisort.sort_batch(texts, compact=True), False),
        ("sort_batch_json(texts, compact=True)", lambda: gaisort.sort_batch_json(texts, compact=True), False),
    ]
    for name, fn, budgeted in rows:
        wall, cpu = per_call(fn, calls, a.rounds)
        wall = [w / b for w in wall]
        cpu = [c / b for c in cpu]
        line = "  %-38s wall best %6.1f median %6.1f us | CPU best %6.1f median %6.1f us" % (
            name, min(wall), statistics.median(wall), min(cpu), statistics.median(cpu))
        if budgeted:
            line += " | budget %.0f us: %.2fx (%s)" % (
                BATCH_BUDGET_US, min(wall) / BATCH_BUDGET_US, "OK" if min(wall) <= BATCH_BUDGET_US else "OVER")
        print(line)
    wall, cpu = per_call(lambda: gaisort.sort(CONTAINER8, compact=True), a.calls, a.rounds)
    print("  %-38s wall best %6.1f median %6.1f us | CPU best %6.1f median %6.1f us"
          % ("sort(dict, compact=True), one per call", min(wall), statistics.median(wall), min(cpu), statistics.median(cpu)))
    print()
    if a.throughput_only:
        return

    walls, cpus, children = cold_start(a.starts)
    print("cold start, new process, cache warm, spawn -> first answer (%d runs):" % a.starts)
    print("  wall best %6.1f median %6.1f ms | child CPU (to exit) best %6.1f median %6.1f ms | budget %.0f ms: %s"
          % (min(walls), statistics.median(walls), min(cpus), statistics.median(cpus), COLD_START_BUDGET_MS,
             "OK" if min(walls) <= COLD_START_BUDGET_MS else "OVER"))
    for k in ("import_ms", "load_ms", "first_call_ms"):
        print("  in the child, %-14s median %6.1f ms" % (k, statistics.median(c[k] for c in children)))
    modules = {c["module"] for c in children}
    print("  module loaded from: %s" % ", ".join(sorted(modules)))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print("  (a bare `python -c pass` here: %.1f ms)" % ((time.perf_counter() - t) * 1e3))


if __name__ == "__main__":
    main()
