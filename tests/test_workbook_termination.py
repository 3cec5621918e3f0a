"""The workbook face of a termination (#15 item 4): its inputs on the Inputs sheet (named,
validated, read back), the rows of a terminated option, and the sheets of the options without
one left as they were. The recalculated formulas are checked in test_workbook_fidelity.py
(against the engine, and against docs/methodology.md#termination from the sheets alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bpo_cost import InvalidCaseError, load_case
from bpo_cost.case.examples import example_path
from bpo_cost.case.models import Case
from bpo_cost.workbook import write_workbook
from tests.termination_cases import TERMINATION


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("termination")
    out = {
        name: write_workbook(make(), folder / f"{name}.xlsx") for name, make in TERMINATION.items()
    }
    out["plain_voice"] = write_workbook(example_path("voice_customer_service"), folder / "v.xlsx")
    return out


def _keys(ws: Any) -> dict[str, int]:
    return {
        a: i
        for i, (a,) in enumerate(ws.iter_rows(max_col=1, values_only=True), start=1)
        if isinstance(a, str)
    }


@pytest.mark.parametrize("name", list(TERMINATION))
def test_the_termination_block_reads_back(written: dict[str, Path], name: str) -> None:
    """Month, every fee step, ramp months and start efficiency come back from the Inputs sheet."""
    assert load_case(written[name]) == Case.model_validate(TERMINATION[name]())


def test_the_termination_inputs_are_named_and_validated(written: dict[str, Path]) -> None:
    """Each input of the block is a named blue cell, and Excel refuses what read-back would:
    a month outside 1-120 or not whole, a negative fee, an efficiency above 1."""
    wb = openpyxl.load_workbook(written["ended_voice"])
    ws = wb["Inputs"]
    rows = _keys(ws)
    want = {
        "options.2.termination.month": ("whole", 1, 120),
        "options.2.termination.fees.0.up_to_month": ("whole", 1, 120),
        "options.2.termination.fees.2.amount": ("decimal", 0, None),
        "options.2.termination.ramp_months": ("whole", 0, 36),
        "options.2.termination.ramp_start_efficiency": ("decimal", 0, 1),
    }
    for key, (kind, low, high) in want.items():
        name = "in_" + key.replace(".", "_")
        assert wb.defined_names[name].attr_text == f"'Inputs'!$B${rows[key]}", key
        cell = f"B{rows[key]}"
        rules = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert len(rules) == 1, key
        rule = rules[0]
        assert rule.type == kind and float(rule.formula1) == low, (key, rule.formula1)
        if high is not None:
            assert float(rule.formula2) == high, (key, rule.formula2)


def test_options_without_a_termination_keep_their_sheets(written: dict[str, Path]) -> None:
    """Ending "Offshore PH" early changes no cell of the In-house sheet or of the options before
    it (formulas refer to inputs by name, so the rows the block adds to Inputs move nothing)."""
    ended, plain = (openpyxl.load_workbook(written[k]) for k in ("ended_voice", "plain_voice"))
    for title in ("Timeline", "In-house", "Onshore US", "Nearshore CO"):
        got = [[c.value for c in row] for row in ended[title].iter_rows()]
        assert got == [[c.value for c in row] for row in plain[title].iter_rows()], title


def test_a_terminated_option_shows_its_termination(written: dict[str, Path]) -> None:
    """A terminated option keeps work (the kept-work rows, ``inhouse.kept``), shows A(t), S(T)
    and the rebuilt team's efficiency, and the Method sheet explains its components."""
    wb = openpyxl.load_workbook(written["ended_voice"])
    rows = _keys(wb["Offshore PH"])
    assert {"in_service", "returned_share", "rebuilt_efficiency", "kept_cost"} <= set(rows)
    assert "wave_share" not in rows  # no waves: S(t) is 1 while the vendor serves
    month = rows["termination.fee"]
    fee = wb["Offshore PH"].cell(row=month, column=4).value
    for k in range(3):  # the schedule's steps, by name: edits on the Inputs sheet follow
        assert f"in_options_2_termination_fees_{k}_amount" in fee
    explained = {c.value for c in wb["Method & sources"]["A"]}
    assert {"termination.fee", "termination.rehiring", "termination.ramp"} <= explained
    assert "inhouse.kept" in explained
    assert "in_service" not in _keys(wb["Blend US 20 PH 80"])
    # and without the block, none of it: the voice example's Offshore PH is a v1 option
    plain = _keys(openpyxl.load_workbook(written["plain_voice"])["Offshore PH"])
    assert not {"in_service", "returned_share", "kept_cost"} & set(plain)


def test_the_termination_month_is_within_the_term_on_read_back(
    written: dict[str, Path], tmp_path: Path
) -> None:
    """A termination month past the term typed on the Inputs sheet is refused on read-back,
    naming the cell (the data validation allows up to 120 months, any term)."""
    wb = openpyxl.load_workbook(written["ended_voice"])
    ws = wb["Inputs"]
    row = _keys(ws)["options.2.termination.month"]
    ws.cell(row=row, column=2).value = 61
    wb.save(tmp_path / "late.xlsx")
    with pytest.raises(InvalidCaseError, match=rf"Inputs!B{row} \(options.2.termination.month\)"):
        load_case(tmp_path / "late.xlsx")
