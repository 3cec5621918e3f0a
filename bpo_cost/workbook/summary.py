"""The Summary sheet: the decision on one page, every figure a formula, with native charts."""

from __future__ import annotations

from typing import Any

from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.styles import Alignment, Font
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..case.models import OVERRIDABLE, Case
from ..case.paths import DEFAULT_WORKLOAD
from ..engine.components import OPTION_COMPONENTS
from ..engine.run import NOT_MEANINGFUL, NOT_MEANINGFUL_LEAD
from . import styles as st
from .cashflows import DECISION_COLUMNS, CashFlows
from .charts import annual_chart, bridge_chart, column_cm, cumulative_chart, place, row_cm
from .grid import FIRST_COL, MONTH_ROW, Grid
from .refs import check_functions, col
from .refs import input_name as n
from .workloads import workload_refs

__all__ = ["summary_sheet"]

# Bridge from in-house TCO to an option's TCO: each step is a group of option components; the
# first also takes off the in-house cost the vendor's charges replace.
BRIDGE_GROUPS = (
    (
        "Vendor vs in-house",
        (
            "vendor.fees",
            "vendor.gainshare",
            "vendor.kpi_adjustment",
            "vendor.service_credits",
            "fx.adjustment",
        ),
    ),
    ("Kept in-house", ("inhouse.kept",)),
    ("Automation", ("automation",)),
    (
        "Transition",
        (
            "transition.vendor_selection",
            "transition.knowledge_transfer",
            "transition.parallel_run",
            "transition.severance_retention",
            "transition.productivity_dip",
            "transition.stranded_costs",
        ),
    ),
    ("Governance", ("governance", "retained.organisation", "retained.share_of_fees")),
    ("Quality leakage", ("quality_leakage",)),
    ("Exit", ("exit", "termination.fee", "termination.rehiring", "termination.ramp")),
    ("Dated costs and sales", ("dated_costs", "asset_sales")),
    ("Taxes", ("tax.vat", "tax.withholding")),
)
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
_RIGHT = Alignment(horizontal="right")

if sorted(c for _, group in BRIDGE_GROUPS for c in group) != sorted(OPTION_COMPONENTS):
    raise RuntimeError("BRIDGE_GROUPS must cover every option component once")

# Helper cells (the waterfall series, the structure test) live in folded columns right of
# the tables: live for the charts, neither shown nor printed.
_HELPER_COL = 13  # M
_HELPERS = ("Level", "Base", "Decrease", "Increase", "Total")  # per option, from M on
_WIDTHS = {"A": 24.0, "B": 14.0, **{col(c): 11.0 for c in range(3, 12)}}  # fit "20,418,545"
_LAST_COL = 11  # K: the printed width
_PAGE_CM = (29.7 - 2 * 1.27, 21.0 - 2 * 1.524)  # A4 landscape inside page_setup's margins
_STALE = '"regenerate"'  # what a figure shows once the structure check fails
_BRIDGES_PER_ROW = 4


def summary_sheet(ws: Worksheet, case: Case, cf: CashFlows, tl: Grid) -> None:
    """Fill the (first, already created) Summary sheet on two landscape pages at (about) normal
    size: page 1 the decision and its charts, page 2 the annual costs and the bridges from
    in-house to each option."""
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    st.put(ws, 1, 1, f"={n('name')}", font=st.TITLE_FONT)  # the title follows the input
    st.put(ws, 2, 1, f"={n('description')}")
    ws["A2"].alignment = st.WRAP
    ws.merge_cells("A2:K2")
    ws.row_dimensions[2].height = max(30.0, st.wrap_height(case.description, 150))
    wls = workload_refs(case)
    facts = [
        ("Function", f"={wls[0].input('function')}", None),
        ("Start", f"={n('start')}", st.DATE),
        ("Term (months)", f"={n('term_months')}", st.MONTHS),
        ("Currency", f"={n('currency')}", None),
        ("Discount rate (annual)", f"={n('discount_rate_annual')}", st.PERCENT),
        ("Discounting", f"={n('discounting')}", None),
    ] + [
        (
            w.label(f"Volume in month 1 ({w.unit})"),
            f"={tl.cells(w.key('volume'), 1, 1)}",
            st.NUMBER,
        )
        for w in wls
    ]
    if len(wls) > 1:  # the workloads' functions differ: each is named by its volume
        facts[0] = ("Workloads", "=" + '&", "&'.join(w.input("name") for w in wls), None)
    rows = -(-len(facts) // 2)  # two groups side by side: label A value B, label D value G
    for i, (label, formula, fmt) in enumerate(facts):
        r, (label_col, value_col) = 4 + i % rows, ((1, 2), (4, 7))[i // rows]
        st.text(ws, r, label_col, label, font=st.BOLD)
        st.put(ws, r, value_col, formula, fmt)
        ws.cell(row=r, column=value_col).alignment = Alignment(horizontal="left")
    header = 4 + rows + 1
    r = header + len(cf.owners) + 2
    ok = f"${col(_HELPER_COL)}${r + 1}"
    _decision(ws, header, cf, ok)
    st.put(ws, r - 1, 1, _irr_notes(cf))
    ws.cell(row=r - 1, column=1).font = Font(name=st.FONT, size=9, italic=True)
    st.text(ws, r, 1, "Recommendation", font=st.BOLD)
    st.put(ws, r, 2, _recommendation(cf, ok), font=st.BOLD)
    st.text(ws, r + 1, 1, "Structure check", font=st.BOLD)
    # One test a cell in a folded column, AND over their range: a case of many workloads and
    # lines stays within Excel's 255 arguments and 8,192 characters a formula.
    tests, at = _structure_tests(case), _tests_col(cf)
    for k, test in enumerate(tests, start=1):
        st.put(ws, k, at, test)
    st.put(ws, r + 1, _HELPER_COL, f"=AND(${col(at)}$1:${col(at)}${len(tests)})")
    st.put(
        ws,
        r + 1,
        2,
        f'=IF({ok},"OK: the sheets match the structural inputs","Structural input changed '
        f"(term, pricing model, basis, tier mode, a line's workload or a workload's name): "
        f"every figure says regenerate: "
        f'regenerate the workbook from the case")',
    )
    top = r + 3
    # page 2 first: the annual chart reads the annual table
    page_end = top + _rows_for(ws, top, _fit_height(ws, 1, top, 8.0))
    ws.row_breaks.append(Break(id=page_end - 1))
    annual_header = page_end + 1
    annual_rows, years = _annual(ws, annual_header, cf, tl, ok)
    bridges_end = _bridges(ws, annual_header + len(cf.owners) + 2, cf, ok)

    g = cf.grid
    cumulative = cumulative_chart(
        g.ws,
        [(g.row("cumulative_cost", o.key), o.name) for o in cf.owners],
        FIRST_COL,
        FIRST_COL + case.term_months - 1,
        MONTH_ROW,
    )
    annual = annual_chart(ws, annual_header, annual_rows, 2, years)
    half = 6  # the cumulative chart over A:F, the annual one over G:K
    cumulative.width = sum(column_cm(ws, c) for c in range(1, half + 1)) - 0.3
    annual.width = sum(column_cm(ws, c) for c in range(half + 1, _LAST_COL + 1)) - 0.3
    cumulative.height = annual.height = sum(row_cm(ws, x) for x in range(top, page_end - 1))
    place(ws, cumulative, top, 1)
    place(ws, annual, top, half + 1)
    ws.column_dimensions.group(col(_HELPER_COL), col(_tests_col(cf)), outline_level=1, hidden=True)
    ws.print_area = f"A1:{col(_LAST_COL)}{bridges_end}"
    width = sum(column_cm(ws, c) for c in range(1, _LAST_COL + 1))  # Calibri (or Carlito)
    pages = (
        sum(row_cm(ws, x) for x in range(1, page_end)),
        sum(row_cm(ws, x) for x in range(page_end, bridges_end + 1)),
    )
    fit = min(_PAGE_CM[0] / width, *(_PAGE_CM[1] / h for h in pages))
    st.page_setup(ws, widths={}, scale=max(40, min(100, int(fit * 100))))
    ws.sheet_view.showGridLines = False


def _fit_height(ws: Worksheet, first: int, top: int, most: float) -> float:
    """Height (cm) of a chart starting at row ``top`` that ends its page (rows ``first`` on),
    at most ``most`` cm and at least 5 cm (less and the page prints smaller instead)."""
    used = sum(row_cm(ws, x) for x in range(first, top))
    return max(5.0, min(most, _PAGE_CM[1] - used - 0.6))


def _rows_for(ws: Worksheet, top: int, height: float) -> int:
    """Rows from ``top`` that hold ``height`` cm, and one free row below."""
    rows, total = 0, 0.0
    while total < height - 1e-9:
        total += row_cm(ws, top + rows)
        rows += 1
    return rows + 1


def _decision(ws: Worksheet, header: int, cf: CashFlows, ok: str) -> None:
    st.heading(ws, header, [h for _, h, _ in DECISION_COLUMNS])
    for i in range(len(DECISION_COLUMNS)):
        ws.cell(row=header, column=1 + i).alignment = _HEAD
    ws.row_dimensions[header].height = 30
    for j in range(len(cf.owners)):
        for i, (key, _, fmt) in enumerate(DECISION_COLUMNS):
            if j == 0 and key in ("savings", "savings_pct", "npv_savings", "payback_month", "irr"):
                continue  # savings of in-house against itself: left blank, as in the CLI
            figure = cf.figure(j, key)
            if key == "irr":  # "n.m." instead of a figure that says nothing: why, below
                figure = f'IF({cf.irr_note(j)}="",{figure},"{NOT_MEANINGFUL}")'
            if key not in ("owner", "pricing_model"):
                figure = f"IF({ok},{figure},{_STALE})"
            st.put(ws, header + 1 + j, 1 + i, f"={figure}", fmt)
            if fmt is not None:  # "never", "n/a", "regenerate" line up with the figures
                ws.cell(row=header + 1 + j, column=1 + i).alignment = _RIGHT


def _irr_notes(cf: CashFlows) -> str:
    """Why an option's IRR reads "n.m.", one clause per such option ("" when none)."""
    notes = "&".join(
        f'IF({cf.irr_note(j)}="","",". "&"{cf.owners[j].name}: "&{cf.irr_note(j)})'
        for j in range(1, len(cf.owners))
    )
    if not notes:
        return ""
    return check_functions(f'=IF({notes}="","","{NOT_MEANINGFUL_LEAD}"&MID({notes},3,999))')


def _recommendation(cf: CashFlows, ok: str) -> str:
    """The CLI's verdict as a formula: the lowest NPV of cost wins if it saves in NPV."""
    npv_cost = cf.options("npv_cost")
    best = f"MATCH(MIN({npv_cost}),{npv_cost},0)"

    def pick(key: str) -> str:
        return f"INDEX({cf.options(key)},{best})"

    return check_functions(
        f"=IF({ok},"
        f'IF({pick("npv_savings")}>0,{pick("owner")}&" saves "&FIXED({pick("npv_savings")},0)'
        f'&" "&{n("currency")}&" in NPV ("'
        f'&IFERROR(FIXED(100*{pick("npv_savings")}/{cf.figure(0, "npv_cost")},1)&"%","n/a")'
        f'&" of in-house NPV of cost)"&IF(COUNT({pick("payback_month")})=1,", payback in month "'
        f'&{pick("payback_month")},", no payback within the term"),'
        f'"Keep in-house: no option costs less in NPV"),'
        f'"Regenerate the workbook: a structural input changed, so the figures are not those '
        f'of the inputs")'
    )


def _tests_col(cf: CashFlows) -> int:
    """The folded column of the structure tests: right of every option's bridge helpers."""
    return _HELPER_COL + len(_HELPERS) * (len(cf.owners) - 1)


def _structure_tests(case: Case) -> list[str]:
    """Tests TRUE while the structural inputs are those the sheets were built for."""
    tests = [f"{n('term_months')}={case.term_months}"]
    for i, o in enumerate(case.options):
        schedules = [(f"options.{i}.pricing.", o.pricing)] + [
            (f"options.{i}.lines.{j}.pricing.", line.pricing) for j, line in enumerate(o.lines)
        ]
        tests += [  # which workload a line bills shapes the billing rows
            f'{n(f"options.{i}.lines.{j}.workload")}="{line.workload}"'
            for j, line in enumerate(o.lines)
        ]
        currencies = [(f"options.{i}.", o.contract_currency)] + [
            (f"options.{i}.lines.{j}.", line.contract_currency) for j, line in enumerate(o.lines)
        ]
        tests += [
            f'{n(p + "contract_currency.clause")}="{cc.clause}"' for p, cc in currencies if cc
        ]
        for p, pricing in schedules:
            if pricing is None:
                continue
            tests.append(f'{n(p + "model")}="{pricing.model}"')
            for field in ("basis", "tier_mode"):
                value = getattr(pricing, field, None)
                if value is not None:
                    tests.append(f'{n(p + field)}="{value}"')
    for w in workload_refs(case):  # a line names its workload: a renamed one loses its line
        if w.several or w.name != DEFAULT_WORKLOAD:
            tests.append(f'{w.input("name")}="{w.name}"')
        # an override emptied is the in-house value again when read back: the rows refer to it
        tests += [f'{w.inhouse(f)}<>""' for f in OVERRIDABLE if w.overrides(f)]
    return [check_functions(f"={t}") for t in tests]


def _annual(
    ws: Worksheet, header: int, cf: CashFlows, tl: Grid, ok: str
) -> tuple[list[tuple[int, str]], int]:
    years = -(-cf.grid.months // 12)
    st.title(ws, header - 1, 1, "Annual cost by contract year", font=st.BOLD)
    st.heading(ws, header, ["Option", *[f"Year {y + 1}" for y in range(years)]])
    rows = []
    for j, o in enumerate(cf.owners):
        r = header + 1 + j
        rows.append((r, o.name))
        st.text(ws, r, 1, o.name)
        for y in range(years):
            st.put(
                ws,
                r,
                2 + y,
                f"=IF({ok},SUMIFS({o.grid.span('total')},{tl.span('contract_year')},{y}),{_STALE})",
                st.MONEY,
            )
    return rows, years


def _bridges(ws: Worksheet, top: int, cf: CashFlows, ok: str) -> int:
    """The bridges from in-house TCO to each option's TCO: one table (a step a row, an option a
    column; each option's level and chart series in folded helper columns), then a waterfall
    per option, up to four side by side; returns the last row used."""
    ih = cf.owners[0]
    options = cf.owners[1:]
    st.title(
        ws, top, 1, "Bridge from in-house TCO to each option's TCO (term totals)", font=st.BOLD
    )
    names = [o.name for o in options]
    st.heading(ws, top + 1, ["Step", *names], keep=tuple(names))
    for c in range(1, len(options) + 2):
        ws.cell(row=top + 1, column=c).alignment = _HEAD
    ws.row_dimensions[top + 1].height = 30
    first = top + 2
    last = first + len(BRIDGE_GROUPS) + 1
    st.text(ws, first, 1, "In-house TCO")
    for k, (label, _) in enumerate(BRIDGE_GROUPS):
        st.text(ws, first + 1 + k, 1, label)
    st.text(ws, last, 1, "Option TCO")
    for j, o in enumerate(options):
        ch = col(2 + j)  # the option's change column
        h = _HELPER_COL + len(_HELPERS) * j  # its level, base, decrease, increase, total
        lv = col(h)
        st.heading(ws, top + 1, list(_HELPERS), start=h)
        st.put(ws, first, 2 + j, f"=IF({ok},{ih.grid.total('total')},{_STALE})", st.MONEY)
        st.put(ws, first, h, f"={ch}{first}", st.MONEY)
        for k, (_, group) in enumerate(BRIDGE_GROUPS):
            r = first + 1 + k
            change = "+".join(o.grid.total(x) for x in group)
            if k == 0:
                change += f"-{ih.grid.total('total')}"
            st.put(ws, r, 2 + j, f"=IF({ok},{change},{_STALE})", st.MONEY)
            st.put(ws, r, h, f"=IF({ok},{lv}{r - 1}+{ch}{r},{_STALE})", st.MONEY)
            st.put(ws, r, h + 1, f"=MIN({lv}{r - 1},{lv}{r})", st.MONEY)
            st.put(ws, r, h + 2, f"=MAX(-{ch}{r},0)", st.MONEY)
            st.put(ws, r, h + 3, f"=MAX({ch}{r},0)", st.MONEY)
        st.put(ws, last, 2 + j, f"=IF({ok},{o.grid.total('total')},{_STALE})", st.MONEY)
        st.put(ws, last, h, f"={ch}{last}", st.MONEY)
        for r in (first, last):
            st.put(ws, r, h + 4, f"={ch}{r}", st.MONEY)
            for x in (h + 1, h + 2, h + 3):
                st.put(ws, r, x, 0, st.MONEY)
    for r in (first, last):
        for x in range(1, len(options) + 2):
            ws.cell(row=r, column=x).font = st.BOLD
    # the waterfalls: a row of up to four, sharing the page's width
    per_row = min(_BRIDGES_PER_ROW, max(2, len(options)))
    width = sum(column_cm(ws, x) for x in range(1, _LAST_COL + 1)) / per_row
    chart_top = last + 2
    height = _fit_height(ws, top - len(cf.owners) - 2, chart_top, 7.0)
    end = chart_top
    for j, o in enumerate(options):
        base = _HELPER_COL + len(_HELPERS) * j + 1
        chart = bridge_chart(ws, first, last, 1, base, o.name, slanted=per_row > 3)
        chart.width, chart.height = width - 0.3, height
        if j and j % per_row == 0:
            chart_top = end
        end = max(end, chart_top + _rows_for(ws, chart_top, height))
        _anchor(ws, chart, chart_top, width * (j % per_row))
    return end - 1


def _anchor(ws: Worksheet, chart: Any, row: int, left_cm: float) -> None:
    """Anchor ``chart`` at ``row``, ``left_cm`` from the sheet's left edge (within a column)."""
    c, x = 1, 0.0
    while x + column_cm(ws, c) <= left_cm + 1e-9:
        x += column_cm(ws, c)
        c += 1
    marker = AnchorMarker(col=c - 1, colOff=cm_to_EMU(left_cm - x), row=row - 1, rowOff=0)
    size = XDRPositiveSize2D(cm_to_EMU(chart.width), cm_to_EMU(chart.height))
    chart.anchor = OneCellAnchor(_from=marker, ext=size)
    ws.add_chart(chart)
