"""Build the Excel add-in workbook ``addin/bpo_cost.xlsm`` (no Excel needed).

    python addin/build.py [--output PATH]

1. ``xlwings quickstart --standalone`` (the installed xlwings, run in a temporary folder) makes
   a macro workbook that embeds the xlwings VBA module of exactly that xlwings release; the
   pyproject ``excel`` extra pins the same release.
2. Its ``_xlwings.conf`` sheet becomes ``xlwings.conf`` (active) with ``UDF Modules`` set to
   ``bpo_cost.udfs``.
3. A ``Demo`` sheet calls every ``BPO_*`` function on a worked example, next to the value
   bpo-cost computed at build time; the case functions read the example case from an
   ``Inputs`` sheet written as in a business-case workbook (key/value range ``bpo_case``).

The output is reproducible: the same xlwings, openpyxl and bpo-cost give the same bytes.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from bpo_cost import udfs
from bpo_cost.api import evaluate
from bpo_cost.case.examples import DEFAULT_EXAMPLE, example_path
from bpo_cost.case.io import case_to_pairs, load_case
from bpo_cost.files import atomic_write_bytes, reproducible_zip
from bpo_cost.workbook.inputs import inputs_sheet
from bpo_cost.workbook.writer import APPLICATION

HERE = Path(__file__).resolve().parent
TARGET = HERE / "bpo_cost.xlsm"
UDF_MODULE = "bpo_cost.udfs"
CONF_SHEET = "xlwings.conf"
CASE_RANGE = "bpo_case"  # the defined name of the Inputs sheet's key/value columns
MODIFIED = (
    "2020-01-01T00:00:00Z"  # the workbook's "modified" property: fixed, so a rebuild is identical
)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Example:
    """One worked call on the Demo sheet: a function and the value of each of its arguments."""

    function: str
    title: str
    args: dict[str, Any]  # argument name -> a value, or a list of values for a range


EXAMPLES = (
    Example(
        "BPO_FTE",
        "back-office FTE (12,000 invoices a month at 6 minutes)",
        {
            "volume_per_month": 12000,
            "handle_minutes": 6,
            "shrinkage": 0.25,
            "occupancy": 0.85,
            "paid_hours_per_year": 2080,
        },
    ),
    Example(
        "BPO_ERLANG_AGENTS",
        "agents for 100 calls in 30 minutes, 80% within 20 s",
        {
            "volume": 100,
            "handle_seconds": 180,
            "service_level_target": 0.8,
            "answer_seconds": 20,
            "interval_minutes": 30,
            "occupancy": 0.85,
        },
    ),
    Example(
        "BPO_SERVICE_LEVEL",
        "service level with 14 agents",
        {
            "agents": 14,
            "volume": 100,
            "handle_seconds": 180,
            "answer_seconds": 20,
            "interval_minutes": 30,
        },
    ),
    Example(
        "BPO_LOADED_COST",
        "fully loaded monthly cost of a $20/h agent",
        {
            "wage_per_hour": 20,
            "benefits_load": 0.25,
            "payroll_tax": 0.0765,
            "paid_hours_per_year": 2080,
            "supervision_span": 12,
            "supervisor_wage_per_hour": 28,
            "facilities_per_seat_month": 300,
            "it_per_seat_month": 150,
            "attrition_per_year": 0.35,
            "cost_per_hire": 4000,
            "training_per_hire": 3000,
        },
    ),
    Example(
        "BPO_HOURLY_FEE",
        "1,500 hours at $12.50 with a 1,600-hour minimum",
        {"billed_units": 1500, "hourly_rate": 12.5, "minimum_billed": 1600},
    ),
    Example(
        "BPO_TIERED_FEE",
        "15,000 transactions in incremental volume bands (last up_to left empty)",
        {
            "volume": 15000,
            "up_to": [10000, 50000, None],
            "prices": [2.0, 1.5, 1.2],
            "tier_mode": "incremental",
            "minimum_volume": 0,
        },
    ),
    Example(
        "BPO_COLLAR_FEE",
        "12,000 units against a 10,000 baseline with a 10% dead band",
        {
            "volume": 12000,
            "base_fee": 50000,
            "baseline_volume": 10000,
            "arc": 4,
            "rrc": 3,
            "dead_band": 0.1,
        },
    ),
    Example(
        "BPO_OUTCOME_FEE",
        "2,000 tickets, 80% resolved at $25, $5,000 base fee",
        {"volume": 2000, "price_per_outcome": 25, "outcome_rate": 0.8, "base_fee": 5000},
    ),
    Example(
        "BPO_GAINSHARE",
        "half of $20,000 savings, capped at $8,000",
        {
            "baseline_cost": 100000,
            "actual_cost": 80000,
            "share": 0.5,
            "cap": 8000,
            "painshare": False,
        },
    ),
    Example(
        "BPO_SERVICE_CREDIT",
        "a quarter of a 10% at-risk pool paid out",
        {"invoice": 100000, "expected_breach_share": 0.25, "at_risk_share": 0.1},
    ),
    Example(
        "BPO_FX_FACTOR",
        "a rupee price a year on, the rupee 12% weaker, 5% band shared 50/50",
        {
            "contract_month": 13,
            "drift_per_year": -0.12,
            "clause": "band",
            "band": 0.05,
            "client_share": 0.5,
        },
    ),
    Example(
        "BPO_ESCALATE",
        "a $10 price in month 25: 3% COLA capped at 5%, 2% productivity",
        {
            "price": 10,
            "contract_month": 25,
            "cola_per_year": 0.03,
            "cap_per_year": 0.05,
            "productivity_per_year": 0.02,
        },
    ),
    Example(
        "BPO_RATE",
        "typical offshore (PH) voice billing rate per hour",
        {
            "function_id": "customer_service_voice",
            "location": "PH",
            "card": "billing_hourly",
            "statistic": "typical",
            "unit": None,
            "at_date": None,
        },
    ),
)

CHECK = (
    '=IFERROR(IF(AND(ISNUMBER({b}),ISNUMBER({c})),IF(ABS({b}-{c})<=1E-9*MAX(1,ABS({c})),"OK",'
    '"DIFFERENT"),IF({b}={c},"OK","DIFFERENT")),"not calculated: run ImportPythonUDFs")'
)


def quickstart_template(folder: Path) -> Path:
    """Run ``xlwings quickstart --standalone`` in ``folder``; return the workbook it made."""
    subprocess.run(
        [sys.executable, "-m", "xlwings.cli", "quickstart", "bpo_cost_addin", "--standalone"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return folder / "bpo_cost_addin" / "bpo_cost_addin.xlsm"


def _call(function: str, *args: Any) -> Any:
    return getattr(udfs, function)(*args)


def _result_row(ws: Worksheet, row: int, formula: str, expected: Any) -> None:
    ws.cell(row, 1, "result").font = BOLD
    ws.cell(row, 2, formula)
    if isinstance(expected, float):
        # 12 significant digits: the check allows 1e-9, and the file is then the same whatever
        # the numpy version's round-off in the last digits
        expected = float(f"{expected:.12g}")
    ws.cell(row, 3, expected)
    ws.cell(row, 4, CHECK.format(b=f"B{row}", c=f"C{row}"))


def write_demo(ws: Worksheet, inputs_ref: str, pairs: list[list[Any]], option: str) -> None:
    """The Demo sheet: each example's arguments, the formula, the expected value, a check."""
    ws["A1"] = "bpo-cost Excel functions: a worked example"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "Every result shows #NAME? until you run the macro ImportPythonUDFs once "
        "(Alt+F8), then recalculate with Ctrl+Alt+Shift+F9. Change any value in column B."
    )
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "argument", "value", "expected (bpo-cost)", "check"
    for cell in ws[4]:
        cell.font = BOLD
    row = 6
    for ex in EXAMPLES:
        ws.cell(row, 1, f"{ex.function}: {ex.title}").font = BOLD
        refs = []
        for name, value in ex.args.items():
            row += 1
            ws.cell(row, 1, name)
            values = value if isinstance(value, list) else [value]
            for col, v in enumerate(values, start=2):
                ws.cell(row, col, v)
            last = get_column_letter(1 + len(values))
            refs.append(f"B{row}" if len(values) == 1 else f"B{row}:{last}{row}")
        row += 1
        _result_row(
            ws, row, f"={ex.function}({','.join(refs)})", _call(ex.function, *ex.args.values())
        )
        row += 2

    ws.cell(
        row, 1, f"Business case: the key/value columns of the Inputs sheet ({inputs_ref})"
    ).font = BOLD
    row += 1
    ws.cell(row, 1, "owner")
    ws.cell(row, 2, option)
    option_ref = f"B{row}"
    for function in ("BPO_PAYBACK", "BPO_NPV_SAVINGS"):
        row += 1
        _result_row(
            ws, row, f"={function}({inputs_ref},{option_ref})", _call(function, pairs, option)
        )
        ws.cell(row, 1, function).font = BOLD
    for function, args in (
        ("BPO_SUMMARY", (inputs_ref,)),
        ("BPO_TCO", (inputs_ref, option_ref)),
        ("BPO_STAFFING", (inputs_ref, option_ref)),
    ):
        row += 2
        ws.cell(
            row,
            1,
            f"{function}: spills a table (an array formula here; in Excel 365 "
            "you can also type it in one cell)",
        ).font = BOLD
        row += 1
        values = [pairs, option][: len(args)]
        table = _call(function, *values)
        area = f"A{row}:{get_column_letter(len(table[0]))}{row + len(table) - 1}"
        ws[f"A{row}"] = ArrayFormula(area, f"={function}({','.join(args)})")
        row += len(table)
    ws.column_dimensions["A"].width = 30
    for letter in "BCD":
        ws.column_dimensions[letter].width = 22


def configure(template: Path) -> openpyxl.Workbook:
    """The template with our settings, Demo and Inputs sheets."""
    wb = openpyxl.load_workbook(template, keep_vba=True)
    conf = wb["_xlwings.conf"]
    conf.title = CONF_SHEET
    udf_row = next(r for r in range(1, conf.max_row + 1) if conf.cell(r, 1).value == "UDF Modules")
    conf.cell(udf_row, 2, UDF_MODULE)

    result = evaluate(load_case(example_path(DEFAULT_EXAMPLE)))
    inputs = inputs_sheet(wb, result)  # as in a business-case workbook, with the name bpo_case
    wb.move_sheet(inputs, offset=1 - wb.index(inputs))
    pairs = [list(p) for p in case_to_pairs(result.case)]
    option = str(result.summary().drop(index="inhouse")["npv_savings"].idxmax())

    demo = wb.worksheets[0]
    demo.title = "Demo"
    write_demo(demo, CASE_RANGE, pairs, option)
    wb.active = 0
    wb.properties.creator = wb.properties.lastModifiedBy = "bpo-cost"
    return wb


def build(target: Path = TARGET) -> Path:
    """Build the add-in workbook at ``target``."""
    with tempfile.TemporaryDirectory() as tmp:
        wb = configure(quickstart_template(Path(tmp)))
        buffer = io.BytesIO()
        wb.save(buffer)
    return atomic_write_bytes(
        target, reproducible_zip(buffer.getvalue(), modified=MODIFIED, application=APPLICATION)
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET, help="where to write the .xlsm")
    print(build(parser.parse_args(argv).output))


if __name__ == "__main__":
    main()
