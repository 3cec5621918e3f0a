"""Excel functions: a cell's call against plain Python, and a sheet of case functions.

Run: ``python benchmarks/bench_excel.py [--loaded]``. Prints, per function, the median time of one
call as Excel makes it (floats, ranges as lists; Python side, without Excel's own cost), the
same computation as a plain Python formula and the vectorised path the functions took before
(one-element arrays), both measured in this run. Then a sheet of 1,000 case-function cells over
50 distinct cases recalculated twice, against the old path (a cache of the last 16 converted
ranges, every spilled table rebuilt). ``--loaded`` keeps one more core busy meanwhile.

Targets (issue 19): BPO_ERLANG_AGENTS and BPO_SERVICE_LEVEL <= 15 µs, pricing functions <= 10
µs; the sheet <= 0.5 s with the second pass all hits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from _timing import busy_core, load_line, median_call
from bench_erlang import scalar_required_agents

from bpo_cost import udfs
from bpo_cost.api import evaluate
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import case_from_pairs, case_to_pairs, load_case
from bpo_cost.core import currency, pricing, staffing
from bpo_cost.excel import functions
from bpo_cost.excel.convert import as_pairs, to_cell


def plain_service_level(n: int, volume: float, aht: float, answer: float) -> float:
    """Erlang C service level as a spreadsheet macro computes it: B from 0, then C and SL."""
    a = volume * aht / 1800.0
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    c = n * b / (n - a * (1.0 - b))
    return 1.0 - c * math.exp(-(n - a) * answer / aht)


def plain_tiered(volume: float, up_to: list[float], prices: list[float]) -> float:
    lower = [0.0, *up_to]
    upper = [*up_to, math.inf]
    bands = zip(lower, upper, prices, strict=True)
    return sum(p * min(max(volume - lo, 0.0), hi - lo) for lo, hi, p in bands)


def one(x: float) -> np.ndarray:
    return np.array([x])


# name, target µs, the cell call, plain Python, the vectorised path on one-element arrays
SCALAR: list[tuple[str, float, Callable[[], Any], Callable[[], Any], Callable[[], Any]]] = [
    (
        "BPO_ERLANG_AGENTS",
        15,
        lambda: udfs.BPO_ERLANG_AGENTS(100.0, 180.0),
        lambda: scalar_required_agents(100.0, 180.0, 0.8, 20.0),
        lambda: staffing.required_agents(
            one(100.0), one(180.0), one(30.0), service_level_target=one(0.8), answer_seconds=20.0
        ),
    ),
    (
        "BPO_SERVICE_LEVEL",
        15,
        lambda: udfs.BPO_SERVICE_LEVEL(14.0, 100.0, 180.0),
        lambda: plain_service_level(14, 100.0, 180.0, 20.0),
        lambda: staffing.service_level(
            one(14.0), one(100.0), one(180.0), one(30.0), answer_seconds=20.0
        ),
    ),
    (
        "BPO_TIERED_FEE",
        10,
        lambda: udfs.BPO_TIERED_FEE(15000.0, [[10000.0], [None]], [[2.0], [1.5]], "incremental"),
        lambda: plain_tiered(15000.0, [10000.0], [2.0, 1.5]),
        lambda: pricing.tiered_fee(one(15000.0), [10000.0], [2.0, 1.5], tier_mode="incremental"),
    ),
    (
        "BPO_HOURLY_FEE",
        10,
        lambda: udfs.BPO_HOURLY_FEE(1500.0, 12.5, 1600.0),
        lambda: 12.5 * max(1500.0, 1600.0),
        lambda: pricing.hourly_fee(one(1500.0), one(12.5), minimum_billed=one(1600.0)),
    ),
    (
        "BPO_COLLAR_FEE",
        10,
        lambda: udfs.BPO_COLLAR_FEE(12000.0, 50000.0, 10000.0, 4.0, 3.0, 0.1),
        lambda: 50000.0 + 4.0 * max(0.0, 12000.0 - 11000.0) - 3.0 * max(0.0, 9000.0 - 12000.0),
        lambda: pricing.collar_fee(
            one(12000.0),
            base_fee=one(5e4),
            baseline_volume=one(1e4),
            dead_band=one(0.1),
            arc=one(4.0),
            rrc=one(3.0),
        ),
    ),
    (
        "BPO_ESCALATE",
        10,
        lambda: udfs.BPO_ESCALATE(100.0, 25.0, 0.03, None, 0.02),
        lambda: 100.0 * (1.03 * 0.98) ** ((25 - 1) // 12),
        lambda: (
            100.0
            * pricing.escalation_index(
                one(25.0), cola_per_year=one(0.03), productivity_per_year=one(0.02)
            )
        ),
    ),
    (
        "BPO_FX_FACTOR",
        10,
        lambda: udfs.BPO_FX_FACTOR(13.0, -0.12, "band", 0.05, 0.5),
        lambda: 1.0 - 0.5 * max(abs(0.88 ** (12 / 12) - 1.0) - 0.05, 0.0),
        lambda: currency.fx_factor(
            one(13.0),
            drift_per_year=one(-0.12),
            clause="band",
            band=one(0.05),
            client_share=one(0.5),
        ),
    ),
    (
        "BPO_OUTCOME_FEE",
        10,
        lambda: udfs.BPO_OUTCOME_FEE(2000.0, 25.0, 0.8, 5000.0),
        lambda: 5000.0 + 25.0 * 2000.0 * 0.8,
        lambda: pricing.outcome_fee(
            one(2000.0), price_per_outcome=one(25.0), outcome_rate=one(0.8), base_fee=one(5e3)
        ),
    ),
    (
        "BPO_GAINSHARE",
        10,
        lambda: udfs.BPO_GAINSHARE(100000.0, 80000.0, 0.5, 8000.0),
        lambda: min(0.5 * max(100000.0 - 80000.0, 0.0), 8000.0),
        lambda: pricing.gainshare(one(1e5), one(8e4), share=one(0.5), cap=one(8e3)),
    ),
    (
        "BPO_SERVICE_CREDIT",
        10,
        lambda: udfs.BPO_SERVICE_CREDIT(100000.0, 0.25, 0.1),
        lambda: 100000.0 * (0.1 * 0.25),
        lambda: pricing.service_credit(
            one(1e5), at_risk_share=one(0.1), expected_breach_share=one(0.25)
        ),
    ),
    (
        "BPO_FTE",
        10,
        lambda: udfs.BPO_FTE(12000.0, 6.0),
        lambda: 12000.0 * 6.0 / 60.0 / (2080.0 / 12 * (1.0 - 0.3) * 0.85),
        lambda: staffing.workload_fte(
            one(12000.0),
            one(6.0),
            paid_hours_per_month=one(2080.0 / 12),
            shrinkage=one(0.3),
            occupancy=one(0.85),
        ),
    ),
]


def scalar_functions() -> None:
    print(
        f"  {'function':<20}{'cell call':>11}{'target':>8}{'plain Python':>14}{'ratio':>8}"
        f"{'array path':>12}{'speed-up':>10}"
    )
    for name, target, cell, plain, array in SCALAR:
        t_cell = median_call(7, 2000, cell)
        t_plain = median_call(7, 2000, plain)
        t_array = median_call(7, 500, array)
        met = "met" if t_cell * 1e6 <= target else "MISSED"
        print(
            f"  {name:<20}{t_cell * 1e6:>8.1f} µs{target:>5} µs {met:<6}{t_plain * 1e6:>6.2f} µs"
            f"{t_cell / t_plain:>7.0f}x{t_array * 1e6:>9.1f} µs{t_array / t_cell:>9.1f}x"
        )


def excel_ranges(cases: int) -> list[list[list[Any]]]:
    """Key/value ranges of ``cases`` variants of the claims example, as Excel passes them."""
    pairs = case_to_pairs(load_case(example_path("claims_back_office")))
    rows = [
        [k, dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v] for k, v in pairs
    ]
    volume = next(v for k, v in rows if k == "workload.volume_per_month")
    return [
        [[k, volume * (1 + i / 100) if k == "workload.volume_per_month" else v] for k, v in rows]
        for i in range(cases)
    ]


@functools.lru_cache(maxsize=16)
def _old_evaluate(pairs: tuple[tuple[str, Any], ...]) -> Any:
    return evaluate(case_from_pairs(pairs))


def old_tco(rows: list[list[Any]], owner: str) -> Any:
    """BPO_TCO before the range cache: convert the range, look up 16 cases, rebuild the table."""
    result = _old_evaluate(as_pairs("inputs", rows))
    parts = result.components.by_owner[owner]
    columns = [result.months, *(v[0] for v in parts.values()), result.components.total(owner)[0]]
    return to_cell([["month", *parts, "total"], *zip(*(c.tolist() for c in columns), strict=False)])


def old_figure(rows: list[list[Any]], owner: str) -> float:
    result = _old_evaluate(as_pairs("inputs", rows))
    s = result.summary_arrays
    return float(s.npv_savings[0, s.owners.index(owner)])


def sheet(cases: int, cells_per_case: int, old_cells: int) -> None:
    ranges = excel_ranges(cases)
    options = [o.name for o in load_case(example_path("claims_back_office")).options]

    def cell(k: int) -> Callable[[list[list[Any]]], Any]:
        """The sheet's k-th cell of a case: a spilled table now and then, mostly figures."""
        if k == 0:
            return udfs.BPO_SUMMARY
        if k <= len(options):
            return lambda r: udfs.BPO_TCO(r, options[k - 1])
        if k % 2:
            return lambda r: udfs.BPO_NPV_SAVINGS(r, options[k % len(options)])
        return lambda r: udfs.BPO_PAYBACK(r, options[k % len(options)])

    calls = [(cell(k), r) for k in range(cells_per_case) for r in ranges]  # Excel's order: rows

    def recalc() -> float:
        t = time.perf_counter()
        for fn, r in calls:
            fn(r)
        return time.perf_counter() - t

    functions.CASES.clear()
    cpu = time.process_time()
    first = recalc()
    misses = functions.CASES.misses
    second = recalc()
    cpu = time.process_time() - cpu
    hits = functions.CASES.hits - (len(calls) - misses)
    total = first + second
    print(
        f"  {len(calls):,} cells over {cases} cases, twice: {total:.3f} s, {cpu:.3f} s CPU "
        f"(target 0.5 s: "
        f"{'met' if total <= 0.5 else 'MISSED'}); first pass {first:.3f} s ({misses} cases "
        f"evaluated), second {second * 1e3:.1f} ms ({hits:,} of {len(calls):,} hits, "
        f"{second / len(calls) * 1e6:.0f} µs a cell)"
    )
    # The old path: its 16 cases never hold a round-robin over 50, so every cell evaluates.
    _old_evaluate.cache_clear()
    old = []
    for k, r in enumerate(ranges * (old_cells // cases + 1)):
        fn = old_tco if k % 3 == 0 else old_figure
        old.append(functools.partial(fn, r, options[k % len(options)]))
    old = old[:old_cells]
    t = time.perf_counter()
    for call in old:
        call()
    per_old = (time.perf_counter() - t) / len(old)
    hit_old = median_call(5, 50, lambda: old_tco(ranges[0], options[0]))
    hit_new = median_call(5, 200, lambda: udfs.BPO_TCO(ranges[0], options[0]))
    print(
        f"  old path (16 cases, measured on {len(old)} cells): {per_old * 1e3:.2f} ms a cell -> "
        f"the sheet twice would take {per_old * 2 * len(calls):.1f} s, "
        f"{per_old * 2 * len(calls) / total:.0f}x longer"
    )
    print(
        f"  BPO_TCO on a hit: {hit_new * 1e6:.0f} µs, old path on a hit {hit_old * 1e6:.0f} µs "
        f"({hit_old / hit_new:.0f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loaded", action="store_true", help="keep one more core busy")
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--old-cells", type=int, default=60)
    args = parser.parse_args()
    with busy_core(args.loaded):
        print(load_line() + (", one more core kept busy" if args.loaded else ""))
        print("Scalar functions, one call (median):")
        scalar_functions()
        print("Case functions, claims_back_office (84 months, 4 options), a sheet round-robin:")
        sheet(args.cases, args.cells // args.cases, args.old_cells)


if __name__ == "__main__":
    main()
