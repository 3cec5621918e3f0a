"""Sheets with the months across: column A a row key, B a label, C the term total, D.. month 1..M.

A row is written from one formula template in which ``{c}`` stands for the month's column letter
and ``{p}`` for the previous month's, so a row reads the same in every month and an auditor can
check one cell and drag. Keys in column A are the engine's component names where there is one.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from . import styles as st
from .refs import check_functions, col, input_name, quote

__all__ = ["FIRST_COL", "MONTH", "MONTH_ROW", "Grid"]

FIRST_COL = 4  # column D is month 1
MONTH_ROW = 4
DATE_ROW = 5
FIRST_ROW = 7
MONTH = "{c}$4"  # the month number (1..M) in a template
_LABEL_WIDTH = 44.0  # column B


class Grid:
    """A months-across sheet being written; ``rows`` maps each row key to its row number."""

    def __init__(
        self,
        wb: Workbook,
        title: str,
        months: int,
        *,
        heading: str,
        note: str,
        index: int | None = None,
        keep: tuple[str, ...] = (),
    ) -> None:
        self.ws = wb.create_sheet(title, index)
        self.title = title
        self.months = months
        self.cols = [col(FIRST_COL + i) for i in range(months)]
        self.rows: dict[str, int] = {}
        self.planned: dict[str, int] = {}
        self.next = FIRST_ROW
        ws = self.ws
        st.title(ws, 1, 1, heading, keep=keep)  # keep: names in the heading, as written
        st.text(ws, 2, 1, note, font=st.NOTE_FONT)
        st.heading(ws, MONTH_ROW, ["Row", "Description", "Term total"])
        st.text(ws, DATE_ROW, 1, "date", font=st.BOLD)
        st.text(ws, DATE_ROW, 2, "Month starting", font=st.BOLD)
        _row(ws, MONTH_ROW, list(range(1, months + 1)), st.GENERAL, st.HEADER_FONT, st.HEADER_FILL)
        start = input_name("start")
        _row(
            ws, DATE_ROW, [f"=EDATE({start},{c}{MONTH_ROW}-1)" for c in self.cols], st.DATE, st.BOLD
        )
        st.page_setup(
            ws,
            widths={"A": 30, "B": _LABEL_WIDTH, "C": 15},
            freeze=f"D{FIRST_ROW}",
            title_rows=f"{MONTH_ROW}:{DATE_ROW}",
            title_cols="A:C",
        )
        ws.column_dimensions["D"] = ColumnDimension(
            ws,
            min=FIRST_COL,  # one entry: all months
            max=FIRST_COL + months - 1,
            width=12,
        )

    # ------------------------------------------------------------------------------ writing

    def section(self, label: str) -> None:
        """A blank line, then a bold section label."""
        self.next += 1
        st.text(self.ws, self.next, 1, label, font=st.BOLD)
        self.next += 1

    def layout(self, keys: list[str] | tuple[str, ...]) -> dict[str, str]:
        """Reserve the next rows for ``keys`` (written next, in order): template references."""
        self.planned |= {k: self.next + i for i, k in enumerate(keys)}
        return {k: f"{{c}}{self.next + i}" for i, k in enumerate(keys)}

    def add(
        self,
        key: str,
        label: str,
        template: str | None,
        *,
        fmt: str = st.MONEY,
        total: str | bool = True,
        first: str | None = None,
        font: Font | None = None,
        owner: str | None = None,
    ) -> int:
        """Write one row: ``template`` in every month (``first`` in month 1 if given; no month
        cells when ``template`` is None).

        ``total`` is True for the term sum in column C, False for none, or a formula for C.
        ``owner`` tells apart rows with the same key (one per owner or pool).
        """
        r = self.next
        self.next += 1
        name = key if owner is None else f"{key}|{owner}"
        if self.planned.get(name, r) != r:
            raise RuntimeError(f"row {name} planned at {self.planned[name]}, written at {r}")
        self.rows[name] = r
        ws = self.ws
        st.text(ws, r, 1, key, font=font)
        st.text(ws, r, 2, label, font=font)
        if st.wrap_height(label, _LABEL_WIDTH) > st.wrap_height("", _LABEL_WIDTH):
            # shown whole, not cut by column C; on the line of the row's figures (bottom)
            ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="bottom")
            ws.row_dimensions[r].height = st.wrap_height(label, _LABEL_WIDTH)
        for t in {template or "", first or ""}:
            check_functions(t)
        if template is not None:
            _row(
                ws,
                r,
                [
                    (first if i == 0 and first is not None else template)
                    .replace("{c}", c)
                    .replace("{p}", self.cols[i - 1] if i else "")
                    for i, c in enumerate(self.cols)
                ],
                fmt,
                font,
            )
        if total is not False:
            formula = f"=SUM({self.span_local(r)})" if total is True else total
            st.put(ws, r, 3, check_functions(formula), fmt, font=font or st.BOLD)
        return r

    def print_first_year(self) -> None:
        """Print the labels, term totals and the first contract year; all months stay live on
        screen (a term of months across would print dozens of pages nobody reads)."""
        last = self.cols[min(12, self.months) - 1]
        self.ws.print_area = f"A1:{last}{self.ws.max_row}"
        self.ws.oddFooter.left.text = "Months 1-12 printed; every month is on the sheet"

    def group(self, first: int, last: int) -> None:
        """Fold rows ``first``..``last`` (working rows) under the row above: live, not printed."""
        self.ws.row_dimensions.group(first, last, outline_level=1, hidden=True)
        self.ws.sheet_properties.outlinePr.summaryBelow = False

    def span_local(self, row: int) -> str:
        return f"D{row}:{self.cols[-1]}{row}"

    # --------------------------------------------------------------------------- references

    def row(self, key: str, owner: str | None = None) -> int:
        return self.rows[key if owner is None else f"{key}|{owner}"]

    def here(self, key: str, owner: str | None = None, *, external: bool = False) -> str:
        """This month's cell of a row, for a template (``{c}12``)."""
        prefix = quote(self.title) + "!" if external else ""
        return f"{prefix}{{c}}{self.row(key, owner)}"

    def span(self, key: str, owner: str | None = None, *, external: bool = True) -> str:
        """Every month of a row, absolute (``'In-house'!$D$12:$BK$12``)."""
        r = self.row(key, owner)
        prefix = quote(self.title) + "!" if external else ""
        return f"{prefix}$D${r}:${self.cols[-1]}${r}"

    def cells(self, key: str, first: int, last: int, owner: str | None = None) -> str:
        """Months ``first``..``last`` of a row, absolute, with the sheet title."""
        r = self.row(key, owner)
        return f"{quote(self.title)}!${self.cols[first - 1]}${r}:${self.cols[last - 1]}${r}"

    def total(self, key: str, owner: str | None = None) -> str:
        """The term-total cell of a row (column C), absolute, with the sheet title."""
        return f"{quote(self.title)}!$C${self.row(key, owner)}"


def _row(
    ws: Worksheet,
    row: int,
    values: list[Any],
    fmt: str,
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> None:
    """Write values from column D on, all in one style (styled once, then shared: openpyxl
    looks a style up in its tables on every assignment, the costliest part of writing)."""
    first = ws.cell(row=row, column=FIRST_COL, value=values[0])
    first.number_format = fmt
    if font is not None:
        first.font = font
    if fill is not None:
        first.fill = fill
    style = first._style
    for i, value in enumerate(values[1:], start=FIRST_COL + 1):
        ws.cell(row=row, column=i, value=value)._style = copy(style)
