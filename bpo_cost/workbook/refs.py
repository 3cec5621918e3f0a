"""A1 references, defined names and sheet titles, checked against Excel's rules.

LibreOffice accepts names and titles that Excel rejects, so a workbook that recalculates in
LibreOffice can still fail to open in Excel: every title and name goes through a check here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from ..errors import InputError

__all__ = [
    "FUNCTIONS",
    "check_functions",
    "check_name",
    "check_title",
    "col",
    "input_name",
    "quote",
]

# Functions the workbook may use: present with the same meaning in Excel 2010+ and LibreOffice
# 7.4 (their function references), none needing a _xlfn. prefix, none spilling.
FUNCTIONS = frozenset(
    {
        "ABS",
        "AND",
        "COUNT",
        "EDATE",
        "EXP",
        "FIXED",
        "IF",
        "IFERROR",
        "INDEX",
        "INT",
        "IRR",
        "MATCH",
        "MAX",
        "MID",
        "MIN",
        "MONTH",
        "NA",
        "NPV",
        "SIGN",
        "SQRT",
        "SUM",
        "SUMIFS",
        "SUMPRODUCT",
    }
)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")
_QUOTED = re.compile(r'"[^"]*"|\'(?:[^\']|\'\')*\'')  # strings and quoted sheet titles

_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_A1 = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
_R1C1 = re.compile(r"^[Rr]([0-9]*)([Cc][0-9]*)?$|^[Cc][0-9]*$")
_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.]*$")


def col(index: int) -> str:
    """Column letter of a 1-based column index (1 -> A)."""
    return str(get_column_letter(index))


def quote(title: str) -> str:
    """A sheet title as it appears in a formula: always quoted, apostrophes doubled."""
    return "'" + title.replace("'", "''") + "'"


def check_title(title: str, taken: Iterable[str] = ()) -> str:
    """Return ``title`` if Excel accepts it as a sheet title not in ``taken`` (case-blind).

    Examples
    --------
    >>> check_title("Cash flows")
    'Cash flows'
    """
    ok = (
        0 < len(title) <= 31
        and not _TITLE_FORBIDDEN.search(title)
        and not title.startswith("'")
        and not title.endswith("'")
        and title.lower() != "history"  # reserved by Excel
        and title.lower() not in {t.lower() for t in taken}
    )
    if not ok:
        raise InputError(
            "sheet title",
            title,
            "1-31 characters without []:*?/\\, not History, "
            "not starting or ending with ', and unique",
        )
    return title


def check_name(name: str) -> str:
    """Return ``name`` if Excel accepts it as a defined name.

    Excel refuses names that read as a cell reference in A1 or R1C1 style (``AB12``, ``R2C3``,
    ``R``, ``C``), names longer than 255 characters, and characters other than letters, digits,
    ``_``, ``.`` and ``\\`` (LibreOffice is more lenient, so it cannot be the judge).

    Examples
    --------
    >>> check_name("in_workload_volume_per_month")
    'in_workload_volume_per_month'
    """
    ok = (
        len(name) <= 255
        and _NAME.match(name) is not None
        and _A1.match(name) is None
        and _R1C1.match(name) is None
        and name.upper() not in {"TRUE", "FALSE"}
    )
    if not ok:
        raise InputError(
            "defined name",
            name,
            "a valid Excel name (letters, digits, _ and ., "
            "not like a cell reference, at most 255 characters)",
        )
    return name


def input_name(key: str) -> str:
    """The defined name of an input on the Inputs sheet, from its dotted key.

    Other sheets (and ``extra_sheets`` callables) refer to inputs by these names.

    Examples
    --------
    >>> input_name("options.1.pricing.rate")
    'in_options_1_pricing_rate'
    """
    return check_name("in_" + key.replace(".", "_"))


def check_functions(formula: str) -> str:
    """Return ``formula`` if every function it calls is in ``FUNCTIONS``.

    Examples
    --------
    >>> check_functions('=IF(A1>0,SUM(B1:B3),"n/a")')
    '=IF(A1>0,SUM(B1:B3),"n/a")'
    """
    used = set(_CALL.findall(_QUOTED.sub('""', formula)))
    unknown = sorted(used - FUNCTIONS)
    if unknown:
        raise InputError("formula function", unknown[0], f"one of {sorted(FUNCTIONS)}")
    return formula
