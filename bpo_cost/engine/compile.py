"""Compile a validated Case into the engine's parameters: the frozen blocks of ``params``.

Every number becomes an array of shape ``(1, 1)`` (the same in every scenario) or ``(n, 1)`` when
a batch overrides it, so the engine broadcasts it against the month axis ``(1, n_months)``. Lists
of numbers (seasonality) become ``(1 or n, k)``. Text, switches, list structure and the numbers
that shape the model (the term, tier bounds) stay as they are: they cannot vary between
scenarios. Which is which, the field types of ``params`` say. Overrides are keyed by canonical
input paths (``case.paths``: ``"workload.volume_per_month"``, ``"options.1.pricing.rate"``).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel

from .._types import ArrayLike, FloatArray
from ..case.models import Case
from ..case.paths import V1_WORKLOAD, WORKLOADS, Step, in_list_form, join_path, parse_path
from ..errors import InputError
from . import params
from .params import Params

__all__ = ["Compiler", "Params", "compile_case", "numeric_inputs"]


def numeric_inputs(case: Case) -> dict[str, float]:
    """Every number in the case that a batch may vary, by its canonical path, in case order.

    These are the numbers the parameters hold as arrays: the term and tier bounds shape the
    model and are left out. Month counts (parallel run, ramp) are included and may vary per
    scenario.
    """
    return Compiler(case).allowed


def compile_case(
    case: Case, overrides: Mapping[str, ArrayLike] | None = None, *, n: int | None = None
) -> Params:
    """The case as engine parameters, with optional per-scenario overrides.

    Parameters
    ----------
    case : a validated case whose prices are numbers (rate-card references resolved).
    overrides : canonical input path -> array of n values, one per scenario.
    n : number of scenarios; inferred from the overrides (1 when there are none).
    """
    return Compiler(case)(overrides, n=n)


class Compiler:
    """A case compiled once, for many batches (``compile_case`` is ``Compiler(case)(…)``).

    A call copies only the blocks on the paths it overrides (``dataclasses.replace`` along each
    path), so a Monte Carlo chunk does not walk the whole case again; the arrays it shares
    between calls are read-only.
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        builder = _Builder()
        self.base: Params = builder.root(case)
        self.allowed: dict[str, float] = builder.numbers

    def __call__(
        self, overrides: Mapping[str, ArrayLike] | None = None, *, n: int | None = None
    ) -> Params:
        arrays = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in (overrides or {}).items()}
        sizes = {a.size for a in arrays.values()}
        n = n or (max(sizes) if sizes else 1)
        for key, a in arrays.items():
            if a.size not in (1, n):
                raise InputError(
                    f"overrides[{key!r}]", a.size, f"1 or {n} values (one per scenario)"
                )
            if not np.all(np.isfinite(a)):
                raise InputError(f"overrides[{key!r}]", a[~np.isfinite(a)][0], "finite numbers")
        unknown = sorted(set(arrays) - set(self.allowed))
        if unknown:
            raise InputError("overrides", unknown[0], "the path of a number in the case")
        tree: dict[Step, Any] = {}  # the overrides as a tree of steps: each block copied once
        for key, a in arrays.items():
            *parents, last = parse_path(in_list_form(key))
            node = tree
            for step in parents:
                node = node.setdefault(step, {})
            node[last] = a
        params: Params = _replaced(self.base, tree, n_scenarios=n)
        return params


def _replaced(node: Any, changes: dict[Any, Any], **fields: Any) -> Any:
    """``node`` with ``changes`` (step -> values, or deeper changes) and ``fields`` written in."""
    if isinstance(node, np.ndarray):  # numbers of a list (seasonality): columns
        rows = max(node.shape[0], *(a.size for a in changes.values()))
        grown = np.array(np.broadcast_to(node, (rows, node.shape[1])))
        for i, a in changes.items():
            grown[:, i] = a
        return grown
    if isinstance(node, tuple):
        items = list(node)
        for i, sub in changes.items():
            items[i] = _replaced(items[i], sub)
        return tuple(items)
    return dataclasses.replace(
        node,
        **fields,
        **{
            str(name): a.reshape(-1, 1)
            if isinstance(a, np.ndarray)
            else _replaced(getattr(node, str(name)), a)
            for name, a in changes.items()
        },
    )


# ------------------------------------------------------------------------- the base parameters

_BLOCKS: dict[str, type] = {
    name: getattr(params, name)
    for name in params.__all__
    if dataclasses.is_dataclass(getattr(params, name))
} | {Case.__name__: Params}


@functools.cache
def _layout(block: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a parameter block, each with whether it holds numbers as arrays."""
    hints = typing.get_type_hints(block)
    return tuple((f.name, _holds_arrays(hints[f.name])) for f in dataclasses.fields(block))


def _holds_arrays(hint: Any) -> bool:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_holds_arrays(arg) for arg in typing.get_args(hint))
    return hint is np.ndarray or typing.get_origin(hint) is np.ndarray


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _frozen(a: FloatArray) -> FloatArray:
    a.flags.writeable = False  # shared by every batch a Compiler makes
    return a


class _Builder:
    """Builds the parameter blocks from the case's models, noting every number that may vary."""

    def __init__(self) -> None:
        self.numbers: dict[str, float] = {}

    def root(self, case: Case) -> Params:
        built: Params = self.block(case, "")
        return built

    def workloads(self, case: Case) -> tuple[Any, ...]:
        # paths as the case spells them: one workload is v1's `workload` (Case.v1_form)
        if len(case.workloads) == 1:
            return (self.block(case.workloads[0], V1_WORKLOAD),)
        return tuple(self.block(w, join_path(WORKLOADS, i)) for i, w in enumerate(case.workloads))

    def block(self, model: BaseModel, path: str) -> Any:
        block = _BLOCKS.get(type(model).__name__)
        if block is None:  # a rate-card reference: compile takes numbers
            raise InputError(
                path, model, "a number (resolve rate-card references first: resolve_rates)"
            )
        return block(
            **{
                name: self.workloads(model)
                if isinstance(model, Case) and name == WORKLOADS
                else self.value(getattr(model, name), join_path(path, name), arrays)
                for name, arrays in _layout(block)
                if name != "n_scenarios"  # set per batch
            }
        )

    def value(self, v: Any, path: str, arrays: bool) -> Any:
        if isinstance(v, BaseModel):
            return self.block(v, path)
        if isinstance(v, list):
            if arrays:  # a list of numbers: one row, a column per number
                for i, x in enumerate(v):
                    self.numbers[join_path(path, i)] = float(x)
                return _frozen(np.asarray([v], dtype=float).reshape(1, len(v)))
            return tuple(self.value(x, join_path(path, i), arrays) for i, x in enumerate(v))
        if arrays and _is_number(v):
            self.numbers[path] = float(v)
            return _frozen(np.full((1, 1), float(v)))
        return v
