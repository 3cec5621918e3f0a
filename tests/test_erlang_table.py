"""Erlang C staffing by table lookup gives exactly the agent counts of the recursion.

`bpo_cost.core.erlang_table` answers the intervals of a large batch from a table of Erlang C
bounds per load cell; every interval it cannot settle with a margin goes to the recursion. The
answers must be identical (``array_equal``) to the recursion's for every load, including loads
at the boundaries where the count steps up, at the table's grid points and at whole numbers.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_cost.analysis import simulate
from bpo_cost.case.examples import example_path
from bpo_cost.core import erlang_table, staffing


@contextlib.contextmanager
def tables_always() -> Iterator[None]:
    """A table for every array call, however small (normally from MIN_INTERVALS on)."""
    before = erlang_table.MIN_INTERVALS
    erlang_table.MIN_INTERVALS = 0
    erlang_table.clear_tables()
    try:
        yield
    finally:
        erlang_table.MIN_INTERVALS = before
        erlang_table.clear_tables()
        erlang_table.enabled = True


@pytest.fixture
def every_batch() -> Iterator[None]:
    with tables_always():
        yield


def both(volume: Any, handle: Any, interval: Any = 30.0, **kw: Any) -> tuple[Any, Any]:
    """required_agents with the table and with the recursion alone, the intervals repeated
    to a batch (small calls always take the recursion)."""
    batch = max(4096, np.size(volume))
    volume = np.resize(np.asarray(volume, dtype=float), batch)
    if np.ndim(handle):
        handle = np.resize(np.asarray(handle, dtype=float), batch)
    erlang_table.enabled = True
    table = staffing.required_agents(volume, handle, interval, **kw)
    erlang_table.enabled = False
    try:
        recursion = staffing.required_agents(volume, handle, interval, **kw)
    finally:
        erlang_table.enabled = True
    return table, recursion


def loads(erlangs: Any, handle: float = 300.0, interval: float = 30.0) -> Any:
    return np.asarray(erlangs) * (interval * 60.0) / handle


@settings(max_examples=60, deadline=None)
@given(
    erlangs=st.lists(st.floats(0.0, 400.0), min_size=1, max_size=200),
    handle=st.floats(20.0, 1_200.0),
    per_interval_handle=st.booleans(),
    interval=st.sampled_from([15.0, 30.0, 60.0]),
    target=st.floats(0.05, 0.9999) | st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99]),
    answer=st.floats(0.0, 300.0),
    occupancy=st.none() | st.floats(0.3, 1.0),
)
def test_the_table_gives_the_recursions_counts(
    erlangs: list[float],
    handle: float,
    per_interval_handle: bool,
    interval: float,
    target: float,
    answer: float,
    occupancy: float | None,
) -> None:
    a = np.array(erlangs)
    # one handle time, or one per interval (as in a Monte Carlo batch: tau differs per draw)
    h = handle * np.linspace(0.8, 1.25, a.size) if per_interval_handle else handle
    volume = a * interval * 60.0 / h
    with tables_always():
        table, recursion = both(
            volume,
            h,
            interval,
            service_level_target=target,
            answer_seconds=answer,
            occupancy=occupancy,
        )
    np.testing.assert_array_equal(table, recursion)


def _step_loads(target: float, answer: float, handle: float, counts: range) -> list[float]:
    """Volumes at which the count steps from N to N + 1, to the last bit, with neighbours."""

    def count(v: float) -> float:
        return staffing.required_agents(
            v, handle, service_level_target=target, answer_seconds=answer
        )

    found = []
    for n in counts:
        lo, hi = 0.0, (n + 1.0) * 1800.0 / handle  # load n + 1 needs more than n agents
        if not (count(lo) <= n < count(hi)):
            continue
        while math.nextafter(lo, hi) < hi:  # bisection down to adjacent floats
            mid = lo + (hi - lo) / 2.0
            if mid in (lo, hi):
                break
            lo, hi = (mid, hi) if count(mid) <= n else (lo, mid)
        for v in (lo, hi):
            x = v
            for _ in range(3):
                x = math.nextafter(x, 0.0)
            found.extend(x := math.nextafter(x, math.inf) for _ in range(6))
    return found


@pytest.mark.parametrize(
    ("target", "answer", "handle"),
    [(0.8, 20.0, 180.0), (0.5, 0.0, 300.0), (0.9, 60.0, 360.0), (0.99, 10.0, 600.0)],
    ids=["80-20", "50-0", "90-60", "99-10"],
)
def test_counts_at_the_loads_where_they_step(
    every_batch: None, target: float, answer: float, handle: float
) -> None:
    volumes = np.array(_step_loads(target, answer, handle, range(1, 40)))
    assert volumes.size > 100  # the steps were found
    table, recursion = both(volumes, handle, service_level_target=target, answer_seconds=answer)
    np.testing.assert_array_equal(table, recursion)
    # the counts really step there: each boundary pair differs
    assert np.unique(recursion).size > 30


def test_counts_at_grid_loads_and_whole_numbers(every_batch: None) -> None:
    # the table's cells start at multiples of 2**-k, whole numbers included: loads at, just
    # below and just above them, in Erlangs directly (handle 1,800 s, 30 minutes: A = volume)
    points = np.concatenate([np.arange(0.0, 60.0, 1 / 64), np.arange(1.0, 300.0)])
    a = np.concatenate([points, np.nextafter(points, 0.0), np.nextafter(points, np.inf)])
    for target, answer in [(0.8, 20.0), (0.95, 0.0), (0.3, 600.0)]:
        table, recursion = both(
            a, 1800.0, service_level_target=target, answer_seconds=answer, occupancy=0.9
        )
        np.testing.assert_array_equal(table, recursion)


def test_the_table_bounds_erlang_c_as_wait_probability_computes_it() -> None:
    # upper bounds log C(N, A) - log(1 - t) and lower bounds it for N - 1 inside each cell,
    # C from the public wait_probability (its own recursion), with room to spare
    target = 0.8
    table = erlang_table.agent_table(target, 3.0, 40.0)
    assert table is not None
    rng = np.random.default_rng(7)
    cells = rng.integers(0, table.cells, 400)
    a = (table.first + cells + rng.uniform(0.0, 1.0, cells.size)) / table.scale
    r = rng.integers(1, table.rows, cells.size)
    n = np.floor(a) + 1.0 + r

    def log_c(agents: np.ndarray) -> np.ndarray:
        c = staffing.wait_probability(agents, a * 3600.0 / 180.0, 180.0, 60.0)
        return np.asarray(np.log(c) - math.log1p(-target))

    flat = cells * table.rows + r
    assert np.all(log_c(n) + 5e-10 <= table.upper[flat])  # the margin: rounding is ~1e-13
    assert np.all(table.lower[flat] <= log_c(n - 1.0) - 5e-10)
    assert np.all(table.lower[cells * table.rows] == np.inf)  # N - 1 <= A: never passes


@pytest.mark.parametrize(("low", "high"), [(90.0, 130.0), (1_000.0, 3_000.0)])
def test_large_loads_where_the_recursion_starts_warm(
    every_batch: None, low: float, high: float
) -> None:
    # above 100 Erlangs required_agents starts the recursion near the load; the table walks
    # from 0: both are right to well within the margin, so the counts agree
    rng = np.random.default_rng(11)
    a = rng.uniform(low, high, 3_000)
    handle = rng.uniform(200.0, 400.0, a.size)
    table, recursion = both(
        a * 1800.0 / handle, handle, service_level_target=0.9, answer_seconds=15.0
    )
    np.testing.assert_array_equal(table, recursion)


def test_no_table_for_targets_next_to_one_or_loads_too_spread() -> None:
    assert erlang_table.agent_table(0.99995, 1.0, 10.0) is None
    assert erlang_table.agent_table(0.8, 0.0, 1e7) is None
    assert erlang_table.agent_table(0.8, 0.0, 50.0) is not None


def test_a_large_batch_uses_the_table_and_agrees(every_batch: None) -> None:
    # a Monte Carlo-sized batch, with the default threshold: the table is built and used
    erlang_table.MIN_INTERVALS = 4096
    rng = np.random.default_rng(3)
    volume = rng.uniform(40.0, 160.0, (200, 60))
    handle = rng.uniform(300.0, 450.0, (200, 1))
    kw: dict[str, Any] = {"service_level_target": 0.8, "answer_seconds": 20.0}
    table, recursion = both(volume, handle, occupancy=0.85, **kw)
    np.testing.assert_array_equal(table, recursion)
    found = erlang_table.agents_by_table(
        (volume * handle / 1800.0).reshape(-1),
        np.broadcast_to(20.0 / handle, (200, 60)).ravel(),
        0.8,
    )
    assert found is not None
    assert found[1].mean() > 0.99  # nearly every interval settled by the table


def test_a_batch_of_several_blocks(every_batch: None) -> None:
    # looked up a block at a time: each interval's answer lands in its own place
    rng = np.random.default_rng(5)
    volume = rng.uniform(20.0, 400.0, 80_000)
    handle = rng.uniform(120.0, 600.0, 80_000)
    table, recursion = both(volume, handle, service_level_target=0.85, answer_seconds=30.0)
    np.testing.assert_array_equal(table, recursion)


def test_monte_carlo_is_identical_with_and_without_the_table() -> None:
    case = example_path("voice_customer_service")
    with_table = simulate(case, n=1_500, seed=4)
    erlang_table.enabled = False
    try:
        without = simulate(case, n=1_500, seed=4)
    finally:
        erlang_table.enabled = True
    for metric in ("tco", "npv_cost"):
        np.testing.assert_array_equal(with_table.values(metric), without.values(metric))


@pytest.mark.parametrize("k", [1, 2, 4])
def test_targets_met_exactly_at_grid_loads(every_batch: None, k: int) -> None:
    # a target equal to the service level of N agents at a grid load: the interval sits on a
    # table bound itself, where only the margin (and the rounding of the bound) decides
    for a in (3.0, 7.5, 12.25, 30.0, 50.0 + 5 / 64):
        n = math.floor(a) + k
        target = staffing.service_level(float(n), a, 1800.0, answer_seconds=20.0)
        if not 0.0 < target <= 0.9999:
            continue
        near = np.array([math.nextafter(a, 0.0), a, math.nextafter(a, 99.0)])
        volume = np.concatenate([near, np.linspace(a - 2.0, a + 2.0, 257)])
        for t in (math.nextafter(target, 0.0), target, math.nextafter(target, 1.0)):
            table, recursion = both(volume, 1800.0, service_level_target=t, answer_seconds=20.0)
            np.testing.assert_array_equal(table, recursion)
