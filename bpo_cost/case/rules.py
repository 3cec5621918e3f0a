"""What the case model accepts at an input: its type and bounds, read from the pydantic fields.

One reading of the model's constraints for every face: the workbook's data validation and
read-back, and the analyses' ranges (sensitivity swings, Monte Carlo supports, break-even
searches), so all of them say the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..core.arguments import Range, one_of
from .models import Case
from .paths import generic_key, in_list_form, segments

__all__ = ["Rule", "field_at", "generic_key", "rule"]


@dataclass(frozen=True)
class Rule:
    """What the model accepts for an input: a type, bounds, or a fixed set."""

    kind: str  # "decimal", "whole", "list", "bool", "date", "text"
    low: float | None = None
    low_strict: bool = False
    high: float | None = None
    high_strict: bool = False
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """What is allowed, in the words of the argument checks: ``a number >= 0 and < 1``."""
        if self.kind == "list":
            return one_of(self.choices)
        if self.kind == "bool":
            return "TRUE or FALSE"
        if self.kind in ("text", "date"):
            return "a " + self.kind
        return Range(
            self.low, self.high, self.low_strict, self.high_strict, whole=self.kind == "whole"
        ).describe()


def rule(case: Case, key: str) -> Rule | None:
    """What read-back accepts at ``key`` (None when the model has no field there)."""
    info, in_list = field_at(case, key)
    if info is None:
        return None
    ann = info.annotation
    if in_list:
        ann = typing.get_args(ann)[0]
    bounds: dict[str, tuple[float, bool]] = {}
    base = _collect(ann, list(info.metadata), bounds)
    if generic_key(key) == "options.pricing.model":  # a discriminator: one choice per branch
        return Rule("list", choices=("hourly", "per_transaction", "outcome"))
    if isinstance(base, tuple):
        return Rule("list", choices=base)
    if base is bool:
        return Rule("bool")
    if base is dt.date:
        return Rule("date")
    if base in (int, float):
        low, high = bounds.get("low"), bounds.get("high")
        return Rule(
            "whole" if base is int else "decimal",
            low=None if low is None else low[0],
            low_strict=bool(low and low[1]),
            high=None if high is None else high[0],
            high_strict=bool(high and high[1]),
        )
    return Rule("text")


def field_at(case: Case, key: str) -> tuple[FieldInfo | None, bool]:
    """The pydantic field at an input path of a case.

    Parameters
    ----------
    case : Case
        The case the path walks (list indices need its lists).
    key : str
        An input path as in ``case_to_pairs``: ``inhouse.shrinkage``, ``options.1.pricing.rate``.

    Returns
    -------
    tuple of (FieldInfo or None, bool)
        The field, and whether ``key`` is an element of a list of values
        (``workload.seasonality.3``); ``(None, False)`` when the model has no field there (the
        ``uncertainty`` block, an index out of range, an unknown name).

    Examples
    --------
    >>> from bpo_cost.case.examples import example_path
    >>> from bpo_cost.case.io import load_case
    >>> case = load_case(example_path("payroll"))
    >>> info, in_list = field_at(case, "workload.seasonality.3")
    >>> info.description, in_list
    ('Seasonality factor of a calendar month (Jan..Dec)', True)
    """
    node: Any = case
    info: FieldInfo | None = None
    in_list = False
    for part in segments(in_list_form(key)):
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            if part not in fields:
                return None, False
            info, in_list = fields[part], False
            node = getattr(node, part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node, in_list = node[int(part)], True
        else:
            return None, False
    return info, in_list and not isinstance(node, BaseModel)


def _collect(ann: Any, metadata: list[Any], bounds: dict[str, tuple[float, bool]]) -> Any:
    """The base type of an annotation (a tuple of choices for a Literal), gathering bounds."""
    for m in metadata:
        if isinstance(m, FieldInfo):
            _collect(None, list(m.metadata), bounds)
        elif isinstance(m, at.Ge):
            bounds["low"] = (float(m.ge), False)  # type: ignore[arg-type]
        elif isinstance(m, at.Gt):
            bounds["low"] = (float(m.gt), True)  # type: ignore[arg-type]
        elif isinstance(m, at.Le):
            bounds["high"] = (float(m.le), False)  # type: ignore[arg-type]
        elif isinstance(m, at.Lt):
            bounds["high"] = (float(m.lt), True)  # type: ignore[arg-type]
    if ann is None:
        return None
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        args = typing.get_args(ann)
        return _collect(args[0], list(args[1:]), bounds)
    if origin is typing.Literal:
        return tuple(str(a) for a in typing.get_args(ann))
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(ann):
            if arg is not type(None) and not (isinstance(arg, type) and issubclass(arg, BaseModel)):
                return _collect(arg, [], bounds)
        return None
    return ann
