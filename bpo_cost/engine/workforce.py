"""Staffing figures behind the costs: per month, owner and workload, the people and hours.

The same producers as the cost components (``inhouse``, ``vendor``), read for their quantities
instead of their money, so a figure here is the one the engine priced. Measures:

- ``volume``: units the owner's people handle (after automation: an option's, or the in-house
  improvement path's);
- ``deflected``: units automation takes off the option (options with automation);
- ``agents``: agents needed per interval by Erlang C (live channels; hourly vendors);
- ``productive_fte``: staffed hours ÷ paid hours of an FTE (before shrinkage; in-house, after
  the improvement path's productivity, which the Erlang C ``agents`` are before);
- ``paid_fte``: productive FTE ÷ (1 − shrinkage): the FTE paid for (in-house, hourly vendors);
- ``billed_hours`` / ``billed_fte``: what an hourly vendor bills (productive-hour or FTE-month
  basis); under workload ``all``, after the contract's monthly minimum;
- ``supervisors`` and ``seats``: in-house, pooled over the workloads (workload ``all``).

Workload ``all`` (``POOLED``) holds each owner's totals over its workloads and the pooled
figures. Per-transaction and outcome vendors do not say how they staff: only their volumes.
The formulas: docs/methodology.md#staffing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._types import FloatArray
from ..case.models import POOLED
from ..core.timeline import month_axis
from .components import INHOUSE
from .inhouse import improved, live_agents, own, paid_fte, productive_hours, summed
from .params import Params
from .run import workload_volumes
from .scope import wave_path
from .vendor import billed_hours, billed_volumes, billings, handled_volumes

__all__ = ["MEASURES", "POOLED", "Figures", "staffing_figures"]

MEASURES = (
    "volume",
    "deflected",
    "agents",
    "productive_fte",
    "paid_fte",
    "billed_hours",
    "billed_fte",
    "supervisors",
    "seats",
)

Figures = dict[tuple[str, str, str], FloatArray]  # (owner, workload, measure) -> (n, months)


def staffing_figures(p: Params, term_months: int) -> Figures:
    """Every staffing figure of a compiled case, keyed ``(owner, workload, measure)``.

    Parameters
    ----------
    p : the compiled case (``compile_case``).
    term_months : the length of the term.

    Returns
    -------
    dict
        ``(owner, workload, measure)`` -> ``(n, months)`` array; owners in-house first, then the
        options; workloads in case order, then ``all``; measures in ``MEASURES`` order.
    """
    months = month_axis(term_months)
    shape = (p.n_scenarios, term_months)
    volumes = workload_volumes(p, months)
    out: Figures = {}

    def put(owner: str, workload: str, measure: str, values: FloatArray) -> None:
        out[(owner, workload, measure)] = np.broadcast_to(values, shape)

    ih = p.inhouse
    month_hours = ih.paid_hours_per_year / 12.0
    handled, scale = volumes, None
    if ih.improvement is not None:  # Erlang C agents on the handled volume, before productivity
        handled, _, scale = improved(ih, volumes, months)
    for w, v in zip(p.workloads, handled, strict=True):
        occupancy = own(w, ih, "occupancy")
        hours = productive_hours(w, v, w.handle_minutes, occupancy)
        put(INHOUSE, w.name, "volume", v)
        if w.real_time is not None:
            put(INHOUSE, w.name, "agents", live_agents(w.real_time, v, w.handle_minutes, occupancy))
        if scale is not None:
            hours = hours * scale
        put(INHOUSE, w.name, "productive_fte", hours / month_hours)
        put(INHOUSE, w.name, "paid_fte", paid_fte(hours, month_hours, own(w, ih, "shrinkage")))
    _totals(out, INHOUSE, [w.name for w in p.workloads], put)
    fte = out[(INHOUSE, POOLED, "paid_fte")]
    other_heads = sum((r.headcount for r in ih.other_roles), np.zeros((1, 1)))
    put(INHOUSE, POOLED, "supervisors", fte / ih.supervision_span)
    put(INHOUSE, POOLED, "seats", fte * (1.0 + 1.0 / ih.supervision_span) + other_heads)

    for option in p.options:
        moved = None if not option.waves else wave_path(option, months)
        got: dict[str, dict[str, list[FloatArray]]] = {}  # workload -> measure -> per billing
        billed: dict[str, list[FloatArray]] = {}
        for b in billings(p, option):
            vols, deflected = handled_volumes(b, billed_volumes(b, volumes, moved), months)
            for i, v, d in zip(b.workloads, vols, deflected, strict=True):
                name = p.workloads[i].name
                got.setdefault(name, {}).setdefault("volume", []).append(v)
                if b.automation is not None:
                    got[name].setdefault("deflected", []).append(d)
            pr = b.pricing
            if pr.model != "hourly":
                continue
            hourly = pr.basis == "productive_hour"
            measure = "billed_hours" if hourly else "billed_fte"
            units = []
            for i, v in zip(b.workloads, vols, strict=True):
                w = p.workloads[i]
                by = got[w.name]
                hours = billed_hours(p, pr, i, v)
                fte_paid = paid_fte(hours, pr.paid_hours_per_month, pr.shrinkage)
                if w.real_time is not None:  # each line staffs its own share of the traffic
                    handle = w.handle_minutes if pr.handle_minutes is None else pr.handle_minutes
                    agents = live_agents(w.real_time, v, handle, pr.occupancy)
                    by.setdefault("agents", []).append(agents)
                by.setdefault("productive_fte", []).append(hours / pr.paid_hours_per_month)
                by.setdefault("paid_fte", []).append(fte_paid)
                unit = hours if hourly else fte_paid
                by.setdefault(measure, []).append(unit)
                units.append(unit)
            # the contract's minimum applies to what the schedule bills together
            billed.setdefault(measure, []).append(
                np.maximum(summed(units), pr.minimum_billed_per_month)
            )
        for w in p.workloads:  # a workload that stays in-house has no vendor figures
            for measure, parts in got.get(w.name, {}).items():
                put(option.name, w.name, measure, summed(parts))
        _totals(out, option.name, [w.name for w in p.workloads], put, skip=set(billed))
        for measure, parts in billed.items():
            put(option.name, POOLED, measure, summed(parts))
    return _ordered(out, p)


def _totals(
    out: Figures,
    owner: str,
    names: list[str],
    put: Callable[[str, str, str, FloatArray], None],
    skip: set[str] | None = None,
) -> None:
    """Workload ``all``: each measure summed over the owner's workloads that have it."""
    for measure in MEASURES:
        parts = [out[(owner, n, measure)] for n in names if (owner, n, measure) in out]
        if parts and measure not in (skip or set()):
            put(owner, POOLED, measure, summed(parts))


def _ordered(out: Figures, p: Params) -> Figures:
    """Owners, then workloads (``all`` last), then measures, in their documented order."""
    owners = [INHOUSE, *(o.name for o in p.options)]
    workloads = [*(w.name for w in p.workloads), POOLED]
    return {
        key: out[key]
        for key in sorted(
            out,
            key=lambda k: (owners.index(k[0]), workloads.index(k[1]), MEASURES.index(k[2])),
        )
    }
