"""Excel-compatible finance functions, vectorised over a leading scenario axis.

Sign convention (Excel's, as in numpy-financial and pyxirr): cash paid out is negative, cash
received is positive. A loan you receive is ``pv > 0`` and its payments are negative; a deposit
you make each month is ``pmt < 0`` and grows into ``fv > 0``.

Shapes: ``values`` shaped ``(n_periods,)`` give a float; ``(n_scenarios, n_periods)`` give an
array shaped ``(n_scenarios,)``. A rate or guess is one number or one per scenario. ``pmt``, ``pv``
and ``fv`` broadcast their arguments like numpy. Rates are per period and must be greater than
-1: Excel computes some numbers below -1, but they mean losing more than everything.

``irr`` and ``xirr`` run Newton's method from the guess, as Excel does, on every scenario at once;
a scenario where Newton fails falls back to a scan of rates for the sign change of the NPV
nearest the guess, refined by regula falsi (Illinois).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .._types import AnnualRate, ArrayLike, FloatArray, MonthlyRate
from ..errors import InputError, NoSolutionError
from .arguments import RATE, float_or_array, numbers

__all__ = [
    "DISCOUNTING",
    "PAYBACK_TOLERANCE",
    "Discounting",
    "deferral",
    "fv",
    "irr",
    "monthly_rate",
    "npv",
    "pmt",
    "pv",
    "xirr",
    "xnpv",
]

# When in its month a monthly cash flow is discounted, as the number of months by which it is
# discounted less than Excel's NPV (end of month): NPV x (1 + monthly rate) ** shift.
Discounting = Literal["end_of_month", "mid_month", "start_of_month"]
DISCOUNTING: dict[Discounting, float] = {
    "end_of_month": 0.0,
    "mid_month": 0.5,
    "start_of_month": 1.0,
}
# Half a cent: cumulative savings within it of zero have broken even. Sums of many monthly
# amounts carry round-off of ~1e-9 of their size, far below a cent, so an exact break-even can
# no longer flip the payback month, and no real shortfall (a cent or more) is forgiven.
PAYBACK_TOLERANCE = 0.005


def _npf() -> Any:
    """numpy-financial, imported on first use: a case evaluation never needs it (CLI start)."""
    import numpy_financial

    return numpy_financial


_SHAPES = "numbers shaped (n_periods,) or (n_scenarios, n_periods)"
# Excel gives up after 20 Newton steps (IRR) or 100 (XIRR); three more steps let our tighter
# tolerance finish every path Excel accepts at its own 1e-7 (IRR) or 1e-8 (XIRR).
_IRR_STEPS = 23
_XIRR_STEPS = 103
# Newton converges quadratically: once a step is this small the rate is exact to ~1e-20.
_STEP_TOL = 1e-10
# Fallback scan over u = log(1 + rate) from -20 to 20 in steps of 0.05 (5% in 1 + rate): rates
# from -1 + 2e-9 to 4.9e8 per period; stretched for XIRR flows less than a year apart.
_SCAN = np.linspace(-20.0, 20.0, 801)
_SCAN_CHUNK = 2048  # scenarios per block of the scan (a block is 2048 x 801 floats)
_REFINE = 100  # Illinois steps at most; it converges superlinearly, in about 10

# Newton step kernel: (scenario rows, rates for those rows) -> (NPV at t=0, its derivative).
_Kernel = Callable[[npt.NDArray[np.intp], FloatArray], tuple[FloatArray, FloatArray]]


def monthly_rate(annual: AnnualRate | ArrayLike) -> MonthlyRate | FloatArray:
    """Monthly rate equivalent to an annual rate: ``(1 + annual) ** (1/12) - 1``.

    Parameters
    ----------
    annual : float or array_like
        Annual rate as a decimal (0.08 for 8%), greater than -1.

    Returns
    -------
    float or ndarray
        The compound-equivalent monthly rate, shaped like ``annual``.

    Notes
    -----
    Computed as ``expm1(log1p(annual) / 12)``, the same number without the rounding of
    ``1 + annual`` for small rates.

    Examples
    --------
    A 10% annual cost of capital discounts each month by about 0.797%:

    >>> round(monthly_rate(0.10), 6)
    0.007974
    """
    r = _rates("annual", annual)
    return float_or_array(np.expm1(np.log1p(r) / 12.0))


def deferral(annual: AnnualRate | ArrayLike, months: int) -> float | FloatArray:
    """The factor that moves a present value ``months`` later: ``(1 + annual) ** (-months / 12)``.

    Discounting month m by ``(1 + monthly_rate(annual)) ** -m``, cash flows that all come
    ``months`` later are worth this factor times their value at their own start (a portfolio's
    function that starts after the programme).

    Parameters
    ----------
    annual : float or array_like
        Annual rate as a decimal, greater than -1.
    months : int
        How many months later.

    Returns
    -------
    float or ndarray
        The factor, shaped like ``annual``.

    Examples
    --------
    >>> round(deferral(0.08, 12), 6), deferral(0.08, 0)
    (0.925926, 1.0)
    """
    r = _rates("annual", annual)
    return float_or_array(np.exp(np.log1p(r) * (-months / 12.0)))


def npv(rate: float | ArrayLike, values: ArrayLike) -> float | FloatArray:
    """Net present value as Excel's NPV: the first value is discounted one full period.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period (> -1), one number or one per scenario.
    values : array_like
        Cash flows at the end of periods 1..n, shaped ``(n_periods,)`` or
        ``(n_scenarios, n_periods)``.

    Returns
    -------
    float or ndarray
        ``sum(values[t-1] / (1 + rate) ** t for t in 1..n)``, per scenario.

    Notes
    -----
    numpy-financial's ``npv`` starts at t = 0; it equals ``(1 + rate) * npv(rate, values)``.
    Excel's convention for a flow that starts today is ``values[0] + npv(rate, values[1:])``.

    Examples
    --------
    Microsoft's NPV example: pay 10,000 in a year, then receive 3,000, 4,200 and 6,800:

    >>> round(npv(0.10, [-10_000, 3_000, 4_200, 6_800]), 2)
    1188.44

    A transition that costs 100, then saves 60 a month for two months, at two discount rates:

    >>> npv([0.05, 0.10], [-100, 60, 60]).round(4)
    array([11.0139,  3.7566])
    """
    v = _values(values)
    r = _rates("rate", rate, max_ndim=1)
    _check_scenarios("rate", r, v)
    t = np.arange(1, v.shape[-1] + 1, dtype=np.float64)
    return float_or_array((v * (1.0 + r[..., None]) ** -t).sum(axis=-1))


def xnpv(rate: float | ArrayLike, values: ArrayLike, dates: ArrayLike) -> float | FloatArray:
    """Net present value of cash flows on dates, as Excel's XNPV (Actual/365 from the first date).

    Parameters
    ----------
    rate : float or array_like
        Annual discount rate (> -1), one number or one per scenario.
    values : array_like
        Cash flows, shaped ``(n_dates,)`` or ``(n_scenarios, n_dates)``.
    dates : sequence
        One date per value, shared by all scenarios: ``datetime.date`` objects, numpy
        ``datetime64`` or Excel serial numbers. Times of day and fractions of serial numbers
        are dropped, as in Excel. No date may precede the first one (Excel's ``#NUM!``).

    Returns
    -------
    float or ndarray
        ``sum(values[i] / (1 + rate) ** ((dates[i] - dates[0]) / 365))``, per scenario.

    Examples
    --------
    Microsoft's XNPV example, discounted at 9%:

    >>> from datetime import date
    >>> flows = [-10_000, 2_750, 4_250, 3_250, 2_750]
    >>> days = [date(2008, 1, 1), date(2008, 3, 1), date(2008, 10, 30),
    ...         date(2009, 2, 15), date(2009, 4, 1)]
    >>> round(xnpv(0.09, flows, days), 2)
    2086.65
    """
    v = _values(values)
    r = _rates("rate", rate, max_ndim=1)
    _check_scenarios("rate", r, v)
    e = _year_fractions(dates, v.shape[-1])
    return float_or_array((v * (1.0 + r[..., None]) ** -e).sum(axis=-1))


def irr(
    values: ArrayLike, *, guess: float | ArrayLike = 0.1, silent: bool = False
) -> float | FloatArray:
    """Internal rate of return per period, as Excel's IRR: the root Newton finds from ``guess``.

    Parameters
    ----------
    values : array_like
        Cash flows at periods 0..n-1, shaped ``(n_periods,)`` or ``(n_scenarios, n_periods)``.
    guess : float or array_like, keyword-only
        Starting rate for Newton's method (Excel's default 0.1), one or one per scenario.
    silent : bool, keyword-only
        Give NaN for a scenario without a solution instead of raising ``NoSolutionError``.

    Returns
    -------
    float or ndarray
        The rate r > -1 with ``sum(values[t] / (1 + r) ** t) == 0``, per scenario (a rate
        closer to -1 than a double can tell, 1e-16, comes back as -1.0).

    Raises
    ------
    NoSolutionError
        A scenario's cash flows never change sign, or no root was found (unless ``silent``).

    Notes
    -----
    Newton's method ``r <- r - f(r) / f'(r)`` from ``guess`` is Excel's and LibreOffice's
    algorithm, with Excel's limit of 20 steps, so flows with several roots give the root the
    spreadsheet gives for the same guess. Where Newton fails (Excel's ``#NUM!``), or steps to a
    rate at or below -1 (as in pyxirr; Excel would go on from there), the rate comes from the
    sign change of the NPV nearest the guess on a scan of rates, refined by regula falsi.
    numpy-financial 1.0.0 instead returns the root nearest zero, whatever the guess.

    Examples
    --------
    Microsoft's IRR example: invest 70,000, earn 12,000 ... 26,000 over five years:

    >>> round(irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 4)
    0.0866

    A flow with roots at 10% and 20%: the guess picks one, as in Excel.

    >>> round(irr([-100, 230, -132], guess=0.05), 6), round(irr([-100, 230, -132], guess=0.3), 6)
    (0.1, 0.2)
    """
    v = _values(values)
    g = _rates("guess", guess, max_ndim=1)
    _check_scenarios("guess", g, v)
    shape = np.broadcast_shapes(g.shape, v.shape[:-1])
    n = v.shape[-1]
    v2 = np.broadcast_to(v, (*shape, n)).reshape(-1, n)
    g2 = np.broadcast_to(g, shape).reshape(-1)
    e = np.arange(n, dtype=np.float64)
    rate = _find_rates(v2, e, _horner_kernel(v2), g2, steps=_IRR_STEPS, silent=silent, name="irr")
    return float_or_array(rate.reshape(shape))


def xirr(
    values: ArrayLike, dates: ArrayLike, *, guess: float | ArrayLike = 0.1, silent: bool = False
) -> float | FloatArray:
    """Annual internal rate of return of cash flows on dates, as Excel's XIRR.

    Parameters
    ----------
    values : array_like
        Cash flows, shaped ``(n_dates,)`` or ``(n_scenarios, n_dates)``.
    dates : sequence
        One date per value, shared by all scenarios (see ``xnpv``); none before the first.
    guess : float or array_like, keyword-only
        Starting rate for Newton's method (Excel's default 0.1), one or one per scenario.
    silent : bool, keyword-only
        Give NaN for a scenario without a solution instead of raising ``NoSolutionError``.

    Returns
    -------
    float or ndarray
        The annual rate r > -1 with ``xnpv(r, values, dates) == 0``, per scenario (a rate
        closer to -1 than a double can tell, 1e-16, comes back as -1.0: annualising a loss of
        90% in a month gives 1 + r = 1e-12).

    Raises
    ------
    NoSolutionError
        A scenario's cash flows never change sign, or no root was found (unless ``silent``).

    Notes
    -----
    Same method as ``irr`` (with Excel's XIRR limit of 100 Newton steps) on
    ``sum(values[i] * (1 + r) ** -((dates[i] - dates[0]) / 365))``.

    Examples
    --------
    Microsoft's XIRR example (Excel shows 0.373362535, within its 1e-8 tolerance):

    >>> from datetime import date
    >>> flows = [-10_000, 2_750, 4_250, 3_250, 2_750]
    >>> days = [date(2008, 1, 1), date(2008, 3, 1), date(2008, 10, 30),
    ...         date(2009, 2, 15), date(2009, 4, 1)]
    >>> round(xirr(flows, days), 6)
    0.373363
    """
    v = _values(values)
    e = _year_fractions(dates, v.shape[-1])
    g = _rates("guess", guess, max_ndim=1)
    _check_scenarios("guess", g, v)
    shape = np.broadcast_shapes(g.shape, v.shape[:-1])
    n = v.shape[-1]
    v2 = np.broadcast_to(v, (*shape, n)).reshape(-1, n)
    g2 = np.broadcast_to(g, shape).reshape(-1)
    kernel = _power_kernel(v2, e)
    rate = _find_rates(v2, e, kernel, g2, steps=_XIRR_STEPS, silent=silent, name="xirr")
    return float_or_array(rate.reshape(shape))


def pmt(
    rate: float | ArrayLike,
    nper: float | ArrayLike,
    pv: float | ArrayLike,
    fv: float | ArrayLike = 0.0,
    *,
    at_beginning: bool = False,
) -> float | FloatArray:
    """Constant payment per period that turns ``pv`` into ``fv``, as Excel's PMT.

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period (> -1); 0 is allowed.
    nper : float or array_like
        Number of payment periods, not 0.
    pv : float or array_like
        Present value (a loan received is positive).
    fv : float or array_like
        Future value after the last payment (Excel's default 0).
    at_beginning : bool, keyword-only
        Payments at the start of each period (Excel's ``type = 1``); default at the end.

    Returns
    -------
    float or ndarray
        The payment, negative when ``pv`` is a loan received; broadcast over the arguments.

    Notes
    -----
    Solves ``pv * (1 + r) ** n + pmt * (1 + r * type) * ((1 + r) ** n - 1) / r + fv = 0``, or
    ``pv + pmt * n + fv = 0`` when r = 0 (Excel's PV documentation). Computed by
    numpy-financial.

    Examples
    --------
    Microsoft's PMT example: 10,000 borrowed at 8% a year, repaid over 10 months:

    >>> round(pmt(0.08 / 12, 10, 10_000), 2)
    -1037.03
    """
    r = _rates("rate", rate)
    n = numbers("nper", nper)
    if np.any(n == 0):
        raise InputError("nper", nper, "a number of periods other than 0 (Excel: #NUM!)")
    p, f = numbers("pv", pv), numbers("fv", fv)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _npf().pmt(r, n, p, f, when=_when(at_beginning))
    return float_or_array(np.asarray(out, dtype=np.float64))


def pv(
    rate: float | ArrayLike,
    nper: float | ArrayLike,
    pmt: float | ArrayLike,
    fv: float | ArrayLike = 0.0,
    *,
    at_beginning: bool = False,
) -> float | FloatArray:
    """Present value of constant payments and a final value, as Excel's PV.

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period (> -1); 0 is allowed.
    nper : float or array_like
        Number of payment periods.
    pmt : float or array_like
        Payment per period (paid out is negative).
    fv : float or array_like
        Future value after the last payment (Excel's default 0).
    at_beginning : bool, keyword-only
        Payments at the start of each period (Excel's ``type = 1``); default at the end.

    Returns
    -------
    float or ndarray
        The present value, broadcast over the arguments.

    Notes
    -----
    Same equation as ``pmt``, solved for ``pv``. Computed by numpy-financial.

    Examples
    --------
    Microsoft's PV example: an annuity paying 500 a month for 20 years, at 8% a year, costs:

    >>> round(pv(0.08 / 12, 12 * 20, 500), 2)
    -59777.15
    """
    r = _rates("rate", rate)
    n, p, f = numbers("nper", nper), numbers("pmt", pmt), numbers("fv", fv)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _npf().pv(r, n, p, f, when=_when(at_beginning))
    return float_or_array(np.asarray(out, dtype=np.float64))


def fv(
    rate: float | ArrayLike,
    nper: float | ArrayLike,
    pmt: float | ArrayLike,
    pv: float | ArrayLike = 0.0,
    *,
    at_beginning: bool = False,
) -> float | FloatArray:
    """Future value of a present value and constant payments, as Excel's FV.

    Parameters
    ----------
    rate : float or array_like
        Interest rate per period (> -1); 0 is allowed.
    nper : float or array_like
        Number of payment periods.
    pmt : float or array_like
        Payment per period (paid out is negative).
    pv : float or array_like
        Present value (Excel's default 0).
    at_beginning : bool, keyword-only
        Payments at the start of each period (Excel's ``type = 1``); default at the end.

    Returns
    -------
    float or ndarray
        The future value, broadcast over the arguments.

    Notes
    -----
    Same equation as ``pmt``, solved for ``fv``. Computed by numpy-financial.

    Examples
    --------
    Microsoft's FV example: save 1,000 a month for 12 months at 12% a year:

    >>> round(fv(0.12 / 12, 12, -1_000), 2)
    12682.5
    """
    r = _rates("rate", rate)
    n, p, v = numbers("nper", nper), numbers("pmt", pmt), numbers("pv", pv)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _npf().fv(r, n, p, v, when=_when(at_beginning))
    return float_or_array(np.asarray(out, dtype=np.float64))


# --- conversions -------------------------------------------------------------------------


def _when(at_beginning: bool) -> str:
    return "begin" if at_beginning else "end"


def _rates(name: str, x: ArrayLike, *, max_ndim: int | None = None) -> FloatArray:
    arr = numbers(name, x, RATE)
    if max_ndim is not None and arr.ndim > max_ndim:
        raise InputError(name, x, "a number or one number per scenario")
    return arr


def _values(values: ArrayLike) -> FloatArray:
    arr = numbers("values", values)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise InputError("values", values, "non-empty " + _SHAPES)
    return arr


def _check_scenarios(name: str, per: FloatArray, values: FloatArray) -> None:
    if per.ndim == 1 and values.ndim == 2 and per.shape[0] != values.shape[0]:
        raise InputError(name, per, f"a number or one per scenario ({values.shape[0]})")


def _year_fractions(dates: ArrayLike, n: int) -> FloatArray:
    """(dates - dates[0]) / 365 in whole days; dates may be date objects, datetime64 or serials."""
    allowed = "dates (datetime.date, numpy datetime64 or Excel serial numbers)"
    arr = np.asarray(dates)
    if arr.ndim != 1:
        raise InputError("dates", dates, "a one-dimensional sequence of " + allowed)
    if arr.shape[0] != n:
        raise InputError("dates", f"{arr.shape[0]} dates", f"one date per value ({n} values)")
    if arr.dtype.kind == "O" and all(isinstance(d, dt.date | np.datetime64) for d in arr):
        arr = np.array(arr.tolist(), dtype="datetime64[D]")
    if arr.dtype.kind == "M":
        if np.isnat(arr).any():
            raise InputError("dates", dates, "valid " + allowed)
        days = arr.astype("datetime64[D]").astype(np.int64).astype(np.float64)
    elif arr.dtype.kind in "iuf":
        days = np.trunc(numbers("dates", arr))  # Excel truncates serial numbers
    else:
        raise InputError("dates", dates, allowed)
    early = np.flatnonzero(days < days[0])
    if early.size:
        i = int(early[0])
        given = np.asarray(dates)
        raise InputError(f"dates[{i}]", given[i], f"on or after the first date ({given[0]})")
    fractions: FloatArray = (days - days[0]) / 365.0
    return fractions


# --- root finding ------------------------------------------------------------------------


def _horner_kernel(values: FloatArray) -> _Kernel:
    """NPV at t = 0 and its derivative for integer periods, by Horner's rule in 1 / (1 + r)."""
    by_period = np.ascontiguousarray(values.T)

    def kernel(rows: npt.NDArray[np.intp], x: FloatArray) -> tuple[FloatArray, FloatArray]:
        z = 1.0 / (1.0 + x)
        sweep = 2 * rows.size > by_period.shape[1]  # sweeping all rows beats gathering most
        if sweep:
            vt, z_rows, z = by_period, z, np.zeros(by_period.shape[1])
            z[rows] = z_rows
        else:
            vt = np.take(by_period, rows, axis=1)
        f = vt[-1].copy()
        dfdz = np.zeros_like(z)
        for k in range(vt.shape[0] - 2, -1, -1):
            dfdz = dfdz * z + f
            f = f * z + vt[k]
        if sweep:
            f, dfdz, z = f[rows], dfdz[rows], z[rows]
        return f, -dfdz * z * z

    return kernel


def _power_kernel(values: FloatArray, e: FloatArray) -> _Kernel:
    """NPV at t = 0 and its derivative for fractional periods ``e`` (XIRR's year fractions)."""

    def kernel(rows: npt.NDArray[np.intp], x: FloatArray) -> tuple[FloatArray, FloatArray]:
        terms = values[rows] * np.exp(-np.log1p(x)[:, None] * e)
        return terms.sum(axis=1), -(terms @ e) / (1.0 + x)

    return kernel


def _find_rates(
    values: FloatArray,
    e: FloatArray,
    newton: _Kernel,
    guess: FloatArray,
    *,
    steps: int,
    silent: bool,
    name: str,
) -> FloatArray:
    """Roots of sum(values * (1 + r) ** -e) per row: Newton from the guess, then a scan."""
    rate = np.full(values.shape[0], np.nan)
    signed = np.any(values > 0, axis=1) & np.any(values < 0, axis=1)
    x = guess.copy()
    active = np.flatnonzero(signed)
    # Overflow and 0/0 mark a failed Newton path; the scan below takes over.
    with np.errstate(all="ignore"):
        for _ in range(steps):
            if active.size == 0:
                break
            f, df = newton(active, x[active])
            step = np.where(f == 0.0, 0.0, f / df)
            new = x[active] - step
            x[active] = new
            done = np.abs(step) <= _STEP_TOL * (1.0 + np.abs(new))
            # A step to a rate <= -1 fails, as in pyxirr (Excel's IRR would go on from there).
            alive = np.isfinite(new) & (new > -1.0)
            rate[active[done & alive]] = new[done & alive]
            active = active[~done & alive]
        lost = np.flatnonzero(signed & np.isnan(rate))
        if lost.size:
            rate[lost] = _scan_and_refine(values[lost], e, guess[lost])
    failed = np.flatnonzero(np.isnan(rate))
    if failed.size and not silent:
        i = int(failed[0])
        where = f" for scenario {i}" if values.shape[0] > 1 else ""
        if failed.size > 1:
            where += f" (and {failed.size - 1} more)"
        if not signed[i]:
            why = "the cash flows never change sign (it needs a negative and a positive value)"
        else:
            why = (
                f"Newton's method from guess {guess[i]:g} did not converge and no rate between "
                f"-1 and {np.expm1(_scan_grid(e)[-1]):.3g} makes the NPV change sign"
            )
        raise NoSolutionError(f"{name} has no solution{where}: {why}")
    return rate


def _powers(e: FloatArray, u: FloatArray) -> FloatArray:
    """(1 + r) ** -e at r = expm1(u), times a positive factor per u that keeps every power <= 1.

    The factor is 1 at u = 0 and continuous, so the scaled NPV keeps the roots and signs of
    the NPV and cannot overflow near r = -1.
    """
    shift = np.where(u < 0.0, e.max(), 0.0)
    out: FloatArray = np.exp(-u[..., None] * (e - shift[..., None]))
    return out


def _scaled_npv(values: FloatArray, e: FloatArray) -> Callable[[FloatArray], FloatArray]:
    """u -> NPV at r = expm1(u) per row of values, scaled as in _powers."""
    if not np.array_equal(e, np.arange(e.size)):
        return lambda u: np.einsum("ij,ij->i", values, _powers(e, u))
    by_period = np.ascontiguousarray(values.T)
    n = e.size

    def horner(u: FloatArray) -> FloatArray:
        # A polynomial in 1 / (1 + r) for u >= 0, in 1 + r (coefficients reversed) for u < 0.
        low = u < 0.0
        base = np.exp(-np.abs(u))
        f: FloatArray = np.where(low, by_period[0], by_period[-1])
        for k in range(1, n):
            f = f * base + np.where(low, by_period[k], by_period[n - 1 - k])
        return f

    return horner


def _scan_grid(e: FloatArray) -> FloatArray:
    """The _SCAN grid in u = log(1 + r), stretched when flows are less than a period apart.

    XIRR counts periods in years: over a month, e^20 growth is an annual u of 240.
    """
    # the gaps between distinct times (np.unique would import numpy.ma: ~50 ms of CLI start)
    steps = np.diff(np.sort(e, axis=None))
    gaps = steps[steps != 0.0]  # NaN stays, as np.unique keeps one: the grid is then _SCAN
    gap = float(gaps.min()) if gaps.size else 1.0
    return _SCAN * min(1.0 / gap, 700.0 / _SCAN[-1]) if gap < 1.0 else _SCAN


def _scan_and_refine(values: FloatArray, e: FloatArray, guess: FloatArray) -> FloatArray:
    """Root in the sign change of the NPV nearest the guess on the scan grid, or NaN.

    The bracket is refined by the Illinois variant of regula falsi on u = log(1 + r).
    """
    u = _scan_grid(e)
    x = np.expm1(u)
    powers = _powers(e, u).T
    a = np.empty(values.shape[0])
    found = np.zeros(values.shape[0], dtype=bool)
    cells = np.arange(u.size - 1)
    for start in range(0, values.shape[0], _SCAN_CHUNK):
        block = slice(start, start + _SCAN_CHUNK)
        positive = values[block] @ powers > 0.0
        change = positive[:, :-1] != positive[:, 1:]
        g = guess[block]
        rows = np.arange(g.size)
        at = (np.searchsorted(x, g, side="right") - 1)[:, None]  # the cell holding the guess
        right, left = change & (cells >= at), change & (cells < at)
        jr = np.argmax(right, axis=1)
        jl = cells[-1] - np.argmax(left[:, ::-1], axis=1)
        has_r, has_l = right[rows, jr], left[rows, jl]
        take_r = has_r & (~has_l | (x[jr] - g <= g - x[jl + 1]))
        a[block] = u[np.where(take_r, jr, jl)]
        found[block] = has_r | has_l
    b = a + (u[1] - u[0])
    npv_at = _scaled_npv(values, e)
    fa, fb = npv_at(a), npv_at(b)
    for _ in range(_REFINE):
        c = np.where(fb == fa, b, b - fb * (b - a) / (fb - fa))
        fc = npv_at(c)
        flip = fc * fb < 0.0
        a, fa = np.where(flip, b, a), np.where(flip, fb, 0.5 * fa)
        b, fb = c, fc
        if np.all((np.abs(b - a) <= 1e-15 * (1.0 + np.abs(b))) | (fb == 0.0) | ~found):
            break
    return np.where(found, np.expm1(b), np.nan)
