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
  (1/efficiency − 1), efficiency rising linearly to 1 over the ramp months;
- ``transition.stranded_costs``: leases and licences that outlive the in-house operation;
- ``governance``: retained organisation: a share of fees plus governance FTE;
- ``retained.*``: the retained organisation sized as people (``retained``);
- ``quality_leakage``: rework and repeat contacts handled and paid for again;
- ``exit``: switching cost at term end (a share of the last year's spend), when the case asks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from .._types import FloatArray
from .components import STAFF_COMPONENTS
from .params import Option, Params
from .retained import retained_components

__all__ = ["hidden_components", "inhouse_months_read"]


def hidden_components(
    p: Params,
    option: Option,
    months: FloatArray,
    fees: FloatArray,
    inhouse_total: FloatArray,
    inhouse: Mapping[str, FloatArray],
    price_index: FloatArray,
    *,
    parallel_run: FloatArray | None = None,
) -> dict[str, FloatArray]:
    """Monthly hidden-cost components of one option, by name; ``parallel_run``: the parallel
    run of an option that keeps in-house work (``kept.kept_components``), else the v1 formula.

    The transition components stop after a few months, so they are computed over the first
    months any scenario needs and returned that narrow (zero after; see ``engine.Components``).
    """
    # Factors that depend only on the month (and on month counts) are built first: small
    # (1, months) rows unless a batch varies them, so each component is one pass over fees.
    t = option.transition
    term = months.shape[1]
    acv = fees.sum(axis=1, keepdims=True) * (12.0 / term)
    kt_months, handover = _transition_ends(option)
    m = _first(months, kt_months, handover)  # as in `inhouse_months_read`
    staff = np.asarray(sum(inhouse[k][:, : m.shape[1]] for k in STAFF_COMPONENTS), dtype=float)

    m = _first(months, kt_months)
    knowledge_transfer = staff[:, : m.shape[1]] * (
        t.transition_team_share * _mask(m <= t.transition_months)
    ) + (t.knowledge_transfer_cost / kt_months) * _mask(m <= kt_months)

    m = _first(months, handover)
    in_parallel = _mask(m <= t.parallel_run_months)
    if parallel_run is None:  # the whole operation runs until the hand-over (v1)
        parallel_run = inhouse_total[:, : m.shape[1]] * in_parallel
    severance_retention = (t.severance_months_of_pay * _column(staff, handover)) * _mask(
        m == handover
    ) + staff[:, : m.shape[1]] * (t.retention_share * in_parallel)

    m = _first(months, t.ramp_months)
    efficiency = np.where(
        m <= t.ramp_months,
        t.ramp_start_efficiency
        + (1.0 - t.ramp_start_efficiency) * (m - 1.0) / np.maximum(t.ramp_months, 1.0),
        1.0,
    )
    productivity_dip = fees[:, : m.shape[1]] * (1.0 / efficiency - 1.0)

    leases = p.inhouse.stranded_costs
    m = _first(months, *(s.months_remaining for s in leases))
    stranded = sum(
        (
            s.cost_per_month * _mask((m > t.parallel_run_months) & (m <= s.months_remaining))
            for s in leases
        ),
        np.zeros((1, 1)),
    )

    governance = t.governance_share_of_fees * fees
    retained = t.governance_fte * t.governance_cost_per_fte_month
    if np.any(retained):  # governance staff on top of the share of fees
        governance = governance + retained * price_index
    last_year = fees[:, term - 12 :].sum(axis=1, keepdims=True)  # a term is at least 12 months
    exit_cost = (
        t.exit_share_of_annual_spend * last_year * _mask(months == term)
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
        "quality_leakage": t.repeat_rate * fees,
        "exit": exit_cost,
        **retained_components(p, option, months, fees),
    }


def inhouse_months_read(option: Option, months: FloatArray) -> int:
    """How many first months of the in-house components and total `hidden_components` reads.

    Its knowledge transfer, parallel run and severance take in-house costs up to the later of
    the transition's end and the hand-over, in the scenario where that comes last.
    """
    return int(_first(months, *_transition_ends(option)).shape[1])


def _transition_ends(option: Option) -> tuple[FloatArray, FloatArray]:
    """The last month of knowledge transfer and the month the in-house team leaves."""
    t = option.transition
    return np.maximum(t.transition_months, 1.0), np.maximum(t.parallel_run_months, 1.0)


def _first(months: FloatArray, *last: FloatArray) -> FloatArray:
    """The first months, up to the latest of the ``last`` months of any scenario (at most all)."""
    k = max((int(x.max()) for x in last), default=0)
    return months[:, : max(k, 0)]


def _mask(condition: npt.NDArray[np.bool_]) -> FloatArray:
    # float masks: multiplying by a bool array converts it to float on every use
    return condition.astype(float)


def _column(values: FloatArray, month: FloatArray) -> FloatArray:
    """``values`` in the given month (1-based; one month per scenario or one for all), (n, 1)."""
    rows = max(values.shape[0], month.shape[0])  # either may be the same in every scenario
    index = np.broadcast_to(month.astype(int) - 1, (rows, 1))
    return np.take_along_axis(np.broadcast_to(values, (rows, values.shape[1])), index, axis=1)
