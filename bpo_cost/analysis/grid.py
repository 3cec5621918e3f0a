"""Scenario grids: the cartesian product of chosen input values, evaluated in engine batches
(here, or on a Dask cluster: ``client=`` / ``scheduler=``, the same numbers either way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._types import FloatArray
from ..case.models import Case
from ..engine.compile import Compiler
from ..engine.run import run, summarize
from ..errors import InputError
from .distributed import run_chunks
from .inputs import (
    CaseSource,
    Inputs,
    RateCardSource,
    numbers,
    option_names,
    prepare,
)

__all__ = ["MAX_SCENARIOS", "scenario_grid"]

MAX_SCENARIOS = 2_000_000
CHUNK = 4096  # scenarios per engine batch: bounds memory for large grids


@dataclass
class _GridJob:
    """What a batch of the grid needs (picklable: sent once to each Dask worker)."""

    case: Case
    paths: list[str]
    mesh: list[FloatArray]
    _compiler: Compiler | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_compiler": None}  # each worker compiles its own


def _grid_chunk(job: _GridJob, start: int, stop: int) -> list[FloatArray]:
    """TCO, NPV of cost, payback and IRR per scenario ``start..stop`` and owner."""
    if job._compiler is None:
        job._compiler = Compiler(job.case)
    p = job._compiler(
        {s: m[start:stop] for s, m in zip(job.paths, job.mesh, strict=True)}, n=stop - start
    )
    # the engine's own decision figures: evaluate() gives the same numbers for one scenario
    summary = summarize(run(p, job.case.term_months), p.discount_rate_annual, p.discounting)
    return [summary.tco, summary.npv_cost, summary.payback_month, summary.irr]


def scenario_grid(
    case: CaseSource,
    values: Mapping[str, Sequence[float]],
    *,
    rate_cards: RateCardSource = None,
    client: Any = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Every combination of the given input values, every owner: a tidy frame.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file.
    values : input path -> the values to try (``options[Name].…`` accepted).
    rate_cards : rate cards for references in the case.
    client, scheduler : a ``distributed.Client`` or a Dask scheduler address
        (``tcp://host:8786``): evaluate the batches on that cluster (``bpo-cost[dask]``).

    Returns
    -------
    DataFrame
        One row per scenario and owner: ``scenario`` (0-based), one column per input (named as
        given), ``owner``, ``tco``, ``npv_cost``, ``savings``, ``npv_savings``,
        ``payback_month`` and ``irr`` (annual; both NaN for in-house, and where there is none),
        as in ``Result.summary``. The first input varies slowest, as in ``itertools.product``.

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> g = scenario_grid(example_path("payroll"), {"workload.volume_per_month": [4000, 6000],
    ...                                             "inhouse.wage_per_hour": [30, 35, 40]})
    >>> len(g) == 2 * 3 * 3, list(g.columns[:3])
    (True, ['scenario', 'workload.volume_per_month', 'inhouse.wage_per_hour'])
    """
    if not values:
        raise InputError("values", {}, "at least one input path with values to try")
    resolved = prepare(case, rate_cards)
    ins = Inputs(resolved)
    specs, axes = [], []
    for key, vals in values.items():
        spec = ins.get(key, where="values")
        where = f"values[{key!r}]"
        arr = np.atleast_1d(numbers(where, vals, "a non-empty list of numbers"))
        if arr.ndim != 1 or arr.size == 0:
            raise InputError(where, vals, "a non-empty list of numbers")
        arr = spec.check(where, arr)
        specs.append(spec)
        axes.append(arr)
    if len({s.path for s in specs}) < len(specs):
        raise InputError(
            "values", list(values), "each input once (a path and its name alias are the same input)"
        )
    n = int(np.prod([a.size for a in axes]))
    if n > MAX_SCENARIOS:
        raise InputError("values", f"{n:,} scenarios", f"at most {MAX_SCENARIOS:,} combinations")
    mesh = [m.ravel() for m in np.meshgrid(*axes, indexing="ij")]
    owners = option_names(resolved)
    job = _GridJob(resolved, [s.path for s in specs], mesh)
    spans = [(a, min(a + CHUNK, n)) for a in range(0, n, CHUNK)]
    parts, _ = run_chunks(_grid_chunk, job, spans, client=client, scheduler=scheduler, workers=1)
    tco, npv_cost, payback, irr = (np.concatenate([p[i] for p in parts]) for i in range(4))
    k = len(owners)
    frame = pd.DataFrame({"scenario": np.repeat(np.arange(n), k)})
    for key, m in zip(values, mesh, strict=True):
        frame[key] = np.repeat(m, k)
    frame["owner"] = np.tile(owners, n)
    frame["tco"] = tco.ravel()
    frame["npv_cost"] = npv_cost.ravel()
    frame["savings"] = (tco[:, :1] - tco).ravel()
    frame["npv_savings"] = (npv_cost[:, :1] - npv_cost).ravel()
    frame["payback_month"] = payback.ravel()
    frame["irr"] = irr.ravel()
    return frame
