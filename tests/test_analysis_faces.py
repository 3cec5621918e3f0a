"""Faces of the decision analysis: the command line, PNG charts and the workbook sheets."""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from bpo_cost import evaluate
from bpo_cost.analysis import sensitivity, simulate
from bpo_cost.analysis.plots import tornado_png
from bpo_cost.case.examples import example_path
from bpo_cost.case.fields import input_label
from bpo_cost.cli import main
from bpo_cost.errors import OutputError
from bpo_cost.workbook import write_workbook
from bpo_cost.workbook.analysis_sheets import analysis_sheets, monte_carlo_sheet, sensitivity_sheet

CLAIMS = str(example_path("claims_back_office"))
PNG = b"\x89PNG\r\n\x1a\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -------------------------------------------------------------------------------------- CLI


def test_simulate_json_matches_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", CLAIMS, "-n", "500", "--seed", "4", "--json")
    assert code == 0
    data = json.loads(out)
    sim = simulate(CLAIMS, n=500, seed=4)
    assert data["draws"] == 500 and data["seed"] == 4
    offshore = next(o for o in data["owners"] if o["name"] == "Offshore IN tiers")
    assert (
        offshore["npv_savings"]["P50"]
        == sim.percentiles("npv_savings").loc["Offshore IN tiers", "P50"]
    )
    assert offshore["p_cheaper_than_inhouse"] == sim.probability_cheaper()["Offshore IN tiers"]


def test_simulate_table_and_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "simulate", CLAIMS, "-n", "300", "--plot", str(tmp_path / "c"))
    assert code == 0
    assert "P(beats in-house)" in out and "Offshore PH hourly" in out
    assert (tmp_path / "c" / "savings_distribution.png").read_bytes().startswith(PNG)


def test_sensitivity_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        "sensitivity",
        CLAIMS,
        "--top",
        "3",
        "--option",
        "Onshore US flat",
        "--range",
        "inhouse.attrition_per_year=0.1:0.5",
        "--plot",
        str(tmp_path),
    )
    assert code == 0
    assert "Onshore US flat" in out and "Offshore PH hourly" not in out
    assert (tmp_path / "tornado_onshore_us_flat.png").read_bytes().startswith(PNG)
    code, out, _ = run(
        capsys, "sensitivity", CLAIMS, "--input", "workload.volume_per_month", "--json"
    )
    rows = json.loads(out)["rows"]
    assert {r["path"] for r in rows} == {"workload.volume_per_month"} and len(rows) == 4


def test_breakeven_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "breakeven", CLAIMS, "--plot", str(tmp_path))
    assert code == 0
    # in labels and units: "Onshore US flat costs the same as In-house at 4,982 claims a month"
    assert "no break-even claims a month between" in out and "claims a month (case: 12,000)" in out
    assert (tmp_path / "cumulative_cost.png").read_bytes().startswith(PNG)
    code, out, _ = run(
        capsys, "breakeven", CLAIMS, "--option", "Onshore US flat", "--price", "--json"
    )
    result = json.loads(out)["results"][0]
    assert result["price"]["found"] and result["price"]["exact"]
    assert "volume" not in result


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", str(example_path("payroll")), "-n", "10"], "at least one distribution"),
        (["sensitivity", CLAIMS, "--range", "inhouse.shrinkage=0.2"], "PATH=LOW:HIGH"),
        (["breakeven", CLAIMS, "--low", "5"], "--low/--high"),
        (["breakeven", CLAIMS, "--option", "Nobody"], "--option must be one of"),
        (["sensitivity", CLAIMS, "--input", "workload.nope"], "input must be"),
    ],
    ids=["no-uncertainty", "bad-range", "low-without-target", "unknown-option", "bad-path"],
)
def test_commands_fail_in_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_matplotlib_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    table = sensitivity(CLAIMS, inputs=["workload.volume_per_month"])
    with pytest.raises(OutputError, match=r"pip install 'bpo-cost\[plot\]'"):
        tornado_png(table, tmp_path / "t.png")
    assert not (tmp_path / "t.png").exists()


# -------------------------------------------------------------------------------- workbook


@pytest.fixture(scope="module")
def analysis_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wb") / "claims.xlsx"
    write_workbook(CLAIMS, out, extra_sheets=analysis_sheets(simulate_draws=800, seed=5))
    return out


def _rows(ws: Any, first: int, width: int) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_col=width)]


def test_workbook_sheets_hold_the_analysis_values(analysis_book: Path) -> None:
    wb = openpyxl.load_workbook(analysis_book)
    sens, mc = wb["Sensitivity"], wb["Monte Carlo"]
    assert "Computed by bpo-cost" in sens["A2"].value and "not live formulas" in mc["A2"].value
    table = sensitivity(CLAIMS)
    top = table[table["owner"] == "Offshore IN tiers"].head(15)
    rows = [r for r in _rows(sens, 6, 9) if r[0] is not None][: len(top)]
    case = evaluate(CLAIMS).case  # each input in the analyst's words, as the CLI shows it
    assert [r[0] for r in rows] == [input_label(case, p, unit=False) for p in top["path"]]
    assert [r[4] for r in rows] == pytest.approx(list(top["low"]), rel=1e-15)
    sim = simulate(CLAIMS, n=800, seed=5)
    summary = sim.summary()
    body = {r[0]: r for r in _rows(mc, 5, 17)[: len(summary)]}
    assert body["Offshore PH hourly"][16] == pytest.approx(
        summary.loc["Offshore PH hourly", "p_cheapest"], rel=1e-15
    )
    assert body["In-house"][1] == pytest.approx(summary.loc["inhouse", "tco_base"], rel=1e-15)
    assert len(sens._charts) == 4 and len(mc._charts) == 2


def test_workbook_sheets_open_in_libreoffice(
    analysis_book: Path, recalc: Callable[[Sequence[Path]], list[Path]]
) -> None:
    (back,) = recalc([analysis_book])
    ws = openpyxl.load_workbook(back, data_only=True)["Monte Carlo"]
    sim = simulate(CLAIMS, n=800, seed=5)
    assert ws["B5"].value == pytest.approx(
        evaluate(CLAIMS).summary().loc["inhouse", "tco"], rel=1e-14
    )
    assert [r[0] for r in _rows(ws, 5, 1)[1:5]] == sim.owners[1:]


def test_monte_carlo_sheet_needs_uncertainty(tmp_path: Path) -> None:
    from bpo_cost.errors import InputError

    with pytest.raises(InputError, match="at least one distribution"):
        write_workbook(
            example_path("payroll"), tmp_path / "p.xlsx", extra_sheets=[monte_carlo_sheet(n=10)]
        )
    assert not (tmp_path / "p.xlsx").exists()
    write_workbook(
        example_path("payroll"),
        tmp_path / "p.xlsx",
        extra_sheets=[sensitivity_sheet(top=3, metric="tco")],
    )
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Sensitivity"]
    assert ws["A4"].value.startswith("In-house")  # tco includes in-house
    assert np.isfinite(ws["E6"].value)
