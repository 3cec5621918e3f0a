"""The Timeline, In-house and option sheets: every engine component as a live formula.

Each formula replicates the engine's arithmetic in the same order (``timeline.py``,
``inhouse.py``, ``vendor.py``, ``pricing.py``, ``transition.py``), so LibreOffice and Excel
compute the engine's numbers to the last few bits. Inputs are referred to by their defined
names (``in_<dotted key with _>``, see ``refs.input_name``).
"""

from __future__ import annotations

from collections.abc import Callable
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
from ..engine.components import (
    COMPONENT_BY_KEY,
    INHOUSE,
    INHOUSE_COMPONENTS,
    OPTION_COMPONENTS,
    STAFF_COMPONENTS,
)
from . import styles as st
from .grid import MONTH, Grid
from .refs import input_name as n
from .workloads import WorkloadRef, pricing_of, workload_refs

__all__ = ["inhouse_sheet", "option_sheet", "timeline_sheet"]

# (owner key, workload) -> template reference to the staffed hours of its Erlang C pool
HoursRef = Callable[[str, WorkloadRef], str]


def _sum(terms: list[str]) -> str:
    return "+".join(terms) if terms else "0"


def timeline_sheet(wb: Workbook, case: Case) -> Grid:
    """Calendar month, contract year, volume and the wage and price indices."""
    g = Grid(
        wb,
        "Timeline",
        case.term_months,
        heading="Timeline: volume and indices",
        note="Volume grows smoothly and follows the calendar-month seasonality; wages and "
        "prices step once per contract year.",
    )
    g.section("Calendar")
    g.add(
        "calendar_month",
        "Calendar month (1 = January)",
        "=MONTH({c}$5)",
        fmt=st.MONTHS,
        total=False,
    )
    g.add(
        "contract_year",
        "Contract year (0 in months 1-12)",
        f"=INT(({MONTH}-1)/12)",
        fmt=st.MONTHS,
        total=False,
    )
    g.section("Volume")
    wls = workload_refs(case)
    for w in wls:
        season = w.key("seasonality")
        g.add(
            season,
            w.label("Seasonality factor of the calendar month"),
            f"=INDEX({w.input('seasonality')},{g.here('calendar_month')})",
            fmt=st.FACTOR,
            total=False,
        )
        g.add(
            w.key("volume"),
            w.label(f"Volume ({w.unit} / month)"),
            f"={w.input('volume_per_month')}*(1+{w.input('growth_per_year')})"
            f"^(({MONTH}-1)/12)*{g.here(season)}",
            fmt=st.NUMBER,
        )
    if len(wls) > 1:
        g.add(
            "volume",
            "Volume, all workloads",
            "=" + _sum([g.here(w.key("volume")) for w in wls]),
            fmt=st.NUMBER,
        )
    g.section("Indices")
    year = g.here("contract_year")
    g.add(
        "wage_index",
        "Wage index (in-house wage inflation)",
        f"=(1+{n('wage_inflation_per_year')})^{year}",
        fmt=st.FACTOR,
        total=False,
    )
    g.add(
        "price_index",
        "Price index (general inflation)",
        f"=(1+{n('inflation_per_year')})^{year}",
        fmt=st.FACTOR,
        total=False,
    )
    return g


def inhouse_sheet(wb: Workbook, case: Case, tl: Grid, hours: HoursRef | None) -> Grid:
    """In-house cost components (``inhouse.py``); supervision, seats and fixed costs pool the
    agents of every workload."""
    g = Grid(
        wb,
        "In-house",
        case.term_months,
        heading="In-house: monthly cost components",
        note="One row per engine component; every cell is a formula over the Inputs sheet.",
    )
    ih = case.inhouse
    month_hours = f"({n('inhouse.paid_hours_per_year')}/12)"
    load = f"(1+{n('inhouse.benefits_load')}+{n('inhouse.payroll_tax')})"
    wage_index = tl.here("wage_index", external=True)
    price_index = tl.here("price_index", external=True)
    wls = workload_refs(case)
    g.section("Drivers")
    for w in wls:
        volume, fte = w.key("volume"), w.key("agent_fte")
        g.add(
            volume,
            w.label(f"Volume ({w.unit})"),
            f"={tl.here(volume, external=True)}",
            fmt=st.NUMBER,
        )
        if w.real_time is None or hours is None:  # staffing.workload_fte
            g.add(
                fte,
                w.label("Agent FTE (workload / productive hours)"),
                f"={{c}}{g.row(volume)}*{w.inhouse('handle_minutes')}/60/({month_hours}"
                f"*(1-{w.inhouse('shrinkage')})*{w.inhouse('occupancy')})",
                fmt=st.NUMBER,
                total=False,
            )
        else:
            staffed = w.key("staffed_hours")
            g.add(
                staffed,
                w.label("Staffed hours (Erlang C agents x open hours)"),
                f"={hours(INHOUSE, w)}",
                fmt=st.NUMBER,
            )
            g.add(
                fte,
                w.label("Agent FTE (staffed hours / hours after shrinkage)"),
                f"={g.here(staffed)}/({month_hours}*(1-{w.inhouse('shrinkage')}))",
                fmt=st.NUMBER,
                total=False,
            )
    if len(wls) > 1:
        g.add(
            "agent_fte",
            "Agent FTE, all workloads (pooled)",
            "=" + _sum([g.here(w.key("agent_fte")) for w in wls]),
            fmt=st.NUMBER,
            total=False,
        )
    fte = g.here("agent_fte")
    g.add(
        "supervisors",
        "Supervisors (FTE / span)",
        f"={fte}/{n('inhouse.supervision_span')}",
        fmt=st.NUMBER,
        total=False,
    )
    roles = [f"inhouse.other_roles.{i}." for i in range(len(ih.other_roles))]
    g.add(
        "other_heads",
        "Fixed roles (headcount)",
        "=" + _sum([n(r + "headcount") for r in roles]),
        fmt=st.NUMBER,
        total=False,
    )
    g.add(
        "seats",
        "Seats (agents + supervisors + fixed roles)",
        f"={fte}+{g.here('supervisors')}+{g.here('other_heads')}",
        fmt=st.NUMBER,
        total=False,
    )
    other_pay = _sum([f"{n(r + 'headcount')}*{n(r + 'wage_per_hour')}" for r in roles])
    salaries = [
        f"{g.here(w.key('agent_fte'))}*{w.inhouse('wage_per_hour')}*{month_hours}*{wage_index}"
        for w in wls
    ]
    if len(wls) > 1:  # each workload at its own wage
        g.section("Salaries by workload")
        for w, formula in zip(wls, salaries, strict=True):
            g.add(w.key("inhouse.salaries"), w.label("Salaries of the agents"), "=" + formula)
        salaries = ["+".join(g.here(w.key("inhouse.salaries")) for w in wls)]
    g.section("Cost components")
    at = g.layout(INHOUSE_COMPONENTS)
    formulas = {
        "inhouse.salaries": "=" + salaries[0],
        "inhouse.benefits_and_tax": f"={at['inhouse.salaries']}*({n('inhouse.benefits_load')}"
        f"+{n('inhouse.payroll_tax')})",
        "inhouse.supervision": f"={g.here('supervisors')}*{n('inhouse.supervisor_wage_per_hour')}"
        f"*{month_hours}*{load}*{wage_index}",
        "inhouse.other_staff": f"=({other_pay})*{month_hours}*{load}*{wage_index}",
        "inhouse.facilities": f"={g.here('seats')}*{n('inhouse.facilities_per_seat_month')}"
        f"*{price_index}",
        "inhouse.it": f"={g.here('seats')}*{n('inhouse.it_per_seat_month')}*{price_index}",
        "inhouse.recruiting_training": f"={fte}*{n('inhouse.attrition_per_year')}/12"
        f"*({n('inhouse.cost_per_hire')}"
        f"+{n('inhouse.training_per_hire')})*{price_index}",
        "inhouse.fixed": f"={n('inhouse.fixed_costs_per_month')}*{price_index}",
    }
    for key in INHOUSE_COMPONENTS:
        g.add(key, COMPONENT_BY_KEY[key].label, formulas[key])
    first, last = g.row(INHOUSE_COMPONENTS[0]), g.row(INHOUSE_COMPONENTS[-1])
    g.section("Totals")
    g.add(
        "staff_cost",
        "Staff cost (salaries to fixed roles)",  # components.STAFF_COMPONENTS
        "=" + "+".join(g.here(k) for k in STAFF_COMPONENTS),
    )
    g.add("total", "Total in-house cost", f"=SUM({{c}}{first}:{{c}}{last})", font=st.BOLD)
    return g


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
        heading=f"Option: {o.name} ({o.pricing.model})",
        note="One row per engine component; every cell is a formula over the Inputs sheet.",
    )
    price_index = tl.here("price_index", external=True)
    year = tl.here("contract_year", external=True)
    wls = workload_refs(case)
    several = len(wls) > 1
    g.section("Drivers")
    if several:  # one escalator for the option, before the workloads' blocks
        _escalation(g, o, p, year)
    for w in wls:
        volume, vendor = w.key("volume"), w.key("vendor_volume")
        g.add(
            volume,
            w.label(f"Volume ({w.unit})"),
            f"={tl.here(volume, external=True)}",
            fmt=st.NUMBER,
        )
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
        _base_fee(g, w, pricing, pp, partial(hours, o.name, w) if hours and w.real_time else None)
    if several:
        for key, label in (
            ("volume", "Volume, all workloads"),
            ("vendor_volume", "Volume the vendor handles, all workloads"),
            ("base_fee", "Charge before escalation, all workloads"),
        ):
            g.add(
                key,
                label,
                "=" + "+".join(g.here(w.key(key)) for w in wls),
                fmt=st.MONEY if key == "base_fee" else st.NUMBER,
            )
    volume = tl.here("volume", external=True)
    g.section("Cost components")
    at = g.layout(OPTION_COMPONENTS)
    formulas = _vendor(g, o, p, at, volume, price_index)
    formulas |= _hidden(g, case, p, at, ih, price_index)
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


def _base_fee(
    g: Grid, w: WorkloadRef, pr: Pricing, pp: str, hours: Callable[[], str] | None
) -> None:
    """Driver rows down to the contracted charge before escalation (``vendor._base_fee``);
    ``pp`` prefixes the pricing's inputs, ``hours`` refers to the Erlang C staffed hours."""
    vv = g.here(w.key("vendor_volume"))
    k = w.key
    if isinstance(pr, HourlyPricing):
        handle = (
            n(pp + "handle_minutes") if pr.handle_minutes is not None else w.input("handle_minutes")
        )
        if hours is None:
            g.add(
                k("productive_hours"),
                w.label("Productive hours (volume x handle time / occupancy)"),
                f"={vv}*{handle}/60/{n(pp + 'occupancy')}",
                fmt=st.NUMBER,
            )
        else:
            g.add(
                k("productive_hours"),
                w.label("Staffed hours (Erlang C agents x open hours)"),
                f"={hours()}",
                fmt=st.NUMBER,
            )
        h = g.here(k("productive_hours"))
        if pr.basis == "productive_hour":
            g.add(k("billed_units"), w.label("Billed productive hours"), f"={h}", fmt=st.NUMBER)
        else:
            g.add(
                k("billed_units"),
                w.label("Billed FTE-months"),
                f"={h}/({n(pp + 'paid_hours_per_month')}*(1-{n(pp + 'shrinkage')}))",
                fmt=st.NUMBER,
            )
        g.add(
            k("base_fee"),
            w.label("Charge before escalation (rate x max(billed, minimum))"),
            f"={n(pp + 'rate')}*MAX({g.here(k('billed_units'))},"
            f"{n(pp + 'minimum_billed_per_month')})",
        )
    elif isinstance(pr, PerTransactionPricing) and pr.collar is not None:
        c = pp + "collar."
        base = n(c + "baseline_volume")
        g.add(
            k("base_fee"),
            w.label("Collar charge: base + ARC above the band - RRC below it"),
            f"={n(c + 'base_fee_per_month')}+{n(c + 'arc')}*MAX(0,{vv}-{base}"
            f"*(1+{n(c + 'dead_band')}))-{n(c + 'rrc')}*MAX(0,{base}"
            f"*(1-{n(c + 'dead_band')})-{vv})",
        )
    elif isinstance(pr, PerTransactionPricing):
        g.add(
            k("billed_volume"),
            w.label("Billed volume (max of volume and minimum)"),
            f"=MAX({vv},{n(pp + 'minimum_volume_per_month')})",
            fmt=st.NUMBER,
        )
        b = g.here(k("billed_volume"))
        if pr.tiers is None:
            g.add(
                k("base_fee"),
                w.label("Charge before escalation (price x billed volume)"),
                f"={n(pp + 'price')}*{b}",
            )
            return
        t = [pp + f"tiers.{j}." for j in range(len(pr.tiers))]
        if pr.tier_mode == "all_units":
            price = n(t[-1] + "price")
            for j in reversed(range(len(t) - 1)):  # V equal to a bound stays in the lower band
                price = f"IF({b}<={n(t[j] + 'up_to')},{n(t[j] + 'price')},{price})"
            g.add(
                k("tier_price"),
                w.label("Price of the band the billed volume falls in (all units)"),
                f"={price}",
                fmt=st.MONEY_CENTS,
                total=False,
            )
            g.add(
                k("base_fee"),
                w.label("Charge before escalation (billed volume x band price)"),
                f"={b}*{g.here(k('tier_price'))}",
            )
        else:
            terms, lower = [], "0"
            for j, tier in enumerate(t):
                if j < len(t) - 1:
                    up = n(tier + "up_to")
                    terms.append(f"{n(tier + 'price')}*MIN(MAX({b}-{lower},0),{up}-{lower})")
                    lower = up
                else:
                    terms.append(f"{n(tier + 'price')}*MAX({b}-{lower},0)")
            g.add(
                k("base_fee"),
                w.label("Charge before escalation (each band at its price)"),
                "=" + "+".join(terms),
            )
    elif isinstance(pr, OutcomePricing):
        g.add(
            k("base_fee"),
            w.label("Charge before escalation (base + price x outcomes)"),
            f"={n(pp + 'base_fee_per_month')}+{n(pp + 'price_per_outcome')}"
            f"*{vv}*{n(pp + 'outcome_rate')}",
        )


def _vendor(
    g: Grid, o: Option, p: str, at: dict[str, str], volume: str, price_index: str
) -> dict[str, str]:
    """Formulas of the vendor-invoice components (``vendor.vendor_components``)."""
    pr = o.pricing
    fees = at["vendor.fees"]
    invoice = f"MAX({fees}+{at['vendor.gainshare']}+{at['vendor.kpi_adjustment']},0)"
    out = {
        "vendor.fees": f"={g.here('base_fee')}*{g.here('escalation_index')}",
        "vendor.gainshare": "=0",
        "vendor.kpi_adjustment": "=0",
        "automation": "=0",
    }
    if isinstance(pr, OutcomePricing) and pr.gainshare is not None:
        q = p + "pricing.gainshare."
        s, base = n(q + "share"), n(q + "baseline_cost_per_month")

        def capped(x: str) -> str:
            return (
                x
                if pr.gainshare is None or pr.gainshare.cap_per_month is None
                else (f"MIN({x},{n(q + 'cap_per_month')})")
            )

        out["vendor.gainshare"] = "=" + capped(f"{s}*MAX({base}-{fees},0)")
        if pr.gainshare.painshare:
            out["vendor.gainshare"] += "-" + capped(f"{s}*MAX({fees}-{base},0)")
    if isinstance(pr, OutcomePricing) and pr.kpi is not None:
        q = p + "pricing.kpi."
        cap = n(q + "cap")
        out["vendor.kpi_adjustment"] = (
            f"={fees}*MAX(-{cap},MIN({cap},({n(q + 'expected')}"
            f"-{n(q + 'target')})*{n(q + 'per_point')}))"
        )
    out["vendor.service_credits"] = (
        f"=-({invoice}*{n(p + 'service_credits.at_risk_share')}"
        f"*{n(p + 'service_credits.expected_breach_share')})"
    )
    if o.automation is not None:
        a = p + "automation."
        out["automation"] = (
            f"=({volume}-{g.here('vendor_volume')})*{n(a + 'cost_per_unit')}"
            f"*{price_index}+IF({MONTH}={n(a + 'start_month')},"
            f"{n(a + 'build_cost')},0)"
        )
    return out


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
        "transition.stranded_costs": "=" + _sum(stranded),
        "governance": f"={n(t + 'governance_share_of_fees')}*{fees}"
        f"+{n(t + 'governance_fte')}*{n(t + 'governance_cost_per_fte_month')}"
        f"*{price_index}",
        "quality_leakage": f"={n(t + 'repeat_rate')}*{fees}",
        "exit": f"=IF(AND({n('include_exit_costs')},{m}={n('term_months')}),"
        f"{n(t + 'exit_share_of_annual_spend')}*SUM({last_year}),0)",
    }
