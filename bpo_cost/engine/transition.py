"""Hidden costs of outsourcing, the ones vendor quotes leave out.

Barthélemy's four families (MIT Sloan Management Review 42(3), 2001); magnitudes and their sources
in docs/methodology.md#hidden-costs.
Components (per month, case currency):

- ``transition.vendor_selection``: search and contracting, month 1: a fixed cost plus a share of
  the annual contract value (ACV = mean annual vendor fees);
- ``transition.knowledge_transfer``: a transition team (share of the in-house staff cost) during
  the transition months, plus any fixed knowledge-transfer cost spread over them;
- ``transition.parallel_run``: the whole in-house cost stack while both run (an option with
  partial scope or waves: the moved work's in-house cost until its hand-over, ``kept.py``);
- ``transition.severance_retention``: severance (months of staff pay) when the in-house team
  leaves, and retention pay during the parallel run;
- ``transition.productivity_dip``: extra effort paid for while the vendor ramps up: fees ×
  (1/efficiency − 1), efficiency rising linearly to 1 over the ramp months, on the fees of the
  schedules whose dip the client pays (``quality.client_pays_dip``);
- ``transition.stranded_costs``: leases and licences that outlive the in-house operation;
- ``governance``: retained organisation: a share of fees plus governance FTE;
- ``retained.*``: the retained organisation sized as people (``retained``);
- ``quality_leakage``: rework and repeat contacts handled and paid for again;
- ``exit``: switching cost at term end (a share of the last year's spend), when the case asks.

An option moved in migration waves (``Option.waves``), or one that leaves part of a workload
in-house, takes the transition charges wave by wave: each on its share of the scope, from its
month (docs/methodology.md#migration-waves). Any other takes the v1 cut-over path.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from .._types import FloatArray
from ..core.timeline import in_month
from ..core.workspace import as_float, op
from .components import STAFF_COMPONENTS
from .inhouse import agent_fte, own, summed
from .params import Option, Params
from .retained import retained_components
from .scope import moved_shares, scopes, wave_path, whole_scope

__all__ = ["hidden_components", "inhouse_months_read", "scope_staff_share"]


def hidden_components(
    p: Params,
    option: Option,
    months: FloatArray,
    fees: FloatArray,
    inhouse_total: FloatArray,
    inhouse: Mapping[str, FloatArray],
    price_index: FloatArray,
    *,
    dip_fees: FloatArray | None = None,
    parallel_run: FloatArray | None = None,
    volumes: Sequence[FloatArray] = (),
) -> dict[str, FloatArray]:
    """Monthly hidden-cost components of one option, by name; ``dip_fees``: the fees on which
    the client pays the productivity dip (``vendor.vendor_invoice``; None: all the fees);
    ``parallel_run``: the parallel run of an option that keeps in-house work
    (``kept.kept_components``), else the v1 formula.

    The transition components stop after a few months, so they are computed over the first
    months any scenario needs and returned that narrow (zero after; see ``engine.Components``).
    ``volumes`` (per workload, in-house) weigh the staff cost of a partial scope over several
    workloads (``scope_staff_share``); not needed otherwise.
    """
    # Factors that depend only on the month (and on month counts) are built first: small
    # (1, months) rows unless a batch varies them, so each component is one pass over fees.
    t = option.transition
    term = months.shape[1]
    acv = fees.sum(axis=1, keepdims=True) * (12.0 / term)
    kt_months, handover = _transition_ends(option)
    m = _first(months, kt_months, handover)  # as in `inhouse_months_read`
    staff = np.asarray(sum(inhouse[k][:, : m.shape[1]] for k in STAFF_COMPONENTS), dtype=float)

    dip_fees = fees if dip_fees is None else dip_fees  # the client pays the dip on these
    if not whole_scope(p, option):  # waves, or part of a workload stays in-house
        knowledge_transfer, severance_retention, productivity_dip, stranded = _wave_costs(
            p, option, months, dip_fees, staff, scope_staff_share(p, option, volumes, m)
        )
        # the moved work's in-house cost until its hand-over comes from kept.kept_components
        assert parallel_run is not None, "an option that keeps in-house work: its parallel run"
    else:
        m = _first(months, kt_months)
        knowledge_transfer = staff[:, : m.shape[1]] * (
            t.transition_team_share * _mask(m <= t.transition_months)
        ) + (t.knowledge_transfer_cost / kt_months) * _mask(m <= kt_months)

        m = _first(months, handover)
        in_parallel = _mask(m <= t.parallel_run_months)
        if parallel_run is None:  # the whole operation runs until the hand-over (v1)
            parallel_run = inhouse_total[:, : m.shape[1]] * in_parallel
        severance_retention = (t.severance_months_of_pay * in_month(staff, handover)) * _mask(
            m == handover
        ) + staff[:, : m.shape[1]] * (t.retention_share * in_parallel)

        m = _first(months, t.ramp_months)
        efficiency = np.where(
            m <= t.ramp_months,
            t.ramp_start_efficiency
            + (1.0 - t.ramp_start_efficiency) * (m - 1.0) / np.maximum(t.ramp_months, 1.0),
            1.0,
        )
        productivity_dip = dip_fees[:, : m.shape[1]] * (1.0 / efficiency - 1.0)
        stranded = _stranded(p, months, t.parallel_run_months)

    share = t.governance_share_of_fees
    # a share of zero in every scenario (the retained organisation sized as people instead):
    # one zero, not a month grid of them (engine.Components)
    governance = op(np.multiply, share, fees) if np.any(share) else np.zeros((1, 1))
    retained = t.governance_fte * t.governance_cost_per_fte_month
    if np.any(retained):  # governance staff on top of the share of fees
        governance = op(np.add, governance, op(np.multiply, retained, price_index))
    last_year = fees[:, term - 12 :].sum(axis=1, keepdims=True)  # a term is at least 12 months
    exit_cost = (
        op(np.multiply, t.exit_share_of_annual_spend * last_year, _mask(months == term))
        if p.include_exit_costs
        else np.zeros((1, 1))
    )
    return {
        # one column: month 1 only, the search and contract come before the service starts
        "transition.vendor_selection": t.vendor_selection_cost
        + t.vendor_selection_share_of_acv * acv,
        "transition.knowledge_transfer": knowledge_transfer,
        "transition.parallel_run": parallel_run,
        "transition.severance_retention": severance_retention,
        "transition.productivity_dip": productivity_dip,
        "transition.stranded_costs": stranded,
        "governance": governance,
        "quality_leakage": op(np.multiply, t.repeat_rate, fees),
        "exit": exit_cost,
        **retained_components(p, option, months, fees),
    }


def inhouse_months_read(option: Option, months: FloatArray) -> int:
    """How many first months of the in-house components and total `hidden_components` reads.

    Its knowledge transfer, parallel run and severance take in-house costs up to the later of
    the transition's end and the hand-over, in the scenario where that comes last; the ramp
    after a termination (``termination.py``) up to its last month.
    """
    ends: tuple[FloatArray, ...] = _transition_ends(option)
    end = option.termination
    if end is not None:
        ends = (*ends, end.month + end.ramp_months)
    return int(_first(months, *ends).shape[1])


def _transition_ends(option: Option) -> tuple[FloatArray, FloatArray]:
    """The last month of knowledge transfer and the month the in-house team leaves: of the
    last wave, when the option moves in waves."""
    t = option.transition
    last = _last_wave_month(option) - 1.0
    return last + np.maximum(t.transition_months, 1.0), last + np.maximum(
        t.parallel_run_months, 1.0
    )


def _stranded(p: Params, months: FloatArray, after: FloatArray) -> FloatArray:
    """Leases and licences that keep costing after month ``after`` (the last work's hand-over
    month less one), until each ends."""
    leases = p.inhouse.stranded_costs
    m = _first(months, *(s.months_remaining for s in leases))
    costs = (
        op(np.multiply, s.cost_per_month, _mask((m > after) & (m <= s.months_remaining)))
        for s in leases
    )
    total: FloatArray = functools.reduce(lambda a, b: op(np.add, a, b), costs, np.zeros((1, 1)))
    return total


# ------------------------------------------------------------------------------------- waves


def scope_staff_share(
    p: Params, option: Option, volumes: Sequence[FloatArray], months: FloatArray
) -> FloatArray:
    """The option's scope as a share of today's staff cost, g(m) = Σ_w s_w × salaries_w(m) /
    Σ_w salaries_w(m), over the first ``months``: 1 for the whole scope.

    Salaries weigh the workloads because the staff cost follows them (supervision, on-costs and
    hiring pool over the agents); one share for every workload needs no salaries.
    """
    shares = scopes(p, option)
    first = shares[0]
    if all(s is first or np.array_equal(s, first) for s in shares[1:]):
        return first
    if len(volumes) != len(shares):
        raise ValueError("hidden_components: a partial scope over workloads needs their volumes")
    k = months.shape[1]
    pay = [
        agent_fte(w, p.inhouse, v[:, :k]) * own(w, p.inhouse, "wage_per_hour")
        for w, v in zip(p.workloads, volumes, strict=True)
    ]
    moved = sum((s * x for s, x in zip(shares, pay, strict=True)), np.zeros((1, 1)))
    total = summed(pay)
    return np.asarray(np.divide(moved, total, out=np.zeros_like(moved), where=total > 0.0))


def _wave_table(option: Option) -> list[tuple[FloatArray, FloatArray]]:
    """Each wave's month m_k and the share of the scope it moves d_k; one wave (month 1, all
    of it) when the option names none."""
    if not option.waves:
        return [(np.ones((1, 1)), np.ones((1, 1)))]
    return [(w.month, d) for w, d in zip(option.waves, moved_shares(option), strict=True)]


def _last_wave_month(option: Option) -> FloatArray:
    """The month of the last wave (1 without waves), per scenario: the latest, should a batch
    move one wave past another."""
    if not option.waves:
        return np.ones((1, 1))
    return np.asarray(functools.reduce(np.maximum, (w.month for w in option.waves)), dtype=float)


def _wave_costs(
    p: Params,
    option: Option,
    months: FloatArray,
    fees: FloatArray,
    staff: FloatArray,
    scope: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Knowledge transfer, severance and retention, productivity dip and stranded costs of an
    option moved in waves (docs/methodology.md#migration-waves).

    Each wave k (month m_k, moved share d_k) carries the v1 charges on its share, from m_k
    instead of month 1: those on the staff cost on d_k × g × staff (``scope``: g, from
    `scope_staff_share`), the dip on its share of the fees, fees × d_k / S(m) (``fees``: those
    the client pays the dip on).
    """
    t = option.transition
    waves = _wave_table(option)
    kt_months = np.maximum(t.transition_months, 1.0)
    handover = np.maximum(t.parallel_run_months, 1.0) - 1.0  # months after the wave's start

    def windows(m: FloatArray, length: FloatArray) -> FloatArray:
        # Σ_k d_k × [m_k <= m < m_k + length]: the share of the scope in that window of its wave
        return sum((d * _mask((m >= mk) & (m < mk + length)) for mk, d in waves), np.zeros((1, 1)))

    m = months[:, : staff.shape[1]]  # the first months: up to the last wave's transition ends
    moved_staff = staff * scope[:, : m.shape[1]]  # g is (1, 1) or per month
    knowledge_transfer = moved_staff * (
        t.transition_team_share * windows(m, t.transition_months)
    ) + (t.knowledge_transfer_cost / kt_months) * windows(m, kt_months)
    severance = sum((d * _mask(m == mk + handover) for mk, d in waves), np.zeros((1, 1)))
    severance_retention = moved_staff * (
        t.severance_months_of_pay * severance
        + t.retention_share * windows(m, t.parallel_run_months)
    )

    last = _last_wave_month(option)
    m = _first(months, last + t.ramp_months - 1.0)
    ramp = np.maximum(t.ramp_months, 1.0)
    extra = np.zeros((1, 1))  # Σ_k d_k × [m >= m_k] × (1 / e_k(m) − 1), e_k the ramp from m_k
    for mk, d in waves:
        efficiency = np.where(
            m < mk + t.ramp_months,
            t.ramp_start_efficiency + (1.0 - t.ramp_start_efficiency) * (m - mk) / ramp,
            1.0,
        )
        extra = extra + d * _mask(m >= mk) * (1.0 / efficiency - 1.0)
    moved = wave_path(option, m)  # S(m)
    dip_share = np.divide(extra, moved, out=np.zeros_like(extra), where=moved > 0.0)
    productivity_dip = fees[:, : m.shape[1]] * dip_share
    stranded = _stranded(p, months, last + t.parallel_run_months - 1.0)
    return knowledge_transfer, severance_retention, productivity_dip, stranded


def _first(months: FloatArray, *last: FloatArray) -> FloatArray:
    """The first months, up to the latest of the ``last`` months of any scenario (at most all)."""
    k = max((int(x.max()) for x in last), default=0)
    return months[:, : max(k, 0)]


def _mask(condition: npt.NDArray[np.bool_]) -> FloatArray:
    # float masks: multiplying by a bool array converts it to float on every use
    return as_float(condition)
