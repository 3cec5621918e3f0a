"""Monte Carlo, the first run of a process: ``run_figures`` and the default chunk, old path.

Run: ``python benchmarks/bench_mc_path.py [--draws 100000] [--big 1000000] [--rounds 3]``.
Each measurement is a fresh process (the first simulation of a session is the one an analyst
waits for: the allocator has not grown yet), default workers. The old path is
``cost_figures(run(...))`` (every owner's components kept until the reduction) in chunks of 512
draws, allocator untuned; the new one ``run_figures`` in the default chunk, untuned, then tuned
(``tune_allocator``: what is left to gain). All run in this session, alternately, and the
medians are compared. Prints wall, user and system
CPU seconds (system: mostly page faults) and the peak resident memory, with the load average.
Issue 19 targets: claims, 100,000 draws <= 0.5 s on 2 cores without ``tune_allocator()``;
1,000,000 draws <= 5 s and <= 500 MB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from _timing import load_line

_CHILD = """
import os, sys, time
import bpo_cost.analysis.inputs as inputs
from bpo_cost.analysis import simulate, tune_allocator
from bpo_cost.case.examples import example_path
from bpo_cost.engine.run import cost_figures, run

chunk = {}
if sys.argv[2] == "old":
    def old_path(p, term_months):
        comps = run(p, term_months)
        return (comps.owners, *cost_figures(comps, p.discount_rate_annual))
    inputs.run_figures = old_path
    chunk = {"chunk_size": 512}
if sys.argv[2] == "tuned":
    tune_allocator()

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith(key))

case = example_path("claims_back_office")
simulate(case, n=2000, seed=1)  # imports and caches, as any first call pays them
with open("/proc/self/clear_refs", "w") as f:  # reset the peak: an exec keeps the parent's
    f.write("5")
t, c = time.perf_counter(), os.times()
simulate(case, n=int(sys.argv[1]), seed=1, **chunk)
e = os.times()
print(time.perf_counter() - t, e.user - c.user, e.system - c.system, status("VmHWM:"))
"""


def child(n: int, path: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n), path], capture_output=True, text=True, check=True
    )
    return [float(x) for x in out.stdout.split()]


def compare(n: int, rounds: int) -> None:
    runs: dict[str, list[list[float]]] = {"old": [], "new": [], "tuned": []}
    for _ in range(rounds):
        for path in runs:  # alternately: both see the same load
            runs[path].append(child(n, path))
    med = {
        path: [statistics.median(col) for col in zip(*r, strict=True)] for path, r in runs.items()
    }
    for path, (wall, user, system, peak) in med.items():
        label = {
            "old": "old path (run + cost_figures, chunk 512)",
            "new": "run_figures, default chunk",
            "tuned": "run_figures, default chunk, tune_allocator()",
        }[path]
        print(
            f"  {n:,} draws, {label}: {wall:.2f} s wall, {user + system:.2f} s CPU "
            f"({user:.2f} user + {system:.2f} system), peak RSS {peak:,.0f} MB"
        )
    (w0, u0, s0, p0), (w1, u1, s1, p1) = med["old"], med["new"]
    _, ut, st, _ = med["tuned"]
    print(
        f"  -> old/new: wall {w0 / w1:.2f}x, CPU {(u0 + s0) / (u1 + s1):.2f}x, "
        f"system {s0 / max(s1, 1e-3):.1f}x, peak {p0 / p1:.2f}x; untuned/tuned CPU "
        f"{(u1 + s1) / (ut + st):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(load_line())
    print(f"claims_back_office, fresh process each, medians of {args.rounds}:")
    compare(args.draws, args.rounds)
    if args.big:
        compare(args.big, max(1, args.rounds // 2))
    print(load_line())


if __name__ == "__main__":
    main()
