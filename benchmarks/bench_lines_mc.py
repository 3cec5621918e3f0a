"""Monte Carlo of a blended, waved case against the claims example in the same run (#14).

Run: ``python benchmarks/bench_lines_mc.py [--draws 100000] [--repeat 2]``.
The blended case is the claims example (84 months) with its tiered offshore option turned into
a 20 % onshore / 70 % offshore blend (10 % of the work stays in-house) moved in two waves
(40 % by month 3, all by month 9), and the onshore share drawn too: each draw then runs the
vendor side per line, the kept in-house work and the general parallel run. Prints wall and CPU
time (this process, all threads) of both, best of ``--repeat``, their ratio, and the load
average. No target of its own: the kept work is up to three more in-house stacks per draw for
that option, so a ratio under 2 says the general path costs what it should.
"""

from __future__ import annotations

import argparse
import copy
import time
from typing import Any

import yaml
from _timing import load_line

from bpo_cost.analysis import simulate
from bpo_cost.analysis.inputs import prepare
from bpo_cost.case.examples import example_path
from bpo_cost.case.models import Case

BLENDED = "Offshore IN tiers"


def blended() -> Case:
    """The claims example with its tiered offshore option blended, partial and waved."""
    data: dict[str, Any] = yaml.safe_load(example_path("claims_back_office").read_text("utf-8"))
    o = next(x for x in data["options"] if x["name"] == BLENDED)
    tiers = o.pop("pricing")
    o["lines"] = [
        {
            "share": 0.2,
            "location": {"tier": "onshore", "country": "US"},
            "provider": "Onshore partner",
            "pricing": {"model": "per_transaction", "price": 11.5},
        },
        {"share": 0.7, "pricing": copy.deepcopy(tiers)},
    ]
    o["waves"] = [{"month": 3, "share": 0.4}, {"month": 9, "share": 1.0}]
    data["uncertainty"][f"options[{BLENDED}].lines.0.share"] = {
        "kind": "uniform",
        "low": 0.1,
        "high": 0.3,
    }
    return prepare(data)


def timed(case: Case, draws: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    simulate(case, n=draws, seed=1)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cases = {"claims": prepare(example_path("claims_back_office")), "blended": blended()}
    for case in cases.values():
        simulate(case, n=2000, seed=1)  # warm up: imports, caches
    best = {name: (float("inf"), float("inf")) for name in cases}
    for _ in range(args.repeat):  # alternately: both see the same load
        for name, case in cases.items():
            wall, cpu = timed(case, args.draws)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(load_line())
    for name, (wall, cpu) in best.items():
        print(f"  {name}: {args.draws:,} draws, {wall:.2f} s wall, {cpu:.2f} s CPU")
    (w0, c0), (w1, c1) = best["claims"], best["blended"]
    print(f"  blended / claims: {w1 / w0:.2f}x wall, {c1 / c0:.2f}x CPU")


if __name__ == "__main__":
    main()
