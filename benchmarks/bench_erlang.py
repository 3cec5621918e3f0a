"""Erlang C staffing: vectorised ``required_agents`` against a plain per-interval Python loop.

Run: ``python benchmarks/bench_erlang.py``. Prints times and ratios measured in this run; the
baseline is the textbook scalar algorithm (Erlang B recursion from 0, one agent at a time), and
for a Monte Carlo-sized batch the vectorised recursion without the agent table
(``bpo_cost.core.erlang_table``). The whole Monte Carlo: ``benchmarks/bench_erlang_mc.py``.
"""

from __future__ import annotations

import math

import numpy as np
from _timing import best_of

from bpo_cost.core import erlang_table
from bpo_cost.core.staffing import required_agents

TARGET, ANSWER_S, AHT_S, INTERVAL_MIN = 0.8, 20.0, 300.0, 30.0


def scalar_required_agents(volume: float, aht_s: float, target: float, answer_s: float) -> int:
    """The straightforward scalar implementation a spreadsheet macro would use."""
    if volume == 0:
        return 0
    a = volume * aht_s / (INTERVAL_MIN * 60.0)
    n, b = 0, 1.0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n > a:
            c = n * b / (n - a * (1.0 - b))
            if 1.0 - c * math.exp(-(n - a) * answer_s / aht_s) >= target:
                return n


def volumes(rng: np.random.Generator, size: int, low: float, high: float) -> np.ndarray:
    """Half-hour volumes whose offered load is uniform in [low, high] Erlangs."""
    return rng.uniform(low, high, size) * INTERVAL_MIN * 60.0 / AHT_S


def compare(label: str, vol: np.ndarray, repeats: int) -> None:
    def vector() -> np.ndarray:
        return required_agents(vol, AHT_S, service_level_target=TARGET, answer_seconds=ANSWER_S)

    scalar_answers: list[int] = []

    def scalar() -> None:
        scalar_answers[:] = [scalar_required_agents(v, AHT_S, TARGET, ANSWER_S) for v in vol]

    t_vec = best_of(repeats, vector)
    t_loop = best_of(1, scalar)
    agree = np.array_equal(vector(), scalar_answers)
    print(
        f"{label:<44} vectorised {t_vec * 1e3:9.1f} ms   Python loop {t_loop * 1e3:9.1f} ms"
        f"   ratio {t_loop / t_vec:6.1f}x   same answers: {agree}"
    )


def main() -> None:
    rng = np.random.default_rng(20240601)
    print(f"required_agents, {TARGET:.0%} in {ANSWER_S:.0f} s, AHT {AHT_S:.0f} s, half hours")
    compare("10,000 intervals, 5-50 Erlangs", volumes(rng, 10_000, 5, 50), repeats=5)
    compare("1,000 intervals, 1,000-5,000 Erlangs", volumes(rng, 1_000, 1_000, 5_000), repeats=5)
    big = volumes(rng, 1_000_000, 5, 50)
    # the handle time per draw, as in a Monte Carlo batch of 16,667 draws x 60 months
    aht = np.repeat(rng.uniform(0.8, 1.25, big.size // 60 + 1) * AHT_S, 60)[: big.size]

    def batch() -> np.ndarray:
        return required_agents(big, aht, service_level_target=TARGET, answer_seconds=ANSWER_S)

    batch()  # the agent table, once per target
    t_table = best_of(3, batch)
    erlang_table.enabled = False
    t_walk = best_of(3, batch)
    walked = batch()
    erlang_table.enabled = True
    print(
        f"{'1,000,000 intervals, 5-50 Erlangs':<44} table {t_table * 1e3:9.1f} ms   "
        f"recursion {t_walk * 1e3:9.1f} ms   ratio {t_walk / t_table:6.1f}x   "
        f"same answers: {np.array_equal(batch(), walked)}"
    )


if __name__ == "__main__":
    main()
