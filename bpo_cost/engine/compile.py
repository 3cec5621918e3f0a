"""Compile a validated Case into the engine's parameter tree: plain namespaces of numpy arrays.

Every number becomes an array of shape ``(1, 1)`` (the same in every scenario) or ``(n, 1)`` when a
batch overrides it, so the engine broadcasts it against the month axis ``(1, n_months)``. Lists
of numbers (seasonality) become ``(1 or n, k)``. Text, switches and list structure stay as they
are: they shape the model and cannot vary between scenarios. Overrides are keyed by the dotted
paths of ``case_io.case_to_pairs`` (``"workload.volume_per_month"``,
``"options.1.pricing.rate"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import numpy as np

from .._types import ArrayLike, FloatArray
from ..case.io import flatten
from ..case.models import Case
from ..errors import InputError

__all__ = ["Compiler", "Params", "compile_case", "numeric_inputs"]

Params = SimpleNamespace


def numeric_inputs(case: Case) -> dict[str, float]:
    """Every number in the case that a batch may vary, by its dotted path.

    What shapes the model is left out: the term and tier bounds. Month counts (parallel run,
    ramp) are included and may vary per scenario.
    """
    return {
        path: float(v)
        for path, v in flatten(case.model_dump(mode="python"))
        if isinstance(v, (int, float))
        and not isinstance(v, bool)
        and path != "term_months"
        and not path.endswith(".up_to")
    }


def compile_case(
    case: Case, overrides: Mapping[str, ArrayLike] | None = None, *, n: int | None = None
) -> Params:
    """The case as a namespace tree of arrays, with optional per-scenario overrides.

    Parameters
    ----------
    case : a validated case whose prices are numbers (rate-card references resolved).
    overrides : dotted path -> array of n values, one per scenario.
    n : number of scenarios; inferred from the overrides (1 when there are none).
    """
    return Compiler(case)(overrides, n=n)


class Compiler:
    """A case compiled once, for many batches (``compile_case`` is ``Compiler(case)(…)``).

    A call copies only the nodes on the paths it overrides, so a Monte Carlo chunk does not
    walk the whole case again; the arrays it shares between calls are read-only.
    """

    def __init__(self, case: Case) -> None:
        self.case = case
        self.allowed = numeric_inputs(case)
        self.base: Params = _walk(case.model_dump(mode="python"))

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
        params = SimpleNamespace(**vars(self.base))
        copied: dict[tuple[str, ...], Any] = {(): params}  # nodes this call owns, by path
        for key, a in arrays.items():
            parts = tuple(key.split("."))
            for depth in range(1, len(parts)):  # copy the nodes on the path, once each
                if parts[:depth] not in copied:
                    parent = copied[parts[: depth - 1]]
                    copied[parts[:depth]] = _copy(_get(parent, parts[depth - 1]))
                    _put(parent, parts[depth - 1], copied[parts[:depth]])
            node = copied[parts[:-1]]
            if isinstance(node, np.ndarray):  # one number of a list (seasonality): a column
                rows = max(node.shape[0], a.size)
                grown = np.array(np.broadcast_to(node, (rows, node.shape[1])))
                grown[:, int(parts[-1])] = a
                _put(copied[parts[:-2]], parts[-2], grown)
                copied[parts[:-1]] = grown
            else:
                _put(node, parts[-1], a.reshape(-1, 1))
        params.n_scenarios = n
        return params


def _copy(node: Any) -> Any:
    if isinstance(node, SimpleNamespace):
        return SimpleNamespace(**vars(node))
    if isinstance(node, list):
        return list(node)
    return node  # an array of numbers: replaced by a grown copy when one of them is set


def _get(node: Any, part: str) -> Any:
    return node[int(part)] if isinstance(node, list) else getattr(node, part)


def _put(node: Any, part: str, value: Any) -> None:
    if isinstance(node, list):
        node[int(part)] = value
    else:
        setattr(node, part, value)


def _leaf(v: Any) -> Any:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _frozen(np.full((1, 1), float(v)))
    return v


def _frozen(a: FloatArray) -> FloatArray:
    a.flags.writeable = False  # shared by every batch a Compiler makes
    return a


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        return SimpleNamespace(**{k: _walk(v) for k, v in node.items()})
    if isinstance(node, list):
        if node and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in node):
            return _frozen(np.asarray([node], dtype=float))  # (1, k)
        return [_walk(x) for x in node]
    return _leaf(node)
