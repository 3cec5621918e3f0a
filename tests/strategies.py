"""Hypothesis strategies shared by the test suite: random valid cases and their parts."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st


def bare_case(**overrides: Any) -> dict[str, Any]:
    """A case with every hidden cost, escalator and index switched off: easy to compute by hand.

    Work is 1,000 units a month of 60 minutes each, in-house at $20/hour with no loads, so the
    in-house cost is exactly 1,000 h x $20 = $20,000 a month; one option prices a unit at $15.
    """
    zero_transition = {
        "vendor_selection_share_of_acv": 0.0,
        "transition_months": 0,
        "transition_team_share": 0.0,
        "parallel_run_months": 0,
        "severance_months_of_pay": 0.0,
        "retention_share": 0.0,
        "ramp_months": 0,
        "governance_share_of_fees": 0.0,
        "repeat_rate": 0.0,
    }
    case: dict[str, Any] = {
        "name": "bare",
        "start": "2027-01",
        "term_months": 12,
        "discount_rate_annual": 0.0,
        "inflation_per_year": 0.0,
        "wage_inflation_per_year": 0.0,
        "workload": {
            "function": "data_entry",
            "unit": "form",
            "volume_per_month": 1000.0,
            "handle_minutes": 60.0,
        },
        "inhouse": {
            "wage_per_hour": 20.0,
            "benefits_load": 0.0,
            "payroll_tax": 0.0,
            "shrinkage": 0.0,
            "occupancy": 1.0,
            "supervision_span": 10.0,
            "supervisor_wage_per_hour": 0.0,
            "facilities_per_seat_month": 0.0,
            "it_per_seat_month": 0.0,
            "attrition_per_year": 0.0,
            "cost_per_hire": 0.0,
            "training_per_hire": 0.0,
        },
        "options": [
            {
                "name": "Vendor",
                "location": {"tier": "offshore", "country": "PH"},
                "pricing": {"model": "per_transaction", "price": 15.0},
                "escalator": {"cola_per_year": 0.0, "productivity_per_year": 0.0},
                "service_credits": {"at_risk_share": 0.1, "expected_breach_share": 0.0},
                "transition": zero_transition,
            }
        ],
    }
    return _merge(case, overrides)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


money = st.floats(min_value=0.0, max_value=5e4, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.0, max_value=0.5, allow_nan=False)


@st.composite
def pricings(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["hourly", "flat", "tiers", "collar", "outcome"]))
    if kind == "hourly":
        return {
            "model": "hourly",
            "basis": draw(st.sampled_from(["productive_hour", "fte_month"])),
            "rate": draw(st.floats(1.0, 80.0)),
            "minimum_billed_per_month": draw(st.sampled_from([0.0, 10.0, 2000.0])),
        }
    if kind == "flat":
        return {
            "model": "per_transaction",
            "price": draw(st.floats(0.5, 40.0)),
            "minimum_volume_per_month": draw(st.sampled_from([0.0, 3000.0])),
        }
    if kind == "tiers":
        b1 = draw(st.floats(500.0, 5000.0))
        return {
            "model": "per_transaction",
            "tier_mode": draw(st.sampled_from(["all_units", "incremental"])),
            "tiers": [
                {"up_to": b1, "price": draw(st.floats(1.0, 30.0))},
                {"up_to": b1 * 2, "price": draw(st.floats(1.0, 30.0))},
                {"price": draw(st.floats(1.0, 30.0))},
            ],
        }
    if kind == "collar":
        return {
            "model": "per_transaction",
            "collar": {
                "base_fee_per_month": draw(st.floats(1e3, 1e5)),
                "baseline_volume": draw(st.floats(500.0, 5000.0)),
                "dead_band": draw(st.floats(0.0, 0.2)),
                "arc": draw(st.floats(0.0, 20.0)),
                "rrc": draw(st.floats(0.0, 20.0)),
            },
        }
    out: dict[str, Any] = {
        "model": "outcome",
        "price_per_outcome": draw(st.floats(1.0, 40.0)),
        "outcome_rate": draw(st.floats(0.3, 1.0)),
        "base_fee_per_month": draw(st.sampled_from([0.0, 5000.0])),
    }
    if draw(st.booleans()):
        out["gainshare"] = {
            "baseline_cost_per_month": draw(st.floats(1e3, 1e5)),
            "share": draw(share),
            "painshare": draw(st.booleans()),
        }
    if draw(st.booleans()):
        out["kpi"] = {
            "target": 0.9,
            "expected": draw(st.floats(0.8, 1.0)),
            "per_point": 1.0,
            "cap": 0.05,
        }
    return out


@st.composite
def cases(
    draw: st.DrawFn, *, max_options: int = 3, real_time: bool | None = None
) -> dict[str, Any]:
    """A random valid case (a mapping), every pricing model and hidden cost in play."""
    term = draw(st.sampled_from([12, 24, 36, 60]))
    rt = draw(st.booleans()) if real_time is None else real_time
    workload: dict[str, Any] = {
        "function": "customer_service_voice" if rt else "claims_processing",
        "volume_per_month": draw(st.floats(100.0, 20000.0)),
        "growth_per_year": draw(st.floats(-0.1, 0.2)),
        "seasonality": draw(st.lists(st.floats(0.7, 1.3), min_size=12, max_size=12)),
        "handle_minutes": draw(st.floats(2.0, 30.0)),
    }
    if rt:
        workload["real_time"] = {
            "service_level_target": draw(st.floats(0.6, 0.9)),
            "answer_seconds": draw(st.sampled_from([20.0, 30.0, 60.0])),
        }
    options = []
    for i in range(draw(st.integers(1, max_options))):
        short = min(term - 1, 6)
        option: dict[str, Any] = {
            "name": f"Option {i + 1}",
            "location": {"tier": "offshore", "country": "IN"},
            "pricing": draw(pricings()),
            "escalator": {
                "cola_per_year": draw(st.floats(0.0, 0.06)),
                "cap_per_year": draw(st.sampled_from([None, 0.04])),
                "productivity_per_year": draw(st.floats(0.0, 0.03)),
            },
            "service_credits": {
                "at_risk_share": 0.1,
                "expected_breach_share": draw(st.floats(0.0, 0.5)),
            },
            "transition": {
                "parallel_run_months": draw(st.integers(0, short)),
                "transition_months": draw(st.integers(0, short)),
                "ramp_months": draw(st.integers(0, short)),
                "ramp_start_efficiency": draw(st.floats(0.5, 1.0)),
                "knowledge_transfer_cost": draw(st.sampled_from([0.0, 25000.0])),
                "governance_fte": draw(st.sampled_from([0.0, 0.5])),
            },
        }
        if draw(st.booleans()):
            option["automation"] = {
                "share": draw(st.floats(0.0, 0.4)),
                "cost_per_unit": draw(st.floats(0.0, 3.0)),
                "build_cost": draw(st.sampled_from([0.0, 50000.0])),
                "start_month": draw(st.integers(1, term)),
            }
        options.append(option)
    return {
        "name": "random case",
        "start": draw(st.sampled_from(["2027-01", "2027-07", "2028-11"])),
        "term_months": term,
        "discount_rate_annual": draw(st.floats(0.0, 0.15)),
        "inflation_per_year": draw(st.floats(0.0, 0.05)),
        "wage_inflation_per_year": draw(st.floats(0.0, 0.06)),
        "include_exit_costs": draw(st.booleans()),
        "workload": workload,
        "inhouse": {
            "wage_per_hour": draw(st.floats(5.0, 60.0)),
            "other_roles": [{"name": "Manager", "headcount": 1.0, "wage_per_hour": 50.0}],
            "stranded_costs": [
                {
                    "name": "Lease",
                    "cost_per_month": 5000.0,
                    "months_remaining": draw(st.integers(0, term)),
                }
            ],
            "fixed_costs_per_month": draw(st.sampled_from([0.0, 3000.0])),
        },
        "options": options,
    }


# ------------------------------------------------------------------------------- input paths

# A field name: any text without the grammar's marks, not only ASCII digits (that is an index).
path_keys = st.text(min_size=1, max_size=12).filter(
    lambda k: not any(c in k for c in ".[]") and not (k.isascii() and k.isdigit())
)
# A list item's name: any text without "]", not only ASCII digits; dots and spaces welcome.
path_names = st.text(min_size=1, max_size=16).filter(
    lambda k: "]" not in k and not (k.isascii() and k.isdigit())
)


@st.composite
def path_steps(draw: st.DrawFn) -> list[Any]:
    """Steps of a path in the grammar of ``bpo_cost.case.paths``: keys, indices, names."""
    from bpo_cost.case.paths import Name

    steps: list[Any] = [draw(path_keys)]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["key", "index", "name"]))
        if kind == "name" and not isinstance(steps[-1], Name):
            steps.append(Name(draw(path_names)))
        elif kind == "index":
            steps.append(draw(st.integers(0, 10**6)))
        else:
            steps.append(draw(path_keys))
    return steps


_KEY = r"(0|[1-9][0-9]*|[^.\[\]]*[^.\[\]0-9][^.\[\]]*)"  # an index or a field name
_NAME = r"[^\]]*[^\]0-9][^\]]*"
# Paths written in the grammar's normal form (indices as .1, never [1]), straight as text.
path_texts = st.from_regex(rf"{_KEY}(\[{_NAME}\])?(\.{_KEY}(\[{_NAME}\])?)*", fullmatch=True)


def contact_centre(**overrides: Any) -> dict[str, Any]:
    """Three workloads (live voice, chat with concurrency, deferred email), each option pricing
    each workload by a line of its own, nothing fixed in-house: every cost is linear in one
    workload's staffing, so the case is the sum of its one-workload cases."""
    case = bare_case()
    del case["workload"]
    live = {"service_level_target": 0.8, "answer_seconds": 20.0, "interval_minutes": 30.0}
    case["workloads"] = [
        {
            "name": "voice",
            "function": "customer_service_voice",
            "unit": "call",
            "volume_per_month": 52_000.0,
            "growth_per_year": 0.05,
            "seasonality": [1.1, 1.0, 1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15],
            "handle_minutes": 3.0,
            "real_time": live,
        },
        {
            "name": "chat",
            "function": "customer_service_chat",
            "unit": "chat",
            "volume_per_month": 20_000.0,
            "growth_per_year": 0.2,
            "handle_minutes": 8.0,
            "real_time": {**live, "concurrency": 2.5},
            "inhouse": {"wage_per_hour": 18.0, "occupancy": 0.9},
        },
        {
            "name": "email",
            "function": "customer_service_email",
            "unit": "email",
            "volume_per_month": 9_000.0,
            "handle_minutes": 6.0,
            "inhouse": {"shrinkage": 0.2},
        },
    ]
    case["inhouse"] |= {
        "benefits_load": 0.25,
        "shrinkage": 0.3,
        "occupancy": 0.85,
        "supervisor_wage_per_hour": 30.0,
        "facilities_per_seat_month": 300.0,
        "attrition_per_year": 0.3,
        "cost_per_hire": 4000.0,
    }
    vendor = case["options"][0]
    del vendor["pricing"]
    vendor["lines"] = [
        {"workload": "voice", "pricing": {"model": "hourly", "rate": 14.0}},
        {"workload": "chat", "pricing": {"model": "per_transaction", "price": 2.1}},
        {"workload": "email", "pricing": {"model": "per_transaction", "price": 1.6}},
    ]
    vendor["transition"] = {"transition_months": 2, "parallel_run_months": 1, "ramp_months": 3}
    return _merge(case, overrides)


# Examples whose workbook the writer cannot build yet (none: the workbook holds several
# workloads since issue #13's workbook face).
WORKBOOK_PENDING: frozenset[str] = frozenset()


def workbook_examples() -> list[str]:
    """The bundled examples that have a business-case workbook."""
    from bpo_cost.case.examples import example_names

    return [n for n in example_names() if n not in WORKBOOK_PENDING]
