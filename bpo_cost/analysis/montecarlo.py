"""Monte Carlo: draw the uncertain inputs, evaluate every draw in vectorised chunks, summarise.

Draws come from ``bpo_cost.uncertainty.sample`` (reproducible per draw index), so results are the
same for a seed whatever ``chunk_size`` or ``workers``. Each chunk is one engine batch; only TCO
and NPV of cost per draw and owner are kept, so memory is bounded by the chunk size.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._types import FloatArray
from ..case.distributions import BLOCK, Distribution, correlation_matrix, sample
from ..case.models import Case
from ..core.workspace import Workspace
from ..engine.compile import Compiler
from ..engine.components import INHOUSE
from ..errors import InputError
from .distributed import default_workers
from .inputs import (
    CaseSource,
    Figures,
    Input,
    Inputs,
    Metric,
    RateCardSource,
    figures,
    prepare,
)

__all__ = [
    "CHUNK_CELLS",
    "PERCENTILES",
    "Simulation",
    "default_chunk",
    "input_values",
    "simulate",
    "tune_allocator",
    "uncertain_inputs",
]

PERCENTILES = (5.0, 10.0, 50.0, 90.0, 95.0)
# Cells (draws x months) of an engine batch's month grids: 2,048 draws over 84 months, 1.4 MB
# a grid. Python's work per batch (about 1 ms, whatever its size) and the threads' handing over
# of the interpreter between numpy calls (each one a wake-up of the other thread) want few,
# large batches: on 2 cores, 2 workers run no faster than 1 in batches of 512 draws. Grids of
# that size would page-fault in again batch after batch if made fresh (glibc gives freed
# megabytes back to the system); each worker's `core.workspace.Workspace` keeps their memory
# instead, without any allocator setting. Measured (claims, fresh process, 100,000 draws):
# 2,048 is the fastest, with the fewest page faults; 4,096 no faster and more memory
# (``benchmarks/bench_mc_path.py``).
CHUNK_CELLS = 2048 * 84


def default_chunk(term_months: int) -> int:
    """Draws per engine batch for a term: month grids of `CHUNK_CELLS` cells (at least 1 draw).

    Examples
    --------
    >>> default_chunk(84), default_chunk(120), default_chunk(12)
    (2048, 1433, 14336)
    """
    return max(1, CHUNK_CELLS // term_months)


MAX_DRAWS = 50_000_000


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo results: TCO and NPV of cost for every draw (rows) and owner (columns).

    ``owners`` is ``["inhouse", option names…]``; ``inputs`` the paths of the uncertain inputs,
    ``labels`` the same written with names, ``distributions`` theirs, ``case_values`` their
    values in the case and ``draws`` the sampled values (one column each); ``base_*`` the
    deterministic figures.
    """

    case: Case
    n: int
    seed: int
    inputs: list[str]
    labels: list[str]
    distributions: list[Distribution]
    case_values: list[float]
    draws: FloatArray
    owners: list[str]
    tco: FloatArray
    npv_cost: FloatArray
    base_tco: FloatArray
    base_npv_cost: FloatArray

    def values(self, metric: Metric = "tco") -> FloatArray:
        """``(n, owners)`` values of a metric: tco, npv_cost, savings or npv_savings."""
        return Figures(self.owners, self.tco, self.npv_cost).get(metric)

    def base(self, metric: Metric = "tco") -> FloatArray:
        """The deterministic value of a metric per owner (the case as written)."""
        one = Figures(self.owners, self.base_tco[None, :], self.base_npv_cost[None, :])
        return np.asarray(one.get(metric)[0], dtype=float)

    def frame(self, metric: Metric = "tco") -> pd.DataFrame:
        """A metric for every draw (rows, ``draw``) and owner (columns, ``owner``), labelled.

        Examples
        --------
        >>> from bpo_cost import example_path
        >>> sim = simulate(example_path("claims_back_office"), n=200, seed=1)
        >>> f = sim.frame("npv_savings")
        >>> f.shape, f.index.name, f.columns.name, f.columns[0]
        ((200, 5), 'draw', 'owner', 'inhouse')
        """
        return pd.DataFrame(
            self.values(metric),
            index=pd.RangeIndex(self.n, name="draw"),
            columns=pd.Index(self.owners, name="owner"),
        )

    def sampled(self) -> pd.DataFrame:
        """The sampled inputs: one row per draw, one column per input (named by its label)."""
        return pd.DataFrame(
            self.draws,
            index=pd.RangeIndex(self.n, name="draw"),
            columns=pd.Index(self.labels, name="input"),
        )

    def percentiles(self, metric: Metric = "tco", q: Sequence[float] = PERCENTILES) -> pd.DataFrame:
        """Percentiles (columns ``P5``…) of a metric per owner (rows)."""
        values = np.percentile(self.values(metric), list(q), axis=0).T
        return pd.DataFrame(
            values, index=pd.Index(self.owners, name="owner"), columns=[f"P{x:g}" for x in q]
        )

    def probability_cheaper(self, *, basis: Metric = "npv_cost") -> pd.Series:
        """Share of draws in which each option costs less than in-house (``tco``/``npv_cost``)."""
        cost = self._cost(basis)
        p = (cost[:, 1:] < cost[:, :1]).mean(axis=0)
        return pd.Series(
            p, index=pd.Index(self.owners[1:], name="owner"), name="p_cheaper_than_inhouse"
        )

    def probability_cheapest(self, *, basis: Metric = "npv_cost") -> pd.Series:
        """Share of draws in which each owner is the cheapest (ties go to the first listed)."""
        best = self._cost(basis).argmin(axis=1)
        p = np.bincount(best, minlength=len(self.owners)) / self.n
        return pd.Series(p, index=pd.Index(self.owners, name="owner"), name="p_cheapest")

    def summary(self, q: Sequence[float] = PERCENTILES) -> pd.DataFrame:
        """Per owner: TCO and NPV of savings (deterministic, mean, percentiles) and the chances."""
        parts = []
        for metric in ("tco", "npv_savings"):
            values = self.values(metric)
            frame = self.percentiles(metric, q)
            frame.insert(0, "mean", values.mean(axis=0))
            frame.insert(0, "base", self.base(metric))
            frame.columns = [f"{metric}_{c}" for c in frame.columns]
            parts.append(frame)
        out = pd.concat(parts, axis=1)
        out["p_cheaper_than_inhouse"] = self.probability_cheaper().reindex(out.index)
        out["p_cheapest"] = self.probability_cheapest()
        return out

    def drivers(self, metric: Metric = "npv_savings") -> pd.DataFrame:
        """Spearman rank correlation of each uncertain input (rows) with a metric per owner."""
        ranks_x = _ranks(self.draws)
        values = self.values(metric)
        cols = {}
        for j, owner in enumerate(self.owners):
            if owner == INHOUSE and metric in ("savings", "npv_savings"):
                continue
            cols[owner] = _pearson(ranks_x, _ranks(values[:, j : j + 1])[:, 0])
        return pd.DataFrame(cols, index=pd.Index(self.labels, name="input"))

    def to_dict(self, q: Sequence[float] = PERCENTILES) -> dict[str, Any]:
        """A JSON-ready summary: percentiles, means and probabilities per owner."""
        s = self.summary(q)
        owners = []
        for owner, row in s.iterrows():
            entry: dict[str, Any] = {"name": owner}
            for metric in ("tco", "npv_savings"):
                if owner == INHOUSE and metric == "npv_savings":
                    continue
                entry[metric] = {
                    c.removeprefix(f"{metric}_"): float(row[c])
                    for c in s.columns
                    if c.startswith(f"{metric}_")
                }
            if owner != INHOUSE:
                entry["p_cheaper_than_inhouse"] = float(row["p_cheaper_than_inhouse"])
            entry["p_cheapest"] = float(row["p_cheapest"])
            owners.append(entry)
        return {
            "case": self.case.name,
            "currency": self.case.currency,
            "draws": self.n,
            "seed": self.seed,
            "uncertain_inputs": self.labels,
            "owners": owners,
        }

    def _cost(self, basis: Metric) -> FloatArray:
        if basis not in ("tco", "npv_cost"):
            raise InputError("basis", basis, "'tco' or 'npv_cost'")
        return self.values(basis)


def _ranks(x: FloatArray) -> FloatArray:
    return np.argsort(np.argsort(x, axis=0, kind="stable"), axis=0).astype(float)


def _pearson(x: FloatArray, y: FloatArray) -> FloatArray:
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (xc * yc[:, None]).sum(axis=0) / np.sqrt((xc**2).sum(axis=0) * (yc**2).sum())
    return np.asarray(np.nan_to_num(r), dtype=float)  # a constant input or metric: no correlation


def tune_allocator() -> bool:
    """Let the C allocator keep freed memory for reuse (glibc): for other work than `simulate`.

    Each engine chunk allocates a few hundred arrays. Large ones glibc hands back to the
    operating system (``munmap``, heap trimming), so the next chunk page-faults them in again.
    `simulate` avoids that without this tuning: each worker makes its month grids in memory it
    keeps from chunk to chunk (`core.workspace.Workspace`; ``benchmarks/bench_mc_path.py``
    measures both). Raising ``M_MMAP_THRESHOLD`` and ``M_TRIM_THRESHOLD`` keeps every array
    in the heap (the process keeps up to a few hundred MB it no longer uses). Process-wide, so
    never done behind your back: call it once where you own the process (the ``bpo-cost``
    command does). Returns True if applied.

    Examples
    --------
    >>> tune_allocator() in (True, False)
    True
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    return bool(mallopt(m_mmap_threshold, 64 << 20)) and bool(mallopt(m_trim_threshold, 256 << 20))


# What n and chunk_size cost: a draw keeps its inputs and TCO and NPV per owner (8-byte floats),
# about three times over at the peak, when the summaries rank and sort them (measured: claims,
# 14 inputs, 5 owners, ~570 bytes a draw); a chunk's engine holds ~30 grids of draws x months.
_BYTES = 8
_COPIES = 3
_GRIDS_PER_CHUNK = 30


def _memory_budget() -> int:
    """Bytes a simulation may use: half the machine's physical memory (4 GB if unknown)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")) // 2
    except (AttributeError, ValueError, OSError):  # not POSIX (Windows, Pyodide)
        return 4_000_000_000


def _check_memory(n: int, inputs: int, owners: int, chunk_size: int) -> None:
    """Refuse, before allocating, a simulation that cannot fit in memory."""
    per_draw = _BYTES * _COPIES * (inputs + 2 * owners)
    working = _BYTES * _GRIDS_PER_CHUNK * owners * 120 * min(chunk_size, n)  # 120: longest term
    budget = _memory_budget()
    if n * per_draw + working > budget:
        most = max((budget - working) // per_draw, 0)
        raise InputError(
            "n",
            n,
            f"at most {most:,} draws for this case ({inputs} uncertain inputs, {owners} owners: "
            f"{(n * per_draw + working) / 1e9:,.1f} GB needed, {budget / 1e9:,.1f} GB allowed)",
        )


def uncertain_inputs(
    resolved: Case, uncertainty: Mapping[str, Distribution] | None = None
) -> tuple[list[Input], dict[str, Distribution], dict[str, str]]:
    """The uncertain inputs of a case: each input, its distribution (by canonical path), and
    the canonical path of every name their ``rank_correlation`` entries use.

    ``uncertainty`` adds to (or replaces) the case's own distributions. Raises an InputError
    when a key names no number of the case or a distribution reaches outside its field's range.
    """
    ins = Inputs(resolved)
    dists: dict[str, Distribution] = {}
    for key, d in [*resolved.uncertainty.items(), *(uncertainty or {}).items()]:
        dists[ins.canonical(key, where=f"uncertainty[{key!r}]")] = d  # later entries win
    specs = [ins.get(p, where=f"uncertainty[{p!r}]") for p in dists]
    for spec, d in zip(specs, dists.values(), strict=True):
        lo, hi = d.support()
        if d.relative:
            lo, hi = sorted((spec.value * (1 + lo), spec.value * (1 + hi)))
        if lo < spec.low or hi > spec.high:
            raise InputError(
                f"uncertainty[{spec.label!r}]",
                (lo, hi),
                f"a distribution inside the range of the field, "
                f"{spec.range_text()} (give it low/high bounds)",
            )
    aliases = {}
    for d in dists.values():
        for k in d.rank_correlation:
            try:
                aliases[k] = ins.canonical(k, where="rank_correlation")
            except InputError:
                continue  # not an input of the case: correlation_matrix names it
    return specs, dists, aliases


def input_values(x: FloatArray, specs: Sequence[Input], dists: Sequence[Distribution]) -> None:
    """Turn sampled columns into input values in place: relative draws scale the case value,
    month counts are rounded, and every value stays inside its field's range."""
    for j, (spec, d) in enumerate(zip(specs, dists, strict=True)):
        if d.relative:
            x[:, j] = spec.value * (1.0 + x[:, j])
        if spec.integer:
            x[:, j] = np.round(x[:, j])
        # beyond Z_MAX only (probability 1e-16 a draw): keep inside the field's range
        np.clip(x[:, j], spec.low, spec.high, out=x[:, j])


def simulate(
    case: CaseSource,
    *,
    n: int,
    seed: int,
    uncertainty: Mapping[str, Distribution] | None = None,
    rate_cards: RateCardSource = None,
    chunk_size: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Simulation:
    """Monte Carlo of a case: ``n`` draws of its uncertain inputs, every option evaluated.

    Parameters
    ----------
    case : a Case, a mapping, or the path of a case file; its ``uncertainty`` block gives the
        distributions.
    n : number of draws.
    seed : the seed (a whole number >= 0): the same seed gives the same results.
    uncertainty : distributions to add to (or replace in) the case's, by input path.
    rate_cards : rate cards for references in the case (default: the bundled ones).
    chunk_size : draws per engine batch (memory and speed, not results, depend on it); default
        `default_chunk` of the case's term.
    workers : threads drawing and evaluating at once (default: CPU count, at most 4; 1 in
        Pyodide). Results do not depend on it.
    progress : called as ``progress(done, n)`` as draws complete (every 4,096 or so).

    Returns
    -------
    Simulation
        TCO and NPV of cost per draw and owner; ``percentiles``, ``probability_cheaper``,
        ``probability_cheapest``, ``summary``, ``drivers``.

    Notes
    -----
    Inputs with a ``relative`` distribution take ``value × (1 + draw)``; month counts are
    rounded to whole months. A distribution must stay inside the range its field allows (an
    unbounded side counts to ``Z_MAX`` = 8.3 standard deviations, probability 1 − 1e-16).

    Examples
    --------
    >>> from bpo_cost import example_path
    >>> sim = simulate(example_path("claims_back_office"), n=2000, seed=7)
    >>> sim.tco.shape
    (2000, 5)
    >>> p = sim.probability_cheaper()
    >>> bool(((p >= 0) & (p <= 1)).all())
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_DRAWS:
        raise InputError("n", n, f"a whole number of draws in [1, {MAX_DRAWS:,}]")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", seed, "a whole number >= 0")
    if chunk_size is not None and (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, (int, np.integer))
        or chunk_size < 1
    ):
        raise InputError("chunk_size", chunk_size, "a whole number >= 1")
    workers = default_workers() if workers is None else workers
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("workers", workers, "a whole number >= 1")

    resolved = prepare(case, rate_cards)
    chunk_size = default_chunk(resolved.term_months) if chunk_size is None else chunk_size
    specs, dists, aliases = uncertain_inputs(resolved, uncertainty)
    if not dists:
        raise InputError(
            "uncertainty",
            {},
            "at least one distribution: add an uncertainty: "
            "block to the case (see: bpo-cost init --example claims_back_office)",
        )
    _check_memory(n, len(dists), 1 + len(resolved.options), chunk_size)
    rho = correlation_matrix(dists, aliases)

    try:
        return _run(resolved, specs, dists, rho, n, seed, chunk_size, workers, progress)
    except MemoryError:  # the estimate above is a model: the machine has the last word
        raise InputError("n", n, "fewer draws: this machine ran out of memory") from None


def _run(
    resolved: Case,
    specs: list[Input],
    dists: dict[str, Distribution],
    rho: FloatArray | None,
    n: int,
    seed: int,
    chunk_size: int,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> Simulation:
    compiler = Compiler(resolved)
    base = figures(compiler)
    owners = base.owners
    draws = np.empty((n, len(specs)))
    tco = np.empty((n, len(owners)))
    npv_cost = np.empty((n, len(owners)))
    paths = [s.path for s in specs]
    # A task draws a span of whole random blocks (no block generated twice), then evaluates it
    # chunk by chunk; tasks run in parallel, and numbers never depend on the split.
    span = -(-max(chunk_size, BLOCK) // BLOCK) * BLOCK
    kept = threading.local()  # each worker thread's workspace, reused chunk after chunk

    def task(start: int) -> int:
        stop = min(start + span, n)
        x = sample(dists, stop - start, seed=int(seed), start=start, rank_correlation=rho)
        input_values(x, specs, list(dists.values()))
        draws[start:stop] = x
        workspace = kept.__dict__.setdefault("workspace", Workspace())
        for lo in range(start, stop, chunk_size):
            hi = min(lo + chunk_size, stop)
            batch = {p: draws[lo:hi, j] for j, p in enumerate(paths)}
            f = figures(compiler, batch, n=hi - lo, workspace=workspace)
            tco[lo:hi], npv_cost[lo:hi] = f.tco, f.npv_cost
        return stop - start

    starts = range(0, n, span)
    done = 0
    if workers == 1 or len(starts) == 1:
        for start in starts:
            done += task(start)
            if progress is not None:
                progress(done, n)
    else:
        # imported here: xlwings Lite (Pyodide) has no threads, and runs with workers == 1
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=workers) as pool:
            for fut in as_completed([pool.submit(task, s) for s in starts]):
                done += fut.result()
                if progress is not None:
                    progress(done, n)
    return Simulation(
        case=resolved,
        n=int(n),
        seed=int(seed),
        inputs=paths,
        labels=[s.label for s in specs],
        distributions=list(dists.values()),
        case_values=[s.value for s in specs],
        draws=draws,
        owners=owners,
        tco=tco,
        npv_cost=npv_cost,
        base_tco=base.tco[0],
        base_npv_cost=base.npv_cost[0],
    )
