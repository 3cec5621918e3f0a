"""Cell styles, number formats and page setup shared by every sheet.

Finance convention: inputs are blue on pale yellow, formulas black; one number format per kind
of figure (money, percentage, months, factors). Every font names Calibri (a font without a name
is the reader's default, a serif in LibreOffice); titles and table headers are in title case with
proper acronyms (``core.text.title_case``), whatever case the shared labels they come from use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..core.text import title_case
from ..errors import InputError

__all__ = [
    "DATE",
    "FACTOR",
    "INPUT_FILL",
    "INPUT_FONT",
    "MONEY",
    "MONEY_CENTS",
    "MONTHS",
    "NUMBER",
    "PERCENT",
    "RATE",
    "SHRINK",
    "heading",
    "page_setup",
    "print_headers",
    "put",
    "text",
    "title",
    "wrap_height",
    "xml_text",
]

MONEY = "#,##0;[Red]-#,##0"
MONEY_CENTS = "#,##0.00;[Red]-#,##0.00"
PERCENT = "0.0%"
RATE = "0.000%"
MONTHS = "0"
NUMBER = "#,##0.00"
FACTOR = "0.000000"
DATE = "mmm yyyy"
DAY = "yyyy-mm-dd"
GENERAL = "General"

FONT = "Calibri"  # the workbook's default font (openpyxl's), metric-compatible with Carlito
INPUT_FONT = Font(name=FONT, color="0000CC")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(name=FONT, bold=True, size=14)
NOTE_FONT = Font(name=FONT, italic=True, color="595959")
BOLD = Font(name=FONT, bold=True)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(wrap_text=True, vertical="top")
# A code or key (no spaces to wrap at; a wrap would cut it mid-word): one line, shrunk to fit.
SHRINK = Alignment(vertical="top", shrink_to_fit=True)

_MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in a cell
# What XML 1.0 cannot hold (C0 controls but tab and newlines, lone surrogates, U+FFFE, U+FFFF),
# and the C1 controls it can hold but no reader shows: cleaned out of every text written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters an .xlsx part cannot hold (cleaned, not refused).

    Examples
    --------
    >>> xml_text("Claims\x1b[2J review\ufffe")
    'Claims[2J review'
    """
    return _NOT_XML.sub("", value)


def text(ws: Worksheet, row: int, column: int, value: str, *, font: Font | None = None) -> None:
    """Write a text cell that stays text: a label starting with = is not a formula.

    openpyxl turns any str starting with "=" into a formula; forcing the type keeps it a string,
    and Excel never evaluates a stored string (+, - and @ only matter when typed).
    """
    clean = xml_text(value)
    if len(clean) > _MAX_CELL_TEXT:
        raise InputError(
            "text", clean[:40], f"at most {_MAX_CELL_TEXT:,} characters (an Excel cell)"
        )
    cell = ws.cell(row=row, column=column)
    cell.value = clean
    cell.data_type = "s"
    if font is not None:
        cell.font = font


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    fmt: str | None = None,
    *,
    font: Font | None = None,
) -> None:
    """Write a number, a date, a boolean or a formula (a str starting with "=")."""
    if isinstance(value, str) and not value.startswith("="):
        text(ws, row, column, value, font=font)
        return
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        # openpyxl writes numbers with 16 significant digits, which can be one unit in the
        # last place off; the 17 digits of repr read back as the same double (Excel reads them).
        cell._value = repr(value)
    if fmt is not None:
        cell.number_format = fmt
    elif isinstance(value, dt.date):
        cell.number_format = DAY
    if font is not None:
        cell.font = font


def heading(
    ws: Worksheet, row: int, labels: list[str], *, start: int = 1, keep: tuple[str, ...] = ()
) -> None:
    """A header row: white bold text on dark blue, in title case (``keep``: names as written)."""
    for i, label in enumerate(labels):
        text(ws, row, start + i, title_case(label, keep=keep), font=HEADER_FONT)
        ws.cell(row=row, column=start + i).fill = HEADER_FILL


def title(
    ws: Worksheet,
    row: int,
    column: int,
    value: str,
    *,
    keep: tuple[str, ...] = (),
    font: Font = TITLE_FONT,
) -> None:
    """A sheet's title (or, with ``font=BOLD``, a section's) in title case; ``keep``: parts of
    ``value`` written as they are, such as an option's name."""
    text(ws, row, column, title_case(value, keep=keep), font=font)


def page_setup(
    ws: Worksheet,
    *,
    widths: Mapping[str, float],
    freeze: str | None = None,
    title_rows: str | None = None,
    title_cols: str | None = None,
    landscape: bool = True,
    fit: str = "width",
    scale: int | None = None,
) -> None:
    """Column widths, frozen panes and print setup with repeated titles.

    ``fit``: "width" (one page wide, as many pages down as it takes) or "page" (one page);
    ``scale`` (a percentage) instead prints at that size and keeps manual page breaks, which
    LibreOffice ignores when it fits a sheet to pages.
    """
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    if freeze:
        ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if scale is not None:
        ws.page_setup.scale = scale
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if fit == "page" else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddFooter.center.text = "&A  page &P of &N"


def print_headers(wb: Workbook, case_name: str) -> None:
    """A page header on every sheet: the case on the left, the sheet on the right."""
    name = xml_text(case_name).replace("&", "&&")  # & starts a header code
    for ws in wb.worksheets:
        ws.oddHeader.left.text = name
        ws.oddHeader.right.text = "&A"


def wrap_height(text: str, width: float, *, line: float = 15.0) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` characters wide.

    Wraps word by word as a spreadsheet does: a word longer than a line (a path, a link) takes
    lines of its own.
    """
    # Calibri 11 (and Carlito, its metric twin): ~1.25 characters of text per unit of width
    per_line = max(int(width * 1.25) - 2, 10)
    lines = 0
    for part in text.split("\n"):
        used = 0  # characters on the current line
        lines += 1
        for word in part.split(" "):
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // per_line if word else 0
            used = len(word) % per_line or (per_line if word else 0)
    return line * lines
