"""What Excel sends, turned into what the engine takes; what goes wrong, turned into a cell text.

Excel (through xlwings on Windows, or xlwings Lite) passes a cell as a float, a bool, a text, a
date or ``None`` (empty; xlwings Lite may send ``""``), and a range as a 1-D list (one row or
column) or a list of rows. Numbers typed as text (``"0.3"``, ``"30%"``) are numbers. xlwings Lite
sends dates as Excel serial numbers. Any error in a ``BPO_*`` function becomes the cell text
``#VALUE! <message>``: a function never raises into Excel.

Converting is this module's job; what a number or a choice may be is checked by the core's
checkers (`bpo_cost.core.arguments`), so a cell and a Python call say the same thing.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ..core.arguments import Range, choice, number, one_of
from ..errors import InputError

__all__ = [
    "Cells",
    "as_choice",
    "as_date",
    "as_flag",
    "as_number",
    "as_numbers",
    "as_pairs",
    "as_text",
    "as_whole",
    "cell_function",
    "error_text",
]

MAX_TEXT = 255  # Excel's function wizard and most cell texts show no more than this
# Day 0 of Excel's serial dates; right from serial 61 (1900-03-01) on, as Excel counts a
# 29 February 1900 that never was.
_EXCEL_EPOCH = dt.date(1899, 12, 30)

F = TypeVar("F", bound=Callable[..., Any])


class _Shown(str):
    """A description in place of a value in an error message (shown without quotes)."""

    def __repr__(self) -> str:
        return str(self)


EMPTY = _Shown("an empty cell")


def _is_empty(value: Any) -> bool:
    if type(value) is float:  # the usual cell: decided without isinstance checks
        return False
    if isinstance(value, (list, tuple)):
        return all(_is_empty(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _scalar(name: str, value: Any) -> Any:
    """The one value of a cell, or of a one-cell range."""
    while isinstance(value, (list, tuple)):
        if len(value) != 1:
            cells = len(_flat(value))
            raise InputError(name, _Shown(f"a range of {cells} cells"), "a single cell")
        value = value[0]
    return value


def _flat(value: Any) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        return [value]
    cells: list[Any] = []
    for v in value:  # recursing into ranges only, not into every cell: cheaper per call
        if isinstance(v, (list, tuple)):
            cells.extend(_flat(v))
        else:
            cells.append(v)
    return cells


def as_number(name: str, value: Any) -> float:
    """A cell as a float: numbers, numbers typed as text (``"1200"``, ``"30%"``).

    Examples
    --------
    >>> as_number("shrinkage", " 30% "), as_number("volume", [[1200.0]])
    (0.3, 1200.0)
    """
    if type(value) is float:  # what Excel sends for a number: no unwrapping, no parsing
        return number(name, value)
    value = _scalar(name, value)
    if _is_empty(value):
        raise InputError(name, EMPTY, "a number")
    if isinstance(value, (bool, dt.date)):  # Excel passes dates as dates: not a number here
        raise InputError(name, value, "a number")
    if isinstance(value, str):
        text = value.strip()
        scale = 100.0 if text.endswith("%") else 1.0
        try:
            value = float(text.removesuffix("%")) / scale
        except ValueError:
            raise InputError(name, value, "a number") from None
    try:
        converted = float(value)
    except (TypeError, ValueError):
        raise InputError(name, value, "a number") from None
    return number(name, converted)


def as_whole(name: str, value: Any, *, low: int) -> int:
    """A cell as a whole number >= ``low`` (Excel sends 13 as 13.0)."""
    return int(number(name, as_number(name, value), Range(low=low, whole=True)))


def _column(value: Any) -> list[Any] | None:
    """The cells of a column as Excel sends it (one-cell rows of plain cells), else None."""
    if type(value) is not list or not all(map(_one_cell_row, value)):
        return None
    cells = [row[0] for row in value]
    return None if any(map(isinstance, cells, itertools.repeat((list, tuple)))) else cells


def _one_cell_row(row: Any) -> bool:
    return type(row) is list and len(row) == 1


def as_numbers(name: str, value: Any) -> list[float]:
    """A one-row or one-column range (or a single cell) as a list of floats.

    Trailing empty cells are dropped, so a tier table's open-ended last band may stay empty.

    Examples
    --------
    >>> as_numbers("bounds", [[10000.0], [50000.0], [None]])
    [10000.0, 50000.0]
    """
    cells = _column(value)
    if cells is None:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
            rows, cols = len(value), max(len(r) for r in value)
            if rows > 1 and cols > 1:
                raise InputError(name, _Shown(f"a {rows} x {cols} range"), "one row or one column")
        cells = _flat(value)
    while cells and _is_empty(cells[-1]):
        cells.pop()
    if not cells:
        raise InputError(name, EMPTY, "one or more numbers")
    return [
        v if type(v) is float and math.isfinite(v) else as_number(f"{name} cell {i}", v)
        for i, v in enumerate(cells, start=1)
    ]


def as_text(name: str, value: Any, *, choices: Sequence[str] | None = None) -> str:
    """A cell as a stripped text; with ``choices``, one of them (letter case ignored)."""
    value = _scalar(name, value)
    if _is_empty(value):
        raise InputError(name, EMPTY, "a text" if choices is None else one_of(choices))
    if not isinstance(value, str):
        raise InputError(name, value, "a text" if choices is None else one_of(choices))
    text = value.strip()
    return text if choices is None else choice(name, text, choices, ignore_case=True)


def as_choice(*choices: str) -> Callable[[str, Any], str]:
    """A converter to one of ``choices`` (letter case ignored), for `cell_function`."""
    return functools.partial(as_text, choices=choices)


def as_flag(name: str, value: Any) -> bool:
    """A cell as TRUE/FALSE: a logical, 1/0, or the text TRUE/FALSE."""
    value = _scalar(name, value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
        return value.strip().upper() == "TRUE"
    raise InputError(name, EMPTY if _is_empty(value) else value, "TRUE or FALSE")


def as_date(name: str, value: Any) -> dt.date:
    """A cell as a date: an Excel date, its serial number, or ISO text (2027-01-01, 2027-01).

    Examples
    --------
    >>> as_date("start", 46388.0), as_date("start", "2027-01")
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1))
    """
    value = _scalar(name, value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
        except ValueError:
            pass
    raise InputError(name, EMPTY if _is_empty(value) else value, "a date")


def as_pairs(name: str, value: Any) -> tuple[tuple[str, Any], ...]:
    """A key/value range (first column: dotted input key, second: value) as pairs.

    Rows without a key are skipped; an empty value means "use the default", as on the Inputs
    sheet (so a title row with nothing in the value column is ignored). A ``start`` given as a
    serial number (xlwings Lite sends dates so) is a date.

    Examples
    --------
    >>> as_pairs("inputs", [["term_months", 36.0], [None, None], ["start", 46388.0]])
    (('term_months', 36.0), ('start', datetime.date(2027, 1, 1)))
    """
    rows = value if isinstance(value, (list, tuple)) else [value]
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]  # one row of a range arrives as a flat list
    pairs = []
    for row in rows:
        if len(row) < 2:
            raise InputError(name, _Shown("a range of 1 column"), "two columns: key and value")
        key, cell = row[0], row[1]
        if _is_empty(key):
            continue
        if not isinstance(key, str):
            raise InputError(f"{name} key", key, "a text such as workload.volume_per_month")
        key, cell = key.strip(), _scalar(key.strip(), cell)
        if key == "start" and not _is_empty(cell):
            cell = as_date(key, cell)
        elif isinstance(cell, dt.datetime):
            cell = cell.date()
        pairs.append((key, cell))
    if not pairs:
        raise InputError(name, EMPTY, "a range of input keys and values")
    return tuple(pairs)


def error_text(exc: BaseException) -> str:
    """``#VALUE! <first line of the message>``, at most 255 characters.

    Examples
    --------
    >>> error_text(InputError("shrinkage", 1.2, "a number >= 0 and < 1"))
    '#VALUE! shrinkage must be a number >= 0 and < 1: got 1.2'
    """
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else type(exc).__name__
    if not isinstance(exc, (InputError, ValueError, ArithmeticError)):
        message = f"{type(exc).__name__}: {message}"  # not an input problem: say what it was
    text = f"#VALUE! {message}"
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


class Cells(list[Any]):
    """Rows already made of cell values (by `to_cell`): `to_cell` copies them as lists."""


def to_cell(result: Any, *, in_table: bool = False) -> Any:
    """Plain Python values Excel can show: floats (not numpy), lists of rows, no NaN or inf.

    A table cell without a value (NaN: an undefined IRR) becomes an empty text, since Excel
    shows an empty element of an array as 0; a result that is not finite becomes ``#NUM!``.

    Examples
    --------
    >>> to_cell(np.float64(2.5)), to_cell([[1.0, float("nan")]]), to_cell(float("inf"))
    (2.5, [[1.0, '']], '#NUM! the result is not a finite number')
    """
    if type(result) is Cells:  # converted once, when it was made (a memoised spilled table)
        return [list(row) for row in result]  # new lists: the caller may change them
    if type(result) is float:  # a scalar function's result: the hot path
        if math.isfinite(result):
            return result
        return "" if in_table and math.isnan(result) else "#NUM! the result is not a finite number"
    if isinstance(result, np.ndarray):
        result = result.tolist()
    if isinstance(result, np.generic):
        result = result.item()
    if isinstance(result, (list, tuple)):
        return [to_cell(v, in_table=True) for v in result]
    if isinstance(result, float) and not math.isfinite(result):
        return "" if in_table and math.isnan(result) else "#NUM! the result is not a finite number"
    return result


Converter = Callable[[str, Any], Any]
_REQUIRED: Any = object()  # a parameter without a default; an argument not given


def cell_function(**converters: Converter) -> Callable[[F], F]:
    """Make a function safe to call from a cell, converting its arguments as declared.

    Every argument is converted with `as_number` unless ``converters`` names another converter
    for it (``mode=as_text``). An empty argument takes the parameter's default (a default of
    ``None`` stays ``None``), the result becomes plain cell values (`to_cell`; numpy's overflow
    warnings are silenced, an infinite result shows as ``#NUM!``), and any exception becomes
    ``#VALUE! <message>`` (`error_text`). The signature is kept and the docstring joined
    into one line: xlwings shows it as the function wizard's description.

    Examples
    --------
    >>> @cell_function()
    ... def half(x, y=0.0):
    ...     return x / 2 + y
    >>> half("3"), half([[5.0]], None), half("abc")
    (1.5, 2.5, "#VALUE! x must be a number: got 'abc'")
    """

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn)
        # Decided once: each parameter's name, converter and default (``_REQUIRED`` if none).
        # Binding arguments by position here rather than with ``signature.bind`` per call
        # keeps a cell's call cheap; a call that does not fit the signature is still bound by
        # ``signature.bind``, for its own error text.
        params: tuple[tuple[str, Converter, Any], ...] = tuple(
            (
                name,
                converters.get(name, as_number),
                _REQUIRED if param.default is param.empty else param.default,
            )
            for name, param in signature.parameters.items()
        )

        @functools.wraps(fn)
        def wrapper(*args: Any) -> Any:
            try:
                if len(args) > len(params):
                    signature.bind(*args)  # raises: too many arguments
                values = []
                for i, (name, convert, default) in enumerate(params):
                    value = args[i] if i < len(args) else _REQUIRED
                    if value is _REQUIRED:
                        if default is _REQUIRED:
                            signature.bind(*args)  # raises: a required argument is missing
                        value = default
                    elif default is not _REQUIRED and _is_empty(value):
                        value = default
                    if value is not None or default is not None:
                        value = convert(name, value)
                    values.append(value)
                with np.errstate(all="ignore"):
                    return to_cell(fn(*values))
            except Exception as exc:  # the cell shows it: a UDF must never raise into Excel
                return error_text(exc)

        wrapper.__doc__ = " ".join((fn.__doc__ or "").split())
        return wrapper  # type: ignore[return-value]

    return decorate
