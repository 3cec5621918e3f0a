"""The Method & sources sheet: how each figure is computed, in words; where defaults come from."""

from __future__ import annotations

from openpyxl import Workbook

from ..case.fields import input_doc
from ..case.io import case_to_pairs
from ..case.rules import generic_key
from ..engine.components import (
    COMPONENTS,
    INHOUSE,
    Component,
    display_name,
    inhouse_keys,
    option_keys,
)
from ..result import Result
from . import styles as st
from .delivery import full_scope
from .refs import col

__all__ = ["method_sheet"]

_WIDTHS = {"A": 40.0, "B": 22.0, "C": 70.0, "D": 30.0, "E": 12.0}

_FIGURES = (
    ("TCO", "Sum of every component over the term."),
    (
        "NPV of cost",
        "Excel NPV of the monthly total at the monthly rate (1 + annual)^(1/12) - 1 (month 1 "
        "discounted one period), x (1 + rate)^0.5 mid-month, x (1 + rate) at the start: input "
        "discounting.",
    ),
    ("Savings", "In-house TCO - option TCO (positive: the option is cheaper)."),
    ("Savings %", "Savings / in-house TCO."),
    ("NPV of savings", "NPV of in-house cost - NPV of the option's cost."),
    (
        "Payback month",
        "First month in which cumulative savings reach zero or more, within half a cent; "
        '"never" if they do not within the term.',
    ),
    (
        "IRR (annual)",
        '(1 + IRR(monthly savings, guess 0.1))^12 - 1; "n/a" if none. Where Newton from 0.1 '
        "fails (#NUM!), IRR restarts from the engine's monthly rate (a start, not a result). "
        "The Summary shows why instead when it says nothing: payback by month 3, up-front "
        "cost under 1% of savings, or above 100% a year.",
    ),
    ("Cost per unit", "TCO / total volume of the term."),
    ("Rank", "1 for the lowest NPV of cost; ties keep the sheet order."),
)

_NOTES = (
    "Every number on the other sheets is a live formula over the Inputs sheet: change a blue "
    "cell and the workbook follows. The Python engine (bpo-cost) computes the same figures; a "
    "test recalculates this workbook in LibreOffice and compares every cell with it.",
    "Structural inputs shape the sheets and are not followed by the formulas: the term, the "
    "pricing model, basis and tier mode (of an option or a line), the number of workloads, "
    "tiers, roles, stranded costs, options and lines, the workload a line bills, the "
    "workloads' names, which in-house fields a workload overrides, and whether an option has "
    "automation or a workload is answered live. Change them in the "
    "case file and regenerate: bpo-cost workbook CASE -o FILE.xlsx. The Summary's structure "
    "check says when they differ.",
    "bpo-cost evaluate FILE.xlsx reads columns A:B of the Inputs sheet back as the case, with "
    "any edits, and computes it in Python.",
    "The methodology, every formula, default and range with its original source, is "
    "docs/methodology.md of bpo-cost (in an installed package: bpo_cost/_data/docs/"
    "methodology.md); the sections #in-house-cost, #staffing, #pricing, #clauses, #hidden-costs "
    "and #decision-figures explain the rows above.",
    "Costs are positive; service credits and painshare are negative. Month 1 is the first month "
    "of the term; wages, prices and escalators step once per contract year; volume grows "
    "smoothly and follows calendar-month seasonality.",
    "Live channels (calls, chats) are staffed by Erlang C on the Staffing sheet: per interval the "
    "offered load A = volume per interval x handle time / interval, the Erlang B recursion, and "
    "the fewest agents n > A whose service level 1 - C exp(-(n - A) T / AHT) meets the target "
    "with occupancy A / n within the cap; chat on its handle time divided by the published "
    "concurrency factor (1, 1.7, 2.5, 2.9, 3.5 for 1-5 chats at once, linear in between). Each "
    "live workload has a pool in-house and one per hourly vendor (its handle time and "
    "occupancy). A pool shows #N/A when the volume needs more agents than its rows hold: "
    "regenerate the workbook. The Staffing summary sheet shows, per owner and workload, the "
    "volume handled, agents, FTE and billed units behind the costs.",
    "Monte Carlo distributions of the case file are on the Inputs sheet as uncertainty.<input "
    "path with / for .>.<field> rows: they feed no formula here and are read back with the case. "
    "A value 'none' means explicitly no value (no cap) where the default has one.",
)


def _applies_to(c: Component) -> str:
    return ", ".join(display_name(INHOUSE) if o == INHOUSE else "Each option" for o in c.owners)


def method_sheet(wb: Workbook, result: Result) -> None:
    """Write the Method & sources sheet."""
    ws = wb.create_sheet("Method & sources")
    case = result.case
    st.title(ws, 1, 1, "Method & sources")
    row = 3

    def section(title: str, header: list[str]) -> None:
        nonlocal row
        st.title(ws, row, 1, title, font=st.BOLD)
        st.heading(ws, row + 1, header)
        row += 2

    def line(*values: str, wide: bool = False) -> None:
        """A table row; ``wide``: the last text runs on over the next column (merged)."""
        nonlocal row
        widths = [_WIDTHS[col(1 + i)] for i in range(len(values))]
        if wide:
            widths[-1] += _WIDTHS[col(1 + len(values))]
            ws.merge_cells(
                start_row=row, start_column=len(values), end_row=row, end_column=len(values) + 1
            )
        for i, v in enumerate(values):
            st.text(ws, row, 1 + i, v)
            ws.cell(row=row, column=1 + i).alignment = st.WRAP if " " in v else st.SHRINK
        # tall enough for its longest wrapped text: a fixed height let definitions overlap
        ws.row_dimensions[row].height = max(
            st.wrap_height(v if " " in v else "", w) for v, w in zip(values, widths, strict=True)
        )
        row += 1

    section("How to read this workbook", ["Note", "", "", ""])  # over the notes (A:D)
    for note in _NOTES:
        st.text(ws, row, 1, note)
        ws.cell(row=row, column=1).alignment = st.WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = st.wrap_height(note, sum(_WIDTHS[c] for c in "ABCD"))
        row += 1
    row += 1
    section("Cost components (the engine's names)", ["Component", "Applies to", "How"])
    # those of this case: a block no owner has (taxes, dated costs) brings no row to explain
    present = set(inhouse_keys(case.inhouse)).union(  # an option keeping work: inhouse.kept
        *(option_keys(o, keeps_work=not full_scope(case, o)) for o in case.options)
    )
    for c in COMPONENTS:
        if c.block is None or c.key in present:
            line(c.key, _applies_to(c), c.description)
    row += 1
    section("Decision figures (Cash flows sheet)", ["Figure", "Definition", ""])
    for figure, text in _FIGURES:
        line(figure, text, wide=True)
    row += 1
    section("Defaults and their sources", ["Input", "Default", "Source of the default", "Unit"])
    seen = set()
    for key, _ in case_to_pairs(case):
        field, generic = input_doc(case, key), generic_key(key)
        if field.default is None or not field.source or generic in seen:
            continue
        seen.add(generic)
        line(
            generic,
            f"{field.default:g}" if isinstance(field.default, float) else str(field.default),
            field.source,
            field.unit,
        )
    if result.rates_used:
        row += 1
        section("Rate-card values used", ["Input", "Value", "Rate card row", "Source", "As of"])
        for r in result.rates_used:
            line(r.path, f"{r.value:,.4g}", r.detail, r.source, r.as_of)
    st.page_setup(ws, widths=_WIDTHS, title_rows=None)
