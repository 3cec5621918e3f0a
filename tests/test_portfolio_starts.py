"""Staggered starts: a function of a portfolio that starts in a later programme month."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from bpo_cost import evaluate, example_path
from bpo_cost.analysis.portfolio import evaluate_portfolio
from bpo_cost.case.io import load_case
from bpo_cost.case.portfolio import load_portfolio
from bpo_cost.errors import InputError

PAYROLL = example_path("payroll")  # 36 months, 8 % a year, transition in its first months


def _portfolio(later: int | None = None, **extra: Any) -> dict[str, Any]:
    second: dict[str, Any] = {"name": "b", "case": str(PAYROLL)}
    if later is not None:
        second["start_month"] = later
    return {
        "name": "Two payrolls",
        "start": "2027-01",
        "functions": [{"name": "a", "case": str(PAYROLL)}, second],
        **extra,
    }


def _moved(start: str) -> Any:
    """The payroll case on its own, starting at ``start`` (the reference for a later start)."""
    data = load_case(PAYROLL).model_dump(mode="json")
    return evaluate({**data, "start": start})


def test_a_function_starting_in_month_13_runs_in_programme_years_2_to_4():
    result = evaluate_portfolio(_portfolio(13))
    alone = _moved("2028-01")  # its case starts a year after the programme
    assert result.loaded.cases["b"].start.isoformat() == "2028-01-01"
    assert result.months == 12 + 36 and result.years == 4
    b = result.functions[1]
    assert b.start_month == 13
    own = alone.summary()
    for j, owner in enumerate(b.owners):
        # every money figure is the case's; NPVs come back one year at 8 %: / 1.08
        assert b.tco[j] == pytest.approx(own.loc[owner, "tco"], rel=1e-12)
        assert b.npv_savings[j] == pytest.approx(own.loc[owner, "npv_savings"] / 1.08, rel=1e-12)
        total = alone.components.total(owner)[0]
        assert (b.cost[j, :12] == 0).all()
        assert b.cost[j, 12:] == pytest.approx(total, rel=1e-12)
    best = b.best()
    option = next(o for o in alone.case.options if o.name == best)
    handover = max(option.transition.parallel_run_months, 1)
    assert b.handover_month[b.owners.index(best)] == 12 + handover
    # its transition spend falls in programme year 2, none in year 1
    years = b.by_year(b.transition_spend, result.years)
    own_year_1 = b.transition_spend[:, 12:24].sum(axis=1)
    assert (years[:, 0] == 0).all() and years[:, 1] == pytest.approx(own_year_1)
    assert years[b.owners.index(best), 1] > 0
    plan = {"a": "inhouse", "b": best}
    yearly = result.yearly(plan)
    assert yearly.loc[1, "transition_spend"] == 0 and yearly.loc[1, "headcount_moved"] == 0
    assert yearly.loc[2, "headcount_moved"] == pytest.approx(
        b.headcount_moved[b.owners.index(best)]
    )
    # the in-house cost of the programme: a's 36 months, then b's 36 from month 13
    monthly = result.monthly(plan)
    a = result.functions[0]
    assert monthly["inhouse_cost"].to_numpy() == pytest.approx(a.cost[0] + b.cost[0])
    assert (a.cost[0, 36:] == 0).all() and (b.cost[0, :12] == 0).all()
    data = json.loads(json.dumps(result.to_dict(plan), allow_nan=False))
    assert [f["start_month"] for f in data["functions"]] == [1, 13]


def test_start_month_1_is_the_portfolio_as_before():
    now = evaluate_portfolio(_portfolio())
    first = evaluate_portfolio(_portfolio(1))
    for f, g in zip(now.functions, first.functions, strict=True):
        assert (f.npv_savings == g.npv_savings).all() and (f.cost == g.cost).all()
    assert now.months == 36


@pytest.mark.parametrize(
    ("limits", "family"),
    [
        # payroll's transition spend in its first year is under 1.5x that of one function
        ({"transition_budget_per_year": "budget"}, "transition_budget_per_year (year 1)"),
        # each payroll moves about 8.6 people (test_portfolio): 10 a year lets one go, not two
        ({"max_headcount_moved_per_year": 10.0}, "max_headcount_moved_per_year (year 1)"),
    ],
    ids=["transition-budget", "headcount"],
)
def test_a_year_1_limit_no_longer_binds_a_function_starting_in_year_2(limits, family):
    together = evaluate_portfolio(_portfolio())
    f = together.functions[0]
    best = f.owners.index(f.best())
    year_1 = float(f.by_year(f.transition_spend, together.years)[best, 0])
    assert 7 < f.headcount_moved[best] < 10
    constraints = {k: 1.5 * year_1 if v == "budget" else v for k, v in limits.items()}
    both = together.optimise(constraints)
    # together, only one payroll goes to its best option in year 1: the limit binds
    assert both.value < both.unconstrained_value
    assert family in [b.constraint for b in both.binding]
    staggered = evaluate_portfolio(_portfolio(13)).optimise(constraints)
    # b starts in month 13: its transition and its people fall in year 2, each year keeps it
    assert staggered.choice == {"a": f.best(), "b": f.best()}
    assert staggered.value == pytest.approx(staggered.unconstrained_value, rel=1e-12)
    assert staggered.binding == []


def test_a_later_start_is_discounted_at_each_draws_own_rate():
    spread = {"discount_rate_annual": {"kind": "uniform", "low": 0.04, "high": 0.12}}
    staggered = evaluate_portfolio(_portfolio(13, uncertainty=spread))
    sim = staggered.simulate(600, seed=3, workers=1)
    # the same function alone, its case moved to the month it starts: the same streams
    alone_data = {
        "name": "One payroll",
        "start": "2028-01",
        "functions": [{"name": "b", "case": str(PAYROLL)}],
        "uncertainty": spread,
    }
    alone = evaluate_portfolio(alone_data).simulate(600, seed=3, workers=1)
    rate = sim.driver_draws[:, sim.drivers.index("discount_rate_annual")]
    assert (rate == alone.driver_draws[:, 0]).all() and rate.std() > 0.01
    expected = alone.npv_savings[0] * (1.0 + rate[:, None]) ** -1.0
    assert sim.npv_savings[1] == pytest.approx(expected, rel=1e-12)
    fixed = {"discount_rate_annual": {"kind": "uniform", "low": 0.08, "high": 0.08}}
    still = evaluate_portfolio(_portfolio(13, uncertainty=fixed))
    draws = still.simulate(200, seed=3, workers=1).npv_savings[1]
    assert draws == pytest.approx(np.broadcast_to(still.functions[1].npv_savings, draws.shape))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "greater than or equal to 1: got 0"),
        (121, "less than or equal to 120: got 121"),
        (2.5, "valid integer"),
        (True, "not true/false"),
    ],
)
def test_a_start_month_out_of_bounds_names_the_function_and_the_field(value, words):
    with pytest.raises(InputError) as exc:
        load_portfolio(_portfolio(value))
    assert exc.value.field == "functions[b].start_month"
    assert words in str(exc.value)
