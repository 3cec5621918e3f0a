"""What analysts type in spreadsheets: understood, or answered precisely in their words
(issue "Analyst experience", item 3)."""

from __future__ import annotations

import copy

import pytest
import yaml

from bpo_cost import example_path, load_case
from bpo_cost.case.io import parse_case
from bpo_cost.cli import main
from bpo_cost.errors import InvalidCaseError

BASE = yaml.safe_load(example_path().read_text())


def edited(path: str, value: object) -> dict:
    data = copy.deepcopy(BASE)
    node = data
    *parents, last = path.split(".")
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "typed", "meant"),
    [
        ("inhouse.attrition_per_year", "25%", 0.25),
        ("inhouse.shrinkage", " 30 % ", 0.30),
        ("workload.volume_per_month", "1,200", 1200),
        ("workload.volume_per_month", "30,000.5", 30000.5),
        ("start", "01/2027", "2027-01-01"),
        ("start", "3/2028", "2028-03-01"),
        ("inhouse.country", "in", "IN"),
        ("workload.function", "Customer service voice", "customer_service_voice"),
        ("workload.function", "customer-service-voice", "customer_service_voice"),
    ],
    ids=lambda x: str(x),
)
def test_understood(path, typed, meant):
    case = parse_case(edited(path, typed))
    got = case.model_dump(mode="json")
    for p in path.split("."):
        got = got[p]
    assert got == meant


@pytest.mark.parametrize(
    ("path", "typed", "message"),
    [
        (
            "inhouse.wage_per_hour",
            "$24",
            "inhouse.wage_per_hour: '$24' has a currency sign: write 24 (amounts are in the "
            "case currency)",
        ),
        (
            "start",
            "01/02/2027",
            "start: '01/02/2027' reads as a day and a month either way round: write the month "
            "as 2027-MM (e.g. 2027-01)",
        ),
        (
            "inhouse.country",
            "India",
            "inhouse.country: 'India' is a country name: write its 2-letter code "
            "(did you mean IN?)",
        ),
        (
            "inhouse.country",
            "Atlantis",
            "inhouse.country: must be a 2-letter ISO 3166 country code such as US, IN or PH: "
            "got 'Atlantis'",
        ),
        (
            "inhouse.attrition_per_year",
            20,
            "inhouse.attrition_per_year must be at most 3 (rates and shares are decimals: 0.2 "
            "for 20%): got 20",
        ),
        (
            "inhouse.shrinkage",
            30,
            "inhouse.shrinkage must be less than 1 (rates and shares are decimals: 0.3 for 30%): "
            "got 30",
        ),
        (
            "inhouse.wage_per_hour",
            {"card": "wage", "function": "payroll", "location": "US"},
            "inhouse.wage_per_hour.statistic is required but missing (one of low, typical, high)",
        ),
        (
            "workload.volume_per_month",
            "lots",
            "workload.volume_per_month must be a number: got 'lots'",
        ),
        ("term_months", 12.5, "term_months must be a whole number: got 12.5"),
    ],
    ids=lambda x: str(x),
)
def test_answered_in_the_analysts_words(path, typed, message):
    with pytest.raises(InvalidCaseError) as info:
        parse_case(edited(path, typed))
    assert info.value.errors == [message]
    for line in info.value.errors:  # no library internals, ever
        assert "function-after" not in line and "0x" not in line and "pydantic" not in line


def test_every_share_field_hints_decimals():
    from bpo_cost.case.io import case_to_pairs

    case = load_case(example_path())
    shares = [
        k
        for k, v in case_to_pairs(case)
        if isinstance(v, float) and 0 < v < 1 and ("share" in k or "rate" in k.rsplit(".", 1)[-1])
    ]
    assert shares
    for key in shares:
        from bpo_cost.case.io import case_from_pairs

        pairs = [(k, 40 if k == key else v) for k, v in case_to_pairs(case)]
        with pytest.raises(InvalidCaseError) as info:
            case_from_pairs(pairs)
        assert any("0.4 for 40%" in e for e in info.value.errors), (key, info.value.errors)


def test_cli_lists_every_problem_one_line_each(capsys, tmp_path):
    data = edited("inhouse.country", "India")
    data["inhouse"]["wage_per_hour"] = "$24"
    data["start"] = "01/02/2027"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["evaluate", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("bpo-cost: error: ") for line in lines)
    assert not any("more problem" in line for line in lines)


def test_edited_workbook_lists_every_bad_cell_by_sheet_and_cell(capsys, tmp_path):
    from openpyxl import load_workbook

    from bpo_cost.workbook import write_workbook

    path = write_workbook(example_path("payroll"), tmp_path / "p.xlsx")
    wb = load_workbook(path)
    ws = wb["Inputs"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    shrinkage, country = rows["inhouse.shrinkage"], rows["inhouse.country"]
    ws.cell(row=shrinkage, column=2).value = 22  # a percentage where a decimal belongs
    ws.cell(row=country, column=2).value = "United States"
    wb.save(path)
    with pytest.raises(InvalidCaseError) as info:
        load_case(path)
    assert info.value.errors == [
        f"Inputs!B{country} (inhouse.country): 'United States' is a country name: write its "
        "2-letter code (did you mean US?)",
        f"Inputs!B{shrinkage} (inhouse.shrinkage) must be less than 1 (rates and shares are "
        "decimals: 0.22 for 22%): got 22",
    ]
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("bpo-cost: error: Inputs!B") for line in err)


def test_every_missing_field_is_listed_with_what_it_is():
    data = copy.deepcopy(BASE)
    del data["workload"]["volume_per_month"]
    del data["options"][0]["pricing"]["rate"]
    del data["options"][1]["location"]
    with pytest.raises(InvalidCaseError) as info:
        parse_case(data)
    assert info.value.errors == [
        "workload.volume_per_month is required but missing (volume in month 1 before seasonality)",
        "options.0.pricing.rate is required but missing (price per billed unit (a productive hour "
        "or an FTE-month))",
        "options.1.location is required but missing (where the work is delivered)",
    ]
