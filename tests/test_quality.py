"""Quality-adjusted volume and who pays the productivity dip (#14 items 5 and 6).

Golden values are worked out by hand below from the formulas of docs/methodology.md#hidden-costs
on ``bare_case`` (1,000 units a month of 60 minutes, in-house at $20 an hour with no loads, one
option at $15 a unit, every hidden cost off).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bpo_cost import evaluate, load_case, sensitivity, simulate
from bpo_cost.case.checks import suspicious_values
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.io import parse_case
from bpo_cost.case.models import Case
from bpo_cost.cli import main
from bpo_cost.cli.core import STARTERS
from bpo_cost.engine.compile import numeric_inputs
from bpo_cost.engine.components import INHOUSE
from bpo_cost.rates.cards import load_cards
from tests.multi_workload import contact_centre

from .strategies import bare_case

HOURLY = {"model": "hourly", "basis": "productive_hour", "rate": 10.0, "occupancy": 0.8}
OUTCOME = {"model": "outcome", "price_per_outcome": 20.0, "outcome_rate": 0.5}


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_case(example_path(name)).model_dump(mode="json")
    return data


def _with_quality(case: dict[str, Any], rate: float) -> dict[str, Any]:
    """The case with a rework rate on the in-house side, every option and every line."""
    case = copy.deepcopy(case)
    case["inhouse"]["quality"] = {"rework_rate": rate}
    for o in case["options"]:
        o["quality"] = {"rework_rate": rate}
        for line in o.get("lines") or []:
            line["quality"] = {"rework_rate": rate}
    return case


def _fees(case: dict[str, Any], option: str = "Vendor") -> np.ndarray:
    return np.asarray(evaluate(case).components.by_owner[option]["vendor.fees"][0])


@pytest.mark.parametrize("name", example_names())
def test_a_zero_rework_rate_changes_nothing_exactly(name: str) -> None:
    plain = evaluate(_example(name))
    zero = evaluate(_with_quality(_example(name), 0.0))
    np.testing.assert_array_equal(zero.totals().to_numpy(), plain.totals().to_numpy())
    np.testing.assert_array_equal(zero.monthly().to_numpy(), plain.monthly().to_numpy())


def test_a_zero_rework_rate_changes_nothing_with_lines() -> None:
    plain = evaluate(contact_centre())
    zero = evaluate(_with_quality(contact_centre(), 0.0))
    np.testing.assert_array_equal(zero.monthly().to_numpy(), plain.monthly().to_numpy())


def test_per_transaction_bills_the_rework_against_a_hand_calculation() -> None:
    # 1,000 forms x (1 + 0.05) = 1,050 billed at $15 = 15,750 a month
    case = bare_case()
    case["options"][0]["quality"] = {"rework_rate": 0.05}
    np.testing.assert_allclose(_fees(case), 15_750.0, rtol=1e-12)
    # the minimum sees the reworked units: max(1,050, 1,040) x 15 = 15,750; max(1,050, 1,100)
    case["options"][0]["pricing"]["minimum_volume_per_month"] = 1_040.0
    np.testing.assert_allclose(_fees(case), 15_750.0, rtol=1e-12)
    case["options"][0]["pricing"]["minimum_volume_per_month"] = 1_100.0
    np.testing.assert_allclose(_fees(case), 16_500.0, rtol=1e-12)


def test_outcome_bills_the_rework_against_a_hand_calculation() -> None:
    # 1,000 x 1.1 = 1,100 units, half of them outcomes at $20: 11,000 a month
    case = bare_case()
    case["options"][0] |= {"pricing": OUTCOME, "quality": {"rework_rate": 0.1}}
    np.testing.assert_allclose(_fees(case), 11_000.0, rtol=1e-12)


def test_hourly_staffs_the_rework_against_a_hand_calculation() -> None:
    # 1,000 x 1.1 = 1,100 forms x 60 min / 60 / 0.8 occupancy = 1,375 h at $10 = 13,750
    case = bare_case()
    case["options"][0] |= {"pricing": HOURLY, "quality": {"rework_rate": 0.1}}
    np.testing.assert_allclose(_fees(case), 13_750.0, rtol=1e-12)
    staff = evaluate(case).staffing()
    hours = staff[(staff.owner == "Vendor") & (staff.measure == "billed_hours")]["value"]
    np.testing.assert_allclose(hours.to_numpy(), 1_375.0, rtol=1e-12)


def test_inhouse_rework_against_a_hand_calculation() -> None:
    # 1,000 x 1.1 = 1,100 h at $20 = 22,000 a month; the vendor's fees are unchanged (15,000)
    case = bare_case()
    case["inhouse"]["quality"] = {"rework_rate": 0.1}
    r = evaluate(case)
    np.testing.assert_allclose(r.components.total(INHOUSE)[0], 22_000.0, rtol=1e-12)
    np.testing.assert_allclose(r.components.total("Vendor")[0], 15_000.0, rtol=1e-12)
    staff = r.staffing()
    volume = staff[(staff.owner == INHOUSE) & (staff.measure == "volume")]["value"]
    np.testing.assert_allclose(volume.to_numpy(), 1_100.0, rtol=1e-12)


def test_inhouse_rework_follows_the_improvement_path() -> None:
    # month 7: automation takes 20 %, the agents handle 800 x 1.1 = 880 h -> 17,600 + 1,100;
    # year 2: 880 h x 0.9 = 792 h -> 15,840 + 100 of automation (deflected units not reworked)
    case = bare_case(term_months=24)
    case["inhouse"]["improvement"] = {
        "productivity_per_year": 0.10,
        "automation": {"share": 0.2, "cost_per_unit": 0.5, "build_cost": 1000.0, "start_month": 7},
    }
    case["inhouse"]["quality"] = {"rework_rate": 0.1}
    want = [22_000.0] * 6 + [18_700.0] + [17_700.0] * 5 + [15_940.0] * 12
    total = evaluate(case).components.total(INHOUSE)[0]
    np.testing.assert_allclose(total, want, rtol=1e-12)


def test_live_work_is_staffed_by_erlang_c_on_the_reworked_volume() -> None:
    """Rework on a live channel costs what the queue needs for the extra calls: the same as
    the case with 10 % more calls (Erlang C, not a straight 10 %)."""
    reworked = _example("voice_customer_service")
    reworked["options"] = [o for o in reworked["options"] if o.get("pricing")]  # not the blend
    reworked["inhouse"]["quality"] = {"rework_rate": 0.1}
    hourly = [i for i, o in enumerate(reworked["options"]) if o["pricing"]["model"] == "hourly"]
    assert hourly  # an hourly option staffs its own Erlang C pool
    for i in hourly:
        reworked["options"][i]["quality"] = {"rework_rate": 0.1}
    more = _example("voice_customer_service")
    more["options"] = [o for o in more["options"] if o.get("pricing")]
    more["workload"]["volume_per_month"] *= 1.1
    got, want = evaluate(reworked), evaluate(more)
    for owner in [INHOUSE, *(reworked["options"][i]["name"] for i in hourly)]:
        key = "inhouse.salaries" if owner == INHOUSE else "vendor.fees"
        np.testing.assert_allclose(
            got.components.by_owner[owner][key], want.components.by_owner[owner][key], rtol=1e-9
        )
    base = evaluate(_example("voice_customer_service")).components.total(INHOUSE)[0]
    ratio = got.components.total(INHOUSE)[0] / base
    assert not np.allclose(ratio, ratio[0])  # the queue, not a flat factor


@pytest.mark.parametrize("pricing", [None, HOURLY, OUTCOME])
def test_worse_first_contact_resolution_costs_more(pricing: dict[str, Any] | None) -> None:
    """Two offers alike but for their rework: the one resolving less at first contact costs
    more, by what its extra units cost."""
    case = bare_case()
    good, poor = copy.deepcopy(case["options"][0]), copy.deepcopy(case["options"][0])
    if pricing is not None:
        good["pricing"] = poor["pricing"] = pricing
    good |= {"name": "Resolves", "quality": {"rework_rate": 0.05}}
    poor |= {"name": "Repeats", "quality": {"rework_rate": 0.25}}
    case["options"] = [good, poor]
    tco = evaluate(case).summary()["tco"]
    assert tco["Repeats"] > tco["Resolves"]
    # every component here is linear in the volume: the ratio is exactly the volumes'
    assert tco["Repeats"] / tco["Resolves"] == pytest.approx(1.25 / 1.05, rel=1e-12)


def test_inhouse_rework_raises_what_outsourcing_saves() -> None:
    case = bare_case()
    plain = evaluate(case).summary().loc["Vendor", "savings"]
    case["inhouse"]["quality"] = {"rework_rate": 0.1}
    assert evaluate(case).summary().loc["Vendor", "savings"] == pytest.approx(plain + 12 * 2_000)


def test_a_line_reworks_with_its_own_rate_else_the_options() -> None:
    """contact_centre: the nearshore option bills voice by its pricing, chat and email by lines."""
    case = contact_centre()
    plain = evaluate(case).components.by_owner
    nearshore = case["options"][1]
    nearshore["quality"] = {"rework_rate": 0.1}  # voice (the option's schedule) and chat
    nearshore["lines"][1]["quality"] = {"rework_rate": 0.0}  # email: its own, none
    got = evaluate(case).staffing()
    before = evaluate(contact_centre()).staffing()

    def volume(staff: Any, workload: str) -> np.ndarray:
        rows = staff[
            (staff.owner == nearshore["name"])
            & (staff.workload == workload)
            & (staff.measure == "volume")
        ]
        return np.asarray(rows["value"].to_numpy())

    for workload, factor in (("voice", 1.1), ("chat", 1.1), ("email", 1.0)):
        np.testing.assert_allclose(
            volume(got, workload), volume(before, workload) * factor, rtol=1e-12
        )
    assert plain  # the other options are untouched
    after = evaluate(case).components.by_owner
    for o in (case["options"][0]["name"], case["options"][2]["name"]):
        np.testing.assert_array_equal(after[o]["vendor.fees"], plain[o]["vendor.fees"])


# ------------------------------------------------------------------ who pays the productivity dip


def _dip_case(payer: str | None, pricing: dict[str, Any] | None) -> dict[str, Any]:
    """``bare_case`` with a 4-month ramp from 0.8: months 1-4 at 0.8, 0.85, 0.9, 0.95."""
    case = bare_case()
    o = case["options"][0]
    if pricing is not None:
        o["pricing"] = pricing
    o["transition"] |= {"ramp_months": 4, "ramp_start_efficiency": 0.8}
    if payer is not None:
        o["transition"]["dip_paid_by"] = payer
    return case


def _dip(case: dict[str, Any]) -> np.ndarray:
    return np.asarray(
        evaluate(case).components.by_owner["Vendor"]["transition.productivity_dip"][0]
    )


# the dip as a share of the month's fees: 1 / e - 1
DIP = np.array([0.25, 1 / 0.85 - 1, 1 / 0.9 - 1, 1 / 0.95 - 1] + [0.0] * 8)


@pytest.mark.parametrize(
    ("pricing", "fees"),
    [(None, 15_000.0), (HOURLY, 12_500.0), (OUTCOME, 10_000.0)],
    ids=["per_transaction", "hourly", "outcome"],
)
@pytest.mark.parametrize("payer", [None, "client", "pricing", "vendor"])
def test_the_dip_is_paid_by_whom_the_case_says(
    payer: str | None, pricing: dict[str, Any] | None, fees: float
) -> None:
    case = _dip_case(payer, pricing)
    np.testing.assert_allclose(_fees(case), fees, rtol=1e-12)
    hourly = pricing is not None and pricing["model"] == "hourly"
    client_pays = payer in (None, "client") or (payer == "pricing" and hourly)
    np.testing.assert_allclose(_dip(case), DIP * fees if client_pays else 0.0, rtol=1e-12, atol=0)


def test_by_pricing_an_option_pays_the_dip_of_its_hourly_lines_only() -> None:
    """contact_centre's nearshore option: voice by its pricing (hourly), chat by an hourly line,
    email by a per-email line: the dip falls on the hourly schedules' fees only, i.e. what the
    client would pay on every schedule if the email line cost nothing."""
    case = contact_centre()
    name = case["options"][1]["name"]
    free_email = copy.deepcopy(case)
    email = free_email["options"][1]["lines"][1]
    assert email["workload"] == "email" and email["pricing"]["model"] == "per_transaction"
    email["pricing"] = {"model": "per_transaction", "price": 0.0}
    case["options"][1]["transition"]["dip_paid_by"] = "pricing"

    def dip(c: dict[str, Any]) -> np.ndarray:
        return np.asarray(evaluate(c).components.by_owner[name]["transition.productivity_dip"])

    want = dip(free_email)
    assert want.any()
    np.testing.assert_allclose(dip(case), want, rtol=1e-12)
    client = copy.deepcopy(case)
    client["options"][1]["transition"]["dip_paid_by"] = "client"
    assert (dip(client) > dip(case)).any()  # the email line's dip is the vendor's now


def test_the_starters_leave_the_dip_to_the_pricing(tmp_path: Path) -> None:
    for model in STARTERS:
        path = tmp_path / f"{model}.yaml"
        assert main(["init", str(path), "--model", model]) == 0
        for o in yaml.safe_load(path.read_text())["options"]:
            assert o["transition"]["dip_paid_by"] == "pricing"


# ---------------------------------------------------------------------------------- the warning


def test_rework_beside_a_repeat_rate_warns_naming_both_fields() -> None:
    case = _example("voice_customer_service")
    assert case["options"][0]["transition"]["repeat_rate"] > 0
    case["options"][0]["quality"] = {"rework_rate": 0.08}
    found = suspicious_values(load_case_dict(case), load_cards())
    said = [f for f in found if "counted twice" in f and "rework" in f]
    assert len(said) == 1
    assert "options.0.quality.rework_rate = 0.08" in said[0]
    assert "options.0.transition.repeat_rate" in said[0]
    case["options"][0]["transition"]["repeat_rate"] = 0.0
    found = suspicious_values(load_case_dict(case), load_cards())
    assert not [f for f in found if "rework" in f]


def test_a_lines_rework_beside_a_repeat_rate_warns_naming_the_line() -> None:
    case = contact_centre()
    case["options"][1]["transition"]["repeat_rate"] = 0.02
    case["options"][1]["lines"][1]["quality"] = {"rework_rate": 0.1}
    found = suspicious_values(load_case_dict(case), load_cards())
    assert any(
        "options.1.lines.1.quality.rework_rate = 0.1" in f
        and "options.1.transition.repeat_rate = 0.02" in f
        for f in found
    )


def load_case_dict(case: dict[str, Any]) -> Case:
    return parse_case(case)


def test_the_rework_rates_vary_in_sensitivity_and_monte_carlo() -> None:
    """A batch varies a rework rate per scenario (an (n, 1) array): each scenario's cost is the
    case evaluated at its rate."""
    case = bare_case()
    case["inhouse"]["quality"] = {"rework_rate": 0.1}
    case["options"][0] |= {"pricing": HOURLY, "quality": {"rework_rate": 0.1}}
    paths = ["inhouse.quality.rework_rate", "options.0.quality.rework_rate"]
    assert set(paths) <= set(numeric_inputs(load_case(case)))
    tornado = sensitivity(case, inputs=paths, metric="tco").set_index(["owner", "path"])
    assert tornado.loc[(INHOUSE, paths[0]), "swing"] > 0
    assert tornado.loc[("Vendor", paths[1]), "swing"] > 0
    case["uncertainty"] = {paths[1]: {"kind": "uniform", "low": 0.0, "high": 0.3}}
    sim = simulate(case, n=50, seed=3)
    for rate, tco in zip(sim.draws[:, 0], sim.tco[:, 1], strict=True):
        # 1,000 x (1 + rate) forms x 60 min / 0.8 occupancy at $10 an hour, 12 months
        assert tco == pytest.approx(12 * 12_500.0 * (1 + rate), rel=1e-12)


def test_split_lines_of_one_workload_rework_each_with_its_own_rate() -> None:
    # two lines of 50 % each: 500 x 1.1 x 15 (the line's rate) + 500 x 1.2 x 15 (the option's)
    case = bare_case()
    o = case["options"][0]
    pricing = o.pop("pricing")
    o["quality"] = {"rework_rate": 0.2}
    o["lines"] = [
        {"share": 0.5, "pricing": pricing, "quality": {"rework_rate": 0.1}},
        {"share": 0.5, "pricing": pricing},
    ]
    np.testing.assert_allclose(_fees(case), 8_250.0 + 9_000.0, rtol=1e-12)


def test_the_work_kept_in_house_is_reworked_at_the_in_house_rate() -> None:
    # a line of 40 %: 600 forms stay in-house, x 1.1 = 660 h at $20 = 13,200 a month kept;
    # the vendor's 400 forms x 1.05 at $15 = 6,300
    case = bare_case()
    o = case["options"][0]
    o["lines"] = [{"share": 0.4, "pricing": o.pop("pricing")}]
    o["quality"] = {"rework_rate": 0.05}
    case["inhouse"]["quality"] = {"rework_rate": 0.1}
    parts = evaluate(case).components.by_owner["Vendor"]
    np.testing.assert_allclose(parts["inhouse.kept"][0], 13_200.0, rtol=1e-12)
    np.testing.assert_allclose(parts["vendor.fees"][0], 6_300.0, rtol=1e-12)
