"""Decision-analysis benchmarks: Monte Carlo, memory, tornado; ratios against baselines of this run.

Run: ``python benchmarks/bench_analysis.py [--draws 100000] [--big 1000000]``. Prints wall times,
the default chunk against the old one (2048 draws) without a tuned allocator, per-draw speed-ups
against calling ``evaluate`` once per draw (and against a one-scenario engine batch per draw, the
stricter baseline), the peak memory of a large run (measured in a child process), and the time
of a 40-input tornado. Targets (issue): Monte Carlo of 100,000 draws over the largest example
(84 months, every option) under 1 s and >= 100x faster per draw than ``evaluate``; 1,000,000
draws under 1 GB peak; a 40-input tornado under 50 ms. Issue 19: 100,000 draws <= 0.5 s on 2
cores without ``tune_allocator()``; 1,000,000 draws <= 5 s and <= 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
from _timing import best_of

from bpo_cost.analysis import sensitivity, simulate, tune_allocator
from bpo_cost.analysis.breakeven import with_values
from bpo_cost.analysis.inputs import Inputs, figures, prepare
from bpo_cost.analysis.montecarlo import default_chunk
from bpo_cost.api import evaluate
from bpo_cost.case.examples import example_path

ALLOCATOR = "default"  # tune_allocator() is process-wide: measured first without, then with


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (this process, all threads) of ``repeat`` runs.

    On a shared machine the wall time includes waiting for a CPU; the load is printed above.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def chunk_sizes(case_name: str, n: int) -> None:
    """The default chunk against the old ones (512 and 2048 draws), none with a tuned allocator.

    Run before anything calls `tune_allocator` (process-wide); CPU time is printed beside the
    wall time: the system part is mostly page faults, and on a loaded machine CPU time is the
    steadier of the two. Best of 3 in one process: the first simulation of a process is
    measured by ``bench_mc_path.py``.
    """
    case = prepare(example_path(case_name))
    simulate(case, n=2000, seed=1)  # warm up (imports, caches)
    default = default_chunk(case.term_months)
    walls = {}
    for chunk in (default, 512, 2048):
        walls[chunk], cpu = timed(lambda c=chunk: simulate(case, n=n, seed=1, chunk_size=c), 3)
        label = "default" if chunk == default else "old default"
        print(
            f"  {n:,} draws, chunk {chunk} ({label}), untuned allocator: {walls[chunk]:.2f} s "
            f"wall, {cpu:.2f} s CPU"
        )
    print(
        f"  -> the default chunk is {walls[512] / walls[default]:.1f}x chunks of 512 and "
        f"{walls[2048] / walls[default]:.1f}x chunks of 2048"
    )


def per_draw_baselines(case_name: str, draws: int) -> tuple[float, float]:
    """Seconds per draw: ``evaluate`` of a case with the draw written in; a batch of one."""
    case = prepare(example_path(case_name))
    sim = simulate(case, n=draws, seed=1, workers=1)
    t = time.perf_counter()
    for row in sim.draws:
        evaluate(with_values(case, dict(zip(sim.inputs, map(float, row), strict=True))))
    per_evaluate = (time.perf_counter() - t) / draws
    t = time.perf_counter()
    for row in sim.draws:
        figures(case, {p: row[j : j + 1] for j, p in enumerate(sim.inputs)}, n=1)
    per_batch_of_one = (time.perf_counter() - t) / draws
    return per_evaluate, per_batch_of_one


def monte_carlo(case_name: str, n: int, baseline_draws: int) -> None:
    case = prepare(example_path(case_name))
    simulate(case, n=2000, seed=1)  # warm up (imports, caches)
    for workers in (1, None):
        wall, cpu = timed(lambda w=workers: simulate(case, n=n, seed=1, workers=w), 2)
        label = "1 thread" if workers == 1 else f"{os.cpu_count()} threads"
        print(
            f"  {n:,} draws, {label}, allocator {ALLOCATOR}: {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU ({wall / n * 1e6:.1f} µs/draw)"
        )
    per_eval, per_one = per_draw_baselines(case_name, baseline_draws)
    per_mc = wall / n
    print(
        f"  evaluate() once per draw: {per_eval * 1e3:.2f} ms/draw -> Monte Carlo is "
        f"{per_eval / per_mc:,.0f}x faster per draw"
    )
    print(
        f"  engine batch of one per draw: {per_one * 1e3:.2f} ms/draw -> {per_one / per_mc:,.0f}x"
    )


_CHILD = """
import os, sys, time
from bpo_cost.analysis import simulate, tune_allocator
from bpo_cost.case.examples import example_path

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith(key))

if sys.argv[2] == "tuned":
    tune_allocator()
with open("/proc/self/clear_refs", "w") as f:  # reset the peak: an exec keeps the parent's
    f.write("5")
before = status("VmRSS:")
t, c = time.perf_counter(), os.times()
s = simulate(example_path("claims_back_office"), n=int(sys.argv[1]), seed=1)
cpu = (os.times().user - c.user) + (os.times().system - c.system)
print(time.perf_counter() - t, cpu, status("VmHWM:"), before)
"""


def peak_memory(n: int, *, tuned: bool) -> None:
    """Peak resident memory of a run in a fresh process (Linux /proc), imports included."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n), "tuned" if tuned else "default"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wall, cpu, peak, before = map(float, out)
    print(
        f"  {n:,} draws, allocator {'tuned' if tuned else 'default'}: {wall:.1f} s ({cpu:.1f} s "
        f"CPU), peak RSS "
        f"{peak:,.0f} MB (of which {before:,.0f} MB interpreter and imports)"
    )


def tornado(k: int) -> None:
    case = prepare(example_path("claims_back_office"))
    paths = [p for p in Inputs(case).variable() if Inputs(case).values[p] != 0][:k]
    wall = best_of(7, lambda: sensitivity(case, inputs=paths))
    one = best_of(7, lambda: evaluate(case))
    print(
        f"  {len(paths)} inputs ({2 * len(paths) + 1} scenarios): {wall * 1e3:.1f} ms "
        f"(one evaluate(): {one * 1e3:.1f} ms; {2 * len(paths) + 1} of them would take "
        f"{(2 * len(paths) + 1) * one * 1e3:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--baseline-draws", type=int, default=200)
    args = parser.parse_args()
    print(
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f} (above 0 = other processes compete for the CPUs)"
    )
    print("Monte Carlo, claims_back_office (84 months, 4 options + in-house):")
    chunk_sizes("claims_back_office", args.draws)
    monte_carlo("claims_back_office", args.draws, 20)
    global ALLOCATOR
    ALLOCATOR = "tuned" if tune_allocator() else "default (tuning not available)"
    monte_carlo("claims_back_office", args.draws, args.baseline_draws)
    print("Monte Carlo, voice_customer_service (60 months, Erlang C staffing):")
    monte_carlo("voice_customer_service", args.draws // 10, args.baseline_draws // 2)
    print("Peak memory:")
    peak_memory(args.big, tuned=False)
    peak_memory(args.big, tuned=True)
    print("Tornado, claims_back_office:")
    tornado(40)
    print(
        f"(this process peaked at "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)"
    )


if __name__ == "__main__":
    main()
