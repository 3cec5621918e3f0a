"""What the vendor invoices under each pricing model, month by month.

Components (per month, case currency):

- ``vendor.fees``: the contracted charge (hours/FTE × rate, transactions × price with tiers,
  minimum and collar, or outcomes × price plus base fee), × the escalator index. The workloads
  priced by the option's ``pricing`` are billed together (their hours or units summed before
  the minimum, tiers and base fee); each delivery line bills its share of its workload alone,
  under its own clauses where it has them (``billings``). With migration waves every billing
  receives V × share × S(t) (``scope.wave_path``) and nothing is billed before the first wave;
- ``vendor.gainshare``: outcome contracts: the vendor's share of savings against the baseline;
- ``vendor.kpi_adjustment``: outcome contracts: KPI bonus (+) or malus (−);
- ``vendor.service_credits``: expected credits, negative (they reduce the client's cost);
- ``automation``: deflected units × automation unit cost (inflated) and the one-off build cost;
- ``fx.adjustment``: prices written in another currency (``contract_currency``, the option's or
  a line's): the invoice at the base rate × (the clause's factor − 1) (``fx.py``).

Prices in a contract currency are converted at the base rate: every vendor component above is
in the case currency at that rate, and the movement of the rate is ``fx.adjustment`` alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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
from ..core.workspace import into, op
from .automation import automation_cost, deflected
from .fx import fx_adjustment
from .inhouse import paid_fte, productive_hours, summed
from .params import (
    Automation,
    ContractCurrency,
    Escalator,
    Option,
    Params,
    Pricing,
    ServiceCredits,
)
from .quality import client_pays_dip, line_quality, reworked
from .scope import wave_path

__all__ = [
    "Billing",
    "billed_hours",
    "billed_volumes",
    "billings",
    "handled_volumes",
    "vendor_components",
    "vendor_invoice",
]

_ZERO = np.zeros((1, 1))
_ZERO.flags.writeable = False


class Billing(NamedTuple):
    """One price schedule of an option and what it bills: the option's ``pricing`` (``line``
    None) over the workloads without lines, billed together, or one line over its share of one
    workload. The clauses are the line's where it has them, else the option's."""

    pricing: Pricing
    workloads: tuple[int, ...]  # indices into the case's workloads
    line: int | None  # the line's index in the option's lines; None: the option's pricing
    share: FloatArray | None  # the line's share of its workload; None: the whole workloads
    escalator: Escalator
    service_credits: ServiceCredits
    automation: Automation | None
    currency: ContractCurrency | None  # the prices' currency; None: the case's


def billings(p: Params, option: Option) -> list[Billing]:
    """Each price schedule of an option with what it bills, in billing order.

    The option's ``pricing`` bills every workload without a line, as one contract (first);
    then each line bills its share of its workload alone, lines in workload order (and in
    their own order within a workload).
    """
    index = {w.name: i for i, w in enumerate(p.workloads)}
    lined = {line.workload for line in option.lines}
    shared = tuple(i for i, w in enumerate(p.workloads) if w.name not in lined)
    out: list[Billing] = []
    if shared and option.pricing is not None:  # else those workloads stay in-house
        out.append(
            Billing(
                option.pricing,
                shared,
                None,
                None,
                option.escalator,
                option.service_credits,
                option.automation,
                option.contract_currency,
            )
        )
    order = sorted(range(len(option.lines)), key=lambda j: index[str(option.lines[j].workload)])
    for j in order:
        line = option.lines[j]
        out.append(
            Billing(
                line.pricing,
                (index[str(line.workload)],),
                j,
                line.share,
                option.escalator if line.escalator is None else line.escalator,
                option.service_credits if line.service_credits is None else line.service_credits,
                option.automation if line.automation is None else line.automation,
                option.contract_currency
                if line.contract_currency is None
                else line.contract_currency,
            )
        )
    return out


def billed_volumes(
    b: Billing, volumes: Sequence[FloatArray], moved: FloatArray | None
) -> list[FloatArray]:
    """The volume of each workload of ``b`` the vendor receives: V_w × the line's share × S(t)
    (``moved``: the wave path S, None for a whole cut-over at month 1)."""
    out = []
    for i in b.workloads:
        v = volumes[i]
        if b.share is not None and np.any(b.share != 1.0):
            v = op(np.multiply, v, b.share)
        if moved is not None:
            v = op(np.multiply, v, moved)
        out.append(v)
    return out


def handled_volumes(
    b: Billing, billed: Sequence[FloatArray], months: FloatArray
) -> tuple[list[FloatArray], list[FloatArray]]:
    """What the vendor's people handle of ``billed`` (per workload of ``b``) after the billing's
    automation, and what automation deflects (a zero each without automation)."""
    deflected_units = [deflected(b.automation, v, months) for v in billed]
    if b.automation is None:
        return list(billed), deflected_units
    handled = [op(np.subtract, v, d) for v, d in zip(billed, deflected_units, strict=True)]
    return handled, deflected_units


def billed_hours(p: Params, pr: Pricing, i: int, volume: FloatArray) -> FloatArray:
    """Productive hours an hourly vendor staffs for workload ``i`` (its handle time, occupancy)."""
    assert pr.model == "hourly"
    w = p.workloads[i]
    handle = w.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
    return productive_hours(w, volume, handle, pr.occupancy)


def _base_fee(
    p: Params, pr: Pricing, group: tuple[int, ...], volumes: Sequence[FloatArray]
) -> FloatArray:
    """The charge of one billing before escalation (``volumes``: one per workload of ``group``)."""
    if pr.model == "hourly":
        hours = summed([billed_hours(p, pr, i, v) for i, v in zip(group, volumes, strict=True)])
        units = (
            hours
            if pr.basis == "productive_hour"
            else paid_fte(hours, pr.paid_hours_per_month, pr.shrinkage)
        )
        billed = op(np.maximum, units, pr.minimum_billed_per_month)
        return into(billed, np.multiply, pr.rate, billed)
    volume = summed(volumes)
    if pr.model == "per_transaction":
        if pr.collar is not None:
            c = pr.collar
            return collar_fee_unchecked(
                volume, c.base_fee_per_month, c.baseline_volume, c.dead_band, c.arc, c.rrc
            )
        billed = op(np.maximum, volume, pr.minimum_volume_per_month)
        if pr.price is not None:
            return into(billed, np.multiply, pr.price, billed)
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
    by_billing: list[FloatArray] | None = None,
) -> dict[str, FloatArray]:
    """Monthly vendor-invoice components of one option, by name (``volumes``: per workload).
    A billing handles its volume after automation × (1 + its rework rate) (``quality``).

    Each billing (``billings``) is billed on its own volume, V_w × share × S(t); with waves no
    fee is due before the first wave (no minimum before the vendor starts). ``by_billing``, if
    given, receives each billing's invoice (fees, gainshare, KPI, credits and currency movement),
    in billing order: what each line's provider is paid.
    """
    return vendor_invoice(p, option, volumes, months, price_index, by_billing)[0]


def vendor_invoice(
    p: Params,
    option: Option,
    volumes: Sequence[FloatArray],
    months: FloatArray,
    price_index: FloatArray,
    by_billing: list[FloatArray] | None = None,
) -> tuple[dict[str, FloatArray], FloatArray]:
    """``vendor_components``, and the fees on which the client pays the productivity dip (the
    fees of the billings ``quality.client_pays_dip`` names: all of them by default)."""
    moved = None if not option.waves else wave_path(option, months)
    started = None if moved is None else (moved > 0.0).astype(float)
    indices: dict[int, FloatArray] = {}  # one escalation index per escalator
    automated: dict[int, tuple[Automation, list[tuple[int, FloatArray]]]] = {}
    fees_of, gain_of, kpi_of, credits_of, fx_of, dip_of = [], [], [], [], [], []
    for b in billings(p, option):
        handled, deflected_units = handled_volumes(b, billed_volumes(b, volumes, moved), months)
        if b.automation is not None:  # the same automation counts its build cost once
            _, units = automated.setdefault(id(b.automation), (b.automation, []))
            units += zip(b.workloads, deflected_units, strict=True)
        index = indices.get(id(b.escalator))
        if index is None:
            index = indices[id(b.escalator)] = _escalation(b.escalator, months)
        handled = reworked(handled, line_quality(option, b.line))
        fees = op(np.multiply, _base_fee(p, b.pricing, b.workloads, handled), index)
        if started is not None:
            fees = into(fees, np.multiply, fees, started)
        gain, kpi, credits = _clauses(b, fees, started)
        fx = _ZERO
        if b.currency is not None:  # the invoice in the case currency at the base rate
            rate = b.currency.rate
            fees, gain, kpi, credits = (
                op(np.multiply, x, rate) for x in (fees, gain, kpi, credits)
            )
            invoice = op(np.add, fees, gain)
            invoice = into(invoice, np.add, invoice, kpi)
            invoice = into(invoice, np.maximum, invoice, 0.0)  # as _clauses floors it
            fx = fx_adjustment(b.currency, into(invoice, np.add, invoice, credits), months)
            fx_of.append(fx)
        if by_billing is not None:  # what this billing's provider is paid
            by_billing.append(np.asarray(fees + gain + kpi + credits + fx, dtype=float))
        if client_pays_dip(option.transition, b.pricing):
            dip_of.append(fees)
        fees_of.append(fees)
        gain_of.append(gain)
        kpi_of.append(kpi)
        credits_of.append(credits)
    automation = [
        automation_cost(
            auto, [d for _, d in sorted(units, key=lambda x: x[0])], months, price_index
        )
        for auto, units in automated.values()
    ]
    fees = summed(fees_of)
    parts = {
        "vendor.fees": fees,
        "vendor.gainshare": summed(gain_of),
        "vendor.kpi_adjustment": summed(kpi_of),
        "vendor.service_credits": summed(credits_of),
        "automation": summed(automation) if automation else _ZERO,
    }
    if fx_of:  # a block's component (components.py): only with a contract currency
        parts["fx.adjustment"] = summed(fx_of)
    if len(dip_of) == len(fees_of):  # the client pays on every billing (v1): the same array
        return parts, fees
    return parts, summed(dip_of) if dip_of else _ZERO


def _escalation(esc: Escalator, months: FloatArray) -> FloatArray:
    index: FloatArray = escalation_index(  # a float for scalars: here always an array
        months,
        cola_per_year=esc.cola_per_year,
        cap_per_year=np.inf if esc.cap_per_year is None else esc.cap_per_year,
        productivity_per_year=esc.productivity_per_year,
    )
    return index


def _clauses(
    b: Billing, fees: FloatArray, started: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Gainshare, KPI adjustment and service credits of one billing's escalated fees."""
    pr = b.pricing
    gain = kpi = _ZERO  # clauses not in the deal: one zero, not a month grid
    invoice = fees
    # only a collar (a refund below the band) or a gainshare/KPI adjustment can go negative
    may_go_negative = pr.model == "per_transaction" and pr.collar is not None
    if pr.model == "outcome" and pr.gainshare is not None:
        g = pr.gainshare
        cap = np.full((1, 1), np.inf) if g.cap_per_month is None else g.cap_per_month
        gain = gainshare_unchecked(g.baseline_cost_per_month, fees, g.share, cap, g.painshare)
        if started is not None:  # no savings to share before the vendor starts
            gain = into(gain, np.multiply, gain, started)
        invoice, may_go_negative = op(np.add, invoice, gain), True
    if pr.model == "outcome" and pr.kpi is not None:
        k = pr.kpi
        kpi = kpi_adjustment_unchecked(fees, k.expected, k.target, k.per_point, k.cap)
        invoice, may_go_negative = op(np.add, invoice, kpi), True
    if may_go_negative:
        invoice = op(np.maximum, invoice, 0.0)  # no service credit on a refund
    sc = b.service_credits
    # the at-risk share negated: the credit comes out negative, as the client's cost
    credits = service_credit_unchecked(invoice, -sc.at_risk_share, sc.expected_breach_share)
    return gain, kpi, credits
