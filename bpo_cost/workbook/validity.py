"""The last check before a workbook is saved: every formula within Excel's limits, every text
cell XML-clean, so that a file bpo-cost writes always opens, and reads back, without repair.

Excel refuses (or "repairs" away) a formula longer than 8,192 characters, nested deeper than 64
functions or calling a function with more than 255 arguments
(https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
The sheets are built to stay far inside these limits (long tables use ranges, not nesting);
this check turns a breach into a clear error instead of a file that looks written.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from ..errors import OutputError
from .styles import xml_text

__all__ = ["MAX_ARGUMENTS", "MAX_FORMULA_CHARS", "MAX_NESTING", "check_workbook", "formula_problem"]

MAX_FORMULA_CHARS = 8_192
MAX_NESTING = 64
MAX_ARGUMENTS = 255


def formula_problem(formula: str) -> str | None:
    """What makes ``formula`` break one of Excel's limits, or None.

    Parentheses count as nesting whether they call a function or group terms (stricter than
    Excel, never looser); text in double quotes and sheet names in single quotes are skipped.

    Examples
    --------
    >>> formula_problem("=IF(A1>0,SUM(B1:B9),0)") is None
    True
    >>> formula_problem("=" + "IF(A1," * 70 + "0" + ")" * 70)
    'functions nested 70 deep (Excel allows 64)'
    """
    if len(formula) > MAX_FORMULA_CHARS:
        return f"{len(formula):,} characters (Excel allows {MAX_FORMULA_CHARS:,})"
    if formula.count("(") <= MAX_NESTING and formula.count(",") < MAX_ARGUMENTS:
        return None  # cannot nest deeper or pass more arguments than it has: skip the scan
    commas: list[int] = []  # per open parenthesis: the separators seen at its level
    deepest = 0
    quote = ""
    for ch in formula:
        if quote:
            if ch == quote:
                quote = ""  # a doubled quote ("" or '') closes and reopens: same outcome
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            commas.append(0)
            deepest = max(deepest, len(commas))
        elif ch == ")":
            if commas:
                commas.pop()
        elif ch == "," and commas:
            commas[-1] += 1
            if commas[-1] + 1 > MAX_ARGUMENTS:
                return f"a function with more than {MAX_ARGUMENTS} arguments"
    if deepest > MAX_NESTING:
        return f"functions nested {deepest} deep (Excel allows {MAX_NESTING})"
    return None


def check_workbook(wb: Workbook) -> None:
    """Refuse a formula over Excel's limits (naming its cell); clean text XML cannot hold."""
    for ws in wb.worksheets:
        # the cells written, not iter_rows(), which would create every empty cell of the range
        for cell in list(ws._cells.values()):
            value: Any = cell.value
            if cell.data_type == "f":
                text = str(getattr(value, "text", value))  # an array formula keeps .text
                problem = formula_problem(text)
                if problem is not None:
                    raise OutputError(
                        f"cannot write the workbook: the formula in {ws.title}!"
                        f"{cell.coordinate} has {problem}"
                    )
            elif isinstance(value, str):
                clean = xml_text(value)
                if clean != value:
                    cell.value = clean
                    cell.data_type = "s"  # stays text even if it now starts with "="
