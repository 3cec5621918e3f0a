"""Monte Carlo, the first run of a process: each worker's workspace, term-sized batches, old paths.

Run: ``python benchmarks/bench_mc_path.py [--draws 100000] [--big 1000000] [--rounds 3]
[--loaded]`` (``--loaded`` keeps one more core busy while the children run).
Each measurement is a fresh process (the first simulation of a session is the one an analyst
waits for: the allocator has not grown yet), default workers, allocator untuned unless said.
Paths, all run in this session, alternately, and their medians compared:

- ``old``: ``cost_figures(run(...))`` (every owner's components kept until the reduction) in
  chunks of 512 draws: the path before issue 19;
- ``before``: ``run_figures`` with fresh arrays, in batches of 256 draws (the default before
  batches of 512 and kept owner totals);
- ``fresh512``: ``run_figures`` with fresh arrays in batches of 512 draws: the default before
  the workspace (which kept only each owner's total from batch to batch);
- ``fresh2048``: fresh arrays in batches of 2,048 draws: what the workspace saves at that size;
- ``new``: ``simulate`` as it is (batches of ``default_chunk``, 2,048 draws here, each
  worker's grids in its ``core.workspace.Workspace``);
- ``tuned``: the same after ``tune_allocator()``: what is left to gain.

Prints wall, user and system CPU seconds (system: mostly page faults), minor page faults and
the peak resident memory of the process (``resource.getrusage``: imports and the warm-up
included), with the load average. Issue 19 targets: claims, 100,000 draws <= 0.5 s on 2 cores
without ``tune_allocator()``; 1,000,000 draws <= 5 s and <= 500 MB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from _timing import busy_core, load_line

_CHILD = """
import resource, sys, time
import bpo_cost.analysis.inputs as inputs
from bpo_cost.analysis import simulate, tune_allocator
from bpo_cost.case.examples import example_path
from bpo_cost.engine.run import cost_figures, run, run_figures

chunk = {}
if sys.argv[2] == "old":
    def old_path(p, term_months, workspace=None):
        comps = run(p, term_months)
        return (comps.owners, *cost_figures(comps, p.discount_rate_annual))
    inputs.run_figures = old_path
    chunk = {"chunk_size": 512}
if sys.argv[2] in ("before", "fresh512", "fresh2048"):
    inputs.run_figures = lambda p, term_months, workspace=None: run_figures(p, term_months)
    chunk = {"chunk_size": {"before": 256, "fresh512": 512, "fresh2048": 2048}[sys.argv[2]]}
if sys.argv[2] == "tuned":
    tune_allocator()

case = example_path("claims_back_office")
simulate(case, n=2000, seed=1)  # imports and caches, as any first call pays them
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
simulate(case, n=int(sys.argv[1]), seed=1, **chunk)
wall = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
print(wall, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime, r1.ru_minflt - r0.ru_minflt,
      r1.ru_maxrss / 1024)
"""

LABELS = {
    "old": "old path (run + cost_figures, chunk 512)",
    "before": "run_figures, fresh arrays, chunk 256",
    "fresh512": "run_figures, fresh arrays, chunk 512",
    "fresh2048": "run_figures, fresh arrays, chunk 2048",
    "new": "simulate as it is (default chunk, workspace)",
    "tuned": "the same after tune_allocator()",
}


def child(n: int, path: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n), path], capture_output=True, text=True, check=True
    )
    return [float(x) for x in out.stdout.split()]


def compare(n: int, rounds: int, paths: list[str]) -> None:
    runs: dict[str, list[list[float]]] = {path: [] for path in paths}
    for _ in range(rounds):
        for path in runs:  # alternately: all see the same load
            runs[path].append(child(n, path))
    med = {
        path: [statistics.median(col) for col in zip(*r, strict=True)] for path, r in runs.items()
    }
    for path, (wall, user, system, faults, peak) in med.items():
        print(
            f"  {n:,} draws, {LABELS[path]}: {wall:.2f} s wall, {user + system:.2f} s CPU "
            f"({user:.2f} user + {system:.2f} system), {faults:,.0f} page faults, "
            f"peak RSS {peak:,.0f} MB"
        )
    w1, u1, s1, _, _ = med["new"]
    for path in paths:
        if path != "new":
            w0, u0, s0, _, _ = med[path]
            print(
                f"  -> {path}/new: wall {w0 / w1:.2f}x, CPU {(u0 + s0) / (u1 + s1):.2f}x, "
                f"system {s0 / max(s1, 1e-3):.1f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loaded", action="store_true")
    args = parser.parse_args()
    print(load_line())
    loaded = ", one core kept busy" if args.loaded else ""
    print(f"claims_back_office, fresh process each, medians of {args.rounds}{loaded}:")
    with busy_core(args.loaded):
        compare(args.draws, args.rounds, ["old", "before", "fresh512", "fresh2048", "new", "tuned"])
        if args.big:
            compare(args.big, max(1, args.rounds // 2), ["fresh512", "new"])
    print(load_line())


if __name__ == "__main__":
    main()
