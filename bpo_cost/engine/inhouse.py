"""In-house cost: staffing from the workload, then the fully loaded cost of that team.

Components (per month, case currency):

- ``inhouse.salaries``: agent FTE × hourly wage × paid hours, stepped by wage inflation, summed
  over the workloads (each with its own wage, shrinkage and occupancy where it sets them);
- ``inhouse.benefits_and_tax``: salaries × (benefits load + payroll tax);
- ``inhouse.supervision``: FTE / span supervisors, fully loaded (FTE pooled over the workloads,
  as are seats and hires below);
- ``inhouse.other_staff``: fixed roles (managers, QA, planners), fully loaded;
- ``inhouse.facilities`` and ``inhouse.it``: per seat (agents, supervisors, other roles);
- ``inhouse.recruiting_training``: hires to replace attrition × (cost per hire + training);
- ``inhouse.fixed``: other fixed running costs.
- ``inhouse.automation``: the improvement path's automation (``automation.py``): deflected units
  and build cost; only with an improvement path.

With an improvement path (``InHouse.improvement``) each workload is staffed for the volume left
after in-house automation, its staffed hours × (1 − productivity)^contract year. With a quality
block (``InHouse.quality``) the agents handle their volume × (1 + rework rate) (``quality``).

Non-wage costs step with general inflation. Sources of defaults: docs/methodology.md#in-house-cost.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._types import ArrayLike, FloatArray
from ..core.arguments import NONNEGATIVE, POSITIVE, Range, checker, float_or_array
from ..core.concurrency import concurrency_factor_unchecked
from ..core.staffing import required_agents
from ..core.timeline import yearly_index
from ..core.workspace import into, op
from .automation import automation_cost, deflected
from .params import InHouse, Params, RealTime, Workload
from .quality import reworked

__all__ = [
    "agent_fte",
    "baseline_agents",
    "improved",
    "inhouse_components",
    "live_agents",
    "loaded_cost_per_fte_month",
    "loaded_pay",
    "own",
    "paid_fte",
    "productive_hours",
    "summed",
]


def summed(arrays: Sequence[FloatArray]) -> FloatArray:
    """The sum of per-workload arrays (broadcast); one array is returned as it is, unchanged."""
    total: FloatArray = functools.reduce(lambda a, b: op(np.add, a, b), arrays)
    return total


def own(workload: Workload, inhouse: InHouse, field: str) -> FloatArray:
    """An in-house staffing field as ``workload`` has it: its override, else the in-house one."""
    value = None if workload.inhouse is None else getattr(workload.inhouse, field)
    chosen: FloatArray = getattr(inhouse, field) if value is None else value
    return chosen


def live_agents(
    rt: RealTime, volume: FloatArray, handle_minutes: FloatArray, occupancy: FloatArray
) -> FloatArray:
    """Agents per interval of a live channel (Erlang C), chat on its effective handle time."""
    intervals = rt.open_hours_per_month * 60.0 / rt.interval_minutes
    handle_seconds = handle_minutes * 60.0
    if np.any(rt.concurrency != 1.0):  # chat: handle time ÷ the published concurrency factor
        handle_seconds = handle_seconds / concurrency_factor_unchecked(rt.concurrency)
    agents = required_agents(
        op(np.divide, volume, intervals),
        handle_seconds,
        rt.interval_minutes,
        service_level_target=rt.service_level_target,
        answer_seconds=rt.answer_seconds,
        occupancy=occupancy,
    )
    return np.asarray(agents, dtype=float)


def productive_hours(
    workload: Workload,
    volume: FloatArray,
    handle_minutes: FloatArray,
    occupancy: FloatArray,
) -> FloatArray:
    """Staffed (logged-in) hours a month: Erlang C agents × open hours for real-time work,
    handled hours ÷ occupancy otherwise."""
    rt = workload.real_time
    if rt is None:  # the per-unit factor first: one pass over the (scenarios, months) volumes
        return op(np.multiply, volume, handle_minutes / 60.0 / occupancy)
    agents = live_agents(rt, volume, handle_minutes, occupancy)
    return op(np.multiply, agents, rt.open_hours_per_month)


def agent_fte(
    workload: Workload, inhouse: InHouse, volume: FloatArray, scale: FloatArray | None = None
) -> FloatArray:
    """Paid agent FTE a workload needs each month (fractional), with its own overrides;
    ``scale``: the improvement path's productivity factor on the staffed hours (`improved`)."""
    occupancy = own(workload, inhouse, "occupancy")
    hours = productive_hours(workload, volume, workload.handle_minutes, occupancy)
    if scale is not None:
        hours = op(np.multiply, hours, scale)
    return paid_fte(hours, inhouse.paid_hours_per_year / 12.0, own(workload, inhouse, "shrinkage"))


def improved(
    inhouse: InHouse, volumes: Sequence[FloatArray], months: FloatArray
) -> tuple[list[FloatArray], list[FloatArray], FloatArray]:
    """The improvement path's effect on the in-house work: the volume the agents handle and the
    volume automation deflects (per workload), and the factor (1 − productivity)^contract year
    on the staffed hours. ``inhouse.improvement`` must be set."""
    better = inhouse.improvement
    assert better is not None
    deflected_units = [deflected(better.automation, v, months) for v in volumes]
    handled = [v - d for v, d in zip(volumes, deflected_units, strict=True)]
    return handled, deflected_units, yearly_index(-better.productivity_per_year, months)


def paid_fte(
    hours: FloatArray, paid_hours_per_month: FloatArray, shrinkage: FloatArray
) -> FloatArray:
    """FTE to pay for staffed hours: each FTE is paid for its hours, shrinkage included."""
    return op(np.divide, hours, paid_hours_per_month * (1.0 - shrinkage))


def inhouse_components(
    p: Params,
    volumes: Sequence[FloatArray],
    wage_index: FloatArray,
    price_index: FloatArray,
    months: FloatArray | None = None,
) -> dict[str, FloatArray]:
    """Monthly in-house cost components, by name (``volumes``: one per workload; ``months``:
    the month axis, needed when the case has an in-house improvement path)."""
    ih = p.inhouse
    better = ih.improvement
    ftes, deflected_units = _staffed(p, volumes, months)
    if better is not None:
        assert months is not None  # `_staffed` asked for it
        automation = automation_cost(better.automation, deflected_units, months, price_index)
    fte = summed(ftes)  # supervision, seats and hiring pool over the workloads
    month_hours = ih.paid_hours_per_year / 12.0
    load = 1.0 + ih.benefits_load + ih.payroll_tax
    other_heads = sum((r.headcount for r in ih.other_roles), np.zeros((1, 1)))
    other_pay = sum((r.headcount * r.wage_per_hour for r in ih.other_roles), np.zeros((1, 1)))
    # Costs per agent FTE and month first (one row, or one per scenario), then one pass over
    # the FTE grid each: the grid is what is big in a batch.
    salaries = summed(
        [
            op(
                np.multiply,
                f,
                op(np.multiply, own(w, ih, "wage_per_hour") * month_hours, wage_index),
            )
            for f, w in zip(ftes, p.workloads, strict=True)
        ]
    )
    seats = op(np.multiply, fte, 1.0 + 1.0 / ih.supervision_span)
    seats = into(seats, np.add, seats, other_heads)  # agents and supervisors
    supervisor_cost = ih.supervisor_wage_per_hour * month_hours * load / ih.supervision_span
    hire_cost = ih.attrition_per_year / 12.0 * (ih.cost_per_hire + ih.training_per_hire)
    parts = {
        "inhouse.salaries": salaries,
        "inhouse.benefits_and_tax": op(np.multiply, salaries, ih.benefits_load + ih.payroll_tax),
        "inhouse.supervision": op(np.multiply, fte, op(np.multiply, supervisor_cost, wage_index)),
        "inhouse.other_staff": loaded_pay(ih, other_pay, wage_index),
        "inhouse.facilities": op(
            np.multiply, seats, op(np.multiply, ih.facilities_per_seat_month, price_index)
        ),
        "inhouse.it": op(np.multiply, seats, op(np.multiply, ih.it_per_seat_month, price_index)),
        "inhouse.recruiting_training": op(
            np.multiply, fte, op(np.multiply, hire_cost, price_index)
        ),
        "inhouse.fixed": op(np.multiply, ih.fixed_costs_per_month, price_index),
    }
    if better is not None:  # a block's component (components.py): only with the path
        parts["inhouse.automation"] = automation
    return parts


def baseline_agents(
    p: Params, volumes: Sequence[FloatArray], months: FloatArray | None = None
) -> list[FloatArray]:
    """Paid agent FTE the in-house operation staffs for each workload at ``volumes`` (one per
    workload, the months ``months``), as `inhouse_components` staffs them: rework, and the
    improvement path's automation and productivity when the case has one (then ``months`` is
    needed)."""
    return _staffed(p, volumes, months)[0]


def _staffed(
    p: Params, volumes: Sequence[FloatArray], months: FloatArray | None
) -> tuple[list[FloatArray], list[FloatArray]]:
    """Agent FTE per workload and the units the improvement path's automation deflects (none
    without the path)."""
    ih = p.inhouse
    if ih.improvement is None:
        worked = reworked(volumes, ih.quality)
        return [agent_fte(w, ih, v) for w, v in zip(p.workloads, worked, strict=True)], []
    if months is None:
        raise ValueError("inhouse_components: an improvement path needs the month axis")
    handled, deflected_units, factor = improved(ih, volumes, months)
    worked = reworked(handled, ih.quality)
    ftes = [agent_fte(w, ih, v, factor) for w, v in zip(p.workloads, worked, strict=True)]
    return ftes, deflected_units


def loaded_pay(ih: InHouse, pay_per_hour: FloatArray, wage_index: FloatArray) -> FloatArray:
    """Monthly cost of fixed roles paid ``pay_per_hour`` in all (Σ FTE × hourly wage), fully
    loaded: × paid hours a month × (1 + benefits load + payroll tax) × wage index."""
    load = 1.0 + ih.benefits_load + ih.payroll_tax
    return op(np.multiply, pay_per_hour * (ih.paid_hours_per_year / 12.0) * load, wage_index)


def loaded_cost_per_fte_month(
    wage_per_hour: ArrayLike,
    *,
    paid_hours_per_year: ArrayLike,
    benefits_load: ArrayLike,
    payroll_tax: ArrayLike,
    supervision_span: ArrayLike,
    supervisor_wage_per_hour: ArrayLike,
    facilities_per_seat_month: ArrayLike,
    it_per_seat_month: ArrayLike,
    attrition_per_year: ArrayLike,
    cost_per_hire: ArrayLike,
    training_per_hire: ArrayLike,
) -> Any:
    """Fully loaded monthly cost of one agent FTE, before wage and price inflation.

    The engine's volume-driven in-house components (`inhouse_components`) for one paid agent FTE
    in the first contract year; fixed roles and fixed costs are not per FTE and are left out.

    Parameters
    ----------
    wage_per_hour : base hourly wage of an agent.
    paid_hours_per_year : paid (contracted) hours per FTE a year, e.g. 2080 = 52 x 40.
    benefits_load, payroll_tax : employer on-costs as shares of the base wage (0.25, 0.0765).
    supervision_span : agents per supervisor (>= 1).
    supervisor_wage_per_hour : base hourly wage of a supervisor (loaded like an agent's).
    facilities_per_seat_month, it_per_seat_month : cost of a seat, for agents and supervisors.
    attrition_per_year : share of agents replaced each year.
    cost_per_hire, training_per_hire : cost of replacing one agent.

    Returns
    -------
    float or ndarray
        Cost per agent FTE per month; broadcasts like numpy.

    Notes
    -----
    With h = paid_hours_per_year / 12, L = 1 + benefits_load + payroll_tax and span s::

        cost = wage·h·L + supervisor_wage·h·L / s + (1 + 1/s)·(facilities + IT)
               + attrition / 12 · (cost_per_hire + training_per_hire)

    Examples
    --------
    A $20/h agent with the case defaults (docs/methodology.md#in-house-cost): salary 3,466.67,
    on-costs 1,131.87, supervision 536.50, seats 487.50, attrition 204.17:

    >>> round(loaded_cost_per_fte_month(
    ...     20.0, paid_hours_per_year=2080, benefits_load=0.25, payroll_tax=0.0765,
    ...     supervision_span=12, supervisor_wage_per_hour=28.0, facilities_per_seat_month=300,
    ...     it_per_seat_month=150, attrition_per_year=0.35, cost_per_hire=4000,
    ...     training_per_hire=3000), 2)
    5826.7
    """
    nonneg = {
        "wage_per_hour": wage_per_hour,
        "benefits_load": benefits_load,
        "payroll_tax": payroll_tax,
        "supervisor_wage_per_hour": supervisor_wage_per_hour,
        "facilities_per_seat_month": facilities_per_seat_month,
        "it_per_seat_month": it_per_seat_month,
        "attrition_per_year": attrition_per_year,
        "cost_per_hire": cost_per_hire,
        "training_per_hire": training_per_hire,
    }
    check = checker(*nonneg.values(), paid_hours_per_year, supervision_span)  # floats for a cell
    x = {k: check(k, v, NONNEGATIVE) for k, v in nonneg.items()}
    hours = check("paid_hours_per_year", paid_hours_per_year, POSITIVE) / 12.0
    span = check("supervision_span", supervision_span, Range(low=1.0))
    load = 1.0 + x["benefits_load"] + x["payroll_tax"]
    cost = (
        (x["wage_per_hour"] + x["supervisor_wage_per_hour"] / span) * hours * load
        + (1.0 + 1.0 / span) * (x["facilities_per_seat_month"] + x["it_per_seat_month"])
        + x["attrition_per_year"] / 12.0 * (x["cost_per_hire"] + x["training_per_hire"])
    )
    return float_or_array(np.asarray(cost))
