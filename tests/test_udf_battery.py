"""Every argument of every Excel function against bad values: a short error text, never a raise.

Built from the valid calls of tests/test_udfs.py (ENGINE_CASES): each argument in turn is replaced
by a value Excel could send that is never a valid number for it.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import pytest

from bpo_cost import udfs
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import case_to_pairs, load_case

from .test_udfs import ENGINE_CASES

FIRST_CALL = {name: args for name, args, _ in reversed(ENGINE_CASES)}
TEXT_ARGS = {"function_id", "location", "card", "statistic", "unit", "tier_mode", "owner"}
NOT_A_NUMBER = {
    "nan": math.nan,
    "inf": math.inf,
    "text": "abc",
    "error": "#N/A",
    "2d-range": [[1.0, 2.0], [3.0, 4.0]],
}

CALLS = [
    (name, i, param, bad_id)
    for name, args in sorted(FIRST_CALL.items())
    for i, param in enumerate(inspect.signature(getattr(udfs, name)).parameters)
    if param not in TEXT_ARGS and i < len(args)
    for bad_id in NOT_A_NUMBER
]


@pytest.mark.parametrize(
    ("name", "index", "param", "bad_id"), CALLS, ids=[f"{n}-{p}-{b}" for n, _, p, b in CALLS]
)
def test_bad_number_gives_value_error_text(name, index, param, bad_id):
    args = list(FIRST_CALL[name])
    bad = NOT_A_NUMBER[bad_id]
    if isinstance(args[index], list) and bad_id == "2d-range":
        pytest.skip("this argument takes a range")
    args[index] = bad
    out = getattr(udfs, name)(*args)
    assert isinstance(out, str) and out.startswith(("#VALUE!", "#NUM!")), out
    assert len(out) <= 255 and "\n" not in out


@pytest.mark.parametrize("name", sorted(FIRST_CALL))
def test_negative_never_raises(name):
    args = list(FIRST_CALL[name])
    for i, value in enumerate(args):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out = getattr(udfs, name)(*([*args[:i], -abs(value) - 1.0, *args[i + 1 :]]))
            assert isinstance(out, (int, float, str, list))
            if isinstance(out, str):
                assert out.startswith(("#VALUE!", "#NUM!"))


def _pairs() -> list[list[Any]]:
    return [[k, v] for k, v in case_to_pairs(load_case(example_path("payroll")))]


@pytest.mark.parametrize(
    "bad", ["abc", -5.0, math.nan, "27"], ids=["text", "negative", "nan", "percent-as-27"]
)
@pytest.mark.parametrize(
    "key",
    ["workload.volume_per_month", "inhouse.shrinkage", "options.1.pricing.price", "term_months"],
)
def test_case_functions_name_the_bad_input(key, bad):
    pairs = _pairs()
    for row in pairs:
        if row[0] == key:
            row[1] = bad
    for fn in (
        udfs.BPO_SUMMARY,
        lambda p: udfs.BPO_TCO(p, "Onshore US"),
        lambda p: udfs.BPO_PAYBACK(p, "Onshore US"),
        lambda p: udfs.BPO_NPV_SAVINGS(p, "Onshore US"),
    ):
        out = fn(pairs)
        if key == "workload.volume_per_month" and bad == "27":
            continue  # 27 units a month is a legal volume
        if key in ("options.1.pricing.price", "term_months") and bad == "27":
            continue  # $27 a payslip, or a 27-month term, is legal
        assert isinstance(out, str) and out.startswith("#VALUE!") and key in out, out


def test_unknown_option_is_named():
    out = udfs.BPO_TCO(_pairs(), "Nowhere")
    assert isinstance(out, str) and out.startswith("#VALUE!") and "Nowhere" in out
