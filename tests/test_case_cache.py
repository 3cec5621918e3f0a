"""The case functions' cache: keyed on the raw range, bounded by memory, memoised outputs,
thread-safe, and never fooled by TRUE == 1 or a changed value."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bpo_cost import udfs
from bpo_cost.api import evaluate
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import case_from_pairs, case_to_pairs, load_case
from bpo_cost.excel import functions
from bpo_cost.excel.cache import RangeCache, range_key
from bpo_cost.excel.convert import as_pairs


def _rows(name: str = "payroll") -> list[list[Any]]:
    """A case as Excel passes its key/value range: rows of two cells, dates as datetimes."""
    return [
        [k, dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v]
        for k, v in case_to_pairs(load_case(example_path(name)))
    ]


def _with(rows: list[list[Any]], key: str, value: Any) -> list[list[Any]]:
    assert any(k == key for k, _ in rows)
    return [[k, value if k == key else v] for k, v in rows]


def _fresh(rows: list[list[Any]], owner: str) -> float:
    """The figure computed without any cache."""
    result = evaluate(case_from_pairs(as_pairs("inputs", rows)))
    s = result.summary_arrays
    return float(s.npv_savings[0, s.owners.index(owner)])


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    functions.CASES.clear()
    yield
    functions.CASES.clear()


def test_true_is_not_one() -> None:
    # True == 1.0 and hash(True) == hash(1.0): a cache keyed on the values alone would answer
    # the TRUE range with the result of the 1.0 range.
    number = _with(_rows(), "workload.volume_per_month", 1.0)
    flag = _with(_rows(), "workload.volume_per_month", True)
    assert udfs.BPO_NPV_SAVINGS(number, "Onshore US") == _fresh(number, "Onshore US")
    assert udfs.BPO_NPV_SAVINGS(flag, "Onshore US") == (
        "#VALUE! workload.volume_per_month: must be a number, not true/false"
    )
    assert range_key([[True]]) != range_key([[1.0]]) != range_key([[1]])


def test_the_shape_is_part_of_the_key() -> None:
    assert range_key([["a", "b"], ["c"]]) != range_key([["a"], ["b", "c"]])
    assert range_key(["a", "b"]) != range_key([["a", "b"]])
    assert range_key([["a", [1.0]]]) != range_key([["a", 1.0]])


def test_a_range_with_unhashable_cells_is_evaluated_uncached() -> None:
    cache: RangeCache[str] = RangeCache(max_bytes=1000, size=lambda value: 1)
    assert cache.entry([["a", [1.0]]], lambda: "made").value == "made"
    assert len(cache) == 0


def test_a_changed_value_is_a_new_case() -> None:
    rows = _rows()
    first = udfs.BPO_NPV_SAVINGS(rows, "Onshore US")
    changed = _with(rows, "workload.volume_per_month", 12_000.0)
    second = udfs.BPO_NPV_SAVINGS(changed, "Onshore US")
    assert second == _fresh(changed, "Onshore US") != first
    assert udfs.BPO_NPV_SAVINGS(rows, "Onshore US") == first  # the first is still cached
    assert (functions.CASES.misses, functions.CASES.hits) == (2, 1)


def test_a_hit_converts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows()
    udfs.BPO_SUMMARY(rows)

    def refuse(*args: Any) -> Any:
        raise AssertionError("converted on a hit")

    monkeypatch.setattr(functions, "as_pairs", refuse)
    monkeypatch.setattr(functions, "case_from_pairs", refuse)
    assert udfs.BPO_PAYBACK(rows, "Onshore US") == udfs.BPO_PAYBACK(_rows(), "Onshore US")
    assert isinstance(udfs.BPO_TCO(rows, "inhouse"), list)


def test_spilled_tables_are_memoised_and_cannot_be_changed_through_the_cache() -> None:
    rows = _rows()
    first = udfs.BPO_TCO(rows, "Onshore US")
    first[1][1] = "changed by the caller"
    first.append(["more"])
    second = udfs.BPO_TCO(rows, "onshore us")  # any letter case: the same owner, one table
    functions.CASES.clear()
    assert second == udfs.BPO_TCO(rows, "Onshore US")  # what a new evaluation spills
    assert all(type(row) is list for row in second)
    summary = udfs.BPO_SUMMARY(rows)
    summary[0][0] = "x"
    assert udfs.BPO_SUMMARY(rows)[0][0] == "owner"


def test_errors_are_not_cached() -> None:
    bad = _with(_rows(), "inhouse.shrinkage", 1.5)
    assert udfs.BPO_SUMMARY(bad).startswith("#VALUE! inhouse.shrinkage")
    assert udfs.BPO_SUMMARY(bad).startswith("#VALUE! inhouse.shrinkage")
    assert len(functions.CASES) == 0


def test_twenty_cases_round_robin_all_hit_the_second_time() -> None:
    # the old cache held 16 cases: a sheet comparing 20 got no hit at all
    cases = [_with(_rows(), "workload.volume_per_month", 5_000.0 + 100 * i) for i in range(20)]
    first = [udfs.BPO_NPV_SAVINGS(rows, "Onshore US") for rows in cases]
    second = [udfs.BPO_NPV_SAVINGS(rows, "Onshore US") for rows in cases]
    assert first == second
    assert (functions.CASES.misses, functions.CASES.hits) == (20, 20)


def test_memory_bound_evicts_the_least_recently_used() -> None:
    cache: RangeCache[str] = RangeCache(max_bytes=250, size=lambda value: 100)
    for key in ("a", "b"):
        cache.entry([[key]], lambda key=key: key)
    cache.entry([["a"]], lambda: "not made")  # a is now the most recently used
    cache.entry([["c"]], lambda: "c")  # 300 bytes > 250: b goes
    assert len(cache) == 2 and cache.nbytes == 200
    assert cache.entry([["a"]], lambda: "made again").value == "a"
    assert cache.entry([["b"]], lambda: "b again").value == "b again"


def test_memoised_outputs_count_against_the_budget() -> None:
    cache: RangeCache[str] = RangeCache(max_bytes=10_000, size=lambda value: 100)
    a = cache.entry([["a"]], lambda: "a")
    cache.entry([["b"]], lambda: "b")
    a.output("t", lambda: [[1.0] * 10] * 20)  # 200 cells
    # over budget: b went, although a was cached first: a is in use
    assert len(cache) == 1 and cache.nbytes == a.nbytes == 100 + 200 * 64
    assert cache.entry([["a"]], lambda: "made again").value == "a"


def test_the_newest_entry_stays_even_if_alone_over_budget() -> None:
    cache: RangeCache[str] = RangeCache(max_bytes=10, size=lambda value: 100)
    cache.entry([["a"]], lambda: "a")
    cache.entry([["b"]], lambda: "b")
    assert len(cache) == 1 and cache.entry([["b"]], lambda: "again").value == "b"


def test_the_default_budget_holds_hundreds_of_cases() -> None:
    result = evaluate(load_case(example_path("claims_back_office")))  # the largest example
    assert functions.CASES.max_bytes / functions._result_bytes(result) >= 300


def test_threads_share_the_cache_safely() -> None:
    cases = [_with(_rows(), "workload.volume_per_month", 8_000.0 + 500 * i) for i in range(6)]
    expected = [_fresh(rows, "Onshore US") for rows in cases]
    functions.CASES.max_bytes = 3 * functions._result_bytes(
        evaluate(load_case(example_path("payroll")))
    )
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(offset: int) -> None:
        try:
            barrier.wait()
            for i in range(30):
                k = (i + offset) % len(cases)
                assert udfs.BPO_NPV_SAVINGS(cases[k], "Onshore US") == expected[k]
                assert udfs.BPO_TCO(cases[k], "inhouse")[0][0] == "month"
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        functions.CASES.max_bytes = 64 * 2**20
    assert errors == []
    assert len(functions.CASES) <= 3
