"""Cases with delivery lines and migration waves (#14) for the workbook tests: a blend of
onshore and offshore lines, a split award between two providers, partial scope and waves, on a
live channel and on back-office work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bpo_cost import load_case

# The v1 examples as released (tests/baselines): the hand calculations below use their prices,
# which the bundled examples may revise.
BASELINES = Path(__file__).parent / "baselines"


def _example(name: str) -> dict[str, Any]:
    v1 = BASELINES / name / "case.yaml"
    data: dict[str, Any] = load_case(v1).model_dump(mode="json", exclude_none=True)
    data.pop("uncertainty", None)  # distributions of the v1 option paths the lines replace
    return data


def blended_voice() -> dict[str, Any]:
    """Voice (live): the offshore option a 20/80 onshore/offshore blend moved in two waves;
    the nearshore option moves 70 % of the calls (the rest stays in-house, Erlang C)."""
    case = _example("voice_customer_service")
    _, nearshore, offshore = case["options"]
    offshore_pricing = offshore.pop("pricing")
    offshore["lines"] = [
        {
            "share": 0.2,
            "location": {"tier": "onshore", "country": "US"},
            "pricing": {"model": "hourly", "basis": "productive_hour", "rate": 46.0},
            "escalator": {"cola_per_year": 0.03, "cap_per_year": 0.03},
        },
        {"share": 0.8, "pricing": offshore_pricing},
    ]
    offshore["waves"] = [{"month": 3, "share": 0.4}, {"month": 9, "share": 1.0}]
    nearshore["lines"] = [{"share": 0.7, "pricing": nearshore.pop("pricing")}]
    return case


def split_claims() -> dict[str, Any]:
    """Back office: a split award (60 % tiers with a minimum by one provider, 40 % flat by
    another with its own escalator, credits and automation) in three waves; an hourly option
    moving half the claims."""
    case = _example("claims_back_office")
    tiers, collar, flat, hourly = case["options"]
    tiers_pricing = tiers.pop("pricing")
    tiers["name"] = "Split award"
    tiers["lines"] = [
        {"share": 0.6, "pricing": tiers_pricing, "provider": "Vendor D"},
        {
            "share": 0.4,
            "provider": "Vendor F",
            "location": {"tier": "onshore", "country": "US"},
            "pricing": {"model": "per_transaction", "price": 9.5, "minimum_volume_per_month": 4000},
            "escalator": {"cola_per_year": 0.03},
            "service_credits": {"at_risk_share": 0.08, "expected_breach_share": 0.2},
            "automation": {
                "share": 0.1,
                "cost_per_unit": 0.9,
                "build_cost": 40000,
                "start_month": 8,
            },
        },
    ]
    tiers["waves"] = [
        {"month": 2, "share": 0.25},
        {"month": 6, "share": 0.7},
        {"month": 13, "share": 1.0},
    ]
    hourly["lines"] = [{"share": 0.5, "pricing": hourly.pop("pricing")}]
    case["options"] = [tiers, collar, flat, hourly]
    return case


def split_contact_centre() -> dict[str, Any]:
    """Several workloads: voice split between two hourly providers (live, each staffed on its
    share), chat half kept in-house, email whole; moved in two waves."""
    from tests.multi_workload import contact_centre

    case = contact_centre()
    case.pop("uncertainty", None)
    onshore = case["options"][0]
    rate = onshore.pop("pricing")
    onshore["lines"] = [
        {"workload": "voice", "share": 0.5, "pricing": rate, "provider": "Vendor A"},
        {
            "workload": "voice",
            "share": 0.5,
            "provider": "Vendor H",
            "pricing": {"model": "hourly", "basis": "productive_hour", "rate": 44.0},
        },
        {"workload": "chat", "share": 0.5, "pricing": rate},
        {"workload": "email", "pricing": {"model": "per_transaction", "price": 2.4}},
    ]
    onshore["waves"] = [{"month": 1, "share": 0.5}, {"month": 7, "share": 1.0}]
    return case


DELIVERY = {
    "blended_voice": blended_voice,
    "split_claims": split_claims,
    "split_contact_centre": split_contact_centre,
}
