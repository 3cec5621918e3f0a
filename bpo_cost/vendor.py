"""What the vendor invoices under each pricing model, month by month.

Components (per month, case currency):

- ``vendor.fees``: the contracted charge (hours/FTE × rate, transactions × price with tiers,
  minimum and collar, or outcomes × price plus base fee), × the escalator index;
- ``vendor.gainshare``: outcome contracts: the vendor's share of savings against the baseline;
- ``vendor.kpi_adjustment``: outcome contracts: KPI bonus (+) or malus (−);
- ``vendor.service_credits``: expected credits, negative (they reduce the client's cost);
- ``automation``: deflected units × automation unit cost (inflated) and the one-off build cost.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ._types import FloatArray
from .inhouse import productive_hours
from .pricing import (
    collar_fee,
    escalation_index,
    gainshare,
    kpi_adjustment,
    outcome_fee,
    service_credit,
    tiered_fee,
)

__all__ = ["vendor_components", "vendor_volume"]


def vendor_volume(option: SimpleNamespace, volume: FloatArray, months: FloatArray) -> FloatArray:
    """Units the vendor handles: the volume less what automation deflects from its start month."""
    auto = option.automation
    if auto is None:
        return volume
    return np.asarray(volume * (1.0 - auto.share * (months >= auto.start_month)), dtype=float)


def _base_fee(p: SimpleNamespace, option: SimpleNamespace, volume: FloatArray) -> FloatArray:
    pr = option.pricing
    if pr.model == "hourly":
        handle = p.workload.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
        hours = productive_hours(p.workload, volume, handle, pr.occupancy)
        units = (
            hours
            if pr.basis == "productive_hour"
            else (hours / (pr.paid_hours_per_month * (1.0 - pr.shrinkage)))
        )
        return np.asarray(pr.rate * np.maximum(units, pr.minimum_billed_per_month), dtype=float)
    if pr.model == "per_transaction":
        if pr.collar is not None:
            c = pr.collar
            return np.asarray(
                collar_fee(
                    volume,
                    base_fee=c.base_fee_per_month,
                    baseline_volume=c.baseline_volume,
                    dead_band=c.dead_band,
                    arc=c.arc,
                    rrc=c.rrc,
                ),
                dtype=float,
            )
        billed = np.maximum(volume, pr.minimum_volume_per_month)
        if pr.tiers is None:
            return np.asarray(pr.price * billed, dtype=float)
        bounds = [float(t.up_to[0, 0]) for t in pr.tiers[:-1]]
        # (n or 1, 1, k): a price per tier per scenario, whichever tiers vary
        prices = np.stack(np.broadcast_arrays(*[t.price for t in pr.tiers]), axis=-1)
        return np.asarray(tiered_fee(billed, bounds, prices, mode=pr.tier_mode), dtype=float)
    return np.asarray(
        outcome_fee(
            volume,
            price_per_outcome=pr.price_per_outcome,
            outcome_rate=pr.outcome_rate,
            base_fee=pr.base_fee_per_month,
        ),
        dtype=float,
    )


def vendor_components(
    p: SimpleNamespace,
    option: SimpleNamespace,
    volume: FloatArray,
    months: FloatArray,
    price_index: FloatArray,
) -> dict[str, FloatArray]:
    """Monthly vendor-invoice components of one option, by name."""
    esc = option.escalator
    index = escalation_index(
        months,
        cola_per_year=esc.cola_per_year,
        cap_per_year=np.inf if esc.cap_per_year is None else esc.cap_per_year,
        productivity_per_year=esc.productivity_per_year,
    )
    v = vendor_volume(option, volume, months)
    fees = _base_fee(p, option, v) * index
    zero = np.zeros_like(fees)
    pr = option.pricing
    gain, kpi = zero, zero
    if pr.model == "outcome" and pr.gainshare is not None:
        g = pr.gainshare
        gain = np.asarray(
            gainshare(
                g.baseline_cost_per_month,
                fees,
                share=g.share,
                cap=np.inf if g.cap_per_month is None else g.cap_per_month,
                painshare=g.painshare,
            ),
            dtype=float,
        )
    if pr.model == "outcome" and pr.kpi is not None:
        k = pr.kpi
        kpi = np.asarray(
            kpi_adjustment(
                fees, expected=k.expected, target=k.target, per_point=k.per_point, cap=k.cap
            ),
            dtype=float,
        )
    invoice = np.maximum(fees + gain + kpi, 0.0)
    sc = option.service_credits
    credits = -np.asarray(
        service_credit(
            invoice, at_risk_share=sc.at_risk_share, expected_breach_share=sc.expected_breach_share
        ),
        dtype=float,
    )
    automation = zero
    if option.automation is not None:
        a = option.automation
        automation = (volume - v) * a.cost_per_unit * price_index + a.build_cost * (
            months == a.start_month
        )
    return {
        "vendor.fees": fees,
        "vendor.gainshare": gain,
        "vendor.kpi_adjustment": kpi,
        "vendor.service_credits": credits,
        "automation": automation,
    }
