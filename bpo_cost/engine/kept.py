"""The in-house work an option keeps: out of its scope, not yet moved by its waves, or returned
after a termination.

Components (per month, case currency; only for an option that keeps work, ``scope.whole_scope``
false):

- ``inhouse.kept``: the in-house cost of the kept volume K_w(t) = V_w(t) × (1 − s_w × S(t) ×
  A(t)) (A: the service path, 0 after a termination: ``scope.service_path``),
  Vc(K) + F × [some work is kept]: the volume-driven components at the kept volumes (Erlang C
  for live workloads, pooled as the baseline) and the fixed cost F (other roles, their seats,
  fixed costs) whole while any work stays, as the baseline runs it (its improvement path too);
- ``transition.parallel_run``: the moved work still running in-house during its parallel run,
  Vc(R) + F × [some work runs] − kept, with the running volume R_w(t) = V_w(t) × (1 − s_w ×
  H(t)), at today's operation (as every transition charge).

F is Vc's complement: the in-house cost at zero volume, so total(volumes) = Vc(volumes) + F and
both formulas take the whole in-house model at a volume. docs/methodology.md#hidden-costs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .._types import FloatArray
from ..core.timeline import yearly_index
from ..core.workspace import op
from .inhouse import inhouse_components
from .params import Option, Params
from .scope import handover_path, scopes, service_path, wave_path

__all__ = ["ROUND_OFF", "kept_components"]

ROUND_OFF = 1e-9  # a share left over by round-off (0.1 + 0.2 + 0.7 of a workload) is none


def kept_components(
    p: Params,
    option: Option,
    volumes: Sequence[FloatArray],
    months: FloatArray,
    price_index: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """``inhouse.kept`` ``(n, months)`` and ``transition.parallel_run`` ``(n, k)`` (k: up to the
    last month any moved work still runs in-house) of an option that keeps in-house work."""
    shape = (p.n_scenarios, months.shape[1])
    scope = scopes(p, option)
    # S(t) x A(t): after a termination the option moves nothing, so all its work is kept
    moved = wave_path(option, months) * service_path(option, months)
    handed = handover_path(option, months)
    kept_share = [_share(1.0 - s * moved) for s in scope]
    running_share = [_share(1.0 - s * handed) for s in scope]
    some_kept = functools.reduce(np.logical_or, [k > 0.0 for k in kept_share]).astype(float)
    # the moved work still running: its parallel run, before its hand-over
    still = functools.reduce(np.logical_or, [s * (moved - handed) > ROUND_OFF for s in scope])
    still = np.broadcast_to(still, np.broadcast_shapes(still.shape, (1, shape[1])))
    k = int(np.flatnonzero(still.any(axis=0)).max() + 1) if still.any() else 0

    wage_index = yearly_index(p.wage_inflation_per_year, months)
    kept_volumes = [op(np.multiply, v, x) for v, x in zip(volumes, kept_share, strict=True)]
    kept = op(
        np.multiply, _total(p, kept_volumes, months, wage_index, price_index, shape), some_kept
    )
    today = p
    if p.inhouse.improvement is not None:  # the transition charges today's operation
        today = replace(p, inhouse=replace(p.inhouse, improvement=None))
    first = months[:, :k]
    part = (p.n_scenarios, k)

    def head(a: FloatArray) -> FloatArray:
        return a[:, :k] if a.shape[1] > 1 else a

    if k == 0:  # nothing moved runs in parallel (no parallel months)
        return kept, np.zeros((1, 1))
    if today is p:
        kept_today = kept[:, :k]
    else:
        kept_today = _total(
            today, [head(v) for v in kept_volumes], first, head(wage_index), head(price_index), part
        ) * head(some_kept)
    running = [head(v) * head(x) for v, x in zip(volumes, running_share, strict=True)]
    parallel = _total(today, running, first, head(wage_index), head(price_index), part)
    parallel = (parallel - kept_today) * still[:, :k]
    return kept, parallel


def _share(x: FloatArray) -> FloatArray:
    """A share of work, round-off to zero (a share of 1e-16 is no work kept)."""
    return np.where(x > ROUND_OFF, x, 0.0)


def _total(
    p: Params,
    volumes: Sequence[FloatArray],
    months: FloatArray,
    wage_index: FloatArray,
    price_index: FloatArray,
    shape: tuple[int, int],
) -> FloatArray:
    """The whole in-house cost at ``volumes`` (one per workload), ``shape``."""
    parts = inhouse_components(p, volumes, wage_index, price_index, months)
    total: FloatArray = functools.reduce(lambda a, b: op(np.add, a, b), parts.values())
    return np.asarray(np.broadcast_to(total, shape), dtype=float)
