"""Ending a contract early: what a termination stops, and what it costs to take the work back.

docs/methodology.md#termination. For an option with a ``termination`` block (T its month; the
service path A(t) = [t ≤ T], ``scope.service_path``):

- the vendor's charges, governance, the retained organisation, quality leakage, the currency
  movement and the stranded costs stop after T (× A(t));
- ``exit``: the exit share of the fees of the (up to) twelve months up to T, annualised, in T,
  whatever the case says about exit costs;
- ``termination.fee``: the fee schedule's step for T, in T;
- ``termination.rehiring``: the agents the returned work needs in T + 1 × (cost per hire +
  training per hire) × price index, in T + 1;
- ``termination.ramp``: the returned work's share of the staff cost × (1 / e(t) − 1), the rebuilt
  team's efficiency e rising from ``ramp_start_efficiency`` to 1 over ``ramp_months``.

The work itself comes back through ``inhouse.kept`` (``kept.py``: the moved share S(t) × A(t)).
T may differ per scenario, so every mask is ``(1 or n, months)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._types import FloatArray
from ..core.timeline import in_month
from ..core.workspace import op
from .components import STAFF_COMPONENTS
from .inhouse import baseline_agents, summed
from .params import Option, Params, Termination
from .scope import scopes, service_path, wave_path
from .transition import scope_staff_share

__all__ = ["SERVED", "terminated", "termination_fee"]

SERVED = (
    "vendor.fees",
    "vendor.gainshare",
    "vendor.kpi_adjustment",
    "vendor.service_credits",
    "automation",
    "transition.productivity_dip",
    "transition.stranded_costs",
    "governance",
    "quality_leakage",
    "retained.organisation",
    "retained.share_of_fees",
    "fx.adjustment",
)
"""The components that stop after the termination month: what the vendor serves, and what the
client spends on managing it or on idle leases (these serve the returned operation again)."""

_ZERO = np.zeros((1, 1))
_ZERO.flags.writeable = False


def terminated(
    p: Params,
    option: Option,
    parts: Mapping[str, FloatArray],
    months: FloatArray,
    volumes: Sequence[FloatArray],
    price_index: FloatArray,
    inhouse: Mapping[str, FloatArray],
) -> dict[str, FloatArray]:
    """The components of a terminated ``option`` its termination changes or adds, by key: those
    of ``SERVED`` it has (``parts``, as the engine made them) stopped after T, the exit in T,
    then ``termination.fee``, ``termination.rehiring`` and ``termination.ramp``.

    ``volumes``: each workload's in-house volume; ``inhouse``: the in-house components, at
    least up to T + the ramp months (the staff cost the ramp is charged on).
    """
    end = option.termination
    assert end is not None, "terminated: an option with a termination block"
    month = end.month
    served = service_path(option, months)
    out = {
        key: op(np.multiply, parts[key], served[:, : parts[key].shape[1]])
        for key in SERVED
        if key in parts
    }
    share = option.transition.exit_share_of_annual_spend
    out["exit"] = share * _last_year_fees(parts["vendor.fees"], month, months)
    last = min(int(month.max()), months.shape[1])
    out["termination.fee"] = termination_fee(end) * (months[:, :last] == month)
    # the share of the scope that returns: s_w x S(T) per workload (S(T) = 1 after every wave)
    returned = wave_path(option, month)
    out["termination.rehiring"] = _rehiring(p, option, returned, months, volumes, price_index)
    out["termination.ramp"] = _ramp(p, option, returned, months, volumes, inhouse)
    return out


def termination_fee(end: Termination) -> FloatArray:
    """fee(T): the amount of the first step whose ``up_to_month`` is at or after T, 0 after the
    last step (and without steps), ``(1 or n, 1)``."""
    fee: FloatArray = _ZERO
    for step in reversed(end.fees):  # the earliest matching step is applied last
        fee = np.where(end.month <= step.up_to_month, step.amount, fee)
    return fee


def _last_year_fees(fees: FloatArray, month: FloatArray, months: FloatArray) -> FloatArray:
    """The fees of months max(1, T − 11) … T × 12 / min(T, 12) (annualised), in month T."""
    m = months[:, : fees.shape[1]]
    window = (m <= month) & (m > month - 12.0)
    spend = (fees * window).sum(axis=1, keepdims=True) * (12.0 / np.minimum(month, 12.0))
    last = min(int(month.max()), months.shape[1])
    return np.asarray(spend * (months[:, :last] == month), dtype=float)


def _rehiring(
    p: Params,
    option: Option,
    returned: FloatArray,
    months: FloatArray,
    volumes: Sequence[FloatArray],
    price_index: FloatArray,
) -> FloatArray:
    """Σ_w s_w × S(T) × agents_w(T + 1) × (cost per hire + training per hire) × price index
    (T + 1), in T + 1 (none when T is the last month of the term)."""
    assert option.termination is not None
    after = option.termination.month + 1.0
    term = months.shape[1]
    if bool(np.all(after > term)):
        return _ZERO
    at = np.minimum(after, float(term))  # a month of the term; masked out where T is the last
    agents = baseline_agents(p, [in_month(v, at) for v in volumes], at)
    hires = summed([s * returned * a for s, a in zip(scopes(p, option), agents, strict=True)])
    ih = p.inhouse
    cost = hires * ((ih.cost_per_hire + ih.training_per_hire) * in_month(price_index, at))
    width = min(int(after.max()), term)
    return np.asarray(cost * (months[:, :width] == after), dtype=float)


def _ramp(
    p: Params,
    option: Option,
    returned: FloatArray,
    months: FloatArray,
    volumes: Sequence[FloatArray],
    inhouse: Mapping[str, FloatArray],
) -> FloatArray:
    """g(t) × S(T) × staff(t) × (1 / e(t) − 1), e(t) = e0 + (1 − e0) × (t − T − 1) / max(R, 1)
    for T < t ≤ T + R (1 otherwise); staff: the baseline's, as ``inhouse.kept`` runs it."""
    end = option.termination
    assert end is not None
    month, ramp = end.month, end.ramp_months
    width = min(int((month + ramp).max()), months.shape[1])
    if width <= int(month.min()):  # no ramp month within the term in any scenario
        return _ZERO
    m = months[:, :width]
    e0 = end.ramp_start_efficiency
    efficiency = np.where(
        (m > month) & (m <= month + ramp),
        e0 + (1.0 - e0) * (m - month - 1.0) / np.maximum(ramp, 1.0),
        1.0,
    )
    staff = summed([inhouse[k][:, :width] for k in STAFF_COMPONENTS])
    share = scope_staff_share(p, option, volumes, m) * returned
    return np.asarray(share * staff * (1.0 / efficiency - 1.0), dtype=float)
