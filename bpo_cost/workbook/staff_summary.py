"""The Staffing summary sheet: who handles what, and with how many people, month by month.

Per owner (in-house, each option) and workload: the volume handled, the volume automation
deflects, agents per interval (live channels, Erlang C), productive and paid FTE, billed hours
or FTE (hourly vendors); under workload ``all`` each owner's totals, an hourly vendor's billed
units after its monthly minimum, and the in-house supervisors and seats, pooled over the
workloads. Every cell points at the working on the cost sheets and the Staffing sheet;
``Result.staffing`` computes the same figures.
"""

from __future__ import annotations

from functools import partial

from openpyxl import Workbook

from ..case.models import POOLED, Case, HourlyPricing
from . import styles as st
from .cashflows import Owner
from .costs import inhouse_volume_key
from .delivery import deliveries
from .grid import Grid
from .options import billing_groups, deflected_volume
from .refs import input_name as n
from .staffing import INHOUSE_POOL, StaffingPlan, pool_owner
from .workloads import WorkloadRef, workload_refs

__all__ = ["STAFFING_SUMMARY", "staffing_summary_sheet"]

STAFFING_SUMMARY = "Staffing summary"


def staffing_summary_sheet(
    wb: Workbook, case: Case, owners: list[Owner], plan: StaffingPlan | None
) -> Grid:
    """Write the sheet; ``owners[0]`` is in-house, then the options in case order.

    Row keys are the measures of ``Result.staffing`` (``engine.workforce.MEASURES``), with the
    workload in brackets (``paid_fte[chat]``; plain for the one workload of a case), and
    ``[all]`` for an owner's totals over its workloads and the pooled figures.
    """
    g = Grid(
        wb,
        STAFFING_SUMMARY,
        case.term_months,
        heading="Staffing summary: volumes, agents and FTE",
        note="Per owner and workload, each month; every cell points at the working on the cost "
        "sheets and, for live channels, the Erlang C agents on the Staffing sheet.",
    )
    wls = workload_refs(case)
    ih = owners[0]
    month_hours = f"({n('inhouse.paid_hours_per_year')}/12)"

    def ref(owner: Owner, key: str) -> str:
        return owner.grid.here(key, external=True)

    def add(owner: Owner, w: WorkloadRef | None, measure: str, formula: str) -> None:
        key = f"{measure}[{POOLED}]" if w is None else w.key(measure)
        label = _LABELS[measure]
        if measure.startswith("billed"):
            label += " (after the monthly minimum)" if w is None else " (before the minimum)"
        label = f"{POOLED}: {label}" if w is None else w.label(label)
        fmt = st.MONTHS if measure == "agents" else st.NUMBER
        summed = measure in ("volume", "deflected", "billed_hours")
        g.add(key, label, "=" + formula, fmt=fmt, total=summed, owner=owner.key)

    def totals(owner: Owner, skip: tuple[str, ...] = ()) -> None:
        """Workload ``all``: each measure summed over the workloads that have it."""
        for measure in _LABELS:
            rows = [g.here(w.key(measure), owner.key) for w in wls if _has(g, w, measure, owner)]
            if rows and measure not in skip:
                add(owner, None, measure, "+".join(rows))

    g.section("In-house")
    for w in wls:
        add(ih, w, "volume", ref(ih, inhouse_volume_key(case, w)))
        if plan is not None and plan.has(INHOUSE_POOL, w):
            add(ih, w, "agents", plan.agents(INHOUSE_POOL, w))
        add(ih, w, "productive_fte", f"{ref(ih, w.key('staffed_hours'))}/{month_hours}")
        add(ih, w, "paid_fte", ref(ih, w.key("agent_fte")))
    totals(ih)
    add(ih, None, "supervisors", ref(ih, "supervisors"))
    add(ih, None, "seats", ref(ih, "seats"))
    for i, (o, option) in enumerate(zip(owners[1:], case.options, strict=True)):
        g.section(o.name)
        for w in wls:  # a workload the option leaves in-house has no vendor figures
            mine = [d for d in deliveries(case, i) if d.workload == w]
            if not mine:
                continue
            add(o, w, "volume", ref(o, w.key("vendor_volume")))
            automated = [d for d in mine if d.automation(case) is not None]
            if automated:
                here = partial(ref, o)
                add(
                    o,
                    w,
                    "deflected",
                    "+".join(deflected_volume(here, d, option) for d in automated),
                )
            hourly = [d for d in mine if isinstance(d.pricing, HourlyPricing)]
            sums: dict[str, list[str]] = {}  # measure -> one term per hourly line
            for d in hourly:
                pr, pp = d.pricing, d.pricing_prefix
                assert isinstance(pr, HourlyPricing)
                owner = pool_owner(o.key, d)
                if plan is not None and plan.has(owner, w):
                    sums.setdefault("agents", []).append(plan.agents(owner, w))
                hours, paid = ref(o, d.key("productive_hours")), n(pp + "paid_hours_per_month")
                fte = f"{hours}/({paid}*(1-{n(pp + 'shrinkage')}))"
                sums.setdefault("productive_fte", []).append(f"{hours}/{paid}")
                sums.setdefault("paid_fte", []).append(fte)
                if pr.basis == "productive_hour":
                    sums.setdefault("billed_hours", []).append(hours)
                else:
                    sums.setdefault("billed_fte", []).append(fte)
            for measure in _LABELS:  # in the engine's order
                if measure == "billed_fte" and len(hourly) == 1 and measure in sums:
                    sums[measure] = [g.here(w.key("paid_fte"), o.key)]  # one line: its row
                if measure in sums:
                    add(o, w, measure, "+".join(sums[measure]))
        billed: dict[str, list[str]] = {}  # after each schedule's minimum (Billed units row)
        for b in billing_groups(case, i):
            pr = b.pricing
            if isinstance(pr, HourlyPricing):
                measure = "billed_hours" if pr.basis == "productive_hour" else "billed_fte"
                billed.setdefault(measure, []).append(
                    f"MAX({ref(o, b.key('billed_units'))},"
                    f"{n(b.prefix + 'minimum_billed_per_month')})"
                )
        totals(o, skip=tuple(billed))
        for measure, terms in billed.items():
            add(o, None, measure, "+".join(terms))
    return g


def _has(g: Grid, w: WorkloadRef, measure: str, owner: Owner) -> bool:
    return f"{w.key(measure)}|{owner.key}" in g.rows


# The measures (``engine.workforce.MEASURES``) in their order, with their row labels.
_LABELS = {
    "volume": "Volume handled",
    "deflected": "Volume deflected by automation",
    "agents": "Agents per interval (Erlang C)",
    "productive_fte": "Productive FTE (staffed hours / paid hours)",
    "paid_fte": "Paid FTE (productive FTE / (1 - shrinkage))",
    "billed_hours": "Billed hours",
    "billed_fte": "Billed FTE",
    "supervisors": "Supervisors (pooled FTE / span)",
    "seats": "Seats (agents, supervisors, fixed roles)",
}
