"""What an option moves, and when: scopes, the wave path and the hand-over path.

Notation of docs/methodology.md#pricing (delivery lines) (option o, workload w, month t):

- the scope s_w: the share of workload w's volume the option moves, the sum of its lines'
  shares (1 for a workload billed by the option's pricing, 0 when it stays in-house);
- the wave path S(t): the cumulative share of the scope moved by month t, the share of the
  last wave whose month is at most t (0 before the first wave; 1 in every month without waves);
- the hand-over path H(t) = Σ_k d_k × [t ≥ m_k + P]: the share whose in-house team has left,
  each wave k (month m_k, moved share d_k = S_k − S_{k−1}) after its parallel run of P months;
- the service path A(t) = [t ≤ T]: whether the vendor still serves, T the termination month
  (1 in every month without a termination; docs/methodology.md#termination).

Shares and wave months are numbers a batch may vary, so each path is ``(1 or n, months)``.
"""

from __future__ import annotations

import numpy as np

from .._types import FloatArray
from .params import Option, Params

__all__ = [
    "handover_path",
    "moved_shares",
    "scopes",
    "service_path",
    "wave_path",
    "whole_scope",
]


def scopes(p: Params, option: Option) -> list[FloatArray]:
    """Each workload's scope s_w under ``option``, ``(1 or n, 1)``, in case order.

    A workload with lines is delivered by them only (their shares summed); one without is
    billed by the option's pricing (1), or stays in-house when the option has none (0).
    """
    out: list[FloatArray] = []
    for w in p.workloads:
        shares = [line.share for line in option.lines if line.workload == w.name]
        if shares:
            out.append(np.asarray(sum(shares[1:], shares[0]), dtype=float))
        else:
            out.append(np.full((1, 1), 0.0 if option.pricing is None else 1.0))
    return out


def whole_scope(p: Params, option: Option) -> bool:
    """Whether ``option`` moves every workload whole at month 1 in every scenario and keeps it
    to the end of the term (the v1 cut-over: no waves, or one wave of share 1 at month 1, every
    scope 1, no termination), so the engine may take its v1 path. Otherwise the option keeps
    in-house work at some point (``inhouse.kept``): out of scope, not yet moved, or returned."""
    if option.termination is not None:  # the work comes back after the termination month
        return False
    waves = option.waves
    at_once = not waves or (
        len(waves) == 1 and bool(np.all(waves[0].month == 1.0) and np.all(waves[0].share == 1.0))
    )
    return at_once and all(bool(np.all(s == 1.0)) for s in scopes(p, option))


def moved_shares(option: Option) -> list[FloatArray]:
    """The share of the scope each wave moves, d_k = S_k − S_{k−1} (``(1 or n, 1)`` each)."""
    before: FloatArray = np.zeros((1, 1))
    out = []
    for wave in option.waves:
        out.append(np.asarray(wave.share - before, dtype=float))
        before = wave.share
    return out


def wave_path(option: Option, months: FloatArray) -> FloatArray:
    """S(t): the cumulative share of ``option``'s scope moved by each month, ``(1 or n, months)``.

    The share of the last wave with month <= t (shares rise wave by wave, so the largest such);
    0 before the first wave; without waves, 1 from month 1 (the v1 cut-over).
    """
    if not option.waves:
        return np.ones_like(months)
    path: FloatArray = np.zeros_like(months)
    for wave in option.waves:
        path = np.maximum(path, wave.share * (months >= wave.month))
    return path


def handover_path(option: Option, months: FloatArray) -> FloatArray:
    """H(t) = Σ_k d_k × [t ≥ m_k + P]: the share of the scope whose in-house work has stopped,
    ``(1 or n, months)`` (P: the transition's parallel-run months; without waves one wave at
    month 1 of the whole scope)."""
    parallel = option.transition.parallel_run_months
    if not option.waves:
        return np.asarray(months >= 1.0 + parallel, dtype=float)
    path: FloatArray = np.zeros_like(months)
    for wave, moved in zip(option.waves, moved_shares(option), strict=True):
        path = path + moved * (months >= wave.month + parallel)
    return path


def service_path(option: Option, months: FloatArray) -> FloatArray:
    """A(t) = [t ≤ T]: 1 while the vendor serves, 0 after the termination month T, ``(1 or n,
    months)``; ones without a termination."""
    end = option.termination
    if end is None:
        return np.ones_like(months)
    return np.asarray(months <= end.month, dtype=float)
