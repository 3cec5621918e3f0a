"""The Excel functions: Excel-shaped arguments, engine results, cell error texts, metadata, and
xlwings' own Windows machinery (argument conversion, VBA wrappers, function-wizard help) run on
Linux with stand-ins for the COM modules."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import importlib.util
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st

from bpo_cost import udfs
from bpo_cost.api import evaluate, resolve_rates
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import case_to_pairs, load_case
from bpo_cost.case.models import InHouse
from bpo_cost.core import pricing, staffing
from bpo_cost.engine.compile import compile_case
from bpo_cost.engine.components import INHOUSE_COMPONENTS, option_keys
from bpo_cost.engine.inhouse import agent_fte, inhouse_components, loaded_cost_per_fte_month
from bpo_cost.engine.scope import whole_scope
from bpo_cost.errors import InputError
from bpo_cost.excel import functions as excel_functions
from bpo_cost.excel.convert import as_date, as_number, as_pairs, error_text
from bpo_cost.rates.cards import load_cards

FUNCTIONS = {name: getattr(udfs, name) for name in udfs.__all__ if name.startswith("BPO_")}


def excel_rows(pairs: list[tuple[str, Any]]) -> list[list[Any]]:
    """A case as Excel would pass its key/value range: rows of two cells, dates as datetimes."""
    return [
        [k, dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v] for k, v in pairs
    ]


# ------------------------------------------------------------------ Excel-shaped calls vs engine

IH = {k: f.default for k, f in InHouse.model_fields.items()}

# (function, Excel-shaped arguments, the engine call it must equal)
ENGINE_CASES: list[tuple[str, tuple[Any, ...], Callable[[], Any]]] = [
    (
        "BPO_FTE",
        (12000.0, 6.0, 0.25, 0.85, 2080.0),
        lambda: staffing.workload_fte(
            12000, 6, paid_hours_per_month=2080 / 12, shrinkage=0.25, occupancy=0.85
        ),
    ),
    (
        "BPO_FTE",
        ("12000", [[6.0]], None, None, None),
        lambda: staffing.workload_fte(
            12000,
            6,
            paid_hours_per_month=IH["paid_hours_per_year"] / 12,
            shrinkage=IH["shrinkage"],
            occupancy=IH["occupancy"],
        ),
    ),
    (
        "BPO_ERLANG_AGENTS",
        (100.0, 180.0, 0.8, 20.0, 30.0, 0.85),
        lambda: staffing.required_agents(
            100, 180, 30, service_level_target=0.8, answer_seconds=20, occupancy=0.85
        ),
    ),
    (
        "BPO_ERLANG_AGENTS",
        (250.0, "300", None, None, 15.0, None),
        lambda: staffing.required_agents(250, 300, 15, service_level_target=0.8, answer_seconds=20),
    ),
    (
        "BPO_SERVICE_LEVEL",
        (14.0, 100.0, 180.0, 20.0, 30.0),
        lambda: staffing.service_level(14, 100, 180, 30, answer_seconds=20),
    ),
    (
        "BPO_SERVICE_LEVEL",
        ([14.0], 100.0, 180.0, "10", None),
        lambda: staffing.service_level(14, 100, 180, 30, answer_seconds=10),
    ),
    (
        "BPO_LOADED_COST",
        (22.5, 0.3, "7.65%", 1950.0, 10.0, 30.0, 250.0, 120.0, 0.4, 3000.0, 2500.0),
        lambda: loaded_cost_per_fte_month(
            22.5,
            paid_hours_per_year=1950,
            benefits_load=0.3,
            payroll_tax=0.0765,
            supervision_span=10,
            supervisor_wage_per_hour=30,
            facilities_per_seat_month=250,
            it_per_seat_month=120,
            attrition_per_year=0.4,
            cost_per_hire=3000,
            training_per_hire=2500,
        ),
    ),
    ("BPO_HOURLY_FEE", (1500.0, 12.5, None), lambda: pricing.hourly_fee(1500, 12.5)),
    (
        "BPO_TIERED_FEE",
        (15000.0, [[10000.0], [50000.0], [None]], [[2.0], [1.5], [1.2]], None, None),
        lambda: pricing.tiered_fee(15000, [10000, 50000], [2.0, 1.5, 1.2]),
    ),
    (
        "BPO_TIERED_FEE",
        (60000.0, [10000.0, 50000.0], [2.0, 1.5, 1.2], "Incremental", 70000.0),
        lambda: pricing.tiered_fee(
            60000, [10000, 50000], [2.0, 1.5, 1.2], tier_mode="incremental", minimum_volume=70000
        ),
    ),
    (
        "BPO_COLLAR_FEE",
        (8000.0, 50000.0, 10000.0, 4.0, 3.0, None),
        lambda: pricing.collar_fee(
            8000, base_fee=50000, baseline_volume=10000, dead_band=0.1, arc=4, rrc=3
        ),
    ),
    (
        "BPO_OUTCOME_FEE",
        (2000.0, 25.0, 0.8, 5000.0),
        lambda: pricing.outcome_fee(2000, price_per_outcome=25, outcome_rate=0.8, base_fee=5000),
    ),
    (
        "BPO_GAINSHARE",
        (100000.0, 110000.0, 0.5, None, True),
        lambda: pricing.gainshare(100000, 110000, share=0.5, painshare=True),
    ),
    (
        "BPO_GAINSHARE",
        (100000.0, 70000.0, None, 8000.0, "FALSE"),
        lambda: pricing.gainshare(100000, 70000, share=0.5, cap=8000),
    ),
    (
        "BPO_SERVICE_CREDIT",
        (100000.0, 0.25, None),
        lambda: pricing.service_credit(100000, at_risk_share=0.1, expected_breach_share=0.25),
    ),
    (
        "BPO_ESCALATE",
        (10.0, 25.0, 0.03, 0.05, 0.02),
        lambda: (
            10
            * pricing.escalation_index(
                25, cola_per_year=0.03, cap_per_year=0.05, productivity_per_year=0.02
            )
        ),
    ),
    (
        "BPO_ESCALATE",
        (10.0, 37.0, 0.06, "4%", None),
        lambda: 10 * pricing.escalation_index(37, cola_per_year=0.06, cap_per_year=0.04),
    ),
    (
        "BPO_RATE",
        ("customer_service_voice", "PH", None, None, None, None),
        lambda: (
            load_cards()
            .lookup(
                card="billing_hourly",
                function="customer_service_voice",
                location="PH",
                statistic="typical",
            )
            .value
        ),
    ),
    (
        "BPO_RATE",
        ("payroll", "pl", "Wage", "high", None, dt.datetime(2027, 1, 1)),
        lambda: (
            load_cards()
            .resolve(
                {"card": "wage", "function": "payroll", "location": "PL", "statistic": "high"},
                to=dt.date(2027, 1, 1),
            )
            .value
        ),
    ),
    (
        "BPO_RATE",
        ("payroll", "US", "per_transaction", "low", None, 46388.0),
        lambda: (
            load_cards()
            .resolve(
                {
                    "card": "per_transaction",
                    "function": "payroll",
                    "location": "US",
                    "statistic": "low",
                },
                to=dt.date(2027, 1, 1),
            )
            .value
        ),
    ),
]


def _case_id(case: tuple[str, tuple[Any, ...], Any]) -> str:
    return f"{case[0]}{tuple(case[1])}"[:60]


@pytest.mark.parametrize(("name", "args", "engine"), ENGINE_CASES, ids=map(_case_id, ENGINE_CASES))
def test_udf_equals_engine(name: str, args: tuple[Any, ...], engine: Callable[[], Any]) -> None:
    result = FUNCTIONS[name](*args)
    assert result == float(engine())
    assert type(result) is float  # a plain float, never a numpy scalar


def test_every_function_has_an_engine_case() -> None:
    case_functions = {"BPO_SUMMARY", "BPO_TCO", "BPO_STAFFING", "BPO_PAYBACK", "BPO_NPV_SAVINGS"}
    assert {c[0] for c in ENGINE_CASES} | case_functions == set(FUNCTIONS)


# Independent hand calculations, written out.
HAND_CASES = [
    # all units: 15,000 x 1.50 (the band above 10,000)
    ("BPO_TIERED_FEE", (15000.0, [10000.0], [2.0, 1.5]), 15000 * 1.5),
    # incremental: 10,000 x 2.00 + 5,000 x 1.50
    ("BPO_TIERED_FEE", (15000.0, [10000.0], [2.0, 1.5], "incremental"), 10000 * 2 + 5000 * 1.5),
    # above the band: 50,000 + 4 x (12,000 - 11,000); below: 50,000 - 3 x (9,000 - 8,000)
    ("BPO_COLLAR_FEE", (12000.0, 50000.0, 10000.0, 4.0, 3.0, 0.1), 50000 + 4 * 1000),
    ("BPO_COLLAR_FEE", (8000.0, 50000.0, 10000.0, 4.0, 3.0, 0.1), 50000 - 3 * 1000),
    # 12.50 x max(1,500, 1,600)
    ("BPO_HOURLY_FEE", (1500.0, 12.5, 1600.0), 12.5 * 1600),
    # 5,000 + 25 x 2,000 x 80%
    ("BPO_OUTCOME_FEE", (2000.0, 25.0, 0.8, 5000.0), 5000 + 25 * 2000 * 0.8),
    # half of 20,000 saved is 10,000, capped at 8,000
    ("BPO_GAINSHARE", (100000.0, 80000.0, 0.5, 8000.0), 8000.0),
    # 100,000 x 10% at risk x 25% paid out
    ("BPO_SERVICE_CREDIT", (100000.0, 0.25, 0.1), 100000 * 0.1 * 0.25),
    # month 25 is contract year 2: 10 x 1.03^2 x 0.98^2
    ("BPO_ESCALATE", (10.0, 25.0, 0.03, 0.05, 0.02), 10 * 1.03**2 * 0.98**2),
    # 12,000 x 6 min = 1,200 h; an FTE works 2,080 / 12 x 0.75 x 0.85 = 110.5 h
    ("BPO_FTE", (12000.0, 6.0, 0.25, 0.85, 2080.0), 1200 / 110.5),
    # $20/h, 173.33 h a month, load 1.3265: salary+on-costs 4,598.53; 1/12 of a $28/h supervisor
    # 536.50; 13/12 seats x 450 = 487.50; 35% / 12 x (4,000 + 3,000) = 204.17
    (
        "BPO_LOADED_COST",
        (20.0,),
        20 * 2080 / 12 * 1.3265 + 28 * 2080 / 12 * 1.3265 / 12 + 13 / 12 * 450 + 0.35 / 12 * 7000,
    ),
    # rates/billing_hourly.csv: PH customer service 8-12 USD/h (ATSOutsource), typical 10
    ("BPO_RATE", ("customer_service_voice", "PH"), 10.0),
]


@pytest.mark.parametrize(("name", "args", "expected"), HAND_CASES, ids=map(_case_id, HAND_CASES))
def test_udf_against_hand_calculation(name: str, args: tuple[Any, ...], expected: float) -> None:
    assert FUNCTIONS[name](*args) == pytest.approx(expected, rel=1e-12)


def test_loaded_cost_is_the_engines_inhouse_cost_per_fte() -> None:
    """Month 1 in-house cost of a case without fixed roles or costs = FTE x loaded cost."""
    case, _ = resolve_rates(load_case(example_path("payroll")))
    case = case.model_copy(
        update={
            "inhouse": case.inhouse.model_copy(
                update={"other_roles": [], "fixed_costs_per_month": 0.0}
            )
        }
    )
    p = compile_case(case)
    volume = np.full((1, 1), case.workload.volume_per_month)
    one = np.ones((1, 1))
    month_one = sum(v[0, 0] for v in inhouse_components(p, volume, one, one).values())
    ih = case.inhouse
    args = (
        ih.wage_per_hour,
        ih.benefits_load,
        ih.payroll_tax,
        ih.paid_hours_per_year,
        ih.supervision_span,
        ih.supervisor_wage_per_hour,
        ih.facilities_per_seat_month,
        ih.it_per_seat_month,
        ih.attrition_per_year,
        ih.cost_per_hire,
        ih.training_per_hire,
    )
    fte = agent_fte(p.workload, p.inhouse, volume)
    assert udfs.BPO_LOADED_COST(*args) * fte[0, 0] == pytest.approx(month_one, rel=1e-12)


# ------------------------------------------------------------------------------ case functions


@pytest.fixture(scope="module", params=example_names())
def example(request: pytest.FixtureRequest) -> tuple[list[list[Any]], Any]:
    case = load_case(example_path(request.param))
    return excel_rows(case_to_pairs(case)), evaluate(case)


def test_summary_spills_the_engines_summary(example: tuple[list[list[Any]], Any]) -> None:
    rows, result = example
    table = udfs.BPO_SUMMARY(rows)
    frame = result.summary()
    assert table[0] == ["owner", *frame.columns]
    assert [r[0] for r in table[1:]] == result.owners
    for row, (_, expected) in zip(table[1:], frame.iterrows(), strict=True):
        for got, want in zip(row[1:], expected, strict=True):
            if isinstance(want, float) and np.isnan(want):
                assert got in ("", "never")  # undefined IRR / no payback within the term
            else:
                assert got == want


def test_tco_spills_the_engines_monthly_components(example: tuple[list[list[Any]], Any]) -> None:
    rows, result = example
    for owner in result.owners:
        table = udfs.BPO_TCO(rows, owner.upper())  # option names match in any letter case
        options = {o.name: o for o in result.case.options}
        p = compile_case(result.case)
        keeps = {o.name: not whole_scope(p, o) for o in p.options}  # partial scope or waves
        names = (
            INHOUSE_COMPONENTS
            if owner == "inhouse"
            else option_keys(options[owner], keeps_work=keeps[owner])
        )
        assert table[0] == ["month", *names, "total"]
        values = np.array(table[1:], dtype=float)
        assert values[:, 0].tolist() == list(range(1, result.case.term_months + 1))
        monthly = result.monthly()[owner]
        np.testing.assert_array_equal(values[:, 1:-1], monthly[list(names)].to_numpy())
        np.testing.assert_array_equal(values[:, -1], result.totals()[owner].to_numpy())


def test_payback_and_npv_savings_are_the_engines(example: tuple[list[list[Any]], Any]) -> None:
    rows, result = example
    s = result.summary()
    for option in result.owners[1:]:
        payback = s.loc[option, "payback_month"]
        assert udfs.BPO_PAYBACK(rows, option) == ("never" if np.isnan(payback) else payback)
        assert udfs.BPO_NPV_SAVINGS(rows, option) == s.loc[option, "npv_savings"]


def test_inputs_as_excel_sends_them() -> None:
    """Blank and title rows, a third column, numbers as text, the start date as a serial."""
    case = load_case(example_path("payroll"))
    rows: list[list[Any]] = [["Workload", None, "a section title"], [None, None, None]]
    for key, value in case_to_pairs(case):
        if key == "start":
            value = float((value - dt.date(1899, 12, 30)).days)  # what xlwings Lite sends
        elif isinstance(value, float):
            value = repr(value)  # typed as text
        rows.append([key, value, "note"])
    expected = evaluate(case).summary()
    assert udfs.BPO_NPV_SAVINGS(rows, "Onshore US") == expected.loc["Onshore US", "npv_savings"]
    assert as_pairs("inputs", ["term_months", 36.0]) == (("term_months", 36.0),)


# ---------------------------------------------------------------------------------- error texts

ERROR_CASES = [
    ("BPO_FTE", (12000.0, 6.0, 1.2), "shrinkage must be a number >= 0 and < 1: got 1.2"),
    (
        "BPO_FTE",
        (12000.0, 6.0, 0.25, 0.85, -5.0),
        "paid_hours_per_year must be a number > 0: got -5.0",
    ),
    ("BPO_FTE", ("twelve", 6.0), "volume_per_month must be a number: got 'twelve'"),
    ("BPO_FTE", (None, 6.0), "volume_per_month must be a number: got an empty cell"),
    (
        "BPO_FTE",
        ([[1.0, 2.0]], 6.0),
        "volume_per_month must be a single cell: got a range of 2 cells",
    ),
    ("BPO_FTE", (True, 6.0), "volume_per_month must be a number: got True"),
    (
        "BPO_ERLANG_AGENTS",
        (100.0, 180.0, 1.5),
        "service_level_target must be a number > 0 and < 1: got 1.5",
    ),
    (
        "BPO_SERVICE_LEVEL",
        (13.5, 100.0, 180.0),
        "agents must be a whole number >= 0 and <= 2,000,000: got 13.5",
    ),
    (
        "BPO_SERVICE_LEVEL",
        (1e7, 100.0, 180.0),
        "agents must be a whole number >= 0 and <= 2,000,000: got 10000000.0",
    ),
    (
        "BPO_ERLANG_AGENTS",
        (1e12, 180.0),
        "offered load (volume x handle time / interval) must be at most "
        "1,000,000 Erlangs per interval: got 100000000000.0",
    ),
    ("BPO_LOADED_COST", (20.0, -0.1), "benefits_load must be a number >= 0: got -0.1"),
    (
        "BPO_TIERED_FEE",
        (1.0, [5.0], [3.0]),
        "prices must be one price per band: 2, one more than up_to: got 1",
    ),
    (
        "BPO_TIERED_FEE",
        (1.0, [5.0], [3.0, 1.0], "tiered"),
        "tier_mode must be one of all_units, incremental: got 'tiered'",
    ),
    (
        "BPO_TIERED_FEE",
        (1.0, [[5.0, 6.0], [7.0, 8.0]], [3.0]),
        "up_to must be one row or one column: got a 2 x 2 range",
    ),
    (
        "BPO_TIERED_FEE",
        (1.0, [5.0, None, 6.0], [3.0, 2.0, 1.0]),
        "up_to cell 2 must be a number: got an empty cell",
    ),
    (
        "BPO_COLLAR_FEE",
        (1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
        "dead_band must be a number >= 0 and < 1: got 1.0",
    ),
    (
        "BPO_GAINSHARE",
        (1.0, 1.0, 0.5, None, "maybe"),
        "painshare must be TRUE or FALSE: got 'maybe'",
    ),
    (
        "BPO_SERVICE_CREDIT",
        (1.0, 2.0),
        "expected_breach_share must be a number >= 0 and <= 1: got 2.0",
    ),
    ("BPO_ESCALATE", (10.0, 0.0, 0.03), "contract_month must be a whole number >= 1: got 0.0"),
    ("BPO_ESCALATE", (10.0, 1.5, 0.03), "contract_month must be a whole number >= 1: got 1.5"),
    (
        "BPO_RATE",
        ("payroll", "US", "fees"),
        "card must be one of billing_hourly, per_transaction, wage: got 'fees'",
    ),
    ("BPO_RATE", ("payroll", "US", None, None, None, "soon"), "at_date must be a date: got 'soon'"),
    (
        "BPO_SUMMARY",
        ([["term_months", 36.0]],),
        "name is required but missing (name of the business case) (and 4 more problems)",
    ),
    (
        "BPO_SUMMARY",
        ([["inputs"]],),
        "inputs must be two columns: key and value: got a range of 1 column",
    ),
    (
        "BPO_SUMMARY",
        ([[None, None]],),
        "inputs must be a range of input keys and values: got an empty cell",
    ),
    (
        "BPO_SUMMARY",
        ([[3.0, 4.0]],),
        "inputs key must be a text such as workload.volume_per_month: got 3.0",
    ),
]


@pytest.mark.parametrize(("name", "args", "message"), ERROR_CASES, ids=map(_case_id, ERROR_CASES))
def test_bad_argument_gives_the_error_text(name: str, args: tuple[Any, ...], message: str) -> None:
    assert FUNCTIONS[name](*args) == f"#VALUE! {message}"


def test_tier_bound_errors() -> None:
    text = udfs.BPO_TIERED_FEE(1.0, [5.0, 2.0], [3.0, 2.0, 1.0])
    assert text.startswith("#VALUE! up_to must be numbers > 0 in strictly increasing order: got [")
    assert "5.0" in text and "2.0" in text


def test_case_errors_name_the_input() -> None:
    rows = excel_rows(case_to_pairs(load_case(example_path("payroll"))))
    bad = [[k, 1.5 if k == "inhouse.shrinkage" else v] for k, v in rows]
    text = udfs.BPO_SUMMARY(bad)
    assert text.startswith("#VALUE! inhouse.shrinkage must be less than 1")
    assert udfs.BPO_TCO(rows, "Offshore") == (
        "#VALUE! owner must be one of inhouse, Nearshore PL, Onshore US: got 'Offshore'"
    )
    assert udfs.BPO_PAYBACK(rows, "inhouse").startswith(
        "#VALUE! owner must be one of Nearshore PL, Onshore US"
    )


def test_error_text_is_one_short_line() -> None:
    long = InputError("x" * 300, 1, "small")
    assert len(error_text(long)) == 255 and error_text(long).endswith("...")
    assert error_text(ValueError("first\nsecond")) == "#VALUE! first"
    assert error_text(KeyError("boom")) == "#VALUE! KeyError: 'boom'"


excel_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "abc", "12", "30%", "TRUE", "all_units", "US", "2027-01-01"]),
)
excel_arg = st.one_of(
    excel_cell,
    st.lists(excel_cell, max_size=3),
    st.lists(st.lists(excel_cell, min_size=1, max_size=2), max_size=2),
)
PRIMITIVES = sorted(set(FUNCTIONS) - {"BPO_SUMMARY", "BPO_TCO", "BPO_PAYBACK", "BPO_NPV_SAVINGS"})


@pytest.mark.parametrize("name", PRIMITIVES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_never_raises_into_excel(name: str, data: st.DataObject) -> None:
    fn = FUNCTIONS[name]
    n = len(inspect.signature(fn).parameters)
    result = fn(*data.draw(st.lists(excel_arg, min_size=n, max_size=n)))
    if isinstance(result, float):
        assert np.isfinite(result)
    else:
        assert isinstance(result, str) and len(result) <= 255
        assert result.startswith(("#VALUE! ", "#NUM! ")) and "Warning" not in result


def test_overflow_shows_as_num() -> None:
    assert udfs.BPO_FTE(1e300, 1e300) == "#NUM! the result is not a finite number"
    assert udfs.BPO_ESCALATE(3e38, 1e9, 1.0) == "#NUM! the result is not a finite number"


def test_excel_values_convert() -> None:
    assert as_number("x", " 1200 ") == 1200.0 and as_number("x", "7.65%") == 0.0765
    # Excel and LibreOffice: =DATE(2027,1,1) is serial 46388; =DATE(1900,3,1) is 61
    assert as_date("d", 46388.0) == dt.date(2027, 1, 1)
    assert as_date("d", 61.0) == dt.date(1900, 3, 1)
    assert as_date("d", dt.datetime(2027, 3, 1, 12)) == dt.date(2027, 3, 1)


# ------------------------------------------------------------------------------------- metadata

SOURCE = Path(excel_functions.__file__).read_text(encoding="utf-8")
DEFS = {
    n.name: n
    for n in ast.parse(SOURCE).body
    if isinstance(n, ast.FunctionDef) and n.name.startswith("BPO_")
}

# VBA keywords and built-in names an argument must not take: xlwings writes the Python argument
# names into a VBA Function declaration.
VBA_RESERVED = {
    "and",
    "as",
    "boolean",
    "byref",
    "byte",
    "byval",
    "call",
    "case",
    "close",
    "const",
    "currency",
    "date",
    "debug",
    "declare",
    "dim",
    "do",
    "double",
    "each",
    "else",
    "elseif",
    "end",
    "enum",
    "eqv",
    "erase",
    "error",
    "event",
    "exit",
    "false",
    "for",
    "friend",
    "function",
    "get",
    "global",
    "gosub",
    "goto",
    "if",
    "imp",
    "implements",
    "in",
    "input",
    "integer",
    "is",
    "let",
    "lib",
    "like",
    "long",
    "loop",
    "lset",
    "me",
    "mod",
    "month",
    "name",
    "new",
    "next",
    "not",
    "nothing",
    "null",
    "object",
    "on",
    "open",
    "option",
    "optional",
    "or",
    "paramarray",
    "preserve",
    "print",
    "private",
    "property",
    "public",
    "put",
    "raiseevent",
    "redim",
    "rem",
    "resume",
    "return",
    "rset",
    "seek",
    "select",
    "set",
    "single",
    "static",
    "step",
    "stop",
    "string",
    "sub",
    "then",
    "time",
    "to",
    "true",
    "type",
    "typeof",
    "until",
    "variant",
    "wend",
    "while",
    "with",
    "withevents",
    "write",
    "xor",
    "year",
    "day",
    "hour",
    "minute",
    "second",
    "rate",
    "val",
    "len",
    "left",
    "right",
    "mid",
    "int",
    "fix",
    "abs",
    "sgn",
    "log",
    "exp",
}


def test_the_module_exports_every_function() -> None:
    assert set(DEFS) == set(FUNCTIONS)
    assert set(udfs.__all__) == set(DEFS) | {"CATEGORY"}


@pytest.mark.parametrize("name", sorted(DEFS))
def test_decorators_func_outermost_then_a_doc_for_every_argument(name: str) -> None:
    node = DEFS[name]
    decorators = node.decorator_list
    first = decorators[0]
    assert isinstance(first, ast.Call) and ast.unparse(first.func) == "func"
    assert ast.unparse(first) == "func(category=CATEGORY)"
    documented = []
    for d in decorators[1:-1]:
        assert isinstance(d, ast.Call) and ast.unparse(d.func) == "arg"
        assert any(k.arg == "doc" for k in d.keywords)
        documented.append(ast.literal_eval(d.args[0]))
    last = decorators[-1]
    assert isinstance(last, ast.Call) and ast.unparse(last.func) == "_cell_function"
    assert documented == [a.arg for a in node.args.args]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_docstring_is_the_wizard_description(name: str) -> None:
    doc = FUNCTIONS[name].__doc__
    assert doc and len(doc) <= 255 and "\n" not in doc and "  " not in doc


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_argument_names_are_safe_in_vba(name: str) -> None:
    params = list(inspect.signature(FUNCTIONS[name]).parameters.values())
    for p in params:
        assert p.name.lower() not in VBA_RESERVED and p.name.isidentifier()
        assert p.kind is p.POSITIONAL_OR_KEYWORD  # xlwings refuses keyword-only arguments
    defaults = [p.default is not p.empty for p in params]
    assert defaults == sorted(defaults)  # VBA: Optional arguments come last


# ------------------------------------------------------- xlwings' Windows path, COM stood in

MISSING = -2147352572  # what pywin32 passes for an omitted Optional VBA argument


class ComTime(dt.datetime):
    """Stands in for pywintypes.TimeType: COM dates are datetime subclasses."""


class ComRange:
    """Stands in for the COM Range object VBA passes when a formula refers to cells."""

    def __init__(self, value: Any) -> None:
        # COM gives a scalar for one cell and a tuple of row tuples for a block
        self.Value = value


class RangeImpl:
    """Stands in for xlwings._xlwindows.Range over a ComRange (only what a UDF call touches)."""

    max_cells_per_read = None

    def __init__(self, xl: Any) -> None:
        self.xl = xl

    @property
    def raw_value(self) -> Any:
        return self.xl.Value

    @property
    def sheet(self) -> Any:  # main.Range.sheet.book.app.engine -> the Windows engine
        return types.SimpleNamespace(
            book=types.SimpleNamespace(
                app=types.SimpleNamespace(pid=0, engine=sys.modules["xlwings._xlwindows"].engine)
            )
        )


def windows_engine_module() -> types.ModuleType:
    """xlwings._xlwindows as far as UDF conversions use it: the real value cleaning code
    (``Engine``, ``_clean_value_data_element``, ...) compiled from xlwings' own source, with
    ``RangeImpl`` in place of the COM Range."""
    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    wanted = {
        "Engine",
        "_clean_value_data_element",
        "_com_time_to_datetime",
        "_datetime_to_com_time",
        "cell_errors",
        "time_types",
    }
    tree = ast.parse(source)
    tree.body = [
        n
        for n in tree.body
        if (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in wanted)
        or (
            isinstance(n, ast.Assign)
            and isinstance(n.targets[0], ast.Name)
            and n.targets[0].id in wanted
        )
    ]
    module = types.ModuleType("xlwings._xlwindows")
    import pandas as pd

    module.__dict__.update(dt=dt, np=np, pd=pd, pywintypes=sys.modules["pywintypes"])
    exec(compile(tree, "xlwings/_xlwindows.py", "exec"), module.__dict__)
    module.__dict__.update(
        engine=module.Engine(), Range=RangeImpl, is_range_instance=lambda x: isinstance(x, ComRange)
    )
    return module


class VBComponents:
    def __init__(self) -> None:
        self.imported = ""

    def __call__(self, name: str) -> str:
        return name

    def Remove(self, component: str) -> None:  # COM method names
        pass

    def Import(self, path: str) -> None:
        self.imported = Path(path).read_text()


class Application:
    Version = "16.0"

    def __init__(self) -> None:
        self.macro_options: dict[str, dict[str, Any]] = {}

    def MacroOptions(self, macro: str, **options: Any) -> None:
        self.macro_options[macro] = options


@pytest.fixture(scope="module")
def windows() -> Iterator[types.SimpleNamespace]:
    """xlwings.udfs (the Windows UDF server side) imported with stand-ins for pywin32, and a
    copy of bpo_cost.udfs decorated by its real ``xlfunc``/``xlarg``."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})  # type: ignore[attr-defined]
    pywintypes.TimeType = ComTime  # type: ignore[attr-defined]
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda obj, **kw: obj  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    win32com.client = client  # type: ignore[attr-defined]
    com_server = types.ModuleType("xlwings.com_server")
    com_server.loop = None  # type: ignore[attr-defined]
    mp = pytest.MonkeyPatch()
    had_udfs = "xlwings.udfs" in sys.modules
    try:
        for name, module in [
            ("pythoncom", pythoncom),
            ("pywintypes", pywintypes),
            ("win32com", win32com),
            ("win32com.client", client),
            ("xlwings.com_server", com_server),
        ]:
            mp.setitem(sys.modules, name, module)
        xlwindows = windows_engine_module()
        mp.setitem(sys.modules, "xlwings._xlwindows", xlwindows)
        mp.setattr(xlwings, "_xlwindows", xlwindows, raising=False)
        engines = xlwings.main.Engines()
        engines.add(xlwings.main.Engine(impl=xlwindows.engine))
        mp.setattr(xlwings, "engines", engines)
        xl_udfs = importlib.import_module("xlwings.udfs")
        mp.setattr(xlwings, "func", xl_udfs.xlfunc)
        mp.setattr(xlwings, "arg", xl_udfs.xlarg)
        mp.setattr(xlwings, "ret", xl_udfs.xlret)
        # the functions module run again under the Windows decorators, as Excel would import it
        spec = importlib.util.spec_from_file_location(
            "bpo_cost.excel._functions_on_windows", excel_functions.__file__
        )
        assert spec and spec.loader
        ours = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ours)
        mp.setitem(
            xl_udfs.udf_modules,
            "bpo_cost.udfs",
            {"module": ours, "filetime": None, "filename": excel_functions.__file__},
        )
        yield types.SimpleNamespace(xl_udfs=xl_udfs, module=ours)
    finally:
        mp.undo()
        if not had_udfs:
            sys.modules.pop("xlwings.udfs", None)
            if hasattr(xlwings, "udfs"):
                delattr(xlwings, "udfs")


def call_udf(windows: types.SimpleNamespace, name: str, *args: Any) -> Any:
    """What the VBA wrapper does: XLPy.CallUDF(module, name, Array(args...), ...)."""
    n = len(windows.module.__dict__[name].__xlfunc__["args"])
    padded = list(args) + [MISSING] * (n - len(args))
    return windows.xl_udfs.call_udf("bpo_cost.udfs", name, tuple(padded), None, None)


def com(value: Any) -> Any:
    """An argument as COM delivers it: lists become a referenced range (rows of cells)."""
    if isinstance(value, list):
        rows = value if value and isinstance(value[0], list) else [[v] for v in value]
        return ComRange(tuple(tuple(r) for r in rows))
    if value is None:
        return ComRange(None)  # a reference to an empty cell
    return value


def test_windows_metadata_category_and_docs(windows: types.SimpleNamespace) -> None:
    for name, plain in FUNCTIONS.items():
        meta = getattr(windows.module, name).__xlfunc__
        # @func outermost: an @arg above it would have reset the category to "xlwings"
        assert meta["category"] == "BPO Cost"
        assert meta["ret"]["doc"] == plain.__doc__
        assert [a["name"] for a in meta["args"]] == list(inspect.signature(plain).parameters)
        for a in meta["args"]:
            assert not a["doc"].startswith("Positional argument") and len(a["doc"]) <= 255
            assert a["options"].get("convert") is Any  # a Cell hint: xlwings' default reader
        ndim = {a["name"]: a["options"].get("ndim") for a in meta["args"]}
        assert ndim.get("inputs", 2) == 2


@pytest.mark.parametrize(("name", "args", "engine"), ENGINE_CASES, ids=map(_case_id, ENGINE_CASES))
def test_windows_call_converts_like_excel(
    windows: types.SimpleNamespace, name: str, args: tuple[Any, ...], engine: Callable[[], Any]
) -> None:
    com_args = [
        ComTime(v.year, v.month, v.day) if isinstance(v, dt.datetime) else com(v) for v in args
    ]
    assert call_udf(windows, name, *com_args) == [[float(engine())]]


def test_windows_call_omitted_arguments_take_defaults(windows: types.SimpleNamespace) -> None:
    assert call_udf(windows, "BPO_FTE", 12000.0, 6.0) == [[udfs.BPO_FTE(12000.0, 6.0)]]
    assert call_udf(windows, "BPO_FTE", 12000.0, 6.0, 1.2) == [
        ["#VALUE! shrinkage must be a number >= 0 and < 1: got 1.2"]
    ]


def test_windows_call_case_functions(windows: types.SimpleNamespace) -> None:
    case = load_case(example_path("payroll"))
    rows = (
        *tuple(
            (k, ComTime(v.year, v.month, v.day) if isinstance(v, dt.date) else v, None)
            for k, v in case_to_pairs(case)
        ),
        (None, None, None),
    )
    inputs = ComRange(rows)
    plain = excel_rows(case_to_pairs(case))
    assert call_udf(windows, "BPO_SUMMARY", inputs) == udfs.BPO_SUMMARY(plain)
    assert call_udf(windows, "BPO_TCO", inputs, "Onshore US") == udfs.BPO_TCO(plain, "Onshore US")
    assert call_udf(windows, "BPO_NPV_SAVINGS", inputs, "Onshore US") == [
        [evaluate(case).summary().loc["Onshore US", "npv_savings"]]
    ]
    one_row = ComRange((("term_months", 36.0),))  # ndim=2 keeps even one row two-dimensional
    first = call_udf(windows, "BPO_SUMMARY", one_row)[0][0]
    assert first.startswith("#VALUE! name is required but missing")


def test_windows_import_functions_writes_vba_and_wizard_help(
    windows: types.SimpleNamespace,
) -> None:
    """xlwings' "Import Functions" (import_udfs) against a stand-in workbook."""
    components, app = VBComponents(), Application()
    book = types.SimpleNamespace(
        Name="bpo_cost.xlsm",
        Application=app,
        VBProject=types.SimpleNamespace(VBComponents=components),
    )
    windows.xl_udfs.import_udfs("bpo_cost.udfs", book)
    vba = components.imported
    assert vba.startswith('Attribute VB_Name = "xlwings_udfs"')
    for name, fn in FUNCTIONS.items():
        params = inspect.signature(fn).parameters.values()
        declared = ", ".join(
            ("Optional " if p.default is not p.empty else "") + p.name for p in params
        )
        names = ", ".join(p.name for p in params)
        assert f"Function {name}({declared})" in vba
        assert (
            f'{name} = XLPy.CallUDF("bpo_cost.udfs", "{name}", Array({names}), '
            "ThisWorkbook, Application.Caller)"
        ) in vba
        options = app.macro_options[f"'bpo_cost.xlsm'!{name}"]
        assert options["Category"] == "BPO Cost"
        assert options["Description"] == fn.__doc__
        assert options["ArgumentDescriptions"] == [
            a["doc"] for a in getattr(windows.module, name).__xlfunc__["args"]
        ]
    assert vba.count("End Function") == len(FUNCTIONS)
