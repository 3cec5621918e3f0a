"""Erlang C staffing and workload FTE against independent implementations and worked examples."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Collection
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_cost.core import staffing
from bpo_cost.core.staffing import (
    average_speed_of_answer,
    required_agents,
    scheduled_fte,
    service_level,
    wait_probability,
    workload_fte,
)
from bpo_cost.errors import InputError

# ----------------------------------------------------------------------------- independent Erlang C


def erlang_c_textbook(n: int, a: Fraction) -> Fraction:
    """Erlang C exactly as printed in textbooks, in rational arithmetic (small loads only):

    C = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A)).
    """
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def erlang_c_exact(a: Fraction, ns: Collection[int]) -> dict[int, float]:
    """The same textbook formula for large loads, in exact integers, correctly rounded.

    With A = p/q and S_j = q^j j! sum_{k<=j} A^k/k! = j q S_{j-1} + p^j (an integer), multiplying
    the textbook formula through by q^N N! (N-A)/N gives C(N) = p^N / ((N q - p) S_{N-1} + p^N).
    Python's int / int is correctly rounded, so no factorial ever meets a float.
    """
    p, q = a.numerator, a.denominator
    out: dict[int, float] = {}
    s, p_pow = 0, 1  # S_{k-1}, p^k
    for k in range(max(ns) + 1):
        if k in ns:
            out[k] = p_pow / ((k * q - p) * s + p_pow)
        s, p_pow = k * q * s + p_pow, p_pow * p
    return out


def sl_exact(c: float, n: int, a: float, answer_s: float, aht_s: float) -> float:
    """Service level from an independent P(wait): 1 - C exp(-(N - A) T / AHT)."""
    return 1.0 - c * math.exp(-(n - a) * answer_s / aht_s)


def test_exact_integer_form_equals_textbook_form() -> None:
    for a in (Fraction(1, 2), Fraction(15, 4), Fraction(10), Fraction(81, 4)):
        ns = range(math.floor(a) + 1, math.floor(a) + 8)
        exact = erlang_c_exact(a, set(ns))
        for n in ns:
            assert exact[n] == float(erlang_c_textbook(n, a))


# ----------------------------------------------------------------------------- worked examples

# Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example": 100 calls in
# 30 minutes, AHT 180 s, target 80% answered in 20 s, max occupancy 85%, shrinkage 30%.
# A = 100 * 180 / 1800 = 10 Erlangs. The published answer is 14 agents, 20 with shrinkage.
# The values below are our hand calculation of the textbook formula (erlang_c_textbook, exact
# rationals) for each N, rounded to 4 places; SL = 1 - Pw exp(-(N - 10) * 20 / 180).
CCH_TABLE = [
    # N, P(wait), SL, ASA seconds = Pw * 180 / (N - 10)
    (11, 0.6821, 0.3896, 122.7813),
    (12, 0.4494, 0.6402, 40.4449),
    (13, 0.2853, 0.7956, 17.1162),
    (14, 0.1741, 0.8884, 7.8359),
    (15, 0.1020, 0.9415, 3.6735),
]


@pytest.mark.parametrize(("n", "pw", "sl", "asa"), CCH_TABLE, ids=[f"N{r[0]}" for r in CCH_TABLE])
def test_call_centre_helper_example_table(n: int, pw: float, sl: float, asa: float) -> None:
    assert round(wait_probability(n, 100, 180), 4) == pw
    assert round(service_level(n, 100, 180, answer_seconds=20), 4) == sl
    assert round(average_speed_of_answer(n, 100, 180), 4) == asa
    exact = float(erlang_c_textbook(n, Fraction(10)))
    assert wait_probability(n, 100, 180) == pytest.approx(exact, rel=1e-14)
    assert service_level(n, 100, 180, answer_seconds=20) == pytest.approx(
        sl_exact(exact, n, 10.0, 20, 180), rel=1e-14
    )


def test_call_centre_helper_example_answer() -> None:
    kw: dict[str, Any] = {"service_level_target": 0.8, "answer_seconds": 20}
    assert required_agents(100, 180, **kw) == 14.0  # 13 gives 79.56% < 80% (table above)
    # Occupancy 10/14 = 71% is under the 85% cap, so the cap changes nothing here.
    assert required_agents(100, 180, **kw, occupancy=0.85) == 14.0
    assert scheduled_fte(14, shrinkage=0.3) == 20.0  # 14 / 0.7 = 20, as published


def test_occupancy_cap_binds() -> None:
    # 10 Erlangs, 30% within 20 s: 11 agents give 38.96% (table above), but occupancy
    # 10/11 = 90.9% > 85%; 12 agents: 83.3% <= 85%.
    kw: dict[str, Any] = {"service_level_target": 0.3, "answer_seconds": 20}
    assert required_agents(100, 180, **kw) == 11.0
    assert required_agents(100, 180, **kw, occupancy=0.85) == 12.0


def test_360_calls_example() -> None:
    # Inputs of the widely published Erlang-C walkthrough: 360 calls per half hour, 4-minute
    # calls, 55 agents, 15 s answer target; A = 360 * 240 / 1800 = 48 Erlangs, occupancy 0.873.
    # Hand calculation (textbook formula, exact rationals):
    #   P(wait) = 0.238701, ASA = Pw * 240 / 7 = 8.1840 s, SL = 1 - Pw exp(-7 * 15 / 240) = 0.845883
    pw = wait_probability(55, 360, 240)
    assert pw == pytest.approx(float(erlang_c_textbook(55, Fraction(48))), rel=1e-14)
    assert round(pw, 6) == 0.238701
    assert round(average_speed_of_answer(55, 360, 240), 4) == 8.1840
    assert round(service_level(55, 360, 240, answer_seconds=15), 6) == 0.845883


# ----------------------------------------------------------------------------- large loads

# Loads are dyadic so that volume * 1800 / 1800 is the load exactly; N from just above A to
# far into the tail, where P(wait) is ~1e-17 (no underflow to a wrong 0, no overflow).
LOADS = [2**-10, 0.5, 1.0, 3.75, 47.25, 99.875, 100.5, 150.0, 1000.0, 2500.5, 5000.0]
SPREADS = [0.01, 0.3, 1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize("load", LOADS, ids=[f"A{a:g}" for a in LOADS])
def test_wait_probability_matches_exact_up_to_5000_erlangs(load: float) -> None:
    ns = sorted({math.floor(load + z * math.sqrt(load)) + 1 for z in SPREADS})
    exact = erlang_c_exact(Fraction(load), set(ns))
    got = wait_probability(np.array(ns), load, 1800)  # A = volume * 1800 / (30 * 60) = volume
    np.testing.assert_allclose(got, [exact[n] for n in ns], rtol=1e-12, atol=0)
    assert np.all(got > 0)


def smallest_agents_exact(
    a: float, aht: float, target: float, answer: float, occ: float = 1.0
) -> int:
    """Smallest N meeting target and cap, by scanning N with the exact Erlang C."""
    ns = range(math.floor(a) + 1, math.floor(a + 10 * math.sqrt(a)) + 20)
    exact = erlang_c_exact(Fraction(a), set(ns))
    for n in ns:
        sl = sl_exact(exact[n], n, a, answer, aht)
        assert abs(sl - target) > 1e-9, "undecidable case: pick another"
        if sl >= target and a / n <= occ:
            return n
    raise AssertionError("scan range too short")


REQUIRED_CASES = [
    # volume per 30 min, AHT s, target SL, answer s, max occupancy
    (1, 300, 0.8, 20, 1.0),  # 1/6 Erlang
    (100, 180, 0.8, 20, 1.0),
    (100, 180, 0.95, 10, 1.0),
    (360, 240, 0.8, 15, 0.85),
    (900, 360, 0.9, 30, 1.0),  # 180 Erlangs: warm start
    (5000, 450, 0.8, 20, 1.0),  # 1250 Erlangs
    (20000, 450, 0.8, 20, 1.0),  # 5000 Erlangs
    (20000, 450, 0.99, 0, 1.0),  # 5000 Erlangs, P(wait) <= 1%
    (20000, 450, 0.5, 20, 0.97),  # 5000 Erlangs, occupancy cap binds
]


@pytest.mark.parametrize(
    ("volume", "aht", "target", "answer", "occ"),
    REQUIRED_CASES,
    ids=[f"v{c[0]}-aht{c[1]}-{c[2]:g}in{c[3]}-occ{c[4]:g}" for c in REQUIRED_CASES],
)
def test_required_agents_matches_exact_scan(
    volume: float, aht: float, target: float, answer: float, occ: float
) -> None:
    a = volume * aht / 1800
    expected = smallest_agents_exact(a, aht, target, answer, occ)
    got = required_agents(
        volume, aht, service_level_target=target, answer_seconds=answer, occupancy=occ
    )
    assert got == expected


def test_required_agents_batch_matches_cases() -> None:
    # All cases in one call (mixed loads from 1/6 to 5000 Erlangs, as a Monte Carlo batch).
    v, aht, target, answer, occ = (
        np.array(col, dtype=float) for col in zip(*REQUIRED_CASES, strict=True)
    )
    got = required_agents(v, aht, service_level_target=target, answer_seconds=answer, occupancy=occ)
    expected = [smallest_agents_exact(*(c[0] * c[1] / 1800, *c[1:])) for c in REQUIRED_CASES]
    np.testing.assert_array_equal(got, expected)


# ----------------------------------------------------------------------------- edges, shapes


def test_overloaded_and_empty_intervals() -> None:
    # N <= A: the queue grows without bound.
    assert wait_probability(10, 100, 180) == 1.0
    assert service_level(9, 100, 180, answer_seconds=20) == 0.0
    assert average_speed_of_answer(10, 100, 180) == math.inf
    assert wait_probability(0, 1, 180) == 1.0
    # No calls: nobody waits, every call (none) is answered in time.
    assert wait_probability(3, 0, 180) == 0.0
    assert wait_probability(0, 0, 180) == 0.0
    assert service_level(0, 0, 180, answer_seconds=20) == 1.0
    assert average_speed_of_answer(0, 0, 180) == 0.0
    assert required_agents(0, 180, service_level_target=0.8, answer_seconds=20) == 0.0


def test_scalars_give_floats_arrays_give_broadcast_arrays() -> None:
    kw: dict[str, Any] = {"service_level_target": 0.8, "answer_seconds": 20}
    assert type(required_agents(100, 180, **kw)) is float
    assert type(wait_probability(14, 100, 180)) is float
    assert type(scheduled_fte(14, shrinkage=0.3)) is float
    volume = np.array([[0.0], [100.0], [200.0]])  # (scenarios, 1)
    aht = np.array([120.0, 180.0, 240.0, 300.0])  # (months,)
    got = required_agents(volume, aht, **kw)
    assert got.shape == (3, 4)
    assert got[1, 1] == 14.0 and np.all(got[0] == 0.0)
    assert service_level(got, volume, aht, answer_seconds=20).shape == (3, 4)
    assert wait_probability([14], 100, 180).shape == (1,)


def test_interval_length_scales_the_load() -> None:
    # 200 calls per hour at 180 s is the same 10 Erlangs as 100 per half hour.
    assert wait_probability(14, 200, 180, 60) == wait_probability(14, 100, 180)


SCHEDULED = [
    # agents, shrinkage, expected = ceil(agents / (1 - shrinkage)) by hand
    (14, 0.3, 20),  # Call Centre Helper example
    (13, 0.3, 19),  # 18.57 -> 19
    (21, 0.3, 30),  # 21 / (1 - 0.3) is 30.000000000000004 in binary floating point
    (10, 0.0, 10),
    (0, 0.35, 0),
    (3, 0.25, 4),
]


@pytest.mark.parametrize(("agents", "shrinkage", "expected"), SCHEDULED)
def test_scheduled_fte(agents: int, shrinkage: float, expected: int) -> None:
    assert scheduled_fte(agents, shrinkage=shrinkage) == expected


def test_scheduled_fte_vectorised() -> None:
    agents, shrink, expected = zip(*SCHEDULED, strict=True)
    np.testing.assert_array_equal(scheduled_fte(list(agents), shrinkage=list(shrink)), expected)


def test_workload_fte() -> None:
    # 12,000 items at 6 min = 1,200 hours; 2,080/12 paid hours * 0.75 * 0.85 per FTE:
    # 1200 / (2080/12 * 0.6375) = 14400 / 1326 FTE (hand calculation).
    got = workload_fte(12_000, 6, paid_hours_per_month=2080 / 12, shrinkage=0.25, occupancy=0.85)
    assert got == pytest.approx(14400 / 1326, rel=1e-14)
    # 160 paid hours, no shrinkage, full occupancy: 960 items * 10 min = 160 h = exactly 1 FTE.
    one = workload_fte([0, 960], 10, paid_hours_per_month=160, shrinkage=0, occupancy=1)
    np.testing.assert_array_equal(one, [0.0, 1.0])


# ----------------------------------------------------------------------------- bad inputs

BAD: list[tuple[str, Callable[[], object]]] = [
    ("volume", lambda: wait_probability(5, -1, 180)),
    (
        "volume[1]",
        lambda: required_agents([1, math.nan], 180, service_level_target=0.8, answer_seconds=20),
    ),
    ("handle_seconds", lambda: wait_probability(5, 10, 0)),
    ("handle_seconds", lambda: service_level(5, 10, -3, answer_seconds=20)),
    ("interval_minutes", lambda: wait_probability(5, 10, 180, 0)),
    ("agents", lambda: wait_probability(-1, 10, 180)),
    ("agents", lambda: wait_probability(2.5, 10, 180)),
    ("agents", lambda: average_speed_of_answer(math.nan, 10, 180)),
    ("answer_seconds", lambda: service_level(5, 10, 180, answer_seconds=-1)),
    (
        "service_level_target",
        lambda: required_agents(10, 180, service_level_target=1.0, answer_seconds=20),
    ),
    (
        "service_level_target",
        lambda: required_agents(10, 180, service_level_target=0, answer_seconds=20),
    ),
    (
        "occupancy",
        lambda: required_agents(
            10, 180, service_level_target=0.8, answer_seconds=20, occupancy=1.2
        ),
    ),
    (
        "occupancy",
        lambda: required_agents(10, 180, service_level_target=0.8, answer_seconds=20, occupancy=0),
    ),
    ("shrinkage", lambda: scheduled_fte(10, shrinkage=1.0)),
    ("shrinkage", lambda: scheduled_fte(10, shrinkage=-0.1)),
    ("agents", lambda: scheduled_fte(-1, shrinkage=0.3)),
    (
        "volume_per_month",
        lambda: workload_fte(-5, 6, paid_hours_per_month=160, shrinkage=0.3, occupancy=0.85),
    ),
    (
        "handle_minutes",
        lambda: workload_fte(5, 0, paid_hours_per_month=160, shrinkage=0.3, occupancy=0.85),
    ),
    (
        "paid_hours_per_month",
        lambda: workload_fte(5, 6, paid_hours_per_month=0, shrinkage=0.3, occupancy=0.85),
    ),
    (
        "shrinkage",
        lambda: workload_fte(5, 6, paid_hours_per_month=160, shrinkage=math.nan, occupancy=0.85),
    ),
    (
        "occupancy",
        lambda: workload_fte(5, 6, paid_hours_per_month=160, shrinkage=0.3, occupancy=0),
    ),
    (
        "occupancy",
        lambda: workload_fte(5, 6, paid_hours_per_month=160, shrinkage=0.3, occupancy=1.01),
    ),
    ("volume", lambda: wait_probability(5, "many", 180)),
    ("volume", lambda: wait_probability(5, math.inf, 180)),
]


@pytest.mark.parametrize(("field", "call"), BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
def test_bad_input_names_the_argument(field: str, call: Callable[[], object]) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.field == field
    assert str(info.value).startswith(f"{field} must be ")


def test_error_shows_the_offending_element() -> None:
    with pytest.raises(InputError, match=r"^volume\[1\] must be a number >= 0: got -2\.0$"):
        wait_probability(5, [1.0, -2.0, 3.0], 180)
    with pytest.raises(InputError, match=r"^agents\[0, 1\] must be a whole number >= 0 and "):
        wait_probability([[5.0, 5.5]], 10, 180)


def test_all_lists_the_public_functions_and_constants() -> None:
    public = {
        name
        for name, obj in vars(staffing).items()
        if inspect.isfunction(obj)
        and obj.__module__ == staffing.__name__
        and not name.startswith("_")
    }
    constants = {"MAX_AGENTS", "MAX_ERLANGS", "WARM_START_SIGMAS"}
    assert set(staffing.__all__) == public | constants


# ----------------------------------------------------------------------------- properties

volumes = st.floats(0, 400)
ahts = st.floats(5, 900)
answers = st.floats(0, 120)
targets = st.floats(0.05, 0.99)
caps = st.floats(0.5, 1.0)


@settings(deadline=None)
@given(volume=st.floats(0.01, 400), aht=ahts, answer=answers)
def test_service_level_non_decreasing_in_agents(volume: float, aht: float, answer: float) -> None:
    a = volume * aht / 1800
    n = np.arange(0, math.ceil(a + 8 * math.sqrt(a)) + 5)
    sl = service_level(n, volume, aht, answer_seconds=answer)
    assert np.all(np.diff(sl) >= 0)
    assert np.all((sl >= 0) & (sl <= 1))


@settings(deadline=None)
@given(
    volume=st.lists(volumes, min_size=1, max_size=8),
    aht=ahts,
    target=targets,
    answer=answers,
    cap=st.one_of(st.none(), caps),
)
def test_required_agents_is_the_smallest_count(
    volume: list[float], aht: float, target: float, answer: float, cap: float | None
) -> None:
    n = required_agents(
        volume, aht, service_level_target=target, answer_seconds=answer, occupancy=cap
    )
    v = np.array(volume)
    a = v * aht / (30 * 60.0)
    occ = 1.0 if cap is None else cap

    def meets(k: np.ndarray) -> np.ndarray:
        sl = service_level(k, v, aht, answer_seconds=answer)
        with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 for A = N = 0
            return np.asarray((sl >= target) & (a / k <= occ))

    assert np.all(n == np.floor(n))
    assert np.all((n == 0) == (v == 0))
    busy = v > 0
    assert np.all(meets(n)[busy])
    assert not np.any(meets(np.maximum(n - 1, 0))[busy & (n >= 1)])


@settings(deadline=None)
@given(aht=ahts, target=targets, answer=answers, shape=st.sampled_from([(3,), (2, 4)]))
def test_zero_volume_needs_zero_agents(
    aht: float, target: float, answer: float, shape: tuple[int, ...]
) -> None:
    got = required_agents(np.zeros(shape), aht, service_level_target=target, answer_seconds=answer)
    np.testing.assert_array_equal(got, np.zeros(shape))


@settings(deadline=None, max_examples=50)
@given(
    volume=st.lists(volumes, min_size=1, max_size=6),
    aht=st.lists(ahts, min_size=1, max_size=6),
    target=targets,
    answer=answers,
    extra=st.integers(-3, 6),
)
def test_vectorised_equals_elementwise(
    volume: list[float], aht: list[float], target: float, answer: float, extra: int
) -> None:
    v = np.array(volume)[:, None]  # scenarios x months by broadcasting
    h = np.array(aht)[None, :]
    kw: dict[str, Any] = {"service_level_target": target, "answer_seconds": answer}
    n = required_agents(v, h, **kw)
    agents = np.maximum(n + extra, 0)
    pw = wait_probability(agents, v, h)
    sl = service_level(agents, v, h, answer_seconds=answer)
    asa = average_speed_of_answer(agents, v, h)
    for i, vi in enumerate(volume):
        for j, hj in enumerate(aht):
            k = float(agents[i, j])
            assert n[i, j] == required_agents(vi, hj, **kw)
            assert pw[i, j] == wait_probability(k, vi, hj)
            assert sl[i, j] == service_level(k, vi, hj, answer_seconds=answer)
            assert asa[i, j] == average_speed_of_answer(k, vi, hj)
