"""In-house cost: staffing from the workload, then the fully loaded cost of that team.

Components (per month, case currency):

- ``inhouse.salaries``: agent FTE × hourly wage × paid hours, stepped by wage inflation;
- ``inhouse.benefits_and_tax``: salaries × (benefits load + payroll tax);
- ``inhouse.supervision``: FTE / span supervisors, fully loaded;
- ``inhouse.other_staff``: fixed roles (managers, QA, planners), fully loaded;
- ``inhouse.facilities`` and ``inhouse.it``: per seat (agents, supervisors, other roles);
- ``inhouse.recruiting_training``: hires to replace attrition × (cost per hire + training);
- ``inhouse.fixed``: other fixed running costs.

Non-wage costs step with general inflation. Sources of defaults: DOMAIN.md, in-house section.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ._types import FloatArray
from .staffing import required_agents, workload_fte

__all__ = ["STAFF_COMPONENTS", "agent_fte", "inhouse_components", "productive_hours"]

STAFF_COMPONENTS = (
    "inhouse.salaries",
    "inhouse.benefits_and_tax",
    "inhouse.supervision",
    "inhouse.other_staff",
)


def productive_hours(
    workload: SimpleNamespace, volume: FloatArray, handle_minutes: FloatArray,
    occupancy: FloatArray,
) -> FloatArray:
    """Staffed (logged-in) hours a month: Erlang C agents × open hours for real-time work,
    handled hours ÷ occupancy otherwise."""
    rt = workload.real_time
    if rt is None:
        return volume * handle_minutes / 60.0 / occupancy
    intervals = rt.open_hours_per_month * 60.0 / rt.interval_minutes
    agents = required_agents(
        volume / intervals,
        handle_minutes * 60.0,
        rt.interval_minutes,
        target_service_level=rt.service_level_target,
        answer_seconds=rt.answer_seconds,
        max_occupancy=occupancy,
    )
    return np.asarray(agents * rt.open_hours_per_month, dtype=float)


def agent_fte(workload: SimpleNamespace, inhouse: SimpleNamespace, volume: FloatArray) -> FloatArray:
    """Paid agent FTE needed each month (fractional)."""
    paid_per_month = inhouse.paid_hours_per_year / 12.0
    if workload.real_time is None:
        return np.asarray(workload_fte(
            volume, workload.handle_minutes, productive_hours_per_month=paid_per_month,
            shrinkage=inhouse.shrinkage, occupancy=inhouse.occupancy,
        ), dtype=float)
    hours = productive_hours(workload, volume, workload.handle_minutes, inhouse.occupancy)
    return hours / (paid_per_month * (1.0 - inhouse.shrinkage))


def inhouse_components(
    p: SimpleNamespace, volume: FloatArray, wage_index: FloatArray, price_index: FloatArray
) -> dict[str, FloatArray]:
    """Monthly in-house cost components, by name."""
    ih = p.inhouse
    fte = agent_fte(p.workload, ih, volume)
    month_hours = ih.paid_hours_per_year / 12.0
    load = 1.0 + ih.benefits_load + ih.payroll_tax
    supervisors = fte / ih.supervision_span
    other_heads = sum((r.headcount for r in ih.other_roles), np.zeros((1, 1)))
    other_pay = sum((r.headcount * r.wage_per_hour for r in ih.other_roles), np.zeros((1, 1)))
    salaries = fte * ih.wage_per_hour * month_hours * wage_index
    seats = fte + supervisors + other_heads
    return {
        "inhouse.salaries": salaries,
        "inhouse.benefits_and_tax": salaries * (ih.benefits_load + ih.payroll_tax),
        "inhouse.supervision": supervisors * ih.supervisor_wage_per_hour * month_hours * load
        * wage_index,
        "inhouse.other_staff": other_pay * month_hours * load * wage_index,
        "inhouse.facilities": seats * ih.facilities_per_seat_month * price_index,
        "inhouse.it": seats * ih.it_per_seat_month * price_index,
        "inhouse.recruiting_training": fte * ih.attrition_per_year / 12.0
        * (ih.cost_per_hire + ih.training_per_hire) * price_index,
        "inhouse.fixed": ih.fixed_costs_per_month * price_index,
    }
