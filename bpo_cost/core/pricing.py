"""Contracted pricing: what a BPO invoice says, as vectorised formulas.

Every function broadcasts over numpy arrays (a leading scenario axis, a month axis, or both) and
returns a float for scalar input. Fees are positive amounts the client pays; a service credit is
returned as a positive amount that the engine subtracts. Formulas follow the contract clauses of
``docs/methodology.md#pricing`` and ``docs/methodology.md#clauses`` (volume bands, minimum
commitments, volume collars, outcome pricing, gainshare, credits, COLA).

Volume bands are the case's ``tiers`` (``up_to`` and ``price`` per band); a location's ``tier``
(onshore, nearshore, offshore) is the delivery tier, unrelated.

Each ``*_unchecked`` function is the formula of its checked namesake without the argument
checks, with positional arguments: the engine calls them on arrays of a validated case
(checking every (scenarios, months) array again cost a quarter of a Monte Carlo run).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np

from .._types import ArrayLike, FloatArray
from ..errors import InputError
from .arguments import (
    ANY,
    NONNEGATIVE,
    POSITIVE,
    RATE,
    SHARE,
    SHARE_BELOW_ONE,
    Range,
    checker,
    choice,
    float_or_array,
    number,
    numbers,
    plain_numbers,
)
from .workspace import into, op, scratch, zeros

__all__ = [
    "TIER_MODES",
    "TierMode",
    "collar_fee",
    "collar_fee_unchecked",
    "contract_year",
    "escalation_index",
    "gainshare",
    "gainshare_unchecked",
    "hourly_fee",
    "kpi_adjustment",
    "kpi_adjustment_unchecked",
    "outcome_fee",
    "outcome_fee_unchecked",
    "service_credit",
    "service_credit_unchecked",
    "tiered_fee",
    "tiered_fee_unchecked",
]

TierMode = Literal["all_units", "incremental"]
TIER_MODES: tuple[TierMode, ...] = get_args(TierMode)

_NO_CAP = Range(low=0.0, infinite="no cap")


def contract_year(month: ArrayLike) -> FloatArray:
    """Contract year index of a month: 0 for months 1–12, 1 for months 13–24, …"""
    return np.floor((np.asarray(month, dtype=float) - 1.0) / 12.0)


def hourly_fee(billed_units: ArrayLike, rate: ArrayLike, *, minimum_billed: ArrayLike = 0.0) -> Any:
    """Fee for billed hours or FTE-months: ``rate × max(billed_units, minimum_billed)``.

    Parameters
    ----------
    billed_units : productive hours worked in the period, or FTE for an FTE-month rate.
    rate : price per billed unit (hour or FTE-month).
    minimum_billed : contracted minimum of billed units in any period.

    Examples
    --------
    >>> hourly_fee(1500, 12.5, minimum_billed=1600)
    20000.0
    """
    check = checker(billed_units, rate, minimum_billed)
    u = check("billed_units", billed_units, NONNEGATIVE)
    r = check("rate", rate, NONNEGATIVE)
    m = check("minimum_billed", minimum_billed, NONNEGATIVE)
    return float_or_array(np.asarray(r * np.maximum(u, m)))


def tiered_fee(
    volume: ArrayLike,
    up_to: Sequence[float],
    prices: Sequence[float] | FloatArray,
    *,
    tier_mode: TierMode = "all_units",
    minimum_volume: ArrayLike = 0.0,
) -> Any:
    """Per-transaction fee under volume bands (the case's ``tiers``) and a minimum commitment.

    Parameters
    ----------
    volume : transactions in the period.
    up_to : upper volume of every band but the last (open-ended), strictly increasing.
    prices : price per transaction in each band (``len(up_to) + 1`` values, last axis).
    tier_mode : ``"all_units"``: the whole volume at the price of the band it falls in;
        ``"incremental"``: each band's units at that band's price (marginal bands).
    minimum_volume : billed volume is ``max(volume, minimum_volume)``.

    Notes
    -----
    all-units: fee = V·p_k where b_{k-1} < V <= b_k;
    incremental: fee = Σ_k p_k·clip(V − b_{k-1}, 0, b_k − b_{k-1}).

    Examples
    --------
    >>> tiered_fee(15000, [10000], [2.0, 1.5])              # all units at 1.50
    22500.0
    >>> tiered_fee(15000, [10000], [2.0, 1.5], tier_mode="incremental")
    27500.0
    """
    check = checker(volume, minimum_volume)
    billed, minimum = (
        check("volume", volume, NONNEGATIVE),
        check("minimum_volume", minimum_volume, NONNEGATIVE),
    )
    if check is number and _plain_bands(up_to, prices) and tier_mode in TIER_MODES:
        # np.maximum's choice on a tie (the second: +0.0 over -0.0), on floats
        v = billed if billed > minimum else minimum
        return _tiered_fee_scalar(v, up_to, prices, tier_mode)  # type: ignore[arg-type]
    v = np.maximum(billed, minimum)
    b = numbers("up_to", up_to, POSITIVE)
    if b.ndim != 1:
        raise InputError("up_to", up_to, "a list of numbers > 0 (one per band but the last)")
    if np.any(np.diff(b) <= 0):
        raise InputError("up_to", b.tolist(), "numbers > 0 in strictly increasing order")
    p = numbers("prices", prices, NONNEGATIVE)
    given = p.shape[-1] if p.ndim else 1
    if given != b.size + 1:
        raise InputError("prices", given, f"one price per band: {b.size + 1}, one more than up_to")
    mode = choice("tier_mode", tier_mode, TIER_MODES)
    return float_or_array(tiered_fee_unchecked(v, b, p, mode))


def _plain_bands(up_to: Any, prices: Any) -> bool:
    """Whether bands are lists of allowed plain numbers, in order (`tiered_fee`'s checks)."""
    return (
        isinstance(up_to, (list, tuple))
        and isinstance(prices, (list, tuple))
        and len(prices) == len(up_to) + 1
        and plain_numbers(*up_to, *prices)
        and all(POSITIVE.holds(x) for x in up_to)
        and all(x < y for x, y in itertools.pairwise(up_to))
        and all(NONNEGATIVE.holds(x) for x in prices)
    )


def _tiered_fee_scalar(
    volume: float, up_to: Sequence[float], prices: Sequence[float], tier_mode: TierMode
) -> float:
    """`tiered_fee_unchecked` of one billed volume and plain band lists, on floats.

    Each product is the IEEE product the array path computes; the incremental sum is taken by
    numpy over an array of the same length, so it adds in the same order.
    """
    b, p = [float(x) for x in up_to], [float(x) for x in prices]
    if tier_mode == "all_units":
        return volume * p[sum(volume > bound for bound in b)]
    lower, upper = [0.0, *b], [*b, math.inf]
    units = [min(max(volume - lo, 0.0), hi - lo) for lo, hi in zip(lower, upper, strict=True)]
    return float(np.add.reduce(np.array([u * q for u, q in zip(units, p, strict=True)])))


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
    check = checker(volume, base_fee, baseline_volume, dead_band, arc, rrc)
    return float_or_array(
        collar_fee_unchecked(
            check("volume", volume, NONNEGATIVE),
            check("base_fee", base_fee, NONNEGATIVE),
            check("baseline_volume", baseline_volume, POSITIVE),
            check("dead_band", dead_band, SHARE_BELOW_ONE),
            check("arc", arc, NONNEGATIVE),
            check("rrc", rrc, NONNEGATIVE),
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
    check = checker(volume, price_per_outcome, outcome_rate, base_fee)
    return float_or_array(
        outcome_fee_unchecked(
            check("volume", volume, NONNEGATIVE),
            check("price_per_outcome", price_per_outcome, NONNEGATIVE),
            check("outcome_rate", outcome_rate, SHARE),
            check("base_fee", base_fee, NONNEGATIVE),
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
    check = checker(baseline_cost, actual_cost, share, cap)
    return float_or_array(
        gainshare_unchecked(
            check("baseline_cost", baseline_cost, NONNEGATIVE),
            check("actual_cost", actual_cost, NONNEGATIVE),
            check("share", share, SHARE),
            check("cap", cap, _NO_CAP),
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
    return float_or_array(
        kpi_adjustment_unchecked(
            numbers("fee", fee, ANY),
            numbers("expected", expected, ANY),
            numbers("target", target, ANY),
            numbers("per_point", per_point, NONNEGATIVE),
            numbers("cap", cap, _NO_CAP),
        )
    )


def service_credit(
    invoice: ArrayLike, *, at_risk_share: ArrayLike, expected_breach_share: ArrayLike
) -> Any:
    """Expected service credit (a positive amount the client does not pay).

    Notes
    -----
    credit = at-risk % × monthly invoice × expected share of the at-risk pool paid out, which
    never exceeds the at-risk amount (at-risk usually 10–12 %, Alsbridge; see
    ``docs/methodology.md#clauses``).

    Examples
    --------
    >>> service_credit(100000, at_risk_share=0.1, expected_breach_share=0.25)
    2500.0
    """
    check = checker(invoice, at_risk_share, expected_breach_share)
    return float_or_array(
        service_credit_unchecked(
            check("invoice", invoice, NONNEGATIVE),
            check("at_risk_share", at_risk_share, SHARE),
            check("expected_breach_share", expected_breach_share, SHARE),
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
    check = checker(cola_per_year, cap_per_year, productivity_per_year)
    cola = np.minimum(
        check("cola_per_year", cola_per_year, RATE),
        check("cap_per_year", cap_per_year, _NO_CAP),
    )
    p = check("productivity_per_year", productivity_per_year, SHARE_BELOW_ONE)
    # np.power, not **: numpy's scalar ** (C pow) may round the last bit unlike the array power
    return float_or_array(np.asarray(np.power(1.0 + cola, y) * np.power(1.0 - p, y)))


# The formulas, unchecked (see the module docstring): the functions above check their arguments
# and call these; the engine calls them directly on a validated case.


def tiered_fee_unchecked(
    volume: FloatArray, up_to: FloatArray, prices: FloatArray, tier_mode: TierMode
) -> FloatArray:
    """`tiered_fee` of billed volumes without argument checks, positional.

    ``prices`` holds the band prices on its last axis (one list, or one per scenario).
    """
    v, b, p = volume, up_to, prices
    if tier_mode == "incremental":
        lower = np.concatenate(([0.0], b))
        upper = np.concatenate((b, [np.inf]))
        units = op(np.subtract, np.asarray(v)[..., None], lower)
        units = into(units, np.clip, units, 0.0, upper - lower)
        units = into(units, np.multiply, units, p)
        return np.asarray(np.sum(units, axis=-1, out=scratch(shape=units.shape[:-1])))
    # the band: how many bounds lie below V (V == bound stays in the lower band), counted with
    # comparisons, which is several times faster than searchsorted over a month grid
    band = zeros(np.shape(v), dtype=np.intp)
    for bound in b:
        band += v > bound
    if p.ndim == 1 or p.shape[:-1] == (1,) * (p.ndim - 1):  # one price list for every scenario
        # band is in [0, len(b)]: "clip" changes no index, and spares take a buffered copy
        price = np.take(p.reshape(-1), band, out=scratch(band), mode="clip")
        return np.asarray(into(price, np.multiply, v, price), dtype=float)
    price = np.take_along_axis(
        np.broadcast_to(p, np.broadcast_shapes(p.shape, (*np.shape(v), p.shape[-1]))),
        np.asarray(band)[..., None],
        axis=-1,
    )[..., 0]
    return np.asarray(v * price, dtype=float)


def collar_fee_unchecked(
    volume: FloatArray,
    base_fee: FloatArray,
    baseline_volume: FloatArray,
    dead_band: FloatArray,
    arc: FloatArray,
    rrc: FloatArray,
) -> FloatArray:
    """`collar_fee` without argument checks, positional."""
    # each grid made once, then worked in place: the same operations in the same order
    up = op(np.subtract, volume, baseline_volume * (1.0 + dead_band))
    up = into(up, np.multiply, arc, into(up, np.maximum, 0.0, up))
    down = op(np.subtract, baseline_volume * (1.0 - dead_band), volume)
    down = into(down, np.multiply, rrc, into(down, np.maximum, 0.0, down))
    fee = into(up, np.subtract, into(up, np.add, base_fee, up), down)
    return np.asarray(fee, dtype=float)


def outcome_fee_unchecked(
    volume: FloatArray,
    price_per_outcome: FloatArray,
    outcome_rate: FloatArray,
    base_fee: FloatArray,
) -> FloatArray:
    """`outcome_fee` without argument checks, positional."""
    fee = op(np.multiply, price_per_outcome, volume)
    fee = into(fee, np.multiply, fee, outcome_rate)
    return np.asarray(into(fee, np.add, base_fee, fee), dtype=float)


def gainshare_unchecked(
    baseline_cost: FloatArray,
    actual_cost: FloatArray,
    share: FloatArray,
    cap: FloatArray,
    painshare: bool,
) -> FloatArray:
    """`gainshare` without argument checks, positional."""
    diff = op(np.subtract, baseline_cost, actual_cost)
    gain = op(np.maximum, diff, 0.0)
    gain = into(gain, np.minimum, into(gain, np.multiply, share, gain), cap)
    if painshare:
        pain = into(diff, np.maximum, into(diff, np.negative, diff), 0.0)
        pain = into(pain, np.minimum, into(pain, np.multiply, share, pain), cap)
        gain = into(gain, np.subtract, gain, pain)
    return np.asarray(gain, dtype=float)


def kpi_adjustment_unchecked(
    fee: FloatArray,
    expected: FloatArray,
    target: FloatArray,
    per_point: FloatArray,
    cap: FloatArray,
) -> FloatArray:
    """`kpi_adjustment` without argument checks, positional."""
    return np.asarray(
        op(np.multiply, fee, np.clip((expected - target) * per_point, -cap, cap)), dtype=float
    )


def service_credit_unchecked(
    invoice: FloatArray, at_risk_share: FloatArray, expected_breach_share: FloatArray
) -> FloatArray:
    """`service_credit` without argument checks, positional."""
    return np.asarray(op(np.multiply, invoice, at_risk_share * expected_breach_share), dtype=float)
