"""Argument checks: one set of checkers for the core maths, the Excel functions and the analyses.

A checker takes an argument's name and value and returns the value as floats, or raises an
`InputError` that names the argument, the value and what is allowed, in the words the case rules
use (`bpo_cost.case.rules.Rule.describe`)::

    shrinkage must be a number >= 0 and < 1: got 1.2
    volume[1] must be a number >= 0: got -2.0          (an array: the first offending element)
    agents must be a whole number >= 0 and <= 2,000,000: got 13.5
    tier_mode must be one of all_units, incremental: got 'tiered'

Non-finite values (NaN, inf) are refused unless a `Range` says what infinity means ("no cap").
Core functions return a float for scalar arguments and an array otherwise (`float_or_array`).

This module checks arguments of functions; ``bpo_cost.case.checks`` flags legal but implausible
values of a case (warnings).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from .._types import ArrayLike, FloatArray
from ..errors import InputError

__all__ = [
    "ANY",
    "NONNEGATIVE",
    "POSITIVE",
    "RATE",
    "SHARE",
    "SHARE_BELOW_ONE",
    "Range",
    "checker",
    "choice",
    "float_or_array",
    "number",
    "numbers",
    "one_of",
    "plain_numbers",
]

_BIGGEST = float(np.finfo(np.float64).max)

_Choice = TypeVar("_Choice", bound=str)


def _shown(bound: float) -> str:
    """A bound as the rules write it (``0.5``, ``744``, ``1e+12``); 2e6 as ``2,000,000``."""
    text = f"{bound:g}"
    if "e" in text and float(bound).is_integer() and abs(bound) < 1e12:
        text = f"{bound:,.0f}"
    return text


@dataclass(frozen=True, slots=True)
class Range:
    """What a numeric argument allows: bounds (each inclusive or strict) and whole numbers.

    Parameters
    ----------
    low, high : float, optional
        The bounds; None for none.
    low_strict, high_strict : bool
        The bound itself is not allowed.
    whole : bool
        Only whole numbers.
    infinite : str, optional
        What ``inf`` means where it is allowed ("no cap"); None refuses it.

    Examples
    --------
    >>> Range(0, 1, high_strict=True).describe()
    'a number >= 0 and < 1'
    >>> Range(low=1, whole=True).describe()
    'a whole number >= 1'
    >>> Range(low=0, infinite="no cap").describe()
    'a number >= 0, or inf for no cap'
    """

    low: float | None = None
    high: float | None = None
    low_strict: bool = False
    high_strict: bool = False
    whole: bool = False
    infinite: str | None = None

    def describe(self) -> str:
        """What is allowed, as the analyst reads it: ``a number >= 0 and < 1``."""
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_strict else '>='} {_shown(self.low)}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_strict else '<='} {_shown(self.high)}")
        noun = "a whole number" if self.whole else "a number"
        text = noun + (" " + " and ".join(parts) if parts else "")
        return text if self.infinite is None else f"{text}, or inf for {self.infinite}"

    def holds(self, x: float) -> bool:
        """Whether one number is allowed (NaN never is)."""
        if math.isnan(x) or (math.isinf(x) and (self.infinite is None or x < 0)):
            return False
        low, high = self.low, self.high
        if low is not None and (x < low or (self.low_strict and x == low)):
            return False
        if high is not None and (x > high or (self.high_strict and x == high)):
            return False
        return not self.whole or math.isinf(x) or x == math.floor(x)

    def mask(self, x: FloatArray) -> Any:
        """Where an array holds allowed numbers (a bool array shaped like ``x``)."""
        # Without a bound, the largest double stands in for it: one comparison then refuses
        # NaN and the infinities too.
        low = -_BIGGEST if self.low is None else self.low
        high = (_BIGGEST if self.infinite is None else math.inf) if self.high is None else self.high
        ok = (x > low) if self.low_strict and self.low is not None else (x >= low)
        ok &= (x < high) if self.high_strict and self.high is not None else (x <= high)
        if self.whole:
            ok &= x == np.floor(x)
        return ok


ANY = Range()
NONNEGATIVE = Range(low=0.0)
POSITIVE = Range(low=0.0, low_strict=True)
SHARE = Range(0.0, 1.0)
SHARE_BELOW_ONE = Range(0.0, 1.0, high_strict=True)
RATE = Range(low=-1.0, low_strict=True)  # a rate per period: below -1 loses more than all


def numbers(
    name: str,
    value: ArrayLike,
    allowed: Range = ANY,
    *,
    shape: tuple[int, ...] | None = None,
    form: str | None = None,
) -> FloatArray:
    """A number or an array of numbers as a float array, each element checked.

    Parameters
    ----------
    name : str
        The argument's name, as the caller knows it.
    value : array_like
        A number or (nested) sequence or array of numbers; not text and not True/False.
    allowed : Range
        What each element may be (default: any finite number).
    shape : tuple of int, optional
        The shape the value must have (``()`` for one number, ``(2,)`` for a pair).
    form : str, optional
        What to call the expected value when it is not numbers or has the wrong shape (default:
        ``allowed.describe()``), e.g. ``"a (low, high) pair of numbers"``.

    Returns
    -------
    ndarray
        The value as float64 (a 0-d array for a number), not copied if it already was.

    Raises
    ------
    InputError
        Naming the argument (and the element's index for an array), the value and what is
        allowed.

    Examples
    --------
    >>> numbers("volume", [100, 200]).tolist()
    [100.0, 200.0]
    >>> numbers("volume", [1.0, -2.0], NONNEGATIVE)
    Traceback (most recent call last):
    ...
    bpo_cost.errors.InputError: volume[1] must be a number >= 0: got -2.0
    """
    if type(value) is float or type(value) is int:  # one number: the Excel and scalar path
        if not allowed.holds(value):
            raise InputError(name, value, allowed.describe())
        if shape not in (None, ()):
            raise InputError(name, value, form or allowed.describe())
        return np.asarray(value, dtype=np.float64)
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise InputError(name, value, form or allowed.describe())
    try:
        x = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(name, value, form or allowed.describe()) from None
    if shape is not None and x.shape != shape:
        raise InputError(name, value, form or allowed.describe())
    ok = allowed.mask(x)
    if not ok.all():
        at = np.unravel_index(int(np.argmin(ok)), x.shape)
        where = f"{name}[{', '.join(map(str, at))}]" if x.ndim else name
        raise InputError(where, x[at].item(), allowed.describe())
    return x


def number(name: str, value: Any, allowed: Range = ANY) -> float:
    """One number, checked; as `numbers` with ``shape=()``.

    Examples
    --------
    >>> number("month", 13, Range(low=1, whole=True))
    13.0
    """
    if type(value) is float or type(value) is int:  # no array for one number: Excel's hot path
        if allowed.holds(value):
            return float(value)
        raise InputError(name, value, allowed.describe())
    return float(numbers(name, value, allowed, shape=()))


def plain_numbers(*values: Any) -> bool:
    """Whether every value is a plain Python number (a float or an int, not True/False).

    The core functions take a scalar path for such calls (one Excel cell): the same formulas
    on floats, without the cost of numpy's arrays.

    Examples
    --------
    >>> plain_numbers(1.5, 2), plain_numbers(1.5, True), plain_numbers(np.float64(1.5))
    (True, False, False)
    """
    return all(type(v) is float or type(v) is int for v in values)


def checker(*values: Any) -> Callable[[str, Any, Range], Any]:
    """The checker for a call's values: `number` if all are plain numbers, else `numbers`.

    Formulas written with numpy functions then run on floats for a scalar call (a cell) and on
    arrays otherwise, with the same results.

    Examples
    --------
    >>> checker(1.5, 2) is number, checker(1.5, [2.0]) is numbers
    (True, True)
    """
    return number if plain_numbers(*values) else numbers


def one_of(choices: Sequence[str]) -> str:
    """What a choice allows: ``one of all_units, incremental``."""
    return "one of " + ", ".join(choices)


def choice(
    name: str, value: Any, choices: Sequence[_Choice], *, ignore_case: bool = False
) -> _Choice:
    """One of ``choices``, in its own spelling.

    Parameters
    ----------
    name : str
        The argument's name.
    value : Any
        The given text.
    choices : sequence of str
        The allowed texts.
    ignore_case : bool, keyword-only
        Accept any letter case (``"Incremental"``), returning the choice's own spelling.

    Examples
    --------
    >>> choice("tier_mode", "Incremental", ("all_units", "incremental"), ignore_case=True)
    'incremental'
    >>> choice("tier_mode", "tiered", ("all_units", "incremental"))
    Traceback (most recent call last):
    ...
    bpo_cost.errors.InputError: tier_mode must be one of all_units, incremental: got 'tiered'
    """
    if isinstance(value, str):
        for c in choices:
            if c == value or (ignore_case and c.lower() == value.lower()):
                return c
    raise InputError(name, value, one_of(choices))


def float_or_array(result: FloatArray) -> float | FloatArray:
    """A float for a 0-d result (every argument was a number), else the array.

    Examples
    --------
    >>> float_or_array(np.asarray(2.5)), float_or_array(np.asarray([2.5]))
    (2.5, array([2.5]))
    """
    return float(result) if result.ndim == 0 else result
