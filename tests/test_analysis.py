"""Decision analysis: sensitivity, break-even, scenario grids and Monte Carlo on the engine.

Analytic checks use the bare case of ``tests/strategies.py``: 1,000 units a month of one hour
each, in-house at $20/hour with no loads (in-house cost = $20 × volume a month), one vendor at
$15 a unit with every hidden cost off, 12 months, no discounting. Other checks compare a batch
with one ``evaluate`` per scenario.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpo_cost.analysis import (
    breakeven,
    breakeven_month,
    breakeven_price,
    breakeven_volume,
    scenario_grid,
    sensitivity,
    simulate,
)
from bpo_cost.analysis.breakeven import with_values
from bpo_cost.api import evaluate, resolve_rates
from bpo_cost.case.distributions import Discrete, LogNormal, Normal, Pert, Triangular, Uniform
from bpo_cost.case.examples import example_path
from bpo_cost.case.io import load_case, parse_case
from bpo_cost.case.models import Case
from bpo_cost.errors import InputError, NoSolutionError
from tests.strategies import bare_case, cases

# The claims case as release 0.1.0 had it (tests/baselines): its offers cross in-house and each
# other inside the ranges these tests search (a flat price, a volume, a tier jump), which the
# revised example (#14 item 7) need not keep.
CLAIMS = Path(__file__).parent / "baselines" / "claims_back_office" / "case.yaml"
VOICE = example_path("voice_customer_service")
OWNERS = [
    "inhouse",
    "Offshore IN tiers",
    "Nearshore MX collar",
    "Onshore US flat",
    "Offshore PH hourly",
]


def bare(**extra: Any) -> Case:
    return parse_case(bare_case(**extra))


def claims() -> Case:
    return resolve_rates(load_case(CLAIMS))[0]


def summary_of(case: Case) -> Any:
    return evaluate(case).summary()


# ---------------------------------------------------------------------------------- tornado


def test_tornado_on_the_bare_case_is_hand_computable() -> None:
    t = sensitivity(bare(), inputs=["workload.volume_per_month"], metric="npv_savings")
    row = t.iloc[0]
    # savings = ($20 - $15) × volume × 12 months = 60 × volume; ±20 % of 1,000 units
    assert (row["low_value"], row["high_value"]) == pytest.approx((800.0, 1200.0))
    assert (row["base"], row["low"], row["high"]) == pytest.approx((60_000, 48_000, 72_000))
    assert row["swing"] == pytest.approx(24_000)
    tco = sensitivity(bare(), inputs=["inhouse.wage_per_hour"], metric="tco", swing=0.1)
    ih = tco[tco["owner"] == "inhouse"].iloc[0]
    assert (ih["low"], ih["high"]) == pytest.approx((216_000, 264_000))  # 1,000 h × 12 × $18/$22


def test_tornado_agrees_with_one_evaluate_per_swing() -> None:
    case = claims().model_copy(update={"uncertainty": {}})  # default ranges: ±20 %
    paths = [
        "workload.volume_per_month",
        "options[Offshore PH hourly].pricing.rate",
        "inhouse.attrition_per_year",
        "options.0.transition.ramp_months",
    ]
    t = sensitivity(case, inputs=paths, ranges={"inhouse.attrition_per_year": (0.1, 0.4)})
    for _, row in t.iterrows():
        for side in ("low", "high"):
            one = with_values(case, {row["path"]: row[f"{side}_value"]})
            expected = summary_of(one).loc[row["owner"], "npv_savings"]
            assert row[side] == pytest.approx(expected, rel=1e-12, abs=1e-6)
    att = t[t["path"] == "inhouse.attrition_per_year"].iloc[0]
    assert (att["low_value"], att["high_value"]) == (0.1, 0.4)
    ramp = t[t["path"] == "options.0.transition.ramp_months"].iloc[0]
    assert (ramp["low_value"], ramp["high_value"]) == (5.0, 7.0)  # 6 months ± 20 %, rounded


def test_tornado_is_sorted_and_ranges_stay_legal() -> None:
    t = sensitivity(claims())
    assert set(t["owner"]) == set(OWNERS[1:])  # savings of in-house against itself: left out
    for _, group in t.groupby("owner", sort=False):
        assert (np.diff(group["swing"].to_numpy()) <= 0).all()
    occ = t[t["path"] == "inhouse.occupancy"].iloc[0]
    assert occ["high_value"] == 1.0  # 0.85 × 1.2 would exceed the field's maximum of 1
    assert not t["path"].str.endswith("up_to").any()  # tier bounds cannot vary per scenario
    assert t.attrs["metric"] == "npv_savings"


def test_tornado_uses_the_case_distributions_percentiles() -> None:
    case = bare(
        uncertainty={"workload.volume_per_month": {"kind": "uniform", "low": 500, "high": 1500}}
    )
    row = sensitivity(case, inputs=["workload.volume_per_month"]).iloc[0]
    assert (row["low_value"], row["high_value"]) == pytest.approx((600.0, 1400.0))  # P10, P90


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"inputs": ["workload.nope"]}, "input must be"),
        ({"inputs": ["options.0.pricing.tiers.0.up_to"]}, "the path of a number"),
        ({"ranges": {"inhouse.occupancy": (0.5, 1.2)}}, r"in \[.*1\]"),
        ({"metric": "irr"}, "metric must be"),
        ({"swing": 1.5}, "swing must be"),
    ],
    ids=["unknown", "tier-bound", "range-outside", "metric", "swing"],
)
def test_tornado_refuses_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InputError, match=match):
        sensitivity(CLAIMS, **kwargs)


# ------------------------------------------------------------------------------- break-even


def test_breakeven_price_on_the_bare_case() -> None:
    b = breakeven_price(bare(), "Vendor")
    assert b.value == pytest.approx(20.0, rel=1e-12)  # a unit costs $20 in-house
    assert b.exact and b.crossings == (b.value,)


def test_breakeven_volume_on_the_bare_case() -> None:
    case = bare(
        inhouse={"fixed_costs_per_month": 10_000.0},
        options=[
            {**bare_case()["options"][0], "pricing": {"model": "per_transaction", "price": 25.0}}
        ],
    )
    b = breakeven_volume(case, "Vendor", low=100, high=50_000)
    assert b.value == pytest.approx(2000.0, rel=1e-12)  # 20 V + 10,000 = 25 V at V = 2,000


def test_breakeven_month_on_the_bare_case() -> None:
    case = bare(
        options=[
            {
                **bare_case()["options"][0],
                "transition": {
                    **bare_case()["options"][0]["transition"],
                    "vendor_selection_cost": 12_000.0,
                },
            }
        ]
    )
    # saves $5,000 a month after a $12,000 selection cost: -7,000, -2,000, +3,000 -> month 3
    assert breakeven_month(case, "Vendor") == 3
    never = bare(
        options=[
            {**bare_case()["options"][0], "pricing": {"model": "per_transaction", "price": 25.0}}
        ]
    )
    with pytest.raises(NoSolutionError, match="never pays back"):
        breakeven_month(never, "Vendor")


@pytest.mark.parametrize(
    ("how", "owner", "against", "basis"),
    [
        ("price", "Onshore US flat", "inhouse", "tco"),
        ("price", "Offshore IN tiers", "inhouse", "npv_cost"),
        ("price", "Nearshore MX collar", "inhouse", "tco"),
        ("price", "Offshore PH hourly", "Offshore IN tiers", "tco"),
        ("volume", "Onshore US flat", "inhouse", "tco"),
        ("generic", "Offshore PH hourly", "inhouse", "npv_cost"),
    ],
    ids=["flat", "tiers-npv", "collar", "option-vs-option", "volume", "handle-time"],
)
def test_breakeven_plugged_back_gives_equal_costs(
    how: str, owner: str, against: str, basis: str
) -> None:
    case = claims()
    if how == "price":
        b = breakeven_price(case, owner, against=against, basis=basis)  # type: ignore[arg-type]
    elif how == "volume":
        b = breakeven_volume(case, owner, against=against)
    else:
        b = breakeven(
            case, "options[Offshore PH hourly].pricing.handle_minutes", owner=owner, basis=basis
        )  # type: ignore[arg-type]
    assert b.exact
    s = summary_of(b.apply(case))
    assert s.loc[owner, basis] == pytest.approx(s.loc[against, basis], rel=1e-9)
    assert s.loc[owner, basis] == pytest.approx(b.cost, rel=1e-12)


def test_breakeven_at_a_tier_jump_reports_the_gap() -> None:
    b = breakeven_volume(
        CLAIMS, "Offshore IN tiers", against="Offshore PH hourly", low=1000, high=60_000
    )
    assert not b.exact and b.gap != 0
    # the cheaper option changes across the reported volume
    lo, hi = (
        summary_of(with_values(claims(), {"workload.volume_per_month": v}))
        for v in (b.value * (1 - 1e-6), b.value * (1 + 1e-6))
    )
    diff = [
        s.loc["Offshore PH hourly", "tco"] - s.loc["Offshore IN tiers", "tco"] for s in (lo, hi)
    ]
    assert diff[0] * diff[1] < 0


def test_no_breakeven_in_range_says_who_is_cheaper() -> None:
    with pytest.raises(NoSolutionError, match=r"no break-even.*Vendor costs less"):
        breakeven_volume(bare(), "Vendor", low=100, high=5000)
    with pytest.raises(InputError, match="continuous"):
        breakeven(CLAIMS, "options.0.transition.ramp_months", owner="Offshore IN tiers")
    with pytest.raises(InputError, match="owner must be one of"):
        breakeven_price(CLAIMS, "Nobody")


# ------------------------------------------------------------------------------------- grid


def test_grid_agrees_with_one_evaluate_per_scenario() -> None:
    case = claims()
    g = scenario_grid(
        case,
        {
            "workload.volume_per_month": [9000, 15000],
            "options[Onshore US flat].pricing.price": [9.5, 11.5, 13.5],
        },
    )
    assert len(g) == 2 * 3 * len(OWNERS)
    assert g["workload.volume_per_month"].iloc[0] == 9000  # first input varies slowest
    for (vol, price), rows in g.groupby(
        ["workload.volume_per_month", "options[Onshore US flat].pricing.price"]
    ):
        one = summary_of(
            with_values(case, {"workload.volume_per_month": vol, "options.2.pricing.price": price})
        )
        for _, r in rows.iterrows():
            for col in ("tco", "npv_cost", "savings", "npv_savings"):
                assert r[col] == pytest.approx(one.loc[r["owner"], col], rel=1e-12, abs=1e-6)


def test_grid_refuses_bad_values() -> None:
    with pytest.raises(InputError, match="whole numbers"):
        scenario_grid(CLAIMS, {"options.0.transition.ramp_months": [2.5]})
    with pytest.raises(InputError, match="each input once"):
        scenario_grid(
            CLAIMS, {"options.3.pricing.rate": [1], "options[Offshore PH hourly].pricing.rate": [2]}
        )


# ------------------------------------------------------------------------------ Monte Carlo

DEGENERATE = [
    lambda v: Triangular(low=v, mode=v, high=v),
    lambda v: Pert(low=v, mode=v, high=v),
    lambda v: Uniform(low=v, high=v),
    lambda v: Normal(mean=v, sd=0),
    lambda v: LogNormal(mean=v, sd=0) if v > 0 else Discrete(values=[v]),
    lambda v: Discrete(values=[v]),
]


@pytest.mark.parametrize("example", [CLAIMS, VOICE], ids=["claims", "voice-erlang"])
def test_zero_variance_gives_exactly_the_deterministic_result(example: Any) -> None:
    case = resolve_rates(load_case(example))[0]
    values = {p: float(v) for p, v in _numbers(case).items()}
    paths = [*list(case.uncertainty), "discount_rate_annual", "inhouse.wage_per_hour"]
    from bpo_cost.analysis.inputs import Inputs

    ins = Inputs(case)
    dists = {
        p: DEGENERATE[i % len(DEGENERATE)](values[ins.canonical(p)]) for i, p in enumerate(paths)
    }
    dists["workload.growth_per_year"] = Uniform(low=0.0, high=0.0, relative=True)
    sim = simulate(case, n=40, seed=3, uncertainty=dists, chunk_size=16)
    det = evaluate(case).summary()
    for j, owner in enumerate(sim.owners):
        assert (sim.tco[:, j] == det.loc[owner, "tco"]).all()
        assert (sim.npv_cost[:, j] == det.loc[owner, "npv_cost"]).all()
    assert (
        sim.percentiles("npv_savings").to_numpy() == det["npv_savings"].to_numpy()[:, None]
    ).all()


def _numbers(case: Case) -> dict[str, float]:
    from bpo_cost.engine.compile import numeric_inputs

    return numeric_inputs(case)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=cases(), scale=st.floats(0.5, 2.0))
def test_zero_variance_property(data: dict[str, Any], scale: float) -> None:
    case = parse_case(data)
    v = case.workload.volume_per_month * scale
    fixed = with_values(case, {"workload.volume_per_month": v})
    sim = simulate(
        case,
        n=3,
        seed=0,
        workers=1,
        uncertainty={
            "workload.volume_per_month": Triangular(low=v, mode=v, high=v),
            "discount_rate_annual": Normal(mean=case.discount_rate_annual, sd=0),
        },
    )
    det = evaluate(fixed).summary()
    assert (sim.tco == det["tco"].to_numpy()[None, :]).all()
    assert (sim.npv_cost == det["npv_cost"].to_numpy()[None, :]).all()


def test_seed_reproduces_and_chunking_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    kw: dict[str, Any] = {"n": 300, "seed": 42}
    a = simulate(CLAIMS, chunk_size=1024, workers=1, **kw)
    import bpo_cost.analysis.montecarlo as mc

    monkeypatch.setattr(mc, "BLOCK", 32)  # many small parallel tasks instead of one
    for chunk, workers in [(7, 1), (64, 3), (299, 2), (5, 2)]:
        b = simulate(CLAIMS, chunk_size=chunk, workers=workers, **kw)
        assert np.array_equal(a.tco, b.tco) and np.array_equal(a.npv_cost, b.npv_cost)
        assert np.array_equal(a.draws, b.draws)
    c = simulate(CLAIMS, n=300, seed=43)
    assert not np.array_equal(a.tco, c.tco)
    # the first draws of a longer run are the draws of a shorter one
    d = simulate(CLAIMS, n=20, seed=42, chunk_size=1)
    assert np.array_equal(d.tco, a.tco[:20])


def _bare_mc(dist: Any, n: int, path: str = "workload.volume_per_month", **extra: Any) -> Any:
    return simulate(bare(**extra), n=n, seed=2024, uncertainty={path: dist})


@pytest.mark.parametrize("q", [5, 10, 50, 90, 95])
def test_percentiles_match_a_uniform_volume(q: float) -> None:
    n = 40_000
    sim = _bare_mc(Uniform(low=800, high=1200), n)
    p = sim.percentiles("tco").loc["inhouse", f"P{q}"]
    exact = 240.0 * (800 + q / 100 * 400)  # in-house TCO = $20 × 12 months × V, V uniform
    se = 240.0 * 400 * math.sqrt(q / 100 * (1 - q / 100) / n)  # quantile SE: sqrt(pq/n)/f
    assert abs(p - exact) < 5 * se


@pytest.mark.parametrize("q", [5, 10, 50, 90, 95])
def test_percentiles_match_a_lognormal_volume(q: float) -> None:
    n = 40_000
    sim = _bare_mc(LogNormal(mean=1000, sd=250), n)
    s2 = math.log1p(0.25**2)  # lognormal from mean and sd: sigma² = ln(1 + cv²)
    mu, sigma = math.log(1000) - s2 / 2, math.sqrt(s2)
    z = NormalDist().inv_cdf(q / 100)
    exact = 180.0 * math.exp(mu + sigma * z)  # the vendor's TCO = $15 × 12 × V
    density = math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) / (sigma * exact)  # of the TCO
    se = math.sqrt(q / 100 * (1 - q / 100) / n) / density
    assert abs(sim.percentiles("tco").loc["Vendor", f"P{q}"] - exact) < 5 * se


def test_probabilities_match_a_uniform_price() -> None:
    n = 40_000
    second = {
        **bare_case()["options"][0],
        "name": "Fixed",
        "pricing": {"model": "per_transaction", "price": 19.0},
    }
    sim = _bare_mc(
        Uniform(low=16, high=26),
        n,
        "options[Vendor].pricing.price",
        options=[bare_case()["options"][0], second],
    )
    se = math.sqrt(0.25 / n)
    # Vendor beats in-house ($20 a unit) when its price < 20: P = 4/10
    assert sim.probability_cheaper()["Vendor"] == pytest.approx(0.4, abs=5 * se)
    assert sim.probability_cheaper()["Fixed"] == 1.0
    # Vendor is cheapest when its price < 19: 3/10; otherwise Fixed ($19)
    cheapest = sim.probability_cheapest()
    assert cheapest["Vendor"] == pytest.approx(0.3, abs=5 * se)
    assert cheapest["Fixed"] == pytest.approx(1 - cheapest["Vendor"])
    assert cheapest["inhouse"] == 0.0


def test_month_counts_are_whole_and_distributions_must_fit_the_field() -> None:
    sim = simulate(
        CLAIMS,
        n=200,
        seed=1,
        uncertainty={"options[Offshore IN tiers].transition.ramp_months": Uniform(low=2, high=9)},
    )
    col = sim.inputs.index("options.0.transition.ramp_months")
    assert (sim.draws[:, col] == np.round(sim.draws[:, col])).all()
    with pytest.raises(InputError, match="inside"):
        simulate(
            CLAIMS,
            n=10,
            seed=1,
            uncertainty={"inhouse.attrition_per_year": Normal(mean=0.22, sd=0.1)},
        )
    with pytest.raises(InputError, match="at least one distribution"):
        simulate(bare(), n=10, seed=1)
    with pytest.raises(InputError, match="n must be"):
        simulate(CLAIMS, n=0, seed=1)


def test_example_case_results_are_plausible_and_json_ready() -> None:
    sim = simulate(CLAIMS, n=2000, seed=9)
    assert len(sim.inputs) >= 5  # the example carries realistic distributions
    s = sim.summary()
    assert list(s.index) == OWNERS
    p = s[[c for c in s.columns if c.startswith("tco_P")]].to_numpy()
    assert (np.diff(p, axis=1) >= 0).all()  # P5 <= P10 <= ... <= P95
    assert s["p_cheapest"].sum() == pytest.approx(1.0)
    d = sim.drivers()
    assert d.shape == (len(sim.inputs), len(OWNERS) - 1)
    assert (abs(d.to_numpy()) <= 1).all()
    # handle time drives everyone's savings (it sets the in-house team's size)
    assert d.loc["workload.handle_minutes"].min() > 0.3
    json.dumps(sim.to_dict(), allow_nan=False)


def test_one_tier_price_may_vary_alone() -> None:
    # the engine stacks an option's tier prices into one table, varied or not
    case = claims().model_copy(update={"uncertainty": {}})
    t = sensitivity(case, inputs=["options[Offshore IN tiers].pricing.tiers.1.price"])
    row = t[t["owner"] == "Offshore IN tiers"].iloc[0]
    one = with_values(case, {"options.0.pricing.tiers.1.price": row["high_value"]})
    assert row["high"] == pytest.approx(
        summary_of(one).loc["Offshore IN tiers", "npv_savings"], rel=1e-12
    )


def test_with_values_keeps_what_the_case_says() -> None:
    data = bare_case()
    data["options"][0]["escalator"]["cap_per_year"] = None  # uncapped, not the default cap
    case = parse_case(
        {
            **data,
            "uncertainty": {
                "workload.volume_per_month": {"kind": "uniform", "low": 900, "high": 1100}
            },
        }
    )
    changed = with_values(case, {"workload.volume_per_month": 1200.0})
    assert changed.options[0].escalator.cap_per_year is None
    assert changed.uncertainty == case.uncertainty
    assert changed.workload.volume_per_month == 1200.0


@pytest.mark.parametrize(
    "name", ["claims_back_office", "voice_customer_service", "it_help_desk", "payroll"]
)
def test_every_number_can_vary_alone_in_a_batch(name: str) -> None:
    """Any number of a case may vary on its own (the others the same in every scenario): the
    batch runs, and the scenario at the case value is exactly the deterministic result. (Varying
    a month count alone once crashed the severance lookup.)"""
    from bpo_cost.analysis.inputs import Inputs, figures, prepare
    from bpo_cost.engine.compile import Compiler

    case = prepare(example_path(name))
    base = figures(case)
    compiler = Compiler(case)
    ins = Inputs(case)
    for path in ins.variable():
        spec = ins.get(path)
        other = spec.value + 1.0 if spec.integer else (spec.value * 1.1 or 0.01)
        other = min(max(other, spec.low), spec.high)
        f = figures(compiler, {path: [spec.value, other]}, n=2)
        assert np.array_equal(f.tco[0], base.tco[0]), path
        assert np.array_equal(f.npv_cost[0], base.npv_cost[0]), path
        assert np.isfinite(f.tco[1]).all(), path


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sensitivity(CLAIMS, ranges={"inhouse.wage_per_hour": 30.0}),
            "ranges['inhouse.wage_per_hour'] must be a (low, high) pair of numbers: got 30.0",
        ),
        (
            lambda: sensitivity(CLAIMS, ranges={"inhouse.wage_per_hour": (20.0, 25.0, 30.0)}),
            "ranges['inhouse.wage_per_hour'] must be a (low, high) pair of numbers",
        ),
        (
            lambda: sensitivity(CLAIMS, percentiles=(10.0,)),
            "percentiles must be two percentiles 0 <= low < high <= 100: got (10.0,)",
        ),
        (
            lambda: scenario_grid(CLAIMS, {"inhouse.wage_per_hour": ["a"]}),
            "values['inhouse.wage_per_hour'] must be a non-empty list of numbers: got ['a']",
        ),
        (
            lambda: breakeven_volume(CLAIMS, "Onshore US flat", low="x"),
            "low must be a number: got 'x'",
        ),
    ],
    ids=["range-scalar", "range-triple", "one-percentile", "grid-text", "low-text"],
)
def test_malformed_arguments_name_the_argument(call: Any, message: str) -> None:
    with pytest.raises(InputError) as err:
        call()
    assert str(err.value).startswith(message)
