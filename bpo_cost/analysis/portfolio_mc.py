"""Portfolio Monte Carlo: shared drivers drawn once per draw for every function, plus each
function's own uncertainty; the programme's NPV of savings per draw.

Shared drivers (the portfolio's ``uncertainty``: the discount rate, inflation, wage inflation,
exchange rates) come from the streams ``portfolio:<driver>``; a function's own uncertain inputs
(its case's ``uncertainty`` block) from ``functions[<name>]:<path>``. Every stream is drawn in
fixed blocks seeded by ``SeedSequence(seed, spawn_key=(crc32(stream), block))``
(``case.distributions.sample``), so the numbers are the same whatever the chunking, the number
of threads or the Dask workers that run them. A shared driver replaces the functions' own
distribution of the same input; a ``relative`` shared driver scales each function's own value.

A shared driver's ``rank_correlation`` may name other drivers and the functions' own uncertain
inputs by their key (``workload.volume_per_month``, ``options[Offshore PH].pricing.rate``); a
function's own distribution may name a driver (``wage_inflation_per_year``). Such a function's
draws come from one Gaussian copula over the drivers and its own inputs: the drivers' scores are
the first columns of its Cholesky factor, drawn from the same ``portfolio:<driver>`` streams, so
they are the drivers every function shares, and its own inputs lean on them by the stated rank
correlation. A function with no such entry draws its own inputs apart, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._types import FloatArray
from ..case.distributions import BLOCK, Distribution, correlation_matrix, sample
from ..case.models import Case
from ..case.portfolio import FX_PREFIX, SHARED_RATES
from ..core.finance import deferral
from ..core.workspace import Workspace
from ..engine.compile import Compiler
from ..errors import InputError
from .distributed import ChunkTimes, run_chunks
from .inputs import Input, Inputs, figures
from .montecarlo import MAX_DRAWS, PERCENTILES, default_chunk, input_values, uncertain_inputs

if TYPE_CHECKING:
    from .choice import Plan
    from .portfolio import PortfolioResult

__all__ = ["PortfolioSimulation", "simulate_portfolio"]

DEFAULT_SPAN = 2 * BLOCK  # draws per task: whole random blocks, a few seconds of work


@dataclass
class _Function:
    """What a chunk needs of one function (picklable: sent once to each Dask worker)."""

    name: str
    case: Case
    rate: float
    shared_specs: list[Input]  # the function's inputs the shared rate drivers set
    own_specs: list[Input]
    own_dists: dict[str, Distribution]
    own_rho: FloatArray | None
    fx: int  # column of its exchange-rate driver among the shared draws, -1: none
    offset: int  # months from the programme's start to the function's (start_month - 1)
    # correlated with the shared drivers: the drivers then its own inputs, in one copula
    joint: dict[str, Distribution] | None = None
    joint_rho: FloatArray | None = None


@dataclass
class _Job:
    seed: int
    shared: dict[str, Distribution]  # by driver key, rates first; correlated among themselves
    shared_rho: FloatArray | None
    rate_columns: list[int]  # the shared columns that are case inputs (SHARED_RATES)
    functions: list[_Function]
    engine_chunk: int
    _compilers: list[Compiler] | None = field(default=None, repr=False)

    def compilers(self) -> list[Compiler]:
        if self._compilers is None:  # built once per process (a Dask worker: on first use)
            self._compilers = [Compiler(f.case) for f in self.functions]
        return self._compilers

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_compilers"] = None  # each worker compiles its own
        return state


def _own_draws(job: _Job, f: _Function, start: int, n: int) -> FloatArray:
    """A function's own uncertain inputs, draws ``start..start + n``, as the engine takes them."""
    streams = [f"functions[{f.name}]:{p}" for p in f.own_dists]
    if f.joint is None:
        own = sample(
            f.own_dists, n, seed=job.seed, start=start, streams=streams, rank_correlation=f.own_rho
        )
    else:
        streams = [f"portfolio:{k}" for k in job.shared] + streams
        both = sample(
            f.joint, n, seed=job.seed, start=start, streams=streams, rank_correlation=f.joint_rho
        )
        own = both[:, len(job.shared) :]
    input_values(own, f.own_specs, list(f.own_dists.values()))
    return own


def _chunk(job: _Job, start: int, stop: int) -> tuple[FloatArray, list[FloatArray]]:
    """Shared draws and each function's NPV of savings per owner for draws ``start..stop``."""
    n = stop - start
    keys = list(job.shared)
    shared = (
        sample(
            job.shared,
            n,
            seed=job.seed,
            start=start,
            streams=[f"portfolio:{k}" for k in keys],
            rank_correlation=job.shared_rho,
        )
        if keys
        else np.empty((n, 0))
    )
    out = []
    for f, compiler in zip(job.functions, job.compilers(), strict=True):
        rate_x = shared[:, job.rate_columns].copy()
        input_values(rate_x, f.shared_specs, [job.shared[keys[j]] for j in job.rate_columns])
        paths = [s.path for s in f.shared_specs]
        columns = [rate_x[:, j] for j in range(rate_x.shape[1])]
        if f.own_dists:
            own = _own_draws(job, f, start, n)
            paths += [s.path for s in f.own_specs]
            columns += [own[:, j] for j in range(own.shape[1])]
        fx = np.full(n, f.rate)
        if f.fx >= 0:
            d = job.shared[keys[f.fx]]
            fx = f.rate * (1.0 + shared[:, f.fx]) if d.relative else shared[:, f.fx].copy()
        npv_cost = np.empty((n, len(f.case.options) + 1))
        workspace = Workspace()  # the function's month grids, reused batch after batch
        for lo in range(0, n, job.engine_chunk):
            hi = min(lo + job.engine_chunk, n)
            over = {p: c[lo:hi] for p, c in zip(paths, columns, strict=True)}
            npv_cost[lo:hi] = figures(compiler, over, n=hi - lo, workspace=workspace).npv_cost
        if f.offset:  # to the programme's start at each draw's own discount rate
            drawn = dict(zip(paths, columns, strict=True))
            rate = drawn.get("discount_rate_annual", f.case.discount_rate_annual)
            fx = fx * deferral(rate, f.offset)
        npv_cost *= fx[:, None]
        out.append(npv_cost[:, :1] - npv_cost)
    return shared, out


@dataclass(frozen=True)
class PortfolioSimulation:
    """NPV of savings per draw for every function and owner, and the shared drivers' draws.

    ``npv_savings[i]`` is ``(n, owners)`` for function ``i`` (in the result's order, in-house
    first, in the portfolio currency); ``drivers`` the shared driver keys and ``driver_draws``
    their values (relative drivers as the drawn fraction).
    """

    result: PortfolioResult
    n: int
    seed: int
    drivers: list[str]
    driver_draws: FloatArray
    npv_savings: list[FloatArray]
    chunk_times: ChunkTimes
    job: _Job | None = field(default=None, repr=False, compare=False)

    def _columns(self, plan: Mapping[str, str] | Plan | None) -> FloatArray:
        chosen = self.result.choice_of(plan)
        cols = np.empty((self.n, len(self.npv_savings)))
        for i, f in enumerate(self.result.functions):
            cols[:, i] = self.npv_savings[i][:, f.owners.index(chosen[f.name])]
        return cols

    def programme(self, plan: Mapping[str, str] | Plan | None = None) -> FloatArray:
        """The programme's NPV of savings per draw under a plan (default: the best plan)."""
        cols = self._columns(plan)
        return np.asarray(cols.sum(axis=1), dtype=float)

    def probability_at_least(
        self, amount: float, plan: Mapping[str, str] | Plan | None = None
    ) -> float:
        """P(the programme's NPV of savings >= amount)."""
        return float((self.programme(plan) >= amount).mean())

    def percentiles(
        self, plan: Mapping[str, str] | Plan | None = None, q: Sequence[float] = PERCENTILES
    ) -> pd.Series:
        """Mean and percentiles (``P5``…) of the programme's NPV of savings."""
        x = self.programme(plan)
        values = {"mean": float(x.mean())}
        values |= {f"P{p:g}": float(v) for p, v in zip(q, np.percentile(x, list(q)), strict=True)}
        return pd.Series(values, name="npv_savings")

    def function_drivers(self, plan: Mapping[str, str] | Plan | None = None) -> pd.DataFrame:
        """Which functions drive the spread: each one's share of the programme's variance
        (``cov(function, programme) / var(programme)``, the shares sum to 1) and its own
        standard deviation, largest share first."""
        cols = self._columns(plan)
        total = cols.sum(axis=1)
        centred = cols - cols.mean(axis=0)
        tc = total - total.mean()
        var = float(tc @ tc)
        share = (centred.T @ tc) / var if var > 0 else np.zeros(cols.shape[1])
        frame = pd.DataFrame(
            {"share_of_variance": share, "std": cols.std(axis=0)},
            index=pd.Index([f.name for f in self.result.functions], name="function"),
        )
        return frame.sort_values("share_of_variance", ascending=False)

    def sampled(self, function: str) -> pd.DataFrame:
        """The draws of the shared drivers (as drawn: ``relative`` ones as fractions) and of one
        function's own uncertain inputs (as its case took them), one row per draw: drawn again
        from the seed, the same numbers the simulation used."""
        names = [f.name for f in self.result.functions]
        if self.job is None or function not in names:
            raise InputError("function", function, f"a function of the portfolio ({names})")
        f = self.job.functions[names.index(function)]
        own = _own_draws(self.job, f, 0, self.n) if f.own_dists else np.empty((self.n, 0))
        return pd.DataFrame(
            np.hstack([self.driver_draws, own]),
            index=pd.RangeIndex(self.n, name="draw"),
            columns=pd.Index([*self.drivers, *(s.label for s in f.own_specs)], name="input"),
        )

    def probability_of_saving(self) -> dict[str, FloatArray]:
        """Per function, the chance each owner's NPV of savings is positive (in-house: 1)."""
        out = {}
        for f, x in zip(self.result.functions, self.npv_savings, strict=True):
            p = (x > 0).mean(axis=0)
            p[0] = 1.0
            out[f.name] = p
        return out

    def to_dict(
        self, plan: Mapping[str, str] | Plan | None = None, q: Sequence[float] = PERCENTILES
    ) -> dict[str, Any]:
        """A JSON-ready summary: programme percentiles, P(saves), the functions' shares."""
        drivers = self.function_drivers(plan)
        return {
            "draws": self.n,
            "seed": self.seed,
            "shared_drivers": self.drivers,
            "npv_savings": self.percentiles(plan, q).to_dict(),
            "p_saves": self.probability_at_least(0.0, plan),
            "functions_by_share_of_variance": [
                {"function": str(k), "share": float(r["share_of_variance"]), "std": float(r["std"])}
                for k, r in drivers.iterrows()
            ],
        }


def _job(result: PortfolioResult, seed: int, engine_chunk: int) -> _Job:
    portfolio = result.loaded.portfolio
    keys = [k for k in SHARED_RATES if k in portfolio.uncertainty]
    keys += sorted(k for k in portfolio.uncertainty if k.startswith(FX_PREFIX))
    shared = {k: portfolio.uncertainty[k] for k in keys}
    names = set(keys)
    # among the drivers, only their correlations with each other; with a function's own inputs
    # in that function's copula (_joint)
    drivers_only = {
        k: d.model_copy(
            update={"rank_correlation": {o: r for o, r in d.rank_correlation.items() if o in names}}
        )
        for k, d in shared.items()
    }
    rho = correlation_matrix(drivers_only) if shared else None
    rate_columns = [j for j, k in enumerate(keys) if k in SHARED_RATES]
    functions = []
    matched: set[tuple[str, str]] = set()  # (driver, key) pairs some function's input takes
    for name, res in result.results.items():
        case = res.case
        where = f"functions[{name}]"
        try:
            rate_specs = [
                Inputs(case).get(keys[j], where=f"uncertainty[{keys[j]!r}]") for j in rate_columns
            ]
            for spec, j in zip(rate_specs, rate_columns, strict=True):
                d = shared[keys[j]]
                lo, hi = d.support()
                if d.relative:
                    lo, hi = sorted((spec.value * (1 + lo), spec.value * (1 + hi)))
                if lo < spec.low or hi > spec.high:
                    raise InputError(
                        f"uncertainty[{keys[j]!r}]", (lo, hi), f"inside {spec.range_text()}"
                    )
            own_uncertainty = {k: v for k, v in case.uncertainty.items() if k not in names}
            bare = case.model_copy(update={"uncertainty": own_uncertainty})
            specs, dists, aliases = uncertain_inputs(bare)
            joint, joint_rho = _joint(shared, drivers_only, case, dists, aliases, matched)
            own_rho = correlation_matrix(dists, aliases) if dists and joint is None else None
        except InputError as exc:
            raise InputError(f"{where}.{exc.field}", exc.value, exc.allowed) from None
        fx_key = f"{FX_PREFIX}{case.currency}"
        functions.append(
            _Function(
                name=name,
                case=case,
                rate=result.loaded.rates[name],
                shared_specs=rate_specs,
                own_specs=specs,
                own_dists=dists,
                own_rho=own_rho,
                fx=keys.index(fx_key) if fx_key in shared else -1,
                offset=result.loaded.start_months[name] - 1,
                joint=joint,
                joint_rho=joint_rho,
            )
        )
    for k, d in shared.items():
        for other in d.rank_correlation:
            if other not in names and (k, other) not in matched:
                raise InputError(
                    f"uncertainty[{k!r}].rank_correlation",
                    other,
                    f"another shared driver ({', '.join(keys)}) or an input that at least one "
                    "function draws (a key of its case's uncertainty block, like "
                    "workload.volume_per_month)",
                )
    return _Job(seed, drivers_only, rho, rate_columns, functions, engine_chunk)


def _joint(
    shared: Mapping[str, Distribution],
    drivers_only: Mapping[str, Distribution],
    case: Case,
    dists: Mapping[str, Distribution],
    aliases: Mapping[str, str],
    matched: set[tuple[str, str]],
) -> tuple[dict[str, Distribution] | None, FloatArray | None]:
    """The drivers and a function's own inputs in one copula, when a correlation links them.

    The drivers keep their correlations with each other and with this function's own uncertain
    inputs (``matched`` records the pairs found); an input the function has without a
    distribution takes no correlation (it does not vary).
    """
    if not shared or not dists:
        return None, None
    ins = Inputs(case)
    own_keys = dict(aliases)
    joint: dict[str, Distribution] = {}
    for k, d in shared.items():
        entries = dict(drivers_only[k].rank_correlation)
        for other, r in d.rank_correlation.items():
            if other in shared:
                continue
            try:
                canonical = ins.canonical(other, where=f"uncertainty[{k!r}].rank_correlation")
            except InputError:
                continue  # not a number of this function's case: another function's
            if canonical in dists:
                entries[other] = r
                own_keys[other] = canonical
                matched.add((k, other))
        joint[k] = d.model_copy(update={"rank_correlation": entries})
    linked = any(
        len(joint[k].rank_correlation) > len(drivers_only[k].rank_correlation) for k in joint
    )
    linked = linked or any(
        own_keys.get(o, o) in shared for d in dists.values() for o in d.rank_correlation
    )
    if not linked:
        return None, None
    joint |= dists  # no key in both: a function's own uncertainty leaves out the drivers
    rho = correlation_matrix(joint, own_keys)
    sample(joint, 1, seed=0, rank_correlation=rho)  # correlations that can hold together
    return joint, rho


def simulate_portfolio(
    result: PortfolioResult,
    *,
    n: int,
    seed: int,
    chunk_size: int | None = None,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PortfolioSimulation:
    """Portfolio Monte Carlo: ``n`` draws of the shared drivers and each function's own inputs.

    Parameters
    ----------
    result : an evaluated portfolio (``evaluate_portfolio``).
    n : number of draws.
    seed : the seed (a whole number >= 0): the same seed gives the same numbers on one thread,
        several, or any Dask cluster.
    chunk_size : draws per task (rounded up to whole random blocks of 4,096; default 8,192).
    client, scheduler : a ``distributed.Client``, or a scheduler address (``tcp://host:8786``):
        run the tasks on that Dask cluster (``pip install 'bpo-cost[dask]'``).
    workers : local threads when no cluster is given (default: CPU count, at most 4).
    progress : called as ``progress(done, n)`` as draws complete.

    Returns
    -------
    PortfolioSimulation

    Examples
    --------
    >>> from bpo_cost.analysis.portfolio import evaluate_portfolio
    >>> from bpo_cost.case.examples import portfolio_example_path
    >>> sim = evaluate_portfolio(portfolio_example_path()).simulate(500, seed=1, workers=1)
    >>> sim.programme().shape, 0 <= sim.probability_at_least(0.0) <= 1
    ((500,), True)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_DRAWS:
        raise InputError("n", n, f"a whole number of draws in [1, {MAX_DRAWS:,}]")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", seed, "a whole number >= 0")
    span = DEFAULT_SPAN if chunk_size is None else chunk_size
    if isinstance(span, bool) or not isinstance(span, (int, np.integer)) or span < 1:
        raise InputError("chunk_size", chunk_size, "a whole number >= 1")
    span = -(-int(span) // BLOCK) * BLOCK
    longest = max(r.case.term_months for r in result.results.values())
    job = _job(result, int(seed), default_chunk(longest))
    spans = [(a, min(a + span, n)) for a in range(0, n, span)]
    parts, times = run_chunks(
        _chunk, job, spans, client=client, scheduler=scheduler, workers=workers, progress=progress
    )
    draws = np.concatenate([p[0] for p in parts])
    npv = [np.concatenate([p[1][i] for p in parts]) for i in range(len(job.functions))]
    return PortfolioSimulation(
        result, int(n), int(seed), list(job.shared), draws, npv, times, job=job
    )
