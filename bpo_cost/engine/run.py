"""The TCO engine: in-house and every option, every cost component, every month, every scenario.

Pure numpy over the compiled parameters (``params``, made by ``compile``): arrays carry a leading
scenario axis, so a deterministic case, a sensitivity sweep and a Monte Carlo are the same call.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from .._types import ArrayLike, FloatArray
from ..case.models import Case
from ..core.finance import DISCOUNTING, PAYBACK_TOLERANCE, Discounting, irr, monthly_rate
from ..core.timeline import month_axis, volume_path, yearly_index
from ..core.workspace import Workspace, scratch
from .compile import compile_case
from .components import INHOUSE
from .inhouse import inhouse_components, summed
from .kept import kept_components
from .money import dated_parts, tax_parts
from .params import Option, Params
from .scope import whole_scope
from .termination import terminated
from .transition import hidden_components, inhouse_months_read
from .vendor import vendor_invoice

# When an IRR says nothing (docs/methodology.md#decision-figures): above this annual rate, or
# for a stream without a real investment phase: its up-front investment under this share of the
# savings, or paid back by this month.
IRR_CEILING = 1.0
MIN_INVESTMENT_SHARE = 0.01
QUICK_PAYBACK_MONTH = 3
# The reasons, as every face words them (the payback month follows the first).
IRR_REASONS = (
    "payback in month ",
    f"up-front cost under {MIN_INVESTMENT_SHARE:.0%} of savings",
    f"IRR above {IRR_CEILING:.0%} a year",
    "IRR and savings of opposite sign: another rate fits too",
)
NOT_MEANINGFUL = "n.m."  # what a table shows for such an IRR, with the reasons below it
NOT_MEANINGFUL_LEAD = f"IRR {NOT_MEANINGFUL} (not meaningful): "  # the line of reasons

__all__ = [
    "IRR_CEILING",
    "IRR_REASONS",
    "MIN_INVESTMENT_SHARE",
    "NOT_MEANINGFUL",
    "NOT_MEANINGFUL_LEAD",
    "QUICK_PAYBACK_MONTH",
    "Components",
    "Summary",
    "cost_figures",
    "irr_caveat",
    "paid_back",
    "run",
    "run_figures",
    "summarize",
    "workload_volumes",
]


@dataclass(frozen=True)
class Components:
    """Monthly cost components per owner (``"inhouse"`` or an option name).

    ``by_owner`` gives each as an ``(n, months)`` grid. ``parts`` holds them as the engine made
    them, ``(n or 1, k)`` with k <= months: one row when no scenario differs, and the first k
    months of a cost that stops early, zero after (a clause not in the deal is a single zero),
    so totals skip what is zero anyway.
    """

    volume: FloatArray
    parts: dict[str, dict[str, FloatArray]]
    known_totals: dict[str, FloatArray] = field(default_factory=dict, repr=False)

    @property
    def owners(self) -> list[str]:
        return list(self.parts)

    @cached_property
    def by_owner(self) -> dict[str, dict[str, FloatArray]]:
        return {
            owner: {k: self._grid(v) for k, v in parts.items()}
            for owner, parts in self.parts.items()
        }

    def total(self, owner: str) -> FloatArray:
        """The owner's monthly total, ``(n, months)``, read-only."""
        if owner not in self.known_totals:
            self.known_totals[owner] = sum_parts(self.parts[owner].values(), self.volume.shape)
        return self.known_totals[owner]

    def _grid(self, part: FloatArray) -> FloatArray:
        if part.shape[1] < self.volume.shape[1]:
            part = np.concatenate(
                (part, np.zeros((part.shape[0], self.volume.shape[1] - part.shape[1]))), axis=1
            )
        return np.broadcast_to(part, self.volume.shape)


def sum_parts(
    parts: Iterable[FloatArray], shape: tuple[int, int], out: FloatArray | None = None
) -> FloatArray:
    """The sum of components given as ``Components.parts`` holds them, ``shape``: into ``out``
    if given (overwritten), else a new read-only array."""
    first, *rest = parts
    # the same zeros in every scenario (a clause not in the deal) add nothing
    rest = [part for part in rest if part.shape[0] > 1 or part.any()]
    total = np.empty(shape) if out is None else out
    if rest and rest[0].shape[1] == shape[1]:
        np.add(first, rest.pop(0), out=total)  # the copy and the first sum in one pass
    else:
        total[...] = first
    for part in rest:
        total[:, : part.shape[1]] += part  # adding the zeros after it would change nothing
    if out is None:
        total.flags.writeable = False
    return total


def workload_volumes(p: Params, months: FloatArray) -> list[FloatArray]:
    """Each workload's monthly volume, ``(1 or n, months)``, in case order."""
    return [
        volume_path(w.volume_per_month, w.growth_per_year, w.seasonality, p.start, months)
        for w in p.workloads
    ]


def run(p: Params, term_months: int) -> Components:
    """Evaluate a compiled case: every component of in-house and of each option."""
    base = _inhouse(p, term_months)
    # Producers return the registry's keys in its order (``components``); the tests check that,
    # so the hot path takes their dicts as they are.
    parts_of = {INHOUSE: base.parts}
    for option in p.options:
        parts_of[option.name] = _option_parts(p, option, base)
    return Components(np.broadcast_to(base.volume, base.shape), parts_of, {INHOUSE: base.total})


def run_figures(
    p: Params, term_months: int, workspace: Workspace | None = None
) -> tuple[list[str], FloatArray, FloatArray]:
    """Owners, TCO and NPV of cost (``(n, owners)`` each) of a compiled case: ``cost_figures``
    of ``run``, bit for bit, without keeping every owner's components.

    Each owner's components are summed and reduced, then dropped, before the next owner's are
    made; the options keep only the first months of the in-house costs (what their transition
    reads). With a ``workspace`` (pass the same one to batch after batch of one thread) the
    month grids are made in memory it keeps (``core.workspace``); the figures do not depend on
    it.
    """
    owners = [INHOUSE, *(o.name for o in p.options)]
    shape = (p.n_scenarios, term_months)

    def totals() -> Iterator[FloatArray]:
        base = _inhouse(p, term_months)
        yield base.total
        base = base.first(max((inhouse_months_read(o, base.months) for o in p.options), default=0))
        for option in p.options:
            # the total's block is taken after the components are made, which die in it
            yield sum_parts(
                _option_parts(p, option, base).values(), shape, out=scratch(shape=shape)
            )

    with contextlib.nullcontext() if workspace is None else workspace.active():
        tco, npv_cost = _reduce(totals(), shape, len(owners), p.discount_rate_annual, p.discounting)
    return owners, tco, npv_cost


@dataclass(frozen=True)
class _InHouse:
    """What every owner's components start from: the in-house components and indices."""

    shape: tuple[int, int]
    months: FloatArray
    volumes: list[FloatArray]
    volume: FloatArray
    price_index: FloatArray
    parts: dict[str, FloatArray]
    total: FloatArray
    # what the options' transition charges: the operation as it runs today (an improvement path
    # is what in-house could become; a client who outsources does not build it)
    today_parts: dict[str, FloatArray]
    today_total: FloatArray

    def first(self, k: int) -> _InHouse:
        """The same with only the first ``k`` months of the in-house components and total."""
        parts = {name: v[:, :k].copy() for name, v in self.parts.items()}
        total = self.total[:, :k].copy()  # copies: the full grids can go
        same = self.today_parts is self.parts
        return replace(
            self,
            parts=parts,
            total=total,
            today_parts=parts
            if same
            else {n: v[:, :k].copy() for n, v in self.today_parts.items()},
            today_total=total if same else self.today_total[:, :k].copy(),
        )


def _inhouse(p: Params, term_months: int) -> _InHouse:
    """The in-house components and indices."""
    months = month_axis(term_months)
    volumes = workload_volumes(p, months)
    wage_index = yearly_index(p.wage_inflation_per_year, months)
    price_index = yearly_index(p.inflation_per_year, months)
    full = (p.n_scenarios, term_months)
    parts = inhouse_components(p, volumes, wage_index, price_index, months)
    today = parts
    if p.inhouse.improvement is not None:
        now = replace(p, inhouse=replace(p.inhouse, improvement=None))
        today = inhouse_components(now, volumes, wage_index, price_index)
    # dated costs are the in-house owner's alone: the options' parallel run does not carry them
    ih = p.inhouse
    dated = dated_parts("inhouse.", ih.dated_costs, ih.asset_sales, months)
    if dated:
        parts = parts | dated
    total = sum_parts(parts.values(), full, out=scratch(shape=full))
    today_total = (
        total if today is parts else sum_parts(today.values(), full, out=scratch(shape=full))
    )
    return _InHouse(
        shape=full,
        months=months,
        volumes=volumes,
        volume=summed(volumes),  # cost per unit: per unit of any workload
        price_index=price_index,
        parts=parts,
        total=total,
        today_parts=today,
        today_total=today_total,
    )


def _option_parts(p: Params, option: Option, base: _InHouse) -> dict[str, FloatArray]:
    parts, dip_fees = vendor_invoice(p, option, base.volumes, base.months, base.price_index)
    fx = parts.pop("fx.adjustment", None)
    kept = parallel_run = None
    if not whole_scope(p, option):  # partial scope, waves or a termination: in-house work
        kept, parallel_run = kept_components(p, option, base.volumes, base.months, base.price_index)
    parts |= hidden_components(
        p,
        option,
        base.months,
        parts["vendor.fees"],
        base.today_total,
        base.today_parts,
        base.price_index,
        dip_fees=dip_fees,
        parallel_run=parallel_run,
        volumes=base.volumes,
    )
    parts |= dated_parts("", option.dated_costs, option.asset_sales, base.months)
    if fx is not None:  # in registry order, after the dated costs
        parts["fx.adjustment"] = fx
    if option.termination is not None:  # the vendor's charges stop; its own components follow
        parts |= terminated(
            p, option, parts, base.months, base.volumes, base.price_index, base.parts
        )
    if option.taxes is not None:
        parts |= tax_parts(option.taxes, parts)
    if kept is not None:
        parts["inhouse.kept"] = kept
    return parts


@dataclass(frozen=True)
class Summary:
    """Decision figures per scenario (rows) and owner (columns: in-house first, then options).

    ``savings`` = in-house TCO − owner TCO; ``payback_month`` is the first month cumulative savings
    reach zero or above, within ``PAYBACK_TOLERANCE`` (NaN: never within the term); ``irr`` is
    the annualised IRR of the monthly savings stream (NaN where undefined, e.g. no sign change);
    ``investment_share`` is the up-front investment (the deepest cumulative shortfall of savings,
    0 if none) over the gross savings (the sum of the months that save), NaN for in-house (see
    ``irr_caveat``); ``rank`` 1 is the lowest NPV of cost.
    """

    owners: list[str]
    tco: FloatArray
    npv_cost: FloatArray
    savings: FloatArray
    savings_pct: FloatArray
    npv_savings: FloatArray
    payback_month: FloatArray
    irr: FloatArray
    cost_per_unit: FloatArray
    rank: FloatArray
    investment_share: FloatArray


def cost_figures(
    c: Components, discount_rate_annual: ArrayLike, discounting: Discounting = "end_of_month"
) -> tuple[FloatArray, FloatArray]:
    """TCO and NPV of cost, ``(n, owners)`` each: the hot path of sensitivity and Monte Carlo.

    NPV is Excel's (month m discounted m periods at the monthly rate) at the end of the month,
    m - 0.5 periods mid-month, m - 1 at the start (``core.finance.DISCOUNTING``). Every
    reduction runs row by row (einsum, not BLAS matrix products, whose summation order depends
    on the batch size), so a scenario's figures are bit for bit the same in any batch.
    """
    return _reduce(
        (c.total(o) for o in c.owners),
        c.volume.shape,
        len(c.owners),
        discount_rate_annual,
        discounting,
    )


def _reduce(
    totals: Iterable[FloatArray],
    shape: tuple[int, ...],
    n_owners: int,
    discount_rate_annual: ArrayLike,
    discounting: Discounting,
) -> tuple[FloatArray, FloatArray]:
    """Row-wise TCO and NPV of each owner's monthly total, ``(n, owners)`` each."""
    n, term = shape
    rate = np.asarray(monthly_rate(discount_rate_annual), dtype=float).reshape(-1, 1)
    periods = np.arange(1.0, term + 1.0) - DISCOUNTING[discounting]  # end of month: exact
    factors = (1.0 + rate) ** -periods  # (1 or n, months)
    tco, npv_cost = np.empty((n, n_owners)), np.empty((n, n_owners))
    for j, total in enumerate(totals):
        tco[:, j] = total.sum(axis=1)
        if factors.shape[0] == 1:  # one rate for the batch: a single pass, row by row
            npv_cost[:, j] = np.einsum("nm,m->n", total, factors[0])
        else:
            npv_cost[:, j] = np.einsum("nm,nm->n", total, factors)
        del total  # a generator of totals (``run_figures``) makes the next without this one
    return tco, npv_cost


def paid_back(cumulative_savings: ArrayLike) -> npt.NDArray[np.bool_]:
    """Where cumulative savings have recovered what was invested: >= 0 within half a cent.

    The tolerance (``core.finance.PAYBACK_TOLERANCE``) keeps the round-off of an exact
    break-even (~1e-9) from moving the payback month.
    """
    return np.asarray(cumulative_savings, dtype=float) >= -PAYBACK_TOLERANCE


def irr_caveat(
    irr_annual: float, payback_month: float, investment_share: float, savings: float
) -> str | None:
    """Why an option's IRR is not meaningful, or None when it is (or there is none).

    Parameters
    ----------
    irr_annual : float
        The annual IRR of the savings stream (NaN: none, so nothing to qualify).
    payback_month : float
        The payback month (NaN: never).
    investment_share : float
        Up-front investment over gross savings (``Summary.investment_share``).
    savings : float
        The savings over the term (``Summary.savings``, undiscounted). An
        IRR of the other sign is one of several roots: savings that turn negative again (a
        termination's fee and rehiring) give the stream more than one rate.

    Returns
    -------
    str or None
        The reasons that apply, joined by ", ": payback by ``QUICK_PAYBACK_MONTH``, an
        investment under ``MIN_INVESTMENT_SHARE`` of the savings, an IRR above ``IRR_CEILING``,
        an IRR of the opposite sign to the savings.

    Examples
    --------
    >>> irr_caveat(7.0, 3.0, 0.004, 2500.0)
    'payback in month 3, up-front cost under 1% of savings, IRR above 100% a year'
    >>> irr_caveat(0.25, 14.0, 0.3, 4000.0) is None
    True
    """
    if math.isnan(irr_annual):
        return None
    reasons = []
    quick, small, high, opposite = IRR_REASONS
    if payback_month <= QUICK_PAYBACK_MONTH:  # False for NaN: never paid back
        reasons.append(f"{quick}{payback_month:.0f}")
    if investment_share < MIN_INVESTMENT_SHARE:
        reasons.append(small)
    if irr_annual > IRR_CEILING:
        reasons.append(high)
    if irr_annual * savings < 0.0:
        reasons.append(opposite)
    return ", ".join(reasons) or None


def summarize(
    c: Components, discount_rate_annual: ArrayLike, discounting: Discounting = "end_of_month"
) -> Summary:
    """Summary figures, vectorised over scenarios; ``discounting`` as in ``cost_figures``."""
    totals = np.stack([c.total(o) for o in c.owners], axis=1)  # (n, owners, months)
    n, n_owners, term = totals.shape
    tco, npv_cost = _reduce(
        totals.transpose(1, 0, 2), (n, term), n_owners, discount_rate_annual, discounting
    )
    savings_flow = totals[:, :1, :] - totals  # in-house minus each owner
    savings = tco[:, :1] - tco
    cumulative = np.cumsum(savings_flow, axis=2)
    positive = paid_back(cumulative)  # break-even reached: invested cost recovered
    payback = np.where(positive.any(axis=2), positive.argmax(axis=2) + 1.0, np.nan)
    payback[:, 0] = np.nan  # in-house against itself: no payback
    rate_of_return = np.full((n, n_owners), np.nan)
    if n_owners > 1:
        flows = savings_flow[:, 1:, :].reshape(n * (n_owners - 1), term)
        monthly = np.asarray(irr(flows, silent=True), dtype=float).reshape(n, n_owners - 1)
        rate_of_return[:, 1:] = (1.0 + monthly) ** 12 - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(tco[:, :1] != 0, savings / tco[:, :1], np.nan)
        per_unit = tco / c.volume.sum(axis=1, keepdims=True)
        investment = np.maximum(-cumulative.min(axis=2), 0.0)
        gross = np.where(savings_flow > 0.0, savings_flow, 0.0).sum(axis=2)
        share = np.where(investment > 0.0, investment / gross, 0.0)
    share[:, 0] = np.nan  # in-house invests nothing in itself
    rank = npv_cost.argsort(axis=1, kind="stable").argsort(axis=1) + 1.0
    return Summary(
        owners=c.owners,
        tco=tco,
        npv_cost=npv_cost,
        savings=savings,
        savings_pct=pct,
        npv_savings=npv_cost[:, :1] - npv_cost,
        payback_month=payback,
        irr=rate_of_return,
        cost_per_unit=per_unit,
        rank=rank.astype(float),
        investment_share=share,
    )


def evaluate_arrays(
    case: Case,
    overrides: Mapping[str, ArrayLike] | None = None,
) -> tuple[Components, Summary]:
    """Compile and run a case whose prices are numbers, with optional per-scenario overrides."""
    p = compile_case(case, overrides)
    comps = run(p, case.term_months)
    return comps, summarize(comps, p.discount_rate_annual, p.discounting)
