"""Business-case workbooks without LibreOffice: structure, Excel's naming rules, read-back,
defences against hostile files, and the committed example workbooks being up to date."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from bpo_cost import evaluate, load_case
from bpo_cost.case import xlsx as reader_module
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import case_from_pairs, case_to_pairs
from bpo_cost.cli import app
from bpo_cost.errors import InputError, InvalidCaseError, OutputError
from bpo_cost.workbook import input_name, read_inputs, write_workbook
from bpo_cost.workbook.inputs import inputs_sheet
from bpo_cost.workbook.refs import FUNCTIONS, check_functions, check_name, check_title
from bpo_cost.workbook.writer import RESERVED_TITLES, option_titles
from tests.strategies import bare_case, cases

from .strategies import workbook_examples

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"


@pytest.fixture(scope="module")
def claims(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(
        example_path("claims_back_office"), tmp_path_factory.mktemp("wb") / "claims.xlsx"
    )


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(
        example_path("voice_customer_service"), tmp_path_factory.mktemp("wb") / "voice.xlsx"
    )


# ------------------------------------------------------------------------------ structure


def test_sheets_in_reading_order(voice: Path) -> None:
    wb = openpyxl.load_workbook(voice)
    case = load_case(example_path("voice_customer_service"))
    assert wb.sheetnames == [
        "Summary",
        "Inputs",
        "Timeline",
        "In-house",
        *[o.name for o in case.options],
        "Staffing summary",
        "Staffing",
        "Cash flows",
        "Method & sources",
        "Lists",
    ]
    assert wb["Lists"].sheet_state == "hidden"
    assert wb.active.title == "Summary"


def test_no_staffing_sheet_without_a_live_channel(claims: Path) -> None:
    assert "Staffing" not in openpyxl.load_workbook(claims).sheetnames


@pytest.mark.parametrize("book", ["claims", "voice"])
def test_every_formula_is_safe_in_excel_and_libreoffice(book: str, request: Any) -> None:
    """Only the allowed functions, English names and commas, no _xlfn, no dynamic arrays."""
    wb = openpyxl.load_workbook(request.getfixturevalue(book))
    formulas = [
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert len(formulas) > 5000
    for f in formulas:
        check_functions(f)
        assert "_xlfn" not in f and ";" not in f and "{" not in f and "#" not in f, f
    assert not [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if type(c.value).__name__ == "ArrayFormula"
    ]


def test_titles_and_names_follow_excels_rules(voice: Path) -> None:
    wb = openpyxl.load_workbook(voice)
    seen: list[str] = []
    for title in wb.sheetnames:
        seen.append(check_title(title, seen))
    assert len(wb.defined_names) > 150
    for name, dn in wb.defined_names.items():
        assert check_name(name) == name
        assert dn.attr_text.startswith("'Inputs'!$")


def test_key_inputs_have_defined_names(claims: Path) -> None:
    wb = openpyxl.load_workbook(claims)
    ws = wb["Inputs"]
    for key in (
        "discount_rate_annual",
        "workload.volume_per_month",
        "inhouse.wage_per_hour",
        "options.0.pricing.tiers.1.price",
        "term_months",
    ):
        dest = next(iter(wb.defined_names[input_name(key)].destinations))
        assert ws[dest[1].replace("$", "")].offset(column=-1).value == key
    seasonality = wb.defined_names["in_workload_seasonality"].attr_text
    assert re.fullmatch(r"'Inputs'!\$B\$\d+:\$B\$\d+", seasonality)


def test_inputs_sheet_is_the_case_with_units_and_sources(claims: Path) -> None:
    wb = openpyxl.load_workbook(claims)
    ws = wb["Inputs"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("Key", "Value", "Input", "Unit", "Description", "Source")
    case = evaluate(example_path("claims_back_office")).case
    pairs = case_to_pairs(case)
    assert [r[0] for r in rows[1:]] == [k for k, _ in pairs]
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["inhouse.wage_per_hour"][3] == "USD / hour"
    assert by_key["inhouse.wage_per_hour"][5] == "Case"
    # the key as people read it beside the key itself: options by name, list items from 1
    assert by_key["options.0.pricing.tiers.1.up_to"][2] == (
        f"{case.options[0].name} > pricing > tiers #2 > up to"
    )
    # the case leaves it at the model default (ICMI / SHRM style sources come with it)
    assert by_key["options.2.transition.exit_share_of_annual_spend"][5].startswith(
        "Default: Peukert"
    )
    assert ws["B5"].font.color.rgb.endswith("0000CC")  # input style


def test_monte_carlo_rows_read_as_their_input_in_its_unit(claims: Path) -> None:
    """A distribution's parameters: the input they draw, in its unit; the key stays for
    read-back, on one line (shrunk, not wrapped: a wrap cut keys mid-word)."""
    ws = openpyxl.load_workbook(claims)["Inputs"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5)}
    low = rows["uncertainty.workload/volume_per_month.low"]
    assert [c.value for c in low[2:5]] == [
        "Workload > volume per month: low",
        "claim / month",  # the unit of workload.volume_per_month in this case
        "Monte Carlo (pert): low",
    ]
    kind = rows["uncertainty.workload/volume_per_month.kind"]
    assert (kind[1].value, kind[3].value) == ("pert", "distribution")
    ramp = rows["uncertainty.options[Offshore IN tiers]/transition/ramp_months.values.1"]
    assert ramp[2].value == "Offshore IN tiers > transition > ramp months: value #2"
    assert ramp[3].value == "months"
    assert rows["inhouse.wage_per_hour"][2].value == "In-house > wage per hour"
    assert all(r[0].alignment.shrink_to_fit and not r[0].alignment.wrap_text for r in rows.values())


def test_rate_card_values_name_their_source(tmp_path: Path) -> None:
    path = write_workbook(example_path("payroll"), tmp_path / "payroll.xlsx")
    rows = {r[0]: r for r in openpyxl.load_workbook(path)["Inputs"].iter_rows(values_only=True)}
    used = evaluate(example_path("payroll")).rates_used
    assert used, "the payroll example refers to the rate cards"
    for r in used:
        assert rows[r.path][1] == pytest.approx(r.value, rel=1e-15)
        assert rows[r.path][5].startswith("Rate card:") and r.source in rows[r.path][5]


def test_data_validation_from_the_model(claims: Path) -> None:
    ws = openpyxl.load_workbook(claims)["Inputs"]
    rows = {ws.cell(row=r, column=1).value: f"B{r}" for r in range(5, ws.max_row + 1)}
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for cell in str(dv.sqref).split():
            rules[cell] = dv
    shrink = rules[rows["inhouse.shrinkage"]]  # model: 0 <= shrinkage < 1
    assert (shrink.type, shrink.operator, shrink.formula1, shrink.formula2) == (
        "decimal",
        "between",
        "0.0",
        "1.0",
    )
    term = rules[rows["term_months"]]  # model: 12 <= term <= 120, whole
    assert (term.type, term.formula1, term.formula2) == ("whole", "12.0", "120.0")
    tier = rules[rows["options.0.location.tier"]]
    assert tier.type == "list" and tier.formula1.startswith("'Lists'!")
    assert rules[rows["include_exit_costs"]].formula1 == '"TRUE,FALSE"'
    assert rows["name"] not in rules  # free text


def test_sheets_are_formatted_and_frozen(claims: Path) -> None:
    wb = openpyxl.load_workbook(claims)
    ih = wb["In-house"]
    assert ih.freeze_panes == "D7"
    salaries = next(r for r in ih.iter_rows(min_row=7) if r[0].value == "inhouse.salaries")
    assert salaries[3].number_format == "#,##0;[Red]-#,##0"
    assert ih.column_dimensions["A"].width == 30
    assert ih.print_title_rows == "$4:$5"
    assert wb["Summary"].page_setup.orientation == "landscape"
    assert len(wb["Summary"]._charts) == 2 + 4  # cumulative, annual, a bridge per option


def test_option_sheets_never_clash_with_the_standard_sheets() -> None:
    case = load_case(
        bare_case(
            options=[
                {**bare_case()["options"][0], "name": "Summary"},
                {**bare_case()["options"][0], "name": "summary x"},
                {**bare_case()["options"][0], "name": "Option 1"},
            ]
        )
    )
    titles = option_titles(case)
    assert titles == ["Option 1-1", "summary x", "Option 1"]
    assert not {t.lower() for t in titles} & {t.lower() for t in RESERVED_TITLES}


# ------------------------------------------------------------------------- Excel's rules


@pytest.mark.parametrize(
    "name",
    [
        "A1",
        "xfd1048576",
        "R1C1",
        "r",
        "C",
        "R2",
        "c10",
        "1abc",
        "a b",
        "in-put",
        "TRUE",
        "x" * 256,
        "",
    ],
)
def test_names_excel_refuses(name: str) -> None:
    with pytest.raises(InputError, match="defined name"):
        check_name(name)


@pytest.mark.parametrize(
    "title", ["a" * 32, "a/b", "a:b", "[x]", "what?", "*", "x\\y", "'q", "q'", "History", ""]
)
def test_titles_excel_refuses(title: str) -> None:
    with pytest.raises(InputError, match="sheet title"):
        check_title(title)


def test_duplicate_titles_are_refused_whatever_the_case() -> None:
    with pytest.raises(InputError):
        check_title("inputs", ["Inputs"])


def test_unknown_functions_are_refused() -> None:
    with pytest.raises(InputError, match="XLOOKUP"):
        check_functions("=XLOOKUP(A1,B:B,C:C)")
    assert check_functions("='Opt(1)'!A1+SUM(B1:B2)")  # a quoted title is not a call
    assert {"NPV", "IRR", "EDATE"} <= FUNCTIONS


def test_labels_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    data = bare_case(name='=HYPERLINK("http://x")', description="-2+3", workload={"unit": "@form"})
    data["inhouse"]["other_roles"] = [{"name": "+Lead", "headcount": 1.0, "wage_per_hour": 30}]
    path = write_workbook(data, tmp_path / "tricky.xlsx")
    ws = openpyxl.load_workbook(path)["Inputs"]
    cells = {r[0].value: r[1] for r in ws.iter_rows(min_row=5)}
    for key in ("name", "description", "workload.unit", "inhouse.other_roles.0.name"):
        assert cells[key].data_type == "s", key
    back = load_case(path)
    assert back.name == data["name"] and back.description == "-2+3"
    assert back.workloads[0].unit == "@form" and back.inhouse.other_roles[0].name == "+Lead"


# ------------------------------------------------------------------------------ read-back


@pytest.mark.parametrize("name", workbook_examples())
def test_examples_read_back_as_the_resolved_case(name: str, tmp_path: Path) -> None:
    path = write_workbook(example_path(name), tmp_path / f"{name}.xlsx")
    # distributions included: the Inputs sheet carries the uncertainty block too
    assert load_case(path) == evaluate(example_path(name)).case


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=cases())
def test_random_cases_read_back_exactly(data: dict[str, Any]) -> None:
    case = load_case(data)
    wb = openpyxl.Workbook()
    inputs_sheet(wb, evaluate(case))  # read-back concerns the Inputs sheet only
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.xlsx"
        wb.save(path)
        assert case_from_pairs(read_inputs(path)) == case


def test_an_edited_input_is_read_back(claims: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(claims)
    ws = wb["Inputs"]
    for row in ws.iter_rows(min_row=5):
        if row[0].value == "workload.volume_per_month":
            row[1].value = 15000
        if row[0].value == "start":
            row[1].value = dt.datetime(2028, 2, 1)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    case = load_case(edited)
    assert case.workloads[0].volume_per_month == 15000 and case.start == dt.date(2028, 2, 1)
    assert (
        evaluate(edited).summary_arrays.tco[0, 0]
        > evaluate(example_path("claims_back_office")).summary_arrays.tco[0, 0]
    )


def test_an_input_formula_without_a_saved_result_is_refused(claims: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(claims)
    ws = wb["Inputs"]
    next(r for r in ws.iter_rows(min_row=5) if r[0].value == "term_months")[1].value = "=12*7"
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InvalidCaseError, match=r"term_months.*no saved result"):
        read_inputs(tmp_path / "f.xlsx")


def test_a_workbook_without_inputs_is_refused(tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "plain.xlsx")
    with pytest.raises(InvalidCaseError, match="Inputs"):
        load_case(tmp_path / "plain.xlsx")


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidCaseError, match=r"readable .xlsx"):
        load_case(tmp_path / "fake.xlsx")


# -------------------------------------------------------------------- hostile workbooks

_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i + 1, (b"&lol%d;" % i if i else b"&lol;") * 10)
        for i in range(9)
    )
    + b"]>\n"
)


def _bomb(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return _BOMB + body


def _with_part(source: Path, target: Path, part: str, transform: Any) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, transform(data) if item.filename == part else data)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet2.xml", "xl/styles.xml", "xl/workbook.xml"])
def test_an_xml_bomb_is_refused(claims: Path, tmp_path: Path, part: str) -> None:
    """A "billion laughs" DTD in any part is refused before parsing."""
    bomb = tmp_path / "bomb.xlsx"
    _with_part(claims, bomb, part, _bomb)
    with pytest.raises(InvalidCaseError, match="DTD"):
        load_case(bomb)


def test_defusedxml_refuses_the_bomb_too(
    claims: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second line of defence: openpyxl parses through defusedxml (a dependency)."""
    assert openpyxl.DEFUSEDXML
    bomb = tmp_path / "bomb.xlsx"
    _with_part(claims, bomb, "xl/worksheets/sheet2.xml", _bomb)
    monkeypatch.setattr(reader_module, "_check_archive", lambda path: None)
    with pytest.raises(InvalidCaseError, match=r"EntitiesForbidden|DTDForbidden"):
        read_inputs(bomb)


def test_declared_size_and_part_count_are_capped(
    claims: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_module, "MAX_UNCOMPRESSED_BYTES", 100_000)
    with pytest.raises(InvalidCaseError, match="uncompressed"):
        read_inputs(claims)
    monkeypatch.setattr(reader_module, "MAX_PARTS", 5)
    with pytest.raises(InvalidCaseError, match="parts"):
        read_inputs(claims)


def test_input_rows_are_capped(claims: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "MAX_INPUT_ROWS", 50)
    with pytest.raises(InvalidCaseError, match="at most 50 input rows"):
        read_inputs(claims)


# --------------------------------------------------------------------------- the writer


def test_writes_only_xlsx_and_never_over_its_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_workbook(bare_case(), tmp_path / "out.xls")
    case_file = tmp_path / "case.xlsx"
    write_workbook(bare_case(), case_file)
    with pytest.raises(OutputError, match="refusing to overwrite"):
        write_workbook(load_case(case_file), case_file, protect=[case_file])


def test_extra_sheets_come_after_the_standard_ones(tmp_path: Path) -> None:
    calls = []

    def extra(wb: openpyxl.Workbook, result: Any) -> None:
        calls.append((list(wb.sheetnames), result.case.name))
        wb.create_sheet("Sensitivity")

    path = write_workbook(bare_case(), tmp_path / "x.xlsx", extra_sheets=[extra])
    assert calls == [
        (
            [
                "Summary",
                "Inputs",
                "Timeline",
                "In-house",
                "Vendor",
                "Staffing summary",
                "Cash flows",
                "Method & sources",
                "Lists",
            ],
            "bare",
        )
    ]
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Sensitivity"


def test_an_invalid_extra_sheet_title_is_refused(tmp_path: Path) -> None:
    def extra(wb: openpyxl.Workbook, result: Any) -> None:
        wb.create_sheet("History")  # openpyxl accepts it; Excel reserves it

    with pytest.raises(InputError, match="sheet title"):
        write_workbook(bare_case(), tmp_path / "x.xlsx", extra_sheets=[extra])
    assert not (tmp_path / "x.xlsx").exists()


def test_the_cli_writes_a_workbook_that_evaluates_like_the_case(tmp_path: Path) -> None:
    out = tmp_path / "claims.xlsx"
    runner = CliRunner()
    done = runner.invoke(app, ["workbook", str(example_path("claims_back_office")), "-o", str(out)])
    assert done.exit_code == 0, done.output
    again = runner.invoke(app, ["evaluate", str(out), "--json"])
    assert again.exit_code == 0, again.output
    assert '"case": "Claims processing back office"' in again.output


# ------------------------------------------------------------- committed example workbooks


def _content(path: Path | openpyxl.Workbook) -> dict[str, Any]:
    wb = path if isinstance(path, openpyxl.Workbook) else openpyxl.load_workbook(path)
    return {
        "sheets": wb.sheetnames,
        "names": {k: v.attr_text for k, v in wb.defined_names.items()},
        "cells": {
            ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets
        },
        "validations": {
            ws.title: sorted(str(dv.sqref) for dv in ws.data_validations.dataValidation)
            for ws in wb.worksheets
        },
    }


@pytest.mark.parametrize("name", workbook_examples())
def test_committed_workbook_is_up_to_date(name: str, tmp_path: Path) -> None:
    """workbooks/<name>.xlsx is byte for byte what the engine writes today, with whatever
    dependency versions pip resolved (CI also runs this at the oldest versions pyproject allows).
    Regenerate with ``bpo-cost workbook workbooks/<name>.yaml -o workbooks/<name>.xlsx``."""
    committed = WORKBOOKS / f"{name}.xlsx"
    assert committed.is_file(), f"missing {committed.name}: generate it (see docstring)"
    fresh = write_workbook(example_path(name), tmp_path / f"{name}.xlsx")
    want, got = _content(fresh), _content(committed)
    for key in ("sheets", "names", "validations"):
        assert got[key] == want[key], f"{committed.name} is out of date ({key}): regenerate"
    for title, rows in want["cells"].items():
        assert got["cells"][title] == rows, f"{committed.name} sheet {title} is out of date"
    # same content: then the bytes must be the same too (no time stamp, no float noise)
    assert fresh.read_bytes() == committed.read_bytes(), f"{committed.name}: bytes differ"


def test_a_workbook_is_the_same_file_every_time(tmp_path: Path) -> None:
    first = write_workbook(example_path("payroll"), tmp_path / "a.xlsx")
    second = write_workbook(example_path("payroll"), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
