"""What the analyses vary and how they evaluate a batch.

An input is a number of the case named by its dotted path (``workload.volume_per_month``,
``options.3.pricing.rate``); users may write an option or role by name
(``options[Offshore PH].pricing.rate``). Each input carries the range its field allows (from the
case model's constraints) and whether it is a whole number (month counts). A batch evaluation
keeps only the two figures the analyses need per scenario and owner: TCO and NPV of cost,
computed exactly as ``engine.summarize`` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .._types import ArrayLike, FloatArray
from ..api import resolve_rates
from ..case.io import load_case
from ..case.models import Case
from ..case.paths import canonical_path, path_label
from ..case.rules import Rule, rule
from ..core import arguments
from ..core.workspace import Workspace
from ..engine.compile import Compiler, numeric_inputs
from ..engine.components import INHOUSE
from ..engine.run import run_figures
from ..errors import InputError
from ..rates.cards import RateCards

CaseSource = Case | str | Path | Mapping[str, Any]
RateCardSource = RateCards | str | Path | None
Metric = Literal["tco", "npv_cost", "savings", "npv_savings"]
METRICS: tuple[Metric, ...] = ("tco", "npv_cost", "savings", "npv_savings")
METRIC_LABELS: dict[str, str] = {
    "tco": "TCO",
    "npv_cost": "NPV of cost",
    "savings": "Savings",
    "npv_savings": "NPV of savings",
}


def prepare(case: CaseSource, rate_cards: RateCardSource = None) -> Case:
    """Load a case and replace its rate-card references by numbers."""
    resolved, _ = resolve_rates(load_case(case), rate_cards)
    return resolved


def numbers(
    where: str, values: Any, allowed: str = "numbers", *, shape: tuple[int, ...] | None = None
) -> FloatArray:
    """``values`` as finite floats (of ``shape`` if given), or an InputError naming ``where``.

    ``allowed`` says what form the analysis expects (``"a (low, high) pair of numbers"``); the
    check is the core's (`bpo_cost.core.arguments.numbers`).
    """
    return arguments.numbers(where, values, shape=shape, form=allowed)


@dataclass(frozen=True)
class Input:
    """A number of the case a batch may vary: where it is, its value, the range its field allows."""

    path: str
    label: str
    value: float
    rule: Rule

    @property
    def integer(self) -> bool:
        return self.rule.kind == "whole"

    @property
    def low(self) -> float:
        """The smallest value the field allows (a strict bound's next number)."""
        r = self.rule
        if r.low is None:
            return -math.inf
        low = float(np.nextafter(r.low, math.inf)) if r.low_strict else r.low
        return float(math.ceil(low)) if self.integer else low

    @property
    def high(self) -> float:
        """The largest value the field allows (a strict bound's previous number)."""
        r = self.rule
        if r.high is None:
            return math.inf
        high = float(np.nextafter(r.high, -math.inf)) if r.high_strict else r.high
        return float(math.floor(high)) if self.integer else high

    def range_text(self) -> str:
        """``numbers in [0, 1] other than 1``: the field's range, a strict bound said so."""
        if self.integer:
            return f"whole numbers in [{self.low:g}, {self.high:g}]"
        r = self.rule
        low = -math.inf if r.low is None else r.low
        high = math.inf if r.high is None else r.high
        strict = [f"{b:g}" for b, s in ((low, r.low_strict), (high, r.high_strict)) if s]
        return f"numbers in [{low:g}, {high:g}]" + (
            f" other than {' and '.join(strict)}" if strict else ""
        )

    def allowed(self) -> str:
        return f"{self.range_text()} (the range of {self.label})"

    def check(self, where: str, values: ArrayLike) -> FloatArray:
        """The values as floats, or an InputError naming ``where`` if one is out of range."""
        v = numbers(where, values, self.allowed())
        bad = ~np.isfinite(v) | (v < self.low) | (v > self.high)
        if self.integer:
            bad |= v != np.round(v)
        if np.any(bad):
            raise InputError(where, float(v[bad].flat[0]), self.allowed())
        return v


class Inputs:
    """The variable numbers of one (rate-resolved) case, by path or by name."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.tree = case.model_dump(mode="python")
        self.values = numeric_inputs(case)

    def canonical(self, path: str, *, where: str = "input") -> str:
        try:
            canonical = canonical_path(self.tree, path)
        except InputError as exc:
            raise InputError(where, path, exc.allowed) from None
        if canonical not in self.values:
            raise InputError(
                where,
                path,
                "the path of a number in the case, like "
                "workload.volume_per_month or options[Name].pricing.rate",
            )
        return canonical

    def get(self, path: str, *, where: str = "input") -> Input:
        canonical = self.canonical(path, where=where)
        field_rule = rule(self.case, canonical)
        assert field_rule is not None  # a canonical path always names a number of the case
        return Input(canonical, self.label(canonical), self.values[canonical], field_rule)

    def label(self, canonical: str) -> str:
        """The path with list items that have a name written by name: ``options[Onshore US]``."""
        return path_label(self.tree, canonical)

    def variable(self) -> list[str]:
        """Every path a batch may vary, in case order."""
        return list(self.values)


@dataclass(frozen=True)
class Figures:
    """TCO and NPV of cost per scenario (rows) and owner (columns: in-house first)."""

    owners: list[str]
    tco: FloatArray
    npv_cost: FloatArray

    def get(self, metric: Metric) -> FloatArray:
        if metric == "tco":
            return self.tco
        if metric == "npv_cost":
            return self.npv_cost
        if metric == "savings":
            return self.tco[:, :1] - self.tco
        if metric == "npv_savings":
            return self.npv_cost[:, :1] - self.npv_cost
        raise InputError("metric", metric, f"one of {list(METRICS)}")


def figures(
    case: Case | Compiler,
    overrides: Mapping[str, ArrayLike] | None = None,
    *,
    n: int | None = None,
    workspace: Workspace | None = None,
) -> Figures:
    """Evaluate one batch: TCO and NPV of cost per scenario and owner.

    The arithmetic is ``engine.cost_figures`` (``engine.run_figures``), as in
    ``engine.summarize``, so the figures match it bit for bit; what the analyses do not need
    (payback, IRR, rank) is not computed. Pass a ``Compiler`` to evaluate many batches of one
    case without compiling it each time, and the same ``Workspace`` (one per thread) to reuse
    the batches' month grids (``core.workspace``).
    """
    compiler = case if isinstance(case, Compiler) else Compiler(case)
    params = compiler(overrides, n=n)
    owners, tco, npv_cost = run_figures(params, compiler.case.term_months, workspace)
    return Figures(owners, tco, npv_cost)


def owner_index(owners: list[str], name: str, *, where: str = "option") -> int:
    """Column of an owner (``"inhouse"`` or an option name) in the figures."""
    if name not in owners:
        raise InputError(where, name, f"one of {owners}")
    return owners.index(name)


def option_names(case: Case) -> list[str]:
    return [INHOUSE, *(o.name for o in case.options)]
