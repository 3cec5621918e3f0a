"""The Cash flows sheet: monthly savings per option, discounting, and the decision figures.

Figures match ``engine.summarize``: savings = in-house cost - option cost each month; NPV is
Excel's NPV (first month discounted one period) at the monthly rate ``(1 + annual)^(1/12) - 1``;
times ``(1 + monthly rate)^shift`` for the case's ``discounting`` (0 at the end of the month, 0.5
mid-month, 1 at the start); payback is the first month cumulative savings reach zero within half
a cent ("never" when they do not); IRR is ``IRR(monthly savings, 0.1)`` annualised as
``(1 + irr)^12 - 1`` ("n/a" when there is none), with ``engine.irr_caveat``'s reasons beside it
when it says nothing; cost per unit is TCO over the term's total volume; rank 1 is the lowest NPV
of cost (ties: first).

IRR: Excel and LibreOffice run Newton's method from the guess for 20 steps and give #NUM! when
it diverges; ``finance.irr`` runs it longer and then scans for the sign change nearest the
guess. Where Newton from 0.1 fails, the workbook runs it again from the monthly rate the engine
found when the workbook was written (a starting point, not a result: the formula still finds
the root of the live savings stream), so both agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment

from ..case.models import Case
from ..core.finance import DISCOUNTING, PAYBACK_TOLERANCE
from ..engine.run import IRR_CEILING, IRR_REASONS, MIN_INVESTMENT_SHARE, QUICK_PAYBACK_MONTH
from . import styles as st
from .grid import MONTH, Grid
from .refs import check_functions, col, quote
from .refs import input_name as n

__all__ = ["DECISION_COLUMNS", "CashFlows", "Owner", "cashflows_sheet"]

# key, header, number format: the decision table (Cash flows sheet and Summary)
DECISION_COLUMNS = (
    ("owner", "Option", None),
    ("pricing_model", "Pricing model", None),
    ("tco", "TCO", st.MONEY),
    ("npv_cost", "NPV of cost", st.MONEY),
    ("savings", "Savings", st.MONEY),
    ("savings_pct", "Savings %", st.PERCENT),
    ("npv_savings", "NPV of savings", st.MONEY),
    ("payback_month", "Payback month", st.MONTHS),
    ("irr", "IRR (annual)", st.PERCENT),
    ("cost_per_unit", "Cost per unit", st.MONEY_CENTS),
    ("rank", "Rank", st.MONTHS),
)
# Beside the decision table on Cash flows only: why an option's IRR says nothing ("" if it does)
IRR_NOTE_COLUMN = len(DECISION_COLUMNS) + 1


@dataclass(frozen=True)
class Owner:
    """In-house or an option: its display name, pricing model and cost sheet."""

    key: str
    name: str
    model: str
    grid: Grid
    irr_hint: float | None = None  # the engine's monthly IRR, a second Newton start


@dataclass(frozen=True)
class CashFlows:
    grid: Grid
    decision_header: int  # row of the decision table's header; owners follow in order
    owners: list[Owner]

    def figure(self, owner: int, key: str) -> str:
        """Absolute reference to a decision figure of owner ``owner`` (0 is in-house)."""
        c = col(1 + [k for k, _, _ in DECISION_COLUMNS].index(key))
        return f"{quote(self.grid.title)}!${c}${self.decision_header + 1 + owner}"

    def irr_note(self, owner: int) -> str:
        """Absolute reference to the IRR note of option ``owner`` ("": the IRR is meaningful)."""
        c = col(IRR_NOTE_COLUMN)
        return f"{quote(self.grid.title)}!${c}${self.decision_header + 1 + owner}"

    def options(self, key: str) -> str:
        """Absolute reference to a decision figure of every option (in-house left out)."""
        c = col(1 + [k for k, _, _ in DECISION_COLUMNS].index(key))
        first = self.decision_header + 2
        return f"{quote(self.grid.title)}!${c}${first}:${c}${first + len(self.owners) - 2}"


def cashflows_sheet(wb: Workbook, case: Case, tl: Grid, owners: list[Owner]) -> CashFlows:
    """Write the Cash flows sheet; ``owners[0]`` is in-house."""
    g = Grid(
        wb,
        "Cash flows",
        case.term_months,
        heading="Cash flows: savings, discounting and decision figures",
        note="Savings = in-house cost - option cost, each month: the decision cash flow "
        "(negative during transition, positive after).",
    )
    g.section("Discounting")
    g.add(
        "discount_rate_monthly",
        "Monthly discount rate (1 + annual)^(1/12) - 1",
        None,
        fmt=st.RATE,
        total=f"=(1+{n('discount_rate_annual')})^(1/12)-1",
    )
    rate = f"$C${g.row('discount_rate_monthly')}"
    timing = n("discounting")
    shifts = "0"
    for key, months in DISCOUNTING.items():
        if months:
            shifts = f'IF({timing}="{key}",{months:g},{shifts})'
    g.add(
        "discount_shift",
        "Months discounted less than Excel's NPV (end of month) in column C: discounting",
        None,
        fmt=st.NUMBER,
        total=f"={shifts}",
    )
    shift = f"$C${g.row('discount_shift')}"
    g.add(
        "discount_factor",
        "Discount factor 1 / (1 + monthly rate)^(month - shift)",
        f"=1/(1+{rate})^({MONTH}-{shift})",
        fmt=st.FACTOR,
        total=False,
    )
    g.section("Total cost")
    for o in owners:
        g.add("total_cost", o.name, f"={o.grid.here('total', external=True)}", owner=o.key)
    g.section("Cumulative cost")
    for o in owners:
        tc = g.here("total_cost", o.key)
        g.add(
            "cumulative_cost",
            o.name,
            f"={{p}}{g.next}+{tc}",
            first=f"={tc}",
            total=False,
            owner=o.key,
        )
    ih, options = owners[0], owners[1:]
    g.section("Savings: in-house cost - option cost")
    for o in options:
        g.add(
            "savings",
            o.name,
            f"={g.here('total_cost', ih.key)}-{g.here('total_cost', o.key)}",
            owner=o.key,
        )
    g.section("Cumulative savings")
    for o in options:
        s = g.here("savings", o.key)
        g.add(
            "cumulative_savings",
            o.name,
            f"={{p}}{g.next}+{s}",
            first=f"={s}",
            total=False,
            owner=o.key,
        )
    g.section("Discounted savings (term total = NPV of savings)")
    for o in options:
        g.add(
            "discounted_savings",
            o.name,
            f"={g.here('savings', o.key)}*{g.here('discount_factor')}",
            owner=o.key,
        )
    g.section("Payback test: the month if cumulative savings >= 0 (within half a cent)")
    for o in options:
        g.add(
            "payback_test",
            o.name,
            f'=IF({g.here("cumulative_savings", o.key)}>=-{PAYBACK_TOLERANCE:g},{MONTH},"")',
            fmt=st.MONTHS,
            total=False,
            owner=o.key,
        )
    header = g.next + 2  # a blank row above the table's title
    _decision_table(g, tl, header, owners)
    return CashFlows(g, header, owners)


def _decision_table(g: Grid, tl: Grid, header: int, owners: list[Owner]) -> None:
    ws = g.ws
    st.title(ws, header - 1, 1, "Decision figures", font=st.BOLD)
    st.heading(ws, header, [h for _, h, _ in DECISION_COLUMNS])
    for i in range(len(DECISION_COLUMNS)):  # month-wide columns: headers wrap, never cut
        ws.cell(row=header, column=1 + i).alignment = Alignment(
            wrap_text=True, vertical="center", horizontal="center"
        )
    ws.row_dimensions[header].height = 30
    keys = [k for k, _, _ in DECISION_COLUMNS]
    c = {k: col(1 + i) for i, k in enumerate(keys)}
    first, last = header + 1, header + len(owners)
    ih = first
    volume = f"SUM({tl.span('volume')})"
    rate = f"$C${g.row('discount_rate_monthly')}"
    shift = f"$C${g.row('discount_shift')}"
    st.heading(ws, header, ["IRR note"], start=IRR_NOTE_COLUMN)
    for j, o in enumerate(owners):
        r = first + j
        tc = g.row("total_cost", o.key)
        rank_ties = (
            f"+SUMPRODUCT(({c['npv_cost']}${first}:{c['npv_cost']}{r - 1}={c['npv_cost']}{r})*1)"
            if r > first
            else ""
        )
        values: dict[str, str | None] = {
            "owner": o.name,
            "pricing_model": o.model.replace("_", " "),  # "per transaction", as the memo says
            "tco": f"=C{tc}",
            "npv_cost": f"=NPV({rate},{g.span_local(tc)})*(1+{rate})^{shift}",
            "cost_per_unit": f"={c['tco']}{r}/{volume}",
            "rank": f"=1+SUMPRODUCT(({c['npv_cost']}${first}:{c['npv_cost']}${last}"
            f"<{c['npv_cost']}{r})*1){rank_ties}",
        }
        if j:
            payback = g.span_local(g.row("payback_test", o.key))
            flows = g.span_local(g.row("savings", o.key))
            irr = f"IRR({flows},0.1)"
            if o.irr_hint is not None:
                # a start only: 4 significant digits, so the file is the same on any machine
                irr = f"IFERROR({irr},IRR({flows},{o.irr_hint:.4g}))"
            values |= {
                "savings": f"={c['tco']}{ih}-{c['tco']}{r}",
                "savings_pct": f'=IF({c["tco"]}{ih}<>0,{c["savings"]}{r}/{c["tco"]}{ih},"n/a")',
                "npv_savings": f"={c['npv_cost']}{ih}-{c['npv_cost']}{r}",
                "payback_month": f'=IF(COUNT({payback})=0,"never",MIN({payback}))',
                "irr": f'=IFERROR((1+{irr})^12-1,"n/a")',
            }
            st.put(
                ws,
                r,
                IRR_NOTE_COLUMN,
                _irr_note(g, o, f"{c['payback_month']}{r}", f"{c['irr']}{r}"),
            )
        for i, (key, _, fmt) in enumerate(DECISION_COLUMNS):
            value = values.get(key)
            if value is not None:
                st.put(
                    ws, r, 1 + i, check_functions(value) if value.startswith("=") else value, fmt
                )
                if fmt is not None:  # "never" and "n/a" line up with the figures
                    ws.cell(row=r, column=1 + i).alignment = Alignment(horizontal="right")


def _irr_note(g: Grid, o: Owner, payback: str, irr: str) -> str:
    """``engine.irr_caveat`` as a formula: its reasons joined by ", ", "" when there are none."""
    quick, small, high, opposite = IRR_REASONS
    investment = f"MAX(0,-MIN({g.span_local(g.row('cumulative_savings', o.key))}))"
    flows = g.span_local(g.row("savings", o.key))
    gross = f'SUMIFS({flows},{flows},">0")'
    reasons = (
        f'IF(COUNT({payback})=1,IF({payback}<={QUICK_PAYBACK_MONTH},", {quick}"&{payback},""),"")'
        f'&IF({investment}<{MIN_INVESTMENT_SHARE:g}*{gross},", {small}","")'
        f'&IF({irr}>{IRR_CEILING:g},", {high}","")'
        f'&IF({irr}*SUM({flows})<0,", {opposite}","")'
    )
    return check_functions(f'=IF(COUNT({irr})=1,MID({reasons},3,999),"")')
