"""bpo_cost.core.finance against LibreOffice Calc's NPV, XNPV, IRR, XIRR, PMT, PV and FV.

One workbook holds every case as a live formula; headless LibreOffice recalculates it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from bpo_cost.core.finance import fv, irr, monthly_rate, npv, pmt, pv, xirr, xnpv

pytestmark = pytest.mark.libreoffice

CLOSED = 1e-12  # relative, closed forms
ROOT = 1e-8  # absolute, IRR / XIRR

MS_FLOWS = [-10_000.0, 2_750.0, 4_250.0, 3_250.0, 2_750.0]  # Microsoft's XNPV/XIRR example
MS_DATES = [
    dt.date(2008, 1, 1),
    dt.date(2008, 3, 1),
    dt.date(2008, 10, 30),
    dt.date(2009, 2, 15),
    dt.date(2009, 4, 1),
]
# A 60-month outsourcing decision: six months of transition cost, then growing savings.
MONTHLY = [-40_000.0] * 6 + [4_000.0 + 150.0 * t for t in range(54)]
MONTH_STARTS = [dt.date(2025 + m // 12, m % 12 + 1, 1) for m in range(60)]
THREE_ROOTS = [-1_000.0, 3_900.0, -4_992.5, 2_100.0]  # IRRs 5%, 25%, 60% by construction
FAR_ROOTS = [-1_000.0, 4_070.0, -5_296.0, 2_228.7]  # IRRs 2%, 15%, 90% by construction


@dataclass(frozen=True)
class Case:
    name: str
    formula: str  # {v} and {d}: the ranges holding values and dates
    ours: Callable[[Sequence[float], Sequence[dt.date]], float]
    values: Sequence[float] = ()
    dates: Sequence[dt.date] = ()
    root: bool = False
    # LibreOffice's Newton fails here (Excel: #NUM!); ours falls back to the root of this case.
    fallback_to: str | None = None


CASES = [
    Case("npv-ms", "NPV(0.1,{v})", lambda v, d: npv(0.1, v), [-10_000, 3_000, 4_200, 6_800]),
    Case(
        "npv-monthly",
        "NPV((1+0.08)^(1/12)-1,{v})",
        lambda v, d: npv(monthly_rate(0.08), v),
        MONTHLY,
    ),
    Case("npv-negative-rate", "NPV(-0.05,{v})", lambda v, d: npv(-0.05, v), MONTHLY),
    Case("xnpv-ms", "XNPV(0.09,{v},{d})", lambda v, d: xnpv(0.09, v, d), MS_FLOWS, MS_DATES),
    Case(
        "xnpv-monthly", "XNPV(0.08,{v},{d})", lambda v, d: xnpv(0.08, v, d), MONTHLY, MONTH_STARTS
    ),
    Case(
        "irr-ms",
        "IRR({v},0.1)",
        lambda v, d: irr(v, guess=0.1),
        [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000],
        root=True,
    ),
    Case(
        "irr-ms-2y",
        "IRR({v},-0.1)",
        lambda v, d: irr(v, guess=-0.1),
        [-70_000, 12_000, 15_000],
        root=True,
    ),
    Case("irr-monthly", "IRR({v},0.01)", lambda v, d: irr(v, guess=0.01), MONTHLY, root=True),
    Case(
        "irr-monthly-guess-0.1",
        "IRR({v},0.1)",
        lambda v, d: irr(v, guess=0.1),
        MONTHLY,
        root=True,
        fallback_to="irr-monthly",
    ),
    *[
        Case(
            f"irr-three-roots-guess-{g}",
            f"IRR({{v}},{g})",
            lambda v, d, g=g: irr(v, guess=g),
            THREE_ROOTS,
            root=True,
        )
        for g in (0.0, 0.3, 0.8)
    ],
    *[
        Case(
            f"irr-far-roots-guess-{g}",
            f"IRR({{v}},{g})",
            lambda v, d, g=g: irr(v, guess=g),
            FAR_ROOTS,
            root=True,
        )
        for g in (0.0, 0.1, 1.0)
    ],
    Case(
        "xirr-ms",
        "XIRR({v},{d},0.1)",
        lambda v, d: xirr(v, d, guess=0.1),
        MS_FLOWS,
        MS_DATES,
        root=True,
    ),
    Case(
        "xirr-monthly",
        "XIRR({v},{d},0.1)",
        lambda v, d: xirr(v, d, guess=0.1),
        MONTHLY,
        MONTH_STARTS,
        root=True,
    ),
    Case("pmt", "PMT(0.08/12,10,10000)", lambda v, d: pmt(0.08 / 12, 10, 10_000)),
    Case(
        "pmt-begin-fv",
        "PMT(0.05,36,-25000,5000,1)",
        lambda v, d: pmt(0.05, 36, -25_000, 5_000, at_beginning=True),
    ),
    Case("pmt-zero-rate", "PMT(0,24,12000,-1000)", lambda v, d: pmt(0.0, 24, 12_000, -1_000)),
    Case("pv", "PV(0.08/12,240,500)", lambda v, d: pv(0.08 / 12, 240, 500)),
    Case(
        "pv-begin-fv",
        "PV(0.004,60,-1200,10000,1)",
        lambda v, d: pv(0.004, 60, -1_200, 10_000, at_beginning=True),
    ),
    Case("pv-zero-rate", "PV(0,12,-100,50)", lambda v, d: pv(0.0, 12, -100, 50)),
    Case(
        "fv",
        "FV(0.06/12,10,-200,-500,1)",
        lambda v, d: fv(0.06 / 12, 10, -200, -500, at_beginning=True),
    ),
    Case("fv-negative-rate", "FV(-0.01,48,300,-2000)", lambda v, d: fv(-0.01, 48, 300, -2_000)),
    Case("fv-zero-rate", "FV(0,12,-100)", lambda v, d: fv(0.0, 12, -100)),
]


@pytest.fixture(scope="module")
def calc(
    recalc: Callable[[Sequence[Path]], list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    """Every case's formula, recalculated by LibreOffice: name -> cached value."""
    wb = openpyxl.Workbook()
    out = wb.active
    out.title = "Results"
    data = wb.create_sheet("Data")
    column = 1
    for row, case in enumerate(CASES, start=1):
        ranges = {}
        for key, series in (("v", case.values), ("d", case.dates)):
            if series:
                letter = get_column_letter(column)
                for i, item in enumerate(series, start=1):
                    data.cell(row=i, column=column, value=item)
                ranges[key] = f"Data!${letter}$1:${letter}${len(series)}"
                column += 1
        out.cell(row=row, column=1, value=case.name)
        out.cell(row=row, column=2, value="=" + case.formula.format(**ranges))
    path = tmp_path_factory.mktemp("finance-lo") / "finance_cases.xlsx"
    wb.save(path)
    (done,) = recalc([path])
    sheet = openpyxl.load_workbook(done, data_only=True)["Results"]
    return {
        str(name): value for name, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True)
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_agrees_with_libreoffice(case: Case, calc: dict[str, object]) -> None:
    theirs = calc[case.name]
    ours = case.ours(case.values, case.dates)
    if case.fallback_to:
        assert isinstance(theirs, str) and theirs.startswith("#"), theirs
        theirs = calc[case.fallback_to]
    assert isinstance(theirs, float | int), f"LibreOffice gave {theirs!r}"
    if case.root:
        assert ours == pytest.approx(theirs, abs=ROOT)
    else:
        assert ours == pytest.approx(theirs, rel=CLOSED)
