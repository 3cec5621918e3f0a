"""The Timeline, In-house and option sheets: every engine component as a live formula.

Each formula replicates the engine's arithmetic in the same order (``timeline.py``,
``inhouse.py``, ``vendor.py``, ``pricing.py``, ``transition.py``), so LibreOffice and Excel
compute the engine's numbers to the last few bits. Inputs are referred to by their defined
names (``in_<dotted key with _>``, see ``refs.input_name``).
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook

from ..case.models import (
    Case,
)
from ..engine.components import (
    COMPONENT_BY_KEY,
    INHOUSE,
    STAFF_COMPONENTS,
    inhouse_keys,
)
from . import styles as st
from .grid import MONTH, Grid
from .money import dated_formulas
from .refs import input_name as n
from .workloads import WorkloadRef, workload_refs

__all__ = ["HoursRef", "inhouse_sheet", "inhouse_volume_key", "timeline_sheet", "volume_row"]

_BETTER = "inhouse.improvement."  # the improvement path's inputs

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


def volume_row(g: Grid, tl: Grid, w: WorkloadRef) -> str:
    """A workload's volume, from the Timeline, as a row of a cost sheet; returns its key."""
    key = w.key("volume")
    g.add(key, w.label(f"Volume ({w.unit})"), f"={tl.here(key, external=True)}", fmt=st.NUMBER)
    return key


def inhouse_volume_key(case: Case, w: WorkloadRef) -> str:
    """The In-house sheet's row of the volume a workload's agents handle: after the improvement
    path's automation when it has one, with rework when the in-house side has a quality block."""
    better = case.inhouse.improvement
    automated = better is not None and better.automation is not None
    reworked = case.inhouse.quality is not None
    return w.key("inhouse_volume") if automated or reworked else w.key("volume")


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
    better = ih.improvement
    # the improvement path (inhouse.improved): automation first, productivity on staffed hours
    gain, gain_label = "", ""
    if better is not None:
        year = tl.here("contract_year", external=True)
        gain = f"*(1-{n(_BETTER + 'productivity_per_year')})^{year}"
        gain_label = " x (1 - productivity)^year"
    g.section("Drivers")
    for w in wls:
        volume, fte = volume_row(g, tl, w), w.key("agent_fte")
        handled = inhouse_volume_key(case, w)
        if handled != volume:  # engine.inhouse: automation first, then rework (quality)
            a = _BETTER + "automation."
            steps, factors = [], ""
            if better is not None and better.automation is not None:
                steps.append("after in-house automation")
                factors += f"*(1-IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0))"
            if ih.quality is not None:
                steps.append("x (1 + rework rate)")
                factors += f"*(1+{n('inhouse.quality.rework_rate')})"
            g.add(
                handled,
                w.label(f"Volume the agents handle ({', '.join(steps)})"),
                f"={g.here(volume)}{factors}",
                fmt=st.NUMBER,
            )
        staffed = w.key("staffed_hours")
        if w.real_time is None or hours is None:  # inhouse.productive_hours
            g.add(
                staffed,
                w.label(f"Staffed hours (volume x handle time / occupancy{gain_label})"),
                f"={g.here(handled)}*{w.inhouse('handle_minutes')}/60/{w.inhouse('occupancy')}"
                + gain,
                fmt=st.NUMBER,
            )
        else:
            g.add(
                staffed,
                w.label(f"Staffed hours (Erlang C agents x open hours{gain_label})"),
                f"={hours(INHOUSE, w)}{gain}",
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
    keys = inhouse_keys(ih)
    at = g.layout(keys)
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
        "inhouse.automation": _automation(g, case, wls, price_index),
        **dated_formulas("inhouse", "inhouse.", ih.dated_costs, ih.asset_sales),
    }
    for key in keys:
        g.add(key, COMPONENT_BY_KEY[key].label, formulas[key])
    first, last = g.row(keys[0]), g.row(keys[-1])
    g.section("Totals")
    g.add(
        "staff_cost",
        "Staff cost (salaries to fixed roles)",  # components.STAFF_COMPONENTS
        "=" + "+".join(g.here(k) for k in STAFF_COMPONENTS),
    )
    dated = [k for k in keys if COMPONENT_BY_KEY[k].block in ("dated_costs", "asset_sales")]
    if dated:  # the options' parallel run carries the running cost, not the dated amounts
        g.add(
            "running_total",
            "Running cost (without dated costs and sales)",
            f"=SUM({{c}}{first}:{{c}}{g.row(dated[0]) - 1})",
        )
    g.add("total", "Total in-house cost", f"=SUM({{c}}{first}:{{c}}{last})", font=st.BOLD)
    return g


def _automation(g: Grid, case: Case, wls: list[WorkloadRef], price_index: str) -> str:
    """The improvement path's deflected units at their unit cost, and the build cost
    (``automation.automation_cost``)."""
    better = case.inhouse.improvement
    if better is None or better.automation is None:
        return "=0"
    a = _BETTER + "automation."
    units = "+".join(g.here(w.key("volume")) for w in wls)  # deflected before any rework
    return (
        f"=({units})*IF({MONTH}>={n(a + 'start_month')},{n(a + 'share')},0)"
        f"*{n(a + 'cost_per_unit')}*{price_index}"
        f"+IF({MONTH}={n(a + 'start_month')},{n(a + 'build_cost')},0)"
    )
