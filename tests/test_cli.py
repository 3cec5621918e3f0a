"""The bpo-cost command line: outputs, files, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from bpo_cost import evaluate, example_names, example_path
from bpo_cost.case.examples import DEFAULT_EXAMPLE
from bpo_cost.cli import main

OPTION_KEYS = {
    "name",
    "pricing_model",
    "tco",
    "npv_cost",
    "savings",
    "npv_savings",
    "payback_month",
    "irr",
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_prints_the_comparison(capsys):
    code, out, _ = run(capsys, "demo")
    assert code == 0
    for name in ("In-house", "Onshore US", "Nearshore CO", "Offshore PH", "NPV of savings"):
        assert name in out


@pytest.mark.parametrize("name", example_names())
def test_every_example_evaluates_to_valid_json(capsys, name):
    code, out, _ = run(capsys, "evaluate", str(example_path(name)), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"tco", "npv_cost"} <= set(data["inhouse"])
    assert data["options"] and all(set(o) >= OPTION_KEYS for o in data["options"])
    summary = evaluate(example_path(name)).summary()
    for o in data["options"]:
        assert o["tco"] == summary.loc[o["name"], "tco"]
        assert o["payback_month"] is None or isinstance(o["payback_month"], int)
    assert data["inhouse"]["tco"] == summary.loc["inhouse", "tco"]


def test_json_output_is_byte_identical_across_runs(capsys):
    first = run(capsys, "evaluate", str(example_path("claims_back_office")), "--json")[1]
    second = run(capsys, "evaluate", str(example_path("claims_back_office")), "--json")[1]
    assert first == second


def test_csv_writes_monthly_components(capsys, tmp_path):
    code, _, _ = run(capsys, "evaluate", str(example_path("payroll")), "--csv", str(tmp_path))
    assert code == 0
    import pandas as pd

    frame = pd.read_csv(tmp_path / "components.csv")
    assert list(frame.columns) == ["owner", "component", "month", "date", "cost"]
    assert frame.groupby("owner")["cost"].sum()["inhouse"] == pytest.approx(
        evaluate(example_path("payroll")).summary().loc["inhouse", "tco"], rel=1e-12
    )
    assert not list(tmp_path.glob(".*.tmp"))


def test_init_writes_a_case_that_evaluates_and_will_not_overwrite(capsys, tmp_path):
    target = tmp_path / "case.yaml"
    assert run(capsys, "init", str(target))[0] == 0
    written = evaluate(target)
    assert written.summary().shape[0] == 1 + len(written.case.options)  # in-house and each
    assert written.case.options == evaluate(example_path(DEFAULT_EXAMPLE)).case.options
    code, _, err = run(capsys, "init", str(target))
    assert code == 2 and "exists" in err


def test_schema_is_json_schema_of_a_case(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Case" and "options" in schema["properties"]


def test_rates_lists_with_sources(capsys):
    code, out, _ = run(capsys, "rates", "--function", "payroll", "--location", "PL")
    assert code == 0 and "payroll" in out and "PL" in out and "source" in out


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"term_months": 6}, "term_months"),
        ({"workload": {"volume_per_month": -5}}, "workload.volume_per_month"),
        ({"inhouse": {"shrinkage": 1.2}}, "inhouse.shrinkage"),
        ({"workload": {"seasonality": [1, 1]}}, "workload.seasonality"),
        ({"discount_rate_annual": "eight"}, "discount_rate_annual"),
    ],
    ids=["short-term", "negative-volume", "shrinkage", "seasonality", "text"],
)
def test_bad_case_gives_one_line_and_exit_2(capsys, tmp_path, patch, needle):
    data = yaml.safe_load(example_path().read_text())
    for key, value in patch.items():
        if isinstance(value, dict):
            data[key].update(value)
        else:
            data[key] = value
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    code, _out, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_real_entry_point_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    done = subprocess.run(
        [sys.executable, "-m", "bpo_cost.cli", "evaluate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "valid YAML" in done.stderr


def test_workbook_with_analysis_sheets(capsys, tmp_path):
    import openpyxl

    out = tmp_path / "claims.xlsx"
    code, _, err = run(
        capsys,
        "workbook",
        str(example_path("claims_back_office")),
        "-o",
        str(out),
        "--sensitivity",
        "--simulate",
        "500",
        "--seed",
        "3",
    )
    assert code == 0, err
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert {"Summary", "Inputs", "Sensitivity", "Monte Carlo"} <= set(names)


def test_workbook_refuses_to_overwrite_its_case(capsys, tmp_path):
    case = tmp_path / "case.xlsx"
    run(capsys, "workbook", str(example_path("payroll")), "-o", str(case))
    before = case.read_bytes()
    code, _, err = run(capsys, "workbook", str(case), "-o", str(case))
    assert code == 2 and "overwrite" in err and case.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "voice_customer_service", "--json"],
        ["simulate", "claims_back_office", "-n", "3000", "--seed", "7", "--json"],
    ],
    ids=["evaluate", "simulate"],
)
def test_json_is_byte_identical_across_processes(args):
    command, name, *rest = args
    argv = [sys.executable, "-m", "bpo_cost.cli", command, str(example_path(name)), *rest]
    first, second = (subprocess.run(argv, capture_output=True, check=True).stdout for _ in range(2))
    assert first == second and json.loads(first)


def test_case_text_is_shown_as_written_never_as_markup(capsys, tmp_path):
    data = yaml.safe_load(example_path("payroll").read_text())
    data["name"] = "Claims [/] [bold]draft"  # rich markup would crash on "[/]" or hide "[bold]"
    case = tmp_path / "odd.yaml"
    case.write_text(yaml.safe_dump(data))
    code, out, err = run(capsys, "evaluate", str(case))
    assert code == 0, err
    assert "Claims [/] [bold]draft" in out


@pytest.mark.parametrize("option", ["--csv", "--plot"])
def test_an_output_folder_that_is_a_file_is_one_line(capsys, tmp_path, option):
    blocker = tmp_path / "afile"
    blocker.write_text("keep me")
    args = (
        ["evaluate", str(example_path("payroll")), "--csv", str(blocker)]
        if option == "--csv"
        else [
            "simulate",
            str(example_path("claims_back_office")),
            "-n",
            "50",
            "--plot",
            str(blocker / "sub"),
        ]
    )
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith(f"bpo-cost: error: {option} ") and err.count("\n") == 1
    assert "not a folder" in err and blocker.read_text() == "keep me"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["simulate", "CASE", "-n", "0"], "'-n' / '--draws'"),
        (["workbook", "CASE", "-o", "x.xlsx", "--simulate", "0"], "'--simulate'"),
        (["evaluate"], "Missing argument 'CASE'"),  # as the help names it
        (["evaluat", "CASE"], "No such command 'evaluat'"),
    ],
    ids=["draws", "simulate-sheet", "missing-case", "typo"],
)
def test_usage_errors_are_one_line_and_exit_2(capsys, args, needle):
    args = [str(example_path("payroll")) if a == "CASE" else a for a in args]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("bpo-cost: error: ") and err.count("\n") == 1 and needle in err
