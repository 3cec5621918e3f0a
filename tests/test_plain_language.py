"""Break-even, sensitivity and Monte Carlo in labels and units; JSON gives path and label
(issue "Analyst experience", item 2)."""

from __future__ import annotations

import json

from bpo_cost import load_case
from bpo_cost.case.fields import input_label
from bpo_cost.cli import main, tables

# the claims case as release 0.1.0 had it (tests/baselines): the figures below are its break-evens
CLAIMS = "tests/baselines/claims_back_office/case.yaml"


def test_input_label_reads_the_field_description_and_unit():
    case = load_case(CLAIMS)
    assert (
        input_label(case, "options.2.pricing.price")
        == "Onshore US flat: flat price per unit of work (USD / claim)"
    )
    assert input_label(case, "options[Onshore US flat].pricing.price") == input_label(
        case, "options.2.pricing.price"
    )
    assert input_label(case, "inhouse.wage_per_hour") == (
        "In-house: hourly base wage of an agent (USD / hour)"
    )
    # list items by name or number: three roles' headcounts once read the same
    assert input_label(case, "inhouse.other_roles[Quality auditor].headcount", unit=False) == (
        "In-house, Quality auditor: headcount of the role"
    )
    assert input_label(case, "options.0.pricing.tiers.1.price") == (
        "Offshore IN tiers, tiers #2: price of a unit in the band (USD / claim)"
    )
    # an acronym opening the description stays one ("iT and licences" once reached the memo)
    assert input_label(case, "inhouse.it_per_seat_month", unit=False) == (
        "In-house: IT and licences per seat"
    )


def test_breakeven_speaks_in_units(capsys, monkeypatch):
    monkeypatch.setattr(tables, "terminal_width", lambda: None)
    assert main(["breakeven", CLAIMS, "--option", "Onshore US flat"]) == 0
    out = capsys.readouterr().out
    # the volume break-even of tests/test_analysis.py, in the analyst's words
    assert (
        "Onshore US flat costs the same as In-house at 4,982 claims a month (case: 12,000)" in out
    )
    assert "13.56 USD / claim (flat price per unit of work) (case: 11.5)" in out
    assert "options[" not in out and "workload.volume_per_month" not in out


def test_sensitivity_rows_are_labels(capsys, monkeypatch):
    monkeypatch.setattr(tables, "terminal_width", lambda: None)
    assert main(["sensitivity", CLAIMS, "--option", "Onshore US flat", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Onshore US flat: flat price per unit of work (USD / claim)" in out
    assert "options[" not in out


def test_json_gives_path_and_label(capsys):
    assert (
        main(["sensitivity", CLAIMS, "--input", "options[Onshore US flat].pricing.price", "--json"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {(r["path"], r["label"]) for r in rows} == {
        ("options.2.pricing.price", "Onshore US flat: flat price per unit of work (USD / claim)")
    }
    args = ["breakeven", CLAIMS, "--option", "Onshore US flat", "--price", "--json"]
    assert main(args) == 0
    price = json.loads(capsys.readouterr().out)["results"][0]["price"]
    assert price["labels"] == {
        "options.2.pricing.price": "Onshore US flat: flat price per unit of work (USD / claim)"
    }
    assert main(["simulate", CLAIMS, "-n", "200", "--json"]) == 0
    inputs = json.loads(capsys.readouterr().out)["inputs"]
    assert inputs[0] == {
        "path": "workload.volume_per_month",
        "label": "Volume in month 1 before seasonality (claim / month)",
    }
