"""Every case field against bad values: each gives an InvalidCaseError naming the field.

The battery walks every number of a case that uses every optional section, so a field added to
the model later is covered without editing this file.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from bpo_cost import InvalidCaseError, evaluate
from bpo_cost.case.io import case_to_pairs, flatten, parse_case

from .strategies import bare_case

# Fields where a negative number is legal (deflation, shrinking volume, a KPI below zero).
NEGATIVE_OK = (
    "growth_per_year",
    "inflation_per_year",
    "cola_per_year",
    ".kpi.target",
    ".kpi.expected",
    "discount_rate_annual",
    "drift_per_year",
)
# Shares and rates bounded by 1: typing 27 for 27 % must be refused.
SHARES = (
    "shrinkage",
    "occupancy",
    "outcome_rate",
    "dead_band",
    ".share",
    "at_risk_share",
    "expected_breach_share",
    "transition_team_share",
    "retention_share",
    "ramp_start_efficiency",
    "repeat_rate",
    "productivity_per_year",
    "service_level_target",
    "cap_per_year",
    "vendor_selection_share_of_acv",
    "governance_share_of_fees",
    "retained.share_of_fees",
    "wage_inflation_per_year",
    "inflation_per_year",
    "growth_per_year",
    "payroll_tax",
    ".kpi.cap",
    "vat_rate",
    "recoverable_share",
    "rework_rate",
    ".band",
    "client_share",
)


def full_case() -> dict[str, Any]:
    """A case that uses every optional section of the model at least once."""
    base = bare_case()
    option = base["options"][0]
    return bare_case(
        term_months=36,
        workload={
            "function": "customer_service_voice",
            "real_time": {"service_level_target": 0.8, "answer_seconds": 20, "concurrency": 1.5},
            "inhouse": {"wage_per_hour": 21.0, "shrinkage": 0.3},
        },
        inhouse={
            "other_roles": [{"name": "Manager", "headcount": 1, "wage_per_hour": 50}],
            "stranded_costs": [{"name": "Lease", "cost_per_month": 100, "months_remaining": 6}],
            "improvement": {
                "productivity_per_year": 0.03,
                "automation": {"share": 0.1, "cost_per_unit": 0.5, "build_cost": 100.0},
            },
            "dated_costs": [
                {"name": "Refresh", "amount": 900.0, "start_month": 30},
                {"name": "Lease", "amount": 50.0, "start_month": 1, "end_month": 12},
            ],
            "asset_sales": [{"name": "Kit", "proceeds": 300.0, "month": 4}],
            "quality": {"rework_rate": 0.05},
        },
        options=[
            {
                **option,
                "name": "Hourly",
                "pricing": {
                    "model": "hourly",
                    "rate": 20.0,
                    "minimum_billed_per_month": 10.0,
                    "handle_minutes": 5.0,
                },
                "automation": {"share": 0.1, "cost_per_unit": 1.0, "build_cost": 100.0},
                "retained": {
                    "roles": [{"name": "Vendor manager", "fte": 2.0, "wage_per_hour": 45.0}],
                    "share_of_fees": 0.01,
                },
                "taxes": {"vat_rate": 0.2, "recoverable_share": 0.1},
                "dated_costs": [{"name": "Licence", "amount": 70.0, "start_month": 2}],
                "asset_sales": [{"name": "Building", "proceeds": 5000.0, "month": 3}],
                "termination": {
                    "month": 20,
                    "fees": [
                        {"up_to_month": 12, "amount": 5000.0},
                        {"up_to_month": 24, "amount": 2500.0},
                    ],
                    "ramp_months": 4,
                    "ramp_start_efficiency": 0.7,
                },
            },
            {
                **option,
                "name": "Tiers",
                "pricing": {
                    "model": "per_transaction",
                    "minimum_volume_per_month": 100.0,
                    "tiers": [{"up_to": 500.0, "price": 3.0}, {"price": 2.0}],
                },
                "waves": [{"month": 1, "share": 0.4}, {"month": 7, "share": 1.0}],
                "quality": {"rework_rate": 0.08},
                "transition": {**option.get("transition", {}), "dip_paid_by": "pricing"},
            },
            {
                **option,
                "name": "Collar",
                # the option's pricing covers workloads without a line: here none (still checked)
                "lines": [
                    {
                        "workload": "main",
                        "share": 0.6,
                        "pricing": {"model": "per_transaction", "price": 2.5},
                        "location": {"tier": "nearshore", "country": "CO"},
                        "provider": "Vendor B",
                        "quality": {"rework_rate": 0.03},
                        "contract_currency": {
                            "code": "MXN",
                            "rate": 0.05,
                            "drift_per_year": -0.04,
                            "clause": "band",
                            "band": 0.05,
                            "client_share": 0.5,
                        },
                    }
                ],
                "pricing": {
                    "model": "per_transaction",
                    "collar": {
                        "base_fee_per_month": 1000.0,
                        "baseline_volume": 900.0,
                        "dead_band": 0.1,
                        "arc": 2.0,
                        "rrc": 1.0,
                    },
                },
            },
            {
                **option,
                "name": "Outcome",
                "pricing": {
                    "model": "outcome",
                    "price_per_outcome": 5.0,
                    "outcome_rate": 0.8,
                    "base_fee_per_month": 10.0,
                    "gainshare": {
                        "baseline_cost_per_month": 9000.0,
                        "share": 0.3,
                        "cap_per_month": 500.0,
                    },
                    "kpi": {"target": 0.9, "expected": 0.92, "per_point": 1.0, "cap": 0.05},
                },
            },
        ],
    )


def numeric_paths() -> list[str]:
    case = parse_case(full_case())
    return [
        p for p, v in case_to_pairs(case) if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]


def with_value(path: str, value: Any) -> dict[str, Any]:
    data = parse_case(full_case()).model_dump(mode="json")
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key = parts[-1]
    if isinstance(node, list):
        node[int(key)] = value
    else:
        node[key] = value
    return data


def refused(data: dict[str, Any], path: str) -> str:
    with pytest.raises(InvalidCaseError) as info:
        parse_case(data)
    message = str(info.value)
    assert path in message, message
    return message


PATHS = numeric_paths()
ALWAYS_BAD = [math.nan, math.inf, -math.inf, "abc", [1.0], {"x": 1.0}, True]


def test_the_battery_covers_every_number():
    assert len(PATHS) > 120  # every section present: see full_case()
    assert parse_case(full_case())  # and the base case itself is valid


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "bad", ALWAYS_BAD, ids=["nan", "inf", "-inf", "text", "list", "dict", "bool"]
)
def test_non_numbers_are_refused(path, bad):
    refused(with_value(path, bad), path)


@pytest.mark.parametrize("path", [p for p in PATHS if not p.endswith(NEGATIVE_OK)])
def test_negative_is_refused(path):
    message = refused(with_value(path, -1.0), path)
    assert "-1" in message


@pytest.mark.parametrize("path", [p for p in PATHS if p.endswith(SHARES)])
def test_percent_typed_as_whole_number_is_refused_with_a_hint(path):
    message = refused(with_value(path, 27.0), path)
    assert "27" in message


@pytest.mark.parametrize(
    "path", [p for p in PATHS if p.endswith(("volume_per_month", "price", "rate", "wage_per_hour"))]
)
def test_absurdly_large_is_refused(path):
    refused(with_value(path, 1e300), path)


REQUIRED = [
    "name",
    "start",
    "term_months",
    "workload",
    "inhouse",
    "options",
    "workload.function",
    "workload.volume_per_month",
    "workload.handle_minutes",
    "inhouse.wage_per_hour",
    "options.0.name",
    "options.0.location",
    "options.0.pricing",
    "options.0.pricing.rate",
    "options.3.pricing.price_per_outcome",
    "options.2.pricing.collar.arc",
    "options.3.pricing.gainshare.baseline_cost_per_month",
    "options.0.retained.roles.0.wage_per_hour",  # a retained role with no wage
    "options.0.retained.roles.0.fte",
]


@pytest.mark.parametrize("path", REQUIRED)
def test_missing_required_field_is_named(path):
    data = parse_case(full_case()).model_dump(mode="json")
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    del node[parts[-1]]
    message = refused(data, path)
    assert "required" in message


INCONSISTENT = {
    "tiers-not-increasing": (
        lambda d: d["options"][1]["pricing"].update(
            tiers=[{"up_to": 500.0, "price": 3.0}, {"up_to": 400.0, "price": 2.5}, {"price": 2.0}]
        ),
        "options.1.pricing",
    ),
    "last-tier-bounded": (
        lambda d: d["options"][1]["pricing"].update(tiers=[{"up_to": 500.0, "price": 3.0}]),
        "options.1.pricing",
    ),
    "price-and-tiers": (
        lambda d: d["options"][1]["pricing"].update(price=2.0),
        "options.1.pricing",
    ),
    "parallel-run-longer-than-term": (
        lambda d: d["options"][0]["transition"].update(parallel_run_months=36),
        "options.0.transition.parallel_run_months",
    ),
    "ramp-longer-than-term": (
        lambda d: d["options"][0]["transition"].update(ramp_months=36),
        "options.0.transition.ramp_months",
    ),
    "automation-after-term": (
        lambda d: d["options"][0]["automation"].update(start_month=40),
        "options.0.automation.start_month",
    ),
    "dead-band-one": (
        lambda d: d["options"][2]["pricing"]["collar"].update(dead_band=1.0),
        "options.2.pricing.collar.dead_band",
    ),
    "seasonality-not-12": (
        lambda d: d["workload"].update(seasonality=[1.0] * 11),
        "workload.seasonality",
    ),
    "open-hours-above-a-month": (
        lambda d: d["workload"]["real_time"].update(open_hours_per_month=800),
        "workload.real_time.open_hours_per_month",
    ),
    "duplicate-option-names": (lambda d: d["options"][1].update(name="Hourly"), "options"),
    "option-named-inhouse": (lambda d: d["options"][1].update(name="inhouse"), "options"),
    "term-too-short": (lambda d: d.update(term_months=6), "term_months"),
    "unknown-field": (lambda d: d["inhouse"].update(salary=5), "inhouse.salary"),
    "wrong-enum": (lambda d: d["workload"].update(function="customer_svc"), "workload.function"),
    "wrong-pricing-model": (
        lambda d: d["options"][0]["pricing"].update(model="hourli"),
        "options.0.pricing.model",
    ),
    "bad-country": (
        lambda d: d["options"][0]["location"].update(country="Philippines"),
        "options.0.location.country",
    ),
    "bad-start": (lambda d: d.update(start="2027-13"), "start"),
    "recoverable-share-above-one": (
        lambda d: d["options"][0]["taxes"].update(recoverable_share=1.5),
        "options.0.taxes.recoverable_share",
    ),
    "dated-cost-after-term": (
        lambda d: d["inhouse"]["dated_costs"][0].update(start_month=37),
        "inhouse.dated_costs.0.start_month",
    ),
    "dated-cost-ends-before-it-starts": (
        lambda d: d["inhouse"]["dated_costs"][1].update(start_month=5, end_month=4),
        "inhouse.dated_costs.1.end_month",
    ),
    "asset-sale-after-term": (
        lambda d: d["options"][0]["asset_sales"][0].update(month=40),
        "options.0.asset_sales.0.month",
    ),
    "no-options": (lambda d: d.update(options=[]), "options"),
}


@pytest.mark.parametrize("name", list(INCONSISTENT))
def test_inconsistent_case_is_refused(name):
    change, path = INCONSISTENT[name]
    data = copy.deepcopy(parse_case(full_case()).model_dump(mode="json"))
    change(data)
    refused(data, path)


def test_every_error_message_is_one_line():
    for path in PATHS[:40]:
        with pytest.raises(InvalidCaseError) as info:
            parse_case(with_value(path, "abc"))
        assert "\n" not in str(info.value)


def test_full_case_evaluates():
    result = evaluate(full_case())
    assert all(math.isfinite(v) for v in result.summary()["tco"])
    assert flatten({"a": [1, {"b": 2}]}) == [("a.0", 1), ("a.1.b", 2)]


def test_erlang_load_beyond_any_contact_centre_is_refused_not_slow():
    data = parse_case(full_case()).model_dump(mode="json")
    data["workload"]["handle_minutes"] = 1e9
    message = refused(data, "workload")
    assert "Erlangs" in message


def test_misspelt_field_comes_first_with_a_suggestion():
    data = parse_case(full_case()).model_dump(mode="json")
    data["workload"]["volume_per_moth"] = data["workload"].pop("volume_per_month")
    message = refused(data, "workload.volume_per_moth")
    assert message.startswith("workload.volume_per_moth")
    assert "did you mean volume_per_month" in message


# ------------------------------------------------------------- lists and texts (reliability 2)

# Every list of the model against a length far beyond its bound: refused at the door, naming it.
OVERSIZE = {
    "workload.seasonality": lambda d: d["workload"].update(seasonality=[1.0] * 100_000),
    "inhouse.other_roles": lambda d: d["inhouse"].update(
        other_roles=d["inhouse"]["other_roles"] * 10_000
    ),
    "inhouse.stranded_costs": lambda d: d["inhouse"].update(
        stranded_costs=d["inhouse"]["stranded_costs"] * 10_000
    ),
    "options.1.pricing.tiers": lambda d: d["options"][1]["pricing"].update(
        tiers=[{"up_to": float(i + 1), "price": 1.0} for i in range(10_000)] + [{"price": 1.0}]
    ),
    "options.0.retained.roles": lambda d: d["options"][0]["retained"].update(
        roles=d["options"][0]["retained"]["roles"] * 10_000
    ),
    "inhouse.dated_costs": lambda d: d["inhouse"].update(
        dated_costs=d["inhouse"]["dated_costs"] * 10_000
    ),
    "inhouse.asset_sales": lambda d: d["inhouse"].update(
        asset_sales=d["inhouse"]["asset_sales"] * 10_000
    ),
    "options.0.dated_costs": lambda d: d["options"][0].update(
        dated_costs=d["options"][0]["dated_costs"] * 10_000
    ),
    "options.0.asset_sales": lambda d: d["options"][0].update(
        asset_sales=d["options"][0]["asset_sales"] * 10_000
    ),
    "options.0.termination.fees": lambda d: d["options"][0]["termination"].update(
        fees=[{"up_to_month": 1 + i % 36, "amount": 1.0} for i in range(10_000)]
    ),
    "options.1.waves": lambda d: d["options"][1].update(
        waves=[{"month": 1, "share": (i + 1) / 10_000} for i in range(10_000)]
    ),
    "options.2.lines": lambda d: d["options"][2].update(
        lines=[{**d["options"][2]["lines"][0], "workload": f"w{i}"} for i in range(10_000)]
    ),
    "workloads": lambda d: d.update(
        workloads=[{**w, "name": f"w{i}"} for w in [d.pop("workload")] for i in range(1_000)]
    ),
    "options": lambda d: d.update(
        options=[{**d["options"][0], "name": f"O{i}"} for i in range(1_000)]
    ),
    "uncertainty": lambda d: d.update(
        uncertainty={f"x{i}": {"kind": "normal", "mean": 1, "sd": 1} for i in range(10_000)}
    ),
}


def test_every_list_of_the_model_is_in_the_oversize_battery():
    lists = {p.rsplit(".", 1)[0] for p, _ in case_to_pairs(parse_case(full_case())) if "." in p}
    listed = {p.rsplit(".", 1)[0] for p in lists if p.rsplit(".", 1)[-1].isdigit()}
    generic = {".".join("N" if s.isdigit() else s for s in p.split(".")) for p in listed}
    covered = {".".join("N" if s.isdigit() else s for s in p.split(".")) for p in OVERSIZE}
    assert generic <= covered | {"N"}, generic - covered


@pytest.mark.parametrize("path", list(OVERSIZE))
def test_an_oversize_list_is_refused_naming_it(path):
    data = copy.deepcopy(parse_case(full_case()).model_dump(mode="json"))
    OVERSIZE[path](data)
    refused(data, path)


def text_paths() -> list[str]:
    """Every free-text input of the full case (names, descriptions, units, providers)."""
    case = parse_case(full_case())
    ids = ("function", "country", "currency", "model", "basis", "tier", "tier_mode", "start")
    return [
        p
        for p, v in case_to_pairs(case)
        if isinstance(v, str) and not p.endswith(ids) and v != "none"
    ]


CONTROL = "x\x01\x1b[2J\x1b]8;;http://e.x\x07[link=http://e.x]y[/link]\ufffe\x9b"


@pytest.mark.parametrize("path", text_paths())
def test_control_characters_in_any_text_give_a_refusal_or_a_valid_workbook(path, tmp_path):
    import zipfile
    from xml.etree import ElementTree

    from bpo_cost.workbook import write_workbook

    data = with_value(path, CONTROL)
    try:
        parse_case(data)
    except InvalidCaseError as exc:  # a text with a pattern (an option name): refused, named
        assert path in str(exc)
        return
    out = write_workbook(data, tmp_path / "t.xlsx")
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    from bpo_cost.case.io import load_case

    assert load_case(out)
