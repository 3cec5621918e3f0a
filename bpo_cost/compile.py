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

from ._types import ArrayLike
from .case_io import flatten
from .errors import InputError
from .models import Case

__all__ = ["Params", "compile_case", "numeric_inputs"]

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
    overrides = dict(overrides or {})
    arrays = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in overrides.items()}
    sizes = {a.size for a in arrays.values()}
    n = n or (max(sizes) if sizes else 1)
    for key, a in arrays.items():
        if a.size not in (1, n):
            raise InputError(f"overrides[{key!r}]", a.size, f"1 or {n} values (one per scenario)")
        if not np.all(np.isfinite(a)):
            raise InputError(f"overrides[{key!r}]", a[~np.isfinite(a)][0], "finite numbers")
    allowed = numeric_inputs(case)
    unknown = sorted(set(arrays) - set(allowed))
    if unknown:
        raise InputError("overrides", unknown[0], "the path of a number in the case")
    tree = case.model_dump(mode="python")
    for key, a in arrays.items():
        _set(tree, key.split("."), a)
    params: Params = _walk(tree)
    params.n_scenarios = n
    return params


def _set(node: Any, parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _leaf(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return v.reshape(-1, 1)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return np.full((1, 1), float(v))
    return v


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        return SimpleNamespace(**{k: _walk(v) for k, v in node.items()})
    if isinstance(node, list):
        if node and all(
            isinstance(x, (int, float, np.ndarray)) and not isinstance(x, bool) for x in node
        ):
            cols = [np.asarray(x, dtype=float).reshape(-1, 1) for x in node]
            return np.concatenate(np.broadcast_arrays(*cols), axis=1)  # (1 or n, k)
        return [_walk(x) for x in node]
    return _leaf(node)
