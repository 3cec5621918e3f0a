"""The sheet of an option: volumes, billing and every component, as live formulas.

Each formula replicates the engine's arithmetic in the same order (``vendor.py``, ``pricing.py``,
``transition.py``). An option bills the workloads its ``pricing`` covers together (their hours or
units summed before the minimum, tiers and base fee) and each workload with a line of its own
by that line (``vendor.pricing_groups``): one billing block per group, then the components.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from openpyxl import Workbook

from ..case.models import (
    Case,
    HourlyPricing,
    Option,
    OutcomePricing,
    PerTransactionPricing,
    Pricing,
)
from ..engine.components import COMPONENT_BY_KEY, OPTION_COMPONENTS
from . import styles as st
from .costs import HoursRef, volume_row
from .grid import MONTH, Grid
from .refs import input_name as n
from .workloads import WorkloadRef, pricing_of, workload_refs

__all__ = ["Billing", "billing_groups", "option_sheet"]

# The vendor-invoice components computed per billing group, then summed.
_INVOICE = ("vendor.fees", "vendor.gainshare", "vendor.kpi_adjustment", "vendor.service_credits")


@dataclass(frozen=True)
class Billing:
    """One price schedule of an option and the workloads it bills together."""

    pricing: Pricing
    prefix: str  # of the pricing's inputs: options.i.pricing. or options.i.lines.j.pricing.
    workloads: tuple[WorkloadRef, ...]
    alone: bool  # the option's only billing group: its rows keep the plain keys

    @property
    def tag(self) -> str:
        return "+".join(w.name for w in self.workloads)

    def key(self, key: str) -> str:
        return key if self.alone else f"{key}[{self.tag}]"

    def label(self, text: str) -> str:
        return text if self.alone else f"{self.tag}: {text}"


def billing_groups(case: Case, i: int) -> list[Billing]:
    """The billing groups of option ``i``, as ``engine.vendor.pricing_groups`` makes them: the
    workloads without a line of their own together, then each line's workload."""
    shared: list[WorkloadRef] = []
    lined: list[tuple[Pricing, str, WorkloadRef]] = []
    for w in workload_refs(case):
        pricing, prefix = pricing_of(case, i, w)
        if ".lines." in prefix:
            lined.append((pricing, prefix, w))
        else:
            shared.append(w)
    groups: list[tuple[Pricing, str, tuple[WorkloadRef, ...]]] = [
        (pr, prefix, (w,)) for pr, prefix, w in lined
    ]
    if shared:
        pricing, prefix = pricing_of(case, i, shared[0])
        groups.insert(0, (pricing, prefix, tuple(shared)))
    return [Billing(pr, prefix, ws, len(groups) == 1) for pr, prefix, ws in groups]


def option_sheet(
    wb: Workbook, case: Case, i: int, title: str, tl: Grid, ih: Grid, hours: HoursRef | None
) -> Grid:
    """One option's components (``vendor.py``, ``pricing.py``, ``transition.py``)."""
    o = case.options[i]
    p = f"options.{i}."
    g = Grid(
        wb,
        title,
        case.term_months,
        heading=f"Option: {o.name} ({case.pricing_model(o)})",
        keep=(o.name,),
        note="One row per engine component; every cell is a formula over the Inputs sheet.",
    )
    price_index = tl.here("price_index", external=True)
    year = tl.here("contract_year", external=True)
    wls = workload_refs(case)
    several = len(wls) > 1
    g.section("Drivers")
    if several:  # one escalator for the option, before the workloads' rows
        _escalation(g, o, p, year)
    for w in wls:
        volume, vendor = volume_row(g, tl, w), w.key("vendor_volume")
        if o.automation is None:
            g.add(vendor, w.label("Volume the vendor handles"), f"={g.here(volume)}", fmt=st.NUMBER)
        else:
            g.add(
                vendor,
                w.label("Volume the vendor handles (after automation)"),
                f"={g.here(volume)}*(1-IF({MONTH}>={n(p + 'automation.start_month')},"
                f"{n(p + 'automation.share')},0))",
                fmt=st.NUMBER,
            )
        if not several:
            _escalation(g, o, p, year)
        pricing, pp = pricing_of(case, i, w)
        if isinstance(pricing, HourlyPricing):
            staffed = partial(hours, o.name, w) if hours and w.real_time else None
            _hours(g, w, pricing, pp, staffed)
    if several:
        for key, label in (
            ("volume", "Volume, all workloads"),
            ("vendor_volume", "Volume the vendor handles, all workloads"),
        ):
            g.add(key, label, "=" + "+".join(g.here(w.key(key)) for w in wls), fmt=st.NUMBER)
    groups = billing_groups(case, i)
    for b in groups:
        if not b.alone:
            g.section(f"Billing: {b.tag} ({b.pricing.model})")
        _base_fee(g, b)
        if not b.alone:
            at = g.layout([b.key(k) for k in _INVOICE])
            invoice = _invoice(g, b, p, {k: at[b.key(k)] for k in _INVOICE})
            for k in _INVOICE:
                g.add(b.key(k), b.label(COMPONENT_BY_KEY[k].label), invoice[k])
    g.section("Cost components")
    at = g.layout(OPTION_COMPONENTS)
    if len(groups) == 1:
        formulas = _invoice(g, groups[0], p, at)
    else:
        formulas = {k: "=" + "+".join(g.here(b.key(k)) for b in groups) for k in _INVOICE}
    formulas["automation"] = _automation(g, o, p, tl.here("volume", external=True), price_index)
    formulas |= _hidden(g, case, p, at, ih, price_index)
    formulas |= _retained(o, p, at, tl.here("wage_index", external=True))
    formulas.setdefault("inhouse.kept", "=0")  # kept in-house work: the workbook face of #14
    for key in OPTION_COMPONENTS:
        g.add(key, COMPONENT_BY_KEY[key].label, formulas[key])
    first, last = g.row(OPTION_COMPONENTS[0]), g.row(OPTION_COMPONENTS[-1])
    g.section("Totals")
    g.add("total", f"Total cost: {o.name}", f"=SUM({{c}}{first}:{{c}}{last})", font=st.BOLD)
    return g


def _escalation(g: Grid, o: Option, p: str, year: str) -> None:
    cola = n(p + "escalator.cola_per_year")
    if o.escalator.cap_per_year is not None:
        cola = f"MIN({cola},{n(p + 'escalator.cap_per_year')})"
    g.add(
        "escalation_index",
        "Price escalation index (COLA, cap, productivity)",
        f"=(1+{cola})^{year}*(1-{n(p + 'escalator.productivity_per_year')})^{year}",
        fmt=st.FACTOR,
        total=False,
    )


def _hours(
    g: Grid, w: WorkloadRef, pr: HourlyPricing, pp: str, staffed: Callable[[], str] | None
) -> None:
    """The hours an hourly vendor staffs for a workload (``vendor.billed_hours``)."""
    key, vv = w.key("productive_hours"), g.here(w.key("vendor_volume"))
    if staffed is not None:
        g.add(
            key,
            w.label("Staffed hours (Erlang C agents x open hours)"),
            f"={staffed()}",
            fmt=st.NUMBER,
        )
        return
    handle = (
        n(pp + "handle_minutes") if pr.handle_minutes is not None else w.input("handle_minutes")
    )
    g.add(
        key,
        w.label("Productive hours (volume x handle time / occupancy)"),
        f"={vv}*{handle}/60/{n(pp + 'occupancy')}",
        fmt=st.NUMBER,
    )


def _summed(g: Grid, b: Billing, key: str, label: str) -> str:
    """The group's sum of a workload row (the row itself for a group of one workload)."""
    if len(b.workloads) == 1:
        return g.here(b.workloads[0].key(key))
    if b.key(key) not in g.rows:
        g.add(
            b.key(key),
            b.label(label),
            "=" + "+".join(g.here(w.key(key)) for w in b.workloads),
            fmt=st.NUMBER,
        )
    return g.here(b.key(key))


def _base_fee(g: Grid, b: Billing) -> None:
    """Driver rows down to the group's charge before escalation (``vendor._base_fee``)."""
    pr, pp, k = b.pricing, b.prefix, b.key
    if isinstance(pr, HourlyPricing):
        h = _summed(g, b, "productive_hours", "Hours staffed, billed together")
        if pr.basis == "productive_hour":
            g.add(k("billed_units"), b.label("Billed productive hours"), f"={h}", fmt=st.NUMBER)
        else:
            g.add(
                k("billed_units"),
                b.label("Billed FTE-months"),
                f"={h}/({n(pp + 'paid_hours_per_month')}*(1-{n(pp + 'shrinkage')}))",
                fmt=st.NUMBER,
            )
        g.add(
            k("base_fee"),
            b.label("Charge before escalation (rate x max(billed, minimum))"),
            f"={n(pp + 'rate')}*MAX({g.here(k('billed_units'))},"
            f"{n(pp + 'minimum_billed_per_month')})",
        )
        return
    vv = _summed(g, b, "vendor_volume", "Volume the vendor handles, billed together")
    if isinstance(pr, PerTransactionPricing) and pr.collar is not None:
        c = pp + "collar."
        base = n(c + "baseline_volume")
        g.add(
            k("base_fee"),
            b.label("Collar charge: base + ARC above the band - RRC below it"),
            f"={n(c + 'base_fee_per_month')}+{n(c + 'arc')}*MAX(0,{vv}-{base}"
            f"*(1+{n(c + 'dead_band')}))-{n(c + 'rrc')}*MAX(0,{base}"
            f"*(1-{n(c + 'dead_band')})-{vv})",
        )
    elif isinstance(pr, PerTransactionPricing):
        g.add(
            k("billed_volume"),
            b.label("Billed volume (max of volume and minimum)"),
            f"=MAX({vv},{n(pp + 'minimum_volume_per_month')})",
            fmt=st.NUMBER,
        )
        v = g.here(k("billed_volume"))
        if pr.tiers is None:
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (price x billed volume)"),
                f"={n(pp + 'price')}*{v}",
            )
            return
        t = [pp + f"tiers.{j}." for j in range(len(pr.tiers))]
        if pr.tier_mode == "all_units":
            price = n(t[-1] + "price")
            for j in reversed(range(len(t) - 1)):  # V equal to a bound stays in the lower band
                price = f"IF({v}<={n(t[j] + 'up_to')},{n(t[j] + 'price')},{price})"
            g.add(
                k("tier_price"),
                b.label("Price of the band the billed volume falls in (all units)"),
                f"={price}",
                fmt=st.MONEY_CENTS,
                total=False,
            )
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (billed volume x band price)"),
                f"={v}*{g.here(k('tier_price'))}",
            )
        else:
            terms, lower = [], "0"
            for j, tier in enumerate(t):
                if j < len(t) - 1:
                    up = n(tier + "up_to")
                    terms.append(f"{n(tier + 'price')}*MIN(MAX({v}-{lower},0),{up}-{lower})")
                    lower = up
                else:
                    terms.append(f"{n(tier + 'price')}*MAX({v}-{lower},0)")
            g.add(
                k("base_fee"),
                b.label("Charge before escalation (each band at its price)"),
                "=" + "+".join(terms),
            )
    elif isinstance(pr, OutcomePricing):
        g.add(
            k("base_fee"),
            b.label("Charge before escalation (base + price x outcomes)"),
            f"={n(pp + 'base_fee_per_month')}+{n(pp + 'price_per_outcome')}"
            f"*{vv}*{n(pp + 'outcome_rate')}",
        )


def _invoice(g: Grid, b: Billing, p: str, at: dict[str, str]) -> dict[str, str]:
    """Formulas of a group's invoice components (``vendor.vendor_components``), written at the
    template references ``at``; ``p`` prefixes the option's inputs."""
    pr = b.pricing
    fees = at["vendor.fees"]
    invoice = f"MAX({fees}+{at['vendor.gainshare']}+{at['vendor.kpi_adjustment']},0)"
    out = {
        "vendor.fees": f"={g.here(b.key('base_fee'))}*{g.here('escalation_index')}",
        "vendor.gainshare": "=0",
        "vendor.kpi_adjustment": "=0",
    }
    if isinstance(pr, OutcomePricing) and pr.gainshare is not None:
        q = b.prefix + "gainshare."
        s, base = n(q + "share"), n(q + "baseline_cost_per_month")
        cap = pr.gainshare.cap_per_month

        def capped(x: str) -> str:
            return x if cap is None else f"MIN({x},{n(q + 'cap_per_month')})"

        out["vendor.gainshare"] = "=" + capped(f"{s}*MAX({base}-{fees},0)")
        if pr.gainshare.painshare:
            out["vendor.gainshare"] += "-" + capped(f"{s}*MAX({fees}-{base},0)")
    if isinstance(pr, OutcomePricing) and pr.kpi is not None:
        q = b.prefix + "kpi."
        cap_ = n(q + "cap")
        out["vendor.kpi_adjustment"] = (
            f"={fees}*MAX(-{cap_},MIN({cap_},({n(q + 'expected')}"
            f"-{n(q + 'target')})*{n(q + 'per_point')}))"
        )
    out["vendor.service_credits"] = (
        f"=-({invoice}*{n(p + 'service_credits.at_risk_share')}"
        f"*{n(p + 'service_credits.expected_breach_share')})"
    )
    return out


def _automation(g: Grid, o: Option, p: str, volume: str, price_index: str) -> str:
    """Deflected units at the automation's unit cost, and its build cost (``vendor``)."""
    if o.automation is None:
        return "=0"
    a = p + "automation."
    return (
        f"=({volume}-{g.here('vendor_volume')})*{n(a + 'cost_per_unit')}"
        f"*{price_index}+IF({MONTH}={n(a + 'start_month')},"
        f"{n(a + 'build_cost')},0)"
    )


def _hidden(
    g: Grid, case: Case, p: str, at: dict[str, str], ih: Grid, price_index: str
) -> dict[str, str]:
    """Formulas of the hidden-cost components (``transition.hidden_components``)."""
    t = p + "transition."
    term = case.term_months
    m = MONTH
    fees = at["vendor.fees"]
    fee_row = g.planned["vendor.fees"]
    all_fees = f"$D${fee_row}:${g.cols[-1]}${fee_row}"
    last_year = f"${g.cols[term - 12]}${fee_row}:${g.cols[-1]}${fee_row}"
    staff = ih.here("staff_cost", external=True)
    tm, prm, ramp = (n(t + "transition_months"), n(t + "parallel_run_months"), n(t + "ramp_months"))
    rse = n(t + "ramp_start_efficiency")
    handover = f"MAX({prm},1)"
    stranded = [
        f"IF(AND({m}>{prm},{m}<={n(f'inhouse.stranded_costs.{k}.months_remaining')}),"
        f"{n(f'inhouse.stranded_costs.{k}.cost_per_month')},0)"
        for k in range(len(case.inhouse.stranded_costs))
    ]
    efficiency = f"IF({m}<={ramp},{rse}+(1-{rse})*({m}-1)/MAX({ramp},1),1)"
    return {
        "transition.vendor_selection": f"=IF({m}=1,{n(t + 'vendor_selection_cost')}"
        f"+{n(t + 'vendor_selection_share_of_acv')}"
        f"*(SUM({all_fees})*12/{n('term_months')}),0)",
        "transition.knowledge_transfer": f"=IF({m}<={tm},{n(t + 'transition_team_share')}"
        f"*{staff},0)+IF({m}<=MAX({tm},1),"
        f"{n(t + 'knowledge_transfer_cost')}/MAX({tm},1),0)",
        "transition.parallel_run": f"=IF({m}<={prm},{ih.here('total', external=True)},0)",
        "transition.severance_retention": f"=IF({m}={handover},"
        f"{n(t + 'severance_months_of_pay')}"
        f"*INDEX({ih.span('staff_cost')},{handover}),0)"
        f"+IF({m}<={prm},{n(t + 'retention_share')}"
        f"*{staff},0)",
        "transition.productivity_dip": f"={fees}*(1/{efficiency}-1)",
        "transition.stranded_costs": "=" + ("+".join(stranded) or "0"),
        "governance": f"={n(t + 'governance_share_of_fees')}*{fees}"
        f"+{n(t + 'governance_fte')}*{n(t + 'governance_cost_per_fte_month')}"
        f"*{price_index}",
        "quality_leakage": f"={n(t + 'repeat_rate')}*{fees}",
        "exit": f"=IF(AND({n('include_exit_costs')},{m}={n('term_months')}),"
        f"{n(t + 'exit_share_of_annual_spend')}*SUM({last_year}),0)",
    }


def _retained(o: Option, p: str, at: dict[str, str], wage_index: str) -> dict[str, str]:
    """Formulas of the retained organisation (``retained.retained_components``): the roles loaded
    like in-house pay (the In-house sheet's fixed roles), and the share of fees."""
    if o.retained is None:
        return {"retained.organisation": "=0", "retained.share_of_fees": "=0"}
    r = p + "retained."
    pay = "+".join(
        f"{n(f'{r}roles.{k}.fte')}*{n(f'{r}roles.{k}.wage_per_hour')}"
        for k in range(len(o.retained.roles))
    )
    return {
        "retained.organisation": f"=({pay or 0})*({n('inhouse.paid_hours_per_year')}/12)"
        f"*(1+{n('inhouse.benefits_load')}+{n('inhouse.payroll_tax')})*{wage_index}",
        "retained.share_of_fees": f"={n(r + 'share_of_fees')}*{at['vendor.fees']}",
    }
