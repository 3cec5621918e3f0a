"""Constrained choice: which option (or in-house) for each function, as a mixed-integer program.

One binary variable per function and owner, ``x[f, o]``, one owner per function
(``Σ_o x[f, o] = 1``); maximise ``Σ npv_savings[f, o] · x[f, o]`` subject to the analyst's limits:

- provider share: for each provider p,
  ``Σ_{o of p} spend · x ≤ share · Σ_{o not in-house} spend · x`` (vendor spend over the term);
- transition budget: for each programme year y, ``Σ transition[f, o, y] · x ≤ budget``;
- headcount moved: for each year y, ``Σ headcount[f, o, y] · x ≤ limit``;
- must stay in-house / must outsource: bounds on ``x``;
- least chance of saving: ``x[f, o] = 0`` where the Monte Carlo chance is lower.

Solved by HiGHS through ``scipy.optimize.milp`` to a relative MIP gap (``gap``, default
``DEFAULT_GAP``: the plan is proven worth at least 99.9 % of the best one), each row and the
objective scaled to a largest coefficient of 1. A constraint *binds* when dropping it raises the
plan's value by more than twice the gap (of the plan's value): its worth is that gain, and the
gain of relaxing its limit by 10 %. Each is a re-solve, screened first by the LP relaxation's
bound and asked only for plans worth more than the plan plus that margin, so that one that
doesn't bind usually ends at once with the proof (a gain within the margin reads 0); the 10 %
needs none when the best plan without the limit keeps it. A re-solve that runs out of time
gives a lower bound, marked ``exact=False``. When no plan meets the constraints, the error names
the smallest set of them that together leave none.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from .._types import FloatArray
from ..case.portfolio import Constraints
from ..core.arguments import Range, number
from ..errors import NoSolutionError

if TYPE_CHECKING:
    from .portfolio import PortfolioResult

__all__ = [
    "DEFAULT_GAP",
    "MAX_GAP",
    "Binding",
    "ChoiceTable",
    "Plan",
    "choice_table",
    "choose",
    "plan_value",
]

EXPLAIN_SECONDS = 1.0  # the least time a re-solve for a binding constraint may take
RELAX = 0.10  # "what relaxing it would be worth": the gain from a limit 10 % looser
# A plan proven within 0.1 % of the best one's NPV of savings: far inside what the NPVs themselves
# are sure of (the insurer example's P5-P95 of programme savings spans 13 % of its median), and
# what makes the choice quick where the budget is a tight knapsack of near-proportional
# functions. On 14 generated 200-function portfolios the first solve took 0.09-2.6 s (median
# 0.25 s) at 1e-3 against 0.4-21 s (median 1.9 s) at HiGHS's default 1e-4, whose proof, not its
# plan, takes the time (benchmarks/bench_portfolio.py). ``gap=0`` asks for the best plan, proven.
DEFAULT_GAP = 1e-3
MAX_GAP = 0.05  # a looser "best" plan is no longer the answer to the question asked
_ABS = 1e-6  # the margin's floor (of the unconstrained value): HiGHS's own absolute gap
_FEASIBLE = 1e-9  # a plan keeps a row when it exceeds the limit by no more than rounding


@dataclass(frozen=True)
class ChoiceTable:
    """What the choice needs per function: its owners (in-house first) and their figures.

    ``transition`` and ``headcount`` are ``(owners, years)``; ``p_save`` (optional) the chance
    each owner's NPV of savings is positive.
    """

    functions: list[str]
    owners: list[list[str]]
    value: list[FloatArray]
    spend: list[FloatArray]
    providers: list[list[str]]
    transition: list[FloatArray]
    headcount: list[FloatArray]
    p_save: list[FloatArray] | None = None

    @property
    def years(self) -> int:
        return self.transition[0].shape[1] if self.transition else 0


@dataclass(frozen=True)
class Binding:
    """A constraint the plan runs into: what it is, and what relaxing it would be worth."""

    constraint: str
    worth_if_dropped: float
    worth_if_relaxed: float  # the limit 10 % looser (for lists: the same as dropped)
    exact: bool = True  # False: a re-solve ran out of time; the worths are lower bounds


@dataclass(frozen=True)
class Plan:
    """The chosen owner per function, the plan's NPV of savings and the binding constraints."""

    choice: dict[str, str]
    value: float
    unconstrained_value: float
    binding: list[Binding] = field(default_factory=list)
    gap: float = 0.0  # proven: no plan is worth more than value + gap x |value| (about)

    def to_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice,
            "npv_savings": self.value,
            "unconstrained_npv_savings": self.unconstrained_value,
            "gap": self.gap,
            "binding": [b.__dict__ for b in self.binding],
        }


def choice_table(result: PortfolioResult, p_save: dict[str, FloatArray] | None) -> ChoiceTable:
    """The choice's inputs from an evaluated portfolio (and Monte Carlo chances of saving)."""
    years = result.years
    fs = result.functions
    return ChoiceTable(
        functions=[f.name for f in fs],
        owners=[f.owners for f in fs],
        value=[f.npv_savings for f in fs],
        spend=[f.vendor_spend.sum(axis=1) for f in fs],
        providers=[f.providers for f in fs],
        transition=[f.by_year(f.transition_spend, years) for f in fs],
        headcount=[f.headcount_by_year(years) for f in fs],
        p_save=None if p_save is None else [p_save[f.name] for f in fs],
    )


@dataclass(frozen=True)
class _Row:
    name: str  # how the analyst reads it: "transition_budget_per_year (year 2)"
    family: str  # the Constraints field
    coef: FloatArray
    limit: float  # coef · x <= limit
    relaxed_coef: FloatArray  # the same row with its limit 10 % looser
    relaxed_limit: float


def _rows(t: ChoiceTable, c: Constraints) -> list[_Row]:
    flat_value = np.concatenate(t.value)
    size = flat_value.size
    rows: list[_Row] = []
    spend = np.concatenate([np.where(np.arange(len(s)) == 0, 0.0, s) for s in t.spend])
    providers = [p for ps in t.providers for p in ps]
    if c.max_provider_share is not None and c.max_provider_share < 1:
        share = c.max_provider_share
        for p in sorted({p for p in providers if p}):
            mine = np.array([q == p for q in providers], dtype=float)
            # spend with p - share * all vendor spend <= 0; relaxed: a share 10 % larger
            looser = min(share * (1 + RELAX), 1.0)
            rows.append(
                _Row(
                    f"max_provider_share ({p})",
                    "max_provider_share",
                    spend * mine - share * spend,
                    0.0,
                    spend * mine - looser * spend,
                    0.0,
                )
            )
    for family, per_year, limit in (
        ("transition_budget_per_year", t.transition, c.transition_budget_per_year),
        ("max_headcount_moved_per_year", t.headcount, c.max_headcount_moved_per_year),
    ):
        if limit is None:
            continue
        for y in range(t.years):
            coef = np.concatenate([a[:, y] for a in per_year])
            if np.any(coef > 0):
                rows.append(
                    _Row(f"{family} (year {y + 1})", family, coef, limit, coef, limit * (1 + RELAX))
                )
    assert all(r.coef.size == size for r in rows)
    return rows


def _upper_bounds(t: ChoiceTable, c: Constraints, skip: set[str]) -> dict[str, FloatArray]:
    """Per family, the variables it forbids (upper bound 0)."""
    out: dict[str, FloatArray] = {}
    stay = set(c.must_stay_inhouse)
    leave = set(c.must_outsource)
    forbid_stay, forbid_leave, forbid_p = [], [], []
    for i, name in enumerate(t.functions):
        k = len(t.owners[i])
        forbid_stay.append(np.arange(k) > 0 if name in stay else np.zeros(k, bool))
        forbid_leave.append(np.arange(k) == 0 if name in leave else np.zeros(k, bool))
        if c.min_probability_of_saving is not None and t.p_save is not None:
            low = t.p_save[i] < c.min_probability_of_saving
            low[0] = False  # in-house is no bet
            forbid_p.append(low)
        else:
            forbid_p.append(np.zeros(k, bool))
    for family, parts in (
        ("must_stay_inhouse", forbid_stay),
        ("must_outsource", forbid_leave),
        ("min_probability_of_saving", forbid_p),
    ):
        mask = np.concatenate(parts)
        if mask.any() and family not in skip:
            out[family] = mask
    return out


@dataclass(frozen=True)
class _Solution:
    x: FloatArray
    proven: bool  # optimal within the gap; False: the best plan found in the time allowed
    gap: float  # the solver's proven relative gap: the best plan is worth at most (1 + gap) x


def _solve(
    t: ChoiceTable,
    rows: Sequence[_Row],
    forbid: dict[str, FloatArray],
    *,
    whole: bool = True,
    seconds: float | None = None,
    above: float | None = None,
    gap: float = DEFAULT_GAP,
) -> _Solution | None:
    """The best plan (``whole=False``: of the LP relaxation, a bound) or None if infeasible.

    ``above``: only plans worth at least that (None when there is none).
    """
    value = np.concatenate(t.value)
    size = value.size
    starts = np.cumsum([0] + [len(o) for o in t.owners])
    one = np.zeros((len(t.functions), size))
    for i in range(len(t.functions)):
        one[i, starts[i] : starts[i + 1]] = 1.0
    cons = [LinearConstraint(csr_array(one), 1.0, 1.0)]
    if rows:
        # each row (and the objective) divided by its largest coefficient: HiGHS's tolerances are
        # absolute, and rows in millions next to rows in heads cost it nodes (~2x on 200 functions)
        a = np.stack([r.coef for r in rows])
        scale = np.abs(a).max(axis=1)
        scale[scale == 0] = 1.0
        limits = np.array([r.limit for r in rows]) / scale
        cons.append(LinearConstraint(csr_array(a / scale[:, None]), -np.inf, limits))
    upper = np.ones(size)
    for mask in forbid.values():
        upper[mask] = 0.0
    top = max(float(np.abs(value).max(initial=0.0)), 1.0)
    if above is not None:
        cons.append(LinearConstraint(csr_array(value[None, :] / top), above / top, np.inf))
    options: dict[str, float] = {"mip_rel_gap": gap}
    if seconds is not None:
        options["time_limit"] = seconds
    res = milp(
        -value / top,
        constraints=cons,
        integrality=np.full(size, 1.0 if whole else 0.0),
        bounds=Bounds(np.zeros(size), upper),
        options=options,
    )
    if res.status == 2:  # infeasible
        return None
    if res.x is None or res.status not in (0, 1):  # 1: the time limit, with a plan found
        raise NoSolutionError(f"the solver stopped without a plan: {res.message}")
    x = np.asarray(np.round(res.x) if whole else res.x, dtype=float)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0) if whole else 0.0
    return _Solution(x, res.status == 0, gap)


def plan_value(t: ChoiceTable, x: FloatArray) -> float:
    """NPV of savings of a plan given as the 0/1 vector over (function, owner)."""
    return float(np.concatenate(t.value) @ x)


def _infeasible(t: ChoiceTable, rows: list[_Row], forbid: dict[str, FloatArray]) -> str:
    """The smallest set of constraint families that together leave no plan (deletion filter)."""
    families = sorted({r.family for r in rows} | set(forbid))
    needed = list(families)
    for family in families:
        trial = [f for f in needed if f != family]
        # an LP relaxation with no solution proves the whole problem has none
        if _solve(t, [r for r in rows if r.family in trial], _only(forbid, trial)) is None:
            needed = trial
    return ", ".join(needed)


def _only(forbid: dict[str, FloatArray], families: Sequence[str]) -> dict[str, FloatArray]:
    return {k: v for k, v in forbid.items() if k in families}


def choose(
    t: ChoiceTable,
    c: Constraints,
    *,
    explain: bool = True,
    seconds: float | None = None,
    gap: float = DEFAULT_GAP,
) -> Plan:
    """The plan maximising NPV of savings under the constraints; which ones bind and their worth.

    ``explain=False`` skips the binding constraints (one more solve per constraint);
    ``seconds`` limits the first solve: the best plan found by then, with its proven ``gap``;
    ``gap`` is the relative gap the solver proves (0 to ``MAX_GAP``; 0: the best plan).

    Raises
    ------
    InputError
        when ``gap`` is not a number from 0 to ``MAX_GAP``.
    NoSolutionError
        when no plan meets the constraints: the message names those that together exclude
        every plan.
    """
    gap = number("gap", gap, Range(0.0, MAX_GAP))
    if c.min_probability_of_saving is not None and t.p_save is None:
        raise NoSolutionError(
            "constraints.min_probability_of_saving needs each option's chance of saving: "
            "run the portfolio Monte Carlo first (--simulate N, or optimise(simulation=...))"
        )
    rows = _rows(t, c)
    forbid = _upper_bounds(t, c, set())
    started = time.perf_counter()
    solution = _solve(t, rows, forbid, seconds=seconds, gap=gap)
    if solution is None:
        raise NoSolutionError(
            f"no plan meets the constraints: {_infeasible(t, rows, forbid)} together leave "
            "none (relax one of them)"
        )
    x = solution.x
    # a re-solve starts from nothing (scipy passes no starting plan): give each twice the first
    # one's time (at least EXPLAIN_SECONDS), and report what it found as a lower bound when it
    # runs out
    seconds = max(EXPLAIN_SECONDS, 2 * (time.perf_counter() - started))
    value = plan_value(t, x)
    # with no constraint each function takes its best owner: no solve needed
    unconstrained = float(sum(v.max() for v in t.value))
    binding: list[Binding] = []
    # a better plan found without a constraint may be one the solve was allowed to miss: a gain
    # within twice the gap is not the constraint's (and most such rows are ruled out by the LP
    # relaxation's bound alone, without a re-solve)
    margin = 2 * gap * abs(value) + _ABS * max(abs(unconstrained), 1.0)

    def worth(
        rows_: Sequence[_Row], forbid_: dict[str, FloatArray]
    ) -> tuple[float, bool, FloatArray | None]:
        bound = _solve(t, rows_, forbid_, whole=False)  # the LP relaxation: a quick upper bound
        if bound is None or plan_value(t, bound.x) - value <= margin:
            return 0.0, True, None  # no plan of the looser problem can be worth more
        # only plans worth more than the margin: most re-solves then end at once, proving that
        # none exists (the plan's value is what scipy cannot pass as a start)
        try:
            better = _solve(t, rows_, forbid_, seconds=seconds, above=value + margin, gap=gap)
        except NoSolutionError:  # out of time before finding one: look without the floor
            better = _solve(t, rows_, forbid_, seconds=seconds, gap=gap)
        if better is None:
            return 0.0, True, None
        return plan_value(t, better.x) - value, better.proven, better.x

    if explain and unconstrained - value > margin:
        for r in rows:  # with whole choices, a row with slack may still bind: try each
            others = [q for q in rows if q is not r]
            gain, exact, best = worth(others, forbid)
            if gain > margin:
                assert best is not None
                if r.relaxed_coef @ best <= r.relaxed_limit + _FEASIBLE * max(
                    abs(r.relaxed_limit), 1.0
                ):
                    # the best plan without the row keeps the looser one: it is that problem's best
                    relaxed, exact_relaxed = gain, exact
                else:
                    looser = _Row(
                        r.name, r.family, r.relaxed_coef, r.relaxed_limit, r.coef, r.limit
                    )
                    relaxed, exact_relaxed, _ = worth([*others, looser], forbid)
                binding.append(Binding(r.name, gain, relaxed, exact and exact_relaxed))
        for family in forbid:
            gain, exact, _ = worth(rows, _only(forbid, [f for f in forbid if f != family]))
            if gain > margin:
                binding.append(Binding(family, gain, gain, exact))
    starts = np.cumsum([0] + [len(o) for o in t.owners])
    choice = {
        name: t.owners[i][int(np.argmax(x[starts[i] : starts[i + 1]]))]
        for i, name in enumerate(t.functions)
    }
    return Plan(choice, value, unconstrained, binding, solution.gap)
