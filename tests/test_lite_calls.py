"""The Excel functions called as xlwings Lite calls them, with the argument shapes Office.js sends:
every range (a single cell too) a 2-D list, an empty cell ``""``, a date a serial number.

xlwings' own Lite dispatch (``xlwings.pro.udfs_officejs``) is under the xlwings PRO / PolyForm
Noncommercial licence, not the BSD licence of the rest of xlwings, so this MIT project does not
run it in its tests; these shapes are what it hands to the functions (issue "Analyst
experience", item 5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bpo_cost import evaluate, example_path, udfs
from bpo_cost.case.io import case_to_pairs, load_case
from tests.test_udfs import ENGINE_CASES, FUNCTIONS, _case_id


def office_js(value: Any) -> Any:
    """An argument as Office.js passes it: a 2-D list; a list is a column; None an empty cell."""
    if isinstance(value, list):
        return [[office_js(v)[0][0]] if not isinstance(v, list) else v for v in value]
    return [["" if value is None else value]]


@pytest.mark.parametrize(("name", "args", "engine"), ENGINE_CASES, ids=map(_case_id, ENGINE_CASES))
def test_every_function_takes_office_js_shapes(name, args, engine):
    shaped = [office_js(a) for a in args]
    assert FUNCTIONS[name](*shaped) == float(engine())


def test_empty_cells_are_the_defaults():
    # BPO_FTE's optional arguments left empty: the model defaults, as with no argument at all
    assert udfs.BPO_FTE([[12000.0]], [[6.0]], [[""]], [[""]], [[""]]) == udfs.BPO_FTE(12000.0, 6.0)


def test_case_range_with_empty_cells_and_a_date_serial():
    case = load_case(example_path("claims_back_office"))
    rows: list[list[Any]] = [["", "", ""]]  # an empty row inside the range
    for key, value in case_to_pairs(case):
        if key == "start":
            value = float((value - dt.date(1899, 12, 30)).days)  # Excel's date serial
        rows.append([key, value, ""])
    expected = evaluate(case).summary()
    assert (
        udfs.BPO_NPV_SAVINGS(rows, [["Offshore IN tiers"]])
        == expected.loc["Offshore IN tiers", "npv_savings"]
    )
    assert (  # an option that pays back: a number on both sides ("never" is the UDF's NaN)
        udfs.BPO_PAYBACK(rows, [["Offshore IN tiers"]])
        == expected.loc["Offshore IN tiers", "payback_month"]
    )
