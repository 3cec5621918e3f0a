"""What the vendor invoices under each pricing model, month by month.

Components (per month, case currency):

- ``vendor.fees``: the contracted charge (hours/FTE × rate, transactions × price with tiers,
  minimum and collar, or outcomes × price plus base fee), × the escalator index. The workloads
  priced by the option's ``pricing`` are billed together (their hours or units summed before
  the minimum, tiers and base fee); a workload with a line of its own is billed by that line;
- ``vendor.gainshare``: outcome contracts: the vendor's share of savings against the baseline;
- ``vendor.kpi_adjustment``: outcome contracts: KPI bonus (+) or malus (−);
- ``vendor.service_credits``: expected credits, negative (they reduce the client's cost);
- ``automation``: deflected units × automation unit cost (inflated) and the one-off build cost.

A schedule handles its volume after automation × (1 + its rework rate) (``quality``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._types import FloatArray
from ..core.pricing import (
    collar_fee_unchecked,
    escalation_index,
    gainshare_unchecked,
    kpi_adjustment_unchecked,
    outcome_fee_unchecked,
    service_credit_unchecked,
    tiered_fee_unchecked,
)
from .automation import automation_cost, deflected
from .inhouse import paid_fte, productive_hours, summed
from .params import Option, Params, Pricing
from .quality import client_pays_dip, group_quality, reworked

__all__ = [
    "billed_hours",
    "deflected_volume",
    "pricing_groups",
    "vendor_components",
    "vendor_invoice",
]

_ZERO = np.zeros((1, 1))
_ZERO.flags.writeable = False


def deflected_volume(option: Option, volume: FloatArray, months: FloatArray) -> FloatArray:
    """Units automation takes off the vendor, from its start month (a zero without automation)."""
    return deflected(option.automation, volume, months)


def pricing_groups(p: Params, option: Option) -> list[tuple[Pricing, tuple[int, ...]]]:
    """Each price schedule of an option with the workloads (indices) it bills together.

    The option's ``pricing`` bills every workload without a line, as one contract; each line
    bills its own workload.
    """
    lined = {line.workload: line.pricing for line in option.lines}
    shared = tuple(i for i, w in enumerate(p.workloads) if w.name not in lined)
    groups: list[tuple[Pricing, tuple[int, ...]]] = []
    if shared:
        assert option.pricing is not None  # the case prices every workload
        groups.append((option.pricing, shared))
    groups += [(lined[w.name], (i,)) for i, w in enumerate(p.workloads) if w.name in lined]
    return groups


def billed_hours(p: Params, pr: Pricing, i: int, volume: FloatArray) -> FloatArray:
    """Productive hours an hourly vendor staffs for workload ``i`` (its handle time, occupancy)."""
    assert pr.model == "hourly"
    w = p.workloads[i]
    handle = w.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
    return productive_hours(w, volume, handle, pr.occupancy)


def _base_fee(
    p: Params, pr: Pricing, group: tuple[int, ...], volumes: Sequence[FloatArray]
) -> FloatArray:
    if pr.model == "hourly":
        hours = summed([billed_hours(p, pr, i, volumes[i]) for i in group])
        units = (
            hours
            if pr.basis == "productive_hour"
            else paid_fte(hours, pr.paid_hours_per_month, pr.shrinkage)
        )
        return np.asarray(pr.rate * np.maximum(units, pr.minimum_billed_per_month), dtype=float)
    volume = summed([volumes[i] for i in group])
    if pr.model == "per_transaction":
        if pr.collar is not None:
            c = pr.collar
            return collar_fee_unchecked(
                volume, c.base_fee_per_month, c.baseline_volume, c.dead_band, c.arc, c.rrc
            )
        billed = np.maximum(volume, pr.minimum_volume_per_month)
        if pr.price is not None:
            return np.asarray(pr.price * billed, dtype=float)
        assert pr.tiers is not None  # the case gives exactly one of price, tiers and collar
        bounds = np.array([t.up_to for t in pr.tiers[:-1]], dtype=float)  # the last has none
        # (n or 1, 1, k): a price per tier per scenario, whichever tiers vary
        prices = np.stack(np.broadcast_arrays(*[t.price for t in pr.tiers]), axis=-1)
        return tiered_fee_unchecked(billed, bounds, prices, pr.tier_mode)
    return outcome_fee_unchecked(
        volume, pr.price_per_outcome, pr.outcome_rate, pr.base_fee_per_month
    )


def vendor_components(
    p: Params,
    option: Option,
    volumes: Sequence[FloatArray],
    months: FloatArray,
    price_index: FloatArray,
) -> dict[str, FloatArray]:
    """Monthly vendor-invoice components of one option, by name (``volumes``: per workload)."""
    return vendor_invoice(p, option, volumes, months, price_index)[0]


def vendor_invoice(
    p: Params,
    option: Option,
    volumes: Sequence[FloatArray],
    months: FloatArray,
    price_index: FloatArray,
) -> tuple[dict[str, FloatArray], FloatArray]:
    """``vendor_components``, and the fees on which the client pays the productivity dip (the
    fees of the schedules ``quality.client_pays_dip`` names: all of them by default)."""
    esc = option.escalator
    index: FloatArray = escalation_index(  # a float for scalars: here always an array
        months,
        cola_per_year=esc.cola_per_year,
        cap_per_year=np.inf if esc.cap_per_year is None else esc.cap_per_year,
        productivity_per_year=esc.productivity_per_year,
    )
    deflected_units = [deflected_volume(option, v, months) for v in volumes]
    handled = (  # what the vendor handles
        volumes
        if option.automation is None
        else [v - d for v, d in zip(volumes, deflected_units, strict=True)]
    )
    fees_of, gain_of, kpi_of, credits_of, dip_of = [], [], [], [], []
    for pr, group in pricing_groups(p, option):
        worked = reworked(handled, group_quality(p, option, group))
        fees = _base_fee(p, pr, group, worked) * index
        if client_pays_dip(option.transition, pr):
            dip_of.append(fees)
        gain = kpi = _ZERO  # clauses not in the deal: one zero, not a month grid
        invoice = fees
        # only a collar (a refund below the band) or a gainshare/KPI adjustment can go negative
        may_go_negative = pr.model == "per_transaction" and pr.collar is not None
        if pr.model == "outcome" and pr.gainshare is not None:
            g = pr.gainshare
            cap = np.full((1, 1), np.inf) if g.cap_per_month is None else g.cap_per_month
            gain = gainshare_unchecked(g.baseline_cost_per_month, fees, g.share, cap, g.painshare)
            invoice, may_go_negative = invoice + gain, True
        if pr.model == "outcome" and pr.kpi is not None:
            k = pr.kpi
            kpi = kpi_adjustment_unchecked(fees, k.expected, k.target, k.per_point, k.cap)
            invoice, may_go_negative = invoice + kpi, True
        if may_go_negative:
            invoice = np.maximum(invoice, 0.0)  # no service credit on a refund
        sc = option.service_credits
        # the at-risk share negated: the credit comes out negative, as the client's cost
        credits = service_credit_unchecked(invoice, -sc.at_risk_share, sc.expected_breach_share)
        fees_of.append(fees)
        gain_of.append(gain)
        kpi_of.append(kpi)
        credits_of.append(credits)
    automation = automation_cost(option.automation, deflected_units, months, price_index)
    fees = summed(fees_of)
    parts = {
        "vendor.fees": fees,
        "vendor.gainshare": summed(gain_of),
        "vendor.kpi_adjustment": summed(kpi_of),
        "vendor.service_credits": summed(credits_of),
        "automation": automation,
    }
    if len(dip_of) == len(fees_of):  # the client pays on every schedule (v1): the same array
        return parts, fees
    return parts, summed(dip_of) if dip_of else _ZERO
