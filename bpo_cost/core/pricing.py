"""Contracted pricing: what a BPO invoice says, as vectorised formulas.

Every function broadcasts over numpy arrays (a leading scenario axis, a month axis, or both) and
returns a float for scalar input. Fees are positive amounts the client pays; a service credit is
returned as a positive amount that the engine subtracts. Formulas follow the contract clauses in
``docs/methodology.md#pricing`` and ``docs/methodology.md#clauses`` (tiers, minimum commitments,
volume collars, outcome pricing, gainshare, credits, COLA).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from .._types import ArrayLike, FloatArray
from ..errors import InputError

__all__ = [
    "TierMode",
    "collar_fee",
    "contract_year",
    "escalation_index",
    "gainshare",
    "hourly_fee",
    "kpi_adjustment",
    "outcome_fee",
    "service_credit",
    "tiered_fee",
]

TierMode = Literal["all_units", "incremental"]


def _out(x: FloatArray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def _f(
    name: str,
    value: ArrayLike,
    *,
    low: float | None = 0.0,
    high: float | None = None,
    allowed: str = "a number >= 0",
) -> FloatArray:
    arr = np.asarray(value, dtype=float)
    bad = np.isnan(arr)
    if low is not None:
        bad |= arr < low
    if high is not None:
        bad |= arr > high
    if np.any(bad):
        raise InputError(name, float(arr[bad].flat[0]), allowed)
    return arr


def contract_year(month: ArrayLike) -> FloatArray:
    """Contract year index of a month: 0 for months 1–12, 1 for months 13–24, …"""
    return np.floor((np.asarray(month, dtype=float) - 1.0) / 12.0)


def hourly_fee(hours: ArrayLike, rate: ArrayLike, *, minimum_hours: ArrayLike = 0.0) -> Any:
    """Fee for billed hours: ``rate × max(hours, minimum_hours)``.

    Parameters
    ----------
    hours : productive hours worked in the period.
    rate : price per billed hour (or per FTE-month when ``hours`` counts FTE).
    minimum_hours : contracted minimum billed in any period.

    Examples
    --------
    >>> hourly_fee(1500, 12.5, minimum_hours=1600)
    20000.0
    """
    h = _f("hours", hours)
    r = _f("rate", rate)
    m = _f("minimum_hours", minimum_hours)
    return _out(r * np.maximum(h, m))


def tiered_fee(
    volume: ArrayLike,
    bounds: Sequence[float],
    prices: Sequence[float] | FloatArray,
    *,
    mode: TierMode = "all_units",
    minimum_volume: ArrayLike = 0.0,
) -> Any:
    """Per-transaction fee under volume tiers and a minimum commitment.

    Parameters
    ----------
    volume : transactions in the period.
    bounds : upper volume bound of every tier but the last, strictly increasing.
    prices : price per transaction in each tier (``len(bounds) + 1`` values, last axis).
    mode : ``"all_units"``: the whole volume at the price of the band it falls in;
        ``"incremental"``: each band's units at that band's price (marginal tiers).
    minimum_volume : billed volume is ``max(volume, minimum_volume)``.

    Notes
    -----
    all-units: fee = V·p_k where b_{k-1} < V <= b_k;
    incremental: fee = Σ_k p_k·clip(V − b_{k-1}, 0, b_k − b_{k-1}).

    Examples
    --------
    >>> tiered_fee(15000, [10000], [2.0, 1.5])              # all units at 1.50
    22500.0
    >>> tiered_fee(15000, [10000], [2.0, 1.5], mode="incremental")
    27500.0
    """
    v = np.maximum(_f("volume", volume), _f("minimum_volume", minimum_volume))
    b = np.asarray(bounds, dtype=float)
    p = np.asarray(prices, dtype=float)
    if b.ndim != 1 or p.shape[-1] != b.size + 1:
        raise InputError("prices", p.shape[-1], f"one price more than bounds ({b.size + 1})")
    if b.size and (np.any(np.diff(b) <= 0) or b[0] <= 0):
        raise InputError("bounds", b.tolist(), "positive and strictly increasing")
    if np.any(np.isnan(p)) or np.any(p < 0):
        raise InputError("prices", p.tolist(), "numbers >= 0")
    if mode not in ("all_units", "incremental"):
        raise InputError("mode", mode, "'all_units' or 'incremental'")
    return _out(_tiered_fee(v, b, p, mode))


def collar_fee(
    volume: ArrayLike,
    *,
    base_fee: ArrayLike,
    baseline_volume: ArrayLike,
    dead_band: ArrayLike,
    arc: ArrayLike,
    rrc: ArrayLike,
) -> Any:
    """Anchored (collar) pricing: a fixed fee for the baseline, ARC/RRC outside a dead band.

    Notes
    -----
    fee = base + ARC·max(0, V − B(1+d)) − RRC·max(0, B(1−d) − V)

    Examples
    --------
    >>> collar_fee(12000, base_fee=50000, baseline_volume=10000, dead_band=0.1, arc=4, rrc=3)
    54000.0
    >>> collar_fee(8000, base_fee=50000, baseline_volume=10000, dead_band=0.1, arc=4, rrc=3)
    47000.0
    """
    return _out(
        _collar_fee(
            _f("volume", volume),
            _f("base_fee", base_fee),
            _f("baseline_volume", baseline_volume),
            _f("dead_band", dead_band, high=1.0 - 1e-12, allowed="in [0, 1)"),
            _f("arc", arc),
            _f("rrc", rrc),
        )
    )


def outcome_fee(
    volume: ArrayLike,
    *,
    price_per_outcome: ArrayLike,
    outcome_rate: ArrayLike,
    base_fee: ArrayLike = 0.0,
) -> Any:
    """Outcome-based fee: ``base_fee + price_per_outcome × volume × outcome_rate``.

    Examples
    --------
    >>> outcome_fee(2000, price_per_outcome=25.0, outcome_rate=0.8, base_fee=5000)
    45000.0
    """
    return _out(
        _outcome_fee(
            _f("volume", volume),
            _f("price_per_outcome", price_per_outcome),
            _f("outcome_rate", outcome_rate, high=1.0, allowed="in [0, 1]"),
            _f("base_fee", base_fee),
        )
    )


def gainshare(
    baseline_cost: ArrayLike,
    actual_cost: ArrayLike,
    *,
    share: ArrayLike,
    cap: ArrayLike = np.inf,
    painshare: bool = False,
) -> Any:
    """Vendor's share of savings against a baseline, capped; negative with painshare on overruns.

    Notes
    -----
    gain = s·max(0, baseline − actual), at most cap; with painshare the vendor also refunds
    s·max(0, actual − baseline), at most cap.

    Examples
    --------
    >>> gainshare(100000, 80000, share=0.5, cap=8000)
    8000.0
    >>> gainshare(100000, 110000, share=0.5, painshare=True)
    -5000.0
    """
    return _out(
        _gainshare(
            _f("baseline_cost", baseline_cost),
            _f("actual_cost", actual_cost),
            _f("share", share, high=1.0, allowed="in [0, 1]"),
            _f("cap", cap),
            painshare,
        )
    )


def kpi_adjustment(
    fee: ArrayLike,
    *,
    expected: ArrayLike,
    target: ArrayLike,
    per_point: ArrayLike,
    cap: ArrayLike,
) -> Any:
    """KPI bonus (+) or malus (−): ``fee × clip((expected − target)·per_point, ±cap)``.

    ``per_point`` is the share of the fee earned per unit of KPI above target (KPI in decimals,
    so 0.01 is one percentage point).

    Examples
    --------
    >>> round(kpi_adjustment(100000, expected=0.92, target=0.90, per_point=1.0, cap=0.05), 6)
    2000.0
    """
    return _out(
        _kpi_adjustment(
            _f("fee", fee, low=None, allowed="a number"),
            _f("expected", expected, low=None, allowed="a number"),
            _f("target", target, low=None, allowed="a number"),
            _f("per_point", per_point),
            _f("cap", cap),
        )
    )


def service_credit(
    invoice: ArrayLike, *, at_risk_share: ArrayLike, expected_breach_share: ArrayLike
) -> Any:
    """Expected service credit (a positive amount the client does not pay).

    Notes
    -----
    credit = at-risk % × monthly invoice × expected share of the at-risk pool paid out, which
    never exceeds the at-risk amount (Alsbridge: at-risk usually 10–12 %; see
    ``docs/methodology.md#clauses``).

    Examples
    --------
    >>> service_credit(100000, at_risk_share=0.1, expected_breach_share=0.25)
    2500.0
    """
    return _out(
        _service_credit(
            _f("invoice", invoice),
            _f("at_risk_share", at_risk_share, high=1.0, allowed="in [0, 1]"),
            _f("expected_breach_share", expected_breach_share, high=1.0, allowed="in [0, 1]"),
        )
    )


def escalation_index(
    month: ArrayLike,
    *,
    cola_per_year: ArrayLike = 0.0,
    cap_per_year: ArrayLike = np.inf,
    productivity_per_year: ArrayLike = 0.0,
) -> Any:
    """Price multiplier in a month: COLA (capped) and a productivity commitment, stepped yearly.

    Notes
    -----
    index = (1 + min(cola, cap))^y · (1 − p)^y with y the contract year (0 in months 1–12).

    Examples
    --------
    >>> round(escalation_index(13, cola_per_year=0.05, cap_per_year=0.035), 6)
    1.035
    >>> round(escalation_index(25, cola_per_year=0.03, productivity_per_year=0.02), 6)
    1.018888
    """
    y = contract_year(month)
    cola = np.minimum(
        _f("cola_per_year", cola_per_year, low=-1.0 + 1e-12, allowed="a decimal > -1"),
        _f("cap_per_year", cap_per_year, allowed="a decimal >= 0 (or no cap)"),
    )
    p = _f("productivity_per_year", productivity_per_year, high=1.0 - 1e-12, allowed="in [0, 1)")
    return _out((1.0 + cola) ** y * (1.0 - p) ** y)


# The formulas, unchecked: the public functions above check their arguments, the engine calls
# these directly on a validated case (checking every (scenarios, months) array again cost a
# quarter of a Monte Carlo run).


def _tiered_fee(v: FloatArray, b: FloatArray, p: FloatArray, mode: TierMode) -> FloatArray:
    """Tiered fee of billed volumes ``v``; ``p`` holds the tier prices on its last axis."""
    if mode == "incremental":
        lower = np.concatenate(([0.0], b))
        upper = np.concatenate((b, [np.inf]))
        units = np.clip(np.asarray(v)[..., None] - lower, 0.0, upper - lower)
        return np.asarray(np.sum(units * p, axis=-1), dtype=float)
    # the band: how many bounds lie below V (V == bound stays in the lower band), counted with
    # comparisons, which is several times faster than searchsorted over a month grid
    band = np.zeros(np.shape(v), dtype=np.intp)
    for bound in b:
        band += v > bound
    if p.ndim == 1 or p.shape[:-1] == (1,) * (p.ndim - 1):  # one price list for every scenario
        return np.asarray(v * p.reshape(-1)[band], dtype=float)
    price = np.take_along_axis(
        np.broadcast_to(p, np.broadcast_shapes(p.shape, (*np.shape(v), p.shape[-1]))),
        np.asarray(band)[..., None],
        axis=-1,
    )[..., 0]
    return np.asarray(v * price, dtype=float)


def _collar_fee(
    v: FloatArray,
    base: FloatArray,
    bl: FloatArray,
    d: FloatArray,
    arc: FloatArray,
    rrc: FloatArray,
) -> FloatArray:
    up = arc * np.maximum(0.0, v - bl * (1.0 + d))
    down = rrc * np.maximum(0.0, bl * (1.0 - d) - v)
    return np.asarray(base + up - down, dtype=float)


def _outcome_fee(
    v: FloatArray, price_per_outcome: FloatArray, rate: FloatArray, base_fee: FloatArray
) -> FloatArray:
    return np.asarray(base_fee + price_per_outcome * v * rate, dtype=float)


def _gainshare(
    baseline: FloatArray, actual: FloatArray, s: FloatArray, cap: FloatArray, painshare: bool
) -> FloatArray:
    diff = baseline - actual
    gain = np.minimum(s * np.maximum(diff, 0.0), cap)
    if painshare:
        gain = gain - np.minimum(s * np.maximum(-diff, 0.0), cap)
    return np.asarray(gain, dtype=float)


def _kpi_adjustment(
    fee: FloatArray,
    expected: FloatArray,
    target: FloatArray,
    per_point: FloatArray,
    cap: FloatArray,
) -> FloatArray:
    return np.asarray(fee * np.clip((expected - target) * per_point, -cap, cap), dtype=float)


def _service_credit(invoice: FloatArray, at_risk: FloatArray, breach: FloatArray) -> FloatArray:
    return np.asarray(invoice * (at_risk * breach), dtype=float)
