"""The scalar paths of the core functions (a cell's call) give what the array paths give.

A call with plain floats takes a path on floats (`bpo_cost.core.arguments.plain_numbers`); the
same call with one-element arrays takes the vectorised path. Results must be equal (``==``,
which also holds for +0.0 and -0.0) and errors must read the same.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_cost import udfs
from bpo_cost.core import pricing, staffing
from bpo_cost.engine.inhouse import loaded_cost_per_fte_month
from bpo_cost.errors import InputError
from bpo_cost.excel.convert import as_numbers

volumes = st.floats(0.0, 5_000.0)
handles = st.floats(1.0, 1_200.0)
intervals = st.sampled_from([15.0, 30.0, 60.0])
targets = st.floats(0.05, 0.99)
answers = st.floats(0.0, 120.0)
shares = st.floats(0.0, 1.0)
money = st.floats(0.0, 1e7)


def _array(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    """``fn`` with its plain-number arguments as one-element arrays: the vectorised path."""

    def wrap(x: Any) -> Any:
        return np.array([x]) if type(x) in (float, int) else x

    result = fn(*map(wrap, args), **{k: wrap(v) for k, v in kwargs.items()})
    assert isinstance(result, np.ndarray)
    return float(result[0])


def _same(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    scalar = fn(*args, **kwargs)
    assert type(scalar) is float
    assert scalar == _array(fn, *args, **kwargs)


@settings(max_examples=300, deadline=None)
@given(volumes, handles, intervals, targets, answers, st.none() | st.floats(0.3, 1.0))
def test_required_agents(v: float, h: float, t: float, sl: float, ans: float, occ: Any) -> None:
    _same(
        staffing.required_agents,
        v,
        h,
        t,
        service_level_target=sl,
        answer_seconds=ans,
        occupancy=occ,
    )


@pytest.mark.parametrize("erlangs", [0.0, 1e-300, 0.4, 99.0, 101.0, 2_500.0, 40_000.0])
def test_required_agents_across_the_warm_start(erlangs: float) -> None:
    # below 100 Erlangs the recursion starts at 0, above it from A - 10 sqrt(A)
    volume = erlangs * 1800.0 / 300.0
    _same(staffing.required_agents, volume, 300.0, service_level_target=0.8, answer_seconds=20.0)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 400), volumes, handles, intervals, answers)
def test_service_level(n: int, v: float, h: float, t: float, ans: float) -> None:
    _same(staffing.service_level, float(n), v, h, t, answer_seconds=ans)


@settings(max_examples=100, deadline=None)
@given(volumes, handles, st.floats(1.0, 3000.0), st.floats(0.0, 0.99), st.floats(0.01, 1.0))
def test_workload_fte(v: float, m: float, hours: float, s: float, occ: float) -> None:
    _same(staffing.workload_fte, v, m, paid_hours_per_month=hours, shrinkage=s, occupancy=occ)


bands = st.lists(st.floats(1.0, 1e6), min_size=0, max_size=9, unique=True).map(sorted)


@settings(max_examples=300, deadline=None)
@given(money, bands, st.data(), st.sampled_from(pricing.TIER_MODES), money)
def test_tiered_fee(v: float, up_to: list[float], data: Any, mode: Any, minimum: float) -> None:
    prices = data.draw(
        st.lists(st.floats(0.0, 100.0), min_size=len(up_to) + 1, max_size=len(up_to) + 1)
    )
    scalar = pricing.tiered_fee(v, up_to, prices, tier_mode=mode, minimum_volume=minimum)
    array = pricing.tiered_fee(
        np.array([v]), up_to, prices, tier_mode=mode, minimum_volume=np.array([minimum])
    )
    assert type(scalar) is float and scalar == array[0]


@settings(max_examples=200, deadline=None)
@given(money, money, money, st.floats(0.0, 0.99), money, money)
def test_collar_fee(
    v: float, base: float, baseline: float, d: float, arc: float, rrc: float
) -> None:
    baseline = max(baseline, 1.0)
    _same(
        pricing.collar_fee,
        v,
        base_fee=base,
        baseline_volume=baseline,
        dead_band=d,
        arc=arc,
        rrc=rrc,
    )


@settings(max_examples=200, deadline=None)
@given(money, money, shares, st.floats(0.0, 1e5) | st.just(float("inf")), st.booleans())
def test_gainshare(baseline: float, actual: float, share: float, cap: float, pain: bool) -> None:
    _same(pricing.gainshare, baseline, actual, share=share, cap=cap, painshare=pain)


@settings(max_examples=100, deadline=None)
@given(money, money, shares, money, shares, shares)
def test_fees_and_credits(v: float, p: float, rate: float, base: float, a: float, b: float) -> None:
    _same(pricing.hourly_fee, v, p, minimum_billed=base)
    _same(pricing.outcome_fee, v, price_per_outcome=p, outcome_rate=rate, base_fee=base)
    _same(pricing.service_credit, v, at_risk_share=a, expected_breach_share=b)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 240),
    st.floats(-0.5, 0.5),
    st.floats(0.0, 0.5) | st.just(float("inf")),
    st.floats(0.0, 0.9),
)
def test_escalation_index(month: int, cola: float, cap: float, p: float) -> None:
    scalar = pricing.escalation_index(
        month, cola_per_year=cola, cap_per_year=cap, productivity_per_year=p
    )
    array = pricing.escalation_index(
        month,
        cola_per_year=np.array([cola]),
        cap_per_year=np.array([cap]),
        productivity_per_year=np.array([p]),
    )
    assert type(scalar) is float and scalar == array[0]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.0, 1e4), min_size=9, max_size=9),
    st.floats(1.0, 4000.0),
    st.floats(1.0, 50.0),
)
def test_loaded_cost(x: list[float], hours: float, span: float) -> None:
    names = [
        "wage_per_hour",
        "benefits_load",
        "payroll_tax",
        "supervisor_wage_per_hour",
        "facilities_per_seat_month",
        "it_per_seat_month",
        "attrition_per_year",
        "cost_per_hire",
        "training_per_hire",
    ]
    kwargs = dict(zip(names[1:], x[1:], strict=True))
    _same(
        loaded_cost_per_fte_month, x[0], paid_hours_per_year=hours, supervision_span=span, **kwargs
    )


BAD_CALLS: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = [
    (
        "volume",
        staffing.required_agents,
        (-1.0, 180.0),
        {"service_level_target": 0.8, "answer_seconds": 20.0},
    ),
    (
        "handle",
        staffing.required_agents,
        (100.0, 0.0),
        {"service_level_target": 0.8, "answer_seconds": 20.0},
    ),
    (
        "target",
        staffing.required_agents,
        (100.0, 180.0),
        {"service_level_target": 1.0, "answer_seconds": 20.0},
    ),
    (
        "occupancy",
        staffing.required_agents,
        (100.0, 180.0),
        {"service_level_target": 0.8, "answer_seconds": 20.0, "occupancy": 0.0},
    ),
    (
        "load",
        staffing.required_agents,
        (1e9, 1e4),
        {"service_level_target": 0.8, "answer_seconds": 20.0},
    ),
    ("agents", staffing.service_level, (13.5, 100.0, 180.0), {"answer_seconds": 20.0}),
    ("answer", staffing.service_level, (13.0, 100.0, 180.0), {"answer_seconds": -1.0}),
    (
        "shrinkage",
        staffing.workload_fte,
        (10.0, 6.0),
        {"paid_hours_per_month": 160.0, "shrinkage": 1.0, "occupancy": 0.8},
    ),
    ("up_to order", pricing.tiered_fee, (10.0, [5.0, 5.0], [1.0, 2.0, 3.0]), {}),
    ("prices count", pricing.tiered_fee, (10.0, [5.0], [1.0]), {}),
    ("negative price", pricing.tiered_fee, (10.0, [5.0], [1.0, -2.0]), {}),
    ("tier mode", pricing.tiered_fee, (10.0, [5.0], [1.0, 2.0]), {"tier_mode": "tiered"}),
    (
        "dead band",
        pricing.collar_fee,
        (10.0,),
        {"base_fee": 1.0, "baseline_volume": 5.0, "dead_band": 1.0, "arc": 1.0, "rrc": 1.0},
    ),
    ("cola", pricing.escalation_index, (13,), {"cola_per_year": -1.0}),
]


@pytest.mark.parametrize(
    ("label", "fn", "args", "kwargs"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS]
)
def test_errors_read_the_same(
    label: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InputError) as scalar:
        fn(*args, **kwargs)

    def wrap(x: Any) -> Any:
        return np.array(x) if type(x) in (float, int) else x

    with pytest.raises(InputError) as array:
        fn(*map(wrap, args), **{k: wrap(v) for k, v in kwargs.items()})
    assert str(scalar.value) == str(array.value)


@settings(max_examples=200, deadline=None)
@given(st.floats(1.0, 3_000.0), handles, answers, st.integers(1, 30))
def test_required_agents_with_a_target_met_exactly(v: float, h: float, ans: float, k: int) -> None:
    # a target equal to the service level of some N: decided by the last bit of exp
    a = v * h / 1800.0
    n = float(math.floor(a) + k)
    target = staffing.service_level(n, v, h, answer_seconds=ans)
    if not 0.0 < target < 1.0:
        return
    _same(staffing.required_agents, v, h, service_level_target=target, answer_seconds=ans)
    for nudged in (math.nextafter(target, 0.0), math.nextafter(target, 1.0)):
        if nudged < 1.0:
            _same(staffing.required_agents, v, h, service_level_target=nudged, answer_seconds=ans)


# ------------------------------------------------------------------ the cell wrapper's binding


def test_cell_calls_that_do_not_fit_the_signature_read_as_before() -> None:
    # the wrapper binds arguments itself; a call that does not fit is bound by inspect for
    # its error text (the texts of inspect.Signature.bind, as before the fast path)
    assert udfs.BPO_HOURLY_FEE(1.0) == (
        "#VALUE! TypeError: missing a required argument: 'hourly_rate'"
    )
    assert udfs.BPO_HOURLY_FEE(1.0, 2.0, 3.0, 4.0) == (
        "#VALUE! TypeError: too many positional arguments"
    )
    assert udfs.BPO_HOURLY_FEE(1.0, 2.0, None) == udfs.BPO_HOURLY_FEE(1.0, 2.0, "") == 2.0


RANGES = [
    ([[1.0], [2.0], [None]], [1.0, 2.0]),
    ([[1.0], [" "]], [1.0]),
    ([[1.0, 2.0]], [1.0, 2.0]),
    ([1.0, "50%"], [1.0, 0.5]),
    ([[1.0], [[2.0]]], [1.0, 2.0]),
    (3.0, [3.0]),
]


@pytest.mark.parametrize(("cells", "expected"), RANGES, ids=[repr(r[0]) for r in RANGES])
def test_ranges_convert_alike_on_the_column_path_and_the_general_path(
    cells: Any, expected: list[float]
) -> None:
    assert as_numbers("prices", cells) == expected


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([[1.0], [True]], "prices cell 2 must be a number: got True"),
        ([[1.0], [float("nan")]], "prices cell 2 must be a number: got nan"),
        ([[1.0, 2.0], [3.0, 4.0]], "prices must be one row or one column: got a 2 x 2 range"),
        ([[None], [None]], "prices must be one or more numbers: got an empty cell"),
    ],
)
def test_range_errors_read_alike(cells: Any, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        as_numbers("prices", cells)
