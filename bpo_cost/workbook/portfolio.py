"""The portfolio workbook: one row per function with its choice, live roll-ups, charts.

Sheets: *Portfolio* (a row per function: its choice, an input cell, and its figures looked up
live from *Options* by INDEX/MATCH; programme totals as SUM formulas; savings by programme
year), *Options* (the engine's figures of every function and owner, in the portfolio currency)
and *Charts* (NPV of savings by function, savings by year). Changing a choice recomputes the
row and every total. Each function's own business-case workbook can be written beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..core.text import title_case
from ..errors import InputError, OutputError
from ..files import atomic_write_bytes, reproducible_zip
from . import styles as st
from .charts import PALETTE, place
from .validity import check_workbook
from .writer import write_workbook

if TYPE_CHECKING:
    from ..analysis.choice import Plan
    from ..analysis.portfolio import PortfolioResult

__all__ = ["build_portfolio_workbook", "write_portfolio_workbook"]

APPLICATION = f"Microsoft Excel Compatible / bpo-cost {__version__}"
HEADER_ROW = 4
FIRST_ROW = 5
# the figures a row looks up, by Options column header and number format
FIGURES = (
    ("In-house TCO", "inhouse_tco", st.MONEY),
    ("TCO", "tco", st.MONEY),
    ("Savings", "savings", st.MONEY),
    ("NPV of savings", "npv_savings", st.MONEY),
    ("Vendor spend", "vendor_spend", st.MONEY),
    ("Transition spend", "transition_spend", st.MONEY),
    ("Headcount moved", "headcount_moved", st.NUMBER),
)


def _wrapped_heading(ws: Worksheet, labels: list[str]) -> None:
    """The header row, two lines high: long labels wrap inside their column."""
    st.heading(ws, HEADER_ROW, labels)
    for c in range(1, len(labels) + 1):
        ws.cell(row=HEADER_ROW, column=c).alignment = st.WRAP
    ws.row_dimensions[HEADER_ROW].height = 30


def _options_sheet(wb: Workbook, result: PortfolioResult) -> tuple[int, dict[str, int]]:
    ws = wb.create_sheet("Options")
    st.text(
        ws,
        1,
        1,
        f"Every function and owner ({result.currency}): the engine's figures",
        font=st.TITLE_FONT,
    )
    years = result.years
    labels = ["Key", "Function", "Owner", "Provider", "Location"]
    labels += [label for label, _k, _f in FIGURES]
    labels += [f"Savings Y{y + 1}" for y in range(years)]
    _wrapped_heading(ws, labels)
    columns = {label: i + 1 for i, label in enumerate(labels)}
    row = FIRST_ROW
    for f in result.functions:
        yearly = f.by_year(f.cost[:1] - f.cost, years)
        for j, owner in enumerate(f.owners):
            st.text(ws, row, 1, f"{f.name}|{owner}")
            st.text(ws, row, 2, f.name)
            st.text(ws, row, 3, owner)
            st.text(ws, row, 4, f.providers[j])
            st.text(ws, row, 5, f.locations[j])
            values = {
                "inhouse_tco": f.tco[0],
                "tco": f.tco[j],
                "savings": f.tco[0] - f.tco[j],
                "npv_savings": f.npv_savings[j],
                "vendor_spend": f.vendor_spend[j].sum(),
                "transition_spend": f.transition_spend[j].sum(),
                "headcount_moved": f.headcount_moved[j],
            }
            for i, (_label, key, fmt) in enumerate(FIGURES):
                st.put(ws, row, 6 + i, float(values[key]), fmt)
            for y in range(years):
                st.put(ws, row, 6 + len(FIGURES) + y, float(yearly[j, y]), st.MONEY)
            row += 1
    widths = {"A": 34, "B": 24, "C": 16, "D": 14, "E": 20}
    widths |= {get_column_letter(c): 15 for c in range(6, len(labels) + 1)}
    st.page_setup(ws, widths=widths, freeze="B5", title_rows="4:4", title_cols="A:A")
    return row - 1, columns


def _portfolio_sheet(
    wb: Workbook,
    result: PortfolioResult,
    chosen: Mapping[str, str],
    last: int,
    columns: dict[str, int],
) -> tuple[int, int]:
    ws = wb.active
    assert ws is not None
    ws.title = "Portfolio"
    st.text(ws, 1, 1, result.name, font=st.TITLE_FONT)
    st.text(
        ws,
        2,
        1,
        f"Amounts in {result.currency}. Choose each function's owner in column B (in-house "
        "or an option on the Options sheet); every figure and total follows.",
        font=st.NOTE_FONT,
    )
    years = result.years
    labels = ["Function", "Choice", "Provider", "Location"]
    labels += [label for label, _k, _f in FIGURES]
    labels += [f"Savings Y{y + 1}" for y in range(years)]
    _wrapped_heading(ws, labels)
    keys = f"Options!$A${FIRST_ROW}:$A${last}"

    def lookup(row: int, header: str, *, words: bool = False) -> str:
        col = get_column_letter(columns[header])
        found = (
            f'INDEX(Options!${col}${FIRST_ROW}:${col}${last},MATCH($A{row}&"|"&$B{row},{keys},0))'
        )
        return f'={found}&""' if words else f"={found}"  # an empty text cell reads as 0

    owners = DataValidation(type="custom", allow_blank=False)
    owners.error = "Choose inhouse or one of the function's options (see the Options sheet)"
    owners.showErrorMessage = True
    row = FIRST_ROW
    for f in result.functions:
        st.text(ws, row, 1, f.name)
        st.text(ws, row, 2, chosen[f.name], font=st.INPUT_FONT)
        ws.cell(row=row, column=2).fill = st.INPUT_FILL
        st.put(ws, row, 3, lookup(row, "Provider", words=True))
        st.put(ws, row, 4, lookup(row, "Location", words=True))
        for i, (label, _k, fmt) in enumerate(FIGURES):
            st.put(ws, row, 5 + i, lookup(row, label), fmt)
        for y in range(years):
            st.put(ws, row, 5 + len(FIGURES) + y, lookup(row, f"Savings Y{y + 1}"), st.MONEY)
        row += 1
    first, end = FIRST_ROW, row - 1
    owners.formula1 = f'ISNUMBER(MATCH($A{first}&"|"&$B{first},{keys},0))'
    owners.add(f"B{first}:B{end}")
    ws.add_data_validation(owners)
    total = row
    st.text(ws, total, 1, "Programme", font=st.BOLD)
    st.put(
        ws,
        total,
        2,
        f'=COUNTIF(B{first}:B{end},"<>inhouse")&" of "&ROWS(B{first}:B{end})&" outsourced"',
        font=st.BOLD,
    )
    for c in range(5, 5 + len(FIGURES) + years):
        letter = get_column_letter(c)
        fmt = st.NUMBER if labels[c - 1] == "Headcount moved" else st.MONEY
        st.put(ws, total, c, f"=SUM({letter}{first}:{letter}{end})", fmt, font=st.BOLD)
    widths = {"A": 24, "B": 16, "C": 14, "D": 20}
    widths |= {get_column_letter(c): 15 for c in range(5, len(labels) + 1)}
    st.page_setup(ws, widths=widths, freeze="C5", title_rows="4:4", title_cols="A:B")
    return end, total


def _charts_sheet(wb: Workbook, result: PortfolioResult, end: int, total: int) -> None:
    ws = wb.create_sheet("Charts")
    st.text(ws, 1, 1, "Savings by function and by programme year", font=st.TITLE_FONT)
    src = wb["Portfolio"]
    npv_col = 5 + [k for _l, k, _f in FIGURES].index("npv_savings")
    by_function = BarChart()
    by_function.type = "bar"
    by_function.title = title_case("NPV of savings by function")
    by_function.y_axis.numFmt = "#,##0"
    s = Series(
        Reference(src, min_col=npv_col, max_col=npv_col, min_row=FIRST_ROW, max_row=end),
        title="NPV of savings",
    )
    s.graphicalProperties.solidFill = PALETTE[0]
    by_function.series.append(s)
    by_function.set_categories(Reference(src, min_col=1, min_row=FIRST_ROW, max_row=end))
    by_function.x_axis.delete = False
    by_function.y_axis.delete = False
    by_function.legend = None
    by_function.width, by_function.height = 18.0, max(8.0, 0.55 * (end - FIRST_ROW + 1))
    below, _ = place(ws, by_function, 3, 1)
    first_year = 5 + len(FIGURES)
    by_year = BarChart()
    by_year.type = "col"
    by_year.title = title_case("Programme savings by year")
    by_year.y_axis.numFmt = "#,##0"
    years = Series(
        Reference(
            src,
            min_col=first_year,
            max_col=first_year + result.years - 1,
            min_row=total,
            max_row=total,
        ),
        title="Savings",
    )
    years.graphicalProperties.solidFill = PALETTE[1]
    by_year.series.append(years)
    by_year.set_categories(
        Reference(
            src,
            min_col=first_year,
            max_col=first_year + result.years - 1,
            min_row=HEADER_ROW,
            max_row=HEADER_ROW,
        )
    )
    by_year.x_axis.delete = False
    by_year.y_axis.delete = False
    by_year.legend = None
    by_year.width, by_year.height = 18.0, 8.5
    place(ws, by_year, below, 1)
    st.page_setup(ws, widths={"A": 10}, landscape=False, fit="page")


def build_portfolio_workbook(
    result: PortfolioResult, plan: Mapping[str, str] | Plan | None = None
) -> Workbook:
    """The portfolio workbook in memory (see ``write_portfolio_workbook``)."""
    chosen = result.choice_of(plan)
    wb = Workbook()
    start = next(iter(result.results.values())).case.start
    # a fixed date, not now: the same portfolio gives the same bytes
    wb.properties.created = wb.properties.modified = dt.datetime(start.year, start.month, 1)
    wb.properties.creator = "bpo-cost"
    last, columns = _options_sheet(wb, result)
    end, total = _portfolio_sheet(wb, result, chosen, last, columns)
    _charts_sheet(wb, result, end, total)
    wb.move_sheet("Charts", offset=-1)
    st.print_headers(wb, result.name)
    return wb


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower() or "function"


def write_portfolio_workbook(
    result: PortfolioResult,
    path: str | Path,
    *,
    plan: Mapping[str, str] | Plan | None = None,
    with_cases: bool = False,
) -> list[Path]:
    """Write the portfolio workbook (and, with ``with_cases``, each function's business case).

    Parameters
    ----------
    result : an evaluated portfolio.
    path : the ``.xlsx`` file to write.
    plan : the choice per function (default: each function's best option).
    with_cases : also write ``<stem>_<function>.xlsx`` beside it, each function's own
        business-case workbook (in the function's currency).

    Returns
    -------
    list of Path
        The files written, the portfolio workbook first.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError("workbook path", str(path), "a file name ending in .xlsx")
    try:
        wb = build_portfolio_workbook(result, plan)
        check_workbook(wb)
        buffer = io.BytesIO()
        wb.save(buffer)
    except MemoryError:
        raise OutputError(f"cannot write {target.name}: out of memory") from None
    stamp = f"{wb.properties.created:%Y-%m-%dT%H:%M:%SZ}"
    written = [
        atomic_write_bytes(
            target, reproducible_zip(buffer.getvalue(), modified=stamp, application=APPLICATION)
        )
    ]
    if with_cases:
        for name, res in result.results.items():
            beside = target.with_name(f"{target.stem}_{_slug(name)}.xlsx")
            written.append(write_workbook(res.case, beside))
    return written
