"""The Summary sheet: the decision on one page, every figure a formula, with native charts."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..case.models import Case
from ..engine.components import OPTION_COMPONENTS
from . import styles as st
from .cashflows import DECISION_COLUMNS, CashFlows
from .charts import annual_chart, bridge_chart, column_cm, cumulative_chart, place, row_cm
from .grid import FIRST_COL, MONTH_ROW, Grid
from .refs import check_functions, col
from .refs import input_name as n

__all__ = ["summary_sheet"]

# Bridge from in-house TCO to an option's TCO: each step is a group of option components; the
# first also takes off the in-house cost the vendor's charges replace.
BRIDGE_GROUPS = (
    (
        "Vendor vs in-house",
        ("vendor.fees", "vendor.gainshare", "vendor.kpi_adjustment", "vendor.service_credits"),
    ),
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
    ("Governance", ("governance",)),
    ("Quality leakage", ("quality_leakage",)),
    ("Exit", ("exit",)),
)
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")

if sorted(c for _, group in BRIDGE_GROUPS for c in group) != sorted(OPTION_COMPONENTS):
    raise RuntimeError("BRIDGE_GROUPS must cover every option component once")

# Helper cells (the waterfall series, the structure test) live in folded columns right of
# the tables: live for the charts, neither shown nor printed.
_HELPER_COL = 13  # M
_WIDTHS = {"A": 24.0, "B": 14.0, **{col(c): 11.0 for c in range(3, 12)}}  # fit "20,418,545"
_PAGE_CM = (29.7 - 2 * 1.27, 21.0 - 2 * 1.524)  # A4 landscape inside page_setup's margins
_STALE = '"regenerate"'  # what a figure shows once the structure check fails


def summary_sheet(ws: Worksheet, case: Case, cf: CashFlows, tl: Grid) -> None:
    """Fill the (first, already created) Summary sheet: page 1 the decision and its charts,
    page 2 the bridges from in-house to each option."""
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    st.put(ws, 1, 1, f"={n('name')}", font=st.TITLE_FONT)  # the title follows the input
    st.put(ws, 2, 1, f"={n('description')}")
    ws["A2"].alignment = st.WRAP
    ws.merge_cells("A2:K2")
    ws.row_dimensions[2].height = max(30.0, st.wrap_height(case.description, 150))
    facts = [
        ("Function", f"={n('workload.function')}", None),
        ("Start", f"={n('start')}", st.DATE),
        ("Term (months)", f"={n('term_months')}", st.MONTHS),
        ("Currency", f"={n('currency')}", None),
        ("Discount rate (annual)", f"={n('discount_rate_annual')}", st.PERCENT),
        ("Discounting", f"={n('discounting')}", None),
        (f"Volume in month 1 ({case.unit})", f"={tl.cells('volume', 1, 1)}", st.NUMBER),
    ]
    for i, (label, formula, fmt) in enumerate(facts):
        st.text(ws, 4 + i, 1, label, font=st.BOLD)
        st.put(ws, 4 + i, 2, formula, fmt)
        ws.cell(row=4 + i, column=2).alignment = Alignment(horizontal="left")
    header = 4 + len(facts) + 1
    r = header + len(cf.owners) + 2
    ok = f"${col(_HELPER_COL)}${r + 1}"
    _decision(ws, header, cf, ok)
    st.text(ws, r, 1, "Recommendation", font=st.BOLD)
    st.put(ws, r, 2, _recommendation(cf, ok), font=st.BOLD)
    st.text(ws, r + 1, 1, "Structure check", font=st.BOLD)
    st.put(ws, r + 1, _HELPER_COL, _structure_ok(case))
    st.put(
        ws,
        r + 1,
        2,
        f'=IF({ok},"OK: the sheets match the structural inputs","Structural input changed '
        f"(term, pricing model, basis or tier mode): every figure says regenerate: "
        f'regenerate the workbook from the case")',
    )
    annual_header = r + 4
    annual_rows, years = _annual(ws, annual_header, cf, tl, ok)

    g = cf.grid
    top = annual_header + len(cf.owners) + 2
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
    annual.width = sum(column_cm(ws, c) for c in range(half + 1, 12)) - 0.3
    cumulative.height = annual.height = 7.0
    page_end, _ = place(ws, cumulative, top, 1)
    place(ws, annual, top, half + 1)
    ws.row_breaks.append(Break(id=page_end - 1))
    bridges_end = _bridges(ws, page_end, cf, ok)
    ws.column_dimensions.group(col(_HELPER_COL), col(_HELPER_COL + 4), outline_level=1, hidden=True)
    ws.print_area = f"A1:K{bridges_end}"
    width = sum(column_cm(ws, c, digit_px=9) for c in range(1, 12))  # any font: see column_cm
    pages = (
        sum(row_cm(ws, x) for x in range(1, page_end)),
        sum(row_cm(ws, x) for x in range(page_end, bridges_end + 1)),
    )
    fit = min(_PAGE_CM[0] / width, *(_PAGE_CM[1] / h for h in pages))
    st.page_setup(ws, widths={}, scale=max(40, min(100, int(fit * 100) - 2)))
    ws.sheet_view.showGridLines = False


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
            if key == "irr":  # the reason instead of a figure that says nothing
                figure = f'IF({cf.irr_note(j)}="",{figure},{cf.irr_note(j)})'
            if key not in ("owner", "pricing_model"):
                figure = f"IF({ok},{figure},{_STALE})"
            st.put(ws, header + 1 + j, 1 + i, f"={figure}", fmt)


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


def _structure_ok(case: Case) -> str:
    """TRUE while the structural inputs are those the sheets were built for."""
    tests = [f"{n('term_months')}={case.term_months}"]
    for i, o in enumerate(case.options):
        p = f"options.{i}.pricing."
        tests.append(f'{n(p + "model")}="{case.pricing_model(o)}"')
        for field in ("basis", "tier_mode"):
            value = getattr(o.pricing, field, None)
            if value is not None:
                tests.append(f'{n(p + field)}="{value}"')
    return check_functions(f"=AND({','.join(tests)})")


def _annual(
    ws: Worksheet, header: int, cf: CashFlows, tl: Grid, ok: str
) -> tuple[list[tuple[int, str]], int]:
    years = -(-cf.grid.months // 12)
    st.text(ws, header - 1, 1, "Annual cost by contract year", font=st.BOLD)
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
    """One bridge table per option (step, change, level; the four chart series in the folded
    helper columns) with its waterfall beside it; returns the last row used."""
    ih = cf.owners[0]
    h = _HELPER_COL
    last = top
    for o in cf.owners[1:]:
        st.text(ws, top, 1, f"Bridge: in-house TCO to {o.name} TCO (term totals)", font=st.BOLD)
        st.heading(ws, top + 1, ["Step", "Change", "Level"])
        st.heading(ws, top + 1, ["Base", "Decrease", "Increase", "Total"], start=h)
        first = top + 2
        st.text(ws, first, 1, "In-house TCO")
        st.put(ws, first, 3, f"=IF({ok},{ih.grid.total('total')},{_STALE})", st.MONEY)
        for k, (label, group) in enumerate(BRIDGE_GROUPS):
            r = first + 1 + k
            change = "+".join(o.grid.total(c) for c in group)
            if k == 0:
                change += f"-{ih.grid.total('total')}"
            st.text(ws, r, 1, label)
            st.put(ws, r, 2, f"=IF({ok},{change},{_STALE})", st.MONEY)
            st.put(ws, r, 3, f"=IF({ok},C{r - 1}+B{r},{_STALE})", st.MONEY)
            st.put(ws, r, h, f"=MIN(C{r - 1},C{r})", st.MONEY)
            st.put(ws, r, h + 1, f"=MAX(-B{r},0)", st.MONEY)
            st.put(ws, r, h + 2, f"=MAX(B{r},0)", st.MONEY)
        last = first + len(BRIDGE_GROUPS) + 1
        st.text(ws, last, 1, f"{o.name} TCO")
        st.put(ws, last, 3, f"=IF({ok},{o.grid.total('total')},{_STALE})", st.MONEY)
        for r in (first, last):
            st.put(ws, r, h + 3, f"=C{r}", st.MONEY)
            for c in (h, h + 1, h + 2):
                st.put(ws, r, c, 0, st.MONEY)
        chart = bridge_chart(ws, first, last, 1, h, f"In-house to {o.name}")
        chart.title = None  # the table's title beside it says it; the bars get the room
        chart.width = sum(column_cm(ws, c) for c in range(5, 12)) - 0.3
        chart.height = sum(row_cm(ws, r) for r in range(top, last + 1)) - 0.1
        place(ws, chart, top, 5)  # clear of the table title, which runs on into D
        top = last + 2
    return last
