"""Workbooks of several workloads without LibreOffice: per-workload rows and their input names,
billing groups, Erlang C pools per live workload, the chat concurrency factor as a formula, the
Staffing summary, and read-back. (tests/test_workbook_fidelity.py recalculates them.)"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from bpo_cost import evaluate, load_case
from bpo_cost.case.io import case_from_pairs
from bpo_cost.core.concurrency import CONCURRENCY_FACTORS, concurrency_factor
from bpo_cost.workbook import read_inputs, write_workbook
from bpo_cost.workbook.inputs import inputs_sheet
from bpo_cost.workbook.staffing import concurrency_factor as factor_formula
from tests.multi_workload import back_office, contact_centre, multi_cases


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = write_workbook(contact_centre(), tmp_path_factory.mktemp("wb") / "centre.xlsx")
    return openpyxl.load_workbook(path)


def _rows(ws: Any) -> dict[str, int]:
    """Column A -> row (the first with that key)."""
    out: dict[str, int] = {}
    for r, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1):
        if isinstance(a, str):
            out.setdefault(a, r)
    return out


def _month1(ws: Any, key: str) -> str:
    return str(ws.cell(row=_rows(ws)[key], column=4).value)


def test_each_workload_has_its_rows_and_the_pooled_rows_sum_them(
    centre: openpyxl.Workbook,
) -> None:
    timeline, inhouse = centre["Timeline"], centre["In-house"]
    for name in ("voice", "chat", "email"):
        assert f"volume[{name}]" in _rows(timeline) and f"agent_fte[{name}]" in _rows(inhouse)
        assert f"inhouse.salaries[{name}]" in _rows(inhouse)
    rows = _rows(inhouse)
    pooled = _month1(inhouse, "agent_fte")
    assert pooled == "=" + "+".join(
        f"D{rows[f'agent_fte[{w}]']}" for w in ("voice", "chat", "email")
    )
    assert f"D{rows['agent_fte']}/" in _month1(inhouse, "supervisors")  # supervision pools
    assert _month1(timeline, "seasonality[chat]").startswith("=INDEX(in_workloads_1_seasonality,")


def test_a_workloads_override_replaces_the_in_house_input_only_for_it(
    centre: openpyxl.Workbook,
) -> None:
    inhouse = centre["In-house"]
    assert "in_workloads_1_inhouse_wage_per_hour" in _month1(inhouse, "inhouse.salaries[chat]")
    assert "in_inhouse_wage_per_hour" in _month1(inhouse, "inhouse.salaries[voice]")
    assert "in_workloads_2_inhouse_shrinkage" in _month1(inhouse, "agent_fte[email]")
    assert "in_inhouse_shrinkage" in _month1(inhouse, "agent_fte[voice]")
    assert "in_workloads_2_inhouse_occupancy" not in str(list(centre.defined_names))
    assert "in_inhouse_occupancy" in _month1(inhouse, "staffed_hours[email]")
    staffing = centre["Staffing"]
    sections = [c.value for c in staffing["A"] if str(c.value).startswith("Pool: ")]
    assert sections == [
        "Pool: voice: In-house",
        "Pool: voice: Onshore US",
        "Pool: voice: Nearshore CO",
        "Pool: chat: In-house",
        "Pool: chat: Onshore US",
        "Pool: chat: Nearshore CO",
    ]  # live workloads only, hourly vendors only: Offshore PH prices them per outcome and chat


def test_options_bill_each_group_of_workloads_once(centre: openpyxl.Workbook) -> None:
    onshore, nearshore, offshore = (
        centre[t] for t in ("Onshore US", "Nearshore CO", "Offshore PH")
    )
    # Onshore bills all three together: one FTE count over the summed hours, one minimum
    assert "base_fee" in _rows(onshore) and not any("Billing:" in k for k in _rows(onshore))
    hours = _month1(onshore, "productive_hours")
    assert hours == "=" + "+".join(
        f"D{_rows(onshore)[f'productive_hours[{w}]']}" for w in ("voice", "chat", "email")
    )
    # Nearshore: voice by the option's pricing, chat and email by their lines
    for tag in ("voice", "chat", "email"):
        assert f"vendor.fees[{tag}]" in _rows(nearshore)
    assert "in_options_1_lines_0_pricing_rate" in _month1(nearshore, "base_fee[chat]")
    assert "in_options_1_lines_1_pricing_price" in _month1(nearshore, "base_fee[email]")
    fees = _month1(nearshore, "vendor.fees")
    assert fees.count("+") == 2 and "escalation" not in fees
    # Offshore has no pricing of its own: three lines, painshare on the voice line only
    assert "in_options_2_lines_0_pricing_gainshare_share" in _month1(
        offshore, "vendor.gainshare[voice]"
    )
    assert _month1(offshore, "vendor.gainshare[chat]") == "=0"


@pytest.mark.parametrize("c", [1.0, 1.3, 2.0, 2.6, 3.0, 4.0, 4.5, 5.0])
def test_the_concurrency_formula_is_the_published_table(c: float) -> None:
    """The formula, evaluated here as Python (IF -> conditional), equals the engine's factor;
    at whole numbers it is the published value exactly (docs/methodology.md#staffing)."""
    formula = factor_formula("c")
    while "IF(" in formula:  # innermost first: IF(cond,a,b) -> (a if cond else b)
        start = formula.rindex("IF(")
        depth, parts, last = 0, [], start + 3
        for i in range(start + 3, len(formula)):
            ch = formula[i]
            if ch == "(":
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
            elif ch == ")":
                parts.append(formula[last:i])
                end = i
                break
            elif ch == "," and not depth:
                parts.append(formula[last:i])
                last = i + 1
        cond, yes, no = parts
        formula = f"{formula[:start]}(({yes}) if ({cond}) else ({no})){formula[end + 1 :]}"
    got = eval(formula, {"c": c})  # a formula this test module built from the table
    assert got == pytest.approx(concurrency_factor(c), rel=1e-15)
    if c.is_integer():
        assert got == CONCURRENCY_FACTORS[int(c) - 1]


def test_the_staffing_summary_points_at_the_working(centre: openpyxl.Workbook) -> None:
    ws = centre["Staffing summary"]
    keys = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    sections = [k for k in keys if k in ("In-house", "Onshore US", "Nearshore CO", "Offshore PH")]
    assert sections == ["In-house", "Onshore US", "Nearshore CO", "Offshore PH"]
    rows = {k: r for r, k in enumerate(keys, start=1) if k}
    assert ws.cell(row=rows["agents[chat]"], column=4).value.startswith("='Staffing'!D")
    for key in ("supervisors[all]", "seats[all]"):  # pooled on the In-house sheet
        assert ws.cell(row=rows[key], column=4).value.startswith("='In-house'!D")
    assert keys.count("deflected[email]") == 1  # only Offshore PH automates
    # Onshore bills the three workloads together: the minimum applies once, to their sum
    billed = [
        ws.cell(row=r, column=4).value for r, k in enumerate(keys, 1) if k == "billed_fte[all]"
    ]
    assert billed == ["=MAX('Onshore US'!D22,in_options_0_pricing_minimum_billed_per_month)"]


def test_a_case_of_several_workloads_reads_back_as_itself(tmp_path: Path) -> None:
    for make in (contact_centre, back_office):
        path = write_workbook(make(), tmp_path / f"{make.__name__}.xlsx")
        assert load_case(path) == evaluate(make()).case


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=multi_cases())
def test_random_cases_of_several_workloads_read_back_exactly(data: dict[str, Any]) -> None:
    case = load_case(data)
    wb = openpyxl.Workbook()
    inputs_sheet(wb, evaluate(case))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.xlsx"
        wb.save(path)
        assert case_from_pairs(read_inputs(path)) == case


def test_inputs_that_shape_the_sheets_say_so(centre: openpyxl.Workbook) -> None:
    """A line's pricing model, basis and tier mode shape its rows as an option's do; a
    workload's name ties it to its lines: both regenerate (the Summary's structure check)."""
    marked = {
        r[0]
        for r in centre["Inputs"].iter_rows(min_row=5, values_only=True)
        if str(r[4]).endswith("(structural: regenerate)")
    }
    assert {
        "workloads.1.name",
        "options.1.lines.0.workload",
        "options.1.lines.0.pricing.basis",
    } <= marked
    assert "options.2.lines.2.pricing.tier_mode" in marked
    assert not any(k.startswith("workloads.1.real_time") for k in marked)  # live formulas
