"""Monte Carlo of a live-channel example: Erlang C staffing by table against the recursion.

Run: ``python benchmarks/bench_erlang_mc.py [--example NAME ...] [--draws 100000] [--loaded]``
(``--example`` again for more examples, default the voice and the multi-channel examples;
``--loaded`` keeps one more core busy).
For each example, the same simulation with the agent table (``bpo_cost.core.erlang_table``) and
with every interval on the Erlang B recursion (the path before it), alternating, best of
``--repeat``; prints wall and CPU time (this process, all threads), the ratio, and whether the
results are identical. Targets (issue 13): 100,000 draws of the voice example under 1.5 s and of
the multi-channel contact centre under 3 s on 2 cores; claims (no live channel) under 1 s.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _timing import busy_core, load_line

from bpo_cost.analysis import simulate
from bpo_cost.analysis.inputs import prepare
from bpo_cost.analysis.montecarlo import Simulation as Sim
from bpo_cost.case.examples import example_path
from bpo_cost.case.models import Case
from bpo_cost.core import erlang_table


def run(case: Case, draws: int, workers: int | None, *, table: bool) -> tuple[float, float, Sim]:
    erlang_table.enabled = table
    wall, cpu = time.perf_counter(), time.process_time()
    sim = simulate(case, n=draws, seed=1, workers=workers)
    return time.perf_counter() - wall, time.process_time() - cpu, sim


def compare(name: str, draws: int, repeat: int) -> None:
    case = prepare(example_path(name))
    simulate(case, n=2000, seed=1)  # warm up: imports, caches, the table
    for workers in (1, None):
        best: dict[bool, tuple[float, float]] = {}
        sims: dict[bool, Sim] = {}
        for _ in range(repeat):
            for table in (False, True):
                wall, cpu, sims[table] = run(case, draws, workers, table=table)
                old = best.get(table, (np.inf, np.inf))
                best[table] = (min(old[0], wall), min(old[1], cpu))
        same = all(
            np.array_equal(sims[True].values(k), sims[False].values(k)) for k in ("tco", "npv_cost")
        )
        label = "1 thread" if workers == 1 else f"{os.cpu_count()} threads"
        (w0, c0), (w1, c1) = best[False], best[True]
        print(
            f"  {draws:,} draws, {label}: table {w1:.2f} s wall / {c1:.2f} s CPU; recursion "
            f"{w0:.2f} s / {c0:.2f} s -> {w0 / w1:.1f}x wall, {c0 / c1:.1f}x CPU; "
            f"identical results: {same}"
        )
    erlang_table.enabled = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", action="append", help="bundled example name (repeatable)")
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--loaded", action="store_true", help="keep one more core busy")
    args = parser.parse_args()
    with busy_core(args.loaded):
        print(load_line() + (", one more core kept busy" if args.loaded else ""))
        for name in args.example or ["voice_customer_service", "contact_centre_multichannel"]:
            print(f"Monte Carlo, {name}:")
            compare(name, args.draws, args.repeat)


if __name__ == "__main__":
    main()
