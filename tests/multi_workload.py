"""Cases of several workloads for the workbook tests: live voice, chat with concurrency, deferred
email and back-office work, per-workload in-house overrides and per-workload option lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from bpo_cost import load_case
from tests.strategies import bare_case, cases, pricings


def _voice_example() -> dict[str, Any]:
    """The voice case as release 0.1.0 had it (tests/baselines): the layouts built on it keep
    their size when the bundled example changes (#14 item 7)."""
    v1 = Path(__file__).parent / "baselines" / "voice_customer_service" / "case.yaml"
    data: dict[str, Any] = load_case(v1).model_dump(mode="json")
    return data


def contact_centre() -> dict[str, Any]:
    """Voice, chat (2.6 concurrent, its own wage and occupancy) and email (its own shrinkage);
    an option billing all three together by the FTE with a minimum, one with lines for chat
    (hourly) and email (per email, a minimum), one priced only by lines (outcome with
    painshare, a collar, all-units tiers) with automation."""
    case = _voice_example()
    voice = case.pop("workload")
    case["workloads"] = [
        {**voice, "name": "voice"},
        {
            "name": "chat",
            "function": "customer_service_chat",
            "unit": "chat",
            "volume_per_month": 12000,
            "growth_per_year": 0.12,
            "seasonality": [1.1, 1.0, 0.95, 0.95, 0.97, 0.93, 0.92, 0.95, 0.98, 1.02, 1.1, 1.2],
            "handle_minutes": 11.0,
            "real_time": {
                "service_level_target": 0.85,
                "answer_seconds": 45,
                "open_hours_per_month": 300,
                "concurrency": 2.6,
            },
            "inhouse": {"wage_per_hour": 17.5, "occupancy": 0.8},
        },
        {
            "name": "email",
            "function": "customer_service_voice",
            "unit": "email",
            "volume_per_month": 8000,
            "growth_per_year": -0.02,
            "handle_minutes": 7.5,
            "inhouse": {"shrinkage": 0.25},
        },
    ]
    onshore, nearshore, offshore = case["options"]
    onshore["pricing"] = {
        "model": "hourly",
        "basis": "fte_month",
        "rate": 7800.0,
        "minimum_billed_per_month": 150,
    }
    nearshore["lines"] = [
        {
            "workload": "chat",
            "pricing": {
                "model": "hourly",
                "basis": "productive_hour",
                "rate": 17.0,
                "handle_minutes": 12.0,
                "occupancy": 0.82,
            },
        },
        {
            "workload": "email",
            "pricing": {"model": "per_transaction", "price": 2.1, "minimum_volume_per_month": 9000},
        },
    ]
    del offshore["pricing"]
    offshore["lines"] = [
        {
            "workload": "voice",
            "pricing": {
                "model": "outcome",
                "price_per_outcome": 1.9,
                "outcome_rate": 0.96,
                "base_fee_per_month": 50000,
                "gainshare": {
                    "share": 0.3,
                    "baseline_cost_per_month": 400000,
                    "painshare": True,
                    "cap_per_month": 20000,
                },
            },
        },
        {
            "workload": "chat",
            "pricing": {
                "model": "per_transaction",
                "collar": {
                    "base_fee_per_month": 40000,
                    "baseline_volume": 12000,
                    "dead_band": 0.1,
                    "arc": 3.5,
                    "rrc": 2.5,
                },
            },
        },
        {
            "workload": "email",
            "pricing": {
                "model": "per_transaction",
                "tier_mode": "all_units",
                "tiers": [
                    {"up_to": 5000, "price": 2.5},
                    {"up_to": 9000, "price": 2.0},
                    {"price": 1.6},
                ],
            },
        },
    ]
    return case


def back_office() -> dict[str, Any]:
    """Invoices and payments (deferred) and a small chat desk billed together: incremental
    tiers over the summed volume, productive hours with a minimum, an outcome with a KPI."""
    case = contact_centre()
    chat = case["workloads"][1]
    chat["real_time"]["concurrency"] = 4.0
    chat["volume_per_month"] = 900
    case["workloads"] = [
        {
            "name": "invoices",
            "function": "claims_processing",
            "unit": "invoice",
            "volume_per_month": 9000,
            "handle_minutes": 9.0,
            "inhouse": {"wage_per_hour": 23.0},
        },
        {
            "name": "payments",
            "function": "claims_processing",
            "unit": "payment",
            "volume_per_month": 4000,
            "growth_per_year": 0.05,
            "handle_minutes": 4.0,
            "inhouse": {"shrinkage": 0.2, "occupancy": 0.9},
        },
        chat,
    ]
    onshore, nearshore, offshore = case["options"]
    onshore["pricing"] = {
        "model": "per_transaction",
        "tier_mode": "incremental",
        "tiers": [{"up_to": 8000, "price": 6.0}, {"up_to": 12000, "price": 5.0}, {"price": 4.2}],
    }
    del nearshore["lines"]
    nearshore["pricing"] = {
        "model": "hourly",
        "basis": "productive_hour",
        "rate": 21.0,
        "minimum_billed_per_month": 2500,
    }
    del offshore["lines"]
    offshore["pricing"] = {
        "model": "outcome",
        "price_per_outcome": 3.1,
        "outcome_rate": 0.97,
        "kpi": {"target": 0.9, "expected": 0.86, "per_point": 1.0, "cap": 0.05},
    }
    return case


def chat_desk() -> dict[str, Any]:
    """One workload named chat (written in the v1 form, ``workload:``), 3.5 chats at once, its
    own in-house wage and shrinkage, an option pricing it by a line."""
    case = contact_centre()
    chat = case["workloads"][1]
    chat["real_time"]["concurrency"] = 3.5
    chat["inhouse"] = {"wage_per_hour": 18.25, "shrinkage": 0.33}
    case["workloads"] = [chat]
    for option in case["options"]:
        option["lines"] = [line for line in option.get("lines", []) if line["workload"] == "chat"]
    return case


def many_lines() -> dict[str, Any]:
    """Twenty back-office workloads, four options pricing each by a line of its own: more
    structure tests than an Excel function takes arguments (255)."""
    case = bare_case()
    one = case.pop("workload")
    case["workloads"] = [
        {**one, "name": f"w{i}", "volume_per_month": 1000.0 + 150 * i, "handle_minutes": 4 + i / 4}
        for i in range(20)
    ]
    vendor = case["options"][0]
    case["options"] = [
        {
            **vendor,
            "name": f"Vendor {k + 1}",
            "lines": [
                {
                    "workload": f"w{i}",
                    "pricing": {"model": "per_transaction", "price": 2.0 + i / 10 + k},
                }
                for i in range(20)
            ],
        }
        for k in range(4)
    ]
    return case


NAMED = {"contact_centre": contact_centre, "back_office": back_office, "chat_desk": chat_desk}


@st.composite
def multi_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid case of two or three workloads (live or not, chat concurrency, in-house
    overrides) whose options price some workloads by lines of their own."""
    base = draw(cases(max_options=2))
    one = base.pop("workload")
    workloads = []
    for i in range(draw(st.integers(2, 3))):
        w = {**one, "name": f"w{i}", "volume_per_month": draw(st.floats(100.0, 8000.0))}
        w["handle_minutes"] = draw(st.floats(2.0, 20.0))
        if draw(st.booleans()):
            w["real_time"] = {
                "service_level_target": draw(st.floats(0.6, 0.9)),
                "answer_seconds": draw(st.sampled_from([20.0, 60.0])),
                "concurrency": draw(st.sampled_from([1.0, 1.5, 3.0, 5.0])),
            }
        else:
            w.pop("real_time", None)
        own = {
            "wage_per_hour": draw(st.sampled_from([None, 14.0, 31.0])),
            "shrinkage": draw(st.sampled_from([None, 0.2, 0.4])),
            "occupancy": draw(st.sampled_from([None, 0.75, 0.9])),
        }
        if any(v is not None for v in own.values()):
            w["inhouse"] = {k: v for k, v in own.items() if v is not None}
        workloads.append(w)
    base["workloads"] = workloads
    for option in base["options"]:
        lined = draw(st.lists(st.sampled_from([w["name"] for w in workloads]), unique=True))
        option["lines"] = [{"workload": name, "pricing": draw(pricings())} for name in lined]
        if len(lined) == len(workloads) and draw(st.booleans()):
            del option["pricing"]
    return base
