"""The Summary sheet: the decision on one page, every figure a formula, with native charts."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ..case.models import Case
from ..engine.components import OPTION_COMPONENTS
from . import styles as st
from .cashflows import DECISION_COLUMNS, CashFlows
from .charts import annual_chart, bridge_chart, cumulative_chart
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
if sorted(c for _, group in BRIDGE_GROUPS for c in group) != sorted(OPTION_COMPONENTS):
    raise RuntimeError("BRIDGE_GROUPS must cover every option component once")

_CHART_COLS = ("M", "U")  # charts are 16 cm wide: eight 10-character columns
_CHART_ROWS = 18


def summary_sheet(ws: Worksheet, case: Case, cf: CashFlows, tl: Grid) -> None:
    """Fill the (first, already created) Summary sheet."""
    st.put(ws, 1, 1, f"={n('name')}", font=st.TITLE_FONT)  # the title follows the input
    st.put(ws, 2, 1, f"={n('description')}")
    ws["A2"].alignment = st.WRAP
    ws.merge_cells("A2:K2")
    ws.row_dimensions[2].height = 45
    facts = [
        ("Function", f"={n('workload.function')}", None),
        ("Start", f"={n('start')}", st.DATE),
        ("Term (months)", f"={n('term_months')}", st.MONTHS),
        ("Currency", f"={n('currency')}", None),
        ("Discount rate (annual)", f"={n('discount_rate_annual')}", st.PERCENT),
        (f"Volume in month 1 ({case.workload.unit})", f"={tl.cells('volume', 1, 1)}", st.NUMBER),
    ]
    for i, (label, formula, fmt) in enumerate(facts):
        st.text(ws, 4 + i, 1, label, font=st.BOLD)
        st.put(ws, 4 + i, 2, formula, fmt)
    header = 4 + len(facts) + 1
    _decision(ws, header, cf)
    r = header + len(cf.owners) + 2
    st.text(ws, r, 1, "Recommendation", font=st.BOLD)
    st.put(ws, r, 2, _recommendation(cf), font=st.BOLD)
    st.text(ws, r + 1, 1, "Structure check", font=st.BOLD)
    st.put(ws, r + 1, 2, _structure_check(case))
    annual_header = r + 4
    annual_rows, years = _annual(ws, annual_header, cf, tl)
    bridges = _bridges(ws, annual_header + len(cf.owners) + 3, cf)

    g = cf.grid
    charts = [
        cumulative_chart(
            g.ws,
            [(g.row("cumulative_cost", o.key), o.name) for o in cf.owners],
            FIRST_COL,
            FIRST_COL + case.term_months - 1,
            MONTH_ROW,
        ),
        annual_chart(ws, annual_header, annual_rows, 2, years),
        *(
            bridge_chart(ws, first, last, 1, 4, f"In-house to {name}")
            for first, last, name in bridges
        ),
    ]
    for i, chart in enumerate(charts):  # two charts a row, right of the tables
        ws.add_chart(chart, f"{_CHART_COLS[i % 2]}{1 + _CHART_ROWS * (i // 2)}")
    st.page_setup(
        ws,
        widths={
            "A": 34,
            **{col(c): 15 for c in range(2, 12)},
            "L": 3,
            **{col(c): 10 for c in range(13, 33)},
        },
        fit="page",
    )
    ws.sheet_view.showGridLines = False


def _decision(ws: Worksheet, header: int, cf: CashFlows) -> None:
    st.heading(ws, header, [h for _, h, _ in DECISION_COLUMNS])
    for j in range(len(cf.owners)):
        for i, (key, _, fmt) in enumerate(DECISION_COLUMNS):
            if j == 0 and key in ("savings", "savings_pct", "npv_savings", "payback_month", "irr"):
                continue  # savings of in-house against itself: left blank, as in the CLI
            st.put(ws, header + 1 + j, 1 + i, f"={cf.figure(j, key)}", fmt)


def _recommendation(cf: CashFlows) -> str:
    """The CLI's verdict as a formula: the lowest NPV of cost wins if it saves in NPV."""
    npv_cost = cf.options("npv_cost")
    best = f"MATCH(MIN({npv_cost}),{npv_cost},0)"

    def pick(key: str) -> str:
        return f"INDEX({cf.options(key)},{best})"

    return check_functions(
        f'=IF({pick("npv_savings")}>0,{pick("owner")}&" saves "&FIXED({pick("npv_savings")},0)'
        f'&" "&{n("currency")}&" in NPV ("&IFERROR(FIXED(100*{pick("savings_pct")},1)&"%","n/a")'
        f'&" of in-house TCO)"&IF(COUNT({pick("payback_month")})=1,", payback in month "'
        f'&{pick("payback_month")},", no payback within the term"),'
        f'"Keep in-house: no option costs less in NPV")'
    )


def _structure_check(case: Case) -> str:
    """OK while the structural inputs are those the sheets were built for."""
    tests = [f"{n('term_months')}={case.term_months}"]
    for i, o in enumerate(case.options):
        p = f"options.{i}.pricing."
        tests.append(f'{n(p + "model")}="{o.pricing.model}"')
        for field in ("basis", "tier_mode"):
            value = getattr(o.pricing, field, None)
            if value is not None:
                tests.append(f'{n(p + field)}="{value}"')
    return check_functions(
        f'=IF(AND({",".join(tests)}),"OK: the sheets match the structural inputs",'
        f'"Structural input changed (term, pricing model, basis or tier mode): regenerate the '
        f'workbook from the case")'
    )


def _annual(
    ws: Worksheet, header: int, cf: CashFlows, tl: Grid
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
                f"=SUMIFS({o.grid.span('total')},{tl.span('contract_year')},{y})",
                st.MONEY,
            )
    return rows, years


def _bridges(ws: Worksheet, top: int, cf: CashFlows) -> list[tuple[int, int, str]]:
    """One bridge table per option: step, change, level, then the four chart series."""
    ih = cf.owners[0]
    out = []
    for o in cf.owners[1:]:
        st.text(ws, top, 1, f"Bridge: in-house TCO to {o.name} TCO (term totals)", font=st.BOLD)
        st.heading(
            ws, top + 1, ["Step", "Change", "Level", "Base", "Decrease", "Increase", "Total"]
        )
        first = top + 2
        st.text(ws, first, 1, "In-house TCO")
        st.put(ws, first, 3, f"={ih.grid.total('total')}", st.MONEY)
        for k, (label, group) in enumerate(BRIDGE_GROUPS):
            r = first + 1 + k
            change = "+".join(o.grid.total(c) for c in group)
            if k == 0:
                change += f"-{ih.grid.total('total')}"
            st.text(ws, r, 1, label)
            st.put(ws, r, 2, f"={change}", st.MONEY)
            st.put(ws, r, 3, f"=C{r - 1}+B{r}", st.MONEY)
            st.put(ws, r, 4, f"=MIN(C{r - 1},C{r})", st.MONEY)
            st.put(ws, r, 5, f"=MAX(-B{r},0)", st.MONEY)
            st.put(ws, r, 6, f"=MAX(B{r},0)", st.MONEY)
        last = first + len(BRIDGE_GROUPS) + 1
        st.text(ws, last, 1, f"{o.name} TCO")
        st.put(ws, last, 3, f"={o.grid.total('total')}", st.MONEY)
        for r in (first, last):
            st.put(ws, r, 7, f"=C{r}", st.MONEY)
            for c in (4, 5, 6):
                st.put(ws, r, c, 0, st.MONEY)
        out.append((first, last, o.name))
        top = last + 3
    return out
