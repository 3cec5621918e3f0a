"""The argument checkers shared by the core maths, the Excel functions and the analyses."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpo_cost import udfs
from bpo_cost.case.models import Case
from bpo_cost.case.rules import Rule, rule
from bpo_cost.core import arguments, finance, pricing, staffing
from bpo_cost.core.arguments import (
    ANY,
    NONNEGATIVE,
    POSITIVE,
    RATE,
    SHARE,
    SHARE_BELOW_ONE,
    Range,
    choice,
    float_or_array,
    number,
    numbers,
)
from bpo_cost.errors import InputError

from .strategies import bare_case


@pytest.mark.parametrize(
    ("allowed", "text"),
    [
        (ANY, "a number"),
        (NONNEGATIVE, "a number >= 0"),
        (POSITIVE, "a number > 0"),
        (SHARE, "a number >= 0 and <= 1"),
        (SHARE_BELOW_ONE, "a number >= 0 and < 1"),
        (RATE, "a number > -1"),
        (Range(low=1, whole=True), "a whole number >= 1"),
        (Range(0, 2e6, whole=True), "a whole number >= 0 and <= 2,000,000"),
        (Range(0, 1e12), "a number >= 0 and <= 1e+12"),  # as the Inputs sheet has always said
        (Range(low=0, infinite="no cap"), "a number >= 0, or inf for no cap"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_describe_in_the_analysts_words(allowed: Range, text: str) -> None:
    assert allowed.describe() == text


def test_case_rules_and_checkers_use_the_same_words() -> None:
    case = Case.model_validate(bare_case())
    shrinkage = rule(case, "inhouse.shrinkage")
    assert shrinkage == Rule("decimal", low=0.0, high=1.0, high_strict=True)
    with pytest.raises(InputError) as err:
        staffing.scheduled_fte(10, shrinkage=1.0)
    assert err.value.allowed == shrinkage.describe() == "a number >= 0 and < 1"
    assert rule(case, "options.0.location.tier").describe() == (  # type: ignore[union-attr]
        arguments.one_of(("onshore", "nearshore", "offshore"))
    )


bounds = st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.5, 1.0, 3.0]))
ranges = st.builds(
    Range,
    low=bounds,
    high=bounds,
    low_strict=st.booleans(),
    high_strict=st.booleans(),
    whole=st.booleans(),
    infinite=st.one_of(st.none(), st.just("no cap")),
)
values = st.one_of(
    st.sampled_from([-1.0, 0.0, 0.5, 1.0, 3.0, math.inf, -math.inf, math.nan, 2, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
)


@given(allowed=ranges, x=values)
def test_one_number_and_an_array_are_judged_alike(allowed: Range, x: float) -> None:
    """The scalar fast path (plain Python) and the array path (numpy) agree everywhere."""
    one = allowed.holds(x)
    assert one == bool(allowed.mask(np.asarray(float(x))))
    if one:
        assert number("x", x, allowed) == float(x) or math.isinf(x)
        assert numbers("x", [x, x], allowed).tolist() == [float(x)] * 2
    else:
        for given_ in (x, [x], np.float64(x)):
            with pytest.raises(InputError):
                numbers("x", given_, allowed)


def test_nan_and_infinity_are_not_numbers() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        assert not ANY.holds(bad)
        assert not NONNEGATIVE.mask(np.array([bad])).any()
    no_cap = Range(low=0, infinite="no cap")
    assert no_cap.holds(math.inf) and not no_cap.holds(-math.inf) and not no_cap.holds(math.nan)


@pytest.mark.parametrize(
    ("value", "allowed", "message"),
    [
        (-1, NONNEGATIVE, "x must be a number >= 0: got -1"),
        (1.0, SHARE_BELOW_ONE, "x must be a number >= 0 and < 1: got 1.0"),
        ([0.5, -2.0], NONNEGATIVE, "x[1] must be a number >= 0: got -2.0"),
        ([[1.0, 2.0], [3.0, math.nan]], ANY, "x[1, 1] must be a number: got nan"),
        (np.float64(2.5), Range(whole=True), "x must be a whole number: got 2.5"),
        ("0.5", ANY, "x must be a number: got '0.5'"),
        (True, ANY, "x must be a number: got True"),
        (None, ANY, "x must be a number: got None"),
        ([1.0, "a"], POSITIVE, "x must be a number > 0: got [1.0, 'a']"),
    ],
    ids=str,
)
def test_errors_name_the_argument_the_value_and_what_is_allowed(
    value: Any, allowed: Range, message: str
) -> None:
    with pytest.raises(InputError) as err:
        numbers("x", value, allowed)
    assert str(err.value) == message


def test_shape_and_form() -> None:
    assert numbers("pair", (1, 2), shape=(2,)).tolist() == [1.0, 2.0]
    with pytest.raises(InputError, match=r"^pair must be a \(low, high\) pair: got 3.0$"):
        numbers("pair", 3.0, shape=(2,), form="a (low, high) pair")
    with pytest.raises(InputError, match=r"^low must be a number: got \[1, 2\]$"):
        number("low", [1, 2])


def test_arrays_are_not_copied() -> None:
    x = np.arange(3.0)
    assert numbers("x", x, NONNEGATIVE) is x


def test_choice() -> None:
    modes = pricing.TIER_MODES
    assert choice("tier_mode", "incremental", modes) == "incremental"
    assert choice("tier_mode", "All_Units", modes, ignore_case=True) == "all_units"
    for bad in ("All_Units", 1.0, None):
        with pytest.raises(InputError, match=r"^tier_mode must be one of all_units, incremental"):
            choice("tier_mode", bad, modes)


def test_float_or_array() -> None:
    assert type(float_or_array(np.asarray(1.5))) is float
    assert isinstance(float_or_array(np.asarray([1.5])), np.ndarray)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: finance.npv(-1.0, [1.0]), "rate"),
        (lambda: pricing.hourly_fee(1.0, math.inf), "rate"),
        (lambda: pricing.gainshare(1.0, 1.0, share=0.5, cap=-math.inf), "cap"),
        (
            lambda: staffing.workload_fte(
                [1.0, -1.0], 1, paid_hours_per_month=160, shrinkage=0, occupancy=1
            ),
            "volume_per_month[1]",
        ),
        (lambda: udfs.BPO_FTE(1.0, 1.0, 0.3, 0.85, 0.0), "paid_hours_per_year"),
    ],
    ids=["finance", "pricing", "cap", "staffing", "excel"],
)
def test_every_layer_raises_through_the_checkers(call: Any, field: str) -> None:
    try:
        out = call()
    except InputError as err:
        assert err.field == field
    else:  # the Excel face shows the same message in the cell
        assert out.startswith(f"#VALUE! {field} must be a number")


def test_no_cap_is_allowed_where_it_means_no_cap() -> None:
    assert pricing.gainshare(100.0, 50.0, share=0.5, cap=math.inf) == 25.0
    assert pricing.escalation_index(13, cola_per_year=0.05, cap_per_year=math.inf) == 1.05
