"""bpo_cost.core.finance against published examples, pyxirr, numpy-financial, hand calculations."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
import pyxirr
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from bpo_cost.core import finance
from bpo_cost.core.finance import fv, irr, monthly_rate, npv, pmt, pv, xirr, xnpv
from bpo_cost.errors import InputError, NoSolutionError

CLOSED = 1e-12  # relative tolerance for closed forms
ROOT = 1e-8  # absolute tolerance on IRR / XIRR

# Microsoft's XNPV / XIRR documentation example (support.microsoft.com, "XNPV function").
MS_FLOWS = [-10_000, 2_750, 4_250, 3_250, 2_750]
MS_DATES = [
    dt.date(2008, 1, 1),
    dt.date(2008, 3, 1),
    dt.date(2008, 10, 30),
    dt.date(2009, 2, 15),
    dt.date(2009, 4, 1),
]
# IRR flow with roots at 5%, 25% and 60% by construction: -1000 (w - 1.05)(w - 1.25)(w - 1.6).
THREE_ROOTS = [-1000.0, 3900.0, -4992.5, 2100.0]
# Roots at 2%, 15% and 90%: -1000 (w - 1.02)(w - 1.15)(w - 1.9) = -1000 w^3 + 4070 w^2 ...
FAR_ROOTS = [-1000.0, 4070.0, -5296.0, 2228.7]


def test_public_names() -> None:
    assert sorted(finance.__all__) == sorted(
        # the functions, and the conventions of issue #15 (timing, payback tolerance)
        [
            *("DISCOUNTING", "Discounting", "PAYBACK_TOLERANCE"),
            *("deferral", "fv", "irr", "monthly_rate", "npv", "pmt", "pv", "xirr", "xnpv"),
        ]
    )


# --- published worked examples (support.microsoft.com, the function's own page) ----------

MS_CASES = [
    # NPV page, example 1: =NPV(10%, -10000, 3000, 4200, 6800) -> $1,188.44
    ("npv-ex1", lambda: npv(0.10, [-10_000, 3_000, 4_200, 6_800]), 1_188.44, 0.005),
    # NPV page, example 2: =NPV(8%, A4:A8) + A3 -> $1,922.06
    (
        "npv-ex2",
        lambda: npv(0.08, [8_000, 9_200, 10_000, 12_000, 14_500]) - 40_000,
        1_922.06,
        0.005,
    ),
    # NPV page, example 2: =NPV(8%, A4:A8, -9000) + A3 -> ($3,749.47)
    (
        "npv-ex2-loss",
        lambda: npv(0.08, [8_000, 9_200, 10_000, 12_000, 14_500, -9_000]) - 40_000,
        -3_749.47,
        0.005,
    ),
    # XNPV page: =XNPV(.09, A2:A6, B2:B6) -> $2,086.65 (VBA page: 2086.6476)
    ("xnpv", lambda: xnpv(0.09, MS_FLOWS, MS_DATES), 2_086.6476, 0.00005),
    # XIRR page: =XIRR(A3:A7, B3:B7, 0.1) -> 0.373362535 (Excel stops within 1e-8)
    ("xirr", lambda: xirr(MS_FLOWS, MS_DATES, guess=0.1), 0.373362535, ROOT),
    # IRR page: =IRR(A2:A6) -> -2.1%; =IRR(A2:A7) -> 8.7%; =IRR(A2:A4, -10%) -> -44.4%
    ("irr-4y", lambda: irr([-70_000, 12_000, 15_000, 18_000, 21_000]), -0.021, 0.0005),
    ("irr-5y", lambda: irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 0.087, 0.0005),
    ("irr-2y", lambda: irr([-70_000, 12_000, 15_000], guess=-0.10), -0.444, 0.0005),
    # PMT page: =PMT(8%/12, 10, 10000) -> ($1,037.03); with type 1 -> ($1,030.16)
    ("pmt", lambda: pmt(0.08 / 12, 10, 10_000), -1_037.03, 0.005),
    ("pmt-begin", lambda: pmt(0.08 / 12, 10, 10_000, 0, at_beginning=True), -1_030.16, 0.005),
    # PMT page: =PMT(6%/12, 18*12, 0, 50000) -> ($129.08)
    ("pmt-saving", lambda: pmt(0.06 / 12, 18 * 12, 0, 50_000), -129.08, 0.005),
    # PV page: =PV(8%/12, 12*20, 500, , 0) -> ($59,777.15)
    ("pv", lambda: pv(0.08 / 12, 12 * 20, 500), -59_777.15, 0.005),
    # FV page: =FV(6%/12, 10, -200, -500, 1) -> $2,581.40; =FV(12%/12, 12, -1000) -> $12,682.50
    ("fv-ex1", lambda: fv(0.06 / 12, 10, -200, -500, at_beginning=True), 2_581.40, 0.005),
    ("fv-ex2", lambda: fv(0.12 / 12, 12, -1_000), 12_682.50, 0.005),
    # FV page: =FV(11%/12, 35, -2000, , 1) -> $82,846.25
    ("fv-ex3", lambda: fv(0.11 / 12, 35, -2_000, at_beginning=True), 82_846.25, 0.005),
    # FV page: =FV(6%/12, 12, -100, -1000, 1) -> $2,301.40
    ("fv-ex4", lambda: fv(0.06 / 12, 12, -100, -1_000, at_beginning=True), 2_301.40, 0.005),
]


@pytest.mark.parametrize(
    ("case", "published", "tol"), [c[1:] for c in MS_CASES], ids=[c[0] for c in MS_CASES]
)
def test_microsoft_examples(case: Callable[[], float], published: float, tol: float) -> None:
    assert case() == pytest.approx(published, abs=tol)


def test_monthly_rate_hand_calculation() -> None:
    # 1.1 ** (1/12) = exp(ln(1.1) / 12) = exp(0.0079425...) = 1.0079741404289...
    assert monthly_rate(0.10) == pytest.approx(0.0079741404289038, rel=CLOSED)
    # Twelve compounded months give the annual rate back.
    annual = np.array([-0.5, 0.0, 0.03, 0.25, 3.0])
    assert np.allclose((1 + monthly_rate(annual)) ** 12 - 1, annual, rtol=1e-13, atol=1e-16)


# --- an independent implementation: pyxirr ------------------------------------------------


def _flows(rng: np.random.Generator, n: int) -> np.ndarray:
    """Savings-like: a transition that costs, then savings that grow."""
    k = int(rng.integers(1, max(2, n // 4)))
    out = rng.uniform(1e3, 1e4, n) * np.linspace(1.0, 1.5, n)
    out[:k] = -rng.uniform(1e4, 5e4, k)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_periodic_functions_agree_with_pyxirr(seed: int) -> None:
    rng = np.random.default_rng(seed)
    v = _flows(rng, int(rng.integers(2, 61)))
    r = float(rng.uniform(-0.05, 0.2))
    assert npv(r, v) == pytest.approx(pyxirr.npv(r, v, start_from_zero=False), rel=CLOSED)
    assert irr(v) == pytest.approx(pyxirr.irr(v), abs=ROOT)
    # numpy-financial's npv starts at t = 0: one period less discounting than Excel's.
    assert (1 + r) * npv(r, v) == pytest.approx(npf.npv(r, v), rel=CLOSED)


@pytest.mark.parametrize("seed", range(8))
def test_dated_functions_agree_with_pyxirr(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 40))
    v = _flows(rng, n)
    days = np.concatenate([[0], np.sort(rng.integers(1, 3_000, n - 1))])
    dates = [dt.date(2020, 2, 29) + dt.timedelta(days=int(d)) for d in days]
    r = float(rng.uniform(0.0, 0.3))
    assert xnpv(r, v, dates) == pytest.approx(pyxirr.xnpv(r, dates, v), rel=CLOSED)
    assert xirr(v, dates) == pytest.approx(pyxirr.xirr(dates, v), abs=ROOT)


CLOSED_CASES = [
    # rate, nper, payment or present value, fv/pv, at_beginning
    (0.08 / 12, 60, 25_000.0, 0.0, False),
    (0.05, 10, -1_000.0, 500.0, True),
    (0.0, 24, 12_000.0, -1_000.0, False),
    (0.0, 24, 12_000.0, -1_000.0, True),
    (-0.02, 12, 1_000.0, 0.0, False),
    (0.3, 7.5, 200.0, 50.0, True),
]


@pytest.mark.parametrize(("rate", "nper", "amount", "other", "begin"), CLOSED_CASES)
def test_annuities_agree_with_pyxirr(
    rate: float, nper: float, amount: float, other: float, begin: bool
) -> None:
    assert pmt(rate, nper, amount, other, at_beginning=begin) == pytest.approx(
        pyxirr.pmt(rate, nper, amount, other, pmt_at_beginning=begin), rel=CLOSED
    )
    assert pv(rate, nper, amount, other, at_beginning=begin) == pytest.approx(
        pyxirr.pv(rate, nper, amount, other, pmt_at_beginning=begin), rel=CLOSED
    )
    assert fv(rate, nper, amount, other, at_beginning=begin) == pytest.approx(
        pyxirr.fv(rate, nper, amount, other, pmt_at_beginning=begin), rel=CLOSED
    )


@pytest.mark.parametrize(("rate", "nper", "amount", "other", "begin"), CLOSED_CASES)
def test_annuities_solve_excels_equation(
    rate: float, nper: float, amount: float, other: float, begin: bool
) -> None:
    # Excel's PV page: pv (1+r)^n + pmt (1 + r type) ((1+r)^n - 1) / r + fv = 0, or, at r = 0,
    # pv + pmt n + fv = 0.
    def residual(p: float, payment: float, f: float) -> float:
        if rate == 0:
            return p + payment * nper + f
        growth = (1 + rate) ** nper
        return p * growth + payment * (1 + rate * begin) * (growth - 1) / rate + f

    scale = abs(amount) + abs(other) * (1 + abs(rate)) ** nper
    payment = pmt(rate, nper, amount, other, at_beginning=begin)
    assert abs(residual(amount, payment, other)) <= 1e-12 * scale * nper
    present = pv(rate, nper, amount, other, at_beginning=begin)
    assert abs(residual(present, amount, other)) <= 1e-12 * scale * nper
    future = fv(rate, nper, amount, other, at_beginning=begin)
    assert abs(residual(other, amount, future)) <= 1e-12 * scale * nper


def test_closed_forms_broadcast() -> None:
    rates = np.array([0.0, 0.01, 0.02])
    got = pmt(rates[:, None], np.array([12, 24]), 1_000.0)
    assert isinstance(got, np.ndarray) and got.shape == (3, 2)
    expected = [[pyxirr.pmt(r, n, 1_000.0) for n in (12, 24)] for r in rates]
    assert np.allclose(got, expected, rtol=CLOSED, atol=0)
    assert isinstance(pv(0.01, 12, -100), float)


# --- IRR with several roots: the root Newton finds from the guess ---------------------------

MULTI_ROOT = [
    # flow, guess, the root by construction; pyxirr (Newton from the guess) agrees on each
    (THREE_ROOTS, -0.2, 0.05),
    (THREE_ROOTS, 0.1, 0.05),
    (THREE_ROOTS, 0.2, 0.25),
    (THREE_ROOTS, 0.3, 0.25),
    (THREE_ROOTS, 0.45, 0.60),
    (THREE_ROOTS, 2.0, 0.60),
    (FAR_ROOTS, 0.0, 0.02),
    (FAR_ROOTS, 0.1, 0.15),
    (FAR_ROOTS, 1.0, 0.90),
]


@pytest.mark.parametrize(
    ("values", "guess", "root"), MULTI_ROOT, ids=[f"{v[1]:g}-guess{g:g}" for v, g, _ in MULTI_ROOT]
)
def test_irr_takes_the_root_newton_finds_from_the_guess(
    values: list[float], guess: float, root: float
) -> None:
    assert irr(values, guess=guess) == pytest.approx(root, abs=ROOT)
    assert irr(values, guess=guess) == pytest.approx(pyxirr.irr(values, guess=guess), abs=ROOT)


def test_irr_does_not_take_numpy_financials_root_nearest_zero() -> None:
    # numpy-financial 1.0.0 returns the root nearest 0 (2%) whatever the guess; Excel's Newton
    # from its default guess 0.1 lands on 15%.
    assert npf.irr(FAR_ROOTS) == pytest.approx(0.02, abs=ROOT)
    assert irr(FAR_ROOTS) == pytest.approx(0.15, abs=ROOT)


def test_irr_per_scenario_guess() -> None:
    got = irr([THREE_ROOTS] * 3, guess=[0.0, 0.3, 0.8])
    assert np.allclose(got, [0.05, 0.25, 0.60], atol=ROOT, rtol=0)
    # One flow, several guesses.
    assert np.allclose(irr(THREE_ROOTS, guess=[0.0, 0.8]), [0.05, 0.60], atol=ROOT, rtol=0)


def test_irr_falls_back_where_newton_fails() -> None:
    # From guess 0.1 Newton jumps past -1 on this flow (Excel: #NUM!); the scan finds the root.
    values = [-50_000.0] * 6 + [20_000.0] * 12
    root = irr(values)
    assert npv(root, values) == pytest.approx(0.0, abs=1e-6)
    assert root == pytest.approx(pyxirr.irr(values), abs=ROOT)
    # Roots near -1 and far above 0 are in reach.
    assert irr([-1_000.0, 1.0]) == pytest.approx(-0.999, abs=ROOT)  # 1 / 1000 - 1
    assert irr([-1.0, 1e6]) == pytest.approx(999_999.0, rel=1e-12)


# --- no solution ----------------------------------------------------------------------------


def test_no_sign_change_raises_or_gives_nan() -> None:
    with pytest.raises(NoSolutionError, match="never change sign"):
        irr([100.0, 200.0, 300.0])
    with pytest.raises(NoSolutionError, match=r"scenario 1 \(and 1 more\).*never change sign"):
        irr([[-100.0, 110.0], [0.0, 0.0], [-1.0, -2.0]])
    got = irr([[-100.0, 110.0], [0.0, 0.0], [-1.0, -2.0]], silent=True)
    assert got[0] == pytest.approx(0.1, abs=ROOT)
    assert np.isnan(got[1:]).all()
    with pytest.raises(NoSolutionError, match="never change sign"):
        xirr([1.0, 2.0], MS_DATES[:2])


def test_no_root_raises_or_gives_nan() -> None:
    # 1 - w + w^2 > 0 for every w: the cash flows change sign but the NPV never reaches 0.
    with pytest.raises(NoSolutionError, match="did not converge"):
        irr([1.0, -1.0, 1.0])
    assert math.isnan(irr([1.0, -1.0, 1.0], silent=True))


# --- inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: xnpv(0.1, MS_FLOWS, MS_DATES[:4]), "dates"),
        (lambda: xirr(MS_FLOWS, MS_DATES[:4]), "dates"),
        (lambda: xnpv(0.1, MS_FLOWS, [MS_DATES[1], MS_DATES[0], *MS_DATES[2:]]), "dates[1]"),
        (lambda: xirr(MS_FLOWS, [*MS_DATES[:3], dt.date(2007, 12, 31), MS_DATES[4]]), "dates[3]"),
        (lambda: xnpv(0.1, MS_FLOWS, ["2008-01-01"] * 5), "dates"),
        (lambda: xnpv(0.1, MS_FLOWS, [MS_DATES[0], 1, 2, 3, 4]), "dates"),
        (
            lambda: xnpv(
                0.1, MS_FLOWS, np.array(["2008-01-01", "NaT"] * 2 + ["NaT"], dtype="datetime64[D]")
            ),
            "dates",
        ),
        (lambda: npv(0.1, []), "values"),
        (lambda: irr([]), "values"),
        (lambda: xirr([], []), "values"),
        (lambda: npv(0.1, [[]]), "values"),
        (lambda: npv(0.1, 5.0), "values"),
        (lambda: npv(0.1, [1.0, float("nan")]), "values[1]"),
        (lambda: irr([[-1.0, 2.0], [-1.0, float("nan")]]), "values[1, 1]"),
        (lambda: xirr([-1.0, float("inf")], MS_DATES[:2]), "values[1]"),
        (lambda: npv(0.1, ["a", "b"]), "values"),
        (lambda: npv(float("nan"), [1.0]), "rate"),
        (lambda: npv(-1.0, [1.0]), "rate"),
        (lambda: xnpv(-1.5, MS_FLOWS, MS_DATES), "rate"),
        (lambda: npv([0.1, 0.2, 0.3], [[1.0], [2.0]]), "rate"),
        (lambda: irr([-1.0, 2.0], guess=-1.0), "guess"),
        (lambda: irr([[-1.0, 2.0]] * 2, guess=[0.1, 0.2, 0.3]), "guess"),
        (lambda: pmt(0.1, 0, 1_000), "nper"),
        (lambda: pmt(0.1, 12, float("nan")), "pv"),
        (lambda: fv(0.1, 12, "x"), "pmt"),
        (lambda: pv(-1.0, 12, 100), "rate"),
        (lambda: monthly_rate(-1.0), "annual"),
    ],
)
def test_bad_inputs_name_the_argument(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InputError) as err:
        call()
    assert err.value.field == field
    assert str(err.value).startswith(f"{field} must be ")


def test_date_forms_agree() -> None:
    serials = [39448, 39508, 39751, 39859, 39904]  # Excel serial numbers of MS_DATES
    expected = xnpv(0.09, MS_FLOWS, MS_DATES)
    assert xnpv(0.09, MS_FLOWS, serials) == expected
    # Excel truncates serial numbers to whole days; times of day are dropped the same way.
    assert xnpv(0.09, MS_FLOWS, [s + 0.75 for s in serials]) == expected
    assert xnpv(0.09, MS_FLOWS, np.array(MS_DATES, dtype="datetime64[D]")) == expected
    with_times = [dt.datetime(d.year, d.month, d.day, 18, 30) for d in MS_DATES]
    assert xnpv(0.09, MS_FLOWS, with_times) == expected
    assert xnpv(0.09, MS_FLOWS, pd.to_datetime(MS_DATES)) == expected
    # Dates after the first may come in any order (Excel).
    order = [0, 3, 1, 4, 2]
    shuffled = xnpv(0.09, [MS_FLOWS[i] for i in order], [MS_DATES[i] for i in order])
    assert shuffled == pytest.approx(expected, rel=CLOSED)


def test_shapes() -> None:
    assert isinstance(npv(0.1, [1.0, 2.0]), float)
    assert isinstance(irr([-1.0, 2.0]), float)
    two = npv(0.1, [[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(two, np.ndarray) and two.shape == (2,)
    assert npv(0.1, np.empty((0, 3))).shape == (0,)
    assert irr(np.empty((0, 3))).shape == (0,)


def test_hundred_thousand_scenarios_at_once() -> None:
    rng = np.random.default_rng(7)
    m, n = 100_000, 60
    months = np.arange(n)
    transition = rng.integers(3, 13, m)[:, None]
    flows = np.where(
        months < transition, -rng.uniform(2e4, 6e4, (m, n)), rng.uniform(1e4, 3e4, (m, n))
    )
    rates = irr(flows)
    assert isinstance(rates, np.ndarray) and rates.shape == (m,)
    sample = rng.choice(m, 200, replace=False)
    expected = [pyxirr.irr(flows[i]) for i in sample]
    assert np.allclose(rates[sample], expected, atol=ROOT, rtol=0)
    assert np.allclose(npv(rates, flows), 0.0, atol=1e-6)


# --- properties -----------------------------------------------------------------------------

amounts = st.floats(1.0, 1e5, allow_nan=False)
rates = st.floats(-0.5, 1.0, allow_nan=False)


@st.composite
def conventional(
    draw: st.DrawFn,
    min_size: int = 2,
    max_size: int = 40,
    amount: st.SearchStrategy[float] = amounts,
) -> np.ndarray:
    """Costs first, then returns: one sign change, so exactly one IRR."""
    n = draw(st.integers(min_size, max_size))
    k = draw(st.integers(1, n - 1))
    values = np.array(draw(st.lists(amount, min_size=n, max_size=n)))
    values[:k] *= -1.0
    return values


@st.composite
def dated(draw: st.DrawFn) -> tuple[np.ndarray, list[dt.date]]:
    values = draw(conventional(max_size=20, amount=st.floats(1e3, 1e5)))
    gaps = draw(st.lists(st.integers(7, 400), min_size=values.size - 1, max_size=values.size - 1))
    start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)))
    return values, [start + dt.timedelta(days=int(d)) for d in np.cumsum([0, *gaps])]


def _discounted_scale(values: np.ndarray, rate: float) -> float:
    return float(np.sum(np.abs(values) * (1 + rate) ** -np.arange(1, values.size + 1)))


# no subnormal coefficients: 5e-324 * 0.5 rounds to 5e-324 or 0, below any relative tolerance
_COEF = st.floats(-3, 3, allow_subnormal=False)


@given(rates, conventional(), conventional(), _COEF, _COEF)
def test_npv_is_linear_in_values(
    rate: float, v: np.ndarray, w: np.ndarray, a: float, b: float
) -> None:
    n = min(v.size, w.size)
    v, w = v[:n], w[:n]
    combined = npv(rate, a * v + b * w)
    scale = _discounted_scale(np.abs(a * v) + np.abs(b * w), rate)
    assert abs(combined - (a * npv(rate, v) + b * npv(rate, w))) <= 1e-12 * scale


def _root_tolerance(values: np.ndarray, years: np.ndarray, rate: float) -> float:
    """What a double can do at a root: 1e-9 of the discounted flows plus the slope times eps."""
    scale = np.sum(np.abs(values) * (1 + rate) ** -years)
    slope = np.sum(np.abs(values * years) * (1 + rate) ** (-years - 1))
    return float(1e-9 * scale + 4 * np.finfo(float).eps * slope)


@given(conventional(max_size=60))
def test_npv_at_the_irr_is_zero(values: np.ndarray) -> None:
    rate = irr(values)
    assert rate > -1
    periods = np.arange(1, values.size + 1)
    assert abs(npv(rate, values)) <= _root_tolerance(values, periods, rate)


@given(dated())
def test_xnpv_at_the_xirr_is_zero(case: tuple[np.ndarray, list[dt.date]]) -> None:
    values, dates = case
    rate = xirr(values, dates)
    assert rate >= -1
    # Within 1e-3 of -1, 1 + r keeps too few digits for the check (the root itself is right).
    assume(rate > -0.999)
    years = np.array([(d - dates[0]).days for d in dates]) / 365
    assert abs(xnpv(rate, values, dates)) <= _root_tolerance(values, years, rate)


@settings(max_examples=30)
@given(
    st.lists(conventional(min_size=12, max_size=12), min_size=1, max_size=6),
    st.lists(rates, min_size=6, max_size=6),
)
def test_vectorised_equals_row_by_row(rows: list[np.ndarray], per_row: list[float]) -> None:
    flows = np.vstack(rows)
    r = np.array(per_row[: len(rows)])
    assert np.array_equal(npv(r, flows), [npv(ri, row) for ri, row in zip(r, rows, strict=True)])
    assert np.allclose(irr(flows), [irr(row) for row in rows], rtol=1e-12, atol=1e-14)
    dates = [dt.date(2024, 1, 31) + dt.timedelta(days=30 * i + i % 3) for i in range(12)]
    assert np.array_equal(
        xnpv(r, flows, dates), [xnpv(ri, row, dates) for ri, row in zip(r, rows, strict=True)]
    )
    assert np.allclose(
        xirr(flows, dates), [xirr(row, dates) for row in rows], rtol=1e-12, atol=1e-14
    )


# Candidate roots at least 0.1 apart in log(1 + r), wider than a cell of the fallback scan.
CANDIDATE_ROOTS = [-0.5, -0.3, -0.1, 0.0, 0.12, 0.3, 0.5, 0.8]


def _excel_newton(values: np.ndarray, guess: float) -> float | None:
    """Excel's IRR iteration: Newton from the guess, converged once a step is below 1e-7
    within 20 steps (None otherwise), then polished to a step below 1e-13.

    A rate at or below -1 stops it, as in pyxirr and as bpo_cost documents.
    """
    x, converged = guess, False
    t = np.arange(values.size)
    for step in range(30):
        if not (math.isfinite(x) and x > -1):
            return None
        with np.errstate(all="ignore"):
            z = (1 + x) ** -t
            f, df = float(values @ z), float(-(t * values) @ (z / (1 + x)))
        if df == 0:
            return x if f == 0 else None
        new = x - f / df
        converged = converged or abs(new - x) < 1e-7
        if not converged and step == 19:
            return None
        if converged and abs(new - x) < 1e-13:
            return new if new > -1 else None
        x = new
    return x if converged and x > -1 else None


@st.composite
def several_roots(draw: st.DrawFn) -> tuple[np.ndarray, list[float]]:
    """Cash flows whose IRRs are known: k * prod(w - (1 + r_i)) * (w^2 + c) * (w + d)."""
    roots = draw(st.lists(st.sampled_from(CANDIDATE_ROOTS), min_size=1, max_size=3, unique=True))
    c = draw(st.floats(0.1, 10.0))
    d = draw(st.floats(0.1, 10.0))
    k = draw(st.floats(1.0, 1e4)) * draw(st.sampled_from([-1.0, 1.0]))
    values = k * np.polymul(np.poly([1 + r for r in roots]), np.polymul([1.0, 0.0, c], [1.0, d]))
    return values, roots


@given(several_roots(), st.floats(-0.6, 1.2))
def test_several_roots_newton_from_the_guess(
    case: tuple[np.ndarray, list[float]], guess: float
) -> None:
    values, roots = case
    got = irr(values, guess=guess)
    # Whatever path it takes, the answer is one of the roots.
    assert min(abs(got - r) for r in roots) <= ROOT
    # Where Excel's Newton converges, robustly (a nudged guess lands on the same root), the
    # answer is the root Excel gives.
    expected, nudged = _excel_newton(values, guess), _excel_newton(values, guess + 1e-9)
    if expected is not None and nudged is not None and abs(expected - nudged) < 1e-9:
        event("Excel's Newton converges")
        assert got == pytest.approx(expected, abs=ROOT)
