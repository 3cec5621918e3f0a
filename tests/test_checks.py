"""Legal but suspicious values give a BpoCostWarning naming the field; the examples give none."""

from __future__ import annotations

import warnings

import pytest

from bpo_cost import BpoCostWarning, evaluate, example_names, example_path
from bpo_cost.cli import main

from .strategies import bare_case

RESEARCH = {"workload": {"function": "research"}, "inhouse": {"wage_per_hour": 40.0}}


def test_a_plain_case_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", BpoCostWarning)
        evaluate(bare_case(**RESEARCH))


@pytest.mark.parametrize("name", example_names())
def test_examples_give_no_warning(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", BpoCostWarning)
        evaluate(example_path(name))


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"discount_rate_annual": 0.6}, "discount_rate_annual"),
        ({"wage_inflation_per_year": 0.3}, "wage_inflation_per_year"),
        ({"workload": {"growth_per_year": 0.8}}, "workload.growth_per_year"),
        ({"workload": {"handle_minutes": 600.0}}, "workload.handle_minutes"),
        ({"inhouse": {"attrition_per_year": 1.5}}, "inhouse.attrition_per_year"),
        ({"inhouse": {"wage_per_hour": 1.0}}, "inhouse.wage_per_hour"),
    ],
    ids=["discount", "wage-inflation", "growth", "handle", "attrition", "low-wage"],
)
def test_suspicious_value_warns_with_field(patch, field):
    case = bare_case(**RESEARCH)
    for key, value in patch.items():
        case[key] = {**case[key], **value} if isinstance(value, dict) else value
    with pytest.warns(BpoCostWarning, match=field):
        evaluate(case)


def test_vendor_rate_below_card_low_warns():
    option = {
        **bare_case()["options"][0],
        "location": {"tier": "offshore", "country": "PH"},
        "pricing": {"model": "hourly", "rate": 0.5},
    }
    with pytest.warns(BpoCostWarning, match=r"options\.0\.pricing\.rate"):
        evaluate(bare_case(**RESEARCH, options=[option]))


def test_a_card_in_another_currency_is_not_compared():
    """A GBP wage of 13 is not below the GB card's USD 14.62: no warning without an exchange rate;
    the same number in a USD case is."""
    case = bare_case(workload={"function": "customer_service_voice", "handle_minutes": 6.0})
    case["inhouse"] |= {"wage_per_hour": 13.0, "country": "GB"}
    with pytest.warns(BpoCostWarning, match=r"inhouse\.wage_per_hour = 13 is below .* in GB"):
        evaluate(case)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BpoCostWarning)
        evaluate({**case, "currency": "GBP"})


def test_cli_prints_warning_lines_and_still_answers(capsys, tmp_path):
    import yaml

    data = yaml.safe_load(example_path("payroll").read_text())
    data["discount_rate_annual"] = 0.9
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["evaluate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "bpo-cost: warning: discount_rate_annual = 0.9" in err
