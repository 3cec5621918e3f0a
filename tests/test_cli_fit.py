"""Every command's tables at 80 and 120 columns: nothing cut, nothing past the edge; piped
output at full precision (issue "Analyst experience", item 1)."""

from __future__ import annotations

import re

import pytest

from bpo_cost.cli import main, tables

CLAIMS = "workbooks/claims_back_office.yaml"
COMMANDS = {
    "demo": ["demo"],
    "evaluate": ["evaluate", CLAIMS],
    "rates": ["rates"],
    "rates-filtered": ["rates", "--function", "payroll", "--tier", "offshore"],
    "components": ["components"],
    "sensitivity": ["sensitivity", CLAIMS, "--top", "4"],
    "breakeven": ["breakeven", CLAIMS],
    "simulate": ["simulate", CLAIMS, "-n", "300"],
    "examples": ["examples"],
    "schema-help": ["schema", "--help"],
}
CUT = re.compile(r"…|\d,\d{0,2}$|\d,\d{0,2}\s\s")  # an ellipsis, a number broken after a comma


@pytest.fixture(params=[80, 120], ids=["80cols", "120cols"])
def width(request, monkeypatch):
    monkeypatch.setattr(tables, "terminal_width", lambda: request.param)
    return request.param


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_fits_without_cutting_a_number(capsys, width, args):
    assert main(list(args)) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert len(line.rstrip()) <= width, line
        assert not CUT.search(line), line


def test_compact_money_at_80_full_precision_when_piped(capsys, monkeypatch):
    monkeypatch.setattr(tables, "terminal_width", lambda: 80)
    main(["demo"])
    narrow = capsys.readouterr().out
    # the voice example's in-house TCO, 15,569,383 (tests/baselines), in four figures
    assert "15.57M" in narrow and "--wide" in narrow
    monkeypatch.setattr(tables, "terminal_width", lambda: None)
    main(["demo"])
    piped = capsys.readouterr().out
    assert "15,569,383" in piped and "NPV of cost" in piped and "--wide" not in piped


def test_wide_shows_every_column(capsys, monkeypatch):
    monkeypatch.setattr(tables, "terminal_width", lambda: 80)
    main(["demo", "--wide"])
    out = capsys.readouterr().out
    assert "NPV of cost" in out and "Model" in out and "…" not in out


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (15_569_383, "15.57M"),
        (9_762_373, "9.762M"),
        (273_904, "273.9k"),
        (99_999, "99,999"),
        (999_990, "1.000M"),
        (-2_500_000_000, "-2.500B"),
        (0.4, "0"),
    ],
)
def test_compact_money(x, shown):
    assert tables.compact(x) == shown


def test_rates_exports_and_shows_one_row(capsys, tmp_path):
    import csv
    import json

    assert main(["rates", "--function", "payroll", "--location", "PL", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["card"] for r in rows} == {"billing_hourly", "per_transaction", "wage"}
    target = tmp_path / "r.csv"
    assert main(["rates", "--card", "wage", "--csv", str(target)]) == 0
    with target.open() as f:
        written = list(csv.DictReader(f))
    assert written and {r["card"] for r in written} == {"wage"}
    number = rows[0]["row"]
    assert main(["rates", "--row", str(number)]) == 0
    out = capsys.readouterr().out
    assert f"row: {number}" in out and rows[0]["source"] in out and "note:" in out


@pytest.mark.parametrize(
    "args",
    [
        ["init", "{tmp}/case.yaml", "--model", "hourly"],
        ["addin", "{tmp}/xl"],
        ["workbook", "workbooks/payroll.yaml", "-o", "{tmp}/p.xlsx"],
        ["evaluate", "workbooks/payroll.yaml", "--csv", "{tmp}/csv"],
        ["rates", "--row", "7"],
        ["--help"],
        ["simulate", "--help"],
    ],
    ids=["init", "addin", "workbook", "evaluate-csv", "rates-row", "help", "simulate-help"],
)
def test_commands_that_write_or_explain_fit_too(capsys, width, monkeypatch, tmp_path, args):
    monkeypatch.setenv("COLUMNS", str(width))  # typer's help reads the width from here
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 0
    for line in capsys.readouterr().out.splitlines():
        assert len(line.rstrip()) <= width, line
        assert not CUT.search(line), line
